"""The XLSX template, and loading what a user types into it."""

import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.datavalidation import DataValidation

from thidua.accounts.system import SYSTEM
from thidua.interchange.dataset import build_template_xlsx, load_dataset
from thidua.interchange.dataset.guide import FIELD_HELP, SECTION_HELP
from thidua.interchange.dataset.schema import sections
from thidua.interchange.tests.test_dataset_load import load_problems
from thidua.org.models import Person, Unit
from thidua.records.models import Initiative


def _template():
    return load_workbook(io.BytesIO(build_template_xlsx()))


def test_the_template_has_a_sheet_per_section_with_the_field_names():
    workbook = _template()

    assert workbook.sheetnames[0] == "guide"
    for name, spec in sections().items():
        sheet = workbook[name]
        header = [cell.value for cell in sheet[1]]
        assert header == list(spec.field_names)
        assert sheet.max_row == 1
        assert all(cell.comment and cell.comment.text for cell in sheet[1])
    assert workbook["_lists"].sheet_state == "hidden"


def test_the_guide_explains_every_field_in_both_languages():
    guide = _template()["guide"]
    rows = list(guide.iter_rows(values_only=True))

    explained = {(row[1]) for row in rows if row[1]}
    for spec in sections().values():
        assert set(spec.field_names) <= explained
    # a row per field, with a Vietnamese and an English explanation
    units_code = next(row for row in rows if row[1] == "code")
    assert units_code[3] and units_code[4] == "Stable unit code, never reused, e.g. KB."


def test_every_schema_field_has_help():
    for name, spec in sections().items():
        assert name in SECTION_HELP
        assert set(FIELD_HELP[name]) == set(spec.field_names)


def _validation_for(sheet, column_letter) -> DataValidation:
    for validation in sheet.data_validations.dataValidation:
        if any(str(r).startswith(f"{column_letter}2:") for r in validation.sqref.ranges):
            return validation
    raise AssertionError(f"no validation on {column_letter}")


def test_enum_columns_offer_their_values():
    workbook = _template()
    lists = workbook["_lists"]
    header = [cell.value for cell in lists[1]]

    validation = _validation_for(workbook["people"], "F")  # gender
    column = header.index("people.gender") + 1
    values = [lists.cell(row=r, column=column).value for r in (2, 3)]
    assert values == ["M", "F"]
    assert validation.type == "list" and "_lists" in validation.formula1
    assert validation.showErrorMessage  # Excel refuses a value not in the list

    award_codes = header.index("awards.award_code") + 1
    codes = {lists.cell(row=r, column=award_codes).value for r in range(2, lists.max_row + 1)}
    assert {"LDTT", "CSTDCS", "AHLD"} <= codes


def _workbook(sheets: dict) -> io.BytesIO:
    """An XLSX with the given sheets: name → list of rows (the first is the header)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


UNITS = [
    ["code", "kind", "name", "established_on"],
    ["HN", "province", "Tỉnh Hà Nam", datetime.datetime(1997, 1, 1)],
]
VERSIONS = [["unit", "name", "valid_from"], ["HN", "Tỉnh Hà Nam", "01/01/1997"]]


@pytest.mark.django_db
def test_a_filled_template_loads():
    template = load_workbook(io.BytesIO(build_template_xlsx()))
    template["units"].append(["HN", "province", "Tỉnh Hà Nam", "01/01/1997"])
    template["unit_versions"].append(["HN", "Tỉnh Hà Nam", None, datetime.date(1997, 1, 1)])
    template["people"].append(["P1", "Nguyễn", "Văn", "An", "01/05/1980", "M", 35080000001])
    template["people"].append(["P2", "Trần", None, "Bình", None, "F", None])
    template["employments"].append(["P1", "HN", "Chuyên viên", "2015-01-01"])
    template["employments"].append(["P2", "HN", None, "01/01/2016"])
    template["initiatives"].append(
        ["SK1", "initiative", "Số hóa", "co_so", None, "01/11/2020", "TRUE", None, "P1; P2"]
    )
    template["person_ratings"].append(["P1", 2020, "HTXS", "95,5"])
    out = io.BytesIO()
    template.save(out)
    out.seek(0)

    report = load_dataset(out, fmt="xlsx", actor=SYSTEM)

    assert report.counts["people"] == 2
    p1 = Person.objects.get(code="P1")
    assert p1.birth_date == datetime.date(1980, 5, 1)
    assert p1.citizen_id == "035080000001"  # the zeros Excel dropped are back
    assert p1.ratings.get().score == 95.5
    initiative = Initiative.objects.get()
    assert initiative.applied is True and initiative.replicable is False
    assert set(initiative.authors.values_list("code", flat=True)) == {"P1", "P2"}
    assert Unit.objects.get().established_on == datetime.date(1997, 1, 1)


@pytest.mark.django_db
def test_a_bad_date_is_named_by_sheet_row_and_field():
    people = [
        ["code", "family_name", "given_name", "gender", "birth_date"],
        ["P1", "Nguyễn", "An", "M", "01/05/1980"],
        [None, None, None, None, None],
        ["P2", "Trần", "Bình", "F", "31/02/2020"],
    ]
    source = _workbook({"units": UNITS, "unit_versions": VERSIONS, "people": people})

    assert load_problems(source, fmt="xlsx") == [
        "people row 4, birth_date: '31/02/2020' is not a valid date (YYYY-MM-DD)",
    ]
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_header_problems_are_reported_once_per_sheet():
    people = [["code", "family_name", "gender", "nickname"], ["P1", "Nguyễn", "M", "Bi"]]
    source = _workbook({"units": UNITS, "unit_versions": VERSIONS, "people": people, "Sheet": []})

    assert load_problems(source) == [
        "Sheet: unknown sheet; the sections are units, unit_versions, official_codes, "
        "lineage, people, employments, households, person_ratings, unit_ratings, disciplines, pending_reviews, initiatives, "
        "awards, absences",
        "people row 1, nickname: unknown column",
        "people row 1, given_name: required column is missing",
    ]


@pytest.mark.django_db
def test_a_file_that_is_no_workbook():
    (problem,) = load_problems(io.BytesIO(b"PK not really a zip"), fmt="xlsx")

    assert problem.startswith("not a readable XLSX file")
