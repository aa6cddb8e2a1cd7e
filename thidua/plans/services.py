"""Verbs that write tasks, indicators, reference values, actuals and goals.

Each verb checks the actor's scope (`thidua.accounts.scope`) before writing, validates,
writes in one `transaction.atomic()` and leaves an audit entry with the before/after
values; a refused change (`PermissionDenied`, `ValidationError`) writes nothing. Errors
name the field (and, for several units, the unit's code). `actor` is required:
the user, or `SYSTEM` (the operator's CLI, the demo loader).

Who may do what (each an `Action.CHANGE` right through the scope, so it holds for the
unit and for officers of the units above it):

- the assigning unit assigns a task to units beneath it, or withdraws it;
- an assignee passes its task on to units beneath it, and reports progress and
  completion (the assigning unit may record them too);
- a unit records its own actuals, local estimates and council targets; the estimate
  assigned by the level above is set by that level (the unit's parent in that year),
  so that a unit cannot raise its own achievement rate by lowering the bar;
- the indicator catalog is shared by every unit: only the system or an administrator
  (a user whose scope is every unit) defines indicators.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from thidua.accounts.choices import Action
from thidua.accounts.scope import require, unit_ids_for
from thidua.audit.services import log, snapshot
from thidua.org.models import Unit, UnitVersion
from thidua.plans.choices import (
    TARGET_OF_DIRECTION,
    TASK_TRANSITIONS,
    Aggregation,
    Direction,
    Measure,
    Period,
    ReferenceKind,
    TargetKind,
    TaskStatus,
    Version,
)
from thidua.plans.models import (
    VALUE_DIGITS,
    VALUE_PLACES,
    Goal,
    Indicator,
    IndicatorActual,
    IndicatorReference,
    Task,
    TaskAssignment,
)
from thidua.vietnamese import format_date, format_decimal, parse_date

# --------------------------------------------------------------------------- helpers


def clean_value(value, field: str = "value") -> Decimal:
    """A figure as a Decimal, from a number or a text written either way ("1386.5",
    "1.386,5" is not accepted: thousands separators are ambiguous, so only a decimal
    comma or point). Raises a ValidationError naming `field`."""
    if isinstance(value, float):
        value = repr(value)
    text = str(value).strip().replace(",", ".") if value is not None else ""
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError(
            {field: _("“%(value)s” is not a number.") % {"value": value}}
        ) from None
    if not number.is_finite():
        raise ValidationError({field: _("“%(value)s” is not a number.") % {"value": value}})
    if number.as_tuple().exponent < -VALUE_PLACES or abs(number) >= 10 ** (
        VALUE_DIGITS - VALUE_PLACES
    ):
        raise ValidationError(
            {
                field: _("%(value)s has too many digits (at most %(places)s decimals).")
                % {"value": value, "places": VALUE_PLACES}
            }
        )
    return number


def _clean_date(value, field: str) -> datetime.date:
    try:
        return parse_date(value)
    except (TypeError, ValueError):
        raise ValidationError(
            {field: _("“%(value)s” is not a date (dd/mm/yyyy).") % {"value": value}}
        ) from None


def _parents_on(day: datetime.date) -> dict[int, int | None]:
    """unit id → parent id on `day`, for every unit that existed that day (one query)."""
    return dict(UnitVersion.objects.on(day).values_list("unit_id", "parent_id"))


def _is_beneath(parents: dict[int, int | None], unit_id: int, ancestor_id: int) -> bool:
    seen = {unit_id}
    current = parents.get(unit_id)
    while current is not None and current not in seen:
        if current == ancestor_id:
            return True
        seen.add(current)
        current = parents.get(current)
    return False


def _check_beneath(units: list[Unit], ancestor: Unit, day: datetime.date) -> None:
    """Every unit lies beneath `ancestor` on `day`; the error names each one that does
    not."""
    parents = _parents_on(day)
    wrong = [u.code for u in units if not _is_beneath(parents, u.pk, ancestor.pk)]
    if wrong:
        raise ValidationError(
            {
                "units": _("%(codes)s did not lie beneath %(code)s on %(day)s.")
                % {"codes": ", ".join(wrong), "code": ancestor.code, "day": format_date(day)}
            }
        )


def _distinct_units(units) -> list[Unit]:
    units = list(units)
    if not units:
        raise ValidationError({"units": _("Name at least one unit.")})
    codes = [u.code for u in units]
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        raise ValidationError(
            {"units": _("Listed more than once: %(codes)s.") % {"codes": ", ".join(repeated)}}
        )
    return units


def _check_evidence(evidence: str) -> None:
    limit = TaskAssignment._meta.get_field("evidence").max_length
    if len(evidence) > limit:
        raise ValidationError({"evidence": _("At most %(limit)s characters.") % {"limit": limit}})


def _assignment_state(assignment: TaskAssignment) -> dict:
    return snapshot(assignment, ["status", "completed_on", "evidence"])


# --------------------------------------------------------------------------- tasks


@transaction.atomic
def assign_task(
    *,
    assigned_by: Unit,
    year: int,
    title: str,
    source_number: str,
    source_date,
    source_issuer: str,
    deadline,
    units,
    evidence_required: str = "",
    actor,
) -> Task:
    """Assign a task from `assigned_by` to `units` for `year`.

    Guarantees: the actor may change the assigning unit; every assignee lay beneath the
    assigning unit on the source document's date; the deadline is not before that date;
    one assignment per unit, each `assigned`. The task and its assignments are written
    together and audited as one entry (`plans.task.assign`).
    """
    require(actor, Action.CHANGE, assigned_by)
    units = _distinct_units(units)
    source_date = _clean_date(source_date, "source_date")
    deadline = _clean_date(deadline, "deadline")
    if deadline < source_date:
        raise ValidationError(
            {
                "deadline": _("The deadline %(deadline)s is before the document date %(day)s.")
                % {"deadline": format_date(deadline), "day": format_date(source_date)}
            }
        )
    _check_beneath(units, assigned_by, source_date)
    task = Task(
        year=year,
        title=(title or "").strip(),
        assigned_by=assigned_by,
        source_number=(source_number or "").strip(),
        source_date=source_date,
        source_issuer=(source_issuer or "").strip(),
        deadline=deadline,
        evidence_required=(evidence_required or "").strip(),
    )
    task.full_clean()
    task.save()
    TaskAssignment.objects.bulk_create([TaskAssignment(task=task, unit=u) for u in units])
    log(
        "plans.task.assign",
        task,
        actor=actor,
        after={**snapshot(task), "units": [u.code for u in units]},
    )
    return task


@transaction.atomic
def cascade_task(assignment: TaskAssignment, units, *, day=None, actor):
    """Pass an open assignment on to `units` beneath its assignee (on `day`, by default
    the task's document date). Returns the new assignments, each `assigned` with
    `parent` set. A unit that already holds the task is refused by its code."""
    require(actor, Action.CHANGE, assignment.unit)
    units = _distinct_units(units)
    if assignment.status not in (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS):
        raise ValidationError(
            {
                "status": _("Only an open task can be passed on; this one is %(status)s.")
                % {"status": assignment.get_status_display()}
            }
        )
    task = assignment.task
    _check_beneath(units, assignment.unit, _clean_date(day or task.source_date, "day"))
    held = set(
        TaskAssignment.objects.filter(task=task, unit__in=units).values_list(
            "unit__code", flat=True
        )
    )
    if held:
        raise ValidationError(
            {
                "units": _("Already assigned this task: %(codes)s.")
                % {"codes": ", ".join(sorted(held))}
            }
        )
    created = TaskAssignment.objects.bulk_create(
        [TaskAssignment(task=task, unit=u, parent=assignment) for u in units]
    )
    log(
        "plans.task.cascade",
        assignment,
        actor=actor,
        after={"units": [u.code for u in units]},
    )
    return created


@dataclass
class StatusChange:
    """One line of a batch of status changes (see `set_statuses`)."""

    assignment: TaskAssignment
    status: str
    on: object = None  # the completion date, for `completed`
    evidence: str | None = None  # None: keep the evidence on file


def _apply(assignment: TaskAssignment, change: StatusChange, actor, scope_ids) -> bool:
    """Validate `change` against the locked row and apply it in memory; False when it
    changes nothing. Raises ValidationError / PermissionDenied without writing."""
    task = assignment.task
    if scope_ids is not None and not (
        assignment.unit_id in scope_ids or task.assigned_by_id in scope_ids
    ):
        raise PermissionDenied(
            _("You may not %(action)s unit %(code)s.")
            % {"action": Action.CHANGE, "code": assignment.unit.code}
        )
    status = TaskStatus(change.status)
    completed_on = None
    if status == TaskStatus.COMPLETED:
        if change.on is None or change.on == "":
            raise ValidationError({"completed_on": _("Give the day the task was completed.")})
        completed_on = _clean_date(change.on, "completed_on")
        if completed_on < task.source_date:
            raise ValidationError(
                {
                    "completed_on": _("%(day)s is before the task was assigned (%(source)s).")
                    % {"day": format_date(completed_on), "source": format_date(task.source_date)}
                }
            )
    evidence = assignment.evidence if change.evidence is None else change.evidence.strip()
    _check_evidence(evidence)
    if (assignment.status, assignment.completed_on, assignment.evidence) == (
        status,
        completed_on,
        evidence,
    ):
        return False
    if status != assignment.status and status not in TASK_TRANSITIONS[assignment.status]:
        raise ValidationError(
            {
                "status": _("A task that is %(from)s cannot become %(to)s.")
                % {"from": assignment.get_status_display(), "to": status.label}
            }
        )
    withdrawing = status == TaskStatus.WITHDRAWN and status != assignment.status
    if withdrawing and scope_ids is not None and task.assigned_by_id not in scope_ids:
        raise PermissionDenied(_("Only the assigning level may withdraw a task."))
    assignment.status, assignment.completed_on, assignment.evidence = status, completed_on, evidence
    return True


def _write_statuses(assignments: list[TaskAssignment]) -> None:
    """One parametrised UPDATE run for every row (`executemany`): `bulk_update` builds a
    CASE expression per field and row, which costs more than the database's work for a
    year's batch of completions. No full_clean(): `_apply` checked the fields, and the
    database enforces the status/date constraint."""
    if not assignments:
        return
    meta = TaskAssignment._meta
    columns = [meta.get_field(name).column for name in ("status", "completed_on", "evidence")]
    sql = "UPDATE {table} SET {sets} WHERE {pk} = %s".format(
        table=connection.ops.quote_name(meta.db_table),
        sets=", ".join(f"{connection.ops.quote_name(c)} = %s" for c in columns),
        pk=connection.ops.quote_name(meta.pk.column),
    )
    date_field = meta.get_field("completed_on")
    rows = [
        (
            a.status,
            date_field.get_db_prep_value(a.completed_on, connection),
            a.evidence,
            a.pk,
        )
        for a in assignments
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


@transaction.atomic
def set_statuses(changes: list[StatusChange], *, actor) -> list[TaskAssignment]:
    """Apply a batch of status changes (a page of ticked tasks, a spreadsheet) all or
    nothing, in a fixed number of queries plus one audit entry per changed assignment.

    Each change moves an assignment along `choices.TASK_TRANSITIONS`; completing needs
    the completion date, not before the document's date; leaving `completed` clears it.
    The assignee or the assigning unit may do it; only the assigning unit withdraws. A
    change to the same status, date and evidence writes nothing. An error names the
    line (from 1) with the task and the unit when the batch has several lines.
    """
    ids = [c.assignment.pk for c in changes]
    rows = TaskAssignment.objects.select_for_update().select_related("task", "unit")
    locked = rows.in_bulk(ids)
    scope_ids = unit_ids_for(actor, Action.CHANGE)
    changed, befores = [], {}
    for line, change in enumerate(changes, start=1):
        assignment = locked[change.assignment.pk]
        before = _assignment_state(assignment)
        try:
            if _apply(assignment, change, actor, scope_ids) and assignment.pk not in befores:
                befores[assignment.pk] = before
                changed.append(assignment)
        except ValidationError as error:
            if len(changes) == 1:
                raise
            raise ValidationError(
                _("Line %(line)s (%(task)s → %(unit)s): %(problem)s")
                % {
                    "line": line,
                    "task": assignment.task.source_number,
                    "unit": assignment.unit.code,
                    "problem": " ".join(error.messages),
                }
            ) from None
    _write_statuses(changed)
    for assignment in changed:
        log(
            "plans.assignment.status",
            assignment,
            actor=actor,
            before=befores[assignment.pk],
            after=_assignment_state(assignment),
        )
    return [locked[c.assignment.pk] for c in changes]


def set_status(assignment: TaskAssignment, status: str, *, on=None, evidence=None, actor):
    """Move one assignment to `status` (see `set_statuses`); returns it as saved."""
    (saved,) = set_statuses([StatusChange(assignment, status, on, evidence)], actor=actor)
    return saved


def complete_task(assignment: TaskAssignment, on, *, evidence: str = "", actor):
    """Record that the assignee completed the task on `on` (see `set_statuses`)."""
    return set_status(assignment, TaskStatus.COMPLETED, on=on, evidence=evidence, actor=actor)


# --------------------------------------------------------------------------- indicators


@transaction.atomic
def define_indicator(
    *,
    code: str,
    name: str,
    measure: str,
    direction: str = Direction.HIGHER,
    target_kind: str | None = None,
    aggregation: str = Aggregation.SUM,
    decimals: int = 0,
    position: int = 0,
    actor,
) -> Indicator:
    """Create the indicator `code`, or change its name and properties. Only the system or
    an administrator changes the shared catalog. An unchanged definition writes nothing.
    `target_kind` (at least, at most, exactly) defaults to what the direction implies:
    at least where higher is better, at most where lower is."""
    if unit_ids_for(actor, Action.CHANGE) is not None:
        raise PermissionDenied(_("Only an administrator may change the indicator catalog."))
    indicator = Indicator.objects.select_for_update().filter(code=code).first()
    before = snapshot(indicator) if indicator else None
    indicator = indicator or Indicator(code=code)
    values = {
        "name": (name or "").strip(),
        "measure": measure,
        "direction": direction,
        "target_kind": target_kind or TARGET_OF_DIRECTION.get(direction, TargetKind.AT_LEAST),
        "aggregation": aggregation,
        "decimals": decimals,
        "position": position,
    }
    if before and all(getattr(indicator, k) == v for k, v in values.items()):
        return indicator
    for key, value in values.items():
        setattr(indicator, key, value)
    indicator.full_clean()
    indicator.save()
    log(
        "plans.indicator." + ("update" if before else "create"),
        indicator,
        actor=actor,
        before=before,
        after=snapshot(indicator),
    )
    return indicator


def _parent_in(unit: Unit, year: int) -> Unit | None:
    """The unit's parent at the end of `year` (or on its last day that year)."""
    end = datetime.date(year, 12, 31)
    version = (
        UnitVersion.objects.filter(unit=unit, valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=datetime.date(year, 1, 1)))
        .select_related("parent")
        .order_by("-valid_from")
        .first()
    )
    return version.parent if version else None


