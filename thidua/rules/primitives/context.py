"""What every check reads: `Ctx`, the facts of one evaluation and their memoised views."""

import datetime

from thidua.records.rating_rules import CAPPED_LEVEL, NOT_RATED, problem_for
from thidua.rules.definitions import COLL, HH, IND, Definitions, RuleSet
from thidua.rules.facts import (
    LEVEL_RANK,
    MEASURE_RANK,
    Facts,
)
from thidua.rules.primitives.base import (
    EMPTY,
    MIN_MONTHS_RATED,
)
from thidua.vietnamese import fold


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

    # --- sub-evaluations (answered by the engine) -------------------------------------------

    def verdict(self, code: str, kind: str, sid: int) -> tuple[str, bool | None]:
        """(verdict, attest_only) of `code` for the subject; attest_only is None when the
        verdict is not_eligible (not needed, not computed)."""
        raise NotImplementedError

    def verdicts(self, code: str, kind: str, sids) -> list[tuple[str, bool | None]]:
        """`verdict()` of `code` for each of the subjects `sids` of one kind."""
        raise NotImplementedError

    def sub(self, code: str, kind: str, sid: int):
        """The explained evaluation (`engine.Evaluated`) of `code` for the subject."""
        raise NotImplementedError

    # --- awards ----------------------------------------------------------------------------

    def awards(self, kind: str, sid: int) -> dict:
        if kind == HH:
            return self.facts.household_awards.get(sid, EMPTY)
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
            return bool(by_code) and counted_cover(by_code.get(code), year, self.excluded)
        return bool(self.unit_covering(sid, code, year)[0])

    # --- ratings ---------------------------------------------------------------------------

    def rating(self, kind: str, sid: int, year: int):
        """The rank of the rating of `year` (None if not recorded); for a unit, with the
        merged predecessors' when carried (the lowest of them, all must be rated)."""
        if kind == IND:
            rank = self._person_ratings.get(year, EMPTY).get(sid)
            if rank is None:
                return None
            return self.standing_rank(sid, year, rank)[0]
        own = self._unit_ratings.get(sid, EMPTY).get(year)
        if own is not None:
            return own
        merges = self._merges_before(sid, year)
        if not merges or not self.carried:
            return None
        ranks = [self._unit_ratings.get(m.predecessor_id, EMPTY).get(year) for m in merges]
        return None if any(r is None for r in ranks) else min(ranks)

    def standing_rank(self, pid: int, year: int, rank: int) -> tuple:
        """(the rank a recorded rating stands at, the problem or None): None when the person
        could not be rated that year (fewer than 6 months worked), at most HT when absent
        3 to under 6 months (`records.rating_rules`, Decree 90/2020 Điều 20)."""
        found = self.facts.rating_exceptions(year).get(pid)
        if found is None:
            return rank, None
        recorded, standing, problem = found
        if recorded == rank:
            return standing, problem
        problem = self.facts.rating_problem(pid, year, rank)  # not the recorded rank
        if problem is None:
            return rank, None
        if problem.kind == NOT_RATED:
            return None, problem
        return min(rank, LEVEL_RANK[CAPPED_LEVEL]), problem

    def not_rated_problem(self, kind: str, sid: int, year: int):
        """For a person without a rating that stands: the `RatingProblem` saying why the
        person is not rated (fewer than 6 months worked), else None."""
        if kind != IND:
            return None
        worked, absent, maternity = self.facts.work_in_year(sid, year)
        problem = problem_for(None, year, worked, absent, maternity)
        return problem if problem is not None and problem.kind == NOT_RATED else None

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

    # --- attestations ------------------------------------------------------------------------

    def attestation(self, kind: str, sid: int, code: str, criterion: str):
        """The attestation (or refusal) recorded for the subject's criterion of `code` in
        the evaluated year, or None."""
        by_criterion = self.facts.attestations.get((kind, sid))
        return by_criterion.get((code, criterion)) if by_criterion else None

    # --- checks every evaluation makes -----------------------------------------------------

    def pending_review(self, kind: str, sid: int):
        """The review, inspection or complaint pending on the evaluation day, or None (none
        is recorded on households)."""
        if kind == HH:
            return None
        source = self.facts.person_reviews if kind == IND else self.facts.unit_reviews
        for review in source.get(sid, ()):
            if review.start <= self.day and (review.end is None or review.end > self.day):
                return review
        return None


def counted_cover(items, year: int, excluded) -> bool:
    """Some award of `items` (a subject's awards of one code, or None) covers `year` and is
    counted (its type not `excluded`): `year in Ctx.held_years(…)`, without building the
    years (most people hold one award of a code, for one year)."""
    if items:
        for a in items:
            if a.first_year <= year <= a.last_year and a.type not in excluded:
                return True
    return False


def _held(ctx: Ctx, kind, sid, code, year):
    if kind == IND:
        return ctx.covering(IND, sid, code, year), False
    return ctx.unit_covering(sid, code, year)
