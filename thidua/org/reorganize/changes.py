"""The planner's events, one method each: create a successor, rename or re-parent,
merge, split, dissolve. Part of `_Planner` (`thidua.org.reorganize.planner`)."""

from django.utils.translation import gettext as _

from thidua.org.choices import LineageKind
from thidua.org.reorganize.events import _Declared, _Event
from thidua.org.reorganize.steps import Step
from thidua.org.reorganize.world import _Unit
from thidua.vietnamese import format_date


class _ChangesMixin:
    """The events of a day, replayed on the in-memory world."""

    def create_successors(self, day, merges, splits) -> None:
        """Check the successors the events name; plan the creation of the new ones (parents
        first) and drop the events whose successor is unusable."""
        creations: dict[str, tuple[_Declared, str, str | None, _Event]] = {}
        for event in [*merges, *splits]:
            if event.kind == LineageKind.MERGE:
                sources = [self.unit(code, line, "old_code") for code, line in event.predecessors]
                declared = event.successors
            else:
                sources = [self.unit(event.unit, event.line, "old_code")]
                declared = [d for d in event.successors if d.code != event.unit]
            if None in sources:  # an unknown code, reported: its successors cannot be judged
                event.invalid = True
                continue
            for successor in declared:
                result = self.successor(day, successor, sources, creations)
                if result is None:
                    event.invalid = True
                elif result != "exists":
                    creations[successor.code] = (*result, event)
        pending = dict(creations)
        while pending:  # parents first
            ready = [c for c, (_d, _k, parent, _e) in pending.items() if parent not in pending]
            if not ready:
                for code in pending:
                    self.problem(
                        pending[code][0].line,
                        "new_parent",
                        _("The new units %(codes)s are each other's parents.")
                        % {"codes": ", ".join(sorted(pending))},
                    )
                    pending[code][3].invalid = True
                break
            for code in ready:
                declared, kind, parent_code, event = pending.pop(code)
                self.create(day, declared, kind, parent_code, event)

    def successor(self, day, declared: _Declared, sources, creations):
        """ "exists" when the code names a unit existing on `day` with the same meaning;
        (declared, kind, parent code) for a new unit; None (with a problem) otherwise."""
        code, line = declared.code, declared.line
        unit = self.world.get(code)
        if code in creations:
            other = creations[code][0].line
            self.problem(
                line,
                "new_code",
                _("Unit %(code)s is already created on this day by line %(other)s.")
                % {"code": code, "other": other},
            )
            return None
        if unit is not None:
            return self.same_meaning(day, unit, declared)
        if not declared.name:
            self.problem(
                line, "new_name", _("A name is required to create unit %(code)s.") % {"code": code}
            )
            return None
        kind = declared.kind
        if not kind:
            kinds = {s.kind for s in sources}
            if len(kinds) != 1:
                self.problem(
                    line,
                    "new_kind",
                    _("The units it comes from differ in kind; give the kind of %(code)s.")
                    % {"code": code},
                )
                return None
            kind = kinds.pop()
        parent = declared.parent
        if not parent:
            parents = {s.on(day).parent if s.on(day) else None for s in sources}
            if len(parents) != 1:
                self.problem(
                    line,
                    "new_parent",
                    _(
                        "The units it comes from have different parents; "
                        "give the parent of %(code)s."
                    )
                    % {"code": code},
                )
                return None
            parent = parents.pop()
        return declared, kind, parent or None

    def same_meaning(self, day, unit: _Unit, declared: _Declared):
        line = declared.line
        version = unit.on(day)
        params = {"code": unit.code, "day": format_date(day), "span": unit.span()}
        if version is None:
            self.problem(
                line,
                "new_code",
                _(
                    "Unit %(code)s already exists but not on %(day)s (%(span)s); "
                    "codes are never reused."
                )
                % params,
            )
            return None
        if unit.code in self.ending:
            self.problem(
                line,
                "new_code",
                _("Unit %(code)s ceases to exist on this day (line %(other)s).")
                % {**params, "other": self.ending[unit.code]},
            )
            return None
        clashes = [
            ("new_name", declared.name, version.name, declared.name_line),
            ("new_parent", declared.parent, version.parent or "", declared.parent_line),
            ("new_kind", declared.kind, unit.kind, line),
        ]
        ok = True
        for column, given, actual, given_line in clashes:
            if given and given != actual:
                ok = False
                self.problem(
                    given_line or line,
                    column,
                    _(
                        "Unit %(code)s already exists with %(column)s “%(actual)s” on %(day)s, "
                        "not “%(given)s”: leave %(column)s empty to use it, or choose a new code."
                    )
                    % {**params, "column": column, "actual": actual or "–", "given": given},
                )
        return "exists" if ok else None

    def create(self, day, declared: _Declared, kind, parent_code, event) -> None:
        parent = None
        column = "new_parent" if declared.parent else "new_code"
        line = declared.parent_line or declared.line
        if parent_code:
            parent = self.unit(parent_code, line, column)
            if parent is None:
                event.invalid = True
                return
            if parent.on(day) is None:
                self.problem(
                    line,
                    column,
                    _("The parent %(code)s does not exist on %(day)s (%(span)s).")
                    % {"code": parent_code, "day": format_date(day), "span": parent.span()},
                )
                event.invalid = True
                return
        # A new unit is in the actor's scope when its parent is (a root: for an
        # administrator); if not, the problem is reported here once, and the plan goes on
        # to find the other problems as if the unit had been made.
        self.allowed(parent, line, column)
        unit = _Unit(declared.code, kind, in_scope=True)
        self.world[unit.code] = unit
        self.open_version(unit, day, declared.name, parent_code, declared.line)
        self.new_parents.append((unit.code, parent_code, line, column))
        self.plan.steps.append(
            Step(
                "create",
                day,
                declared.line,
                unit.code,
                name=declared.name,
                parent=parent_code,
                unit_kind=kind,
                labels={
                    "unit": unit.label(day),
                    "parent": parent.label(day) if parent else "",
                },
            )
        )

    def change(self, day, event: _Event) -> None:
        """A rename and/or a move (re-parent) of one unit on `day`."""
        checked = self._changeable(day, event)
        if checked is None:
            return
        unit, version, parent = checked
        renamed = bool(event.name) and event.name != version.name
        moved = bool(event.parent) and event.parent != version.parent
        if not self._changes_something(day, unit, event, renamed=renamed, moved=moved):
            return
        label = unit.label(day)  # its name before the change
        old_parent = version.parent
        self.open_version(
            unit,
            day,
            event.name if renamed else version.name,
            event.parent if moved else version.parent,
            event.line,
        )
        if moved:
            self.new_parents.append((unit.code, event.parent, event.parent_line, "new_parent"))
        old_parent_unit = self.world.get(old_parent) if old_parent else None
        self.plan.steps.append(
            Step(
                "change",
                day,
                event.name_line or event.parent_line,
                unit.code,
                name=event.name if renamed else None,
                parent=event.parent if moved else None,
                move=moved,
                decision=event.decision,
                labels={
                    "unit": label,
                    "name": event.name,
                    "parent": parent.label(day) if parent else "",
                    "old_parent": old_parent_unit.label(day) if old_parent_unit else "–",
                },
            )
        )

    def _changeable(self, day, event: _Event):
        """(the unit, its version to close, the new parent or None) when the unit may be
        renamed or moved on `day`; None once every reason why not is recorded."""
        unit = self.unit(event.unit, event.line, "old_code")
        if unit is None:
            return None
        if unit.code in self.ending:
            self.problem(
                event.line,
                "old_code",
                _(
                    "Unit %(code)s ceases to exist on this day (line %(other)s); "
                    "it cannot also be renamed or moved."
                )
                % {"code": unit.code, "other": self.ending[unit.code]},
            )
            return None
        ok = self.allowed(unit, event.line, "old_code")
        version = self.closable(unit, day, event.line, "old_code")
        parent = None
        if event.parent:
            parent = self.unit(event.parent, event.parent_line, "new_parent")
            ok = self._usable_parent(parent, day, event.parent_line) and ok
        if version is None or not ok:
            return None
        return unit, version, parent

    def _usable_parent(self, parent: _Unit | None, day, line) -> bool:
        """The new parent exists on `day` and is in the actor's scope."""
        if parent is None:
            return False
        ok = self.allowed(parent, line, "new_parent")
        if parent.on(day) is None:
            self.problem(
                line,
                "new_parent",
                _("Unit %(code)s does not exist on %(day)s (%(span)s).")
                % {"code": parent.code, "day": format_date(day), "span": parent.span()},
            )
            return False
        return ok

    def _changes_something(self, day, unit: _Unit, event: _Event, *, renamed, moved) -> bool:
        """A rename to the same name or a move under the same parent is a mistake in the
        file: say so."""
        if event.name and not renamed:
            self.problem(
                event.name_line,
                "new_name",
                _("Unit %(code)s is already named “%(name)s” on %(day)s.")
                % {"code": unit.code, "name": event.name, "day": format_date(day)},
            )
            return False
        if event.parent and not moved:
            self.problem(
                event.parent_line,
                "new_parent",
                _("Unit %(code)s is already beneath %(parent)s on %(day)s.")
                % {"code": unit.code, "parent": event.parent, "day": format_date(day)},
            )
            return False
        return True

    def merge(self, day, event: _Event) -> None:
        if event.invalid:
            return
        successor = self.world[event.successors[0].code]
        if all(code == successor.code for code, _line in event.predecessors):
            self.problem(
                event.line,
                "new_code",
                _("A merge needs at least one unit other than %(code)s.")
                % {"code": successor.code},
            )
            return
        ok = self.allowed(successor, event.line, "new_code")
        ending = []
        for code, line in event.predecessors:
            unit = self.unit(code, line, "old_code")
            if unit is None:
                ok = False
                continue
            ok = self.allowed(unit, line, "old_code") and ok
            if unit is successor:
                continue
            version = self.closable(unit, day, line, "old_code")
            if version is None:
                ok = False
            ending.append((unit, version, line))
        if not ok:
            return
        labels = {
            "units": ", ".join(self.world[c].label(day) for c, _line in event.predecessors),
            "unit": successor.label(day),
        }
        for unit, version, line in ending:
            self.end(unit, day, version, line)
        self.plan.steps.append(
            Step(
                LineageKind.MERGE,
                day,
                event.line,
                successor.code,
                others=[code for code, _line in event.predecessors],
                decision=event.decision,
                labels=labels,
            )
        )

    def split(self, day, event: _Event) -> None:
        if event.invalid:
            return
        unit = self.unit(event.unit, event.line, "old_code")
        if unit is None:
            return
        ok = self.allowed(unit, event.line, "old_code")
        if len(event.successors) < 2:
            self.problem(
                event.line,
                "new_code",
                _(
                    "A split needs at least two rows, one per new unit "
                    "(with the same old_code and date)."
                ),
            )
            return
        for declared in event.successors:
            if declared.code != unit.code:
                ok = self.allowed(self.world[declared.code], declared.line, "new_code") and ok
        survives = any(d.code == unit.code for d in event.successors)
        if survives and unit.code in self.ending:
            self.problem(
                event.line,
                "old_code",
                _("Unit %(code)s ceases to exist on this day (line %(other)s).")
                % {"code": unit.code, "other": self.ending[unit.code]},
            )
            return
        version = unit.on(day) if survives else self.closable(unit, day, event.line, "old_code")
        if survives and version is None:
            self.problem(
                event.line,
                "old_code",
                _("Unit %(code)s does not exist on %(day)s (%(span)s).")
                % {"code": unit.code, "day": format_date(day), "span": unit.span()},
            )
        if version is None or not ok:
            return
        labels = {
            "unit": unit.label(day),
            "units": ", ".join(self.world[d.code].label(day) for d in event.successors),
        }
        if not survives:
            self.end(unit, day, version, event.line)
        self.plan.steps.append(
            Step(
                LineageKind.SPLIT,
                day,
                event.line,
                unit.code,
                others=[d.code for d in event.successors],
                decision=event.decision,
                labels=labels,
            )
        )

    def dissolve(self, day, event: _Event) -> None:
        unit = self.unit(event.unit, event.line, "old_code")
        if unit is None:
            return
        ok = self.allowed(unit, event.line, "old_code")
        version = self.closable(unit, day, event.line, "old_code")
        if version is None or not ok:
            return
        label = unit.label(day)
        self.end(unit, day, version, event.line)
        self.plan.steps.append(
            Step(
                LineageKind.DISSOLVE,
                day,
                event.line,
                unit.code,
                decision=event.decision,
                labels={"unit": label},
            )
        )
