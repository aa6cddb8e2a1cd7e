"""Server time of the ratings grid (target: a 300-person unit renders ≤ 300 ms, a cell
saves ≤ 100 ms).

    python -m benchmarks.bench_ratings_grid [--people 300] [--repeat 20]

Builds a fresh SQLite database in a temporary directory (nothing else is touched): a
district and a commune of `--people` staff, half of them rated, a few with long absences
and maternity leave. Then, as the district's officer through Django's test client, it
times the whole grid page and the htmx save of one row (alternating two levels so each
save writes). Prints median and p95 in ms and the query counts.
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import configure, migrate

GRID_TARGET_MS = 300
CELL_TARGET_MS = 100
YEAR = 2025


def build(people: int):
    """The unit and its staff through bulk_create; returns (officer, unit, person codes)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from thidua.accounts.choices import Role
    from thidua.accounts.models import UserRole
    from thidua.org.choices import Gender, UnitKind
    from thidua.org.models import Employment, Person, Unit, UnitVersion
    from thidua.records.choices import AbsenceKind, RatingLevel
    from thidua.records.models import Absence, PersonRating

    epoch = datetime.date(2000, 1, 1)
    with transaction.atomic():
        district = Unit(code="BG-H", kind=UnitKind.DISTRICT, name="Huyện Đo", established_on=epoch)
        commune = Unit(code="BG-X", kind=UnitKind.COMMUNE, name="Xã Đo", established_on=epoch)
        for unit in (district, commune):
            unit.fill_derived()
        Unit.objects.bulk_create([district, commune])
        UnitVersion.objects.bulk_create(
            [
                UnitVersion(unit=district, name=district.name, valid_from=epoch),
                UnitVersion(unit=commune, name=commune.name, parent=district, valid_from=epoch),
            ]
        )
        batch = []
        for n in range(people):
            person = Person(
                code=f"BG{n:05d}",
                family_name="Nguyễn",
                middle_name="Thị" if n % 2 else "Văn",
                given_name=f"Người {n}",
                gender=Gender.FEMALE if n % 2 else Gender.MALE,
            )
            person.fill_derived()
            batch.append(person)
        Person.objects.bulk_create(batch)
        persons = list(Person.objects.filter(code__startswith="BG").order_by("code"))
        Employment.objects.bulk_create(
            Employment(
                person=p,
                unit=commune,
                position="Chuyên viên",
                start=datetime.date(2010 + n % 16, 1 + n % 12, 1),
            )
            for n, p in enumerate(persons)
        )
        PersonRating.objects.bulk_create(
            PersonRating(person=p, year=YEAR, level=RatingLevel.HTT, score=80) for p in persons[::2]
        )
        Absence.objects.bulk_create(
            Absence(
                person=p,
                kind=AbsenceKind.MATERNITY if n % 2 else AbsenceKind.LONG_ABSENCE,
                start=datetime.date(YEAR, 3, 1),
                end=datetime.date(YEAR, 7, 1),
            )
            for n, p in enumerate(persons[::10])
        )
        officer = get_user_model().objects.create(username="bench-officer")
        UserRole.objects.create(user=officer, unit=district, role=Role.OFFICER)
    return officer, commune, [p.code for p in persons]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))]


def run(people: int, repeat: int):
    """Time the grid and a cell save; returns a dict of figures (used by the test too)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    officer, unit, codes = build(people)
    client = Client(HTTP_HOST="localhost")
    client.force_login(officer)
    grid = reverse("records:rating_grid", args=[unit.code, YEAR])
    cell = reverse("records:rating_cell", args=[unit.code, YEAR])
    code = codes[1]  # not rated yet

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(grid)
    assert response.status_code == 200, response.status_code
    grid_queries = len(ctx.captured_queries)
    rows = response.content.decode().count('<th scope="row">')
    grid_times = []
    for _ in range(repeat):
        began = time.perf_counter()
        client.get(grid)
        grid_times.append((time.perf_counter() - began) * 1000)

    def save(level):
        return client.post(cell, {"row": code, f"level-{code}": level}, HTTP_HX_REQUEST="true")

    with CaptureQueriesContext(connection) as ctx:
        assert save("HT").status_code == 200
    cell_queries = len(ctx.captured_queries)
    cell_times = []
    for n in range(repeat):
        began = time.perf_counter()
        save("HTT" if n % 2 else "HT")
        cell_times.append((time.perf_counter() - began) * 1000)
    return {
        "rows": rows,
        "grid_median": statistics.median(grid_times),
        "grid_p95": percentile(grid_times, 0.95),
        "grid_queries": grid_queries,
        "cell_median": statistics.median(cell_times),
        "cell_p95": percentile(cell_times, 0.95),
        "cell_queries": cell_queries,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)

    tmp = tempfile.TemporaryDirectory(prefix="thidua-bench-")
    configure(Path(tmp.name))

    migrate()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    r = run(args.people, args.repeat)
    grid_ok = r["grid_p95"] <= GRID_TARGET_MS
    cell_ok = r["cell_p95"] <= CELL_TARGET_MS
    print(
        f"grid of {r['rows']} rows ({args.people} people and the unit): "
        f"median {r['grid_median']:.1f} ms, p95 {r['grid_p95']:.1f} ms, "
        f"{r['grid_queries']} queries — {'OK' if grid_ok else 'MISSED'} "
        f"(target {GRID_TARGET_MS} ms)"
    )
    print(
        f"cell save: median {r['cell_median']:.1f} ms, p95 {r['cell_p95']:.1f} ms, "
        f"{r['cell_queries']} queries — {'OK' if cell_ok else 'MISSED'} "
        f"(target {CELL_TARGET_MS} ms)"
    )
    from django.db import connections

    connections.close_all()
    tmp.cleanup()
    return 0 if grid_ok and cell_ok else 1


if __name__ == "__main__":
    sys.exit(main())
