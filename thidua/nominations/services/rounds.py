"""Opening a round and starting a unit's dossier in it."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.accounts.choices import Action
from thidua.accounts.scope import require, subtree_ids
from thidua.audit.services import log, snapshot
from thidua.nominations.choices import LEVEL_OF_KIND, RoundKind, State
from thidua.nominations.models import Dossier, Round
from thidua.nominations.services import common
from thidua.nominations.workflow import deadline_for
from thidua.org.models import Unit


@transaction.atomic
def open_round(
    unit: Unit,
    *,
    year: int,
    kind: str,
    name: str,
    deadline: datetime.date,
    actor,
    today: datetime.date | None = None,
) -> Round:
    """Open a round organised by `unit` (its level decides which awards it may take):
    the unit's officer (or one above) opens it."""
    require(actor, Action.CHANGE, unit)
    day = common.today(today)
    errors = {}
    if LEVEL_OF_KIND.get(unit.kind) is None:
        errors["unit"] = _("%(unit)s is not a level that organises award rounds.") % {
            "unit": unit.name
        }
    if kind not in RoundKind.values:
        errors["kind"] = _("Choose the kind of round.")
    if not (name or "").strip():
        errors["name"] = _("Give the round a name.")
    if not isinstance(year, int) or not 1945 <= year <= day.year + 1:
        errors["year"] = _("The achievement year is between 1945 and next year.")
    if deadline is None or deadline < day:
        errors["deadline"] = _("The submission deadline is today or later.")
    if errors:
        raise ValidationError(errors)
    round_ = Round.objects.create(
        unit=unit,
        year=year,
        kind=kind,
        name=name.strip(),
        opened_on=day,
        deadline=deadline,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    log("nominations.round.open", round_, actor=actor, after=snapshot(round_))
    return round_


@transaction.atomic
def start_dossier(
    round_: Round, unit: Unit, *, actor, today: datetime.date | None = None
) -> Dossier:
    """Start `unit`'s dossier in the round: the unit lies below the round's organising
    unit, and has no dossier in this round yet."""
    require(actor, Action.CHANGE, unit)
    day = common.today(today)
    if unit.pk == round_.unit_id or unit.pk not in subtree_ids([round_.unit_id]):
        raise ValidationError(
            {
                "unit": _("%(unit)s is not under %(organiser)s, which organises this round.")
                % {"unit": unit.name, "organiser": round_.unit.name}
            }
        )
    if Dossier.objects.filter(round=round_, unit=unit).exists():
        raise ValidationError(
            {"unit": _("%(unit)s already has a dossier in this round.") % {"unit": unit.name}}
        )
    dossier = Dossier.objects.create(
        round=round_,
        unit=unit,
        state=State.DRAFT,
        state_since=day,
        state_deadline=deadline_for(State.DRAFT, day, round_.deadline),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    log("nominations.dossier.create", dossier, actor=actor, after=snapshot(dossier))
    return dossier
