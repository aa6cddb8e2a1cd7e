"""`thidua dump FILE [--format json|xlsx] [--unit CODE]`: write a dataset."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from thidua.accounts.scope import subtree_ids
from thidua.interchange.dataset import dump_dataset
from thidua.org.models import Unit


class Command(BaseCommand):
    help = _(
        "Write the database, or one unit's subtree, as a dataset (JSON or XLSX) that "
        "`thidua load` reads back."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("The file to write; - writes JSON to standard output."))
        parser.add_argument(
            "--format",
            dest="fmt",
            choices=["json", "xlsx"],
            help=_("The format (by default from the file name; JSON otherwise)."),
        )
        parser.add_argument(
            "--unit",
            metavar="CODE",
            help=_("Only this unit's subtree, its people and their records."),
        )

    def handle(self, *args, file, fmt=None, unit=None, **options):
        unit_ids = None
        if unit:
            root = Unit.objects.filter(code=unit).first()
            if root is None:
                raise CommandError(_("Unknown unit code %(code)s.") % {"code": unit})
            unit_ids = subtree_ids([root.pk])
        if file == "-":
            if fmt == "xlsx":
                raise CommandError(_("An XLSX dump needs a file name."))
            counts = dump_dataset(sys.stdout.buffer, fmt="json", unit_ids=unit_ids)
            out = self.stderr
        else:
            counts = dump_dataset(file, fmt=fmt, unit_ids=unit_ids)
            out = self.stdout
        out.write(
            _("%(total)s rows written to %(file)s.")
            % {"total": number_format(sum(counts.values()), force_grouping=True), "file": file}
        )
