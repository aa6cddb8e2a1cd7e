"""An officer rates a district's year from a spreadsheet: downloads the template prefilled
with the district's people, uploads it with a bad row, reads the problem (sheet, row, column,
in Vietnamese), fixes it, uploads again and confirms. A viewer sees no import and is refused
on its address with the Vietnamese 403 page."""

import re

import pytest
from django.utils import translation
from openpyxl import load_workbook

from thidua.accounts import home
from thidua.interchange.dataset.guide import FIELD_HELP
from thidua.org.tests.factories import EmploymentFactory, PersonFactory
from thidua.records.models import PersonRating

pytestmark = pytest.mark.browser


def vi(text) -> str:
    with translation.override("vi"):
        return translation.gettext(str(text))


@pytest.fixture
def staff(tree):
    EmploymentFactory(
        person=PersonFactory(code="KB-1", family_name="Lê", middle_name="Thị", given_name="Hoa"),
        unit=tree["commune"],
    )
    EmploymentFactory(
        person=PersonFactory(code="KB-2", family_name="Trần", middle_name="Văn", given_name="Nam"),
        unit=tree["commune2"],
    )
    EmploymentFactory(person=PersonFactory(code="TL-1"), unit=tree["other"])


def log_in(page, base_url, username):
    page.goto(base_url + "/dang-nhap/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("secret-pass-123")
    page.locator("form.form button[type=submit]").click()


def fill(path, levels):
    """Type the levels into the downloaded template, by person code; returns their rows."""
    workbook = load_workbook(path)
    sheet, rows = workbook["person_ratings"], {}
    for row in sheet.iter_rows(min_row=2):
        if row[0].value in levels:
            row[2].value = levels[row[0].value]
            rows[row[0].value] = row[0].row
    workbook.save(path)
    return rows


def upload(page, path):
    page.locator("#import-file").set_input_files(str(path))
    page.get_by_role("button", name=vi("Check the file")).click()


def test_officer_imports_a_year_of_ratings_from_the_template(
    live_server, page, users, staff, tmp_path, settings
):
    from playwright.sync_api import expect

    settings.THIDUA_IMPORT_DIR = tmp_path / "imports"
    year = home.working_year()
    log_in(page, live_server.url, "officer")
    page.get_by_role("navigation", name=vi("Main")).get_by_role("link", name=vi("Data")).click()
    expect(page).to_have_url(re.compile(r"/du-lieu/$"))
    expect(page.locator("#tpl-unit")).to_have_value("KB")  # the officer's own unit
    expect(page.locator("#tpl-year")).to_have_value(str(year))

    with page.expect_download() as download:
        page.get_by_role("button", name=vi("Download the prefilled template (XLSX)")).click()
    path = tmp_path / "xep-loai.xlsx"
    download.value.save_as(path)
    rows = fill(path, {"KB-1": "HTT", "KB-2": "TOT"})
    assert set(rows) == {"KB-1", "KB-2"}  # the district's people, not the other district's

    upload(page, path)
    expect(page.get_by_role("heading", name=vi("Check the import"))).to_be_visible()
    problem = page.locator("tbody tr").filter(has_text="TOT")
    expect(problem.locator("td").nth(0)).to_have_text("person_ratings")
    expect(problem.locator("td").nth(1)).to_have_text(str(rows["KB-2"]))
    expect(problem.locator("td").nth(2)).to_contain_text("level")
    expect(problem.locator("td").nth(2)).to_contain_text(vi(FIELD_HELP["person_ratings"]["level"]))
    message = problem.locator("td").nth(3).inner_text()
    wording = vi("%(value)s is not one of %(choices)s")  # the Vietnamese words around
    assert all(part.strip() in message for part in re.split(r"%\(\w+\)s", wording))
    expect(page.get_by_role("button", name=vi("Confirm the import"))).to_have_count(0)
    assert not PersonRating.objects.exists()

    page.get_by_role("link", name=vi("Upload a corrected file")).click()
    fill(path, {"KB-2": "HTXS"})
    upload(page, path)
    expect(page.get_by_role("heading", name=vi("No problems found"))).to_be_visible()
    page.get_by_role("button", name=vi("Confirm the import")).click()

    expect(page.locator("#job-progress")).to_contain_text("xep-loai.xlsx")  # the job page
    assert dict(PersonRating.objects.values_list("person__code", "level")) == {
        "KB-1": "HTT",
        "KB-2": "HTXS",
    }
    assert set(PersonRating.objects.values_list("year", flat=True)) == {year}


def test_a_viewer_sees_no_import_and_is_refused_on_its_address(live_server, page, users, staff):
    from playwright.sync_api import expect

    log_in(page, live_server.url, "viewer")
    page.goto(live_server.url + "/du-lieu/")
    expect(page.locator("#import-file")).to_have_count(0)
    nav = page.get_by_role("navigation", name=vi("Main"))
    expect(nav.get_by_role("link", name=vi("API"))).to_have_count(0)

    response = page.goto(live_server.url + "/du-lieu/nhap/")

    assert response.status == 403
    expect(page.get_by_role("heading", name=vi("Access denied"))).to_be_visible()
    expect(page.locator("main")).to_contain_text(vi("Only an emulation officer may import data."))
