"""The unit tree: which units sit beneath which, on a day or across history.

One place for "units beneath a unit". Two readings exist and both are needed:

- *on a day* (`children_on`, `tree_as_of`, `children_as_of`, `parent_chain`): the tree as
  it stood that day, dissolved units left out — for pages that show the tree and for sums
  over a unit's parts in a year;
- *across history* (`time_graph`, `coverage`, `subtree_ids`): what was beneath a unit
  *while* it was beneath it, and a successor's predecessors up to the act, as (unit,
  period) pairs — the reading scope uses (docs/adr/0010-scope-bounded-in-time.md), so
  that an officer of a successor commune still sees the records the communes it absorbed
  had before the act, and the officer of a district abolished by a reform does not see
  what was merged later into its former communes.

Every function reads the whole tree in a fixed number of queries and walks it in memory.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet, Sum

from thidua.org.ids import InIds
from thidua.org.models import LineageEdge, Unit, UnitVersion
from thidua.vietnamese import fold, sort_key

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
# The reading scope uses (docs/adr/0010-scope-bounded-in-time.md): a unit covers what was
# beneath it *while* it was beneath it, and a successor covers its predecessors' history up
# to the act. The answer is a set of (unit, interval) pairs, not a set of units.

BEGINNING = datetime.date.min  # an interval starting here has no lower bound
FOREVER = datetime.date.max  # an interval ending here is open

Span = tuple[datetime.date, datetime.date]  # half-open [start, end)


@dataclass
class TimeGraph:
    """The whole tree across history, read in two queries: `children[parent]` lists
    (child id, valid_from, valid_to) of every version of a unit under `parent`;
    `predecessors[successor]` lists (predecessor id, act date) of every lineage edge
    between two different units; `parts[(predecessor, successor, act date)]`, for an edge
    whose predecessor goes on after the act (a part split off: the same event also has the
    edge predecessor → itself), the units that moved from beneath the predecessor to
    beneath the successor on that day — the part the successor received."""

    children: dict[int, list[tuple[int, datetime.date, datetime.date]]]
    predecessors: dict[int, list[tuple[int, datetime.date]]]
    parts: dict[tuple[int, int, datetime.date], tuple[int, ...]] = field(default_factory=dict)

    def unit_count(self) -> int:
        """The units in the graph (those with a parent at some time, and the parents);
        counted once per graph."""
        count = self.__dict__.get("_unit_count")
        if count is None:
            units = set(self.children)
            for versions in self.children.values():
                units.update(child for child, _start, _end in versions)
            count = self.__dict__["_unit_count"] = len(units)
        return count


# The graph of the last read, per process, with the fingerprint of the committed tables it
# was read from.
_GRAPH_CACHE: dict[str, tuple[tuple, TimeGraph]] = {}


def _stamp() -> tuple:
    """A cheap fingerprint of the versions and edges (two aggregate queries, no rows
    fetched): it changes when a version is added, closed or re-parented, or an edge added
    — every change the services make (history is only extended, ADR 0001)."""
    versions = UnitVersion.objects.aggregate(
        n=Count("id"),
        top=Max("id"),
        closed=Count("valid_to"),
        last=Max("valid_to"),
        parents=Sum("parent_id"),
    )
    edges = LineageEdge.objects.aggregate(
        n=Count("id"), top=Max("id"), succ=Sum("successor_id"), preds=Sum("predecessor_id")
    )
    return (*versions.values(), *edges.values())


def time_graph() -> TimeGraph:
    """The whole graph (two queries, about 60 ms of CPU for the country with its 2025
    reform). Outside a transaction, a page reads it again only when the fingerprint of the
    committed tables changed; inside one (a verb, a test) it is always read afresh, since
    what it sees may yet be rolled back."""
    from django.db import connection

    if connection.in_atomic_block:
        return _read_time_graph()
    stamp = (connection.alias, connection.settings_dict["NAME"], _stamp())
    cached = _GRAPH_CACHE.get("graph")
    if cached is not None and cached[0] == stamp:
        return cached[1]
    graph = _read_time_graph()
    _GRAPH_CACHE["graph"] = (stamp, graph)
    return graph


def _read_time_graph() -> TimeGraph:
    children: dict[int, list] = defaultdict(list)
    for unit_id, parent_id, start, end in UnitVersion.objects.filter(
        parent__isnull=False
    ).values_list("unit_id", "parent_id", "valid_from", "valid_to"):
        children[parent_id].append((unit_id, start, end or FOREVER))
    predecessors: dict[int, list] = defaultdict(list)
    edges, goes_on = [], set()
    for pred, succ, day, event in LineageEdge.objects.filter(successor__isnull=False).values_list(
        "predecessor_id", "successor_id", "event__date", "event_id"
    ):
        if pred == succ:
            goes_on.add((pred, event))
        else:
            predecessors[succ].append((pred, day))
            edges.append((pred, succ, day, event))
    split_off = [(p, s, d) for p, s, d, event in edges if (p, event) in goes_on]
    return TimeGraph(children, predecessors, _parts(children, split_off) if split_off else {})


def _parts(children, split_off) -> dict[tuple[int, int, datetime.date], tuple[int, ...]]:
    """For each edge (predecessor, successor, day) of a part split off, the units whose
    version beneath the predecessor ends on that day and whose next version, from that
    day, sits beneath the successor."""
    givers: dict[tuple, list[int]] = defaultdict(list)  # (successor, day) → predecessors
    for pred, succ, day in split_off:
        givers[(succ, day)].append(pred)
    ends = {(p, c, e) for p, versions in children.items() for c, _s, e in versions}
    found: dict[tuple, list[int]] = defaultdict(list)
    for parent, versions in children.items():
        for child, start, _end in versions:
            for pred in givers.get((parent, start), ()):
                if (pred, child, start) in ends:
                    found[(pred, parent, start)].append(child)
    return {key: tuple(found.get(key, ())) for key in split_off}


def _add_span(spans: list[Span], start, end) -> list[Span]:
    """Merge [start, end) into the sorted disjoint `spans`; return the parts that were new."""
    new, cursor = [], start
    for s, e in spans:
        if e <= cursor or s >= end:
            continue
        if s > cursor:
            new.append((cursor, s))
        cursor = max(cursor, e)
        if cursor >= end:
            break
    if cursor < end:
        new.append((cursor, end))
    if new:
        merged: list[Span] = []
        for s, e in sorted(spans + new):
            if merged and s <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], e))
            else:
                merged.append((s, e))
        spans[:] = merged
    return new


class Coverage:
    """What a set of root units covers: unit id → the periods its records are covered.

    A root covers itself for all time. A unit covers a child for the part of the child's
    version under it that lies inside its own covered period; a unit covered on the day
    of an act covers that act's predecessors up to the act (their history before it) —
    of a predecessor that goes on after the act (a part split off), only the units that
    moved from beneath it to beneath the successor that day.
    """

    def __init__(self, spans: dict[int, list[Span]]):
        self.spans = spans
        self.units = frozenset(spans)
        # What the methods below derive, kept: a coverage is shared by the requests that
        # read the same graph (`coverage`), and never changed once made.
        self._on: dict[datetime.date, frozenset[int]] = {}
        self._groups: dict[tuple[Span, ...], list[int]] | None = None

    def __contains__(self, unit_id) -> bool:
        return unit_id in self.spans

    def __len__(self) -> int:
        return len(self.spans)

    def covers(self, unit_id: int, day: datetime.date) -> bool:
        return any(s <= day < e for s, e in self.spans.get(unit_id, ()))

    def overlaps(self, unit_id: int, start: datetime.date, end: datetime.date | None) -> bool:
        end = end or FOREVER
        return any(s < end and start < e for s, e in self.spans.get(unit_id, ()))

    def units_on(self, day: datetime.date) -> frozenset[int]:
        found = self._on.get(day)
        if found is None:
            found = frozenset(
                u for u, spans in self.spans.items() if any(s <= day < e for s, e in spans)
            )
            if len(self._on) < 64:
                self._on[day] = found
        return found

    def by_spans(self) -> dict[tuple[Span, ...], list[int]]:
        """Units grouped by their periods (few groups: "always", "until the reform"…), for
        queries whose size grows with the units, not with units × periods."""
        if self._groups is None:
            groups: dict[tuple[Span, ...], list[int]] = defaultdict(list)
            for unit_id, spans in self.spans.items():
                groups[tuple(spans)].append(unit_id)
            self._groups = dict(groups)
        return self._groups


COVERAGES_KEPT = 256  # per graph read: the role sets and filters of a process's users


def coverage(graph: TimeGraph, root_ids: Iterable[int]) -> Coverage:
    """The (unit, period) pairs the given roots cover (see `Coverage`); in memory, and
    kept with the graph: the pages of every request that reads the same graph (the cached
    one, `time_graph`) share it instead of walking a province's 3,000 units each time."""
    roots = tuple(sorted(set(root_ids)))
    kept = graph.__dict__.setdefault("_coverages", {})
    found = kept.get(roots)
    if found is None:
        found = _coverage(graph, roots)
        if len(kept) >= COVERAGES_KEPT:
            kept.clear()
        kept[roots] = found
    return found


