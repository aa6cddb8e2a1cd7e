"""`thidua eligibility --year Y [--unit CODE] [--award CODE] [--as-of DATE]
[--format table|json|xlsx] [--out FILE] [--workers N]`: who may be proposed for what, and
why.

Runs as the system (the operator), over the whole database or one unit's subtree.
`--workers N` evaluates the whole database partitioned by province over N processes
(`rules.partition`), with the same answers as one process."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from thidua.rules import export
from thidua.rules.engine import DossierDateTooEarly, UnknownCode, run


def _date(text: str) -> datetime.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CommandError(
        _("--as-of %(value)s is not a date (dd/mm/yyyy or YYYY-MM-DD).") % {"value": text}
    )


class Command(BaseCommand):
    help = _("Evaluate eligibility for emulation titles and commendation forms.")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help=_("achievement year"))
        parser.add_argument(
            "--unit", action="append", help=_("unit code (its subtree); repeatable")
        )
        parser.add_argument(
            "--award", action="append", help=_("award code; repeatable (default: annual titles)")
        )
        parser.add_argument("--as-of", help=_("dossier date that picks the rule set (dd/mm/yyyy)"))
        parser.add_argument("--format", choices=["table", "json", "xlsx"], default="table")
        parser.add_argument("--out", help=_("write to this file instead of the standard output"))
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help=_("processes to share the whole database by province (default 1)"),
        )

    def handle(self, *args, **options):
        as_of = _date(options["as_of"]) if options["as_of"] else None
        if options["format"] == "xlsx" and not options["out"]:
            raise CommandError(_("--format xlsx needs --out FILE."))
        if options["workers"] < 1:
            raise CommandError(_("--workers must be 1 or more."))
        if options["workers"] > 1:
            return self._partitioned(options, as_of)
        try:
            evaluation = run(
                options["year"],
                units=options["unit"],
                award_codes=options["award"],
                as_of=as_of,
                subjects=("individual", "collective", "household"),
            )
        except DossierDateTooEarly as exc:
            raise CommandError(f"--as-of: {exc.message}") from exc
        except UnknownCode as exc:
            message = {
                "unit": _("Unknown unit code(s): %(codes)s"),
                "award": _("Unknown award code(s): %(codes)s"),
            }.get(exc.kind, _("Unknown code(s): %(codes)s"))
            raise CommandError(message % {"codes": ", ".join(exc.codes)}) from exc
        if options["format"] == "xlsx":
            Path(options["out"]).write_bytes(export.as_xlsx(evaluation))
            return
        text = (
            export.as_json(evaluation)
            if options["format"] == "json"
            else export.as_table(evaluation)
        )
        if options["out"]:
            Path(options["out"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")

    def _partitioned(self, options, as_of):
        from thidua.rules import partition

        if options["unit"]:
            raise CommandError(_("--workers evaluates the whole database: leave out --unit."))
        if options["format"] == "xlsx":
            raise CommandError(_("--workers writes a table or JSON, not a workbook."))
        render = export.result_dict if options["format"] == "json" else export.table_row
        try:
            done = partition.run(
                options["year"],
                workers=options["workers"],
                award_codes=options["award"],
                as_of=as_of,
                subjects=("individual", "collective", "household"),
                render=render,
            )
        except DossierDateTooEarly as exc:
            raise CommandError(f"--as-of: {exc.message}") from exc
        except UnknownCode as exc:
            raise CommandError(
                _("Unknown award code(s): %(codes)s") % {"codes": ", ".join(exc.codes)}
            ) from exc
        text = (
            export.partitioned_json(done)
            if options["format"] == "json"
            else export.partitioned_table(done)
        )
        if options["out"]:
            Path(options["out"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
