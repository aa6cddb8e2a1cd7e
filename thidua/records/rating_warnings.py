"""Warnings on a yearly rating that cannot stand, for the ratings grid.

Two rules of the rating decrees (Decree 90/2020 as amended by 48/2023, carried into
335/2025 and 233/2026):

- someone who worked **under 6 months** in the year is not rated, except on maternity
  leave (maternity counts as working time: Decree 152/2025 Điều 4(5));
- someone absent **3 to under 6 months** is rated, but not "completed tasks well" (HTT)
  or better.

Worked time is the time employed during the year (in any unit) less long absences; a month
is 365.25 / 12 days. Computed set-based for a whole grid: two queries for any number of
people.

Note for whoever unifies the rule checks: `thidua.records.rating_rules.rating_problems`
(the legal checker) covers the same ground; this module only serves the entry grid.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.utils.translation import gettext as _

from thidua.org.models import Employment
from thidua.records.choices import RATING_RANK, AbsenceKind, RatingLevel
from thidua.records.models import Absence
from thidua.vietnamese import format_number

MONTH_DAYS = 365.25 / 12


def _days_in(start, end, year_start, year_end) -> int:
    """Days of [start, end) inside [year_start, year_end); `end=None` runs on."""
    lo = max(start, year_start)
    hi = min(end or year_end, year_end)
    return max(0, (hi - lo).days)


def rating_warnings(
    person_ids: Iterable[int], year: int, levels: dict[int, str]
) -> dict[int, list[str]]:
    """person id → the reasons their rating `levels[person_id]` for `year` cannot stand
    (an empty list: none). People without a level get no warning."""
    rated = [pid for pid in person_ids if levels.get(pid)]
    if not rated:
        return {}
    year_start, year_end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    employed: dict[int, int] = defaultdict(int)
    for pid, start, end in (
        Employment.objects.filter(person_id__in=rated)
        .overlapping(year_start, year_end)
        .values_list("person_id", "start", "end")
    ):
        employed[pid] += _days_in(start, end, year_start, year_end)
    absent: dict[int, int] = defaultdict(int)
    maternity: set[int] = set()
    for pid, kind, start, end in Absence.objects.filter(
        person_id__in=rated, start__lt=year_end, end__gt=year_start
    ).values_list("person_id", "kind", "start", "end"):
        if kind == AbsenceKind.MATERNITY:
            maternity.add(pid)
        else:
            absent[pid] += _days_in(start, end, year_start, year_end)

    warnings: dict[int, list[str]] = {}
    for pid in rated:
        worked = (employed[pid] - absent[pid]) / MONTH_DAYS
        away = absent[pid] / MONTH_DAYS
        found = []
        if worked < 6 and pid not in maternity:
            found.append(
                _(
                    "Worked %(months)s months in %(year)s, under 6 and not on maternity "
                    "leave: not to be rated."
                )
                % {"months": format_number(worked, 1), "year": year}
            )
        elif (
            3 <= away < 6 and RATING_RANK[RatingLevel(levels[pid])] >= RATING_RANK[RatingLevel.HTT]
        ):
            found.append(
                _(
                    "Absent %(months)s months in %(year)s (3 to under 6): cannot be rated "
                    "“completed tasks well” or better."
                )
                % {"months": format_number(away, 1), "year": year}
            )
        warnings[pid] = found
    return warnings
