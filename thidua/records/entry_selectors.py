"""Read side of the entry pages: the rows of a unit's ratings grid, and the people and
units a picker may offer. Every query is set-based: a grid of any size costs the same
handful of queries."""

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet

from thidua.accounts import scope
from thidua.accounts.choices import Action
from thidua.org.models import Employment, Person, Unit, UnitVersion
from thidua.org.selectors import year_bounds
from thidua.records.models import PersonRating, UnitRating
from thidua.records.rating_rules import rating_problems_for
from thidua.vietnamese import fold

SEARCH_LIMIT = 20


@dataclass
class GridRow:
    """One line of the ratings grid: a person employed in the unit that year (or, with
    `person=None`, the unit itself) and their rating, as saved or as just typed."""

    key: str  # "u" for the unit, else the person's code: names the row's inputs
    label: str
    person: Person | None = None
    positions: str = ""
    periods: list[tuple[datetime.date, datetime.date | None]] = field(default_factory=list)
    level: str = ""
    score: str = ""
    warnings: list[str] = field(default_factory=list)
    error: str = ""
    error_field: str = ""
    saved: bool = False


def plain_score(score) -> str:
    """A score as typed: no trailing zeros, a decimal comma (Vietnamese)."""
    if score is None:
        return ""
    return format(score.normalize(), "f").replace(".", ",")


def grid_rows(unit: Unit, year: int, *, only: str | None = None) -> list[GridRow]:
    """The unit's row, then one row per person employed in `unit` during `year` in
    Vietnamese name order, with ratings and warnings. `only`: just that row's key (a
    person code, or "u"). Five queries whatever the size."""
    start, end = year_bounds(year)
    employments = Employment.objects.filter(unit=unit).overlapping(start, end)
    if only is not None and only != "u":
        employments = employments.filter(person__code=only)
    rows: dict[int, GridRow] = {}
    for e in employments.select_related("person").order_by(
        "person__sort_key", "person_id", "start"
    ):
        row = rows.get(e.person_id)
        if row is None:
            row = rows[e.person_id] = GridRow(
                key=e.person.code, label=e.person.full_name, person=e.person
            )
        if e.position and e.position not in row.positions:
            row.positions = f"{row.positions}, {e.position}" if row.positions else e.position
        row.periods.append((e.start, e.end))
    for pid, level, score in PersonRating.objects.filter(
        year=year, person_id__in=list(rows)
    ).values_list("person_id", "level", "score"):
        rows[pid].level, rows[pid].score = level, plain_score(score)
    levels = {pid: r.level for pid, r in rows.items() if r.level}
    for pid, problem in rating_problems_for(list(levels), year, levels).items():
        rows[pid].warnings = [problem.message()]
    result = list(rows.values())
    if only is None or only == "u":
        unit_row = GridRow(key="u", label=unit.name)
        rating = UnitRating.objects.filter(unit=unit, year=year).first()
        if rating is not None:
            unit_row.level, unit_row.score = rating.level, plain_score(rating.score)
        result.insert(0, unit_row)
    return result


def _search(qs: QuerySet, q: str, prefix: str = "") -> QuerySet:
    for word in fold(q).split():
        qs = qs.filter(search_name__contains=prefix + word)
    return qs


def search_people(user, q: str, *, limit: int = SEARCH_LIMIT) -> list[Person]:
    """People the user may change whose name has words starting with those of `q`
    (accents optional), Vietnamese order; none for an empty search."""
    if not q.strip():
        return []
    people = _search(scope.people(user, Action.CHANGE), q, prefix=" ")
    return list(people.order_by("sort_key", "pk")[:limit])


def search_units(user, q: str, *, limit: int = SEARCH_LIMIT) -> list[Unit]:
    """Units the user may change whose name contains the words of `q`."""
    if not q.strip():
        return []
    units = _search(scope.units(user, Action.CHANGE), q)
    return list(units.order_by("sort_key", "code")[:limit])


def people_by_code(user, codes) -> list[Person]:
    """The people of `codes` the user may change (others are silently dropped: a code
    outside the scope is as good as unknown)."""
    codes = [c for c in dict.fromkeys(codes) if c]
    if not codes:
        return []
    found = {p.code: p for p in scope.people(user, Action.CHANGE).filter(code__in=codes)}
    return [found[c] for c in codes if c in found]


def units_by_code(user, codes) -> list[Unit]:
    codes = [c for c in dict.fromkeys(codes) if c]
    if not codes:
        return []
    found = {u.code: u for u in scope.units(user, Action.CHANGE).filter(code__in=codes)}
    return [found[c] for c in codes if c in found]


def authority_units(user) -> QuerySet[Unit]:
    """Units that may have decided an award the user records: those the user may see and
    every unit above them (a decision usually comes from above)."""
    ids = scope.unit_ids_for(user, Action.VIEW)
    if ids is None:
        return Unit.objects.order_by("sort_key", "code")
    parents: dict[int, set[int]] = {}
    for unit_id, parent_id in UnitVersion.objects.filter(parent__isnull=False).values_list(
        "unit_id", "parent_id"
    ):
        parents.setdefault(unit_id, set()).add(parent_id)
    seen, stack = set(ids), list(ids)
    while stack:
        for parent_id in parents.get(stack.pop(), ()):
            if parent_id not in seen:
                seen.add(parent_id)
                stack.append(parent_id)
    return Unit.objects.filter(pk__in=seen).order_by("sort_key", "code")


def attach_units(people: list[Person]) -> None:
    """Set `person.unit_name` on each person: the unit of their latest employment (so two
    people of the same name can be told apart). One query."""
    latest: dict[int, str] = {}
    for pid, name in (
        Employment.objects.filter(person__in=people)
        .order_by("start")
        .values_list("person_id", "unit__name")
    ):
        latest[pid] = name
    for person in people:
        person.unit_name = latest.get(person.pk, "")
