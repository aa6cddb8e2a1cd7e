"""Pages of reports: the picker, a unit's year-end dashboard (figures, SVG charts,
reminders of overdue and coming tasks) and the download of the report as Markdown,
JSON or .docx.

Thin: they start from `thidua.accounts.scope` and call `summary.build_summary`, which
checks the scope again. A unit outside the user's scope answers 404, like one that does
not exist.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.accounts import scope
from thidua.accounts.choices import Action
from thidua.accounts.home import working_year
from thidua.plans.choices import Measure, ReferenceKind, Version
from thidua.plans.models import Indicator
from thidua.plans.selectors import reminders
from thidua.reports import jobs as report_jobs
from thidua.reports.charts import dashboard_charts
from thidua.reports.forms import SummaryPickForm
from thidua.reports.render import FORMATS
from thidua.reports.statistics import FORM_TITLES, FORMS, build_statistics
from thidua.reports.summary import FIRST_YEAR, LAST_YEAR, build_summary
from thidua.vietnamese import format_number

UNIT_CHOICE_LIMIT = 300
INDICATORS_PER_PAGE = 20


def _picked(request):
    """(form, unit or None, year) for `?don_vi=CODE&nam=YYYY`, the user's own unit and the
    working year preselected. A unit outside the user's scope is an error on the unit
    field, like one that does not exist."""
    units = list(
        scope.units(request.user)
        .order_by("sort_key", "code")
        .values_list("code", "name")[: UNIT_CHOICE_LIMIT + 1]
    )
    form = SummaryPickForm(
        request.GET or None, units=units if len(units) <= UNIT_CHOICE_LIMIT else None
    )
    own = scope.home_unit(request.user)
    form.fields["don_vi"].initial = own.code if own else None
    form.fields["nam"].initial = working_year()
    if not form.is_valid():
        return form, None, None
    code = form.cleaned_data["don_vi"]
    unit = scope.units(request.user).filter(code=code).first()
    if unit is None:
        form.add_error("don_vi", _("No unit with code %(code)s among yours.") % {"code": code})
    return form, unit, form.cleaned_data.get("nam")


@login_required
def index(request):
    form, unit, year = _picked(request)
    if unit is not None:
        return redirect("reports:dashboard", code=unit.code, year=year)
    return render(request, "reports/index.html", {"form": form})


def _unit(request, code: str, year: int):
    """The unit, if in the user's scope, and a year the records can hold; else 404."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return get_object_or_404(scope.units(request.user), code=code)


def _num(value, decimals: int = 0) -> str:
    """A figure grouped as the interface's language writes it: 1.386,5 in Vietnamese
    (Django's `vi` locale has no digit grouping, so `thidua.vietnamese` formats it),
    1,386.5 otherwise."""
    if value is None:
        return "—"
    if (get_language() or "vi").startswith("vi"):
        return format_number(value, decimals)
    return f"{value:,.{decimals}f}"


def _pct(value, *, signed=False) -> str:
    """A percentage, whole percent (half away from zero), never capped."""
    if value is None:
        return "—"
    number = Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    sign = "+" if signed and number > 0 else ""
    return f"{sign}{_num(number)}%"


def _change(line) -> str:
    """The change on last year as the reports show it (`IndicatorLine.shown_change`):
    percent for an amount, percentage points for a rate."""
    if line.shown_change is None:
        return "—"
    if not line.change_in_points:
        return _pct(line.shown_change, signed=True)
    sign = "+" if line.shown_change > 0 else ""
    points = _num(line.shown_change, max(line.decimals, 1))
    return _("%(points)s points") % {"points": f"{sign}{points}"}


def _achievement(ref) -> str:
    """A reference's achievement as the reports show it: the percentage (100 % or more is
    met), or met / not met where no percentage means anything."""
    if ref.achievement is not None:
        return _pct(ref.achievement)
    if ref.met is None:
        return "—"
    return pgettext("indicator", "met") if ref.met else pgettext("indicator", "not met")


def _indicator_rows(summary) -> list[dict]:
    """The indicator table with its texts in the interface's language and formats."""
    rows = []
    for line in summary.indicators:
        rows.append(
            {
                "name": line.name,
                "measure_label": Measure(line.measure).label,
                "last_year_text": _num(line.last_year, line.decimals),
                "value_text": _num(line.value, line.decimals),
                "version_label": (
                    Version(line.version).label
                    if line.version and line.version != Version.FINAL
                    else ""
                ),
                "growth_text": _change(line),
                "better": line.better,
                "reference_texts": [
                    _("%(kind)s %(value)s: %(achievement)s")
                    % {
                        "kind": ReferenceKind(ref.kind).label,
                        "value": _num(ref.value, line.decimals),
                        "achievement": _achievement(ref),
                    }
                    for ref in line.references
                    if ref.kind != ReferenceKind.LAST_YEAR_ACTUAL
                ],
            }
        )
    return rows


