"""Every benchmark in benchmarks/ runs at a small size here, so that none can rot: each
builds its data, measures and prints its figures against the targets. Timings at this
size say nothing (a busy machine may even miss a target), so a test fails when a
benchmark crashes or stops printing its figures, not when it is slow."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def bench(name: str, *args: str) -> str:
    """Run `python -m benchmarks.<name> ARGS` on SQLite; its standard output."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("THIDUA_", "DJANGO_"))}
    result = subprocess.run(
        [sys.executable, "-m", f"benchmarks.{name}", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert "Traceback" not in result.stderr, result.stderr
    # 0: within the targets; 1: a target missed (printed as such), never a crash.
    assert result.returncode in (0, 1), result.stdout + result.stderr
    return result.stdout


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        # Different sizes: the dataset files under benchmarks/out/ are named by size, and
        # the two benchmarks that use them may run at the same time (pytest-xdist).
        (
            "bench_decisions",
            ["--concurrent", "8", "--certificates", "20"],
            ["concurrent decision issues", "consecutive, none twice", "certificates to one PDF"],
        ),
        ("bench_load", ["--people", "300", "--units", "150"], ["SQLite", "target ≤ 60 s"]),
        (
            "bench_eligibility",
            ["--people", "400", "--units", "150", "--repeat", "1"],
            ["queries for everyone", "one person", "targets:"],
        ),
        ("bench_people_list", ["--people", "300", "--repeat", "2"], ["worst p95:"]),
        (
            "bench_national",
            ["--people", "500", "--scale", "0.03", "--repeat", "1"],
            ["eligibility", "partitioned results identical", "targets:"],
        ),
        (
            "bench_emulation",
            ["--blocks", "3", "--members", "5", "--criteria", "12", "--repeat", "2"],
            ["rank the year (3 blocks)", "block dashboard (5 members)"],
        ),
        (
            "bench_council",
            ["--nominees", "5", "--members", "4", "--repeat", "1"],
            ["20 concurrent votes", "tally of 5 nominees", "meeting page (5 nominees"],
        ),
        (
            "bench_statistics",
            ["--districts", "2", "--communes", "3", "--staff", "3", "--repeat", "1"],
            ["form 0602.N of the province", "form 0605.N of the province", "target ≤ 5 s"],
        ),
        # bench_report runs in tests/test_bench_report.py (with --keep, in a bare environment).
    ],
    ids=lambda value: value if isinstance(value, str) and value.startswith("bench_") else "",
)
def test_the_benchmark_runs_at_a_small_size(name, args, expected):
    out = bench(name, *args)
    for line in expected:
        assert line in out, out


def test_the_concurrent_users_benchmark_runs_at_a_small_size():
    """Reads of the district's and a synthetic province's pages and scoring saves mixed,
    through pre-made sessions: no error. Bounded by requests, not seconds (8 each: the
    province's officer reads each of its seven pages and a person's page whatever the
    machine's speed), one gunicorn worker, one timed login."""
    args = ["--users", "3", "--seconds", "120", "--requests", "8", "--writes", "0.3"]
    args += ["--think", "0", "--workers", "1", "--logins", "1"]
    out = bench("bench_concurrent", *args, "--people", "250", "--units", "150")
    assert "p95" in out and "errors: 0" in out, out
    saves = re.search(r"scoring saves: (\d+),", out)
    assert saves and int(saves.group(1)) > 0, out
    assert "province /to-chuc/can-bo/:" in out and "district /" in out, out
    assert "load average" in out and "one login" in out
