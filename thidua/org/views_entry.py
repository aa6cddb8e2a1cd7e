"""Entry pages for people and their employment: add a person (with their first
employment), hire, transfer, end an employment.

Thin: they parse input and call the verbs of `thidua.org.services`, which check the
scope, write in one transaction and audit. A person the user may not see answers 404;
one they may see but not change answers 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from thidua.accounts import scope
from thidua.accounts.choices import Action
from thidua.org import services
from thidua.org.forms_entry import (
    EndForm,
    HireForm,
    PersonForm,
    TransferForm,
    apply_errors,
    new_code,
)
from thidua.org.models import Employment, Person


def _units(user):
    return (
        scope.units(user, Action.CHANGE)
        .active_on(timezone.localdate())
        .order_by("sort_key", "code")
    )


def _person_for_change(request, code) -> Person:
    person = get_object_or_404(scope.people(request.user), code=code)
    scope.require_person(request.user, Action.CHANGE, person)
    return person


def _page(request, forms, *, title, lead="", back_url, back_label, submit, status=200):
    return render(
        request,
        "entry/form.html",
        {
            "forms": forms,
            "title": title,
            "lead": lead,
            "back_url": back_url,
            "back_label": back_label,
            "submit_label": submit,
        },
        status=status,
    )


@login_required
def add_person(request):
    """A new person and their first employment, in one transaction."""
    units = _units(request.user)
    if not units.exists():
        raise PermissionDenied(_("You may not add people."))
    person_form = PersonForm(request.POST or None, prefix="p")
    preset = units.filter(code=request.GET.get("don_vi", "")).first()
    hire_form = HireForm(
        request.POST or None,
        units=units,
        prefix="e",
        initial={"unit": preset, "start": timezone.localdate()},
    )
    if request.method == "POST" and person_form.is_valid() & hire_form.is_valid():
        hire = hire_form.cleaned_data
        try:
            with transaction.atomic():
                person = services.add_person(
                    actor=request.user,
                    unit=hire["unit"],
                    code=new_code(Person, "CB-"),
                    **person_form.cleaned_data,
                )
                services.start_employment(
                    person,
                    hire["unit"],
                    hire["start"],
                    position=hire["position"],
                    actor=request.user,
                )
        except ValidationError as exc:
            person_keys = set(person_form.fields)
            if hasattr(exc, "error_dict") and person_keys & set(exc.error_dict):
                apply_errors(person_form, exc)
            else:
                apply_errors(hire_form, exc)
        else:
            messages.success(request, _("%(name)s added.") % {"name": person.full_name})
            return redirect("org:person_detail", person.code)
    return _page(
        request,
        [person_form, hire_form],
        title=_("Add a person"),
        lead=_("The person and the unit they start working in."),
        back_url=reverse("org:person_list"),
        back_label=_("People"),
        submit=pgettext("button that adds a new person", "Add"),
        status=400 if request.method == "POST" else 200,
    )


def _person_page(request, person, form, *, title, submit, save, done):
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("org:person_detail", person.code)
    return _page(
        request,
        [form],
        title=title,
        lead=person.full_name,
        back_url=reverse("org:person_detail", args=[person.code]),
        back_label=person.full_name,
        submit=submit,
        status=400 if request.method == "POST" else 200,
    )


@login_required
def hire(request, code):
    """A new employment for a person already on file (e.g. after an earlier one ended)."""
    person = _person_for_change(request, code)
    form = HireForm(request.POST or None, units=_units(request.user))
    return _person_page(
        request,
        person,
        form,
        title=_("Start an employment"),
        submit=_("Save"),
        save=lambda d: services.start_employment(
            person, d["unit"], d["start"], position=d["position"], actor=request.user
        ),
        done=_("Employment recorded."),
    )


@login_required
def transfer(request, code):
    person = _person_for_change(request, code)
    form = TransferForm(request.POST or None, units=_units(request.user))
    return _person_page(
        request,
        person,
        form,
        title=_("Transfer to another unit"),
        submit=_("Transfer"),
        save=lambda d: services.transfer_person(
            person, d["to_unit"], d["day"], position=d["position"], actor=request.user
        ),
        done=_("Transfer recorded."),
    )


@login_required
def end_employment(request, code):
    """End the person's open employment (retirement, resignation, leaving the body)."""
    person = _person_for_change(request, code)
    current = (
        Employment.objects.filter(person=person, end__isnull=True)
        .select_related("unit")
        .order_by("-start")
        .first()
    )
    form = EndForm(request.POST or None)

    def save(data):
        if current is None:
            raise ValidationError({"end": _("This person has no employment still running.")})
        services.end_employment(current, data["end"], actor=request.user)

    return _person_page(
        request,
        person,
        form,
        title=_("End the employment"),
        submit=_("End the employment"),
        save=save,
        done=_("Employment ended."),
    )
