"""Facts the engine needs that other apps will own, behind small interfaces.

No emulation app exists yet: block rankings and title registrations are not recorded. Each
source is a function `(unit_ids, year) -> {unit_id: Fact}` returning only what it knows;
a unit missing from the answer is `unknown` to the engine, never guessed. The emulation
app, when it comes, registers its own functions in its `AppConfig.ready()`:

    from thidua.rules import sources
    sources.register("leads_block", my_block_leaders)

A source must answer for the whole set in a constant number of queries.
"""

from collections.abc import Callable, Iterable
from typing import NamedTuple


class Fact(NamedTuple):
    """What a source knows about one subject: the answer and the record it comes from
    (e.g. "Khối các huyện, thành phố 2020, hạng 1")."""

    value: bool
    evidence: str = ""


Source = Callable[[Iterable[int], int], dict[int, Fact]]


def _nothing_known(ids: Iterable[int], year: int) -> dict[int, Fact]:
    return {}


_SOURCES: dict[str, Source] = {
    # The unit leads the emulation block or cluster organised by the province (Law Điều 26).
    "leads_block": _nothing_known,
    # The subject registered for the title at the start of the year (a local rule).
    "registered_units": _nothing_known,
    "registered_people": _nothing_known,
}


def register(name: str, source: Source) -> None:
    if name not in _SOURCES:
        raise KeyError(f"unknown fact source {name!r}; known: {sorted(_SOURCES)}")
    _SOURCES[name] = source


def reset(name: str) -> None:
    """Back to "nothing known" (tests)."""
    _SOURCES[name] = _nothing_known


def ask(name: str, ids: Iterable[int], year: int) -> dict[int, Fact]:
    return _SOURCES[name](ids, year)
