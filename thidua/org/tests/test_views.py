"""The organisation pages as a user meets them: who may see what, search, order, the
person's record, the tree as of a date, and query budgets."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from thidua.accounts.system import SYSTEM
from thidua.org import services
from thidua.org.choices import UnitKind
from thidua.org.tests.factories import (
    AwardFactory,
    EmploymentFactory,
    PersonFactory,
    PersonRatingFactory,
    UnitFactory,
    UnitRatingFactory,
)
from thidua.records.choices import AwardStatus, RatingLevel

pytestmark = pytest.mark.django_db


def vi(text) -> str:
    """A source string as the (default) Vietnamese page shows it, translated or not."""
    with translation.override("vi"):
        return translation.gettext(str(text))


def names_in_order(html: str) -> list[str]:
    """Person names in the order the list shows them (row headers link to the person)."""
    return re.findall(r'<th scope="row"><a href="/to-chuc/can-bo/[^"]+/">([^<]+)</a>', html)


@pytest.fixture
def an(tree):
    """Nguyễn Văn An, working in a commune of the district."""
    person = PersonFactory(
        code="P-AN",
        family_name="Nguyễn",
        middle_name="Văn",
        given_name="An",
        citizen_id="035090001234",
    )
    EmploymentFactory(person=person, unit=tree["commune"], position="Công chức văn phòng")
    return person


@pytest.fixture
def outsider(tree):
    person = PersonFactory(code="P-OUT", family_name="Lê", middle_name="Thị", given_name="Hoa")
    EmploymentFactory(person=person, unit=tree["other"], position="Chuyên viên")
    return person


# --------------------------------------------------------------------------- permissions

PAGES = ["unit_tree", "person_list", "unit_detail", "person_detail"]


def url_for(page, tree, an):
    if page == "unit_detail":
        return reverse("org:unit_detail", args=[tree["commune"].code])
    if page == "person_detail":
        return reverse("org:person_detail", args=[an.code])
    return reverse(f"org:{page}")


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_is_sent_to_login(client, tree, an, page):
    url = url_for(page, tree, an)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["no_role", "other_unit"])
def test_outsiders_get_404_for_the_districts_unit_and_person(client, users, tree, an, who):
    client.force_login(users[who])
    for page in ("unit_detail", "person_detail"):
        assert client.get(url_for(page, tree, an)).status_code == 404
    # The same answer as for a code that does not exist: nothing leaks.
    assert client.get(reverse("org:person_detail", args=["NO-SUCH"])).status_code == 404


@pytest.mark.parametrize("who", ["no_role", "other_unit"])
def test_outsiders_lists_do_not_show_the_district(client, users, tree, an, who):
    client.force_login(users[who])
    tree_page = client.get(reverse("org:unit_tree")).content.decode()
    people_page = client.get(reverse("org:person_list")).content.decode()
    assert "Huyện Kim Bảng" not in tree_page
    assert "Xã Thanh Sơn" not in tree_page
    assert names_in_order(people_page) == []
    search = client.get(reverse("org:person_list"), {"q": "nguyen van an"}).content.decode()
    assert names_in_order(search) == []


def test_other_units_officer_sees_their_own_district(client, users, tree, outsider):
    client.force_login(users["other_unit"])
    assert "Huyện Thanh Liêm" in client.get(reverse("org:unit_tree")).content.decode()
    people_page = client.get(reverse("org:person_list")).content.decode()
    assert names_in_order(people_page) == ["Lê Thị Hoa"]
    assert client.get(reverse("org:person_detail", args=[outsider.code])).status_code == 200


@pytest.mark.parametrize("who", ["officer", "viewer"])
def test_role_on_the_district_sees_its_units_and_people(client, users, tree, an, outsider, who):
    client.force_login(users[who])
    tree_page = client.get(reverse("org:unit_tree")).content.decode()
    assert "Huyện Kim Bảng" in tree_page and "Xã Thanh Sơn" in tree_page
    assert "Huyện Thanh Liêm" not in tree_page
    assert "Tỉnh Hà Nam" not in tree_page  # above the role: not part of the scope

    people_page = client.get(reverse("org:person_list")).content.decode()
    assert names_in_order(people_page) == ["Nguyễn Văn An"]

    unit_page = client.get(url_for("unit_detail", tree, an))
    assert unit_page.status_code == 200
    assert "Xã Thanh Sơn" in unit_page.content.decode()
    person_page = client.get(url_for("person_detail", tree, an))
    assert person_page.status_code == 200
    assert "Nguyễn Văn An" in person_page.content.decode()
    assert client.get(reverse("org:person_detail", args=[outsider.code])).status_code == 404
    assert client.get(reverse("org:unit_detail", args=["TL"])).status_code == 404


def test_no_role_user_is_told_to_ask_for_one(client, users):
    client.force_login(users["no_role"])
    page = client.get(reverse("home")).content.decode()
    assert vi("You have no role on any unit yet. Ask an administrator to give you one.") in page


# --------------------------------------------------------------------------- people list


def test_search_ignores_diacritics_and_case(client, users, tree, an):
    other = PersonFactory(family_name="Trần", middle_name="Minh", given_name="Đức")
    EmploymentFactory(person=other, unit=tree["commune2"])
    client.force_login(users["officer"])
    for q in ("nguyen van an", "Nguyen Van An", "Nguyễn Văn An", "NGUYEN an"):
        page = client.get(reverse("org:person_list"), {"q": q}).content.decode()
        assert names_in_order(page) == ["Nguyễn Văn An"], q
    page = client.get(reverse("org:person_list"), {"q": "duc"}).content.decode()
    assert names_in_order(page) == ["Trần Minh Đức"]
    page = client.get(reverse("org:person_list"), {"q": "hoang"}).content.decode()
    assert names_in_order(page) == []


def test_people_are_in_vietnamese_order(client, users, tree):
    for given in ["Đức", "Bình", "Ánh", "Dũng", "Anh", "An"]:
        EmploymentFactory(
            person=PersonFactory(family_name="Nguyễn", middle_name="Văn", given_name=given),
            unit=tree["commune"],
        )
    client.force_login(users["officer"])
    page = client.get(reverse("org:person_list")).content.decode()
    assert names_in_order(page) == [
        "Nguyễn Văn An",
        "Nguyễn Văn Anh",
        "Nguyễn Văn Ánh",
        "Nguyễn Văn Bình",
        "Nguyễn Văn Dũng",
        "Nguyễn Văn Đức",
    ]


def test_given_name_orders_before_family_name(client, users, tree):
    for family, given in [("Anh", "Bình"), ("Trần", "An")]:
        EmploymentFactory(
            person=PersonFactory(family_name=family, middle_name="", given_name=given),
            unit=tree["commune"],
        )
    client.force_login(users["officer"])
    page = client.get(reverse("org:person_list")).content.decode()
    assert names_in_order(page) == ["Trần An", "Anh Bình"]


def test_list_shows_current_unit_and_position(client, users, tree, an):
    services.transfer_person(
        an, tree["commune2"], datetime.date(2022, 3, 1), position="Phó Chủ tịch", actor=SYSTEM
    )
    client.force_login(users["officer"])
    page = client.get(reverse("org:person_list")).content.decode()
    row = page[page.index('<th scope="row"><a href="/to-chuc/can-bo/P-AN/">') :].split("</tr>")[0]
    assert "Xã Nhật Tân" in row and "Phó Chủ tịch" in row
    assert "Xã Thanh Sơn" not in row


def test_unit_filter(client, users, tree, an):
    other = PersonFactory(family_name="Trần", middle_name="Minh", given_name="Đức")
    EmploymentFactory(person=other, unit=tree["commune2"])
    client.force_login(users["officer"])
    page = client.get(reverse("org:person_list"), {"unit": "KB-NK"}).content.decode()
    assert names_in_order(page) == ["Trần Minh Đức"]


def test_pagination_keeps_the_search(client, users, tree, settings):
    settings.PAGE_SIZE = 2
    for given in ["An", "Bình", "Cường", "Dũng", "Giang"]:
        EmploymentFactory(
            person=PersonFactory(family_name="Nguyễn", middle_name="Văn", given_name=given),
            unit=tree["commune"],
        )
    client.force_login(users["officer"])
    first = client.get(reverse("org:person_list"), {"q": "nguyen"}).content.decode()
    assert names_in_order(first) == ["Nguyễn Văn An", "Nguyễn Văn Bình"]
    assert "?q=nguyen&amp;page=2" in first
    third = client.get(reverse("org:person_list"), {"q": "nguyen", "page": 3}).content.decode()
    assert names_in_order(third) == ["Nguyễn Văn Giang"]
    # A page past the end shows the last one rather than an error.
    beyond = client.get(reverse("org:person_list"), {"q": "nguyen", "page": 99})
    assert names_in_order(beyond.content.decode()) == ["Nguyễn Văn Giang"]


def test_a_long_list_is_counted_up_to_a_limit(client, users, tree, settings, monkeypatch):
    """Past the limit the list says "more than" and pages through the first rows only (a
    province's 100,000 people are not counted on every page); below it, exactly."""
    from thidua.org import paging

    monkeypatch.setattr(paging, "COUNT_LIMIT", 4)
    settings.PAGE_SIZE = 2
    for given in ["An", "Bình", "Cường", "Dũng", "Giang"]:
        EmploymentFactory(
            person=PersonFactory(family_name="Nguyễn", middle_name="Văn", given_name=given),
            unit=tree["commune"],
        )
    client.force_login(users["officer"])

    first = client.get(reverse("org:person_list"), {"q": "nguyen"}).content.decode()
    last = client.get(reverse("org:person_list"), {"q": "nguyen", "page": 9}).content.decode()
    few = client.get(reverse("org:person_list"), {"q": "nguyen van an"}).content.decode()

    assert "Tìm thấy hơn 4 người" in first  # more than 4 people found
    assert "Trang 1/2" in first
    assert names_in_order(last) == ["Nguyễn Văn Cường", "Nguyễn Văn Dũng"]
    assert "Tìm thấy 1 người." in few


def _people_in_commune(tree, count):
    for _ in range(count):
        person = PersonFactory()
        EmploymentFactory(person=person, unit=tree["commune"], start=datetime.date(2015, 1, 1))
        services.transfer_person(person, tree["commune2"], datetime.date(2020, 1, 1), actor=SYSTEM)


@pytest.mark.parametrize("rows", [5, 50])
def test_people_list_query_count_does_not_grow_with_rows(
    client, users, tree, rows, django_assert_max_num_queries, settings
):
    settings.PAGE_SIZE = 50
    _people_in_commune(tree, rows)
    client.force_login(users["officer"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("org:person_list"), {"q": "nguyen"})
    assert len(names_in_order(response.content.decode())) == rows


def test_people_list_same_number_of_queries_at_5_and_50_rows(client, users, tree):
    client.force_login(users["officer"])
    counts = []
    for new_people in (5, 45):
        _people_in_commune(tree, new_people)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("org:person_list"))
        counts.append(len(ctx.captured_queries))
    assert len(names_in_order(response.content.decode())) == 50
    assert counts[0] == counts[1]


# --------------------------------------------------------------------------- person page


def test_timeline_shows_transfer_rating_and_award(client, users, tree, an):
    services.transfer_person(
        an, tree["commune2"], datetime.date(2019, 7, 1), position="Phó Chủ tịch", actor=SYSTEM
    )
    PersonRatingFactory(person=an, year=2020, level=RatingLevel.HTXS, score=92)
    AwardFactory(
        person=an,
        award_code="CSTDCS",
        decision_number="15/QĐ-UBND",
        decision_date=datetime.date(2021, 1, 12),
        authority=tree["district"],
    )
    client.force_login(users["officer"])
    page = client.get(reverse("org:person_detail", args=[an.code])).content.decode()

    assert "035090001234" not in page and "1234" in page  # citizen id partly masked
    timeline = page[page.index('class="timeline"') :]
    # Newest year first.
    assert timeline.index(">2020<") < timeline.index(">2019<") < timeline.index(">2010<")
    assert vi(RatingLevel.HTXS.label) in timeline
    assert "92" in timeline
    assert "Chiến sĩ thi đua cơ sở" in timeline  # the catalog's Vietnamese name
    assert "15/QĐ-UBND" in timeline and "12/01/2021" in timeline and "Huyện Kim Bảng" in timeline
    year_2019 = timeline[timeline.index(">2019<") : timeline.index(">2010<")]
    assert vi("Transfer") in year_2019
    assert "Xã Thanh Sơn" in year_2019 and "Xã Nhật Tân" in year_2019
    assert "01/07/2019" in year_2019


def test_annulled_award_is_struck_through_with_reason(client, users, tree, an):
    AwardFactory(
        person=an,
        authority=tree["district"],
        status=AwardStatus.ANNULLED,
        annulled_reason="Khai man thành tích",
    )
    client.force_login(users["officer"])
    page = client.get(reverse("org:person_detail", args=[an.code])).content.decode()
    assert re.search(r"<del><strong>Lao động tiên tiến</strong></del>", page)
    assert "Khai man thành tích" in page


def test_person_page_queries_do_not_grow_with_the_record(client, users, tree, an):
    PersonRatingFactory(person=an, year=2010)
    AwardFactory(person=an, authority=tree["district"])
    client.force_login(users["officer"])
    url = reverse("org:person_detail", args=[an.code])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for year in range(2011, 2021):
        PersonRatingFactory(person=an, year=year)
        AwardFactory(person=an, authority=UnitFactory(kind=UnitKind.DISTRICT))
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


# --------------------------------------------------------------------------- tree and units


@pytest.fixture
def merged(tree):
    """Two communes merged into a new one on 01/07/2025."""
    a = UnitFactory(code="KB-A", name="Xã Ba Sao", parent=tree["district"])
    b = UnitFactory(code="KB-B", name="Xã Khả Phong", parent=tree["district"])
    c = UnitFactory(
        code="KB-C",
        name="Xã Tam Chúc",
        parent=tree["district"],
        established_on=datetime.date(2025, 7, 1),
    )
    services.merge_units(
        [a, b], c, datetime.date(2025, 7, 1), decision="1686/NQ-UBTVQH15", actor=SYSTEM
    )
    return a, b, c


def test_tree_before_and_after_a_merge(client, users, tree, merged):
    client.force_login(users["officer"])
    before = client.get(reverse("org:unit_tree"), {"ngay": "2025-06-30"}).content.decode()
    after = client.get(reverse("org:unit_tree"), {"ngay": "2025-07-01"}).content.decode()
    assert "Xã Ba Sao" in before and "Xã Khả Phong" in before and "Xã Tam Chúc" not in before
    assert "Xã Ba Sao" not in after and "Xã Khả Phong" not in after and "Xã Tam Chúc" in after
    assert "30/06/2025" in before  # the chosen day, dd/mm/yyyy


def test_tree_shows_names_as_they_were(client, users, tree):
    services.rename_unit(
        tree["commune"], "Phường Thanh Sơn", datetime.date(2024, 1, 1), actor=SYSTEM
    )
    client.force_login(users["officer"])
    old = client.get(reverse("org:unit_tree"), {"ngay": "2023-12-31"}).content.decode()
    new = client.get(reverse("org:unit_tree"), {"ngay": "2024-01-01"}).content.decode()
    assert ">Xã Thanh Sơn</a>" in old
    assert ">Phường Thanh Sơn</a>" in new and ">Xã Thanh Sơn</a>" not in new


def test_tree_with_a_bad_date_says_so_and_shows_today(client, users, tree):
    client.force_login(users["officer"])
    response = client.get(reverse("org:unit_tree"), {"ngay": "31/02/2020x"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="field-error"' in page
    assert "Huyện Kim Bảng" in page


def test_tree_query_count_does_not_grow_with_units(client, users, tree):
    client.force_login(users["officer"])
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("org:unit_tree"))
    for _ in range(30):
        UnitFactory(parent=tree["commune"])
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("org:unit_tree"))
    assert len(large.captured_queries) == len(small.captured_queries)
    assert response.content.decode().count("Xã Thử Nghiệm") == 30


def test_unit_page_shows_lineage_both_ways(client, users, tree, merged):
    a, b, c = merged
    client.force_login(users["officer"])
    successor = client.get(reverse("org:unit_detail", args=[c.code])).content.decode()
    assert vi("Merge") in successor
    assert (
        'href="/to-chuc/don-vi/KB-A/"' in successor and 'href="/to-chuc/don-vi/KB-B/"' in successor
    )
    assert "01/07/2025" in successor and "1686/NQ-UBTVQH15" in successor
    predecessor = client.get(reverse("org:unit_detail", args=[a.code])).content.decode()
    assert 'href="/to-chuc/don-vi/KB-C/"' in predecessor
    assert "01/07/2025" in predecessor


def test_unit_page_members_per_year_with_their_rating(client, users, tree, an):
    PersonRatingFactory(person=an, year=2020, level=RatingLevel.HTT)
    left = PersonFactory(family_name="Phạm", middle_name="Thu", given_name="Trang")
    EmploymentFactory(
        person=left,
        unit=tree["commune"],
        start=datetime.date(2012, 1, 1),
        end=datetime.date(2016, 1, 1),
    )
    client.force_login(users["officer"])
    url = reverse("org:unit_detail", args=[tree["commune"].code])
    y2020 = client.get(url, {"nam": 2020}).content.decode()
    members = y2020[y2020.index('id="h-members"') :]
    assert "Nguyễn Văn An" in members and "Phạm Thu Trang" not in members
    assert "Công chức văn phòng" in members and vi(RatingLevel.HTT.label) in members
    y2015 = client.get(url, {"nam": 2015}).content.decode()
    members = y2015[y2015.index('id="h-members"') :]
    assert "Nguyễn Văn An" in members and "Phạm Thu Trang" in members


def test_unit_page_children_history_ratings_and_awards(client, users, tree):
    UnitRatingFactory(unit=tree["district"], year=2020, level=RatingLevel.HTXS)
    AwardFactory(
        person=None, unit=tree["district"], award_code="CO_TD_TINH", authority=tree["province"]
    )
    services.rename_unit(
        tree["commune"], "Phường Thanh Sơn", datetime.date(2024, 1, 1), actor=SYSTEM
    )
    client.force_login(users["officer"])
    url = reverse("org:unit_detail", args=[tree["district"].code])
    page = client.get(url, {"ngay": "2023-06-01"}).content.decode()
    assert "Xã Thanh Sơn" in page and "Xã Nhật Tân" in page  # children as of the date
    assert "Tỉnh Hà Nam" in page  # parent chain (a name, not a link: out of scope)
    assert 'href="/to-chuc/don-vi/HN/"' not in page
    assert vi(RatingLevel.HTXS.label) in page
    assert "Cờ thi đua" in page
    commune = client.get(reverse("org:unit_detail", args=["KB-TL"])).content.decode()
    history = commune[commune.index('id="h-versions"') :]
    assert "Xã Thanh Sơn" in history and "Phường Thanh Sơn" in history and "01/01/2024" in history


# --------------------------------------------------------------------------- language


def test_language_switch_to_english(client, users, an):
    client.force_login(users["officer"])
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("org:person_list")}
    )
    assert response.status_code == 302
    page = client.get(reverse("org:person_list")).content.decode()
    assert '<html lang="en">' in page
    assert "Current unit" in page


