"""The one task the library queues: run a `Job` (see `services.run`). The library is
django-tasks, the maintainers' backport of Django 6's tasks, with its database backend."""

from django_tasks import task

from thidua.jobs import services


@task()
def run_job(job_id: int) -> str:
    return services.run(job_id)
