"""Read-side queries of emulation work, shared by the pages, the API and the eligibility
engine. Each reads a whole set in a fixed number of queries.

Who sees what (on top of `thidua.accounts.scope`):

- a block is visible to whoever may see its organising unit or one of its members;
- every sheet of a block, and its ranking while unpublished, to whoever may see the
  organising unit or the block leader's unit ("sees all sheets");
- a member's own sheets (those it gives) to whoever may see that member;
- the ranking and the "who scored whom" matrix of a published block to every viewer of
  the block.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from thidua.accounts.choices import ROLE_ACTIONS, Action
from thidua.accounts.models import UserRole
from thidua.accounts.scope import unit_ids_for
from thidua.emulation.choices import BlockRoleKind, CovenantStatus, ScoreKind, ScoringMethod
from thidua.emulation.models import (
    Block,
    BlockLead,
    BlockMembership,
    BlockRole,
    Criterion,
    Movement,
    Registration,
    Signature,
)
from thidua.emulation.ranking import (
    in_force_at_year_end,
    members_at_year_end,
    rank_covenants,
    sheet_progress,
)
from thidua.org.choices import UnitKind
from thidua.org.ids import InIds
from thidua.org.models import Unit
from thidua.rules.sources import Fact
from thidua.vietnamese import format_number

# Leading a block counts toward the provincial (or ministerial) emulation flag only when
# the province or the ministry organises the block (Law 06/2022 Điều 26; docs/legal/titles.md).
FLAG_ORGANISER_KINDS = frozenset({UnitKind.PROVINCE, UnitKind.CENTRAL})
ROLES_THAT_CHANGE = [role for role, actions in ROLE_ACTIONS.items() if Action.CHANGE in actions]


# --------------------------------------------------------------------------- scope


def visible_blocks(user, action: str = Action.VIEW) -> QuerySet[Block]:
    """Blocks whose organiser or one of whose members the user may see."""
    ids = unit_ids_for(user, action)
    blocks = Block.objects.all()
    if ids is None:
        return blocks
    member = BlockMembership.objects.filter(InIds("unit_id", ids), block=OuterRef("pk"))
    return blocks.filter(Q(InIds("organiser_id", ids)) | Exists(member))


def visible_movements(user) -> QuerySet[Movement]:
    """Movements launched by a unit in the user's scope, or with a block the user sees,
    or launched by a unit above one of the user's units (a district sees the
    province's movement it takes part in)."""
    ids = unit_ids_for(user, Action.VIEW)
    movements = Movement.objects.all()
    if ids is None:
        return movements
    in_block = Block.objects.filter(movement=OuterRef("pk")).filter(
        Q(InIds("organiser_id", ids))
        | Exists(BlockMembership.objects.filter(InIds("unit_id", ids), block=OuterRef("pk")))
    )
    registered = Registration.objects.filter(InIds("unit_id", ids), movement=OuterRef("pk"))
    return movements.filter(Q(InIds("launched_by_id", ids)) | Exists(in_block) | Exists(registered))


def may_act(user) -> bool:
    """The user may change something for some unit (launch a movement, set up a block)."""
    ids = unit_ids_for(user, Action.CHANGE)
    return ids is None or bool(ids)


# Units that launch movements and organise blocks come first in a choice of units.
_KIND_ORDER = Case(
    When(kind=UnitKind.CENTRAL, then=Value(0)),
    When(kind=UnitKind.PROVINCE, then=Value(1)),
    When(kind=UnitKind.DISTRICT, then=Value(2)),
    default=Value(3),
)


def acting_units(user, limit: int) -> list[Unit]:
    """Up to `limit` units the user may change, for a choice of the unit acting (the
    launching or organising unit), in one query: the units the user holds a role on
    first, then by level (central, province, district, others) and name. A unit with
    a large subtree therefore always offers itself, whatever the size of the subtree."""
    ids = unit_ids_for(user, Action.CHANGE)
    units = Unit.objects.all() if ids is None else Unit.objects.filter(InIds("pk", ids))
    roots = UserRole.objects.filter(
        user_id=user.pk, unit=OuterRef("pk"), role__in=ROLES_THAT_CHANGE
    )
    return list(
        units.annotate(holds_role=Exists(roots), level=_KIND_ORDER).order_by(
            "-holds_role", "level", "sort_key", "code"
        )[:limit]
    )


@dataclass
class BlockAccess:
    """What one user may see and do in one block."""

    all_sheets: bool  # the organiser's or the leader's people
    manage: bool  # the organiser's officers
    own_units: frozenset[int]  # members the user may see
    change_units: frozenset[int]  # members the user may score for or sign for
    results: bool  # ranking and matrix


