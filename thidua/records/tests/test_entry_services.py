"""The verbs added for the entry pages: a decision with its recipients (all or nothing,
every recipient in scope), "everyone at one level", and the rating warnings."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from thidua.audit.models import AuditEntry
from thidua.org import services as org_services
from thidua.org.tests.factories import EmploymentFactory, PersonFactory
from thidua.records import services
from thidua.records.choices import AbsenceKind, CommendationType
from thidua.records.models import Absence, Award, PersonRating
from thidua.records.rating_rules import rating_problems_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(tree):
    people = []
    for unit in (tree["commune"], tree["other"]):
        person = PersonFactory()
        EmploymentFactory(person=person, unit=unit, start=datetime.date(2015, 1, 1))
        people.append(person)
    return people


def decision(tree, **extra):
    return {
        "award_code": "BK_TINH",
        "commendation_type": CommendationType.CONG_TRANG,
        "period_start": datetime.date(2025, 1, 1),
        "period_end": datetime.date(2025, 12, 31),
        "decision_number": "7/QĐ-UBND",
        "decision_date": datetime.date(2026, 1, 15),
        "authority": tree["province"],
        **extra,
    }


def test_a_recipient_outside_the_scope_refuses_the_whole_decision(tree, users, two):
    with pytest.raises(PermissionDenied):
        services.record_award_decision(
            people=two, units=[tree["commune"]], actor=users["officer"], **decision(tree)
        )
    assert not Award.objects.exists() and not AuditEntry.objects.exists()


def test_a_period_ending_before_it_starts_is_named(tree, users, two):
    with pytest.raises(ValidationError) as refused:
        services.record_award_decision(
            people=two[:1],
            actor=users["officer"],
            **decision(tree, period_end=datetime.date(2024, 12, 31)),
        )
    assert "period_end" in refused.value.message_dict
    assert not Award.objects.exists()


def test_rate_everyone_needs_the_change_right(tree, users, two):
    with pytest.raises(PermissionDenied):
        services.rate_everyone(tree["commune"], 2025, actor=users["viewer"])
    assert not PersonRating.objects.exists()


def test_end_employment_is_audited_and_refuses_a_second_end(tree, users, two):
    job = two[0].employments.get()
    org_services.end_employment(job, datetime.date(2025, 7, 1), actor=users["officer"])
    with pytest.raises(ValidationError):
        org_services.end_employment(job, datetime.date(2025, 8, 1), actor=users["officer"])
    with pytest.raises(PermissionDenied):
        org_services.end_employment(
            two[1].employments.get(), datetime.date(2025, 7, 1), actor=users["officer"]
        )
    assert AuditEntry.objects.filter(action="org.employment.end").count() == 1


def test_warnings_count_every_unit_of_the_year_and_spare_maternity(tree):
    moved = PersonFactory()  # 4 months here, 5 months there: 9 months worked
    EmploymentFactory(
        person=moved,
        unit=tree["commune"],
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2025, 5, 1),
    )
    EmploymentFactory(
        person=moved,
        unit=tree["commune2"],
        start=datetime.date(2025, 5, 1),
        end=datetime.date(2025, 10, 1),
    )
    mother = PersonFactory()
    EmploymentFactory(person=mother, unit=tree["commune"], start=datetime.date(2024, 8, 1))
    Absence.objects.create(  # eight months of maternity leave count as work
        person=mother,
        kind=AbsenceKind.MATERNITY,
        start=datetime.date(2025, 3, 10),
        end=datetime.date(2025, 11, 10),
    )
    newcomer = PersonFactory()
    EmploymentFactory(person=newcomer, unit=tree["commune"], start=datetime.date(2025, 8, 1))
    ids = [moved.pk, mother.pk, newcomer.pk]
    found = rating_problems_for(ids, 2025, dict.fromkeys(ids, "HTT"))
    assert moved.pk not in found and mother.pk not in found
    assert found[newcomer.pk].kind == "not_rated"
    assert rating_problems_for([], 2025, {}) == {}  # nobody rated: nothing to warn about
