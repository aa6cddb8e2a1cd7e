"""Verbs that change emulation work: movements, blocks, covenants, signatures, scores,
registrations and the recorded leading units.

Every verb checks the actor's scope (`thidua.accounts.scope`) before writing, validates,
writes in one `transaction.atomic()` and leaves an audit entry (`thidua.audit.services.log`).
A refused change writes nothing, with one deliberate exception: a score edit refused
because scoring is locked leaves an audit entry of the attempt
(`emulation.score.refused`), written after the refused transaction has been rolled back.

Who may do what (each a `Action.CHANGE` right through the scope, so it holds for the unit
and for officers of the units above it):

- the organising unit manages its blocks: members, leader and deputies, the covenant and
  its criteria, locking, reopening and publishing;
- a member unit signs the covenant and scores for itself: its self-score and the
  cross-scores it gives the other members;
- the block leader's unit writes the leader's reviews (a deputy reviews the leader's own
  unit);
- a unit registers its own titles and those of its people.

`actor=None` is the system itself (the operator's CLI, the demo loader). `today` defaults
to the local date; tests and the demo pass it to act on a given day.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts.choices import Action
from thidua.accounts.scope import require
from thidua.audit.services import log, snapshot
from thidua.emulation.choices import (
    COVENANT_TRANSITIONS,
    BlockRoleKind,
    CovenantStatus,
    GroupKind,
    MovementKind,
    ReviewKind,
    ScoreKind,
    ScoringMethod,
    TieBreak,
)
from thidua.emulation.models import (
    Block,
    BlockLead,
    BlockMembership,
    BlockRole,
    Covenant,
    Criterion,
    CriterionGroup,
    Movement,
    MovementReview,
    Registration,
    Score,
    ScoreTally,
    Signature,
)
from thidua.emulation.ranking import memberships_at_year_end, rank_covenant
from thidua.org.models import Employment, LineageEdge, Person, Unit, UnitVersion
from thidua.records.services import check_award_code
from thidua.vietnamese import format_date

TWO_PLACES = Decimal("0.01")


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """The first and the last day of `year`."""
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _existing_in_year(units: Iterable[Unit], year: int) -> set[int]:
    """Ids of the given units that existed at some time during `year` (one query)."""
    first, last = year_bounds(year)
    return set(
        UnitVersion.objects.filter(unit__in=list(units), valid_from__lte=last)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=first))
        .values_list("unit_id", flat=True)
    )


# --------------------------------------------------------------------------- movements


@transaction.atomic
def launch_movement(*, launched_by: Unit, actor=None, **fields) -> Movement:
    """Record a movement launched by `launched_by`'s decision (number, date, signer) with
    its content and period. The actor needs the change right on the launching unit."""
    require(actor, Action.CHANGE, launched_by)
    movement = Movement(launched_by=launched_by, **fields)
    movement.full_clean()
    if movement.kind == MovementKind.REGULAR and movement.period_start.year != movement.year:
        raise ValidationError(
            {"period_start": _("A regular movement's period starts in its year.")}
        )
    movement.save()
    log("emulation.movement.launch", movement, actor=actor, after=snapshot(movement))
    return movement


@transaction.atomic
def record_movement_review(
    movement: Movement, *, kind: str, held_on, decision_number="", summary="", actor=None
) -> MovementReview:
    """Record an interim or the final review of a movement (Law 06/2022 Điều 17)."""
    require(actor, Action.CHANGE, movement.launched_by)
    if kind == ReviewKind.FINAL and movement.reviews.filter(kind=ReviewKind.FINAL).exists():
        raise ValidationError({"kind": _("This movement already has its final review.")})
    if held_on < movement.period_start:
        raise ValidationError({"held_on": _("A review is held after the movement starts.")})
    review = MovementReview(
        movement=movement,
        kind=kind,
        held_on=held_on,
        decision_number=decision_number,
        summary=summary,
    )
    review.full_clean()
    review.save()
    log("emulation.movement.review", review, actor=actor, after=snapshot(review))
    return review


# --------------------------------------------------------------------------- blocks


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
    actor=None,
) -> Block:
    """Set up a block (or cluster) for `year`, organised by `organiser`, with its first
    members (each a member from the start of the year, or from its establishment when
    later). Every member must exist during the year."""
    require(actor, Action.CHANGE, organiser)
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
    existing = _existing_in_year(units, block.year)
    first, last = year_bounds(block.year)
    active = set(
        block.memberships.filter(left_on__isnull=True, unit__in=units).values_list(
            "unit_id", flat=True
        )
    )
    rows = []
    for unit in units:
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
def add_member(block: Block, unit: Unit, *, joined_on=None, note="", actor=None):
    """Add a member to a block from `joined_on` (default: the start of the year)."""
    require(actor, Action.CHANGE, block.organiser)
    return _add_members(block, [unit], joined_on, actor, note)[0]


@transaction.atomic
def end_membership(block: Block, unit: Unit, left_on, *, note="", actor=None):
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
def follow_reorganisation(block: Block, *, actor=None) -> list[BlockMembership]:
    """Bring the members in line with the organisation's lineage: a member dissolved
    during the block's year (a merger, a split) leaves on its dissolution day, and each
    successor recorded by the lineage joins that day unless already a member. Returns the
    memberships added. Running it twice changes nothing the second time."""
    require(actor, Action.CHANGE, block.organiser)
    first, last = year_bounds(block.year)
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
    actor=None,
) -> list[BlockRole]:
    """Name the block leader and deputies by a decision, replacing any named before.
    Each must be a member of the block; the leader is not also a deputy."""
    require(actor, Action.CHANGE, block.organiser)
    deputies = list(deputies)
    if not decision_number.strip():
        raise ValidationError({"decision_number": _("The naming decision needs a number.")})
    if leader.pk in {d.pk for d in deputies} or len({d.pk for d in deputies}) != len(deputies):
        raise ValidationError({"deputies": _("A unit holds one role in a block.")})
    members = {m.unit_id for m in scoring_members(block)}
    for unit in [leader, *deputies]:
        if unit.pk not in members:
            raise ValidationError(
                {"leader": _("Unit %(code)s is not a member of this block.") % {"code": unit.code}}
            )
    before = [[r.unit.code, r.role] for r in block.roles.select_related("unit")]
    block.roles.all().delete()
    roles = BlockRole.objects.bulk_create(
        [
            BlockRole(
                block=block,
                unit=unit,
                role=role,
                decision_number=decision_number.strip(),
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
            "decision_date": decision_date.isoformat() if decision_date else None,
        },
    )
    return roles


# --------------------------------------------------------------------------- covenants


@dataclass
class CriterionSpec:
    code: str
    title: str
    max_points: Decimal | int | str
    guidance: str = ""


@dataclass
class GroupSpec:
    code: str
    title: str
    kind: str = GroupKind.BASE
    cap: Decimal | int | str | None = None
    criteria: list[CriterionSpec] | None = None


def _decimal(value, field: str, label: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {field: _("%(label)s: “%(value)s” is not a number.") % {"label": label, "value": value}}
        ) from None
    if not number.is_finite():
        raise ValidationError(
            {field: _("%(label)s: “%(value)s” is not a number.") % {"label": label, "value": value}}
        )
    return number


def check_tie_breaks(rules, group_codes: set[str]) -> list[str]:
    """The tie-break rules, each a `TieBreak` value or `group:<code>` of a group."""
    if not isinstance(rules, list | tuple):
        raise ValidationError({"tie_breaks": _("The tie-break rules are a list.")})
    known = set(TieBreak.values)
    for rule in rules:
        if rule in known:
            continue
        if isinstance(rule, str) and rule.startswith("group:") and rule[6:] in group_codes:
            continue
        raise ValidationError(
            {"tie_breaks": _("Unknown tie-break rule “%(rule)s”.") % {"rule": rule}}
        )
    if len(set(rules)) != len(rules):
        raise ValidationError({"tie_breaks": _("A tie-break rule is listed twice.")})
    return list(rules)


def _write_criteria(covenant: Covenant, groups: list[GroupSpec]) -> None:
    """Replace the covenant's criteria tree, validated as a whole first."""
    if not groups:
        raise ValidationError({"criteria": _("A covenant needs at least one criteria group.")})
    group_rows, criterion_rows = [], []
    seen_groups, seen_criteria = set(), set()
    for g_pos, spec in enumerate(groups, start=1):
        code = (spec.code or "").strip()
        if not code or code in seen_groups:
            raise ValidationError(
                {
                    "criteria": _("Group %(code)s: a group needs a code of its own.")
                    % {"code": code or "?"}
                }
            )
        seen_groups.add(code)
        if spec.kind not in GroupKind.values:
            raise ValidationError(
                {
                    "criteria": _("Group %(code)s: unknown kind %(kind)s.")
                    % {"code": code, "kind": spec.kind}
                }
            )
        cap = None
        if spec.cap not in (None, ""):
            cap = _decimal(spec.cap, "criteria", _("Group %(code)s cap") % {"code": code})
            if cap < 0:
                raise ValidationError(
                    {
                        "criteria": _("Group %(code)s: the cap is a positive number.")
                        % {"code": code}
                    }
                )
        if not spec.criteria:
            raise ValidationError(
                {"criteria": _("Group %(code)s has no criteria.") % {"code": code}}
            )
        group = CriterionGroup(
            covenant=covenant, position=g_pos, code=code, title=spec.title, kind=spec.kind, cap=cap
        )
        group_rows.append(group)
        for c_pos, crit in enumerate(spec.criteria, start=1):
            c_code = (crit.code or "").strip()
            if not c_code or c_code in seen_criteria:
                raise ValidationError(
                    {
                        "criteria": _("Criterion %(code)s: a criterion needs a code of its own.")
                        % {"code": c_code or "?"}
                    }
                )
            seen_criteria.add(c_code)
            max_points = _decimal(
                crit.max_points, "criteria", _("Criterion %(code)s maximum") % {"code": c_code}
            )
            if max_points <= 0:
                raise ValidationError(
                    {
                        "criteria": _("Criterion %(code)s: the maximum is above 0.")
                        % {"code": c_code}
                    }
                )
            if not crit.title.strip():
                raise ValidationError(
                    {"criteria": _("Criterion %(code)s needs a title.") % {"code": c_code}}
                )
            criterion_rows.append(
                (
                    group,
                    Criterion(
                        covenant=covenant,
                        position=c_pos,
                        code=c_code,
                        title=crit.title.strip(),
                        max_points=max_points,
                        guidance=crit.guidance,
                    ),
                )
            )
    if not any(g.kind == GroupKind.BASE for g in group_rows):
        raise ValidationError(
            {"criteria": _("A covenant needs at least one group of criteria that score points.")}
        )
    covenant.criteria.all().delete()
    covenant.groups.all().delete()
    CriterionGroup.objects.bulk_create(group_rows)
    for group, criterion in criterion_rows:
        criterion.group = group
    Criterion.objects.bulk_create([c for _g, c in criterion_rows])


