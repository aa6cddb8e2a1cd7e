"""Final scores, rankings and the "who scored whom" matrix, computed from the scores.

Nothing here is stored: the ranking is recomputed from the scores on every read (it
cannot drift from them), in a fixed number of queries for any number of blocks. The
rules (docs/adr/0003-block-scoring.md):

1. Per member and criterion, the value that counts is, by the covenant's method:
   - `cross`: the mean of the other members' scores on that criterion; with
     `trim_extremes`, the highest and the lowest are dropped first when at least four
     members scored it (a normalisation against a generous or a harsh scorer);
   - `leader`: the leader's review (the deputy's for the leader's own unit);
   - `cross_leader`: the mean of the two above, or the one that exists.
   A criterion nobody scored counts 0 and marks the member incomplete.
2. Per group, the values add up; a bonus group adds at most its cap, a penalty group
   deducts at most its cap, a criteria group with a cap counts at most the cap.
3. The final score is criteria + bonus − penalty, rounded to two decimals (so that the
   arithmetic of a mean never decides a tie); `percent` is it over the criteria's
   maximum (normalised to 100).
4. Members are ordered by the final score, then by the covenant's tie-break rules in
   their declared order; members still equal share the rank ("1, 1, 3"), and every
   member ranked 1 leads the block.

Self-scores never count toward the final score; they are shown beside it.
"""

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext as _

from thidua.emulation.choices import GroupKind, ScoreKind, ScoringMethod, TieBreak
from thidua.emulation.models import BlockMembership, Covenant, Criterion, Score, ScoreTally
from thidua.org.models import Unit

TWO_PLACES = Decimal("0.01")
ZERO = Decimal(0)
TRIM_FROM = 4  # at least this many cross-scores on a criterion before trimming

# The arithmetic runs on hundredths of a point: exact integers from the tallies, floats
# only for the means, rounded half away from zero to whole hundredths per group.
_EPSILON = 1e-7  # far below a hundredth, far above a float's error on these means


def _round(value: float) -> int:
    if value >= 0:
        return math.floor(value + 0.5 + _EPSILON)
    return -math.floor(-value + 0.5 + _EPSILON)


def _points(hundredths: int) -> Decimal:
    return Decimal(hundredths).scaleb(-2)


@dataclass
class GroupInfo:
    id: int
    code: str
    title: str
    kind: str
    cap: int | None  # hundredths
    criteria: list[int] = field(default_factory=list)
    max_points: int = 0  # hundredths


@dataclass
class Tree:
    """A covenant's criteria, grouped, as the ranking reads them."""

    groups: list[GroupInfo]
    criterion_group: dict[int, GroupInfo]

    @property
    def base_max(self) -> int:
        """The most the criteria groups can count, in hundredths."""
        return sum(
            (min(g.max_points, g.cap) if g.cap is not None else g.max_points)
            for g in self.groups
            if g.kind == GroupKind.BASE
        )

    @property
    def base_max_points(self) -> Decimal:
        """The most the criteria groups can count, in points (as `Totals.final`)."""
        return _points(self.base_max)


@dataclass
class Totals:
    """A member's points by group, caps applied, in hundredths."""

    base_h: int = 0
    bonus_h: int = 0
    penalty_h: int = 0  # zero or negative
    groups_h: dict = field(default_factory=dict)  # group code → counted hundredths

    @property
    def final_h(self) -> int:
        return self.base_h + self.bonus_h + self.penalty_h

    @property
    def final(self) -> Decimal:
        return _points(self.final_h)

    @property
    def base(self) -> Decimal:
        return _points(self.base_h)

    @property
    def bonus(self) -> Decimal:
        return _points(self.bonus_h)

    @property
    def penalty(self) -> Decimal:
        return _points(self.penalty_h)

    @property
    def groups(self) -> dict:
        return {code: _points(h) for code, h in self.groups_h.items()}


def totals(tree: Tree, values: dict[int, float]) -> Totals:
    """Add criterion values (criterion id → hundredths) up by group, applying the caps;
    each group's total is rounded to a whole hundredth and the final is their sum."""
    by_group: dict[int, float] = defaultdict(float)
    for criterion_id, value in values.items():
        group = tree.criterion_group.get(criterion_id)
        if group is not None:
            by_group[group.id] += value
    result = Totals()
    for group in tree.groups:
        points = _round(by_group.get(group.id, 0.0))
        if group.kind == GroupKind.PENALTY:
            if group.cap is not None:
                points = max(points, -group.cap)
            result.penalty_h += points
        else:
            if group.cap is not None:
                points = min(points, group.cap)
            if group.kind == GroupKind.BONUS:
                result.bonus_h += points
            else:
                result.base_h += points
        result.groups_h[group.code] = points
    return result


