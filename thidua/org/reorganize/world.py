"""The units a mapping file names, loaded once (versions, ancestors, the children of
the units that end) so that the plan is checked in memory."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from thidua.org.models import Unit, UnitVersion
from thidua.org.reorganize.reading import CHUNK
from thidua.vietnamese import format_date

# ---------------------------------------------------------------------------- the world


@dataclass
class _Version:
    name: str
    parent: str | None
    valid_from: datetime.date
    valid_to: datetime.date | None = None

    def covers(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to > day)


@dataclass
class _Unit:
    code: str
    kind: str
    in_scope: bool
    versions: list[_Version] = field(default_factory=list)
    pk: int | None = None

    def on(self, day) -> _Version | None:
        return next((v for v in self.versions if v.covers(day)), None)

    def span(self) -> str:
        """When the unit exists, for messages."""
        if not self.versions:
            return _("it has no version")
        start = format_date(self.versions[0].valid_from)
        end = self.versions[-1].valid_to
        if end is None:
            return _("it exists from %(start)s") % {"start": start}
        return _("it existed from %(start)s and ended on %(end)s") % {
            "start": start,
            "end": format_date(end),
        }

    def label(self, day=None) -> str:
        version = (self.on(day) if day else None) or (self.versions[-1] if self.versions else None)
        return f"{self.code} ({version.name})" if version else self.code


def _chunks(values):
    values = list(values)
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def load_world(codes, ending_codes, scope_ids) -> dict[str, _Unit]:
    """The units named in the file, the children of those that may end, and all their
    ancestors, with every version: a fixed number of queries per tree level (and per
    `CHUNK` codes), never one per row."""
    units: dict[int, tuple[str, str]] = {}  # pk → (code, kind)

    def fetch_units(**lookup) -> set[int]:
        ((name, values),) = lookup.items()
        found = set()
        for chunk in _chunks(values):
            for pk, code, kind in Unit.objects.filter(**{name: chunk}).values_list(
                "pk", "code", "kind"
            ):
                if pk not in units:
                    units[pk] = (code, kind)
                    found.add(pk)
        return found

    pending = fetch_units(code__in=codes)
    ending_pks = [pk for pk, (code, _kind) in units.items() if code in ending_codes]
    for chunk in _chunks(ending_pks):
        children = UnitVersion.objects.filter(parent_id__in=chunk).values_list("unit_id", flat=True)
        pending |= fetch_units(pk__in=set(children) - units.keys())

    raw_versions: dict[int, list[tuple]] = defaultdict(list)
    while pending:  # one round per tree level: the versions, then the parents they name
        parents = set()
        for chunk in _chunks(pending):
            for row in UnitVersion.objects.filter(unit_id__in=chunk).values_list(
                "unit_id", "name", "parent_id", "valid_from", "valid_to"
            ):
                raw_versions[row[0]].append(row[1:])
                if row[2] is not None:
                    parents.add(row[2])
        pending = fetch_units(pk__in=parents - units.keys())

    world = {}
    for pk, (code, kind) in units.items():
        versions = sorted(
            (
                _Version(name, units[parent][0] if parent else None, valid_from, valid_to)
                for name, parent, valid_from, valid_to in raw_versions[pk]
            ),
            key=lambda v: v.valid_from,
        )
        in_scope = scope_ids is None or pk in scope_ids
        world[code] = _Unit(code, kind, in_scope, versions, pk)
    return world
