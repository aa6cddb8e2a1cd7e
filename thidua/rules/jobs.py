"""The eligibility results XLSX of a unit's subtree as a background job: a province's
download evaluates every person and unit beneath it, longer than a request should take.
The page (`views.unit_results_xlsx`) starts it; the job page shows its progress and, when
done, the file (`thidua.jobs`)."""

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts import scope
from thidua.jobs import services as jobs
from thidua.org.models import Unit
from thidua.rules import export, services
from thidua.rules.forms import ResultsForm

RESULTS_XLSX_JOB = "rules.results_xlsx"


def start_results_xlsx(unit: Unit, query: QueryDict, *, actor):
    form = ResultsForm(query, default=timezone.localdate().year)
    year = form.year()
    return jobs.start(
        RESULTS_XLSX_JOB,
        actor=actor,
        title=_("Eligibility %(year)s of %(unit)s (XLSX)") % {"year": year, "unit": unit.name},
        params={"unit": unit.code, "query": query.urlencode()},
    )


def run_results_xlsx(job, progress) -> str:
    user = job.user
    unit = scope.units(user).filter(code=job.params.get("unit")).first() if user else None
    if unit is None:
        raise jobs.JobError(_("The unit is no longer within your units."))
    form = ResultsForm(QueryDict(job.params.get("query", "")), default=timezone.localdate().year)
    year = form.year()
    progress(0, 2, _("Evaluating who is eligible"))
    evaluation, rows = services.subtree_results(
        unit, year, user=user, award=form.award(), verdict=form.verdict(), as_of=form.as_of()
    )
    progress(1, 2, _("Writing the file"))
    jobs.save_result(job, export.as_xlsx(evaluation, rows), f"xet-thi-dua-{unit.code}-{year}.xlsx")
    return _("%(count)s results written.") % {"count": len(rows)}
