"""`dump_dataset` and the XLSX template.

A dump is deterministic: every section is sorted in Python (not by the database's collation)
by its natural key, then by all its fields, and lineage events are labelled E1, E2, … in the
order of their content. So a dump loaded into an empty database dumps back byte for byte,
on SQLite and PostgreSQL alike.
"""

import datetime
import io
import json
import os
from collections import defaultdict
from decimal import Decimal
from operator import itemgetter
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from thidua.accounts import scope
from thidua.accounts.choices import Action
from thidua.accounts.scope import in_windows
from thidua.interchange.dataset.audit import log_export
from thidua.interchange.dataset.facts import chunked
from thidua.interchange.dataset.guide import FIELD_HELP, GUIDE_INTRO, GUIDE_TITLE, SECTION_HELP
from thidua.interchange.dataset.reader import GUIDE_SHEET
from thidua.interchange.dataset.schema import FORMAT, VERSION, sections
from thidua.org.models import (
    Employment,
    Household,
    HouseholdMember,
    LineageEdge,
    LineageEvent,
    Person,
    Unit,
    UnitOfficialCode,
    UnitVersion,
)
from thidua.org.selectors import mask_citizen_id
from thidua.records.models import (
    Absence,
    Award,
    Discipline,
    Initiative,
    InitiativeAuthor,
    PendingReview,
    PersonRating,
    UnitRating,
)
from thidua.rules.catalog import get_catalog
from thidua.spreadsheet import safe_cell, safe_row

LISTS_SHEET = "_lists"
DATE_FORMAT = "DD/MM/YYYY"

# Sort order of each section: these fields first, then the remaining ones in field order.
# Where the leading fields are unique (a code; subject and year; unit and start) they alone
# decide, which keeps the sort keys small for a million rows.
SORT_KEYS = {
    "units": ("code",),
    "unit_versions": ("unit", "valid_from"),
    "official_codes": ("unit", "valid_from"),
    "people": ("code",),
    "employments": ("person", "start"),
    "households": ("code",),
    "person_ratings": ("person", "year"),
    "unit_ratings": ("unit", "year"),
    "disciplines": ("person", "effective_from"),
    "pending_reviews": ("person", "unit", "started_on"),
    "initiatives": ("code",),
    "awards": ("person", "unit", "period_start", "award_code"),
    "absences": ("person", "start"),
}
UNIQUE_SORT_KEYS = frozenset(
    [
        "units",
        "unit_versions",
        "official_codes",
        "people",
        "households",
        "person_ratings",
        "unit_ratings",
        "initiatives",
    ]
)

# What an empty (None) value sorts as, by field kind: below every real value. An empty text
# and "" sort alike, and are written alike (omitted).
_FLOOR = {
    "string": "",
    "enum": "",
    "date": datetime.date.min,
    "integer": -1,
    "number": Decimal(-1),
    "boolean": False,
    "list": (),
}


def dump_dataset(
    destination, *, fmt: str | None = None, unit_ids=None, unmasked=None
) -> dict[str, int]:
    """Write the database (or, with `unit_ids`, the part a user's scope covers) as a dataset.

    `destination` is a path or a binary file object; `fmt` is "json" or "xlsx" (by default
    from the path's suffix, else JSON). With `unit_ids` (from `accounts.scope.unit_ids_for`)
    the dump holds those units, the people ever employed in them and all of those people's
    records, and those units' own records; the units such rows refer to outside the scope
    (an ancestor, a deciding authority, a former employer, a lineage partner) come with their
    name history only, so that the dump loads on its own into an empty database. Initiatives
    list only the authors inside the dump. With `unmasked` (a set of person ids), the
    citizen ids of the other people are masked as pages mask them. Returns rows written per
    section.
    """
    fmt = fmt or _format_of(destination)
    data = collect(unit_ids, unmasked)
    if isinstance(destination, str | os.PathLike):
        with open(destination, "wb") as out:
            _write(out, data, fmt)
    else:
        _write(destination, data, fmt)
    return {name: len(rows) for name, rows in data.items()}


def dump_for(user, destination, *, fmt: str, name: str) -> dict[str, int]:
    """Dump what `user` may see (their scope; everything for a superuser) and record the
    export in the audit log. A user without any role gets PermissionDenied. Citizen ids are
    in full only for the people the user may change, masked otherwise (as on pages and in
    the API)."""
    unit_ids = scope.unit_ids_for(user)
    if unit_ids is not None and not unit_ids:
        raise PermissionDenied
    unmasked = None
    if scope.unit_ids_for(user, Action.CHANGE) is not None:
        unmasked = set(scope.people(user, Action.CHANGE).values_list("pk", flat=True))
    counts = dump_dataset(destination, fmt=fmt, unit_ids=unit_ids, unmasked=unmasked)
    log_export(actor=user, name=name, fmt=fmt, counts=counts, scoped=unit_ids is not None)
    return counts


