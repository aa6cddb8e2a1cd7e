"""The facts an evaluation reads, loaded for a whole population at once.

`loading.load_facts` runs one query per kind of fact (employments, people, person ratings,
unit ratings, awards, disciplines, absences, initiatives with their authors, pending
reviews, units, merges) whatever the size of the population, and builds the in-memory
indexes of plain tuples keyed by person or unit id defined here (`Facts`). Evaluation is
then pure Python: nothing here is queried per person.
"""

import datetime
from collections import defaultdict
from collections.abc import Mapping
from itertools import filterfalse
from typing import NamedTuple

from thidua.records.choices import RATING_RANK, DisciplineMeasure, Scope
from thidua.records.rating_rules import CAPPED_LEVEL, NOT_RATED, months_in_year, problem_for

SCOPE_RANK = {scope: i for i, scope in enumerate(Scope.values)}
MEASURE_RANK = {measure: i for i, measure in enumerate(DisciplineMeasure.values)}
LEVEL_RANK = {str(level): rank for level, rank in RATING_RANK.items()}
LEVEL_OF_RANK = {rank: level for level, rank in LEVEL_RANK.items()}


class AwardFact(NamedTuple):
    code: str
    type: str
    first_year: int  # achievement period, by year
    last_year: int
    decision_number: str
    id: int


class DisciplineFact(NamedTuple):
    rank: int
    measure: str
    duty_related: bool
    start: datetime.date
    end: datetime.date | None  # exclusive; None while in force
    decision_number: str


class InitiativeFact(NamedTuple):
    id: int
    code: str
    kind: str
    scope_rank: int
    recognised_on: datetime.date
    applied: bool
    replicable: bool
    decision_number: str


class Period(NamedTuple):
    kind: str
    start: datetime.date
    end: datetime.date | None  # exclusive


class AttestationFact(NamedTuple):
    outcome: str
    body_name: str
    decided_on: datetime.date
    minutes_number: str
    minutes_date: datetime.date


class UseFact(NamedTuple):
    """An award that relied on an initiative (`records.AwardInitiative`)."""

    person_id: int | None
    unit_id: int | None
    code: str
    first_year: int
    last_year: int
    decision_number: str


class EmploymentFact(NamedTuple):
    unit_id: int
    position: str
    start: datetime.date
    end: datetime.date | None


class UnitFact(NamedTuple):
    code: str
    name: str
    kind: str
    established_on: datetime.date | None
    dissolved_on: datetime.date | None
    # Dissolved through a reorganisation: absorbed by a merge or divided by a split (the
    # `org` lineage events say why a unit ended; a `dissolve` event is a plain dissolution).
    reorganised: bool = False


class PersonFact(NamedTuple):
    code: str
    family_name: str
    middle_name: str
    given_name: str
    gender: str

    @property
    def name(self) -> str:
        """The full name, assembled when shown (not for each of a province's people)."""
        return " ".join(filter(None, (self.family_name, self.middle_name, self.given_name)))


class HouseholdFact(NamedTuple):
    code: str
    name: str
    commune_id: int


class MergeFact(NamedTuple):
    predecessor_id: int
    date: datetime.date
    decision: str


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)


def overlap_days(start, end, lo, hi) -> int:
    """Days of [start, end) inside [lo, hi); `end` None is open."""
    a = max(start, lo)
    b = min(end or hi, hi)
    return max((b - a).days, 0)


# The kinds of facts whose history is loaded for a window of years before the evaluated
# one (the rest — units, merges, disciplines, reviews — is loaded whole).
HISTORY_KINDS = ("ratings", "awards", "initiatives")


