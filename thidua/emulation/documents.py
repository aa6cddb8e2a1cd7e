"""The covenant as a .docx in the state layout (`thidua.documents`), with its criteria
table and a signature table of the members.

A covenant is a document the members sign, written in Vietnamese whatever the user's
language; its wording is therefore kept here as Vietnamese text (like the layout's fixed
formulas in `thidua.documents`), not as interface strings.
"""

from decimal import Decimal

from thidua.documents import Header, Signer, StateDocument
from thidua.emulation.choices import BlockRoleKind, GroupKind, ScoringMethod, TieBreak
from thidua.emulation.models import Covenant, Signature
from thidua.emulation.services import scoring_members
from thidua.vietnamese import format_date, format_number

METHOD_TEXT = {
    ScoringMethod.CROSS: "Các đơn vị thành viên chấm điểm chéo cho nhau (không tự chấm cho "
    "đơn vị mình); điểm của mỗi đơn vị là trung bình cộng điểm các đơn vị khác chấm.",
    ScoringMethod.LEADER: "Trưởng khối chấm điểm các đơn vị thành viên; Phó Trưởng khối chấm "
    "điểm đơn vị Trưởng khối.",
    ScoringMethod.CROSS_AND_LEADER: "Điểm của mỗi đơn vị là trung bình cộng của điểm chấm chéo "
    "(trung bình điểm các đơn vị khác chấm) và điểm Trưởng khối chấm.",
}
TRIM_TEXT = (
    "Đối với mỗi tiêu chí có từ bốn đơn vị chấm trở lên, loại bỏ một điểm cao nhất và một "
    "điểm thấp nhất trước khi tính trung bình."
)
TIE_TEXT = {
    TieBreak.BASE: "tổng điểm các tiêu chí (không tính điểm thưởng, điểm trừ) cao hơn",
    TieBreak.PENALTY: "bị trừ ít điểm hơn",
    TieBreak.BONUS: "được cộng nhiều điểm thưởng hơn",
    TieBreak.SELF: "điểm tự chấm cao hơn",
}


def _points(value: Decimal) -> str:
    return format_number(value, 0 if value == value.to_integral_value() else 2)


def _tie_text(rule: str, groups: dict) -> str:
    if rule.startswith("group:"):
        code = rule[6:]
        return f"điểm nhóm tiêu chí {code} ({groups.get(code, '')}) cao hơn"
    return TIE_TEXT.get(rule, rule)


