"""The officer's year, typed in the browser: hire a person, rate the unit's year through
the grid (one cell refused with its reason), see a person's eligibility change with
readable reasons, record a decision from above with three recipients, then read the award
on the person's page. axe finds no serious or critical
violation on the entry pages."""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import translation

from thidua.org.tests.factories import EmploymentFactory, PersonFactory
from thidua.records.models import Award, PersonRating

pytestmark = pytest.mark.browser

YEAR = 2025


def vi(text, **params) -> str:
    with translation.override("vi"):
        return translation.gettext(text) % params if params else translation.gettext(text)


def assert_no_serious_violations(page, name):
    violations = Axe().run(page).response["violations"]
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], f"{name}: {serious}"


@pytest.fixture
def staff(tree):
    """Two people of the commune, employed for years."""
    people = []
    for code, given in (("P-BINH", "Bình"), ("P-CHI", "Chi")):
        person = PersonFactory(code=code, family_name="Trần", middle_name="Thị", given_name=given)
        EmploymentFactory(person=person, unit=tree["commune"], start=datetime.date(2015, 1, 1))
        people.append(person)
    return people


def login(page, base_url):
    page.goto(base_url + "/dang-nhap/")
    page.locator("#id_username").fill("officer")
    page.locator("#id_password").fill("secret-pass-123")
    page.locator("form.form button[type=submit]").click()


def test_officer_enters_the_year(live_server, page, users, tree, staff, artifacts):
    from playwright.sync_api import expect

    login(page, live_server.url)

    # 1. Hire a person: a new person and their first employment on one page.
    page.goto(live_server.url + "/to-chuc/can-bo/")
    page.get_by_role("link", name=vi("Add a person")).first.click()
    assert_no_serious_violations(page, "add person")
    page.screenshot(path=str(artifacts / "add-person.png"), full_page=True)
    page.locator("#id_p-family_name").fill("Lê")
    page.locator("#id_p-middle_name").fill("Thị")
    page.locator("#id_p-given_name").fill("Hoa")
    page.locator("#id_p-birth_date").fill("05/04/1990")
    page.locator("#id_p-gender").select_option("F")
    page.locator("#id_e-unit").select_option(label=tree["commune"].name)
    page.locator("#id_e-position").fill("Công chức văn hoá")
    page.locator("#id_e-start").fill("01/02/2025")
    add = translation.override("vi")(translation.pgettext)("button that adds a new person", "Add")
    page.get_by_role("button", name=add, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lê Thị Hoa")
    hoa_url = page.url

    # 2. Rate the commune's year 2025 through the grid.
    page.goto(f"{live_server.url}/to-chuc/don-vi/{tree['commune'].code}/?nam={YEAR}")
    page.get_by_role("link", name=vi("Enter ratings %(year)s", year=YEAR)).click()
    expect(page).to_have_url(re.compile(rf"/ho-so/xep-loai/{tree['commune'].code}/{YEAR}/$"))
    grid = page.locator("table.grid-table")
    expect(grid.locator("tbody tr")).to_have_count(4)  # the unit and three people
    assert_no_serious_violations(page, "ratings grid")

    # Before the grid: Bình's eligibility says what is missing, as the action to take.
    binh_url = f"{live_server.url}/to-chuc/can-bo/P-BINH/?nam={YEAR}"
    enter_rating = vi("Enter the rating for %(year)s.", year=YEAR)
    page.goto(binh_url)
    expect(page.locator('[data-award="LDTT"] .actions-list')).to_contain_text(enter_rating)
    page.goto(f"{live_server.url}/ho-so/xep-loai/{tree['commune'].code}/{YEAR}/")

    page.get_by_role("button", name=vi("Rate everyone not yet rated")).click()
    expect(page.locator(".messages")).to_contain_text("4")
    hoa_row = grid.locator("tr", has_text="Lê Thị Hoa")
    expect(hoa_row.locator("select")).to_have_value("HTT")

    # Adjust: Bình excellent with a score in band, by keyboard; Chi's score out of band.
    binh = grid.locator("tr", has_text="Trần Thị Bình")
    binh.locator("select").select_option("HTXS")
    expect(binh.locator(".saved")).to_be_visible()
    score = page.locator("#score-P-BINH")
    score.click()
    score.fill("93")
    score.press("Enter")  # saves and moves down to the next row's score
    expect(page.locator("#row-P-BINH .saved")).to_be_visible()
    expect(page.locator("#score-P-CHI")).to_be_focused()
    page.keyboard.type("95")
    page.keyboard.press("ArrowUp")  # leaving the cell saves it
    chi = page.locator("#row-P-CHI")
    refusal = vi(
        "Score %(score)s is in band %(band)s, not %(level)s.", score=95, band="HTXS", level="HTT"
    )
    expect(chi.locator(".field-error")).to_have_text(refusal)
    expect(page.locator("#score-P-CHI")).to_have_attribute("aria-invalid", "true")
    page.screenshot(path=str(artifacts / "ratings-grid.png"), full_page=True)
    levels = dict(PersonRating.objects.filter(year=YEAR).values_list("person__code", "level"))
    assert levels["P-BINH"] == "HTXS" and levels["P-CHI"] == "HTT"
    assert PersonRating.objects.get(person__code="P-BINH", year=YEAR).score == 93
    assert PersonRating.objects.get(person__code="P-CHI", year=YEAR).score is None

    # The eligibility changed with the rating, and reads as sentences, not codes.
    page.goto(binh_url)
    ldtt = page.locator('[data-award="LDTT"]')
    expect(ldtt).to_contain_text("Lao động tiên tiến")
    expect(ldtt).not_to_contain_text(enter_rating)
    expect(ldtt).not_to_contain_text("LDTT")
    expect(ldtt.locator(".verdict-status")).not_to_be_empty()

    # 3. A decision from above with three recipients, picked by searching names.
    page.goto(live_server.url + "/ho-so/khen-thuong/moi/")
    page.locator("#id_decision_number").fill("45/QĐ-UBND")
    page.locator("#id_decision_date").fill("20/01/2026")
    page.locator("#id_authority").select_option(label=tree["province"].name)
    page.locator("#id_signer").fill("Phạm Văn Tâm")
    page.locator("#id_award_code").select_option("BK_TINH")
    page.locator("#id_period_start").fill("01/01/2025")
    page.locator("#id_period_end").fill("31/12/2025")
    search = page.locator("#id_q")
    for query, name in (("le thi hoa", "Lê Thị Hoa"), ("binh", "Trần Thị Bình")):
        search.fill(query)
        page.get_by_role("button", name=vi("Search")).click()
        page.locator("ul.results label", has_text=name).locator("input").check()
    search.fill("thanh son")
    page.get_by_role("button", name=vi("Search")).click()
    page.locator("ul.results label", has_text=tree["commune"].name).locator("input").check()
    expect(page.locator("ul.chosen input:checked")).to_have_count(2)
    assert_no_serious_violations(page, "decision from above")
    page.screenshot(path=str(artifacts / "award-decision.png"), full_page=True)
    page.get_by_role("button", name=vi("Save the decision")).click()
    expect(page.locator(".messages")).to_contain_text(vi("Decision recorded with its recipients."))
    assert Award.objects.filter(decision_number="45/QĐ-UBND").count() == 3

    # 4. The person's page shows the award by its name.
    page.goto(hoa_url)
    award = page.locator("ol.timeline .entry-award")
    expect(award).to_contain_text("Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh")
    expect(award).to_contain_text("45/QĐ-UBND")
    page.screenshot(path=str(artifacts / "person-award.png"), full_page=True)
