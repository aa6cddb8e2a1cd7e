"""Statutory statistics of emulation and commendation: the Ministry of Home Affairs'
forms 0601–0605.N/BNV-TĐKT (Circular 02/2023/TT-BNV), computed from the records of a
unit's subtree for a period — nothing is typed twice. docs/statistics.md says, form by
form, what is counted and how far the layout follows the official form.

- 0601.N emulation movements (`movements`)
- 0602.N state-level commendations (`state`)
- 0603.N commendations of ministries and provinces (`ministry`)
- 0604.N organisations doing the work, 0605.N their civil servants (`staff`)
"""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.org.models import Unit
from thidua.reports.statistics.common import Row, Statistics, check_period, counted_units
from thidua.reports.statistics.ministry import build_0603
from thidua.reports.statistics.movements import build_0601
from thidua.reports.statistics.staff import build_0604, build_0605
from thidua.reports.statistics.state import build_0602
from thidua.reports.statistics.xlsx import to_xlsx
from thidua.routers import replica_reads

BUILDERS = {
    "0601": build_0601,
    "0602": build_0602,
    "0603": build_0603,
    "0604": build_0604,
    "0605": build_0605,
}
FORMS = tuple(BUILDERS)
FORM_TITLES = {
    "0601": gettext_lazy("Emulation movements"),
    "0602": gettext_lazy("State-level commendations"),
    "0603": gettext_lazy("Commendations of ministries and provinces"),
    "0604": gettext_lazy("Emulation and commendation organisations"),
    "0605": gettext_lazy("Civil servants doing emulation and commendation work"),
}

__all__ = ["FORMS", "FORM_TITLES", "Row", "Statistics", "build_statistics", "to_xlsx"]


@replica_reads()
def build_statistics(
    actor, unit: Unit, start: datetime.date, end: datetime.date, form: str = "0602"
) -> Statistics:
    """Form `form` for `unit` and everything beneath it, for the period from `start` to
    `end` (inclusive). `actor` SYSTEM is the operator (the CLI); a user must have `unit`
    in scope (PermissionDenied otherwise) and only the part of the subtree in their scope
    is counted."""
    if form not in BUILDERS:
        raise ValueError(_("Unknown statistics form %(form)s.") % {"form": form})
    check_period(start, end)
    return BUILDERS[form](counted_units(actor, unit), unit, start, end)
