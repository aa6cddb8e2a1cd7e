"""Form 0601.N, "Số phong trào thi đua": the emulation movements launched in the period
by the units counted, by the level that launched them (columns) and by organising scope,
duration and method (rows), as the form annexed to Circular 02/2023/TT-BNV lays them out.

Read from the records: the launching unit and its kind give the level (a central state
body at the top of the tree: the central level; a province, or a central body beneath
another: the ministry–province level; any other unit: an agency); a movement with emulation
blocks or clusters counts on the blocks' line; the period gives the duration; the kind
(regular or thematic) the method.
"""

import datetime

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from thidua.emulation.choices import MovementKind
from thidua.emulation.models import Block, Movement
from thidua.org.choices import UnitKind
from thidua.org.ids import InIds
from thidua.org.models import Unit
from thidua.org.tree import standing_on
from thidua.reports.statistics.common import Row, Statistics, code

LEVELS = ("central", "ministry", "agency")


def columns() -> list[tuple[str, str]]:
    return [
        ("total", _("Total")),
        ("central", _("Central level (the Central Emulation and Commendation Council)")),
        ("ministry", _("Ministries, central bodies and mass organisations, provinces")),
        ("agency", _("Agencies, organisations and units")),
    ]


def _level(kind: str, has_parent: bool) -> str:
    if kind == UnitKind.CENTRAL and not has_parent:
        return "central"
    if kind in (UnitKind.CENTRAL, UnitKind.PROVINCE):
        return "ministry"
    return "agency"


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def duration(start: datetime.date, end: datetime.date) -> str:
    """The form's duration class of a movement running from `start` to `end` inclusive:
    under a year, one year, over one and under three, three to under five, five or more."""
    after = end + datetime.timedelta(days=1)
    if after < _add_years(start, 1):
        return "under_1"
    if after == _add_years(start, 1):
        return "one"
    if after < _add_years(start, 3):
        return "to_3"
    if after < _add_years(start, 5):
        return "to_5"
    return "over_5"


DURATIONS = ("under_1", "one", "to_3", "to_5", "over_5")


def build_0601(ids: list[int], unit: Unit, start: datetime.date, end: datetime.date) -> Statistics:
    """Form 0601.N for the movements launched from `start` to `end` (their launching
    decision's date) by a unit of `ids`."""
    movements = (
        Movement.objects.filter(
            InIds("launched_by_id", ids), decision_date__gte=start, decision_date__lte=end
        )
        .annotate(in_blocks=Exists(Block.objects.filter(movement=OuterRef("pk"))))
        .values_list(
            "launched_by_id", "launched_by__kind", "kind", "period_start", "period_end",
            "in_blocks",
        )
    )  # fmt: skip
    movements = list(movements)
    launchers = {m[0] for m in movements}
    with_parent = set(
        standing_on(end)
        .filter(unit_id__in=launchers, parent__isnull=False)
        .values_list("unit_id", flat=True)
    )
    keys = ("total", *LEVELS)
    tally: dict[str, dict[str, int]] = {}

    def count(line: str, level: str) -> None:
        counts = tally.setdefault(line, dict.fromkeys(keys, 0))
        counts["total"] += 1
        counts[level] += 1

    for launcher, kind, kind_of_movement, first, last, in_blocks in movements:
        level = _level(kind, launcher in with_parent)
        count("all", level)
        scope_line = "blocks" if in_blocks else f"scope_{level}"
        count(scope_line, level)
        count(duration(first, last), level)
        count(kind_of_movement, level)

    def line(n: int, key: str, label: str, level: int = 1) -> Row:
        return Row(code(n), label, tally.get(key, dict.fromkeys(keys, 0)), level=level)

    rows = [
        line(1, "all", _("Total"), level=0),
        Row("", _("1. By organising scope"), None),
        line(2, "scope_central", _("Nationwide")),
        line(3, "scope_ministry", _("Ministries, sectors, mass organisations, localities")),
        line(4, "blocks", _("Emulation clusters and blocks organised by the councils")),
        line(5, "scope_agency", _("Agencies, organisations and units")),
        Row("", _("2. By duration"), None),
    ]
    labels = {
        "under_1": _("Under one year"),
        "one": _("One year"),
        "to_3": _("Over one year, under three years"),
        "to_5": _("From three to under five years"),
        "over_5": _("Five years or more"),
    }
    rows += [line(n, key, labels[key]) for n, key in enumerate(DURATIONS, start=6)]
    rows += [
        Row("", _("3. By organising method"), None),
        line(11, MovementKind.THEMATIC, _("Thematic emulation")),
        line(12, MovementKind.REGULAR, _("Regular yearly emulation")),
    ]
    return Statistics(
        form="0601",
        title=_("Number of emulation movements"),
        code_label="Biểu số 0601.N/BNV-TĐKT",
        unit=unit,
        start=start,
        end=end,
        columns=columns(),
        rows=rows,
        groups=[(_("By the level that launched the movement"), "central", "agency")],
        number_heading=_("Code"),
        measure_unit=_("Unit: movements"),
    )
