"""The achievement report of each nominee (.docx): the decree's form that fits the
recipient and the round, its headings, the facts prefilled from the records and the
blanks left for the unit."""

import datetime
import io

import docx
import pytest

from thidua.nominations import services
from thidua.nominations.choices import RoundKind
from thidua.nominations.report import BLANK, report_form
from thidua.nominations.tests.conftest import spec
from thidua.org.services import add_household
from thidua.records.services import record_award


def url(name, *args):
    from django.urls import reverse

    return reverse(f"nominations:{name}", args=args)


def read(response):
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return text, " | ".join(cells)


@pytest.fixture
def household(world, users):
    household = add_household(
        code="HO-7",
        name="Hộ ông Nguyễn Văn Bình",
        address="Thôn 3, huyện Kim Bảng",
        commune=world["kb"],
        head=world["binh"],
        actor=users["kb"],
    )
    record_award(
        household=household,
        award_code="GD_VAN_HOA",
        actor=users["kb"],
        commendation_type="cong_trang",
        period_start=datetime.date(2019, 1, 1),
        period_end=datetime.date(2019, 12, 31),
        decision_number="88/QĐ-UBND",
        decision_date=datetime.date(2019, 12, 20),
        authority=world["kb"],
    )
    return household


def test_individual_report_is_prefilled_from_the_record(client, dossier, world, users):
    nominee = services.add_nominee(dossier, spec(person=world["an"]), actor=users["kb"])
    client.force_login(users["kb"])
    text, cells = read(client.get(url("report", dossier.pk, nominee.pk)))
    assert "BÁO CÁO THÀNH TÍCH" in text and "Đề nghị tặng Bằng khen" in text
    assert "cá nhân có thành tích thực hiện nhiệm vụ công tác" in text
    for heading in (
        "I. SƠ LƯỢC LÝ LỊCH",
        "II. THÀNH TÍCH ĐẠT ĐƯỢC",
        "III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG",
    ):
        assert heading in text
    an = world["an"]
    assert f"Họ và tên: {an.full_name}" in text
    assert "Đơn vị công tác: Văn phòng HĐND và UBND" in text
    assert "Hoàn thành xuất sắc nhiệm vụ năm 2020" in text  # the summary
    assert f"Quê quán: {BLANK}" in text  # what the system cannot know
    # The ratings of the period and the CSTĐCS titles already received, with their decisions.
    assert "2019 | Hoàn thành xuất sắc" in cells or "2019 | Hoàn thành xuất sắc nhiệm vụ" in cells
    assert cells.count("Chiến sĩ thi đua cơ sở") == 2
    assert "Người báo cáo thành tích".upper() in cells


def test_collective_household_and_sudden_reports_use_their_forms(
    client, dossier, world, users, household
):
    unit = services.add_nominee(
        dossier, spec("TTLDXS", unit=world["office"], summary="Tiêu biểu"), actor=users["kb"]
    )
    home = services.add_nominee(
        dossier, spec(household=household, summary="Hiến 120 m² đất"), actor=users["kb"]
    )
    client.force_login(users["kb"])
    text, cells = read(client.get(url("report", dossier.pk, unit.pk)))
    assert "I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH" in text and "tập thể có thành tích" in text
    assert "Tên đơn vị: Văn phòng HĐND và UBND" in text
    assert "Đơn vị cấp trên trực tiếp: Huyện Kim Bảng" in text
    text, cells = read(client.get(url("report", dossier.pk, home.pk)))
    assert "Báo cáo thành tích của hộ gia đình" in text
    assert "I. THÔNG TIN VỀ HỘ GIA ĐÌNH" in text and "Địa chỉ: Thôn 3, huyện Kim Bảng" in text
    assert "Hiến 120 m² đất" in text
    assert "Đóng góp công sức, đất đai, tài sản cho địa phương" in text
    assert world["binh"].full_name in cells and "Chủ hộ" in cells
    assert "Gia đình văn hóa" in cells and "88/QĐ-UBND, 20/12/2019; Huyện Kim Bảng" in cells
    # Another district's officer cannot read it.
    client.force_login(users["tl"])
    assert client.get(url("report", dossier.pk, home.pk)).status_code == 404
    # The round's kind picks the form: sudden, thematic, dedication.
    assert report_form(unit, RoundKind.SUDDEN).key == "sudden"
    assert report_form(unit, RoundKind.THEMATIC).key == "thematic"
    assert report_form(home, RoundKind.SUDDEN).key == "household"


def test_dedication_report_lists_the_working_history(dossier, world, users):
    from thidua.nominations.report import achievement_report

    nominee = services.add_nominee(dossier, spec(person=world["an"]), actor=users["kb"])
    dossier.round.kind = RoundKind.DEDICATION
    nominee.dossier = dossier
    document = docx.Document(
        io.BytesIO(achievement_report(nominee, day=datetime.date(2020, 12, 1)))
    )
    text = "\n".join(p.text for p in document.paragraphs)
    assert "quá trình cống hiến" in text and "IV. KỶ LUẬT" in text
    cells = " | ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Văn phòng HĐND và UBND" in cells and "Đơn vị công tác" in cells


def test_the_dossier_page_links_each_report(client, dossier, world, users):
    nominee = services.add_nominee(dossier, spec(person=world["an"]), actor=users["kb"])
    client.force_login(users["kb"])
    page = client.get(url("dossier", dossier.pk)).content.decode()
    assert url("report", dossier.pk, nominee.pk) in page