def _coverage(graph: TimeGraph, root_ids: tuple[int, ...]) -> Coverage:
    spans: dict[int, list[Span]] = {}
    stack = [(root, BEGINNING, FOREVER) for root in root_ids]
    while stack:
        unit_id, start, end = stack.pop()
        for s, e in _add_span(spans.setdefault(unit_id, []), start, end):
            for child, valid_from, valid_to in graph.children.get(unit_id, ()):
                lo, hi = max(s, valid_from), min(e, valid_to)
                if lo < hi:
                    stack.append((child, lo, hi))
            for pred, act in graph.predecessors.get(unit_id, ()):
                if s <= act < e:
                    part = graph.parts.get((pred, unit_id, act))
                    if part is None:  # the predecessor ended: all its history
                        stack.append((pred, BEGINNING, act))
                    else:  # it goes on: only what it gave away, up to the act
                        stack.extend((moved, BEGINNING, act) for moved in part)
    return Coverage({u: v for u, v in spans.items() if v})


def walk_ids(graph: TimeGraph, root_ids: Iterable[int]) -> set[int]:
    """The units the roots cover at some time."""
    return set(coverage(graph, root_ids).units)


def subtree_ids(root_ids: Iterable[int]) -> set[int]:
    """The given units and everything they cover at some time (two queries): what was
    beneath them while it was, and the predecessors of what they covered on an act's
    day."""
    return walk_ids(time_graph(), root_ids)


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
        versions = versions.filter(InIds("unit_id", unit_ids))
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


