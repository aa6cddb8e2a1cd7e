"""Form 0602.N, "Số lượng khen thưởng cấp Nhà nước" — the state-level awards (conferred
by the President or the Prime Minister) decided in a period for the people and
collectives of a unit's subtree, counted by form (orders, medals, honour titles, prizes,
National Emulation Soldier, Government emulation flag, Prime Minister's certificate of
merit), split individual / collective and by commendation type. Which awards are
state-level, and in which row they fall, comes from the award catalog (the deciding tier
and the name of each entry), not from a list here. docs/statistics.md says how far the
layout follows the official form.

Counted: awards with status "valid" whose decision date falls in the period, given to a
unit of the subtree (across history, as scope reads it) or to a person employed in one on
the decision date. Annulled awards are left out.
"""

import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.awards.catalog import AwardEntry, get_catalog
from thidua.org.models import Unit
from thidua.records.choices import CommendationType
from thidua.reports.statistics.common import Row, Statistics, valid_awards

STATE_TIERS = ("president", "prime_minister")

# The groups of form 0602.N, in the form's order. A catalog entry conferred by the
# President falls in the group its name begins with (an order, a medal, a prize) or, else,
# among the honour titles; each entry conferred by the Prime Minister is its own group.
GROUPS = (
    ("orders", gettext_lazy("Orders (Huân chương)")),
    ("medals", gettext_lazy("Medals (Huy chương)")),
    ("honours", gettext_lazy("State honour titles")),
    ("prizes", gettext_lazy("Ho Chi Minh Prize, State Prize")),
)
NAME_PREFIXES = (("Huân chương", "orders"), ("Huy chương", "medals"), ("Giải thưởng", "prizes"))


def _tiers(entry: AwardEntry) -> set[str]:
    return {tier for rule in entry.extra.get("authority", ()) for tier in rule.get("tiers", ())}


def state_groups() -> list[tuple[str, str, list[AwardEntry]]]:
    """(key, label, entries) for each row group of 0602.N, from the catalog: the entries
    the President confers grouped by kind, then one group per Prime Minister's entry.
    Entries ranked highest first, then by code (the classes in order)."""
    catalog = get_catalog()
    by_group: dict[str, list[AwardEntry]] = {key: [] for key, _label in GROUPS}
    by_pm: list[AwardEntry] = []
    for entry in catalog.values():
        tiers = _tiers(entry)
        if "president" in tiers:
            key = next((g for p, g in NAME_PREFIXES if entry.name_vi.startswith(p)), "honours")
            by_group[key].append(entry)
        elif "prime_minister" in tiers:
            by_pm.append(entry)

    def order(entry):
        return (-entry.extra.get("rank", 0), entry.code)

    groups = [(key, str(label), sorted(by_group[key], key=order)) for key, label in GROUPS]
    groups += [(e.code, e.name, [e]) for e in sorted(by_pm, key=order)]
    return groups


def columns() -> list[tuple[str, str]]:
    return [
        ("total", _("Total")),
        ("individual", _("Individuals")),
        ("collective", _("Collectives")),
        *((value, str(label)) for value, label in CommendationType.choices),
    ]


def build_0602(ids: list[int], unit: Unit, start: datetime.date, end: datetime.date) -> Statistics:
    """Form 0602.N for the units `ids` (the unit's subtree, as counted), for awards
    decided from `start` to `end` (inclusive)."""
    groups = state_groups()
    codes = [e.code for _key, _label, entries in groups for e in entries]
    tallies = (
        valid_awards(ids, start, end)
        .filter(award_code__in=codes)
        .values_list("award_code", "commendation_type")
        .annotate(
            people=Count("id", filter=Q(person__isnull=False)),
            units=Count("id", filter=Q(person__isnull=True)),
        )
    )
    counts: dict[str, dict[str, int]] = {}
    for code, kind, people, units in tallies:
        c = counts.setdefault(code, {})
        for key, n in (("total", people + units), ("individual", people)):
            c[key] = c.get(key, 0) + n
        for key, n in (("collective", units), (kind, people + units)):
            c[key] = c.get(key, 0) + n

    keys = [key for key, _label in columns()]

    def blank():
        return dict.fromkeys(keys, 0)

    def add(into, other):
        for key in keys:
            into[key] += other.get(key, 0)

    total = Row("", _("Total"), blank())
    rows = [total]
    for n, (key, label, entries) in enumerate(groups, start=1):
        group = Row(_roman(n), label, blank())
        rows.append(group)
        if len(entries) == 1 and entries[0].code == key:
            add(group.counts, counts.get(key, {}))
        else:
            for m, entry in enumerate(entries, start=1):
                row = Row(str(m), entry.name, blank(), level=1)
                add(row.counts, counts.get(entry.code, {}))
                add(group.counts, row.counts)
                rows.append(row)
        add(total.counts, group.counts)
    return Statistics(
        form="0602",
        title=_("Number of state-level commendations"),
        code_label="Biểu số 0602.N/BNV-TĐKT",
        unit=unit,
        start=start,
        end=end,
        columns=columns(),
        rows=rows,
        groups=[
            (_("By recipient"), "individual", "collective"),
            (_("By commendation type"), CommendationType.values[0], CommendationType.values[-1]),
        ],
        row_heading=_("Commendation form"),
        number_first=True,
        number_heading=_("No."),
    )


def _roman(n: int) -> str:
    numerals = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for value, letters in numerals:
        while n >= value:
            out += letters
            n -= value
    return out
