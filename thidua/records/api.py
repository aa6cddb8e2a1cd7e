"""Read API of the yearly records: ratings, awards, discipline, initiatives, pending
reviews, absences.

Thin: every list starts from `thidua.accounts.scope.restrict` for `request.auth`, so a
record is listed when its unit, or a unit its person ever worked in, is in the user's
scope — the same rule as the pages. Lists are paged with
`thidua.accounts.api.Pagination` and read a fixed number of queries per page.

`unit=CODE` on records of people keeps those whose person worked in that unit during the
record's period (the rating year, the achievement period, the time in force).
"""

import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, Value
from django.db.models.functions import Coalesce
from ninja import Query, Router
from ninja.pagination import paginate

from thidua.accounts import scope
from thidua.accounts.api import Pagination
from thidua.org.models import Employment
from thidua.org.selectors import year_bounds
from thidua.records.choices import (
    AbsenceKind,
    AwardStatus,
    DisciplineMeasure,
    RatingLevel,
    ReviewKind,
    WorkKind,
)
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
from thidua.records.schemas import (
    AbsenceOut,
    AwardOut,
    DisciplineOut,
    InitiativeOut,
    PendingReviewOut,
    PersonRatingOut,
    UnitRatingOut,
)

router = Router(tags=["records"])

UNIT = Query(None, description="A unit's code, matched exactly.")
PERSON = Query(None, description="A person's code, matched exactly.")
FAR_FUTURE = datetime.date(9999, 12, 31)


def _year(description: str):
    return Query(None, ge=1945, le=2100, description=description)


def _worked_in(unit_code: str, *during: Q) -> Exists:
    """The row's person had an employment in the unit matching `during` (conditions on
    the employment, with OuterRef to the row's period)."""
    return Exists(
        Employment.objects.filter(person=OuterRef("person"), unit__code=unit_code).filter(*during)
    )


def _worked_in_between(unit_code: str, start: str, end: str, *, end_inclusive=False) -> Exists:
    """The row's person was employed in the unit at some time in the row's period
    [`start`, `end`) (or [`start`, `end`] with `end_inclusive`; a null end: still open).
    Employments are half-open, [start, end)."""
    period_end = Coalesce(OuterRef(end), Value(FAR_FUTURE))
    starts = Q(start__lte=period_end) if end_inclusive else Q(start__lt=period_end)
    return _worked_in(unit_code, starts, Q(end__isnull=True) | Q(end__gt=OuterRef(start)))


def _overlaps_year(year: int, start: str, end: str, *, end_inclusive=False) -> Q:
    """Rows whose period [`start`, `end`) (null end: open) overlaps the calendar year."""
    first, after = year_bounds(year)
    ends = Q(**{f"{end}__gte" if end_inclusive else f"{end}__gt": first})
    return Q(**{f"{start}__lt": after}) & (Q(**{f"{end}__isnull": True}) | ends)


@router.get("/person-ratings", response=list[PersonRatingOut], summary="Ratings of people")
@paginate(Pagination)
def list_person_ratings(
    request,
    year: int | None = _year("The rating year."),
    unit: str | None = Query(None, description="A unit the person worked in that year."),
    person: str | None = PERSON,
    level: RatingLevel | None = None,
):
    ratings = scope.restrict(PersonRating.objects.all(), request.auth, unit=None, dated_year="year")
    if year is not None:
        ratings = ratings.filter(year=year)
    if unit:
        # Employed in the unit at some time in the rating's year: the employment starts
        # before the next year and ends (exclusive) after 1 January.
        ratings = ratings.filter(
            _worked_in(
                unit,
                Q(start__year__lte=OuterRef("year")),
                Q(end__isnull=True)
                | Q(end__year__gt=OuterRef("year"))
                | (Q(end__year=OuterRef("year")) & ~Q(end__month=1, end__day=1)),
            )
        )
    if person:
        ratings = ratings.filter(person__code=person)
    if level:
        ratings = ratings.filter(level=level)
    return ratings.select_related("person").order_by("-year", "person__sort_key", "id")


@router.get("/unit-ratings", response=list[UnitRatingOut], summary="Ratings of units")
@paginate(Pagination)
def list_unit_ratings(
    request,
    year: int | None = _year("The rating year."),
    unit: str | None = UNIT,
    level: RatingLevel | None = None,
):
    ratings = scope.restrict(UnitRating.objects.all(), request.auth, person=None, dated_year="year")
    if year is not None:
        ratings = ratings.filter(year=year)
    if unit:
        ratings = ratings.filter(unit__code=unit)
    if level:
        ratings = ratings.filter(level=level)
    return ratings.select_related("unit").order_by("-year", "unit__sort_key", "id")