class Facts:
    """In-memory indexes of the facts of one population.

    `first_years` gives, per kind of history (ratings with the employments and absences
    that say whether a year was worked, awards, initiatives), the first year loaded."""

    def __init__(self, year: int, first_years: dict[str, int]):
        self.year = year
        self.first_years = first_years
        self.first_year = min(first_years.values())
        first_year = first_years["ratings"]
        self.people: Mapping[int, PersonFact] = People()
        self.units: dict[int, UnitFact] = {}
        # year → person id → rating rank: a person's rating of a year is two lookups, and
        # a year's dict is shared by every check reading that year.
        self.person_ratings: dict[int, dict[int, int]] = {
            y: {} for y in range(first_year, year + 1)
        }
        self.unit_ratings: dict[int, dict[int, int]] = defaultdict(dict)
        # subject id → award code → facts sorted by last year (valid awards only)
        self.person_awards: dict[int, dict[str, list[AwardFact]]] = defaultdict(dict)
        self.unit_awards: dict[int, dict[str, list[AwardFact]]] = defaultdict(dict)
        # households evaluated (only when asked for), and their awards
        self.households: dict[int, HouseholdFact] = {}
        self.household_awards: dict[int, dict[str, list[AwardFact]]] = defaultdict(dict)
        # subject kind → the subjects holding several awards of one code (when loaded)
        self.repeated_awards: dict[str, set[int]] | None = None
        self.disciplines: dict[int, list[DisciplineFact]] = defaultdict(list)
        self.absences: dict[int, list[Period]] = defaultdict(list)
        self.employments: dict[int, list[EmploymentFact]] = defaultdict(list)
        self.unit_staff: dict[int, list[tuple[int, datetime.date, datetime.date | None]]] = (
            defaultdict(list)
        )
        self.initiatives: dict[int, list[InitiativeFact]] = defaultdict(list)
        # initiative id → the valid awards that relied on it
        self.initiative_uses: dict[int, list[UseFact]] = defaultdict(list)
        self.person_reviews: dict[int, list[Period]] = defaultdict(list)
        self.unit_reviews: dict[int, list[Period]] = defaultdict(list)
        self.merged_into: dict[int, list[MergeFact]] = defaultdict(list)
        # (subject kind, id) → (award code, criterion id) → the attestation of the year
        self.attestations: dict[tuple[str, int], dict[tuple[str, str], AttestationFact]] = (
            defaultdict(dict)
        )
        self.queries = 0
        self.population: list[int] = []
        self._members: dict[tuple[int, int, int], tuple[int, ...]] = {}
        self._worked: dict[tuple[int, int], tuple] = {}
        self._home: dict[int, dict[int, int]] = {}
        self._bounds: dict[int, tuple] = {}
        self._exceptions: dict[int, dict[int, tuple]] = {}
        # people employed the whole evaluated year by one employment
        self.whole_year: set[int] = set()

    # --- derived facts, memoised -----------------------------------------------------------

    def months_worked(self, person_id: int, year: int) -> float | None:
        """Months employed in `year` (any unit), less long absences; maternity leave counts
        as work (Decree 152/2025 Điều 4(5)). None when no employment is recorded."""
        return self.work_in_year(person_id, year)[0]

    def work_in_year(self, person_id: int, year: int) -> tuple[float | None, float, bool]:
        """(months worked, months absent outside maternity, a maternity leave in the year):
        `records.rating_rules.months_in_year` over the loaded facts, memoised."""
        key = (person_id, year)
        found = self._worked.get(key)
        if found is None:
            found = self._worked[key] = months_in_year(
                ((e.start, e.end) for e in self.employments.get(person_id, ())),
                self.absences.get(person_id, ()),
                year,
            )
        return found

    def rating_problem(self, person_id: int, year: int, rank: int):
        """What prevents the recorded rating (`rank`) of `year` from standing
        (`records.rating_rules.RatingProblem`), or None. Cheap for the common case: a person
        without a recorded absence, employed the whole year by one employment."""
        if person_id not in self.absences:
            bounds = self._bounds.get(year)
            if bounds is None:
                bounds = self._bounds[year] = year_bounds(year)
            lo, hi = bounds
            for _unit, _position, start, end in self.employments.get(person_id, ()):
                if start <= lo and (end is None or end >= hi):
                    return None
        worked, absent, maternity = self.work_in_year(person_id, year)
        return problem_for(LEVEL_OF_RANK[rank], year, worked, absent, maternity)

    def rating_exceptions(self, year: int) -> dict[int, tuple]:
        """person id → (recorded rank, standing rank or None, `RatingProblem`) for the
        recorded ratings of `year` that cannot stand as recorded (`rating_problem`): found
        in one pass over the year's ratings, so that reading a rating that stands — nearly
        every one — is a dict lookup."""
        found = self._exceptions.get(year)
        if found is None:
            found = self._exceptions[year] = {}
            lo, hi = year_bounds(year)
            absences, employments = self.absences, self.employments
            half = (hi - lo).days / 2
            ratings = self.person_ratings.get(year, {})
            whole = self.whole_year if year == self.year else ()
            # Employed the whole evaluated year by one employment, with no absence: the
            # rating stands (most people; known from the loading, see `whole_year`).
            rest = ratings
            if whole:
                rest = list(filterfalse(whole.__contains__, ratings))
                rest += [p for p in absences if p in whole and p in ratings]
            for person_id in rest:
                rank = ratings[person_id]
                if person_id not in absences:
                    # Without an absence only fewer than six months worked can prevent a
                    # rating (`problem_for`): employed half the year or more (the days of
                    # its employments, as `months_in_year` adds them) is enough to know
                    # there is no problem — e.g. the staff moved to a successor unit by a
                    # reorganisation during the year, who hold two employments.
                    days = 0
                    for _unit, _position, start, end in employments.get(person_id, ()):
                        if start < hi and (end is None or end > lo):
                            days += ((hi if end is None or end > hi else end) - max(start, lo)).days
                    if days < half:
                        problem = self.rating_problem(person_id, year, rank)
                        if problem is not None:
                            found[person_id] = (rank, _standing(rank, problem), problem)
                    continue
                problem = self.rating_problem(person_id, year, rank)
                if problem is not None:
                    found[person_id] = (rank, _standing(rank, problem), problem)
        return found

    def members(self, unit_id: int, year: int, min_months: int) -> tuple[int, ...]:
        """People employed in the unit itself for at least `min_months` months of `year`
        (maternity counts as work): the members whose shares collective titles count."""
        key = (unit_id, year, min_months)
        if key not in self._members:
            lo, hi = year_bounds(year)
            days_needed = min_months * (hi - lo).days / 12
            totals: dict[int, int] = defaultdict(int)
            full = (hi - lo).days
            for person_id, start, end in self.unit_staff.get(unit_id, ()):
                if start <= lo and (end is None or end >= hi):  # the whole year: most staff
                    totals[person_id] += full
                else:
                    totals[person_id] += overlap_days(start, end, lo, hi)
            self._members[key] = tuple(
                sorted(p for p, days in totals.items() if days >= days_needed - 0.5)
            )
        return self._members[key]

    def home_unit(self, person_id: int, year: int) -> int | None:
        """The unit where the person worked longest in `year` (for per-unit quotas)."""
        return self.home_units(year).get(person_id)

    def home_units(self, year: int) -> dict[int, int]:
        """person id → the unit where the person worked longest in `year` (the earliest
        such employment on a tie), for everyone employed in the year; computed once."""
        found = self._home.get(year)
        if found is None:
            lo, hi = year_bounds(year)
            found = {}
            for person_id, employments in self.employments.items():
                if len(employments) == 1:  # most people: one employment, no comparison
                    unit_id, _position, start, end = employments[0]
                    if start < hi and (end is None or (end > lo and end > start)):
                        found[person_id] = unit_id
                    continue
                best, best_days = None, 0
                for unit_id, _position, start, end in employments:
                    # overlap_days(start, end, lo, hi), inlined: called for everyone
                    days = ((hi if end is None or end > hi else end) - max(start, lo)).days
                    if days > best_days:
                        best, best_days = unit_id, days
                if best is not None:
                    found[person_id] = best
            self._home[year] = found
        return found