def build_template_xlsx() -> bytes:
    """The empty XLSX template: a guide sheet (each field explained in Vietnamese and English),
    one sheet per section with the field names as header (each with its explanation as a
    comment) and drop-down lists for the columns that take a fixed set of values."""
    out = io.BytesIO()
    write_xlsx(out, {name: [] for name in sections()})
    return out.getvalue()


def _format_of(destination) -> str:
    name = str(destination) if isinstance(destination, str | os.PathLike) else ""
    name = name or str(getattr(destination, "name", "") or "")
    return "xlsx" if Path(name).suffix.lower() == ".xlsx" else "json"


def _write(out, data, fmt) -> None:
    if fmt == "json":
        write_json(out, data)
    elif fmt == "xlsx":
        write_xlsx(out, data)
    else:
        raise ValueError(f"unknown format {fmt!r}")


# -- collecting rows ---------------------------------------------------------------------------


def _select(model, field, ids, columns):
    """values_list rows of `model`, all of them (ids None) or those with `field` in `ids`,
    with one query per CHUNK ids."""
    if ids is None:
        yield from model.objects.order_by().values_list(*columns).iterator(chunk_size=10_000)
        return
    for chunk in chunked(ids):
        yield from model.objects.filter(**{f"{field}__in": chunk}).order_by().values_list(*columns)


def _either(model, people, units, columns, households=()):
    """Rows attached to a person in `people`, a unit in `units` or a household in
    `households` (each once)."""
    if people is None:
        return list(_select(model, None, None, columns))
    seen, rows = set(), []
    for field, ids in (("person_id", people), ("unit_id", units), ("household_id", households)):
        for row in _select(model, field, ids, ("pk", *columns)):
            if row[0] not in seen:
                seen.add(row[0])
                rows.append(row[1:])
    return rows


