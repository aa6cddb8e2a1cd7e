"""The JSON Schema and the fast row converters compiled from it agree, and the schema's value
lists are the models' choices."""

import copy

import pytest
from jsonschema import Draft202012Validator

from thidua.interchange.dataset.schema import Invalid, document, sections
from thidua.interchange.tests.test_dataset_households import HOUSEHOLDS
from thidua.interchange.tests.test_dataset_load import sample
from thidua.org.choices import Gender, LineageKind, UnitKind
from thidua.records.choices import (
    AbsenceKind,
    AwardStatus,
    CommendationType,
    DisciplineMeasure,
    RatingLevel,
    ReviewKind,
    Scope,
    WorkKind,
)


def test_the_schema_is_a_valid_draft_2020_12_schema():
    Draft202012Validator.check_schema(document())


def test_the_sample_is_valid_against_the_schema():
    validator = Draft202012Validator(document(), format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert list(validator.iter_errors(sample())) == []


@pytest.mark.parametrize(
    ("section", "field", "choices"),
    [
        ("units", "kind", UnitKind),
        ("lineage", "kind", LineageKind),
        ("people", "gender", Gender),
        ("person_ratings", "level", RatingLevel),
        ("unit_ratings", "level", RatingLevel),
        ("disciplines", "measure", DisciplineMeasure),
        ("pending_reviews", "kind", ReviewKind),
        ("initiatives", "kind", WorkKind),
        ("initiatives", "scope", Scope),
        ("awards", "commendation_type", CommendationType),
        ("awards", "status", AwardStatus),
        ("absences", "kind", AbsenceKind),
    ],
)
def test_value_lists_are_the_model_choices(section, field, choices):
    assert sections()[section].field(field).choices == tuple(choices.values)


_BAD_VALUES = [
    None,
    "",
    " ",
    "x" * 600,
    "A B",
    "2020-02-31",
    "31/12/2020",
    "20200101",
    -1,
    101,
    2200,
    1.5,
    12.345,
    True,
    [],
    ["A B"],
    {"a": 1},
]


OFFICIAL_CODES = [
    {"unit": "KB", "official_code": "350", "valid_from": "2008-08-01", "valid_to": "2025-07-01"}
]


def _mutations():
    """(section, row) pairs: each sample row with one field set to a bad value, removed, or
    an unknown field added."""
    data = sample(households=HOUSEHOLDS, official_codes=OFFICIAL_CODES)
    for name, spec in sections().items():
        for base in data[name]:
            yield name, base
            for field in spec.field_names:
                for value in _BAD_VALUES:
                    yield name, {**base, field: value}
                yield name, {k: v for k, v in base.items() if k != field}
            yield name, {**base, "unknown": 1}
        yield name, []
        yield name, "row"


def _validator(section):
    return sections()[section].validator


@pytest.mark.parametrize("section", list(sections()))
def test_the_converter_accepts_exactly_what_the_schema_accepts(section):
    checked = 0
    for name, row in _mutations():
        if name != section:
            continue
        spec = sections()[name]
        try:
            spec.convert(copy.deepcopy(row), 1)
            accepted = True
        except Invalid:
            accepted = False
        schema_ok = _validator(name).is_valid(row)
        # Sound: never accept what the schema refuses. The only rows refused beyond the
        # schema are scores with more than two decimals.
        assert accepted <= schema_ok, (name, row)
        if schema_ok and not accepted:
            assert row.get("score") == 12.345, (name, row)
        checked += 1
    assert checked > 50