def _save_figure(instance, action: str, value: Decimal, extra: dict, actor):
    """Create or update a reference or an actual; unchanged values write nothing."""
    before = snapshot(instance) if instance.pk else None
    if (
        before
        and instance.value == value
        and all(getattr(instance, k) == v for k, v in extra.items())
    ):
        return instance
    instance.value = value
    for key, item in extra.items():
        setattr(instance, key, item)
    instance.full_clean()
    instance.save()
    log(
        action + (".update" if before else ".create"),
        instance,
        actor=actor,
        before=before,
        after=snapshot(instance),
    )
    return instance


@transaction.atomic
def set_reference(
    indicator: Indicator,
    unit: Unit,
    year: int,
    kind: str,
    value,
    *,
    source_number: str = "",
    source_date=None,
    source_issuer: str = "",
    actor,
) -> IndicatorReference:
    """Record (or change) a reference value of `unit`'s indicator for `year`.

    The estimate assigned from above (`province_estimate`) is the parent's to set: the
    actor needs the change right on the unit's parent that year. Other kinds need the
    change right on the unit.
    """
    kind = ReferenceKind(kind)
    if kind == ReferenceKind.PROVINCE_ESTIMATE:
        parent = _parent_in(unit, year)
        require(actor, Action.CHANGE, parent or unit)
    else:
        require(actor, Action.CHANGE, unit)
    value = clean_value(value)
    extra = {
        "source_number": (source_number or "").strip(),
        "source_date": _clean_date(source_date, "source_date") if source_date else None,
        "source_issuer": (source_issuer or "").strip(),
    }
    reference = (
        IndicatorReference.objects.select_for_update()
        .filter(indicator=indicator, unit=unit, year=year, kind=kind)
        .first()
    ) or IndicatorReference(indicator=indicator, unit=unit, year=year, kind=kind)
    return _save_figure(reference, "plans.reference", value, extra, actor)