def collect(unit_ids=None, unmasked=None) -> dict[str, list[tuple]]:
    """Rows of every section as tuples in schema field order, sorted. With `unmasked`, the
    citizen id of a person not in it is masked (`org.selectors.mask_citizen_id`)."""
    scoped = unit_ids is not None
    unit_code = dict(Unit.objects.order_by().values_list("pk", "code"))
    units = set(unit_ids) & unit_code.keys() if scoped else None
    people = (
        {pk for (pk,) in _select(Employment, "unit_id", units, ("person_id",))} if scoped else None
    )
    households, members = _households(units)
    if scoped:  # the members of the scope's households come along, employed there or not
        people |= {pk for pks in members.values() for pk, _head in pks}
    person_code = {}
    data: dict[str, list] = {}

    data["people"] = []
    for pk, *values in _select(
        Person,
        "pk",
        people,
        (
            "pk",
            "code",
            "family_name",
            "middle_name",
            "given_name",
            "birth_date",
            "gender",
            "citizen_id",
        ),
    ):
        person_code[pk] = values[0]
        if unmasked is not None and pk not in unmasked and values[-1]:
            values[-1] = mask_citizen_id(values[-1])
        data["people"].append(tuple(values))

    referenced = set()  # units outside the scope that rows refer to

    def unit(pk):
        if pk is None:
            return None
        referenced.add(pk)
        return unit_code[pk]

    def person(pk):
        return None if pk is None else person_code[pk]

    employments = list(
        _select(
            Employment, "person_id", people, ("person_id", "unit_id", "position", "start", "end")
        )
    )
    # Privacy of history: a person who left the scope comes with what is dated while they
    # were in it (with all of it for everyone when not scoped).
    seen = _history_windows(employments, units, members) if scoped else {}

    def shown(p, day):
        return in_windows(day, seen.get(p))

    data["employments"] = [
        (person(p), unit(u), position, start, end)
        for p, u, position, start, end in employments
        if shown(p, start)
    ]
    data["households"] = [
        (
            code,
            name,
            address,
            unit(commune),
            next((person(p) for p, head in members[pk] if head), None),
            tuple(sorted(person(p) for p, _head in members[pk])),
        )
        for pk, code, name, address, commune in households
    ]
    rating_columns = ("year", "level", "score", "regime")
    data["person_ratings"] = [
        (person(p), *rest)
        for p, *rest in _select(PersonRating, "person_id", people, ("person_id", *rating_columns))
        if shown(p, datetime.date(rest[0], 12, 31))  # a rating counts at the end of its year
    ]
    data["unit_ratings"] = [
        (unit(u), *rest)
        for u, *rest in _select(UnitRating, "unit_id", units, ("unit_id", *rating_columns))
    ]
    data["disciplines"] = [
        (person(p), *rest)
        for p, *rest in _select(
            Discipline,
            "person_id",
            people,
            (
                "person_id",
                "measure",
                "duty_related",
                "decision_number",
                "decision_date",
                "effective_from",
                "effective_to",
                "reason",
            ),
        )
        if shown(p, rest[4])  # effective_from
    ]
    data["absences"] = [
        (person(p), *rest)
        for p, *rest in _select(Absence, "person_id", people, ("person_id", "kind", "start", "end"))
        if shown(p, rest[1])  # start
    ]
    data["pending_reviews"] = [
        (person(p), unit(u), kind, started, *rest)
        for p, u, kind, started, *rest in _either(
            PendingReview,
            people,
            units,
            ("person_id", "unit_id", "kind", "started_on", "ended_on", "note"),
        )
        if p is None or u in (units or ()) or shown(p, started)
    ]
    household_code = {pk: code for pk, code, *_rest in households}
    data["awards"] = [
        (
            person(p),
            unit(u),
            code,
            ctype,
            start,
            end,
            number,
            date,
            unit(a),
            *rest,
            household_code.get(h),
        )
        for p, u, code, ctype, start, end, number, date, a, *rest, h in _either(
            Award,
            people,
            units,
            (
                "person_id",
                "unit_id",
                "award_code",
                "commendation_type",
                "period_start",
                "period_end",
                "decision_number",
                "decision_date",
                "authority_id",
                "signer",
                "status",
                "annulled_reason",
                "amount",
                "household_id",
            ),
            households=list(household_code),
        )
        if p is None or u in (units or ()) or shown(p, end)  # an award counts at period_end
    ]
    data["initiatives"] = _initiatives(people, person_code, shown)
    data["lineage"] = _lineage(units, unit)

    included = set(unit_code) if not scoped else _with_ancestors(units | referenced)
    versions = list(
        _select(
            UnitVersion,
            "unit_id",
            None if not scoped else included,
            ("unit_id", "name", "parent_id", "valid_from", "valid_to"),
        )
    )
    data["unit_versions"] = [
        (unit_code[u], name, unit_code.get(parent), start, end)
        for u, name, parent, start, end in versions
    ]
    data["official_codes"] = [
        (unit_code[u], code, start, end)
        for u, code, start, end in _select(
            UnitOfficialCode,
            "unit_id",
            None if not scoped else included,
            ("unit_id", "code", "valid_from", "valid_to"),
        )
    ]
    data["units"] = list(
        _select(
            Unit,
            "pk",
            None if not scoped else included,
            ("code", "kind", "name", "established_on", "dissolved_on"),
        )
    )
    specs = sections()
    for name, rows in data.items():
        if name != "lineage":  # already in event order
            rows.sort(key=_sort_key(specs[name]))
    return {name: data[name] for name in specs}


def _with_ancestors(unit_ids: set[int]) -> set[int]:
    """The units and every parent any of their versions names, up to the roots."""
    included, frontier = set(unit_ids), set(unit_ids)
    while frontier:
        parents = {
            parent
            for (parent,) in _select(UnitVersion, "unit_id", frontier, ("parent_id",))
            if parent is not None
        }
        frontier = parents - included
        included |= frontier
    return included


def _households(units):
    """The households of the communes in `units` (all with None) as (pk, code, name, address,
    commune id) rows, and household pk → [(person pk, is head)]."""
    households = list(
        _select(Household, "commune_id", units, ("pk", "code", "name", "address", "commune_id"))
    )
    members = defaultdict(list)
    for household, person, head in _select(
        HouseholdMember,
        "household_id",
        None if units is None else [h[0] for h in households],
        ("household_id", "person_id", "is_head"),
    ):
        members[household].append((person, head))
    return households, members


def _history_windows(employments, units, members) -> dict:
    """Person pk → the periods of their record a dump of `units` carries (None: all of it),
    by the rule of `accounts.scope.history_windows`, set-based over the employment rows
    (person, unit, position, start, end) already read. The members of the scope's
    households belong to it today."""
    today = datetime.date.today()
    spans = defaultdict(list)
    for p, u, _position, start, end in employments:
        spans[p].append((u, start, end))
    windows = {pk: None for pks in members.values() for pk, _head in pks}
    for p, rows in spans.items():
        if p in windows:
            continue
        if any(
            u in units and start <= today and (end is None or end > today) for u, start, end in rows
        ):
            windows[p] = None
        else:
            windows[p] = sorted((start, end) for u, start, end in rows if u in units)
    return windows


