"""The checks that award criteria are composed of (the vocabulary in `definitions.CHECKS`).

Each check is compiled once per evaluation into a function
`(ctx, subject_kind, subject_id, award_code, explain) -> outcome` over the in-memory facts
of `facts.Facts`; nothing here touches the database. Every check is written once and
answers in two modes from the same logic:

- `explain=True`: an `Outcome` — `met`, `not_met` or `unknown`, with a message id and its
  arguments (rendered later, see `messages.py`) and the outcomes of sub-criteria;
- `explain=False`: only the status, one of `MET`, `NOT_MET`, `UNKNOWN` or `ATTEST`
  (unknown because a judgement of the council is needed). This is what a whole-province
  run computes: no arguments, no sentences, no objects per criterion. The engine asks for
  the explanation of a result only when it is shown.

Missing data is `unknown`, never `met`.

Cross-cutting rules applied here (docs/legal/titles.md):
- sudden and thematic awards never count toward a criterion (Decree 152/2025 Điều 4(3));
- a disciplinary period cuts streaks and windows: years up to the end of the period do not
  count (Điều 4(4));
- maternity leave counts as work (Điều 4(5)): it neither shortens the months worked nor
  breaks a streak;
- fewer than 6 months worked in a year means not rated for that year (Decree 90/2020).
"""

import datetime
from collections import defaultdict
from functools import partial
from typing import NamedTuple

from thidua.records.choices import DisciplineMeasure
from thidua.rules import sources
from thidua.rules.definitions import COLL, IND, Criterion, Definitions, RuleSet
from thidua.rules.facts import (
    HISTORY_KINDS,
    LEVEL_OF_RANK,
    LEVEL_RANK,
    MEASURE_RANK,
    SCOPE_RANK,
    Facts,
)
from thidua.rules.messages import Fragment
from thidua.vietnamese import fold

MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"
# Status-only mode: unknown because a judgement of the council (an attestation) is needed.
ATTEST = "attest"
MIN_MONTHS_RATED = 6  # Decree 90/2020: fewer than 6 months worked → not rated
EMPTY: dict = {}
# Verdicts (the engine's vocabulary; sub-evaluations read them here).
ELIGIBLE, NOT_ELIGIBLE, NEEDS_ATTESTATION, DEFERRED = (
    "eligible",
    "not_eligible",
    "needs_attestation",
    "deferred",
)


class Outcome(NamedTuple):
    status: str
    key: str
    args: dict
    children: tuple = ()  # ((Compiled, Outcome), ...) for composites and sub-evaluations
    notes: tuple = ()  # ((message id, args), ...)
    attest: bool = False  # unknown only because a judgement (attestation) is needed


class Compiled(NamedTuple):
    criterion: Criterion
    fn: object  # (ctx, kind, sid, code, explain) -> Outcome | status
    notes: tuple  # static notes: deployment parameters the criterion reads


def status_of(outcome: Outcome) -> str:
    """The status-only answer for an outcome."""
    if outcome.status == UNKNOWN and outcome.attest:
        return ATTEST
    return outcome.status


def _years(first: int, last: int) -> str:
    return f"{first}–{last}" if first != last else str(first)


