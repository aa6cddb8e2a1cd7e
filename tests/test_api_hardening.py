"""Requests an attacker or a fuzzer sends: out-of-range years and page numbers answer
4xx, never 500; every operation documents its error answers; the feed escapes HTML."""

import html
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from thidua.accounts.choices import Role
from thidua.org.tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_client(client, users):
    client.force_login(users["officer"])
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/api/plans/units/KB/figures/0",
        "/api/plans/units/KB/figures/1",
        "/api/reports/summary/KB/0",
        "/api/reports/summary/KB-TL/1",
        "/api/emulation/blocks/0/X",
        "/api/emulation/blocks/99999999999999999999999/X/ranking",
        "/api/emulation/blocks/-1/X/covenant",
        "/api/plans/assignments?year=99999999999999999999999",
    ],
)
def test_years_out_of_range_answer_422(api_client, url):
    response = api_client.get(url)
    assert response.status_code == 422, response.content


@pytest.mark.parametrize(
    "path",
    [
        "/api/org/units",
        "/api/org/people",
        "/api/records/awards",
        "/api/emulation/blocks",
        "/api/plans/assignments",
    ],
)
@pytest.mark.parametrize("page", [2**64, 2**63, 10**30])
def test_page_numbers_beyond_64_bits_answer_422(api_client, path, page):
    response = api_client.get(path, {"page": page})
    assert response.status_code == 422, response.content


def test_every_operation_documents_its_error_answers(client):
    schema = client.get("/api/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert "401" in codes and {"200", "201"} & codes, (method, path)
            if method in {"post", "put", "patch", "delete"}:
                assert {"400", "403", "404", "422"} <= codes, (method, path)
            if operation.get("parameters"):
                assert {"404", "422"} <= codes, (method, path)


def test_drafting_from_the_summary_of_a_year_out_of_range_is_404(client, tree):
    client.force_login(user_with_role(Role.OFFICER, tree["district"]))
    for year in (9999, 0, 1):
        url = reverse("portal:draft_from_summary", args=["KB", year])
        assert client.get(url).status_code == 404


def test_the_feed_escapes_html_once_for_readers(client, tree, users):
    from thidua.portal import services

    lead = '<img src=x onerror="alert(1)"> Kim Bảng & co'
    article = services.draft_article(
        unit=tree["district"],
        title="Tin",
        lead=lead,
        body="Nội dung",
        photo_caption="",
        credit="Đài",
        source="",
        actor=users["officer"],
    )
    services.publish_article(article, actor=users["officer"])

    feed = ET.fromstring(client.get(reverse("portal:feed")).content)
    (description,) = [item.findtext("description") for item in feed.iter("item")]
    # What a reader renders as HTML shows the lead as typed: no element, no double escape.
    assert "<img" not in description
    assert html.unescape(description) == lead
    assert description == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; Kim Bảng &amp; co"


def test_an_eligibility_dossier_date_no_rule_set_covers_answers_422(api_client):
    """Found by the fuzz benchmark: `as_of` in year 221 was a 500."""
    response = api_client.get(
        "/api/rules/eligibility", {"year": 2020, "as_of": "0221-05-21", "verdict": "eligible"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "as_of"]
