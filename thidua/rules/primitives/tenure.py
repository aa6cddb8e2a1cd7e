"""Tenure in leadership posts (dedication awards)."""

from collections import defaultdict

from thidua.rules.primitives.base import (
    MET,
    UNKNOWN,
    Outcome,
)
from thidua.rules.primitives.context import Ctx
from thidua.vietnamese import fold


def post_tenure(p, ctx: Ctx, kind, pid, code, explain) -> Outcome | str:
    """Tenure in leadership posts for dedication awards, approximated from the positions
    of the person's employments (a post matches when its name appears in the position;
    the longest matching name wins, so "phó vụ trưởng" is not read as "vụ trưởng").
    Women leaders need one third less (Decree 152/2025 Điều 4(7)). Short or absent tenure
    is `unknown`: earlier posts may be missing from the records."""
    posts = p["_posts"]
    tenure: dict[str, float] = defaultdict(float)
    for e in ctx.facts.employments.get(pid, ()):
        position = ctx.folded(e.position)
        for folded, name, _years_needed in posts:
            if folded and folded in position:
                end = min(e.end or ctx.day, ctx.day)
                tenure[name] += max((end - e.start).days, 0) / 365.25
                break
    person = ctx.facts.people.get(pid)
    reduced = p["women_reduction"] and person is not None and person.gender == "F"
    factor = 2 / 3 if reduced else 1
    best = None
    for _folded, name, years_needed in posts:
        if name not in tenure:
            continue
        needed = round(years_needed * factor, 1)
        held = round(tenure[name], 1)
        if held >= needed:
            if not explain:
                return MET
            args = {"post": name, "years": held, "needed": needed}
            return Outcome(MET, "tenure_met_reduced" if reduced else "tenure_met", args)
        if best is None or held / needed > best[0]:
            best = (held / needed, {"post": name, "years": held, "needed": needed})
    if not explain:
        return UNKNOWN
    if best:
        return Outcome(UNKNOWN, "tenure_short", best[1])
    return Outcome(UNKNOWN, "tenure_none", {"posts": tuple(p["posts"])})


def _prepare_post_tenure(p: dict) -> dict:
    """The posts folded once (not for every person): longest name first."""
    posts = sorted(
        ((fold(name), name, years) for name, years in p["posts"].items()), key=lambda t: -len(t[0])
    )
    return {**p, "_posts": tuple(posts)}
