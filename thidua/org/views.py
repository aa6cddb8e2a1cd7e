"""Pages of the organisation: the unit tree as of a date, a unit, the people list and a
person's record. Thin: they parse the query string, start from `thidua.accounts.scope`
and call `thidua.org.selectors`.

An object outside the user's scope answers 404, exactly like one that does not exist, so
that a page never reveals that a person or unit is on file elsewhere.
"""

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from thidua.accounts import scope
from thidua.org import selectors
from thidua.org.filters import PersonFilter
from thidua.org.forms import AsOfForm, UnitPageForm
from thidua.rules import services as eligibility
from thidua.rules.forms import YearForm

# Above this many units in scope the unit filter is a code box instead of a drop-down.
UNIT_SELECT_LIMIT = 300


@login_required
def unit_tree(request):
    form = AsOfForm(request.GET)
    day = form.day()
    roots = selectors.tree_as_of(day, scope.unit_ids_for(request.user))
    return render(
        request,
        "org/unit_tree.html",
        {"form": form, "day": day, "roots": roots, "count": selectors.tree_size(roots)},
    )


@login_required
def unit_detail(request, code):
    unit = get_object_or_404(scope.units(request.user), code=code)
    today = timezone.localdate()
    # A dissolved unit is shown by default as it stood on its last day.
    last_day = unit.dissolved_on - datetime.timedelta(days=1) if unit.dissolved_on else None
    ratings = selectors.unit_ratings(unit)
    years = selectors.member_years(unit, min(today, last_day or today))
    # A unit rated in years it had no staff of its own (a district whose people work in
    # its communes) may still be looked at for those years (its eligibility).
    first_rated = min((r.year for r in ratings), default=years[-1])
    years = list(range(years[0], min(first_rated, years[-1]) - 1, -1))
    form = UnitPageForm(request.GET, years=years, default_day=min(today, last_day or today))
    day, year = form.day(), form.year()
    visible = scope.unit_ids_for(request.user)
    # The unit's own collective titles for the members' year (one engine run).
    evaluation = eligibility.unit_eligibility(unit, year, user=request.user)
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "form": form,
            "day": day,
            "year": year,
            "visible": visible,
            "versions": selectors.unit_versions(unit),
            "chain": selectors.parent_chain(unit, day),
            "children": selectors.children_as_of(unit, day),
            "lineage": selectors.unit_lineage(unit),
            "ratings": ratings,
            "awards": selectors.unit_awards(unit),
            "members": selectors.members_in_year(unit, year),
            "eligibility": evaluation,
            "explained": eligibility.explain(evaluation.results, by_rank=True),
        },
    )


@login_required
def person_list(request):
    people = scope.people(request.user)
    filterset = PersonFilter(request.GET, queryset=people)
    filtered = bool(request.GET.get("q", "").strip() or request.GET.get("unit"))
    rows = selectors.person_list(filterset.qs, filtered=filtered)
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    today = timezone.localdate()
    selectors.attach_current_employment(page.object_list, today)

    units = list(
        scope.units(request.user)
        .order_by("sort_key", "code")
        .values_list("code", "name")[: UNIT_SELECT_LIMIT + 1]
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "org/person_list.html",
        {
            "filter": filterset,
            "page": page,
            "q": request.GET.get("q", ""),
            "unit_code": request.GET.get("unit", ""),
            "units": units if len(units) <= UNIT_SELECT_LIMIT else None,
            "visible": scope.unit_ids_for(request.user),
            "query": query.urlencode(),
            "today": today,
        },
    )


@login_required
def person_detail(request, code):
    person = get_object_or_404(scope.people(request.user), code=code)
    # Eligibility for the annual titles of `?nam=` (one engine run).
    today = timezone.localdate()
    year_form = YearForm(
        request.GET, years=eligibility.person_years(person, today), default=today.year
    )
    year = year_form.year()
    evaluation = eligibility.person_eligibility(person, year, user=request.user)
    return render(
        request,
        "org/person_detail.html",
        {
            "year_form": year_form,
            "year": year,
            "eligibility": evaluation,
            "explained": eligibility.explain(evaluation.results, by_rank=True),
            "person": person,
            "citizen_id": selectors.mask_citizen_id(person.citizen_id),
            "current": selectors.current_employment(person, timezone.localdate()),
            "timeline": selectors.person_timeline(person),
            "visible": scope.unit_ids_for(request.user),
        },
    )
