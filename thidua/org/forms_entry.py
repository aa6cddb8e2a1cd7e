"""Forms of the people and employment entry pages. Dates are typed and shown as
dd/mm/yyyy; the verbs of `thidua.org.services` decide and write."""

import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from thidua.org.models import Person

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]


class VNDateField(forms.DateField):
    """A text box for dd/mm/yyyy (typing is faster than a picker for officers)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "error_messages", {"invalid": _("Enter a date as dd/mm/yyyy, e.g. 31/12/2025.")}
        )
        kwargs.setdefault(
            "widget",
            forms.DateInput(
                format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
            ),
        )
        super().__init__(input_formats=DATE_FORMATS, **kwargs)


class UnitChoiceField(forms.ModelChoiceField):
    """A unit of the user's scope, shown by name."""

    def label_from_instance(self, unit):
        return unit.name


class PersonForm(forms.ModelForm):
    legend = _("The person")

    birth_date = VNDateField(label=_("Birth date"), required=False)

    class Meta:
        model = Person
        fields = ["family_name", "middle_name", "given_name", "birth_date", "gender", "citizen_id"]

    def clean_citizen_id(self):
        return self.cleaned_data.get("citizen_id") or None


class HireForm(forms.Form):
    """Start an employment: where, in which position, from when."""

    legend = _("Employment")

    unit = UnitChoiceField(label=_("Unit"), queryset=None, empty_label="—")
    position = forms.CharField(label=_("Position"), max_length=120, required=False)
    start = VNDateField(label=_("Start"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class TransferForm(forms.Form):
    to_unit = UnitChoiceField(label=_("New unit"), queryset=None, empty_label="—")
    position = forms.CharField(label=_("Position"), max_length=120, required=False)
    day = VNDateField(label=_("Transfer date (first day in the new unit)"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = units


class EndForm(forms.Form):
    end = VNDateField(label=_("End date (first day no longer employed)"))


def apply_errors(form, exc: ValidationError) -> None:
    """Put a verb's ValidationError on the form: on its field where the form has one,
    else above the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def new_code(model, prefix: str) -> str:
    """A free code for a person or household added by hand (datasets bring their own)."""
    while True:
        code = prefix + secrets.token_hex(4).upper()
        if not model.objects.filter(code=code).exists():
            return code
