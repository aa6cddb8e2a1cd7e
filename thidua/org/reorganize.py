"""Bulk reorganisation of the unit tree from a mapping file (`thidua reorganize FILE`).

The format is documented in `docs/reorganize-format.md`: one row per old → new code,
kinds `merge`, `split`, `rename`, `reparent` and `dissolve`; merge rows with the same
(new_code, date) form one merge, split rows with the same (old_code, date) one split.

It works in three steps, so that a file is either applied whole or not at all:

1. **read** the CSV or XLSX rows, keeping the line numbers the user sees;
2. **plan**: load every unit the file names (with their versions, ancestors and the
   children of the units that end) in a fixed number of queries, then replay the file
   day by day in memory, collecting *every* problem with its line and column, and the
   warnings (a dissolved unit that still has children or staff);
3. **apply** the planned steps in one transaction through `thidua.org.services`, whose
   verbs check the same rules again and write the audit entries.
"""

import csv
import datetime
import io
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from thidua.accounts.choices import Action
from thidua.accounts.scope import unit_ids_for
from thidua.org import services
from thidua.org.choices import LineageKind, UnitKind
from thidua.org.models import Employment, Unit, UnitVersion
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


# ---------------------------------------------------------------------------- events


@dataclass
class _Declared:
    """A successor as the file declares it; name, parent and kind are only needed when
    the code is new."""

    code: str
    line: int
    name: str = ""
    parent: str = ""
    kind: str = ""
    name_line: int = 0
    parent_line: int = 0


@dataclass
class _Event:
    kind: str
    day: datetime.date
    line: int
    decision: str = ""
    # merge: predecessors (code, line) into successors[0]; split: `unit` into successors;
    # rename/reparent: `unit` with `name` / `parent`; dissolve: `unit`.
    unit: str = ""
    predecessors: list[tuple[str, int]] = field(default_factory=list)
    successors: list[_Declared] = field(default_factory=list)
    name: str = ""
    name_line: int = 0
    parent: str = ""
    parent_line: int = 0
    invalid: bool = False  # a successor cannot be used: the event is not planned


def _agree(problems, line, column, first_line, current: str, value: str) -> str:
    """Rows of one event must agree on a value: an empty cell agrees with anything."""
    if value and current and value != current:
        problems.append(
            Problem(
                line,
                column,
                _(
                    "“%(value)s” conflicts with “%(other)s” on line %(other_line)s "
                    "of the same event."
                )
                % {"value": value, "other": current, "other_line": first_line},
            )
        )
        return current
    return current or value


def group_events(rows: list[Row]) -> tuple[dict[datetime.date, list[_Event]], list[Problem]]:
    """Rows into events, by day: merge rows by (new_code, date), split rows by (old_code,
    date), rename and re-parent rows of one unit and day into one change."""
    problems: list[Problem] = []
    merges: dict[tuple, _Event] = {}
    splits: dict[tuple, _Event] = {}
    changes: dict[tuple, _Event] = {}
    dissolves: dict[tuple, _Event] = {}
    for row in rows:
        if row.kind == LineageKind.MERGE:
            event = merges.setdefault(
                (row.new_code, row.date),
                _Event(
                    row.kind, row.date, row.line, successors=[_Declared(row.new_code, row.line)]
                ),
            )
            seen = dict(event.predecessors)
            if row.old_code in seen:
                problems.append(_repeat(row, "old_code", seen[row.old_code]))
                continue
            event.predecessors.append((row.old_code, row.line))
            _declare(problems, event.successors[0], row)
        elif row.kind == LineageKind.SPLIT:
            event = splits.setdefault(
                (row.old_code, row.date), _Event(row.kind, row.date, row.line, unit=row.old_code)
            )
            seen = {d.code: d.line for d in event.successors}
            if row.new_code in seen:
                problems.append(_repeat(row, "new_code", seen[row.new_code]))
                continue
            declared = _Declared(row.new_code, row.line)
            _declare(problems, declared, row)
            event.successors.append(declared)
        elif row.kind in (LineageKind.RENAME, LineageKind.REPARENT):
            event = changes.setdefault(
                (row.old_code, row.date), _Event("change", row.date, row.line, unit=row.old_code)
            )
            if row.kind == LineageKind.RENAME:
                if event.name_line:
                    problems.append(_repeat(row, "new_name", event.name_line))
                    continue
                event.name, event.name_line = row.new_name, row.line
            else:
                if event.parent_line:
                    problems.append(_repeat(row, "new_parent", event.parent_line))
                    continue
                event.parent, event.parent_line = row.new_parent, row.line
        else:
            key = (row.old_code, row.date)
            if key in dissolves:
                problems.append(_repeat(row, "old_code", dissolves[key].line))
                continue
            event = dissolves[key] = _Event(row.kind, row.date, row.line, unit=row.old_code)
        event.decision = _agree(
            problems, row.line, "decision", event.line, event.decision, row.decision
        )
    by_day: dict[datetime.date, list[_Event]] = defaultdict(list)
    for group in (merges, splits, changes, dissolves):
        for event in group.values():
            by_day[event.day].append(event)
    return by_day, problems


