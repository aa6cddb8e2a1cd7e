"""What every statistics form shares: the form as rows × columns of counts, the units
counted (a unit's subtree, or the part of it in the user's scope), the valid awards of a
period, and how a form is headed."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from thidua.accounts import scope
from thidua.accounts.choices import Action
from thidua.accounts.system import SYSTEM
from thidua.org.ids import InIds
from thidua.org.models import Employment, Unit
from thidua.org.tree import subtree_ids
from thidua.records.choices import AwardStatus
from thidua.records.models import Award
from thidua.vietnamese import format_date


@dataclass
class Row:
    """One line of a form. `number` is what the form prints in its number column (a
    roman group number on 0602.N, the row code "01", "02"… on the others); a heading row
    (`counts` None) carries no figures; `measure` is the form's "đơn vị tính"."""

    number: str
    label: str
    counts: dict[str, int | None] | None
    level: int = 0  # 0: a total or a group; 1: one line under it
    measure: str = ""


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
    # The first header line's groups: (label, first column key, last column key); a column
    # outside every group spans both header lines.
    groups: list[tuple[str, str, str]] = field(default_factory=list)
    row_heading: str = ""
    # 0602.N prints its row number first (No., form); the others the label first, then
    # the row code (A: label, B: code, C: unit of measure).
    number_first: bool = False
    number_heading: str = ""
    measure_unit: str = ""  # the whole form's "đơn vị tính" printed above the table

    @property
    def period(self) -> str:
        return _("from %(start)s to %(end)s") % {
            "start": format_date(self.start),
            "end": format_date(self.end),
        }

    @property
    def header(self) -> tuple[list[tuple[str, int, bool]], list[str]]:
        """The figures' two header lines, as the form prints them: the first has each
        group (label, the columns it spans, False) and each column outside every group
        (label, 1, True: it spans both lines); the second the grouped columns' labels."""
        position = {key: n for n, (key, _label) in enumerate(self.columns)}
        spans = {
            position[first]: (label, position[last] - position[first] + 1)
            for label, first, last in self.groups
        }
        top, sub, n = [], [], 0
        while n < len(self.columns):
            if n in spans:
                label, width = spans[n]
                top.append((label, width, False))
                sub += [label for _key, label in self.columns[n : n + width]]
                n += width
            else:
                top.append((self.columns[n][1], 1, True))
                n += 1
        return top, sub

    @property
    def has_measure(self) -> bool:
        return any(row.measure for row in self.rows)


def counted_units(actor, unit: Unit) -> list[int]:
    """The ids counted for `unit`: its subtree across history for the operator (SYSTEM),
    else the part of it in the user's scope; PermissionDenied outside it."""
    scope.require(actor, Action.VIEW, unit)
    ids = subtree_ids([unit.pk]) if actor is SYSTEM else scope.subtree_in_scope(actor, unit)
    return list(ids)


def valid_awards(unit_ids, start, end, *, households=False):
    """The valid awards decided in [start, end] for the units `unit_ids` or for people
    employed in one of them on the decision date (annulled awards are left out); with
    `households`, also those of the households living in one of them."""
    employed = Employment.objects.filter(
        InIds("unit_id", unit_ids),
        person_id=OuterRef("person_id"),
        start__lte=OuterRef("decision_date"),
    ).filter(Q(end__isnull=True) | Q(end__gt=OuterRef("decision_date")))
    recipients = Q(InIds("unit_id", unit_ids)) | Exists(employed)
    if households:
        recipients |= Q(InIds("household__commune_id", unit_ids))
    return Award.objects.filter(
        status=AwardStatus.VALID, decision_date__gte=start, decision_date__lte=end
    ).filter(recipients)


def code(n: int) -> str:
    """A row code as the forms print it: 01, 02, …"""
    return f"{n:02d}"


def check_period(start, end) -> None:
    if end < start:
        raise ValueError(_("The period ends before it starts."))
