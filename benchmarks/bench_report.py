"""A province-level year-end summary (issue 5, "Numbers"): the .docx report and the
dashboard.

    python -m benchmarks.bench_report [--districts 20] [--communes 49] [--indicators 300]
                                      [--tasks 5000] [--staff 10] [--repeat 10] [--keep DIR]

`--keep DIR` builds the database there and keeps it; a later run with the same DIR
reuses it and only times (the build's memory then does not weigh on the timings).

Builds a fresh SQLite database in a temporary directory (nothing else is touched): one
province with `districts × communes` units beneath it (1,000 units with the districts by
default), `staff` people in each unit with their 2020 ratings, awards to a tenth of them
and to a third of the units; `indicators` indicators with the districts' 2019 and 2020
figures (the province's own is their sum) and, for a sixth of them, the communes'
figures instead (aggregated twice); the province's reference values; `tasks` tasks the
centre assigned to the province, each passed on to four districts. Then it times:

- `build_summary` + the .docx of the province (target ≤ 5 s);
- the province's dashboard through Django's test client as its officer (target: median
  ≤ 300 ms), and its query count against a province of five units.

The rows are inserted with `bulk_create` (building the fixture is not what is measured);
the summary, the report and the page run the application's own code.
"""

import argparse
import gc
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.common import configure, migrate
from thidua.accounts.system import SYSTEM

DOCX_TARGET_S = 5.0
PAGE_TARGET_MS = 300


