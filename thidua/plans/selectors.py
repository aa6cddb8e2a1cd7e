"""Read-side queries of tasks and indicators, shared by the pages, the API and the
year-end report. Each reads a whole set in a fixed number of queries whatever the number
of rows, and leaves permission to the caller (pass units that went through
`thidua.accounts.scope`), except `visible_assignments`, which applies it.

Figures computed here are never stored and never capped: an achievement of 235 % is
235 %, a fall is a negative growth.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)

from thidua.accounts.choices import Action
from thidua.accounts.scope import unit_ids_for
from thidua.org.ids import InIds
from thidua.org.models import Unit
from thidua.org.tree import children_on, descendants
from thidua.plans.assessment import assess, growth, target_kind_of
from thidua.plans.choices import (
    OPEN_STATUSES,
    VERSION_RANK,
    Aggregation,
    Period,
    ReferenceKind,
    TaskStatus,
)
from thidua.plans.models import (
    VALUE_PLACES,
    Goal,
    Indicator,
    IndicatorActual,
    IndicatorReference,
    TaskAssignment,
)

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")

# --------------------------------------------------------------------------- tasks


def visible_assignments(user, action: str = Action.VIEW) -> QuerySet[TaskAssignment]:
    """Assignments whose assignee or whose assigning unit the user may see."""
    ids = unit_ids_for(user, action)
    rows = TaskAssignment.objects.all()
    if ids is None:
        return rows
    return rows.filter(Q(InIds("unit_id", ids)) | Q(InIds("task__assigned_by_id", ids)))


def is_overdue(assignment: TaskAssignment, today: datetime.date) -> bool:
    """Still open after its deadline, or completed after it."""
    deadline = assignment.task.deadline
    if assignment.status in OPEN_STATUSES:
        return deadline < today
    if assignment.status == TaskStatus.COMPLETED:
        return assignment.completed_on > deadline
    return False


@dataclass
class Completion:
    """How a unit did on the tasks of a year assigned to it by one unit (withdrawn tasks
    do not count as assigned)."""

    assigned_by: Unit | None
    assigned_by_id: int | None = None
    assigned: int = 0
    completed: int = 0
    on_time: int = 0  # completed by the deadline
    open: int = 0
    overdue: int = 0  # open after the deadline
    withdrawn: int = 0

    @property
    def rate(self) -> Decimal | None:
        """Completed over assigned, in percent (None when nothing was assigned)."""
        if not self.assigned:
            return None
        return (Decimal(self.completed) * HUNDRED / self.assigned).quantize(TWO_PLACES)

    @property
    def all_done(self) -> bool:
        return self.assigned > 0 and self.completed == self.assigned


def _counted(rows: QuerySet[TaskAssignment], key: str, today: datetime.date):
    """key value → Completion of the assignments in `rows`, counted in the database
    (one query, one row per key)."""
    done = Q(status=TaskStatus.COMPLETED)
    still_open = Q(status__in=list(OPEN_STATUSES))
    withdrawn = Q(status=TaskStatus.WITHDRAWN)
    counts = (
        rows.order_by()
        .values(key)
        .annotate(
            n_assigned=Count("pk", filter=~withdrawn),
            n_completed=Count("pk", filter=done),
            n_on_time=Count("pk", filter=done & Q(completed_on__lte=F("task__deadline"))),
            n_open=Count("pk", filter=still_open),
            n_overdue=Count("pk", filter=still_open & Q(task__deadline__lt=today)),
            n_withdrawn=Count("pk", filter=withdrawn),
        )
    )
    return {
        row[key]: Completion(
            None,
            None,
            row["n_assigned"],
            row["n_completed"],
            row["n_on_time"],
            row["n_open"],
            row["n_overdue"],
            row["n_withdrawn"],
        )
        for row in counts
    }


def completion_by_assigner(
    unit: Unit, year: int, today: datetime.date, *, with_units: bool = True
) -> list[Completion]:
    """The tasks of `year` assigned to `unit`, per assigning unit (the one that gave the
    most first), in one query whatever the number of tasks, plus one for the assigning
    units (`with_units`; otherwise only `assigned_by_id` is set)."""
    rows = TaskAssignment.objects.filter(unit=unit, task__year=year)
    by_assigner = _counted(rows, "task__assigned_by_id", today)
    units = Unit.objects.in_bulk(list(by_assigner)) if with_units else {}
    for assigner_id, completion in by_assigner.items():
        completion.assigned_by_id = assigner_id
        completion.assigned_by = units.get(assigner_id)
    return sorted(by_assigner.values(), key=lambda c: (-c.assigned, c.assigned_by_id))


def completion_by_unit(
    year: int, unit_ids: Iterable[int], today: datetime.date, *, from_above: bool = True
) -> dict[int, Completion]:
    """unit id → its completion of the tasks of `year` (one query), as a unit's record
    when its rating or its awards are considered. `from_above`: only tasks assigned by
    another unit (a unit's tasks to itself do not count)."""
    rows = TaskAssignment.objects.filter(InIds("unit_id", unit_ids), task__year=year)
    if from_above:
        rows = rows.exclude(task__assigned_by_id=F("unit_id"))
    return _counted(rows, "unit_id", today)


def reminders(
    unit_ids: Iterable[int] | None, today: datetime.date, *, days: int = 14, limit: int = 50
) -> tuple[list[TaskAssignment], list[TaskAssignment]]:
    """(overdue, due soon): open assignments of the given units (None: all) past their
    deadline, and those due within `days`, the most urgent first; two queries."""
    open_rows = TaskAssignment.objects.filter(status__in=list(OPEN_STATUSES))
    if unit_ids is not None:
        open_rows = open_rows.filter(InIds("unit_id", unit_ids))
    # The open assignments are picked in a subquery of their own: joined with the tasks
    # for the ordering, SQLite would walk every task and probe it for each unit.
    rows = (
        TaskAssignment.objects.filter(pk__in=open_rows.values("pk"))
        .select_related("task__assigned_by", "unit")
        .order_by("task__deadline", "task_id", "unit__code")
    )
    overdue = list(rows.filter(task__deadline__lt=today)[:limit])
    soon = list(
        rows.filter(
            task__deadline__gte=today, task__deadline__lte=today + datetime.timedelta(days)
        )[:limit]
    )
    return overdue, soon


# --------------------------------------------------------------------------- indicators


@dataclass
class Figure:
    """A unit's value on an indicator for a year: its own most final actual, or the
    aggregate of the units beneath it (`parts` of them) when it has none."""

    value: Decimal
    version: str
    reported_on: datetime.date | None = None
    parts: int = 0  # 0: the unit's own figure

    @property
    def aggregated(self) -> bool:
        return self.parts > 0


@dataclass
class Reference:
    kind: str
    value: Decimal
    achievement: Decimal | None  # percent, ≥ 100 when met (`assessment.assess`)
    met: bool | None
    source_number: str = ""
    source_date: datetime.date | None = None
    computed: bool = False  # last year's actual read from the actuals, not stored

    @property
    def label(self) -> str:
        return str(ReferenceKind(self.kind).label)


@dataclass
class IndicatorRow:
    indicator: Indicator
    actual: Figure | None
    last_year: Decimal | None
    growth: Decimal | None
    references: list[Reference] = field(default_factory=list)

    def reference(self, kind: str) -> Reference | None:
        return next((r for r in self.references if r.kind == kind), None)


REFERENCE_ORDER = [
    ReferenceKind.PROVINCE_ESTIMATE,
    ReferenceKind.LOCAL_ESTIMATE,
    ReferenceKind.COUNCIL_TARGET,
    ReferenceKind.LAST_YEAR_ACTUAL,
]


def _rank():
    """The version's rank (`VERSION_RANK`) as an SQL expression."""
    return Case(
        *[When(version=version, then=Value(rank)) for version, rank in VERSION_RANK.items()],
        output_field=IntegerField(),
    )


def _most_final(actuals: QuerySet[IndicatorActual]) -> QuerySet[IndicatorActual]:
    """Only the most final version of each (indicator, unit, year, period), decided in
    the database (an index lookup per row on the unique key)."""
    better = (
        IndicatorActual.objects.filter(
            indicator=OuterRef("indicator"),
            unit=OuterRef("unit"),
            year=OuterRef("year"),
            period=OuterRef("period"),
        )
        .annotate(rank=_rank())
        .filter(rank__gt=OuterRef("rank"))
    )
    return actuals.annotate(rank=_rank()).exclude(Exists(better))


def own_figures(
    indicator_ids: Iterable[int], unit_ids: Iterable[int], years: Iterable[int]
) -> dict[tuple[int, int, int], Figure]:
    """(indicator id, unit id, year) → the most final whole-year actual (one query)."""
    rows = _most_final(
        IndicatorActual.objects.filter(
            InIds("unit_id", unit_ids),
            indicator_id__in=list(indicator_ids),
            year__in=list(years),
            period=Period.YEAR,
        )
    ).values_list("indicator_id", "unit_id", "year", "version", "value", "reported_on")
    return {(i, u, y): Figure(value, version, day) for i, u, y, version, value, day in rows}


RANK_VERSION = {rank: version for version, rank in VERSION_RANK.items()}


def child_sums(
    indicator_ids: Iterable[int], parent_ids: Iterable[int], year: int
) -> dict[tuple[int, int], tuple[Decimal, int, str]]:
    """(indicator id, parent id) → (sum, count, least final version) of the most final
    whole-year figures of `year` of the units that were directly under each parent on
    31 December, summed in the database (one query, one row per parent and indicator
    whatever the number of units beneath)."""
    day = datetime.date(year, 12, 31)
    on_day = Q(unit__versions__valid_from__lte=day) & (
        Q(unit__versions__valid_to__isnull=True) | Q(unit__versions__valid_to__gt=day)
    )
    rows = (
        _most_final(
            IndicatorActual.objects.filter(
                on_day,
                indicator_id__in=list(indicator_ids),
                year=year,
                period=Period.YEAR,
                unit__versions__parent_id__in=list(parent_ids),
            )
        )
        .values("indicator_id", parent=F("unit__versions__parent_id"))
        .annotate(total=Sum("value"), count=Count("pk"), low=Min("rank"))
        .values_list("indicator_id", "parent", "total", "count", "low")
    )
    places = Decimal(1).scaleb(-VALUE_PLACES)  # a database's float sum, back to the column
    return {
        (indicator_id, parent): (Decimal(total).quantize(places), count, RANK_VERSION[low])
        for indicator_id, parent, total, count, low in rows
    }


def figures_of(
    indicators: list[Indicator], root_id: int, year: int, children: dict[int, list[int]]
) -> dict[int, Figure]:
    """indicator id → the unit's figure for `year`: its own most final actual, else (if
    the indicator aggregates) the sum or mean of the figures of the units directly under
    it on 31 December, each found the same way; the version of an aggregate is the least
    final of its parts. Two queries whatever the size of the subtree: the own figures of
    the units that have units beneath them, and the sums of the others by parent."""
    inner = {u for u in descendants(children, root_id) if children.get(u)} | {root_id}
    ids = [i.pk for i in indicators]
    own = own_figures(ids, inner, [year])
    sums = child_sums(ids, inner, year) if inner else {}

    def figure(indicator: Indicator, unit_id: int) -> Figure | None:
        mine = own.get((indicator.pk, unit_id, year))
        if mine is not None or indicator.aggregation == Aggregation.NONE:
            return mine
        # The sum already holds every child's own figure; a child without one that has
        # units beneath it adds its own aggregate.
        total, count, version = sums.get((indicator.pk, unit_id), (Decimal(0), 0, None))
        for child in children.get(unit_id, ()):
            if child in inner and (indicator.pk, child, year) not in own:
                part = figure(indicator, child)
                if part is not None:
                    total += part.value
                    count += 1
                    if version is None or VERSION_RANK[part.version] < VERSION_RANK[version]:
                        version = part.version
        if not count:
            return None
        if indicator.aggregation == Aggregation.MEAN:
            total = total / count
        return Figure(Decimal(total), version, None, count)

    result = {}
    for indicator in indicators:
        found = figure(indicator, root_id)
        if found is not None:
            result[indicator.pk] = found
    return result


def indicator_table(
    unit: Unit, year: int, indicators: Iterable[Indicator] | None = None
) -> list[IndicatorRow]:
    """Every indicator the unit has a figure or a reference value for in `year`, with
    last year's actual, the growth and the achievement against each reference value, in
    a fixed number of queries (indicators, the tree at the end of the year, actuals of
    the subtree for both years, references).

    Last year's actual is read from the actuals of `year - 1` (aggregated like this
    year's); a stored `last_year_actual` reference is used only where none is on file.
    """
    indicators = list(Indicator.objects.all() if indicators is None else indicators)
    by_id = {i.pk: i for i in indicators}
    now = figures_of(indicators, unit.pk, year, children_on(datetime.date(year, 12, 31)))
    then = figures_of(indicators, unit.pk, year - 1, children_on(datetime.date(year - 1, 12, 31)))
    references: dict[int, dict[str, IndicatorReference]] = defaultdict(dict)
    for ref in IndicatorReference.objects.filter(
        unit=unit, year=year, indicator_id__in=list(by_id)
    ):
        references[ref.indicator_id][ref.kind] = ref

    rows = []
    for indicator in indicators:
        actual = now.get(indicator.pk)
        stored = references.get(indicator.pk, {})
        if actual is None and not stored:
            continue
        before = then.get(indicator.pk)
        last_ref = stored.get(ReferenceKind.LAST_YEAR_ACTUAL)
        last_year = before.value if before else (last_ref.value if last_ref else None)
        row = IndicatorRow(
            indicator,
            actual,
            last_year,
            growth(actual.value, last_year) if actual else None,
        )
        for kind in REFERENCE_ORDER:
            if kind == ReferenceKind.LAST_YEAR_ACTUAL:
                if last_year is None:
                    continue
                value, ref, computed = last_year, (None if before else last_ref), before is not None
            elif kind in stored:
                ref = stored[kind]
                value, computed = ref.value, False
            else:
                continue
            verdict = assess(actual.value if actual else None, value, target_kind_of(indicator))
            row.references.append(
                Reference(
                    kind,
                    value,
                    verdict.achievement,
                    verdict.met,
                    ref.source_number if ref else "",
                    ref.source_date if ref else None,
                    computed,
                )
            )
        rows.append(row)
    return rows


def goals_of(unit: Unit, year: int) -> list[Goal]:
    """The unit's goals for plan year `year`, in their order (one query)."""
    return list(Goal.objects.filter(unit=unit, year=year).select_related("indicator"))


def targets_of(
    unit: Unit, year: int, indicators: Iterable[Indicator] | None = None
) -> list[IndicatorReference]:
    """The reference values set for `year` (the next year's targets in a year-end
    report), of the given indicators (None: all), in the catalog's order (one query)."""
    rows = IndicatorReference.objects.filter(unit=unit, year=year)
    if indicators is not None:
        rows = rows.filter(indicator__in=list(indicators))
    return list(
        rows.exclude(kind=ReferenceKind.LAST_YEAR_ACTUAL)
        .select_related("indicator")
        .order_by("indicator__position", "indicator__code", "kind")
    )
