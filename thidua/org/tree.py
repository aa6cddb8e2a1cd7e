"""The unit tree: which units sit beneath which, on a day or across history.

One place for "units beneath a unit". Two readings exist and both are needed:

- *on a day* (`children_on`, `tree_as_of`, `children_as_of`, `parent_chain`): the tree as
  it stood that day, dissolved units left out — for pages that show the tree and for sums
  over a unit's parts in a year;
- *across history* (`history_graph`, `subtree_ids`): every unit that was ever beneath a
  unit in any version, and every unit merged or split into one of those (lineage
  predecessors) — the reading scope uses, so that an officer of a successor commune still
  sees the records of the communes it absorbed.

Every function reads the whole tree in a fixed number of queries and walks it in memory.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from thidua.org.models import LineageEdge, Unit, UnitVersion
from thidua.vietnamese import sort_key

# --------------------------------------------------------------------------- walking


def walk(below: dict[int, Iterable[int]], root_ids: Iterable[int]) -> set[int]:
    """The given units and every unit reachable beneath them in `below` (parent id → ids
    of the units directly beneath it). Safe on cycles."""
    seen: set[int] = set()
    stack = list(root_ids)
    while stack:
        unit_id = stack.pop()
        if unit_id in seen:
            continue
        seen.add(unit_id)
        stack.extend(below.get(unit_id, ()))
    return seen


def descendants(children: dict[int, list[int]], root_id: int) -> set[int]:
    """`root_id` and every unit beneath it in `children` (see `children_on`)."""
    return walk(children, [root_id])


# --------------------------------------------------------------------------- across history


def history_graph() -> dict[int, set[int]]:
    """unit id → ids of units that sit directly beneath it, at any time or by lineage
    (two queries)."""
    below: dict[int, set[int]] = defaultdict(set)
    for unit_id, parent_id in UnitVersion.objects.filter(parent__isnull=False).values_list(
        "unit_id", "parent_id"
    ):
        below[parent_id].add(unit_id)
    for pred, succ in LineageEdge.objects.filter(successor__isnull=False).values_list(
        "predecessor_id", "successor_id"
    ):
        if pred != succ:
            below[succ].add(pred)
    return below


def subtree_ids(root_ids: Iterable[int]) -> set[int]:
    """The given units and everything beneath them, across history (two queries)."""
    return walk(history_graph(), root_ids)


def ancestor_ids(unit_ids: Iterable[int]) -> set[int]:
    """The units that ever stood above the given ones, at any time (one query); the
    given units themselves only if one stood above another."""
    parents: dict[int, set[int]] = defaultdict(set)
    for unit_id, parent_id in UnitVersion.objects.filter(parent__isnull=False).values_list(
        "unit_id", "parent_id"
    ):
        parents[unit_id].add(parent_id)
    return walk(parents, [p for u in unit_ids for p in parents.get(u, ())])


# --------------------------------------------------------------------------- on a day


def standing_on(day: datetime.date) -> QuerySet[UnitVersion]:
    """The versions in force on `day` of the units not dissolved by then."""
    return UnitVersion.objects.on(day).filter(
        Q(unit__dissolved_on__isnull=True) | Q(unit__dissolved_on__gt=day)
    )


def children_on(day: datetime.date) -> dict[int, list[int]]:
    """parent id → ids of the units directly under it on `day` (one query)."""
    children: dict[int, list[int]] = defaultdict(list)
    for unit_id, parent_id in standing_on(day).values_list("unit_id", "parent_id"):
        if parent_id is not None:
            children[parent_id].append(unit_id)
    return children


@dataclass
class TreeNode:
    """A unit as it stood on a day: its name then, and its children then."""

    unit: Unit
    version: UnitVersion
    children: list["TreeNode"] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.version.name


def tree_as_of(day: datetime.date, unit_ids: Iterable[int] | None) -> list[TreeNode]:
    """The forest of the given units (None: all units) as it stood on `day`, in one query.

    A unit appears when it had a version valid that day and was not dissolved; its parent
    is the version's parent. A unit whose parent is not among the visible units of that
    day is a root. Siblings are in Vietnamese alphabetical order of their name that day.
    """
    versions = standing_on(day).select_related("unit")
    if unit_ids is not None:
        versions = versions.filter(unit_id__in=list(unit_ids))
    nodes = {v.unit_id: TreeNode(unit=v.unit, version=v) for v in versions}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.version.parent_id)
        (parent.children if parent else roots).append(node)
    keys = {unit_id: sort_key(node.name) for unit_id, node in nodes.items()}
    for node in nodes.values():
        node.children.sort(key=lambda n: (keys[n.unit.pk], n.unit.code))
    roots.sort(key=lambda n: (keys[n.unit.pk], n.unit.code))
    return roots


def tree_size(roots: list[TreeNode]) -> int:
    stack, count = list(roots), 0
    while stack:
        node = stack.pop()
        count += 1
        stack.extend(node.children)
    return count


def parent_chain(unit: Unit, day: datetime.date) -> list[UnitVersion]:
    """The unit's ancestors on `day`, the top first (two queries, any depth)."""
    parent_of = dict(UnitVersion.objects.on(day).values_list("unit_id", "parent_id"))
    chain_ids, current, seen = [], parent_of.get(unit.pk), {unit.pk}
    while current is not None and current not in seen:
        seen.add(current)
        chain_ids.append(current)
        current = parent_of.get(current)
    if not chain_ids:
        return []
    by_unit = {
        v.unit_id: v
        for v in UnitVersion.objects.on(day).filter(unit_id__in=chain_ids).select_related("unit")
    }
    return [by_unit[i] for i in reversed(chain_ids) if i in by_unit]


def children_as_of(unit: Unit, day: datetime.date) -> list[UnitVersion]:
    """The units directly under `unit` on `day`, with their names that day."""
    versions = list(standing_on(day).filter(parent=unit).select_related("unit"))
    versions.sort(key=lambda v: (sort_key(v.name), v.unit.code))
    return versions
