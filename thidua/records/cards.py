"""The records' card on the home page: who is not rated yet this year (`accounts.home`)."""

import threading

from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts import home, scope
from thidua.org.ids import InIds
from thidua.org.models import Employment, Unit
from thidua.org.selectors import year_bounds
from thidua.records.models import PersonRating, UnitRating

# A subtree of more units than this (a province: 3,000 units, 100,000 people) has its counts
# kept for `RECOUNT_SECONDS` by each server process: counting a province's unrated people
# reads every employment of the year (half a second of CPU on SQLite), too much for a start
# page that every officer opens. A smaller subtree is counted on each visit.
LARGE_SUBTREE = 500
RECOUNT_SECONDS = 60
_COUNTING = threading.Lock()


def unrated_card(user, unit, year, today):
    """People employed in the unit's subtree during `year` with no rating for it, and the
    units without one (two queries; none when a large subtree's counts are kept)."""
    ids = scope.subtree_in_scope(user, unit)
    if ids is not None and not ids:
        return None
    counted_at = None
    if ids is not None and len(ids) > LARGE_SUBTREE:
        key = f"records.unrated:{year}:{_key(ids)}"
        kept = cache.get(key)
        if kept is None:
            with _COUNTING:  # the threads of a process that miss together count once
                kept = cache.get(key)
                if kept is None:
                    kept = (*_unrated_counts(ids, year), timezone.now())
                    cache.set(key, kept, RECOUNT_SECONDS)
        people, unrated_units, counted_at = kept
    else:
        people, unrated_units = _unrated_counts(ids, year)
    url = reverse("org:unit_detail", args=[unit.code]) + f"?nam={year}" if unit else ""
    note = ""
    if counted_at is not None:
        note = _("Counted at %(time)s (counted again every minute).") % {
            "time": f"{timezone.localtime(counted_at):%H:%M}"
        }
    return home.HomeCard(
        title=_("People not yet rated in %(year)s") % {"year": year},
        count=people,
        url=url,
        link_text=_("See the members and their ratings"),
        lines=[(_("Units not yet rated"), str(unrated_units), "")],
        note=note,
    )


def _key(ids) -> str:
    """A short name for a set of unit ids (integers hash alike in every process)."""
    return f"{len(ids)}:{hash(frozenset(ids)) & 0xFFFFFFFFFFFFFFFF:x}"


def _unrated_counts(ids, year) -> tuple[int, int]:
    """(people, units) of the units `ids` (None: all) not rated for `year`."""
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
    return people, unrated_units


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
