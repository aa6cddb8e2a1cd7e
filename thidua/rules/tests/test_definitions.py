"""The law as data: the files load, and a malformed one stops the start naming the file,
the line and the criterion."""

import datetime
import shutil

import pytest
from django.core.exceptions import ImproperlyConfigured

from thidua.rules import parameters
from thidua.rules.catalog import DATA_DIR
from thidua.rules.definitions import RULE_SETS_FILE, get_definitions
from thidua.rules.primitives import CHECK_FUNCTIONS

GOOD = """
[[rules]]
rule_sets = ["98_2023"]
subject = "individual"

  [[rules.criteria]]
  id = "rating"
  check = "rating_at_least"
  level = "HTT"
"""


def test_every_file_loads_and_every_check_is_implemented():
    definitions = get_definitions()
    assert {"LDTT", "CSTDCS", "HCDL_1", "HCDL_2", "HCDL_3", "BK_TINH"} <= definitions.awards.keys()
    assert "household" in definitions.awards["BK_TINH"].entry.subjects
    assert set(CHECK_FUNCTIONS) | {"any_of", "all_of"} == set(
        __import__("thidua.rules.definitions", fromlist=["CHECKS"]).CHECKS
    )


def test_every_annual_title_has_criteria_in_every_encoded_rule_set():
    definitions = get_definitions()
    for award in definitions.awards.values():
        if not award.annual:
            continue
        for subject in award.entry.subjects:
            for rule_set in ("2017", "98_2023", "152_2025"):
                assert award.criteria(rule_set, subject), (award.code, rule_set, subject)


@pytest.mark.parametrize(
    ("day", "rule_set"),
    [
        ("2017-09-30", "pre_2017"),
        ("2020-12-10", "2017"),
        ("2023-12-31", "2017"),
        ("2024-01-01", "98_2023"),
        ("2025-06-30", "98_2023"),
        ("2025-07-01", "152_2025"),
        ("2026-09-30", "152_2025"),
        ("2026-10-01", "2026_amendment"),
    ],
)
def test_the_rule_set_in_force_on_a_day(day, rule_set):
    assert get_definitions().rule_set_on(datetime.date.fromisoformat(day)).id == rule_set


def test_the_commune_chairman_takes_over_the_district_chairmans_powers_on_1_july_2025():
    ldtt = get_definitions().awards["LDTT"]
    before = ldtt.authority_on(datetime.date(2025, 6, 30)).value
    after = ldtt.authority_on(datetime.date(2025, 7, 1)).value
    assert "district_chairman" in before and "commune_chairman" not in before
    assert "commune_chairman" in after and "district_chairman" not in after


@pytest.fixture
def awards_dir(tmp_path):
    target = tmp_path / "awards"
    shutil.copytree(DATA_DIR, target)
    return target


def _break(awards_dir, code, old, new):
    path = awards_dir / f"{code}.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("code", "old", "new", "message"),
    [
        ("LDTT", 'check = "rating_at_least"', 'check = "rating_atleast"', "unknown check"),
        ("LDTT", 'level = "HTT"', 'level = "GOOD"', "parameter 'level'"),
        ("LDTT", 'level = "HTT"', 'level = "HTT"\n  colour = "red"', "unknown parameters"),
        ("CSTDCS", 'award = "LDTT"', 'award = "NOPE"', "not an award code"),
        ("LDTT", 'rule_sets = ["2017"]', 'rule_sets = ["1999"]', "known rule sets"),
        ("BK_TTG", '"@bk_ttg_collective_min_ttldxs"', '"@nope"', "unknown deployment parameter"),
        ("CSTD_TINH", "years = 3", "years = -3", "whole number"),
        ("TTLDTT", "min_share = 0.7", "min_share = 7", "share between 0 and 1"),
        (
            "LDTT",
            'Nghị định 90/2020"\n  confidence = "V2"',
            'Nghị định 90/2020"\n  confidence = "x"',
            "criterion 'rating': confidence",
        ),
        ("CSTDCS", 'check = "meets_award"', 'check = "share_of_members"', "does not apply"),
    ],
)
def test_a_malformed_file_fails_loudly_with_file_line_and_criterion(
    awards_dir, code, old, new, message
):
    path = _break(awards_dir, code, old, new)
    with pytest.raises(ImproperlyConfigured) as error:
        get_definitions(awards_dir, RULE_SETS_FILE)
    text = str(error.value)
    assert str(path) in text and message in text
    assert "criterion" in text or "rules" in text or "rule sets" in text


def test_the_line_of_the_bad_criterion_is_named(awards_dir):
    path = _break(awards_dir, "LDTT", 'check = "attest"', 'check = "atest"')
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if 'id = "conduct"' in text)
    with pytest.raises(ImproperlyConfigured, match=rf"LDTT.toml:{line}: .*'conduct'"):
        get_definitions(awards_dir, RULE_SETS_FILE)


def test_a_toml_syntax_error_names_the_line(awards_dir):
    _break(awards_dir, "LDTT", 'level = "HTT"', 'level = "HTT')
    with pytest.raises(ImproperlyConfigured, match=r"LDTT.toml.*line"):
        get_definitions(awards_dir, RULE_SETS_FILE)


def test_rule_sets_must_cover_every_date(tmp_path):
    broken = tmp_path / "rule_sets.toml"
    text = RULE_SETS_FILE.read_text(encoding="utf-8").replace(
        'valid_from = "2024-01-01"', 'valid_from = "2024-02-01"'
    )
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(ImproperlyConfigured, match="gap or overlap"):
        get_definitions(DATA_DIR, broken)


def test_a_criteria_block_for_a_rule_set_that_is_not_encoded_is_refused(awards_dir):
    _break(awards_dir, "LDTT", 'rule_sets = ["2017"]', 'rule_sets = ["2026_amendment"]')
    with pytest.raises(ImproperlyConfigured, match="not encoded"):
        get_definitions(awards_dir, RULE_SETS_FILE)


def test_deployment_parameters_are_validated():
    assert parameters.resolve({})["collective_history_across_merger"] == "not_carried"
    assert parameters.resolve({"cstdcs_quota_share": "none"})["cstdcs_quota_share"] is None
    assert parameters.resolve({"dossier_month_day": "12-31"})["dossier_month_day"] == (12, 31)
    with pytest.raises(ImproperlyConfigured, match="unknown parameters"):
        parameters.resolve({"colour": 1})
    with pytest.raises(ImproperlyConfigured, match="window_first_year"):
        parameters.resolve({"window_first_year": "sometimes"})
    with pytest.raises(ImproperlyConfigured, match="registration_required"):
        parameters.resolve({"registration_required": "yes"})


def test_parameters_come_from_the_setting(settings):
    settings.THIDUA_RULE_PARAMETERS = {"collective_history_across_merger": "carried"}
    assert parameters.resolve()["collective_history_across_merger"] == "carried"
    settings.THIDUA_RULE_PARAMETERS = {"member_min_months": -1}
    with pytest.raises(ImproperlyConfigured, match="THIDUA_RULE_PARAMETERS"):
        parameters.resolve()