def _initiatives(people, person_code, shown) -> list[tuple]:
    """Initiatives with their authors in the dump, each author only where the privacy of
    history shows their record on the day it was recognised."""
    authors = defaultdict(list)
    for initiative_id, person_id, recognised_on in _select(
        InitiativeAuthor,
        "person_id",
        people,
        ("initiative_id", "person_id", "initiative__recognised_on"),
    ):
        if shown(person_id, recognised_on):
            authors[initiative_id].append(person_code[person_id])
    rows = []
    for pk, *values in _select(
        Initiative,
        "pk",
        None if people is None else authors,
        (
            "pk",
            "code",
            "kind",
            "title",
            "scope",
            "decision_number",
            "recognised_on",
            "applied",
            "replicable",
        ),
    ):
        rows.append((*values, tuple(sorted(authors[pk]))))
    return rows


def _lineage(units, unit) -> list[tuple]:
    """Edges of every event touching a unit in scope, grouped by event, events in content
    order and labelled E1, E2, …"""
    if units is None:
        event_ids = None
    else:
        event_ids = {e for (e,) in _select(LineageEdge, "predecessor_id", units, ("event_id",))} | {
            e for (e,) in _select(LineageEdge, "successor_id", units, ("event_id",))
        }
    edges = defaultdict(list)
    for event_id, pred, succ in _select(
        LineageEdge, "event_id", event_ids, ("event_id", "predecessor_id", "successor_id")
    ):
        edges[event_id].append((unit(pred), unit(succ)))
    events = []
    for pk, kind, date, decision, note in _select(
        LineageEvent, "pk", event_ids, ("pk", "kind", "date", "decision", "note")
    ):
        pairs = tuple(sorted(edges[pk], key=lambda e: (e[0], e[1] or "")))
        events.append((date, kind, decision, note, tuple((p, s or "") for p, s in pairs), pairs))
    events.sort(key=lambda e: e[:5])
    rows = []
    for number, (date, kind, decision, note, _key, pairs) in enumerate(events, start=1):
        for pred, succ in pairs:
            rows.append((f"E{number}", kind, date, decision, note, pred, succ))
    return rows


def _sort_key(spec):
    """A key function for the rows of a section (see SORT_KEYS)."""
    lead = [spec.field_names.index(name) for name in SORT_KEYS[spec.name]]
    if spec.name in UNIQUE_SORT_KEYS:  # never None, and unique: the fields themselves
        return itemgetter(*lead) if len(lead) > 1 else itemgetter(lead[0])
    order = lead + [i for i in range(len(spec.fields)) if i not in lead]
    floors = [_FLOOR[spec.fields[i].kind] for i in order]
    pairs = list(zip(order, floors, strict=True))

    def key(row):
        return tuple(f if row[i] is None else row[i] for i, f in pairs)

    return key


# -- JSON --------------------------------------------------------------------------------------


