"""The task page: assignments the user may see, with overdue flags, filtered by unit,
assigning unit, year and status, and a form per row to record progress or completion.

Thin: the list starts from `selectors.visible_assignments` (which starts from
`thidua.accounts.scope`); a change goes through `services.set_status`, which checks the
change right. An assignment outside the scope answers 404; one the user sees but may not
change answers 403.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.accounts import scope
from thidua.accounts.choices import Action
from thidua.plans import selectors, services
from thidua.plans.filters import AssignmentFilter
from thidua.plans.forms import StatusForm


@login_required
def task_list(request):
    rows = selectors.visible_assignments(request.user).select_related(
        "task__assigned_by", "unit", "parent__unit"
    )
    filterset = AssignmentFilter(request.GET, queryset=rows)
    ordered = filterset.qs.order_by("-task__year", "task__deadline", "task_id", "unit__code")
    page = Paginator(ordered, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    today = timezone.localdate()
    changeable = scope.unit_ids_for(request.user, Action.CHANGE)
    for a in page.object_list:
        a.overdue = selectors.is_overdue(a, today)
        a.can_change = changeable is None or (
            a.unit_id in changeable or a.task.assigned_by_id in changeable
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "plans/task_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "form": StatusForm(initial={"status": "completed", "completed_on": today}),
        },
    )


@login_required
@require_POST
def change_status(request, pk):
    assignment = get_object_or_404(selectors.visible_assignments(request.user), pk=pk)
    form = StatusForm(request.POST)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
        back = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.set_status(
                assignment,
                data["status"],
                on=data["completed_on"],
                evidence=data["evidence"],
                actor=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Saved."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else field
            messages.error(request, f"{label}: {' '.join(errors)}")
    return redirect(back or "plans:task_list")
