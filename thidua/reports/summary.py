"""The year-end summary of a unit (báo cáo tổng kết năm), computed from the records.

`build_summary(unit, year)` reads everything the summary conference states — tasks
completed of those assigned from above, the indicator table against each reference
value, the ratings of the units directly under the unit and of its staff, the block
ranking, the awards of the year, next year's targets — and returns it as plain data
(`Summary`). Nothing in it is typed in: change a record and the summary changes. The
renderers (`markdown.py`, `document.py`, the dashboard) only format it.

Who counts:

- the unit's subtree is every unit beneath it on 1 January or 31 December of the year
  (a unit created or merged away during the year still counts);
- its staff are the people employed in the subtree at some time during the year;
- an award "of the year" is a valid award whose achievement period ends in the year
  (so the Hero of Labour title for 1986–2020 is a 2020 award); it is received from
  above when the deciding authority lies outside the subtree, given by the unit when
  the unit decided it, and given within when a unit beneath it did.

Shares: the share of units rated "completed well" or better is over all units directly
under the unit (an unrated unit is a gap the report must show); for staff, over those
rated (people who worked less than six months of the year are not rated).

The whole summary takes a fixed number of queries whatever the size of the subtree.
"""

import datetime
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from thidua.accounts.choices import Action
from thidua.accounts.scope import require
from thidua.emulation.choices import CovenantStatus
from thidua.emulation.models import BlockMembership
from thidua.emulation.ranking import members_at_year_end, rank_covenants
from thidua.org import tree
from thidua.org.models import Employment, Person, Unit, UnitVersion
from thidua.plans import selectors as plans
from thidua.plans.assessment import better, target_kind_of
from thidua.plans.choices import Measure
from thidua.records.choices import RATING_RANK, AwardStatus, RatingLevel
from thidua.records.models import Award, PersonRating, UnitRating
from thidua.routers import replica_reads
from thidua.rules.catalog import get_catalog

FIRST_YEAR, LAST_YEAR = 1945, 2100  # the years the records hold (records.models)
HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")
LEVELS = [RatingLevel.HTXS, RatingLevel.HTT, RatingLevel.HT, RatingLevel.KHT]
GOOD = {level for level in LEVELS if RATING_RANK[level] >= RATING_RANK[RatingLevel.HTT]}
# Above this many collective recipients a group lists none by name.
NAMED_COLLECTIVES = 40


@dataclass
class UnitRef:
    code: str
    name: str  # as it was at the end of the year
    kind: str = ""


@dataclass
class TaskLine:
    """The tasks of the year one unit assigned to the summarised unit."""

    assigned_by: UnitRef
    assigned: int
    completed: int
    on_time: int
    open: int
    overdue: int
    withdrawn: int
    rate: Decimal | None


@dataclass
class ReferenceLine:
    kind: str
    value: Decimal
    achievement: Decimal | None
    met: bool | None
    source_number: str = ""
    source_date: datetime.date | None = None


@dataclass
class IndicatorLine:
    """An indicator of the year. Every figure that reads "how it went" comes from
    `thidua.plans.assessment` once, here: each reference's achievement (100 % or more is
    met, whatever the target kind) and met; the change on last year shown (`shown_change`:
    percent for an amount, percentage points for a rate) and whether it is for the better.
    The Markdown, JSON and .docx reports, their charts and the dashboard all read these."""

    code: str
    name: str
    measure: str
    direction: str
    target_kind: str
    decimals: int
    value: Decimal | None
    version: str | None
    aggregated_from: int  # 0: the unit's own figure
    last_year: Decimal | None
    growth: Decimal | None  # percent of last year's figure
    change: Decimal | None  # value − last year's, in the measure (points for a percent)
    references: list[ReferenceLine] = field(default_factory=list)
    shown_change: Decimal | None = None  # `growth`, or `change` for a rate (points)
    change_in_points: bool = False  # the measure is a percentage: `shown_change` is points
    better: bool | None = None  # the change is for the better (None: no change)

    def reference(self, kind: str) -> ReferenceLine | None:
        return next((r for r in self.references if r.kind == kind), None)

    def settle(self) -> "IndicatorLine":
        """Fill the change shown and whether it is for the better from the figures."""
        self.change_in_points = self.measure == Measure.PERCENT
        self.shown_change = self.change if self.change_in_points else self.growth
        self.better = better(self.shown_change, self.direction)
        return self


@dataclass
class Distribution:
    """Ratings of a population: counts per level (HTXS, HTT, HT, KHT), the unrated, and
    the share rated "completed well" or better over `base` (see the module docstring)."""

    total: int
    counts: dict[str, int]
    not_rated: int
    good_or_better: int
    base: int
    share: Decimal | None