def _json_value(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def _row_dicts(spec, rows):
    names = spec.field_names
    required = spec.required
    for row in rows:
        yield {
            name: _json_value(value)
            for name, value in zip(names, row, strict=True)
            if name in required or (value is not None and value != "")
        }


def write_json(out, data) -> None:
    """One row per line, sections in load order; UTF-8, not ASCII-escaped."""
    specs = sections()

    def w(text):
        out.write(text.encode("utf-8"))

    w(f'{{\n  "format": "{FORMAT}",\n  "version": {VERSION}')
    for name, rows in data.items():
        w(f',\n  "{name}": [')
        first = True
        for row in _row_dicts(specs[name], rows):
            w("\n    " if first else ",\n    ")
            w(json.dumps(row, ensure_ascii=False))
            first = False
        w("]" if first else "\n  ]")
    w("\n}\n")


# -- XLSX --------------------------------------------------------------------------------------


def _enum_lists() -> dict[tuple[str, str], list[str]]:
    """(section, field) → allowed values, for the drop-down lists."""
    lists = {}
    for spec in sections().values():
        for field in spec.fields:
            if field.kind == "enum":
                lists[spec.name, field.name] = list(field.choices)
            elif field.kind == "boolean":
                lists[spec.name, field.name] = ["true", "false"]
    lists["awards", "award_code"] = sorted(get_catalog())
    return lists


def _in_language(language: str, text) -> str:
    with translation.override(language):
        return str(text) % {"version": VERSION} if "%(version)s" in str(text) else str(text)


def _help_in(language: str, section: str, field: str = "") -> str:
    return _in_language(language, FIELD_HELP[section][field] if field else SECTION_HELP[section])


def write_xlsx(out, data, notes=None) -> None:
    """A workbook: the guide sheet, one sheet per section, a hidden sheet of value lists.

    `notes` ({section: [header, …]}) adds columns after the section's fields, for people to
    read (a name beside a code); their headers start with `reader.NOTE_PREFIX`, so a load
    ignores them. A section's rows then carry those values after its fields'."""
    notes = notes or {}
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    _guide_sheet(workbook, bold)
    lists = _enum_lists()
    list_columns = {key: get_column_letter(i) for i, key in enumerate(lists, start=1)}
    specs = sections()
    for name, rows in data.items():
        spec = specs[name]
        sheet = workbook.create_sheet(name)
        sheet.freeze_panes = "A2"
        header = []
        for index, field in enumerate(spec.fields, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = max(12, len(field.name) + 4)
            cell = WriteOnlyCell(sheet, value=field.name)
            cell.font = bold
            required = _("required") if field.name in spec.required else _("optional")
            cell.comment = Comment(
                f"{FIELD_HELP[name][field.name]} ({required})", "Thidua", width=300, height=120
            )
            header.append(cell)
            if (name, field.name) in lists:
                column = list_columns[name, field.name]
                size = len(lists[name, field.name])
                # Enum columns refuse other values; boolean ones only offer true/false, as
                # Excel turns a typed TRUE into a boolean that a text list would refuse.
                strict = field.kind == "enum" or field.name == "award_code"
                validation = DataValidation(
                    type="list",
                    formula1=f"'{LISTS_SHEET}'!${column}$2:${column}${size + 1}",
                    allow_blank=True,
                    showErrorMessage=strict,
                    errorTitle="Thidua" if strict else None,
                    error=str(_("Choose a value from the list.")) if strict else None,
                )
                validation.add(f"{letter}2:{letter}1048576")
                sheet.data_validations.append(validation)
        for index, note in enumerate(notes.get(name, ()), start=len(spec.fields) + 1):
            sheet.column_dimensions[get_column_letter(index)].width = 30
            cell = WriteOnlyCell(sheet, value=note)
            cell.font = bold
            cell.comment = Comment(str(_("For reading only; not loaded.")), "Thidua")
            header.append(cell)
        sheet.append(header)
        for row in rows:
            sheet.append([_xlsx_cell(sheet, value) for value in row])
    values_sheet = workbook.create_sheet(LISTS_SHEET)
    values_sheet.sheet_state = "hidden"
    columns = list(lists.values())
    values_sheet.append([f"{s}.{f}" for s, f in lists])
    for i in range(max(len(c) for c in columns)):
        values_sheet.append(safe_row(values_sheet, [c[i] if i < len(c) else None for c in columns]))
    workbook.save(out)


def _guide_sheet(workbook, bold) -> None:
    sheet = workbook.create_sheet(GUIDE_SHEET)
    for letter, width in zip("ABCDE", (18, 20, 12, 60, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    wrap = Alignment(wrap_text=True, vertical="top")

    def text(value, font=None):
        cell = WriteOnlyCell(sheet, value=value)
        cell.alignment = wrap
        if font:
            cell.font = font
        return cell

    title_vi, intro_vi = _in_language("vi", GUIDE_TITLE), _in_language("vi", GUIDE_INTRO)
    title_en, intro_en = _in_language("en", GUIDE_TITLE), _in_language("en", GUIDE_INTRO)
    sheet.append([text(title_vi, bold), None, None, text(intro_vi), text(intro_en)])
    sheet.append([text(title_en, bold)])
    sheet.append([])
    sheet.append(
        [
            text(label, bold)
            for label in ("Sheet / Trang", "Field / Cột", "Required / Bắt buộc", "Tiếng Việt")
        ]
        + [text("English", bold)]
    )
    for name, spec in sections().items():
        sheet.append(
            [text(name, bold), None, None, text(_help_in("vi", name)), text(_help_in("en", name))]
        )
        for field in spec.fields:
            sheet.append(
                [
                    None,
                    text(field.name),
                    text("✓" if field.name in spec.required else ""),
                    text(_help_in("vi", name, field.name)),
                    text(_help_in("en", name, field.name)),
                ]
            )


def _xlsx_cell(sheet, value):
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, tuple):
        value = "; ".join(value)
    # Data, never a formula (a note typed "=HYPERLINK(…)" must not run in Excel).
    return safe_cell(sheet, value)
