"""The report picker: a unit in the user's scope and a year."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thidua.plans.models import YEAR_VALIDATORS


class SummaryPickForm(forms.Form):
    """`?don_vi=CODE&nam=YYYY`. The unit is a choice among the units in scope when they
    are few, else a code box checked against the scope."""

    don_vi = forms.CharField(label=_("Unit"), max_length=40)
    nam = forms.IntegerField(label=_("Year"), validators=YEAR_VALIDATORS)

    def __init__(self, data=None, *, units: list[tuple[str, str]] | None, **kwargs):
        super().__init__(data, **kwargs)
        if units is not None:
            self.fields["don_vi"] = forms.ChoiceField(label=_("Unit"), choices=units)
        self.fields["nam"].initial = timezone.localdate().year - 1