def block_access(user, block: Block, members: Iterable[int], roles: dict) -> BlockAccess:
    """The user's rights in `block`, from the scope (read once per request)."""
    view = unit_ids_for(user, Action.VIEW)
    change = unit_ids_for(user, Action.CHANGE)
    members = set(members)
    leaders = set(roles.get(BlockRoleKind.LEADER, ()))

    def sees(ids, unit_id):
        return ids is None or unit_id in ids

    all_sheets = sees(view, block.organiser_id) or any(sees(view, u) for u in leaders)
    manage = sees(change, block.organiser_id)
    own = frozenset(u for u in members if sees(view, u))
    changeable = frozenset(
        u for u in members | set(roles.get(BlockRoleKind.DEPUTY, ())) | leaders if sees(change, u)
    )
    published = getattr(getattr(block, "covenant", None), "status", None) == (
        CovenantStatus.PUBLISHED
    )
    return BlockAccess(all_sheets, manage, own, changeable, all_sheets or published)


def can_view_sheet(access: BlockAccess, scorer_id: int) -> bool:
    return access.all_sheets or scorer_id in access.own_units


# --------------------------------------------------------------------------- blocks


def roles_of(block: Block) -> dict[str, list[int]]:
    roles: dict[str, list[int]] = {BlockRoleKind.LEADER: [], BlockRoleKind.DEPUTY: []}
    for unit_id, role in BlockRole.objects.filter(block=block).values_list("unit_id", "role"):
        roles[role].append(unit_id)
    return roles


@dataclass
class RotationSuggestion:
    """A leader and a deputy proposed for a block's year, with why."""

    leader: Unit | None
    deputy: Unit | None
    reasons: list[str]


def suggest_rotation(block: Block) -> RotationSuggestion:
    """Suggest the year's leader and deputy from past years of the same block (same
    code), in three queries: last year's deputy moves up to leader if still a member;
    otherwise the member that led least recently (never first) leads. The deputy is the
    remaining member that held neither role for the longest time. Ties go in
    alphabetical order."""
    members = sorted(
        members_at_year_end([block.pk], {block.pk: block.year})[block.pk],
        key=lambda u: (u.sort_key, u.code),
    )
    if not members:
        return RotationSuggestion(None, None, [_("The block has no members.")])
    past = BlockRole.objects.filter(block__code=block.code, block__year__lt=block.year).values_list(
        "unit_id", "role", "block__year"
    )
    last_led: dict[int, int] = {}
    last_role: dict[int, int] = {}
    deputies_last_year = set()
    for unit_id, role, year in past:
        last_role[unit_id] = max(last_role.get(unit_id, 0), year)
        if role == BlockRoleKind.LEADER:
            last_led[unit_id] = max(last_led.get(unit_id, 0), year)
        elif year == block.year - 1:
            deputies_last_year.add(unit_id)
    reasons = []
    promoted = [u for u in members if u.pk in deputies_last_year]
    if promoted:
        leader = promoted[0]
        reasons.append(
            _("%(unit)s was deputy leader in %(year)s.")
            % {"unit": leader.name, "year": block.year - 1}
        )
    else:
        leader = min(members, key=lambda u: last_led.get(u.pk, 0))
        year = last_led.get(leader.pk)
        params = {"unit": leader.name, "year": year}
        reasons.append(
            _("%(unit)s last led the block in %(year)s.") % params
            if year
            else _("%(unit)s never led the block.") % params
        )
    rest = [u for u in members if u.pk != leader.pk]
    deputy = min(rest, key=lambda u: last_role.get(u.pk, 0)) if rest else None
    if deputy is not None:
        year = last_role.get(deputy.pk)
        params = {"unit": deputy.name, "year": year}
        reasons.append(
            _("%(unit)s last held a role in the block in %(year)s.") % params
            if year
            else _("%(unit)s never held a role in the block.") % params
        )
    return RotationSuggestion(leader, deputy, reasons)


# --------------------------------------------------------------------------- eligibility


def block_leaders(
    year: int, unit_ids: Iterable[int], *, organiser_kinds: Iterable[str] | None = None
) -> dict[int, BlockLead]:
    """unit id → the recorded lead (`BlockLead`, with its block and organiser loaded) of
    each given unit that leads a block of `year`, in one query. `organiser_kinds` limits
    the blocks to those organised by units of these kinds (e.g. the province). A unit
    leading two blocks answers with the one of the better rank."""
    leads = BlockLead.objects.filter(InIds("unit_id", unit_ids), block__year=year)
    if organiser_kinds is not None:
        leads = leads.filter(block__organiser__kind__in=list(organiser_kinds))
    result: dict[int, BlockLead] = {}
    for lead in leads.select_related("block__organiser").order_by("-rank", "-id"):
        result[lead.unit_id] = lead
    return result