@dataclass
class BlockLine:
    """The unit's place in an emulation block of the year (None fields: not published)."""

    code: str
    name: str
    organiser: UnitRef
    members: int
    published: bool
    rank: int | None = None
    score: Decimal | None = None
    leads: bool = False


@dataclass
class BlockSection:
    available: bool  # the emulation app is installed
    blocks: list[BlockLine] = field(default_factory=list)


@dataclass
class AwardGroup:
    """Awards of one form in one decision (for awards given within the subtree: of one
    form, all decisions together, `decisions` counting them)."""

    award_code: str
    award_name: str
    rank: int
    authority: UnitRef
    decision_number: str
    decision_date: datetime.date | None
    collectives: int
    individuals: int
    decisions: int = 1
    recipients: list[UnitRef] = field(default_factory=list)  # collectives, by name


@dataclass
class GoalLine:
    title: str
    before_year: int | None
    indicator: str = ""
    value: Decimal | None = None


@dataclass
class TargetLine:
    code: str
    name: str
    measure: str
    decimals: int
    kind: str
    value: Decimal
    source_number: str = ""


@dataclass
class Summary:
    unit: UnitRef
    parent: UnitRef | None
    year: int
    computed_on: datetime.date
    tasks: list[TaskLine]
    indicators: list[IndicatorLine]
    unit_ratings: Distribution
    staff_ratings: Distribution
    block: BlockSection
    awards_received: list[AwardGroup]
    awards_given: list[AwardGroup]
    awards_within: list[AwardGroup]
    goals: list[GoalLine]
    targets: list[TargetLine]

    @property
    def tasks_from_above(self) -> list[TaskLine]:
        """Tasks assigned by another unit (a unit's tasks to itself are left out)."""
        return [t for t in self.tasks if t.assigned_by.code != self.unit.code]

    def indicator(self, code: str) -> IndicatorLine | None:
        return next((i for i in self.indicators if i.code == code), None)

    def as_dict(self) -> dict:
        """Plain JSON-ready data: numbers as numbers, dates in ISO format."""
        return _json_ready(asdict(self))


def _json_ready(value):
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


# --------------------------------------------------------------------------- parts


class _Names:
    """Hands out `UnitRef`s by unit id while the summary is built, and fills in every
    code and name at the end in one query (the name on the given day, or the unit's
    first or last name when it did not exist that day)."""

    def __init__(self):
        self.refs: dict[int, list[UnitRef]] = defaultdict(list)

    def ref(self, unit_id: int) -> UnitRef:
        ref = UnitRef("", "")
        self.refs[unit_id].append(ref)
        return ref

    def resolve(self, day: datetime.date) -> None:
        versions: dict[int, list[UnitVersion]] = defaultdict(list)
        rows = UnitVersion.objects.filter(unit_id__in=list(self.refs)).select_related("unit")
        for version in rows.order_by("valid_from"):
            versions[version.unit_id].append(version)
        for unit_id, refs in self.refs.items():
            history = versions.get(unit_id)
            if not history:
                continue
            chosen = next((v for v in reversed(history) if v.valid_from <= day), history[0])
            for ref in refs:
                ref.code, ref.name, ref.kind = chosen.unit.code, chosen.name, chosen.unit.kind


