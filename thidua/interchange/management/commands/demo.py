"""`thidua demo [--force]`: load the Kim Bảng demo world and its logins."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.interchange.dataset import DatasetError
from thidua.interchange.demo import DemoError, load_demo, migrate_if_needed

COUNT_LABELS = {
    "units": gettext_lazy("Units"),
    "lineage_events": gettext_lazy("Lineage events"),
    "people": gettext_lazy("People"),
    "employments": gettext_lazy("Employments"),
    "person_ratings": gettext_lazy("Person ratings"),
    "unit_ratings": gettext_lazy("Unit ratings"),
    "awards": gettext_lazy("Awards"),
    "logins": gettext_lazy("Logins"),
}


def format_counts(counts: dict) -> str:
    """The rows loaded, one "label: count" line each, then the time taken."""
    width = max(len(str(label)) for label in COUNT_LABELS.values())
    lines = [
        f"  {str(label).ljust(width)}  {number_format(counts[key], force_grouping=True):>7}"
        for key, label in COUNT_LABELS.items()
    ]
    lines.append(_("Loaded in %(seconds)s s.") % {"seconds": counts["seconds"]})
    return "\n".join(lines)


class Command(BaseCommand):
    help = _(
        "Load the Kim Bảng demo world (Hà Nam 2015–2025) and one login per role into the "
        "configured database, migrating it first if needed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Erase every row of every table first, then load the demo."),
        )

    def handle(self, *args, force=False, **options):
        if migrate_if_needed():
            self.stdout.write(_("Database migrated."))
        try:
            counts = load_demo(force=force)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        except DatasetError as exc:  # the demo and the loader disagree: a bug, say where
            raise CommandError("\n".join(map(str, exc.problems))) from exc
        self.stdout.write(_("Demo world loaded:"))
        self.stdout.write(format_counts(counts))
