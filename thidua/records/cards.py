"""The records' card on the home page: who is not rated yet this year (`accounts.home`)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from thidua.accounts import home, scope
from thidua.org.ids import InIds
from thidua.org.models import Employment, Unit
from thidua.org.selectors import year_bounds
from thidua.records.models import PersonRating, UnitRating


def unrated_card(user, unit, year, today):
    """People employed in the unit's subtree during `year` with no rating for it, and the
    units without one (two queries)."""
    ids = scope.subtree_in_scope(user, unit)
    if ids is not None and not ids:
        return None
    start, end = year_bounds(year)
    employed = Employment.objects.overlapping(start, end)
    units = Unit.objects.active_during(start, end)
    if ids is not None:
        employed, units = employed.filter(InIds("unit_id", ids)), units.filter(InIds("pk", ids))
    people = (
        employed.exclude(person_id__in=PersonRating.objects.filter(year=year).values("person_id"))
        .values("person_id")
        .distinct()
        .count()
    )
    unrated_units = units.exclude(
        pk__in=UnitRating.objects.filter(year=year).values("unit_id")
    ).count()
    url = reverse("org:unit_detail", args=[unit.code]) + f"?nam={year}" if unit else ""
    return home.HomeCard(
        title=_("People not yet rated in %(year)s") % {"year": year},
        count=people,
        url=url,
        link_text=_("See the members and their ratings"),
        lines=[(_("Units not yet rated"), str(unrated_units), "")],
    )


def latest_rated_year(up_to: int) -> int | None:
    return (
        PersonRating.objects.filter(year__lte=up_to)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )


def register() -> None:
    home.register_card("records.unrated", unrated_card, order=10)
    home.register_year_source("records", latest_rated_year)