def _repeat(row: Row, column: str, other_line: int) -> Problem:
    return Problem(
        row.line,
        column,
        _("Repeats line %(other)s (the same unit in the same event).") % {"other": other_line},
    )


def _declare(problems, declared: _Declared, row: Row) -> None:
    for attr, column in (("name", "new_name"), ("parent", "new_parent"), ("kind", "new_kind")):
        value = getattr(row, column)
        current = getattr(declared, attr)
        agreed = _agree(problems, row.line, column, declared.line, current, value)
        setattr(declared, attr, agreed)
        if value and not current and attr in ("name", "parent"):
            setattr(declared, f"{attr}_line", row.line)


# ---------------------------------------------------------------------------- the world


@dataclass
class _Version:
    name: str
    parent: str | None
    valid_from: datetime.date
    valid_to: datetime.date | None = None

    def covers(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to > day)


@dataclass
class _Unit:
    code: str
    kind: str
    in_scope: bool
    versions: list[_Version] = field(default_factory=list)
    pk: int | None = None

    def on(self, day) -> _Version | None:
        return next((v for v in self.versions if v.covers(day)), None)

    def span(self) -> str:
        """When the unit exists, for messages."""
        if not self.versions:
            return _("it has no version")
        start = format_date(self.versions[0].valid_from)
        end = self.versions[-1].valid_to
        if end is None:
            return _("it exists from %(start)s") % {"start": start}
        return _("it existed from %(start)s and ended on %(end)s") % {
            "start": start,
            "end": format_date(end),
        }

    def label(self, day=None) -> str:
        version = (self.on(day) if day else None) or (self.versions[-1] if self.versions else None)
        return f"{self.code} ({version.name})" if version else self.code


def _chunks(values):
    values = list(values)
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def load_world(codes, ending_codes, scope_ids) -> dict[str, _Unit]:
    """The units named in the file, the children of those that may end, and all their
    ancestors, with every version: a fixed number of queries per tree level (and per
    `CHUNK` codes), never one per row."""
    units: dict[int, tuple[str, str]] = {}  # pk → (code, kind)

    def fetch_units(**lookup) -> set[int]:
        ((name, values),) = lookup.items()
        found = set()
        for chunk in _chunks(values):
            for pk, code, kind in Unit.objects.filter(**{name: chunk}).values_list(
                "pk", "code", "kind"
            ):
                if pk not in units:
                    units[pk] = (code, kind)
                    found.add(pk)
        return found

    pending = fetch_units(code__in=codes)
    ending_pks = [pk for pk, (code, _kind) in units.items() if code in ending_codes]
    for chunk in _chunks(ending_pks):
        children = UnitVersion.objects.filter(parent_id__in=chunk).values_list("unit_id", flat=True)
        pending |= fetch_units(pk__in=set(children) - units.keys())

    raw_versions: dict[int, list[tuple]] = defaultdict(list)
    while pending:  # one round per tree level: the versions, then the parents they name
        parents = set()
        for chunk in _chunks(pending):
            for row in UnitVersion.objects.filter(unit_id__in=chunk).values_list(
                "unit_id", "name", "parent_id", "valid_from", "valid_to"
            ):
                raw_versions[row[0]].append(row[1:])
                if row[2] is not None:
                    parents.add(row[2])
        pending = fetch_units(pk__in=parents - units.keys())

    world = {}
    for pk, (code, kind) in units.items():
        versions = sorted(
            (
                _Version(name, units[parent][0] if parent else None, valid_from, valid_to)
                for name, parent, valid_from, valid_to in raw_versions[pk]
            ),
            key=lambda v: v.valid_from,
        )
        in_scope = scope_ids is None or pk in scope_ids
        world[code] = _Unit(code, kind, in_scope, versions, pk)
    return world