class Ctx:
    """What every check reads: the facts, the year, the evaluation day, the parameters.

    The engine subclasses it and answers `verdict()` and `sub()` for criteria that refer
    to another award's criteria (the engine is its own context: no reference cycle, so a
    finished evaluation is freed by reference counting alone)."""

    def __init__(
        self,
        facts: Facts,
        year: int,
        day: datetime.date,
        params: dict,
        definitions: Definitions,
        rule_set: RuleSet,
        effective: RuleSet,
    ):
        self.facts = facts
        self.year = year
        self.day = day
        self.params = params
        self.definitions = definitions
        self.rule_set = rule_set
        self.effective = effective
        self.excluded = effective.excluded_types | rule_set.excluded_types
        self.carried = params["collective_history_across_merger"] == "carried"
        self.streak_min_rank = MEASURE_RANK[params["discipline_streak_min_measure"]]
        # Suggestions: alternatives open only through a judgement of the council are
        # closed (see `_composite`); every other run leaves them open.
        self.records_only = False
        self.block_leaders: dict = {}
        self.registered_people: dict = {}
        self.registered_units: dict = {}
        self._floor: dict = {}
        self._held: dict = {}
        self._folded: dict[str, str] = {}
        self._person_ratings = facts.person_ratings
        self._person_awards = facts.person_awards
        self._unit_ratings = facts.unit_ratings
        self.initiative_awards = _initiative_awards(definitions)

    # --- sub-evaluations (answered by the engine) -------------------------------------------

    def verdict(self, code: str, kind: str, sid: int) -> tuple[str, bool | None]:
        """(verdict, attest_only) of `code` for the subject; attest_only is None when the
        verdict is not_eligible (not needed, not computed)."""
        raise NotImplementedError

    def sub(self, code: str, kind: str, sid: int):
        """The explained evaluation (`engine.Evaluated`) of `code` for the subject."""
        raise NotImplementedError

    # --- awards ----------------------------------------------------------------------------

    def awards(self, kind: str, sid: int) -> dict:
        source = self.facts.person_awards if kind == IND else self.facts.unit_awards
        return source.get(sid, EMPTY)

    def held_years(self, kind, sid, code) -> dict:
        """Year → the counted award of `code` covering it (valid, and not of a type excluded
        from merit criteria), memoised per subject and code."""
        items = self.awards(kind, sid).get(code)
        if not items:
            return EMPTY
        key = (kind, sid, code)
        held = self._held.get(key)
        if held is None:
            held = {}
            for a in items:
                if a.type not in self.excluded:
                    for y in range(a.first_year, a.last_year + 1):
                        held.setdefault(y, a)
            self._held[key] = held
        return held

    def covering(self, kind, sid, code, year, *, counted=True):
        """Awards of `code` whose achievement period covers `year` (counted ones only by
        default)."""
        if counted:
            award = self.held_years(kind, sid, code).get(year)
            return [award] if award else []
        return [
            a for a in self.awards(kind, sid).get(code, ()) if a.first_year <= year <= a.last_year
        ]

    def any_covering(self, kind, sid, code, year) -> bool:
        """Some valid award of `code` (counted or not) covers `year`."""
        for a in self.awards(kind, sid).get(code, ()):
            if a.first_year <= year <= a.last_year:
                return True
        return False

    def excluded_covering(self, kind, sid, code, years):
        return [
            a
            for a in self.awards(kind, sid).get(code, ())
            if a.type in self.excluded and any(a.first_year <= y <= a.last_year for y in years)
        ]

    def unit_covering(self, uid, code, year):
        """A unit's awards covering `year`, with its merged predecessors' when the
        deployment carries collective history across mergers (every predecessor must hold
        it). Returns (awards, used_predecessors)."""
        own = self.covering(COLL, uid, code, year)
        if own:
            return own, False
        merges = self._merges_before(uid, year)
        if not merges or not self.carried:
            return [], False
        found = []
        for merge in merges:
            held = self.covering(COLL, merge.predecessor_id, code, year)
            if not held:
                return [], False
            found.extend(held)
        return found, True

    def holds(self, kind, sid, code, year) -> bool:
        """The subject holds a counted award of `code` for `year` (for a unit, through its
        merged predecessors when carried)."""
        if kind == IND:
            by_code = self._person_awards.get(sid)
            return bool(by_code) and code in by_code and year in self.held_years(IND, sid, code)
        return bool(self.unit_covering(sid, code, year)[0])

    # --- ratings ---------------------------------------------------------------------------

    def rating(self, kind: str, sid: int, year: int):
        """The rank of the rating of `year` (None if not recorded); for a unit, with the
        merged predecessors' when carried (the lowest of them, all must be rated)."""
        if kind == IND:
            return self._person_ratings.get(year, EMPTY).get(sid)
        own = self._unit_ratings.get(sid, EMPTY).get(year)
        if own is not None:
            return own
        merges = self._merges_before(sid, year)
        if not merges or not self.carried:
            return None
        ranks = [self._unit_ratings.get(m.predecessor_id, EMPTY).get(year) for m in merges]
        return None if any(r is None for r in ranks) else min(ranks)

    def not_rated(self, kind: str, sid: int, year: int):
        """For a person without a rating: the months worked when fewer than 6 (→ not rated),
        else None."""
        if kind != IND:
            return None
        months = self.facts.months_worked(sid, year)
        return months if months is not None and months < MIN_MONTHS_RATED else None

    def unit_absent(self, uid: int, year: int) -> bool:
        """The unit did not exist in `year` (and no carried predecessor stands for it)."""
        unit = self.facts.units.get(uid)
        if unit is None:
            return False
        before = unit.established_on and unit.established_on > datetime.date(year, 12, 31)
        after = unit.dissolved_on and unit.dissolved_on <= datetime.date(year, 1, 1)
        if not (before or after):
            return False
        return not (self.carried and self._merges_before(uid, year))

    def _merges_before(self, uid: int, year: int):
        """Merges into the unit that took effect after `year` ended."""
        merges = self.facts.merged_into.get(uid)
        if not merges:
            return ()
        end = datetime.date(year + 1, 1, 1)
        return [m for m in merges if m.date >= end]

    def merger_notes(self, kind: str, sid: int, first_year: int) -> tuple:
        if kind != COLL:
            return ()
        merges = self._merges_before(sid, first_year)
        if not merges:
            return ()
        names = tuple(
            self.facts.units[m.predecessor_id].name
            for m in merges
            if m.predecessor_id in self.facts.units
        )
        key = "merger_carried" if self.carried else "merger_not_carried"
        return ((key, {"units": names, "day": merges[0].date}),)

    # --- discipline ------------------------------------------------------------------------

    def discipline_floor(self, pid: int):
        """(first year that counts again, the discipline) after the latest disciplinary
        period that breaks streaks and began by the end of the evaluated year; (None, None)
        when none did (Decree 152/2025 Điều 4(4))."""
        disciplines = self.facts.disciplines.get(pid)
        if not disciplines:
            return (None, None)
        if pid in self._floor:
            return self._floor[pid]
        result = (None, None)
        end_of_year = datetime.date(self.year + 1, 1, 1)
        for d in disciplines:
            if d.rank < self.streak_min_rank or d.start >= end_of_year:
                continue
            last_day = (d.end - datetime.timedelta(days=1)) if d.end else None
            floor = last_day.year + 1 if last_day else self.year + 1
            if result[0] is None or floor > result[0]:
                result = (floor, d)
        self._floor[pid] = result
        return result

    def folded(self, text: str) -> str:
        """`vietnamese.fold(text)`, memoised (positions repeat across a population)."""
        found = self._folded.get(text)
        if found is None:
            found = self._folded[text] = fold(text)
        return found

    # --- checks every evaluation makes -----------------------------------------------------

    def pending_review(self, kind: str, sid: int):
        """The review, inspection or complaint pending on the evaluation day, or None."""
        source = self.facts.person_reviews if kind == IND else self.facts.unit_reviews
        for review in source.get(sid, ()):
            if review.start <= self.day and (review.end is None or review.end > self.day):
                return review
        return None


