"""The plans part of the Kim Bảng demo world (seed-world.md), loaded after the
organisation demo (`thidua.interchange.demo.load_demo`).

- Tasks: the 157 tasks Hà Nam's documents of 2020 gave the six district-level units,
  every one completed by Kim Bảng in 2020, by its deadline; a few left open or done late
  by other districts; three of them passed on by Kim Bảng to its communes and towns;
  the first tasks of 2021, three of them still open (overdue).
- Indicators: the catalog, Kim Bảng's 2019 and 2020 actuals (2020 in several versions:
  the report reads the final one), so that industrial and small-industry production
  grows 22 %, the budget revenue is 1,386 billion VND against the province's estimate of
  590 and the local one of 686 (235 % and 202 %), and total social investment grows;
  the other districts' revenue, so that the province's figure is their sum.
- Kim Bảng's 2021 targets and goals (grade-IV urban criteria before 2023, town status
  before 2025).

Every figure is a number written through the verbs of `thidua.plans.services`, as the
system; the year-end report computes the percentages. The same seed always gives the
same rows.
"""

import datetime
import random

from django.db import transaction

from thidua.accounts.system import SYSTEM
from thidua.org.models import Unit, UnitVersion
from thidua.plans import demo_data as data
from thidua.plans import services
from thidua.plans.choices import TaskStatus
from thidua.plans.models import Goal, Indicator, IndicatorActual, IndicatorReference, Task
from thidua.plans.models import TaskAssignment as Assignment
from thidua.plans.services import StatusChange

SEED = 2020
DISTRICTS = ["PL", "DT", "KB", "TL", "BL", "LN"]
D = datetime.date.fromisoformat

# Who did not finish what in 2020 (index of the task in the year's list): left open, or
# completed after the deadline. Kim Bảng finished everything, on time.
OPEN_2020 = {"TL": (40, 122), "DT": (77,)}
LATE_2020 = {"BL": (4,), "LN": (151,)}
OPEN_2021 = {"KB": (8, 10, 11), "TL": (5, 8, 11), "BL": (11,)}


def _deadline(source: datetime.date, rule) -> datetime.date:
    if isinstance(rule, int):
        return source + datetime.timedelta(days=rule)
    return D(f"{source.year}-{rule}")


def _tasks(documents, forms, count=None) -> list[dict]:
    """The tasks the documents give, in order; at most `count`."""
    rows = []
    for number, day, issuer, subject in documents:
        source = D(day)
        for pattern, rule in forms:
            rows.append(
                {
                    "title": pattern.format(subject=subject),
                    "source_number": number,
                    "source_date": source,
                    "source_issuer": issuer,
                    "deadline": _deadline(source, rule),
                }
            )
    return rows[:count] if count is not None else rows


def _completion(rng, assignment: Assignment, task: Task, *, late=False) -> StatusChange:
    """A completion on or a little before the deadline (`late`: a little after)."""
    if late:
        day = task.deadline + datetime.timedelta(days=rng.randint(3, 15))
    else:
        earliest = task.source_date + datetime.timedelta(days=1)
        day = max(earliest, task.deadline - datetime.timedelta(days=rng.randint(0, 12)))
    evidence = f"Báo cáo số {rng.randint(10, 380)}/BC-UBND ngày {day:%d/%m/%Y}"
    return StatusChange(assignment, TaskStatus.COMPLETED, day, evidence)


def _assign_year(rng, province, districts, rows, year, open_at, late_at, cascade=None):
    """Assign the year's tasks to the districts and record how each did, the progress
    in one batch. `cascade`: task index → the units Kim Bảng passes that task on to
    (all of which complete it, one a few days late)."""
    cascade = cascade or {}
    changes = []
    for index, row in enumerate(rows):
        task = services.assign_task(
            assigned_by=province,
            year=year,
            evidence_required=data.EVIDENCE,
            units=districts,
            actor=SYSTEM,
            **row,
        )
        for assignment in task.assignments.select_related("unit").order_by("id"):
            code = assignment.unit.code
            if code == "KB" and index in cascade:
                passed = services.cascade_task(assignment, cascade[index], actor=SYSTEM)
                changes += [_completion(rng, a, task, late=n == 7) for n, a in enumerate(passed)]
            if index in open_at.get(code, ()):
                if rng.random() < 0.5:
                    changes.append(StatusChange(assignment, TaskStatus.IN_PROGRESS))
                continue
            changes.append(_completion(rng, assignment, task, late=index in late_at.get(code, ())))
    services.set_statuses(changes, actor=SYSTEM)


