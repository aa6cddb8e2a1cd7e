"""Querysets of decisions, starting from the user's scope (`thidua.accounts.scope`)."""

from django.db.models import Q

from thidua.accounts import scope
from thidua.accounts.choices import Action
from thidua.decisions.choices import DecisionKind
from thidua.decisions.models import Decision, Recipient
from thidua.nominations.choices import CouncilOutcome, State
from thidua.nominations.models import Nominee
from thidua.org.ids import InIds
from thidua.org.models import Employment


def visible_decisions(user):
    """Decisions of an authority the user may see, or conferring on (or annulling) an
    award of someone in the user's scope."""
    ids = scope.unit_ids_for(user, Action.VIEW)
    qs = Decision.objects.select_related("authority", "refers_to")
    if ids is None:
        return qs
    people = Employment.objects.filter(InIds("unit_id", ids)).values("person_id")
    touched = Recipient.objects.filter(
        Q(InIds("award__unit_id", ids)) | Q(award__person_id__in=people)
    ).values("decision_id")
    return qs.filter(Q(InIds("authority_id", ids)) | Q(pk__in=touched))


def may_see_whole(user, decision) -> bool:
    """Whether the user sees the whole decision (its authority is in scope) or only the
    lines of its own people and units."""
    return scope.can(user, Action.VIEW, decision.authority)


def recipients(user, decision):
    qs = decision.recipients.select_related("award", "award__person", "award__unit")
    if may_see_whole(user, decision):
        return qs
    return scope.restrict(qs, user, person="award__person", unit="award__unit")


def decidable(user):
    """Nominees the user may decide: passed by the council, in a dossier ready for the
    council addressed to a unit the user is an officer of, not decided yet."""
    ids = scope.unit_ids_for(user, Action.CHANGE)
    qs = (
        Nominee.objects.filter(
            council_outcome=CouncilOutcome.PASSED,
            dossier__state=State.READY_FOR_COUNCIL,
            household__isnull=True,
        )
        .exclude(decided__decision__kind=DecisionKind.CONFER)
        .select_related("dossier__round__unit", "dossier__unit", "person", "unit")
        .order_by("dossier__round__unit_id", "award_code", "subject_kind", "pk")
    )
    if ids is not None:
        qs = qs.filter(InIds("dossier__round__unit_id", ids))
    return qs
