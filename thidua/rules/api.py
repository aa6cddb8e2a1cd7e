"""Eligibility API: the results of the engine, scoped and paged, and the catalog of titles
and forms with the rule sets.

Thin, like the pages: a unit outside the user's scope answers 404 as one that does not
exist, the population is limited to the user's scope (`engine.run(user=…)`), and each
result is the object `thidua eligibility --format json` prints (`Result.as_dict()`),
explained only for the page returned. One engine run per request.
"""

import datetime
from collections.abc import Sequence
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from ninja import Query, Router
from ninja.errors import HttpError, ValidationError
from ninja.pagination import paginate
from ninja.responses import Status

from thidua.accounts import scope
from thidua.accounts.api import Pagination
from thidua.rules import attestations
from thidua.rules.definitions import FAR_FUTURE, FAR_PAST, get_definitions
from thidua.rules.engine import DossierDateTooEarly, UnknownCode, run
from thidua.rules.schemas import AttestationIn, AttestationOut, CatalogOut, EligibilityResultOut

router = Router(tags=["rules"])


class EligibilityVerdict(StrEnum):
    eligible = "eligible"
    not_eligible = "not_eligible"
    needs_attestation = "needs_attestation"
    deferred = "deferred"


class _AsDicts(Sequence):
    """Results read as the CLI's JSON objects, explained only when sliced into a page."""

    def __init__(self, results):
        self.results = results

    def __len__(self):
        return len(self.results)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [r.as_dict() for r in self.results[index]]
        return self.results[index].as_dict()


@router.get(
    "/eligibility",
    response=list[EligibilityResultOut],
    summary="Eligibility of subjects for titles and forms",
)
@paginate(Pagination)
def eligibility(
    request,
    year: int = Query(..., ge=1945, le=2100, description="Achievement year."),
    unit: str | None = Query(
        None,
        description="Code of a unit: it and every unit under it (as collectives), and "
        "everyone employed in them during the year (as individuals). Default: the scope.",
    ),
    award: list[str] | None = Query(
        None, description="Award codes (repeatable). Default: every annual title."
    ),
    as_of: datetime.date | None = Query(
        None, description="The dossier date, which picks the rules; default 10/12 of the year."
    ),
    verdict: EligibilityVerdict | None = Query(
        None, description="Only the results with this verdict."
    ),
):
    if as_of is not None and not any(
        rule_set.covers(as_of) for rule_set in get_definitions().rule_sets.values()
    ):
        raise ValidationError(
            [
                {
                    "type": "value_error",
                    "loc": ["query", "as_of"],
                    "msg": f"no rule set covers {as_of:%d/%m/%Y}",
                }
            ]
        )
    units = None
    if unit:
        units = [get_object_or_404(scope.units(request.auth), code=unit)]
    try:
        evaluation = run(year, units=units, award_codes=award, as_of=as_of, user=request.auth)
    except DossierDateTooEarly as exc:
        raise ValidationError(
            [{"type": "value_error", "loc": ["query", "as_of"], "msg": exc.message}]
        ) from exc
    except UnknownCode as exc:
        raise ValidationError(
            [
                {
                    "type": "value_error",
                    "loc": ["query", "award"],
                    "msg": f"unknown award code(s): {', '.join(exc.codes)}",
                }
            ]
        ) from exc
    return _AsDicts(evaluation.results.where(verdict.value if verdict else None))


def _day(value: datetime.date) -> datetime.date | None:
    return None if value in (FAR_PAST, FAR_FUTURE) else value


@router.get("/catalog", response=CatalogOut, summary="Titles, forms and rule sets")
def catalog(request):
    definitions = get_definitions()
    return {
        "rule_sets": [
            {
                "id": r.id,
                "name": r.name,
                "valid_from": _day(r.valid_from),
                "valid_to": _day(r.valid_to),
                "encoded": r.encoded,
                "evaluate_as": r.evaluate_as,
                "note": r.note,
            }
            for r in definitions.rule_sets.values()
        ],
        "awards": [
            {
                "code": a.code,
                "kind": a.entry.kind,
                "name_vi": a.entry.name_vi,
                "name_en": a.entry.name_en,
                "subjects": sorted(a.entry.subjects),
                "default_type": a.entry.default_type,
                "article": a.entry.article,
                "rank": a.rank,
                "annual": a.annual,
                "suggest": a.suggest,
                "unit_kinds": sorted(a.unit_kinds),
                "rule_sets": sorted({rule_set for rule_set, _subject in a.rules}),
            }
            for a in definitions.awards.values()
        ],
    }


@router.post(
    "/attestations",
    response={201: AttestationOut},
    summary="Record the council's or leader's judgement on a qualitative criterion",
)
def record_attestation(request, payload: AttestationIn):
    """Attest or refuse criterion `criterion` of `award` for a person or unit and a year,
    resting on minutes. Officers, leaders and council members with the subject in scope;
    anyone else gets 404 for a subject out of sight and 403 otherwise. Audited."""
    user = request.auth
    if payload.subject_kind == "individual":
        subject = get_object_or_404(scope.people(user), code=payload.subject_code)
    elif payload.subject_kind == "collective":
        subject = get_object_or_404(scope.units(user), code=payload.subject_code)
    else:
        raise ValidationError(
            [
                {
                    "type": "value_error",
                    "loc": ["body", "payload", "subject_kind"],
                    "msg": "subject_kind must be individual or collective",
                }
            ]
        )
    if payload.decision not in ("attested", "refused"):
        raise ValidationError(
            [
                {
                    "type": "value_error",
                    "loc": ["body", "payload", "decision"],
                    "msg": "decision must be attested or refused",
                }
            ]
        )
    verb = (
        attestations.attest if payload.decision == "attested" else attestations.refuse_attestation
    )
    try:
        found = verb(
            subject,
            payload.year,
            payload.award,
            payload.criterion,
            actor=user,
            body=payload.body,
            body_name=payload.body_name,
            decided_on=payload.decided_on,
            minutes_number=payload.minutes_number,
            minutes_date=payload.minutes_date,
            minutes_text=payload.minutes_text,
        )
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    except DjangoValidationError as exc:
        raise ValidationError(
            [
                {"type": "value_error", "loc": ["body", "payload", field], "msg": " ".join(msgs)}
                for field, msgs in exc.message_dict.items()
            ]
        ) from exc
    kind = payload.subject_kind
    evaluation = run(
        payload.year,
        **(
            {"people": [subject]}
            if kind == "individual"
            else {"units": [subject], "subtree": False}
        ),
        award_codes=[payload.award],
        subjects=(kind,),
        user=user,
    )
    verdict = next(r.verdict for r in evaluation.results if r.subject_id == subject.pk)
    return Status(
        201,
        {
            "subject_kind": kind,
            "subject_code": subject.code,
            "year": found.year,
            "award": found.award_code,
            "criterion": found.criterion,
            "outcome": found.outcome,
            "body": found.body,
            "body_name": found.body_name,
            "decided_on": found.decided_on,
            "minutes_number": found.minutes_number,
            "minutes_date": found.minutes_date,
            "minutes_text": found.minutes_text,
            "verdict": verdict,
        },
    )
