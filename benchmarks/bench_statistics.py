"""The statutory statistics forms 0601–0605.N of a province (issue 9, "statutory
statistics"): the figures and the XLSX, form by form.

    python -m benchmarks.bench_statistics [--districts 20] [--communes 49] [--staff 10]
                                          [--repeat 5]

Builds a fresh SQLite database in a temporary directory (nothing else is touched): one
province with `districts × communes` units beneath it (1,000 units with the districts by
default), `staff` people in each unit (the province of `bench_report`, without its
indicators and tasks), then state-level awards decided in 2025 — to one person in twenty
and one unit in five, of every form the form counts, a tenth of them annulled — and as
many provincial awards (form 0603.N counts them, 0602.N leaves them out). Then it times
`build_statistics` + the XLSX of each form for the province (target ≤ 5 s each), with the
CPU time beside the wall time, and counts the queries.
"""

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.common import configure, migrate
from thidua.accounts.system import SYSTEM

TARGET_S = 5.0


def build(args, seed: int = 2025):
    import datetime

    from django.db import connection, transaction
    from django.db.models import Value
    from django.db.models.functions import Concat

    from benchmarks.bench_report import build_province
    from thidua.emulation.models import Movement
    from thidua.org.choices import UnitKind
    from thidua.org.models import Employment, Unit, UnitVersion
    from thidua.records.models import Award
    from thidua.reports.statistics.state import state_groups

    migrate()
    rng = random.Random(seed)
    codes = [e.code for _key, _label, entries in state_groups() for e in entries]
    with transaction.atomic():
        centre = Unit(code="TTG", kind=UnitKind.CENTRAL, name="Thủ tướng Chính phủ")
        centre.fill_derived()
        centre.save()
        UnitVersion.objects.create(unit=centre, name=centre.name, valid_from="1945-09-02")
        province = build_province("T", args.districts, args.communes, 0, 0, args.staff, rng, centre)
        awards = []
        for n, person_id in enumerate(Employment.objects.values_list("person_id", flat=True)):
            if rng.random() < 0.05:
                awards.append((person_id, None, n))
        for n, unit_id in enumerate(
            Unit.objects.exclude(pk=centre.pk).values_list("pk", flat=True)
        ):
            if rng.random() < 0.2:
                awards.append((None, unit_id, n))
        rows = []
        for person_id, unit_id, n in awards:
            for code in (rng.choice(codes), "BK_TINH"):
                rows.append(
                    Award(
                        person_id=person_id,
                        unit_id=unit_id,
                        award_code=code,
                        commendation_type=rng.choice(["cong_trang"] * 4 + ["chuyen_de"]),
                        period_start=datetime.date(2024, 1, 1),
                        period_end=datetime.date(2024, 12, 31),
                        decision_number=f"{n}/QĐ-CTN",
                        decision_date=datetime.date(2025, 1 + n % 12, 1 + n % 28),
                        authority=centre,
                        status="annulled" if rng.random() < 0.1 else "valid",
                    )
                )
        Award.objects.bulk_create(rows, batch_size=5000)
        # A movement launched by every third unit (form 0601.N); every tenth unit does
        # emulation work, as its name says (forms 0604.N and 0605.N read them).
        unit_ids = list(Unit.objects.exclude(pk=centre.pk).values_list("pk", flat=True))
        Movement.objects.bulk_create(
            Movement(
                code=f"PT{n}",
                name=f"Phong trào {n}",
                kind=rng.choice(["regular", "thematic"]),
                year=2025,
                launched_by_id=unit_id,
                decision_number=f"{n}/QĐ-UBND",
                decision_date=datetime.date(2025, 1 + n % 12, 1),
                period_start=datetime.date(2025, 1, 1),
                period_end=datetime.date(2025 + n % 6, 12, 31),
            )
            for n, unit_id in enumerate(unit_ids)
            if n % 3 == 0
        )
        Unit.objects.filter(pk__in=unit_ids[::10]).update(
            search_name=Concat(Value("phong thi dua "), "search_name")
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return province, len(rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--districts", type=int, default=20)
    parser.add_argument("--communes", type=int, default=49)
    parser.add_argument("--staff", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="thidua-bench-") as tmp:
        configure(Path(tmp))
        began = time.perf_counter()
        province, awards = build(args)
        units = args.districts * (args.communes + 1)
        print(
            f"built a province of {units:,} units, {units * args.staff:,} people, "
            f"{awards:,} awards in {time.perf_counter() - began:.1f} s\n"
        )

        import datetime

        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from thidua.reports.statistics import FORMS, build_statistics, to_xlsx

        ok = True
        for form in FORMS:
            timings, cpu = [], []
            for _ in range(max(1, args.repeat)):
                began, cpu_began = time.perf_counter(), time.thread_time()
                with CaptureQueriesContext(connection) as queries:
                    stats = build_statistics(
                        SYSTEM,
                        province,
                        datetime.date(2025, 1, 1),
                        datetime.date(2025, 12, 31),
                        form,
                    )
                content = to_xlsx(stats)
                timings.append(time.perf_counter() - began)
                cpu.append(time.thread_time() - cpu_began)
            median = statistics.median(timings)
            print(
                f"form {form}.N of the province ({stats.rows[0].counts[stats.columns[0][0]] or 0:,} counted "
                f"on line 1, {len(content) / 1024:.0f} KiB XLSX): median {median:.2f} s, CPU "
                f"{statistics.median(cpu):.2f} s, max {max(timings):.2f} s, {len(queries)} "
                f"queries (target ≤ {TARGET_S:.0f} s)"
            )
            ok = ok and median <= TARGET_S
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        print("\n" + ("within targets" if ok else "OUTSIDE TARGETS"))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
