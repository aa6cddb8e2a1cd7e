"""Nominees from a spreadsheet: the template, and the reader that turns a filled-in file
into nominees with every problem named by sheet, row and column. Reading never writes;
the page shows the preview and `services.add_nominees` then adds every row or none.

Columns are read by position (the template's headers are for people): recipient kind
(cá nhân, tập thể, hộ gia đình),
code, name (not read), award, period start, period end, achievement summary, initiative
codes separated by ";".
"""

import datetime
import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from thidua.nominations.choices import Source, SubjectKind
from thidua.nominations.services import NomineeSpec, check_nominees
from thidua.org.models import Household, Person, Unit
from thidua.records.models import Initiative
from thidua.rules.catalog import get_catalog
from thidua.vietnamese import fold, parse_date

FIRST_ROW = 2
MAX_ROWS = 5000
KIND, CODE, NAME, AWARD, START, END, SUMMARY, INITIATIVES = range(8)
PERSON_WORDS = {"ca nhan", "individual", "person"}
UNIT_WORDS = {"tap the", "collective", "unit", "don vi"}
HOUSEHOLD_WORDS = {"ho gia dinh", "household", "ho"}


KIND_WORDS = {
    SubjectKind.PERSON: PERSON_WORDS,
    SubjectKind.UNIT: UNIT_WORDS,
    SubjectKind.HOUSEHOLD: HOUSEHOLD_WORDS,
}


def headers() -> list[str]:
    return [
        _("Recipient kind"),
        _("Code"),
        _("Name"),
        _("Award"),
        _("Achievement period start"),
        _("Achievement period end"),
        _("Achievement summary"),
        _("Initiatives (codes, separated by ;)"),
    ]


