"""A district registers its title, signs the block's covenant and scores a peer on the
htmx sheet; the province locks the scoring, publishes, and the district ranks first."""

import datetime
import re

import pytest
from django.utils import timezone, translation

from thidua.accounts.choices import Role
from thidua.accounts.system import SYSTEM
from thidua.emulation import services
from thidua.emulation.choices import MovementKind, ScoreKind
from thidua.emulation.services import CriterionSpec, GroupSpec, ScoreEntry
from thidua.org.choices import UnitKind
from thidua.org.tests.factories import UnitFactory, user_with_role

pytestmark = pytest.mark.browser


def vi(text) -> str:
    """A source string as the (default) Vietnamese page shows it, translated or not."""
    with translation.override("vi"):
        return translation.gettext(str(text))


def assert_accessible_basics(page):
    """Landmarks, a language, and a label for every visible form control."""
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
def block_world(db):
    """This year's block of three districts, its movement and open covenant; TL and PL
    have already cross-scored everyone (KB best)."""
    today = timezone.localdate()
    province = UnitFactory(code="HNA", kind=UnitKind.PROVINCE, name="Tỉnh Hà Nam")
    units = {
        code: UnitFactory(code=code, kind=UnitKind.DISTRICT, name=name, parent=province)
        for code, name in [
            ("KB", "Huyện Kim Bảng"),
            ("TL", "Huyện Thanh Liêm"),
            ("PL", "Thành phố Phủ Lý"),
        ]
    }
    movement = services.launch_movement(
        code="HNA-NAM-NAY",
        name="Phong trào thi đua năm nay",
        kind=MovementKind.REGULAR,
        year=today.year,
        launched_by=province,
        decision_number="15/QĐ-UBND",
        decision_date=today.replace(month=1, day=1),
        period_start=today.replace(month=1, day=1),
        period_end=today.replace(month=12, day=31),
        registration_deadline=today + datetime.timedelta(days=30),
        actor=SYSTEM,
    )
    block = services.create_block(
        code="KHOI-HUYEN",
        year=today.year,
        name="Khối thi đua các huyện, thành phố",
        organiser=province,
        members=list(units.values()),
        movement=movement,
        actor=SYSTEM,
    )
    covenant = services.create_covenant(
        block,
        title="Giao ước thi đua",
        scoring_deadline=today + datetime.timedelta(days=30),
        groups=[
            GroupSpec(
                "I",
                "Nhiệm vụ chính trị",
                criteria=[
                    CriterionSpec("1.1", "Thu ngân sách", 10),
                    CriterionSpec("1.2", "Sản xuất công nghiệp", 10),
                ],
            ),
            GroupSpec(
                "II",
                "Điểm trừ",
                kind="penalty",
                cap=3,
                criteria=[CriterionSpec("2.1", "Chậm báo cáo", 3)],
            ),
        ],
        actor=SYSTEM,
    )
    services.open_covenant(covenant, actor=SYSTEM)
    given = {"KB": (10, 9, 0), "TL": (7, 7, 0), "PL": (8, 6, -1)}
    for scorer in ("TL", "PL"):
        for target, points in given.items():
            if scorer != target:
                services.save_scores(
                    covenant,
                    scorer=units[scorer],
                    target=units[target],
                    kind=ScoreKind.PEER,
                    entries=[
                        ScoreEntry(c, p) for c, p in zip(["1.1", "1.2", "2.1"], points, strict=True)
                    ],
                    actor=SYSTEM,
                )
    return {
        "block": block,
        "covenant": covenant,
        "movement": movement,
        "kb_officer": user_with_role(Role.OFFICER, units["KB"], username="kb"),
        "organiser": user_with_role(Role.OFFICER, province, username="tinh"),
    }


