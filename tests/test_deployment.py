"""Running Thidua as the deployment guide (docs/deployment/README.md) says: the production
server, the health check, SQLite under concurrent writers, `check --deploy`."""

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from thidua.testing import migrated_data_dir

# The production configuration of docs/deployment/README.md (PostgreSQL behind a TLS proxy).
PRODUCTION_ENV = {
    "THIDUA_DATABASE_URL": "postgres://thidua@127.0.0.1:5432/thidua",
    "THIDUA_SECRET_KEY": "k7Yq2-vX9fP0wL3mZ8rT5nB1cH6jD4sG-eA0uI9oK2yW7qE3xR5tV8bN1mC4zF6h",
    "THIDUA_ALLOWED_HOSTS": "thidua.example.gov.vn",
    "THIDUA_CSRF_TRUSTED_ORIGINS": "https://thidua.example.gov.vn",
    "THIDUA_BEHIND_PROXY": "true",
    "THIDUA_SSL_REDIRECT": "true",
    "THIDUA_REQUIRE_2FA": "true",
}


def run_python(tmp_path, code: str, timeout: int = 120, **env):
    """Run `code` in a fresh interpreter with only the THIDUA_* variables given."""
    # Nothing of the test run's environment (the browser tests allow async-unsafe calls).
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("THIDUA_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    clean.update(
        DJANGO_SETTINGS_MODULE="thidua.settings", THIDUA_DATA_DIR=str(tmp_path / "data"), **env
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env=clean,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_healthz_answers_200_when_the_database_answers(client, db):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True}


HEALTHZ = """
import django, json
django.setup()
from django.test import Client
response = Client().get("/healthz/", HTTP_HOST="localhost")
print(json.dumps({"status": response.status_code, "body": response.json()}))
"""


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    result = run_python(
        tmp_path,
        HEALTHZ,
        THIDUA_DATABASE_URL="postgres://nobody@127.0.0.1:9/none?connect_timeout=2",
        THIDUA_SECRET_KEY="x" * 60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "status": 503,
        "body": {"status": "unavailable", "database": False},
    }


CHECK_DEPLOY = """
import django, sys
django.setup()
from django.core.management import call_command
call_command("check", "--deploy", "--fail-level", "WARNING")
"""


def test_check_deploy_is_clean_in_the_documented_production_configuration(tmp_path):
    result = run_python(tmp_path, CHECK_DEPLOY, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


CONCURRENT_WRITERS = """
import django, threading, json
django.setup()
from django.db import connection, transaction
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE scores (id INTEGER PRIMARY KEY, value INTEGER)")
errors = []

def writer(n):
    try:
        for i in range(15):
            # read, then write, in one transaction: what a scoring verb does
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM scores")
                cursor.fetchone()
                cursor.execute("INSERT INTO scores (value) VALUES (%s)", [n * 100 + i])
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connection.close()

threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
for t in threads: t.start()
for t in threads: t.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT COUNT(*) FROM scores")
    (count,) = cursor.fetchone()
print(json.dumps({"errors": errors, "count": count}))
"""


def test_embedded_sqlite_takes_concurrent_writers_without_database_is_locked(tmp_path):
    result = run_python(tmp_path, CONCURRENT_WRITERS)
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.splitlines()[-1])
    assert outcome == {"errors": [], "count": 8 * 15}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="gunicorn runs on Unix")
def test_serve_runs_the_production_server_and_creates_no_account(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("THIDUA_")}
    # A migrated database with one migration left to apply (the sessions' table, which the
    # site needs): `serve` migrates before it serves, without the ~15 s of CPU of migrating
    # from nothing.
    data = migrated_data_dir(tmp_path / "data")
    db = sqlite3.connect(data / "thidua.sqlite3")
    with db:
        db.execute("DROP TABLE django_session")
        db.execute("DELETE FROM django_migrations WHERE app = 'sessions'")
    db.close()
    env.update(THIDUA_DATA_DIR=str(data), THIDUA_WORKERS="2", THIDUA_THREADS="2")
    thidua = os.path.join(os.path.dirname(sys.executable), "thidua")
    process = subprocess.Popen(
        [thidua, "serve", "--addr", f"127.0.0.1:{port}"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=5) as r:
                    status, server = r.status, r.headers.get("Server", "")
                    body = json.loads(r.read())
                break
            except (urllib.error.URLError, ConnectionError):
                assert process.poll() is None, process.stdout.read()
                assert time.monotonic() < deadline
                time.sleep(0.5)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/thidua/site.css") as r:
            assert r.status == 200
    finally:
        process.terminate()
        output = process.communicate(timeout=60)[0]
    assert status == 200 and body["database"] is True
    assert "gunicorn" in server.lower()
    assert "thidua2020" not in output
    db = sqlite3.connect(tmp_path / "data" / "thidua.sqlite3")
    assert db.execute("SELECT COUNT(*) FROM auth_user").fetchone() == (0,)
    assert db.execute("SELECT COUNT(*) FROM org_unit").fetchone() == (0,)
    assert db.execute("SELECT COUNT(*) FROM django_session").fetchone() == (0,)  # migrated


HEADERS = """
import django, json
django.setup()
from django.test import Client
response = Client().get("/dang-nhap/", secure=True, HTTP_HOST="thidua.example.gov.vn")
plain = Client().get("/dang-nhap/", HTTP_HOST="thidua.example.gov.vn")
print(json.dumps({
    "status": response.status_code,
    "hsts": response.headers.get("Strict-Transport-Security"),
    "csp": response.headers.get("Content-Security-Policy"),
    "cookie_secure": response.cookies["csrftoken"]["secure"],
    "plain": [plain.status_code, plain.headers.get("Location")],
}))
"""


def test_production_sends_hsts_csp_secure_cookies_and_redirects_to_https(tmp_path):
    embedded = {k: v for k, v in PRODUCTION_ENV.items() if k != "THIDUA_DATABASE_URL"}
    result = run_python(tmp_path, HEADERS, **embedded, THIDUA_SECURE_COOKIES="true")
    assert result.returncode == 0, result.stderr
    headers = json.loads(result.stdout.splitlines()[-1])
    assert headers["status"] == 200
    assert headers["hsts"].startswith("max-age=31536000")
    assert (
        "script-src 'self'" in headers["csp"]
        and "unsafe-inline" not in headers["csp"].split("script-src")[1].split(";")[0]
    )
    assert headers["cookie_secure"] is True
    assert headers["plain"] == [301, "https://thidua.example.gov.vn/dang-nhap/"]


def test_the_embedded_mode_sends_no_hsts(tmp_path):
    result = run_python(tmp_path, HEADERS.replace("thidua.example.gov.vn", "localhost"))
    assert result.returncode == 0, result.stderr
    headers = json.loads(result.stdout.splitlines()[-1])
    assert headers["hsts"] is None and headers["plain"][0] == 200
