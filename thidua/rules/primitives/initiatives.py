"""Initiatives and research, and the single use of an initiative."""

from itertools import compress

from thidua.rules.definitions import IND
from thidua.rules.facts import (
    SCOPE_RANK,
)
from thidua.rules.messages import Fragment
from thidua.rules.primitives.base import (
    MET,
    NOT_MET,
    Outcome,
    _years,
)
from thidua.rules.primitives.context import Ctx


def initiative(p, ctx: Ctx, kind, sid, code, explain) -> Outcome | str:
    """Initiatives or research of at least a scope in a window of years. An initiative
    counts for one category of award only (titles or forms, Official letter 5007/BNV-TĐKT):
    one an award of the subject relied on (`records.AwardInitiative`) is not counted again
    where that would be a second use (see `_split_used`)."""
    items = ctx.facts.initiatives.get(sid)
    if not items and not explain:  # the common case, kept cheap
        return NOT_MET
    first = ctx.year - p["window_years"] + 1
    need = SCOPE_RANK[p["scope"]]
    want = p["kind"]
    window = _years(first, ctx.year)
    base = {"kind": want, "scope": p["scope"], "window": window, "count": p["count"]}
    matches = [
        i
        for i in items or ()
        if first <= i.recognised_on.year <= ctx.year
        and (want == "any" or i.kind == want)
        and i.scope_rank >= need
        and (i.applied or not p["applied"])
        and (i.replicable or not p["replicable"])
    ]
    if len(matches) < p["count"] and not explain:
        return NOT_MET
    free, used, users = _split_used(p, ctx, kind, sid, code, matches)
    if len(free) >= p["count"]:
        if not explain:
            return MET
        codes = tuple(
            f"{i.code} ({i.decision_number})" if i.decision_number else i.code for i in free
        )
        return Outcome(MET, "initiative_met", {**base, "found": len(free), "codes": codes})
    if len(matches) >= p["count"]:
        if not explain:
            return NOT_MET
        args = {
            **base,
            "free": len(free),
            "codes": tuple(i.code for i in used),
            "awards": tuple(
                Fragment("award_decision", {"award": u.code, "decision": u.decision_number})
                for u in users
            ),
        }
        return Outcome(NOT_MET, "initiative_used", args)
    if not explain:
        return NOT_MET
    conditions = tuple(
        Fragment(key, {})
        for key, on in (("cond_applied", p["applied"]), ("cond_replicable", p["replicable"]))
        if on
    )
    return Outcome(
        NOT_MET, "initiative_missing", {**base, "found": len(matches), "conditions": conditions}
    )


def initiative_many(p, ctx: Ctx, kind, sids, code) -> list[str]:
    """`initiative` in status-only mode for many subjects (most have no initiative)."""
    initiatives = ctx.facts.initiatives
    found = [NOT_MET] * len(sids)
    for i in compress(range(len(sids)), map(initiatives.__contains__, sids)):
        if initiatives[sids[i]]:
            found[i] = initiative(p, ctx, kind, sids[i], code, False)
    return found


def _split_used(p, ctx: Ctx, kind, sid, code, matches) -> tuple[list, list, list]:
    """(free, used, the awards using them) among `matches`: an initiative counts for one
    category of award only (titles or forms; a form uses it once), as recorded by the
    award ↔ initiative links (`records.AwardInitiative`) of the subject's valid awards;
    the evaluated award itself (same code, covering the year) does not use it up."""
    free, used, users = [], [], []
    if not ctx.effective.initiative_once_per_category:
        return list(matches), used, users
    category = ctx.definitions.awards[code].entry.kind
    reuse_titles = ctx.params["initiative_reuse_across_titles"]
    uses = ctx.facts.initiative_uses
    catalog = ctx.definitions.awards
    for item in matches:
        user = None
        for use in uses.get(item.id, ()):
            if (use.person_id if kind == IND else use.unit_id) != sid:
                continue
            if use.code == code and use.first_year <= ctx.year <= use.last_year:
                continue  # the very award evaluated
            other = catalog[use.code].entry.kind if use.code in catalog else "title"
            if other == category == "title" and reuse_titles:
                continue
            user = use
            break
        if user is None:
            free.append(item)
        else:
            used.append(item)
            users.append(user)
    return free, used, users
