"""Forms of the eligibility pages. They only parse the query string; a bad value is
reported on its field and the page falls back to the default."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.org.forms import DateInput
from thidua.records.choices import AttestingBody
from thidua.rules.definitions import get_definitions
from thidua.rules.engine import VERDICTS, DossierDateTooEarly, check_dossier_date
from thidua.rules.messages import VERDICT_LABELS

FIRST_YEAR = 1945


class YearForm(forms.Form):
    """`?nam=YYYY`: the achievement year — among `years` (newest first; default the first)
    when given, else any year from 1945 to next year (default `default`)."""

    nam = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, data=None, *, years: list[int] | None = None, default: int, **kwargs):
        # Bound even without a query string, so the inputs show the defaults in use.
        data = data.copy() if data is not None else {}
        if not data.get("nam"):
            data["nam"] = str(years[0] if years else default)
        super().__init__(data, **kwargs)
        if years:
            self.fields["nam"].choices = [(y, str(y)) for y in years]
            self.default_year = years[0]
        else:
            self.fields["nam"] = forms.IntegerField(
                label=_("Year"), required=False, min_value=FIRST_YEAR, max_value=default + 1
            )
            self.default_year = default

    def year(self) -> int:
        self.is_valid()  # cleaned_data keeps the valid fields even if another is bad
        return self.cleaned_data.get("nam") or self.default_year


class ResultsForm(YearForm):
    """The results table's filters: `?nam=` year, `?danh_hieu=` award code, `?ket_qua=`
    verdict, `?ngay=` dossier date (which picks the rule set; default 10/12 of the year)."""

    danh_hieu = forms.ChoiceField(label=_("Title or form"), required=False)
    ket_qua = forms.ChoiceField(label=_("Verdict"), required=False)
    ngay = forms.DateField(
        label=_("Dossier date"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=DateInput(),
        help_text=_("Picks the rules in force; default 10/12 of the year."),
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        awards = get_definitions().awards
        self.fields["danh_hieu"].choices = [("", _("Every annual title"))] + [
            (code, f"{award.entry.name} ({code})")
            for code, award in awards.items()
            if award.entry.subjects & {"individual", "collective"}
        ]
        self.fields["ket_qua"].choices = [("", _("Every verdict"))] + [
            (v, VERDICT_LABELS[v]) for v in VERDICTS
        ]

    def clean(self):
        cleaned = super().clean()
        day, year = cleaned.get("ngay"), cleaned.get("nam") or self.default_year
        try:
            check_dossier_date(year, day)
        except DossierDateTooEarly as exc:
            self.add_error("ngay", exc.message)
        return cleaned

    def award(self) -> str | None:
        self.is_valid()
        return self.cleaned_data.get("danh_hieu") or None

    def verdict(self) -> str | None:
        self.is_valid()
        return self.cleaned_data.get("ket_qua") or None

    def as_of(self) -> datetime.date | None:
        self.is_valid()
        return self.cleaned_data.get("ngay")


class AttestationForm(forms.Form):
    """The council's or leader's judgement on one qualitative criterion, with the minutes
    it rests on (`thidua.rules.attestations`)."""

    award = forms.CharField(widget=forms.HiddenInput)
    criterion = forms.CharField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Judgement"),
        choices=[("attested", _("Attested")), ("refused", _("Refused"))],
        widget=forms.RadioSelect,
    )
    body = forms.ChoiceField(label=_("Judged by"), choices=AttestingBody.choices)
    body_name = forms.CharField(
        label=_("Name of the council or leader"),
        max_length=255,
        help_text=_("e.g. Hội đồng Thi đua – Khen thưởng huyện Kim Bảng"),
    )
    decided_on = forms.DateField(
        label=_("Decided on"), input_formats=["%d/%m/%Y", "%Y-%m-%d"], widget=DateInput()
    )
    minutes_number = forms.CharField(label=_("Minutes number"), max_length=80)
    minutes_date = forms.DateField(
        label=_("Minutes date"), input_formats=["%d/%m/%Y", "%Y-%m-%d"], widget=DateInput()
    )
    minutes_text = forms.CharField(
        label=_("What the minutes say"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
