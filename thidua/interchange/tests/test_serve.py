"""`thidua serve`: what it prints before the server starts, and how it starts it."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import translation

from thidua.accounts.choices import Role
from thidua.interchange.demo import DEMO_LOGINS, DEMO_PASSWORD, create_demo_logins
from thidua.interchange.management.commands import serve
from thidua.org.choices import UnitKind
from thidua.org.models import Unit
from thidua.org.tests.factories import UnitFactory


@pytest.fixture
def demo_logins(db):
    """The units the demo logins hold roles on, and the logins."""
    UnitFactory(code="NBI", kind=UnitKind.PROVINCE, name="Tỉnh Ninh Bình")
    kb = UnitFactory(code="KB", kind=UnitKind.DISTRICT, name="Huyện Kim Bảng")
    UnitFactory(code="KB-QUE", name="Thị trấn Quế", parent=kb)
    return create_demo_logins()


@pytest.mark.parametrize(
    ("addr", "url"),
    [
        ("127.0.0.1:8000", "http://127.0.0.1:8000/"),
        ("8080", "http://127.0.0.1:8080/"),
        ("0.0.0.0:9000", "http://127.0.0.1:9000/"),
        ("localhost:8001", "http://localhost:8001/"),
    ],
)
def test_site_url(addr, url):
    assert serve.site_url(addr) == url


def test_banner_shows_the_site_and_every_demo_login(demo_logins):
    text = serve.banner("http://127.0.0.1:8000/")
    assert "http://127.0.0.1:8000/" in text
    lines = text.splitlines()
    for login in DEMO_LOGINS:
        (row,) = [line for line in lines if line.split()[:1] == [login.username]]
        assert DEMO_PASSWORD in row
        for language in ("vi", "en"):  # the role in both languages
            with translation.override(language):
                assert str(Role(login.role).label) in row
    assert "KB – Huyện Kim Bảng" in text and "KB-QUE – Thị trấn Quế" in text
    assert "NBI – Tỉnh Ninh Bình" in text
    assert "Thidua is running at http://127.0.0.1:8000/" in text  # the English line


def test_banner_without_the_demo_logins_shows_only_the_site(db):
    UnitFactory(code="KB", kind=UnitKind.DISTRICT, name="Huyện Kim Bảng")
    text = serve.banner("http://localhost:8001/")
    assert "http://localhost:8001/" in text
    assert DEMO_PASSWORD not in text and "canbo" not in text


def test_serve_demo_prints_the_logins_then_runs_the_production_server(demo_logins, monkeypatch):
    """With units in the database nothing is loaded; gunicorn gets the address, several
    threaded workers and a timeout."""
    calls = []
    monkeypatch.setattr(serve, "run_server", calls.append)
    out = io.StringIO()
    call_command("serve", "--addr", "8123", "--demo", stdout=out)
    (options,) = calls
    assert options["bind"] == "127.0.0.1:8123"
    assert options["workers"] >= 2 and options["threads"] >= 2
    assert options["worker_class"] == "gthread" and options["timeout"] > 0
    assert "http://127.0.0.1:8123/" in out.getvalue()
    assert "canbo" in out.getvalue()


def test_serve_without_demo_creates_nothing_and_prints_no_password(db, monkeypatch):
    calls = []
    monkeypatch.setattr(serve, "run_server", calls.append)
    out = io.StringIO()
    call_command("serve", "--addr", "8124", stdout=out)
    assert len(calls) == 1
    assert not Unit.objects.exists()
    assert not get_user_model().objects.exists()
    assert DEMO_PASSWORD not in out.getvalue()
    assert "http://127.0.0.1:8124/" in out.getvalue()


def test_serve_without_demo_never_prints_existing_demo_logins(demo_logins, monkeypatch):
    monkeypatch.setattr(serve, "run_server", lambda options: None)
    out = io.StringIO()
    call_command("serve", stdout=out)
    assert DEMO_PASSWORD not in out.getvalue() and "canbo" not in out.getvalue()


def test_static_files_are_served_without_debug(client, settings):
    settings.DEBUG = False
    response = client.get("/static/thidua/site.css")
    assert response.status_code == 200


def test_serve_help_lists_its_options():
    text = serve.Command().create_parser("thidua", "serve").format_help()
    assert "--addr" in text and "127.0.0.1:8000" in text and "--demo" in text
