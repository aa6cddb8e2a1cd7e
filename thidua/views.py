from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from thidua.accounts import scope


@login_required
def home(request):
    """The start page: the user's roles and where to go next."""
    roles = request.user.unit_roles.select_related("unit").order_by("unit__sort_key")
    return render(
        request,
        "home.html",
        {"roles": roles, "unit_count": scope.units(request.user).count()},
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
