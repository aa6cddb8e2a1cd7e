"""The year-end summary as a .docx report in the state layout (Decree 30/2020, through
`thidua.reports.docx.StateDocument`): "ỦY BAN NHÂN DÂN HUYỆN …", `Số: …/BC-UBND`, the
place and date line, BÁO CÁO and its subject, the body with its tables, the signature
block and the recipients. The number is left blank for the clerk to fill in when the
report is registered, as on a draft.

The body says what the Markdown report says (the sentences are shared), in the
document's own numbering; the figures are tables, and the dashboard's task and rating
charts are drawn inside their tables as shaded bars (no image library is installed; see
docs/reports.md).
"""

import datetime

from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from thidua.reports import markdown as md
from thidua.reports import wording as w
from thidua.reports.docx import Header, StateDocument
from thidua.reports.summary import Summary

BAR_FILL = "1F6F43"
# Column widths (cm) of the tables; each adds up to the 16.5 cm between the margins.
TASK_WIDTHS = [4.2, 1.9, 1.9, 1.8, 1.6, 5.1]
INDICATOR_WIDTHS = [0.9, 4.2, 2.0, 2.0, 1.4, 2.0, 2.0, 2.0]
BAR_HEIGHT_CM = 0.4
RATING_WIDTHS = [4.2, 4.4, 1.6, 1.6, 4.7]
SENTENCES = 20  # indicators written out as sentences before the table


def _set_widths(table, widths_cm: list[float]) -> None:
    """Fix the column widths in the table grid too: LibreOffice lays a table out from
    its grid (`w:gridCol`), not from the cells' widths that `StateDocument.table` sets,
    and would otherwise make every column as wide as the others."""
    table.autofit = False
    for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths_cm, strict=True):
        col.w = Cm(width)


def _shade(cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    for key, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill)):
        shading.set(qn(key), value)
    properties.append(shading)


def _draw_bars(table, column: int, shares: list, width_cm: float, fill: str = BAR_FILL):
    """Draw a horizontal bar in `column` of each body row of `table`, as long as the
    share (percent) says: a borderless one-row table inside the cell whose first cell is
    shaded. Word and LibreOffice both draw cell shading in any font, unlike a chart
    image (no image library here) or block characters (which Times New Roman lacks).
    Shares are parts of a whole; one above 100 % is drawn full."""
    for row, share in zip(table.rows[1:], shares, strict=True):
        if not share:
            continue
        part = min(float(share), 100) / 100
        cell = row.cells[column]
        widths = [max(width_cm * part, 0.05)]
        if part < 1:
            widths.append(width_cm - widths[0])
        bar = cell.add_table(rows=1, cols=len(widths))
        _set_widths(bar, widths)
        bar.rows[0].height, bar.rows[0].height_rule = Cm(BAR_HEIGHT_CM), WD_ROW_HEIGHT_RULE.EXACTLY
        for bar_cell, width in zip(bar.rows[0].cells, widths, strict=True):
            bar_cell.width = Cm(width)
        _shade(bar.rows[0].cells[0], fill)
        # The bar first, then the paragraph a cell must end with, made as thin as can be.
        trailing = cell.paragraphs[0]
        trailing._p.addprevious(bar._tbl)
        trailing.paragraph_format.space_before = trailing.paragraph_format.space_after = Pt(0)
        trailing.paragraph_format.line_spacing = Pt(1)


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
            w.percent(line.growth, signed=True),
        ]
        for kind in md.TABLE_KINDS:
            ref = line.reference(kind)
            cells.append(
                ""
                if ref is None
                else f"{w.number(ref.value, line.decimals)}\n{w.percent(ref.achievement)}"
            )
        rows.append(cells)
    return rows


def render_docx(summary: Summary, *, day: datetime.date | None = None) -> bytes:
    """The report as .docx bytes, dated `day` (default: the day it was computed)."""
    unit, year = summary.unit, summary.year
    territorial = unit.kind in w.TERRITORIAL
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
            ["Đơn vị giao", "Số nhiệm vụ", "Hoàn thành", "Đúng hạn", "Tỷ lệ", "Biểu đồ"],
            [
                [
                    w.committee(t.assigned_by),
                    t.assigned,
                    t.completed,
                    t.on_time,
                    w.percent(t.rate),
                    "",
                ]
                for t in summary.tasks
            ],
            widths_cm=TASK_WIDTHS,
            size=11,
        )
        _set_widths(table, TASK_WIDTHS)
        _draw_bars(table, 5, [t.rate for t in summary.tasks], TASK_WIDTHS[5] - 0.3)

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
    rows, shares = [], []
    for label, dist in (
        ("Cơ quan, đơn vị trực thuộc", summary.unit_ratings),
        ("Cán bộ, công chức, viên chức, người lao động", summary.staff_ratings),
    ):
        for level, count in dist.counts.items():
            share = count * 100 / dist.total if dist.total else None
            rows.append([label, w.LEVEL_NAMES[level], w.number(count), w.percent(share)])
            shares.append(share)
    table = doc.table(
        ["Đối tượng", "Mức xếp loại", "Số lượng", "Tỷ lệ", "Biểu đồ"],
        [[*row, ""] for row in rows],
        widths_cm=RATING_WIDTHS,
        size=11,
    )
    _set_widths(table, RATING_WIDTHS)
    _draw_bars(table, 4, shares, RATING_WIDTHS[4] - 0.3)

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
