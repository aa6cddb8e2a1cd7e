"""The province's officer issues a decision from the nominees the council passed, prints a
certificate, opens its QR page ("còn hiệu lực"), annuls the decision, and the QR page then
says the certificate was annulled — all through the pages."""

import datetime
import re

import pytest
from django.utils import timezone

from thidua.accounts.choices import Role
from thidua.nominations import services
from thidua.nominations.choices import CouncilOutcome, RoundKind, State
from thidua.nominations.models import Dossier
from thidua.org.choices import UnitKind
from thidua.org.tests.factories import UnitFactory, user_with_role
from thidua.rules.tests.factories import make_person

pytestmark = pytest.mark.browser


@pytest.fixture
def passed_world(db):
    today = timezone.localdate()
    province = UnitFactory(code="HNA", kind=UnitKind.PROVINCE, name="Tỉnh Hà Nam")
    kb = UnitFactory(code="KB", kind=UnitKind.DISTRICT, name="Huyện Kim Bảng", parent=province)
    person = make_person(kb, {"ratings": {today.year - 1: "HTXS"}})
    organiser = user_with_role(Role.OFFICER, province, username="tinh")
    officer = user_with_role(Role.OFFICER, kb, username="kb")
    round_ = services.open_round(
        province, year=today.year - 1, kind=RoundKind.ANNUAL, name="Khen thưởng",
        deadline=today + datetime.timedelta(days=30), actor=organiser,
    )  # fmt: skip
    dossier = services.start_dossier(round_, kb, actor=officer)
    nominee = services.add_nominee(
        dossier,
        services.NomineeSpec(award_code="BK_TINH", person=person, summary="Xuất sắc"),
        actor=officer,
    )
    # The dossier reached the council and the council passed the nominee (the council's
    # own pages are another app's).
    Dossier.objects.filter(pk=dossier.pk).update(state=State.READY_FOR_COUNCIL)
    nominee.council_outcome = CouncilOutcome.PASSED
    nominee.save()
    return {"person": person}


def log_in(page, base, username):
    page.goto(base + "/dang-nhap/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("secret-pass-123")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(re.compile(r"^(?!.*dang-nhap).*$"))


def test_issue_print_verify_annul(page, live_server, passed_world):
    base = live_server.url
    today = timezone.localdate()
    log_in(page, base, "tinh")
    page.goto(base + "/quyet-dinh/")
    page.locator('a[href="/quyet-dinh/ban-hanh/"]').first.click()
    page.locator("#id_decided_on").fill(today.isoformat())
    page.locator("#id_signer_name").fill("Trương Quốc Huy")
    page.locator("#id_signer_position").fill("Phó Chủ tịch")
    assert page.locator("input[name=nominees]").first.is_checked()
    page.locator("form.card button[type=submit]").click()
    page.wait_for_url(re.compile(r"/quyet-dinh/\d+/$"))
    assert "1/QĐ-UBND" in page.locator("h1").inner_text()
    name = passed_world["person"].full_name
    assert name in page.locator("#recipients").inner_text()

    # Print the certificate (a PDF) and read its serial from the page.
    link = page.locator('#recipients a[href*="bang.pdf?so="]').first
    serial = link.inner_text().strip()
    pdf = page.request.get(base + link.get_attribute("href"))
    assert pdf.status == 200 and pdf.body()[:5] == b"%PDF-"

    # Its QR page: still valid.
    page.goto(f"{base}/xac-minh/{serial}/")
    assert name in page.locator("#verification").inner_text()
    assert "còn hiệu lực" in page.locator("#validity").inner_text()

    # Annul the decision.
    page.goto(base + "/quyet-dinh/")
    page.locator("table.list a").first.click()
    page.locator('a[href$="/huy/"]').click()
    page.locator("#id_decided_on").fill(today.isoformat())
    page.locator("#id_reason").fill("Khai man thành tích")
    page.locator("form.card button[type=submit]").click()
    page.wait_for_url(re.compile(r"/quyet-dinh/\d+/$"))
    assert "2/QĐ-UBND" in page.locator("h1").inner_text()

    page.goto(f"{base}/xac-minh/{serial}/")
    validity = page.locator("#validity").inner_text()
    assert "đã bị hủy" in validity and "còn hiệu lực" not in validity and "2/QĐ-UBND" in validity

    page.goto(f"{base}/xac-minh/KHONG-CO/")
    assert "Không tìm thấy" in page.locator("h1").inner_text()
