"""Qualitative criteria: the judgement of a council or leader."""

from thidua.rules.definitions import COLL, IND
from thidua.rules.primitives.base import (
    ATTEST,
    MET,
    UNKNOWN,
    Outcome,
)
from thidua.rules.primitives.context import Ctx


def attest(p, ctx: Ctx, kind, sid, code, explain) -> Outcome | str:
    """A judgement of the council. It is `met` only when a decision conferring the award
    for the year exists (the council attested it then), else `unknown`."""
    if not explain:
        if kind in (IND, COLL) and ctx.any_covering(kind, sid, code, ctx.year):
            return MET
        return ATTEST
    text = {"text_vi": p["text_vi"], "text_en": p["text_en"]}
    held = ctx.covering(kind, sid, code, ctx.year, counted=False) if kind in (IND, COLL) else []
    if held:
        return Outcome(MET, "attested_by_decision", {**text, "decision": held[0].decision_number})
    return Outcome(UNKNOWN, "attest_required", text, attest=True)
