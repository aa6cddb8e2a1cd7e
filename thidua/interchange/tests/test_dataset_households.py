"""Households in the dataset: loaded with their members and head, refused with the row and
field named, dumped back identically (also in a commune officer's scoped dump)."""

import io
import json

import pytest
from django.utils import translation

from thidua.accounts.system import SYSTEM
from thidua.interchange.dataset import DatasetError, load_dataset
from thidua.interchange.tests.test_dataset_load import load_problems, sample, table_counts
from thidua.interchange.tests.test_dataset_roundtrip import dumped, wipe
from thidua.org.models import Household, Unit

pytestmark = pytest.mark.django_db

HOUSEHOLDS = [
    {
        "code": "HGD-1",
        "name": "Hộ ông Lê Cường",
        "address": "Thôn Đông, xã Thanh Sơn",
        "commune": "KB-TS",
        "head": "P3",
        "members": ["P3", "P1"],
    },
    {"code": "HGD-2", "name": "Hộ bà Trần Thị Bình", "commune": "KB-NT", "members": ["P2"]},
]


def with_households(households=None) -> dict:
    return sample(households=HOUSEHOLDS if households is None else households)


def test_households_load_with_their_members_and_head():
    report = load_dataset(with_households(), actor=SYSTEM)

    assert report.counts["households"] == 2
    one = Household.objects.get(code="HGD-1")
    assert (one.name, one.address, one.commune.code) == (
        "Hộ ông Lê Cường",
        "Thôn Đông, xã Thanh Sơn",
        "KB-TS",
    )
    assert sorted(one.members.values_list("code", flat=True)) == ["P1", "P3"]
    assert one.memberships.get(is_head=True).person.code == "P3"
    assert one.search_name  # found by the search like any household recorded on a page
    two = Household.objects.get(code="HGD-2")
    assert not two.memberships.filter(is_head=True).exists()


def test_households_dump_load_dump_identically():
    load_dataset(with_households(), actor=SYSTEM)
    first = dumped()
    data = json.loads(first)
    assert data["households"][0] == {
        "code": "HGD-1",
        "name": "Hộ ông Lê Cường",
        "address": "Thôn Đông, xã Thanh Sơn",
        "commune": "KB-TS",
        "head": "P3",
        "members": ["P1", "P3"],
    }

    wipe()
    load_dataset(io.BytesIO(first), fmt="json", actor=SYSTEM)

    assert dumped() == first


def test_a_scoped_dump_carries_the_communes_households_and_their_members():
    load_dataset(with_households(), actor=SYSTEM)
    commune = Unit.objects.get(code="KB-NT")
    first = dumped(unit_ids={commune.pk})
    data = json.loads(first)

    assert [h["code"] for h in data["households"]] == ["HGD-2"]
    assert "P2" in [p["code"] for p in data["people"]]
    wipe()
    load_dataset(io.BytesIO(first), fmt="json", actor=SYSTEM)
    assert Household.objects.get(code="HGD-2").members.get().code == "P2"


def refused(data) -> list[str]:
    before = table_counts()
    household_count = Household.objects.count()
    problems = load_problems(data)
    assert table_counts() == before
    assert Household.objects.count() == household_count
    return problems


def test_bad_households_are_refused_with_row_and_field():
    rows = [
        {"code": "H1", "name": "Hộ A", "commune": "NOWHERE", "members": ["P1", "GHOST"]},
        {"code": "H2", "name": "Hộ B", "commune": "KB-TS", "head": "P2", "members": ["P1"]},
        {"code": "H3", "name": "Hộ C", "commune": "KB-TS", "members": ["P1", "P1"]},
        {"code": "H1", "name": "Hộ D", "commune": "KB-TS", "members": ["P3"]},
        {"code": "H5", "name": "", "commune": "KB-TS", "members": []},
    ]

    problems = refused(with_households(rows))

    assert problems == [
        "households row 1, commune: unknown unit code 'NOWHERE'",
        "households row 1, members: unknown person code 'GHOST'",
        "households row 2, head: the head of household 'P2' is not one of the members",
        "households row 3, members: 'P1' is listed twice",
        "households row 4, code: code 'H1' appears twice (also row 1)",
        "households row 5, name: must not be empty",
        "households row 5, members: must list at least 1 code(s)",
    ]


def test_a_household_code_already_in_the_database():
    load_dataset(with_households(), actor=SYSTEM)
    again = sample(units=[], unit_versions=[], lineage=[], people=[], employments=[])
    again.update(person_ratings=[], unit_ratings=[], disciplines=[], pending_reviews=[])
    again.update(initiatives=[], awards=[], absences=[], households=HOUSEHOLDS[:1])

    assert refused(again) == [
        "households row 1, code: household code 'HGD-1' already exists in the database"
    ]


def test_messages_are_in_vietnamese():
    rows = [{"code": "H2", "name": "Hộ B", "commune": "KB-TS", "head": "P2", "members": ["P1"]}]
    with translation.override("vi"), pytest.raises(DatasetError) as caught:
        load_dataset(with_households(rows), actor=SYSTEM)

    assert "chủ hộ 'P2' không phải là thành viên của hộ" in "\n".join(caught.value.lines())


HOUSEHOLD_AWARD = {
    "household": "HGD-1",
    "award_code": "GD_VAN_HOA",
    "commendation_type": "cong_trang",
    "period_start": "2020-01-01",
    "period_end": "2020-12-31",
    "decision_number": "30/QĐ-UBND",
    "decision_date": "2020-12-20",
    "authority": "KB-TS",
}


def test_household_awards_load_and_dump_back_identically():
    data = with_households()
    data["awards"] = [*data["awards"], HOUSEHOLD_AWARD]
    report = load_dataset(data, actor=SYSTEM)
    assert report.counts["awards"] == len(data["awards"])
    award = Household.objects.get(code="HGD-1").awards.get()
    assert (award.award_code, award.person_id, award.unit_id) == ("GD_VAN_HOA", None, None)
    first = dumped()
    assert (
        HOUSEHOLD_AWARD.items()
        <= next(a for a in json.loads(first)["awards"] if a.get("household")).items()
    )
    wipe()
    load_dataset(json.loads(first), actor=SYSTEM)
    assert dumped() == first
    # A commune officer's scoped dump carries the commune's household awards.
    commune = Unit.objects.get(code="KB-TS")
    scoped = json.loads(dumped(unit_ids={commune.pk}))
    assert [a["award_code"] for a in scoped["awards"] if a.get("household")] == ["GD_VAN_HOA"]


def test_bad_household_awards_are_refused_with_row_and_field():
    data = with_households()
    data["awards"] = [*data["awards"], {**HOUSEHOLD_AWARD, "household": "HGD-404"}]
    problems = load_problems(data)
    assert "awards row 4, household: unknown household code 'HGD-404'" in problems, problems
    both = {**HOUSEHOLD_AWARD, "person": "P1"}
    wrong = {**HOUSEHOLD_AWARD, "award_code": "CSTDCS"}
    data["awards"] = [*data["awards"][:3], both, wrong]
    problems = "\n".join(load_problems(data))
    assert "awards row 4, person: give exactly one of person, unit and household" in problems
    assert "awards row 5, award_code: CSTDCS is not conferred on households" in problems
    assert not Household.objects.exists()
