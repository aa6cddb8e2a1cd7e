"""Ratings of the year and streaks of ratings."""

import operator
from itertools import chain, compress, repeat

from thidua.rules.definitions import COLL, IND
from thidua.rules.facts import (
    LEVEL_OF_RANK,
    LEVEL_RANK,
)
from thidua.rules.primitives.base import (
    EMPTY,
    MET,
    NOT_MET,
    UNKNOWN,
    Outcome,
    _years,
)
from thidua.rules.primitives.context import Ctx


def rating_at_least(p, ctx: Ctx, kind, sid, code, explain) -> Outcome | str:
    year = ctx.year - p["year_offset"]
    problem = None
    if kind == IND:  # ctx.rating(), inlined: read for everyone
        recorded = ctx._person_ratings.get(year, EMPTY).get(sid)
        rank = recorded
        if (
            recorded is not None
            and not explain
            and sid not in (ctx.facts._exceptions.get(year) or ctx.facts.rating_exceptions(year))
        ):
            return MET if recorded >= LEVEL_RANK[p["level"]] else NOT_MET  # stands as recorded
        if recorded is not None:
            rank, problem = ctx.standing_rank(sid, year, recorded)
    else:
        recorded = rank = ctx.rating(kind, sid, year)
    if rank is not None:
        met = rank >= LEVEL_RANK[p["level"]]
        if not explain:
            return MET if met else NOT_MET
        args = {"rating": LEVEL_OF_RANK[recorded], "year": year, "level": p["level"]}
        notes = ctx.merger_notes(kind, sid, year)
        if problem is not None:
            args["problem"] = problem
            key = "rating_capped_met" if met else "rating_cannot_stand"
            return Outcome(MET if met else NOT_MET, key, args, notes=notes)
        if met:
            return Outcome(MET, "rating_met", args, notes=notes)
        return Outcome(NOT_MET, "rating_below", args, notes=notes)
    if problem is not None:  # a recorded rating that cannot stand: not rated
        if not explain:
            return NOT_MET
        args = {"rating": LEVEL_OF_RANK[recorded], "year": year, "problem": problem}
        return Outcome(NOT_MET, "rating_cannot_stand", args)
    not_rated = ctx.not_rated_problem(kind, sid, year)
    if not_rated is not None:
        if not explain:
            return NOT_MET
        return Outcome(NOT_MET, "not_rated", {"problem": not_rated, "year": year})
    if kind == COLL and ctx.unit_absent(sid, year):
        if not explain:
            return NOT_MET
        notes = ctx.merger_notes(kind, sid, year)
        return Outcome(NOT_MET, "unit_not_existing", {"year": year}, notes=notes)
    if not explain:
        return UNKNOWN
    notes = ctx.merger_notes(kind, sid, year)
    return Outcome(UNKNOWN, "rating_missing", {"year": year}, notes=notes)


def rating_at_least_many(p, ctx: Ctx, kind, sids, code) -> list[str]:
    """`rating_at_least` in status-only mode for many subjects: a person's rating that
    stands as recorded is read here, anything else is asked of `rating_at_least`."""
    if kind != IND:
        return [rating_at_least(p, ctx, kind, sid, code, False) for sid in sids]
    year = ctx.year - p["year_offset"]
    recorded = ctx._person_ratings.get(year, EMPTY)
    exceptions = ctx.facts.rating_exceptions(year)
    need = LEVEL_RANK[p["level"]]
    # Ratings that stand as recorded, by a lookup per subject in C; the rest (no rating
    # recorded, or one that cannot stand as recorded) asked of `rating_at_least`.
    status = {rank: MET if rank >= need else NOT_MET for rank in LEVEL_OF_RANK}
    status[None] = None
    found = list(map(status.__getitem__, map(recorded.get, sids)))
    index = range(len(sids))
    asked = compress(index, map(operator.is_, found, repeat(None)))
    if exceptions:
        asked = chain(asked, compress(index, map(exceptions.__contains__, sids)))
    for i in asked:
        found[i] = rating_at_least(p, ctx, kind, sids[i], code, False)
    return found


def rating_streak(p, ctx: Ctx, kind, sid, code, explain) -> Outcome | str:
    n, need = p["years"], LEVEL_RANK[p["level"]]
    first, last = ctx.year - n + 1, ctx.year
    span = _years(first, last) if explain else ""
    notes = ctx.merger_notes(kind, sid, first) if explain else ()
    if kind == IND:
        floor, d = ctx.discipline_floor(sid)
        if floor is not None and floor > first:
            return _discipline_cut(d, floor, span) if explain else NOT_MET
    missing = []
    for year in range(first, last + 1):
        rank = ctx.rating(kind, sid, year)
        if rank is None:
            months = ctx.not_rated(kind, sid, year)
            if months is not None:
                if not explain:
                    return NOT_MET
                args = {"year": year, "months": months, "years": span}
                return Outcome(NOT_MET, "streak_not_rated", args)
            if kind == COLL and ctx.unit_absent(sid, year):
                if not explain:
                    return NOT_MET
                return Outcome(NOT_MET, "unit_not_existing", {"year": year}, notes=notes)
            missing.append(year)
        elif rank < need:
            if not explain:
                return NOT_MET
            args = {"rating": LEVEL_OF_RANK[rank], "year": year, "level": p["level"], "years": span}
            recorded = ctx._person_ratings.get(year, EMPTY).get(sid) if kind == IND else None
            if recorded is not None and recorded != rank:  # capped by an absence
                args["problem"] = ctx.standing_rank(sid, year, recorded)[1]
                return Outcome(NOT_MET, "streak_capped", args, notes=notes)
            return Outcome(NOT_MET, "streak_broken", args, notes=notes)
    if missing:
        if not explain:
            return UNKNOWN
        return Outcome(UNKNOWN, "streak_missing", {"missing": missing, "years": span}, notes=notes)
    if not explain:
        return MET
    return Outcome(MET, "streak_met", {"level": p["level"], "years": span}, notes=notes)


def _discipline_cut(d, floor, span) -> Outcome:
    args = {
        "measure": d.measure,
        "decision": d.decision_number or "—",
        "end": d.end or "…",
        "from_year": floor,
        "years": span,
    }
    return Outcome(NOT_MET, "streak_discipline", args)