def _initiative_awards(definitions: Definitions) -> dict[str, str]:
    """Award code → category (title/form) for awards whose criteria count initiatives."""
    found = {}
    for award in definitions.awards.values():
        for criteria in award.rules.values():
            stack = list(criteria)
            while stack:
                c = stack.pop()
                stack.extend(c.options)
                if c.check == "initiative" or (
                    c.check == "since_award" and c.params["initiatives"]
                ):
                    found[award.code] = award.entry.kind
    return found


# --- checks --------------------------------------------------------------------------------
# Each takes (params, ctx, kind, sid, code, explain). In status-only mode (`explain`
# false) a check returns as soon as its status is known and builds no arguments.


def rating_at_least(p, ctx: Ctx, kind, sid, code, explain) -> Outcome | str:
    year = ctx.year - p["year_offset"]
    if kind == IND:  # ctx.rating(), inlined: read for everyone
        rank = ctx._person_ratings.get(year, EMPTY).get(sid)
    else:
        rank = ctx.rating(kind, sid, year)
    if rank is not None:
        met = rank >= LEVEL_RANK[p["level"]]
        if not explain:
            return MET if met else NOT_MET
        args = {"rating": LEVEL_OF_RANK[rank], "year": year, "level": p["level"]}
        notes = ctx.merger_notes(kind, sid, year)
        if met:
            return Outcome(MET, "rating_met", args, notes=notes)
        return Outcome(NOT_MET, "rating_below", args, notes=notes)
    months = ctx.not_rated(kind, sid, year)
    if months is not None:
        if not explain:
            return NOT_MET
        return Outcome(NOT_MET, "not_rated_months", {"months": months, "year": year})
    if kind == COLL and ctx.unit_absent(sid, year):
        if not explain:
            return NOT_MET
        notes = ctx.merger_notes(kind, sid, year)
        return Outcome(NOT_MET, "unit_not_existing", {"year": year}, notes=notes)
    if not explain:
        return UNKNOWN
    notes = ctx.merger_notes(kind, sid, year)
    return Outcome(UNKNOWN, "rating_missing", {"year": year}, notes=notes)


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


