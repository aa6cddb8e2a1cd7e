"""Server time of the start page for a district officer (target: median and p95 ≤ 150 ms,
the same number of queries at every size).

    python -m benchmarks.bench_home [--people 20000] [--tasks 300] [--repeat 20]

Builds a fresh SQLite database in a temporary directory: a province, 10 districts of 50
communes, the people spread over the first district's communes (a third of them rated for
the year), an open emulation block of the districts, and tasks assigned to the communes,
past their deadline. Times the page as the district's officer, at the full size and at a
tenth of it, and prints median, p95 and the query count of both.
"""

import argparse
import datetime
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import configure, migrate
from thidua.accounts.system import SYSTEM

TARGET_MS = 150
YEAR = 2025


def build(people: int, tasks: int, prefix: str = "B"):
    """The units, people, ratings, block and tasks (bulk where it counts); the officer."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from thidua.accounts.choices import Role
    from thidua.accounts.models import UserRole
    from thidua.emulation import services as emulation
    from thidua.emulation.tests.factories import criteria
    from thidua.org.choices import Gender, UnitKind
    from thidua.org.models import Employment, Person, Unit, UnitVersion
    from thidua.plans.models import Task, TaskAssignment
    from thidua.records.models import PersonRating

    epoch = datetime.date(2000, 1, 1)
    with transaction.atomic():
        province = Unit(
            code=f"{prefix}T", kind=UnitKind.PROVINCE, name="Tỉnh Thử", established_on=epoch
        )
        districts = [
            Unit(
                code=f"{prefix}H{d}",
                kind=UnitKind.DISTRICT,
                name=f"Huyện {d}",
                established_on=epoch,
            )
            for d in range(10)
        ]
        communes = [
            Unit(
                code=f"{prefix}H{d}-X{c:02d}",
                kind=UnitKind.COMMUNE,
                name=f"Xã {d}-{c}",
                established_on=epoch,
            )
            for d in range(10)
            for c in range(50)
        ]
        units = [province, *districts, *communes]
        for unit in units:
            unit.fill_derived()
        Unit.objects.bulk_create(units)
        parent = {province.code: None, **{d.code: province for d in districts}}
        parent.update(
            {c.code: districts[int(c.code.split("-")[0][len(prefix) + 1 :])] for c in communes}
        )
        UnitVersion.objects.bulk_create(
            UnitVersion(unit=u, name=u.name, parent=parent[u.code], valid_from=epoch) for u in units
        )
        mine = communes[:50]
        batch = []
        for n in range(people):
            person = Person(
                code=f"{prefix}P{n:06d}",
                family_name="Trần",
                middle_name="Văn",
                given_name=f"Người {n}",
                gender=Gender.MALE,
            )
            person.fill_derived()
            batch.append(person)
        Person.objects.bulk_create(batch, batch_size=2000)
        ids = list(
            Person.objects.filter(code__startswith=f"{prefix}P")
            .order_by("id")
            .values_list("id", flat=True)
        )
        Employment.objects.bulk_create(
            (Employment(person_id=pk, unit=mine[i % 50], start=epoch) for i, pk in enumerate(ids)),
            batch_size=2000,
        )
        PersonRating.objects.bulk_create(
            (PersonRating(person_id=pk, year=YEAR, level="HTT") for pk in ids[::3]),
            batch_size=2000,
        )
        for n in range(tasks):
            task = Task.objects.create(
                assigned_by=province,
                year=YEAR,
                title=f"Nhiệm vụ {n}",
                source_number=f"{n}/CT-UBND",
                source_date=datetime.date(YEAR, 2, 1),
                source_issuer="UBND tỉnh",
                deadline=datetime.date(YEAR, 6, 30),
            )
            TaskAssignment.objects.bulk_create(
                TaskAssignment(task=task, unit=unit) for unit in mine[:10]
            )
        block = emulation.create_block(
            code=f"{prefix}KHOI",
            year=YEAR,
            name="Khối các huyện",
            organiser=province,
            members=districts,
            actor=SYSTEM,
        )
        covenant = emulation.create_covenant(
            block,
            title="Giao ước",
            groups=criteria(),
            scoring_deadline=datetime.date(YEAR, 12, 15),
            actor=SYSTEM,
        )
        emulation.open_covenant(covenant, actor=SYSTEM)
        officer = get_user_model().objects.create(username=f"{prefix}-officer")
        UserRole.objects.create(user=officer, unit=districts[0], role=Role.OFFICER)
    return officer


@dataclass
class Figures:
    median_ms: float
    p95_ms: float
    queries: int


def run(officer, repeat: int = 20) -> Figures:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = Client(HTTP_HOST="localhost")
    client.force_login(officer)
    path = reverse("home")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, {"nam": YEAR})
    assert response.status_code == 200, response.status_code
    queries = len(ctx.captured_queries)
    client.get(path, {"nam": YEAR})  # warm-up: templates compiled, caches filled
    timings = []
    for _ in range(repeat):
        began = time.perf_counter()
        client.get(path, {"nam": YEAR})
        timings.append((time.perf_counter() - began) * 1000)
    timings.sort()
    p95 = timings[max(0, round(0.95 * len(timings) + 0.5) - 1)]
    return Figures(statistics.median(timings), p95, queries)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--tasks", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="thidua-bench-") as tmp:
        configure(Path(tmp))

        migrate()
        print(f"GET /  as a district officer ({args.repeat} repetitions; target ≤ {TARGET_MS} ms)")
        worst, counts = 0.0, set()
        for prefix, people, tasks in (
            ("S", args.people // 10, args.tasks // 10),
            ("B", args.people, args.tasks),
        ):
            f = run(build(people, tasks, prefix), args.repeat)
            worst, counts = max(worst, f.p95_ms), counts | {f.queries}
            print(
                f"{people:>7,} people, {tasks:>4} tasks: median {f.median_ms:6.1f} ms,"
                f" p95 {f.p95_ms:6.1f} ms, {f.queries} queries"
            )
        ok = worst <= TARGET_MS and len(counts) == 1
        print(
            ("OK" if ok else "MISSED")
            + f" (worst p95 {worst:.1f} ms; query counts {sorted(counts)})"
        )
        from django.db import connections

        connections.close_all()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
