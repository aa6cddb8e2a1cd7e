"""Reorganisation by legal acts, applied set-based (ADR 0009).

One act (a resolution number and its date) maps old units to new official codes, one row
per pair `old_code → new_code`, as the official tables do. On the act's day:

- a new code with exactly one predecessor, which goes nowhere else and already carries
  that code (official or internal), is a **continuation**: the same unit, renamed or moved
  if the act says so;
- a new code held on the eve by a unit the day's rows do not name is an **absorption**
  into that unit;
- any other new code is a **new unit** carrying the code (the statistics office reuses a
  predecessor's code: the successor is not the predecessor). Its internal code is
  `VN-<official code>-<year>`;
- every predecessor that does not continue ends on the day (its last version and its
  official code closed, `dissolved_on` stamped); an edge predecessor → successor per row;
- a district (or any unit of kind `district`) whose children all leave on the day ends
  too, with edges to the units its children now sit beneath ("derived" event);
- open employments in the units that end follow: to the one successor, or, for a split,
  to the successor the file marks (`staff`) or the one a per-person placement names;
  nobody is dropped — the unplaced are listed and stay where they were.

Several acts on one day may name the same successor: it is created once, and each act's
event records its own edges. Nothing is written while a problem remains; the whole run
is one transaction, and the day's writes are a fixed number of bulk queries.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from thidua.accounts.choices import Action
from thidua.accounts.scope import forget, unit_ids_for
from thidua.audit.services import log
from thidua.org.acts_checks import (
    _chunks,
    _fetch,
    _fetch_values,
    _find_cycle,
    check_no_overlap,
    overlapping_versions,
)
from thidua.org.acts_rows import ActResult, ActRow, NewUnit, Placement
from thidua.org.choices import LineageKind, UnitKind
from thidua.org.models import (
    Employment,
    LineageEdge,
    LineageEvent,
    Unit,
    UnitOfficialCode,
    UnitVersion,
)
from thidua.org.reorganize.reading import CHUNK, Problem, ReorganizeError
from thidua.text import normalize_name
from thidua.vietnamese import format_date

ONE_DAY = datetime.timedelta(days=1)


def new_internal_code(official: str, day: datetime.date) -> str:
    """The stable internal code of a unit an act creates (ADR 0009)."""
    return f"VN-{official}-{day.year}"


def run_acts(
    rows: list[ActRow],
    *,
    actor,
    new_units: dict[str, NewUnit] | None = None,
    placements: list[Placement] = (),
    dry_run: bool = False,
) -> ActResult:
    """Check and apply the acts day by day in one transaction; with a problem (or a dry
    run) everything is rolled back. The returned result lists the problems, warnings, the
    changes and a per-province summary."""
    if unit_ids_for(actor, Action.CHANGE) is not None:
        # A reform reaches across the whole tree: the operator's (or an administrator's).
        raise PermissionDenied(_("Only an administrator may apply reorganisation acts."))
    result = ActResult()
    by_day: dict[datetime.date, list[ActRow]] = defaultdict(list)
    for row in rows:
        by_day[row.date].append(row)
    people = _placements(placements, result)
    if result.problems:
        return result
    try:
        with transaction.atomic():
            for day in sorted(by_day):
                _Day(day, by_day[day], new_units or {}, people, result, actor).run()
                if result.problems:
                    break
            if result.problems or dry_run:
                raise _Rollback
            result.applied = True
    except _Rollback:
        pass
    except ReorganizeError as exc:
        result.problems += exc.problems
    except IntegrityError as exc:
        message = _("The database refused the change: %(error)s") % {"error": exc}
        result.problems.append(Problem(None, None, message))
    forget(actor)
    result.problems.sort(key=lambda p: (p.line or 0, p.column or ""))
    return result


class _Rollback(Exception):
    """Leave the transaction without writing (a dry run, or a problem found)."""


def _placements(placements, result) -> dict[str, Placement]:
    """person code → placement; a person placed twice (in two successors) is refused."""
    people: dict[str, Placement] = {}
    for placement in placements:
        other = people.get(placement.person)
        if other is not None and other.new_code != placement.new_code:
            result.problems.append(
                Problem(
                    placement.line,
                    "new_code",
                    _("Person %(person)s is already placed in %(code)s by line %(other)s.")
                    % {"person": placement.person, "code": other.new_code, "other": other.line},
                )
            )
            continue
        people[placement.person] = placement
    return people


@dataclass
class _Successor:
    code: str  # official code as written
    rows: list[ActRow]
    unit: Unit | None = None  # existing (continuation, absorption) or created
    how: str = ""  # "continue", "absorb", "new"
    info: NewUnit | None = None
    parent: Unit | None = None
    version: UnitVersion | None = None  # the new version to write (new, continue)


class _Day:
    """The acts of one day: resolve, check, then write in bulk."""

    def __init__(self, day, rows, new_units, people, result: ActResult, actor):
        self.day, self.eve = day, day - ONE_DAY
        self.rows, self.new_units, self.people = rows, new_units, people
        self.result, self.actor = result, actor

    def problem(self, line, column, message) -> None:
        self.result.problems.append(Problem(line, column, message))

    # ------------------------------------------------------------------ resolving

    def run(self) -> None:
        self.resolve_old()
        if self.result.problems:
            return
        self.check_acts()
        if self.result.problems:
            return
        self.resolve_successors()
        if self.result.problems:
            return
        self.derive_districts()
        self.check_parents()
        self.plan_staff()
        if self.result.problems:
            return
        self.write()

    def resolve_old(self) -> None:
        """Every old code names a unit existing on the eve, with no later change."""
        codes = {r.old_code for r in self.rows}
        self.units: dict[str, Unit] = {}
        for unit in _fetch(Unit.objects.all(), "code", codes):
            self.units[unit.code] = unit
        official = {}
        for oc in _fetch(
            UnitOfficialCode.objects.on(self.eve).select_related("unit"),
            "code",
            codes - self.units.keys(),
        ):
            official[oc.code] = oc.unit
        self.units.update(official)
        self.eve_codes: dict[int, str] = {}  # unit id → official code on the eve
        ids = {u.pk for u in self.units.values()}
        for oc in _fetch(UnitOfficialCode.objects.on(self.eve), "unit_id", ids):
            self.eve_codes[oc.unit_id] = oc.code
        self.eve_versions: dict[int, UnitVersion] = {}
        later: dict[int, datetime.date] = {}
        for v in _fetch(UnitVersion.objects.select_related("parent"), "unit_id", ids):
            if v.valid_from <= self.eve and (v.valid_to is None or v.valid_to > self.eve):
                self.eve_versions[v.unit_id] = v
            if v.valid_from >= self.day:
                later[v.unit_id] = min(v.valid_from, later.get(v.unit_id, v.valid_from))
        for row in self.rows:
            unit = self.units.get(row.old_code)
            params = {"code": row.old_code, "day": format_date(self.day), "act": row.act}
            if unit is None:
                self.problem(row.line, "old_code", _("Unknown unit code %(code)s.") % params)
            elif (unit.established_on and unit.established_on >= self.day) or (
                unit.pk not in self.eve_versions and unit.pk in later
            ):
                self.problem(
                    row.line,
                    "act_date",
                    _("Act %(act)s is dated %(day)s, before unit %(code)s exists (from %(start)s).")
                    % {**params, "start": format_date(unit.established_on or later[unit.pk])},
                )
            elif unit.pk in later:
                self.problem(
                    row.line,
                    "act_date",
                    _(
                        "Unit %(code)s has changes from %(later)s, after %(day)s; history is "
                        "not rewritten, so apply acts in date order."
                    )
                    % {**params, "later": format_date(later[unit.pk])},
                )
            elif unit.pk not in self.eve_versions:
                self.problem(
                    row.line,
                    "old_code",
                    _("Unit %(code)s does not exist on the eve of %(day)s.") % params,
                )

    def own_codes(self, unit: Unit) -> set[str]:
        return {unit.code, self.eve_codes.get(unit.pk, unit.code)}

    def check_acts(self) -> None:
        """Within one act: no row repeated, no unit both dissolved and continued, no
        cycle among the codes."""
        acts: dict[str, list[ActRow]] = defaultdict(list)
        for row in self.rows:
            acts[row.act].append(row)
        internal = {u.code for u in self.units.values()}
        for act_rows in acts.values():
            seen: dict[tuple, int] = {}
            dissolved, continued = {}, {}
            graph: dict[str, set[str]] = defaultdict(set)
            for row in act_rows:
                key = (row.old_code, row.new_code)
                if key in seen:
                    self.problem(
                        row.line,
                        "old_code",
                        _("Repeats line %(other)s (the same unit in the same event).")
                        % {"other": seen[key]},
                    )
                seen[key] = row.line
                unit = self.units[row.old_code]
                if not row.new_code:
                    dissolved[unit.pk] = row
                elif row.new_code in self.own_codes(unit):
                    continued[unit.pk] = row
                elif row.new_code in internal:
                    # Internal codes name identities (official codes are reused: a new
                    # unit, never a cycle): A → B with B → A cannot both hold.
                    graph[unit.code].add(row.new_code)
            for pk in dissolved.keys() & continued.keys():
                self.problem(
                    dissolved[pk].line,
                    "new_code",
                    _(
                        "Unit %(code)s is both dissolved (this line) and continued (line "
                        "%(other)s) by act %(act)s."
                    )
                    % {
                        "code": dissolved[pk].old_code,
                        "other": continued[pk].line,
                        "act": dissolved[pk].act,
                    },
                )
            cycle = _find_cycle(graph)
            if cycle:
                line = next(
                    r.line
                    for r in act_rows
                    if r.new_code == cycle[1] and self.units[r.old_code].code == cycle[0]
                )
                self.problem(
                    line,
                    "new_code",
                    _("The act %(act)s maps codes in a cycle: %(cycle)s.")
                    % {"act": act_rows[0].act, "cycle": " → ".join(cycle)},
                )

    def resolve_successors(self) -> None:
        by_code: dict[str, list[ActRow]] = defaultdict(list)
        self.goes_to: dict[int, set[str]] = defaultdict(set)  # old unit id → new codes
        for row in self.rows:
            if row.new_code:
                by_code[row.new_code].append(row)
            self.goes_to[self.units[row.old_code].pk].add(row.new_code)
        named = {u.pk for u in self.units.values()}
        holders = {
            oc.code: oc.unit
            for oc in _fetch(
                UnitOfficialCode.objects.on(self.eve).select_related("unit"), "code", by_code
            )
        }
        internal = {u.code: u for u in _fetch(Unit.objects.all(), "code", by_code)}
        self.successors: dict[str, _Successor] = {}
        self.parents: dict[str, Unit | None] = {}
        for code, rows in by_code.items():
            succ = _Successor(code, rows)
            preds = {self.units[r.old_code].pk: self.units[r.old_code] for r in rows}
            (only,) = preds.values() if len(preds) == 1 else (None,)
            holder = holders.get(code) or internal.get(code)
            if (
                only is not None
                and self.goes_to[only.pk] == {code}
                and code in self.own_codes(only)
            ):
                succ.how, succ.unit = "continue", only
            elif holder is not None and holder.pk not in named and holder.dissolved_on is None:
                succ.how, succ.unit = "absorb", holder
            else:
                succ.how = "new"
            succ.info = self.describe(succ, preds.values())
            self.successors[code] = succ
        for succ in self.successors.values():  # parents, now that every successor is known
            self.place(succ)

    def describe(self, succ: _Successor, preds) -> NewUnit | None:
        """The successor's name, kind and parent code: the catalog's, or the rows'."""
        info = self.new_units.get(succ.code)
        if info is None:
            info = NewUnit("", line=succ.rows[0].line)
            for row in succ.rows:
                for attr, column in (
                    ("name", "new_name"),
                    ("parent", "new_parent"),
                    ("kind", "new_kind"),
                ):
                    value = getattr(row, column)
                    current = getattr(info, attr)
                    if value and current and value != current:
                        self.problem(
                            row.line,
                            column,
                            _("“%(value)s” conflicts with “%(other)s” for %(code)s.")
                            % {"value": value, "other": current, "code": succ.code},
                        )
                    elif value:
                        setattr(info, attr, value)
        if succ.how == "new":
            if not info.name:
                self.problem(
                    succ.rows[0].line,
                    "new_name",
                    _("A name is required to create unit %(code)s.") % {"code": succ.code},
                )
            if not info.kind:
                kinds = {p.kind for p in preds}
                if len(kinds) != 1:
                    self.problem(
                        succ.rows[0].line,
                        "new_kind",
                        _("The units it comes from differ in kind; give the kind of %(code)s.")
                        % {"code": succ.code},
                    )
                else:
                    info.kind = kinds.pop()
            if not info.parent:
                parents = {self.eve_versions[p.pk].parent_id for p in preds}
                if len(parents) != 1:
                    self.problem(
                        succ.rows[0].line,
                        "new_parent",
                        _(
                            "The units it comes from have different parents; give the parent "
                            "of %(code)s."
                        )
                        % {"code": succ.code},
                    )
        return info

    def place(self, succ: _Successor) -> None:
        """The successor's parent after the day: a successor of the same day carrying the
        code (kept as that code), else an existing unit (internal code, or official code
        on the day); by default the predecessors' common parent (new) or its own (kept)."""
        if succ.how == "absorb":
            return
        code = succ.info.parent if succ.info else ""
        if not code:
            unit = self.units[succ.rows[0].old_code] if succ.how == "new" else succ.unit
            succ.parent = self.eve_versions[unit.pk].parent
            return
        if code in self.successors:
            succ.parent = code
            return
        if code not in self.parents:
            unit = Unit.objects.filter(code=code).first()
            if unit is None:
                held = UnitOfficialCode.objects.on(self.day).filter(code=code).first()
                unit = held.unit if held else None
            self.parents[code] = unit if unit is not None and unit.dissolved_on is None else None
        succ.parent = self.parents[code]
        if succ.parent is None:
            self.problem(
                succ.info.line or succ.rows[0].line,
                "new_parent",
                _("Unknown unit code %(code)s.") % {"code": code},
            )

    def check_parents(self) -> None:
        """No successor is placed beneath a unit that ends on the day."""
        for succ in self.successors.values():
            if isinstance(succ.parent, Unit) and succ.parent.pk in self.ending:
                self.problem(
                    succ.rows[0].line,
                    "new_parent",
                    _(
                        "%(code)s would be placed beneath %(parent)s, which ceases to exist on "
                        "%(day)s; give another new_parent."
                    )
                    % {
                        "code": succ.code,
                        "parent": succ.parent.code,
                        "day": format_date(self.day),
                    },
                )

    # ------------------------------------------------------------------ what ends

    def derive_districts(self) -> None:
        """Units that end: predecessors that do not continue, and districts whose
        children all leave (their successors: where their children now sit)."""
        continuing = {s.unit.pk for s in self.successors.values() if s.how == "continue"}
        self.ending: dict[int, Unit] = {
            u.pk: u for u in self.units.values() if u.pk not in continuing
        }
        moved = set(self.ending)  # the units that leave their parent on the day
        for succ in self.successors.values():
            if succ.how == "continue":
                parent = succ.parent
                if isinstance(parent, str) or (
                    (parent.pk if parent else None) != self.eve_versions[succ.unit.pk].parent_id
                ):
                    moved.add(succ.unit.pk)
        parent_ids = {v.parent_id for v in self.eve_versions.values() if v.parent_id}
        parent_ids -= self.ending.keys()
        children: dict[int, list[int]] = defaultdict(list)
        self.derived: dict[int, set] = {}  # district id → successors (by code)
        for v in _fetch(
            UnitVersion.objects.on(self.eve).select_related("parent"), "parent_id", parent_ids
        ):
            children[v.parent_id].append(v.unit_id)
        districts = {
            u.pk: u
            for u in _fetch(Unit.objects.filter(kind=UnitKind.DISTRICT), "pk", children.keys())
        }
        for pk, district in districts.items():
            if all(child in moved for child in children[pk]):
                targets = set()
                for child in children[pk]:
                    for code in self.goes_to.get(child, ()):
                        succ = self.successors.get(code)
                        if succ is not None and succ.parent is not None:
                            targets.add(succ.parent)  # a day's successor code, or a unit
                self.derived[pk] = targets
                self.ending[pk] = district
        ids = list(self.derived)
        for v in _fetch(UnitVersion.objects.on(self.eve).select_related("parent"), "unit_id", ids):
            self.eve_versions[v.unit_id] = v
        left = defaultdict(list)  # units left beneath a unit that ends
        for v in _fetch(UnitVersion.objects.on(self.eve), "parent_id", self.ending):
            if v.unit_id not in moved and v.unit_id not in self.ending:
                left[v.parent_id].append(v.unit_id)
        if left:
            names = dict(
                _fetch_values(Unit.objects.all(), "pk", {i for ids in left.values() for i in ids})
            )
            for pk, kids in left.items():
                self.result.warnings.append(
                    Problem(
                        None,
                        None,
                        _(
                            "%(code)s ceases to exist on %(day)s but units are still beneath "
                            "it after that day: %(units)s."
                        )
                        % {
                            "code": self.ending[pk].code,
                            "day": format_date(self.day),
                            "units": ", ".join(sorted(names[k] for k in kids)),
                        },
                    )
                )

    def plan_staff(self) -> None:
        """Open employments of the units that end, each to one successor or unplaced."""
        self.moves: list[tuple[Employment, str]] = []  # (employment, successor code)
        marked: dict[int, str] = {}
        for row in self.rows:
            if row.staff and row.new_code:
                marked[self.units[row.old_code].pk] = row.new_code
        open_jobs = (
            Employment.objects.filter(start__lt=self.day)
            .filter(Q(end__isnull=True) | Q(end__gt=self.day))
            .select_related("person")
        )
        for job in _fetch(open_jobs, "unit_id", self.ending):
            unit = self.ending[job.unit_id]
            placement = self.people.get(job.person.code)
            if job.unit_id in self.derived:
                targets = self.derived[job.unit_id]
                target = next(iter(targets)) if len(targets) == 1 else None
                if target is not None:
                    self.moves.append((job, target))
                    continue
            else:
                codes = self.goes_to[job.unit_id] - {""}
                if placement is not None:
                    if placement.new_code not in codes:
                        self.problem(
                            placement.line,
                            "new_code",
                            _("%(code)s is not a successor of %(unit)s, where %(person)s works.")
                            % {
                                "code": placement.new_code,
                                "unit": unit.code,
                                "person": job.person.code,
                            },
                        )
                        continue
                    self.moves.append((job, placement.new_code))
                    continue
                target = marked.get(job.unit_id) or (next(iter(codes)) if len(codes) == 1 else "")
                if target:
                    self.moves.append((job, target))
                    continue
            self.result.unplaced.append(
                _("%(person)s (%(code)s) stays in %(unit)s, which ends on %(day)s: no successor.")
                % {
                    "person": job.person.full_name,
                    "code": job.person.code,
                    "unit": unit.code,
                    "day": format_date(self.day),
                }
            )

    # ------------------------------------------------------------------ writing

    def unit_of(self, target) -> Unit:
        """A parent or staff target: a code of the day's successors, or a unit."""
        if isinstance(target, str):
            return self.successors[target].unit
        return target

    def write(self) -> None:
        day, result = self.day, self.result
        new = [s for s in self.successors.values() if s.how == "new"]
        internal_codes = {new_internal_code(s.code, day) for s in new}
        taken = set(Unit.objects.filter(code__in=internal_codes).values_list("code", flat=True))
        for succ in new:
            code = new_internal_code(succ.code, day)
            if code in taken:
                self.problem(
                    succ.rows[0].line,
                    "new_code",
                    _("Unit %(code)s already exists; codes are never reused.") % {"code": code},
                )
            name = normalize_name(succ.info.name)
            succ.unit = Unit(code=code, kind=succ.info.kind, name=name, established_on=day)
            succ.unit.fill_derived()
        if result.problems:
            return
        Unit.objects.bulk_create([s.unit for s in new], batch_size=CHUNK)
        # The day's versions: new units, and continuations that change name or parent.
        closing, versions, renamed = [], [], []
        for succ in self.successors.values():
            parent = self.unit_of(succ.parent) if succ.parent is not None else None
            if succ.how == "new":
                versions.append(
                    UnitVersion(unit=succ.unit, name=succ.unit.name, parent=parent, valid_from=day)
                )
            elif succ.how == "continue":
                eve = self.eve_versions[succ.unit.pk]
                name = normalize_name(succ.info.name) if succ.info and succ.info.name else eve.name
                parent_id = parent.pk if parent else None
                if name != eve.name or parent_id != eve.parent_id:
                    closing.append(eve.pk)
                    versions.append(
                        UnitVersion(unit=succ.unit, name=name, parent=parent, valid_from=day)
                    )
                    if name != succ.unit.name:
                        succ.unit.name = name
                        succ.unit.fill_derived()
                        renamed.append(succ.unit)
                result.continued += 1
        # Close first, then open: the database refuses overlapping periods at every step.
        ending = list(self.ending)
        closing += [self.eve_versions[pk].pk for pk in ending]
        for chunk in _chunks(closing):
            UnitVersion.objects.filter(pk__in=chunk).update(valid_to=day)
        for chunk in _chunks(ending):
            Unit.objects.filter(pk__in=chunk).update(dissolved_on=day)
            UnitOfficialCode.objects.on(self.eve).filter(unit_id__in=chunk).update(valid_to=day)
        UnitOfficialCode.objects.bulk_create(
            [UnitOfficialCode(unit=s.unit, code=s.code, valid_from=day) for s in new],
            batch_size=CHUNK,
        )
        UnitVersion.objects.bulk_create(versions, batch_size=CHUNK)
        Unit.objects.bulk_update(renamed, ["name", "search_name", "sort_key"], batch_size=CHUNK)
        self.created_codes = {s.unit.code for s in new}
        self.write_events()
        self.write_staff()
        check_no_overlap([s.unit.pk for s in self.successors.values()] + ending)
        result.created += len(new)
        result.ended += len(ending)
        self.summarise(new)

    def write_events(self) -> None:
        acts: dict[str, list[ActRow]] = defaultdict(list)
        for row in self.rows:
            acts[row.act].append(row)
        events = [
            LineageEvent(kind=LineageKind.ACT, date=self.day, decision=act[:255]) for act in acts
        ]
        if self.derived:
            events.append(
                LineageEvent(
                    kind=LineageKind.ACT,
                    date=self.day,
                    decision=", ".join(sorted(acts))[:255],
                    note=_("Districts whose units all left on this day (derived)."),
                )
            )
        LineageEvent.objects.bulk_create(events)
        edges = []
        for event, (_act, act_rows) in zip(events, acts.items(), strict=False):
            pairs = set()
            for row in act_rows:
                pred = self.units[row.old_code]
                succ = self.successors[row.new_code].unit if row.new_code else None
                pairs.add((pred.pk, succ.pk if succ else None))
            edges += [LineageEdge(event=event, predecessor_id=p, successor_id=s) for p, s in pairs]
        if self.derived:
            derived_event = events[-1]
            for pk, targets in self.derived.items():
                units = {self.unit_of(t).pk for t in targets} or {None}
                edges += [
                    LineageEdge(event=derived_event, predecessor_id=pk, successor_id=s)
                    for s in units
                ]
        LineageEdge.objects.bulk_create(edges, batch_size=CHUNK)
        for event, (act, act_rows) in zip(events, acts.items(), strict=False):
            codes = [self.successors[c].unit.code for c in {r.new_code for r in act_rows} if c]
            log(
                "org.act.apply",
                event,
                actor=self.actor,
                after={
                    "act": act,
                    "date": self.day.isoformat(),
                    "predecessors": sorted({self.units[r.old_code].code for r in act_rows}),
                    "successors": sorted(codes),
                    "created": sorted(c for c in codes if c in self.created_codes),
                },
            )
            self.result.lines.append(
                _("act %(act)s of %(day)s: %(rows)s rows, %(count)s successors")
                % {
                    "act": act,
                    "day": format_date(self.day),
                    "rows": len(act_rows),
                    "count": len(codes),
                }
            )
        if self.derived:
            log(
                "org.act.derive",
                events[-1],
                actor=self.actor,
                after={"ended": sorted(self.ending[pk].code for pk in self.derived)},
            )

    def write_staff(self) -> None:
        if not self.moves:
            return
        new_jobs = []
        for job, target in self.moves:
            unit = self.unit_of(target)
            new_jobs.append(
                Employment(
                    person_id=job.person_id,
                    unit=unit,
                    position=job.position,
                    start=self.day,
                    end=job.end,
                )
            )
        for chunk in _chunks([job.pk for job, _t in self.moves]):
            Employment.objects.filter(pk__in=chunk).update(end=self.day)
        Employment.objects.bulk_create(new_jobs, batch_size=CHUNK)
        log(
            "org.act.staff",
            self.ending[self.moves[0][0].unit_id],
            actor=self.actor,
            after={
                "date": self.day.isoformat(),
                "moved": [
                    [job.person.code, self.ending[job.unit_id].code, new.unit.code]
                    for (job, _t), new in zip(self.moves, new_jobs, strict=True)
                ],
            },
        )
        self.result.moved_staff += len(self.moves)

    def summarise(self, new) -> None:
        """Per province after the day (the province a successor sits in): how many units
        came in, were created, continued, ended."""
        parent_of = dict(
            UnitVersion.objects.on(self.day).values_list("unit_id", "parent_id").iterator()
        )
        provinces = dict(
            Unit.objects.filter(kind=UnitKind.PROVINCE).values_list("pk", "name").iterator()
        )

        def province(pk):
            seen = set()
            while pk is not None and pk not in provinces and pk not in seen:
                seen.add(pk)
                pk = parent_of.get(pk)
            return provinces.get(pk, _("(no province)"))

        came_from = defaultdict(set)  # (province, kind) → predecessors, each counted once
        for succ in self.successors.values():
            name = province(succ.unit.pk)
            self.result.by_province[name][f"{succ.unit.kind}:{succ.how}"] += 1
            came_from[name, succ.unit.kind] |= {r.old_code for r in succ.rows}
        for (name, kind), codes in came_from.items():
            self.result.by_province[name][f"{kind}:predecessors"] += len(codes)
        for pk in self.derived:
            targets = [self.unit_of(t).pk for t in self.derived[pk]]
            name = province(targets[0]) if targets else _("(no province)")
            self.result.by_province[name]["district:ended"] += 1


__all__ = [
    "ActResult",
    "ActRow",
    "NewUnit",
    "Placement",
    "check_no_overlap",
    "new_internal_code",
    "overlapping_versions",
    "run_acts",
]
