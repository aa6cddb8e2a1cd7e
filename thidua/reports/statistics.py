"""Statutory statistics of emulation and commendation (Circular 02/2023/TT-BNV, the
Ministry of Home Affairs' 06xx.N/BNV-TĐKT forms), computed from the award records.

Implemented: form 0602.N, "Số lượng khen thưởng cấp Nhà nước" — the state-level awards
(conferred by the President or the Prime Minister) decided in a period for the people and
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
import io
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from thidua.accounts import scope
from thidua.accounts.choices import Action
from thidua.accounts.system import SYSTEM
from thidua.awards.catalog import AwardEntry, get_catalog
from thidua.org.models import Employment, Unit
from thidua.org.tree import subtree_ids
from thidua.records.choices import AwardStatus, CommendationType
from thidua.records.models import Award
from thidua.routers import replica_reads
from thidua.spreadsheet import write_cell
from thidua.vietnamese import format_date

FORMS = ("0602",)
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


@dataclass
class Row:
    number: str
    label: str
    counts: dict[str, int]
    level: int = 0  # 0: a total or a group; 1: one award


@dataclass
class Statistics:
    form: str
    title: str
    code_label: str
    unit: Unit
    start: datetime.date
    end: datetime.date
    columns: list[tuple[str, str]]
    rows: list[Row] = field(default_factory=list)

    @property
    def period(self) -> str:
        return _("from %(start)s to %(end)s") % {
            "start": format_date(self.start),
            "end": format_date(self.end),
        }


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


def _awards(unit_ids, start, end):
    """The valid awards decided in [start, end] for the units `unit_ids` or for people
    employed in one of them on the decision date."""
    employed = Employment.objects.filter(
        person_id=OuterRef("person_id"),
        unit_id__in=unit_ids,
        start__lte=OuterRef("decision_date"),
    ).filter(Q(end__isnull=True) | Q(end__gt=OuterRef("decision_date")))
    return Award.objects.filter(
        status=AwardStatus.VALID, decision_date__gte=start, decision_date__lte=end
    ).filter(Q(unit_id__in=unit_ids) | Exists(employed))


@replica_reads()
def build_statistics(
    actor, unit: Unit, start: datetime.date, end: datetime.date, form: str = "0602"
) -> Statistics:
    """Form `form` for `unit` and everything beneath it, for awards decided from `start`
    to `end` (inclusive). `actor` SYSTEM is the operator (the CLI); a user must have `unit`
    in scope (PermissionDenied otherwise) and only the part of the subtree in their scope
    is counted."""
    if form not in FORMS:
        raise ValueError(_("Unknown statistics form %(form)s.") % {"form": form})
    if end < start:
        raise ValueError(_("The period ends before it starts."))
    scope.require(actor, Action.VIEW, unit)
    ids = subtree_ids([unit.pk]) if actor is SYSTEM else scope.subtree_in_scope(actor, unit)
    groups = state_groups()
    codes = [e.code for _key, _label, entries in groups for e in entries]
    tallies = (
        _awards(list(ids), start, end)
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
        form=form,
        title=_("Number of state-level commendations"),
        code_label="Biểu số 0602.N/BNV-TĐKT",
        unit=unit,
        start=start,
        end=end,
        columns=columns(),
        rows=rows,
    )


def _roman(n: int) -> str:
    numerals = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for value, letters in numerals:
        while n >= value:
            out += letters
            n -= value
    return out


def to_xlsx(stats: Statistics) -> bytes:
    """The form as an XLSX workbook: the form's code and title, the reporting unit and
    period, a two-line header (totals, by recipient, by commendation type), a line of
    column numbers, then the rows. Text never becomes a formula."""
    book = Workbook()
    sheet = book.active
    sheet.title = stats.form
    bold = Font(bold=True)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    width = 2 + len(stats.columns)
    last = get_column_letter(width)

    write_cell(sheet, 1, 1, stats.code_label).font = bold
    write_cell(sheet, 2, 1, stats.title.upper()).font = Font(bold=True, size=13)
    sheet.merge_cells(f"A2:{last}2")
    sheet["A2"].alignment = centre
    write_cell(sheet, 3, 1, _("Period: %(period)s") % {"period": stats.period})
    sheet.merge_cells(f"A3:{last}3")
    sheet["A3"].alignment = centre
    write_cell(sheet, 4, 1, _("Reporting unit: %(unit)s") % {"unit": stats.unit.name})

    head, sub = 6, 7
    write_cell(sheet, head, 1, _("No."))
    write_cell(sheet, head, 2, _("Commendation form"))
    write_cell(sheet, head, 3, _("Total"))
    write_cell(sheet, head, 4, _("By recipient"))
    write_cell(sheet, head, 6, _("By commendation type"))
    for column in (1, 2, 3):
        sheet.merge_cells(start_row=head, start_column=column, end_row=sub, end_column=column)
    sheet.merge_cells(start_row=head, start_column=4, end_row=head, end_column=5)
    sheet.merge_cells(start_row=head, start_column=6, end_row=head, end_column=width)
    for n, (_key, label) in enumerate(stats.columns[1:], start=4):
        write_cell(sheet, sub, n, label)
    numbers = sub + 1
    write_cell(sheet, numbers, 1, "A")
    write_cell(sheet, numbers, 2, "B")
    for n in range(3, width + 1):
        write_cell(sheet, numbers, n, n - 2)
    for r in range(head, numbers + 1):
        for c in range(1, width + 1):
            cell = sheet.cell(row=r, column=c)
            cell.border, cell.alignment, cell.font = box, centre, bold

    for r, row in enumerate(stats.rows, start=numbers + 1):
        write_cell(sheet, r, 1, row.number)
        label = write_cell(sheet, r, 2, row.label)
        label.alignment = Alignment(indent=2 * row.level, wrap_text=True)
        for c, (key, _label) in enumerate(stats.columns, start=3):
            write_cell(sheet, r, c, row.counts[key])
        for c in range(1, width + 1):
            cell = sheet.cell(row=r, column=c)
            cell.border = box
            if row.level == 0:
                cell.font = bold
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 48
    for n in range(3, width + 1):
        sheet.column_dimensions[get_column_letter(n)].width = 13
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