def published_members(
    year: int, unit_ids: Iterable[int], *, organiser_kinds: Iterable[str] | None = None
) -> dict[int, Block]:
    """unit id → a block of `year` whose results are published and of which the unit
    was a member at the end of the year (one query)."""
    last = datetime.date(year, 12, 31)
    rows = BlockMembership.objects.filter(
        InIds("unit_id", unit_ids),
        block__year=year,
        block__covenant__status=CovenantStatus.PUBLISHED,
        joined_on__lte=last,
    ).filter(Q(left_on__isnull=True) | Q(left_on__gt=last))
    if organiser_kinds is not None:
        rows = rows.filter(block__organiser__kind__in=list(organiser_kinds))
    return {m.unit_id: m.block for m in rows.select_related("block__covenant")}


def lead_evidence(lead: BlockLead) -> str:
    return _("%(block)s %(year)s: rank %(rank)s, %(score)s points") % {
        "block": lead.block.name,
        "year": lead.block.year,
        "rank": lead.rank,
        "score": format_number(lead.score, 2),
    }


def leads_block_source(unit_ids: Iterable[int], year: int) -> dict[int, Fact]:
    """The eligibility engine's "leads its block" fact (`thidua.rules.sources`), in two
    queries: True for a unit recorded as leading a block the province (or a ministry)
    organises; False for a member of such a block whose results are published without
    it leading; nothing (unknown) for any other unit."""
    unit_ids = list(unit_ids)
    leads = block_leaders(year, unit_ids, organiser_kinds=FLAG_ORGANISER_KINDS)
    facts = {uid: Fact(True, lead_evidence(lead)) for uid, lead in leads.items()}
    rest = [uid for uid in unit_ids if uid not in facts]
    for uid, block in published_members(year, rest, organiser_kinds=FLAG_ORGANISER_KINDS).items():
        facts[uid] = Fact(
            False,
            _("%(block)s %(year)s: results published on %(day)s, not leading")
            % {
                "block": block.name,
                "year": year,
                "day": block.covenant.published_on.strftime("%d/%m/%Y")
                if block.covenant.published_on
                else "—",
            },
        )
    return facts


# Above this many subjects, the year's registrations are read whole and kept here if
# their subject was asked for: a province-wide population would otherwise travel as one
# bound parameter per person (the year's registrations are far fewer than its people).
IDS_IN_SQL = 1000


def _registration_facts(rows, key: str, ids: Iterable[int]) -> dict[int, dict[str, Fact]]:
    """subject id (`key`: unit_id or person_id) → {award code → Fact} for the asked `ids`,
    in one query whatever their number."""
    ids = set(ids)
    if len(ids) <= IDS_IN_SQL:
        rows = rows.filter(**{f"{key}__in": ids})
    facts: dict[int, dict[str, Fact]] = {}
    for r in rows.select_related("movement").order_by("registered_on", "id"):
        subject = getattr(r, key)
        if subject not in ids:
            continue
        evidence = _("%(movement)s, registered on %(day)s") % {
            "movement": r.movement.name,
            "day": r.registered_on.strftime("%d/%m/%Y"),
        }
        facts.setdefault(subject, {})[r.award_code] = Fact(True, evidence)
    return facts


def registered_units_source(unit_ids: Iterable[int], year: int) -> dict[int, dict[str, Fact]]:
    """The eligibility engine's "registered" fact for collectives (`thidua.rules.sources`,
    read when the deployment parameter registration_required is true), in one query:
    unit id → {award code → Fact(True, evidence)} for the titles each unit registered
    itself for in a movement of `year`. A title missing from a unit's answer was not
    registered, as far as the records go; a unit missing from the answer has no
    registration recorded for the year (unknown to the engine)."""
    rows = Registration.objects.filter(movement__year=year, person__isnull=True)
    return _registration_facts(rows, "unit_id", unit_ids)


def registered_people_source(person_ids: Iterable[int], year: int) -> dict[int, dict[str, Fact]]:
    """person id → {award code → Fact(True, evidence)}, like `registered_units_source`,
    for the titles registered for each person (through the unit they work in)."""
    rows = Registration.objects.filter(movement__year=year, person__isnull=False)
    return _registration_facts(rows, "person_id", person_ids)


# --------------------------------------------------------------------------- pages


@dataclass
class SheetLink:
    """A scoring sheet: who scores whom, of what kind, and how far it has got."""

    scorer: Unit
    target: Unit
    kind: str
    scored: int
    total: int
    editable: bool

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.scored >= self.total


@dataclass
class MemberRow:
    membership: BlockMembership
    role: str | None
    signature: object | None
    self_scored: int
    sheets_given: int  # complete cross-score sheets it gave
    sheets_expected: int

    @property
    def unit(self) -> Unit:
        return self.membership.unit