# ---------------------------------------------------------------------------- the plan

_DESCRIPTIONS = {
    # kind: (dry run, applied)
    "create": (
        gettext_lazy("would create %(unit)s under %(parent)s on %(date)s"),
        gettext_lazy("created %(unit)s under %(parent)s on %(date)s"),
    ),
    "create_root": (
        gettext_lazy("would create %(unit)s as a top-level unit on %(date)s"),
        gettext_lazy("created %(unit)s as a top-level unit on %(date)s"),
    ),
    LineageKind.RENAME: (
        gettext_lazy("would rename %(unit)s to “%(name)s” on %(date)s"),
        gettext_lazy("renamed %(unit)s to “%(name)s” on %(date)s"),
    ),
    LineageKind.REPARENT: (
        gettext_lazy("would move %(unit)s from %(old_parent)s to %(parent)s on %(date)s"),
        gettext_lazy("moved %(unit)s from %(old_parent)s to %(parent)s on %(date)s"),
    ),
    "rename_reparent": (
        gettext_lazy(
            "would rename %(unit)s to “%(name)s” and move it from %(old_parent)s to "
            "%(parent)s on %(date)s"
        ),
        gettext_lazy(
            "renamed %(unit)s to “%(name)s” and moved it from %(old_parent)s to "
            "%(parent)s on %(date)s"
        ),
    ),
    LineageKind.MERGE: (
        gettext_lazy("would merge %(units)s into %(unit)s on %(date)s"),
        gettext_lazy("merged %(units)s into %(unit)s on %(date)s"),
    ),
    LineageKind.SPLIT: (
        gettext_lazy("would split %(unit)s into %(units)s on %(date)s"),
        gettext_lazy("split %(unit)s into %(units)s on %(date)s"),
    ),
    LineageKind.DISSOLVE: (
        gettext_lazy("would dissolve %(unit)s on %(date)s"),
        gettext_lazy("dissolved %(unit)s on %(date)s"),
    ),
}


@dataclass
class Step:
    """One call of an org service, in the order the plan applies them."""

    kind: str  # "create", "change", merge, split, dissolve
    day: datetime.date
    line: int
    unit: str  # the unit created/changed/dissolved/split, or the merge's successor
    others: list[str] = field(default_factory=list)  # merge predecessors, split successors
    name: str | None = None
    parent: str | None = None
    unit_kind: str = ""
    move: bool = False
    decision: str = ""
    labels: dict = field(default_factory=dict)  # for `describe`, taken before the change

    def describe(self, *, applied: bool = False) -> str:
        if self.kind == "create":
            key = "create" if self.parent else "create_root"
        elif self.kind == "change":
            key = (
                "rename_reparent"
                if self.move and self.name
                else LineageKind.REPARENT
                if self.move
                else LineageKind.RENAME
            )
        else:
            key = self.kind
        text = str(_DESCRIPTIONS[key][applied]) % {"date": format_date(self.day), **self.labels}
        if self.decision:
            text += " " + _("(decision %(decision)s)") % {"decision": self.decision}
        return text

    def apply(self, units: dict[str, Unit], actor) -> None:
        if self.kind == "create":
            units[self.unit] = services.create_unit(
                code=self.unit,
                kind=self.unit_kind,
                name=self.name,
                parent=units[self.parent] if self.parent else None,
                established_on=self.day,
                actor=actor,
            )
        elif self.kind == "change":
            services.change_unit(
                units[self.unit],
                self.day,
                name=self.name,
                parent=units[self.parent] if self.move else services.KEEP,
                decision=self.decision,
                actor=actor,
            )
        elif self.kind == LineageKind.MERGE:
            predecessors = [units[code] for code in self.others]
            services.merge_units(
                predecessors, units[self.unit], self.day, decision=self.decision, actor=actor
            )
        elif self.kind == LineageKind.SPLIT:
            successors = [units[code] for code in self.others]
            services.split_unit(
                units[self.unit], successors, self.day, decision=self.decision, actor=actor
            )
        else:
            services.dissolve_unit(units[self.unit], self.day, decision=self.decision, actor=actor)

    def codes(self) -> set[str]:
        return {self.unit, *self.others, *([self.parent] if self.parent else [])}


