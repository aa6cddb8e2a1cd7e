"""The decisions' section on the person and unit pages (see `thidua.panels`): the awards
conferred by a decision issued in Thidua, each with a link to its decision. Records stays
below decisions: the link lives here, from `Recipient.award` (a foreign key from this app
to `records.Award`), never in the records app."""

from thidua import panels
from thidua.accounts.scope import in_windows
from thidua.awards.catalog import get_catalog
from thidua.decisions.choices import DecisionKind
from thidua.decisions.models import Recipient


def _decided(**subject):
    catalog = get_catalog()
    rows = list(
        Recipient.objects.filter(decision__kind=DecisionKind.CONFER, **subject)
        .select_related("decision", "award", "decision__authority")
        .order_by("-decision__decided_on", "pk")
    )
    for row in rows:
        entry = catalog.get(row.award_code)
        row.award_name = entry.name if entry else row.award_code
    return rows


def person_decisions(request, person, page) -> dict:
    # Privacy of history (docs/adr/0008-privacy-of-history.md): an award counts at the end
    # of its achievement period, like on the record panel.
    rows = _decided(award__person=person)
    return {"decided": [r for r in rows if in_windows(r.award.period_end, page["history"])]}


def unit_decisions(request, unit, page) -> dict:
    return {"decided": (_decided(award__unit=unit))}


def register() -> None:
    for slot, context in (("org.person", person_decisions), ("org.unit", unit_decisions)):
        panels.register(
            slot,
            panels.Panel(
                name="decisions.awards",
                template="decisions/_panel.html",
                context=context,
                order=90,
            ),
        )
