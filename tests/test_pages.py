"""Pages a user can trust: error pages that say why in Vietnamese (JSON under /api/),
menus that show only what the role can use, and Vietnamese whatever the browser says."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from thidua import errors

pytestmark = pytest.mark.django_db


def test_an_unknown_address_gets_the_vietnamese_404_page(client, users):
    client.force_login(users["officer"])

    response = client.get("/khong-co-trang-nay/", headers={"Accept-Language": "en"})

    assert response.status_code == 404
    text = response.content.decode()
    assert "Không tìm thấy trang" in text and "/khong-co-trang-nay/" in text
    assert '<html lang="vi">' in text


def test_a_refused_page_gets_the_vietnamese_403_page_with_its_reason(client, users):
    client.force_login(users["viewer"])

    response = client.post(reverse("interchange:upload"))

    assert response.status_code == 403
    text = response.content.decode()
    assert "Không có quyền truy cập" in text
    assert "Chỉ cán bộ thi đua mới được nhập dữ liệu." in text


def test_the_500_page_is_vietnamese_and_stands_alone():
    response = errors.server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert "Lỗi máy chủ" in response.content.decode()


def test_the_400_page_is_vietnamese():
    request = RequestFactory().get("/")
    request.user = None

    response = errors.bad_request(request)

    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_the_api_keeps_answering_json(client, users):
    client.force_login(users["officer"])

    response = client.get("/api/khong-co")

    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}


def menu_links(client):
    text = client.get(reverse("home")).content.decode()
    nav = text[text.index('class="mainnav"') : text.index("</nav>")]
    return nav


def test_a_viewer_has_no_api_item(client, users):
    client.force_login(users["viewer"])

    nav = menu_links(client)

    assert "/api/docs" not in nav
    assert reverse("interchange:home") in nav


def test_an_officer_has_the_api_and_data_items(client, users):
    client.force_login(users["officer"])

    nav = menu_links(client)

    assert "/api/docs" in nav and reverse("interchange:home") in nav


def test_a_user_without_a_role_has_neither(client, users):
    client.force_login(users["no_role"])

    nav = menu_links(client)

    assert "/api/docs" not in nav and reverse("interchange:home") not in nav


def test_the_portal_is_vietnamese_whatever_the_browser_says(client, db):
    response = client.get(reverse("portal:news_list"), headers={"Accept-Language": "en-US,en"})

    assert '<html lang="vi">' in response.content.decode()


def test_the_portal_follows_the_language_the_visitor_chose(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/tin-tuc/"})

    response = client.get(reverse("portal:news_list"), headers={"Accept-Language": "vi"})

    assert '<html lang="en">' in response.content.decode()


def test_the_api_still_follows_accept_language(client, users):
    client.force_login(users["officer"])

    response = client.get("/api/khong-co", headers={"Accept-Language": "en"})

    assert response.json() == {"detail": "Not found."}


def test_an_expired_form_gets_a_vietnamese_page_that_says_why(users):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["officer"])

    response = client.post(reverse("interchange:upload"))

    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.content.decode()
