"""The year-end summary as a .docx report in the state layout (Decree 30/2020, through
`thidua.documents.StateDocument`): "ỦY BAN NHÂN DÂN HUYỆN …", `Số: …/BC-UBND`, the
place and date line, BÁO CÁO and its subject, the body with its tables, the signature
block and the recipients. The number is left blank for the clerk to fill in when the
report is registered, as on a draft.

The body says what the Markdown report says (the sentences are shared), in the
document's own numbering; the figures are tables, each followed by the dashboard's chart
of them as a picture (`thidua.reports.chart_images`) with its numbered caption, so the
figures stay readable as text and the charts print as the dashboard shows them.
"""

import dataclasses
import datetime
import io

from django.utils import translation
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from thidua.documents import Header, StateDocument
from thidua.reports import chart_images, charts
from thidua.reports import markdown as md
from thidua.reports import wording as w
from thidua.reports.summary import Summary

# Column widths (cm) of the tables; each adds up to the 16.5 cm between the margins.
TASK_WIDTHS = [6.5, 2.5, 2.5, 2.5, 2.5]
INDICATOR_WIDTHS = [0.9, 4.2, 2.0, 2.0, 1.4, 2.0, 2.0, 2.0]
RATING_WIDTHS = [5.5, 6.0, 2.5, 2.5]
SENTENCES = 20  # indicators written out as sentences (and drawn) before the table
CHART_WIDTH_CM = 15
CHART_MAX_HEIGHT_CM = 20  # a taller chart is scaled down to fit the page with its caption


def _set_widths(table, widths_cm: list[float]) -> None:
    """Fix the column widths in the table grid too: LibreOffice lays a table out from
    its grid (`w:gridCol`), not from the cells' widths that `StateDocument.table` sets,
    and would otherwise make every column as wide as the others."""
    table.autofit = False
    for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths_cm, strict=True):
        col.w = Cm(width)


def _figure(doc: StateDocument, number: int, chart: charts.Chart, caption: str) -> int:
    """The chart as a centred picture 15 cm wide (less if it would not fit the page) and
    its caption "Biểu đồ N: …" under it; returns the next figure number. A chart with
    nothing to draw is left out: the section's sentences already say there is nothing; so
    are all charts where no font has the Vietnamese letters (the tables hold the figures)."""
    if chart.empty or not chart.bars or not chart_images.available():
        return number
    shape = doc.doc.add_picture(
        io.BytesIO(chart_images.render_png(chart)), width=Cm(CHART_WIDTH_CM)
    )
    if shape.height > Cm(CHART_MAX_HEIGHT_CM):
        shape.width = int(shape.width * Cm(CHART_MAX_HEIGHT_CM) / shape.height)
        shape.height = Cm(CHART_MAX_HEIGHT_CM)
    picture = doc.doc.paragraphs[-1]
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.space_after = Pt(0)
    doc.paragraph(f"Biểu đồ {number}: {caption}", italic=True, center=True)
    return number + 1


def _charts(summary: Summary) -> dict[str, charts.Chart]:
    """The dashboard's charts of the summary, labelled in Vietnamese (the report's language
    whatever the interface's; their labels are the dashboard's, from the vi catalog). The
    achievement chart holds the indicators written out as sentences."""
    leading = dataclasses.replace(summary, indicators=summary.indicators[:SENTENCES])
    with translation.override("vi"):
        return {
            "tasks": charts.tasks_chart(summary),
            "achievement": charts.achievement_chart(leading),
            "ratings": charts.ratings_chart(summary),
        }


def _indicator_rows(summary: Summary) -> list[list]:
    rows = []
    for n, line in enumerate(summary.indicators, start=1):
        unit = w.MEASURE_UNITS.get(line.measure, "")
        name = f"{line.name} ({unit})" if unit else line.name
        version = w.VERSION_NOTES.get(line.version or "", "")
        cells = [
            n,
            name,
            w.number(line.last_year, line.decimals),
            w.number(line.value, line.decimals) + (f" ({version})" if version else ""),
            w.change_cell(line),
        ]
        for kind in md.TABLE_KINDS:
            ref = line.reference(kind)
            cells.append(
                ""
                if ref is None
                else f"{w.number(ref.value, line.decimals)}\n{w.achievement_cell(ref)}"
            )
        rows.append(cells)
    return rows


