"""Server time of the people list on 100,000 people (target: median and p95 ≤ 150 ms).

    python -m benchmarks.bench_people_list [--people 100000] [--repeat 20] [--keep DIR]

Builds a fresh SQLite database in a temporary directory (nothing else is touched): one
province, 10 districts of 100 communes, the people spread over the communes with one
employment each and a fifth of them transferred once (some across districts). Then it
times the page through Django's test client, as a superuser and as an officer holding a
role on one district, for a diacritic-free search, a common word, and no search, on the
first and on the last page. Prints median and p95 in ms and the number of queries.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import configure, migrate

TARGET_MS = 150

FAMILY = (
    ["Nguyễn"] * 8
    + ["Trần"] * 3
    + ["Lê"] * 2
    + [
        "Phạm",
        "Hoàng",
        "Huỳnh",
        "Phan",
        "Vũ",
        "Võ",
        "Đặng",
        "Bùi",
        "Đỗ",
        "Hồ",
        "Ngô",
        "Dương",
        "Lý",
    ]
)
MIDDLE_M = ["Văn", "Văn", "Hữu", "Đức", "Minh", "Quang", "Xuân", "Thanh", "Công", "Ngọc"]
MIDDLE_F = ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Hồng", "Thanh", "Minh", "Phương", "Kim"]
GIVEN_M = [
    "An",
    "Anh",
    "Bình",
    "Cường",
    "Dũng",
    "Đức",
    "Giang",
    "Hải",
    "Hiếu",
    "Hoàng",
    "Hùng",
    "Huy",
    "Khánh",
    "Khoa",
    "Long",
    "Minh",
    "Nam",
    "Nghĩa",
    "Phong",
    "Phúc",
    "Quân",
    "Quang",
    "Sơn",
    "Tài",
    "Thắng",
    "Thành",
    "Toàn",
    "Trung",
    "Tuấn",
    "Việt",
]
GIVEN_F = [
    "An",
    "Anh",
    "Ánh",
    "Chi",
    "Dung",
    "Duyên",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hoa",
    "Huệ",
    "Hương",
    "Lan",
    "Liên",
    "Linh",
    "Loan",
    "Mai",
    "Nga",
    "Ngân",
    "Ngọc",
    "Nhung",
    "Oanh",
    "Phương",
    "Quyên",
    "Tâm",
    "Thảo",
    "Thủy",
    "Trang",
    "Vân",
    "Yến",
]


def build(people: int, seed: int = 2020):
    """Units, people and employments through bulk_create; returns (officer, superuser)."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.db import transaction

    from thidua.accounts.choices import Role
    from thidua.accounts.models import UserRole
    from thidua.org.choices import Gender, UnitKind
    from thidua.org.models import Employment, Person, Unit, UnitVersion

    migrate()
    rng = random.Random(seed)
    epoch = datetime.date(2000, 1, 1)
    with transaction.atomic():
        province = Unit(
            code="T", kind=UnitKind.PROVINCE, name="Tỉnh Thử Nghiệm", established_on=epoch
        )
        districts = [
            Unit(
                code=f"H{d:02d}", kind=UnitKind.DISTRICT, name=f"Huyện Số {d}", established_on=epoch
            )
            for d in range(10)
        ]
        communes = [
            Unit(
                code=f"H{d:02d}-X{c:03d}",
                kind=UnitKind.COMMUNE,
                name=f"Xã {d}-{c}",
                established_on=epoch,
            )
            for d in range(10)
            for c in range(100)
        ]
        units = [province, *districts, *communes]
        for unit in units:
            unit.fill_derived()
        Unit.objects.bulk_create(units)
        parent = {province.code: None, **{d.code: province for d in districts}}
        parent.update({c.code: districts[int(c.code[1:3])] for c in communes})
        UnitVersion.objects.bulk_create(
            UnitVersion(unit=u, name=u.name, parent=parent[u.code], valid_from=epoch) for u in units
        )

        batch = []
        for n in range(people):
            female = rng.random() < 0.5
            person = Person(
                code=f"P{n:06d}",
                family_name=rng.choice(FAMILY),
                middle_name=rng.choice(MIDDLE_F if female else MIDDLE_M),
                given_name=rng.choice(GIVEN_F if female else GIVEN_M),
                gender=Gender.FEMALE if female else Gender.MALE,
                birth_date=datetime.date(1960 + n % 40, 1 + n % 12, 1 + n % 28),
            )
            person.fill_derived()
            batch.append(person)
        Person.objects.bulk_create(batch, batch_size=5000)
        ids = list(Person.objects.order_by("id").values_list("id", flat=True))

        start, moved = datetime.date(2010, 1, 1), datetime.date(2018, 1, 1)
        employments = []
        for person_id in ids:
            first = rng.choice(communes)
            if rng.random() < 0.2:
                employments.append(
                    Employment(
                        person_id=person_id,
                        unit=first,
                        position="Chuyên viên",
                        start=start,
                        end=moved,
                    )
                )
                employments.append(
                    Employment(
                        person_id=person_id,
                        unit=rng.choice(communes),
                        position="Phó phòng",
                        start=moved,
                    )
                )
            else:
                employments.append(
                    Employment(person_id=person_id, unit=first, position="Chuyên viên", start=start)
                )
        Employment.objects.bulk_create(employments, batch_size=5000)

        User = get_user_model()
        superuser = User.objects.create(username="root", is_superuser=True, is_staff=True)
        officer = User.objects.create(username="officer")
        UserRole.objects.create(user=officer, unit=districts[0], role=Role.OFFICER)
    return officer, superuser, len(employments)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))]


