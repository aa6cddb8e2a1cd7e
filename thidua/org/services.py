"""Verbs that change the organisation. Each checks permission, validates, writes in one
transaction and audits; the tree's history is only ever extended, never rewritten.

Guarantees shared by the unit verbs:

- A change on `day` closes the unit's version in force on `day` (its `valid_to` becomes
  `day`) and, where the unit lives on, opens a new one from `day` (half-open intervals).
  Nothing is deleted; a change dated before a version that already exists is refused.
- A unit changed on `day` must exist on `day`, and a parent must exist on the day the
  version that names it starts; a unit never ends up beneath itself.
- Merges, splits, renames, re-parentings and dissolutions record a `LineageEvent` whose
  edges lead from predecessor to successor, which the scope follows
  (`thidua.accounts.scope`).
- `actor` is required: the user, or `SYSTEM` (the operator's CLI, a dataset load). For a user the
  verbs raise `PermissionDenied` before writing anything.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from thidua.accounts.choices import Action
from thidua.accounts.scope import forget, require, require_person, unit_ids_for
from thidua.audit.services import log, snapshot
from thidua.org.choices import LineageKind
from thidua.org.models import (
    Employment,
    Household,
    HouseholdMember,
    LineageEdge,
    LineageEvent,
    Person,
    Unit,
    UnitVersion,
)
from thidua.text import check_code, normalize_name
from thidua.vietnamese import format_date

# "Leave the parent as it is" for `change_unit` (None means "no parent": a root).
KEEP = object()


def current_version(unit: Unit, day: datetime.date) -> UnitVersion | None:
    """The version of `unit` in force on `day`, or None when it did not exist then."""
    return UnitVersion.objects.on(day).filter(unit=unit).first()


def _params(unit, day) -> dict:
    return {"code": unit.code, "day": format_date(day)}


def _require_root(actor) -> None:
    """Only the system or a superuser may make a unit without a parent (a new root)."""
    if unit_ids_for(actor, Action.CHANGE) is not None:
        raise PermissionDenied(_("Only an administrator may create or move a top-level unit."))


def _changed_tree(actor) -> None:
    """The actor's cached scope no longer matches the tree (a new unit, a new edge)."""
    forget(actor)


def _check_parent(unit: Unit | None, parent: Unit, day: datetime.date) -> None:
    """`parent` exists on `day` and is not `unit` or one of its descendants on `day`."""
    ancestor = parent
    while ancestor is not None:
        if unit is not None and ancestor.pk == unit.pk:
            raise ValidationError(
                {
                    "parent": _("%(parent)s is %(code)s itself or lies beneath it.")
                    % {"parent": parent.code, "code": unit.code}
                }
            )
        version = current_version(ancestor, day)
        if version is None:
            if ancestor.pk == parent.pk:
                raise ValidationError(
                    {"parent": _("Unit %(code)s does not exist on %(day)s.") % _params(parent, day)}
                )
            break
        ancestor = version.parent


def _version_to_close(unit: Unit, day: datetime.date) -> UnitVersion:
    """The version of `unit` in force on `day`, checked so that it may end on `day`: it
    started before `day` and it is the last one, still open (a later version or a
    dissolution would be rewritten otherwise)."""
    versions = list(
        unit.versions.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .select_related("parent")
        .order_by("valid_from")
    )
    current = next((v for v in versions if v.valid_from <= day), None)
    if current is None:
        raise ValidationError(_("Unit %(code)s does not exist on %(day)s.") % _params(unit, day))
    if current.valid_from == day:
        raise ValidationError(
            _("Unit %(code)s already changed on %(day)s; give every change of a day at once.")
            % _params(unit, day)
        )
    if current.valid_to is not None or len(versions) > 1:
        raise ValidationError(
            _("Unit %(code)s has changes after %(day)s; history is not rewritten.")
            % _params(unit, day)
        )
    return current


def _check_name(name: str) -> None:
    limit = UnitVersion._meta.get_field("name").max_length
    if not name:
        raise ValidationError({"name": _("A unit needs a name.")})
    if len(name) > limit:
        raise ValidationError(
            {"name": _("A name has at most %(limit)s characters.") % {"limit": limit}}
        )


def _version_state(version: UnitVersion | None) -> dict | None:
    if version is None:
        return None
    return {
        "name": version.name,
        "parent": version.parent.code if version.parent_id else None,
        "valid_from": version.valid_from.isoformat(),
        "valid_to": version.valid_to.isoformat() if version.valid_to else None,
    }


