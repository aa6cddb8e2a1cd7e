"""Schemathesis over the OpenAPI document (target: ≥ 2,000 requests, 0 server errors, every
answer's status documented), as an administrator and as a commune viewer.

    python -m benchmarks.bench_api_fuzz [--examples 50] [--keep DIR]

Builds a fresh SQLite database with the Kim Bảng demo world in a temporary directory, issues
an API token to the demo's `admin` and `xem` (a viewer of one commune), then lets
schemathesis generate requests for every operation of /api/openapi.json — valid ones and
invalid ones (wrong types, out-of-range numbers, huge integers, odd strings) — and sends
them in-process to Django's WSGI application with each token. Prints, per user, the
requests sent, the answers by status, the server errors and the undocumented statuses.
The test suite runs `fuzz()` at a small size (tests/test_api_fuzz.py).
"""

import argparse
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.common import configure

TARGET_REQUESTS = 2_000


@dataclass
class FuzzReport:
    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    undocumented: list[str] = field(default_factory=list)


def _runner(strategy, examples: int, tokens: dict[str, str]):
    """A function that runs hypothesis over `strategy` and returns what was answered:
    (case, token label, status) for every request sent."""
    import hypothesis
    from hypothesis import HealthCheck, Phase

    def run():
        answered = []

        @hypothesis.settings(
            max_examples=examples,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @hypothesis.given(case=strategy)
        def send(case):
            for label, token in tokens.items():
                response = case.call(headers={"Authorization": f"Bearer {token}"})
                answered.append((case, label, response.status_code))

        send()
        return answered

    return run


def fuzz(tokens: dict[str, str], examples: int) -> dict[str, FuzzReport]:
    """Send `examples` generated requests per operation and mode (valid, invalid) with each
    token (derandomised: the same requests every run); a report per token's label."""
    # As Django's test client does: keep the connection (and a test's transaction) open
    # across the in-process requests.
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from thidua.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        return _fuzz(application, tokens, examples)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _fuzz(application, tokens, examples) -> dict[str, FuzzReport]:
    import hypothesis
    import schemathesis
    from schemathesis.generation import GenerationMode

    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    # Strings of any character but lone surrogates: what the default codec, utf-8, allows,
    # said without a codec, so that hypothesis does not first build utf-8's table of
    # characters (2 s of CPU on a machine where its cache directory is new, as in CI).
    schema.config.generation.codec = None
    operations = [result.ok() for result in schema.get_all_operations()]
    reports = {label: FuzzReport() for label in tokens}
    for operation in operations:
        documented = {str(code) for code in operation.definition.raw["responses"]}
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            run = _runner(operation.as_strategy(generation_mode=mode), examples, tokens)
            try:
                for case, label, status in run():
                    report = reports[label]
                    report.requests += 1
                    report.statuses[status] += 1
                    where = f"{case.method} {case.formatted_path} {case.query or ''}"
                    if status >= 500:
                        report.server_errors.append(f"{status} {where}")
                    elif str(status) not in documented:
                        report.undocumented.append(f"{status} {where}")
            except hypothesis.errors.Unsatisfiable:
                continue  # no invalid request exists for an operation without parameters
    return reports


def print_reports(reports: dict[str, FuzzReport], seconds: float) -> bool:
    total = sum(r.requests for r in reports.values())
    print(f"{'user':<8} {'requests':>8} {'5xx':>5} {'undoc':>6}  statuses")
    for label, r in reports.items():
        statuses = ", ".join(f"{code}: {n}" for code, n in sorted(r.statuses.items()))
        print(
            f"{label:<8} {r.requests:>8} {len(r.server_errors):>5} {len(r.undocumented):>6}"
            f"  {statuses}"
        )
        for line in (r.server_errors + r.undocumented)[:10]:
            print(f"    {line}")
    errors = sum(len(r.server_errors) for r in reports.values())
    undocumented = sum(len(r.undocumented) for r in reports.values())
    ok = total >= TARGET_REQUESTS and errors == 0 and undocumented == 0
    print(
        f"\n{total:,} requests in {seconds:.0f} s: {errors} server errors, {undocumented} "
        f"undocumented statuses — {'OK' if ok else 'MISSED'} (target ≥ {TARGET_REQUESTS:,} "
        "requests, 0 server errors, every status documented)"
    )
    return ok


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=50, help="per operation and mode")
    parser.add_argument("--keep", type=Path, help="build the database here and keep it")
    args = parser.parse_args(argv)
    tmp = None
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        data_dir = args.keep
    else:
        tmp = tempfile.TemporaryDirectory(prefix="thidua-bench-")
        data_dir = Path(tmp.name)
    configure(data_dir)

    from django.contrib.auth import get_user_model

    from thidua.accounts.models import ApiToken
    from thidua.interchange.demo import load_demo, migrate_if_needed
    from thidua.org.models import Unit

    began = time.perf_counter()
    migrate_if_needed()
    if not Unit.objects.exists():
        load_demo()
    print(f"demo world ready in {time.perf_counter() - began:.0f} s ({data_dir})")
    users = get_user_model().objects.in_bulk(["admin", "xem"], field_name="username")
    tokens = {label: ApiToken.issue(users[label], "fuzz")[1] for label in ("admin", "xem")}

    began = time.perf_counter()
    reports = fuzz(tokens, args.examples)
    ok = print_reports(reports, time.perf_counter() - began)
    if tmp is not None:
        from django.db import connections

        connections.close_all()
        tmp.cleanup()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
