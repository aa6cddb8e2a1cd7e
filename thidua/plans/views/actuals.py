"""Indicator actuals: a unit's figures for a year, version by version (estimate →
preliminary → final), and a form to record one for an officer of the unit
(`services.record_actual`: scope, transaction, audit). Whoever may only see the unit
sees the figures and no form; a posted figure from them is refused (403)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts import home, scope
from thidua.accounts.choices import Action
from thidua.org.widgets import scope_units
from thidua.plans import services
from thidua.plans.choices import Version
from thidua.plans.forms import ActualForm, add_service_errors
from thidua.plans.models import Indicator, IndicatorActual


def _shown_unit(request, units):
    code = request.GET.get("don_vi", "")
    return next((u for u in units if u.code == code), units[0] if units else None)


def _year(request) -> int:
    return home.year_or(request.GET.get("nam"), home.working_year())


def _table(indicators, unit, year) -> list[dict]:
    """One row per indicator with a figure of `unit` in `year`: the whole-year versions
    side by side (one query)."""
    if unit is None:
        return []
    by_indicator: dict[int, dict[str, IndicatorActual]] = {}
    for a in IndicatorActual.objects.filter(unit=unit, year=year, period="year"):
        by_indicator.setdefault(a.indicator_id, {})[a.version] = a
    return [
        {"indicator": i, "versions": [by_indicator[i.pk].get(v) for v in Version.values]}
        for i in indicators
        if i.pk in by_indicator
    ]


@login_required
def actuals(request):
    units = scope_units(request.user, Action.VIEW)
    unit, year = _shown_unit(request, units), _year(request)
    indicators = list(Indicator.objects.order_by("position", "code"))
    may_enter = bool(scope_units(request.user, Action.CHANGE, limit=1))
    form, status = None, 200
    if request.method == "POST":
        if not may_enter:
            raise PermissionDenied(_("You may not enter figures."))
        form = ActualForm(request.POST, user=request.user, indicators=indicators)
        status = 400
        if form.is_valid():
            try:
                actual = services.record_actual(actor=request.user, **form.verb_arguments())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(indicator)s of %(unit)s, %(year)s (%(version)s) is recorded.")
                    % {
                        "indicator": actual.indicator.name,
                        "unit": actual.unit.name,
                        "year": actual.year,
                        "version": actual.get_version_display(),
                    },
                )
                query = f"?don_vi={actual.unit.code}&nam={actual.year}"
                return redirect(reverse("plans:actuals") + query)
    elif may_enter:
        initial = {"year": year, "reported_on": timezone.localdate()}
        if unit is not None and scope.can(request.user, Action.CHANGE, unit):
            initial["unit"] = unit.code
        form = ActualForm(initial=initial, user=request.user, indicators=indicators)
    return render(
        request,
        "plans/actuals.html",
        {
            "units": units,
            "unit": unit,
            "year": year,
            "rows": _table(indicators, unit, year),
            "versions": Version.choices,
            "form": form,
        },
        status=status,
    )
