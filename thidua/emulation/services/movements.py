"""Movements (phong trào thi đua): launching, reviews, attached files, and the titles units
and people register for in them (đăng ký thi đua)."""

import datetime
import unicodedata
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from thidua.accounts.choices import Action
from thidua.accounts.scope import require
from thidua.audit.services import log, snapshot
from thidua.emulation.choices import (
    ATTACHMENT_ALIASES,
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_TYPES,
    AttachmentType,
    MovementKind,
    ReviewKind,
)
from thidua.emulation.models import (
    Movement,
    MovementAttachment,
    MovementReview,
    Registration,
)
from thidua.emulation.services import common
from thidua.org.models import Employment, Person, Unit
from thidua.records.services import check_award_code
from thidua.vietnamese import format_date


@transaction.atomic
def launch_movement(*, launched_by: Unit, actor, **fields) -> Movement:
    """Record a movement launched by `launched_by`'s decision (number, date, signer) with
    its content and period. The actor needs the change right on the launching unit."""
    require(actor, Action.CHANGE, launched_by)
    movement = Movement(launched_by=launched_by, **fields)
    start, end = movement.period_start, movement.period_end
    if start and end and end < start:
        # Said before full_clean, whose constraint message would not name the field.
        raise ValidationError({"period_end": _("The period ends on or after its start.")})
    movement.full_clean()
    if movement.kind == MovementKind.REGULAR and movement.period_start.year != movement.year:
        raise ValidationError(
            {"period_start": _("A regular movement's period starts in its year.")}
        )
    movement.save()
    log("emulation.movement.launch", movement, actor=actor, after=snapshot(movement))
    return movement


@transaction.atomic
def record_movement_review(
    movement: Movement, *, kind: str, held_on, decision_number="", summary="", actor
) -> MovementReview:
    """Record an interim or the final review of a movement (Law 06/2022 Điều 17)."""
    require(actor, Action.CHANGE, movement.launched_by)
    if kind == ReviewKind.FINAL and movement.reviews.filter(kind=ReviewKind.FINAL).exists():
        raise ValidationError({"kind": _("This movement already has its final review.")})
    if held_on < movement.period_start:
        raise ValidationError({"held_on": _("A review is held after the movement starts.")})
    review = MovementReview(
        movement=movement,
        kind=kind,
        held_on=held_on,
        decision_number=decision_number,
        summary=summary,
    )
    review.full_clean()
    review.save()
    log("emulation.movement.review", review, actor=actor, after=snapshot(review))
    return review


def attachment_max_bytes() -> int:
    """The largest attachment accepted (`THIDUA_ATTACHMENT_MAX_BYTES`, default 20 MB)."""
    return getattr(settings, "THIDUA_ATTACHMENT_MAX_BYTES", ATTACHMENT_MAX_BYTES)


def _clean_file_name(name: str) -> str:
    """The user's file name as shown and sent back: its last path part, NFC (a Mac
    sends decomposed Vietnamese), no control characters, at most 255 characters with
    the extension kept."""
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        name = stem[: 254 - len(ext)] + dot + ext if dot and len(ext) < 20 else name[:255]
    return name


def _attachment_type(upload, name: str) -> tuple[str, AttachmentType]:
    """The extension and type of an upload, checked against its first bytes."""
    ext = name.rpartition(".")[2].lower() if "." in name else ""
    ext = ATTACHMENT_ALIASES.get(ext, ext)
    allowed = ", ".join(f".{e}" for e in ATTACHMENT_TYPES)
    kind = ATTACHMENT_TYPES.get(ext)
    if kind is None:
        raise ValidationError(
            {
                "file": _("%(name)s: files of this type are not accepted; attach %(allowed)s.")
                % {"name": name, "allowed": allowed}
            }
        )
    upload.seek(0)
    head = upload.read(len(kind.magic))
    valid = head == kind.magic
    if valid and kind.zip_part:
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as package:
                valid = kind.zip_part in package.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            valid = False
    upload.seek(0)
    if not valid:
        raise ValidationError(
            {"file": _("%(name)s is not a real .%(ext)s file.") % {"name": name, "ext": ext}}
        )
    return ext, kind


def check_upload(upload) -> tuple[str, str, AttachmentType]:
    """The cleaned file name, the extension and the type of an uploaded file, or a
    `ValidationError` on `file` naming it: no name, empty, over `attachment_max_bytes()`,
    a type other than pdf, doc, docx, xls, xlsx, jpg, png, or a content that is not its
    extension. Shared by every upload (movement attachments, proposal documents)."""
    name = _clean_file_name(getattr(upload, "name", ""))
    if not name:
        raise ValidationError({"file": _("Choose a file to attach.")})
    size = upload.size
    limit = attachment_max_bytes()
    params = {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)}
    if not size:
        raise ValidationError({"file": _("%(name)s is empty.") % params})
    if size > limit:
        raise ValidationError(
            {
                "file": _(
                    "%(name)s is too large (%(size)s); the largest file accepted is %(limit)s."
                )
                % params
            }
        )
    ext, kind = _attachment_type(upload, name)
    return name, ext, kind


