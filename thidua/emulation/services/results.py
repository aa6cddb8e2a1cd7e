"""The end of scoring: locking, the audited reopen, and publishing the ranking with the
leading units recorded (the facts the eligibility engine reads)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.accounts.choices import Action
from thidua.accounts.scope import require
from thidua.emulation.choices import (
    CovenantStatus,
)
from thidua.emulation.models import (
    BlockLead,
    Covenant,
)
from thidua.emulation.ranking import rank_covenant
from thidua.emulation.services import common
from thidua.emulation.services.covenants import _locked_covenant, _move
from thidua.vietnamese import format_date


@transaction.atomic
def lock_scoring(covenant: Covenant, *, actor) -> Covenant:
    """Close scoring (also happens by itself once the deadline has passed)."""
    require(actor, Action.CHANGE, covenant.block.organiser)
    covenant = _locked_covenant(covenant)
    _move(covenant, CovenantStatus.LOCKED, actor)
    return covenant


@transaction.atomic
def reopen_scoring(covenant: Covenant, *, reason: str, new_deadline, actor, today=None) -> Covenant:
    """Reopen locked scoring until `new_deadline`, for a stated reason; audited with the
    old and new deadline. Published results are final and cannot be reopened."""
    require(actor, Action.CHANGE, covenant.block.organiser)
    day = common.today(today)
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
def publish_results(covenant: Covenant, *, actor, today=None) -> list[BlockLead]:
    """Publish the ranking of locked scoring and record the leading unit(s): every unit
    ranked first (several when tied after all the declared tie-break rules). The
    ranking is computed from the scores (`ranking.rank_covenants`), never entered."""
    require(actor, Action.CHANGE, covenant.block.organiser)
    day = common.today(today)
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
