"""Blocks and clusters (khối, cụm thi đua): members dated through the year and following
the organisation's lineage, the leader and deputies named by decision."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.accounts.choices import Action
from thidua.accounts.scope import require
from thidua.audit.services import log, snapshot
from thidua.emulation.choices import (
    BlockRoleKind,
)
from thidua.emulation.models import (
    Block,
    BlockMembership,
    BlockRole,
    Movement,
)
from thidua.emulation.ranking import memberships_at_year_end
from thidua.emulation.services import common
from thidua.org.models import LineageEdge, Unit
from thidua.text import check_code
from thidua.vietnamese import format_date


def scoring_members(block: Block) -> list[BlockMembership]:
    """The memberships that take part in the year's scoring, with their units (see
    `ranking.memberships_at_year_end`)."""
    return memberships_at_year_end([block.pk], {block.pk: block.year}).get(block.pk, [])


@transaction.atomic
def create_block(
    *,
    code: str,
    year: int,
    name: str,
    organiser: Unit,
    members: Iterable[Unit] = (),
    kind: str = "block",
    movement: Movement | None = None,
    decision_number: str = "",
    decision_date=None,
    actor,
) -> Block:
    """Set up a block (or cluster) for `year`, organised by `organiser`, with its first
    members (each a member from the start of the year, or from its establishment when
    later). Every member must exist during the year."""
    require(actor, Action.CHANGE, organiser)
    check_code(code)
    block = Block(
        code=code,
        year=year,
        name=name,
        kind=kind,
        organiser=organiser,
        movement=movement,
        decision_number=decision_number,
        decision_date=decision_date,
    )
    block.full_clean()
    if movement is not None and movement.year != year:
        raise ValidationError(
            {"movement": _("The movement is of %(year)s.") % {"year": movement.year}}
        )
    block.save()
    log("emulation.block.create", block, actor=actor, after=snapshot(block))
    _add_members(block, list(members), None, actor)
    return block


def _add_members(block, units, joined_on, actor, note=""):
    """Add memberships (validated as a whole first); audited once."""
    if len({u.pk for u in units}) != len(units):
        raise ValidationError({"members": _("A unit is listed more than once.")})
    existing = common.existing_in_year(units, block.year)
    first, last = common.year_bounds(block.year)
    active = set(
        block.memberships.filter(left_on__isnull=True, unit__in=units).values_list(
            "unit_id", flat=True
        )
    )
    rows = []
    for unit in units:
        require(actor, Action.VIEW, unit)
        params = {"code": unit.code, "year": block.year}
        if unit.pk not in existing:
            raise ValidationError(
                {"members": _("Unit %(code)s did not exist in %(year)s.") % params}
            )
        if unit.pk in active:
            raise ValidationError({"members": _("Unit %(code)s is already a member.") % params})
        start = joined_on or max(first, unit.established_on or first)
        if not first <= start <= last:
            raise ValidationError(
                {"joined_on": _("A member joins during the block's year %(year)s.") % params}
            )
        rows.append(BlockMembership(block=block, unit=unit, joined_on=start, note=note))
    BlockMembership.objects.bulk_create(rows)
    if rows:
        log(
            "emulation.block.add_members",
            block,
            actor=actor,
            after={"members": [[m.unit.code, m.joined_on.isoformat()] for m in rows]},
        )
    return rows


@transaction.atomic
def add_member(block: Block, unit: Unit, *, joined_on=None, note="", actor):
    """Add a member to a block from `joined_on` (default: the start of the year)."""
    require(actor, Action.CHANGE, block.organiser)
    return _add_members(block, [unit], joined_on, actor, note)[0]


@transaction.atomic
def end_membership(block: Block, unit: Unit, left_on, *, note="", actor):
    """End a unit's membership on `left_on` (its last day is the day before)."""
    require(actor, Action.CHANGE, block.organiser)
    membership = (
        block.memberships.select_for_update().filter(unit=unit, left_on__isnull=True).first()
    )
    if membership is None:
        raise ValidationError(_("Unit %(code)s is not a member.") % {"code": unit.code})
    if left_on <= membership.joined_on:
        raise ValidationError({"left_on": _("A member leaves after it joined.")})
    before = snapshot(membership)
    membership.left_on = left_on
    membership.note = note or membership.note
    membership.save(update_fields=["left_on", "note"])
    log(
        "emulation.block.end_membership",
        membership,
        actor=actor,
        before=before,
        after=snapshot(membership),
    )
    return membership