def _event(kind, day, decision, edges, note="") -> LineageEvent:
    event = LineageEvent.objects.create(kind=kind, date=day, decision=decision, note=note)
    LineageEdge.objects.bulk_create(
        [LineageEdge(event=event, predecessor=p, successor=s) for p, s in edges]
    )
    return event


@transaction.atomic
def create_unit(*, code, kind, name, parent=None, established_on, actor) -> Unit:
    """Create a unit that exists from `established_on`, with its first version.

    The actor needs the change right on the parent (a top-level unit: an administrator).
    The code must be new (codes are never reused) and the parent must exist on that day.
    """
    if parent is None:
        _require_root(actor)
    else:
        require(actor, Action.CHANGE, parent)
        _check_parent(None, parent, established_on)
    check_code(code)
    name = normalize_name(name)
    unit = Unit(code=code, kind=kind, name=name, established_on=established_on)
    unit.fill_derived()
    unit.full_clean()
    unit.save()
    version = UnitVersion.objects.create(
        unit=unit, name=name, parent=parent, valid_from=established_on
    )
    log(
        "org.unit.create",
        unit,
        actor=actor,
        after={**snapshot(unit), "version": _version_state(version)},
    )
    _changed_tree(actor)
    return unit


@transaction.atomic
def change_unit(unit, day, *, name=None, parent=KEEP, decision="", actor):
    """Rename and/or re-parent `unit` from `day` in one new version; returns the lineage
    events recorded (one `rename`, one `reparent`, or both).

    `name=None` keeps the name, `parent=KEEP` keeps the parent (`parent=None` makes the
    unit a root, which only an administrator may do). A change that changes nothing is
    refused, so a mapping applied twice says so instead of adding empty versions.
    """
    require(actor, Action.CHANGE, unit)
    if parent is None:
        _require_root(actor)
    elif parent is not KEEP:
        require(actor, Action.CHANGE, parent)
    current = _version_to_close(unit, day)
    new_name = current.name if name is None else normalize_name(name)
    new_parent = current.parent if parent is KEEP else parent
    renamed = new_name != current.name
    moved = (new_parent.pk if new_parent else None) != current.parent_id
    _check_name(new_name)
    if not renamed and not moved:
        raise ValidationError(
            _("Unit %(code)s already has this name and parent on %(day)s.") % _params(unit, day)
        )
    if moved and new_parent is not None:
        _check_parent(unit, new_parent, day)

    before = _version_state(current)
    current.valid_to = day
    current.save(update_fields=["valid_to"])
    new = UnitVersion.objects.create(unit=unit, name=new_name, parent=new_parent, valid_from=day)
    # `Unit.name` copies the latest version's name (no later version exists: checked).
    if renamed:
        unit.name = new_name
        unit.save(update_fields=["name", "search_name", "sort_key"])  # derived on save
    after = _version_state(new)
    events = []
    if renamed:
        events.append(_event(LineageKind.RENAME, day, decision, [(unit, unit)]))
        log("org.unit.rename", unit, actor=actor, before=before, after=after)
    if moved:
        events.append(_event(LineageKind.REPARENT, day, decision, [(unit, unit)]))
        log("org.unit.reparent", unit, actor=actor, before=before, after=after)
        _changed_tree(actor)
    return events


def rename_unit(unit, new_name, day, *, decision="", actor) -> LineageEvent:
    """Give `unit` a new name from `day` (see `change_unit`)."""
    (event,) = change_unit(unit, day, name=new_name, decision=decision, actor=actor)
    return event


def reparent_unit(unit, new_parent, day, *, decision="", actor) -> LineageEvent:
    """Place `unit` beneath `new_parent` from `day` (see `change_unit`)."""
    (event,) = change_unit(unit, day, parent=new_parent, decision=decision, actor=actor)
    return event


def _dissolve(unit, day, *, actor, event_kind) -> None:
    """End `unit` on `day`: close its version and stamp `dissolved_on`; audited."""
    current = _version_to_close(unit, day)
    before = {**snapshot(unit), "version": _version_state(current)}
    current.valid_to = day
    current.save(update_fields=["valid_to"])
    unit.dissolved_on = day
    unit.save(update_fields=["dissolved_on"])
    after = {**snapshot(unit), "version": _version_state(current)}
    log("org.unit.dissolve", unit, actor=actor, before=before, after=after, message=event_kind)


