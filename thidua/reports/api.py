"""The year-end summary over the API: the same data as `thidua report summary --format
json`, for a unit in the caller's scope (404 otherwise, like a unit that does not exist)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router

from thidua.accounts import scope
from thidua.accounts.api import year_in_path
from thidua.reports.render import render
from thidua.reports.summary import build_summary

router = Router(tags=["reports"])


@router.get(
    "/summary/{code}/{year}",
    summary="The year-end summary of a unit, computed from the records",
    description="Tasks completed of assigned, indicators against each reference value, "
    "ratings, block ranking, awards by form and next year's targets; figures as numbers.",
)
def summary(request, code: str, year: int = year_in_path()):
    unit = get_object_or_404(scope.units(request.auth), code=code)
    rendered = render(build_summary(unit, year, user=request.auth), "json")
    return HttpResponse(rendered.content, content_type=rendered.content_type)
