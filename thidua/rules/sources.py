"""Facts the engine needs that other apps own, behind small interfaces.

Each source answers for a whole population in a constant number of queries and returns
only what it knows; a subject missing from the answer is `unknown` to the engine, never
guessed. Two shapes:

- per subject, `(ids, year) -> {id: Fact}`: `leads_block` (one answer per unit);
- per subject and title, `(ids, year) -> {id: {award_code: Fact}}`: `registered_units`,
  `registered_people` (a registration is for one title). A subject in the answer with a
  title missing had registrations recorded for the year, not for that title.

The emulation app registers its functions in its `AppConfig.ready()`:

    from thidua.rules import sources
    sources.register("leads_block", leads_block_source)
"""

from collections.abc import Callable, Iterable
from typing import NamedTuple


class Fact(NamedTuple):
    """What a source knows about one subject: the answer and the record it comes from
    (e.g. "Khối các huyện, thành phố 2020, hạng 1")."""

    value: bool
    evidence: str = ""


Source = Callable[[Iterable[int], int], dict[int, Fact]]
TitleSource = Callable[[Iterable[int], int], dict[int, dict[str, Fact]]]


def _nothing_known(ids: Iterable[int], year: int) -> dict:
    return {}


_SOURCES: dict[str, Source | TitleSource] = {
    # The unit leads the emulation block or cluster organised by the province (Law Điều 26).
    "leads_block": _nothing_known,
    # The subject registered for the title at the start of the year (a local rule, read
    # only when the deployment parameter registration_required is true).
    "registered_units": _nothing_known,
    "registered_people": _nothing_known,
}


def register(name: str, source: Source | TitleSource) -> None:
    if name not in _SOURCES:
        raise KeyError(f"unknown fact source {name!r}; known: {sorted(_SOURCES)}")
    _SOURCES[name] = source


def reset(name: str) -> None:
    """Back to "nothing known" (tests)."""
    _SOURCES[name] = _nothing_known


def ask(name: str, ids: Iterable[int], year: int) -> dict:
    return _SOURCES[name](ids, year)
