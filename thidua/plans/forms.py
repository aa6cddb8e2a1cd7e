"""Forms of the task page: they parse input; the verbs in `services` decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.plans.choices import TaskStatus


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
