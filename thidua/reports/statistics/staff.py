"""Forms 0604.N and 0605.N: the organisations that do emulation and commendation work in
a ministry or a province, and the civil servants who work in them.

Thidua keeps no separate register of them; it reads the unit tree. An emulation and
commendation organisation is a unit of the subtree, standing at the period's end, whose
name speaks of it ("thi đua"): a department (Vụ) of a ministry, a division, board or team
under such a department, a board (Ban) of the Department of Home Affairs, or a division
(Phòng) of it — told apart by the first word of its name and its parent. Its civil
servants are the people employed in it at the period's end: by age, by the years they
have worked in such units, women apart. Training levels are not recorded in Thidua, so
those lines stay empty. docs/statistics.md says so to the administrator.
"""

import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from thidua.org.choices import Gender
from thidua.org.ids import InIds
from thidua.org.models import Employment, Unit
from thidua.org.tree import standing_on
from thidua.reports.statistics.common import Row, Statistics, code

MARK = "thi dua"


def emulation_units(ids: list[int], day: datetime.date) -> dict[int, str]:
    """unit id → its line on form 0604.N ("vu", "under_vu", "ban", "phong") for the units
    of `ids` standing on `day` whose name speaks of emulation work."""
    versions = list(
        standing_on(day)
        .filter(InIds("unit_id", ids), unit__search_name__contains=MARK)
        .values_list("unit_id", "unit__search_name", "parent_id")
    )
    vu = {unit_id for unit_id, name, _parent in versions if name.startswith("vu ")}
    out = {}
    for unit_id, name, parent in versions:
        if unit_id in vu:
            out[unit_id] = "vu"
        elif parent in vu:
            out[unit_id] = "under_vu"
        elif name.startswith("ban "):
            out[unit_id] = "ban"
        else:
            out[unit_id] = "phong"
    return out


def build_0604(ids: list[int], unit: Unit, start: datetime.date, end: datetime.date) -> Statistics:
    """Form 0604.N: the emulation and commendation organisations standing at `end`."""
    lines = emulation_units(ids, end)
    counts = dict.fromkeys(("vu", "under_vu", "ban", "phong"), 0)
    for key in lines.values():
        counts[key] += 1

    def line(n, key, label, measure):
        return Row(code(n), label, {"number": counts[key]}, 1, measure)

    rows = [
        Row(code(1), _("Total"), {"number": len(lines)}, 0, _("Organisation")),
        Row("", _("By organisational structure"), None),
        line(2, "vu", _("Departments (Vụ) of ministries and central bodies"), _("Department")),
        line(3, "under_vu", _("Divisions, boards or teams under such a department"), _("Division")),
        line(4, "ban", _("Boards of the Department of Home Affairs"), _("Board")),
        line(5, "phong", _("Divisions of the Department of Home Affairs"), _("Division")),
    ]
    return Statistics(
        form="0604",
        title=_("Number of organisations doing emulation and commendation work"),
        code_label="Biểu số 0604.N/BNV-TĐKT",
        unit=unit,
        start=start,
        end=end,
        columns=[("number", _("Number of organisations"))],
        rows=rows,
        number_heading=_("Code"),
    )


AGES = ((None, 30), (31, 40), (41, 50), (51, 55), (56, 60), (61, None))
SENIORITY = ((None, 4), (5, 9), (10, None))


def _band(value: int, bands) -> int | None:
    for n, (low, high) in enumerate(bands):
        if (low is None or value >= low) and (high is None or value <= high):
            return n
    return None


def _years(since: datetime.date, day: datetime.date) -> int:
    return day.year - since.year - ((day.month, day.day) < (since.month, since.day))


def build_0605(ids: list[int], unit: Unit, start: datetime.date, end: datetime.date) -> Statistics:
    """Form 0605.N: the people employed at `end` in the emulation and commendation
    organisations, by age at `end`, training (not recorded) and years in such work (from
    the first day of their employments in such units)."""
    units = list(emulation_units(ids, end))
    current = Employment.objects.filter(unit_id__in=units, start__lte=end).filter(
        Q(end__isnull=True) | Q(end__gt=end)
    )
    people = {
        person_id: (birth, gender)
        for person_id, birth, gender in current.values_list(
            "person_id", "person__birth_date", "person__gender"
        )
    }
    first_day: dict[int, datetime.date] = {}
    for person_id, since in Employment.objects.filter(
        unit_id__in=units, person_id__in=list(people), start__lte=end
    ).values_list("person_id", "start"):
        first_day[person_id] = min(since, first_day.get(person_id, since))

    def blank():
        return {"total": 0, "women": 0}

    total, ages = blank(), [blank() for _band_ in AGES]
    seniority = [blank() for _band_ in SENIORITY]
    for person_id, (birth, gender) in people.items():
        counted = [total]
        if birth is not None:
            band = _band(_years(birth, end), AGES)
            if band is not None:
                counted.append(ages[band])
        counted.append(seniority[_band(_years(first_day[person_id], end), SENIORITY)])
        for counts in counted:
            counts["total"] += 1
            counts["women"] += gender == Gender.FEMALE

    age_labels = (
        _("30 or younger"), _("31 to 40"), _("41 to 50"), _("51 to 55"), _("56 to 60"),
        _("Over 60"),
    )  # fmt: skip
    training = (
        _("Elementary"), _("Intermediate"), _("College"), _("University"),
        _("Postgraduate"),
    )  # fmt: skip
    years = (_("Under 5 years"), _("From 5 to under 10 years"), _("10 years or more"))
    unknown = {"total": None, "women": None}
    rows = [Row(code(1), _("Total"), total), Row("", _("1. By age"), None)]
    rows += [
        Row(code(n), label, c, 1)
        for n, (label, c) in enumerate(zip(age_labels, ages, strict=True), 2)
    ]
    rows.append(Row("", _("2. By training (not recorded in Thidua)"), None))
    rows += [Row(code(n), label, unknown, 1) for n, label in enumerate(training, 8)]
    rows.append(Row("", _("3. By years in emulation and commendation work"), None))
    rows += [
        Row(code(n), label, c, 1)
        for n, (label, c) in enumerate(zip(years, seniority, strict=True), 13)
    ]
    return Statistics(
        form="0605",
        title=_("Number of civil servants doing emulation and commendation work"),
        code_label="Biểu số 0605.N/BNV-TĐKT",
        unit=unit,
        start=start,
        end=end,
        columns=[("total", _("Total")), ("women", _("of whom women"))],
        rows=rows,
        groups=[(_("Number (people)"), "total", "women")],
        number_heading=_("Code"),
    )
