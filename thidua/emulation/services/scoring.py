"""Scores: the sheets members and the block leader fill in, checked against the covenant,
written all or nothing with their tallies (docs/adr/0003-block-scoring.md)."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts.choices import Action
from thidua.accounts.scope import require
from thidua.audit.services import log
from thidua.emulation.choices import (
    BlockRoleKind,
    CovenantStatus,
    GroupKind,
    ScoreKind,
    ScoringMethod,
)
from thidua.emulation.models import (
    Block,
    Covenant,
    Criterion,
    Score,
    ScoreTally,
)
from thidua.emulation.services import common
from thidua.emulation.services.blocks import scoring_members
from thidua.emulation.services.common import TWO_PLACES
from thidua.emulation.services.covenants import _locked_covenant
from thidua.org.models import Unit
from thidua.vietnamese import format_date, format_decimal


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
    params = {"code": code, "points": format_decimal(points), "max": format_decimal(maximum)}
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
    actor,
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
    day = common.today(today)
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
