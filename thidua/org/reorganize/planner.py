"""Replaying the events day by day on the in-memory world, as the services will, and
collecting every problem (`plan_reorganization`)."""

import datetime
from collections import defaultdict

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from thidua.accounts.choices import Action
from thidua.accounts.scope import unit_ids_for
from thidua.org.choices import LineageKind
from thidua.org.models import Employment
from thidua.org.reorganize.changes import _ChangesMixin
from thidua.org.reorganize.events import _Event, group_events
from thidua.org.reorganize.reading import Problem, Row
from thidua.org.reorganize.steps import Plan
from thidua.org.reorganize.world import _chunks, _Unit, _Version, load_world
from thidua.vietnamese import format_date


class _Planner(_ChangesMixin):
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


def plan_reorganization(rows: list[Row], *, actor) -> Plan:
    """Check every row against the database and the other rows, and order the steps.

    A fixed number of queries whatever the number of rows (see `load_world`). Every
    problem found is reported, not only the first; nothing is written.
    """
    by_day, problems = group_events(rows)
    scope_ids = unit_ids_for(actor, Action.CHANGE)
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
