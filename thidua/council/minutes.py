"""The minutes of a closed meeting as .docx in the Decree 30/2020 layout (the
state-document builder of `thidua.documents`): the meeting's minutes (biên bản họp hội
đồng) and the counting committee's minutes (biên bản kiểm phiếu). Counts only: no
ballot exists to print."""

from thidua.council.choices import BallotMode, Function
from thidua.council.selectors import agenda_rows
from thidua.documents.state import Header, Signer, StateDocument
from thidua.nominations.choices import CouncilOutcome


def _header(meeting):
    return Header(
        issuer=meeting.council.name, parent=meeting.council.unit.name.upper(),
        place=meeting.place.split(",")[0] if meeting.place else "", date=meeting.held_on,
    )  # fmt: skip


def _results_table(doc, meeting, rows):
    doc.table(
        ["TT", "Tập thể, cá nhân", "Hình thức", "Tán thành", "Không tán thành", "Không ý kiến",
         "Tỷ lệ/tổng số thành viên", "Kết quả"],
        [
            [n, f"{r['name']} ({r['proposer']})", r["award"], r["item"].yes, r["item"].no,
             r["item"].abstain, f"{r['share']:.1f}%".replace(".", ","),
             "Đạt" if r["item"].outcome == CouncilOutcome.PASSED else "Không đạt"]
            for n, r in enumerate(rows, start=1)
        ],
        size=10,
    )  # fmt: skip


def _signers(meeting):
    members = {m.function: m for m in meeting.council.members.order_by("id")}
    chair, secretary = members.get(Function.CHAIR), members.get(Function.SECRETARY)
    return [
        Signer("Thư ký", "", secretary.full_name if secretary else ""),
        Signer("Chủ tịch Hội đồng", "", chair.full_name if chair else ""),
    ]


def meeting_minutes(meeting) -> bytes:
    rows = agenda_rows(meeting)
    doc = StateDocument(_header(meeting))
    doc.title("Biên bản", f"Họp Hội đồng thi đua - khen thưởng: {meeting.title}")
    doc.paragraph(
        f"Hội đồng có {meeting.member_count} thành viên; có mặt {meeting.present_count} "
        f"thành viên. Hội đồng đã xem xét {len(rows)} trường hợp và bỏ phiếu kín "
        + ("trên giấy" if meeting.mode == BallotMode.PAPER else "điện tử")
        + "."
    )
    recusals = [(r["name"], x.member.full_name, x.reason) for r in rows for x in r["recusals"]]
    if recusals:
        doc.heading("Thành viên không tham gia biểu quyết")
        for name, member, reason in recusals:
            doc.paragraph(f"{member} không biểu quyết trường hợp {name} ({reason}).")
    doc.heading("Kết quả biểu quyết")
    doc.paragraph(
        "Tỷ lệ tán thành tính trên tổng số thành viên Hội đồng (Nghị định 98/2023/NĐ-CP "
        "Điều 30 khoản 7)."
    )
    _results_table(doc, meeting, rows)
    doc.signature_table(_signers(meeting))
    return doc.to_bytes()


def count_minutes(meeting) -> bytes:
    rows = agenda_rows(meeting)
    doc = StateDocument(_header(meeting))
    doc.title("Biên bản", f"Kiểm phiếu: {meeting.title}")
    counters = ", ".join(m.full_name for m in meeting.counters.order_by("id"))
    doc.paragraph(
        f"Ban kiểm phiếu{': ' + counters if counters else ''}. Số thành viên Hội đồng: "
        f"{meeting.member_count}; số thành viên có mặt: {meeting.present_count}."
    )
    _results_table(doc, meeting, rows)
    doc.signature_table(
        [Signer("Ban kiểm phiếu", "", m.full_name) for m in meeting.counters.order_by("id")]
        or _signers(meeting)
    )
    return doc.to_bytes()