@dataclass
class Plan:
    steps: list[Step] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


class _Planner:
    """Replays the events day by day on the in-memory world, as the services will."""

    def __init__(self, world: dict[str, _Unit], *, superuser: bool):
        self.world = world
        self.superuser = superuser
        self.plan = Plan()
        self.ends: list[tuple[str, datetime.date, int]] = []  # (code, day, line)

    def problem(self, line, column, message) -> None:
        self.plan.problems.append(Problem(line, column, message))

    # -- helpers

    def unit(self, code, line, column) -> _Unit | None:
        unit = self.world.get(code)
        if unit is None:
            self.problem(line, column, _("Unknown unit code %(code)s.") % {"code": code})
        return unit

    def allowed(self, unit: _Unit | None, line, column) -> bool:
        if unit is None:
            if self.superuser:
                return True
            self.problem(line, column, _("Only an administrator may create a top-level unit."))
            return False
        if not unit.in_scope:
            self.problem(line, column, _("You may not change unit %(code)s.") % {"code": unit.code})
        return unit.in_scope

    def closable(self, unit: _Unit, day, line, column) -> _Version | None:
        """The version of `unit` in force on `day`, if a change may start on `day`."""
        params = {"code": unit.code, "day": format_date(day), "span": unit.span()}
        version = unit.on(day)
        if version is None:
            self.problem(
                line,
                column,
                _("Unit %(code)s does not exist on %(day)s (%(span)s).") % params,
            )
        elif version.valid_from == day:
            other = self.changed_today.get(unit.code)
            if other:
                message = _(
                    "Unit %(code)s is already created or changed on %(day)s by line %(other)s; "
                    "give every change of a unit and day in one event."
                ) % {**params, "other": other}
            else:
                message = _("Unit %(code)s already has a change on %(day)s.") % params
            self.problem(line, column, message)
        elif version.valid_to is not None or any(v.valid_from > day for v in unit.versions):
            later = min(
                [v.valid_from for v in unit.versions if v.valid_from > day] or [version.valid_to]
            )
            self.problem(
                line,
                column,
                _(
                    "Unit %(code)s has changes from %(later)s, after %(day)s; history is not "
                    "rewritten, so list changes in date order after the existing ones."
                )
                % {**params, "later": format_date(later)},
            )
        else:
            return version
        return None

    def open_version(self, unit: _Unit, day, name, parent, line) -> None:
        current = unit.on(day)
        if current is not None:
            current.valid_to = day
        unit.versions.append(_Version(name, parent, day))
        self.changed_today[unit.code] = line

    def end(self, unit: _Unit, day, version: _Version, line) -> None:
        version.valid_to = day
        self.ends.append((unit.code, day, line))

    # -- a day

    def day(self, day, events: list[_Event]) -> None:
        self.changed_today: dict[str, int] = {}
        self.ending: dict[str, int] = {}  # code → line of the event that ends it today
        self.new_parents: list[tuple[str, str, int, str]] = []  # (unit, parent, line, column)
        merges = [e for e in events if e.kind == LineageKind.MERGE]
        splits = [e for e in events if e.kind == LineageKind.SPLIT]
        changes = [e for e in events if e.kind == "change"]
        dissolves = [e for e in events if e.kind == LineageKind.DISSOLVE]

        def will_end(code, line):
            if code in self.ending:
                self.problem(
                    line,
                    "old_code",
                    _("Unit %(code)s already ceases to exist on this day by line %(other)s.")
                    % {"code": code, "other": self.ending[code]},
                )
            else:
                self.ending[code] = line

        for event in merges:
            for code, line in event.predecessors:
                if code != event.successors[0].code:
                    will_end(code, line)
        for event in splits:
            if all(d.code != event.unit for d in event.successors):
                will_end(event.unit, event.line)
        for event in dissolves:
            will_end(event.unit, event.line)

        self.create_successors(day, merges, splits)
        for event in changes:
            self.change(day, event)
        for event in merges:
            self.merge(day, event)
        for event in splits:
            self.split(day, event)
        for event in dissolves:
            self.dissolve(day, event)
        self.check_new_parents(day)

    def create_successors(self, day, merges, splits) -> None:
        """Check the successors the events name; plan the creation of the new ones (parents
        first) and drop the events whose successor is unusable."""
        creations: dict[str, tuple[_Declared, str, str | None, _Event]] = {}
        for event in [*merges, *splits]:
            if event.kind == LineageKind.MERGE:
                sources = [self.unit(code, line, "old_code") for code, line in event.predecessors]
                declared = event.successors
            else:
                sources = [self.unit(event.unit, event.line, "old_code")]
                declared = [d for d in event.successors if d.code != event.unit]
            if None in sources:  # an unknown code, reported: its successors cannot be judged
                event.invalid = True
                continue
            for successor in declared:
                result = self.successor(day, successor, sources, creations)
                if result is None:
                    event.invalid = True
                elif result != "exists":
                    creations[successor.code] = (*result, event)
        pending = dict(creations)
        while pending:  # parents first
            ready = [c for c, (_d, _k, parent, _e) in pending.items() if parent not in pending]
            if not ready:
                for code in pending:
                    self.problem(
                        pending[code][0].line,
                        "new_parent",
                        _("The new units %(codes)s are each other's parents.")
                        % {"codes": ", ".join(sorted(pending))},
                    )
                    pending[code][3].invalid = True
                break
            for code in ready:
                declared, kind, parent_code, event = pending.pop(code)
                self.create(day, declared, kind, parent_code, event)

    def successor(self, day, declared: _Declared, sources, creations):
        """ "exists" when the code names a unit existing on `day` with the same meaning;
        (declared, kind, parent code) for a new unit; None (with a problem) otherwise."""
        code, line = declared.code, declared.line
        unit = self.world.get(code)
        if code in creations:
            other = creations[code][0].line
            self.problem(
                line,
                "new_code",
                _("Unit %(code)s is already created on this day by line %(other)s.")
                % {"code": code, "other": other},
            )
            return None
        if unit is not None:
            return self.same_meaning(day, unit, declared)
        if not declared.name:
            self.problem(
                line, "new_name", _("A name is required to create unit %(code)s.") % {"code": code}
            )
            return None
        kind = declared.kind
        if not kind:
            kinds = {s.kind for s in sources}
            if len(kinds) != 1:
                self.problem(
                    line,
                    "new_kind",
                    _("The units it comes from differ in kind; give the kind of %(code)s.")
                    % {"code": code},
                )
                return None
            kind = kinds.pop()
        parent = declared.parent
        if not parent:
            parents = {s.on(day).parent if s.on(day) else None for s in sources}
            if len(parents) != 1:
                self.problem(
                    line,
                    "new_parent",
                    _(
                        "The units it comes from have different parents; "
                        "give the parent of %(code)s."
                    )
                    % {"code": code},
                )
                return None
            parent = parents.pop()
        return declared, kind, parent or None

    def same_meaning(self, day, unit: _Unit, declared: _Declared):
        line = declared.line
        version = unit.on(day)
        params = {"code": unit.code, "day": format_date(day), "span": unit.span()}
        if version is None:
            self.problem(
                line,
                "new_code",
                _(
                    "Unit %(code)s already exists but not on %(day)s (%(span)s); "
                    "codes are never reused."
                )
                % params,
            )
            return None
        if unit.code in self.ending:
            self.problem(
                line,
                "new_code",
                _("Unit %(code)s ceases to exist on this day (line %(other)s).")
                % {**params, "other": self.ending[unit.code]},
            )
            return None
        clashes = [
            ("new_name", declared.name, version.name, declared.name_line),
            ("new_parent", declared.parent, version.parent or "", declared.parent_line),
            ("new_kind", declared.kind, unit.kind, line),
        ]
        ok = True
        for column, given, actual, given_line in clashes:
            if given and given != actual:
                ok = False
                self.problem(
                    given_line or line,
                    column,
                    _(
                        "Unit %(code)s already exists with %(column)s “%(actual)s” on %(day)s, "
                        "not “%(given)s”: leave %(column)s empty to use it, or choose a new code."
                    )
                    % {**params, "column": column, "actual": actual or "–", "given": given},
                )
        return "exists" if ok else None

    def create(self, day, declared: _Declared, kind, parent_code, event) -> None:
        parent = None
        column = "new_parent" if declared.parent else "new_code"
        line = declared.parent_line or declared.line
        if parent_code:
            parent = self.unit(parent_code, line, column)
            if parent is None:
                event.invalid = True
                return
            if parent.on(day) is None:
                self.problem(
                    line,
                    column,
                    _("The parent %(code)s does not exist on %(day)s (%(span)s).")
                    % {"code": parent_code, "day": format_date(day), "span": parent.span()},
                )
                event.invalid = True
                return
        # A new unit is in the actor's scope when its parent is (a root: for an
        # administrator); if not, the problem is reported here once, and the plan goes on
        # to find the other problems as if the unit had been made.
        self.allowed(parent, line, column)
        unit = _Unit(declared.code, kind, in_scope=True)
        self.world[unit.code] = unit
        self.open_version(unit, day, declared.name, parent_code, declared.line)
        self.new_parents.append((unit.code, parent_code, line, column))
        self.plan.steps.append(
            Step(
                "create",
                day,
                declared.line,
                unit.code,
                name=declared.name,
                parent=parent_code,
                unit_kind=kind,
                labels={
                    "unit": unit.label(day),
                    "parent": parent.label(day) if parent else "",
                },
            )
        )

    def change(self, day, event: _Event) -> None:
        unit = self.unit(event.unit, event.line, "old_code")
        if unit is None:
            return
        if unit.code in self.ending:
            self.problem(
                event.line,
                "old_code",
                _(
                    "Unit %(code)s ceases to exist on this day (line %(other)s); "
                    "it cannot also be renamed or moved."
                )
                % {"code": unit.code, "other": self.ending[unit.code]},
            )
            return
        ok = self.allowed(unit, event.line, "old_code")
        version = self.closable(unit, day, event.line, "old_code")
        parent = None
        if event.parent:
            parent = self.unit(event.parent, event.parent_line, "new_parent")
            if parent is None:
                ok = False
            else:
                ok = self.allowed(parent, event.parent_line, "new_parent") and ok
                if parent.on(day) is None:
                    ok = False
                    self.problem(
                        event.parent_line,
                        "new_parent",
                        _("Unit %(code)s does not exist on %(day)s (%(span)s).")
                        % {"code": parent.code, "day": format_date(day), "span": parent.span()},
                    )
        if version is None or not ok:
            return
        label = unit.label(day)
        old_parent = version.parent
        renamed = bool(event.name) and event.name != version.name
        moved = bool(event.parent) and event.parent != version.parent
        if event.name and not renamed:
            self.problem(
                event.name_line,
                "new_name",
                _("Unit %(code)s is already named “%(name)s” on %(day)s.")
                % {"code": unit.code, "name": event.name, "day": format_date(day)},
            )
            return
        if event.parent and not moved:
            self.problem(
                event.parent_line,
                "new_parent",
                _("Unit %(code)s is already beneath %(parent)s on %(day)s.")
                % {"code": unit.code, "parent": event.parent, "day": format_date(day)},
            )
            return
        self.open_version(
            unit,
            day,
            event.name if renamed else version.name,
            event.parent if moved else version.parent,
            event.line,
        )
        if moved:
            self.new_parents.append((unit.code, event.parent, event.parent_line, "new_parent"))
        old_parent_unit = self.world.get(old_parent) if old_parent else None
        self.plan.steps.append(
            Step(
                "change",
                day,
                event.name_line or event.parent_line,
                unit.code,
                name=event.name if renamed else None,
                parent=event.parent if moved else None,
                move=moved,
                decision=event.decision,
                labels={
                    "unit": label,
                    "name": event.name,
                    "parent": parent.label(day) if parent else "",
                    "old_parent": old_parent_unit.label(day) if old_parent_unit else "–",
                },
            )
        )

    def merge(self, day, event: _Event) -> None:
        if event.invalid:
            return
        successor = self.world[event.successors[0].code]
        if all(code == successor.code for code, _line in event.predecessors):
            self.problem(
                event.line,
                "new_code",
                _("A merge needs at least one unit other than %(code)s.")
                % {"code": successor.code},
            )
            return
        ok = self.allowed(successor, event.line, "new_code")
        ending = []
        for code, line in event.predecessors:
            unit = self.unit(code, line, "old_code")
            if unit is None:
                ok = False
                continue
            ok = self.allowed(unit, line, "old_code") and ok
            if unit is successor:
                continue
            version = self.closable(unit, day, line, "old_code")
            if version is None:
                ok = False
            ending.append((unit, version, line))
        if not ok:
            return
        labels = {
            "units": ", ".join(self.world[c].label(day) for c, _line in event.predecessors),
            "unit": successor.label(day),
        }
        for unit, version, line in ending:
            self.end(unit, day, version, line)
        self.plan.steps.append(
            Step(
                LineageKind.MERGE,
                day,
                event.line,
                successor.code,
                others=[code for code, _line in event.predecessors],
                decision=event.decision,
                labels=labels,
            )
        )

    def split(self, day, event: _Event) -> None:
        if event.invalid:
            return
        unit = self.unit(event.unit, event.line, "old_code")
        if unit is None:
            return
        ok = self.allowed(unit, event.line, "old_code")
        if len(event.successors) < 2:
            self.problem(
                event.line,
                "new_code",
                _(
                    "A split needs at least two rows, one per new unit "
                    "(with the same old_code and date)."
                ),
            )
            return
        for declared in event.successors:
            if declared.code != unit.code:
                ok = self.allowed(self.world[declared.code], declared.line, "new_code") and ok
        survives = any(d.code == unit.code for d in event.successors)
        if survives and unit.code in self.ending:
            self.problem(
                event.line,
                "old_code",
                _("Unit %(code)s ceases to exist on this day (line %(other)s).")
                % {"code": unit.code, "other": self.ending[unit.code]},
            )
            return
        version = unit.on(day) if survives else self.closable(unit, day, event.line, "old_code")
        if survives and version is None:
            self.problem(
                event.line,
                "old_code",
                _("Unit %(code)s does not exist on %(day)s (%(span)s).")
                % {"code": unit.code, "day": format_date(day), "span": unit.span()},
            )
        if version is None or not ok:
            return
        labels = {
            "unit": unit.label(day),
            "units": ", ".join(self.world[d.code].label(day) for d in event.successors),
        }
        if not survives:
            self.end(unit, day, version, event.line)
        self.plan.steps.append(
            Step(
                LineageKind.SPLIT,
                day,
                event.line,
                unit.code,
                others=[d.code for d in event.successors],
                decision=event.decision,
                labels=labels,
            )
        )

    def dissolve(self, day, event: _Event) -> None:
        unit = self.unit(event.unit, event.line, "old_code")
        if unit is None:
            return
        ok = self.allowed(unit, event.line, "old_code")
        version = self.closable(unit, day, event.line, "old_code")
        if version is None or not ok:
            return
        label = unit.label(day)
        self.end(unit, day, version, event.line)
        self.plan.steps.append(
            Step(
                LineageKind.DISSOLVE,
                day,
                event.line,
                unit.code,
                decision=event.decision,
                labels={"unit": label},
            )
        )

    def check_new_parents(self, day) -> None:
        """After the day: no new or moved unit sits beneath a unit that ends that day, or
        beneath itself."""
        for code, parent, line, column in self.new_parents:
            if parent in self.ending:
                self.problem(
                    line,
                    column,
                    _(
                        "%(code)s would be placed beneath %(parent)s, which ceases to exist on "
                        "%(day)s (line %(other)s); give another new_parent."
                    )
                    % {
                        "code": code,
                        "parent": parent,
                        "day": format_date(day),
                        "other": self.ending[parent],
                    },
                )
                continue
            seen, ancestor = set(), parent
            while ancestor and ancestor not in seen:
                seen.add(ancestor)
                unit = self.world.get(ancestor)
                version = unit.on(day) if unit else None
                ancestor = version.parent if version else None
            if code in seen:
                self.problem(
                    line,
                    column,
                    _("%(code)s would lie beneath itself (through %(parent)s).")
                    % {"code": code, "parent": parent},
                )

    # -- after the last day

    def warn(self) -> None:
        """Units that end while units or staff still belong to them afterwards."""
        ended_at = {code: (day, line) for code, day, line in self.ends}
        children: dict[str, set[str]] = defaultdict(set)
        for unit in self.world.values():
            for version in unit.versions:
                end = ended_at.get(version.parent)
                if end and (version.valid_to is None or version.valid_to > end[0]):
                    children[version.parent].add(unit.code)
        for code, kids in sorted(children.items()):
            day, line = ended_at[code]
            self.plan.warnings.append(
                Problem(
                    line,
                    "old_code",
                    ngettext(
                        "%(code)s ceases to exist on %(day)s but %(count)s unit is still "
                        "beneath it after that day: %(units)s. Add a reparent, merge or "
                        "dissolve row for it.",
                        "%(code)s ceases to exist on %(day)s but %(count)s units are still "
                        "beneath it after that day: %(units)s. Add reparent, merge or dissolve "
                        "rows for them.",
                        len(kids),
                    )
                    % {
                        "code": code,
                        "day": format_date(day),
                        "count": len(kids),
                        "units": ", ".join(sorted(kids)),
                    },
                )
            )
        pks = {self.world[code].pk: code for code in ended_at if self.world[code].pk}
        staff: dict[str, int] = defaultdict(int)
        first_day = min((day for day, _line in ended_at.values()), default=None)
        for chunk in _chunks(pks):
            for unit_id, end in (
                Employment.objects.filter(unit_id__in=chunk)
                .filter(Q(end__isnull=True) | Q(end__gt=first_day))
                .values_list("unit_id", "end")
            ):
                code = pks[unit_id]
                if end is None or end > ended_at[code][0]:
                    staff[code] += 1
        for code, count in sorted(staff.items()):
            day, line = ended_at[code]
            self.plan.warnings.append(
                Problem(
                    line,
                    "old_code",
                    ngettext(
                        "%(count)s person is still employed in %(code)s after %(day)s; "
                        "transfer them to a successor unit.",
                        "%(count)s people are still employed in %(code)s after %(day)s; "
                        "transfer them to the successor units.",
                        count,
                    )
                    % {"count": count, "code": code, "day": format_date(day)},
                )
            )


