"""Every workbook Thidua writes keeps text as text (thidua/spreadsheet.py)."""

import io

from openpyxl import Workbook, load_workbook

from thidua.spreadsheet import safe_row, write_cell

TEXTS = ["=1+1", '=HYPERLINK("http://x","y")', "plain", "a\x07b"]


def saved(book) -> list:
    out = io.BytesIO()
    book.save(out)
    sheet = load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    return [cell for row in sheet.iter_rows() for cell in row]


def test_rows_appended_in_write_only_mode_stay_text():
    book = Workbook(write_only=True)
    sheet = book.create_sheet("x")
    sheet.append(safe_row(sheet, [*TEXTS, 3, None]))
    cells = saved(book)
    assert [c.value for c in cells] == ["=1+1", '=HYPERLINK("http://x","y")', "plain", "ab", 3]
    assert {c.data_type for c in cells[:4]} == {"s"}


def test_cells_written_one_by_one_stay_text():
    book = Workbook()
    for column, text in enumerate(TEXTS, start=1):
        write_cell(book.active, 1, column, text)
    cells = saved(book)
    assert [c.value for c in cells] == ["=1+1", '=HYPERLINK("http://x","y")', "plain", "ab"]
    assert {c.data_type for c in cells} == {"s"}
