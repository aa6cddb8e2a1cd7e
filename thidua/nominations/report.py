"""The achievement report (báo cáo thành tích) of one nominee as a .docx, in the structure
of the decree's report forms, prefilled from the records.

Which form: `report_form()` picks it from the recipient kind, the round's kind and the
award (docs/nominations.md, "Achievement reports"): a merit report for a collective or
an individual, a dedication report (the working history), a sudden-achievement report, a
thematic report, a Hero report, a foreign report, and a household report (no decree form:
the provincial rule governs household dossiers; the same three parts are kept).

What the records give is written in: identity, unit and position, ratings by year,
initiatives, the awards already received (titles and forms apart, with the decision
number, date and authority), the working history and disciplines where the form asks
for them, the household's members. What the system cannot know (home town, degrees, the
tasks assigned, the measures that led to the results…) is left as a marked blank, `BLANK`,
for the unit to complete before signing.

The report is written in Vietnamese whatever the user's language, like the proposal
letter (`documents.py`): its wording is not an interface string.
"""

import datetime
from dataclasses import dataclass

from django.utils import translation

from thidua.documents.state import Header, Signer, StateDocument
from thidua.nominations.choices import RoundKind
from thidua.nominations.models import Nominee
from thidua.org.models import Employment, HouseholdMember, UnitVersion
from thidua.records.choices import AwardStatus
from thidua.records.models import Award, Discipline, PersonRating, UnitRating
from thidua.rules.catalog import get_catalog

# What the unit completes by hand: visible in the document, impossible to miss.
BLANK = "[Đơn vị bổ sung: ………………………………]"
HERO_CODES = {"AHLD", "AH_LLVTND"}
DAY = datetime.timedelta(days=1)
YEARS_SHOWN = 5  # ratings of the achievement period and the years before it, at most


@dataclass(frozen=True)
class ReportForm:
    """A report form: its key, what it is for (as the decree's caption says it) and the
    heading of its achievements part."""

    key: str
    caption: str
    achievements: str


FORMS = {
    "collective": ReportForm(
        "collective",
        "Báo cáo thành tích dùng cho tập thể có thành tích thực hiện nhiệm vụ công tác",
        "II. THÀNH TÍCH ĐẠT ĐƯỢC",
    ),
    "individual": ReportForm(
        "individual",
        "Báo cáo thành tích dùng cho cá nhân có thành tích thực hiện nhiệm vụ công tác",
        "II. THÀNH TÍCH ĐẠT ĐƯỢC",
    ),
    "dedication": ReportForm(
        "dedication",
        "Báo cáo thành tích dùng cho cá nhân có quá trình cống hiến",
        "II. QUÁ TRÌNH CÔNG TÁC VÀ THÀNH TÍCH",
    ),
    "hero_collective": ReportForm(
        "hero_collective",
        "Báo cáo thành tích đề nghị phong tặng danh hiệu Anh hùng cho tập thể",
        "II. THÀNH TÍCH ĐẶC BIỆT XUẤT SẮC",
    ),
    "hero_individual": ReportForm(
        "hero_individual",
        "Báo cáo thành tích đề nghị phong tặng danh hiệu Anh hùng cho cá nhân",
        "II. THÀNH TÍCH ĐẶC BIỆT XUẤT SẮC",
    ),
    "sudden": ReportForm(
        "sudden",
        "Báo cáo thành tích dùng cho tập thể, cá nhân có thành tích xuất sắc đột xuất",
        "II. NỘI DUNG THÀNH TÍCH XUẤT SẮC ĐỘT XUẤT",
    ),
    "thematic": ReportForm(
        "thematic",
        "Báo cáo thành tích dùng cho khen thưởng theo đợt thi đua hoặc theo chuyên đề",
        "II. THÀNH TÍCH ĐẠT ĐƯỢC TRONG ĐỢT THI ĐUA (CHUYÊN ĐỀ)",
    ),
    "foreign": ReportForm(
        "foreign",
        "Báo cáo thành tích dùng cho khen thưởng đối ngoại",
        "II. THÀNH TÍCH ĐÓNG GÓP",
    ),
    "household": ReportForm(
        "household",
        "Báo cáo thành tích của hộ gia đình",
        "II. THÀNH TÍCH ĐẠT ĐƯỢC",
    ),
}