class People(Mapping):
    """person id → `PersonFact` of the people of a run: the staff of its units and the
    people it was asked about. Deciding verdicts needs no name, so the people are read
    (one query, from the database the run read) only when first looked up — a result
    shown, an explanation naming members; whether an employed person is one of them is
    known without reading (an employment names an existing person)."""

    __slots__ = ("_reader", "_employed", "_people")

    def __init__(self, reader=None, employed=None):
        self._reader = reader  # () -> {person id: PersonFact}, until it has been called
        self._employed = employed if employed is not None else {}
        self._people: dict[int, PersonFact] = {}

    def _read(self) -> dict[int, PersonFact]:
        if self._reader is not None:
            self._people, self._reader = self._reader(), None
        return self._people

    def __contains__(self, pid) -> bool:
        return pid in self._employed or pid in self._read()

    def among(self, ids) -> list[int]:
        """The ids of `ids` that name people of the run, in order."""
        employed = self._employed
        if all(map(employed.__contains__, ids)):
            return list(ids)
        people = self._read()
        return [pid for pid in ids if pid in employed or pid in people]

    def __getitem__(self, pid) -> PersonFact:
        return self._read()[pid]

    def get(self, pid, default=None):
        return self._read().get(pid, default)

    def __iter__(self):
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())


def _standing(rank: int, problem) -> int | None:
    """The rank a recorded rating stands at, given its problem: none when the person could
    not be rated, at most HT when absent 3 to under 6 months."""
    if problem.kind == NOT_RATED:
        return None
    return min(rank, LEVEL_RANK[CAPPED_LEVEL])
