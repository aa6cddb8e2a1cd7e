"""Any statistics form as an XLSX workbook in the statistical forms' usual layout: the
form's code, its title, the period and the reporting unit; a two-line header (a group over
several columns, or one column spanning both lines); a line of column letters and numbers
(A, B, C, 1, 2, …); then the rows. Text never becomes a formula."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from thidua.reports.statistics.common import Statistics
from thidua.spreadsheet import write_cell

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
BOLD = Font(bold=True)


def _lead_columns(stats: Statistics) -> list[tuple[str, str]]:
    """(heading, letter) of the columns before the figures."""
    if stats.number_first:
        return [(stats.number_heading, "A"), (stats.row_heading, "B")]
    lead = [(stats.row_heading, "A"), (stats.number_heading, "B")]
    if stats.has_measure:
        lead.append((_("Unit of measure"), "C"))
    return lead


def _head(sheet, stats: Statistics, lead, head: int, width: int) -> None:
    sub = head + 1
    for c, (heading, _letter) in enumerate(lead, start=1):
        write_cell(sheet, head, c, heading)
        sheet.merge_cells(start_row=head, start_column=c, end_row=sub, end_column=c)
    first = len(lead) + 1
    position = {key: n for n, (key, _label) in enumerate(stats.columns, start=first)}
    grouped = set()
    for label, from_key, to_key in stats.groups:
        a, b = position[from_key], position[to_key]
        write_cell(sheet, head, a, label)
        if b > a:
            sheet.merge_cells(start_row=head, start_column=a, end_row=head, end_column=b)
        grouped.update(range(a, b + 1))
    for key, label in stats.columns:
        c = position[key]
        if c in grouped:
            write_cell(sheet, sub, c, label)
        else:
            write_cell(sheet, head, c, label)
            sheet.merge_cells(start_row=head, start_column=c, end_row=sub, end_column=c)
    numbers = sub + 1
    for c, (_heading, letter) in enumerate(lead, start=1):
        write_cell(sheet, numbers, c, letter)
    for n, c in enumerate(range(first, width + 1), start=1):
        write_cell(sheet, numbers, c, n)
    for r in range(head, numbers + 1):
        for c in range(1, width + 1):
            cell = sheet.cell(row=r, column=c)
            cell.border, cell.alignment, cell.font = BOX, CENTRE, BOLD


def to_xlsx(stats: Statistics) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = stats.form
    lead = _lead_columns(stats)
    width = len(lead) + len(stats.columns)
    last = get_column_letter(width)

    write_cell(sheet, 1, 1, stats.code_label).font = BOLD
    write_cell(sheet, 2, 1, stats.title.upper()).font = Font(bold=True, size=13)
    sheet.merge_cells(f"A2:{last}2")
    sheet["A2"].alignment = CENTRE
    write_cell(sheet, 3, 1, _("Period: %(period)s") % {"period": stats.period})
    sheet.merge_cells(f"A3:{last}3")
    sheet["A3"].alignment = CENTRE
    write_cell(sheet, 4, 1, _("Reporting unit: %(unit)s") % {"unit": stats.unit.name})
    if stats.measure_unit:
        write_cell(sheet, 5, width, stats.measure_unit).font = Font(italic=True)

    head = 6
    _head(sheet, stats, lead, head, width)
    label_column = 2 if stats.number_first else 1
    number_column = 1 if stats.number_first else 2
    for r, row in enumerate(stats.rows, start=head + 3):
        write_cell(sheet, r, number_column, row.number)
        label = write_cell(sheet, r, label_column, row.label)
        label.alignment = Alignment(indent=2 * row.level, wrap_text=True)
        if stats.has_measure:
            write_cell(sheet, r, 3, row.measure)
        if row.counts is not None:
            for c, (key, _label) in enumerate(stats.columns, start=len(lead) + 1):
                write_cell(sheet, r, c, row.counts.get(key))
        for c in range(1, width + 1):
            cell = sheet.cell(row=r, column=c)
            cell.border = BOX
            if row.level == 0:
                cell.font = BOLD
    sheet.column_dimensions[get_column_letter(label_column)].width = 48
    sheet.column_dimensions[get_column_letter(number_column)].width = 7
    for n in range(len(lead) + 1, width + 1):
        sheet.column_dimensions[get_column_letter(n)].width = 13
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
