"""Documents of a dossier: what each dossier needs, uploads and removals.

Required (Law 06/2022 Điều 84; docs/legal/procedure.md): the proposal letter and
each nominee's achievement report — generated from the dossier's data (the letter as
.docx, the report from the achievement summary, which submission requires) — the minutes
of the unit's review with its vote (uploaded, one per dossier), and for a nominee relying
on initiatives the proof of those initiatives (uploaded, per nominee). `missing_documents`
lists what is missing; submission refuses an incomplete dossier.

Uploads reuse the checks of movement attachments (`emulation.services.movements.check_upload`:
file name, type by content, size limit `THIDUA_ATTACHMENT_MAX_BYTES`); the file is stored
under the data dir (`MEDIA_ROOT`), never in the database.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.accounts.choices import Action
from thidua.accounts.scope import require
from thidua.audit.services import log, snapshot
from thidua.emulation.services.movements import check_upload
from thidua.nominations.choices import DocumentKind, State
from thidua.nominations.models import Document, Dossier, Nominee

EDITABLE = (State.DRAFT, State.RETURNED)


def missing_documents(dossier: Dossier) -> list[str]:
    """What the dossier still lacks before it may be submitted (two queries)."""
    kinds = set(dossier.documents.values_list("kind", "nominee_id"))
    missing = []
    if not any(kind == DocumentKind.REVIEW_MINUTES for kind, _n in kinds):
        missing.append(_("the minutes of the unit's review, with the vote"))
    needing = (
        Nominee.objects.filter(dossier=dossier, initiatives__isnull=False)
        .select_related("person", "unit", "household")
        .distinct()
    )
    for nominee in needing:
        if (DocumentKind.INITIATIVE_PROOF, nominee.pk) not in kinds:
            missing.append(
                _("the proof of the initiatives of %(name)s") % {"name": nominee.recipient}
            )
    return missing


def attach_document(
    dossier: Dossier, upload, *, kind: str, nominee: Nominee | None = None, actor
) -> Document:
    """Attach an uploaded file to a draft or returned dossier (an officer of the proposing
    unit). Refused with a message naming the file, before anything is written: no file, an
    empty or too large one, a type other than pdf, doc, docx, xls, xlsx, jpg, png, or a
    content that is not its extension."""
    require(actor, Action.CHANGE, dossier.unit)
    if dossier.state not in EDITABLE:
        raise ValidationError(
            _(
                "The dossier is %(state)s; documents can be changed only in a draft or a returned dossier."
            )
            % {"state": str(dossier.get_state_display()).lower()}
        )
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Choose the kind of document.")})
    if nominee is not None and nominee.dossier_id != dossier.pk:
        raise ValidationError({"nominee": _("This nominee is not in the dossier.")})
    if kind == DocumentKind.INITIATIVE_PROOF and nominee is None:
        raise ValidationError({"nominee": _("Say whose initiatives the proof is for.")})
    name, ext, file_type = check_upload(upload)
    size = upload.size
    document = Document(
        dossier=dossier,
        nominee=nominee,
        kind=kind,
        original_name=name,
        content_type=file_type.content_type,
        size=size,
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    # The file first, then the row; a failure after the write removes the file again.
    document.file.save(f"upload.{ext}", upload, save=False)
    try:
        with transaction.atomic():
            document.save()
            log("nominations.document.attach", dossier, actor=actor, after=snapshot(document))
    except BaseException:
        document.file.storage.delete(document.file.name)
        raise
    return document


def remove_document(document: Document, *, actor) -> None:
    dossier = document.dossier
    require(actor, Action.CHANGE, dossier.unit)
    if dossier.state not in EDITABLE:
        raise ValidationError(
            _(
                "The dossier is %(state)s; documents can be changed only in a draft or a returned dossier."
            )
            % {"state": str(dossier.get_state_display()).lower()}
        )
    name = document.file.name
    with transaction.atomic():
        log("nominations.document.remove", dossier, actor=actor, before=snapshot(document))
        document.delete()
        transaction.on_commit(lambda: document.file.storage.delete(name))
