"""The task page (assignments the user may see, filtered by units chosen by name, with
overdue flags, a page at a time) and a task's status page (edit on demand: one form, for
whoever may change the assignment)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from thidua.accounts import scope
from thidua.accounts.choices import Action
from thidua.plans import selectors, services
from thidua.plans.choices import TaskStatus
from thidua.plans.filters import AssignmentFilter
from thidua.plans.forms import StatusForm, add_service_errors


def _may_change(changeable, assignment) -> bool:
    return changeable is None or (
        assignment.unit_id in changeable or assignment.task.assigned_by_id in changeable
    )


@login_required
def task_list(request):
    rows = selectors.visible_assignments(request.user).select_related(
        "task__assigned_by", "unit", "parent__unit"
    )
    filterset = AssignmentFilter(request.GET, queryset=rows, request=request)
    ordered = filterset.qs.order_by("-task__year", "task__deadline", "task_id", "unit__code")
    page = Paginator(ordered, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    today = timezone.localdate()
    changeable = scope.unit_ids_for(request.user, Action.CHANGE)
    for a in page.object_list:
        a.overdue = selectors.is_overdue(a, today)
        a.can_change = _may_change(changeable, a) and a.status != TaskStatus.WITHDRAWN
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "plans/task_list.html",
        {"filter": filterset, "page": page, "query": query.urlencode()},
    )


def _back(request) -> str:
    back = request.POST.get("next", "") or request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
        return ""
    return back


@login_required
def change_status(request, pk):
    """One assignment's status: in progress, or completed on a day with its evidence
    (`services.set_status`). Only for whoever may change it (403 otherwise, no form)."""
    assignment = get_object_or_404(
        selectors.visible_assignments(request.user).select_related("task__assigned_by", "unit"),
        pk=pk,
    )
    if not _may_change(scope.unit_ids_for(request.user, Action.CHANGE), assignment):
        raise PermissionDenied(_("You may not change this assignment."))
    initial = {
        "status": TaskStatus.COMPLETED,
        "completed_on": assignment.completed_on or timezone.localdate(),
        "evidence": assignment.evidence,
    }
    form = StatusForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
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
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(_back(request) or "plans:task_list")
    return render(
        request,
        "plans/task_status.html",
        {"a": assignment, "form": form, "next": _back(request)},
        status=400 if request.method == "POST" else 200,
    )
