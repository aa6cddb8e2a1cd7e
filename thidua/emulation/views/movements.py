"""Movement pages: the list of blocks and movements, a movement with its files, launching
one, and its registrations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from thidua.accounts import scope
from thidua.accounts.choices import Action
from thidua.emulation import selectors, services
from thidua.emulation.forms import (
    AttachmentForm,
    MovementForm,
    RegistrationForm,
    YearForm,
    add_service_errors,
)
from thidua.emulation.models import Registration
from thidua.emulation.views import common
from thidua.rules.catalog import get_catalog


@login_required
def index(request):
    blocks = selectors.visible_blocks(request.user).select_related("organiser")
    years = sorted(set(blocks.values_list("year", flat=True)), reverse=True)
    form = YearForm(request.GET, years=years)
    year = form.year()
    if year:
        blocks = blocks.filter(year=year)
    movements = selectors.visible_movements(request.user).select_related("launched_by")
    if year:
        movements = movements.filter(year=year)
    return render(
        request,
        "emulation/index.html",
        {
            "form": form,
            "blocks": blocks.order_by("-year", "name"),
            "movements": movements.order_by("-year", "name"),
            "may_act": selectors.may_act(request.user),
        },
    )


def visible_movement(request, code):
    return get_object_or_404(
        selectors.visible_movements(request.user).select_related("launched_by"), code=code
    )


def attachment_form(*args):
    return AttachmentForm(*args, max_bytes=services.attachment_max_bytes())


def movement_page(request, movement, *, attachment_form_=None, status=200):
    blocks = list(
        selectors.visible_blocks(request.user)
        .filter(movement=movement)
        .select_related("organiser")
        .prefetch_related("leads__unit")
        .order_by("name")
    )
    registrations = scope.restrict(
        Registration.objects.filter(movement=movement), request.user, unit="unit", person="person"
    )
    manage = scope.can(request.user, Action.CHANGE, movement.launched_by)
    if manage and attachment_form_ is None:
        attachment_form_ = attachment_form()
    return render(
        request,
        "emulation/movement_detail.html",
        {
            "movement": movement,
            "reviews": movement.reviews.all(),
            "blocks": blocks,
            "registration_count": registrations.count(),
            "attachments": movement.attachments.select_related("uploaded_by"),
            "attachment_form": attachment_form_ if manage else None,
            "manage": manage,
        },
        status=status,
    )


@login_required
def movement_detail(request, code):
    return movement_page(request, visible_movement(request, code))


@login_required
def movement_new(request):
    """Launch a movement for a unit the user may change (`services.launch_movement`)."""
    form = MovementForm(request.POST or None, units=common.acting_units(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            movement = services.launch_movement(actor=request.user, **form.verb_arguments())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The movement is launched."))
            return redirect("emulation:movement", code=movement.code)
    return render(
        request, "emulation/movement_form.html", {"form": form}, status=common.form_status(request)
    )


def _registration_units(user):
    return list(
        scope.units(user, Action.CHANGE).order_by("sort_key", "code")[: common.UNIT_CHOICE_LIMIT]
    )


def _registration_rows(request, movement) -> list:
    rows = list(
        scope.restrict(
            Registration.objects.filter(movement=movement),
            request.user,
            unit="unit",
            person="person",
        )
        .select_related("unit", "person")
        .order_by("unit__sort_key", "person__sort_key", "award_code")
    )
    catalog = get_catalog()
    for r in rows:
        entry = catalog.get(r.award_code)
        r.award_name = entry.name if entry else r.award_code
    return rows


def _registrations_by_block(request, movement, rows) -> list:
    """[(block, [(member unit, its registrations), …]), …] of the movement's blocks."""
    by_unit: dict[int, list] = {}
    for r in rows:
        by_unit.setdefault(r.unit_id, []).append(r)
    blocks = []
    for block in (
        selectors.visible_blocks(request.user)
        .filter(movement=movement)
        .prefetch_related("memberships__unit")
        .order_by("name")
    ):
        members = sorted({m.unit for m in block.memberships.all()}, key=lambda u: u.sort_key)
        blocks.append((block, [(u, by_unit.get(u.pk, [])) for u in members]))
    return blocks


@login_required
def registrations(request, code):
    """The movement's registrations the user may see, rolled up by block and by title;
    a unit's officer registers its titles and its people's here."""
    movement = visible_movement(request, code)
    units = _registration_units(request.user)
    form = RegistrationForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        unit = next(u for u in units if u.code == form.cleaned_data["unit"])
        try:
            services.register_title(
                movement,
                unit=unit,
                person=form.cleaned_data["person"],
                award_code=form.cleaned_data["award_code"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Registration recorded."))
            return redirect("emulation:registrations", code=movement.code)
    rows = _registration_rows(request, movement)
    by_award: dict[str, int] = {}
    for r in rows:
        by_award[r.award_name] = by_award.get(r.award_name, 0) + 1
    open_now = (
        not movement.registration_deadline or common.today() <= movement.registration_deadline
    )
    return render(
        request,
        "emulation/registrations.html",
        {
            "movement": movement,
            "rows": rows,
            "by_award": sorted(by_award.items()),
            "blocks": _registrations_by_block(request, movement, rows),
            "form": form if units and open_now else None,
            "open_now": open_now,
        },
        status=common.form_status(request),
    )
