"""Pages of dataset interchange: the blank XLSX template, and an export of the user's own
scope. Thin: who may do what comes from `thidua.accounts.scope`, the work from
`thidua.interchange.dataset`."""

import tempfile

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from thidua.accounts import scope
from thidua.interchange.dataset import build_template_xlsx, dump_for

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
TEMPLATE_NAME = "thidua-mau-du-lieu.xlsx"


def _require_role(user) -> None:
    if not scope.has_any_role(user):
        raise PermissionDenied


@login_required
def home(request):
    _require_role(request.user)
    return render(
        request,
        "interchange/home.html",
        {
            "unit_count": scope.units(request.user).count(),
            "people_count": scope.people(request.user).count(),
            "everything": scope.unit_ids_for(request.user) is None,
        },
    )


@login_required
def template_xlsx(request):
    _require_role(request.user)
    response = HttpResponse(build_template_xlsx(), content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{TEMPLATE_NAME}"'
    return response


@login_required
def export(request):
    """The user's scope as a dataset file (XLSX by default, or ?format=json)."""
    _require_role(request.user)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in CONTENT_TYPES:
        fmt = "xlsx"
    name = f"thidua-{timezone.localdate():%Y%m%d}.{fmt}"
    # On disk beyond a few MB, so that a province's export needs no memory; the response
    # closes the file once sent.
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    dump_for(request.user, out, fmt=fmt, name=name)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=name, content_type=CONTENT_TYPES[fmt])