def _held(ctx: Ctx, kind, sid, code, year):
    if kind == IND:
        return ctx.covering(IND, sid, code, year), False
    return ctx.unit_covering(sid, code, year)


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


def consecutive_awards(p, ctx: Ctx, kind, sid, code, explain) -> Outcome | str:
    target, count = p["award"], p["count"]
    last = _streak_end(ctx)
    counted = [a for a in ctx.awards(kind, sid).get(target, ()) if a.type not in ctx.excluded]

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
            return _pending_current(ctx, kind, sid, target, held, explain)
    if not explain:
        return NOT_MET
    args = {"found": len(chain), "award": target, "year": last, "count": count}
    return Outcome(NOT_MET, "consecutive_missing", args)


def meets_award(p, ctx: Ctx, kind, sid, code, explain) -> Outcome | str:
    target = p["award"]
    if not explain:
        if ctx.holds(kind, sid, target, ctx.year):
            return MET
        verdict, attest_only = ctx.verdict(target, kind, sid)
        if verdict == ELIGIBLE:
            return MET
        if (
            verdict == NEEDS_ATTESTATION
            and attest_only
            and ctx.covering(kind, sid, code, ctx.year, counted=False)
        ):
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
    # The decision conferring the evaluated award attests the judgements of the standard it
    # builds on (TTLĐXS "outstanding among the TTLĐTT"): only the facts must still hold.
    outer = ctx.covering(kind, sid, code, ctx.year, counted=False)
    if outer and sub.verdict == NEEDS_ATTESTATION and sub.attest_only:
        args["decision"] = outer[0].decision_number
        return Outcome(MET, "standard_attested", args, children=children)
    if sub.verdict == NOT_ELIGIBLE:
        return Outcome(NOT_MET, "standard_not_met", args, children=children)
    return Outcome(UNKNOWN, "standard_unknown", args, children=children, attest=sub.attest_only)


def since_award(p, ctx: Ctx, kind, sid, code, explain) -> Outcome | str:
    """ "Already has award B, then ≥ N consecutive years after it up to the proposal, all
    rated ≥ level, with counts of titles, ratings and initiatives in that window"
    (Law Điều 73(1)(b), 44(1)(e)). The window starts the year after B's achievement year
    (or in it: deployment parameter window_first_year) and after the last award of the
    evaluated form itself."""
    year = ctx.year
    included = ctx.params["window_first_year"] == "included"
    awards = ctx.awards(kind, sid)
    prior = sorted(
        (
            a
            for a in awards.get(p["award"], ())
            if a.type not in ctx.excluded and a.last_year < year
        ),
        key=lambda a: a.last_year,
        reverse=True,
    )
    if not prior and not explain:
        return NOT_MET
    notes = ctx.merger_notes(kind, sid, year - p["years"] + 1)
    excluded = [a for a in awards.get(p["award"], ()) if a.type in ctx.excluded]
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
            "award": p["award"],
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

    # A title of the evaluated year itself may not be decided yet: it keeps the count open.
    def pending(target):
        return 0 if _held(ctx, kind, sid, target, year)[0] else 1

    def title_count(target):
        return sum(1 for y in range(start, year + 1) if _held(ctx, kind, sid, target, y)[0])

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


def _value(ctx: Ctx, value):
    return ctx.params[value[1:]] if isinstance(value, str) and value.startswith("@") else value


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


def _in_year(d, year):
    return d.start < datetime.date(year + 1, 1, 1) and (
        d.end is None or d.end > datetime.date(year, 1, 1)
    )


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


def _members(ctx: Ctx, uid):
    return ctx.facts.members(uid, ctx.year, ctx.params["member_min_months"])


