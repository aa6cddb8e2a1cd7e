"""The moves of a dossier, one verb each, all through `move`, which reads the table of
`thidua.nominations.workflow`: it refuses a move the table does not allow from the
dossier's state, or by the wrong side (the proposing unit's officer submits; the officer
of the level that organises the round receives, appraises, returns and publishes),
stamps the time and the actor in the dossier's history, sets the next step's deadline,
freezes eligibility on submission, and audits. A refused move changes nothing and leaves
an audit entry of the attempt (`nominations.dossier.refused`)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts.choices import Action
from thidua.accounts.scope import can
from thidua.audit.services import log
from thidua.nominations.choices import State
from thidua.nominations.models import Dossier, Transition
from thidua.nominations.services import common, eligibility, publicity
from thidua.nominations.services.documents import missing_documents
from thidua.nominations.workflow import (
    FIX_FIELDS,
    PROPOSER,
    TRANSITIONS,
    add_working_days,
    deadline_for,
)


def may_move(user, dossier: Dossier, verb: str) -> bool:
    """Whether `user` is on the side that makes the move (not whether the state allows it)."""
    side = TRANSITIONS[verb].side
    unit = dossier.unit if side == PROPOSER else dossier.round.unit
    return user is None or can(user, Action.CHANGE, unit)


def _check(dossier: Dossier, verb: str, actor, reason: str, fields, day=None) -> None:
    transition = TRANSITIONS.get(verb)
    if transition is None:
        raise ValidationError(_("Unknown action."))
    if not may_move(actor, dossier, verb):
        if transition.side == PROPOSER:
            raise PermissionDenied(
                _("Only an emulation officer of %(unit)s may %(action)s this dossier.")
                % {"unit": dossier.unit.name, "action": str(transition.label).lower()}
            )
        raise PermissionDenied(
            _(
                "Only an emulation officer of %(unit)s, which organises the round, may %(action)s this dossier."
            )
            % {"unit": dossier.round.unit.name, "action": str(transition.label).lower()}
        )
    if dossier.state not in transition.sources:
        raise ValidationError(
            _("The dossier is %(state)s: it cannot be “%(action)s” now.")
            % {
                "state": str(dossier.get_state_display()).lower(),
                "action": str(transition.label).lower(),
            }
        )
    if verb == "to_council":
        blockers = publicity.council_blockers(dossier, common.today(day))
        if blockers:
            raise ValidationError(blockers)
    if transition.needs_reason:
        if not (reason or "").strip():
            raise ValidationError({"reason": _("Give the reason.")})
        unknown = set(fields) - set(FIX_FIELDS)
        if unknown:
            raise ValidationError({"fields": _("Choose the fields to fix from the list.")})
    if transition.freezes:
        nominees = list(dossier.nominees.all())
        if not nominees:
            raise ValidationError(
                _("The dossier has no nominee: add at least one before submitting.")
            )
        missing = [n for n in nominees if not n.summary.strip()]
        if missing:
            raise ValidationError(
                _("The dossier is incomplete: %(count)s nominee(s) have no achievement summary.")
                % {"count": len(missing)}
            )
        lacking = missing_documents(dossier)
        if lacking:
            raise ValidationError(
                _("The dossier is incomplete: it lacks %(documents)s.")
                % {"documents": "; ".join(lacking)}
            )


def move(
    dossier: Dossier,
    verb: str,
    *,
    actor,
    reason: str = "",
    fields=(),
    today: datetime.date | None = None,
) -> Dossier:
    """Make the move `verb` (a key of `workflow.TRANSITIONS`)."""
    day = common.today(today)
    fields = list(fields or ())
    error = None
    with transaction.atomic():
        dossier = (
            Dossier.objects.select_for_update()
            .select_related("round__unit", "unit")
            .get(pk=dossier.pk)
        )
        try:
            _check(dossier, verb, actor, reason, fields, day)
        except (PermissionDenied, ValidationError) as exc:
            error = exc
        else:
            return _apply(dossier, TRANSITIONS[verb], actor, reason.strip(), fields, day)
    common.refuse(
        error,
        dossier,
        actor=actor,
        action="nominations.dossier.refused",
        attempt={"verb": verb, "state": dossier.state, "day": day.isoformat()},
    )


def _apply(dossier, transition, actor, reason, fields, day) -> Dossier:
    before = {"state": dossier.state, "state_deadline": _iso(dossier.state_deadline)}
    previous = dossier.state
    if transition.freezes:
        eligibility.freeze(dossier, day)
    dossier.state = transition.target
    dossier.state_since = day
    dossier.state_deadline = deadline_for(transition.target, day, dossier.round.deadline)
    if transition.target == State.PUBLIC_COMMENT:
        publication = publicity.open_publication(dossier, actor=actor, day=day)
        # The period, then one working day to send the dossier to the council.
        dossier.state_deadline = add_working_days(publication.ends_on, 1)
    if transition.target == State.RETURNED:
        dossier.return_reason = reason
        dossier.return_fields = fields
    elif transition.freezes:
        dossier.return_reason = ""
        dossier.return_fields = []
    dossier.save()
    user = actor if actor is not None and actor.is_authenticated else None
    Transition.objects.create(
        dossier=dossier,
        verb=transition.verb,
        from_state=previous,
        to_state=transition.target,
        actor=user,
        actor_label=str(actor) if actor is not None else "system",
        at=timezone.now(),
        on=day,
        reason=reason,
        fields=fields,
    )
    after = {"state": dossier.state, "state_deadline": _iso(dossier.state_deadline)}
    if transition.freezes:
        after["frozen_hash"] = dossier.frozen_hash
        after["rule_set"] = dossier.frozen_rule_set
    if fields:
        after["fields"] = fields
    log(transition.audit_action, dossier, actor=actor, before=before, after=after, message=reason)
    return dossier


def _iso(day):
    return day.isoformat() if day else None


def submit_dossier(dossier, *, actor, today=None) -> Dossier:
    """Submit a draft to the level above; eligibility is frozen."""
    return move(dossier, "submit", actor=actor, today=today)


def resubmit_dossier(dossier, *, actor, today=None) -> Dossier:
    """Resubmit a returned dossier after correction; eligibility is frozen again."""
    return move(dossier, "resubmit", actor=actor, today=today)


def receive_dossier(dossier, *, actor, today=None) -> Dossier:
    return move(dossier, "receive", actor=actor, today=today)


def start_appraisal(dossier, *, actor, today=None) -> Dossier:
    return move(dossier, "appraise", actor=actor, today=today)


def return_dossier(dossier, *, reason: str, fields=(), actor, today=None) -> Dossier:
    """Return for correction, with the reason and the fields to fix."""
    return move(dossier, "return", actor=actor, reason=reason, fields=fields, today=today)


def publish_dossier(dossier, *, actor, today=None) -> Dossier:
    """Publish the nominee list on the portal for public comment (`services.publicity`)."""
    return move(dossier, "publish", actor=actor, today=today)


def send_to_council(dossier, *, actor, today=None) -> Dossier:
    """The public comment period is over and every objection has its outcome: the
    dossier waits for the council."""
    return move(dossier, "to_council", actor=actor, today=today)
