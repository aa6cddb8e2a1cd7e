"""Households of a commune (hộ gia đình, recipients of household titles): the list of a
commune's households and a page to record one with its head and other members.

Both pages are for officers who may change the commune; a viewer gets 403, a commune
outside the user's scope 404. Thin: the form parses, `thidua.org.services` decides, writes
in one transaction and audits.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from thidua import panels
from thidua.accounts import scope
from thidua.accounts.choices import Action
from thidua.org import services
from thidua.org.choices import Gender, UnitKind
from thidua.org.forms_entry import PersonForm, apply_errors, new_code
from thidua.org.models import Household, HouseholdMember, Person
from thidua.vietnamese import fold

_GENDER_WORDS = {"nam": Gender.MALE, "nu": Gender.FEMALE, "m": Gender.MALE, "f": Gender.FEMALE}


class HouseholdForm(forms.Form):
    legend = gettext_lazy("The household")

    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=255,
        help_text=gettext_lazy("As the household is known, e.g. Hộ ông Nguyễn Văn An."),
    )
    address = forms.CharField(label=gettext_lazy("Address"), max_length=500, required=False)
    others = forms.CharField(
        label=gettext_lazy("Other members"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "One per line: full name, then male or female, e.g. Trần Thị Bình, nữ."
        ),
    )

    def clean_others(self):
        """[(family, middle, given, gender)] from the lines; a bad line is named."""
        people = []
        for number, line in enumerate(self.cleaned_data["others"].splitlines(), start=1):
            if not line.strip():
                continue
            name, _sep, gender = line.rpartition(",")
            words = name.split()
            gender = _GENDER_WORDS.get(fold(gender).strip())
            if len(words) < 2 or gender is None:
                raise ValidationError(
                    _("Line %(line)s: write the full name, a comma, then male or female.")
                    % {"line": number}
                )
            people.append((words[0], " ".join(words[1:-1]), words[-1], gender))
        return people


class HeadForm(PersonForm):
    legend = gettext_lazy("Head of household")


def _commune_for_change(request, code):
    """The commune by code: 404 outside the user's scope, 403 without the change right."""
    commune = get_object_or_404(scope.units(request.user).filter(kind=UnitKind.COMMUNE), code=code)
    if not scope.can(request.user, Action.CHANGE, commune):
        raise PermissionDenied(_("You may not record households of this commune."))
    return commune


@login_required
def household_list(request, code):
    commune = _commune_for_change(request, code)
    households = list(
        Household.objects.filter(commune=commune)
        .annotate(member_count=Count("memberships"))
        .order_by("sort_key", "code")
    )
    head_names = {
        m.household_id: m.person.full_name
        for m in HouseholdMember.objects.filter(
            household__in=households, is_head=True
        ).select_related("person")
    }
    for household in households:
        household.head_name = head_names.get(household.pk, "")
    return render(
        request,
        "org/household_list.html",
        {"commune": commune, "households": households},
    )


@login_required
def add_household(request, code):
    commune = _commune_for_change(request, code)
    form = HouseholdForm(request.POST or None, prefix="h")
    head_form = HeadForm(request.POST or None, prefix="p")
    if request.method == "POST" and form.is_valid() & head_form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                head = services.add_person(
                    actor=request.user,
                    unit=commune,
                    code=new_code(Person, "CB-"),
                    **head_form.cleaned_data,
                )
                others = [
                    services.add_person(
                        actor=request.user,
                        unit=commune,
                        code=new_code(Person, "CB-"),
                        family_name=family,
                        middle_name=middle,
                        given_name=given,
                        gender=gender,
                    )
                    for family, middle, given, gender in data["others"]
                ]
                household = services.add_household(
                    code=new_code(Household, "HGD-"),
                    name=data["name"],
                    address=data["address"],
                    commune=commune,
                    members=[head, *others],
                    head=head,
                    actor=request.user,
                )
        except ValidationError as exc:
            target = head_form
            if hasattr(exc, "error_dict") and set(exc.error_dict) & {"name", "address"}:
                target = form
            apply_errors(target, exc)
        else:
            messages.success(request, _("%(name)s recorded.") % {"name": household.name})
            return redirect("org:household_list", commune.code)
    return render(
        request,
        "entry/form.html",
        {
            "forms": [form, head_form],
            "title": _("Record a household"),
            "lead": commune.name,
            "back_url": reverse("org:household_list", args=[commune.code]),
            "back_label": _("Households of %(commune)s") % {"commune": commune.name},
            "submit_label": pgettext("button that records a new household", "Record"),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def household_detail(request, pk):
    """A household: its commune, address and members, and what the apps above add (its
    awards and the council's judgements, `thidua.panels` slot "org.household")."""
    household = get_object_or_404(
        Household.objects.select_related("commune").filter(commune__in=scope.units(request.user)),
        pk=pk,
    )
    members = list(
        HouseholdMember.objects.filter(household=household)
        .select_related("person")
        .order_by("-is_head", "person__sort_key")
    )
    page = {"household": household, "members": members}
    return render(
        request,
        "org/household_detail.html",
        panels.compose("org.household", request, household, page),
    )
