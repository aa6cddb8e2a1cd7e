"""Forms of the proposal pages; they parse input and name fields, the verbs decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.nominations.choices import DocumentKind, RoundKind, SubjectKind
from thidua.nominations.models import Comment
from thidua.nominations.services import award_problem
from thidua.nominations.workflow import FIX_FIELDS
from thidua.org.forms import DateInput
from thidua.records.models import Initiative
from thidua.rules.definitions import get_definitions

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class RoundForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Organising unit"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=255)
    year = forms.IntegerField(label=_("Achievement year"), min_value=1945, max_value=2100)
    kind = forms.ChoiceField(label=_("Kind"), choices=RoundKind.choices)
    deadline = forms.DateField(
        label=_("Submission deadline"), input_formats=DATE_FORMATS, widget=DateInput()
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class DossierForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Proposing unit"), queryset=None)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


def award_choices(dossier, subject_kind: str) -> list[tuple[str, str]]:
    """The awards the dossier's round may propose for this kind of recipient, highest
    first, by name."""
    awards = sorted(get_definitions().awards.values(), key=lambda a: (-a.rank, a.code))
    return [
        (a.code, a.entry.name)
        for a in awards
        if award_problem(dossier, a.code, subject_kind) is None
    ]


class PickForm(forms.Form):
    """The register picker's search: `?q=` a name or code, `?loai=` person or unit."""

    q = forms.CharField(label=_("Name or code"), required=False, max_length=100)
    loai = forms.ChoiceField(label=_("Recipient kind"), choices=SubjectKind.choices, required=False)

    def kind(self) -> str:
        self.is_valid()
        return self.cleaned_data.get("loai") or SubjectKind.PERSON

    def query(self) -> str:
        self.is_valid()
        return (self.cleaned_data.get("q") or "").strip()


class AddForm(forms.Form):
    """One recipient (by id) and the award to propose."""

    kind = forms.ChoiceField(choices=SubjectKind.choices, widget=forms.HiddenInput)
    subject = forms.IntegerField(widget=forms.HiddenInput)
    award = forms.CharField(label=_("Award"), max_length=40)


class NomineeForm(forms.Form):
    period_start = forms.DateField(
        label=_("Achievement period start"), input_formats=DATE_FORMATS, widget=DateInput()
    )
    period_end = forms.DateField(
        label=_("Achievement period end"), input_formats=DATE_FORMATS, widget=DateInput()
    )
    summary = forms.CharField(
        label=_("Achievement summary"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    initiatives = forms.ModelMultipleChoiceField(
        label=_("Initiatives relied on"),
        queryset=Initiative.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, initiatives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiatives"].queryset = initiatives


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    fields = forms.MultipleChoiceField(
        label=_("Fields to fix"),
        choices=list(FIX_FIELDS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("XLSX file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload an .xlsx file."))
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        head = upload.read(2)
        upload.seek(0)
        if head != b"PK":
            raise forms.ValidationError(_("The file is not an XLSX workbook."))
        return upload


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices)
    nominee = forms.ModelChoiceField(
        label=_("For the nominee"),
        queryset=None,
        required=False,
        empty_label=_("The whole dossier"),
    )
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, nominees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominee"].queryset = nominees
        self.fields["nominee"].label_from_instance = lambda n: f"{n.recipient} – {n.award_code}"


class OutcomeForm(forms.Form):
    """The outcome of an objection raised in public comment."""

    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Comment.Outcome.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason of the outcome"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
