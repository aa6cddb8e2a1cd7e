"""What the pages and the API show of the eligibility engine: one engine run per page or
request, limited to the user's scope, and the results explained only for the rows shown.

The engine (`engine.run`, `engine.suggestions`) is the service; these functions choose
what to run for a person, a unit or a unit's subtree, filter and order its results, and
explain them for display. Every function takes the `user` whose scope
(`thidua.accounts.scope`) limits the population; the views check beforehand that the
person or unit itself is in scope.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Min, Q

from thidua.org.models import Person, Unit
from thidua.rules.definitions import COLL, IND, get_definitions
from thidua.rules.engine import VERDICTS, CriterionResult, Evaluation, Result, run, suggestions
from thidua.vietnamese import sort_key


def annual_codes(subject: str) -> list[str]:
    """The titles and forms evaluated every year for a subject kind (catalog order)."""
    return [
        code
        for code, award in get_definitions().awards.items()
        if award.annual and subject in award.entry.subjects
    ]


@dataclass(frozen=True)
class Explained:
    """A result with its criteria explained once, for a page: `missing` are the criteria
    not met or unknown (what the subject lacks), `articles` the legal basis cited."""

    result: Result
    criteria: list[CriterionResult]

    @property
    def missing(self) -> list[CriterionResult]:
        return [c for c in self.criteria if c.outcome != "met"]

    @property
    def actions(self) -> list[str]:
        """What would resolve the open criteria, each action once."""
        return list(dict.fromkeys(a for c in self.criteria for a in c.actions))

    @property
    def kind_slug(self) -> str:
        """The subject kind as the explanation page's URL spells it."""
        kind = self.result.subject_kind
        return "ca-nhan" if kind == IND else "don-vi" if kind == COLL else "ho-gia-dinh"

    @property
    def articles(self) -> list[str]:
        """Each text cited once (criteria cite "Law X, Article n; Decree Y" in parts)."""
        parts = (part.strip() for c in self.criteria for part in c.article.split(";"))
        return list(dict.fromkeys(part for part in parts if part))


def explain(results, *, by_rank: bool = False) -> list[Explained]:
    """Explain each result (the sentences are rendered in the active language); `by_rank`:
    up the ladder of titles and forms (LĐTT, CSTĐ cơ sở, …)."""
    if by_rank:
        order = award_order()
        results = sorted(results, key=lambda r: order[r.award_code])
    return [Explained(r, r.criteria) for r in results]


def award_order() -> dict[str, int]:
    """Award code → its place up the ladder (rank, then code)."""
    awards = get_definitions().awards
    ranked = sorted(awards, key=lambda code: (awards[code].rank, code))
    return {code: i for i, code in enumerate(ranked)}


def person_eligibility(person: Person, year: int, *, user, as_of=None) -> Evaluation:
    """Every annual individual title and form for the person in `year` (one run)."""
    return run(
        year,
        # No unit as collectives (what `units=None` with `people` means too), said
        # explicitly: with None, a user whose scope is a large share of the units (a
        # province's officer) made the run "wide", which reads the whole tables of
        # employments and awards to choose this one person's rows in Python (half a second
        # of CPU at 100,000 people instead of 20 ms).
        units=(),
        subtree=False,
        people=[person],
        award_codes=annual_codes(IND),
        subjects=(IND,),
        as_of=as_of,
        user=user,
    )


def unit_eligibility(unit: Unit, year: int, *, user, as_of=None) -> Evaluation:
    """The unit's own annual collective titles in `year` (one run; its members' facts are
    loaded for the criteria that count them, its sub-units are not evaluated)."""
    return run(
        year,
        units=[unit],
        subtree=False,
        award_codes=annual_codes(COLL),
        subjects=(COLL,),
        as_of=as_of,
        user=user,
    )


def unit_suggestions(unit: Unit, year: int, *, user) -> list[Result]:
    """Who in the unit's subtree has just become eligible for a higher form
    (`engine.suggestions`), within the user's scope."""
    return suggestions(unit, year, user=user)


def subtree_results(
    unit: Unit,
    year: int,
    *,
    user,
    award: str | None = None,
    verdict: str | None = None,
    as_of: datetime.date | None = None,
) -> tuple[Evaluation, list[Result]]:
    """Every annual title (or `award`) for the unit's subtree in `year` — the units as
    collectives, the people employed in them as individuals — and the results with
    `verdict` (all when None), by award up the ladder, collectives first, then in
    Vietnamese order of names (see `ordered`). One run."""
    evaluation = run(
        year, units=[unit], award_codes=[award] if award else None, as_of=as_of, user=user
    )
    return evaluation, ordered(evaluation, verdict=verdict)


def ordered(evaluation: Evaluation, *, verdict: str | None = None) -> list[Result]:
    """The run's results with `verdict` (all when None), by award up the ladder,
    collectives first, then in Vietnamese order of names."""
    order = award_order()
    chosen = [r for r in evaluation.results if verdict is None or r.verdict == verdict]
    names: dict = {}

    def key(r: Result):
        name = names.get((r.subject_kind, r.subject_id))
        if name is None:
            name = names[(r.subject_kind, r.subject_id)] = sort_key(r.subject_name)
        return (order[r.award_code], r.subject_kind != COLL, name, r.subject_id)

    chosen.sort(key=key)
    return chosen


def verdict_counts(evaluation: Evaluation) -> list[tuple[str, dict[str, int]]]:
    """(award code, {verdict: count}) for every award of the run, up the ladder."""
    counts: dict[str, dict[str, int]] = {}
    for code, _kind, _sid, verdict, _attest in evaluation.results.verdicts():
        row = counts.setdefault(code, dict.fromkeys(VERDICTS, 0))
        row[verdict] += 1
    order = award_order()
    return sorted(counts.items(), key=lambda item: order[item[0]])


def person_years(person: Person, today: datetime.date) -> list[int]:
    """The years the person was employed, newest first, up to this year (one query); at
    least this year."""
    span = person.employments.aggregate(
        first=Min("start"), last_end=Max("end"), still=Count("pk", filter=Q(end__isnull=True))
    )
    if span["first"] is None:
        return [today.year]
    last = today.year
    if not span["still"]:
        last = min(last, (span["last_end"] - datetime.timedelta(days=1)).year)
    first = min(span["first"].year, last)
    return list(range(last, first - 1, -1))
