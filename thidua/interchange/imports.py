"""Spreadsheet import in the browser: keep the uploaded file, preview it, confirm it.

The flow (docs/import.md): an officer uploads an XLSX (`store_upload`); the file is kept
under the data directory (never in the database) with a token tied to that user; the
preview (`preview_import`) reads and checks every row, against the database and against the
user's scope, and writes nothing; "confirm" (`confirm_import`) checks again and writes all
rows in one transaction, as the user, with one audit entry — or nothing.

The checks and the writer are the dataset loader's (`thidua.interchange.dataset`); this
module adds the scope: an officer changes only the units of their own subtree and the
people employed there. Rows of the prefilled template that were left untouched (a person or
unit and the year, no level) are not ratings yet: they are skipped and counted.
"""

import datetime
import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts import scope
from thidua.accounts.choices import Action
from thidua.interchange.dataset.facts import _ids, chunked
from thidua.interchange.dataset.loader import (
    Reading,
    integrity_as_problem,
    read_dataset,
    write_and_log,
)
from thidua.interchange.dataset.report import DatasetError, LoadReport, Problem
from thidua.interchange.dataset.schema import quote
from thidua.jobs import services as jobs
from thidua.jobs.models import Status
from thidua.org.models import Employment, Person, Unit
from thidua.vietnamese import format_number

XLSX_MAGIC = b"PK\x03\x04"  # an XLSX is a zip archive
KEEP_FOR = datetime.timedelta(hours=24)  # an upload not confirmed by then is deleted

# The fields of each section that name a unit or a person the row changes. An award's
# `authority` (the deciding body, usually above the officer's unit) is only a reference.
UNIT_FIELDS = {
    "employments": ("unit",),
    "households": ("commune",),
    "unit_ratings": ("unit",),
    "pending_reviews": ("unit",),
    "awards": ("unit",),
}
PERSON_FIELDS = {
    "employments": ("person",),
    "households": ("members",),
    "person_ratings": ("person",),
    "disciplines": ("person",),
    "pending_reviews": ("person",),
    "initiatives": ("authors",),
    "awards": ("person",),
    "absences": ("person",),
}
# The unit tree changes through a reorganisation, by an administrator.
TREE_SECTIONS = {
    "units": "code",
    "unit_versions": "unit",
    "official_codes": "unit",
    "lineage": "predecessor",
}
# A prefilled rating row still holding only what the template put there.
IMPORT_JOB = "interchange.import"
PROGRESS_EVERY_ROWS = 500  # rows read between two progress reports (and cancel checks)
UNTOUCHED = {"person_ratings": {"person", "year"}, "unit_ratings": {"unit", "year"}}


def can_import(user) -> bool:
    """Whether `user` may import at all: a role that changes some unit (or a superuser)."""
    ids = scope.unit_ids_for(user, Action.CHANGE)
    return ids is None or bool(ids)


def _require_import(user) -> None:
    if not can_import(user):
        raise PermissionDenied(_("Only an emulation officer may import data."))


# -- the uploaded file --------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    """An uploaded file waiting for its preview and confirmation."""

    token: str
    path: Path
    name: str
    size: int
    uploaded_at: datetime.datetime


