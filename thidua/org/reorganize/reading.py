"""Reading a mapping file (CSV or XLSX) into rows, keeping the line numbers the user
sees; every problem names its line and column."""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from thidua.org.choices import LineageKind, UnitKind
from thidua.org.models import Unit, UnitVersion
from thidua.vietnamese import format_date, parse_date

REQUIRED_COLUMNS = ("old_code", "new_code", "date", "kind")
OPTIONAL_COLUMNS = ("new_name", "new_parent", "decision", "new_kind")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
KINDS = (
    LineageKind.MERGE,
    LineageKind.SPLIT,
    LineageKind.RENAME,
    LineageKind.REPARENT,
    LineageKind.DISSOLVE,
)
# Ids per `IN (...)` query: well under SQLite's limit on query parameters.
CHUNK = 500

_CODE_LENGTH = Unit._meta.get_field("code").max_length
_NAME_LENGTH = UnitVersion._meta.get_field("name").max_length


@dataclass(frozen=True)
class Problem:
    """A problem (or a warning) in the file: its line (None: the file as a whole), the
    column concerned (None: the row as a whole) and what is wrong."""

    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        if self.column is None:
            return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}
        return _("line %(line)s, column %(column)s: %(message)s") % {
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


class ReorganizeError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems


@dataclass
class Row:
    """One row of the mapping, its text trimmed and its date parsed."""

    line: int
    old_code: str = ""
    new_code: str = ""
    date: datetime.date | None = None
    kind: str = ""
    new_name: str = ""
    new_parent: str = ""
    decision: str = ""
    new_kind: str = ""


# ---------------------------------------------------------------------------- reading


def read_mapping(path) -> tuple[list[Row], list[Problem]]:
    """The rows of a .csv or .xlsx mapping file, and the problems found in single rows.

    Line numbers are those of the file (the header is usually line 1); blank lines are
    skipped. A CSV is UTF-8 (a BOM is accepted), separated by commas or semicolons.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            table = _csv_table(path)
        elif suffix == ".xlsx":
            table = _xlsx_table(path)
        else:
            return [], [
                Problem(
                    None, None, _("%(file)s: expected a .csv or .xlsx file.") % {"file": path.name}
                )
            ]
    except (
        OSError,
        UnicodeDecodeError,
        csv.Error,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
    ) as exc:
        message = _("Cannot read %(file)s: %(error)s") % {"file": path.name, "error": exc}
        return [], [Problem(None, None, message)]
    return parse_table(table)


def _csv_table(path: Path) -> list[tuple[int, list]]:
    text = path.read_text(encoding="utf-8-sig")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    table, line = [], 1
    for values in reader:
        table.append((line, values))
        line = reader.line_num + 1  # a quoted cell may span several lines
    return table


def _xlsx_table(path: Path) -> list[tuple[int, list]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except InvalidFileException as exc:
        raise ValueError(str(exc)) from exc
    try:
        sheet = workbook.worksheets[0]
        return [
            (line, list(values))
            for line, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed as a number in a spreadsheet
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return format_date(value)
    return str(value).strip()


def parse_table(table) -> tuple[list[Row], list[Problem]]:
    """Rows from (line number, cell values) pairs whose first non-blank one is the header."""
    problems: list[Problem] = []
    rows: list[Row] = []
    header: list[str] | None = None
    for line, values in table:
        cells = [_text(v) for v in values]
        if not any(cells):
            continue
        if header is None:
            header = [c.lower().replace(" ", "_") for c in cells]
            problems += _check_header(line, header)
            if problems:
                return [], problems
            continue
        extra = [c for c in cells[len(header) :] if c]
        if extra:
            problems.append(
                Problem(line, None, _("The row has more cells than the header has columns."))
            )
        record = dict(zip(header, values, strict=False))
        row = _parse_row(line, record, problems)
        if row is not None:
            rows.append(row)
    if header is None:
        problems.append(Problem(None, None, _("The file is empty: no header row.")))
    elif not rows and not problems:
        problems.append(Problem(None, None, _("The file has a header but no rows.")))
    return rows, problems


def _check_header(line: int, header: list[str]) -> list[Problem]:
    problems = []
    for column in REQUIRED_COLUMNS:
        if column not in header:
            problems.append(Problem(line, column, _("This column is missing.")))
    seen = set()
    for column in header:
        if not column:
            problems.append(Problem(line, None, _("A column has no name.")))
        elif column not in COLUMNS:
            problems.append(
                Problem(
                    line,
                    column,
                    _("Unknown column; the columns are %(columns)s.")
                    % {"columns": ", ".join(COLUMNS)},
                )
            )
        elif column in seen:
            problems.append(Problem(line, column, _("This column appears twice.")))
        seen.add(column)
    return problems


# Which columns each kind needs (True), forbids (False) or may have (absent).
_COLUMN_RULES = {
    LineageKind.MERGE: {"new_code": True},
    LineageKind.SPLIT: {"new_code": True},
    LineageKind.RENAME: {"new_name": True, "new_parent": False, "new_kind": False},
    LineageKind.REPARENT: {"new_parent": True, "new_name": False, "new_kind": False},
    LineageKind.DISSOLVE: {
        "new_code": False,
        "new_name": False,
        "new_parent": False,
        "new_kind": False,
    },
}


def _parse_row(line: int, record: dict, problems: list[Problem]) -> Row | None:
    """A `Row`, or None when the row has a problem of its own (added to `problems`)."""
    before = len(problems)

    def bad(column, message):
        problems.append(Problem(line, column, message))

    row = Row(line=line, **{c: _text(record.get(c)) for c in COLUMNS if c != "date"})
    row.kind = row.kind.lower()
    if not row.kind:
        bad("kind", _("A kind is required: %(kinds)s.") % {"kinds": ", ".join(KINDS)})
    elif row.kind not in KINDS:
        bad(
            "kind",
            _("“%(value)s” is not a kind; use one of %(kinds)s.")
            % {"value": row.kind, "kinds": ", ".join(KINDS)},
        )
    raw_date = record.get("date")
    if raw_date is None or _text(raw_date) == "":
        bad("date", _("A date is required (dd/mm/yyyy)."))
    else:
        try:
            row.date = parse_date(raw_date)
        except ValueError:
            bad(
                "date",
                _("“%(value)s” is not a date; write dd/mm/yyyy.") % {"value": _text(raw_date)},
            )
    if not row.old_code:
        bad("old_code", _("The unit code is required."))
    for column, required in _COLUMN_RULES.get(row.kind, {}).items():
        value = getattr(row, column)
        if required and not value:
            bad(column, _("Required for a %(kind)s.") % {"kind": row.kind})
        elif not required and value:
            bad(column, _("Must be empty for a %(kind)s.") % {"kind": row.kind})
    if row.kind in (LineageKind.RENAME, LineageKind.REPARENT):
        if row.new_code and row.new_code != row.old_code:
            bad(
                "new_code",
                _("A %(kind)s keeps the code: leave new_code empty or repeat old_code.")
                % {"kind": row.kind},
            )
        row.new_code = row.old_code
    if row.new_kind and row.new_kind not in UnitKind.values:
        bad(
            "new_kind",
            _("“%(value)s” is not a unit kind; use one of %(kinds)s.")
            % {"value": row.new_kind, "kinds": ", ".join(UnitKind.values)},
        )
    if len(row.new_code) > _CODE_LENGTH:
        bad("new_code", _("A code has at most %(limit)s characters.") % {"limit": _CODE_LENGTH})
    if len(row.new_name) > _NAME_LENGTH:
        bad("new_name", _("A name has at most %(limit)s characters.") % {"limit": _NAME_LENGTH})
    return row if len(problems) == before else None
