"""The proposals card on the home page: dossiers waiting for the user's side to move."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from thidua.accounts import home, scope
from thidua.accounts.choices import Action
from thidua.nominations.choices import State
from thidua.nominations.models import Dossier
from thidua.org.ids import InIds

# Whose move it is in each state (see workflow.TRANSITIONS): the proposing unit's officer
# prepares and corrects; the receiving unit's officer receives, appraises and publishes.
PROPOSER_STATES = [State.DRAFT, State.RETURNED]
RECEIVER_STATES = [State.SUBMITTED, State.RECEIVED, State.UNDER_APPRAISAL]


def waiting_card(user, unit, year, today):
    """Dossiers of `year`'s rounds in the unit's subtree that wait for the user (one query);
    nothing for a user who may not change records."""
    if not scope.may(user, Action.CHANGE):
        return None
    ids = scope.subtree_in_scope(user, unit, Action.CHANGE)
    if ids is not None and not ids:
        return None
    if ids is None:  # a superuser: every dossier waiting on either side
        mine, theirs = Q(state__in=PROPOSER_STATES), Q(state__in=RECEIVER_STATES)
    else:
        # A unit prepares its own dossiers, but not those its subordinates address to it.
        mine = Q(InIds("unit_id", ids), state__in=PROPOSER_STATES) & ~Q(
            InIds("round__unit_id", ids)
        )
        theirs = Q(InIds("round__unit_id", ids), state__in=RECEIVER_STATES)
    waiting = Dossier.objects.filter(round__year=year).filter(mine | theirs)
    return home.HomeCard(
        title=_("Award proposals waiting in %(year)s") % {"year": year},
        count=waiting.count(),
        url=reverse("nominations:rounds"),
        link_text=_("Open the proposal rounds"),
    )


def register() -> None:
    home.register_card("nominations.waiting", waiting_card, order=50)
