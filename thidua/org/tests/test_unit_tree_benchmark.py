"""benchmarks/bench_unit_tree.py (issue 11: the unit tree and the people list at national
size) at a small size, so that it cannot rot: it builds its country, measures every case
and prints its figures, and a second run with --keep reuses the country it built. Timings
at this size say nothing: the test fails when the benchmark crashes or stops printing."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def run(*args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("THIDUA_", "DJANGO_"))}
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_unit_tree", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1), result.stdout + result.stderr  # 1: a target missed
    return result.stdout


def test_the_unit_tree_benchmark_runs_and_reuses_its_country(tmp_path):
    args = ("--scale", "0.01", "--people-per-commune", "2", "--repeat", "1")

    built = run(*args, "--keep", str(tmp_path))
    reused = run(*args, "--keep", str(tmp_path))

    assert "built 143 units and 200 people" in built
    assert "reused 143 units and 200 people" in reused
    for out in (built, reused):
        assert "officer: people, by it in 2020" in out
        assert "worst median:" in out