def _no_members(ctx: Ctx, explain) -> Outcome | str:
    if not explain:
        return UNKNOWN
    return Outcome(
        UNKNOWN, "no_members", {"months": ctx.params["member_min_months"], "year": ctx.year}
    )


def share_of_members(p, ctx: Ctx, kind, uid, code, explain) -> Outcome | str:
    """Share of the unit's members (people employed in it at least `member_min_months`
    months of the year) for whom a condition holds; members whose status is not decided
    yet make the outcome `unknown` unless the share is reached, or missed, without them."""
    members = _members(ctx, uid)
    if not members:
        return _no_members(ctx, explain)
    yes = no = 0
    year = ctx.year
    if p["condition"] == "ldtt":
        for pid in members:
            if ctx.holds(IND, pid, "LDTT", year) or ctx.holds(IND, pid, "CSTDCS", year):
                yes += 1
            elif ctx.verdict("LDTT", IND, pid)[0] == NOT_ELIGIBLE:
                no += 1
        key = "share_ldtt"
    else:
        need = LEVEL_RANK[p["level"]]
        for pid in members:
            rank = ctx.rating(IND, pid, year)
            if rank is None:
                if ctx.not_rated(IND, pid, year) is not None:
                    no += 1
            elif rank >= need:
                yes += 1
            else:
                no += 1
        key = "share_rating"
    total = len(members)
    required = float(_value(ctx, p["min_share"]))
    open_ = total - yes - no

    def enough(count):
        share = count / total
        return share > required if p["strict"] else share >= required - 1e-9

    if enough(yes):
        status = MET
    elif not enough(yes + open_):
        status = NOT_MET
    else:
        status = UNKNOWN
    if not explain:
        return status
    args = {
        "yes": yes,
        "total": total,
        "share": yes / total,
        "op": ">" if p["strict"] else "≥",
        "required": required,
        "open": open_,
        "year": year,
        "level": p["level"] or "",
    }
    return Outcome(status, key, args)


def _names(ctx: Ctx, pids, limit=5):
    names = [ctx.facts.people[p].name if p in ctx.facts.people else str(p) for p in pids[:limit]]
    if len(pids) > limit:
        names.append(f"+{len(pids) - limit}")
    return tuple(names)


def no_member_discipline(p, ctx: Ctx, kind, uid, code, explain) -> Outcome | str:
    members = _members(ctx, uid)
    if not members:
        return _no_members(ctx, explain)
    need = MEASURE_RANK[p["min_measure"]]
    disciplines = ctx.facts.disciplines
    hit = [
        pid
        for pid in members
        if pid in disciplines
        and any(d.rank >= need and _in_year(d, ctx.year) for d in disciplines[pid])
    ]
    if hit:
        if not explain:
            return NOT_MET
        args = {"names": _names(ctx, hit), "measure": p["min_measure"], "year": ctx.year}
        return Outcome(NOT_MET, "member_discipline_found", args)
    if not explain:
        return MET
    args = {"total": len(members), "measure": p["min_measure"], "year": ctx.year}
    return Outcome(MET, "member_discipline_none", args)


def member_holds_award(p, ctx: Ctx, kind, uid, code, explain) -> Outcome | str:
    members = _members(ctx, uid)
    if not members:
        return _no_members(ctx, explain)
    target, year = p["award"], ctx.year
    if not explain:
        return MET if any(ctx.holds(IND, pid, target, year) for pid in members) else NOT_MET
    holders = [pid for pid in members if ctx.holds(IND, pid, target, year)]
    args = {"award": target, "year": year}
    if holders:
        return Outcome(MET, "member_holds", {**args, "names": _names(ctx, holders)})
    return Outcome(NOT_MET, "member_holds_none", args)


def leads_block(p, ctx: Ctx, kind, uid, code, explain) -> Outcome | str:
    fact = ctx.block_leaders.get(uid)
    if fact is None:
        return Outcome(UNKNOWN, "leads_block_unknown", {"year": ctx.year}) if explain else UNKNOWN
    if not explain:
        return MET if fact.value else NOT_MET
    args = {"year": ctx.year, "evidence": fact.evidence or "—"}
    return Outcome(
        MET if fact.value else NOT_MET, "leads_block_yes" if fact.value else "leads_block_no", args
    )


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