def template(dossier) -> bytes:
    """An empty template with its headers and one line of guidance (constants only:
    nothing a user typed is written, so nothing can become a formula)."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Nominees")[:31]
    ws.append(headers())
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFGH", (14, 16, 30, 24, 16, 16, 50, 24), strict=True):
        ws.column_dimensions[letter].width = width
    guide = wb.create_sheet(_("Guide")[:31])
    guide.append([_("Recipient kind: “cá nhân”, “tập thể” or “hộ gia đình”.")])
    guide.append([_("Code: the person's or the unit's code in the register.")])
    guide.append([_("Award: the code or the name of a title or form of the catalog.")])
    guide.append([_("Dates: dd/mm/yyyy; empty means the round's year.")])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@dataclass
class ImportRow:
    number: int
    values: list  # kind, code, award code, start, end, summary, initiative codes (JSON-ready)
    name: str = ""
    award_name: str = ""


@dataclass
class Preview:
    sheet: str = ""
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value):
    if value in (None, ""):
        return None
    return parse_date(value)


def read(upload, dossier) -> Preview:
    """Read a filled-in template for `dossier`; see `specs` for the checks."""
    preview = Preview()
    try:
        wb = load_workbook(upload, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        preview.problems.append(_("The file cannot be read as an XLSX workbook."))
        return preview
    ws = wb.worksheets[0]
    preview.sheet = ws.title
    names = headers()

    def problem(row, column, message):
        preview.problems.append(
            _("Sheet “%(sheet)s”, row %(row)s, column “%(column)s”: %(message)s")
            % {"sheet": ws.title, "row": row, "column": names[column], "message": message}
        )

    raw_rows = []
    for number, cells in enumerate(ws.iter_rows(min_row=FIRST_ROW, values_only=True), FIRST_ROW):
        cells = list(cells) + [None] * (8 - len(cells))
        if all(_text(c) == "" for c in cells[:8]):
            continue
        if len(raw_rows) >= MAX_ROWS:
            preview.problems.append(_("More than %(max)s rows.") % {"max": MAX_ROWS})
            break
        raw_rows.append((number, cells))
    wb.close()
    if not raw_rows and not preview.problems:
        preview.problems.append(_("The sheet “%(sheet)s” has no nominee.") % {"sheet": ws.title})
    for number, cells in raw_rows:
        kind_word = fold(_text(cells[KIND]))
        kind = next((k for k, words in KIND_WORDS.items() if kind_word in words), None)
        if kind is None:
            problem(number, KIND, _("write “cá nhân”, “tập thể” or “hộ gia đình”."))
        dates = []
        for column in (START, END):
            try:
                day = _date(cells[column])
            except ValueError:
                problem(
                    number,
                    column,
                    _("“%(value)s” is not a date dd/mm/yyyy.") % {"value": _text(cells[column])},
                )
                day = None
            dates.append(day.isoformat() if isinstance(day, datetime.date) else None)
        codes = [c.strip() for c in _text(cells[INITIATIVES]).split(";") if c.strip()]
        values = [
            kind, _text(cells[CODE]), _text(cells[AWARD]), *dates, _text(cells[SUMMARY]), codes
        ]  # fmt: skip
        preview.rows.append(ImportRow(number, values))
    if not preview.problems:
        specs(preview, dossier)
    return preview


def _award_code(text: str, catalog) -> str | None:
    if text in catalog:
        return text
    folded = fold(text)
    for code, entry in catalog.items():
        if folded in (fold(entry.name_vi), fold(entry.name_en), fold(code)):
            return code
    return None


def specs(preview: Preview, dossier) -> list[NomineeSpec]:
    """The nominees of the preview's rows, looked up in the register (a fixed number of
    queries) and checked by `services.check_nominees`; every problem is added to the
    preview, naming its row and column."""
    catalog = get_catalog()
    names = headers()
    rows = preview.rows
    registers = {
        kind: model.objects.in_bulk(
            [r.values[1] for r in rows if r.values[0] == kind], field_name="code"
        )
        for kind, model in (
            (SubjectKind.PERSON, Person),
            (SubjectKind.UNIT, Unit),
            (SubjectKind.HOUSEHOLD, Household),
        )
    }
    initiatives = Initiative.objects.in_bulk(
        [c for r in rows for c in r.values[6]], field_name="code"
    )
    sheet = preview.sheet

    def problem(row, column, message):
        preview.problems.append(
            _("Sheet “%(sheet)s”, row %(row)s, column “%(column)s”: %(message)s")
            % {"sheet": sheet, "row": row.number, "column": names[column], "message": message}
        )

    built: list[tuple[ImportRow, NomineeSpec]] = []
    for row in rows:
        kind, code, award_text, start, end, summary, codes = row.values
        found = registers[kind].get(code)
        if found is None:
            problem(
                row,
                CODE,
                _("no %(kind)s has the code “%(code)s”.")
                % {"kind": str(SubjectKind(kind).label).lower(), "code": code},
            )
        award = _award_code(award_text, catalog)
        if award is None:
            problem(
                row, AWARD, _("“%(value)s” is not an award of the catalog.") % {"value": award_text}
            )
        missing = [c for c in codes if c not in initiatives]
        if missing:
            problem(
                row,
                INITIATIVES,
                _("unknown initiative codes: %(codes)s.") % {"codes": ", ".join(missing)},
            )
        if found is None or award is None or missing:
            continue
        row.name = str(found)
        row.award_name = catalog[award].name
        spec = NomineeSpec(
            award_code=award,
            person=found if kind == SubjectKind.PERSON else None,
            unit=found if kind == SubjectKind.UNIT else None,
            household=found if kind == SubjectKind.HOUSEHOLD else None,
            period_start=datetime.date.fromisoformat(start) if start else None,
            period_end=datetime.date.fromisoformat(end) if end else None,
            summary=summary,
            initiatives=[initiatives[c] for c in codes],
            source=Source.IMPORT,
        )
        built.append((row, spec))
    if preview.problems:
        return []
    columns = {"recipient": CODE, "award": AWARD, "period": START, "initiatives": INITIATIVES}
    found_problems = check_nominees(dossier, [s for _r, s in built])
    for p in found_problems:
        problem(built[p.index][0], columns.get(p.field, CODE), p.message)
    return [] if found_problems else [s for _r, s in built]
