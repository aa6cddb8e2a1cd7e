"""The home page's "what needs doing" cards and the working year, contributed by the apps.

A tiny registry, so that the start page shows each app's section without importing it
(and an app that is not installed shows nothing). An app registers in its
`AppConfig.ready()`:

    from thidua.accounts import home
    home.register_card("plans.overdue", overdue_tasks_card, order=30)
    home.register_year_source(latest_task_year)

A card builder is `build(user, unit, year, today) -> HomeCard | None` (None: nothing to
say to this user); it must run a fixed number of queries, whatever the size of the unit.
`unit` is the unit the page is about (the user's home unit by default, None for "all units"
for a superuser without roles); it checks its own scope through `thidua.accounts.scope`.
A year source is `latest(up_to) -> int | None`: the latest year not after `up_to` in which
the app has something (blocks, tasks, ratings).

Reserved keys, in page order: records.unrated (10), emulation.scoring (20),
plans.overdue (30), rules.suggestions (40), nominations.waiting (50), interchange.import
(60).
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone


@dataclass
class HomeCard:
    """One thing to do: a title, a count (None: no count), where to go, and a few lines
    (text, detail, url or "") such as a block and its deadline."""

    title: str
    url: str = ""
    count: int | None = None
    link_text: str = ""
    lines: list[tuple[str, str, str]] = field(default_factory=list)
    note: str = ""
    key: str = ""
    order: int = 100


_CARDS: dict[str, tuple[int, object]] = {}
_YEAR_SOURCES: dict[str, object] = {}


def register_card(key: str, build, *, order: int = 100) -> None:
    """Add (or replace) the card `key`."""
    _CARDS[key] = (order, build)


def register_year_source(key: str, latest) -> None:
    _YEAR_SOURCES[key] = latest


def cards_for(user, unit, year: int, today: datetime.date | None = None) -> list[HomeCard]:
    """Every registered card that has something for `user`, in page order."""
    today = today or timezone.localdate()
    cards = []
    for key, (order, build) in sorted(_CARDS.items(), key=lambda item: (item[1][0], item[0])):
        card = build(user, unit, year, today)
        if card is not None:
            card.key, card.order = key, order
            cards.append(card)
    return cards


def working_year(today: datetime.date | None = None) -> int:
    """The year being rated: this year, or the previous one before
    THIDUA_WORKING_YEAR_FROM_MONTH (ratings of a year are made in its last weeks and the
    first weeks of the next); but never a year in which no app has anything, when an
    earlier one has (the latest such year)."""
    today = today or timezone.localdate()
    year = today.year if today.month >= settings.THIDUA_WORKING_YEAR_FROM_MONTH else today.year - 1
    found = [latest(year) for latest in _YEAR_SOURCES.values()]
    found = [y for y in found if y is not None]
    return max(found) if found else year


def year_or(value, default: int) -> int:
    """A year typed in a query string (`?nam=2025`), or `default` when it is missing or not
    a year the records can hold (1945–2100)."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    return year if 1945 <= year <= 2100 else default
