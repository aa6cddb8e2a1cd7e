"""`thidua backup FILE`: the database and the uploaded files in one checked archive."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from thidua.interchange.backup import BackupError, backup


class Command(BaseCommand):
    @property
    def help(self):
        return _(
            "Write the whole database and the uploaded files to one archive (.tar.gz), "
            "checked after writing; `thidua restore` reads it back."
        )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("The archive to write."))

    def handle(self, *args, file, **options):
        try:
            manifest = backup(file)
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["counts"].values())
        files = len(manifest["members"]) - 1
        self.stdout.write(
            _("Backup written to %(file)s and checked: %(rows)s rows, %(files)s files.")
            % {"file": file, "rows": number_format(rows, force_grouping=True), "files": files}
        )