@transaction.atomic
def record_actual(
    indicator: Indicator,
    unit: Unit,
    year: int,
    value,
    *,
    version: str,
    reported_on,
    period: str = Period.YEAR,
    source: str = "",
    actor,
) -> IndicatorActual:
    """Record (or correct) the figure `unit` reached on `indicator` over `period` of
    `year`, as version `version` (estimate, preliminary, final). Versions are kept side
    by side; a report reads the most final one. The report date cannot be before the
    period starts."""
    require(actor, Action.CHANGE, unit)
    value = clean_value(value)
    version, period = Version(version), Period(period)
    reported_on = _clean_date(reported_on, "reported_on")
    if reported_on < datetime.date(year, 1, 1):
        raise ValidationError(
            {
                "reported_on": _("%(day)s is before the year %(year)s began.")
                % {"day": format_date(reported_on), "year": year}
            }
        )
    if indicator.measure in (Measure.COUNT, Measure.PEOPLE, Measure.HOUSEHOLDS) and (
        value != value.to_integral_value()
    ):
        raise ValidationError(
            {"value": _("%(value)s is not a whole number.") % {"value": format_decimal(value)}}
        )
    actual = (
        IndicatorActual.objects.select_for_update()
        .filter(indicator=indicator, unit=unit, year=year, period=period, version=version)
        .first()
    ) or IndicatorActual(indicator=indicator, unit=unit, year=year, period=period, version=version)
    extra = {"reported_on": reported_on, "source": (source or "").strip()}
    return _save_figure(actual, "plans.actual", value, extra, actor)


@transaction.atomic
def set_goal(
    unit: Unit,
    year: int,
    title: str,
    *,
    before_year: int | None = None,
    indicator: Indicator | None = None,
    value=None,
    source_number: str = "",
    source_date=None,
    position: int = 0,
    actor,
) -> Goal:
    """Record a goal of `unit` for plan year `year` (a goal with the same title that year
    is updated). A value needs an indicator; `before_year` comes after the plan year."""
    require(actor, Action.CHANGE, unit)
    title = (title or "").strip()
    goal = Goal.objects.select_for_update().filter(
        unit=unit, year=year, title=title
    ).first() or Goal(unit=unit, year=year, title=title)
    before = snapshot(goal) if goal.pk else None
    goal.before_year = before_year
    goal.indicator = indicator
    goal.value = None if value is None or value == "" else clean_value(value)
    goal.source_number = (source_number or "").strip()
    goal.source_date = _clean_date(source_date, "source_date") if source_date else None
    goal.position = position
    if goal.value is not None and indicator is None:
        raise ValidationError({"indicator": _("A goal with a value needs its indicator.")})
    if before_year is not None and before_year <= year:
        raise ValidationError(
            {
                "before_year": _("“Before %(before)s” must come after the plan year %(year)s.")
                % {"before": before_year, "year": year}
            }
        )
    goal.full_clean()
    goal.save()
    log(
        "plans.goal." + ("update" if before else "create"),
        goal,
        actor=actor,
        before=before,
        after=snapshot(goal),
    )
    return goal