def attach_to_movement(
    movement: Movement, upload, *, description: str = "", actor
) -> MovementAttachment:
    """Attach an uploaded file (a Django `UploadedFile`, or any file object with `name`
    and `size`) to a movement. The actor needs the change right on the launching unit.

    Refused with a message naming the file, before anything is written: an empty file, a
    file over `attachment_max_bytes()`, a type other than pdf, doc, docx, xls, xlsx, jpg,
    png, or a file whose content does not match its extension. The file is stored under
    MEDIA_ROOT as `emulation/<movement id>/<uuid>.<ext>`; the original name is kept for
    the download. The stored file and the row are written together: if the row or its
    audit entry fails, the file is removed again.
    """
    require(actor, Action.CHANGE, movement.launched_by)
    name, ext, kind = check_upload(upload)
    size = upload.size
    description = (description or "").strip()
    attachment = MovementAttachment(
        movement=movement,
        original_name=name,
        content_type=kind.content_type,
        size=size,
        description=description,
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    attachment.full_clean(exclude=["file", "uploaded_by"])
    # The file is written first, then the row in a transaction; a failure after the write
    # removes the file, so that neither a row without its file nor an unlisted file stays.
    attachment.file.save(f"upload.{ext}", upload, save=False)
    try:
        with transaction.atomic():
            attachment.save()
            log(
                "emulation.movement.attach",
                attachment,
                actor=actor,
                after=snapshot(attachment),
            )
    except BaseException:
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


def remove_attachment(attachment: MovementAttachment, *, actor) -> None:
    """Remove a movement's attachment (uploaded by mistake): the row and, once that is
    committed, the stored file. Audited with what was removed. Same right as attaching."""
    require(actor, Action.CHANGE, attachment.movement.launched_by)
    stored = attachment.file.name
    storage = attachment.file.storage
    with transaction.atomic():
        log(
            "emulation.movement.detach",
            attachment,
            actor=actor,
            before=snapshot(attachment),
        )
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(stored))


@transaction.atomic
def register_title(
    movement: Movement,
    *,
    unit: Unit,
    award_code: str,
    person: Person | None = None,
    note: str = "",
    actor,
    today=None,
) -> Registration:
    """Register `unit` (or `person`, through the unit they work in) for a title of the
    catalog in a movement, on or before its registration deadline. The title must suit
    the subject (collective or individual) and be registered once."""
    require(actor, Action.CHANGE, unit)
    day = common.today(today)
    if movement.registration_deadline and day > movement.registration_deadline:
        raise ValidationError(
            _("Registration closed on %(day)s.")
            % {"day": format_date(movement.registration_deadline)}
        )
    code = (award_code or "").strip()
    if person is None:
        check_award_code(code, unit=unit)
        duplicate = Registration.objects.filter(
            movement=movement, unit=unit, person__isnull=True, award_code=code
        )
        subject = unit.code
    else:
        check_award_code(code, person=person)
        first, last = movement.period_start, movement.period_end
        employed = Employment.objects.filter(person=person, unit=unit).overlapping(
            first, last + datetime.timedelta(days=1)
        )
        if not employed.exists():
            raise ValidationError(
                {
                    "person": _("%(person)s does not work in %(unit)s during the movement.")
                    % {"person": person, "unit": unit.code}
                }
            )
        duplicate = Registration.objects.filter(movement=movement, person=person, award_code=code)
        subject = person.code
    if duplicate.exists():
        raise ValidationError(
            {
                "award_code": _("%(subject)s is already registered for %(code)s.")
                % {"subject": subject, "code": code}
            }
        )
    registration = Registration(
        movement=movement,
        unit=unit,
        person=person,
        award_code=code,
        registered_on=day,
        registered_by=actor if actor is not None and actor.is_authenticated else None,
        note=note,
    )
    registration.full_clean(exclude=["registered_by"])
    registration.save()
    log("emulation.registration.create", registration, actor=actor, after=snapshot(registration))
    return registration


@transaction.atomic
def withdraw_registration(registration: Registration, *, actor, today=None) -> None:
    """Withdraw a registration before the deadline (after it, the list is closed)."""
    require(actor, Action.CHANGE, registration.unit)
    movement = registration.movement
    day = common.today(today)
    if movement.registration_deadline and day > movement.registration_deadline:
        raise ValidationError(
            _("Registration closed on %(day)s.")
            % {"day": format_date(movement.registration_deadline)}
        )
    log("emulation.registration.withdraw", registration, actor=actor, before=snapshot(registration))
    registration.delete()
