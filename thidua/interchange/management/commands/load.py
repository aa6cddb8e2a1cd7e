"""`thidua load FILE [--format json|xlsx]`: load a dataset (docs/dataset-format.md)."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from thidua.accounts.system import SYSTEM
from thidua.interchange.dataset import DatasetError, load_dataset


def format_count(count: int) -> str:
    return number_format(count, force_grouping=True)


MAX_WARNINGS_SHOWN = 20


class Command(BaseCommand):
    help = _(
        "Load a dataset (JSON or the XLSX template) into the database. Every row is checked "
        "first; if any has a problem, every problem is listed and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("The dataset file; - reads standard input."))
        parser.add_argument(
            "--format",
            dest="fmt",
            choices=["json", "xlsx"],
            help=_("The file's format (by default from its name or its first bytes)."),
        )

    def handle(self, *args, file, fmt=None, **options):
        source = sys.stdin.buffer if file == "-" else file
        started = time.perf_counter()
        try:
            report = load_dataset(source, fmt=fmt, progress=self._progress(), actor=SYSTEM)
        except DatasetError as exc:
            for line in exc.lines():
                self.stderr.write(line)
            raise CommandError(exc.summary()) from exc
        width = max(len(section) for section in report.counts)
        for section, count in report.counts.items():
            self.stdout.write(f"  {section.ljust(width)}  {format_count(count):>11}")
        for warning in report.warnings[:MAX_WARNINGS_SHOWN]:
            self.stderr.write(_("Warning: %(warning)s") % {"warning": warning})
        if len(report.warnings) > MAX_WARNINGS_SHOWN:
            self.stderr.write(
                _("… and %(count)s more warnings.")
                % {"count": format_count(len(report.warnings) - MAX_WARNINGS_SHOWN)}
            )
        self.stdout.write(
            _("%(total)s rows loaded in %(seconds)s s.")
            % {
                "total": format_count(report.total),
                "seconds": number_format(time.perf_counter() - started, 1),
            }
        )

    def _progress(self):
        """A one-line progress display on a terminal; nothing when output is captured."""
        if not self.stderr.isatty():
            return None
        labels = {"read": _("Reading"), "check": _("Checking"), "write": _("Writing")}

        def show(phase, rows):
            line = _("%(phase)s… %(rows)s rows") % {
                "phase": labels[phase],
                "rows": format_count(rows),
            }
            self.stderr.write(f"\r{line:<40}", ending="")
            if phase == "write":
                self.stderr.write("")

        return show
