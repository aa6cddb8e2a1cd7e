"""The checks of the `official_codes` section across its rows and against the database:
on any day a unit carries at most one official code, and an official code names at most
one unit (ADR 0009; the database enforces both as well, org migration 0003). A few
set-based queries, per CHUNK units or codes."""

from collections import defaultdict

from django.utils.translation import gettext as _

from thidua.interchange.dataset.schema import quote
from thidua.org.models import UnitOfficialCode

SECTION = "official_codes"


def check_official_codes(v, db) -> None:
    """Add to validator `v` the problems of its official-code rows (`db`: its
    `DatabaseFacts`, for the ids of the units the file names)."""
    from thidua.interchange.dataset.facts import chunked
    from thidua.interchange.dataset.validate import day_text

    rows = v.rows[SECTION]
    if not rows:
        return
    by_unit, by_code = defaultdict(list), defaultdict(list)
    for r in rows:
        v._need_unit(SECTION, r, "unit", r.unit)
        by_unit[r.unit].append((r.valid_from, r.valid_to, r.row))
        by_code[r.official_code].append((r.valid_from, r.valid_to, r.row, r.unit))
    existing = {pk: code for code, pk in db.unit_ids.items() if code not in v.defined["units"]}
    named = {pk: code for code, pk in db.unit_ids.items()}
    for chunk in chunked(k for k in existing if existing[k] in by_unit):
        for unit_id, start, end in UnitOfficialCode.objects.filter(unit_id__in=chunk).values_list(
            "unit_id", "valid_from", "valid_to"
        ):
            by_unit[existing[unit_id]].append((start, end, None))
    others = {}
    for chunk in chunked(by_code):
        for code, unit_id, start, end in UnitOfficialCode.objects.filter(
            code__in=chunk
        ).values_list("code", "unit_id", "valid_from", "valid_to"):
            by_code[code].append((start, end, None, named.get(unit_id, unit_id)))
            others.setdefault(unit_id, None)
    noun = _("official code")
    for periods in by_unit.values():
        v._overlaps(SECTION, "valid_from", periods, noun)
    unit_codes = _unit_codes([u for u in others if u not in named])
    for code, periods in by_code.items():
        for mine, other in _shared(periods):
            where = _("row %(row)s") % {"row": other[2]} if other[2] else _("the database")
            v.problem(
                SECTION,
                mine[2],
                "official_code",
                _(
                    "official code %(code)s is carried by unit %(unit)s from %(start)s to "
                    "%(end)s (%(where)s)"
                )
                % {
                    "code": quote(code),
                    "unit": quote(unit_codes.get(other[3], other[3])),
                    "start": day_text(other[0]),
                    "end": day_text(other[1]),
                    "where": where,
                },
            )


def _shared(periods):
    """Pairs (a file's period, another unit's period overlapping it) of one code."""
    periods.sort(key=lambda p: (p[0], p[2] or 0))
    reach = periods[0]
    for period in periods[1:]:
        if period[3] != reach[3] and (reach[1] is None or reach[1] > period[0]):
            mine, other = (period, reach) if period[2] else (reach, period)
            if mine[2]:
                yield mine, other
        if reach[1] is not None and (period[1] is None or period[1] > reach[1]):
            reach = period


def _unit_codes(unit_ids) -> dict:
    """Unit id → its stable code, for the database units holding a code the file names."""
    from thidua.interchange.dataset.facts import chunked
    from thidua.org.models import Unit

    found = {}
    for chunk in chunked(unit_ids):
        found.update(Unit.objects.filter(pk__in=chunk).values_list("pk", "code"))
    return found
