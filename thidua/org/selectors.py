"""Read-side queries shared by the pages and the API: the tree as of a date, a unit's
lineage, the people list, historic unit names. (A person's record and a unit's ratings,
awards and members are the records app's: `thidua.records.selectors`.)

Every function here reads a whole set at once (a fixed number of queries whatever the
number of rows) and leaves permission to the caller: pass ids or querysets that already
went through `thidua.accounts.scope`.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Min, Q, QuerySet, Value
from django.db.models.functions import Concat

from thidua.org.models import (
    Employment,
    LineageEdge,
    Person,
    Unit,
    UnitOfficialCode,
    UnitVersion,
)
from thidua.org.tree import (  # noqa: F401 (re-exported)
    TreeNode,
    children_as_of,
    parent_chain,
    tree_as_of,
    tree_size,
)

# --------------------------------------------------------------------------- the tree
# The tree itself lives in `thidua.org.tree`; these names stay importable from here.


def unit_versions(unit: Unit) -> list[UnitVersion]:
    """The unit's name and parent history, the newest first."""
    return list(unit.versions.select_related("parent").order_by("-valid_from"))


def unit_by_official_code(code: str, day: datetime.date) -> Unit | None:
    """The unit carrying the official code (mã ĐVHC) `code` on `day` (ADR 0009): after
    the 2025 reform "13387" names a new commune, before it the one it came from."""
    held = UnitOfficialCode.objects.on(day).filter(code=code).select_related("unit").first()
    return held.unit if held else None


def official_code_on(unit: Unit, day: datetime.date) -> str:
    """The unit's official code on `day` ("" when it carries none)."""
    return (
        UnitOfficialCode.objects.on(day).filter(unit=unit).values_list("code", flat=True).first()
        or ""
    )


def official_codes(unit: Unit) -> list[UnitOfficialCode]:
    """Every official code the unit carried, the newest first."""
    return list(unit.official_codes.order_by("-valid_from"))


# --------------------------------------------------------------------------- lineage


@dataclass
class LineageItem:
    """One change the unit took part in, with the units on each side."""

    event: object
    predecessors: list[Unit]
    successors: list[Unit]
    role: str  # "predecessor", "successor" or "self" (rename, re-parent)


def unit_lineage(unit: Unit) -> list[LineageItem]:
    """Every lineage event involving `unit`, oldest first, with all the units on both sides
    of each event (two queries)."""
    event_ids = (
        LineageEdge.objects.filter(Q(predecessor=unit) | Q(successor=unit))
        .values_list("event_id", flat=True)
        .distinct()
    )
    edges = (
        LineageEdge.objects.filter(event_id__in=list(event_ids))
        .select_related("event", "predecessor", "successor")
        .order_by("event__date", "event_id", "id")
    )
    grouped: dict[int, LineageItem] = {}
    for edge in edges:
        item = grouped.get(edge.event_id)
        if item is None:
            item = grouped[edge.event_id] = LineageItem(edge.event, [], [], "")
        if edge.predecessor not in item.predecessors:
            item.predecessors.append(edge.predecessor)
        if edge.successor is not None and edge.successor not in item.successors:
            item.successors.append(edge.successor)
    for item in grouped.values():
        if unit in item.predecessors and unit in item.successors:
            item.role = "self"
        elif unit in item.successors:
            item.role = "successor"
        else:
            item.role = "predecessor"
    return list(grouped.values())


# --------------------------------------------------------------------------- members


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """The half-open interval of a calendar year."""
    return datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)


def member_years(unit: Unit, today: datetime.date) -> list[int]:
    """The years in which `unit` had anyone employed, newest first (one query); at least
    the current year."""
    first = Employment.objects.filter(unit=unit).aggregate(first=Min("start"))["first"]
    first_year = min(first.year, today.year) if first else today.year
    return list(range(today.year, first_year - 1, -1))


# --------------------------------------------------------------------------- people list


def attach_current_employment(people: list[Person], day: datetime.date) -> None:
    """Set `person.current_employment` on each person: the employment in force on `day`,
    else the latest one (None if never employed). One query for the whole list."""
    by_person: dict[int, list[Employment]] = defaultdict(list)
    employments = (
        Employment.objects.filter(person_id__in=[p.pk for p in people])
        .select_related("unit")
        .order_by("person_id", "-start")
    )
    for employment in employments:
        by_person[employment.person_id].append(employment)
    for person in people:
        mine = by_person.get(person.pk, [])
        person.current_employment = next(
            (e for e in mine if e.start <= day and (e.end is None or e.end > day)),
            mine[0] if mine else None,
        )


def person_list(people: QuerySet[Person], *, filtered: bool = False) -> QuerySet[Person]:
    """People in Vietnamese order (given name, middle, family; `id` breaks ties), reading
    only the columns a list shows.

    `filtered`: the rows were narrowed by a search or a unit. Ordering then goes by an
    expression over `sort_key` rather than the column, so that the database filters first
    and sorts the matches. Ordering by the indexed column makes SQLite walk the whole
    `sort_key` index and read every row to test the name: instant for the first page of
    a common name, but about half a second on 100,000 people when few rows match (a
    typo) or the page is deep. Without a filter the index walk is the fast plan.
    """
    rows = people.only("code", "family_name", "middle_name", "given_name", "birth_date", "sort_key")
    if filtered:
        return rows.alias(order=Concat("sort_key", Value(""))).order_by("order", "id")
    return rows.order_by("sort_key", "id")


# --------------------------------------------------------------------------- historic names


def versions_by_unit(unit_ids: Iterable[int]) -> dict[int, list[UnitVersion]]:
    """unit id → its versions, oldest first (one query)."""
    by_unit: dict[int, list[UnitVersion]] = defaultdict(list)
    for version in UnitVersion.objects.filter(unit_id__in=set(unit_ids)).order_by("valid_from"):
        by_unit[version.unit_id].append(version)
    return by_unit


def name_on(unit: Unit, versions: list[UnitVersion], day: datetime.date) -> str:
    """The unit's name on `day` (its first or last name outside its life)."""
    chosen = None
    for version in versions:
        if version.valid_from <= day:
            chosen = version
    if chosen is None and versions:
        chosen = versions[0]
    return chosen.name if chosen else unit.name


def current_employment(person: Person, day: datetime.date) -> Employment | None:
    """The person's employment in force on `day`, else their latest one."""
    attach_current_employment([person], day)
    return person.current_employment


def mask_citizen_id(value: str | None) -> str:
    """Show only the last four characters of a citizen id: '••••••••5678'."""
    if not value:
        return ""
    visible = value[-4:] if len(value) > 4 else ""
    return "•" * (len(value) - len(visible)) + visible
