"""The XLSX template prefilled for one unit and year: a rating row for each person employed
in the unit's subtree that year and for each of its units, not yet rated, with the
person's name and unit beside the code (note columns, not loaded). The officer fills the
levels; rows left without a level are skipped on import (`imports.UNTOUCHED`)."""

import io

from django.utils.translation import gettext as _

from thidua.accounts import scope
from thidua.interchange.dataset.reader import NOTE_PREFIX
from thidua.interchange.dataset.schema import sections
from thidua.interchange.dataset.writer import write_xlsx
from thidua.org.models import Employment, Unit
from thidua.org.selectors import year_bounds
from thidua.records.models import PersonRating, UnitRating


def template_name(unit: Unit, year: int) -> str:
    return f"thidua-mau-{unit.code}-{year}.xlsx"


def unit_ids_under(unit: Unit, user) -> set[int]:
    """The unit's subtree (across history), within what `user` may see."""
    ids = scope.subtree_ids([unit.pk])
    visible = scope.unit_ids_for(user)
    return ids if visible is None else ids & visible


def prefilled_template(unit: Unit, year: int, *, actor) -> bytes:
    """The template with `unit`'s members and units still to rate for `year` (4 queries)."""
    scope.require(actor, "view", unit)
    ids = unit_ids_under(unit, actor)
    start, end = year_bounds(year)
    rated = PersonRating.objects.filter(year=year).values("person_id")
    members = (
        Employment.objects.filter(unit_id__in=ids)
        .overlapping(start, end)
        .exclude(person_id__in=rated)
        .order_by("unit__sort_key", "person__sort_key", "person_id", "-start")
        .values_list(
            "person__code",
            "person__family_name",
            "person__middle_name",
            "person__given_name",
            "unit__name",
        )
    )
    person_rows, seen = [], set()
    for code, family, middle, given, unit_name in members:
        if code in seen:  # moved within the year: one rating, listed under the last unit
            continue
        seen.add(code)
        name = " ".join(p for p in (family, middle, given) if p)
        person_rows.append(_rating_row("person_ratings", code, year) + (name, unit_name))
    units = (
        Unit.objects.filter(pk__in=ids)
        .active_during(start, end)
        .exclude(pk__in=UnitRating.objects.filter(year=year).values("unit_id"))
        .order_by("sort_key", "code")
        .values_list("code", "name")
    )
    unit_rows = [_rating_row("unit_ratings", code, year) + (name,) for code, name in units]
    data = {name: [] for name in sections()}
    data["person_ratings"], data["unit_ratings"] = person_rows, unit_rows
    notes = {
        "person_ratings": [NOTE_PREFIX + _("full name"), NOTE_PREFIX + _("unit")],
        "unit_ratings": [NOTE_PREFIX + _("unit name")],
    }
    out = io.BytesIO()
    write_xlsx(out, data, notes=notes)
    return out.getvalue()


def _rating_row(section: str, code: str, year: int) -> tuple:
    spec = sections()[section]
    values = {spec.field_names[0]: code, "year": year}
    return tuple(values.get(name) for name in spec.field_names)