def render_docx(summary: Summary, *, day: datetime.date | None = None) -> bytes:
    """The report as .docx bytes, dated `day` (default: the day it was computed)."""
    unit, year = summary.unit, summary.year
    territorial = unit.kind in w.TERRITORIAL
    drawn, figure = _charts(summary), 1
    doc = StateDocument(
        Header(
            issuer=w.committee_full(unit),
            parent=w.committee_full(summary.parent) if summary.parent and not territorial else "",
            number="      /BC-UBND" if territorial else "      /BC",
            place=w.place_name(unit),
            date=day or summary.computed_on,
        ),
        size=14,
    )
    doc.title(
        "BÁO CÁO",
        f"Tổng kết công tác năm {year} và phương hướng, nhiệm vụ năm {year + 1}",
    )
    doc.heading(f"I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM {year}")
    doc.heading("1. Thực hiện nhiệm vụ cấp trên giao")
    for sentence in md.task_sentences(summary) or ["Không có nhiệm vụ cấp trên giao trong năm."]:
        doc.paragraph(sentence)
    if summary.tasks:
        table = doc.table(
            ["Đơn vị giao", "Số nhiệm vụ", "Hoàn thành", "Đúng hạn", "Tỷ lệ"],
            [
                [
                    w.committee(t.assigned_by),
                    t.assigned,
                    t.completed,
                    t.on_time,
                    w.percent(t.rate),
                ]
                for t in summary.tasks
            ],
            widths_cm=TASK_WIDTHS,
            size=11,
        )
        _set_widths(table, TASK_WIDTHS)
        figure = _figure(doc, figure, drawn["tasks"], "Tình hình thực hiện nhiệm vụ cấp trên giao")

    doc.heading("2. Kết quả thực hiện các chỉ tiêu kinh tế - xã hội")
    # A sentence each for the leading indicators (the catalog's order); the table has
    # them all (a province's 300 sentences would repeat the table for pages).
    for line in summary.indicators[:SENTENCES]:
        doc.paragraph("- " + md.indicator_sentence(line, summary))
    if len(summary.indicators) > SENTENCES:
        doc.paragraph(
            f"Kết quả thực hiện {len(summary.indicators)} chỉ tiêu được tổng hợp tại bảng sau."
        )
    if summary.indicators:
        header = ["TT", "Chỉ tiêu", f"Năm {year - 1}", f"Năm {year}", f"So với {year - 1}"]
        header += [w.sentence_case(w.reference_name(k, summary.parent)) for k in md.TABLE_KINDS]
        table = doc.table(header, _indicator_rows(summary), widths_cm=INDICATOR_WIDTHS, size=11)
        _set_widths(table, INDICATOR_WIDTHS)
        caption = "Tỷ lệ thực hiện chỉ tiêu so với dự toán, chỉ tiêu được giao"
        if len(summary.indicators) > SENTENCES:
            caption += f" ({SENTENCES} chỉ tiêu đầu)"
        figure = _figure(doc, figure, drawn["achievement"], caption)

    doc.heading("3. Xếp loại mức độ hoàn thành nhiệm vụ")
    doc.paragraph(
        "- "
        + md.rating_sentence("Cơ quan, đơn vị trực thuộc", summary.unit_ratings, "cơ quan, đơn vị")
    )
    doc.paragraph(
        "- "
        + md.rating_sentence(
            "Cán bộ, công chức, viên chức, người lao động", summary.staff_ratings, "cán bộ"
        )
    )
    rows = []
    for label, dist in (
        ("Cơ quan, đơn vị trực thuộc", summary.unit_ratings),
        ("Cán bộ, công chức, viên chức, người lao động", summary.staff_ratings),
    ):
        for level, count in dist.counts.items():
            share = count * 100 / dist.total if dist.total else None
            rows.append([label, w.LEVEL_NAMES[level], w.number(count), w.percent(share)])
    table = doc.table(
        ["Đối tượng", "Mức xếp loại", "Số lượng", "Tỷ lệ"],
        rows,
        widths_cm=RATING_WIDTHS,
        size=11,
    )
    _set_widths(table, RATING_WIDTHS)
    _figure(doc, figure, drawn["ratings"], "Xếp loại mức độ hoàn thành nhiệm vụ")

    doc.heading("4. Kết quả thi đua trong khối")
    for sentence in md.block_sentences(summary):
        doc.paragraph(sentence)

    doc.heading("5. Công tác khen thưởng")
    doc.paragraph("a) Cấp trên khen thưởng:", italic=True)
    for line in md.award_lines(summary.awards_received) or ["Không có."]:
        doc.paragraph("- " + line)
    doc.paragraph(f"b) {w.committee(unit)} khen thưởng:", italic=True)
    for line in md.award_lines(summary.awards_given) or ["Không có."]:
        doc.paragraph("- " + line)
    if summary.awards_within:
        doc.paragraph("c) Các cơ quan, đơn vị trực thuộc khen thưởng:", italic=True)
        for line in md.award_lines(summary.awards_within, with_decision=False):
            doc.paragraph("- " + line)

    doc.heading(f"II. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {year + 1}")
    for sentence in md.target_sentences(summary):
        doc.paragraph("- " + sentence)

    recipients = [w.committee(summary.parent)] if summary.parent else []
    if territorial:
        recipients.append("Thường trực cấp ủy, HĐND")
        doc.signature_block(
            "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "", recipients=[*recipients, "Lưu: VT"]
        )
    else:
        doc.signature_block("THỦ TRƯỞNG ĐƠN VỊ", "", "", recipients=[*recipients, "Lưu: VT"])
    return doc.to_bytes()
