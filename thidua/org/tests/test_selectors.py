"""Read-side queries: the tree as of a date, lineage, member years, current employment."""

import datetime

import pytest

from thidua.accounts.system import SYSTEM
from thidua.org import selectors, services
from thidua.org.tests.factories import (
    EmploymentFactory,
    PersonFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def names(nodes):
    return [n.name for n in nodes]


def test_tree_nests_children_in_vietnamese_order(tree):
    roots = selectors.tree_as_of(D(2020, 1, 1), None)
    assert names(roots) == ["Tỉnh Hà Nam"]
    assert names(roots[0].children) == ["Huyện Kim Bảng", "Huyện Thanh Liêm"]
    assert names(roots[0].children[0].children) == ["Xã Nhật Tân", "Xã Thanh Sơn"]


def test_tree_limited_to_given_units_starts_at_the_highest_visible(tree):
    ids = {tree["district"].pk, tree["commune"].pk}
    roots = selectors.tree_as_of(D(2020, 1, 1), ids)
    assert names(roots) == ["Huyện Kim Bảng"]
    assert names(roots[0].children) == ["Xã Thanh Sơn"]
    assert selectors.tree_as_of(D(2020, 1, 1), frozenset()) == []


def test_tree_follows_dissolution_rename_and_reparent(tree):
    services.dissolve_unit(tree["commune2"], D(2021, 1, 1), actor=SYSTEM)
    services.rename_unit(tree["commune"], "Phường Thanh Sơn", D(2022, 1, 1), actor=SYSTEM)
    services.reparent_unit(tree["commune"], tree["other"], D(2023, 1, 1), actor=SYSTEM)

    def communes(day):
        district, other = selectors.tree_as_of(day, None)[0].children
        return names(district.children), names(other.children)

    assert communes(D(2020, 12, 31)) == (["Xã Nhật Tân", "Xã Thanh Sơn"], [])
    assert communes(D(2021, 1, 1)) == (["Xã Thanh Sơn"], [])
    assert communes(D(2022, 6, 1)) == (["Phường Thanh Sơn"], [])
    assert communes(D(2023, 1, 1)) == ([], ["Phường Thanh Sơn"])


def test_tree_before_a_unit_is_established(tree):
    UnitFactory(name="Xã Mới", parent=tree["district"], established_on=D(2025, 7, 1))
    assert selectors.tree_size(selectors.tree_as_of(D(2025, 6, 30), None)) == 5
    assert selectors.tree_size(selectors.tree_as_of(D(2025, 7, 1), None)) == 6


def test_parent_chain_and_children_as_of(tree):
    chain = selectors.parent_chain(tree["commune"], D(2020, 1, 1))
    assert [v.unit for v in chain] == [tree["province"], tree["district"]]
    services.reparent_unit(tree["commune"], tree["other"], D(2023, 1, 1), actor=SYSTEM)
    chain = selectors.parent_chain(tree["commune"], D(2023, 1, 1))
    assert [v.unit for v in chain] == [tree["province"], tree["other"]]
    assert [v.unit for v in selectors.children_as_of(tree["district"], D(2023, 1, 1))] == [
        tree["commune2"]
    ]


def test_lineage_of_a_merge_seen_from_both_sides(tree):
    a, b = tree["commune"], tree["commune2"]
    c = UnitFactory(
        code="NEW", name="Xã Mới", parent=tree["district"], established_on=D(2025, 7, 1)
    )
    services.merge_units([a, b], c, D(2025, 7, 1), decision="1686/NQ", actor=SYSTEM)
    (item,) = selectors.unit_lineage(c)
    assert item.role == "successor"
    assert set(item.predecessors) == {a, b} and item.successors == [c]
    assert item.event.decision == "1686/NQ"
    (item,) = selectors.unit_lineage(a)
    assert item.role == "predecessor" and item.successors == [c]
    services.rename_unit(c, "Phường Mới", D(2026, 1, 1), actor=SYSTEM)
    items = selectors.unit_lineage(c)
    assert [i.role for i in items] == ["successor", "self"]


def test_member_years_run_from_the_first_employment_to_today(tree):
    EmploymentFactory(unit=tree["commune"], start=D(2018, 5, 1))
    years = selectors.member_years(tree["commune"], D(2021, 3, 1))
    assert years == [2021, 2020, 2019, 2018]
    assert selectors.member_years(tree["commune2"], D(2021, 3, 1)) == [2021]


def test_current_employment_is_the_one_in_force_else_the_latest(tree):
    person = PersonFactory()
    EmploymentFactory(person=person, unit=tree["commune"], start=D(2010, 1, 1), end=D(2015, 1, 1))
    EmploymentFactory(person=person, unit=tree["commune2"], start=D(2015, 1, 1), end=D(2020, 1, 1))
    never = PersonFactory()
    people = [person, never]
    selectors.attach_current_employment(people, D(2012, 1, 1))
    assert person.current_employment.unit == tree["commune"]
    assert never.current_employment is None
    selectors.attach_current_employment(people, D(2024, 1, 1))
    assert person.current_employment.unit == tree["commune2"]  # retired: the last one


@pytest.mark.parametrize(
    ("raw", "shown"),
    [("035090001234", "••••••••1234"), ("1234", "••••"), (None, ""), ("", "")],
)
def test_citizen_id_is_masked(raw, shown):
    assert selectors.mask_citizen_id(raw) == shown
