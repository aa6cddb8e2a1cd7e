"""Loads of hostile or damaged files: each is refused with a clear message that names the
place, and nothing is written; text is normalised on the way in."""

import io
import json
import zipfile

import pytest

from thidua.accounts.system import SYSTEM
from thidua.interchange.dataset import load_dataset
from thidua.interchange.tests.test_dataset_load import load_problems, sample, table_counts
from thidua.interchange.tests.test_dataset_xlsx import UNITS, VERSIONS, _workbook
from thidua.org.models import Person, Unit
from thidua.text import CODE_PATTERN

pytestmark = pytest.mark.django_db


def _json_file(text: str) -> io.BytesIO:
    stream = io.BytesIO(text.encode())
    stream.name = "data.json"
    return stream


def test_a_unit_code_with_a_slash_is_refused_naming_row_and_field():
    data = sample()
    data["units"][3]["code"] = "KB/TS"
    for version in data["unit_versions"]:
        if version["unit"] == "KB-TS":
            version["unit"] = "KB/TS"
    before = table_counts()

    problems = load_problems(data)

    assert any(
        line.startswith("units row 4, code:") and "'KB/TS' is not a valid code" in line
        for line in problems
    ), problems
    assert table_counts() == before


@pytest.mark.parametrize("code", ["KB TS", "-KB", "KB\n", "Quế", "a;b", ""])
def test_unsafe_codes_are_refused(code):
    data = sample()
    data["people"][0]["code"] = code
    problems = load_problems(data)
    assert any(line.startswith("people row 1, code") for line in problems), problems


def test_the_schema_uses_the_shared_code_pattern():
    from thidua.interchange.dataset.schema import SCHEMA_PATH

    schema = json.loads(SCHEMA_PATH.read_text())
    assert schema["$defs"]["code"]["pattern"] == CODE_PATTERN
    assert schema["$defs"]["optional_code"]["pattern"] == CODE_PATTERN


def test_names_are_stored_in_nfc_without_invisible_characters():
    data = sample()
    # "Nguyễn" typed with combining marks, a zero-width space and a right-to-left override.
    data["people"][0]["family_name"] = "Nguye\u0302\u0303n\u200b"
    data["people"][0]["given_name"] = "\u202eAn"
    load_dataset(data, actor=SYSTEM)

    person = Person.objects.get(code="P1")
    assert person.family_name == "Nguyễn" and person.given_name == "An"
    assert Person.objects.filter(search_name__contains=" nguyen").exists()


def test_a_nul_character_is_refused_naming_row_and_field():
    data = sample()
    data["units"][1]["name"] = "Tỉnh\x00 Hà Nam"
    before = table_counts()

    problems = load_problems(data)

    assert "units row 2, name: the text holds a NUL character" in problems
    assert table_counts() == before


def test_a_nul_escape_in_a_json_file_is_refused():
    text = json.dumps(sample(), ensure_ascii=False).replace("Tỉnh Hà Nam", "Tỉnh\\u0000Hà Nam", 1)
    problems = load_problems(_json_file(text))
    assert "units row 2, name: the text holds a NUL character" in problems


def test_deep_json_is_refused_without_a_recursion_error():
    text = '{"format": "thidua-dataset", "version": 1, "x": ' + "[" * 100_000 + "]" * 100_000
    (problem,) = load_problems(_json_file(text + "}"))
    assert problem == "the JSON nests deeper than 32 levels"


def test_a_json_syntax_error_names_its_line_and_column():
    text = '{"format": "thidua-dataset",\n "version": 1,\n "units": [{"code": "HN",}]}'
    (problem,) = load_problems(_json_file(text))
    assert problem.startswith("not valid JSON")
    assert "line 3, column" in problem


def _without_part(stream: io.BytesIO, part: str) -> io.BytesIO:
    out = io.BytesIO()
    with zipfile.ZipFile(stream) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            if item.filename != part:
                target.writestr(item, source.read(item.filename))
    out.seek(0)
    out.name = "data.xlsx"
    return out


def _with_part(stream: io.BytesIO, part: str, content: bytes) -> io.BytesIO:
    out = io.BytesIO()
    with zipfile.ZipFile(stream) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = content if item.filename == part else source.read(item.filename)
            target.writestr(item, data)
    out.seek(0)
    out.name = "data.xlsx"
    return out


def test_an_xlsx_whose_sheet_part_is_missing_is_refused_naming_the_sheet():
    workbook = _workbook({"units": UNITS, "unit_versions": VERSIONS})
    broken = _without_part(workbook, "xl/worksheets/sheet2.xml")

    problems = load_problems(broken)

    assert problems == ["unit_versions: the sheet's part is missing from the file"]
    assert not Unit.objects.exists()


def test_an_xlsx_whose_sheet_part_is_unreadable_is_refused_naming_the_sheet():
    workbook = _workbook({"units": UNITS, "unit_versions": VERSIONS})
    broken = _with_part(workbook, "xl/worksheets/sheet2.xml", b"<worksheet><sheetData><row>")

    (problem,) = load_problems(broken)

    assert problem.startswith("unit_versions: the sheet cannot be read")
    assert not Unit.objects.exists()
