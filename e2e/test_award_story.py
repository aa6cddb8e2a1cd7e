"""The second half of the award path as one story, through the pages, with several
logins: Kim Bảng's dossier is ready for the province's council → the officer records
attendance, is refused for want of a quorum, completes it and opens the poll (the member
from Kim Bảng is recused) → four members vote in secret, each in their own browser → the
officer closes the poll, reads the verdict and downloads the minutes → issues the decision
(its number) → prints a certificate (PDF) → the QR page says "còn hiệu lực" → the award is
in An's record by year and An's eligibility for the next year reads it → the decision is
annulled: the QR page says so, and the next year's eligibility no longer counts it."""

import re

import pytest
from django.urls import reverse

from e2e.test_nominations import assert_accessible_basics, log_in, vi, vi_p
from thidua.council.tests import conftest as council_fixtures

# The council's fixtures: a province council of five over Kim Bảng's ready dossier (An
# and Bình for the province's certificate of merit, the district office for a collective
# title), the fifth member working in Kim Bảng.
world, users, round_, dossier = (
    council_fixtures.world, council_fixtures.users, council_fixtures.round_,
    council_fixtures.dossier,
)  # fmt: skip
ready, council, members, meeting = (
    council_fixtures.ready, council_fixtures.council, council_fixtures.members,
    council_fixtures.meeting,
)  # fmt: skip

pytestmark = pytest.mark.browser


def vote_in_secret(browser, base, meeting, member):
    """One member, in their own browser, votes yes on every nominee they may vote on."""
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    log_in(page, base, member.user.username)
    page.goto(base + reverse("council:ballot", args=[meeting.pk]))
    for radio in page.locator("input[type=radio][value=yes]").all():
        radio.check()
    page.get_by_role("button", name=vi("Cast all my votes")).click()
    voted = page.locator("#ballot").inner_text().count(vi("voted"))
    context.close()
    return voted


def eligibility_2021(page, base, person):
    """The full explanation of the person's 2021 eligibility for the Prime Minister's
    certificate of merit, which needs a province's certificate in an earlier year."""
    url = reverse("rules:explanation", args=["ca-nhan", person.code, "BK_TTG"])
    page.goto(base + url + "?nam=2021")
    return page.locator("main").inner_text()


def test_council_to_decision_to_certificate_to_history(
    live_server, page, browser, meeting, members, world
):
    base = live_server.url
    an = world["an"]

    # The meeting: attendance, the quorum, the poll opened; the Kim Bảng member recused.
    log_in(page, base, "province")
    page.goto(base + reverse("council:meeting", args=[meeting.pk]))
    assert_accessible_basics(page)
    for m in members[:3]:
        page.get_by_label(vi("%(name)s present") % {"name": m.full_name}).check()
    page.get_by_role("button", name=vi("Record attendance")).click()
    page.get_by_role("button", name=vi("Open voting")).click()
    assert "3/5" in page.locator(".messages, [role=alert], main").first.inner_text()
    for m in members[3:]:
        page.get_by_label(vi("%(name)s present") % {"name": m.full_name}).check()
    page.get_by_role("button", name=vi("Record attendance")).click()
    page.get_by_role("button", name=vi("Open voting")).click()
    assert page.locator("#meeting-state").inner_text() == vi_p("meeting state", "Voting open")
    assert members[4].full_name in page.locator("#agenda").inner_text()  # recused

    # Four members vote in secret, each logged in in their own browser; the fifth is
    # recused from all of Kim Bảng's nominees and finds nothing to vote on.
    for m in members[:4]:
        assert vote_in_secret(browser, base, meeting, m) == 3
    page.reload()
    assert vi("Yes over all members") not in page.locator("main").inner_text()  # no tally

    # The verdict: 4 yes of 5 members; the minutes as .docx.
    page.get_by_role("button", name=vi("Close voting and record the results")).click()
    agenda = page.locator("#agenda").inner_text()
    assert re.search(r"80[,.]0%", agenda)
    assert vi_p("council outcome", "Passed by the council") in agenda
    minutes = page.locator('a[href$=".docx"]').first.get_attribute("href")
    docx = page.request.get(base + minutes)
    assert docx.status == 200 and docx.body()[:2] == b"PK"

    # Before the decision, An's 2021 eligibility knows no certificate of merit.
    assert "1/QĐ-UBND" not in eligibility_2021(page, base, an)

    # The decision, issued from the nominees the council passed, with its number.
    page.goto(base + "/quyet-dinh/ban-hanh/")
    page.locator("#id_decided_on").fill("2021-01-15")
    page.locator("#id_signer_name").fill("Trương Quốc Huy")
    page.locator("#id_signer_position").fill("Phó Chủ tịch")
    page.locator("form.card button[type=submit]").click()
    page.wait_for_url(re.compile(r"/quyet-dinh/\d+/$"))
    assert "1/QĐ-UBND" in page.locator("h1").inner_text()
    assert an.full_name in page.locator("#recipients").inner_text()

    # An's certificate printed (a PDF); its serial is the QR code's address.
    row = page.locator("#recipients tr", has_text=an.full_name)
    link = row.locator('a[href*="bang.pdf?so="]').first
    serial = link.inner_text().strip()
    pdf = page.request.get(base + link.get_attribute("href"))
    assert pdf.status == 200 and pdf.body()[:5] == b"%PDF-"

    # The public verification page, as anyone scanning the QR code sees it.
    visitor = browser.new_context(locale="vi-VN")
    qr = visitor.new_page()
    qr.goto(f"{base}/xac-minh/{serial}/")
    assert an.full_name in qr.locator("#verification").inner_text()
    assert "còn hiệu lực" in qr.locator("#validity").inner_text()

    # Back into history: the award in An's record by year, and the next year's
    # eligibility counting it (the Prime Minister's certificate needs one first).
    page.goto(base + reverse("org:person_detail", args=[an.code]))
    timeline = page.locator("section:has(#h-timeline)").inner_text()
    assert "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh" in timeline and "1/QĐ-UBND" in timeline
    assert "1/QĐ-UBND" in eligibility_2021(page, base, an)

    # The decision annulled: the QR page says so and the award counts no more.
    page.goto(base + "/quyet-dinh/")
    page.locator("table.list a").first.click()
    page.locator('a[href$="/huy/"]').click()
    page.locator("#id_decided_on").fill("2021-03-01")
    page.locator("#id_reason").fill("Khai man thành tích")
    page.locator("form.card button[type=submit]").click()
    page.wait_for_url(re.compile(r"/quyet-dinh/\d+/$"))
    assert "2/QĐ-UBND" in page.locator("h1").inner_text()
    qr.goto(f"{base}/xac-minh/{serial}/")
    validity = qr.locator("#validity").inner_text()
    assert "đã bị hủy" in validity and "còn hiệu lực" not in validity and "2/QĐ-UBND" in validity
    assert "1/QĐ-UBND" not in eligibility_2021(page, base, an)
    qr.goto(f"{base}/xac-minh/KHONG-CO/")
    assert "Không tìm thấy" in qr.locator("h1").inner_text()
    visitor.close()
