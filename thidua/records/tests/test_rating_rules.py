"""Whether a recorded rating can stand (docs/legal/ratings.md: Decree 90/2020 Điều 20 as
amended by 48/2023 [V2]): the checker the entry pages and the loader call."""

import datetime

import pytest
from django.utils import translation

from thidua.org.models import Employment
from thidua.org.tests.factories import PersonFactory, UnitFactory
from thidua.records.models import Absence
from thidua.records.rating_rules import rating_problems, rating_problems_for

pytestmark = pytest.mark.django_db
D = datetime.date.fromisoformat


def make_unit():
    return UnitFactory()


def make_person(unit, facts=None):
    facts = facts or {}
    person = PersonFactory()
    for start, end in facts.get("employments", [("2005-01-01", None)]):
        Employment.objects.create(
            person=person, unit=unit, start=D(start), end=end and D(end), position="Chuyên viên"
        )
    for kind, start, end in facts.get("absences", []):
        Absence.objects.create(person=person, kind=kind, start=D(start), end=D(end))
    return person


def test_a_full_year_has_no_problem():
    person = make_person(make_unit())
    assert rating_problems(person, 2024, "HTXS") == []


def test_fewer_than_six_months_is_not_rated_whatever_the_level():
    person = make_person(make_unit(), {"employments": [("2024-08-01", None)]})
    with translation.override("en"):
        (problem,) = rating_problems(person, 2024, "HT")
    assert "not rated" in problem and "maternity" not in problem


def test_three_to_six_months_absent_caps_below_htt():
    person = make_person(make_unit(), {"absences": [("long_absence", "2024-03-01", "2024-07-01")]})
    assert rating_problems(person, 2024, "HT") == []
    with translation.override("en"):
        (problem,) = rating_problems(person, 2024, "HTT")
    assert "Absent 4 months" in problem


def test_maternity_counts_as_work():
    person = make_person(make_unit(), {"absences": [("maternity", "2024-02-01", "2024-10-01")]})
    assert rating_problems(person, 2024, "HTXS") == []


def test_a_whole_grid_in_two_queries(django_assert_num_queries):
    unit = make_unit()
    people = [make_person(unit) for _ in range(5)]
    late = make_person(unit, {"employments": [("2024-09-01", None)]})
    with django_assert_num_queries(2):
        found = rating_problems_for([p.pk for p in [*people, late]], 2024)
    assert set(found) == {late.pk}
