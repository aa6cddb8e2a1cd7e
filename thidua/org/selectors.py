"""Read-side queries shared by the pages and the API: the tree as of a date, a unit's
lineage and members, a person's timeline.

Every function here reads a whole set at once (a fixed number of queries whatever the
number of rows) and leaves permission to the caller: pass ids or querysets that already
went through `thidua.accounts.scope`.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Min, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat

from thidua.org.models import Employment, LineageEdge, Person, Unit, UnitVersion
from thidua.org.tree import (  # noqa: F401 (re-exported)
    TreeNode,
    children_as_of,
    parent_chain,
    tree_as_of,
    tree_size,
)
from thidua.records.choices import RatingLevel
from thidua.records.models import (
    Absence,
    Award,
    Discipline,
    Initiative,
    PendingReview,
    PersonRating,
    UnitRating,
)
from thidua.rules.catalog import get_catalog

# --------------------------------------------------------------------------- the tree
# The tree itself lives in `thidua.org.tree`; these names stay importable from here.


def unit_versions(unit: Unit) -> list[UnitVersion]:
    """The unit's name and parent history, the newest first."""
    return list(unit.versions.select_related("parent").order_by("-valid_from"))


# --------------------------------------------------------------------------- lineage


@dataclass
class LineageItem:
    """One change the unit took part in, with the units on each side."""

    event: object
    predecessors: list[Unit]
    successors: list[Unit]
    role: str  # "predecessor", "successor" or "self" (rename, re-parent)


def unit_lineage(unit: Unit) -> list[LineageItem]:
    """Every lineage event involving `unit`, oldest first, with all the units on both sides
    of each event (two queries)."""
    event_ids = (
        LineageEdge.objects.filter(Q(predecessor=unit) | Q(successor=unit))
        .values_list("event_id", flat=True)
        .distinct()
    )
    edges = (
        LineageEdge.objects.filter(event_id__in=list(event_ids))
        .select_related("event", "predecessor", "successor")
        .order_by("event__date", "event_id", "id")
    )
    grouped: dict[int, LineageItem] = {}
    for edge in edges:
        item = grouped.get(edge.event_id)
        if item is None:
            item = grouped[edge.event_id] = LineageItem(edge.event, [], [], "")
        if edge.predecessor not in item.predecessors:
            item.predecessors.append(edge.predecessor)
        if edge.successor is not None and edge.successor not in item.successors:
            item.successors.append(edge.successor)
    for item in grouped.values():
        if unit in item.predecessors and unit in item.successors:
            item.role = "self"
        elif unit in item.successors:
            item.role = "successor"
        else:
            item.role = "predecessor"
    return list(grouped.values())


# --------------------------------------------------------------------------- members


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """The half-open interval of a calendar year."""
    return datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)


def member_years(unit: Unit, today: datetime.date) -> list[int]:
    """The years in which `unit` had anyone employed, newest first (one query); at least
    the current year."""
    first = Employment.objects.filter(unit=unit).aggregate(first=Min("start"))["first"]
    first_year = min(first.year, today.year) if first else today.year
    return list(range(today.year, first_year - 1, -1))


def members_in_year(unit: Unit, year: int) -> list[Employment]:
    """Employments of `unit` overlapping `year`, with the person and their rating that
    year (`rating_level`, `rating_label`, `rating_score`), in Vietnamese order of names;
    one query. A person who moved within the year appears once per employment."""
    start, end = year_bounds(year)
    rating = PersonRating.objects.filter(person=OuterRef("person_id"), year=year)
    members = list(
        Employment.objects.filter(unit=unit)
        .overlapping(start, end)
        .select_related("person")
        .annotate(
            rating_level=Subquery(rating.values("level")[:1]),
            rating_score=Subquery(rating.values("score")[:1]),
        )
        .order_by("person__sort_key", "person_id", "start")
    )
    for member in members:
        member.rating_label = RatingLevel(member.rating_level).label if member.rating_level else ""
    return members


def unit_ratings(unit: Unit) -> list[UnitRating]:
    return list(unit.ratings.order_by("-year"))


def unit_awards(unit: Unit) -> list[Award]:
    """Awards conferred on the unit, newest first, with `entry` (catalog) and
    `authority_name` (the authority's name on the decision date) set."""
    awards = list(unit.awards.select_related("authority").order_by("-decision_date", "-id"))
    _decorate_awards(awards)
    return awards


# --------------------------------------------------------------------------- people list


def attach_current_employment(people: list[Person], day: datetime.date) -> None:
    """Set `person.current_employment` on each person: the employment in force on `day`,
    else the latest one (None if never employed). One query for the whole list."""
    by_person: dict[int, list[Employment]] = defaultdict(list)
    employments = (
        Employment.objects.filter(person_id__in=[p.pk for p in people])
        .select_related("unit")
        .order_by("person_id", "-start")
    )
    for employment in employments:
        by_person[employment.person_id].append(employment)
    for person in people:
        mine = by_person.get(person.pk, [])
        person.current_employment = next(
            (e for e in mine if e.start <= day and (e.end is None or e.end > day)),
            mine[0] if mine else None,
        )


