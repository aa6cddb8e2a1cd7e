"""What the emulation pages share: the visible block (404 otherwise), its covenant, the
units the user acts for, and running a button's verb."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.emulation import selectors
from thidua.emulation.models import Block

UNIT_CHOICE_LIMIT = 300


def today():
    """The local date (tests pin it here)."""
    return timezone.localdate()


def visible_block(request, year: int, code: str) -> Block:
    blocks = selectors.visible_blocks(request.user).select_related("organiser", "movement")
    block = get_object_or_404(blocks, year=year, code=code)
    # The reverse one-to-one is read once here; `covenant` is None when there is none.
    block.covenant_or_none = block.covenant if selectors.has_covenant(block) else None
    return block


def covenant_of(block):
    if block.covenant_or_none is None:
        raise Http404(_("This block has no covenant yet."))
    return block.covenant_or_none


def acting_units(user):
    units = selectors.acting_units(user, UNIT_CHOICE_LIMIT)
    if not units:
        raise PermissionDenied(_("You may act for no unit."))
    return units


def perform(request, call, success):
    """Run a button's service verb: a refusal becomes an error message (the verb wrote
    nothing), a success the message `success(result)`."""
    try:
        result = call()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return None
    messages.success(request, success(result))
    return result


def form_status(request) -> int:
    """200 for a page shown, 400 for a posted form shown again with its problems."""
    return 400 if request.method == "POST" else 200