def _target_texts(summary) -> list[str]:
    return [
        _("%(indicator)s – %(kind)s: %(value)s %(measure)s")
        % {
            "indicator": t.name,
            "kind": ReferenceKind(t.kind).label,
            "value": _num(t.value, t.decimals),
            "measure": Measure(t.measure).label,
        }
        for t in summary.targets
    ]


def _indicator_page(request) -> tuple[list[Indicator], dict]:
    """The page of the indicator catalog the dashboard shows (`?chi_tieu=N`): the
    aggregates cost a query row per indicator and parent, so a province with hundreds
    of indicators is shown a page at a time; the downloads hold every indicator."""
    catalog = Indicator.objects.all()
    paginator = Paginator(catalog, INDICATORS_PER_PAGE)
    page = paginator.get_page(request.GET.get("chi_tieu"))
    return list(page.object_list), {"page": page, "paginated": paginator.num_pages > 1}


@login_required
def dashboard(request, code, year):
    unit = _unit(request, code, year)
    indicators, indicator_page = _indicator_page(request)
    summary = build_summary(unit, year, user=request.user, indicators=indicators)
    today = timezone.localdate()
    # Open tasks of the unit and the units beneath it (across history), as far as the
    # user may see them.
    visible = scope.unit_ids_for(request.user)
    beneath = scope.subtree_ids([unit.pk])
    overdue, soon = reminders(beneath if visible is None else beneath & visible, today)
    return render(
        request,
        "reports/dashboard.html",
        {
            "unit": unit,
            "summary": summary,
            "indicators": _indicator_rows(summary),
            "indicator_page": indicator_page,
            "target_texts": _target_texts(summary),
            "award_sections": [
                (_("Received from above"), summary.awards_received),
                (_("Given by the unit"), summary.awards_given),
                (_("Given by the units beneath it"), summary.awards_within),
            ],
            "charts": dashboard_charts(summary),
            "overdue": overdue,
            "soon": soon,
            "today": today,
            "formats": FORMATS,
            "can_draft_news": scope.can(request.user, Action.CHANGE, unit),
        },
    )


@login_required
@require_POST
def download(request, code, year, fmt):
    """The report as a file: a background job (`reports.jobs`) started by a POST (a GET is
    refused, 405), then its page, which offers the file when done."""
    if fmt not in FORMATS:
        raise Http404
    job = report_jobs.start_report(_unit(request, code, year), year, fmt, actor=request.user)
    return redirect("jobs:detail", pk=job.pk)


# --------------------------------------------------------------------------- statistics


def _form(request) -> str:
    """The form asked for by `?bieu=` (0601…0605), 0602.N by default."""
    form = request.GET.get("bieu", "0602")
    return form if form in FORMS else "0602"


def _statistics(request):
    """(form, statistics or None) for the unit and year picked: the form `?bieu=` for the
    year."""
    form, unit, year = _picked(request)
    if unit is None:
        return form, None
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return form, build_statistics(request.user, unit, start, end, _form(request))


@login_required
def statistics_page(request):
    form, stats = _statistics(request)
    rows = []
    if stats is not None:
        keys = [key for key, _label in stats.columns]
        rows = [
            (row, None if row.counts is None else [_num(row.counts.get(key)) for key in keys])
            for row in stats.rows
        ]
    picked = request.GET.copy()
    tabs = []
    for code in FORMS:
        picked["bieu"] = code
        tabs.append((code, FORM_TITLES[code], picked.urlencode()))
    return render(
        request,
        "reports/statistics.html",
        {
            "form": form,
            "stats": stats,
            "rows": rows,
            "query": request.GET.urlencode(),
            "tabs": tabs,
            "current": _form(request),
        },
    )


@login_required
@require_POST
def statistics_download(request):
    """The form `?bieu=` as XLSX: a background job started by a POST (unit, year and form
    in the address, as on the statistics page; a GET is refused, 405), then its page."""
    _pick, unit, year = _picked(request)
    if unit is None:
        raise Http404
    job = report_jobs.start_statistics(unit, year, form=_form(request), actor=request.user)
    return redirect("jobs:detail", pk=job.pk)