def _subtree(unit: Unit, year: int) -> tuple[set[int], set[int], int | None]:
    """(the unit and every unit beneath it on 1 January or 31 December, the units
    directly under it on 31 December, its parent then or else on 1 January), in two
    queries."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    children_last, children_first = tree.children_on(last), tree.children_on(first)
    subtree = tree.descendants(children_last, unit.pk) | tree.descendants(children_first, unit.pk)
    parent_id = next(
        (
            parent
            for children in (children_last, children_first)
            for parent, kids in children.items()
            if unit.pk in kids
        ),
        None,
    )
    return subtree, set(children_last.get(unit.pk, ())), parent_id


def _distribution(counts: dict[str, int], total: int, *, over_all: bool) -> Distribution:
    rated = sum(counts.values())
    good = sum(counts.get(level, 0) for level in GOOD)
    base = total if over_all else rated
    share = (Decimal(good) * HUNDRED / base).quantize(TWO_PLACES) if base else None
    return Distribution(
        total=total,
        counts={str(level): counts.get(level, 0) for level in LEVELS},
        not_rated=total - rated,
        good_or_better=good,
        base=base,
        share=share,
    )


def _level_counts(ratings) -> dict[str, int]:
    return dict(
        ratings.order_by().values("level").annotate(n=Count("pk")).values_list("level", "n")
    )


def _staff(subtree: set[int], year: int):
    """The people employed in the subtree at some time in `year` (a subquery)."""
    first, after = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    rows = Employment.objects.filter(unit_id__in=subtree).overlapping(first, after)
    return rows.values("person_id")


def _ratings(year: int, direct: set[int], subtree: set[int]) -> tuple[Distribution, Distribution]:
    """Counted in the database: three small queries whatever the number of people."""
    staff = _staff(subtree, year)
    units = _level_counts(UnitRating.objects.filter(year=year, unit_id__in=direct))
    people = _level_counts(PersonRating.objects.filter(year=year, person_id__in=staff))
    headcount = Person.objects.filter(pk__in=staff).count()
    return (
        _distribution(units, len(direct), over_all=True),
        _distribution(people, headcount, over_all=False),
    )


def _tasks(unit: Unit, year: int, today: datetime.date, names: _Names) -> list[TaskLine]:
    lines = plans.completion_by_assigner(unit, year, today, with_units=False)
    return [
        TaskLine(
            names.ref(c.assigned_by_id),
            c.assigned,
            c.completed,
            c.on_time,
            c.open,
            c.overdue,
            c.withdrawn,
            c.rate,
        )
        for c in lines
    ]


def _indicators(unit: Unit, year: int, indicators=None) -> list[IndicatorLine]:
    lines = []
    for row in plans.indicator_table(unit, year, indicators):
        i = row.indicator
        lines.append(
            IndicatorLine(
                code=i.code,
                name=i.name,
                measure=i.measure,
                direction=i.direction,
                target_kind=target_kind_of(i),
                decimals=i.decimals,
                value=row.actual.value if row.actual else None,
                version=row.actual.version if row.actual else None,
                aggregated_from=row.actual.parts if row.actual else 0,
                last_year=row.last_year,
                growth=row.growth,
                change=(
                    row.actual.value - row.last_year
                    if row.actual and row.last_year is not None
                    else None
                ),
                references=[
                    ReferenceLine(
                        r.kind, r.value, r.achievement, r.met, r.source_number, r.source_date
                    )
                    for r in row.references
                ],
            )
        )
    for line in lines:
        line.settle()
    return lines


def _awards(unit: Unit, year: int, subtree: set[int], names: _Names):
    """(received from above, given by the unit, given within), each a list of groups,
    the highest form first. Counted in the database per decision (one query), with the
    collective recipients read by name (one query each for their rows and names)."""
    first, after = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    awards = Award.objects.filter(
        status=AwardStatus.VALID, period_end__gte=first, period_end__lt=after
    ).filter(Q(unit_id__in=subtree) | Q(person_id__in=_staff(subtree, year)))
    decisions_rows = list(
        awards.order_by()
        .values("award_code", "authority_id", "decision_number", "decision_date")
        .annotate(
            collectives=Count("pk", filter=Q(unit__isnull=False)),
            individuals=Count("pk", filter=Q(person__isnull=False)),
        )
        .values_list(
            "award_code",
            "authority_id",
            "decision_number",
            "decision_date",
            "collectives",
            "individuals",
        )
    )
    collective_rows = list(
        awards.filter(unit__isnull=False).values_list(
            "award_code", "authority_id", "decision_number", "decision_date", "unit_id"
        )
    )
    catalog = get_catalog()

    received: dict[tuple, AwardGroup] = {}
    given: dict[tuple, AwardGroup] = {}
    within: dict[tuple, AwardGroup] = {}
    decisions: dict[int, set] = defaultdict(set)  # id(group) → its (authority, number)s

    def group_of(code, authority_id, number, day) -> AwardGroup:
        if authority_id not in subtree:
            groups, key = received, (code, authority_id, number, day)
        elif authority_id == unit.pk:
            groups, key = given, (code, authority_id, number, day)
        else:
            groups, key = within, (code,)
        group = groups.get(key)
        if group is None:
            entry = catalog.get(code)
            one = groups is not within
            group = groups[key] = AwardGroup(
                award_code=code,
                award_name=entry.name_vi if entry else code,
                rank=int(entry.extra.get("rank", 0)) if entry else 0,
                authority=names.ref(authority_id) if one else UnitRef("", ""),
                decision_number=number if one else "",
                decision_date=day if one else None,
                collectives=0,
                individuals=0,
            )
        return group

    for code, authority_id, number, day, collectives, individuals in decisions_rows:
        group = group_of(code, authority_id, number, day)
        group.collectives += collectives
        group.individuals += individuals
        decisions[id(group)].add((authority_id, number))
    for code, authority_id, number, day, unit_id in collective_rows:
        group_of(code, authority_id, number, day).recipients.append(names.ref(unit_id))

    def ordered(groups):
        result = []
        for group in groups.values():
            group.decisions = len(decisions[id(group)])
            if group.collectives > NAMED_COLLECTIVES:
                group.recipients = []
            result.append(group)
        result.sort(
            key=lambda g: (-g.rank, g.decision_date or datetime.date.min, g.decision_number)
        )
        return result

    return ordered(received), ordered(given), ordered(within)


def _blocks(unit: Unit, year: int, names: _Names) -> BlockSection:
    """The unit's blocks of the year with its rank where the results are published,
    from the emulation app's ranking (computed from the scores, never stored)."""
    last = datetime.date(year, 12, 31)
    memberships = list(
        BlockMembership.objects.filter(unit=unit, block__year=year, joined_on__lte=last)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=last))
        .select_related("block__organiser", "block__covenant")
    )
    blocks = [m.block for m in memberships]
    covenants = [
        b.covenant
        for b in blocks
        if getattr(b, "covenant", None) is not None
        and b.covenant.status == CovenantStatus.PUBLISHED
    ]
    rankings = rank_covenants(covenants)
    members = members_at_year_end([b.pk for b in blocks], {b.pk: b.year for b in blocks})
    lines = []
    for block in blocks:
        covenant = getattr(block, "covenant", None)
        ranking = rankings.get(covenant.pk) if covenant is not None else None
        line = BlockLine(
            code=block.code,
            name=block.name,
            organiser=names.ref(block.organiser_id),
            members=len(members.get(block.pk, [])),
            published=ranking is not None,
        )
        if ranking is not None:
            standing = next((s for s in ranking.standings if s.unit.pk == unit.pk), None)
            if standing is not None:
                line.rank, line.score, line.leads = standing.rank, standing.final, standing.leads
        lines.append(line)
    lines.sort(key=lambda b: (b.rank is None, b.rank or 0, b.code))
    return BlockSection(available=True, blocks=lines)


