"""A decision number is never taken twice: threads issuing at the same moment get
consecutive numbers (docs/adr/0005-decision-numbers.md).

On PostgreSQL (THIDUA_DATABASE_URL) the threads run here, on the test database. The
suite's SQLite test database lives in memory, whose shared cache answers "table is
locked" instead of waiting, unlike the file the application runs on: there the same
threads run in a child process on a fresh SQLite file (`benchmarks.bench_decisions`)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from benchmarks.bench_decisions import build, issue_concurrently
from thidua.decisions.models import Decision

ROOT = Path(__file__).resolve().parents[3]
THREADS = 10


def _in_memory() -> bool:
    name = str(connection.settings_dict.get("TEST", {}).get("NAME") or "")
    return connection.vendor == "sqlite" and (not name or "memory" in name)


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_get_consecutive_numbers():
    if _in_memory():
        env = {k: v for k, v in os.environ.items() if not k.startswith(("THIDUA_", "DJANGO_"))}
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_decisions",
             "--concurrent", str(THREADS), "--certificates", "1"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert "database: sqlite" in out.stdout, out.stderr
        assert f"gave numbers [1, 2, 3]…[{THREADS}]: consecutive, none twice" in out.stdout
        return
    province, nominees = build(THREADS)
    numbers, errors = issue_concurrently(province, nominees)
    assert errors == []
    assert numbers == list(range(1, THREADS + 1))
    assert sorted(Decision.objects.values_list("sequence", flat=True)) == numbers
