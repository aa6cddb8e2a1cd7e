"""The FilterSet of assignments, shared by the task page and (through the same fields)
the API list."""

import django_filters
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thidua.org.widgets import UnitPicker
from thidua.plans.choices import OPEN_STATUSES, TaskStatus
from thidua.plans.models import TaskAssignment


class AssignmentFilter(django_filters.FilterSet):
    """Filters of the task page. The units are chosen by name (`UnitPicker`, which sends
    their codes); pass `request` so that the pickers list the user's units."""

    unit = django_filters.CharFilter(
        label=_("Assignee"), field_name="unit__code", widget=UnitPicker()
    )
    assigned_by = django_filters.CharFilter(
        label=_("Assigned by"), field_name="task__assigned_by__code", widget=UnitPicker()
    )
    year = django_filters.NumberFilter(label=_("Year"), field_name="task__year")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=TaskStatus.choices)
    overdue = django_filters.BooleanFilter(label=_("Overdue only"), method="filter_overdue")

    class Meta:
        model = TaskAssignment
        fields = ["unit", "assigned_by", "year", "status", "overdue"]

    def __init__(self, data=None, *args, request=None, **kwargs):
        super().__init__(data, *args, request=request, **kwargs)
        if request is not None:
            for name in ("unit", "assigned_by"):
                chosen = (data or {}).get(name, "")
                self.form.fields[name].widget.bind(request.user, [chosen])

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        today = timezone.localdate()
        late = Q(status__in=list(OPEN_STATUSES), task__deadline__lt=today) | Q(
            status=TaskStatus.COMPLETED, completed_on__gt=F("task__deadline")
        )
        return queryset.filter(late)
