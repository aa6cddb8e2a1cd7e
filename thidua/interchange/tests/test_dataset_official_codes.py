"""Units' official codes (mã đơn vị hành chính) travel in the dataset: a dump carries them,
a load writes them back, and a code that two units would carry on the same day, or a unit
carrying two codes at once, is refused with its row and field."""

import datetime
import io
import json

import pytest

from thidua.accounts.system import SYSTEM
from thidua.interchange.dataset import dump_dataset, load_dataset
from thidua.interchange.demo.official import attach_official_codes
from thidua.interchange.demo.world import build_demo_dataset
from thidua.interchange.tests.test_dataset_load import load_problems, sample, table_counts
from thidua.interchange.tests.test_dataset_roundtrip import dumped, wipe
from thidua.org.models import UnitOfficialCode
from thidua.org.selectors import official_code_on, unit_by_official_code

pytestmark = pytest.mark.django_db
EVE, REFORM = datetime.date(2025, 6, 30), datetime.date(2025, 7, 1)


def with_codes(*rows) -> dict:
    data = sample()
    data["official_codes"] = [
        {"unit": "HN", "official_code": "35", "valid_from": "1997-01-01"},
        {"unit": "KB", "official_code": "350", "valid_from": "2008-08-01", "valid_to": "2025-07-01"},
        {"unit": "KB-TS", "official_code": "350", "valid_from": "2025-07-01"},
        *rows,
    ]  # fmt: skip
    return data


def test_official_codes_load_and_name_their_unit_on_each_day():
    report = load_dataset(with_codes(), actor=SYSTEM)

    assert report.counts["official_codes"] == 3
    assert unit_by_official_code("350", EVE).code == "KB"
    assert unit_by_official_code("350", REFORM).code == "KB-TS"
    assert official_code_on(unit_by_official_code("35", REFORM), REFORM) == "35"


def test_a_dump_with_official_codes_loads_back_and_dumps_identically():
    load_dataset(with_codes(), actor=SYSTEM)
    first = dumped()
    assert json.loads(first)["official_codes"][0] == {
        "unit": "HN",
        "official_code": "35",
        "valid_from": "1997-01-01",
    }

    wipe()
    load_dataset(io.BytesIO(first), fmt="json", actor=SYSTEM)

    assert dumped() == first
    assert unit_by_official_code("350", EVE).code == "KB"


def test_the_demo_world_keeps_its_official_codes_through_a_dump_and_a_reload():
    load_dataset(build_demo_dataset(), actor=SYSTEM)
    attached = attach_official_codes()
    out = io.BytesIO()
    dump_dataset(out, fmt="json")

    wipe()
    report = load_dataset(io.BytesIO(out.getvalue()), fmt="json", actor=SYSTEM)

    assert report.counts["official_codes"] == attached == UnitOfficialCode.objects.count()
    assert unit_by_official_code("13384", EVE).code == "KB-QUE"
    assert unit_by_official_code("13384", REFORM).code == "NBI-KIMBANG"


def test_a_code_carried_twice_or_two_codes_at_once_are_refused_by_row_and_field():
    before = table_counts()
    problems = load_problems(
        with_codes(
            {"unit": "KB-NT", "official_code": "350", "valid_from": "2020-01-01"},
            {"unit": "HN", "official_code": "36", "valid_from": "2000-01-01"},
            {"unit": "NOPE", "official_code": "9", "valid_from": "2000-01-01"},
            {
                "unit": "VN",
                "official_code": "1",
                "valid_from": "2000-01-01",
                "valid_to": "1999-01-01",
            },
        )  # fmt: skip
    )

    assert any(
        line.startswith("official_codes row 4, official_code:")
        and "'350'" in line
        and "'KB'" in line
        and "row 2" in line
        for line in problems
    ), problems
    assert any(
        line.startswith("official_codes row 5, valid_from: overlaps") and "row 1" in line
        for line in problems
    ), problems
    assert "official_codes row 6, unit: unknown unit code 'NOPE'" in problems
    assert any(line.startswith("official_codes row 7, valid_to:") for line in problems), problems
    assert table_counts() == before


def test_a_code_the_database_gives_another_unit_on_those_days_is_refused():
    load_dataset(with_codes(), actor=SYSTEM)
    later = {
        "format": "thidua-dataset",
        "version": 1,
        "official_codes": [{"unit": "KB-NT", "official_code": "35", "valid_from": "2024-01-01"}],
    }

    (line,) = load_problems(later)

    assert line.startswith("official_codes row 1, official_code:")
    assert "'HN'" in line and "the database" in line


def test_official_codes_with_leading_zeros_survive_an_xlsx_dump_and_reload():
    load_dataset(
        with_codes({"unit": "VN", "official_code": "01", "valid_from": "2000-01-01"}), actor=SYSTEM
    )
    workbook, first = dumped("xlsx"), dumped()

    wipe()
    load_dataset(io.BytesIO(workbook), fmt="xlsx", actor=SYSTEM)

    assert dumped() == first
    assert unit_by_official_code("01", EVE).code == "VN"
