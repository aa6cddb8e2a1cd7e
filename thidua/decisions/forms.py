"""Forms of the decision pages; they parse input and name fields, the verbs decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.org.forms import DateInput

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class SignedForm(forms.Form):
    decided_on = forms.DateField(
        label=_("Decision date"), input_formats=DATE_FORMATS, widget=DateInput()
    )
    signer_name = forms.CharField(label=_("Signer"), max_length=120)
    signer_position = forms.CharField(label=_("Signer's position"), max_length=120)


class IssueForm(SignedForm):
    title = forms.CharField(label=_("About"), max_length=500, required=False)
    nominees = forms.MultipleChoiceField(label=_("Recipients"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominees"].choices = [(str(n.pk), str(n.recipient)) for n in candidates]


class AnnulForm(SignedForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    recipients = forms.MultipleChoiceField(
        label=_("Awards annulled"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipients"].choices = [(str(r.pk), r.name) for r in lines]


class CorrectForm(SignedForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    correction = forms.CharField(
        label=_("What is corrected"), widget=forms.Textarea(attrs={"rows": 4})
    )


class PrintForm(forms.Form):
    dx_mm = forms.DecimalField(
        label=_("Shift right (mm)"),
        max_digits=5,
        decimal_places=1,
        required=False,
        min_value=-50,
        max_value=50,
    )
    dy_mm = forms.DecimalField(
        label=_("Shift down (mm)"),
        max_digits=5,
        decimal_places=1,
        required=False,
        min_value=-50,
        max_value=50,
    )
