"""The rows an act is read into, and what applying it found and did (`thidua.org.acts`)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from thidua.org.reorganize.reading import Problem


@dataclass
class ActRow:
    """One row of an act: `old_code` (internal or official code of an existing unit) →
    `new_code` (the successor's official code; empty: dissolved without successor)."""

    line: int
    act: str
    date: datetime.date
    old_code: str
    new_code: str
    new_name: str = ""
    new_parent: str = ""
    new_kind: str = ""
    staff: bool = False  # a split predecessor's staff go to this successor


@dataclass
class NewUnit:
    """What a successor is after the act (from the catalog, or the row's columns)."""

    name: str
    kind: str = ""
    parent: str = ""  # official or internal code; "" = keep / common parent
    line: int = 0


@dataclass
class Placement:
    """A person of a unit that ends, placed in one successor (a per-person mapping)."""

    line: int
    person: str
    new_code: str


@dataclass
class ActResult:
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # what was (or would be) done
    created: int = 0
    ended: int = 0
    continued: int = 0
    moved_staff: int = 0
    unplaced: list[str] = field(default_factory=list)
    by_province: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems
