"""Read API of the organisation: units as of a date, people, employments.

Thin: every list and detail starts from `thidua.accounts.scope` for `request.auth` (the
token's or the session's user), filters with the FilterSets the pages use, and pages
with `thidua.accounts.api.Pagination`. An object outside the user's scope answers 404 like
one that does not exist.
"""

import datetime

from django.db.models import Exists, OuterRef, Prefetch, Subquery
from django.shortcuts import get_object_or_404
from ninja import Query, Router
from ninja.pagination import paginate

from thidua.accounts import scope
from thidua.accounts.api import Pagination, apply_filterset
from thidua.accounts.choices import Action
from thidua.org import selectors
from thidua.org.choices import Gender, UnitKind
from thidua.org.filters import PersonFilter, UnitFilter
from thidua.org.models import Employment, UnitVersion
from thidua.org.schemas import (
    EmploymentOut,
    PersonDetailOut,
    PersonOut,
    UnitDetailOut,
    UnitOut,
)

router = Router(tags=["org"])

CODE = Query(None, description="A code, matched exactly.")
NAME_WORDS = Query("", description="Words of the name, with or without diacritics.")
AS_OF = Query(None, description="Only units that existed that day, named as they were then.")


def _with_name_as_of(units, day: datetime.date | None):
    """Annotate each unit with its name and parent code on `day` (`name_as_of`,
    `parent_code_as_of`; None where it did not exist then), or from its latest version
    when `day` is None. Two subqueries, no extra query."""
    versions = UnitVersion.objects.filter(unit=OuterRef("pk"))
    if day is not None:
        versions = versions.on(day)
    versions = versions.order_by("-valid_from")
    return units.annotate(
        name_as_of=Subquery(versions.values("name")[:1]),
        parent_code_as_of=Subquery(versions.values("parent__code")[:1]),
    )


def _with_change_flag(people, user):
    """Annotate `can_change`: whether `user` may change the person (shows the full citizen
    id). Decided by the same scope as the change verbs."""
    changeable = scope.people(user, Action.CHANGE).filter(pk=OuterRef("pk"))
    return people.annotate(can_change=Exists(changeable))


@router.get("/units", response=list[UnitOut], summary="Units")
@paginate(Pagination)
def list_units(
    request,
    as_of: datetime.date | None = AS_OF,
    q: str = NAME_WORDS,
    kind: UnitKind | None = None,
):
    units = apply_filterset(
        UnitFilter, {"q": q, "kind": kind}, scope.units(request.auth).order_by("sort_key", "code")
    )
    units = _with_name_as_of(units, as_of)
    if as_of is not None:
        units = units.active_on(as_of).filter(name_as_of__isnull=False)
    return units


@router.get("/units/{code}", response=UnitDetailOut, summary="A unit with its history")
def get_unit(request, code: str, as_of: datetime.date | None = None):
    units = _with_name_as_of(scope.units(request.auth), as_of)
    unit = get_object_or_404(units, code=code)
    unit.version_history = selectors.unit_versions(unit)
    unit.lineage_items = selectors.unit_lineage(unit)
    return unit


@router.get("/people", response=list[PersonOut], summary="People")
@paginate(Pagination)
def list_people(
    request,
    q: str = NAME_WORDS,
    unit: str | None = Query(None, description="Code of a unit the person was ever employed in."),
    gender: Gender | None = None,
):
    people = apply_filterset(
        PersonFilter,
        {"q": q, "unit": unit, "gender": gender},
        scope.people(request.auth),
    )
    return _with_change_flag(people, request.auth).order_by("sort_key", "id")


@router.get("/people/{code}", response=PersonDetailOut, summary="A person with employments")
def get_person(request, code: str):
    people = _with_change_flag(scope.people(request.auth), request.auth).prefetch_related(
        Prefetch(
            "employments",
            queryset=Employment.objects.select_related("unit").order_by("start", "id"),
        )
    )
    return get_object_or_404(people, code=code)


@router.get("/employments", response=list[EmploymentOut], summary="Employments")
@paginate(Pagination)
def list_employments(
    request,
    unit: str | None = CODE,
    person: str | None = CODE,
    year: int | None = Query(None, ge=1945, le=2100, description="Employed during this year."),
):
    # An employment is listed for the period its unit was in scope (ADR 0010).
    employments = scope.restrict(
        Employment.objects.all(), request.auth, person=None, during=("start", "end")
    )
    if unit:
        employments = employments.filter(unit__code=unit)
    if person:
        employments = employments.filter(person__code=person)
    if year is not None:
        employments = employments.overlapping(*selectors.year_bounds(year))
    return employments.select_related("person", "unit").order_by(
        "person__sort_key", "person_id", "start", "id"
    )