def covenant_document(covenant: Covenant) -> bytes:
    """The covenant of a block, ready to print and sign (or as signed)."""
    block = covenant.block
    organiser = block.organiser
    doc = StateDocument(
        Header(
            issuer=block.name,
            parent=organiser.name,
            number=covenant.number,
            place=covenant.place,
            date=covenant.signing_date,
        )
    )
    doc.title("Giao ước thi đua", f"Năm {block.year}")
    movement = block.movement
    if movement is not None:
        doc.paragraph(
            f"Căn cứ Quyết định số {movement.decision_number} ngày "
            f"{format_date(movement.decision_date)} của {movement.launched_by.name} về việc "
            f"phát động {movement.name[:1].lower()}{movement.name[1:]};",
            italic=True,
        )
    if block.decision_number:
        when = f" ngày {format_date(block.decision_date)}" if block.decision_date else ""
        doc.paragraph(
            f"Căn cứ Quyết định số {block.decision_number}{when} về việc tổ chức "
            f"{block.name[:1].lower()}{block.name[1:]} năm {block.year};",
            italic=True,
        )
    doc.paragraph(
        f"Các đơn vị thành viên {block.name} thống nhất ký kết giao ước thi đua năm "
        f"{block.year} với các nội dung sau:"
    )

    doc.heading("I. NỘI DUNG, TIÊU CHÍ VÀ THANG ĐIỂM")
    groups = list(covenant.groups.all())
    items: dict[int, list] = {g.pk: [] for g in groups}
    for criterion in covenant.criteria.all():
        items[criterion.group_id].append(criterion)
    rows, bold, base_total = [], [], Decimal(0)
    for group in groups:
        total = sum((c.max_points for c in items[group.pk]), Decimal(0))
        if group.kind == GroupKind.BONUS:
            label = f"tối đa +{_points(group.cap if group.cap is not None else total)}"
        elif group.kind == GroupKind.PENALTY:
            label = f"trừ tối đa {_points(group.cap if group.cap is not None else total)}"
        else:
            counted = min(total, group.cap) if group.cap is not None else total
            base_total += counted
            label = _points(counted)
        bold.append(len(rows))
        rows.append([group.code, group.title, label])
        for c in items[group.pk]:
            sign = "−" if group.kind == GroupKind.PENALTY else ""
            text = c.title if not c.guidance else f"{c.title} ({c.guidance})"
            rows.append([c.code, text, f"{sign}{_points(c.max_points)}"])
    bold.append(len(rows))
    rows.append(["", "Tổng điểm các tiêu chí", _points(base_total)])
    doc.table(
        ["Mã", "Nội dung tiêu chí", "Điểm tối đa"], rows, widths_cm=[1.6, 11.4, 3.0], bold_rows=bold
    )

    doc.heading("II. PHƯƠNG THỨC CHẤM ĐIỂM, XẾP HẠNG")
    doc.paragraph(
        f"1. Các đơn vị tự chấm điểm, kèm minh chứng cho từng tiêu chí. {METHOD_TEXT[covenant.method]}"
    )
    if covenant.trim_extremes:
        doc.paragraph(f"2. {TRIM_TEXT}")
    titles = {g.code: g.title for g in groups}
    ties = "; ".join(_tie_text(r, titles) for r in covenant.tie_breaks)
    doc.paragraph(
        "3. Xếp hạng theo tổng điểm; điểm thưởng cộng không quá mức tối đa của nhóm, điểm "
        "trừ không quá mức trừ tối đa của nhóm."
        + (f" Trường hợp bằng điểm, lần lượt ưu tiên đơn vị {ties}." if ties else "")
    )
    doc.paragraph(f"4. Thời hạn chấm điểm: đến hết ngày {format_date(covenant.scoring_deadline)}.")

    doc.heading("III. TỔ CHỨC THỰC HIỆN")
    roles = list(block.roles.select_related("unit"))
    leader = [r for r in roles if r.role == BlockRoleKind.LEADER]
    deputies = [r for r in roles if r.role == BlockRoleKind.DEPUTY]
    if leader:
        text = f"Trưởng khối: {leader[0].unit.name}"
        if deputies:
            text += "; Phó Trưởng khối: " + ", ".join(r.unit.name for r in deputies)
        text += f" (Quyết định số {leader[0].decision_number} ngày {format_date(leader[0].decision_date)})."
        doc.paragraph(text)
    doc.paragraph(
        "Các đơn vị thành viên tổ chức thực hiện giao ước này; Trưởng khối tổng hợp kết quả, "
        "báo cáo Hội đồng Thi đua - Khen thưởng."
    )

    doc.paragraph("ĐẠI DIỆN CÁC ĐƠN VỊ KÝ GIAO ƯỚC", bold=True, center=True)
    signatures = {s.unit_id: s for s in Signature.objects.filter(covenant=covenant)}
    signers = []
    for membership in scoring_members(block):
        unit, signature = membership.unit, signatures.get(membership.unit_id)
        if signature is None:
            signers.append(Signer(unit.name, "", "(chưa ký)"))
        else:
            signers.append(
                Signer(
                    unit.name,
                    signature.signer_position,
                    signature.signer_name,
                    f"Ký ngày {format_date(signature.signed_on)}",
                )
            )
    doc.signature_table(signers, columns=2)
    return doc.to_bytes()
