"""Start, run, follow and cancel background jobs.

An app registers each kind of job it runs (`register` in its `AppConfig.ready()`) with
the dotted path of its runner, `runner(job, progress) -> str`, which returns the message
shown when it ends (it may also set `job.result_file`/`result_name`/`result_url`). `start`
records the `Job` and hands it to the task library (django-tasks with its database
backend: `thidua worker`, started by `thidua serve`, runs it). A runner reports with
`progress(done, total, phase)`; that call also raises `Cancelled` once the user asked to
cancel, so work stops between chunks. A runner that raises `JobError` (or a `DatasetError`)
fails with that message; anything else fails with a generic message, logged in full.
"""

import logging
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from thidua.audit.services import log
from thidua.jobs.models import FINISHED, Job, Status

logger = logging.getLogger(__name__)
PROGRESS_INTERVAL = 0.5  # seconds between two progress writes (phase changes always write)


class Cancelled(Exception):
    """The user asked to cancel; raised by `Progress` between chunks."""


class JobError(Exception):
    """A runner's failure with a message for the user."""


@dataclass(frozen=True)
class Kind:
    label: str
    runner: str  # dotted path


KINDS: dict[str, Kind] = {}


def register(kind: str, label, runner: str) -> None:
    KINDS[kind] = Kind(label, runner)


def visible_jobs(user):
    """The jobs `user` may see: their own; a superuser sees all."""
    jobs = Job.objects.select_related("user")
    return jobs if user.is_superuser else jobs.filter(user=user)


def start(kind: str, *, actor, title: str, params: dict | None = None, total=None) -> Job:
    """Record a job of `kind` started by `actor` and queue it."""
    from thidua.jobs.tasks import run_job

    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job.objects.create(
        kind=kind, title=title[:300], user=actor, params=params or {}, total=total
    )
    log("jobs.start", job, actor=actor, message=title)
    result = run_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def cancel(job: Job, *, actor) -> Job:
    """Ask `job` to stop: a waiting job is cancelled at once, a running one at its next
    progress report. Only its owner or a superuser may."""
    if not (actor.is_superuser or job.user_id == actor.pk):
        raise PermissionDenied(_("Only who started a job may cancel it."))
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).exclude(status__in=FINISHED).update(cancel_requested=True)
        Job.objects.filter(pk=job.pk, status=Status.QUEUED).update(
            status=Status.CANCELLED,
            finished_at=timezone.now(),
            message=_("Cancelled before it started."),
        )
        log("jobs.cancel", job, actor=actor, message=job.title)
    job.refresh_from_db()
    return job


class Progress:
    """`progress(done, total=None, phase=None)`: saves how far the job got (at most every
    PROGRESS_INTERVAL seconds, and at every change of phase) and raises `Cancelled` once
    cancellation was asked. Call it outside a long transaction: what it writes is read by
    the job's page from another connection."""

    def __init__(self, job: Job):
        self.job = job
        self._last = 0.0

    def __call__(self, done: int, total: int | None = None, phase=None) -> None:
        job = self.job
        now = time.monotonic()
        phase = str(phase) if phase is not None else job.phase
        if phase == job.phase and now - self._last < PROGRESS_INTERVAL:
            return
        self._last = now
        job.done = done
        job.total = total if total is not None else job.total
        if job.total is not None and job.done > job.total:
            job.total = job.done
        job.phase = phase[:200]
        Job.objects.filter(pk=job.pk).update(done=job.done, total=job.total, phase=job.phase)
        if Job.objects.filter(pk=job.pk, cancel_requested=True).exists():
            raise Cancelled


def _finish(job: Job, status: str, message: str) -> None:
    job.status, job.message, job.finished_at = status, message, timezone.now()
    if status == Status.SUCCEEDED and job.total is not None:
        job.done = job.total
    job.save(
        update_fields=[
            "status",
            "message",
            "finished_at",
            "done",
            "result_file",
            "result_name",
            "result_url",
        ]
    )


def run(job_id: int) -> str:
    """Run job `job_id` (the worker calls this through the task): claim it, call its
    runner, record how it ended. Never raises for the runner's failures."""
    claimed = Job.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now()
    )
    job = Job.objects.select_related("user").get(pk=job_id)
    if not claimed:
        return job.status  # cancelled while waiting, or run already
    runner = import_string(KINDS[job.kind].runner) if job.kind in KINDS else None
    try:
        if runner is None:
            raise JobError(_("This kind of job is not known to this version."))
        message = runner(job, Progress(job))
    except Cancelled:
        _finish(job, Status.CANCELLED, _("Cancelled: nothing was written."))
    except JobError as exc:
        _finish(job, Status.FAILED, str(exc))
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(
            job,
            Status.FAILED,
            _(
                "The job stopped on an unexpected error; nothing was written. Try again, or "
                "tell an operator (job number %(id)s)."
            )
            % {"id": job.pk},
        )
    else:
        _finish(job, Status.SUCCEEDED, message or "")
    return job.status


def mark_interrupted() -> int:
    """Jobs left running by a worker that died (a worker starts with none of its own):
    failed, saying so. Their writes were one transaction each, so nothing was written."""
    return Job.objects.filter(status=Status.RUNNING).update(
        status=Status.FAILED,
        finished_at=timezone.now(),
        message=_(
            "The job was interrupted (the server stopped); nothing was written. Start it again."
        ),
    )


def result_folder() -> Path:
    folder = Path(settings.DATA_DIR) / "jobs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def result_path(job: Job, name: str) -> Path:
    """Where a runner writes a large result file itself, as `name` for the download (kept
    like `save_result`'s: served only to who may see the job)."""
    job.result_file, job.result_name = f"{job.pk}.bin", name
    return result_folder() / job.result_file


def save_result(job: Job, content: bytes, name: str) -> None:
    """Keep a job's result file (served only to who may see the job)."""
    result_path(job, name).write_bytes(content)
