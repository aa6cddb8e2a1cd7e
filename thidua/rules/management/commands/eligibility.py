"""`thidua eligibility --year Y [--unit CODE] [--award CODE] [--as-of DATE]
[--format table|json|xlsx] [--out FILE]`: who may be proposed for what, and why.

Runs as the system (the operator), over the whole database or one unit's subtree."""

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

    def handle(self, *args, **options):
        as_of = _date(options["as_of"]) if options["as_of"] else None
        if options["format"] == "xlsx" and not options["out"]:
            raise CommandError(_("--format xlsx needs --out FILE."))
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
