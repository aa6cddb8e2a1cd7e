"""The unit picker's search (`org:unit_search`, `/to-chuc/chon-don-vi/`): the units in
the user's scope whose name contains the words typed, with or without diacritics.

htmx asks for `<option>`s (the chosen ones first, kept selected); `?format=json` answers
`{"units": [{"code": …, "name": …}, …]}` for other clients. Parameters: `q` the words,
`action` `view` (default) or `change`, `name` the field whose chosen codes are sent
along, `multiple` when several may be chosen.
"""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render

from thidua.accounts import scope
from thidua.accounts.choices import Action
from thidua.org.widgets import scope_units

SEARCH_LIMIT = 50


@login_required
def unit_search(request):
    action = Action.CHANGE if request.GET.get("action") == Action.CHANGE else Action.VIEW
    units = scope_units(request.user, action, request.GET.get("q", "")[:100], SEARCH_LIMIT)
    if request.GET.get("format") == "json":
        return JsonResponse({"units": [{"code": u.code, "name": u.name} for u in units]})
    name = request.GET.get("name", "")
    codes = [c for c in request.GET.getlist(name) if c] if name else []
    chosen = list(scope.units(request.user, action).filter(code__in=codes).order_by("sort_key"))
    chosen_codes = {u.code for u in chosen}
    return render(
        request,
        "org/widgets/unit_options.html",
        {
            "units": [u for u in units if u.code not in chosen_codes],
            "chosen": chosen,
            "multiple": bool(request.GET.get("multiple")),
        },
    )
