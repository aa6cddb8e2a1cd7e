"""A province with a district (Kim Bảng) and a commune under it, another district, people
with records, and officers on each side of the proposal path."""

import datetime

import pytest
from django.utils import translation

from thidua.accounts.choices import Role
from thidua.accounts.system import SYSTEM
from thidua.nominations import services
from thidua.nominations.choices import RoundKind
from thidua.org.choices import UnitKind
from thidua.org.tests.factories import UnitFactory, UserFactory, user_with_role
from thidua.rules.tests.factories import make_person

DAY = datetime.date(2020, 11, 2)


@pytest.fixture
def world(db):
    province = UnitFactory(code="HNA", kind=UnitKind.PROVINCE, name="Tỉnh Hà Nam")
    kb = UnitFactory(code="KB", kind=UnitKind.DISTRICT, name="Huyện Kim Bảng", parent=province)
    office = UnitFactory(
        code="KB-VP", kind=UnitKind.DISTRICT_OFFICE, name="Văn phòng HĐND và UBND", parent=kb
    )
    tl = UnitFactory(code="TL", kind=UnitKind.DISTRICT, name="Huyện Thanh Liêm", parent=province)
    good = {"ratings": {2019: "HTXS", 2020: "HTXS"}, "awards": [("CSTDCS", 2019), ("CSTDCS", 2020)]}
    return {
        "province": province,
        "kb": kb,
        "office": office,
        "tl": tl,
        "an": make_person(office, good),
        "binh": make_person(office, {"ratings": {2020: "HT"}}),
        "elsewhere": make_person(tl, good),
    }


@pytest.fixture
def users(world):
    return {
        "no_role": UserFactory(username="norole"),
        "kb": user_with_role(Role.OFFICER, world["kb"], username="kb"),
        "kb_viewer": user_with_role(Role.VIEWER, world["kb"], username="kbview"),
        "tl": user_with_role(Role.OFFICER, world["tl"], username="tl"),
        "province": user_with_role(Role.OFFICER, world["province"], username="province"),
    }


@pytest.fixture
def round_(world, users):
    return services.open_round(
        world["province"],
        year=2020,
        kind=RoundKind.ANNUAL,
        name="Khen thưởng năm 2020",
        deadline=datetime.date(2020, 12, 10),
        actor=users["province"],
        today=DAY,
    )


@pytest.fixture
def dossier(round_, world, users):
    return services.start_dossier(round_, world["kb"], actor=users["kb"], today=DAY)


PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def pdf(name="bien-ban-hop-xet.pdf", content=PDF):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def attach_minutes(dossier, actor=SYSTEM):
    """The minutes of the unit's review, which submission requires."""
    return services.attach_document(dossier, pdf(), kind="minutes", actor=actor)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files go to a fresh directory; returns it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def spec(award="BK_TINH", summary="Hoàn thành xuất sắc nhiệm vụ năm 2020", **kwargs):
    return services.NomineeSpec(award_code=award, summary=summary, **kwargs)


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in English, the source language."""
    with translation.override("en"):
        yield


@pytest.fixture
def pages_in_english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