def person_list(people: QuerySet[Person], *, filtered: bool = False) -> QuerySet[Person]:
    """People in Vietnamese order (given name, middle, family; `id` breaks ties), reading
    only the columns a list shows.

    `filtered`: the rows were narrowed by a search or a unit. Ordering then goes by an
    expression over `sort_key` rather than the column, so that the database filters first
    and sorts the matches. Ordering by the indexed column makes SQLite walk the whole
    `sort_key` index and read every row to test the name: instant for the first page of
    a common name, but about half a second on 100,000 people when few rows match (a
    typo) or the page is deep. Without a filter the index walk is the fast plan.
    """
    rows = people.only("code", "family_name", "middle_name", "given_name", "birth_date", "sort_key")
    if filtered:
        return rows.alias(order=Concat("sort_key", Value(""))).order_by("order", "id")
    return rows.order_by("sort_key", "id")


# --------------------------------------------------------------------------- timeline


@dataclass
class TimelineEntry:
    """One fact of a person's record. `kind` picks the template block."""

    kind: str
    date: datetime.date
    obj: object
    extra: dict = field(default_factory=dict)


@dataclass
class TimelineYear:
    year: int
    entries: list[TimelineEntry]


# Within one day, which fact is listed first (newest-first order reads top-down).
_KIND_ORDER = {
    "award": 0,
    "rating": 1,
    "initiative": 2,
    "discipline": 3,
    "review": 4,
    "absence": 5,
    "employment": 6,
}


def _versions_by_unit(unit_ids: Iterable[int]) -> dict[int, list[UnitVersion]]:
    by_unit: dict[int, list[UnitVersion]] = defaultdict(list)
    for version in UnitVersion.objects.filter(unit_id__in=set(unit_ids)).order_by("valid_from"):
        by_unit[version.unit_id].append(version)
    return by_unit


def _name_on(unit: Unit, versions: list[UnitVersion], day: datetime.date) -> str:
    """The unit's name on `day` (its first or last name outside its life)."""
    chosen = None
    for version in versions:
        if version.valid_from <= day:
            chosen = version
    if chosen is None and versions:
        chosen = versions[0]
    return chosen.name if chosen else unit.name


def _decorate_awards(awards: list[Award]) -> None:
    catalog = get_catalog()
    versions = _versions_by_unit(a.authority_id for a in awards)
    for award in awards:
        award.entry = catalog.get(award.award_code)
        award.authority_name = _name_on(
            award.authority, versions.get(award.authority_id, []), award.decision_date
        )


def person_timeline(person: Person) -> list[TimelineYear]:
    """Everything on a person's record grouped by year, newest year first and newest fact
    first within a year; a fixed number of queries (one per kind of fact, plus one for the
    historic unit names).

    Years: an employment counts in the year it starts (a transfer shows the unit it came
    from), a rating in its year, an award in the year its achievement period ends, the
    others in the year they start.
    """
    employments = list(person.employments.select_related("unit").order_by("start"))
    awards = list(person.awards.select_related("authority").order_by("decision_date", "id"))
    _decorate_awards(awards)
    versions = _versions_by_unit(e.unit_id for e in employments)

    entries: list[TimelineEntry] = []
    previous = None
    for employment in employments:
        employment.unit_name = _name_on(
            employment.unit, versions.get(employment.unit_id, []), employment.start
        )
        transfer_from = previous if previous and previous.end == employment.start else None
        entries.append(
            TimelineEntry("employment", employment.start, employment, {"from": transfer_from})
        )
        previous = employment
    for rating in person.ratings.all():
        entries.append(TimelineEntry("rating", datetime.date(rating.year, 12, 31), rating))
    for award in awards:
        entries.append(TimelineEntry("award", award.period_end, award))
    for discipline in Discipline.objects.filter(person=person):
        entries.append(TimelineEntry("discipline", discipline.effective_from, discipline))
    for initiative in Initiative.objects.filter(authors=person):
        entries.append(TimelineEntry("initiative", initiative.recognised_on, initiative))
    for absence in Absence.objects.filter(person=person):
        entries.append(TimelineEntry("absence", absence.start, absence))
    for review in PendingReview.objects.filter(person=person):
        entries.append(TimelineEntry("review", review.started_on, review))

    entries.sort(key=lambda e: (e.date, -_KIND_ORDER[e.kind]), reverse=True)
    years: dict[int, list[TimelineEntry]] = {}
    for entry in entries:
        years.setdefault(entry.date.year, []).append(entry)
    return [TimelineYear(year, items) for year, items in years.items()]


def current_employment(person: Person, day: datetime.date) -> Employment | None:
    """The person's employment in force on `day`, else their latest one."""
    attach_current_employment([person], day)
    return person.current_employment


def mask_citizen_id(value: str | None) -> str:
    """Show only the last four characters of a citizen id: '••••••••5678'."""
    if not value:
        return ""
    visible = value[-4:] if len(value) > 4 else ""
    return "•" * (len(value) - len(visible)) + visible