@transaction.atomic
def follow_reorganisation(block: Block, *, actor) -> list[BlockMembership]:
    """Bring the members in line with the organisation's lineage: a member dissolved
    during the block's year (a merger, a split) leaves on its dissolution day, and each
    successor recorded by the lineage joins that day unless already a member. Returns the
    memberships added. Running it twice changes nothing the second time."""
    require(actor, Action.CHANGE, block.organiser)
    first, last = common.year_bounds(block.year)
    gone = list(
        block.memberships.select_for_update()
        .filter(left_on__isnull=True, unit__dissolved_on__gt=first, unit__dissolved_on__lte=last)
        .select_related("unit")
    )
    if not gone:
        return []
    edges = LineageEdge.objects.filter(
        predecessor__in=[m.unit for m in gone], successor__isnull=False
    ).select_related("successor", "event")
    dissolved_on = {m.unit_id: m.unit.dissolved_on for m in gone}
    successors: dict[int, list[Unit]] = {}
    for edge in edges:
        # The edges of the event that dissolved it (not an older rename of the unit).
        if edge.event.date == dissolved_on[edge.predecessor_id]:
            successors.setdefault(edge.predecessor_id, []).append(edge.successor)
    active = set(block.memberships.filter(left_on__isnull=True).values_list("unit_id", flat=True))
    added = []
    for membership in gone:
        day = membership.unit.dissolved_on
        before = snapshot(membership)
        membership.left_on = day
        membership.note = _("Dissolved on %(day)s") % {"day": format_date(day)}
        membership.save(update_fields=["left_on", "note"])
        log(
            "emulation.block.end_membership",
            membership,
            actor=actor,
            before=before,
            after=snapshot(membership),
        )
        for successor in successors.get(membership.unit_id, []):
            if successor.pk in active or successor.pk == membership.unit_id:
                continue
            active.add(successor.pk)
            added.append(
                BlockMembership.objects.create(
                    block=block,
                    unit=successor,
                    joined_on=day,
                    note=_("Successor of %(code)s") % {"code": membership.unit.code},
                )
            )
    if added:
        log(
            "emulation.block.add_members",
            block,
            actor=actor,
            after={"members": [[m.unit.code, m.joined_on.isoformat()] for m in added]},
            message="lineage",
        )
    return added


@transaction.atomic
def name_block_roles(
    block: Block,
    *,
    leader: Unit,
    deputies: Iterable[Unit] = (),
    decision_number: str,
    decision_date,
    actor,
) -> list[BlockRole]:
    """Name the block leader and deputies by a decision, replacing any named before.
    Each must be a member of the block; the leader is not also a deputy."""
    require(actor, Action.CHANGE, block.organiser)
    deputies = list(deputies)
    decision_number = (decision_number or "").strip()
    if not decision_number:
        raise ValidationError({"decision_number": _("The naming decision needs a number.")})
    if decision_date is None:
        raise ValidationError({"decision_date": _("The naming decision needs a date.")})
    if leader.pk in {d.pk for d in deputies} or len({d.pk for d in deputies}) != len(deputies):
        raise ValidationError({"deputies": _("A unit holds one role in a block.")})
    members = {m.unit_id for m in scoring_members(block)}
    for field, unit in [("leader", leader)] + [("deputies", d) for d in deputies]:
        if unit.pk not in members:
            raise ValidationError(
                {field: _("Unit %(code)s is not a member of this block.") % {"code": unit.code}}
            )
    before = [[r.unit.code, r.role] for r in block.roles.select_related("unit")]
    block.roles.all().delete()
    roles = BlockRole.objects.bulk_create(
        [
            BlockRole(
                block=block,
                unit=unit,
                role=role,
                decision_number=decision_number,
                decision_date=decision_date,
            )
            for unit, role in [(leader, BlockRoleKind.LEADER)]
            + [(d, BlockRoleKind.DEPUTY) for d in deputies]
        ]
    )
    log(
        "emulation.block.name_roles",
        block,
        actor=actor,
        before={"roles": before},
        after={
            "roles": [[r.unit.code, r.role] for r in roles],
            "decision_number": decision_number,
            "decision_date": decision_date.isoformat(),
        },
    )
    return roles


@transaction.atomic
def set_up_block(
    *,
    code: str,
    year: int,
    name: str,
    organiser: Unit,
    members: Iterable[Unit],
    kind: str = "block",
    movement: Movement | None = None,
    decision_number: str = "",
    decision_date=None,
    leader: Unit | None = None,
    deputies: Iterable[Unit] = (),
    roles_decision_number: str = "",
    roles_decision_date=None,
    actor,
) -> Block:
    """Set up a block as its establishing decision does: the block with its members
    (`create_block`) and, when a leader is given, its leader and deputies
    (`name_block_roles`), named by `roles_decision_*` or else by the establishing
    decision. All or nothing; problems of the roles are reported on the `leader`,
    `deputies` and `roles_decision_*` fields."""
    deputies = list(deputies)
    block = create_block(
        code=code,
        year=year,
        name=name,
        organiser=organiser,
        members=members,
        kind=kind,
        movement=movement,
        decision_number=decision_number,
        decision_date=decision_date,
        actor=actor,
    )
    if leader is None:
        if deputies:
            raise ValidationError({"leader": _("Name the leader together with the deputies.")})
        return block
    try:
        name_block_roles(
            block,
            leader=leader,
            deputies=deputies,
            decision_number=(roles_decision_number or "").strip() or decision_number,
            decision_date=roles_decision_date or decision_date,
            actor=actor,
        )
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        renamed = {
            "decision_number": "roles_decision_number",
            "decision_date": "roles_decision_date",
        }
        raise ValidationError(
            {renamed.get(field, field): errors for field, errors in exc.error_dict.items()}
        ) from None
    return block
