"""Load benchmark: a synthetic province (100,000 people, 3,000 units, ten years of records)
loaded into a fresh database, against the targets of ≤ 60 s and ≤ 1 GB peak memory.

    python -m benchmarks.bench_load [--people N] [--units U] [--database-url postgres://…]
        [--skip-sqlite]

The dataset file is generated once under benchmarks/out/ (deterministic, see
benchmarks/synthetic.py). Each database is measured in its own process, which sets
THIDUA_DATABASE_URL and THIDUA_DATA_DIR before Django starts, migrates, then loads; the time
is the load alone (wall clock, and the loading process's CPU time, which a busy machine
disturbs less; PostgreSQL's own work is in its server processes), the memory the process's
peak resident size (ru_maxrss); a file of 32 MB or more is parsed by a child process
(`thidua.interchange.dataset.parallel`), whose CPU time and peak are shown apart ("reader").
SQLite always
(a fresh file under benchmarks/out/), PostgreSQL when --database-url is given: that database
is dropped and created again on every run, so never point it at one that matters.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

from benchmarks.common import child_env, migrate
from benchmarks.synthetic import synthetic_name
from thidua.accounts.system import SYSTEM

OUT = Path(__file__).resolve().parent / "out"
TARGET_SECONDS = 60
TARGET_MB = 1024
# Other engineers' test runs use these; a benchmark must never drop them.
FORBIDDEN_DATABASES = {"test", "test_test", "postgres", "template0", "template1"}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=3000, help="the province's units")
    parser.add_argument("--database-url", help="a PostgreSQL URL; the database is recreated")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--child", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _child(Path(args.child))

    OUT.mkdir(exist_ok=True)
    dataset = OUT / synthetic_name(args.people, args.units)
    if not dataset.exists():
        from benchmarks.synthetic import generate

        started = time.perf_counter()
        counts = generate(dataset, people=args.people, units=args.units)
        print(
            f"generated {dataset.name}: {sum(counts.values()):,} rows "
            f"in {time.perf_counter() - started:.1f} s"
        )
    print(f"dataset: {dataset} ({dataset.stat().st_size / 1e6:.0f} MB)")

    targets = []
    if not args.skip_sqlite:
        db = OUT / f"bench-{args.people}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        targets.append(("SQLite", f"sqlite:///{db}"))
    if args.database_url:
        _recreate_postgres(args.database_url)
        targets.append(("PostgreSQL", args.database_url))

    ok = True
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(
        f"{'database':<12}{'rows':>12}{'seconds':>10}{'CPU s':>8}{'peak MB':>10}"
        f"{'reader CPU s':>14}{'reader MB':>11}  target ≤ 60 s, ≤ 1024 MB"
    )
    for label, url in targets:
        result = _run(url, dataset)
        met = result["seconds"] <= TARGET_SECONDS and result["peak_mb"] <= TARGET_MB
        ok &= met
        print(
            f"{label:<12}{result['rows']:>12,}{result['seconds']:>10.1f}{result['cpu']:>8.1f}"
            f"{result['peak_mb']:>10.0f}{result['reader_cpu']:>14.1f}{result['reader_mb']:>11.0f}"
            f"  {'met' if met else 'MISSED'}"
        )
    return 0 if ok else 1


def _recreate_postgres(url: str) -> None:
    parts = urlparse(url)
    name = unquote(parts.path.lstrip("/"))
    if not name or name in FORBIDDEN_DATABASES:
        sys.exit(f"refusing to drop database {name!r}; use e.g. thidua_bench")
    options = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
    if parts.username:
        options += ["-U", unquote(parts.username)]
    env = {**os.environ, **({"PGPASSWORD": unquote(parts.password)} if parts.password else {})}
    subprocess.run(["dropdb", "--if-exists", *options, name], check=True, env=env)
    subprocess.run(["createdb", *options, name], check=True, env=env)


def _run(url: str, dataset: Path) -> dict:
    env = child_env(url, OUT / "data")
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_load", "--child", str(dataset)],
        env=env,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        sys.exit(f"the load into {url} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _child(dataset: Path) -> int:
    import django

    django.setup()
    migrate()
    from thidua.interchange.dataset import DatasetError, load_dataset

    children = _children_cpu()
    started, cpu_started = time.perf_counter(), time.process_time()
    try:
        report = load_dataset(dataset, actor=SYSTEM)
    except DatasetError as exc:
        sys.stderr.write("\n".join(exc.lines()[:50]) + "\n")
        return 1
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kB
    # A large file is parsed by a child process (`dataset.parallel`): its CPU and peak.
    reader_cpu = _children_cpu() - children
    reader_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 if reader_cpu else 0
    print(
        json.dumps(
            {
                "rows": report.total,
                "seconds": seconds,
                "cpu": cpu,
                "peak_mb": peak_mb,
                "reader_cpu": reader_cpu,
                "reader_mb": reader_mb,
            }
        )
    )
    return 0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    sys.exit(main())
