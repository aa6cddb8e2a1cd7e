"""The suggestions card on the home page: a way to who has just become eligible.

The suggestions come from a run of the eligibility engine over the unit's people, too
long for the start page; the card links to them instead of counting them."""

from django.urls import reverse
from django.utils.translation import gettext as _

from thidua.accounts import home


def suggestions_card(user, unit, year, today):
    if unit is None:
        return None
    return home.HomeCard(
        title=_("Suggestions for awards"),
        url=reverse("rules:suggestions", args=[unit.code]) + f"?nam={year}",
        link_text=_("Who has just become eligible in %(unit)s") % {"unit": unit.name},
    )


def register() -> None:
    home.register_card("rules.suggestions", suggestions_card, order=40)
