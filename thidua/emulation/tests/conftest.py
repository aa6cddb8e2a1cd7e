import pytest
from django.utils import translation

from thidua.accounts.choices import Role
from thidua.emulation.tests.factories import DISTRICTS, make_block, make_covenant
from thidua.org.choices import UnitKind
from thidua.org.tests.factories import UnitFactory, UserFactory, user_with_role


@pytest.fixture
def world(db):
    """Hà Nam with its six district-level units, and another province."""
    province = UnitFactory(code="HNA", kind=UnitKind.PROVINCE, name="Tỉnh Hà Nam")
    districts = {
        code: UnitFactory(code=code, kind=UnitKind.DISTRICT, name=name, parent=province)
        for code, name in DISTRICTS
    }
    commune = UnitFactory(code="KB-QUE", name="Thị trấn Quế", parent=districts["KB"])
    elsewhere = UnitFactory(code="NDI", kind=UnitKind.PROVINCE, name="Tỉnh Nam Định")
    return {"province": province, "elsewhere": elsewhere, "commune": commune, **districts}


@pytest.fixture
def people(world):
    """anonymous is the test client unauthenticated; these are the other cases."""
    return {
        "no_role": UserFactory(username="norole"),
        "other_unit": user_with_role(Role.OFFICER, world["elsewhere"], username="other"),
        "kb": user_with_role(Role.OFFICER, world["KB"], username="kb"),
        "tl": user_with_role(Role.OFFICER, world["TL"], username="tl"),
        "kb_viewer": user_with_role(Role.VIEWER, world["KB"], username="kbview"),
        "province": user_with_role(Role.OFFICER, world["province"], username="province"),
    }


@pytest.fixture
def members(world):
    return [world[code] for code in ("PL", "DT", "KB", "TL", "BL", "LN")]


@pytest.fixture
def block(world, members):
    return make_block(world["province"], members)


@pytest.fixture
def covenant(block):
    return make_covenant(block)


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in English, the source language, whatever the catalog holds."""
    with translation.override("en"):
        yield


@pytest.fixture
def pages_in_english(client, settings):
    """Pages in English, the source language, so that messages compare whatever the
    catalog holds."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files go to a fresh directory; returns it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root) -> list:
    """Every file under `root` (empty when nothing was stored)."""
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
