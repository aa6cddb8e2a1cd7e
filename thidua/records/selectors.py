"""Read-side queries over a person's or a unit's record, for the pages that show them
(the org app's person and unit pages, through the panels this app registers in
`thidua.records.panels`).

Every function reads a whole set at once (a fixed number of queries whatever the number
of rows) and leaves permission to the caller.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Min, OuterRef, Subquery

from thidua.accounts.scope import in_windows
from thidua.awards.catalog import get_catalog
from thidua.org.models import Employment, Person, Unit
from thidua.org.selectors import name_on, versions_by_unit, year_bounds
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

# --------------------------------------------------------------------------- a unit's record


def first_rated_year(unit: Unit) -> int | None:
    """The first year the unit was rated (one query), None if never."""
    return unit.ratings.aggregate(first=Min("year"))["first"]


def members_in_year(unit: Unit, year: int, *, ratings=None) -> list[Employment]:
    """Employments of `unit` overlapping `year`, with the person and their rating that
    year (`rating_level`, `rating_label`, `rating_score`), in Vietnamese order of names;
    one query. A person who moved within the year appears once per employment. `ratings`
    (a PersonRating queryset, by default all) is where the ratings are looked up: the
    ones a viewer may see, say."""
    start, end = year_bounds(year)
    ratings = PersonRating.objects.all() if ratings is None else ratings
    rating = ratings.filter(person=OuterRef("person_id"), year=year)
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
    decorate_awards(awards)
    return awards


def household_awards(household) -> list[Award]:
    """Awards conferred on the household, newest first, decorated as `unit_awards`."""
    awards = list(household.awards.select_related("authority").order_by("-decision_date", "-id"))
    decorate_awards(awards)
    return awards


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


def decorate_awards(awards: list[Award]) -> None:
    """Set `entry` (the catalog entry) and `authority_name` (the authority's name on the
    decision date) on each award (one query for the names)."""
    catalog = get_catalog()
    versions = versions_by_unit(a.authority_id for a in awards)
    for award in awards:
        award.entry = catalog.get(award.award_code)
        award.authority_name = name_on(
            award.authority, versions.get(award.authority_id, []), award.decision_date
        )


def person_timeline(person: Person, *, windows=None) -> list[TimelineYear]:
    """Everything on a person's record grouped by year, newest year first and newest fact
    first within a year; a fixed number of queries (one per kind of fact, plus one for the
    historic unit names).

    Years: an employment counts in the year it starts (a transfer shows the unit it came
    from), a rating in its year, an award in the year its achievement period ends, the
    others in the year they start. `windows` (from `accounts.scope.history_windows`)
    keeps only the facts dated inside the periods the viewer may see (None: all).
    """
    employments = list(person.employments.select_related("unit").order_by("start"))
    awards = list(person.awards.select_related("authority").order_by("decision_date", "id"))
    decorate_awards(awards)
    versions = versions_by_unit(e.unit_id for e in employments)

    entries: list[TimelineEntry] = []
    previous = None
    for employment in employments:
        employment.unit_name = name_on(
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

    if windows is not None:
        entries = [e for e in entries if in_windows(e.date, windows)]
    entries.sort(key=lambda e: (e.date, -_KIND_ORDER[e.kind]), reverse=True)
    years: dict[int, list[TimelineEntry]] = {}
    for entry in entries:
        years.setdefault(entry.date.year, []).append(entry)
    return [TimelineYear(year, items) for year, items in years.items()]
