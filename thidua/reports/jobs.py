"""The year-end report's files and the statistics XLSX as background jobs.

Every download of a report runs as a job (docs/jobs.md): a province's summary reads every
record beneath it, longer than a request should take, and one rule for every size keeps the
pages simple. The page starts the job and goes to its page (`thidua.jobs`), which shows the
progress and, when done, the file — to the user who asked for it only. The runner checks
the user's scope again: roles may change while the job waits.
"""

import datetime

from django.utils import translation
from django.utils.translation import gettext as _

from thidua.accounts import scope
from thidua.jobs import services as jobs
from thidua.org.models import Unit
from thidua.reports.render import render as render_report
from thidua.reports.statistics import build_statistics, to_xlsx
from thidua.reports.summary import build_summary

REPORT_JOB = "reports.report"
STATISTICS_JOB = "reports.statistics"


def start_report(unit: Unit, year: int, fmt: str, *, actor):
    """Queue the summary of `unit` for `year` as a `fmt` file (one of `render.FORMATS`)."""
    return jobs.start(
        REPORT_JOB,
        actor=actor,
        title=_("Year-end report %(year)s of %(unit)s (%(format)s)")
        % {"year": year, "unit": unit.name, "format": fmt.upper()},
        params={
            "unit": unit.code,
            "year": year,
            "format": fmt,
            "language": translation.get_language(),
        },
        total=2,
    )


def start_statistics(unit: Unit, year: int, *, form: str = "0602", actor):
    """Queue statistics form `form` (0601…0605) of `unit` for `year` as XLSX."""
    return jobs.start(
        STATISTICS_JOB,
        actor=actor,
        title=_("Statistics form %(form)s.N %(year)s of %(unit)s (XLSX)")
        % {"form": form, "year": year, "unit": unit.name},
        params={
            "unit": unit.code,
            "year": year,
            "form": form,
            "language": translation.get_language(),
        },
        total=2,
    )


def _unit(job) -> Unit:
    unit = scope.units(job.user).filter(code=job.params.get("unit")).first()
    if unit is None:
        raise jobs.JobError(_("The unit is no longer within your units."))
    return unit


def run_report(job, progress) -> str:
    with translation.override(job.params.get("language") or "vi"):
        unit, year, fmt = _unit(job), int(job.params["year"]), job.params["format"]
        progress(0, 2, _("Gathering the year's figures"))
        summary = build_summary(unit, year, user=job.user)
        progress(1, 2, _("Writing the file"))
        rendered = render_report(summary, fmt)
        jobs.save_result(job, rendered.content, rendered.filename)
        return _("The report is ready.")


def run_statistics(job, progress) -> str:
    with translation.override(job.params.get("language") or "vi"):
        unit, year = _unit(job), int(job.params["year"])
        progress(0, 2, _("Counting the records"))
        stats = build_statistics(
            job.user,
            unit,
            datetime.date(year, 1, 1),
            datetime.date(year, 12, 31),
            job.params.get("form", "0602"),
        )
        progress(1, 2, _("Writing the file"))
        name = f"bieu-{stats.form}-{stats.unit.code}-{stats.start.year}.xlsx"
        jobs.save_result(job, to_xlsx(stats), name)
        return _("%(count)s rows written.") % {"count": len(stats.rows)}
