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
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from thidua import panels
from thidua.accounts import scope
from thidua.org import selectors, tree
from thidua.org.filters import PersonFilter
from thidua.org.forms import AsOfForm, UnitPageForm, UnitTreeForm
from thidua.org.models import Unit
from thidua.org.paging import BoundedPaginator

# A tree of at most this many units on the day is shown whole; a larger one (a province,
# the country) shows its top level and opens units on demand.
EAGER_LIMIT = 200


def _visible_on(user, day):
    """Ids of the units `user` sees on `day` (None: all)."""
    cov = scope.coverage_for(user)
    return None if cov is None else cov.units_on(day)


@login_required
def unit_tree(request):
    """The tree as of a day: whole when small, else the top level with the path to `?mo=`
    opened (links that work without JavaScript; htmx opens a unit in place through
    `unit_children`); `?q=` lists the units whose name matches instead."""
    form = UnitTreeForm(request.GET)
    day, words, opened = form.day(), form.text("q"), form.text("mo")
    visible = _visible_on(request.user, day)
    page = {"form": form, "day": day, "q": words, "results": None, "roots": []}
    if words:
        page["results"] = tree.search_on(day, words, visible)
        return render(request, "org/unit_tree.html", page)
    roots = tree.top_level(day, visible)
    size = len(visible) if visible is not None else tree.standing_on(day).count()
    open_ids: set[int] | None = None
    if size > EAGER_LIMIT:
        open_ids = set()
        unit = Unit.objects.filter(code=opened).first() if opened else None
        if unit is not None and (visible is None or unit.pk in visible):
            open_ids = {v.unit_id for v in tree.parent_chain(unit, day)} | {unit.pk}
    tree.open_children(day, roots, open_ids, visible)
    page.update(roots=roots, lazy=open_ids is not None, opened=opened)
    return render(request, "org/unit_tree.html", page)


@login_required
def unit_children(request, code):
    """One unit of the tree opened (htmx): its node with the units directly beneath it on
    the day."""
    day = AsOfForm(request.GET).day()
    visible = _visible_on(request.user, day)
    version = tree.standing_on(day).filter(unit__code=code).select_related("unit").first()
    if version is None or (visible is not None and version.unit_id not in visible):
        raise Http404
    node = tree.LazyNode(unit=version.unit, version=version)
    tree.open_children(day, [node], {version.unit_id}, visible)
    return render(request, "org/_tree_node.html", {"node": node, "day": day, "lazy": True})


@login_required
def unit_detail(request, code):
    unit = get_object_or_404(scope.units(request.user), code=code)
    today = timezone.localdate()
    # A dissolved unit is shown by default as it stood on its last day.
    last_day = unit.dissolved_on - datetime.timedelta(days=1) if unit.dissolved_on else None
    # Scope is bounded in time (ADR 0010): a unit that left the user's scope (a commune
    # of an abolished district) is shown as it stood on its last day in scope, and only
    # the years it was in scope may be chosen.
    cov = scope.coverage_for(request.user)
    covered_until = max(e for _s, e in cov.spans[unit.pk]) if cov is not None else None
    if covered_until is not None and covered_until != tree.FOREVER:
        end_in_scope = covered_until - datetime.timedelta(days=1)
        last_day = min(last_day or end_in_scope, end_in_scope)
    years = selectors.member_years(unit, min(today, last_day or today))
    # The years the panels have something for (a unit rated in years it had no staff of
    # its own) may be looked at too.
    first = panels.first_year("org.unit", unit)
    years = list(range(years[0], min(first or years[-1], years[-1]) - 1, -1))
    if cov is not None:
        in_scope = [
            y
            for y in years
            if cov.overlaps(unit.pk, datetime.date(y, 1, 1), datetime.date(y + 1, 1, 1))
        ]
        years = in_scope or years[-1:]
    form = UnitPageForm(request.GET, years=years, default_day=min(today, last_day or today))
    day, year = form.day(), form.year()
    codes = selectors.official_codes(unit)  # the official code of `day` is among them
    page = {
        "unit": unit,
        "form": form,
        "day": day,
        "year": year,
        "visible": scope.unit_ids_for(request.user),
        "versions": selectors.unit_versions(unit),
        "official_codes": codes,
        "official_code": next(
            (
                c.code
                for c in codes
                if c.valid_from <= day and (c.valid_to is None or c.valid_to > day)
            ),
            "",
        ),
        "chain": selectors.parent_chain(unit, day),
        "children": selectors.children_as_of(unit, day),
        "lineage": selectors.unit_lineage(unit),
    }
    return render(request, "org/unit_detail.html", panels.compose("org.unit", request, unit, page))


@login_required
def person_list(request):
    # Without a search, the page's rows: a scope or a unit holding many people is tested
    # row by row while the list walks the names in order (a page reads a few thousand rows
    # at most); the count starts from the unit's people (an IN-subquery), up to a limit. A
    # search by name matches across the whole table first: the set of people in scope,
    # built once, is then the cheaper test.
    searched = bool(request.GET.get("q", "").strip())
    people = scope.people(request.user, per_row=not searched)
    filterset = PersonFilter(request.GET, queryset=people, request=request, per_row=not searched)
    unit_code = request.GET.get("unit", "").strip()
    filterset.form.fields["unit"].widget.bind(request.user, [unit_code])
    found = filterset.qs
    filtered = searched or bool(unit_code and not filterset.walks_names)
    rows = selectors.person_list(found, filtered=filtered)
    counted = found
    if unit_code and filterset.walks_names:
        counted = PersonFilter(request.GET, queryset=people, request=request).qs
    # Counted up to a limit: a province's 100,000 people are not counted on every page.
    paginator = BoundedPaginator(rows, settings.PAGE_SIZE, counted=counted)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    today = timezone.localdate()
    selectors.attach_current_employment(page.object_list, today)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "org/person_list.html",
        {
            "filter": filterset,
            "page": page,
            "q": request.GET.get("q", ""),
            "unit_code": unit_code,
            "visible": scope.unit_ids_for(request.user),
            "query": query.urlencode(),
            "today": today,
        },
    )


@login_required
def person_detail(request, code):
    person = scope.person(request.user, code=code)
    if person is None:
        raise Http404
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
