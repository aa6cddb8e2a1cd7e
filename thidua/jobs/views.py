"""The job pages: the history (one's own jobs; a superuser sees all), one job with its
progress bar (htmx refreshes it every 2 seconds while the job runs; no inline script),
cancellation and the result file. Thin: `thidua.jobs.services` does the work."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.jobs import services


@login_required
def job_list(request):
    jobs = services.visible_jobs(request.user)
    page = Paginator(jobs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "jobs/list.html", {"page": page})


@login_required
def job_detail(request, pk):
    job = get_object_or_404(services.visible_jobs(request.user), pk=pk)
    template = "jobs/_progress.html" if request.headers.get("HX-Request") else "jobs/detail.html"
    return render(request, template, {"job": job})


@login_required
@require_POST
def job_cancel(request, pk):
    job = get_object_or_404(services.visible_jobs(request.user), pk=pk)
    job = services.cancel(job, actor=request.user)
    if not job.finished:
        messages.info(request, _("Cancellation asked: the job stops at its next step."))
    return redirect("jobs:detail", pk=job.pk)


@login_required
def job_result(request, pk):
    job = get_object_or_404(services.visible_jobs(request.user), pk=pk)
    path = services.result_folder() / job.result_file if job.result_file else None
    if path is None or not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.result_name)
