"""Registration for a title (a local option) and the external fact sources."""

from thidua.rules import sources
from thidua.rules.definitions import IND
from thidua.rules.messages import Fragment
from thidua.rules.primitives.base import (
    MET,
    NOT_MET,
    UNKNOWN,
    Outcome,
)
from thidua.rules.primitives.context import Ctx


def registered(ctx: Ctx, kind, sid, code, explain=True) -> Outcome | str:
    """A local rule, switched on by the deployment parameter registration_required: the
    subject registered for this very title (`code`) for the year. Registrations recorded
    for the subject and year but not for this title: `not_met`, naming those recorded.
    Nothing recorded for the subject that year: `unknown` (the records may be missing)."""
    by_code = (ctx.registered_people if kind == IND else ctx.registered_units).get(sid)
    if not by_code:
        if not explain:
            return UNKNOWN
        return Outcome(UNKNOWN, "registered_unknown", {"award": code, "year": ctx.year})
    fact = by_code.get(code)
    if not explain:
        return MET if fact is not None and fact.value else NOT_MET
    args = {"award": code, "year": ctx.year}
    if fact is not None:
        args["evidence"] = fact.evidence or "—"
        return Outcome(
            MET if fact.value else NOT_MET,
            "registered_yes" if fact.value else "registered_no",
            args,
        )
    # What the records show instead: the titles the subject did register for that year.
    args["evidence"] = (
        tuple(
            Fragment(
                "registered_yes", {"award": other, "year": ctx.year, "evidence": f.evidence or "—"}
            )
            for other, f in by_code.items()
            if f.value
        )
        or "—"
    )
    return Outcome(NOT_MET, "registered_no", args)


def ask_sources(ctx: Ctx, unit_ids, person_ids) -> None:
    """Ask the external fact sources once for the whole population (the registrations
    only when the deployment requires them: no query otherwise)."""
    ctx.block_leaders = sources.ask("leads_block", unit_ids, ctx.year)
    if ctx.params["registration_required"]:
        ctx.registered_people = sources.ask("registered_people", person_ids, ctx.year)
        ctx.registered_units = sources.ask("registered_units", unit_ids, ctx.year)