def report_form(nominee: Nominee, round_kind: str) -> ReportForm:
    """The form that fits the nominee's kind, the round's kind and the award."""
    if nominee.household_id:
        return FORMS["household"]
    person = bool(nominee.person_id)
    if nominee.award_code in HERO_CODES:
        return FORMS["hero_individual" if person else "hero_collective"]
    if round_kind == RoundKind.SUDDEN:
        return FORMS["sudden"]
    if round_kind == RoundKind.THEMATIC:
        return FORMS["thematic"]
    if round_kind == RoundKind.FOREIGN:
        return FORMS["foreign"]
    if round_kind == RoundKind.DEDICATION and person:
        return FORMS["dedication"]
    return FORMS["individual" if person else "collective"]


def achievement_report(nominee: Nominee, *, day: datetime.date) -> bytes:
    """The nominee's report as .docx bytes, dated `day` (a few queries, whatever the
    dossier's size: one report at a time). Labels of levels and scopes in Vietnamese."""
    with translation.override("vi"):
        return _report(nominee, day)


def _report(nominee: Nominee, day: datetime.date) -> bytes:
    dossier = nominee.dossier
    round_ = dossier.round
    form = report_form(nominee, round_.kind)
    catalog = get_catalog()
    entry = catalog.get(nominee.award_code)
    award_name = entry.name_vi if entry else nominee.award_code
    doc = StateDocument(Header(issuer=dossier.unit.name, date=day))
    doc.title("Báo cáo thành tích", f"Đề nghị tặng {award_name}")
    doc.paragraph(f"({form.caption})", italic=True, center=True)
    doc.paragraph(f"Tên tập thể, cá nhân, hộ gia đình đề nghị: {nominee.recipient}", bold=True)
    period = f"{nominee.period_start:%d/%m/%Y} – {nominee.period_end:%d/%m/%Y}"
    if nominee.person_id:
        _person_part(doc, nominee, form)
    elif nominee.unit_id:
        _unit_part(doc, nominee)
    else:
        _household_part(doc, nominee)
    doc.heading(form.achievements)
    doc.paragraph(f"Thời gian lập thành tích: {period}.")
    if form.key == "dedication":
        _working_history(doc, nominee)
    doc.paragraph(nominee.summary or BLANK)
    _achievement_details(doc, nominee, form)
    doc.heading("III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG")
    _awards_received(doc, nominee, catalog)
    if form.key == "dedication":
        _disciplines(doc, nominee)
    doc.signature_table(_signers(nominee))
    return doc.to_bytes()


# --- parts ---------------------------------------------------------------------------------


def _line(doc, label: str, value) -> None:
    doc.paragraph(f"- {label}: {value if value not in (None, '') else BLANK}", indent=False)


def _employment(nominee: Nominee):
    """The person's employment at the end of the achievement period (else the latest)."""
    jobs = Employment.objects.filter(person_id=nominee.person_id).select_related("unit")
    at_end = jobs.overlapping(nominee.period_end, nominee.period_end + DAY).order_by("-start")
    at_end = at_end.first()
    return at_end or jobs.order_by("-start").first()


def _person_part(doc, nominee: Nominee, form: ReportForm) -> None:
    person = nominee.person
    job = _employment(nominee)
    doc.heading("I. SƠ LƯỢC LÝ LỊCH")
    _line(doc, "Họ và tên", person.full_name)
    born = f"{person.birth_date:%d/%m/%Y}" if person.birth_date else None
    _line(doc, "Sinh ngày, tháng, năm", born)
    _line(doc, "Giới tính", {"M": "Nam", "F": "Nữ"}.get(person.gender))
    _line(doc, "Quê quán", None)
    _line(doc, "Trú quán", None)
    _line(doc, "Đơn vị công tác", job.unit.name if job else None)
    _line(doc, "Chức vụ (Đảng, chính quyền, đoàn thể)", job.position if job else None)
    _line(doc, "Trình độ chuyên môn, nghiệp vụ", None)
    _line(doc, "Học hàm, học vị, danh hiệu, giải thưởng", None)


