"""Scope bounded in time (docs/adr/0010-scope-bounded-in-time.md) on cases of the 2025
reform: a role on a unit covers what was beneath it *while* it was beneath it, and a
successor covers its predecessors' history up to the act.

The cases are in `thidua.org.tests.reform_cases`.
"""

import datetime

import pytest

from thidua.accounts import scope
from thidua.accounts.choices import Action, Role
from thidua.accounts.system import SYSTEM
from thidua.org import services
from thidua.org.choices import UnitKind
from thidua.org.tests.factories import PersonFactory, PersonRatingFactory, user_with_role
from thidua.org.tests.reform_cases import BEFORE, REFORM, build_hanoi, build_kim_bang, worked
from thidua.records.models import PersonRating

DAY_2020 = datetime.date(2020, 6, 1)
BEFORE_2003 = datetime.date(1997, 1, 1)
DAY_2026 = datetime.date(2026, 3, 1)


@pytest.fixture(autouse=True, params=["in-subquery", "exists"])
def people_query(request, monkeypatch):
    """`scope.people` as an IN-subquery (a scope of few units) and as a correlated EXISTS
    (a scope holding most units): the same people either way."""
    monkeypatch.setattr(scope, "DENSE_SHARE", 0.0 if request.param == "exists" else 2.0)


@pytest.fixture
def hanoi(db):
    return build_hanoi()


@pytest.fixture
def kim_bang(db):
    return build_kim_bang()


def codes(queryset):
    return set(queryset.values_list("code", flat=True))


def rated(user, person):
    """The years of `person`'s ratings `user` may see (through the API's restrict)."""
    qs = scope.restrict(PersonRating.objects.filter(person=person), user, dated_year="year")
    return sorted(qs.values_list("year", flat=True))


def rate(person, *years):
    for year in years:
        PersonRatingFactory(person=person, year=year)


# --------------------------------------------------------------------------- Hà Nội


@pytest.fixture
def hanoi_people(hanoi):
    """qt: Quán Thánh, then Phường Ba Đình; tk: Thụy Khuê, then Phường Ba Đình; yp: Yên
    Phụ, then Phường Tây Hồ; px: Phúc Xá, then Phường Hồng Hà. Each rated 2020 and 2026."""
    people = {}
    for key, first, then in (
        ("qt", "quan_thanh", "p_bd"),
        ("tk", "thuy_khue", "p_bd"),
        ("yp", "yen_phu", "p_th"),
        ("px", "phuc_xa", "p_hh"),
    ):
        people[key] = PersonFactory(code=f"HN-{key}")
        worked(people[key], hanoi[first], hanoi[then])
        rate(people[key], 2020, 2026)
    return people


def test_the_old_district_does_not_reach_a_tay_ho_ward_merged_into_a_new_ward(hanoi, hanoi_people):
    officer = user_with_role(Role.OFFICER, hanoi["q_bd"])

    assert codes(scope.units(officer)) == {"001", "00001", "00004", "00013"}
    assert codes(scope.people(officer)) == {"HN-qt", "HN-px"}  # never Thụy Khuê's staff
    # Quán Thánh's 2020 record stays visible, not what its staff did in the new ward.
    assert rated(officer, hanoi_people["qt"]) == [2020]
    assert rated(officer, hanoi_people["tk"]) == []
    assert scope.covers(officer, hanoi["quan_thanh"], on=DAY_2020)
    assert not scope.covers(officer, hanoi["p_bd"], on=DAY_2026)


def test_the_new_ward_covers_its_predecessors_history_up_to_the_act(hanoi, hanoi_people):
    officer = user_with_role(Role.OFFICER, hanoi["p_bd"])

    assert codes(scope.units(officer)) == {"01-2025-00004", "00001", "00004", "00013", "00103"}
    assert codes(scope.people(officer)) == {"HN-qt", "HN-tk", "HN-px"}
    assert rated(officer, hanoi_people["tk"]) == [2020, 2026]  # works there: the whole record
    # Phúc Xá's staff went to Hồng Hà: Ba Đình sees them up to the act only.
    assert rated(officer, hanoi_people["px"]) == [2020]
    assert rated(officer, hanoi_people["yp"]) == []
    assert scope.covers(officer, hanoi["thuy_khue"], on=DAY_2020)
    assert not scope.covers(officer, hanoi["p_th"], on=DAY_2026)