# --------------------------------------------------------------------------- login


def test_login_form_leads_to_the_page_asked_for(client, users):
    people = reverse("org:person_list")
    page = client.get(reverse("login"), {"next": people}).content.decode()
    assert '<label for="id_username">' in page and '<label for="id_password">' in page
    response = client.post(
        reverse("login"), {"username": "officer", "password": "secret-pass-123", "next": people}
    )
    assert response.status_code == 302 and response["Location"] == people


def test_login_with_a_wrong_password_says_so(client, users):
    response = client.post(reverse("login"), {"username": "officer", "password": "wrong"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_dissolved_unit_page_shows_it_as_on_its_last_day(client, users, tree):
    UnitFactory(code="KB-TL-1", name="Thôn Một", parent=tree["commune"])
    services.merge_units(
        [tree["commune"]], tree["commune2"], datetime.date(2025, 7, 1), actor=SYSTEM
    )
    client.force_login(users["officer"])
    page = client.get(reverse("org:unit_detail", args=["KB-TL"])).content.decode()
    assert 'value="2025-06-30"' in page
    assert "Thôn Một" in page[page.index('id="h-children"') :]
    assert '<option value="2025" selected>' in page


def test_the_unit_page_offers_the_years_the_unit_was_rated_without_staff(client, users, tree):
    """A district whose people all work in its communes is still rated; its page offers
    those years (the records panel's first year), and shows the rating of the one asked."""
    district = tree["district"]
    EmploymentFactory(unit=district, start=datetime.date(2019, 3, 1))
    UnitRatingFactory(unit=district, year=2016, level=RatingLevel.HTXS)
    client.force_login(users["officer"])

    page = client.get(reverse("org:unit_detail", args=[district.code]), {"nam": 2016})

    assert page.status_code == 200
    html = page.content.decode()
    assert '<option value="2016" selected>' in html
    assert '<option value="2015"' not in html
    assert vi("Ratings by year") in html and vi(RatingLevel.HTXS.label) in html
