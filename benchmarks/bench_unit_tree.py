"""The unit tree and the people list at national size (target: each ≤ 150 ms).

    python -m benchmarks.bench_unit_tree [--scale 1.0] [--people-per-commune 10] [--repeat 10]
        [--keep DIR]

Builds a fresh SQLite database in a temporary directory: a synthetic country shaped like
the real one — 63 provinces, 696 districts and 10,035 communes until 30/06/2025, then 34
provinces and 3,321 communes (no district level) from 1/7/2025, each new province and
commune the successor of two to four old ones through lineage edges — and people employed
in an old commune until the reform and in its successor after. Then it times, through
Django's test client, as a superuser and as the officer of one new province: the tree
page's first load, one unit opened (the htmx fragment), the search, and the people list
filtered by a province (today, and in 2020 through the lineage). Prints the median wall
and CPU time, the query count and the page size. `--keep DIR` builds the database in DIR
and reuses it on the next runs with the same sizes (a million people take minutes to
build).
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import configure, migrate

TARGET_MS = 150
REFORM = datetime.date(2025, 7, 1)
EPOCH = datetime.date(2000, 1, 1)
# The real country: before and after the reform of 1/7/2025.
OLD = (63, 696, 10_035)
NEW = (34, 3_321)


@dataclass
class Country:
    superuser: object
    officer: object
    province_code: str  # a new province
    old_province_code: str
    units: int
    people: int


def build(scale: float = 1.0, people_per_commune: int = 10) -> Country:
    """The synthetic country through bulk_create (a few seconds at full size)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from thidua.accounts.choices import Role
    from thidua.accounts.models import UserRole
    from thidua.org.choices import LineageKind, UnitKind
    from thidua.org.models import (
        Employment,
        LineageEdge,
        LineageEvent,
        Person,
        Unit,
        UnitVersion,
    )

    migrate()  # a copy of the migrated template
    n_old_p, n_old_d, n_old_c = (max(2, round(n * scale)) for n in OLD)
    n_new_p, n_new_c = (max(1, round(n * scale)) for n in NEW)
    units: list[Unit] = []
    parent_code: dict[str, str | None] = {}

    def add(code, kind, name, parent, start, end=None):
        unit = Unit(code=code, kind=kind, name=name, established_on=start, dissolved_on=end)
        unit.fill_derived()
        units.append(unit)
        parent_code[code] = parent
        return code

    old_p = [
        add(f"P{i:02d}", UnitKind.PROVINCE, f"Tỉnh Cũ Số {i}", None, EPOCH, REFORM)
        for i in range(n_old_p)
    ]
    old_d = [
        add(f"D{i:03d}", UnitKind.DISTRICT, f"Huyện Số {i}", old_p[i % n_old_p], EPOCH, REFORM)
        for i in range(n_old_d)
    ]
    old_c = [
        add(f"C{i:05d}", UnitKind.COMMUNE, f"Xã Đồng Số {i}", old_d[i % n_old_d], EPOCH, REFORM)
        for i in range(n_old_c)
    ]
    new_p = [
        add(f"NP{i:02d}", UnitKind.PROVINCE, f"Tỉnh Mới Số {i}", None, REFORM)
        for i in range(n_new_p)
    ]
    new_c = [
        add(f"NC{i:05d}", UnitKind.COMMUNE, f"Phường Mới Số {i}", new_p[i % n_new_p], REFORM)
        for i in range(n_new_c)
    ]
    with transaction.atomic():
        Unit.objects.bulk_create(units, batch_size=2000)
        ids = dict(Unit.objects.values_list("code", "id"))
        UnitVersion.objects.bulk_create(
            (
                UnitVersion(
                    unit_id=ids[u.code],
                    name=u.name,
                    parent_id=ids[parent_code[u.code]] if parent_code[u.code] else None,
                    valid_from=u.established_on,
                    valid_to=u.dissolved_on,
                )
                for u in units
            ),
            batch_size=2000,
        )
        event = LineageEvent.objects.create(
            kind=LineageKind.MERGE, date=REFORM, decision="202/2025/QH15"
        )
        edges = [
            LineageEdge(event=event, predecessor_id=ids[p], successor_id=ids[new_p[i % n_new_p]])
            for i, p in enumerate(old_p)
        ]
        successor_of = {c: new_c[i % n_new_c] for i, c in enumerate(old_c)}
        edges += [
            LineageEdge(event=event, predecessor_id=ids[c], successor_id=ids[s])
            for c, s in successor_of.items()
        ]
        LineageEdge.objects.bulk_create(edges, batch_size=5000)

        people, employments = [], []
        for i in range(len(old_c)):
            for j in range(people_per_commune):
                person = Person(
                    code=f"X{i:05d}-{j:02d}",
                    family_name="Nguyễn",
                    middle_name="Văn",
                    given_name=f"Số {i} {j}",
                    gender="M",
                )
                person.fill_derived()
                people.append(person)
        Person.objects.bulk_create(people, batch_size=5000)
        person_id = dict(Person.objects.values_list("code", "id"))
        for i, commune in enumerate(old_c):
            for j in range(people_per_commune):
                pid = person_id[f"X{i:05d}-{j:02d}"]
                employments.append(
                    Employment(person_id=pid, unit_id=ids[commune], start=EPOCH, end=REFORM)
                )
                employments.append(
                    Employment(person_id=pid, unit_id=ids[successor_of[commune]], start=REFORM)
                )
        Employment.objects.bulk_create(employments, batch_size=5000)

        User = get_user_model()
        superuser = User.objects.create(username="root", is_superuser=True, is_staff=True)
        officer = User.objects.create(username="officer")
        UserRole.objects.create(user=officer, unit_id=ids[new_p[0]], role=Role.OFFICER)
    return Country(superuser, officer, new_p[0], old_p[0], len(units), len(people))


