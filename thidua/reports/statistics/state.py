"""Form 0602.N, "Số lượng khen thưởng cấp Nhà nước" — the state-level awards (conferred
by the President or the Prime Minister) decided in a period for the people and
collectives of a unit's subtree. As the official form lays it out, the columns are the
forms (orders, medals, honour titles, prizes, National Emulation Soldier, Government
emulation flag, Prime Minister's certificate of merit), each split collective /
individual, and the rows the breakdowns: by recipient (collectives, of which enterprises;
households; individuals by the class of their post) and by commendation method — the rows
of 0603.N. Which awards are state-level, and in which column they fall, comes from the
award catalog (the deciding tier and the name of each entry), not from a list here.
docs/statistics.md says how far the layout follows the official form.

Counted: awards with status "valid" whose decision date falls in the period, given to a
unit of the subtree (across history, as scope reads it) or to a person employed in one on
the decision date. Annulled awards are left out.
"""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.awards.catalog import AwardEntry, get_catalog
from thidua.org.models import Unit
from thidua.reports.statistics.common import Statistics
from thidua.reports.statistics.ministry import recipient_rows

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


SIDES = (("collective", gettext_lazy("Collectives")), ("individual", gettext_lazy("Individuals")))


def columns(groups=None) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    """The columns of 0602.N as the official form lays them out: the total, then each
    group of state-level forms (orders, medals, honour titles, prizes, then each of the
    Prime Minister's forms) split collective / individual — only the sides its catalog
    entries can be given to. Returns (columns, header groups)."""
    cols = [("total", _("Total"))]
    heads = []
    for key, label, entries in groups if groups is not None else state_groups():
        sides = [(f"{key}:{side}", str(name)) for side, name in SIDES
                 if any(side in e.subjects for e in entries)]  # fmt: skip
        if sides:
            cols += sides
            heads.append((label, sides[0][0], sides[-1][0]))
    return cols, heads


def build_0602(ids: list[int], unit: Unit, start: datetime.date, end: datetime.date) -> Statistics:
    """Form 0602.N for the units `ids` (the unit's subtree, as counted), for awards
    decided from `start` to `end` (inclusive): a column per group of forms and side, a
    row per breakdown (by recipient, by commendation method), as 0603.N."""
    groups = state_groups()
    group_of = {e.code: key for key, _label, entries in groups for e in entries}
    cols, heads = columns(groups)
    rows = recipient_rows(
        ids,
        start,
        end,
        group_of,
        [key for key, _label in cols],
        lambda award_code, person: (
            f"{group_of[award_code]}:{'individual' if person else 'collective'}"
        ),
    )
    return Statistics(
        form="0602",
        title=_("Number of state-level commendations"),
        code_label="Biểu số 0602.N/BNV-TĐKT",
        unit=unit,
        start=start,
        end=end,
        columns=cols,
        rows=rows,
        groups=heads,
        number_heading=_("Code"),
    )