def _folder() -> Path:
    folder = Path(settings.THIDUA_IMPORT_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _remove_expired(folder: Path) -> None:
    limit = timezone.now().timestamp() - KEEP_FOR.total_seconds()
    for path in folder.iterdir():
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


def store_upload(file, *, actor) -> Upload:
    """Keep an uploaded XLSX (a Django `UploadedFile`) for `actor`; refuse a file that is
    too large or no XLSX with a `DatasetError` naming the problem."""
    _require_import(actor)
    limit = settings.THIDUA_IMPORT_MAX_BYTES
    name = Path(file.name or "").name
    if file.size > limit:
        raise DatasetError(
            [
                Problem(
                    "",
                    None,
                    "",
                    _("the file is larger than %(limit)s MB") % {"limit": limit // (1024 * 1024)},
                )
            ]
        )
    head = file.read(4)
    file.seek(0)
    if not name.lower().endswith(".xlsx") or head != XLSX_MAGIC:
        raise DatasetError(
            [Problem("", None, "", _("only an Excel workbook (.xlsx) can be imported"))]
        )
    folder = _folder()
    _remove_expired(folder)
    token = secrets.token_urlsafe(24)
    path = folder / f"{token}.xlsx"
    with open(path, "wb") as out:
        for chunk in file.chunks():
            out.write(chunk)
    meta = {"user": actor.pk, "name": name, "size": file.size, "at": timezone.now().isoformat()}
    (folder / f"{token}.json").write_text(json.dumps(meta))
    return Upload(token, path, name, file.size, timezone.now())


def get_upload(token: str, *, actor) -> Upload:
    """The upload `token` of `actor`; 404 for an unknown, expired or another user's token."""
    _require_import(actor)
    folder = _folder()
    meta_path, path = folder / f"{token}.json", folder / f"{token}.xlsx"
    if not token.replace("-", "").replace("_", "").isalnum() or not meta_path.is_file():
        raise Http404
    meta = json.loads(meta_path.read_text())
    if meta.get("user") != actor.pk or not path.is_file():
        raise Http404
    return Upload(
        token, path, meta["name"], meta["size"], datetime.datetime.fromisoformat(meta["at"])
    )


def discard_upload(upload: Upload) -> None:
    upload.path.unlink(missing_ok=True)
    upload.path.with_suffix(".json").unlink(missing_ok=True)


# -- preview and confirm ------------------------------------------------------------------


@dataclass
class Preview:
    """What a confirmation would write: rows per section, the untouched template rows left
    out, and the problems (by sheet, row and field) that stop it."""

    counts: dict[str, int] = field(default_factory=dict)
    skipped: int = 0
    problems: list[Problem] = field(default_factory=list)
    total_problems: int = 0

    @property
    def ok(self) -> bool:
        return not self.total_problems

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def _untouched(section: str, raw) -> bool:
    keys = UNTOUCHED.get(section)
    return keys is not None and isinstance(raw, dict) and raw.keys() <= keys


def _checked(upload: Upload, actor) -> tuple[Reading, object]:
    """Read and check the file against the database and `actor`'s scope (reads only);
    the Plan, or DatasetError with every problem."""
    reading = read_dataset(upload.path, fmt="xlsx", skip=_untouched)
    reading.name = upload.name
    try:
        reading.validator.problems.extend(scope_problems(reading.validator, actor))
        return reading, reading.validator.finish(reading.structure_problems)
    finally:
        reading.validator.close()


def preview_import(upload: Upload, *, actor) -> Preview:
    """Check the upload as `actor` would import it, writing nothing."""
    _require_import(actor)
    try:
        reading, plan = _checked(upload, actor)
    except DatasetError as exc:
        return Preview(problems=exc.problems, total_problems=exc.total)
    counts = {name: len(rows) for name, rows in plan.rows.items() if rows}
    _update_meta(upload, rows=reading.rows + reading.skipped)  # the progress bar's total
    return Preview(counts=counts, skipped=reading.skipped)


def confirm_import(upload: Upload, *, actor, progress=None) -> LoadReport:
    """Check the upload again (the database may have changed since the preview) and write
    every row in one transaction as `actor`, with one audit entry; DatasetError (nothing
    written) otherwise. The kept file is deleted once written.

    `progress(done, total, phase)`, if given, is called while the file is read (outside
    the transaction, so that a page can show it, and where it may raise to cancel) and
    once more before the check and write, which cannot be stopped halfway."""
    _require_import(actor)
    report = progress or (lambda done, total=None, phase=None: None)
    total = _meta(upload).get("rows")
    reading_phase = _("Reading the file")
    reading = read_dataset(
        upload.path,
        fmt="xlsx",
        skip=_untouched,
        progress=lambda _phase, rows: report(rows, total, reading_phase),
        every=PROGRESS_EVERY_ROWS,
    )
    reading.name = upload.name
    report(reading.rows + reading.skipped, None, _("Checking and writing"))
    try:
        with integrity_as_problem(), transaction.atomic():
            reading.validator.problems.extend(scope_problems(reading.validator, actor))
            plan = reading.validator.finish(reading.structure_problems)
            counts = write_and_log(plan, reading, actor=actor)
    finally:
        reading.validator.close()
    discard_upload(upload)
    return LoadReport(counts=counts, sha256=reading.sha256)


def _meta(upload: Upload) -> dict:
    path = upload.path.with_suffix(".json")
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def _update_meta(upload: Upload, **values) -> None:
    path = upload.path.with_suffix(".json")
    meta = _meta(upload) | values
    path.write_text(json.dumps(meta))


def start_confirmation(upload: Upload, *, actor):
    """Queue the confirmation of `upload` as a background job (one per upload: asking
    again gives the job already started)."""
    _require_import(actor)
    job_id = _meta(upload).get("job")
    if job_id:
        existing = jobs.visible_jobs(actor).filter(pk=job_id).first()
        if existing is not None and existing.status != Status.FAILED:
            return existing
    job = jobs.start(
        IMPORT_JOB,
        actor=actor,
        title=_("Import of %(name)s") % {"name": upload.name},
        params={"token": upload.token},
        total=_meta(upload).get("rows"),
    )
    if upload.path.is_file():  # an immediate run has already deleted it
        _update_meta(upload, job=job.pk)
    return job


def run_import_job(job, progress) -> str:
    """The background job of a confirmation (`start_confirmation`)."""
    try:
        upload = get_upload(job.params.get("token", ""), actor=job.user)
    except Http404:
        raise jobs.JobError(
            _(
                "The uploaded file is no longer kept (older than 24 hours, or already "
                "imported); upload it again."
            )
        ) from None
    job.result_url = reverse("interchange:preview", args=[upload.token])
    try:
        report = confirm_import(upload, actor=job.user, progress=progress)
    except DatasetError as exc:
        _update_meta(upload, job=None)
        raise jobs.JobError(
            _("Nothing was imported: the file has problems (%(count)s); the preview lists them.")
            % {"count": exc.total}
        ) from exc
    job.result_url = reverse("interchange:home")
    return _("%(name)s imported: %(count)s rows written.") % {
        "name": upload.name,
        "count": format_number(report.total),
    }


# -- scope --------------------------------------------------------------------------------


def scope_problems(validator, actor) -> list[Problem]:
    """A problem for every kept row that touches a unit or person outside the units `actor`
    may change (set-based: a few queries per 900 codes)."""
    allowed = scope.unit_ids_for(actor, Action.CHANGE)
    if allowed is None:
        return []
    rows = validator.rows
    problems = [
        Problem(section, r.row, fname, _("only an administrator may change the unit tree"))
        for section, fname in TREE_SECTIONS.items()
        for r in rows[section]
    ]
    unit_ids = _ids(
        Unit,
        {getattr(r, f) for s, fs in UNIT_FIELDS.items() for r in rows[s] for f in fs} - {None, ""},
    )
    outside_units = {code for code, pk in unit_ids.items() if pk not in allowed}
    new_people = {r.code for r in rows["people"]}
    person_codes = set()
    for section, fields in PERSON_FIELDS.items():
        for r in rows[section]:
            for fname in fields:
                value = getattr(r, fname)
                person_codes.update(value if isinstance(value, list | tuple) else [value])
    person_ids = _ids(Person, person_codes - new_people - {None, ""})
    inside = _people_inside(person_ids.values(), allowed)
    outside_people = {code for code, pk in person_ids.items() if pk not in inside}
    for section in UNIT_FIELDS.keys() | PERSON_FIELDS.keys():
        for r in rows[section]:
            for fname in UNIT_FIELDS.get(section, ()):
                code = getattr(r, fname)
                if code in outside_units:
                    problems.append(_outside(section, r.row, fname, code, "unit"))
            for fname in PERSON_FIELDS.get(section, ()):
                value = getattr(r, fname)
                for code in value if isinstance(value, list | tuple) else [value]:
                    if code in outside_people:
                        problems.append(_outside(section, r.row, fname, code, "person"))
    employed = {
        r.person
        for r in rows["employments"]
        if r.person in new_people and unit_ids.get(r.unit) in allowed
    }
    problems.extend(
        Problem(
            "people",
            r.row,
            "code",
            _("a new person needs an employment in one of your units (sheet employments)"),
        )
        for r in rows["people"]
        if r.code not in employed
    )
    return problems


def _people_inside(person_ids, allowed) -> set[int]:
    """Of these people, those ever employed in an allowed unit."""
    inside = set()
    for chunk in chunked(person_ids):
        for person_id, unit_id in Employment.objects.filter(person_id__in=chunk).values_list(
            "person_id", "unit_id"
        ):
            if unit_id in allowed:
                inside.add(person_id)
    return inside


def _outside(section, row, fname, code, kind) -> Problem:
    message = (
        _("unit %(code)s is outside the units you may change")
        if kind == "unit"
        else _("person %(code)s is not employed in the units you may change")
    )
    return Problem(section, row, fname, message % {"code": quote(code)})