def plan_reorganization(rows: list[Row], *, actor=None) -> Plan:
    """Check every row against the database and the other rows, and order the steps.

    A fixed number of queries whatever the number of rows (see `load_world`). Every
    problem found is reported, not only the first; nothing is written.
    """
    by_day, problems = group_events(rows)
    scope_ids = None if actor is None else unit_ids_for(actor, Action.CHANGE)
    codes, ending = set(), set()
    for events in by_day.values():
        for event in events:
            codes |= {event.unit, event.parent, *(c for c, _line in event.predecessors)}
            codes |= {d.code for d in event.successors} | {d.parent for d in event.successors}
            if event.kind in (LineageKind.MERGE, LineageKind.DISSOLVE, LineageKind.SPLIT):
                ending |= {event.unit, *(c for c, _line in event.predecessors)}
    codes.discard("")
    world = load_world(codes, ending, scope_ids)
    planner = _Planner(world, superuser=scope_ids is None)
    planner.plan.problems.extend(problems)
    for day in sorted(by_day):
        planner.day(day, by_day[day])
    planner.warn()
    planner.plan.problems.sort(key=lambda p: (p.line or 0, p.column or ""))
    return planner.plan


@transaction.atomic
def apply_plan(plan: Plan, *, actor=None, progress=None) -> Plan:
    """Run the steps of a plan without problems through the org services, in one
    transaction: if any step fails, nothing is written and `ReorganizeError` says which
    line it came from. `progress(done, total)` is called after each step.

    The writes cost a few queries per row (each verb checks again, writes its versions,
    edges and audit entries); the checks before them do not (`plan_reorganization`)."""
    if plan.problems:
        raise ReorganizeError(plan.problems)
    codes = set().union(*(step.codes() for step in plan.steps)) if plan.steps else set()
    units: dict[str, Unit] = {}
    for chunk in _chunks(codes):
        units.update((u.code, u) for u in Unit.objects.filter(code__in=chunk))
    for done, step in enumerate(plan.steps, start=1):
        try:
            step.apply(units, actor)
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise ReorganizeError([Problem(step.line, None, " ".join(messages))]) from exc
        if progress is not None:
            progress(done, len(plan.steps))
    plan.applied = True
    return plan


def reorganize(path, *, dry_run: bool = False, actor=None, progress=None) -> Plan:
    """Read, check and (unless `dry_run`, and only without problems) apply a mapping
    file. The returned plan carries the steps, the problems and the warnings."""
    rows, problems = read_mapping(path)
    if problems and not rows:
        return Plan(problems=problems)
    plan = plan_reorganization(rows, actor=actor)
    plan.problems = sorted(problems + plan.problems, key=lambda p: (p.line or 0, p.column or ""))
    if plan.ok and not dry_run:
        try:
            apply_plan(plan, actor=actor, progress=progress)
        except ReorganizeError as exc:
            plan.problems = exc.problems
    return plan
