"""The settings module as an operator meets it: environment variables in, a process that
starts, or refuses to start when a deployment would run with a guessable secret."""

import json
import os
import stat
import subprocess
import sys

PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "secret_key": settings.SECRET_KEY,
    "allowed_hosts": settings.ALLOWED_HOSTS,
    "debug": settings.DEBUG,
    "engine": settings.DATABASES["default"]["ENGINE"],
}))
"""


def run_settings(tmp_path, **env):
    """Load the settings in a fresh interpreter with only the THIDUA_* variables given."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("THIDUA_")}
    clean.update(
        DJANGO_SETTINGS_MODULE="thidua.settings", THIDUA_DATA_DIR=str(tmp_path / "data"), **env
    )
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        env=clean,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def loaded(result) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_deployment_without_a_secret_key_refuses_to_start(tmp_path):
    result = run_settings(
        tmp_path, THIDUA_DEBUG="0", THIDUA_DATABASE_URL="postgres://thidua:pw@db:5432/thidua"
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "THIDUA_SECRET_KEY" in result.stderr
    assert not (tmp_path / "data" / "secret_key").exists()


def test_a_deployment_with_a_secret_key_starts_with_it(tmp_path):
    settings = loaded(
        run_settings(
            tmp_path,
            THIDUA_DEBUG="0",
            THIDUA_DATABASE_URL="postgres://thidua:pw@db:5432/thidua",
            THIDUA_SECRET_KEY="a-long-secret-from-the-vault",
        )
    )

    assert settings["secret_key"] == "a-long-secret-from-the-vault"
    assert settings["debug"] is False
    assert settings["engine"] == "django.db.backends.postgresql"


def test_embedded_mode_generates_a_private_secret_key_once_and_reuses_it(tmp_path):
    first = loaded(run_settings(tmp_path, THIDUA_DEBUG="0"))
    key_file = tmp_path / "data" / "secret_key"

    assert key_file.read_text().strip() == first["secret_key"]
    assert len(first["secret_key"]) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first["engine"] == "django.db.backends.sqlite3"
    second = loaded(run_settings(tmp_path, THIDUA_DEBUG="0"))
    assert second["secret_key"] == first["secret_key"]


def test_allowed_hosts_are_a_comma_separated_list(tmp_path):
    given = loaded(run_settings(tmp_path, THIDUA_ALLOWED_HOSTS=" thidua.hanam.gov.vn, 10.0.0.5 ,,"))
    default = loaded(run_settings(tmp_path))

    assert given["allowed_hosts"] == ["thidua.hanam.gov.vn", "10.0.0.5"]
    assert default["allowed_hosts"] == ["127.0.0.1", "localhost", "[::1]"]
    assert default["debug"] is False  # safe by default: debug only when asked


def test_postgresql_without_its_driver_says_which_extra_to_install(tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("THIDUA_")}
    clean.update(
        DJANGO_SETTINGS_MODULE="thidua.settings",
        THIDUA_DATA_DIR=str(tmp_path / "data"),
        THIDUA_DATABASE_URL="postgres://thidua@db:5432/thidua",
        THIDUA_SECRET_KEY="a-long-secret-from-the-vault",
    )
    # As if psycopg were not installed (a SQLite installation: no `postgres` extra).
    hide_drivers = "import sys; sys.modules['psycopg'] = sys.modules['psycopg2'] = None\n"
    result = subprocess.run(
        [sys.executable, "-c", hide_drivers + PRINT_SETTINGS],
        env=clean,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "thidua[postgres]" in result.stderr
