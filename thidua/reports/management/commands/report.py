"""`thidua report summary --year Y --unit CODE [--format md|json|docx] [--out FILE]`: the
year-end summary of a unit, computed from the records.

`thidua report statistics --form 0601…0605 --unit CODE --year Y [--out FILE]`: a statutory
statistics form as XLSX (docs/statistics.md)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from thidua.accounts.system import SYSTEM
from thidua.org.models import Unit
from thidua.reports.render import FORMATS, render
from thidua.reports.statistics import FORMS, build_statistics, to_xlsx
from thidua.reports.summary import FIRST_YEAR, LAST_YEAR, build_summary
from thidua.vietnamese import parse_date


class Command(BaseCommand):
    help = _("Build reports computed from the records.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="report", required=True, metavar="REPORT")
        summary = sub.add_parser(
            "summary",
            help=_("The year-end summary of a unit (tasks, indicators, ratings, awards)."),
        )
        summary.add_argument("--year", type=int, required=True, help=_("The year summarised."))
        summary.add_argument("--unit", required=True, metavar="CODE", help=_("The unit's code."))
        summary.add_argument(
            "--format",
            dest="fmt",
            choices=FORMATS,
            default=None,
            help=_("md, json or docx (by default from the file name; md otherwise)."),
        )
        summary.add_argument(
            "--out",
            metavar="FILE",
            help=_("The file to write (default: standard output; a .docx needs a file)."),
        )
        summary.add_argument(
            "--date",
            metavar="DD/MM/YYYY",
            help=_("The day the report is dated and overdue tasks are counted (default: today)."),
        )

        statistics = sub.add_parser(
            "statistics",
            help=_(
                "A statutory statistics form as XLSX: 0601.N movements, 0602.N state-level "
                "commendations, 0603.N commendations of ministries and provinces, 0604.N "
                "organisations and 0605.N civil servants doing emulation work."
            ),
        )
        statistics.add_argument("--form", choices=FORMS, required=True, help=_("The form."))
        statistics.add_argument("--year", type=int, required=True, help=_("The year counted."))
        statistics.add_argument("--unit", required=True, metavar="CODE", help=_("The unit's code."))
        statistics.add_argument(
            "--out",
            metavar="FILE",
            help=_("The .xlsx file to write (default: bieu-FORM-CODE-YEAR.xlsx)."),
        )

    def handle(self, *args, report, **options):
        if report == "statistics":
            return self.statistics(**options)
        return self.summary(**options)

    def statistics(self, *, form, year, unit, out=None, **options):
        unit = self._unit(year, unit)
        stats = build_statistics(
            SYSTEM, unit, datetime.date(year, 1, 1), datetime.date(year, 12, 31), form
        )
        out = out or f"bieu-{form}-{unit.code}-{year}.xlsx"
        with open(out, "wb") as f:
            f.write(to_xlsx(stats))
        self.stderr.write(_("Report written to %(file)s.") % {"file": out})

    def _unit(self, year, code):
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise CommandError(
                _("--year: %(year)s is not a year between %(first)s and %(last)s.")
                % {"year": year, "first": FIRST_YEAR, "last": LAST_YEAR}
            )
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise CommandError(_("Unknown unit code %(code)s.") % {"code": code})
        return unit

    def summary(self, *, year, unit, fmt=None, out=None, date=None, **options):
        unit = self._unit(year, unit)
        if fmt is None:
            suffix = out.rsplit(".", 1)[-1].lower() if out and "." in out else ""
            fmt = suffix if suffix in FORMATS else "md"
        if fmt == "docx" and not out:
            raise CommandError(_("A .docx report needs --out FILE."))
        day = None
        if date:
            try:
                day = parse_date(date)
            except ValueError:
                raise CommandError(
                    _("--date: “%(value)s” is not a date (dd/mm/yyyy).") % {"value": date}
                ) from None
        summary = build_summary(unit, year, today=day, user=SYSTEM)
        rendered = render(summary, fmt, day=day)
        if out:
            with open(out, "wb") as f:
                f.write(rendered.content)
            self.stderr.write(_("Report written to %(file)s.") % {"file": out})
        else:
            # The bytes as rendered (UTF-8) to a real stream, whatever the locale's
            # encoding; text to a stream without bytes (a test's StringIO).
            buffer = getattr(self.stdout, "buffer", None)
            self.stdout.flush()
            if buffer is None:
                self.stdout.write(rendered.content.decode("utf-8"), ending="")
            else:
                buffer.write(rendered.content)
                buffer.flush()
