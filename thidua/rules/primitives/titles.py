"""Titles held: streaks of titles, consecutive awards, another award's standard."""

from itertools import compress, filterfalse

from thidua.rules.definitions import IND
from thidua.rules.primitives.base import (
    ATTEST,
    DEFERRED,
    ELIGIBLE,
    MET,
    NEEDS_ATTESTATION,
    NOT_ELIGIBLE,
    NOT_MET,
    UNKNOWN,
    Outcome,
    _years,
)
from thidua.rules.primitives.context import Ctx, _held, counted_cover
from thidua.rules.primitives.ratings import _discipline_cut
from thidua.rules.primitives.windows import _any_of


def _streak_end(ctx: Ctx) -> int:
    return ctx.year if ctx.params["current_year_is_streak_end"] else ctx.year - 1


def _pending_current(ctx: Ctx, kind, sid, target, held_years, explain) -> Outcome | str:
    """The title of the evaluated year itself is not decided yet: its own criteria say
    whether the streak can still be completed (unknown) or not (not met)."""
    if not explain:
        return NOT_MET if ctx.verdict(target, kind, sid)[0] == NOT_ELIGIBLE else UNKNOWN
    sub = ctx.sub(target, kind, sid)
    args = {"award": target, "held": held_years or "—", "year": ctx.year}
    children = tuple(sub.outcomes)
    if sub.verdict == NOT_ELIGIBLE:
        return Outcome(NOT_MET, "title_streak_current_not_met", args, children=children)
    if sub.verdict == ELIGIBLE:
        return Outcome(UNKNOWN, "title_streak_pending_met", args)
    return Outcome(UNKNOWN, "title_streak_pending", args, children=children)


def title_streak(p, ctx: Ctx, kind, sid, code, explain) -> Outcome | str:
    target, n = p["award"], p["years"]
    last = _streak_end(ctx)
    first = last - n + 1
    if not explain:
        if kind == IND:
            by_code = ctx._person_awards.get(sid)
            if (not by_code or target not in by_code) and (n > 1 or last != ctx.year):
                # the common case: never held, and a year of the streak is already over
                # (a discipline would say not met too; the status is the same)
                return NOT_MET
            floor, _d = ctx.discipline_floor(sid)
            if floor is not None and floor > first:
                return NOT_MET
        pending = False
        for year in range(first, last + 1):
            if not ctx.holds(kind, sid, target, year):
                if year != ctx.year:
                    return NOT_MET
                pending = True
        if not pending:
            return MET
        return _pending_current(ctx, kind, sid, target, "", False)
    span = _years(first, last)
    notes = ctx.merger_notes(kind, sid, first)
    excluded = ctx.excluded_covering(kind, sid, target, range(first, last + 1))
    if excluded:
        notes += (("excluded_awards", {"decisions": tuple(a.decision_number for a in excluded)}),)
    if kind == IND:
        floor, d = ctx.discipline_floor(sid)
        if floor is not None and floor > first:
            return _discipline_cut(d, floor, span)._replace(notes=notes)
    decisions, missing = [], []
    for year in range(first, last + 1):
        held, _carried = _held(ctx, kind, sid, target, year)
        if held:
            decisions.append(held[0].decision_number)
        else:
            missing.append(year)
    if not missing:
        args = {"award": target, "years": span, "decisions": tuple(dict.fromkeys(decisions))}
        return Outcome(MET, "title_streak_met", args, notes=notes)
    if missing == [ctx.year]:
        held_years = _years(first, last - 1) if n > 1 else ""
        return _pending_current(ctx, kind, sid, target, held_years, True)._replace(notes=notes)
    args = {"award": target, "missing": missing, "years": span}
    return Outcome(NOT_MET, "title_streak_missing", args, notes=notes)


def title_streak_many(p, ctx: Ctx, kind, sids, code) -> list[str]:
    """`title_streak` in status-only mode for many subjects: a person who never held the
    title, with a year of the streak already over, fails here (its common case)."""
    target, n = p["award"], p["years"]
    if kind != IND or (n == 1 and _streak_end(ctx) == ctx.year):
        return [title_streak(p, ctx, kind, sid, code, False) for sid in sids]
    person_awards = ctx._person_awards
    found = [NOT_MET] * len(sids)
    for i in compress(range(len(sids)), map(person_awards.__contains__, sids)):
        if target in person_awards[sids[i]]:
            found[i] = title_streak(p, ctx, kind, sids[i], code, False)
    return found


