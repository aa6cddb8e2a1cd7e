"""The eligibility sections on the org app's person and unit pages (see `thidua.panels`):
the annual titles and forms for the page's year, criterion by criterion (one engine run)."""

from django.utils import timezone

from thidua import panels
from thidua.rules import services as eligibility
from thidua.rules.forms import YearForm


def person_eligibility(request, person, page) -> dict:
    """The person's year comes from `?nam=`, among the years they were employed."""
    today = timezone.localdate()
    year_form = YearForm(
        request.GET, years=eligibility.person_years(person, today), default=today.year
    )
    year = year_form.year()
    evaluation = eligibility.person_eligibility(person, year, user=request.user)
    return {
        "year_form": year_form,
        "year": year,
        "eligibility": evaluation,
        "explained": eligibility.explain(evaluation.results, by_rank=True),
    }


def unit_eligibility(request, unit, page) -> dict:
    """The unit's own collective titles for the page's year."""
    evaluation = eligibility.unit_eligibility(unit, page["year"], user=request.user)
    return {
        "eligibility": evaluation,
        "explained": eligibility.explain(evaluation.results, by_rank=True),
    }


def register() -> None:
    panels.register(
        "org.person",
        panels.Panel(
            name="rules.person",
            template="rules/_person_section.html",
            context=person_eligibility,
            order=10,
        ),
    )
    panels.register(
        "org.unit",
        panels.Panel(
            name="rules.unit",
            template="rules/_unit_section.html",
            context=unit_eligibility,
            order=30,
        ),
    )