def _unit_part(doc, nominee: Nominee) -> None:
    unit = nominee.unit
    doc.heading("I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH")
    doc.paragraph("1. Đặc điểm, tình hình", indent=False)
    _line(doc, "Tên đơn vị", unit.name)
    version = (
        UnitVersion.objects.filter(unit=unit)
        .on(nominee.period_end)
        .select_related("parent")
        .first()
    )
    parent = version.parent.name if version is not None and version.parent_id else None
    _line(doc, "Đơn vị cấp trên trực tiếp", parent)
    founded = f"{unit.established_on:%d/%m/%Y}" if unit.established_on else None
    _line(doc, "Ngày thành lập", founded)
    staff = (
        Employment.objects.filter(unit=unit)
        .overlapping(nominee.period_end, nominee.period_end + DAY)
        .values("person_id")
        .distinct()
        .count()
    )
    _line(doc, f"Tổng số cán bộ, người lao động (ngày {nominee.period_end:%d/%m/%Y})", staff)
    _line(doc, "Địa điểm trụ sở chính, điện thoại", None)
    doc.paragraph("2. Chức năng, nhiệm vụ", indent=False)
    doc.paragraph(BLANK)


def _household_part(doc, nominee: Nominee) -> None:
    household = nominee.household
    doc.heading("I. THÔNG TIN VỀ HỘ GIA ĐÌNH")
    _line(doc, "Tên hộ", household.name)
    _line(doc, "Địa chỉ", household.address)
    _line(doc, "Xã, phường", household.commune.name)
    members = list(
        HouseholdMember.objects.filter(household=household)
        .select_related("person")
        .order_by("-is_head", "person__sort_key")
    )
    rows = [
        [i, m.person.full_name, "Chủ hộ" if m.is_head else "Thành viên"]
        for i, m in enumerate(members, start=1)
    ]
    doc.table(["TT", "Họ và tên", "Quan hệ với chủ hộ"], rows or [["", BLANK, ""]])


def _ratings(nominee: Nominee) -> list[tuple[int, str]]:
    last = nominee.period_end.year
    years = range(max(nominee.period_start.year, last - YEARS_SHOWN + 1) - 1, last + 1)
    if nominee.person_id:
        found = PersonRating.objects.filter(person_id=nominee.person_id, year__in=list(years))
    else:
        found = UnitRating.objects.filter(unit_id=nominee.unit_id, year__in=list(years))
    return [(r.year, r.get_level_display()) for r in found.order_by("year")]


def _achievement_details(doc, nominee: Nominee, form: ReportForm) -> None:
    if nominee.household_id:
        doc.paragraph("1. Đóng góp công sức, đất đai, tài sản cho địa phương", indent=False)
        doc.paragraph(BLANK)
        doc.paragraph(
            "2. Việc chấp hành chủ trương, chính sách của Đảng, pháp luật của Nhà nước",
            indent=False,
        )
        doc.paragraph(BLANK)
        return
    if nominee.person_id:
        doc.paragraph("1. Quyền hạn, nhiệm vụ được giao hoặc đảm nhận", indent=False)
        doc.paragraph(BLANK)
    else:
        doc.paragraph(
            "1. Những biện pháp hoặc nguyên nhân đạt được thành tích; các phong trào thi đua "
            "đã được áp dụng",
            indent=False,
        )
        doc.paragraph(BLANK)
    doc.paragraph("2. Kết quả đánh giá, xếp loại mức độ hoàn thành nhiệm vụ", indent=False)
    ratings = _ratings(nominee)
    doc.table(["Năm", "Mức độ hoàn thành nhiệm vụ"], ratings or [["", BLANK]])
    initiatives = list(nominee.initiatives.order_by("recognised_on", "code"))
    if nominee.person_id and not initiatives:
        initiatives = list(
            nominee.person.initiatives.filter(
                recognised_on__gte=nominee.period_start, recognised_on__lte=nominee.period_end
            ).order_by("recognised_on", "code")
        )
    doc.paragraph("3. Sáng kiến, đề tài nghiên cứu khoa học", indent=False)
    rows = [
        [
            i,
            w.title,
            f"{w.decision_number or '—'}, {w.recognised_on:%d/%m/%Y}",
            w.get_scope_display(),
        ]
        for i, w in enumerate(initiatives, start=1)
    ]
    doc.table(
        ["TT", "Tên sáng kiến, đề tài", "Quyết định công nhận", "Phạm vi ảnh hưởng"],
        rows or [["", "Không có trong hồ sơ quản lý", "", ""]],
    )


