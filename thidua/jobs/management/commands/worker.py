"""`thidua worker`: run background jobs (imports, large exports) until stopped.

`thidua serve` starts one beside the web server; a deployment may run it as its own
service instead (`thidua serve --no-worker`, docs/deployment/README.md)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from thidua.jobs.services import mark_interrupted


class Command(BaseCommand):
    help = _("Run background jobs (imports, large exports) until stopped.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch",
            action="store_true",
            help=_("Run the jobs waiting now, then stop."),
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help=_("Seconds between two looks for new jobs (default %(default)s)."),
        )

    def handle(self, *args, batch=False, interval=1.0, **options):
        if not batch:
            interrupted = mark_interrupted()
            if interrupted:
                self.stderr.write(
                    _("%(count)s job(s) interrupted by the last stop marked as failed.")
                    % {"count": interrupted}
                )
        call_command(
            "db_worker",
            queue_name="default",
            interval=interval,
            batch=batch,
            reload=False,
            startup_delay=False,
            verbosity=options.get("verbosity", 1),
        )