# --------------------------------------------------------------------------- lazily, level by level
# The tree page at national size (34 provinces, 3,321 communes; 63/696/10,035 before the
# reform) shows the top level and opens a unit's children on demand: each function reads
# only the rows it shows, in a fixed number of queries.


@dataclass
class LazyNode:
    """A unit on a day with the number of units directly beneath it then; `children` is
    None until opened."""

    unit: Unit
    version: UnitVersion
    child_count: int = 0
    children: list["LazyNode"] | None = None

    @property
    def name(self) -> str:
        return self.version.name


def _visible(versions: QuerySet, visible: frozenset[int] | None) -> QuerySet:
    return versions if visible is None else versions.filter(InIds("unit_id", visible))


def _sorted_nodes(versions) -> list[LazyNode]:
    nodes = [LazyNode(unit=v.unit, version=v) for v in versions]
    nodes.sort(key=lambda n: (sort_key(n.name), n.unit.code))
    return nodes


def count_children(day: datetime.date, nodes: list[LazyNode], visible) -> None:
    """Fill `child_count` of `nodes` (one query)."""
    if not nodes:
        return
    counts = dict(
        _visible(standing_on(day), visible)
        .filter(parent_id__in=[n.unit.pk for n in nodes])
        .values("parent_id")
        .annotate(n=Count("id"))
        .values_list("parent_id", "n")
    )
    for node in nodes:
        node.child_count = counts.get(node.unit.pk, 0)


def top_level(day: datetime.date, visible: frozenset[int] | None) -> list[LazyNode]:
    """The units on `day` with no visible parent: the country's top level for someone who
    sees everything, else the units the user's roles start from (one query)."""
    versions = _visible(standing_on(day), visible).select_related("unit")
    if visible is None:
        return _sorted_nodes(versions.filter(parent__isnull=True))
    # A scoped user: their visible units of the day whose parent is not visible that day
    # (chosen in the database: a province's officer sees 3,000 units and one top).
    return _sorted_nodes(versions.filter(Q(parent__isnull=True) | ~Q(InIds("parent_id", visible))))


def open_children(day: datetime.date, nodes: list[LazyNode], open_ids: set[int] | None, visible):
    """Load the children of the nodes in `open_ids` (None: every node, the whole tree),
    recursively down the opened path (one query for all of them, one for the counts)."""
    if open_ids is not None and not open_ids:
        count_children(day, nodes, visible)
        return
    versions = _visible(standing_on(day), visible).select_related("unit")
    if open_ids is None:
        versions = versions.filter(parent__isnull=False)
    else:
        versions = versions.filter(parent_id__in=list(open_ids))
    by_parent: dict[int, list[UnitVersion]] = defaultdict(list)
    for version in versions:
        by_parent[version.parent_id].append(version)
    every, stack = [], list(nodes)
    while stack:
        node = stack.pop()
        every.append(node)
        if open_ids is None or node.unit.pk in open_ids:
            node.children = _sorted_nodes(by_parent.get(node.unit.pk, []))
            stack.extend(node.children)
    count_children(day, every, visible)


def search_on(day: datetime.date, words: str, visible, limit: int = 50) -> list[UnitVersion]:
    """The units standing on `day` whose current name contains every word of `words`
    (diacritics and case ignored), with their parent that day, at most `limit` (one
    query)."""
    versions = _visible(standing_on(day), visible).select_related("unit", "parent")
    for word in fold(words).split():
        versions = versions.filter(unit__search_name__contains=word)
    return list(versions.order_by("unit__sort_key", "unit__code")[:limit])
