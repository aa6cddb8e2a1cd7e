"""An officer finds a person without typing accents and reads their record."""

import datetime
import re

import pytest
from django.utils import translation

from thidua.org.tests.factories import (
    AwardFactory,
    EmploymentFactory,
    PersonFactory,
    PersonRatingFactory,
)
from thidua.records.choices import RatingLevel

pytestmark = pytest.mark.browser


def vi(text) -> str:
    with translation.override("vi"):
        return translation.gettext(str(text))


@pytest.fixture
def people(tree):
    an = PersonFactory(code="P-AN", family_name="Nguyễn", middle_name="Văn", given_name="An")
    EmploymentFactory(person=an, unit=tree["commune"], position="Công chức văn phòng")
    PersonRatingFactory(person=an, year=2020, level=RatingLevel.HTXS, score=93)
    AwardFactory(
        person=an,
        award_code="LDTT",
        decision_number="15/QĐ-UBND",
        decision_date=datetime.date(2021, 1, 12),
        authority=tree["district"],
    )
    anh = PersonFactory(code="P-ANH", family_name="Nguyễn", middle_name="Văn", given_name="Anh")
    EmploymentFactory(person=anh, unit=tree["commune2"])
    # Matches the search too, but works in another district: must never show.
    outsider = PersonFactory(code="P-OUT", family_name="Nguyễn", middle_name="Văn", given_name="Ân")
    EmploymentFactory(person=outsider, unit=tree["other"])
    return an


def assert_accessible_basics(page):
    """Landmarks, a language, and a label for every visible form control."""
    assert page.locator("html").get_attribute("lang") in {"vi", "en"}
    assert page.locator("main").count() == 1 and page.locator("header").count() == 1
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea')]
            .filter(el => el.type !== 'hidden')
            .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
            .map(el => el.name || el.id)"""
    )
    assert unlabelled == []


def assert_styled(page, base_url):
    """The site's stylesheet is served (an unstyled page is a broken page)."""
    href = page.locator("link[rel=stylesheet]").first.get_attribute("href")
    response = page.request.get(base_url + href)
    assert response.status == 200, f"stylesheet {href} answered {response.status}"


def test_officer_finds_a_person_without_accents_and_reads_the_record(
    live_server, page, users, people, artifacts
):
    from playwright.sync_api import expect

    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/dang-nhap/"))
    assert_accessible_basics(page)
    assert_styled(page, live_server.url)
    page.locator("#id_username").fill("officer")
    page.locator("#id_password").fill("secret-pass-123")
    page.locator("form.form button[type=submit]").click()

    page.get_by_role("navigation", name=vi("Main")).get_by_role("link", name=vi("People")).click()
    expect(page).to_have_url(re.compile(r"/to-chuc/can-bo/$"))
    assert_accessible_basics(page)

    search = page.get_by_role("searchbox", name=vi("Name"), exact=True)
    search.fill("nguyen van an")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"q=nguyen\+van\+an"))

    rows = page.locator("table.list tbody th[scope=row]")
    expect(rows).to_have_text(["Nguyễn Văn An", "Nguyễn Văn Anh"])
    expect(page.locator("table.list")).not_to_contain_text("Nguyễn Văn Ân")
    page.screenshot(path=str(artifacts / "people.png"), full_page=True)

    page.get_by_role("link", name="Nguyễn Văn An", exact=True).click()
    expect(page).to_have_url(re.compile(r"/to-chuc/can-bo/P-AN/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Nguyễn Văn An")
    timeline = page.locator("ol.timeline")
    expect(timeline.locator(".entry-rating")).to_contain_text(vi(RatingLevel.HTXS.label))
    expect(timeline.locator(".entry-award")).to_contain_text("Lao động tiên tiến")
    expect(timeline.locator(".entry-award")).to_contain_text("15/QĐ-UBND")
    page.screenshot(path=str(artifacts / "person.png"), full_page=True)
