"""Faults (issue 12 §8): a load killed with SIGKILL in the middle of its writes leaves the
database exactly as before (compared dump for dump); a database that goes away answers a
clear 503 page, and the site recovers by itself once it is back."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.synthetic import generate
from thidua.testing import migrated_data_dir


def clean_env(data_dir: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THIDUA_")}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env | {
        "THIDUA_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "thidua.settings",
        **extra,
    }


def thidua(*args, env, timeout=300):
    exe = os.path.join(os.path.dirname(sys.executable), "thidua")
    return subprocess.run(
        [exe, *args], env=env, capture_output=True, text=True, timeout=timeout, check=True
    )


def full_dump(path: Path) -> list[str]:
    """Every row of every table, as SQL."""
    db = sqlite3.connect(path)
    try:
        return list(db.iterdump())
    finally:
        db.close()


def test_a_load_killed_mid_write_leaves_the_database_as_before(tmp_path):
    data = migrated_data_dir(tmp_path / "data")
    # SQLite's default 2 MB page cache: the load's uncommitted pages spill into the WAL as it
    # writes, which tells this test the load is mid-write (with a large cache they would
    # reach the WAL only at the commit).
    env = clean_env(
        data, DJANGO_SUPERUSER_PASSWORD="a-long-unusual-password-41", THIDUA_LOAD_CACHE_MB="2"
    )
    large = tmp_path / "large.json"
    thidua("createsuperuser", "--noinput", "--username", "root", "--email", "r@x.vn", env=env)
    database = data / "thidua.sqlite3"
    before = full_dump(database)
    # A province large enough that its writes take a while: they fill about 4 MB of WAL.
    generate(large, people=3_000, units=120, seed=2)

    exe = os.path.join(os.path.dirname(sys.executable), "thidua")
    process = subprocess.Popen(
        [exe, "load", str(large)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    wal = database.with_name(database.name + "-wal")
    deadline = time.monotonic() + 300
    # Wait until the load is writing: its uncommitted pages spill into the WAL file.
    while (not wal.exists() or wal.stat().st_size < 1_000_000) and time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read()
        time.sleep(0.05)
    assert process.poll() is None, "the load ended before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    assert process.returncode == -signal.SIGKILL
    assert full_dump(database) == before


UNAVAILABLE = """
import shutil, django
from pathlib import Path
django.setup()
from django.core.management import call_command
from django.test import Client
from django.conf import settings
call_command("migrate", verbosity=0)
client = Client(HTTP_HOST="localhost", raise_request_exception=False)
print("before", client.get("/tin-tuc/").status_code)
db = Path(settings.DATABASES["default"]["NAME"])
aside = db.with_name("aside")
aside.mkdir()
for f in db.parent.glob(db.name + "*"):
    shutil.move(f, aside / f.name)
db.mkdir()  # the path now cannot be opened as a database
from django.db import connections
connections.close_all()  # as when the database server restarts: the connection is gone
response = client.get("/tin-tuc/")
print("away", response.status_code, response["Retry-After"])
print("page", "cơ sở dữ liệu" in response.content.decode().lower())
db.rmdir()
for f in aside.iterdir():
    shutil.move(f, db.parent / f.name)
print("back", client.get("/tin-tuc/").status_code)
"""


def test_a_database_that_goes_away_gives_a_503_page_then_recovers(tmp_path):
    env = clean_env(migrated_data_dir(tmp_path / "data"))
    out = subprocess.run(
        [sys.executable, "-c", UNAVAILABLE],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    lines = dict(line.split(" ", 1) for line in out.stdout.splitlines())
    assert lines == {
        "before": "200",
        "away": "503 30",
        "page": "True",
        "back": "200",
    }