@dataclass
class BlockPage:
    """Everything the block dashboard shows, read in a fixed number of queries."""

    block: Block
    covenant: object | None
    access: BlockAccess
    members: list[MemberRow]
    former: list[BlockMembership]  # members that left during the year
    roles: list[BlockRole]
    ranking: object | None
    leads: list[BlockLead]
    scorers: list[Unit]  # the members the user may open sheets of, as the scorer
    scorer: Unit | None  # the one whose sheets are listed
    sheets: list[SheetLink]
    criteria_count: int
    locked: bool


@dataclass
class _Progress:
    """A covenant's scoring state as the dashboard needs it."""

    signatures: dict
    sheets: dict  # (scorer id, target id, kind) → criteria scored
    criteria_count: int
    locked: bool


def _covenant_progress(covenant, today: datetime.date) -> _Progress:
    if covenant is None:
        return _Progress({}, {}, 0, True)
    return _Progress(
        {s.unit_id: s for s in Signature.objects.filter(covenant=covenant)},
        sheet_progress(covenant),
        Criterion.objects.filter(covenant=covenant).count(),
        covenant.is_locked(today),
    )


def _sheet_links(covenant, scorer, units, access, role_ids, progress) -> list[SheetLink]:
    """The sheets `scorer` gives: its self-score, its cross-scores and its reviews, as
    the covenant's method and the roles of the block say."""
    if covenant is None or scorer is None:
        return []
    editable = scorer.pk in access.change_units and not progress.locked

    def link(target, kind):
        done = progress.sheets.get((scorer.pk, target.pk, kind), 0)
        return SheetLink(scorer, target, kind, done, progress.criteria_count, editable)

    leaders = set(role_ids[BlockRoleKind.LEADER])
    sheets = [link(scorer, ScoreKind.SELF)]
    if covenant.method != ScoringMethod.LEADER:
        sheets += [link(t, ScoreKind.PEER) for t in units if t.pk != scorer.pk]
    if covenant.method != ScoringMethod.CROSS:
        if scorer.pk in leaders:
            sheets += [link(t, ScoreKind.REVIEW) for t in units if t.pk not in leaders]
        elif scorer.pk in role_ids[BlockRoleKind.DEPUTY]:
            sheets += [link(t, ScoreKind.REVIEW) for t in units if t.pk in leaders]
    return sheets


def _member_rows(current, role_of, progress) -> list[MemberRow]:
    """One row per current member: role, signature, self-score and cross-scores given."""
    expected = max(len(current) - 1, 0)
    given = {m.unit_id: 0 for m in current}
    for (s, _t, kind), n in progress.sheets.items():
        complete = progress.criteria_count and n >= progress.criteria_count
        if kind == ScoreKind.PEER and complete and s in given:
            given[s] += 1
    return [
        MemberRow(
            m,
            role_of.get(m.unit_id),
            progress.signatures.get(m.unit_id),
            progress.sheets.get((m.unit_id, m.unit_id, ScoreKind.SELF), 0),
            given[m.unit_id],
            expected,
        )
        for m in current
    ]


def block_page(block: Block, user, today: datetime.date, scorer_code: str = "") -> BlockPage:
    """The dashboard of `block` as `user` may see it (the block must be visible). The
    sheets listed are those of one member, `scorer_code` or the first the user acts for."""
    memberships = list(block.memberships.select_related("unit"))
    current = [m for m in memberships if in_force_at_year_end(m, block.year)]
    current.sort(key=lambda m: (m.unit.sort_key, m.unit.code))
    former = [m for m in memberships if not in_force_at_year_end(m, block.year)]
    roles = list(block.roles.select_related("unit"))
    role_ids = {BlockRoleKind.LEADER: [], BlockRoleKind.DEPUTY: []}
    for r in roles:
        role_ids[r.role].append(r.unit_id)
    covenant = block.covenant if has_covenant(block) else None
    access = block_access(user, block, [m.unit_id for m in current], role_ids)
    units = [m.unit for m in current]
    scorers = [u for u in units if u.pk in access.change_units or u.pk in access.own_units]
    scorer = next((u for u in scorers if u.code == scorer_code), scorers[0] if scorers else None)
    progress = _covenant_progress(covenant, today)
    ranking = None
    if covenant is not None and access.results:
        ranking = rank_covenants([covenant])[covenant.pk]
    return BlockPage(
        block,
        covenant,
        access,
        _member_rows(current, {r.unit_id: r.role for r in roles}, progress),
        former,
        roles,
        ranking,
        list(block.leads.select_related("unit")),
        scorers,
        scorer,
        _sheet_links(covenant, scorer, units, access, role_ids, progress),
        progress.criteria_count,
        progress.locked,
    )


def has_covenant(block: Block) -> bool:
    try:
        return block.covenant is not None
    except Block.covenant.RelatedObjectDoesNotExist:
        return False
