"""Qualitative criteria: the judgement of a council or leader, read from the attestations
recorded for the subject, award, criterion and year (`records.Attestation`)."""

from thidua.records.choices import AttestationOutcome
from thidua.rules.primitives.base import (
    ATTEST,
    MET,
    NOT_MET,
    UNKNOWN,
    Outcome,
)
from thidua.rules.primitives.context import Ctx


def attest(p, ctx: Ctx, kind, sid, code, explain) -> Outcome | str:
    """`met` once the competent council or leader attested the criterion for the year,
    `not_met` once they refused it, else `unknown` (only their judgement remains). A
    decision conferring the award does not count as an attestation: that would be
    circular."""
    # ctx.attestation(), inlined: read for everyone, and most have none recorded
    recorded = ctx.facts.attestations
    by_criterion = recorded.get((kind, sid)) if recorded else None
    found = by_criterion.get((code, p["_id"])) if by_criterion else None
    if found is None:
        if not explain:
            return ATTEST
        return Outcome(UNKNOWN, "attest_required", _text(p), attest=True)
    attested = found.outcome == AttestationOutcome.ATTESTED
    if not explain:
        return MET if attested else NOT_MET
    args = {
        **_text(p),
        "body": found.body_name,
        "day": found.decided_on,
        "minutes": found.minutes_number,
        "minutes_date": found.minutes_date,
    }
    return Outcome(MET if attested else NOT_MET, "attested" if attested else "attest_refused", args)


def attest_many(p, ctx: Ctx, kind, sids, code) -> list[str]:
    """`attest` in status-only mode for many subjects (most have nothing recorded)."""
    recorded = ctx.facts.attestations
    if not recorded:
        return [ATTEST] * len(sids)
    return [
        attest(p, ctx, kind, sid, code, False) if (kind, sid) in recorded else ATTEST
        for sid in sids
    ]


def _text(p) -> dict:
    return {"text_vi": p["text_vi"], "text_en": p["text_en"]}
