"""The records app's sections on the org app's pages (see `thidua.panels`): a person's
record by year, and a unit's ratings, awards and members with their ratings."""

from thidua import panels
from thidua.accounts import scope
from thidua.awards.catalog import get_catalog
from thidua.records import selectors
from thidua.records.models import PersonRating


def person_record(request, person, page) -> dict:
    return {"timeline": selectors.person_timeline(person, windows=page["history"])}


def unit_record(request, unit, page) -> dict:
    # A member's rating shows only where the privacy of history lets the user see it
    # (docs/adr/0008-privacy-of-history.md): someone who left the unit within the year is
    # rated at its end, elsewhere, and that rating belongs to the unit they went to.
    ratings = scope.restrict(PersonRating.objects.all(), request.user, unit=None, dated_year="year")
    return {
        "ratings": selectors.unit_ratings(unit),
        "awards": selectors.unit_awards(unit),
        "members": selectors.members_in_year(unit, page["year"], ratings=ratings),
    }


def household_record(request, household, page) -> dict:
    catalog = get_catalog()
    attestations = list(household.attestations.order_by("-year", "award_code", "criterion"))
    for a in attestations:
        entry = catalog.get(a.award_code)
        a.award_name = entry.name if entry else a.award_code
    return {"awards": selectors.household_awards(household), "attestations": attestations}


def register() -> None:
    panels.register(
        "org.household",
        panels.Panel(
            name="records.household",
            template="records/_household_record.html",
            context=household_record,
            order=10,
        ),
    )
    panels.register(
        "org.person",
        panels.Panel(
            name="records.person",
            template="records/_person_record.html",
            context=person_record,
            order=20,
        ),
    )
    panels.register(
        "org.unit",
        panels.Panel(
            name="records.unit",
            template="records/_unit_record.html",
            context=unit_record,
            order=10,
            # A unit rated in years it had no staff of its own (a district whose people
            # work in its communes) may still be looked at for those years.
            first_year=selectors.first_rated_year,
        ),
    )
