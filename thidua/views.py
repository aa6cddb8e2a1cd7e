from django.contrib.auth.decorators import login_required
from django.shortcuts import render

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
