"""The records' card on the home page: who is not rated yet this year (`accounts.home`)."""

from django.db.models import Exists, OuterRef
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
    # NOT EXISTS, an anti-join on each row's (person, year): NOT IN would hash the whole
    # year's ratings (a province's 90,000) to answer for a district's thousand people.
    rated = PersonRating.objects.filter(year=year, person_id=OuterRef("person_id"))
    people = employed.exclude(Exists(rated)).values("person_id").distinct().count()
    unit_rated = UnitRating.objects.filter(year=year, unit_id=OuterRef("pk"))
    unrated_units = units.exclude(Exists(unit_rated)).count()
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
