"""An officer filters the task list by a unit found by name (typed without diacritics,
the unit picker's htmx search), opens one assignment's status page from its row, records
its completion, and finds it completed in the list."""

import datetime
import re

import pytest

from thidua.accounts.system import SYSTEM
from thidua.plans import services as plans
from thidua.plans.choices import TaskStatus

pytestmark = pytest.mark.browser


@pytest.fixture
def tasks(tree):
    return plans.assign_task(
        assigned_by=tree["district"],
        year=2020,
        title="Rà soát hộ nghèo cuối năm",
        source_number="12/KH-UBND",
        source_date=datetime.date(2020, 10, 1),
        source_issuer="UBND huyện Kim Bảng",
        deadline=datetime.date(2020, 12, 15),
        units=[tree["commune"], tree["commune2"]],
        actor=SYSTEM,
    )


def test_officer_finds_a_commune_by_name_and_records_its_task(live_server, page, users, tasks):
    from playwright.sync_api import expect

    page.goto(live_server.url + "/dang-nhap/")
    page.locator("#id_username").fill("officer")
    page.locator("#id_password").fill("secret-pass-123")
    page.locator("form.form button[type=submit]").click()

    page.goto(live_server.url + "/nhiem-vu/")
    search = page.locator("input.unit-picker-search").first
    expect(search).to_be_visible()  # shown once htmx is there
    search.fill("nhat tan")
    assignee = page.locator("#id_unit")
    expect(assignee.locator("option", has_text="Xã Nhật Tân")).to_have_count(1)
    expect(assignee.locator("option", has_text="Xã Thanh Sơn")).to_have_count(0)
    assignee.select_option("KB-NK")
    page.locator("form.toolbar button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"unit=KB-NK"))
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)

    rows.first.locator("a.button").click()
    expect(page).to_have_url(re.compile(r"/nhiem-vu/\d+/trang-thai/"))
    page.locator("#id_completed_on").fill("2020-12-10")
    page.locator("#id_evidence").fill("Báo cáo 45/BC-UBND")
    page.locator("form.card button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"unit=KB-NK"))
    expect(page.locator("tbody tr").first).to_contain_text("10/12/2020")
    assignment = tasks.assignments.get(unit__code="KB-NK")
    assert assignment.status == TaskStatus.COMPLETED
