"""The registrations recorded here, as the eligibility engine reads them when the
deployment requires registration for titles (parameter registration_required)."""

import datetime

import pytest

from thidua.accounts.system import SYSTEM
from thidua.emulation import selectors, services
from thidua.emulation.tests.factories import make_movement
from thidua.rules.engine import run
from thidua.rules.tests.factories import make_person

D = datetime.date
REQUIRED = {"registration_required": True}
# LĐTT held for 2020 and rated HTXS: what CSTĐCS asks on the merits.
ON_MERIT = {"ratings": {2020: "HTXS"}, "awards": [("LDTT", 2020)]}


def registered(result):
    """The outcome of the engine's registration check on `result` (None: not checked)."""
    found = [c for c in result.criteria if c.id == "registered"]
    return found[0] if found else None


@pytest.fixture
def trio(world):
    """Three people of Kim Bảng: An registered for CSTĐCS, Bình for LĐTT only, Chi for
    nothing, in the province's 2020 movement."""
    kb = world["KB"]
    an, binh, chi = (make_person(kb, ON_MERIT) for _ in range(3))
    movement = make_movement(world["province"])
    for person, code in [(an, "CSTDCS"), (binh, "LDTT")]:
        services.register_title(
            movement, unit=kb, person=person, award_code=code, today=D(2020, 2, 1), actor=SYSTEM
        )
    return an, binh, chi


def test_the_engine_reads_each_persons_registration_per_title(trio):
    an, binh, chi = trio
    evaluation = run(2020, people=trio, award_codes=["CSTDCS"], parameters_override=REQUIRED)
    results = {r.subject_id: r for r in evaluation.results}

    assert registered(results[an.pk]).outcome == "met"
    said = registered(results[an.pk]).explanation
    assert "Phong trào thi đua yêu nước năm 2020, registered on 01/02/2020" in said

    assert registered(results[binh.pk]).outcome == "not_met"
    assert results[binh.pk].verdict == "not_eligible"
    assert registered(results[binh.pk]).explanation.startswith("Not registered for ")

    assert registered(results[chi.pk]).outcome == "unknown"
    assert results[chi.pk].verdict != "eligible"


def test_a_year_without_any_registration_is_unknown(trio):
    evaluation = run(2021, people=trio, award_codes=["LDTT"], parameters_override=REQUIRED)
    assert {registered(r).outcome for r in evaluation.results} == {"unknown"}


def test_without_the_parameter_registrations_are_not_checked(trio):
    evaluation = run(2020, people=trio, award_codes=["CSTDCS"])
    assert all(registered(r) is None for r in evaluation.results)


def test_a_unit_is_checked_against_its_own_registrations(world):
    kb = world["KB"]
    services.register_title(
        make_movement(world["province"]),
        unit=kb,
        award_code="CO_TD_TINH",
        today=D(2020, 2, 1),
        actor=SYSTEM,
    )
    evaluation = run(
        2020,
        units=[kb],
        subtree=False,
        subjects=("collective",),
        award_codes=["CO_TD_TINH", "TTLDXS"],
        parameters_override=REQUIRED,
    )
    outcomes = {r.award_code: registered(r).outcome for r in evaluation.results}
    assert outcomes == {"CO_TD_TINH": "met", "TTLDXS": "not_met"}


def test_a_province_wide_population_is_answered_in_one_query(trio, django_assert_num_queries):
    an, binh, chi = trio
    few = selectors.registered_people_source([an.pk, binh.pk, chi.pk], 2020)
    # Beyond selectors.IDS_IN_SQL ids, the year's registrations are filtered in Python.
    many = [an.pk, binh.pk, chi.pk, *range(10**6, 10**6 + selectors.IDS_IN_SQL)]
    with django_assert_num_queries(1):
        found = selectors.registered_people_source(many, 2020)
    assert found == few
    assert {pid: list(codes) for pid, codes in found.items()} == {
        an.pk: ["CSTDCS"],
        binh.pk: ["LDTT"],
    }
    # …and only the people asked for are answered.
    assert selectors.registered_people_source([chi.pk, *many[3:]], 2020) == {}