def _working_history(doc, nominee: Nominee) -> None:
    jobs = Employment.objects.filter(person_id=nominee.person_id).select_related("unit")
    rows = [
        [
            f"{j.start:%m/%Y} – {j.end:%m/%Y}" if j.end else f"{j.start:%m/%Y} – nay",
            j.position or "—",
            j.unit.name,
        ]
        for j in jobs.order_by("start")
    ]
    doc.table(["Thời gian", "Chức vụ", "Đơn vị công tác"], rows or [[BLANK, "", ""]])


def _awards_received(doc, nominee: Nominee, catalog) -> None:
    field = {"person_id": nominee.person_id} if nominee.person_id else {}
    if nominee.unit_id:
        field = {"unit_id": nominee.unit_id}
    if nominee.household_id:
        field = {"household_id": nominee.household_id}
    awards = list(
        Award.objects.filter(status=AwardStatus.VALID, **field)
        .select_related("authority")
        .order_by("period_end", "decision_date")
    )
    header_titles = [
        "Năm",
        "Danh hiệu thi đua",
        "Số, ngày, tháng, năm của quyết định công nhận; cơ quan ban hành quyết định",
    ]
    header_forms = [
        "Năm",
        "Hình thức khen thưởng",
        "Số, ngày, tháng, năm của quyết định khen thưởng; cơ quan ban hành quyết định",
    ]
    titles, forms = [], []
    for a in awards:
        entry = catalog.get(a.award_code)
        row = [
            a.period_end.year,
            entry.name_vi if entry else a.award_code,
            f"{a.decision_number}, {a.decision_date:%d/%m/%Y}; {a.authority.name}",
        ]
        (forms if entry is not None and entry.kind == "form" else titles).append(row)
    doc.paragraph("1. Danh hiệu thi đua", indent=False)
    doc.table(header_titles, titles or [["", "Chưa có trong hồ sơ quản lý", ""]])
    doc.paragraph("2. Hình thức khen thưởng", indent=False)
    doc.table(header_forms, forms or [["", "Chưa có trong hồ sơ quản lý", ""]])


def _disciplines(doc, nominee: Nominee) -> None:
    doc.heading("IV. KỶ LUẬT")
    found = Discipline.objects.filter(person_id=nominee.person_id).order_by("effective_from")
    rows = [
        [f"{d.effective_from:%d/%m/%Y}", d.get_measure_display(), d.decision_number or "—"]
        for d in found
    ]
    doc.table(["Ngày", "Hình thức kỷ luật", "Quyết định"], rows or [["", "Không", ""]])


def _signers(nominee: Nominee) -> list[Signer]:
    unit = nominee.dossier.unit.name
    if nominee.household_id:
        return [
            Signer(f"Xác nhận của UBND {nominee.household.commune.name}", "", "", "(Ký, đóng dấu)"),
            Signer("Chủ hộ", "", _head(nominee), "(Ký, ghi rõ họ và tên)"),
        ]
    if nominee.person_id:
        return [
            Signer(f"Thủ trưởng {unit}", "xác nhận, đề nghị", "", "(Ký, đóng dấu)"),
            Signer(
                "Người báo cáo thành tích", "", nominee.person.full_name, "(Ký, ghi rõ họ và tên)"
            ),
        ]
    return [
        Signer("Thủ trưởng đơn vị cấp trên trực tiếp", "nhận xét, xác nhận", "", "(Ký, đóng dấu)"),
        Signer(f"Thủ trưởng {nominee.unit.name}", "", "", "(Ký, đóng dấu)"),
    ]


def _head(nominee: Nominee) -> str:
    head = (
        HouseholdMember.objects.filter(household_id=nominee.household_id, is_head=True)
        .select_related("person")
        .first()
    )
    return head.person.full_name if head else ""
