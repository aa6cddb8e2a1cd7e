"""The verbs of tasks and indicators: who may write, what they refuse (naming the field
and the unit), and that a refusal writes nothing, audit included."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from thidua.accounts.system import SYSTEM
from thidua.audit.models import AuditEntry
from thidua.plans import services
from thidua.plans.choices import Measure, ReferenceKind, TaskStatus, Version
from thidua.plans.models import Indicator, IndicatorActual, Task, TaskAssignment

D = datetime.date


def test_a_task_is_assigned_to_units_beneath_and_audited(task, tree):
    assert sorted(task.assignments.values_list("unit__code", flat=True)) == ["KB", "TL"]
    assert set(task.assignments.values_list("status", flat=True)) == {TaskStatus.ASSIGNED}
    entry = AuditEntry.objects.get(action="plans.task.assign")
    assert entry.after["units"] == ["KB", "TL"]
    assert entry.after["source_number"] == "05/CT-UBND"


def _assign(tree, *, by, units, actor=SYSTEM, deadline=None):
    return services.assign_task(
        assigned_by=by,
        year=2020,
        title="Báo cáo",
        source_number="1/KH-UBND",
        source_date=D(2020, 3, 2),
        source_issuer="UBND",
        deadline=deadline or D(2020, 6, 30),
        units=units,
        actor=actor,
    )


def test_assignees_must_lie_beneath_the_assigning_unit(tree):
    with pytest.raises(ValidationError) as error:
        _assign(tree, by=tree["district"], units=[tree["commune"], tree["other"]])
    assert "TL did not lie beneath KB on 02/03/2020" in str(error.value.message_dict["units"])
    assert not Task.objects.exists() and not AuditEntry.objects.exists()


def test_a_deadline_before_the_document_is_refused(tree):
    with pytest.raises(ValidationError) as error:
        _assign(tree, by=tree["province"], units=[tree["district"]], deadline=D(2020, 1, 1))
    assert "deadline" in error.value.message_dict
    assert not Task.objects.exists()


def test_a_unit_listed_twice_is_named(tree):
    with pytest.raises(ValidationError) as error:
        _assign(tree, by=tree["province"], units=[tree["district"], tree["district"]])
    assert "KB" in str(error.value.message_dict["units"])


def test_a_district_officer_cannot_assign_in_the_provinces_name(tree, users):
    with pytest.raises(PermissionDenied):
        _assign(tree, by=tree["province"], units=[tree["district"]], actor=users["officer"])
    assert not Task.objects.exists() and not AuditEntry.objects.exists()


def test_the_assignee_passes_a_task_on_to_its_communes(task, tree, users):
    kb = task.assignments.get(unit=tree["district"])
    created = services.cascade_task(kb, [tree["commune"], tree["commune2"]], actor=users["officer"])
    assert {a.unit.code for a in created} == {"KB-TL", "KB-NK"}
    assert all(a.parent_id == kb.pk for a in created)
    with pytest.raises(ValidationError) as error:
        services.cascade_task(kb, [tree["commune"]], actor=users["officer"])
    assert "KB-TL" in str(error.value.message_dict["units"])
    tl = task.assignments.get(unit=tree["other"])
    with pytest.raises(PermissionDenied):  # another district's assignment
        services.cascade_task(tl, [tree["commune"]], actor=users["officer"])


def test_completion_needs_a_date_and_follows_the_declared_moves(
    task, tree, users, province_officer
):
    kb = task.assignments.get(unit=tree["district"])
    with pytest.raises(ValidationError) as error:
        services.set_status(kb, TaskStatus.COMPLETED, actor=users["officer"])
    assert "completed_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.complete_task(kb, D(2020, 1, 5), actor=users["officer"])
    assert "before the task was assigned (02/03/2020)" in str(error.value)

    services.complete_task(kb, "15/06/2020", evidence="Báo cáo 12/BC-UBND", actor=users["officer"])
    kb.refresh_from_db()
    assert (kb.status, kb.completed_on) == (TaskStatus.COMPLETED, D(2020, 6, 15))
    entry = AuditEntry.objects.filter(action="plans.assignment.status").latest("id")
    assert entry.before["status"] == "assigned" and entry.after["completed_on"] == "2020-06-15"

    # Reopened by the assigning level (the report was sent back): the date goes.
    services.set_status(kb, TaskStatus.IN_PROGRESS, actor=province_officer)
    kb.refresh_from_db()
    assert kb.status == TaskStatus.IN_PROGRESS and kb.completed_on is None


def test_only_the_assigning_level_withdraws_and_withdrawn_is_final(
    task, tree, users, province_officer
):
    kb = task.assignments.get(unit=tree["district"])
    with pytest.raises(PermissionDenied):
        services.set_status(kb, TaskStatus.WITHDRAWN, actor=users["officer"])
    services.set_status(kb, TaskStatus.WITHDRAWN, actor=province_officer)
    with pytest.raises(ValidationError) as error:
        services.complete_task(kb, D(2020, 6, 1), actor=province_officer)
    assert "Withdrawn by the assigning level" in str(error.value)


def test_a_unit_in_another_branch_cannot_touch_the_assignment(task, tree, users):
    kb = task.assignments.get(unit=tree["district"])
    count = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        services.complete_task(kb, D(2020, 6, 1), actor=users["other_unit"])
    kb.refresh_from_db()
    assert kb.status == TaskStatus.ASSIGNED and AuditEntry.objects.count() == count


# --------------------------------------------------------------------------- indicators


def test_only_an_administrator_changes_the_catalog(users):
    with pytest.raises(PermissionDenied):
        services.define_indicator(code="X", name="X", measure=Measure.COUNT, actor=users["officer"])
    assert not Indicator.objects.exists()


def test_versions_live_side_by_side_and_a_correction_is_audited(revenue, tree, users):
    kb = tree["district"]
    services.record_actual(
        revenue,
        kb,
        2020,
        "1300",
        version=Version.ESTIMATE,
        reported_on=D(2020, 10, 1),
        actor=SYSTEM,
    )
    services.record_actual(
        revenue,
        kb,
        2020,
        1386,
        version=Version.FINAL,
        reported_on=D(2021, 3, 1),
        actor=users["officer"],
    )
    services.record_actual(
        revenue, kb, 2020, "1386,0", version=Version.FINAL, reported_on=D(2021, 3, 1), actor=SYSTEM
    )  # unchanged: nothing written
    assert IndicatorActual.objects.count() == 2
    assert AuditEntry.objects.filter(action="plans.actual.create").count() == 2
    assert not AuditEntry.objects.filter(action="plans.actual.update").exists()
    services.record_actual(
        revenue, kb, 2020, "1390", version=Version.FINAL, reported_on=D(2021, 3, 1), actor=SYSTEM
    )
    update = AuditEntry.objects.get(action="plans.actual.update")
    assert (update.before["value"], update.after["value"]) == ("1386.0000", "1390")


@pytest.mark.parametrize(
    ("value", "problem"),
    [("abc", "is not a number"), ("1.386,5", "is not a number"), ("1e40", "too many digits")],
)
def test_a_bad_figure_names_the_field(revenue, tree, value, problem):
    with pytest.raises(ValidationError) as error:
        services.record_actual(
            revenue,
            tree["district"],
            2020,
            value,
            version=Version.FINAL,
            reported_on=D(2021, 1, 5),
            actor=SYSTEM,
        )
    assert problem in str(error.value.message_dict["value"])
    assert not IndicatorActual.objects.exists()


def test_a_count_must_be_whole(tree):
    communes = services.define_indicator(
        code="NTM", name="Xã NTM", measure=Measure.COUNT, actor=SYSTEM
    )
    with pytest.raises(ValidationError) as error:
        services.record_actual(
            communes,
            tree["district"],
            2020,
            "2.5",
            version=Version.FINAL,
            reported_on=D(2021, 1, 5),
            actor=SYSTEM,
        )
    assert "not a whole number" in str(error.value.message_dict["value"])


def test_the_estimate_from_above_is_the_parents_to_set(revenue, tree, users, province_officer):
    kb = tree["district"]
    with pytest.raises(PermissionDenied):
        services.set_reference(
            revenue, kb, 2020, ReferenceKind.PROVINCE_ESTIMATE, 500, actor=users["officer"]
        )
    services.set_reference(
        revenue, kb, 2020, ReferenceKind.LOCAL_ESTIMATE, 686, actor=users["officer"]
    )
    ref = services.set_reference(
        revenue,
        kb,
        2020,
        ReferenceKind.PROVINCE_ESTIMATE,
        590,
        source_number="1234/QĐ-UBND",
        source_date="10/12/2019",
        actor=province_officer,
    )
    assert ref.value == Decimal(590) and ref.source_date == D(2019, 12, 10)


def test_a_goal_with_a_value_needs_an_indicator_and_a_later_deadline(tree, revenue):
    with pytest.raises(ValidationError) as error:
        services.set_goal(tree["district"], 2021, "Thu ngân sách", value=1500, actor=SYSTEM)
    assert "indicator" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.set_goal(tree["district"], 2021, "Đô thị loại IV", before_year=2021, actor=SYSTEM)
    assert "before_year" in error.value.message_dict
    goal = services.set_goal(
        tree["district"], 2021, "Đô thị loại IV", before_year=2023, actor=SYSTEM
    )
    assert goal.before_year == 2023
    assert TaskAssignment.objects.count() == 0
