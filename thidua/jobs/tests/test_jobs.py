"""Background jobs: the worker runs what was queued, progress and cancellation between
chunks, failures in words, the history page (own jobs; a superuser's all) and its query
budget. The suite runs jobs at once (THIDUA_JOBS_IMMEDIATE); the tests of the database
backend call the worker loop once (`thidua worker --batch`)."""

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from thidua.audit.models import AuditEntry
from thidua.jobs import services
from thidua.jobs.models import Job, Status
from thidua.org.tests.factories import UserFactory

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
CALLS = []


def counting_runner(job, progress):
    for done in range(0, 5):
        progress(done, 5, "Counting")
        CALLS.append(done)
    job.result_url = "/"
    return "5 counted."


def cancelled_midway(job, progress):
    progress(0, 10, "First chunk")
    Job.objects.filter(pk=job.pk).update(cancel_requested=True)  # the user clicks, meanwhile
    progress(1, 10, "Second chunk")
    CALLS.append("never")
    return "done"


def failing_runner(job, progress):
    raise services.JobError("Tệp không còn.")


def crashing_runner(job, progress):
    raise RuntimeError("boom")


@pytest.fixture(autouse=True)
def kinds():
    CALLS.clear()
    for name in ("counting_runner", "cancelled_midway", "failing_runner", "crashing_runner"):
        services.register(f"test.{name}", name, f"thidua.jobs.tests.test_jobs.{name}")
    yield
    for name in list(services.KINDS):
        if name.startswith("test."):
            del services.KINDS[name]


@pytest.fixture
def owner(db):
    return UserFactory(username="owner")


# The worker closes its database connections between tasks, as a long-running process
# must: these tests commit for real (transactional_db) so that it can.
@override_settings(TASKS=DB_BACKEND)
def test_the_worker_runs_a_queued_job_with_its_progress(transactional_db, owner):
    job = services.start("test.counting_runner", actor=owner, title="Đếm")
    assert job.status == Status.QUEUED and job.task_id and not CALLS
    assert AuditEntry.objects.filter(action="jobs.start", actor=owner).exists()

    call_command("worker", "--batch")

    job.refresh_from_db()
    assert job.status == Status.SUCCEEDED and CALLS == [0, 1, 2, 3, 4]
    assert job.message == "5 counted." and job.result_url == "/"
    assert job.done == job.total == 5 and job.started_at and job.finished_at


@override_settings(TASKS=DB_BACKEND)
def test_a_job_cancelled_while_waiting_never_runs(transactional_db, owner):
    job = services.start("test.counting_runner", actor=owner, title="Đếm")
    services.cancel(job, actor=owner)
    call_command("worker", "--batch")
    job.refresh_from_db()
    assert job.status == Status.CANCELLED and not CALLS


def test_a_running_job_stops_at_the_next_chunk_once_cancelled(owner):
    job = services.start("test.cancelled_midway", actor=owner, title="Dừng")
    job.refresh_from_db()
    assert job.status == Status.CANCELLED and "never" not in CALLS
    assert job.phase == "Second chunk"  # where it stopped


def test_failures_are_told_in_words(owner, caplog):
    failed = services.start("test.failing_runner", actor=owner, title="Lỗi")
    crashed = services.start("test.crashing_runner", actor=owner, title="Hỏng")
    failed.refresh_from_db()
    crashed.refresh_from_db()
    assert failed.status == crashed.status == Status.FAILED
    assert failed.message == "Tệp không còn."
    assert "boom" not in crashed.message and str(crashed.pk) in crashed.message


def test_a_job_left_running_by_a_dead_worker_is_marked_failed(owner):
    job = Job.objects.create(kind="test.counting_runner", title="x", status=Status.RUNNING)
    assert services.mark_interrupted() == 1
    job.refresh_from_db()
    assert job.status == Status.FAILED and job.message


def test_only_the_owner_or_a_superuser_sees_and_cancels_a_job(client, owner):
    with override_settings(TASKS=DB_BACKEND):
        job = services.start("test.counting_runner", actor=owner, title="Việc của chủ")
    other = UserFactory(username="other")
    client.force_login(other)
    assert "Việc của chủ" not in client.get(reverse("jobs:list")).content.decode()
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert client.post(reverse("jobs:cancel", args=[job.pk])).status_code == 404
    client.force_login(UserFactory(username="root", is_superuser=True))
    assert "Việc của chủ" in client.get(reverse("jobs:list")).content.decode()
    client.force_login(owner)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    # While it waits, the progress block asks htmx to refresh it; no inline script.
    assert 'hx-trigger="every 2s"' in page and "<script>" not in page
    response = client.post(reverse("jobs:cancel", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == Status.CANCELLED
    fragment = client.get(reverse("jobs:detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert "hx-trigger" not in fragment.content.decode()  # finished: no more polling


@pytest.mark.parametrize("n", [3, 30])
def test_the_history_keeps_a_constant_query_count(client, owner, n, django_assert_max_num_queries):
    Job.objects.bulk_create(
        Job(kind="test.counting_runner", title=f"Việc {i}", user=owner, status=Status.SUCCEEDED)
        for i in range(n)
    )
    client.force_login(owner)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("jobs:list"))
    assert response.status_code == 200 and "Việc 2" in response.content.decode()
