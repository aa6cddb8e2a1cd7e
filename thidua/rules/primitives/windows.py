"""Windows after an award: "already has B, then N years after it"."""

from thidua.rules.catalog import get_groups
from thidua.rules.definitions import IND
from thidua.rules.facts import (
    LEVEL_OF_RANK,
    LEVEL_RANK,
    SCOPE_RANK,
)
from thidua.rules.messages import Fragment
from thidua.rules.primitives.base import (
    MET,
    NOT_MET,
    UNKNOWN,
    Outcome,
    _value,
    _years,
    status_of,
)
from thidua.rules.primitives.context import Ctx, _held


def _any_of(awards: dict, code: str) -> list:
    """The subject's awards of `code`, or of any award of the group `code` names."""
    group = get_groups().get(code)
    if group is None:
        return awards.get(code, ())
    return [a for member in group.awards for a in awards.get(member, ())]


def since_award(p, ctx: Ctx, kind, sid, code, explain) -> Outcome | str:
    """ "Already has award B, then ≥ N consecutive years after it up to the proposal, all
    rated ≥ level, with counts of titles, ratings and initiatives in that window"
    (Law Điều 73(1)(b), 44(1)(e)). The window starts the year after B's achievement year
    (or in it: deployment parameter window_first_year) and after the last award of the
    evaluated form itself."""
    year = ctx.year
    included = ctx.params["window_first_year"] == "included"
    awards = ctx.awards(kind, sid)
    earlier = _any_of(awards, p["award"])
    prior = sorted(
        (a for a in earlier if a.type not in ctx.excluded and a.last_year < year),
        key=lambda a: a.last_year,
        reverse=True,
    )
    if not prior and not explain:
        return NOT_MET
    notes = ctx.merger_notes(kind, sid, year - p["years"] + 1)
    excluded = [a for a in earlier if a.type in ctx.excluded]
    if excluded:
        notes += (("excluded_awards", {"decisions": tuple(a.decision_number for a in excluded)}),)
    if not prior:
        return Outcome(NOT_MET, "since_no_prior", {"award": p["award"], "year": year}, notes=notes)
    own = [a for a in awards.get(code, ()) if a.type not in ctx.excluded and a.last_year < year]
    own_last = max(own, key=lambda a: a.last_year) if own else None
    if own_last is not None:
        notes += (
            (
                "since_target_held",
                {
                    "target": code,
                    "target_year": own_last.last_year,
                    "decision": own_last.decision_number,
                },
            ),
        )
    best = None
    for award in prior:
        start = award.last_year if included else award.last_year + 1
        if own_last is not None:
            start = max(start, own_last.last_year + 1)
        base = {
            "award": award.code,  # the award held, also when the criterion names a group
            "award_year": _years(award.first_year, award.last_year),
            "decision": award.decision_number,
            "window": _years(start, year),
        }
        length = year - start + 1
        if length < p["years"]:
            outcome = Outcome(
                NOT_MET,
                "since_too_short",
                {**base, "length": max(length, 0), "years": p["years"]},
                notes=notes,
            )
        else:
            outcome = _window(ctx, kind, sid, start, year, p, base, notes)
        if outcome.status == MET:
            return outcome if explain else MET
        if best is None or (best.status == NOT_MET and outcome.status == UNKNOWN):
            best = outcome
    return best if explain else status_of(best)


def _window(ctx: Ctx, kind, sid, start, year, p, base, notes) -> Outcome:
    problems, opens, good = [], [], []
    if kind == IND:
        floor, d = ctx.discipline_floor(sid)
        if floor is not None and floor > start:
            problems.append(("frag_discipline", {"end": d.end or "…", "from_year": floor}))
    ranks = {y: ctx.rating(kind, sid, y) for y in range(start, year + 1)}
    missing = [y for y, r in ranks.items() if r is None]
    if p["rating"]:
        need = LEVEL_RANK[p["rating"]]
        below = [(y, r) for y, r in ranks.items() if r is not None and r < need]
        if below:
            y, r = below[0]
            problems.append(
                ("frag_rating_below", {"rating": LEVEL_OF_RANK[r], "year": y, "level": p["rating"]})
            )
        elif missing:
            opens.append(("frag_rating_missing", {"years": missing}))
        else:
            good.append(("frag_rating_all", {"level": p["rating"]}))
    for level, required in (p["ratings"] or {}).items():
        required = _value(ctx, required)
        found = sum(1 for r in ranks.values() if r is not None and r >= LEVEL_RANK[level])
        frag = ("frag_level_count", {"level": level, "found": found, "required": required})
        _sort(found, found + len(missing), required, frag, good, opens, problems)

    def held(target, y):  # a group: any of its awards
        codes = get_groups()[target].awards if target in get_groups() else (target,)
        return any(_held(ctx, kind, sid, c, y)[0] for c in codes)

    # A title of the evaluated year itself may not be decided yet: it keeps the count open.
    def pending(target):
        return 0 if held(target, year) else 1

    def title_count(target):
        return sum(1 for y in range(start, year + 1) if held(target, y))

    for target, required in (p["titles"] or {}).items():
        required = _value(ctx, required)
        found = title_count(target)
        frag = ("frag_title_count", {"award": target, "found": found, "required": required})
        _sort(found, found + pending(target), required, frag, good, opens, problems)
    if p["titles_any"]:
        items = []
        state = NOT_MET
        for target, required in p["titles_any"].items():
            required = _value(ctx, required)
            found = title_count(target)
            items.append(
                Fragment(
                    "frag_title_count", {"award": target, "found": found, "required": required}
                )
            )
            if found >= required:
                state = MET
            elif found + pending(target) >= required and state == NOT_MET:
                state = UNKNOWN
        frag = ("frag_any", {"items": tuple(items)})
        {MET: good, UNKNOWN: opens, NOT_MET: problems}[state].append(frag)
    if p["initiatives"]:
        need_scope = SCOPE_RANK[p["initiative_scope"]]
        found = sum(
            1
            for i in ctx.facts.initiatives.get(sid, ())
            if start <= i.recognised_on.year <= year and i.scope_rank >= need_scope
        )
        frag = (
            "frag_initiatives",
            {"found": found, "scope": p["initiative_scope"], "required": p["initiatives"]},
        )
        _sort(found, found, p["initiatives"], frag, good, opens, problems)
    if problems:
        return Outcome(NOT_MET, "since_not_met", {**base, "detail": _many(problems)}, notes=notes)
    if opens:
        return Outcome(
            UNKNOWN, "since_not_met", {**base, "detail": _many(opens + good)}, notes=notes
        )
    return Outcome(MET, "since_met", {**base, "detail": _many(good)}, notes=notes)


def _sort(found, at_most, required, frag, good, opens, problems):
    if found >= required:
        good.append(frag)
    elif at_most >= required:
        opens.append(frag)
    else:
        problems.append(frag)


def _many(frags) -> tuple:
    return tuple(Fragment(k, a) for k, a in frags)
