"""Scoring sheets as .xlsx: a template pre-filled with the covenant's criteria (and the
points already saved), filled in offline, read back with every problem named by row and
column. Reading never writes: the page shows the preview, and the verb
`services.save_scores` then writes the whole file in one transaction.

Columns are read by position, so a template made in either language reads the same. A
hidden sheet names the sheet the template is for; a file made for another sheet is
refused.
"""

import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from thidua.emulation.choices import GroupKind, ScoreKind
from thidua.emulation.services import ScoreEntry, clean_points
from thidua.spreadsheet import write_cell

MARK = "thidua-emulation-sheet/1"
META = "_meta"
FIRST_ROW = 8  # the first criterion's row
COLUMNS = "ABCDEFG"  # code, group, criterion, min, max, points, evidence
POINTS, EVIDENCE, CODE = "F", "G", "A"


def _headers():
    return [
        _("Code"),
        _("Group"),
        _("Criterion"),
        _("Minimum"),
        _("Maximum"),
        _("Points"),
        _("Evidence"),
    ]


def _column_name(letter: str) -> str:
    return _headers()[COLUMNS.index(letter)]


def _number(value):
    """A Decimal as a spreadsheet number (an int when whole)."""
    return int(value) if value == value.to_integral_value() else float(value)


def sheet_template(covenant, scorer, target, kind, criteria, scores) -> bytes:
    """The .xlsx template of one sheet, with the saved points and evidence filled in."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Scoring sheet")[:31]
    bold = Font(bold=True)
    ws["A1"] = _("Emulation scoring sheet")
    ws["A1"].font = Font(bold=True, size=14)
    info = [
        (_("Block"), f"{covenant.block.name} – {covenant.block.year}"),
        (_("Scored by"), f"{scorer.name} ({scorer.code})"),
        (_("Scored unit"), f"{target.name} ({target.code})"),
        (_("Kind"), str(ScoreKind(kind).label)),
        (
            _("How to fill"),
            _(
                "Enter the points in column F (a penalty as a negative number), the evidence "
                "in column G. An empty cell leaves that criterion unchanged. Do not change "
                "the codes in column A."
            ),
        ),
    ]
    for i, (label, value) in enumerate(info, start=2):
        ws.cell(row=i, column=1, value=label).font = bold
        write_cell(ws, i, 2, value)
    header_row = FIRST_ROW - 1
    fill = PatternFill("solid", fgColor="DDE7F0")
    for i, label in enumerate(_headers(), start=1):
        cell = ws.cell(row=header_row, column=i, value=label)
        cell.font, cell.fill = bold, fill
    error_title = _("Points out of range")
    error = _("The points lie between the minimum and the maximum of the criterion.")
    for row, c in enumerate(criteria, start=FIRST_ROW):
        penalty = c.group.kind == GroupKind.PENALTY
        score = scores.get(c.pk)
        values = [
            c.code,
            f"{c.group.code}. {c.group.title}",
            c.title,
            _number(-c.max_points) if penalty else 0,
            0 if penalty else _number(c.max_points),
            _number(score.points) if score else None,
            score.evidence if score else None,
        ]
        for col, value in enumerate(values, start=1):
            write_cell(ws, row, col, value)
        ws.cell(row=row, column=3).alignment = Alignment(wrap_text=True, vertical="top")
        # Excel checks the range as it is typed; the upload checks it again.
        cell_validation = DataValidation(
            type="decimal",
            operator="between",
            formula1=str(values[3]),
            formula2=str(values[4]),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=error_title,
            error=error,
        )
        ws.add_data_validation(cell_validation)
        cell_validation.add(f"{POINTS}{row}")
    for letter, width in zip(COLUMNS, (8, 30, 60, 10, 10, 10, 50), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = f"A{FIRST_ROW}"
    meta = wb.create_sheet(META)
    for i, value in enumerate([MARK, str(covenant.pk), scorer.code, target.code, kind], start=1):
        write_cell(meta, i, 1, value)
    meta.sheet_state = "hidden"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@dataclass
class PreviewRow:
    row: int
    code: str
    title: str
    points: str
    evidence: str
    problems: list[str] = field(default_factory=list)


@dataclass
class Preview:
    """What a file would write: its rows, each with its problems; `entries` are the
    rows to save (all of them, or nothing when there is any problem)."""

    rows: list[PreviewRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    entries: list[ScoreEntry] = field(default_factory=list)
    unchanged: int = 0
    token: str = ""


def _problem(row: int, letter: str, message: str) -> str:
    return _("Row %(row)s, column %(column)s (%(letter)s): %(message)s") % {
        "row": row,
        "column": _column_name(letter),
        "letter": letter,
        "message": message,
    }


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        # A spreadsheet number as typed (7.5, not 7.4999…).
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value).strip()


def read_sheet(upload, covenant, scorer, target, kind, criteria) -> Preview:
    """Read a filled-in template of this sheet. Never writes."""
    preview = Preview()
    try:
        wb = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        preview.problems.append(_("The file cannot be read as an .xlsx workbook."))
        return preview
    try:
        if META not in wb.sheetnames:
            preview.problems.append(
                _("This is not a scoring sheet template of Thidua; download the template first.")
            )
            return preview
        meta = [row[0] for row in wb[META].iter_rows(min_row=1, max_row=5, values_only=True)]
        expected = [MARK, str(covenant.pk), scorer.code, target.code, kind]
        if [_text(v) for v in meta] != expected:
            preview.problems.append(
                _(
                    "This file is the template of another sheet (%(found)s); download the "
                    "template of this one."
                )
                % {"found": " → ".join(_text(v) for v in meta[2:4])}
            )
            return preview
        ws = wb.worksheets[0]
        by_code = {c.code: c for c in criteria}
        seen = set()
        for number, values in enumerate(
            ws.iter_rows(min_row=FIRST_ROW, max_col=len(COLUMNS), values_only=True),
            start=FIRST_ROW,
        ):
            values = list(values) + [None] * (len(COLUMNS) - len(values))
            code, points, evidence = _text(values[0]), _text(values[5]), _text(values[6])
            if not code and not points and not evidence:
                continue
            row = PreviewRow(number, code, _text(values[2]), points, evidence)
            preview.rows.append(row)
            criterion = by_code.get(code)
            if criterion is None:
                row.problems.append(
                    _problem(
                        number,
                        CODE,
                        _("Criterion %(code)s is not in this covenant.") % {"code": code or "—"},
                    )
                )
            elif code in seen:
                row.problems.append(
                    _problem(number, CODE, _("Criterion %(code)s is given twice.") % {"code": code})
                )
            else:
                seen.add(code)
                row.title = criterion.title
                try:
                    value = clean_points(criterion, criterion.group.kind, points)
                except ValidationError as exc:
                    row.problems.append(_problem(number, POINTS, " ".join(exc.messages)))
                else:
                    if value is None:
                        preview.unchanged += 1
                    else:
                        preview.entries.append(ScoreEntry(code, str(value), evidence))
            preview.problems.extend(row.problems)
        if not preview.rows:
            preview.problems.append(_("The file has no criteria rows."))
    finally:
        wb.close()
    if preview.problems:
        preview.entries = []
    return preview