def _prepare_post_tenure(p: dict) -> dict:
    """The posts folded once (not for every person): longest name first."""
    posts = sorted(
        ((fold(name), name, years) for name, years in p["posts"].items()), key=lambda t: -len(t[0])
    )
    return {**p, "_posts": tuple(posts)}


# Derived parameters computed once when a criterion is compiled.
PREPARE = {"post_tenure": _prepare_post_tenure}

CHECK_FUNCTIONS = {
    "rating_at_least": rating_at_least,
    "rating_streak": rating_streak,
    "title_streak": title_streak,
    "consecutive_awards": consecutive_awards,
    "meets_award": meets_award,
    "since_award": since_award,
    "initiative": initiative,
    "no_discipline": no_discipline,
    "share_of_members": share_of_members,
    "no_member_discipline": no_member_discipline,
    "member_holds_award": member_holds_award,
    "leads_block": leads_block,
    "post_tenure": post_tenure,
    "attest": attest,
}

# Deployment parameters a check reads besides its own "@" references (named in the
# explanation, since their defaults rest on [UNVERIFIED] readings).
IMPLICIT_PARAMETERS = {
    "title_streak": ("current_year_is_streak_end",),
    "consecutive_awards": ("current_year_is_streak_end",),
    "since_award": ("window_first_year",),
    "initiative": ("initiative_reuse_across_titles",),
}


def _composite(options: tuple, every: bool):
    """any_of / all_of. For `Ctx.records_only` (suggestions), an any_of leaves out its
    alternatives that only a judgement of the council would open (a sudden or exceptional
    achievement): a suggestion must rest on the records."""
    full = _composite_run(options, every)
    judged = [c for c in options if c.criterion.check == "attest"]
    if every or not judged:
        return full
    kept = tuple(c for c in options if c.criterion.check != "attest")
    on_records = _composite_run(kept, every) if kept else _no_route

    def run(ctx, kind, sid, code, explain):
        return (on_records if ctx.records_only else full)(ctx, kind, sid, code, explain)

    return run


def _no_route(ctx, kind, sid, code, explain):
    return Outcome(NOT_MET, "any_not_met", {}) if explain else NOT_MET


def _composite_run(options: tuple, every: bool):
    fns = tuple(compiled.fn for compiled in options)

    def run(ctx, kind, sid, code, explain):
        if not explain:
            unknown = attest_any = False
            attest_all = True
            for fn in fns:
                status = fn(ctx, kind, sid, code, False)
                if status == MET:
                    if not every:
                        return MET
                elif status == NOT_MET:
                    if every:
                        return NOT_MET
                else:
                    unknown = True
                    if status == ATTEST:
                        attest_any = True
                    else:
                        attest_all = False
            if every:
                return (ATTEST if attest_all else UNKNOWN) if unknown else MET
            return (ATTEST if attest_any else UNKNOWN) if unknown else NOT_MET
        children = []
        for compiled in options:
            outcome = compiled.fn(ctx, kind, sid, code, True)
            children.append((compiled, outcome))
            if not every and outcome.status == MET:
                return Outcome(
                    MET, "any_met", {"option": compiled.criterion.id}, children=tuple(children)
                )
        statuses = [o.status for _c, o in children]
        if every:
            if NOT_MET in statuses:
                return Outcome(NOT_MET, "all_not_met", {}, children=tuple(children))
            if UNKNOWN in statuses:
                attest_only = all(o.attest for _c, o in children if o.status == UNKNOWN)
                return Outcome(
                    UNKNOWN, "all_unknown", {}, children=tuple(children), attest=attest_only
                )
            return Outcome(MET, "all_met", {}, children=tuple(children))
        if UNKNOWN in statuses:
            attest_any = any(o.attest for _c, o in children if o.status == UNKNOWN)
            return Outcome(UNKNOWN, "any_unknown", {}, children=tuple(children), attest=attest_any)
        return Outcome(NOT_MET, "any_not_met", {}, children=tuple(children))

    return run


