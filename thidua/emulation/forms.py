"""Forms of the emulation pages. They parse input only; the verbs in `services` validate
and write, and their messages are put back on the form (`add_service_errors`)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thidua.org.models import Person
from thidua.rules.catalog import get_catalog


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names, when the form
    has it, otherwise as a form error."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class SignForm(forms.Form):
    """A member signs the covenant: which member (of those the user may sign for), who
    signed and when."""

    unit = forms.ChoiceField(label=_("Member unit"))
    signer_name = forms.CharField(label=_("Signed by"), max_length=120)
    signer_position = forms.CharField(label=_("Position"), max_length=120, required=False)
    signed_on = forms.DateField(
        label=_("Signed on"), input_formats=DATE_FORMATS, widget=DateInput()
    )

    def __init__(self, *args, units, **kwargs):
        kwargs.setdefault("initial", {"signed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.code, u.name) for u in units]


class RegistrationForm(forms.Form):
    """A unit registers a title for itself, or for one of its people (by code)."""

    unit = forms.ChoiceField(label=_("Unit"))
    person = forms.CharField(
        label=_("Person code"),
        max_length=40,
        required=False,
        help_text=_("Leave empty to register the unit itself."),
    )
    award_code = forms.ChoiceField(label=_("Title"))
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.code, u.name) for u in units]
        self.fields["award_code"].choices = [
            (code, f"{entry.name} ({code})") for code, entry in sorted(get_catalog().items())
        ]

    def clean_person(self):
        code = self.cleaned_data["person"].strip()
        if not code:
            return None
        person = Person.objects.filter(code=code).first()
        if person is None:
            raise ValidationError(_("No person has the code %(code)s.") % {"code": code})
        return person


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Reason for reopening"), max_length=500)
    new_deadline = forms.DateField(
        label=_("New deadline"), input_formats=DATE_FORMATS, widget=DateInput()
    )


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Filled-in scoring sheet (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(_("Upload the .xlsx file downloaded from this page."))
        if upload.size > 5 * 1024 * 1024:
            raise ValidationError(_("The file is larger than 5 MB."))
        return upload


class YearForm(forms.Form):
    nam = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, data=None, *, years):
        super().__init__(data)
        self.fields["nam"].choices = [("", _("All years"))] + [(y, str(y)) for y in years]

    def year(self):
        return self.cleaned_data.get("nam") if self.is_valid() else None
