"""`thidua restore FILE`: restore a `thidua backup` archive into an empty database."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from thidua.interchange.backup import BackupError, restore


class Command(BaseCommand):
    @property
    def help(self):
        return _(
            "Restore a backup archive into an empty database (migrated first) and an empty "
            "files directory; every checksum and row count is checked, all or nothing."
        )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("The archive written by `thidua backup`."))

    def handle(self, *args, file, **options):
        try:
            manifest = restore(file)
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            _("Restored %(rows)s rows from %(file)s (backup of %(date)s).")
            % {
                "rows": number_format(rows, force_grouping=True),
                "file": file,
                "date": manifest["created_at"],
            }
        )
