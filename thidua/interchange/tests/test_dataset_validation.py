"""Every kind of bad input is refused with a message naming the section, row, field and value,
and nothing is written."""

import datetime

import pytest

from thidua.accounts.system import SYSTEM
from thidua.interchange.dataset import load_dataset
from thidua.interchange.tests.test_dataset_load import load_problems, sample, table_counts
from thidua.org.tests.factories import (
    EmploymentFactory,
    PersonFactory,
    PersonRatingFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


def refused(data) -> list[str]:
    """The problems, after checking that nothing was written."""
    before = table_counts()
    problems = load_problems(data)
    assert table_counts() == before
    return problems


def test_unknown_unit_and_person_codes():
    data = sample()
    data["employments"][2]["unit"] = "XYZ"
    data["person_ratings"][0]["person"] = "NOBODY"

    assert refused(data) == [
        "employments row 3, unit: unknown unit code 'XYZ'",
        "person_ratings row 1, person: unknown person code 'NOBODY'",
    ]


def test_codes_may_refer_to_units_and_people_already_in_the_database():
    load_dataset(sample(), actor=SYSTEM)
    more = sample(units=[], unit_versions=[], lineage=[], initiatives=[], absences=[])
    more.update(
        people=[{"code": "P9", "family_name": "Đỗ", "given_name": "Duy", "gender": "M"}],
        employments=[{"person": "P9", "unit": "KB-TS", "start": "2024-01-01"}],
        person_ratings=[{"person": "P9", "year": 2024, "level": "HTT"}],
        unit_ratings=[{"unit": "KB-TS", "year": 2024, "level": "HTT"}],
        disciplines=[],
        pending_reviews=[],
        awards=[],
    )

    assert load_dataset(more, actor=SYSTEM).counts["person_ratings"] == 1


def test_a_code_twice_in_the_file():
    data = sample()
    data["people"].append(dict(data["people"][0], citizen_id=None))
    data["units"].append(dict(data["units"][1]))

    assert refused(data) == [
        "units row 6, code: code 'HN' appears twice (also row 2)",
        "people row 4, code: code 'P1' appears twice (also row 1)",
    ]


def test_a_code_already_in_the_database():
    UnitFactory(code="KB")
    PersonFactory(code="P2")

    assert refused(sample()) == [
        "units row 3, code: unit code 'KB' already exists in the database",
        "people row 2, code: person code 'P2' already exists in the database",
    ]


def test_overlapping_employments_in_the_file():
    data = sample()
    data["employments"][1]["start"] = "2025-01-01"  # P1 still at KB until 1 July

    assert refused(data) == [
        "employments row 2, start: overlaps the employment 01/01/2015–01/07/2025 in row 1",
    ]


def test_an_employment_overlapping_one_in_the_database():
    load_dataset(sample(), actor=SYSTEM)
    data = sample(units=[], unit_versions=[], lineage=[], people=[], person_ratings=[])
    data.update(unit_ratings=[], disciplines=[], pending_reviews=[], initiatives=[])
    data.update(awards=[], absences=[])
    data["employments"] = [{"person": "P2", "unit": "KB", "start": "2024-01-01"}]

    assert refused(data) == [
        "employments row 1, start: overlaps the employment 01/03/2018–… in the database",
    ]


def test_a_person_rating_in_a_year_without_employment():
    data = sample()
    data["person_ratings"].append({"person": "P3", "year": 2023, "level": "HTT"})

    assert refused(data) == ["person_ratings row 5, year: person 'P3' has no employment in 2023"]


def test_a_rating_twice_for_a_year():
    data = sample()
    data["person_ratings"].append({"person": "P2", "year": 2020, "level": "HT"})
    data["unit_ratings"].append({"unit": "KB", "year": 2020, "level": "HT"})

    assert refused(data) == [
        "person_ratings row 5, year: 'P2' already has a rating for 2020 in row 3",
        "unit_ratings row 2, year: 'KB' already has a rating for 2020 in row 1",
    ]


def test_a_rating_already_in_the_database():
    unit = UnitFactory(code="OLD")
    person = PersonFactory(code="OLDP")
    EmploymentFactory(person=person, unit=unit, start=datetime.date(2010, 1, 1))
    PersonRatingFactory(person=person, year=2020)

    problems = refused(sample(person_ratings=[{"person": "OLDP", "year": 2020, "level": "HT"}]))

    assert problems == [
        "person_ratings row 1, year: 'OLDP' already has a rating for 2020 in the database"
    ]


def test_a_bad_date_names_row_field_and_value():
    data = sample()
    data["people"][1]["birth_date"] = "2020-02-31"
    data["employments"][0]["start"] = "31/02/2020"

    assert refused(data) == [
        "people row 2, birth_date: '2020-02-31' is not a valid date (YYYY-MM-DD)",
        "employments row 1, start: '31/02/2020' is not a valid date (YYYY-MM-DD)",
    ]


def test_an_end_before_its_start():
    data = sample()
    data["employments"][3]["end"] = "2018-01-01"
    data["absences"][0]["end"] = "2021-02-01"

    assert refused(data) == [
        "employments row 4, end: 01/01/2018 is not after start 01/01/2019",
        "absences row 1, end: 01/02/2021 is not after start 01/02/2021",
    ]


def test_a_duplicate_citizen_id_in_the_file():
    data = sample()
    data["people"][0]["citizen_id"] = "001234567890"
    data["people"][2]["citizen_id"] = "001234567890"

    assert refused(data) == [
        "people row 3, citizen_id: duplicate citizen id 001234567890 (also row 1)",
    ]


def test_a_citizen_id_already_in_the_database():
    PersonFactory(code="OTHER", citizen_id="035080000001")

    assert refused(sample()) == [
        "people row 1, citizen_id: citizen id 035080000001 already belongs to person 'OTHER' "
        "in the database",
    ]


def test_a_citizen_id_has_twelve_digits():
    data = sample()
    data["people"][0]["citizen_id"] = "12345"

    assert refused(data) == ["people row 1, citizen_id: '12345' is not a 12-digit citizen id"]


def test_unknown_award_code_and_award_unsuited_to_the_recipient():
    data = sample()
    data["awards"][0]["award_code"] = "XYZ"
    data["awards"][1]["award_code"] = "LDTT"  # an individual title, given to a unit
    data["awards"][2]["award_code"] = "TTLDXS"  # a collective title, given to a person

    assert refused(data) == [
        "awards row 1, award_code: Unknown award code XYZ.",
        "awards row 2, award_code: LDTT is not conferred on collectives.",
        "awards row 3, award_code: TTLDXS is not conferred on individuals.",
    ]


def test_a_score_outside_the_band_of_its_level():
    data = sample()
    data["person_ratings"][1]["score"] = 85  # HTXS needs ≥ 90
    data["person_ratings"][3]["score"] = 49.99  # HT needs 50–<70

    assert refused(data) == [
        "person_ratings row 2, score: Score 85 is in band HTT, not HTXS.",
        "person_ratings row 4, score: Score 49.99 is in band KHT, not HT.",
    ]


def test_a_score_out_of_range_or_too_precise():
    data = sample()
    data["person_ratings"][1]["score"] = 101
    data["person_ratings"][3]["score"] = 55.555

    assert refused(data) == [
        "person_ratings row 2, score: 101 is greater than 100",
        "person_ratings row 4, score: 55.555 has more than two decimals",
    ]


def test_enum_values_out_of_range():
    data = sample()
    data["people"][0]["gender"] = "X"
    data["person_ratings"][0]["level"] = "TOT"
    data["units"][0]["kind"] = "ministry"

    problems = refused(data)

    assert problems[0].startswith("units row 1, kind: 'ministry' is not one of central, province")
    assert problems[1:] == [
        "people row 1, gender: 'X' is not one of M, F",
        "person_ratings row 1, level: 'TOT' is not one of HTXS, HTT, HT, KHT",
    ]


def test_required_fields_missing_and_unknown_fields():
    data = sample()
    del data["people"][2]["given_name"]
    data["awards"][0].pop("decision_number")
    data["employments"][0]["salary"] = 5

    assert refused(data) == [
        "people row 3, given_name: required field is missing",
        "employments row 1, salary: unknown field",
        "awards row 1, decision_number: required field is missing",
    ]


def test_wrong_types_are_named():
    data = sample()
    data["person_ratings"][0]["year"] = "2019"
    data["initiatives"][0]["applied"] = "yes"
    data["initiatives"][0]["authors"] = "P1"

    assert refused(data) == [
        "person_ratings row 1, year: '2019' is not a whole number",
        "initiatives row 1, applied: 'yes' is not true or false",
        "initiatives row 1, authors: 'P1' is not a list",
    ]


def test_a_unit_with_no_version():
    data = sample()
    data["unit_versions"] = [v for v in data["unit_versions"] if v["unit"] != "VN"]

    assert refused(data) == ["units row 1, code: unit 'VN' has no row in unit_versions"]


def test_overlapping_versions():
    data = sample()
    data["unit_versions"][4]["valid_from"] = "2025-01-01"  # KB-TS: first version to 1/7/2025

    assert refused(data) == [
        "unit_versions row 5, valid_from: overlaps the version 01/01/1997–01/07/2025 in row 4",
    ]


def test_a_unit_name_must_be_its_latest_version_name():
    data = sample()
    data["units"][4]["name"] = "Xã Nhật Tân"

    assert refused(data) == [
        "units row 5, name: 'Xã Nhật Tân' differs from the name of the unit's latest "
        "version, 'Phường Nhật Tân' (unit_versions row 7)",
    ]


def test_lineage_rows_of_one_event_must_agree():
    data = sample()
    data["lineage"] += [
        {"event": "M", "kind": "merge", "date": "2025-07-01", "predecessor": "KB-NT",
         "successor": "KB-TS"},
        {"event": "M", "kind": "split", "date": "2025-07-02", "predecessor": "KB",
         "successor": "KB-TS"},
    ]  # fmt: skip

    assert refused(data) == [
        "lineage row 5, kind: event 'M': 'split' disagrees with row 4 ('merge')",
        "lineage row 5, date: event 'M': 02/07/2025 disagrees with row 4 (01/07/2025)",
    ]


def test_lineage_successor_rules():
    data = sample()
    data["lineage"][0]["successor"] = "KB"  # a rename keeps the unit
    data["lineage"][1]["successor"] = "HN"  # a dissolution has no successor
    data["lineage"].append(
        {"event": "X", "kind": "merge", "date": "2025-07-01", "predecessor": "KB"}
    )

    assert refused(data) == [
        "lineage row 1, successor: in a rename event the successor is the predecessor itself",
        "lineage row 2, successor: a dissolution has no successor",
        "lineage row 4, successor: required for a merge event",
    ]


def test_an_annulled_award_needs_a_reason():
    data = sample()
    del data["awards"][2]["annulled_reason"]

    assert refused(data) == ["awards row 3, annulled_reason: required when the award is annulled"]


def test_a_pending_review_needs_exactly_one_subject():
    data = sample()
    data["pending_reviews"][0]["person"] = "P1"  # both
    del data["pending_reviews"][1]["person"]  # neither

    assert refused(data) == [
        "pending_reviews row 1, person: give exactly one of person and unit",
        "pending_reviews row 2, person: give exactly one of person and unit",
    ]


def test_an_initiative_author_listed_twice_or_unknown():
    data = sample()
    data["initiatives"][0]["authors"] = ["P1", "P1"]
    data["initiatives"].append(dict(data["initiatives"][0], code="SK2", authors=["P7"]))

    assert refused(data) == [
        "initiatives row 1, authors: 'P1' is listed twice",
        "initiatives row 2, authors: unknown person code 'P7'",
    ]


def test_the_top_level_is_checked():
    data = sample(version=2, extras=[])
    del data["format"]

    assert refused(data) == [
        "extras: unknown section; the sections are units, unit_versions, official_codes, "
        "lineage, people, employments, households, person_ratings, unit_ratings, disciplines, pending_reviews, "
        "initiatives, awards, absences",
        "format: required field is missing",
        "version: must be 1",
    ]


def test_a_row_that_is_not_an_object():
    assert refused(sample(absences=["P2"])) == [
        "absences row 1: each row must be an object, not 'P2'"
    ]


def test_a_refused_row_does_not_cascade():
    """A person row with a bad date still defines its code: its ratings are not 'unknown'."""
    data = sample()
    data["people"][0]["birth_date"] = "01/05/1980"

    assert refused(data) == [
        "people row 1, birth_date: '01/05/1980' is not a valid date (YYYY-MM-DD)",
    ]


def test_every_problem_is_reported_at_once():
    data = sample()
    data["units"][0]["kind"] = "x"
    data["people"][0]["gender"] = "x"
    data["awards"][0]["award_code"] = "x"
    data["absences"][0]["kind"] = "x"

    assert len(refused(data)) == 4


def test_codes_are_looked_up_in_a_table_much_larger_than_the_file():
    """Few codes against many rows: looked up by code (IN lists), not by a scan."""
    units = [UnitFactory() for _ in range(12)]
    people = [PersonFactory() for _ in range(12)]
    data = sample(units=[], unit_versions=[], lineage=[], people=[], person_ratings=[])
    data.update(unit_ratings=[], disciplines=[], pending_reviews=[], initiatives=[])
    data.update(awards=[], absences=[])
    data["employments"] = [
        {"person": people[3].code, "unit": units[5].code, "start": "2001-01-01"},
        {"person": "GHOST", "unit": units[5].code, "start": "2001-01-01"},
    ]

    assert refused(data) == ["employments row 2, person: unknown person code 'GHOST'"]
    del data["employments"][1]
    assert load_dataset(data, actor=SYSTEM).counts["employments"] == 1
    assert people[3].employments.get().unit == units[5]
