"""Pages of the organisation: the unit tree as of a date, a unit, the people list and a
person's record. Thin: they parse the query string, start from `thidua.accounts.scope`
and call `thidua.org.selectors`. The sections of the apps above org (a person's record
and eligibility, a unit's ratings, members and titles) come from the panels those apps
register (`thidua.panels`), so org imports none of them.

An object outside the user's scope answers 404, exactly like one that does not exist, so
that a page never reveals that a person or unit is on file elsewhere.
"""

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from thidua import panels
from thidua.accounts import scope
from thidua.org import selectors
from thidua.org.filters import PersonFilter
from thidua.org.forms import AsOfForm, UnitPageForm

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
    years = selectors.member_years(unit, min(today, last_day or today))
    # The years the panels have something for (a unit rated in years it had no staff of
    # its own) may be looked at too.
    first = panels.first_year("org.unit", unit)
    years = list(range(years[0], min(first or years[-1], years[-1]) - 1, -1))
    form = UnitPageForm(request.GET, years=years, default_day=min(today, last_day or today))
    day, year = form.day(), form.year()
    page = {
        "unit": unit,
        "form": form,
        "day": day,
        "year": year,
        "visible": scope.unit_ids_for(request.user),
        "versions": selectors.unit_versions(unit),
        "chain": selectors.parent_chain(unit, day),
        "children": selectors.children_as_of(unit, day),
        "lineage": selectors.unit_lineage(unit),
    }
    return render(request, "org/unit_detail.html", panels.compose("org.unit", request, unit, page))


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
    page = {
        "person": person,
        "citizen_id": selectors.mask_citizen_id(person.citizen_id),
        "current": selectors.current_employment(person, timezone.localdate()),
        "visible": scope.unit_ids_for(request.user),
        # The periods of the person's record the user may see (None: all of it), for
        # every panel (docs/adr/0008-privacy-of-history.md).
        "history": scope.history_windows(request.user, person),
    }
    return render(
        request, "org/person_detail.html", panels.compose("org.person", request, person, page)
    )