def criteria_state(covenant: Covenant) -> list:
    """The criteria tree as JSON-ready data (for audit entries)."""
    groups = {
        g.pk: [g.code, g.kind, str(g.cap) if g.cap is not None else None, []]
        for g in covenant.groups.all()
    }
    for c in covenant.criteria.all():
        groups[c.group_id][3].append([c.code, str(c.max_points)])
    return list(groups.values())


@transaction.atomic
def create_covenant(
    block: Block,
    *,
    title: str,
    scoring_deadline,
    groups: list[GroupSpec],
    method: str = ScoringMethod.CROSS,
    trim_extremes: bool = False,
    tie_breaks: list[str] | None = None,
    number: str = "",
    place: str = "",
    signing_date=None,
    actor=None,
) -> Covenant:
    """Draft the block's covenant with its criteria tree (a block has one covenant)."""
    require(actor, Action.CHANGE, block.organiser)
    if Covenant.objects.filter(block=block).exists():
        raise ValidationError(_("This block already has its covenant."))
    first, _last = year_bounds(block.year)
    if scoring_deadline < first:
        raise ValidationError(
            {"scoring_deadline": _("The scoring deadline falls in or after the block's year.")}
        )
    covenant = Covenant(
        block=block,
        title=title,
        number=number,
        place=place,
        signing_date=signing_date,
        method=method,
        trim_extremes=trim_extremes,
        scoring_deadline=scoring_deadline,
    )
    covenant.tie_breaks = check_tie_breaks(
        covenant.tie_breaks if tie_breaks is None else tie_breaks, {g.code for g in groups}
    )
    covenant.full_clean(exclude=["block"])
    covenant.save()
    _write_criteria(covenant, groups)
    log(
        "emulation.covenant.create",
        covenant,
        actor=actor,
        after={**snapshot(covenant), "criteria": criteria_state(covenant)},
    )
    return covenant


