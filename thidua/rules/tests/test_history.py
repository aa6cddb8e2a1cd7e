"""History follows identity: a person's streak across a transfer, a unit's across a rename
and a re-parenting (same unit), and across a merger as the deployment decides
(docs/legal/regimes.md: an open question, default "not carried")."""

import datetime

import pytest
from django.utils import translation

from thidua.accounts.system import SYSTEM
from thidua.org import services as org
from thidua.org.choices import UnitKind
from thidua.org.tests.factories import UnitFactory
from thidua.records.models import UnitRating
from thidua.rules.engine import run
from thidua.rules.tests.factories import make_person, make_unit

pytestmark = pytest.mark.django_db


def _criterion(result, path):
    found = {c.id: c for c in result.criteria}
    head, *rest = path.split(".")
    criterion = found[head]
    for part in rest:
        criterion = {a.id: a for a in criterion.alternatives}[part]
    return criterion


def test_a_transfer_in_the_middle_of_a_streak_keeps_it():
    old, new = make_unit(), make_unit()
    person = make_person(
        old,
        {
            "employments": [("2015-01-01", None)],
            "awards": [("CSTDCS", 2022), ("CSTDCS", 2023), ("CSTDCS", 2024)],
            "initiatives": [(2024, "bo_tinh")],
        },
    )
    org.transfer_person(person, new, datetime.date(2023, 7, 1), actor=SYSTEM)
    (result,) = run(2024, units=[new], award_codes=["CSTD_TINH"], subjects=("individual",)).results
    assert result.subject_id == person.pk
    assert _criterion(result, "cstdcs_streak").outcome == "met"


def test_a_rename_and_a_reparent_keep_the_unit_streak(tree):
    unit = make_unit({"ratings": {2023: "HTXS", 2024: "HTXS"}}, parent=tree["district"])
    org.rename_unit(unit, "Phòng Nội vụ (mới)", datetime.date(2024, 3, 1), actor=SYSTEM)
    org.reparent_unit(unit, tree["province"], datetime.date(2024, 9, 1), actor=SYSTEM)
    (result,) = run(2024, units=[unit], award_codes=["BK_TINH"], subjects=("collective",)).results
    assert _criterion(result, "route.d.excellent_twice").outcome == "met"
    assert result.subject_name == "Phòng Nội vụ (mới)"


def _merged_world(second_rating="HTXS"):
    a = make_unit({"kind": UnitKind.COMMUNE, "ratings": {2024: "HTXS"}})
    b = make_unit({"kind": UnitKind.COMMUNE, "ratings": {2024: second_rating}})
    c = UnitFactory(
        kind=UnitKind.COMMUNE, name="Phường Kim Bảng", established_on=datetime.date(2025, 7, 1)
    )
    UnitRating.objects.create(unit=c, year=2025, level="HTXS")
    org.merge_units([a, b], c, datetime.date(2025, 7, 1), decision="1674/NQ-UBTVQH15", actor=SYSTEM)
    return c


@pytest.mark.parametrize(
    ("setting", "second", "outcome", "words"),
    [
        ("not_carried", "HTXS", "not_met", "not carried"),
        ("carried", "HTXS", "met", "every one of them"),
        ("carried", "HTT", "not_met", "every one of them"),
    ],
)
def test_a_merger_carries_the_collective_streak_only_if_the_deployment_says_so(
    setting, second, outcome, words
):
    successor = _merged_world(second)
    evaluation = run(
        2025,
        units=[successor],
        award_codes=["BK_TINH"],
        subjects=("collective",),
        parameters_override={"collective_history_across_merger": setting},
    )
    (result,) = [r for r in evaluation.results if r.subject_id == successor.pk]
    streak = _criterion(result, "route.d.excellent_twice.htxs_twice")
    assert streak.outcome == outcome
    with translation.override("en"):
        assert words in streak.explanation
        assert "collective_history_across_merger" in streak.explanation


def test_the_absorbed_units_are_not_awarded_after_the_merger():
    successor = _merged_world()
    evaluation = run(2025, units=[successor], award_codes=["TTLDTT"], subjects=("collective",))
    absorbed = [r for r in evaluation.results if r.subject_id != successor.pk]
    assert absorbed and all(r.verdict == "not_eligible" for r in absorbed)
    assert all(_criterion(r, "unit_exists").outcome == "not_met" for r in absorbed)