def build_province(code, districts, communes, indicators, tasks, staff, rng, centre):
    """One province and everything its summary reads; returns the province."""
    import datetime
    from decimal import Decimal

    from thidua.org.choices import UnitKind
    from thidua.org.models import Employment, Person, Unit, UnitVersion
    from thidua.plans.models import (
        Goal,
        Indicator,
        IndicatorActual,
        IndicatorReference,
        Task,
        TaskAssignment,
    )
    from thidua.records.models import Award, PersonRating, UnitRating

    epoch, D = datetime.date(2000, 1, 1), datetime.date
    levels = ["HTXS", "HTT", "HTT", "HTT", "HT", "KHT"]

    def unit(c, kind, name):
        u = Unit(code=c, kind=kind, name=name, established_on=epoch)
        u.fill_derived()
        return u

    province = unit(code, UnitKind.PROVINCE, f"Tỉnh {code}")
    tops = [unit(f"{code}-H{d:02d}", UnitKind.DISTRICT, f"Huyện {d}") for d in range(districts)]
    lows = [
        unit(f"{code}-H{d:02d}-X{c:02d}", UnitKind.COMMUNE, f"Xã {d}-{c}")
        for d in range(districts)
        for c in range(communes)
    ]
    Unit.objects.bulk_create([province, *tops, *lows])
    UnitVersion.objects.bulk_create(
        [UnitVersion(unit=province, name=province.name, valid_from=epoch)]
        + [UnitVersion(unit=u, name=u.name, parent=province, valid_from=epoch) for u in tops]
        + [
            UnitVersion(unit=u, name=u.name, parent=tops[i // communes], valid_from=epoch)
            for i, u in enumerate(lows)
        ]
    )
    units = [*tops, *lows]
    UnitRating.objects.bulk_create(
        [UnitRating(unit=u, year=2020, level=rng.choice(levels[:4])) for u in units]
    )
    people = []
    for u in units:
        for n in range(staff):
            p = Person(
                code=f"{u.code}-P{n}",
                family_name="Nguyễn",
                middle_name="Văn",
                given_name=f"A{n}",
                gender="M",
            )
            p.fill_derived()
            people.append((p, u))
    Person.objects.bulk_create([p for p, _u in people])
    Employment.objects.bulk_create([Employment(person=p, unit=u, start=epoch) for p, u in people])
    PersonRating.objects.bulk_create(
        [PersonRating(person=p, year=2020, level=rng.choice(levels)) for p, _u in people]
    )
    awards = [
        Award(
            person=p,
            award_code="LDTT",
            commendation_type="cong_trang",
            period_start=D(2020, 1, 1),
            period_end=D(2020, 12, 31),
            decision_number=f"{rng.randint(1, 400)}/QĐ-UBND",
            decision_date=D(2021, 1, 8),
            authority=u if u.kind == UnitKind.DISTRICT else tops[0],
        )
        for p, u in people
        if rng.random() < 0.1
    ]
    awards += [
        Award(
            unit=u,
            award_code="BK_TINH",
            commendation_type="cong_trang",
            period_start=D(2020, 1, 1),
            period_end=D(2020, 12, 31),
            decision_number="35/QĐ-UBND",
            decision_date=D(2021, 1, 6),
            authority=province,
        )
        for u in units
        if rng.random() < 0.33
    ]
    Award.objects.bulk_create(awards)

    catalog = Indicator.objects.bulk_create(
        [
            Indicator(
                code=f"{code}-CT{i:03d}",
                name=f"Chỉ tiêu {i}",
                measure="billion_vnd",
                position=i,
            )
            for i in range(indicators)
        ]
    )
    actuals = []
    for n, indicator in enumerate(catalog):
        reporters = lows if n % 6 == 0 else tops  # a sixth from the communes
        for u in reporters:
            base = rng.uniform(10, 1000)
            actuals.append(
                IndicatorActual(
                    indicator=indicator,
                    unit=u,
                    year=2019,
                    version="final",
                    value=Decimal(f"{base:.2f}"),
                    reported_on=D(2020, 3, 1),
                )
            )
            for version in ("preliminary", "final"):
                actuals.append(
                    IndicatorActual(
                        indicator=indicator,
                        unit=u,
                        year=2020,
                        version=version,
                        value=Decimal(f"{base * rng.uniform(0.9, 1.3):.2f}"),
                        reported_on=D(2021, 1 if version == "preliminary" else 3, 5),
                    )
                )
    IndicatorActual.objects.bulk_create(actuals, batch_size=5000)
    IndicatorReference.objects.bulk_create(
        [
            IndicatorReference(
                indicator=i,
                unit=province,
                year=year,
                kind=kind,
                value=Decimal(rng.randint(1000, 50000)),
            )
            for i in catalog
            for year in (2020, 2021)
            for kind in ("local_estimate", "council_target")
        ]
    )
    Goal.objects.bulk_create(
        [Goal(unit=province, year=2021, title=f"Mục tiêu {n}", position=n) for n in range(20)]
    )
    task_rows = Task.objects.bulk_create(
        [
            Task(
                year=2020,
                title=f"Nhiệm vụ {n}",
                assigned_by=centre,
                source_number=f"{n}/CT-TTg",
                source_date=D(2020, 1, 10),
                source_issuer="Thủ tướng Chính phủ",
                deadline=D(2020, 1 + n % 12, 20),
            )
            for n in range(tasks)
        ],
        batch_size=2000,
    )
    direct = TaskAssignment.objects.bulk_create(
        [
            TaskAssignment(
                task=t,
                unit=province,
                status="completed" if n % 50 else "in_progress",
                completed_on=t.deadline if n % 50 else None,
            )
            for n, t in enumerate(task_rows)
        ],
        batch_size=2000,
    )
    # Passed on to four districts each, which completed them but for one in fifty.
    TaskAssignment.objects.bulk_create(
        [
            TaskAssignment(
                task=a.task,
                unit=d,
                parent=a,
                status="completed" if done else "assigned",
                completed_on=a.task.deadline if done else None,
            )
            for a in direct
            for d in rng.sample(tops, min(4, len(tops)))
            for done in [rng.random() >= 0.02]
        ],
        batch_size=5000,
    )
    return province


def build(args, seed: int = 2020):
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from thidua.accounts.choices import Role
    from thidua.accounts.models import UserRole
    from thidua.org.choices import UnitKind
    from thidua.org.models import Unit, UnitVersion

    migrate()
    rng = random.Random(seed)
    with transaction.atomic():
        centre = Unit(code="TTG", kind=UnitKind.CENTRAL, name="Thủ tướng Chính phủ")
        centre.fill_derived()
        centre.save()
        UnitVersion.objects.create(unit=centre, name=centre.name, valid_from="1945-09-02")
        big = build_province(
            "T", args.districts, args.communes, args.indicators, args.tasks, args.staff, rng, centre
        )
        small = build_province("S", 1, 4, 5, 10, 2, rng, centre)
        officer = get_user_model().objects.create(username="officer")
        UserRole.objects.create(user=officer, unit=big, role=Role.OFFICER)
        UserRole.objects.create(user=officer, unit=small, role=Role.OFFICER)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return officer, big, small


def _built():
    """(officer, big province, small province) of a database built before, or None."""
    from django.contrib.auth import get_user_model
    from django.db import DatabaseError

    from thidua.org.models import Unit

    try:
        migrate()
        units = Unit.objects.in_bulk(["T", "S"], field_name="code")
        officer = get_user_model().objects.filter(username="officer").first()
    except DatabaseError:
        return None
    if len(units) < 2 or officer is None:
        return None
    return officer, units["T"], units["S"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--districts", type=int, default=20)
    parser.add_argument("--communes", type=int, default=49)
    parser.add_argument("--indicators", type=int, default=300)
    parser.add_argument("--tasks", type=int, default=5000)
    parser.add_argument("--staff", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument(
        "--keep",
        type=Path,
        help="build the database in this directory and keep it (a later run reuses it)",
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
    units = args.districts * (args.communes + 1)
    built = _built() if args.keep and (data_dir / "thidua.sqlite3").exists() else None
    if built is not None:
        officer, big, small = built
        print(f"reusing the province built in {data_dir}")
    else:
        officer, big, small = build(args)
        print(
            f"built a province of {units:,} units, {args.indicators} indicators, "
            f"{args.tasks:,} tasks, {units * args.staff:,} people in "
            f"{time.perf_counter() - began:.1f} s ({data_dir})"
        )
    # What the build left in memory is not what a server process holds: collect it and
    # keep the survivors out of the collector's way, so the timings are a server's.
    gc.collect()
    gc.freeze()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs\n")

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from thidua.reports.render import render
    from thidua.reports.summary import build_summary

    timings, sizes = [], []
    for _ in range(max(3, args.repeat // 3)):
        began = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            summary = build_summary(big, 2020, user=SYSTEM)
        built = time.perf_counter() - began
        content = render(summary, "docx").content
        timings.append((built, time.perf_counter() - began))
        sizes.append(len(content))
    summary_median = statistics.median(t[0] for t in timings)
    docx_median = statistics.median(t[1] for t in timings)
    docx_max = max(t[1] for t in timings)
    print(
        f"summary of the province: median {summary_median:.2f} s, {len(queries)} queries; "
        f"with the .docx ({sizes[0] / 1024:.0f} KiB): median {docx_median:.2f} s, max "
        f"{docx_max:.2f} s (target ≤ {DOCX_TARGET_S:.0f} s)"
    )

    client = Client(SERVER_NAME="localhost")  # an allowed host with DEBUG off
    client.force_login(officer)
    counts = {}
    for unit in (small, big):
        path = reverse("reports:dashboard", args=[unit.code, 2020])
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, response.status_code
        counts[unit.code] = len(queries)
    path = reverse("reports:dashboard", args=[big.code, 2020])
    page = []
    for _ in range(args.repeat * 2):
        began = time.perf_counter()
        client.get(path)
        page.append((time.perf_counter() - began) * 1000)
    page_median = statistics.median(page)
    page_p95 = sorted(page)[int(0.95 * (len(page) - 1))]
    print(
        f"dashboard of the province: median {page_median:.0f} ms, p95 {page_p95:.0f} ms "
        f"(target ≤ {PAGE_TARGET_MS} ms); queries {counts[big.code]} (a province of 5 "
        f"units: {counts[small.code]})"
    )
    ok = docx_median <= DOCX_TARGET_S and page_median <= PAGE_TARGET_MS
    print("\n" + ("within targets" if ok else "OUTSIDE TARGETS"))
    if tmp is not None:
        tmp.cleanup()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