def _communes_of(kb) -> list[Unit]:
    day = D("2020-12-31")
    beneath = UnitVersion.objects.on(day).filter(parent=kb).values("unit_id")
    return list(Unit.objects.filter(kind="commune", pk__in=beneath).order_by("code"))


def _indicators(kb, units) -> None:
    catalog = {}
    for position, (code, name, measure, direction, aggregation, decimals) in enumerate(
        data.INDICATORS, start=1
    ):
        catalog[code] = services.define_indicator(
            code=code,
            name=name,
            measure=measure,
            direction=direction,
            aggregation=aggregation,
            decimals=decimals,
            position=position,
            actor=SYSTEM,
        )
    for code, years in data.KB_ACTUALS.items():
        for year, versions in years.items():
            for version, value, reported in versions:
                services.record_actual(
                    catalog[code],
                    kb,
                    year,
                    value,
                    version=version,
                    reported_on=reported,
                    source="Chi cục Thống kê huyện Kim Bảng",
                    actor=SYSTEM,
                )
    for code, year, kind, value, number, day, issuer in data.KB_REFERENCES:
        services.set_reference(
            catalog[code],
            kb,
            year,
            kind,
            value,
            source_number=number,
            source_date=day,
            source_issuer=issuer,
            actor=SYSTEM,
        )
    for code, value in data.OTHER_REVENUE_2020.items():
        services.record_actual(
            catalog["THU_NSNN"],
            units[code],
            2020,
            value,
            version="final",
            reported_on="2021-04-15",
            source="Cục Thống kê tỉnh Hà Nam",
            actor=SYSTEM,
        )
    number, day = data.GOALS_DOCUMENT
    for position, (title, before) in enumerate(data.KB_GOALS_2021, start=1):
        services.set_goal(
            kb,
            2021,
            title,
            before_year=before,
            source_number=number,
            source_date=day,
            position=position,
            actor=SYSTEM,
        )


@transaction.atomic
def load_plans_demo() -> dict[str, int]:
    """Create the tasks, indicators, figures and goals of the demo (see the module
    docstring). Needs the organisation demo's units (HNA and its six district-level
    units); a second call finds the catalog and changes nothing. Returns row counts."""
    if Indicator.objects.filter(code="THU_NSNN").exists():
        return demo_counts()
    units = Unit.objects.in_bulk(["HNA", *DISTRICTS], field_name="code")
    missing = sorted({"HNA", *DISTRICTS} - set(units))
    if missing:
        raise LookupError(
            "The plans demo needs the organisation demo first; missing units: " + ", ".join(missing)
        )
    rng = random.Random(SEED)
    province, kb = units["HNA"], units["KB"]
    districts = [units[code] for code in DISTRICTS]
    rows_2020 = _tasks(data.DOCUMENTS_2020, data.TASK_FORMS, data.TASKS_2020)
    communes = _communes_of(kb)
    cascade = {doc * len(data.TASK_FORMS) + form: communes for doc, form in data.CASCADED}
    _assign_year(rng, province, districts, rows_2020, 2020, OPEN_2020, LATE_2020, cascade)
    rows_2021 = _tasks(data.DOCUMENTS_2021, data.TASK_FORMS_2021)
    _assign_year(rng, province, districts, rows_2021, 2021, OPEN_2021, {})
    _indicators(kb, units)
    return demo_counts()


def demo_counts() -> dict[str, int]:
    return {
        "tasks": Task.objects.count(),
        "task_assignments": Assignment.objects.count(),
        "indicators": Indicator.objects.count(),
        "indicator_actuals": IndicatorActual.objects.count(),
        "indicator_references": IndicatorReference.objects.count(),
        "goals": Goal.objects.count(),
    }
