"""Initiatives and research, and the single use of an initiative."""

from thidua.rules.facts import (
    SCOPE_RANK,
)
from thidua.rules.messages import Fragment
from thidua.rules.primitives.base import (
    MET,
    NOT_MET,
    UNKNOWN,
    Outcome,
    _years,
)
from thidua.rules.primitives.context import Ctx


def initiative(p, ctx: Ctx, kind, sid, code, explain) -> Outcome | str:
    """Initiatives or research of at least a scope in a window of years. An initiative
    counts for one category of award only (titles or forms, Official letter 5007/BNV-TĐKT):
    without a record of which award used it, one recognised in a year for which the person
    holds an award of the other category that counts initiatives is presumed used, and the
    outcome is then `unknown`, not `met`."""
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
    category = ctx.definitions.awards[code].entry.kind
    reuse_titles = ctx.params["initiative_reuse_across_titles"]
    awards = ctx.awards(kind, sid)
    free, used, users = [], [], []
    once_per_category = ctx.effective.initiative_once_per_category
    for item in matches:
        year = item.recognised_on.year
        user = None
        if not once_per_category:
            free.append(item)
            continue
        for other, other_category in ctx.initiative_awards.items():
            if other_category == category and (reuse_titles or category == "form"):
                continue
            for a in awards.get(other, ()):
                same = other == code and a.first_year <= ctx.year <= a.last_year
                if not same and a.first_year <= year <= a.last_year:
                    user = a
                    break
            if user:
                break
        if user:
            used.append(item)
            users.append(user)
        else:
            free.append(item)
    if len(free) >= p["count"]:
        if not explain:
            return MET
        codes = tuple(
            f"{i.code} ({i.decision_number})" if i.decision_number else i.code for i in free
        )
        return Outcome(MET, "initiative_met", {**base, "found": len(free), "codes": codes})
    if len(matches) >= p["count"]:
        if not explain:
            return UNKNOWN
        args = {
            **base,
            "free": len(free),
            "codes": tuple(i.code for i in used),
            "awards": tuple(f"{u.code} {u.decision_number}" for u in users),
        }
        return Outcome(UNKNOWN, "initiative_maybe_used", args)
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