def consecutive_awards(p, ctx: Ctx, kind, sid, code, explain) -> Outcome | str:
    """`count` awards with adjacent achievement periods, the last ending in Y; `award` may
    name a group ("CSTĐ cấp bộ, ban, ngành, tỉnh": Law Điều 21(1)), each link any member."""
    target, count = p["award"], p["count"]
    last = _streak_end(ctx)
    counted = [a for a in _any_of(ctx.awards(kind, sid), target) if a.type not in ctx.excluded]

    def chain_from(year):
        chain = []
        while True:
            found = [a for a in counted if a.last_year == year]
            if not found:
                return chain
            chain.append(found[0])
            year = found[0].first_year - 1

    chain = chain_from(last)
    if len(chain) >= count:
        if not explain:
            return MET
        decisions = tuple(a.decision_number for a in reversed(chain[:count]))
        return Outcome(
            MET, "consecutive_met", {"count": count, "award": target, "decisions": decisions}
        )
    if last == ctx.year and count > 1:
        earlier = chain_from(last - 1)
        if len(earlier) >= count - 1:
            held = tuple(_years(a.first_year, a.last_year) for a in reversed(earlier[: count - 1]))
            # the award of the evaluated year would be of the kind held last (for a group)
            return _pending_current(ctx, kind, sid, earlier[0].code, held, explain)
    if not explain:
        return NOT_MET
    args = {"found": len(chain), "award": target, "year": last, "count": count}
    return Outcome(NOT_MET, "consecutive_missing", args)


def meets_award(p, ctx: Ctx, kind, sid, code, explain) -> Outcome | str:
    target = p["award"]
    if not explain:
        if kind == IND:  # ctx.holds(), inlined: read for everyone
            by_code = ctx._person_awards.get(sid)
            if by_code and counted_cover(by_code.get(target), ctx.year, ctx.excluded):
                return MET
        elif ctx.holds(kind, sid, target, ctx.year):
            return MET
        verdict, attest_only = ctx.verdict(target, kind, sid)
        if verdict == ELIGIBLE:
            return MET
        if verdict == NOT_ELIGIBLE:
            return NOT_MET
        return ATTEST if attest_only else UNKNOWN
    held, _carried = _held(ctx, kind, sid, target, ctx.year)
    if held:
        args = {"award": target, "year": ctx.year, "decision": held[0].decision_number}
        return Outcome(MET, "holds_award", args)
    sub = ctx.sub(target, kind, sid)
    args = {"award": target, "year": ctx.year}
    children = tuple(sub.outcomes)
    if sub.verdict == ELIGIBLE:
        return Outcome(MET, "standard_met", args, children=children)
    if sub.verdict == NOT_ELIGIBLE:
        return Outcome(NOT_MET, "standard_not_met", args, children=children)
    return Outcome(UNKNOWN, "standard_unknown", args, children=children, attest=sub.attest_only)


def meets_award_many(p, ctx: Ctx, kind, sids, code) -> list[str]:
    """`meets_award` in status-only mode for many subjects: those not holding the award
    for the year are decided for it column by column (`Ctx.verdicts`)."""
    if kind != IND:
        return [meets_award(p, ctx, kind, sid, code, False) for sid in sids]
    target, year, excluded = p["award"], ctx.year, ctx.excluded
    person_awards = ctx._person_awards
    holding = set()
    # ctx.holds(), inlined: a counted award of the target covers the year (only those
    # holding some award are looked at)
    for sid in compress(sids, map(person_awards.__contains__, sids)):
        for a in person_awards[sid].get(target, ()):
            if a.first_year <= year <= a.last_year and a.type not in excluded:
                holding.add(sid)
                break
    asked = list(filterfalse(holding.__contains__, sids)) if holding else sids
    statuses = list(map(_VERDICT_STATUS.__getitem__, ctx.verdicts(target, kind, asked)))
    if not holding:
        return statuses
    decided = dict(zip(asked, statuses, strict=True))
    decided.update(dict.fromkeys(holding, MET))
    return list(map(decided.__getitem__, sids))


# The status-only answer of `meets_award` for each (verdict, attest_only) of the award.
_VERDICT_STATUS = {
    **{(ELIGIBLE, a): MET for a in (True, False, None)},
    **{(NOT_ELIGIBLE, a): NOT_MET for a in (True, False, None)},
    **{(v, True): ATTEST for v in (NEEDS_ATTESTATION, DEFERRED)},
    **{(v, a): UNKNOWN for v in (NEEDS_ATTESTATION, DEFERRED) for a in (False, None)},
}