@transaction.atomic
def define_criteria(covenant: Covenant, groups: list[GroupSpec], *, actor=None) -> Covenant:
    """Replace the criteria tree of a draft covenant (once open, the criteria are fixed:
    members sign them)."""
    require(actor, Action.CHANGE, covenant.block.organiser)
    covenant = Covenant.objects.select_for_update().get(pk=covenant.pk)
    if covenant.status != CovenantStatus.DRAFT:
        raise ValidationError(_("The criteria of an open covenant are fixed."))
    before = criteria_state(covenant)
    covenant.tie_breaks = check_tie_breaks(covenant.tie_breaks, {g.code for g in groups})
    _write_criteria(covenant, groups)
    log(
        "emulation.covenant.criteria",
        covenant,
        actor=actor,
        before={"criteria": before},
        after={"criteria": criteria_state(covenant)},
    )
    return covenant


def _move(covenant: Covenant, to: str, actor, *, message="", extra_before=None, extra_after=None):
    """Move the covenant (locked by the caller) along a declared transition; audited."""
    if to not in COVENANT_TRANSITIONS[CovenantStatus(covenant.status)]:
        raise ValidationError(
            _("A covenant that is “%(status)s” cannot become “%(to)s”.")
            % {"status": covenant.get_status_display(), "to": CovenantStatus(to).label}
        )
    before = {"status": covenant.status, **(extra_before or {})}
    covenant.status = to
    covenant.save()
    log(
        f"emulation.covenant.{to}",
        covenant,
        actor=actor,
        before=before,
        after={"status": to, **(extra_after or {})},
        message=message,
    )