@transaction.atomic
def dissolve_unit(unit, day, *, decision="", actor) -> LineageEvent:
    """Dissolve `unit` on `day` without a successor. Its children are not moved: that is
    an explicit `reparent_unit` (see `thidua.org.reorganize` for the warning)."""
    require(actor, Action.CHANGE, unit)
    _dissolve(unit, day, actor=actor, event_kind=LineageKind.DISSOLVE)
    return _event(LineageKind.DISSOLVE, day, decision, [(unit, None)])


def _distinct(units, what: str) -> list[Unit]:
    units = list(units)
    if len({u.pk for u in units}) != len(units):
        raise ValidationError(_("The %(what)s are listed more than once.") % {"what": what})
    return units


@transaction.atomic
def merge_units(predecessors, successor, day, *, decision="", actor) -> LineageEvent:
    """Merge `predecessors` into `successor` on `day`.

    The successor may be one of the predecessors (absorption) or another unit existing on
    `day` (for instance one just made by `create_unit`, or use `merge_into_new_unit`).
    Every other predecessor is dissolved on `day`; an edge predecessor → successor is
    recorded for each, so records and scope follow the lineage.
    """
    predecessors = _distinct(predecessors, _("predecessors"))
    for unit in [*predecessors, successor]:
        require(actor, Action.CHANGE, unit)
    dissolved = [p for p in predecessors if p.pk != successor.pk]
    if not dissolved:
        raise ValidationError(_("A merge needs at least one unit other than the successor."))
    if current_version(successor, day) is None:
        raise ValidationError(
            _("Unit %(code)s does not exist on %(day)s.") % _params(successor, day)
        )
    for unit in dissolved:
        _dissolve(unit, day, actor=actor, event_kind=LineageKind.MERGE)
    event = _event(LineageKind.MERGE, day, decision, [(p, successor) for p in predecessors])
    log(
        "org.unit.merge",
        successor,
        actor=actor,
        before={"predecessors": [p.code for p in predecessors], "dissolved": []},
        after={
            "predecessors": [p.code for p in predecessors],
            "dissolved": [p.code for p in dissolved],
            "date": day.isoformat(),
            "decision": decision,
        },
    )
    _changed_tree(actor)
    return event


@transaction.atomic
def merge_into_new_unit(
    predecessors, day, *, code, kind, name, parent, decision="", actor
) -> tuple[Unit, LineageEvent]:
    """Create unit `code` on `day` (beneath `parent`) and merge `predecessors` into it,
    in one transaction."""
    successor = create_unit(
        code=code, kind=kind, name=name, parent=parent, established_on=day, actor=actor
    )
    return successor, merge_units(predecessors, successor, day, decision=decision, actor=actor)


@transaction.atomic
def split_unit(predecessor, successors, day, *, decision="", actor) -> LineageEvent:
    """Split `predecessor` into `successors` (existing on `day`, e.g. created beforehand).

    The predecessor is dissolved unless it is itself one of the successors (a part split
    off). Edges predecessor → each successor are recorded.
    """
    successors = _distinct(successors, _("successors"))
    for unit in [predecessor, *successors]:
        require(actor, Action.CHANGE, unit)
    if len(successors) < 2:  # distinct, so at least one is not the predecessor
        raise ValidationError(_("A split needs at least two successors other than itself."))
    for unit in successors:
        if unit.pk != predecessor.pk and current_version(unit, day) is None:
            raise ValidationError(
                _("Unit %(code)s does not exist on %(day)s.") % _params(unit, day)
            )
    if all(s.pk != predecessor.pk for s in successors):
        _dissolve(predecessor, day, actor=actor, event_kind=LineageKind.SPLIT)
    elif current_version(predecessor, day) is None:
        raise ValidationError(
            _("Unit %(code)s does not exist on %(day)s.") % _params(predecessor, day)
        )
    event = _event(LineageKind.SPLIT, day, decision, [(predecessor, s) for s in successors])
    log(
        "org.unit.split",
        predecessor,
        actor=actor,
        before={"successors": []},
        after={
            "successors": [s.code for s in successors],
            "date": day.isoformat(),
            "decision": decision,
        },
    )
    _changed_tree(actor)
    return event


