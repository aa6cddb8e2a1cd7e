"""Decisions (issue 9, "Numbers"): concurrent issuing and certificate printing.

    python -m benchmarks.bench_decisions [--concurrent 20] [--certificates 1000]
                                         [--database URL] [--keep DIR]

Builds a fresh SQLite database in a temporary directory (or uses `--database`, e.g. a
PostgreSQL database of your own, which it empties with `flush`): a province, a district,
its people, a round whose dossier is ready for the council with `concurrent` +
`certificates` nominees the council passed (inserted with bulk_create; not measured).

- `concurrent` threads each issue one decision of one nominee at the same moment
  (`services.issue_decision`); the numbers must be 1..N, consecutive, none twice;
- one decision of `certificates` nominees is issued, then its certificates are rendered
  into one PDF (`certificates.render`, the batch print of the decision page): target ≤ 60 s.
"""

import argparse
import datetime
import os
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.common import migrate
from thidua.accounts.system import SYSTEM

PDF_TARGET_S = 60.0
D = datetime.date


def build(count: int):
    """The province and `count` passed nominees in one ready dossier; returns (province,
    nominees)."""
    from django.db import transaction

    from thidua.nominations.choices import CouncilOutcome, RoundKind, State
    from thidua.nominations.models import Dossier, Nominee, Round
    from thidua.org.choices import UnitKind
    from thidua.org.models import Employment, Person, Unit, UnitVersion

    epoch = D(2000, 1, 1)
    with transaction.atomic():
        province = Unit.objects.create(
            code="T", kind=UnitKind.PROVINCE, name="Tỉnh Thử Nghiệm", established_on=epoch
        )
        district = Unit.objects.create(
            code="H", kind=UnitKind.DISTRICT, name="Huyện Thử", established_on=epoch
        )
        UnitVersion.objects.bulk_create(
            [
                UnitVersion(unit=province, name=province.name, valid_from=epoch),
                UnitVersion(unit=district, name=district.name, parent=province, valid_from=epoch),
            ]
        )
        people = []
        for n in range(count):
            person = Person(
                code=f"P{n:07d}", family_name="Nguyễn", middle_name="Thị Hồng",
                given_name=f"Nhung {n}", gender="F", birth_date=D(1980, 1, 1),
            )  # fmt: skip
            person.fill_derived()
            people.append(person)
        Person.objects.bulk_create(people)
        Employment.objects.bulk_create(
            Employment(person=p, unit=district, start=D(2010, 1, 1)) for p in people
        )
        round_ = Round.objects.create(
            unit=province, year=2025, kind=RoundKind.ANNUAL, name="Khen thưởng 2025",
            opened_on=D(2025, 11, 1), deadline=D(2025, 12, 10),
        )  # fmt: skip
        dossier = Dossier.objects.create(
            round=round_, unit=district, state=State.READY_FOR_COUNCIL, state_since=D(2025, 12, 28)
        )
        Nominee.objects.bulk_create(
            Nominee(
                dossier=dossier,
                subject_kind="individual",
                person=p,
                award_code="BK_TINH",
                period_start=D(2025, 1, 1),
                period_end=D(2025, 12, 31),
                summary="Xuất sắc",
                source="register",
                council_outcome=CouncilOutcome.PASSED,
            )  # fmt: skip
            for p in people
        )
    return province, list(Nominee.objects.order_by("pk"))


def issue_concurrently(province, nominees) -> tuple[list[int], list[str]]:
    """One thread per nominee, all released at once, each issuing one decision; returns
    the sequences given and the errors raised."""
    from django.db import connection

    from thidua.decisions import services

    barrier = threading.Barrier(len(nominees))
    numbers, errors = [], []
    lock = threading.Lock()

    def issue(nominee):
        try:
            barrier.wait()
            decision = services.issue_decision(
                province,
                [nominee],
                decided_on=D(2026, 1, 8),
                signer_name="Trần Văn Bình",
                signer_position="Chủ tịch",
                actor=SYSTEM,
            )
            with lock:
                numbers.append(decision.sequence)
        except Exception as exc:  # reported; the benchmark fails on it
            with lock:
                errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(n,)) for n in nominees]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(numbers), errors


def print_certificates(province, nominees) -> tuple[float, int]:
    from thidua.decisions import certificates, services

    decision = services.issue_decision(
        province,
        nominees,
        decided_on=D(2026, 1, 9),
        signer_name="Trần Văn Bình",
        signer_position="Chủ tịch",
        actor=SYSTEM,
    )
    lines = list(decision.recipients.select_related("decision__authority", "award"))
    began, cpu = time.perf_counter(), time.thread_time()
    pdf = certificates.render(lines, lambda s: f"https://thidua.example.vn/xac-minh/{s}/")
    return time.perf_counter() - began, time.thread_time() - cpu, len(pdf)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrent", type=int, default=20)
    parser.add_argument("--certificates", type=int, default=1000)
    parser.add_argument("--database", help="a database URL (default: a fresh SQLite file)")
    parser.add_argument("--keep", type=Path, help="build the database in this directory")
    args = parser.parse_args(argv)
    tmp = None
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        data_dir = args.keep
    else:
        tmp = tempfile.TemporaryDirectory(prefix="thidua-bench-")
        data_dir = Path(tmp.name)
    from benchmarks.common import child_env, configure

    if args.database:
        os.environ.update(child_env(args.database, data_dir))
        import django

        django.setup()
    else:
        configure(data_dir)
    from django.core.management import call_command
    from django.db import connection

    migrate()
    if args.database:
        call_command("flush", interactive=False, verbosity=0)
    province, nominees = build(args.concurrent + args.certificates)
    print(f"database: {connection.vendor}; load average {os.getloadavg()[0]:.2f}")
    numbers, errors = issue_concurrently(province, nominees[: args.concurrent])
    expected = list(range(1, args.concurrent + 1))
    consecutive = numbers == expected and not errors
    print(
        f"{args.concurrent} concurrent decision issues gave numbers {numbers[:3]}…{numbers[-1:]}: "
        f"{'consecutive, none twice' if consecutive else 'NOT consecutive'}"
        + (f"; errors: {errors[:3]}" if errors else "")
    )
    seconds, cpu_seconds, size = print_certificates(province, nominees[args.concurrent :])
    print(
        f"{args.certificates} certificates to one PDF: {seconds:.1f} s, CPU {cpu_seconds:.1f} s "
        f"({size / 1e6:.1f} MB; target ≤ {PDF_TARGET_S:.0f} s); "
        f"load average after {os.getloadavg()[0]:.2f}"
    )
    if tmp:
        connection.close()
        tmp.cleanup()
    return 0 if consecutive and seconds <= PDF_TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
