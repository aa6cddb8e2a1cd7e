"""The start page: what needs doing this year for the user's unit.

Each app contributes its own section ("card") through `thidua.accounts.home`, so this page
imports no app's internals and an app that is not installed (nominations, before it lands)
simply shows nothing."""

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from thidua.accounts import home as home_cards
from thidua.accounts import scope
from thidua.accounts.choices import Action


@login_required
def home(request):
    """The user's roles, and the cards for the chosen unit (their own by default) and year
    (the working year by default)."""
    user = request.user
    roles = list(user.unit_roles.select_related("unit").order_by("unit__sort_key", "role"))
    role_units = list({r.unit.code: r.unit for r in roles}.values())
    unit = scope.home_unit(user, Action.CHANGE) or scope.home_unit(user)
    chosen = request.GET.get("don_vi")
    if chosen:
        unit = next((u for u in role_units if u.code == chosen), unit)
    year = home_cards.year_or(request.GET.get("nam"), home_cards.working_year())
    has_scope = bool(roles) or user.is_superuser
    cards = home_cards.cards_for(user, unit, year) if has_scope else []
    return render(
        request,
        "home.html",
        {
            "roles": roles,
            "role_units": role_units,
            "unit": unit,
            "year": year,
            "cards": cards,
        },
    )


@never_cache
@require_safe
def healthz(request):
    """For load balancers and monitoring: 200 when the database answers, else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": False}, status=503)
    return JsonResponse({"status": "ok", "database": True})