@transaction.atomic
def add_person(*, actor, unit=None, **fields) -> Person:
    """Create a person from model fields. A user names the `unit` the person is added for
    (the change right on it is required); without one only an administrator may add."""
    if unit is not None:
        require(actor, Action.CHANGE, unit)
    else:
        _require_root(actor)
    check_code(fields.get("code"))
    for field in ("family_name", "middle_name", "given_name"):
        if field in fields:
            fields[field] = normalize_name(fields[field])
    person = Person(**fields)
    person.fill_derived()
    person.full_clean()
    person.save()
    log("org.person.create", person, actor=actor, after=snapshot(person))
    return person


@transaction.atomic
def add_household(*, code, name, commune, address="", members=(), head=None, actor):
    """Record a household living in `commune` (the change right on it is required), with
    its members; `head` (one of them) is the head of household."""
    require(actor, Action.CHANGE, commune)
    household = Household(code=code, name=(name or "").strip(), address=address, commune=commune)
    household.fill_derived()
    household.full_clean()
    household.save()
    people = list(dict.fromkeys([*members, *([head] if head else [])]))
    HouseholdMember.objects.bulk_create(
        HouseholdMember(household=household, person=p, is_head=p == head) for p in people
    )
    log(
        "org.household.create",
        household,
        actor=actor,
        after={**snapshot(household), "members": [p.code for p in people]},
    )
    return household


def check_no_overlap(person, start, end, *, exclude_pk=None) -> None:
    """Refuse an employment of `person` over [start, end) that overlaps another one."""
    clash = Employment.objects.filter(person=person).overlapping(start, end)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError(
            _("%(person)s already has an employment overlapping %(start)s.")
            % {"person": person, "start": format_date(start)}
        )


@transaction.atomic
def start_employment(person, unit, start, *, position="", end=None, actor) -> Employment:
    """Employ `person` in `unit` over [start, end). Refuses an overlap with another
    employment of the person, an end not after the start, and a unit that does not exist
    on `start`. A user needs the change right on the unit, and on the person too once the
    person has been employed anywhere (so nobody can pull a stranger into their scope)."""
    require(actor, Action.CHANGE, unit)
    if unit_ids_for(actor, Action.CHANGE) is not None and person.employments.exists():
        require_person(actor, Action.CHANGE, person)
    if end is not None and end <= start:
        raise ValidationError({"end": _("The end must be after the start.")})
    if current_version(unit, start) is None:
        raise ValidationError(
            {"unit": _("Unit %(code)s does not exist on %(day)s.") % _params(unit, start)}
        )
    check_no_overlap(person, start, end)
    employment = Employment(person=person, unit=unit, position=position, start=start, end=end)
    employment.full_clean()
    employment.save()
    log("org.employment.create", employment, actor=actor, after=snapshot(employment))
    return employment


@transaction.atomic
def transfer_person(person, to_unit, day, *, position="", actor) -> Employment:
    """End the person's current employment on `day` and start one in `to_unit` on the same
    day (half-open: the old one's last day is the day before). Both are audited."""
    require_person(actor, Action.CHANGE, person)
    require(actor, Action.CHANGE, to_unit)
    current = (
        Employment.objects.select_for_update()
        .filter(person=person)
        .overlapping(day, None)
        .order_by("start")
        .first()
    )
    if current is not None:
        if current.start >= day:
            raise ValidationError(_("The current employment starts on or after the transfer."))
        before = snapshot(current)
        current.end = day
        current.save(update_fields=["end"])
        log("org.employment.end", current, actor=actor, before=before, after=snapshot(current))
    return start_employment(person, to_unit, day, position=position, actor=actor)


@transaction.atomic
def end_employment(employment, day, *, actor) -> Employment:
    """End `employment` on `day` (its last day is the day before: half-open). Refuses an
    employment already ended, and a day not after its start. Audited."""
    require(actor, Action.CHANGE, employment.unit)
    employment = Employment.objects.select_for_update().get(pk=employment.pk)
    if employment.end is not None:
        raise ValidationError(
            {
                "end": _("This employment already ended on %(day)s.")
                % {"day": format_date(employment.end)}
            }
        )
    if day <= employment.start:
        raise ValidationError(
            {
                "end": _("The end must be after the start (%(day)s).")
                % {"day": format_date(employment.start)}
            }
        )
    before = snapshot(employment)
    employment.end = day
    employment.save(update_fields=["end"])
    log("org.employment.end", employment, actor=actor, before=before, after=snapshot(employment))
    return employment
