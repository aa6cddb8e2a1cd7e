"""One code per conferring authority, one standard: the Bằng khen of a minister, of a
central body and of the provincial chairman are judged alike, and a criterion that asks
for "a Bằng khen of the ministry or province" accepts any of them (an award group)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from thidua.rules.catalog import get_catalog, get_groups
from thidua.rules.definitions import get_definitions
from thidua.rules.engine import run
from thidua.rules.tests.factories import make_person, make_unit

# Law Điều 73(1)(b): a Bằng khen of the ministry or province, then five consecutive years
# rated HTT or better with three CSTĐCS (the 2022 Law's rule sets; 2025 → Decree 152/2025).
RATINGS = dict.fromkeys(range(2020, 2026), "HTT")
CSTDCS = [("CSTDCS", 2021), ("CSTDCS", 2022), ("CSTDCS", 2023)]


def _route_b(person, lang="en"):
    with translation.override(lang):
        (result,) = run(2025, people=[person], award_codes=["BK_TTG"]).results
        route = next(c for c in result.criteria if c.id == "route")
        option = next(o for o in route.alternatives if o.id == "b")
        return option.outcome, option.explanation


@pytest.mark.django_db
@pytest.mark.parametrize("earlier", ["BK_BO", "BK_BAN_NGANH", "BK_TINH"])
def test_a_bang_khen_of_any_ministry_central_body_or_province_opens_the_window(earlier):
    person = make_person(make_unit(), {"ratings": RATINGS, "awards": [(earlier, 2019), *CSTDCS]})

    status, explanation = _route_b(person, "vi")

    assert status == "met"
    assert get_catalog()[earlier].name_vi in explanation  # the one held, by its name


@pytest.mark.django_db
def test_a_bang_khen_of_a_military_region_is_not_one_of_them():
    person = make_person(make_unit(), {"ratings": RATINGS, "awards": [("BK_QK", 2019), *CSTDCS]})

    status, explanation = _route_b(person)

    assert status == "not_met"
    assert get_groups()["BK_BO_TINH"].name_en in explanation


@pytest.mark.django_db
def test_the_bang_khen_of_a_minister_is_judged_by_the_provincial_criteria():
    person = make_person(
        make_unit(), {"ratings": {2024: "HTT", 2025: "HTT"}, "awards": [("CSTDCS", 2024)]}
    )
    verdicts = {
        r.award_code: (r.verdict, [c.outcome for c in r.criteria])
        for r in run(
            2025, people=[person], award_codes=["BK_TINH", "BK_BO", "BK_BAN_NGANH"]
        ).results
    }

    assert verdicts["BK_BO"] == verdicts["BK_TINH"] == verdicts["BK_BAN_NGANH"]
    awards = get_definitions().awards
    assert awards["GK_XA"].rules == awards["GK"].rules


def test_a_group_must_name_catalog_awards(tmp_path):
    path = tmp_path / "groups.toml"
    path.write_text('[X]\nname_vi = "X"\nname_en = "X"\nawards = ["BK_TINH", "NO_SUCH"]\n')

    with pytest.raises(ImproperlyConfigured, match="NO_SUCH"):
        get_groups(path)
    path.write_text('[BK_TINH]\nname_vi = "X"\nname_en = "X"\nawards = ["BK_BO", "GK"]\n')
    with pytest.raises(ImproperlyConfigured, match="BK_TINH"):
        get_groups(path)
