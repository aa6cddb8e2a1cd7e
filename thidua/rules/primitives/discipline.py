"""Discipline of the year, and deferral while a review is pending."""

from itertools import compress

from thidua.rules.facts import (
    MEASURE_RANK,
)
from thidua.rules.primitives.base import (
    MET,
    NOT_MET,
    Outcome,
    _in_year,
)
from thidua.rules.primitives.context import Ctx


def no_discipline(p, ctx: Ctx, kind, sid, code, explain) -> Outcome | str:
    disciplines = ctx.facts.disciplines.get(sid)
    if disciplines:
        need = MEASURE_RANK[p["min_measure"]]
        for d in disciplines:
            if (
                d.rank >= need
                and (d.duty_related or not p["duty_related_only"])
                and _in_year(d, ctx.year)
            ):
                if not explain:
                    return NOT_MET
                args = {
                    "measure": d.measure,
                    "decision": d.decision_number or "—",
                    "start": d.start,
                    "year": ctx.year,
                }
                return Outcome(NOT_MET, "discipline_found", args)
    if not explain:
        return MET
    return Outcome(MET, "discipline_none", {"measure": p["min_measure"], "year": ctx.year})


def no_discipline_many(p, ctx: Ctx, kind, sids, code) -> list[str]:
    """`no_discipline` in status-only mode for many subjects (most have no discipline)."""
    disciplines = ctx.facts.disciplines
    found = [MET] * len(sids)
    for i in compress(range(len(sids)), map(disciplines.__contains__, sids)):
        found[i] = no_discipline(p, ctx, kind, sids[i], code, False)
    return found


def under_review(ctx: Ctx, kind, sid, code, explain=True) -> Outcome | str:
    """Defer while a review, inspection or complaint is pending (Decree 152/2025 Điều 4(4))."""
    review = ctx.pending_review(kind, sid)
    if review is not None:
        if not explain:
            return NOT_MET
        return Outcome(NOT_MET, "review_pending", {"kind": review.kind, "start": review.start})
    return Outcome(MET, "review_none", {"day": ctx.day}) if explain else MET
