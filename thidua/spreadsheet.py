"""Writing text into XLSX safely, for every workbook Thidua writes.

Text typed by users (names, evidence, notes) must stay text: a value starting with `=` would
otherwise be stored as a formula and run when the file is opened in Excel (formula
injection). These helpers keep such values as plain strings, unchanged, and drop the
control characters XLSX cannot hold. A bottom-layer module: it imports no Thidua app.
"""

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE


def clean_text(value: str) -> str:
    """`value` without the control characters an XLSX file cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _is_formula(value) -> bool:
    return isinstance(value, str) and value.startswith("=")


def safe_cell(sheet, value):
    """What to give `sheet.append([...])` for `value`: text never becomes a formula."""
    if not isinstance(value, str):
        return value
    value = clean_text(value)
    if _is_formula(value):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def safe_row(sheet, values) -> list:
    """`values` ready for `sheet.append()`, each through `safe_cell`."""
    return [safe_cell(sheet, value) for value in values]


def write_cell(sheet, row: int, column: int, value):
    """`sheet.cell(row, column, value)` where text never becomes a formula."""
    cell = sheet.cell(row=row, column=column)
    cell.value = clean_text(value) if isinstance(value, str) else value
    if _is_formula(cell.value):
        cell.data_type = "s"
    return cell
