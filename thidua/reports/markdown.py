"""The year-end summary as Markdown (`thidua report summary --format md`): the report's
text with its tables, in Vietnamese (see `wording` for why), every figure formatted from
the computed `Summary`.

`indicator_sentence`, `task_sentence`, `rating_sentence` and `block_sentence` are shared
with the .docx report and the news draft, so the three say the same thing.
"""

from thidua.reports import wording as w
from thidua.reports.summary import Distribution, IndicatorLine, Summary

TABLE_KINDS = ["province_estimate", "local_estimate", "council_target"]


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(map(_cell, header)) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def task_sentences(summary: Summary) -> list[str]:
    """One sentence per unit that assigned tasks to the summarised unit."""
    sentences = []
    for line in summary.tasks_from_above:
        text = (
            f"{w.committee(line.assigned_by)} giao {line.assigned} nhiệm vụ; "
            f"{w.lower_place(summary.unit.name)} đã hoàn thành {line.completed}/{line.assigned} "
            f"nhiệm vụ ({w.percent(line.rate)})"
        )
        if line.completed:
            text += f", trong đó {line.on_time} nhiệm vụ hoàn thành đúng hạn"
        if line.open:
            text += f"; còn {line.open} nhiệm vụ đang thực hiện"
            if line.overdue:
                text += f" ({line.overdue} nhiệm vụ quá hạn)"
        sentences.append(text + ".")
    return sentences


def indicator_sentence(line: IndicatorLine, summary: Summary) -> str:
    """'Tổng thu ngân sách nhà nước trên địa bàn đạt 1.386 tỷ đồng, tăng 26% so với năm
    2019; bằng 235% dự toán tỉnh giao, 202% dự toán địa phương.'"""
    if line.value is None:
        return f"{line.name}: chưa có số liệu thực hiện năm {summary.year}."
    verb = " " if line.measure == "percent" else " đạt "
    text = line.name + verb + w.amount(line.value, line.measure, line.decimals)
    notes = [n for n in (w.VERSION_NOTES.get(line.version or "", ""),) if n]
    if line.aggregated_from:
        notes.append(f"tổng hợp từ {line.aggregated_from} đơn vị")
    if notes:
        text += f" ({'; '.join(notes)})"
    change = w.change_phrase(line, summary.year)
    if change:
        text += ", " + change
    against, ratio_before = [], False
    for ref in line.references:
        if ref.kind == "last_year_actual":
            continue
        name = w.reference_name(ref.kind, summary.parent)
        ratio = line.target_kind == "at_least" and ref.achievement is not None
        if ratio:  # "bằng 235% dự toán tỉnh giao, 202% dự toán địa phương"
            lead = "" if ratio_before else "bằng "
            against.append(f"{lead}{w.percent(ref.achievement)} {name}")
        else:  # "đạt chỉ tiêu Nghị quyết HĐND (không quá 1,95%)"
            state = "đạt" if ref.met else "chưa đạt"
            bound = "không quá " if line.target_kind == "at_most" else ""
            amount = w.amount(ref.value, line.measure, line.decimals)
            against.append(f"{state} {name} ({bound}{amount})")
        ratio_before = ratio
    if against:
        text += "; " + ", ".join(against)
    return text + "."


def rating_sentence(label: str, dist: Distribution, who: str) -> str:
    """'50 cơ quan, đơn vị: … 100% cơ quan, đơn vị hoàn thành tốt nhiệm vụ trở lên.'"""
    if not dist.total:
        return f"{label}: không có."
    counts = "; ".join(f"{w.LEVEL_NAMES[level]}: {n}" for level, n in dist.counts.items())
    text = f"{label} ({w.number(dist.total)}): {counts}"
    if dist.not_rated:
        text += f"; chưa xếp loại: {w.number(dist.not_rated)}"
    if dist.share is not None:
        text += f". {w.percent(dist.share)} {who} hoàn thành tốt nhiệm vụ trở lên"
    return text + "."


def block_sentences(summary: Summary) -> list[str]:
    if not summary.block.available:
        return ["Xếp hạng khối thi đua: chưa có (phân hệ thi đua chưa được cài đặt)."]
    if not summary.block.blocks:
        return [f"{summary.unit.name} không tham gia khối thi đua nào trong năm {summary.year}."]
    sentences = []
    for block in summary.block.blocks:
        head = (
            f"{block.name} do {w.committee(block.organiser)} tổ chức ({block.members} thành viên): "
        )
        if not block.published:
            sentences.append(head + "kết quả chấm điểm, xếp hạng chưa được công bố.")
        elif block.rank is None:
            sentences.append(head + f"{summary.unit.name} không có trong bảng xếp hạng.")
        else:
            text = (
                f"{summary.unit.name} xếp thứ {block.rank}/{block.members} với "
                f"{w.number(block.score, 2)} điểm"
            )
            if block.leads:
                text += ", dẫn đầu khối"
            sentences.append(head + text + ".")
    return sentences


