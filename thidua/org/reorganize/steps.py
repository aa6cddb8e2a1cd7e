"""The plan: its steps (each described for a dry run and once applied, and applied
through `thidua.org.services`), its problems and warnings."""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.org import services
from thidua.org.choices import LineageKind
from thidua.org.models import Unit
from thidua.org.reorganize.reading import Problem
from thidua.vietnamese import format_date

# ---------------------------------------------------------------------------- the plan

_DESCRIPTIONS = {
    # kind: (dry run, applied)
    "create": (
        gettext_lazy("would create %(unit)s under %(parent)s on %(date)s"),
        gettext_lazy("created %(unit)s under %(parent)s on %(date)s"),
    ),
    "create_root": (
        gettext_lazy("would create %(unit)s as a top-level unit on %(date)s"),
        gettext_lazy("created %(unit)s as a top-level unit on %(date)s"),
    ),
    LineageKind.RENAME: (
        gettext_lazy("would rename %(unit)s to “%(name)s” on %(date)s"),
        gettext_lazy("renamed %(unit)s to “%(name)s” on %(date)s"),
    ),
    LineageKind.REPARENT: (
        gettext_lazy("would move %(unit)s from %(old_parent)s to %(parent)s on %(date)s"),
        gettext_lazy("moved %(unit)s from %(old_parent)s to %(parent)s on %(date)s"),
    ),
    "rename_reparent": (
        gettext_lazy(
            "would rename %(unit)s to “%(name)s” and move it from %(old_parent)s to "
            "%(parent)s on %(date)s"
        ),
        gettext_lazy(
            "renamed %(unit)s to “%(name)s” and moved it from %(old_parent)s to "
            "%(parent)s on %(date)s"
        ),
    ),
    LineageKind.MERGE: (
        gettext_lazy("would merge %(units)s into %(unit)s on %(date)s"),
        gettext_lazy("merged %(units)s into %(unit)s on %(date)s"),
    ),
    LineageKind.SPLIT: (
        gettext_lazy("would split %(unit)s into %(units)s on %(date)s"),
        gettext_lazy("split %(unit)s into %(units)s on %(date)s"),
    ),
    LineageKind.DISSOLVE: (
        gettext_lazy("would dissolve %(unit)s on %(date)s"),
        gettext_lazy("dissolved %(unit)s on %(date)s"),
    ),
}


@dataclass
class Step:
    """One call of an org service, in the order the plan applies them."""

    kind: str  # "create", "change", merge, split, dissolve
    day: datetime.date
    line: int
    unit: str  # the unit created/changed/dissolved/split, or the merge's successor
    others: list[str] = field(default_factory=list)  # merge predecessors, split successors
    name: str | None = None
    parent: str | None = None
    unit_kind: str = ""
    move: bool = False
    decision: str = ""
    labels: dict = field(default_factory=dict)  # for `describe`, taken before the change

    def describe(self, *, applied: bool = False) -> str:
        if self.kind == "create":
            key = "create" if self.parent else "create_root"
        elif self.kind == "change":
            key = (
                "rename_reparent"
                if self.move and self.name
                else LineageKind.REPARENT
                if self.move
                else LineageKind.RENAME
            )
        else:
            key = self.kind
        text = str(_DESCRIPTIONS[key][applied]) % {"date": format_date(self.day), **self.labels}
        if self.decision:
            text += " " + _("(decision %(decision)s)") % {"decision": self.decision}
        return text

    def apply(self, units: dict[str, Unit], actor) -> None:
        if self.kind == "create":
            units[self.unit] = services.create_unit(
                code=self.unit,
                kind=self.unit_kind,
                name=self.name,
                parent=units[self.parent] if self.parent else None,
                established_on=self.day,
                actor=actor,
            )
        elif self.kind == "change":
            services.change_unit(
                units[self.unit],
                self.day,
                name=self.name,
                parent=units[self.parent] if self.move else services.KEEP,
                decision=self.decision,
                actor=actor,
            )
        elif self.kind == LineageKind.MERGE:
            predecessors = [units[code] for code in self.others]
            services.merge_units(
                predecessors, units[self.unit], self.day, decision=self.decision, actor=actor
            )
        elif self.kind == LineageKind.SPLIT:
            successors = [units[code] for code in self.others]
            services.split_unit(
                units[self.unit], successors, self.day, decision=self.decision, actor=actor
            )
        else:
            services.dissolve_unit(units[self.unit], self.day, decision=self.decision, actor=actor)

    def codes(self) -> set[str]:
        return {self.unit, *self.others, *([self.parent] if self.parent else [])}


@dataclass
class Plan:
    steps: list[Step] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems
