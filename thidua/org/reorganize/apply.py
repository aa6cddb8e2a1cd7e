"""Applying a checked plan in one transaction, and the whole command (`reorganize`)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from thidua.org.models import Unit
from thidua.org.reorganize.planner import plan_reorganization
from thidua.org.reorganize.reading import Problem, ReorganizeError, read_mapping
from thidua.org.reorganize.steps import Plan
from thidua.org.reorganize.world import _chunks


@transaction.atomic
def apply_plan(plan: Plan, *, actor, progress=None) -> Plan:
    """Run the steps of a plan without problems through the org services, in one
    transaction: if any step fails, nothing is written and `ReorganizeError` says which
    line it came from. `progress(done, total)` is called after each step.

    The writes cost a few queries per row (each verb checks again, writes its versions,
    edges and audit entries); the checks before them do not (`plan_reorganization`)."""
    if plan.problems:
        raise ReorganizeError(plan.problems)
    codes = set().union(*(step.codes() for step in plan.steps)) if plan.steps else set()
    units: dict[str, Unit] = {}
    for chunk in _chunks(codes):
        units.update((u.code, u) for u in Unit.objects.filter(code__in=chunk))
    for done, step in enumerate(plan.steps, start=1):
        try:
            step.apply(units, actor)
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise ReorganizeError([Problem(step.line, None, " ".join(messages))]) from exc
        if progress is not None:
            progress(done, len(plan.steps))
    plan.applied = True
    return plan


def reorganize(path, *, dry_run: bool = False, actor, progress=None) -> Plan:
    """Read, check and (unless `dry_run`, and only without problems) apply a mapping
    file. The returned plan carries the steps, the problems and the warnings."""
    rows, problems = read_mapping(path)
    if problems and not rows:
        return Plan(problems=problems)
    plan = plan_reorganization(rows, actor=actor)
    plan.problems = sorted(problems + plan.problems, key=lambda p: (p.line or 0, p.column or ""))
    if plan.ok and not dry_run:
        try:
            apply_plan(plan, actor=actor, progress=progress)
        except ReorganizeError as exc:
            plan.problems = exc.problems
    return plan
