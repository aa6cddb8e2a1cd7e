"""`thidua catalog load [--province CODE …] [--whole-country]`: load the official unit
catalog (thin: `thidua.org.catalog.load.load_catalog` as the system actor)."""

import time
import uuid

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from thidua.accounts.system import SYSTEM
from thidua.audit import context
from thidua.org.catalog.load import CatalogError, load_catalog
from thidua.org.reorganize.reading import ReorganizeError
from thidua.vietnamese import format_date


class Command(BaseCommand):
    help = _(
        "Load the official catalog of administrative units as of 30/06/2025 for the chosen "
        "provinces, with the reform of 01/07/2025."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        load = sub.add_parser("load", help=_("load provinces from the catalog"))
        load.add_argument(
            "--province", nargs="+", default=[], help=_("official province codes, e.g. 35 36 37")
        )
        load.add_argument("--whole-country", action="store_true", help=_("load every province"))

    def handle(self, *args, verb, province, whole_country, **options):
        if bool(province) == bool(whole_country):
            raise CommandError(_("Give --province CODE … or --whole-country."))
        token = context.request_id.set(f"catalog-{uuid.uuid4().hex[:16]}")
        started = time.perf_counter()
        try:
            result = load_catalog(None if whole_country else province, actor=SYSTEM)
        except CatalogError as exc:
            raise CommandError(str(exc)) from exc
        except ReorganizeError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(_("The catalog could not be loaded; nothing was written.")) from exc
        finally:
            context.request_id.reset(token)
        for warning in result.acts.warnings:
            self.stderr.write(self.style.WARNING(str(warning)))
        for day, counts in result.counts.items():
            self.stdout.write(
                _("%(day)s: %(province)s provinces, %(district)s districts, %(commune)s communes")
                % {"day": format_date(day), **counts}
            )
        self.stdout.write(
            _(
                "Reform: %(created)s units created, %(ended)s ended, %(continued)s continued. "
                "Loaded in %(seconds).1f s."
            )
            % {
                "created": result.acts.created,
                "ended": result.acts.ended,
                "continued": result.acts.continued,
                "seconds": time.perf_counter() - started,
            }
        )
