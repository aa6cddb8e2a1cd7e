"""`thidua serve` runs the background-job worker beside gunicorn and stops it with it."""

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from thidua.testing import migrated_data_dir

ENQUEUE = """
import django
django.setup()
from thidua.jobs.models import Job
from thidua.jobs.tasks import run_job
job = Job.objects.create(kind="no.such.kind", title="Thử")
run_job.enqueue(job.pk)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def workers_in(folder: Path) -> list[int]:
    """Processes running `thidua.cli worker` whose working directory is `folder`."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            cmd = (proc / "cmdline").read_bytes().split(b"\0")
            if b"thidua.cli" in cmd and b"worker" in cmd and (proc / "cwd").resolve() == folder:
                found.append(int(proc.name))
        except (OSError, ValueError):
            continue
    return found


def test_serve_starts_the_worker_which_runs_jobs_and_stops_with_it(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("THIDUA_")}
    # A migrated database (a copy of the suite's template): `serve` finds nothing to migrate.
    data = migrated_data_dir(tmp_path / "data")
    env.update(THIDUA_DATA_DIR=str(data), THIDUA_WORKERS="1", THIDUA_THREADS="2")
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
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=5).close()
                break
            except (urllib.error.URLError, ConnectionError):
                assert process.poll() is None, process.stdout.read()
                assert time.monotonic() < deadline
                time.sleep(0.5)
        subprocess.run(
            [sys.executable, "-c", ENQUEUE],
            env=env | {"DJANGO_SETTINGS_MODULE": "thidua.settings"},
            cwd=tmp_path,
            check=True,
            timeout=120,
        )
        db = sqlite3.connect(tmp_path / "data" / "thidua.sqlite3")
        status = None
        while status != "failed" and time.monotonic() < deadline:
            time.sleep(0.5)
            (status,) = db.execute("SELECT status FROM jobs_job").fetchone()
        assert status == "failed"  # run by the worker: a kind this version does not know
        assert workers_in(tmp_path.resolve())
    finally:
        process.terminate()
        process.communicate(timeout=60)
    assert not workers_in(tmp_path.resolve())
