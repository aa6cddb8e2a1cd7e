"""Whether a recorded rating can stand (docs/legal/ratings.md).

Decree 90/2020 as amended by 48/2023 (Điều 20) [V2]:
- staff who worked fewer than 6 months in the year are not rated (maternity leave excepted:
  it counts as working time, Decree 152/2025 Điều 4(5));
- staff absent 3 to under 6 months are rated, but not HTT or better.

The pure functions (`months_in_year`, `problem_for`) are what the eligibility engine reads
over its in-memory facts; `rating_problems` and `rating_problems_for` are what the entry
pages and the dataset loader call to warn before or after a rating is recorded.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from django.utils.translation import gettext as _

from thidua.records.choices import RATING_RANK, AbsenceKind, RatingLevel

MIN_MONTHS_RATED = 6  # fewer months worked → not rated
CAP_ABSENT_FROM = 3  # absent this many months or more (and fewer than 6) → below HTT
CAPPED_LEVEL = RatingLevel.HT  # the highest level such a person may be rated
NOT_RATED, CAPPED = "not_rated", "capped"
CHUNK = 5000


class RatingProblem(NamedTuple):
    kind: str  # NOT_RATED or CAPPED
    year: int
    worked: float  # months worked in the year (maternity counted as work)
    absent: float  # months absent in the year, maternity leave not counted
    maternity: bool  # a maternity leave fell in the year (and counted as work)

    def message(self) -> str:
        """The problem in one sentence, in the active language."""
        args = {"year": self.year, "worked": _months(self.worked), "absent": _months(self.absent)}
        if self.kind == NOT_RATED:
            if self.maternity:
                text = _(
                    "Worked %(worked)s months in %(year)s, maternity leave counted as work: "
                    "fewer than 6 months, so not rated for that year."
                )
            elif self.absent:
                text = _(
                    "Worked %(worked)s months in %(year)s (absent %(absent)s months): fewer "
                    "than 6 months, so not rated for that year."
                )
            else:
                text = _(
                    "Worked %(worked)s months in %(year)s: fewer than 6 months, so not rated "
                    "for that year."
                )
            return text % args
        return (
            _(
                "Absent %(absent)s months in %(year)s (3 to under 6 months): cannot be rated "
                "“Completed tasks well” or better."
            )
            % args
        )


def _months(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _overlap(start, end, lo, hi) -> int:
    start = max(start, lo)
    end = hi if end is None or end > hi else end
    return max((end - start).days, 0)


def months_in_year(
    employments: Iterable[tuple], absences: Iterable[tuple], year: int
) -> tuple[float | None, float, bool]:
    """(months worked, months absent outside maternity, a maternity leave in the year) from
    employments `(start, end)` and absences `(kind, start, end)`; months worked is None when
    no employment is recorded. Maternity leave counts as work."""
    lo, hi = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    length = (hi - lo).days
    employments = list(employments)
    if not employments:
        return None, 0.0, False
    worked = sum(_overlap(start, end, lo, hi) for start, end in employments)
    absent, maternity = 0, False
    for kind, start, end in absences:
        days = _overlap(start, end, lo, hi)
        if not days:
            continue
        if kind == AbsenceKind.MATERNITY:
            maternity = True
        else:
            absent += days
    worked_months = round(max(worked - absent, 0) * 12 / length, 1)
    return worked_months, round(absent * 12 / length, 1), maternity


def problem_for(
    level: str | None, year: int, worked: float | None, absent: float, maternity: bool
) -> RatingProblem | None:
    """What prevents `level` (None: any level) from standing, or None. Nothing is known
    without a recorded employment (`worked` None)."""
    if worked is None:
        return None
    if worked < MIN_MONTHS_RATED:
        return RatingProblem(NOT_RATED, year, worked, absent, maternity)
    if CAP_ABSENT_FROM <= absent < MIN_MONTHS_RATED and (
        level is None or RATING_RANK[level] > RATING_RANK[CAPPED_LEVEL]
    ):
        return RatingProblem(CAPPED, year, worked, absent, maternity)
    return None


def rating_problems_for(person_ids: Iterable[int], year: int, levels: dict | None = None):
    """person id → `RatingProblem` for those of `person_ids` whose rating of `year` (the
    level in `levels`, else any level HTT or better) could not stand. Two queries per 5,000
    people."""
    from thidua.org.models import Employment
    from thidua.records.models import Absence

    ids = list(person_ids)
    lo, hi = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    employments: dict[int, list] = defaultdict(list)
    absences: dict[int, list] = defaultdict(list)
    for at in range(0, len(ids), CHUNK):  # within every database's limit of parameters
        chunk = ids[at : at + CHUNK]
        for pid, start, end in Employment.objects.filter(
            person_id__in=chunk, start__lt=hi
        ).values_list("person_id", "start", "end"):
            if end is None or end > lo:
                employments[pid].append((start, end))
        for pid, kind, start, end in Absence.objects.filter(
            person_id__in=chunk, start__lt=hi, end__gt=lo
        ).values_list("person_id", "kind", "start", "end"):
            absences[pid].append((kind, start, end))
    found = {}
    for pid in ids:
        worked, absent, maternity = months_in_year(
            employments.get(pid, ()), absences.get(pid, ()), year
        )
        level = (levels or {}).get(pid)
        problem = problem_for(level, year, worked, absent, maternity)
        if problem is not None:
            found[pid] = problem
    return found


def rating_problems(person, year: int, level: str | None = None) -> list[str]:
    """Why `person` cannot be rated `level` (None: HTT or better) for `year`, as sentences
    in the active language; empty when nothing prevents it. Two queries."""
    pid = getattr(person, "pk", person)
    problem = rating_problems_for([pid], int(year), {pid: level} if level else None).get(pid)
    return [problem.message()] if problem else []