def log_in(page, base, username):
    page.goto(base + "/dang-nhap/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("secret-pass-123")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(re.compile(r"^(?!.*dang-nhap).*$"))


def test_register_sign_score_and_rank(live_server, browser, block_world, artifacts):
    from playwright.sync_api import expect

    base = live_server.url
    block = block_world["block"]
    block_url = f"{base}/thi-dua/khoi/{block.year}/{block.code}/"
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, base, "kb")

    # Register the provincial emulation flag for Kim Bảng.
    page.goto(f"{base}/thi-dua/phong-trao/{block_world['movement'].code}/dang-ky/")
    assert_accessible_basics(page)
    page.get_by_label(vi("Unit"), exact=True).select_option("KB")
    with translation.override("vi"):
        title_label = translation.pgettext("emulation title", "Title")
    page.get_by_label(title_label, exact=True).select_option("CO_TD_TINH")
    page.get_by_role("button", name=vi("Register")).click()
    expect(page.locator(".messages")).to_contain_text(vi("Registration recorded."))
    expect(page.locator("table.list")).to_contain_text("Huyện Kim Bảng")

    # Sign the covenant.
    page.goto(block_url + "giao-uoc/")
    assert_accessible_basics(page)
    page.get_by_label(vi("Signed by"), exact=True).fill("Nguyễn Văn Hải")
    page.get_by_label(vi("Position"), exact=True).fill("Chủ tịch UBND huyện")
    page.get_by_role("button", name=vi("Sign"), exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Huyện Kim Bảng")
    signatures = page.get_by_role("row", name=re.compile("Huyện Kim Bảng"))
    expect(signatures).to_contain_text("Nguyễn Văn Hải")
    page.screenshot(path=str(artifacts / "emulation-covenant.png"), full_page=True)

    # Score Thanh Liêm on the htmx sheet: each criterion saves as it is left.
    page.goto(block_url)
    page.get_by_role("link", name="Huyện Thanh Liêm", exact=True).click()
    expect(page).to_have_url(re.compile(r"/cham-diem/peer/KB/TL/$"))
    assert_accessible_basics(page)
    points = page.get_by_label(vi("Points for %(code)s") % {"code": "1.1"})
    points.fill("12")
    points.press("Tab")
    row = page.locator("tr", has=page.get_by_label(vi("Points for %(code)s") % {"code": "1.1"}))
    expect(row.locator("[role=alert]")).to_contain_text("1.1")  # above its maximum of 10
    page.get_by_label(vi("Points for %(code)s") % {"code": "1.1"}).fill("7")
    page.get_by_label(vi("Points for %(code)s") % {"code": "1.1"}).press("Tab")
    expect(row.locator(".state")).to_have_text(vi("Saved"))
    for code, value in (("1.2", "7,5"), ("2.1", "0")):
        field = page.get_by_label(vi("Points for %(code)s") % {"code": code})
        field.fill(value)
        field.press("Tab")
        expect(page.locator("tr", has=field).locator(".state")).to_have_text(vi("Saved"))
    page.screenshot(path=str(artifacts / "emulation-sheet.png"), full_page=True)
    context.close()

    # Kim Bảng also scores Phủ Lý through the plain form, with JavaScript off: the sheet
    # works without htmx (and no per-field save can race the form's submit).
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, base, "kb")
    page.goto(block_url + "cham-diem/peer/KB/PL/")
    for code, value in (("1.1", "8"), ("1.2", "6"), ("2.1", "-1")):
        page.get_by_label(vi("Points for %(code)s") % {"code": code}).fill(value)
    page.get_by_role("button", name=vi("Save the sheet")).click()
    expect(page.locator(".messages")).to_contain_text(vi("Scores saved."))
    context.close()

    # The province locks, publishes, and the ranking puts Kim Bảng first.
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, base, "tinh")
    page.goto(block_url)
    page.get_by_role("button", name=vi("Lock scoring")).click()
    page.get_by_role("button", name=vi("Publish the results")).click()
    expect(page.locator(".notice")).to_contain_text("Huyện Kim Bảng")
    ranking = page.locator("table.list tbody tr")
    expect(ranking.first).to_contain_text("Huyện Kim Bảng")
    expect(ranking.first.locator("td").first).to_have_text("1")
    expect(page.locator("svg.chart rect.bar.lead")).to_have_count(1)
    assert_accessible_basics(page)
    page.screenshot(path=str(artifacts / "emulation-ranking.png"), full_page=True)
    context.close()
