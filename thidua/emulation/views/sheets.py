"""Scoring sheet pages: the whole sheet (a plain form without JavaScript), one criterion
saved by htmx, the XLSX template, and its upload with a preview before saving. The sheet
itself is `thidua.emulation.sheets.Sheet`."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.emulation import services, xlsx
from thidua.emulation.forms import UploadForm
from thidua.emulation.sheets import Sheet
from thidua.emulation.views import common

SESSION_KEY = "emulation_upload"


def _sheet(request, year, code, kind, scorer, target) -> Sheet:
    block = common.visible_block(request, year, code)
    covenant = common.covenant_of(block)
    return Sheet(request.user, block, covenant, kind, scorer, target, common.today())


@login_required
def sheet(request, year, code, kind, scorer, target):
    """The whole sheet; posting it (without JavaScript) saves every criterion at once."""
    s = _sheet(request, year, code, kind, scorer, target)
    posted, errors, status = None, None, 200
    if request.method == "POST":
        posted = s.posted(request.POST)
        errors = s.row_errors(posted)
        status = 400
        if not errors:
            try:
                s.save(request.user, posted)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Scores saved."))
                return redirect(reverse("emulation:sheet", args=s.url_args()))
    return render(
        request,
        "emulation/sheet.html",
        {"s": s, "groups": s.groups(posted, errors), "upload_form": UploadForm()},
        status=status,
    )


@login_required
@require_POST
def sheet_cell(request, year, code, kind, scorer, target):
    """htmx: save one criterion and answer its row, saved or with the problem."""
    s = _sheet(request, year, code, kind, scorer, target)
    criterion = next((c for c in s.criteria if c.code == request.POST.get("criterion")), None)
    if criterion is None:
        raise Http404
    posted = s.posted(request.POST).get(criterion.pk, ("", ""))
    error, saved = "", False
    try:
        s.save(request.user, {criterion.pk: posted})
    except ValidationError as exc:
        error = " ".join(exc.messages)
    else:
        saved = True
        s.scores = s.read_scores(criterion)
    row = s.row(criterion, None if saved else posted, error, saved)
    return render(request, "emulation/_sheet_row.html", {"s": s, "row": row})


@login_required
def sheet_xlsx(request, year, code, kind, scorer, target):
    s = _sheet(request, year, code, kind, scorer, target)
    content = xlsx.sheet_template(s.covenant, s.scorer, s.target, s.kind, s.criteria, s.scores)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"cham-diem-{s.block.year}-{s.kind}-{s.scorer.code}-{s.target.code}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _commit_upload(request, s: Sheet):
    """Save the rows previewed earlier (kept in the session under a one-time token)."""
    pending = request.session.get(SESSION_KEY) or {}
    if pending.get("token") != request.POST.get("token") or pending.get("sheet") != s.url_args():
        messages.error(request, _("The upload has expired; upload the file again."))
        return redirect(reverse("emulation:sheet", args=s.url_args()))
    try:
        s.save_entries(request.user, [services.ScoreEntry(*e) for e in pending["entries"]])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Scores saved from the file."))
    request.session.pop(SESSION_KEY, None)
    return redirect(reverse("emulation:sheet", args=s.url_args()))


@login_required
@require_POST
def sheet_upload(request, year, code, kind, scorer, target):
    """Upload a filled-in template: a preview with every problem named by row and column,
    nothing saved; "commit" then saves the previewed rows in one transaction."""
    s = _sheet(request, year, code, kind, scorer, target)
    if not s.editable:
        raise PermissionDenied(_("This sheet cannot be changed."))
    if "commit" in request.POST:
        return _commit_upload(request, s)
    form = UploadForm(request.POST, request.FILES)
    preview = None
    if form.is_valid():
        preview = xlsx.read_sheet(
            form.cleaned_data["file"], s.covenant, s.scorer, s.target, s.kind, s.criteria
        )
        if not preview.problems:
            token = uuid.uuid4().hex
            request.session[SESSION_KEY] = {
                "token": token,
                "sheet": s.url_args(),
                "entries": [[e.criterion, e.points, e.evidence] for e in preview.entries],
            }
            preview.token = token
    return render(
        request,
        "emulation/upload_preview.html",
        {"s": s, "form": form, "preview": preview},
        status=200 if preview is not None and not preview.problems else 400,
    )
