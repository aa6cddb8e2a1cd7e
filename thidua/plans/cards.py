"""The tasks card on the home page: assignments past their deadline and still open."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from thidua.accounts import home, scope
from thidua.org.ids import InIds
from thidua.plans.choices import OPEN_STATUSES
from thidua.plans.models import Task, TaskAssignment


def overdue_card(user, unit, year, today):
    """Open assignments of the unit's subtree whose deadline has passed (one query)."""
    ids = scope.subtree_in_scope(user, unit)
    if ids is not None and not ids:
        return None
    late = TaskAssignment.objects.filter(
        status__in=list(OPEN_STATUSES), task__deadline__lt=today, task__year=year
    )
    if ids is not None:
        late = late.filter(InIds("unit_id", ids))
    query = {"year": year, "overdue": "true"}
    return home.HomeCard(
        title=_("Tasks overdue in %(year)s") % {"year": year},
        count=late.count(),
        url=reverse("plans:task_list") + "?" + urlencode(query),
        link_text=_("See the overdue tasks"),
    )


def latest_task_year(up_to: int) -> int | None:
    years = Task.objects.filter(year__lte=up_to).order_by("-year").values_list("year", flat=True)
    return years.first()


def register() -> None:
    home.register_card("plans.overdue", overdue_card, order=30)
    home.register_year_source("plans", latest_task_year)