@dataclass
class Standing:
    """One member's place in the ranking."""

    unit: Unit
    totals: Totals
    self_totals: Totals | None
    percent: Decimal | None
    scorers: int  # most cross-scorers (or reviewers) on any one criterion
    missing: int  # criteria with no value that counts
    rank: int = 0
    tie_note: str = ""

    @property
    def final(self) -> Decimal:
        return self.totals.final

    @property
    def self_total(self) -> Decimal | None:
        return self.self_totals.final if self.self_totals else None

    @property
    def complete(self) -> bool:
        return self.missing == 0

    @property
    def scored(self) -> bool:
        return self.scorers > 0

    @property
    def leads(self) -> bool:
        return self.rank == 1


@dataclass
class Ranking:
    covenant: Covenant
    tree: Tree
    standings: list[Standing]

    @property
    def leaders(self) -> list[Standing]:
        return [s for s in self.standings if s.rank == 1]


def load_trees(covenant_ids: Iterable[int]) -> dict[int, Tree]:
    """covenant id → its criteria tree (one query)."""
    groups: dict[int, dict[int, GroupInfo]] = defaultdict(dict)
    rows = (
        Criterion.objects.filter(covenant_id__in=list(covenant_ids))
        .select_related("group")
        .order_by("group__position", "position")
    )
    for c in rows:
        g = groups[c.covenant_id].get(c.group_id)
        if g is None:
            cap = None if c.group.cap is None else int(c.group.cap * 100)
            g = groups[c.covenant_id][c.group_id] = GroupInfo(
                c.group_id, c.group.code, c.group.title, c.group.kind, cap
            )
        g.criteria.append(c.pk)
        g.max_points += int(c.max_points * 100)
    trees = {}
    for covenant_id, by_id in groups.items():
        ordered = list(by_id.values())
        trees[covenant_id] = Tree(ordered, {cid: g for g in ordered for cid in g.criteria})
    return trees


def in_force_at_year_end(membership: BlockMembership, year: int) -> bool:
    """Whether a membership is in force on the last day of `year`: the members that are
    scored and ranked (a unit merged away mid-year is represented by its successor)."""
    last = datetime.date(year, 12, 31)
    return membership.joined_on <= last and (
        membership.left_on is None or membership.left_on > last
    )


def memberships_at_year_end(
    block_ids: Iterable[int], years: dict[int, int]
) -> dict[int, list[BlockMembership]]:
    """block id → the memberships in force at the end of the block's year
    (`in_force_at_year_end`), with their units (one query). `years` maps block id →
    year."""
    result: dict[int, list[BlockMembership]] = defaultdict(list)
    rows = BlockMembership.objects.filter(block_id__in=list(block_ids)).select_related("unit")
    for m in rows:
        if in_force_at_year_end(m, years[m.block_id]):
            result[m.block_id].append(m)
    return result


def members_at_year_end(block_ids: Iterable[int], years: dict[int, int]) -> dict[int, list[Unit]]:
    """block id → the units of `memberships_at_year_end` (one query)."""
    return {
        block_id: [m.unit for m in memberships]
        for block_id, memberships in memberships_at_year_end(block_ids, years).items()
    }


def _tie_key(standing: Standing, rules: list[str]) -> tuple:
    """Larger is better for every part, so the ranking sorts the negation."""
    key = []
    t = standing.totals
    for rule in rules:
        if rule == TieBreak.BASE:
            key.append(t.base_h)
        elif rule == TieBreak.PENALTY:
            key.append(t.penalty_h)  # zero or negative: closer to zero is better
        elif rule == TieBreak.BONUS:
            key.append(t.bonus_h)
        elif rule == TieBreak.SELF:
            key.append(standing.self_totals.final_h if standing.self_totals else 0)
        elif rule.startswith("group:"):
            key.append(t.groups_h.get(rule[6:], 0))
    return tuple(key)


def tie_break_label(rule: str) -> str:
    if rule.startswith("group:"):
        return _("More points in group %(code)s") % {"code": rule[6:]}
    return str(TieBreak(rule).label)


def order(standings: list[Standing], rules: list[str]) -> list[Standing]:
    """Sort and give ranks ("1, 1, 3"), noting which rule separated equal final scores."""
    keyed = [(s.totals.final_h, _tie_key(s, rules), s) for s in standings]
    keyed.sort(key=lambda t: (-t[0], tuple(-k for k in t[1]), t[2].unit.sort_key, t[2].unit.code))
    result = []
    previous = None
    for position, (final, key, standing) in enumerate(keyed, start=1):
        if previous is not None and (final, key) == (previous[0], previous[1]):
            standing.rank = previous[2].rank
            standing.tie_note = previous[2].tie_note = _("Tied after every tie-break rule")
        else:
            standing.rank = position
            if previous is not None and final == previous[0]:
                rule = next(r for r, a, b in zip(rules, key, previous[1], strict=True) if a != b)
                note = _("Placed by: %(rule)s") % {"rule": tie_break_label(rule)}
                standing.tie_note = note
                if not previous[2].tie_note:
                    previous[2].tie_note = note
        previous = (final, key, standing)
        result.append(standing)
    return result


