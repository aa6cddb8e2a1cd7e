"""The Vietnamese wording of the year-end report, shared by the markdown, .docx and news
renderers.

The report is a state document (báo cáo) and a state document is written in Vietnamese
(Decree 30/2020 Điều 8), whatever the language of the user's interface — the same
reasoning as the fixed formulas of `thidua.documents`. So these phrases are constants
of the document format, not interface text for the translation catalog; the web
dashboard, which is interface, labels the same figures through gettext.

Numbers follow `thidua.vietnamese`: `1.386 tỷ đồng`, `235%`, dates `13/11/2020`.
"""

from decimal import Decimal

from thidua.vietnamese import format_date, format_number, format_percent

MEASURE_UNITS = {
    "billion_vnd": "tỷ đồng",
    "million_vnd": "triệu đồng",
    "percent": "%",
    "count": "",
    "people": "người",
    "households": "hộ",
    "ha": "ha",
    "tonne": "tấn",
    "km": "km",
}
VERSION_NOTES = {
    "estimate": "ước thực hiện",
    "preliminary": "số liệu sơ bộ",
    "final": "",
}
LEVEL_NAMES = {
    "HTXS": "Hoàn thành xuất sắc nhiệm vụ",
    "HTT": "Hoàn thành tốt nhiệm vụ",
    "HT": "Hoàn thành nhiệm vụ",
    "KHT": "Không hoàn thành nhiệm vụ",
}
# The territorial units whose decisions are the People's Committee's.
TERRITORIAL = {"province", "district", "commune"}
_PLACE_WORDS = ("Tỉnh", "Thành phố", "Thị xã", "Huyện", "Quận", "Thị trấn", "Xã", "Phường")


def lower_place(name: str) -> str:
    """'Huyện Kim Bảng' → 'huyện Kim Bảng' inside a sentence; other names unchanged."""
    for word in _PLACE_WORDS:
        if name.startswith(word + " "):
            return word.lower() + name[len(word) :]
    return name


def committee(unit) -> str:
    """Who decides for the unit: 'UBND tỉnh Hà Nam' for a territorial unit, else its name."""
    if unit.kind in TERRITORIAL:
        return "UBND " + lower_place(unit.name)
    return unit.name


def committee_full(unit) -> str:
    """The issuing body on a document: 'ỦY BAN NHÂN DÂN HUYỆN KIM BẢNG'."""
    if unit.kind in TERRITORIAL:
        return ("Ủy ban nhân dân " + lower_place(unit.name)).upper()
    return unit.name.upper()


def place_name(unit) -> str:
    """'Kim Bảng' from 'Huyện Kim Bảng' (the place on the date line)."""
    for word in _PLACE_WORDS:
        if unit.name.startswith(word + " "):
            return unit.name[len(word) + 1 :]
    return unit.name


def reference_name(kind: str, parent=None) -> str:
    """'dự toán tỉnh giao' for the estimate from a province, and so on."""
    if kind == "province_estimate":
        level = {"province": "tỉnh", "district": "huyện"}.get(getattr(parent, "kind", ""), "")
        return f"dự toán {level} giao" if level else "dự toán cấp trên giao"
    return {
        "local_estimate": "dự toán địa phương",
        "council_target": "chỉ tiêu Nghị quyết HĐND",
        "last_year_actual": "thực hiện năm trước",
    }[kind]


def sentence_case(text: str) -> str:
    """'chỉ tiêu Nghị quyết HĐND' → 'Chỉ tiêu Nghị quyết HĐND' (str.capitalize would
    lower the rest)."""
    return text[:1].upper() + text[1:]


def amount(value: Decimal | None, measure: str, decimals: int = 0) -> str:
    """'1.386 tỷ đồng', '1,87%', '16' — a figure with its unit."""
    if value is None:
        return "—"
    unit = MEASURE_UNITS.get(measure, "")
    text = format_number(value, decimals)
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit}".strip()


def number(value: Decimal | None, decimals: int = 0) -> str:
    return "—" if value is None else format_number(value, decimals)


def percent(value: Decimal | None, *, signed: bool = False) -> str:
    """'235%', '+22%' (whole percent, half away from zero); '—' without a value."""
    return "—" if value is None else format_percent(value, signed=signed)


def day(value) -> str:
    return format_date(value) if value else "—"


def change_cell(line) -> str:
    """The change on last year as a table shows it: '+22%' for an amount, '-0,48 điểm'
    (percentage points) for a rate, the same figure the sentence gives."""
    if line.shown_change is None:
        return "—"
    if line.change_in_points:
        sign = "+" if line.shown_change > 0 else ("-" if line.shown_change < 0 else "")
        points = format_number(abs(line.shown_change), max(line.decimals, 1))
        return f"{sign}{points} điểm"
    return format_percent(line.shown_change, signed=True)


def achievement_cell(ref) -> str:
    """A reference's achievement as a table shows it: the percentage (100 % or more is
    met, whatever the target kind), or 'đạt' / 'chưa đạt' when no percentage means
    anything (a zero base)."""
    if ref.achievement is not None:
        return format_percent(ref.achievement)
    if ref.met is None:
        return "—"
    return "đạt" if ref.met else "chưa đạt"


def change_phrase(line, year: int) -> str:
    """'tăng 22% so với năm 2019' (for a percentage: 'tăng 2,6 điểm phần trăm')."""
    if line.growth is None:
        return ""
    if line.measure == "percent" and line.change is not None:
        points = abs(line.change)
        if line.change == 0:
            return f"không đổi so với năm {year - 1}"
        verb = "tăng" if line.change > 0 else "giảm"
        return (
            f"{verb} {format_number(points, max(line.decimals, 1))} điểm phần trăm "
            f"so với năm {year - 1}"
        )
    if line.growth == 0:
        return f"không đổi so với năm {year - 1}"
    verb = "tăng" if line.growth > 0 else "giảm"
    return f"{verb} {format_percent(abs(line.growth))} so với năm {year - 1}"


def decision_phrase(group) -> str:
    """'Quyết định số 2015/QĐ-CTN ngày 13/11/2020 của Chủ tịch nước'."""
    return (
        f"Quyết định số {group.decision_number} ngày {day(group.decision_date)} "
        f"của {committee(group.authority)}"
    )


def recipients_phrase(group) -> str:
    """'6 tập thể (…), 25 cá nhân' — collectives by name when few."""
    parts = []
    if group.collectives:
        names = ", ".join(u.name for u in group.recipients)
        if group.collectives == 1 and names:
            parts.append(names)
        else:
            parts.append(f"{group.collectives} tập thể" + (f" ({names})" if names else ""))
    if group.individuals:
        parts.append(f"{format_number(group.individuals)} cá nhân")
    return "; ".join(parts)


def target_phrase(goal) -> str:
    suffix = f" trước năm {goal.before_year}" if goal.before_year else ""
    return goal.title.rstrip(".") + suffix
