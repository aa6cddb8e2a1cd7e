"""Sections that a higher app contributes to a lower app's page.

A page that shows several apps' sections — the person page with its record and its
eligibility, the unit page with its ratings, members and collective titles — must not
import the apps above it. So the lower app names a *slot* and renders whatever panels
are registered for it; each higher app registers its panel in its `AppConfig.ready()`:

    # thidua/records/apps.py
    from thidua import panels
    panels.register("org.person", panels.Panel(
        name="records.timeline", template="records/_person_timeline.html",
        context=person_timeline_panel, order=20))

and the page composes them:

    context = panels.compose("org.person", request, person, context)
    # template: {% for template in panels %}{% include template %}{% endfor %}

A panel's `context(request, obj, page)` returns the names its template reads; they are
added to the page's context (`page` is that context so far: `day`, `year`, `visible`…).
`first_year(obj)`, when given, is the first year the panel has something for (the page
offers years back to the earliest). A plain dict, no plugin machinery: one application.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Panel:
    """One app's section on another app's page."""

    name: str
    template: str
    context: Callable[[Any, Any, dict], dict]
    order: int = 100
    first_year: Callable[[Any], int | None] | None = None


# The slots the pages render: slot → {panel name → panel}.
SLOTS: dict[str, dict[str, Panel]] = {
    "org.person": {},  # the person page, below the identity card
    "org.unit": {},  # the unit page, below its tree, names and lineage
    "org.household": {},  # the household page, below its members
}


def register(slot: str, panel: Panel) -> None:
    """Add (or replace, by name) a panel on a page's slot."""
    if slot not in SLOTS:
        raise KeyError(f"unknown panel slot {slot!r}; known: {sorted(SLOTS)}")
    SLOTS[slot][panel.name] = panel


def panels(slot: str) -> list[Panel]:
    """The slot's panels in page order."""
    return sorted(SLOTS[slot].values(), key=lambda p: (p.order, p.name))


def first_year(slot: str, obj) -> int | None:
    """The earliest year any panel of the slot has something for about `obj`."""
    years = [p.first_year(obj) for p in panels(slot) if p.first_year is not None]
    return min((y for y in years if y is not None), default=None)


def compose(slot: str, request, obj, page: dict) -> dict:
    """`page` with every panel's context added and `panels`, the templates to include in
    order."""
    chosen = panels(slot)
    for panel in chosen:
        page.update(panel.context(request, obj, page))
    page["panels"] = [panel.template for panel in chosen]
    return page
