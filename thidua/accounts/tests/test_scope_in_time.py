"""Scope bounded in time (docs/adr/0010-scope-bounded-in-time.md) on cases of the 2025
reform: a role on a unit covers what was beneath it *while* it was beneath it, and a
successor covers its predecessors' history up to the act.

The units are built with the org services. Names and official codes (in comments) are
those of the catalog as of 30/06/2025; the composition of the new wards is reduced to the
pieces each case needs (Resolution 1656/NQ-UBTVQH15 for Hà Nội, 1674/NQ-UBTVQH15 for Ninh
Bình).
"""

import datetime

import pytest

from thidua.accounts import scope
from thidua.accounts.choices import Action, Role
from thidua.accounts.system import SYSTEM
from thidua.org import services
from thidua.org.choices import UnitKind
from thidua.org.tests.factories import PersonFactory, PersonRatingFactory, user_with_role
from thidua.records.models import PersonRating

REFORM = datetime.date(2025, 7, 1)
BEFORE = datetime.date(2015, 1, 1)
DAY_2020 = datetime.date(2020, 6, 1)
DAY_2026 = datetime.date(2026, 3, 1)
D = UnitKind.DISTRICT
C = UnitKind.COMMUNE


def unit(code, name, parent=None, kind=C, on=BEFORE):
    return services.create_unit(
        code=code, kind=kind, name=name, parent=parent, established_on=on, actor=SYSTEM
    )


def worked(person, first, then=None):
    """`person` worked in `first` from 2015, and from the reform in `then` (if given)."""
    employment = services.start_employment(person, first, BEFORE, actor=SYSTEM)
    if then is not None:
        services.transfer_person(person, then, REFORM, actor=SYSTEM)
    return employment


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
def hanoi(db):
    """Quận Ba Đình (001) and Quận Tây Hồ (003) before 1/7/2025, then the new wards:
    Phường Ba Đình takes Trúc Bạch (00004) and Quán Thánh (00013) whole, and pieces of
    Phúc Xá (00001, Ba Đình) and Thụy Khuê (00103, Tây Hồ); Phường Tây Hồ takes Yên Phụ
    (00097) and the rest of Thụy Khuê; Phường Hồng Hà the rest of Phúc Xá (a split ward)."""
    u = {"hn": unit("01", "Thành phố Hà Nội", kind=UnitKind.PROVINCE)}
    u["q_bd"] = unit("001", "Quận Ba Đình", u["hn"], D)
    u["q_th"] = unit("003", "Quận Tây Hồ", u["hn"], D)
    u["phuc_xa"] = unit("00001", "Phường Phúc Xá", u["q_bd"])
    u["truc_bach"] = unit("00004", "Phường Trúc Bạch", u["q_bd"])
    u["quan_thanh"] = unit("00013", "Phường Quán Thánh", u["q_bd"])
    u["yen_phu"] = unit("00097", "Phường Yên Phụ", u["q_th"])
    u["thuy_khue"] = unit("00103", "Phường Thụy Khuê", u["q_th"])
    # The new wards carry a predecessor's official code, not its identity.
    u["p_bd"] = unit("01-2025-00004", "Phường Ba Đình", u["hn"], on=REFORM)
    u["p_th"] = unit("01-2025-00091", "Phường Tây Hồ", u["hn"], on=REFORM)
    u["p_hh"] = unit("01-2025-00097", "Phường Hồng Hà", u["hn"], on=REFORM)
    act = "1656/NQ-UBTVQH15"
    services.split_unit(u["phuc_xa"], [u["p_bd"], u["p_hh"]], REFORM, decision=act, actor=SYSTEM)
    services.split_unit(u["thuy_khue"], [u["p_bd"], u["p_th"]], REFORM, decision=act, actor=SYSTEM)
    services.merge_units(
        [u["truc_bach"], u["quan_thanh"]], u["p_bd"], REFORM, decision=act, actor=SYSTEM
    )
    services.merge_units([u["yen_phu"]], u["p_th"], REFORM, decision=act, actor=SYSTEM)
    for district in (u["q_bd"], u["q_th"]):
        services.dissolve_unit(district, REFORM, decision=act, actor=SYSTEM)
    return u


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


@pytest.fixture
def kim_bang(db):
    """Hà Nam (35) merged into Ninh Bình (37) on 1/7/2025; Huyện Kim Bảng (350) and Thành
    phố Phủ Lý (347) abolished. Xã Thanh Sơn (13378) continues as the new ward, under
    Ninh Bình, absorbing Xã Thi Sơn (13375, Kim Bảng) and Phường Châu Sơn (13306, Phủ Lý,
    merged in from elsewhere)."""
    u = {"nb": unit("37", "Tỉnh Ninh Bình", kind=UnitKind.PROVINCE)}
    u["hna"] = unit("35", "Tỉnh Hà Nam", kind=UnitKind.PROVINCE)
    u["kb"] = unit("350", "Huyện Kim Bảng", u["hna"], D)
    u["pl"] = unit("347", "Thành phố Phủ Lý", u["hna"], D)
    u["thanh_son"] = unit("13378", "Xã Thanh Sơn", u["kb"])
    u["thi_son"] = unit("13375", "Xã Thi Sơn", u["kb"])
    u["chau_son"] = unit("13306", "Phường Châu Sơn", u["pl"])
    act = "1674/NQ-UBTVQH15"
    services.change_unit(
        u["thanh_son"], REFORM, name="Phường Lý Thường Kiệt", parent=u["nb"], actor=SYSTEM
    )
    services.merge_units(
        [u["thanh_son"], u["thi_son"], u["chau_son"]],
        u["thanh_son"],
        REFORM,
        decision=act,
        actor=SYSTEM,
    )
    for district in (u["kb"], u["pl"]):
        services.dissolve_unit(district, REFORM, decision=act, actor=SYSTEM)
    services.merge_units([u["hna"], u["nb"]], u["nb"], REFORM, decision=act, actor=SYSTEM)
    return u


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


def test_scoped_queries_do_not_grow_with_the_units(
    kim_bang, hanoi, hanoi_people, django_assert_max_num_queries
):
    officer = user_with_role(Role.OFFICER, hanoi["hn"])
    scope.coverage_for(officer)  # roles and the graph: three queries, cached on the user
    with django_assert_max_num_queries(2):
        assert len(scope.people(officer)) == 4
        assert len(scope.restrict(PersonRating.objects.all(), officer, dated_year="year")) == 8