@dataclass
class Figure:
    label: str
    median_ms: float
    cpu_ms: float
    queries: int
    size: int


def measure(client, label, path, params, repeat) -> Figure:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, params)
    assert response.status_code == 200, (label, response.status_code)
    queries, size = len(ctx.captured_queries), len(response.content)
    wall, cpu = [], []
    for _ in range(repeat):
        began, began_cpu = time.perf_counter(), time.process_time()
        client.get(path, params)
        wall.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    return Figure(label, statistics.median(wall), statistics.median(cpu), queries, size)


def run(country: Country, repeat: int = 10) -> list[Figure]:
    from django.test import Client
    from django.urls import reverse

    tree, people = reverse("org:unit_tree"), reverse("org:person_list")
    expand = reverse("org:unit_children", args=[country.province_code])
    today = "2026-01-01"
    figures = []
    for who, user in (("superuser", country.superuser), ("officer", country.officer)):
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        for label, path, params in (
            ("tree, first load", tree, {"ngay": today}),
            ("tree, one province opened", expand, {"ngay": today}),
            ("tree, search 'phuong moi so 1'", tree, {"ngay": today, "q": "phuong moi so 1"}),
            ("people, by a province", people, {"unit": country.province_code, "ngay": today}),
            (
                "people, by it in 2020",
                people,
                {"unit": country.province_code, "ngay": "2020-06-01"},
            ),
        ):
            figures.append(measure(client, f"{who}: {label}", path, params, repeat))
    return figures


def kept() -> Country:
    """The country built by an earlier run in the same directory (`build` names the first
    new province NP00 and the first old one P00)."""
    from django.contrib.auth import get_user_model

    from thidua.org.models import Person, Unit

    User = get_user_model()
    return Country(
        User.objects.get(username="root"),
        User.objects.get(username="officer"),
        "NP00",
        "P00",
        Unit.objects.count(),
        Person.objects.count(),
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--people-per-commune", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument(
        "--keep", type=Path, help="build the database in this directory and reuse it next time"
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="thidua-bench-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        marker = folder / "bench_unit_tree.built"
        sizes = f"{args.scale} {args.people_per_commune}"
        reuse = args.keep is not None and marker.exists() and marker.read_text() == sizes
        if args.keep is not None and not reuse:
            marker.unlink(missing_ok=True)
            for suffix in ("", "-wal", "-shm"):
                (folder / f"thidua.sqlite3{suffix}").unlink(missing_ok=True)
        configure(folder)
        began = time.perf_counter()
        if reuse:
            migrate()
            country = kept()
            print(f"reused {country.units:,} units and {country.people:,} people in {folder}")
        else:
            country = build(args.scale, args.people_per_commune)
            if args.keep is not None:
                marker.write_text(sizes)
            print(
                f"built {country.units:,} units and {country.people:,} people in "
                f"{time.perf_counter() - began:.1f} s"
            )
        print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs\n")
        print(f"{'case':<44} {'median':>8} {'cpu':>8} {'queries':>8} {'size':>10}")
        figures = run(country, args.repeat)
        worst = 0.0
        for f in figures:
            worst = max(worst, f.median_ms)
            flag = "" if f.median_ms <= TARGET_MS else "  over target"
            print(
                f"{f.label:<44} {f.median_ms:7.1f}ms {f.cpu_ms:6.1f}ms {f.queries:>8}"
                f" {f.size / 1024:8.1f}kB{flag}"
            )
        print(f"\nload average after: {os.getloadavg()[0]:.2f}")
        verdict = "OK" if worst <= TARGET_MS else "MISSED"
        print(f"worst median: {worst:.1f} ms — {verdict} (target {TARGET_MS} ms each)")
        from django.db import connections

        connections.close_all()
    return 0 if worst <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
