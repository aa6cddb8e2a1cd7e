"""The plans demo over the organisation demo: the seed's tasks and figures are there as
records (the percentages are left to the report), and a second load
changes nothing."""

import datetime

import pytest

from thidua.org.models import Unit
from thidua.plans.choices import ReferenceKind, TaskStatus
from thidua.plans.demo import demo_counts, load_plans_demo
from thidua.plans.models import IndicatorActual, IndicatorReference, TaskAssignment
from thidua.plans.selectors import indicator_table, reminders


@pytest.fixture(scope="module")
def demo(demo_loaded, django_db_blocker):
    """The demo for this module (built once per process), then the plans demo loaded a
    second time: what that load counts, rolled back at the module's end."""
    with django_db_blocker.unblock():
        return load_plans_demo()


@pytest.fixture
def loaded(demo, db):
    return demo


def test_kim_bang_completed_the_157_provincial_tasks_of_2020_on_time(loaded):
    rows = TaskAssignment.objects.filter(
        unit__code="KB", task__year=2020, task__assigned_by__code="HNA"
    ).select_related("task")
    assert rows.count() == 157
    assert {r.status for r in rows} == {TaskStatus.COMPLETED}
    assert all(r.completed_on.year == 2020 and r.completed_on <= r.task.deadline for r in rows)
    assert len({r.task.title for r in rows}) == 157  # every title different
    # Other districts left some open, and some 2021 tasks are overdue today.
    assert (
        TaskAssignment.objects.filter(unit__code="TL", task__year=2020)
        .exclude(status=TaskStatus.COMPLETED)
        .exists()
    )
    overdue, _soon = reminders(None, datetime.date(2022, 1, 1))
    assert {a.unit.code for a in overdue} >= {"KB", "TL"}
    # Three provincial tasks passed on to the district's 18 communes and towns.
    cascaded = TaskAssignment.objects.filter(parent__unit__code="KB")
    assert cascaded.count() == 3 * 18


def test_the_seed_figures_are_numbers_on_file(loaded):
    kb = {r.indicator.code: r for r in indicator_table(Unit.objects.get(code="KB"), 2020)}
    assert kb["THU_NSNN"].actual.value == 1386
    assert kb["THU_NSNN"].reference(ReferenceKind.PROVINCE_ESTIMATE).value == 590
    assert kb["THU_NSNN"].reference(ReferenceKind.LOCAL_ESTIMATE).value == 686
    industry = kb["GTSX_CN_TTCN"]
    assert industry.actual.value == industry.last_year * 122 / 100
    assert kb["VON_DTPT"].growth > 0
    # Versions are kept: the estimate and the preliminary figure are there too.
    assert set(
        IndicatorActual.objects.filter(
            indicator__code="THU_NSNN", unit__code="KB", year=2020
        ).values_list("version", flat=True)
    ) == {"estimate", "preliminary", "final"}
    assert IndicatorReference.objects.filter(unit__code="KB", year=2021).exists()


def test_it_loads_only_once(loaded):
    assert load_plans_demo() == loaded == demo_counts()
