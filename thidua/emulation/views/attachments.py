"""A movement's files: upload (the launching unit's officers), download (whoever sees
the movement), removal."""

import re
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.accounts import scope
from thidua.accounts.choices import Action
from thidua.emulation import services
from thidua.emulation.forms import add_service_errors
from thidua.emulation.models import MovementAttachment
from thidua.emulation.views.movements import attachment_form, movement_page, visible_movement
from thidua.vietnamese import fold


@login_required
@require_POST
def attachment_upload(request, code):
    """Attach a file to the movement (the launching unit's officers); without
    JavaScript, a plain multipart form. A refused file re-shows the page with the
    message on the form, and nothing is stored."""
    movement = visible_movement(request, code)
    scope.require(request.user, Action.CHANGE, movement.launched_by)
    form = attachment_form(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = services.attach_to_movement(
                movement,
                form.cleaned_data["file"],
                description=form.cleaned_data["description"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("%(name)s is attached.") % {"name": attachment.original_name}
            )
            return redirect("emulation:movement", code=movement.code)
    return movement_page(request, movement, attachment_form_=form, status=400)


def content_disposition(name: str) -> str:
    """`attachment` with the original (Vietnamese) name, RFC 6266: `filename*` in UTF-8
    for every current browser, and a plain ASCII `filename` (diacritics dropped) for old
    clients."""
    fallback = re.sub(r"[^A-Za-z0-9._ ()-]+", "_", fold(name)) or "download"
    return f"attachment; filename=\"{fallback}\"; filename*=utf-8''{quote(name, safe='')}"


@login_required
def attachment_download(request, code, pk):
    """Send an attachment to whoever may see its movement (404 to anyone else, as for a
    file that does not exist), under its original name; never shown inline."""
    movement = visible_movement(request, code)
    attachment = get_object_or_404(MovementAttachment, movement=movement, pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing from the store.")) from None
    response = FileResponse(handle, content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition(attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def attachment_remove(request, code, pk):
    movement = visible_movement(request, code)
    attachment = get_object_or_404(MovementAttachment, movement=movement, pk=pk)
    services.remove_attachment(attachment, actor=request.user)
    messages.success(request, _("%(name)s is removed.") % {"name": attachment.original_name})
    return redirect("emulation:movement", code=movement.code)
