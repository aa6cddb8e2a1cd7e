"""Eligibility pages: a unit's results table (its subtree, filtered by award and verdict)
with its XLSX download, the proactive suggestions of a unit, and the catalog of titles
and forms. The person and unit pages of `thidua.org` show their own section through
`thidua.rules.services` and the partials of `templates/rules/`.

Thin: they parse the query string, start from `thidua.accounts.scope` (a unit outside the
user's scope answers 404, like one that does not exist) and call `thidua.rules.services`,
one engine run per page.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from thidua.accounts import home, scope
from thidua.rules import export, jobs, services
from thidua.rules.definitions import SUBJECT_KINDS as SUBJECTS
from thidua.rules.definitions import get_definitions
from thidua.rules.forms import ResultsForm, YearForm
from thidua.rules.messages import SUBJECT_LABELS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _unit_and_form(request, code, form_class):
    unit = get_object_or_404(scope.units(request.user), code=code)
    # Any year: the unit's subtree may hold records of years the unit itself had no staff.
    form = form_class(request.GET, default=home.working_year())
    return unit, form


@login_required
def unit_results(request, code):
    unit, form = _unit_and_form(request, code, ResultsForm)
    year = form.year()
    evaluation, rows = services.subtree_results(
        unit,
        year,
        user=request.user,
        award=form.award(),
        verdict=form.verdict(),
        as_of=form.as_of(),
    )
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "rules/unit_results.html",
        {
            "unit": unit,
            "form": form,
            "year": year,
            "evaluation": evaluation,
            "counts": [
                (get_definitions().awards[code].entry.name, row)
                for code, row in services.verdict_counts(evaluation)
            ],
            "page": page,
            "rows": services.explain(page.object_list),
            "quotas": export.quota_notes(evaluation.quotas),
            "duplicates": evaluation.duplicates,
            "query": query.urlencode(),
        },
    )


@login_required
@require_POST
def unit_results_xlsx(request, code):
    """The results as XLSX, written in the background (a province's takes a while): go
    to the job's page, which offers the file when done. Starting a job is a POST (the
    filters stay in the address, as on the results page); a GET is refused (405)."""
    unit, _form = _unit_and_form(request, code, ResultsForm)
    job = jobs.start_results_xlsx(unit, request.GET, actor=request.user)
    return redirect("jobs:detail", pk=job.pk)


@login_required
def unit_suggestions(request, code):
    """The whole page, or (asked by htmx from the unit page) only its list."""
    unit, form = _unit_and_form(request, code, YearForm)
    year = form.year()
    context = {
        "unit": unit,
        "form": form,
        "year": year,
        "suggestions": services.unit_suggestions(unit, year, user=request.user),
    }
    if request.headers.get("HX-Request"):
        return render(request, "rules/_suggestions.html", context)
    return render(request, "rules/suggestions.html", context)


@login_required
def catalog(request):
    definitions = get_definitions()
    return render(
        request,
        "rules/catalog.html",
        {
            "rule_sets": list(definitions.rule_sets.values()),
            "awards": [
                (award, [SUBJECT_LABELS[s] for s in SUBJECTS if s in award.entry.subjects])
                for award in sorted(definitions.awards.values(), key=lambda a: (-a.rank, a.code))
            ],
        },
    )