def test_the_other_old_district_keeps_its_ward_until_the_act(hanoi, hanoi_people):
    officer = user_with_role(Role.OFFICER, hanoi["q_th"])

    assert "01-2025-00004" not in codes(scope.units(officer))
    assert rated(officer, hanoi_people["tk"]) == [2020]  # not 2026, in Phường Ba Đình
    assert rated(officer, hanoi_people["yp"]) == [2020]


def test_a_split_ward_is_seen_by_each_successor_up_to_the_act_and_no_further(hanoi, hanoi_people):
    hong_ha = user_with_role(Role.OFFICER, hanoi["p_hh"])
    ba_dinh = user_with_role(Role.OFFICER, hanoi["p_bd"])
    someone_in_ba_dinh = PersonFactory(code="HN-new")
    services.start_employment(someone_in_ba_dinh, hanoi["p_bd"], REFORM, actor=SYSTEM)

    assert codes(scope.units(hong_ha)) == {"01-2025-00097", "00001"}
    assert codes(scope.people(hong_ha)) == {"HN-px"}
    assert rated(hong_ha, hanoi_people["px"]) == [2020, 2026]
    assert "HN-new" in codes(scope.people(ba_dinh))
    assert "HN-new" not in codes(scope.people(hong_ha))
    # A person of the split ward, while still there: both successors.
    assert scope.people(hong_ha, on=DAY_2020).filter(code="HN-px").exists()
    assert scope.people(ba_dinh, on=DAY_2020).filter(code="HN-px").exists()
    assert not scope.people(ba_dinh, on=DAY_2026).filter(code="HN-px").exists()


def test_the_city_sees_all_of_it(hanoi, hanoi_people):
    officer = user_with_role(Role.OFFICER, hanoi["hn"])

    assert codes(scope.people(officer)) == {"HN-qt", "HN-tk", "HN-yp", "HN-px"}
    assert rated(officer, hanoi_people["tk"]) == [2020, 2026]


def test_history_windows_follow_the_period_the_unit_was_in_scope(hanoi, hanoi_people):
    officer = user_with_role(Role.OFFICER, hanoi["q_bd"])

    assert scope.history_windows(officer, hanoi_people["qt"]) == [(BEFORE, REFORM)]
    assert scope.history_windows(officer, hanoi_people["tk"]) == []


# --------------------------------------------------------------------------- Kim Bảng


def test_kim_bang_keeps_its_communes_2020_records_not_2026_ones_of_newcomers(kim_bang):
    stayed, came = PersonFactory(code="KB-stayed"), PersonFactory(code="PL-came")
    worked(stayed, kim_bang["thanh_son"])  # employed in Thanh Sơn since 2015, still there
    worked(came, kim_bang["chau_son"], kim_bang["thanh_son"])
    rate(stayed, 2020, 2026)
    rate(came, 2020, 2026)
    officer = user_with_role(Role.OFFICER, kim_bang["kb"])

    assert codes(scope.units(officer)) == {"350", "13378", "13375"}
    assert codes(scope.people(officer)) == {"KB-stayed"}
    assert rated(officer, stayed) == [2020]  # still employed there, but no longer in scope
    assert rated(officer, came) == []
    assert scope.covers(officer, kim_bang["thanh_son"], on=DAY_2020)
    assert not scope.covers(officer, kim_bang["thanh_son"], on=DAY_2026)
    assert not scope.can(officer, Action.VIEW, kim_bang["chau_son"])


def test_the_new_ward_and_the_new_province_see_what_came_in_from_elsewhere(kim_bang):
    came = PersonFactory(code="PL-came")
    worked(came, kim_bang["chau_son"], kim_bang["thanh_son"])
    rate(came, 2020, 2026)
    ward = user_with_role(Role.OFFICER, kim_bang["thanh_son"])
    province = user_with_role(Role.OFFICER, kim_bang["nb"])

    assert codes(scope.units(ward)) == {"13378", "13375", "13306"}
    assert rated(ward, came) == [2020, 2026]
    assert {"35", "350", "347", "13306"} <= codes(scope.units(province))
    assert scope.covers(province, kim_bang["chau_son"], on=DAY_2020)


