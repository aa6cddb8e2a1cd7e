"""A dump loads into an empty database and dumps back byte for byte; a scoped dump holds the
scope and loads on its own."""

import io
import json

import pytest

from thidua.accounts import scope
from thidua.accounts.choices import Role
from thidua.accounts.models import UserRole
from thidua.accounts.system import SYSTEM
from thidua.interchange.dataset import dump_dataset, load_dataset
from thidua.interchange.tests.test_dataset_load import sample
from thidua.org.models import (
    Employment,
    Household,
    LineageEdge,
    LineageEvent,
    Person,
    Unit,
    UnitOfficialCode,
    UnitVersion,
)
from thidua.org.tests.factories import user_with_role
from thidua.records.models import (
    Absence,
    Award,
    Discipline,
    Initiative,
    InitiativeAuthor,
    PendingReview,
    PersonRating,
    UnitRating,
)

pytestmark = pytest.mark.django_db


def wipe() -> None:
    """Empty the organisation and its records (children first: units are protected)."""
    UserRole.objects.all().delete()
    for model in (InitiativeAuthor, Initiative, Award, Absence, Discipline, PendingReview):
        model.objects.all().delete()
    for model in (PersonRating, UnitRating, Employment, LineageEdge, LineageEvent, UnitVersion):
        model.objects.all().delete()
    Household.objects.all().delete()
    UnitOfficialCode.objects.all().delete()
    Person.objects.all().delete()
    Unit.objects.all().delete()


def dumped(fmt="json", unit_ids=None) -> bytes:
    out = io.BytesIO()
    dump_dataset(out, fmt=fmt, unit_ids=unit_ids)
    return out.getvalue()


def test_a_json_dump_loads_back_and_dumps_identically():
    load_dataset(sample(), actor=SYSTEM)
    first = dumped()

    wipe()
    load_dataset(io.BytesIO(first), fmt="json", actor=SYSTEM)

    assert dumped() == first


def test_the_dump_holds_what_was_loaded():
    load_dataset(sample(), actor=SYSTEM)

    data = json.loads(dumped())

    assert (data["format"], data["version"]) == ("thidua-dataset", 1)
    assert [u["code"] for u in data["units"]] == ["HN", "KB", "KB-NT", "KB-TS", "VN"]
    assert data["people"][0] == sample()["people"][0]
    assert {"person": "P1", "year": 2020, "level": "HTXS", "score": 95.5,
            "regime": "ND90/2020"} in data["person_ratings"]  # fmt: skip
    assert data["initiatives"][0]["authors"] == ["P1", "P2"]
    assert data["disciplines"][0]["duty_related"] is False
    assert sorted((r["event"], r["kind"]) for r in data["lineage"]) == [
        ("E1", "rename"),
        ("E2", "dissolve"),
        ("E3", "reparent"),
    ]
    assert sum(len(rows) for key, rows in data.items() if isinstance(rows, list)) == 35


def test_the_dump_does_not_depend_on_the_order_rows_were_created_in():
    load_dataset(sample(), actor=SYSTEM)
    first = dumped()
    wipe()
    data = sample()
    for rows in data.values():
        if isinstance(rows, list):
            rows.reverse()
    load_dataset(data, actor=SYSTEM)

    assert dumped() == first


def test_an_xlsx_dump_loads_back_to_the_same_data():
    load_dataset(sample(), actor=SYSTEM)
    as_json, as_xlsx = dumped(), dumped("xlsx")

    wipe()
    report = load_dataset(io.BytesIO(as_xlsx), fmt="xlsx", actor=SYSTEM)

    assert report.total == 35
    assert dumped() == as_json


def test_a_dump_to_a_path_takes_its_format_from_the_suffix(tmp_path):
    load_dataset(sample(), actor=SYSTEM)

    counts = dump_dataset(tmp_path / "all.xlsx")

    assert counts["people"] == 3
    assert (tmp_path / "all.xlsx").read_bytes()[:2] == b"PK"


def _district_scope():
    officer = user_with_role(Role.OFFICER, Unit.objects.get(code="KB"), username="kb")
    return scope.unit_ids_for(officer)


def test_a_scoped_dump_holds_the_scope_and_what_it_refers_to():
    data = sample()
    data["units"].append({"code": "TL", "kind": "district", "name": "Huyện Thanh Liêm"})
    data["unit_versions"].append(
        {"unit": "TL", "name": "Huyện Thanh Liêm", "parent": "HN", "valid_from": "1997-01-01"}
    )
    data["people"].append({"code": "P4", "family_name": "Vũ", "given_name": "Dung", "gender": "F"})
    data["employments"].append({"person": "P4", "unit": "TL", "start": "2010-01-01"})
    data["unit_ratings"].append({"unit": "TL", "year": 2020, "level": "HT"})
    load_dataset(data, actor=SYSTEM)

    dump = json.loads(dumped(unit_ids=_district_scope()))

    assert [p["code"] for p in dump["people"]] == ["P1", "P2", "P3"]
    # Units of the district, plus the province (a parent) and the State President's office
    # (the deciding authority of an award), with their names only:
    assert [u["code"] for u in dump["units"]] == ["HN", "KB", "KB-NT", "KB-TS", "VN"]
    assert [r["unit"] for r in dump["unit_ratings"]] == ["KB"]
    assert {r["person"] for r in dump["person_ratings"]} == {"P1", "P2", "P3"}


def test_a_scoped_dump_loads_on_its_own():
    load_dataset(sample(), actor=SYSTEM)
    part = dumped(unit_ids=_district_scope())

    wipe()
    report = load_dataset(io.BytesIO(part), fmt="json", actor=SYSTEM)

    assert report.counts["people"] == 3
    assert dumped() == part


def test_a_scope_without_units_dumps_nothing():
    load_dataset(sample(), actor=SYSTEM)

    dump = json.loads(dumped(unit_ids=frozenset()))

    assert all(dump[key] == [] for key in dump if key not in ("format", "version"))


def _more_people(n):
    data = sample()
    for i in range(n):
        data["people"].append({"code": f"X{i}", "family_name": "Phạm", "given_name": "Hà",
                               "gender": "F"})  # fmt: skip
        data["employments"].append({"person": f"X{i}", "unit": "KB-TS", "start": "2019-01-01"})
        data["person_ratings"].append({"person": f"X{i}", "year": 2020, "level": "HTT"})
        data["awards"].append(dict(data["awards"][0], person=f"X{i}"))
    return data


@pytest.mark.parametrize("extra", [5, 50])
@pytest.mark.parametrize("scoped", [False, True])
def test_the_dump_query_count_does_not_grow_with_the_rows(
    django_assert_max_num_queries, extra, scoped
):
    load_dataset(_more_people(extra), actor=SYSTEM)
    unit_ids = _district_scope() if scoped else None

    # two more than before households: the households and their members; one more for
    # the official codes
    with django_assert_max_num_queries(23 if scoped else 18):
        dumped(unit_ids=unit_ids)
