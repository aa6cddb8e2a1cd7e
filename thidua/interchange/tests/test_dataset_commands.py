"""`thidua load` and `thidua dump`."""

import io
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from thidua.interchange.tests.test_dataset_load import sample, table_counts
from thidua.org.models import Person

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"):
        call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_load_prints_the_counts(tmp_path):
    path = tmp_path / "kb.json"
    path.write_text(json.dumps(sample()), encoding="utf-8")

    out, err = run("load", str(path))

    assert re.search(r"^  people +3$", out, re.MULTILINE)
    assert "35 rows loaded in" in out
    assert err == ""
    assert Person.objects.count() == 3


def test_load_lists_every_problem_and_fails(tmp_path):
    data = sample()
    data["employments"][0]["unit"] = "XYZ"
    data["people"][1]["birth_date"] = "31/02/2020"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    before = table_counts()
    err = io.StringIO()

    with translation.override("en"), pytest.raises(CommandError) as caught:
        call_command("load", str(path), stdout=io.StringIO(), stderr=err)

    assert err.getvalue().splitlines() == [
        "people row 2, birth_date: '31/02/2020' is not a valid date (YYYY-MM-DD)",
        "employments row 1, unit: unknown unit code 'XYZ'",
    ]
    assert "2 problem(s)" in str(caught.value)
    assert table_counts() == before


def test_load_takes_the_format_option(tmp_path):
    path = tmp_path / "kb.data"
    path.write_text(json.dumps(sample()), encoding="utf-8")

    run("load", str(path), "--format", "json")

    assert Person.objects.count() == 3


def test_dump_writes_everything_or_one_subtree(tmp_path):
    run("load", _write(tmp_path, sample()))
    everything, district = tmp_path / "all.json", tmp_path / "kt.xlsx"

    out, _err = run("dump", str(everything))
    run("dump", str(district), "--unit", "KB-TS")

    assert "35 rows written" in out
    assert {p["code"] for p in json.loads(everything.read_text())["people"]} == {"P1", "P2", "P3"}
    assert district.read_bytes()[:2] == b"PK"


def test_dump_of_a_subtree_keeps_its_people_only(tmp_path):
    run("load", _write(tmp_path, sample()))
    path = tmp_path / "ts.json"

    run("dump", str(path), "--unit", "KB-TS")

    assert [p["code"] for p in json.loads(path.read_text())["people"]] == ["P1", "P2"]


def test_dump_refuses_an_unknown_unit(tmp_path):
    with pytest.raises(CommandError, match="Unknown unit code XYZ"):
        run("dump", str(tmp_path / "x.json"), "--unit", "XYZ")


def _write(tmp_path, data) -> str:
    path = tmp_path / "in.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)