# --------------------------------------------------------------------------- a part split off

HOANG_MAI = datetime.date(2003, 11, 6)


@pytest.fixture
def hoang_mai(db):
    """Quận Hoàng Mai (Hà Nội) was formed by Decree 132/2003/NĐ-CP from communes of Huyện
    Thanh Trì and wards of Quận Hai Bà Trưng; both went on. Reduced to one piece moving
    from each (Xã Hoàng Liệt, Phường Mai Động) and one staying (Xã Tam Hiệp, Phường Bạch
    Mai)."""
    from thidua.org.tests.reform_cases import unit

    u = {"hn": unit("01", "Thành phố Hà Nội", kind=UnitKind.PROVINCE, on=BEFORE_2003)}
    u["tt"] = unit("020", "Huyện Thanh Trì", u["hn"], UnitKind.DISTRICT, on=BEFORE_2003)
    u["hbt"] = unit("007", "Quận Hai Bà Trưng", u["hn"], UnitKind.DISTRICT, on=BEFORE_2003)
    u["hoang_liet"] = unit("TT-HL", "Xã Hoàng Liệt", u["tt"], on=BEFORE_2003)
    u["tam_hiep"] = unit("TT-TH", "Xã Tam Hiệp", u["tt"], on=BEFORE_2003)
    u["mai_dong"] = unit("HBT-MD", "Phường Mai Động", u["hbt"], on=BEFORE_2003)
    u["bach_mai"] = unit("HBT-BM", "Phường Bạch Mai", u["hbt"], on=BEFORE_2003)
    u["hm"] = unit("008", "Quận Hoàng Mai", u["hn"], UnitKind.DISTRICT, on=HOANG_MAI)
    for moved in ("hoang_liet", "mai_dong"):
        services.change_unit(u[moved], HOANG_MAI, parent=u["hm"], actor=SYSTEM)
    for giver in ("tt", "hbt"):
        services.split_unit(
            u[giver], [u[giver], u["hm"]], HOANG_MAI, decision="132/2003/NĐ-CP", actor=SYSTEM
        )
    people = {}
    for key in ("hoang_liet", "tam_hiep", "mai_dong", "bach_mai"):
        people[key] = PersonFactory(code=f"HM-{key}")
        services.start_employment(people[key], u[key], BEFORE_2003, actor=SYSTEM)
        rate(people[key], 2002, 2005)
    return u, people


def test_a_district_formed_from_parts_sees_the_parts_it_received_not_the_givers(hoang_mai):
    u, people = hoang_mai
    officer = user_with_role(Role.OFFICER, u["hm"])

    # Before the fix it saw all of Thanh Trì and Hai Bà Trưng up to the act.
    assert codes(scope.units(officer)) == {"008", "TT-HL", "HBT-MD"}
    assert codes(scope.people(officer)) == {"HM-hoang_liet", "HM-mai_dong"}
    assert rated(officer, people["hoang_liet"]) == [2002, 2005]  # the part's history too
    assert rated(officer, people["tam_hiep"]) == []
    assert rated(officer, people["bach_mai"]) == []
    assert not scope.covers(officer, u["tt"], on=datetime.date(2002, 6, 1))
    assert scope.covers(officer, u["hoang_liet"], on=datetime.date(2002, 6, 1))


def test_the_districts_that_gave_a_part_keep_it_up_to_the_act(hoang_mai):
    u, people = hoang_mai
    officer = user_with_role(Role.OFFICER, u["tt"])

    assert rated(officer, people["hoang_liet"]) == [2002]
    assert rated(officer, people["tam_hiep"]) == [2002, 2005]
    assert not scope.covers(officer, u["hoang_liet"], on=datetime.date(2005, 6, 1))


def test_scoped_queries_do_not_grow_with_the_units(
    kim_bang, hanoi, hanoi_people, django_assert_max_num_queries
):
    officer = user_with_role(Role.OFFICER, hanoi["hn"])
    scope.coverage_for(officer)  # roles and the graph: three queries, cached on the user
    with django_assert_max_num_queries(2):
        assert len(scope.people(officer)) == 4
        assert len(scope.restrict(PersonRating.objects.all(), officer, dated_year="year")) == 8