def award_lines(groups, *, with_decision: bool = True) -> list[str]:
    lines = []
    for group in groups:
        if with_decision:
            lines.append(
                f"{group.award_name} ({w.decision_phrase(group)}): {w.recipients_phrase(group)}."
            )
        else:
            decisions = f" ({group.decisions} quyết định)" if group.decisions > 1 else ""
            lines.append(f"{group.award_name}: {w.recipients_phrase(group)}{decisions}.")
    return lines


def target_sentences(summary: Summary) -> list[str]:
    """Next year's goals, then its figures per indicator."""
    sentences = [f"{w.target_phrase(g)}." for g in summary.goals]
    for code in dict.fromkeys(t.code for t in summary.targets):
        targets = [t for t in summary.targets if t.code == code]
        parts = ", ".join(
            f"{w.reference_name(t.kind, summary.parent)} {w.amount(t.value, t.measure, t.decimals)}"
            for t in targets
        )
        sentences.append(f"{targets[0].name}: {parts}.")
    return sentences or ["Chưa có mục tiêu, chỉ tiêu được ghi nhận."]


def _indicator_table(summary: Summary) -> list[str]:
    year = summary.year
    header = ["Chỉ tiêu", "Đơn vị tính", f"Năm {year - 1}", f"Năm {year}", f"So với năm {year - 1}"]
    header += [w.sentence_case(w.reference_name(k, summary.parent)) for k in TABLE_KINDS]
    rows = []
    for line in summary.indicators:
        cells = [
            line.name,
            w.MEASURE_UNITS.get(line.measure, "") or "—",
            w.number(line.last_year, line.decimals),
            w.number(line.value, line.decimals)
            + (f" ({w.VERSION_NOTES[line.version]})" if w.VERSION_NOTES.get(line.version) else ""),
            w.change_cell(line),
        ]
        for kind in TABLE_KINDS:
            ref = line.reference(kind)
            cells.append(
                ""
                if ref is None
                else f"{w.number(ref.value, line.decimals)} ({w.achievement_cell(ref)})"
            )
        rows.append(cells)
    return _table(header, rows)


def _distribution_table(summary: Summary) -> list[str]:
    header = ["", "Tổng số", *w.LEVEL_NAMES.values(), "Chưa xếp loại", "Tỷ lệ HTT trở lên"]
    rows = []
    for label, dist in (
        ("Cơ quan, đơn vị trực thuộc", summary.unit_ratings),
        ("Cán bộ, công chức, viên chức, người lao động", summary.staff_ratings),
    ):
        rows.append(
            [
                label,
                w.number(dist.total),
                *(w.number(n) for n in dist.counts.values()),
                w.number(dist.not_rated),
                w.percent(dist.share),
            ]
        )
    return _table(header, rows)


def render_markdown(summary: Summary) -> str:
    """The whole report as Markdown text."""
    year, unit = summary.year, summary.unit
    out = [
        f"# Báo cáo tổng kết công tác năm {year} – {unit.name}",
        "",
        f"Số liệu được tính từ hồ sơ trên hệ thống ngày {w.day(summary.computed_on)}.",
        "",
        "## 1. Thực hiện nhiệm vụ cấp trên giao",
        "",
    ]
    tasks = task_sentences(summary)
    out += [f"- {t}" for t in tasks] or ["- Không có nhiệm vụ cấp trên giao trong năm."]
    out += ["", "## 2. Kết quả thực hiện các chỉ tiêu kinh tế - xã hội", ""]
    if summary.indicators:
        out += [f"- {indicator_sentence(line, summary)}" for line in summary.indicators]
        out += ["", *_indicator_table(summary)]
    else:
        out.append("- Chưa có số liệu chỉ tiêu.")
    out += ["", "## 3. Xếp loại mức độ hoàn thành nhiệm vụ", ""]
    out.append(
        "- "
        + rating_sentence("Cơ quan, đơn vị trực thuộc", summary.unit_ratings, "cơ quan, đơn vị")
    )
    out.append(
        "- "
        + rating_sentence(
            "Cán bộ, công chức, viên chức, người lao động", summary.staff_ratings, "cán bộ"
        )
    )
    out += ["", *_distribution_table(summary)]
    out += ["", "## 4. Khối thi đua", ""]
    out += [f"- {s}" for s in block_sentences(summary)]
    out += ["", "## 5. Công tác khen thưởng", "", "### 5.1. Cấp trên khen thưởng", ""]
    out += [f"- {line}" for line in award_lines(summary.awards_received)] or ["- Không có."]
    out += ["", f"### 5.2. {w.committee(unit)} khen thưởng", ""]
    out += [f"- {line}" for line in award_lines(summary.awards_given)] or ["- Không có."]
    if summary.awards_within:
        out += ["", "### 5.3. Các cơ quan, đơn vị trực thuộc khen thưởng", ""]
        out += [f"- {line}" for line in award_lines(summary.awards_within, with_decision=False)]
    out += ["", f"## 6. Mục tiêu, nhiệm vụ năm {year + 1}", ""]
    out += [f"- {s}" for s in target_sentences(summary)]
    return "\n".join(out) + "\n"