def _locked_covenant(covenant: Covenant) -> Covenant:
    return (
        Covenant.objects.select_for_update().select_related("block__organiser").get(pk=covenant.pk)
    )


@transaction.atomic
def open_covenant(covenant: Covenant, *, actor=None) -> Covenant:
    """Open a draft covenant for signing and scoring; its criteria are then fixed."""
    require(actor, Action.CHANGE, covenant.block.organiser)
    covenant = _locked_covenant(covenant)
    _move(covenant, CovenantStatus.OPEN, actor)
    return covenant


@transaction.atomic
def sign_covenant(
    covenant: Covenant,
    unit: Unit,
    *,
    signer_name: str,
    signer_position: str = "",
    signed_on=None,
    actor=None,
) -> Signature:
    """Record that `unit`, a member of the block, signed the open covenant: who signed
    for it and when. A unit signs once."""
    require(actor, Action.CHANGE, unit)
    covenant = _locked_covenant(covenant)
    if covenant.status != CovenantStatus.OPEN:
        raise ValidationError(_("The covenant is not open for signing."))
    if unit.pk not in {m.unit_id for m in scoring_members(covenant.block)}:
        raise ValidationError(
            {"unit": _("Unit %(code)s is not a member of this block.") % {"code": unit.code}}
        )
    if not signer_name.strip():
        raise ValidationError({"signer_name": _("Give the name of the person who signed.")})
    if Signature.objects.filter(covenant=covenant, unit=unit).exists():
        raise ValidationError(
            {"unit": _("Unit %(code)s has already signed.") % {"code": unit.code}}
        )
    signature = Signature(
        covenant=covenant,
        unit=unit,
        signer_name=signer_name.strip(),
        signer_position=signer_position.strip(),
        signed_on=_today(signed_on),
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    signature.full_clean(exclude=["recorded_by"])
    signature.save()
    log("emulation.covenant.sign", signature, actor=actor, after=snapshot(signature))
    return signature


# --------------------------------------------------------------------------- scoring


@dataclass
class ScoreEntry:
    """One criterion of a sheet: points (None or "" to clear it) and evidence."""

    criterion: str  # the criterion's code
    points: object = None
    evidence: str = ""


class ScoringLocked(ValidationError):
    """Scores were written after the lock; the attempt has been audited."""


def clean_points(criterion: Criterion, kind: str, value) -> Decimal | None:
    """The points of one criterion as a Decimal with at most two decimals, or None when
    empty; refused with a message naming the criterion when out of its range (0…max;
    −max…0 for a penalty item)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    code = criterion.code
    try:
        points = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        points = None
    if points is None or not points.is_finite():
        raise ValidationError(
            _("Criterion %(code)s: “%(value)s” is not a number.") % {"code": code, "value": value}
        )
    if points != points.quantize(TWO_PLACES):
        raise ValidationError(
            _("Criterion %(code)s: points have at most two decimals.") % {"code": code}
        )
    points = points.quantize(TWO_PLACES)
    maximum = criterion.max_points
    params = {"code": code, "points": points, "max": maximum}
    if kind == GroupKind.PENALTY:
        if points > 0:
            raise ValidationError(
                _(
                    "Criterion %(code)s: a penalty is entered as a negative number or 0, "
                    "not %(points)s."
                )
                % params
            )
        if points < -maximum:
            raise ValidationError(
                _("Criterion %(code)s: %(points)s is below the penalty cap of −%(max)s.") % params
            )
    else:
        if points > maximum:
            raise ValidationError(
                _("Criterion %(code)s: %(points)s is above the maximum of %(max)s.") % params
            )
        if points < 0:
            raise ValidationError(_("Criterion %(code)s: %(points)s is below 0.") % params)
    return points


def block_roles(block: Block) -> dict[str, list[int]]:
    """role → unit ids (one query)."""
    roles: dict[str, list[int]] = {BlockRoleKind.LEADER: [], BlockRoleKind.DEPUTY: []}
    for unit_id, role in block.roles.values_list("unit_id", "role"):
        roles[role].append(unit_id)
    return roles


def check_sheet(
    covenant: Covenant,
    scorer: Unit,
    target: Unit,
    kind: str,
    members: set[int],
    roles: dict[str, list[int]],
) -> None:
    """Refuse a sheet the covenant's method does not have: a cross-score of one's own
    unit, a review by a unit that is not the reviewer, a unit outside the block."""
    names = {"scorer": scorer.code, "target": target.code}
    if kind not in ScoreKind.values:
        raise ValidationError({"kind": _("Unknown kind of score.")})
    if target.pk not in members:
        raise ValidationError({"target": _("Unit %(target)s is not scored in this block.") % names})
    if kind == ScoreKind.SELF:
        if scorer.pk != target.pk:
            raise ValidationError({"scorer": _("A self-score is given by the unit itself.")})
        return
    if scorer.pk == target.pk:
        raise ValidationError(
            {
                "scorer": _(
                    "A unit does not score itself in cross-scoring or review: "
                    "%(scorer)s is both the scorer and the scored unit."
                )
                % names
            }
        )
    if kind == ScoreKind.PEER:
        if covenant.method == ScoringMethod.LEADER:
            raise ValidationError({"kind": _("This covenant has no cross-scoring.")})
        if scorer.pk not in members:
            raise ValidationError(
                {"scorer": _("Unit %(scorer)s is not a member of this block.") % names}
            )
        return
    # The leader's review: by the leader; the leader's own unit by a deputy.
    if covenant.method == ScoringMethod.CROSS:
        raise ValidationError({"kind": _("This covenant has no leader's review.")})
    leaders = roles[BlockRoleKind.LEADER]
    reviewers = roles[BlockRoleKind.DEPUTY] if target.pk in leaders else leaders
    if scorer.pk not in reviewers:
        raise ValidationError(
            {"scorer": _("Unit %(scorer)s does not review %(target)s in this block.") % names}
        )


def _sheet_state(scores) -> dict:
    return {s.criterion.code: [str(s.points), s.evidence] for s in scores}


def save_scores(
    covenant: Covenant,
    *,
    scorer: Unit,
    target: Unit,
    kind: str,
    entries: Iterable[ScoreEntry],
    actor=None,
    today=None,
) -> list[Score]:
    """Write the points `scorer` gives `target` (one sheet), for the criteria in
    `entries`; an entry with no points clears that criterion.

    All or nothing: every entry is checked first (the criterion belongs to the covenant;
    the points are within its range; the sheet exists under the covenant's method) and
    the first problems are raised together, each naming its criterion. After the
    deadline or the lock, nothing is written, the attempt is audited
    (`emulation.score.refused`) and `ScoringLocked` is raised. Returns the scores written.
    """
    require(actor, Action.CHANGE, scorer)
    entries = list(entries)
    day = _today(today)
    refused = None
    with transaction.atomic():
        covenant = _locked_covenant(covenant)
        if covenant.is_locked(day):
            refused = covenant
        else:
            return _write_sheet(covenant, scorer, target, kind, entries, actor)
    _refuse_locked(refused, scorer, target, kind, entries, actor, day)


def _refuse_locked(covenant, scorer, target, kind, entries, actor, day):
    if covenant.status == CovenantStatus.OPEN:
        reason = _("The scoring deadline %(day)s has passed; scores can no longer be changed.") % {
            "day": format_date(covenant.scoring_deadline)
        }
    else:
        reason = _("Scoring is locked; scores can no longer be changed.")
    with transaction.atomic():
        log(
            "emulation.score.refused",
            covenant,
            actor=actor,
            after={
                "scorer": scorer.code,
                "target": target.code,
                "kind": kind,
                "entries": {e.criterion: [str(e.points), e.evidence] for e in entries},
                "day": day.isoformat(),
            },
            message=reason,
        )
    raise ScoringLocked(reason)


def _write_sheet(covenant, scorer, target, kind, entries, actor) -> list[Score]:
    block = covenant.block
    members = {m.unit_id for m in scoring_members(block)}
    roles = block_roles(block) if kind == ScoreKind.REVIEW else {}
    check_sheet(covenant, scorer, target, kind, members, roles)
    criteria = {c.code: c for c in covenant.criteria.select_related("group")}
    errors, cleaned, seen = [], [], set()
    for entry in entries:
        code = str(entry.criterion).strip()
        criterion = criteria.get(code)
        if criterion is None:
            errors.append(_("Criterion %(code)s is not in this covenant.") % {"code": code})
            continue
        if code in seen:
            errors.append(_("Criterion %(code)s is given twice.") % {"code": code})
            continue
        seen.add(code)
        try:
            points = clean_points(criterion, criterion.group.kind, entry.points)
        except ValidationError as exc:
            errors.extend(exc.messages)
            continue
        cleaned.append((criterion, points, (entry.evidence or "").strip()))
    if errors:
        raise ValidationError(errors)
    existing = {
        s.criterion_id: s
        for s in Score.objects.filter(
            covenant=covenant,
            scorer=scorer,
            target=target,
            kind=kind,
            criterion__in=[c for c, _p, _e in cleaned],
        ).select_related("criterion")
    }
    before = _sheet_state(existing.values())
    user = actor if actor is not None and actor.is_authenticated else None
    new, changed, removed = [], [], []
    for criterion, points, evidence in cleaned:
        score = existing.get(criterion.pk)
        if points is None:
            if score is not None:
                removed.append(score.pk)
            continue
        if score is None:
            new.append(
                Score(
                    covenant=covenant,
                    criterion=criterion,
                    target=target,
                    scorer=scorer,
                    kind=kind,
                    points=points,
                    evidence=evidence,
                    updated_by=user,
                )
            )
        elif (score.points, score.evidence) != (points, evidence):
            score.points, score.evidence, score.updated_by = points, evidence, user
            score.updated_at = timezone.now()
            changed.append(score)
    if not (new or changed or removed):
        return []
    Score.objects.bulk_create(new)
    Score.objects.bulk_update(changed, ["points", "evidence", "updated_by", "updated_at"])
    Score.objects.filter(pk__in=removed).delete()
    _recount(covenant, target, [c.pk for c, _p, _e in cleaned])
    after = {**before}
    for code in [s.criterion.code for s in existing.values() if s.pk in removed]:
        after.pop(code, None)
    for score in [*new, *changed]:
        after[score.criterion.code] = [str(score.points), score.evidence]
    log(
        "emulation.score.save",
        covenant,
        actor=actor,
        before={"scorer": scorer.code, "target": target.code, "kind": kind, "scores": before},
        after={"scorer": scorer.code, "target": target.code, "kind": kind, "scores": after},
    )
    return [*new, *changed]


def hundredths(points) -> int:
    """Points (a Decimal, or the float SQLite answers for a sum) in hundredths."""
    return int((Decimal(str(points)) * 100).to_integral_value(ROUND_HALF_UP))


def _tallies(covenant: Covenant, scores) -> list[ScoreTally]:
    """The tallies of the cells (member × criterion) the given scores fall in (one
    query)."""
    rows = (
        scores.values_list("target_id", "criterion_id", "kind")
        .annotate(n=Count("id"), total=Sum("points"), low=Min("points"), high=Max("points"))
        .order_by()
    )
    tallies: dict[tuple[int, int], ScoreTally] = {}
    for target_id, criterion_id, kind, n, total, low, high in rows:
        tally = tallies.get((target_id, criterion_id))
        if tally is None:
            tally = tallies[target_id, criterion_id] = ScoreTally(
                covenant=covenant, target_id=target_id, criterion_id=criterion_id
            )
        if kind == ScoreKind.PEER:
            tally.peer_count, tally.peer_sum = n, hundredths(total)
            tally.peer_min, tally.peer_max = hundredths(low), hundredths(high)
        elif kind == ScoreKind.REVIEW:
            tally.review_count, tally.review_sum = n, hundredths(total)
        else:
            tally.self_points = hundredths(total)
    return list(tallies.values())


def _recount(covenant: Covenant, target: Unit, criterion_ids: list[int]) -> None:
    """Recount the tallies of the cells a sheet touched (the caller holds the covenant's
    row lock, so no other write to these cells runs meanwhile)."""
    tallies = _tallies(
        covenant,
        Score.objects.filter(covenant=covenant, target=target, criterion_id__in=criterion_ids),
    )
    ScoreTally.objects.filter(
        covenant=covenant, target=target, criterion_id__in=criterion_ids
    ).exclude(criterion_id__in=[t.criterion_id for t in tallies]).delete()
    ScoreTally.objects.bulk_create(
        tallies,
        update_conflicts=True,
        unique_fields=["covenant", "target", "criterion"],
        update_fields=list(ScoreTally.COUNTS),
    )


@transaction.atomic
def rebuild_tallies(covenant: Covenant) -> int:
    """Recount every tally of a covenant from its scores (after a bulk load that wrote
    scores directly); returns how many there are. Changes no fact, so nothing to audit."""
    covenant = _locked_covenant(covenant)
    covenant.tallies.all().delete()
    tallies = _tallies(covenant, Score.objects.filter(covenant=covenant))
    ScoreTally.objects.bulk_create(tallies, batch_size=5000)
    return len(tallies)


@transaction.atomic
def lock_scoring(covenant: Covenant, *, actor=None) -> Covenant:
    """Close scoring (also happens by itself once the deadline has passed)."""
    require(actor, Action.CHANGE, covenant.block.organiser)
    covenant = _locked_covenant(covenant)
    _move(covenant, CovenantStatus.LOCKED, actor)
    return covenant


@transaction.atomic
def reopen_scoring(
    covenant: Covenant, *, reason: str, new_deadline, actor=None, today=None
) -> Covenant:
    """Reopen locked scoring until `new_deadline`, for a stated reason; audited with the
    old and new deadline. Published results are final and cannot be reopened."""
    require(actor, Action.CHANGE, covenant.block.organiser)
    day = _today(today)
    covenant = _locked_covenant(covenant)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for reopening.")})
    if new_deadline is None or new_deadline < day:
        raise ValidationError({"new_deadline": _("The new deadline is today or later.")})
    if covenant.status == CovenantStatus.OPEN:
        if not covenant.is_locked(day):
            raise ValidationError(_("Scoring is open already."))
        covenant.status = CovenantStatus.LOCKED  # locked by its deadline
    old = covenant.scoring_deadline
    covenant.scoring_deadline = new_deadline
    _move(
        covenant,
        CovenantStatus.OPEN,
        actor,
        message=reason.strip(),
        extra_before={"scoring_deadline": old.isoformat()},
        extra_after={"scoring_deadline": new_deadline.isoformat()},
    )
    return covenant


@transaction.atomic
def publish_results(covenant: Covenant, *, actor=None, today=None) -> list[BlockLead]:
    """Publish the ranking of locked scoring and record the leading unit(s): every unit
    ranked first (several when tied after all the declared tie-break rules). The
    ranking is computed from the scores (`ranking.rank_covenants`), never entered."""
    require(actor, Action.CHANGE, covenant.block.organiser)
    day = _today(today)
    covenant = _locked_covenant(covenant)
    if not covenant.is_locked(day):
        raise ValidationError(
            _("Scoring is still open until %(day)s; lock it first.")
            % {"day": format_date(covenant.scoring_deadline)}
        )
    ranking = rank_covenant(covenant)
    if not ranking.standings or not any(s.scored for s in ranking.standings):
        raise ValidationError(_("No member has been scored: there is nothing to publish."))
    if covenant.status == CovenantStatus.OPEN:
        covenant.status = CovenantStatus.LOCKED  # locked by its deadline
    covenant.published_on = day
    user = actor if actor is not None and actor.is_authenticated else None
    leads = BlockLead.objects.bulk_create(
        [
            BlockLead(
                block=covenant.block,
                unit=s.unit,
                rank=s.rank,
                score=s.final,
                recorded_on=day,
                recorded_by=user,
            )
            for s in ranking.standings
            if s.rank == 1
        ]
    )
    _move(
        covenant,
        CovenantStatus.PUBLISHED,
        actor,
        extra_after={
            "published_on": day.isoformat(),
            "ranking": [[s.unit.code, s.rank, str(s.final)] for s in ranking.standings],
            "leads": [lead.unit.code for lead in leads],
        },
    )
    return leads


# --------------------------------------------------------------------------- registrations


@transaction.atomic
def register_title(
    movement: Movement,
    *,
    unit: Unit,
    award_code: str,
    person: Person | None = None,
    note: str = "",
    actor=None,
    today=None,
) -> Registration:
    """Register `unit` (or `person`, through the unit they work in) for a title of the
    catalog in a movement, on or before its registration deadline. The title must suit
    the subject (collective or individual) and be registered once."""
    require(actor, Action.CHANGE, unit)
    day = _today(today)
    if movement.registration_deadline and day > movement.registration_deadline:
        raise ValidationError(
            _("Registration closed on %(day)s.")
            % {"day": format_date(movement.registration_deadline)}
        )
    code = (award_code or "").strip()
    if person is None:
        check_award_code(code, unit=unit)
        duplicate = Registration.objects.filter(
            movement=movement, unit=unit, person__isnull=True, award_code=code
        )
        subject = unit.code
    else:
        check_award_code(code, person=person)
        first, last = movement.period_start, movement.period_end
        employed = Employment.objects.filter(person=person, unit=unit).overlapping(
            first, last + datetime.timedelta(days=1)
        )
        if not employed.exists():
            raise ValidationError(
                {
                    "person": _("%(person)s does not work in %(unit)s during the movement.")
                    % {"person": person, "unit": unit.code}
                }
            )
        duplicate = Registration.objects.filter(movement=movement, person=person, award_code=code)
        subject = person.code
    if duplicate.exists():
        raise ValidationError(
            {
                "award_code": _("%(subject)s is already registered for %(code)s.")
                % {"subject": subject, "code": code}
            }
        )
    registration = Registration(
        movement=movement,
        unit=unit,
        person=person,
        award_code=code,
        registered_on=day,
        registered_by=actor if actor is not None and actor.is_authenticated else None,
        note=note,
    )
    registration.full_clean(exclude=["registered_by"])
    registration.save()
    log("emulation.registration.create", registration, actor=actor, after=snapshot(registration))
    return registration


@transaction.atomic
def withdraw_registration(registration: Registration, *, actor=None, today=None) -> None:
    """Withdraw a registration before the deadline (after it, the list is closed)."""
    require(actor, Action.CHANGE, registration.unit)
    movement = registration.movement
    day = _today(today)
    if movement.registration_deadline and day > movement.registration_deadline:
        raise ValidationError(
            _("Registration closed on %(day)s.")
            % {"day": format_date(movement.registration_deadline)}
        )
    log("emulation.registration.withdraw", registration, actor=actor, before=snapshot(registration))
    registration.delete()