def compile_criterion(criterion: Criterion, params: dict) -> Compiled:
    """Bind a criterion's parameters (resolving "@name" deployment parameters) into a
    function of (ctx, subject kind, subject id, award code, explain)."""
    notes = []
    for name in IMPLICIT_PARAMETERS.get(criterion.check, ()):
        notes.append(("parameter", {"name": name, "value": params[name]}))
    bound = {}
    for key, value in criterion.params.items():
        if isinstance(value, str) and value.startswith("@"):
            notes.append(("parameter", {"name": value[1:], "value": params[value[1:]]}))
            value = params[value[1:]]
        elif isinstance(value, dict):
            for inner in value.values():
                if isinstance(inner, str) and inner.startswith("@"):
                    notes.append(("parameter", {"name": inner[1:], "value": params[inner[1:]]}))
        bound[key] = value
    if criterion.check in ("any_of", "all_of"):
        options = tuple(compile_criterion(o, params) for o in criterion.options)
        fn = _composite(options, criterion.check == "all_of")
    else:
        prepare = PREPARE.get(criterion.check)
        fn = partial(CHECK_FUNCTIONS[criterion.check], prepare(bound) if prepare else bound)
    return Compiled(criterion, fn, tuple(notes))


# --- how far back the criteria read ---------------------------------------------------------

# Every kind of history read for the evaluated year only, and read without bound.
ONLY_THIS_YEAR = dict.fromkeys(HISTORY_KINDS, 0)
UNBOUNDED = dict.fromkeys(HISTORY_KINDS)


def widest(*reaches: dict) -> dict:
    """The union of reaches: the longest per kind of history, None (unbounded) winning."""
    found: dict = {}
    for reach_ in reaches:
        for kind, years in reach_.items():
            if years is None or found.get(kind, 0) is None:
                found[kind] = None
            else:
                found[kind] = max(found.get(kind, 0), years)
    return found


def reach(criteria, params: dict, referred) -> dict:
    """How many years before the evaluated one the criteria read, per kind of history
    (`facts.HISTORY_KINDS`: ratings — with the employments that say whether a year was
    worked —, awards, initiatives); None when unbounded (an earlier award of any age,
    tenure over a career). `referred(code)` gives the reach of another award's criteria
    for the same rule set and subject (`meets_award`, a title of the evaluated year not
    decided yet), `referred(code, IND)` that of an individual award (a collective's
    members). The facts are loaded for these windows only."""
    found = dict(ONLY_THIS_YEAR)
    for c in criteria:
        p = c.params
        check = c.check
        if check in ("any_of", "all_of"):
            years = reach(c.options, params, referred)
        elif check == "rating_at_least":
            years = {"ratings": p["year_offset"]}
        elif check == "rating_streak":
            years = {"ratings": p["years"] - 1}
        elif check == "title_streak":
            shift = 0 if params["current_year_is_streak_end"] else 1
            years = widest({"awards": p["years"] - 1 + shift}, referred(p["award"]))
        elif check == "meets_award":
            years = referred(p["award"])
        elif check == "initiative":
            # and the awards that may have used an initiative of the window
            years = dict.fromkeys(("initiatives", "awards"), p["window_years"] - 1)
        elif check == "share_of_members" and p["condition"] == "ldtt":
            years = referred("LDTT", IND)
        elif check in ("consecutive_awards", "since_award", "post_tenure"):
            years = UNBOUNDED
        else:  # the evaluated year only
            years = {}
        found = widest(found, years)
    return found


# --- checks every evaluation makes (not written in the award files) ------------------------


def under_review(ctx: Ctx, kind, sid, code, explain=True) -> Outcome | str:
    """Defer while a review, inspection or complaint is pending (Decree 152/2025 Điều 4(4))."""
    review = ctx.pending_review(kind, sid)
    if review is not None:
        if not explain:
            return NOT_MET
        return Outcome(NOT_MET, "review_pending", {"kind": review.kind, "start": review.start})
    return Outcome(MET, "review_none", {"day": ctx.day}) if explain else MET


def unit_active(ctx: Ctx, kind, uid, code, explain=True) -> Outcome | str:
    """No award to a unit dissolved through reorganisation (Circular 15/2025)."""
    unit = ctx.facts.units.get(uid)
    if unit and unit.dissolved_on and unit.dissolved_on <= ctx.day:
        if not explain:
            return NOT_MET
        return Outcome(NOT_MET, "unit_dissolved", {"dissolved": unit.dissolved_on})
    return Outcome(MET, "unit_active", {"day": ctx.day}) if explain else MET


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


DISCIPLINE_LADDER = tuple(DisciplineMeasure.values)