@dataclass
class Result:
    median: float
    p95: float
    cpu_median: float
    cpu_p95: float
    queries: int
    rows: int


def measure(client, path, params, repeat) -> Result:
    """Server time in ms (wall clock, and CPU time of this process, which includes
    SQLite's work and is less disturbed by other processes on a busy machine), the query
    count and the rows on the page."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, params)  # also warms the caches
    assert response.status_code == 200, response.status_code
    queries = len(ctx.captured_queries)  # read now: the next requests reset the query log
    rows = response.content.decode().count('<th scope="row">')
    timings, cpu = [], []
    for _ in range(repeat):
        began, began_cpu = time.perf_counter(), time.process_time()
        client.get(path, params)
        timings.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    return Result(
        statistics.median(timings),
        percentile(timings, 0.95),
        statistics.median(cpu),
        percentile(cpu, 0.95),
        queries,
        rows,
    )


def cases_for(user):
    """(label, query string) pairs: each search on page 1, a middle page and the last."""
    import math

    from django.conf import settings

    from thidua.accounts import scope
    from thidua.org.filters import PersonFilter

    cases = []
    for label, params in (
        ("q='nguyen van an'", {"q": "nguyen van an"}),
        ("q='thi'", {"q": "thi"}),
        ("no search", {}),
    ):
        found = PersonFilter(params, queryset=scope.people(user)).qs.count()
        pages = max(1, math.ceil(found / settings.PAGE_SIZE))
        cases.append((f"{label}, page 1", params))
        if pages > 2:
            cases.append((f"{label}, page {pages // 2}", {**params, "page": pages // 2}))
        if pages > 1:
            cases.append((f"{label}, last page ({pages})", {**params, "page": pages}))
    cases.append(("unit filter, page 1", {"unit": "H00-X001"}))
    cases.append(("no match ('nguyen van zzz')", {"q": "nguyen van zzz"}))
    return cases


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument(
        "--keep", type=Path, help="build the database in this directory and keep it"
    )
    args = parser.parse_args(argv)

    tmp = None
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        data_dir = args.keep
    else:
        tmp = tempfile.TemporaryDirectory(prefix="thidua-bench-")
        data_dir = Path(tmp.name)
    configure(data_dir)

    began = time.perf_counter()
    officer, superuser, employments = build(args.people)
    print(
        f"built {args.people:,} people and {employments:,} employments in "
        f"{time.perf_counter() - began:.1f} s ({data_dir})"
    )

    from django.test import Client
    from django.urls import reverse

    path = reverse("org:person_list")
    print(f"\nGET {path}  ({args.repeat} repetitions; target ≤ {TARGET_MS} ms)\n")
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs\n")
    print(
        f"{'user':<10} {'case':<34} {'median':>7} {'p95':>7} {'cpu med':>8} {'cpu p95':>8}"
        f" {'queries':>8} {'rows':>5}"
    )
    worst = worst_cpu = 0.0
    for label, user in (("superuser", superuser), ("officer", officer)):
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        for name, params in cases_for(user):
            r = measure(client, path, params, args.repeat)
            worst, worst_cpu = max(worst, r.p95), max(worst_cpu, r.cpu_p95)
            flag = "" if r.p95 <= TARGET_MS else "  over target"
            print(
                f"{label:<10} {name:<34} {r.median:7.1f} {r.p95:7.1f} {r.cpu_median:8.1f}"
                f" {r.cpu_p95:8.1f} {r.queries:>8} {r.rows:>5}{flag}"
            )
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")
    verdict = "OK" if worst <= TARGET_MS else "MISSED"
    print(
        f"worst p95: {worst:.1f} ms wall, {worst_cpu:.1f} ms CPU — {verdict} (target {TARGET_MS} ms)"
    )
    if tmp is not None:
        from django.db import connections

        connections.close_all()
        tmp.cleanup()
    return 0 if worst <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
