"""The issue's story, all through the pages: the district officer builds a dossier from
the engine's suggestions and submits it; the province returns it for correction;
resubmitted, it is received, appraised and published for public comment; a visitor objects
on the portal; the province approves the objection and dismisses it with a reason; once
the period has ended, a council member attests the nominee's qualitative criteria on the
explanation page and sees the verdict turn eligible; the dossier goes to the council."""

import datetime
import re

import pytest
from django.utils import timezone, translation

from thidua.accounts.choices import Role
from thidua.nominations import services
from thidua.nominations.choices import RoundKind
from thidua.org.choices import UnitKind
from thidua.org.tests.factories import UnitFactory, user_with_role
from thidua.rules.tests.factories import make_person

pytestmark = pytest.mark.browser


def vi(text) -> str:
    with translation.override("vi"):
        return translation.gettext(str(text))


def vi_p(context, text) -> str:
    with translation.override("vi"):
        return translation.pgettext(context, text)


def assert_accessible_basics(page):
    assert page.locator("html").get_attribute("lang") in {"vi", "en"}
    assert page.locator("main").count() == 1
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea')]
            .filter(el => el.type !== 'hidden')
            .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
            .map(el => el.name || el.id)"""
    )
    assert unlabelled == []


@pytest.fixture
def proposal_world(db):
    today = timezone.localdate()
    year = today.year
    province = UnitFactory(code="HNA", kind=UnitKind.PROVINCE, name="Tỉnh Hà Nam")
    kb = UnitFactory(code="KB", kind=UnitKind.DISTRICT, name="Huyện Kim Bảng", parent=province)
    office = UnitFactory(
        code="KB-VP", kind=UnitKind.DISTRICT_OFFICE, name="Văn phòng HĐND và UBND", parent=kb
    )
    make_person(
        office,
        {
            "ratings": {year - 1: "HTXS", year: "HTXS"},
            "awards": [("CSTDCS", year - 1), ("CSTDCS", year)],
        },
    )
    organiser = user_with_role(Role.OFFICER, province, username="tinh")
    user_with_role(Role.OFFICER, kb, username="kb")
    user_with_role(Role.COUNCIL, province, username="hoidong")
    round_ = services.open_round(
        province,
        year=year,
        kind=RoundKind.ANNUAL,
        name=f"Khen thưởng năm {year}",
        deadline=today + datetime.timedelta(days=30),
        actor=organiser,
    )
    return {"round": round_, "kb": kb}


def log_in(page, base, username):
    page.goto(base + "/dang-nhap/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("secret-pass-123")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(re.compile(r"^(?!.*dang-nhap).*$"))


def new_page(browser):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def move(page, label, *, reason=None, field=None):
    from playwright.sync_api import expect

    page.get_by_role("link", name=label, exact=True).click()
    assert_accessible_basics(page)
    if reason is not None:
        page.get_by_label(vi("Reason"), exact=True).fill(reason)
    if field is not None:
        page.get_by_label(field, exact=True).check()
    page.get_by_role("button", name=re.compile(re.escape(label))).click()
    expect(page.locator(".messages")).to_be_visible()


def test_build_submit_return_resubmit_publish_comment_attest_council(
    live_server, browser, proposal_world, artifacts, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.THIDUA_PUBLIC_COMMENT_MIN_SECONDS = 0  # the visitor below types fast
    from playwright.sync_api import expect

    base = live_server.url
    round_ = proposal_world["round"]
    context, page = new_page(browser)
    log_in(page, base, "kb")

    # The menu leads to the round; Kim Bảng starts its dossier.
    page.goto(base + "/")
    page.get_by_role("link", name=vi("Award proposals"), exact=True).first.click()
    page.get_by_role("link", name=round_.name).click()
    assert_accessible_basics(page)
    page.get_by_label(vi("Proposing unit"), exact=True).select_option(label="Huyện Kim Bảng")
    page.get_by_role("button", name=vi("Start a dossier")).click()
    dossier_url = page.url

    # One click on the engine's suggestion.
    page.get_by_role("link", name=vi("Add from the suggestions")).click()
    assert_accessible_basics(page)
    page.get_by_role("button", name=re.compile("Nguyễn Văn")).first.click()
    expect(page.locator(".messages")).to_be_visible()
    page.goto(dossier_url)
    nominee = page.locator("table.list tbody tr").first
    expect(nominee).to_contain_text("Nguyễn Văn")

    # The achievement summary, then submission.
    nominee.get_by_role("link", name=re.compile("Nguyễn Văn")).click()
    assert_accessible_basics(page)
    page.get_by_label(vi("Achievement summary"), exact=True).fill(
        "Hai năm liền chiến sĩ thi đua cơ sở, hoàn thành xuất sắc nhiệm vụ."
    )
    page.get_by_role("button", name=vi("Save"), exact=True).click()
    # The minutes of the unit's review, which submission requires.
    minutes = tmp_path / "bien-ban-hop-xet.pdf"
    minutes.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.get_by_label(vi("Kind of document"), exact=True).select_option("minutes")
    page.get_by_label(vi("File"), exact=True).set_input_files(str(minutes))
    page.get_by_role("button", name=vi("Attach"), exact=True).click()
    expect(page.locator("#h-documents + ul")).to_contain_text("bien-ban-hop-xet.pdf")
    move(page, vi("Submit to the level above"))
    expect(page.locator(".dossier-state")).to_have_text(vi_p("dossier state", "Submitted"))
    page.screenshot(path=str(artifacts / "nominations-dossier.png"), full_page=True)
    context.close()

    # The province returns it for correction.
    context, page = new_page(browser)
    log_in(page, base, "tinh")
    page.goto(dossier_url)
    assert_accessible_basics(page)
    move(page, vi("Return for correction"), reason="Bổ sung báo cáo thành tích.",
         field=vi("Achievements (period, summary)"))  # fmt: skip
    expect(page.locator(".dossier-state")).to_have_text(
        vi_p("dossier state", "Returned for correction")
    )
    context.close()

    # Kim Bảng reads the reason and resubmits.
    context, page = new_page(browser)
    log_in(page, base, "kb")
    page.goto(dossier_url)
    expect(page.locator("main")).to_contain_text("Bổ sung báo cáo thành tích.")
    move(page, vi("Resubmit the corrected dossier"))
    expect(page.locator(".dossier-state")).to_have_text(vi_p("dossier state", "Submitted"))
    context.close()

    # The province receives, appraises and publishes the list for public comment.
    context, page = new_page(browser)
    log_in(page, base, "tinh")
    page.goto(dossier_url)
    for label in ("Receive", "Start appraisal", "Publish for public comment"):
        move(page, vi(label))
    expect(page.locator(".dossier-state")).to_have_text(vi_p("dossier state", "Public comment"))
    expect(page.locator("main")).to_contain_text("Nguyễn Văn")
    # Not yet for the council: the period runs, and the page says so.
    expect(page.locator(".council-blockers")).to_be_visible()
    context.close()

    # A visitor, not logged in, finds the list on the portal and objects.
    context, page = new_page(browser)
    page.goto(base + "/tin-tuc/cong-khai/")
    assert_accessible_basics(page)
    page.locator("main h2 a").first.click()
    assert_accessible_basics(page)
    expect(page.locator("table.list")).to_contain_text("Nguyễn Văn")
    expect(page.locator("table.list")).to_contain_text("Văn phòng HĐND và UBND")
    page.get_by_label(vi("Nominee"), exact=True).select_option(index=1)
    page.get_by_label(vi("Your comment"), exact=True).fill(
        "Tôi đề nghị xem lại: năm nay anh ấy nghỉ ốm dài ngày."
    )
    page.get_by_label(vi("This is an objection to the nominee"), exact=True).check()
    page.get_by_role("button", name=vi("Send the comment")).click()
    expect(page.locator(".messages")).to_be_visible()
    # Moderated: not shown until an officer has read it.
    expect(page.locator("table.list")).not_to_contain_text("nghỉ ốm dài ngày")
    page.screenshot(path=str(artifacts / "nominations-public-comment.png"), full_page=True)
    context.close()

    # The province approves the objection and dismisses it, with the reason.
    context, page = new_page(browser)
    log_in(page, base, "tinh")
    page.goto(dossier_url)
    comment = page.locator("#h-comments ~ ol .comment").first
    expect(comment).to_contain_text("nghỉ ốm dài ngày")
    comment.get_by_role("button", name=vi("Approve"), exact=True).click()
    expect(page.locator(".messages")).to_be_visible()
    comment = page.locator("#h-comments ~ ol .comment").first
    comment.get_by_label(vi("Dismissed"), exact=True).check()
    comment.get_by_label(vi("Reason of the outcome"), exact=True).fill(
        "Đã xác minh: nghỉ ốm 10 ngày, vẫn hoàn thành xuất sắc nhiệm vụ."
    )
    comment.get_by_role("button", name=vi("Record the outcome")).click()
    expect(page.locator("#h-comments ~ ol .comment-outcome")).to_contain_text("Đã xác minh")
    page.locator("section[aria-labelledby=h-comments]").screenshot(
        path=str(artifacts / "nominations-comments.png")
    )
    # Still the period: the move to the council is refused, saying why.
    move(page, vi("Send to the council"))
    expect(page.locator(".messages")).to_contain_text(str(timezone.localdate().year))
    expect(page.locator(".dossier-state")).to_have_text(vi_p("dossier state", "Public comment"))
    context.close()

    # Time passes: the comment period ends (the clock, not the pages).
    from thidua.nominations.models import Publication

    Publication.objects.update(
        starts_on=timezone.localdate() - datetime.timedelta(days=14),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )

    # A council member of the province attests the nominee's qualitative criteria on the
    # explanation page the dossier links to, and sees the verdict turn eligible.
    context, page = new_page(browser)
    log_in(page, base, "hoidong")
    page.goto(dossier_url)
    page.locator("a.explain-link").first.click()
    assert_accessible_basics(page)
    assert f"nam={timezone.localdate().year}" in page.url
    expect(page.locator("#h-verdict ~ p .verdict")).to_have_class(
        re.compile("verdict-needs_attestation")
    )
    today_iso = timezone.localdate().isoformat()
    blocks = page.locator("#attest .attestation")
    for index in range(blocks.count()):
        block = page.locator("#attest .attestation").nth(index)
        block.locator("summary").click()
        block.get_by_label(vi("Attested"), exact=True).check()
        block.get_by_label(vi("Judged by"), exact=True).select_option("council")
        block.get_by_label(vi("Name of the council or leader"), exact=True).fill(
            "Hội đồng Thi đua – Khen thưởng tỉnh Hà Nam"
        )
        block.get_by_label(vi("Decided on"), exact=True).fill(today_iso)
        block.get_by_label(vi("Minutes number"), exact=True).fill("05/BB-HĐTĐKT")
        block.get_by_label(vi("Minutes date"), exact=True).fill(today_iso)
        block.get_by_role("button", name=vi("Save the judgement")).click()
        expect(page.locator(".messages")).to_be_visible()
    expect(page.locator("#h-verdict ~ p .verdict")).to_have_class(re.compile("verdict-eligible"))
    page.screenshot(path=str(artifacts / "nominations-attested.png"), full_page=True)
    context.close()

    # The province sends the dossier to the council; the frozen verdict stays frozen, the
    # comparison page shows the change.
    context, page = new_page(browser)
    log_in(page, base, "tinh")
    page.goto(dossier_url)
    move(page, vi("Send to the council"))
    expect(page.locator(".dossier-state")).to_have_text(vi_p("dossier state", "Ready for council"))
    page.goto(dossier_url + "doi-chieu/")
    expect(page.locator("main")).to_contain_text("Nguyễn Văn")
    context.close()


def test_a_household_nominee_and_its_achievement_report(
    live_server, browser, proposal_world, artifacts, tmp_path
):
    """The district officer proposes a household from the register, sees that only the
    council's judgement remains, and downloads its achievement report in the household
    form, prefilled with its members and its Gia đình văn hóa title."""
    import io

    import docx
    from playwright.sync_api import expect

    from thidua.accounts.system import SYSTEM
    from thidua.org.services import add_household, add_person
    from thidua.records.services import record_award

    commune = UnitFactory(
        code="KB-NT", kind=UnitKind.COMMUNE, name="Xã Nhật Tân", parent=proposal_world["kb"]
    )
    head = add_person(
        actor=SYSTEM, code="DAN-1", family_name="Trần", middle_name="Văn", given_name="Bình",
        gender="M",
    )  # fmt: skip
    household = add_household(
        code="HGD-NT-1", name="Hộ ông Trần Văn Bình", address="Thôn 3, xã Nhật Tân",
        commune=commune, members=[head], head=head, actor=SYSTEM,
    )  # fmt: skip
    year = timezone.localdate().year
    record_award(
        household=household, award_code="GD_VAN_HOA", actor=SYSTEM,
        commendation_type="cong_trang", period_start=datetime.date(year - 1, 1, 1),
        period_end=datetime.date(year - 1, 12, 31), decision_number="21/QĐ-UBND",
        decision_date=datetime.date(year - 1, 12, 20), authority=commune,
    )  # fmt: skip
    base = live_server.url
    round_ = proposal_world["round"]
    context, page = new_page(browser)
    log_in(page, base, "kb")
    page.goto(base + "/de-nghi/")
    page.get_by_role("link", name=round_.name).click()
    page.get_by_label(vi("Proposing unit"), exact=True).select_option(label="Huyện Kim Bảng")
    page.get_by_role("button", name=vi("Start a dossier")).click()
    dossier_url = page.url

    # From the register: a household of a commune under the district.
    page.get_by_role("link", name=vi("Add from the register")).click()
    page.get_by_label(vi("Recipient kind"), exact=True).select_option("household")
    page.get_by_label(vi("Name or code"), exact=True).fill("Bình")
    page.get_by_role("button", name=vi("Search"), exact=True).click()
    row = page.locator("table.list tbody tr", has_text="Hộ ông Trần Văn Bình")
    row.locator("select").select_option("BK_TINH")
    row.get_by_role("button", name=vi("Add")).click()
    expect(page.locator(".messages")).to_be_visible()
    page.goto(dossier_url)
    assert_accessible_basics(page)
    nominee = page.locator("table.list tbody tr", has_text="Hộ ông Trần Văn Bình")
    expect(nominee.locator(".verdict")).to_have_class(re.compile("verdict-needs_attestation"))
    expect(nominee.locator(".explain-link")).to_be_visible()

    # The achievement report, in the household form.
    with page.expect_download() as caught:
        page.locator(".report-link", has_text="Hộ ông Trần Văn Bình").click()
    path = tmp_path / "bao-cao.docx"
    caught.value.save_as(path)
    document = docx.Document(io.BytesIO(path.read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "BÁO CÁO THÀNH TÍCH" in text and "Báo cáo thành tích của hộ gia đình" in text
    assert "I. THÔNG TIN VỀ HỘ GIA ĐÌNH" in text and "Địa chỉ: Thôn 3, xã Nhật Tân" in text
    assert "Trần Văn Bình" in cells and "Gia đình văn hóa" in cells and "21/QĐ-UBND" in cells
    page.screenshot(path=str(artifacts / "nominations-household.png"), full_page=True)
    context.close()
