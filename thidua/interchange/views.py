"""Pages of dataset interchange: the template (blank, or prefilled for a unit and year), an
export of the user's own scope, and the spreadsheet import (upload → preview → confirm).
Thin: who may do what comes from `thidua.accounts.scope`, the work from
`thidua.interchange.dataset`, `.prefill` and `.imports`."""

from itertools import groupby

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.accounts import scope
from thidua.accounts.choices import Action
from thidua.accounts.home import working_year, year_or
from thidua.interchange import exports, imports
from thidua.interchange.dataset import DatasetError, build_template_xlsx
from thidua.interchange.dataset.guide import FIELD_HELP
from thidua.interchange.prefill import prefilled_template, template_name

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
TEMPLATE_NAME = "thidua-mau-du-lieu.xlsx"
PROBLEMS_SHOWN = 1000  # on the preview page; the rest are counted


def _require_role(user) -> None:
    if not scope.has_any_role(user):
        raise PermissionDenied


def _page_context(request) -> dict:
    user = request.user
    may_import = imports.can_import(user)
    units = list(scope.units(user).order_by("sort_key", "code").only("code", "name"))
    home = scope.home_unit(user, Action.CHANGE if may_import else Action.VIEW)
    chosen = request.GET.get("unit") or (home.code if home else "")
    year = year_or(request.GET.get("year"), working_year())
    return {
        "unit_count": len(units),
        "people_count": scope.people(user).count(),
        "everything": scope.unit_ids_for(user) is None,
        "units": units,
        "chosen_unit": chosen,
        "year": year,
        "can_import": may_import,
        "max_mb": settings.THIDUA_IMPORT_MAX_BYTES // (1024 * 1024),
    }


@login_required
def home(request):
    _require_role(request.user)
    return render(request, "interchange/home.html", _page_context(request))


@login_required
def template_xlsx(request):
    """The blank template, or (with ?unit=CODE&year=YYYY) one prefilled with that unit's
    people and units still to rate that year."""
    _require_role(request.user)
    code = request.GET.get("unit")
    if not code:
        content, name = build_template_xlsx(), TEMPLATE_NAME
    else:
        unit = get_object_or_404(scope.units(request.user), code=code)
        year = year_or(request.GET.get("year"), working_year())
        content = prefilled_template(unit, year, actor=request.user)
        name = template_name(unit, year)
    response = HttpResponse(content, content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def export(request):
    """The user's scope as a dataset file (XLSX by default, or format=json): a background
    job (`interchange.exports`) started by a POST (a GET is refused, 405), then its page,
    which offers the file when done."""
    _require_role(request.user)
    fmt = request.POST.get("format", "xlsx")
    if fmt not in exports.FORMATS:
        fmt = "xlsx"
    job = exports.start_export(fmt, actor=request.user)
    return redirect("jobs:detail", pk=job.pk)


@login_required
def upload(request):
    """Keep the uploaded workbook and go to its preview (a GET goes back to the page)."""
    if not imports.can_import(request.user):
        raise PermissionDenied(_("Only an emulation officer may import data."))
    if request.method != "POST":
        return redirect("interchange:home")
    file = request.FILES.get("file")
    try:
        if file is None:
            raise DatasetError([imports.Problem("", None, "", _("choose a file to import"))])
        stored = imports.store_upload(file, actor=request.user)
    except DatasetError as exc:
        context = _page_context(request) | {"upload_errors": [p.message for p in exc.problems]}
        return render(request, "interchange/home.html", context, status=400)
    return redirect("interchange:preview", token=stored.token)


def _by_sheet(problems):
    """[(sheet, [(problem, what its column means), …]), …] in the problems' order."""
    return [
        (sheet, [(p, FIELD_HELP.get(p.section, {}).get(p.field, "")) for p in rows])
        for sheet, rows in groupby(problems, key=lambda p: p.section)
    ]


@login_required
def preview(request, token):
    """Every problem by sheet, row and field; or what a confirmation would write."""
    stored = imports.get_upload(token, actor=request.user)
    result = imports.preview_import(stored, actor=request.user)
    shown = result.problems[:PROBLEMS_SHOWN]
    return render(
        request,
        "interchange/preview.html",
        {
            "upload": stored,
            "preview": result,
            "sheets": _by_sheet(shown),
            "more": result.total_problems - len(shown),
        },
    )


@login_required
@require_POST
def confirm(request, token):
    """Queue the import (all rows, or none) and follow it on its job page, which shows
    the progress and, if the file had problems, the way back to the preview."""
    stored = imports.get_upload(token, actor=request.user)
    job = imports.start_confirmation(stored, actor=request.user)
    return redirect("jobs:detail", pk=job.pk)
