"""Forms of the task and indicator pages: they parse input; the verbs in `services`
decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.accounts.choices import Action
from thidua.form_errors import add_service_errors  # noqa: F401 (the views import it from here)
from thidua.org.widgets import UnitPickerField
from thidua.plans.choices import Period, TaskStatus, Version


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class StatusForm(forms.Form):
    """Move one assignment: to in progress, or completed on a day with its evidence."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in (TaskStatus.IN_PROGRESS, TaskStatus.COMPLETED)],
    )
    completed_on = forms.DateField(
        label=_("Completed on"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=DateInput(),
    )
    evidence = forms.CharField(
        label=_("Evidence (report number, date)"), required=False, max_length=500
    )


class ActualForm(forms.Form):
    """An indicator's figure for a unit's year, in one version (estimate, preliminary,
    final). The value is parsed by the verb (`services.record_actual`), which accepts a
    decimal comma."""

    indicator = forms.ChoiceField(label=_("Indicator"))
    unit = UnitPickerField(label=_("Unit"), action=Action.CHANGE)
    year = forms.IntegerField(label=_("Year"), min_value=1945, max_value=2100)
    period = forms.ChoiceField(label=_("Period"), choices=Period.choices, initial=Period.YEAR)
    version = forms.ChoiceField(label=_("Version"), choices=Version.choices)
    value = forms.CharField(label=_("Value"), max_length=40)
    reported_on = forms.DateField(
        label=_("Reported on"), input_formats=["%Y-%m-%d", "%d/%m/%Y"], widget=DateInput()
    )
    source = forms.CharField(label=_("Source (report number)"), max_length=255, required=False)

    def __init__(self, *args, user, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = {i.code: i for i in indicators}
        self.fields["indicator"].choices = [(i.code, i.name) for i in indicators]
        self.fields["unit"].bind(user, self.data, self.add_prefix("unit"))

    def verb_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["indicator"] = self.indicators[data["indicator"]]
        return data
