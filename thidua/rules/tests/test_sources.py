"""Facts other apps own, read through `sources`: registrations per subject and title.

The sources here are stand-ins with the contract of `thidua.rules.sources`; the emulation
app's own sources, over recorded registrations, are tested in `thidua.emulation.tests`.
"""

import pytest
from django.utils import translation

from thidua.rules import sources
from thidua.rules.engine import run
from thidua.rules.sources import Fact
from thidua.rules.tests.factories import make_person, make_unit

pytestmark = pytest.mark.django_db

REQUIRED = {"registration_required": True}
# LĐTT held and rated HTXS: CSTĐCS is eligible on the merits alone (Law Điều 23).
CSTDCS_ON_MERIT = {"ratings": {2024: "HTXS"}, "awards": [("LDTT", 2024)]}


def _registered(result):
    found = [c for c in result.criteria if c.id == "registered"]
    return found[0] if found else None


@pytest.fixture
def trio():
    """Three people who all meet CSTĐCS 2024 on the merits: one registered for it, one
    registered for LĐTT only, one with no registration recorded."""
    unit = make_unit()
    people = [make_person(unit, CSTDCS_ON_MERIT) for _ in range(3)]
    cstdcs, ldtt_only, _nothing = people
    answers = {
        cstdcs.pk: {"CSTDCS": Fact(True, "Phong trào 2024, registered on 15/01/2024")},
        ldtt_only.pk: {"LDTT": Fact(True, "Phong trào 2024, registered on 20/01/2024")},
    }
    sources.register(
        "registered_people",
        lambda ids, year: {pid: answers[pid] for pid in ids if pid in answers and year == 2024},
    )
    return people


def test_a_title_needs_a_registration_for_that_very_title(trio):
    evaluation = run(2024, people=trio, award_codes=["CSTDCS"], parameters_override=REQUIRED)
    by_person = {r.subject_id: r for r in evaluation.results}
    cstdcs, ldtt_only, nothing = (by_person[p.pk] for p in trio)

    assert _registered(cstdcs).outcome == "met"
    assert cstdcs.verdict == "eligible"

    assert _registered(ldtt_only).outcome == "not_met"
    assert ldtt_only.verdict == "not_eligible"

    assert _registered(nothing).outcome == "unknown"
    assert nothing.verdict == "needs_attestation"
    assert not nothing.attest_only  # a missing fact, not a judgement of the council

    with translation.override("en"):
        assert "Registered for" in _registered(cstdcs).explanation
        assert "registered on 15/01/2024" in _registered(cstdcs).explanation
        said = _registered(ldtt_only).explanation
        # The title asked for and what the records show instead, with the parameter.
        assert said.startswith("Not registered for ")
        assert "registered on 20/01/2024" in said
        assert "registration_required = true" in said
        assert "is not recorded" in _registered(nothing).explanation


def test_the_explained_and_the_status_only_answers_agree(trio):
    evaluation = run(2024, people=trio, award_codes=["CSTDCS"], parameters_override=REQUIRED)
    for result in evaluation.results:
        assert result.evaluated.verdict == result.verdict


def test_nothing_recorded_for_the_year_is_unknown_for_everyone(trio):
    evaluation = run(2025, people=trio, award_codes=["LDTT"], parameters_override=REQUIRED)
    assert {_registered(r).outcome for r in evaluation.results} == {"unknown"}


def test_without_the_parameter_there_is_no_registration_check_and_no_question(trio):
    def never(ids, year):
        raise AssertionError("asked for registrations the deployment does not require")

    sources.register("registered_people", never)
    sources.register("registered_units", never)
    evaluation = run(2024, people=trio, award_codes=["CSTDCS"])
    for result in evaluation.results:
        assert _registered(result) is None
        assert result.verdict == "eligible"


def test_commendation_forms_need_no_registration(trio):
    evaluation = run(2024, people=trio, award_codes=["BK_TINH"], parameters_override=REQUIRED)
    assert all(_registered(r) is None for r in evaluation.results)


def test_a_collective_registers_per_title_too():
    registered, other = make_unit(), make_unit()
    sources.register(
        "registered_units",
        lambda ids, year: {
            uid: {"TTLDXS": Fact(True, "registered on 10/01/2024")}
            for uid in ids
            if uid == registered.pk
        },
    )
    evaluation = run(
        2024,
        units=[registered, other],
        award_codes=["TTLDXS", "TTLDTT"],
        subjects=("collective",),
        subtree=False,
        parameters_override=REQUIRED,
    )
    outcomes = {(r.subject_id, r.award_code): _registered(r).outcome for r in evaluation.results}
    assert outcomes == {
        (registered.pk, "TTLDXS"): "met",
        (registered.pk, "TTLDTT"): "not_met",
        (other.pk, "TTLDXS"): "unknown",
        (other.pk, "TTLDTT"): "unknown",
    }
