"""An officer opens the district's year-end dashboard, drafts the conference's news
article from it, corrects the headline, publishes it; a visitor who is not logged in
finds it on the public portal and in its RSS feed."""

import datetime
import re

import pytest

from thidua.accounts.system import SYSTEM
from thidua.plans import services as plans

pytestmark = pytest.mark.browser


@pytest.fixture
def year_on_record(tree):
    task = plans.assign_task(
        assigned_by=tree["province"],
        year=2020,
        title="Báo cáo kết quả thu ngân sách",
        source_number="01/CT-UBND",
        source_date=datetime.date(2020, 1, 6),
        source_issuer="UBND tỉnh Hà Nam",
        deadline=datetime.date(2020, 12, 10),
        units=[tree["district"]],
        actor=SYSTEM,
    )
    plans.complete_task(task.assignments.get(), datetime.date(2020, 12, 1), actor=SYSTEM)


def test_officer_publishes_the_conference_news_and_the_public_reads_it(
    live_server, browser, page, users, year_on_record, artifacts
):
    from playwright.sync_api import expect

    page.goto(live_server.url + "/dang-nhap/")
    page.locator("#id_username").fill("officer")
    page.locator("#id_password").fill("secret-pass-123")
    page.locator("form.form button[type=submit]").click()

    page.goto(live_server.url + "/bao-cao/KB/2020/")
    expect(page.locator("svg[role=img]").first).to_be_visible()  # the tasks chart
    expect(page.locator(".figures")).to_contain_text("1/1")
    page.locator("a[href$='/tin-tuc/soan/tu-bao-cao/KB/2020/']").click()
    page.locator("#id_held_on").fill("2021-01-12")
    page.locator("#id_credit").fill("Đài Truyền thanh huyện Kim Bảng")
    page.locator("form.stack button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/tin-tuc/soan/\d+/$"))
    expect(page.locator("#id_body")).to_contain_text("hoàn thành 1/1 nhiệm vụ")
    page.locator("#id_title").fill("Kim Bảng hoàn thành 100% nhiệm vụ tỉnh giao năm 2020")
    page.locator("form.stack button[type=submit]").click()
    page.locator("a[href$='/dang/']").click()  # publishing asks first
    expect(page.locator("article h2")).to_have_text(
        "Kim Bảng hoàn thành 100% nhiệm vụ tỉnh giao năm 2020"
    )
    page.locator("button[name=confirm]").click()
    expect(page.locator("h1")).to_have_text("Kim Bảng hoàn thành 100% nhiệm vụ tỉnh giao năm 2020")
    page.screenshot(path=str(artifacts / "news-published.png"), full_page=True)

    visitor = browser.new_context(locale="vi-VN")
    public = visitor.new_page()
    public.goto(live_server.url + "/tin-tuc/")
    public.get_by_role("link", name="Kim Bảng hoàn thành 100% nhiệm vụ tỉnh giao năm 2020").click()
    expect(public.locator("article")).to_contain_text("Ngày 12/01/2021, UBND huyện Kim Bảng")
    expect(public.locator("article")).to_contain_text("Đài Truyền thanh huyện Kim Bảng")
    feed = public.request.get(live_server.url + "/tin-tuc/rss.xml")
    assert feed.status == 200 and "Kim Bảng hoàn thành 100%" in feed.text()
    visitor.close()
