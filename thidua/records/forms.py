"""Forms of the entry pages. They parse and label input; the verbs of
`thidua.records.services` decide and write. Dates are typed and shown as dd/mm/yyyy."""

from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.org.forms_entry import VNDateField
from thidua.records.choices import CommendationType, RatingLevel
from thidua.records.models import Absence, Discipline, Initiative, PendingReview


class EntryModelForm(forms.ModelForm):
    """A model form whose date fields are typed dd/mm/yyyy."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, f in list(self.fields.items()):
            if isinstance(f, forms.DateField):
                self.fields[name] = VNDateField(
                    label=f.label, required=f.required, help_text=f.help_text
                )


class DisciplineForm(EntryModelForm):
    class Meta:
        model = Discipline
        fields = [
            "measure",
            "duty_related",
            "decision_number",
            "decision_date",
            "effective_from",
            "effective_to",
            "reason",
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("effective_from"), data.get("effective_to")
        if start and end and end <= start:
            self.add_error("effective_to", _("The end must be after the start."))
        return data


class AbsenceForm(EntryModelForm):
    class Meta:
        model = Absence
        fields = ["kind", "start", "end"]
        help_texts = {
            "kind": _(
                "A long absence is any leave that is not maternity: unpaid leave, long sick "
                "leave, study leave."
            ),
            "end": _("The first day back at work."),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The end must be after the start."))
        return data


class ReviewForm(EntryModelForm):
    class Meta:
        model = PendingReview
        fields = ["kind", "started_on", "note"]


class CloseReviewForm(forms.Form):
    ended_on = VNDateField(label=_("Ended on"))


class InitiativeForm(EntryModelForm):
    class Meta:
        model = Initiative
        fields = [
            "code",
            "kind",
            "title",
            "scope",
            "decision_number",
            "recognised_on",
            "applied",
            "replicable",
        ]
        labels = {"code": _("Registration number")}


class AwardDecisionForm(forms.Form):
    """One decision from above; its recipients are picked beside it."""

    decision_number = forms.CharField(label=_("Decision number"), max_length=80)
    decision_date = VNDateField(label=_("Decision date"))
    authority = forms.TypedChoiceField(label=_("Deciding authority"), coerce=int)
    signer = forms.CharField(label=_("Signer"), max_length=120, required=False)
    award_code = forms.ChoiceField(label=_("Award"))
    commendation_type = forms.ChoiceField(
        label=_("Commendation type"),
        choices=CommendationType.choices,
        initial=CommendationType.CONG_TRANG,
    )
    period_start = VNDateField(label=_("Achievement period from"))
    period_end = VNDateField(label=_("Achievement period to"))

    def __init__(self, *args, authorities, awards, **kwargs):
        super().__init__(*args, **kwargs)
        self.authorities = {u.pk: u for u in authorities}
        self.fields["authority"].choices = [("", "—")] + [
            (u.pk, u.name) for u in self.authorities.values()
        ]
        self.fields["award_code"].choices = [("", "—"), *awards]

    def clean_authority(self):
        return self.authorities[self.cleaned_data["authority"]]

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error(
                "period_end", _("The end of the achievement period is before its start.")
            )
        return data


class EveryoneForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Level for everyone not yet rated"),
        choices=RatingLevel.choices,
        initial=RatingLevel.HTT,
    )
