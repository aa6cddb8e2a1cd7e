"""The unit tree and the people list at national size: the tree opens level by level (a
link without JavaScript, htmx with it), finds units by name without accents, as of a day;
the people list's unit filter covers the subtree and the lineage as of the chosen day.
Query counts do not grow with the units (the figures are in
benchmarks/bench_unit_tree.py)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from thidua.accounts.choices import Role
from thidua.accounts.system import SYSTEM
from thidua.org import services, views
from thidua.org.tests.factories import PersonFactory, UnitFactory, UserFactory, user_with_role
from thidua.org.tests.reform_cases import REFORM, build_hanoi, build_kim_bang, worked


@pytest.fixture
def country(db):
    return {**build_hanoi(), **build_kim_bang()}


@pytest.fixture
def admin(client, country):
    client.force_login(UserFactory(is_superuser=True))
    return client


@pytest.fixture
def lazy(monkeypatch):
    """Every tree is "large": the page shows the top level only."""
    monkeypatch.setattr(views, "EAGER_LIMIT", 0)


def tree_page(client, **params):
    return client.get(reverse("org:unit_tree"), params).content.decode()


def test_a_large_tree_shows_its_top_level_and_opens_a_unit_by_link(admin, lazy):
    page = tree_page(admin, ngay="2025-06-30")
    assert "Thành phố Hà Nội" in page and "Tỉnh Hà Nam" in page
    assert "Quận Ba Đình" not in page  # beneath: not loaded
    assert "/to-chuc/don-vi/?ngay=2025-06-30&amp;mo=01#u-01" in page  # works without JS

    opened = tree_page(admin, ngay="2025-06-30", mo="00013")  # a ward: its path opens
    assert "Quận Ba Đình" in opened and "Phường Quán Thánh" in opened
    assert "Quận Tây Hồ" in opened and "Phường Yên Phụ" not in opened
    assert "Huyện Kim Bảng" not in opened


def test_htmx_opens_one_unit_in_place(admin, country, lazy):
    url = reverse("org:unit_children", args=["001"])
    fragment = admin.get(url, {"ngay": "2025-06-30"}).content.decode()
    assert fragment.startswith("<li") and 'id="u-001"' in fragment
    assert "Phường Trúc Bạch" in fragment and "Phường Thụy Khuê" not in fragment
    # After the reform the district has nothing beneath it (and is gone).
    assert admin.get(url, {"ngay": "2025-07-01"}).status_code == 404


def test_the_tree_as_of_a_day_follows_the_reform(admin, lazy):
    after = tree_page(admin, ngay="2025-07-01", mo="01")
    assert "Phường Ba Đình" in after and "Quận Ba Đình" not in after
    assert "Tỉnh Hà Nam" not in tree_page(admin, ngay="2025-07-01")


def test_search_by_name_without_accents(admin):
    page = tree_page(admin, q="quan thanh", ngay="2025-06-30")
    assert "Phường Quán Thánh" in page and "Quận Ba Đình" in page  # its parent then
    assert "mo=00013" in page  # a link to it in the tree
    assert "Phường Quán Thánh" not in tree_page(admin, q="quan thanh", ngay="2026-01-01")


def test_an_officer_sees_only_their_part_and_cannot_open_another(client, country, lazy):
    client.force_login(user_with_role(Role.OFFICER, country["q_bd"]))
    page = tree_page(client, ngay="2025-06-30")
    assert "Quận Ba Đình" in page and "Thành phố Hà Nội" not in page
    url = reverse("org:unit_children", args=["003"])
    assert client.get(url, {"ngay": "2025-06-30"}).status_code == 404
    assert "Phường Thụy Khuê" not in tree_page(client, q="thuy khue", ngay="2025-06-30")
    # After the reform its wards are elsewhere: nothing to show.
    assert "Phường Ba Đình" not in tree_page(client, ngay="2026-01-01")


def test_tree_queries_do_not_grow_with_the_units(admin, country, lazy):
    def count(**params):
        with CaptureQueriesContext(connection) as ctx:
            admin.get(reverse("org:unit_tree"), params)
        return len(ctx.captured_queries)

    before = [count(), count(mo="00013"), count(q="phuong")]
    for n in range(20):
        ward = UnitFactory(code=f"X{n}", name=f"Phường Thử {n}", parent=country["q_bd"])
        UnitFactory(code=f"X{n}-T", name=f"Tổ dân phố {n}", parent=ward)
    assert [count(), count(mo="00013"), count(q="phuong")] == before


# --------------------------------------------------------------------------- people list


def people_page(client, **params):
    return client.get(reverse("org:person_list"), params).content.decode()


@pytest.fixture
def staff(country):
    """Staff of the Kim Bảng communes and of Phủ Lý, moved to the new ward on 1/7/2025."""
    people = {}
    for code, given, first, then in (
        ("KB-1", "Thanh", "thanh_son", None),
        ("KB-2", "Thi", "thi_son", "thanh_son"),
        ("PL-1", "Châu", "chau_son", "thanh_son"),
    ):
        people[code] = PersonFactory(code=code, given_name=given, middle_name="Văn")
        worked(people[code], country[first], country[then] if then else None)
    late = PersonFactory(code="NB-1", given_name="Mới", middle_name="Văn")
    services.start_employment(late, country["thanh_son"], REFORM, actor=SYSTEM)
    return people


def test_filtering_by_a_province_finds_the_people_of_its_communes(admin, staff):
    assert "Nguyễn Văn Thanh" in people_page(admin, unit="35", ngay="2020-06-01")
    assert "Nguyễn Văn Châu" in people_page(admin, unit="35", ngay="2020-06-01")
    assert "Nguyễn Văn Mới" not in people_page(admin, unit="35")  # came after Hà Nam ended
    # The new province: its people today, and by lineage the old province's in 2020.
    today = people_page(admin, unit="37", ngay="2026-01-01")
    assert all(n in today for n in ("Nguyễn Văn Thanh", "Nguyễn Văn Châu", "Nguyễn Văn Mới"))
    assert "Nguyễn Văn Châu" in people_page(admin, unit="37", ngay="2020-06-01")


def test_filtering_by_the_old_district_stops_at_the_reform(admin, staff):
    in_2020 = people_page(admin, unit="350", ngay="2020-06-01")
    assert "Nguyễn Văn Thanh" in in_2020 and "Nguyễn Văn Thi" in in_2020
    assert "Nguyễn Văn Châu" not in in_2020  # Phủ Lý's
    assert "Nguyễn Văn Thanh" not in people_page(admin, unit="350", ngay="2026-01-01")
    ever = people_page(admin, unit="350")
    assert "Nguyễn Văn Thanh" in ever and "Nguyễn Văn Châu" not in ever


def test_the_people_filter_stays_within_the_users_scope(client, country, staff):
    client.force_login(user_with_role(Role.OFFICER, country["kb"]))
    page = people_page(client, unit="37", ngay="2026-01-01")
    assert "Nguyễn Văn Mới" not in page and "Nguyễn Văn Châu" not in page


def test_people_list_queries_do_not_grow_with_the_units(admin, country, staff):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            admin.get(reverse("org:person_list"), {"unit": "37", "ngay": "2026-01-01"})
        return len(ctx.captured_queries)

    before = count()
    for n in range(20):
        ward = UnitFactory(code=f"W{n}", parent=country["nb"], established_on=REFORM)
        services.start_employment(PersonFactory(), ward, REFORM, actor=SYSTEM)
    assert count() == before


def test_the_day_may_be_typed_dd_mm_yyyy(admin, staff):
    assert "Nguyễn Văn Thanh" in people_page(admin, unit="350", ngay="01/06/2020")


@pytest.mark.django_db(transaction=True)
def test_pages_outside_a_transaction_reuse_the_graph_until_the_tree_changes(
    django_assert_num_queries,
):
    """Committed data, as on a real server: the second read costs only the fingerprint,
    and a change made since (a merge) is seen at once."""
    from thidua.org import tree

    country = build_kim_bang()
    tree.time_graph()
    with django_assert_num_queries(2):  # the fingerprint only
        graph = tree.time_graph()
    assert tree.coverage(graph, [country["kb"].pk]).units == {
        country["kb"].pk,
        country["thanh_son"].pk,
        country["thi_son"].pk,
    }
    newcomer = UnitFactory(
        code="NEW", parent=country["nb"], established_on=datetime.date(2016, 1, 1)
    )
    services.merge_units([newcomer], country["thi_son"], datetime.date(2025, 6, 1), actor=SYSTEM)
    assert newcomer.pk in tree.coverage(tree.time_graph(), [country["kb"].pk]).units


def test_a_unit_that_left_the_scope_is_shown_as_it_stood_on_its_last_day_in_it(
    client, country, staff
):
    client.force_login(user_with_role(Role.OFFICER, country["kb"]))
    url = reverse("org:unit_detail", args=["13378"])  # Thanh Sơn, now a ward of Ninh Bình
    form = client.get(url).context["form"]
    assert form.default_day == datetime.date(2025, 6, 30)
    assert 2026 not in dict(form.fields["nam"].choices) and 2020 in dict(form.fields["nam"].choices)
    assert client.get(url, {"nam": "2026"}).context["year"] == 2025
