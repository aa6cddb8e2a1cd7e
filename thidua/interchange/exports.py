"""The dataset export of a user's scope as a background job (docs/jobs.md): a province's
dump reads every record beneath it. The page starts the job and goes to its page; the file
is written straight into the job's result folder (no memory held for a province) and served
only to the user who asked. The runner reads the user's scope when it runs."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from thidua.interchange.dataset import dump_for
from thidua.jobs import services as jobs
from thidua.vietnamese import format_number

EXPORT_JOB = "interchange.export"
FORMATS = ("xlsx", "json")


def start_export(fmt: str, *, actor):
    return jobs.start(
        EXPORT_JOB,
        actor=actor,
        title=_("Dataset export of your units (%(format)s)") % {"format": fmt.upper()},
        params={"format": fmt, "language": translation.get_language()},
        total=1,
    )


def run_export(job, progress) -> str:
    fmt = job.params.get("format")
    if fmt not in FORMATS:
        raise jobs.JobError(_("Unknown file format."))
    name = f"thidua-{timezone.localdate():%Y%m%d}.{fmt}"
    progress(0, 1, _("Writing the dataset"))
    with translation.override(job.params.get("language") or "vi"):
        try:
            with jobs.result_path(job, name).open("wb") as out:
                counts = dump_for(job.user, out, fmt=fmt, name=name)
        except PermissionDenied:
            raise jobs.JobError(_("You no longer hold a role on any unit.")) from None
    return _("%(count)s rows exported.") % {"count": format_number(sum(counts.values()))}
