"""Verbs that change the organisation. Each checks permission, writes in one transaction
and audits; the tree's history is only ever extended, never rewritten."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.accounts.choices import Action
from thidua.accounts.scope import require, require_person
from thidua.audit.services import log, snapshot
from thidua.org.choices import LineageKind
from thidua.org.models import Employment, LineageEdge, LineageEvent, Person, Unit, UnitVersion


def current_version(unit: Unit, day: datetime.date) -> UnitVersion | None:
    return UnitVersion.objects.on(day).filter(unit=unit).first()


@transaction.atomic
def create_unit(*, code, kind, name, parent=None, established_on, actor=None) -> Unit:
    if parent is not None:
        require(actor, Action.CHANGE, parent)
    unit = Unit.objects.create(code=code, kind=kind, name=name, established_on=established_on)
    UnitVersion.objects.create(unit=unit, name=name, parent=parent, valid_from=established_on)
    log("org.unit.create", unit, actor=actor, after=snapshot(unit))
    return unit


def _close_and_open(unit, day, *, name=None, parent=..., actor=None) -> UnitVersion:
    current = current_version(unit, day)
    if current is None:
        raise ValidationError(
            _("Unit %(code)s does not exist on %(day)s.")
            % {"code": unit.code, "day": f"{day:%d/%m/%Y}"}
        )
    if current.valid_from == day:
        raise ValidationError(
            _("Unit %(code)s already changed on %(day)s.")
            % {"code": unit.code, "day": f"{day:%d/%m/%Y}"}
        )
    later = UnitVersion.objects.filter(unit=unit, valid_from__gt=day).exists()
    if later:
        raise ValidationError(
            _("Unit %(code)s has later changes; history is not rewritten.") % {"code": unit.code}
        )
    current.valid_to = day
    current.save(update_fields=["valid_to"])
    new = UnitVersion.objects.create(
        unit=unit,
        name=name if name is not None else current.name,
        parent=current.parent if parent is ... else parent,
        valid_from=day,
    )
    if new.name != unit.name:
        unit.name = new.name
        unit.save()
    return new


def _event(kind, day, decision, note, edges) -> LineageEvent:
    event = LineageEvent.objects.create(kind=kind, date=day, decision=decision, note=note)
    LineageEdge.objects.bulk_create(
        [LineageEdge(event=event, predecessor=p, successor=s) for p, s in edges]
    )
    return event


@transaction.atomic
def rename_unit(unit, new_name, day, *, decision="", actor=None) -> LineageEvent:
    require(actor, Action.CHANGE, unit)
    before = snapshot(unit)
    _close_and_open(unit, day, name=new_name)
    event = _event(LineageKind.RENAME, day, decision, "", [(unit, unit)])
    log("org.unit.rename", unit, actor=actor, before=before, after=snapshot(unit))
    return event


@transaction.atomic
def reparent_unit(unit, new_parent, day, *, decision="", actor=None) -> LineageEvent:
    require(actor, Action.CHANGE, unit)
    if new_parent is not None:
        require(actor, Action.CHANGE, new_parent)
    old = current_version(unit, day)
    _close_and_open(unit, day, parent=new_parent)
    event = _event(LineageKind.REPARENT, day, decision, "", [(unit, unit)])
    log(
        "org.unit.reparent",
        unit,
        actor=actor,
        before={"parent": old.parent_id if old else None},
        after={"parent": new_parent.pk if new_parent else None},
    )
    return event


def _dissolve(unit, day):
    current = current_version(unit, day)
    if current is None:
        raise ValidationError(
            _("Unit %(code)s does not exist on %(day)s.")
            % {"code": unit.code, "day": f"{day:%d/%m/%Y}"}
        )
    current.valid_to = day
    current.save(update_fields=["valid_to"])
    unit.dissolved_on = day
    unit.save()


@transaction.atomic
def dissolve_unit(unit, day, *, decision="", actor=None) -> LineageEvent:
    require(actor, Action.CHANGE, unit)
    _dissolve(unit, day)
    event = _event(LineageKind.DISSOLVE, day, decision, "", [(unit, None)])
    log("org.unit.dissolve", unit, actor=actor, after={"dissolved_on": day.isoformat()})
    return event


@transaction.atomic
def merge_units(predecessors, successor, day, *, decision="", actor=None) -> LineageEvent:
    """Merge `predecessors` into `successor` on `day`. The successor may be one of the
    predecessors (absorption) or a unit just created. The others are dissolved."""
    for unit in [*predecessors, successor]:
        require(actor, Action.CHANGE, unit)
    for unit in predecessors:
        if unit != successor:
            _dissolve(unit, day)
    event = _event(LineageKind.MERGE, day, decision, "", [(p, successor) for p in predecessors])
    log(
        "org.unit.merge",
        successor,
        actor=actor,
        after={"predecessors": [p.code for p in predecessors], "date": day.isoformat()},
    )
    return event


@transaction.atomic
def split_unit(predecessor, successors, day, *, decision="", actor=None) -> LineageEvent:
    """Split `predecessor` into `successors` (created beforehand); it is dissolved unless it
    is itself one of the successors."""
    for unit in [predecessor, *successors]:
        require(actor, Action.CHANGE, unit)
    if predecessor not in successors:
        _dissolve(predecessor, day)
    event = _event(LineageKind.SPLIT, day, decision, "", [(predecessor, s) for s in successors])
    log(
        "org.unit.split",
        predecessor,
        actor=actor,
        after={"successors": [s.code for s in successors], "date": day.isoformat()},
    )
    return event


@transaction.atomic
def add_person(*, actor=None, unit=None, **fields) -> Person:
    if unit is not None:
        require(actor, Action.CHANGE, unit)
    person = Person(**fields)
    person.full_clean()
    person.save()
    log("org.person.create", person, actor=actor, after=snapshot(person))
    return person


def check_no_overlap(person, start, end, *, exclude_pk=None) -> None:
    clash = Employment.objects.filter(person=person).overlapping(start, end)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError(
            _("%(person)s already has an employment overlapping %(start)s.")
            % {"person": person, "start": f"{start:%d/%m/%Y}"}
        )


@transaction.atomic
def start_employment(person, unit, start, *, position="", end=None, actor=None) -> Employment:
    require(actor, Action.CHANGE, unit)
    check_no_overlap(person, start, end)
    employment = Employment.objects.create(
        person=person, unit=unit, position=position, start=start, end=end
    )
    log("org.employment.create", employment, actor=actor, after=snapshot(employment))
    return employment


@transaction.atomic
def transfer_person(person, to_unit, day, *, position="", actor=None) -> Employment:
    """End the person's current employment on `day` and start one in `to_unit`."""
    require_person(actor, Action.CHANGE, person)
    require(actor, Action.CHANGE, to_unit)
    current = Employment.objects.filter(person=person).overlapping(day, None).first()
    if current is not None:
        if current.start >= day:
            raise ValidationError(_("The current employment starts on or after the transfer."))
        before = snapshot(current)
        current.end = day
        current.save(update_fields=["end"])
        log("org.employment.end", current, actor=actor, before=before, after=snapshot(current))
    return start_employment(person, to_unit, day, position=position, actor=actor)