def rank_covenants(covenants: Iterable[Covenant]) -> dict[int, Ranking]:
    """covenant id → its ranking, for any number of covenants in three queries
    (criteria, members, score tallies). The covenants need their `block` loaded."""
    covenants = list(covenants)
    if not covenants:
        return {}
    by_id = {c.pk: c for c in covenants}
    trees = load_trees(by_id)
    members = members_at_year_end(
        [c.block_id for c in covenants], {c.block_id: c.block.year for c in covenants}
    )
    # (covenant, target, criterion) → its tally (`ScoreTally.COUNTS`, in hundredths),
    # kept by `services.save_scores`: one row per cell, not one per score.
    tallies = ScoreTally.objects.filter(covenant_id__in=list(by_id)).values_list(
        "covenant_id", "target_id", "criterion_id", *ScoreTally.COUNTS
    )
    cell = {(c, t, k): tally for c, t, k, *tally in tallies}.get

    rankings = {}
    for covenant in covenants:
        tree = trees.get(covenant.pk, Tree([], {}))
        criterion_ids = list(tree.criterion_group)
        base_max = tree.base_max
        value_of = _valuer(covenant)
        standings = []
        for unit in members.get(covenant.block_id, []):
            values, self_values, missing, scorers = {}, {}, 0, 0
            for criterion_id in criterion_ids:
                tally = cell((covenant.pk, unit.pk, criterion_id))
                value, count = value_of(tally) if tally else (None, 0)
                if count > scorers:
                    scorers = count
                if value is None:
                    missing += 1
                    value = 0.0
                values[criterion_id] = value
                if tally and tally[6] is not None:
                    self_values[criterion_id] = tally[6]
            t = totals(tree, values)
            self_t = totals(tree, self_values) if self_values else None
            percent = (t.final * 100 / _points(base_max)).quantize(TWO_PLACES) if base_max else None
            standings.append(Standing(unit, t, self_t, percent, scorers, missing))
        rankings[covenant.pk] = Ranking(
            covenant, tree, order(standings, list(covenant.tie_breaks or []))
        )
    return rankings


def _valuer(covenant: Covenant):
    """The function giving, for one member's tally on one criterion, the value that
    counts (hundredths, or None) and how many scored it, by the covenant's method."""
    cross = covenant.method != ScoringMethod.LEADER
    review = covenant.method != ScoringMethod.CROSS
    trim = covenant.trim_extremes

    def value(tally):
        peer_n, peer_sum, peer_min, peer_max, review_n, review_sum, _self = tally
        parts, count = [], 0
        if cross and peer_n:
            trimmed = trim and peer_n >= TRIM_FROM
            parts.append(
                (peer_sum - peer_min - peer_max) / (peer_n - 2) if trimmed else peer_sum / peer_n
            )
            count = peer_n
        if review and review_n:
            parts.append(review_sum / review_n)
            count = max(count, review_n)
        if not parts:
            return None, 0
        return (parts[0] if len(parts) == 1 else (parts[0] + parts[1]) / 2), count

    return value


def rank_covenant(covenant: Covenant) -> Ranking:
    return rank_covenants([covenant])[covenant.pk]


# --------------------------------------------------------------------------- the matrix


@dataclass
class Cell:
    total: Decimal
    scored: int  # criteria scored on this sheet


@dataclass
class Matrix:
    """Who scored whom: the total of each sheet a scorer gave a target (caps applied
    per sheet), and how many of the covenant's criteria it covers."""

    units: list[Unit]
    cells: dict[tuple[int, int], Cell]
    criteria_count: int

    def cell(self, scorer_id: int, target_id: int) -> Cell | None:
        return self.cells.get((scorer_id, target_id))

    def rows(self):
        """(scorer, [(target, cell or None)]) for a table; the diagonal is the self-score."""
        return [(s, [(t, self.cells.get((s.pk, t.pk))) for t in self.units]) for s in self.units]


def score_matrix(covenant: Covenant, kinds=(ScoreKind.PEER, ScoreKind.SELF)) -> Matrix:
    """The "who scored whom" matrix of a covenant in three queries."""
    tree = load_trees([covenant.pk]).get(covenant.pk, Tree([], {}))
    units = sorted(
        members_at_year_end([covenant.block_id], {covenant.block_id: covenant.block.year})[
            covenant.block_id
        ],
        key=lambda u: (u.sort_key, u.code),
    )
    sheets: dict = defaultdict(dict)
    rows = (
        Score.objects.filter(covenant=covenant, kind__in=list(kinds))
        .values_list("scorer_id", "target_id", "criterion_id", "points")
        .order_by()
    )
    for scorer_id, target_id, criterion_id, points in rows:
        sheets[(scorer_id, target_id)][criterion_id] = float(points * 100)
    cells = {key: Cell(totals(tree, values).final, len(values)) for key, values in sheets.items()}
    return Matrix(units, cells, len(tree.criterion_group))


def sheet_progress(covenant: Covenant) -> dict[tuple[int, int, str], int]:
    """(scorer id, target id, kind) → criteria scored on that sheet (one query)."""
    rows = (
        Score.objects.filter(covenant=covenant)
        .values_list("scorer_id", "target_id", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(s, t, k): n for s, t, k, n in rows}