@router.get("/awards", response=list[AwardOut], summary="Awards received")
@paginate(Pagination)
def list_awards(
    request,
    year: int | None = _year("A year of the achievement period (năm thành tích)."),
    award_code: str | None = Query(None, description="A catalog code, e.g. CSTD_CS."),
    unit: str | None = Query(
        None,
        description="Awards to this unit, and to people who worked in it during the "
        "achievement period.",
    ),
    person: str | None = PERSON,
    status: AwardStatus | None = None,
):
    awards = scope.restrict(Award.objects.all(), request.auth, dated="period_end")
    if year is not None:
        awards = awards.filter(
            _overlaps_year(year, "period_start", "period_end", end_inclusive=True)
        )
    if award_code:
        awards = awards.filter(award_code=award_code)
    if unit:
        awards = awards.filter(
            Q(unit__code=unit)
            | _worked_in_between(unit, "period_start", "period_end", end_inclusive=True)
        )
    if person:
        awards = awards.filter(person__code=person)
    if status:
        awards = awards.filter(status=status)
    return awards.select_related("person", "unit", "authority").order_by("-decision_date", "-id")


@router.get("/disciplines", response=list[DisciplineOut], summary="Disciplinary measures")
@paginate(Pagination)
def list_disciplines(
    request,
    year: int | None = _year("In force at some time in this year."),
    unit: str | None = Query(None, description="The person worked in it while in force."),
    person: str | None = PERSON,
    measure: DisciplineMeasure | None = None,
):
    disciplines = scope.restrict(
        Discipline.objects.all(), request.auth, unit=None, dated="effective_from"
    )
    if year is not None:
        disciplines = disciplines.filter(_overlaps_year(year, "effective_from", "effective_to"))
    if unit:
        disciplines = disciplines.filter(_worked_in_between(unit, "effective_from", "effective_to"))
    if person:
        disciplines = disciplines.filter(person__code=person)
    if measure:
        disciplines = disciplines.filter(measure=measure)
    return disciplines.select_related("person").order_by("-effective_from", "-id")


@router.get("/initiatives", response=list[InitiativeOut], summary="Initiatives and research")
@paginate(Pagination)
def list_initiatives(
    request,
    year: int | None = _year("The year it was recognised."),
    person: str | None = Query(None, description="An author's code."),
    kind: WorkKind | None = None,
):
    # Visible when one of its authors is, on the day it was recognised (privacy of
    # history): `restrict` on the author links, then the initiatives that have such a link.
    # The same links name the authors: a co-author whose record the caller may not see on
    # that day (outside the scope, or there only at another time) is left out, as in the
    # dataset export.
    authors = scope.restrict(
        InitiativeAuthor.objects.all(), request.auth, unit=None, dated="initiative__recognised_on"
    )
    initiatives = Initiative.objects.filter(Exists(authors.filter(initiative=OuterRef("pk"))))
    if year is not None:
        initiatives = initiatives.filter(recognised_on__year=year)
    if person:
        initiatives = initiatives.filter(
            Exists(authors.filter(initiative=OuterRef("pk"), person__code=person))
        )
    if kind:
        initiatives = initiatives.filter(kind=kind)
    return initiatives.prefetch_related(
        Prefetch(
            "initiativeauthor_set",
            queryset=authors.select_related("person").order_by("person__sort_key", "person_id"),
            to_attr="author_links",
        )
    ).order_by("-recognised_on", "code")


@router.get("/pending-reviews", response=list[PendingReviewOut], summary="Pending reviews")
@paginate(Pagination)
def list_pending_reviews(
    request,
    open: bool | None = Query(None, description="true: not yet closed; false: closed."),
    unit: str | None = Query(None, description="Reviews of this unit (as the subject)."),
    person: str | None = PERSON,
    kind: ReviewKind | None = None,
):
    reviews = scope.restrict(PendingReview.objects.all(), request.auth, dated="started_on")
    if open is not None:
        reviews = reviews.filter(ended_on__isnull=open)
    if unit:
        reviews = reviews.filter(unit__code=unit)
    if person:
        reviews = reviews.filter(person__code=person)
    if kind:
        reviews = reviews.filter(kind=kind)
    return reviews.select_related("person", "unit").order_by("-started_on", "-id")


@router.get("/absences", response=list[AbsenceOut], summary="Maternity leave and absences")
@paginate(Pagination)
def list_absences(
    request,
    year: int | None = _year("Absent at some time in this year."),
    unit: str | None = Query(None, description="The person worked in it during the absence."),
    person: str | None = PERSON,
    kind: AbsenceKind | None = None,
):
    absences = scope.restrict(Absence.objects.all(), request.auth, unit=None, dated="start")
    if year is not None:
        absences = absences.filter(_overlaps_year(year, "start", "end"))
    if unit:
        absences = absences.filter(_worked_in_between(unit, "start", "end"))
    if person:
        absences = absences.filter(person__code=person)
    if kind:
        absences = absences.filter(kind=kind)
    return absences.select_related("person").order_by("-start", "-id")
