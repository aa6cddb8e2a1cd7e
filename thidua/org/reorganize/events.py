"""Grouping the rows into events: merge rows with the same (new_code, date) form one
merge, split rows with the same (old_code, date) one split; the successors they declare
must agree."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from thidua.org.choices import LineageKind
from thidua.org.reorganize.reading import Problem, Row

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