def _next_year(unit: Unit, year: int, indicators=None) -> tuple[list[GoalLine], list[TargetLine]]:
    goals = [
        GoalLine(g.title, g.before_year, g.indicator.code if g.indicator else "", g.value)
        for g in plans.goals_of(unit, year + 1)
    ]
    targets = [
        TargetLine(
            r.indicator.code,
            r.indicator.name,
            r.indicator.measure,
            r.indicator.decimals,
            r.kind,
            r.value,
            r.source_number,
        )
        for r in plans.targets_of(unit, year + 1, indicators)
    ]
    # The catalog's order of indicators, then the estimate from above first.
    first = {}
    for line in targets:
        first.setdefault(line.code, len(first))
    kinds = {kind: i for i, kind in enumerate(plans.REFERENCE_ORDER)}
    targets.sort(key=lambda t: (first[t.code], kinds.get(t.kind, len(kinds))))
    return goals, targets


# --------------------------------------------------------------------------- the service


@replica_reads()
def build_summary(
    unit: Unit,
    year: int,
    *,
    user,
    today: datetime.date | None = None,
    indicators: list | None = None,
) -> Summary:
    """The year-end summary of `unit` for `year`, computed from the records.

    `user` (required; `SYSTEM` for the operator's CLI) must be allowed to view the unit:
    everything summarised lies in its subtree, so it is in the user's scope too.
    `today` decides which open tasks are overdue (default: the local date).
    `indicators` limits the indicator table and next year's figures to these (default:
    the whole catalog; the dashboard shows a page at a time). A fixed number of queries (about twenty-five),
    whatever the size of the subtree.
    """
    require(user, Action.VIEW, unit)
    today = today or timezone.localdate()
    subtree, direct, parent_id = _subtree(unit, year)
    names = _Names()
    unit_ratings, staff_ratings = _ratings(year, direct, subtree)
    received, given, within = _awards(unit, year, subtree, names)
    goals, targets = _next_year(unit, year, indicators)
    summary = Summary(
        unit=names.ref(unit.pk),
        parent=names.ref(parent_id) if parent_id else None,
        year=year,
        computed_on=today,
        tasks=_tasks(unit, year, today, names),
        indicators=_indicators(unit, year, indicators),
        unit_ratings=unit_ratings,
        staff_ratings=staff_ratings,
        block=_blocks(unit, year, names),
        awards_received=received,
        awards_given=given,
        awards_within=within,
        goals=goals,
        targets=targets,
    )
    names.resolve(datetime.date(year, 12, 31))
    for group in (*received, *given, *within):
        group.recipients.sort(key=lambda u: u.code)
    return summary
