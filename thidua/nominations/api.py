"""API of award proposals, scoped like the pages (`selectors.visible_rounds`,
`visible_dossiers` for `request.auth`): rounds, dossiers with their nominees and frozen
verdicts, and the dossier's moves through the same verb as the pages
(`services.move`), which refuses the wrong side (403) or a move the state does not allow
(400) with its message, audited."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from thidua.accounts.api import Pagination
from thidua.nominations import selectors, services
from thidua.nominations.choices import State
from thidua.nominations.workflow import TRANSITIONS

router = Router(tags=["nominations"])


class RoundOut(Schema):
    id: int
    name: str
    year: int
    kind: str
    unit: str
    level: str | None
    deadline: datetime.date

    @staticmethod
    def resolve_unit(r):
        return r.unit.code


class DossierOut(Schema):
    id: int
    round: int
    unit: str
    unit_name: str
    state: str
    state_since: datetime.date
    state_deadline: datetime.date | None
    needs_recheck: bool
    frozen_hash: str

    @staticmethod
    def resolve_round(d):
        return d.round_id

    @staticmethod
    def resolve_unit(d):
        return d.unit.code

    @staticmethod
    def resolve_unit_name(d):
        return d.unit.name


class NomineeOut(Schema):
    id: int
    subject_kind: str
    code: str
    name: str
    award: str
    award_name: str
    period_start: datetime.date
    period_end: datetime.date
    summary: str
    verdict: str
    frozen_hash: str


class PublicationOut(Schema):
    """The list published for public comment: its period and the SHA-256 of the list."""

    starts_on: datetime.date
    ends_on: datetime.date
    list_hash: str


class DossierDetailOut(DossierOut):
    return_reason: str
    return_fields: list[str]
    nominees: list[NomineeOut]
    publication: PublicationOut | None
    # Why `to_council` would be refused today (empty once it may go).
    council_blockers: list[str]

    @staticmethod
    def resolve_nominees(d):
        return d.nominees_out


class MoveIn(Schema):
    reason: str = ""
    fields: list[str] = []


@router.get("/rounds", response=list[RoundOut])
@paginate(Pagination)
def list_rounds(request, year: int | None = Query(None, ge=1945, le=2100)):
    qs = selectors.visible_rounds(request.auth).order_by("-year", "name", "pk")
    return qs.filter(year=year) if year else qs


@router.get("/dossiers", response=list[DossierOut])
@paginate(Pagination)
def list_dossiers(request, round: int | None = None):
    qs = selectors.visible_dossiers(request.auth).order_by("round_id", "unit__sort_key", "pk")
    return qs.filter(round_id=round) if round else qs


def _detail(dossier):
    rows = selectors.nominee_rows(dossier)
    dossier.nominees_out = [
        {
            "id": n.pk,
            "subject_kind": n.subject_kind,
            "code": n.recipient.code,
            "name": str(n.recipient),
            "award": n.award_code,
            "award_name": n.award_name,
            "period_start": n.period_start,
            "period_end": n.period_end,
            "summary": n.summary,
            "verdict": n.verdict,
            "frozen_hash": n.frozen_hash,
        }
        for n in rows
    ]
    dossier.publication = services.current_publication(dossier)
    dossier.council_blockers = (
        services.council_blockers(dossier, timezone.localdate())
        if dossier.state == State.PUBLIC_COMMENT
        else []
    )
    return dossier


@router.get("/dossiers/{dossier_id}", response=DossierDetailOut)
def get_dossier(request, dossier_id: int):
    return _detail(get_object_or_404(selectors.visible_dossiers(request.auth), pk=dossier_id))


@router.post("/dossiers/{dossier_id}/moves/{verb}", response=DossierDetailOut)
def move_dossier(request, dossier_id: int, verb: str, payload: MoveIn):
    dossier = get_object_or_404(selectors.visible_dossiers(request.auth), pk=dossier_id)
    if verb not in TRANSITIONS:
        raise HttpError(404, _("Unknown action."))
    try:
        dossier = services.move(
            dossier, verb, actor=request.auth, reason=payload.reason, fields=payload.fields
        )
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from exc
    return _detail(get_object_or_404(selectors.visible_dossiers(request.auth), pk=dossier.pk))
