"""Applying a 3,000-row reorganisation set-based (target: was 52 s one verb per row), and
the official catalog's whole-country load with the 2025 reform (63/696/10,035 → 34/0/3,321).

    python -m benchmarks.bench_reorganize [--rows 3000] [--catalog all|35,36,37|none]

Builds a fresh SQLite database in a temporary directory: one province, districts of 100
communes (each with its official code and one person employed), then an act merging the
communes two by two into new communes that reuse the first one's code (rows / 2 new units,
every district ending, the staff following). Prints wall and CPU time of the apply.
Then loads the catalog (all provinces by default) and prints its counts and time.
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import configure

TARGET_COUNTS = [
    {"province": 63, "district": 696, "commune": 10035},
    {"province": 34, "district": 0, "commune": 3321},
]
WAS_SECONDS = 52  # the per-row verbs on 3,000 merge rows (docs/reorganize-format.md)
DAY = datetime.date(2025, 7, 1)
EPOCH = datetime.date(2000, 1, 1)


def build(rows: int, prefix: str = ""):
    """The tree, the people, and the act's rows (no timing); `prefix` keeps two builds
    in one database apart."""
    base = 900000 + (50000 if prefix else 0)  # six digits: no real code is touched
    from thidua.org.acts import ActRow, NewUnit
    from thidua.org.choices import UnitKind
    from thidua.org.models import Employment, Person, Unit, UnitOfficialCode, UnitVersion

    province = Unit(
        code=f"{prefix}P", kind=UnitKind.PROVINCE, name="Tỉnh Thử", established_on=EPOCH
    )
    districts = [
        Unit(
            code=f"{prefix}D{d:03d}",
            kind=UnitKind.DISTRICT,
            name=f"Huyện {d}",
            established_on=EPOCH,
        )
        for d in range(max(1, rows // 100))
    ]
    communes = [
        Unit(code=f"{prefix}C{c:05d}", kind=UnitKind.COMMUNE, name=f"Xã {c}", established_on=EPOCH)
        for c in range(rows)
    ]
    units = [province, *districts, *communes]
    for unit in units:
        unit.fill_derived()
    Unit.objects.bulk_create(units, batch_size=500)
    versions = [UnitVersion(unit=province, name=province.name, valid_from=EPOCH)]
    versions += [
        UnitVersion(unit=d, name=d.name, parent=province, valid_from=EPOCH) for d in districts
    ]
    versions += [
        UnitVersion(unit=c, name=c.name, parent=districts[i % len(districts)], valid_from=EPOCH)
        for i, c in enumerate(communes)
    ]
    UnitVersion.objects.bulk_create(versions, batch_size=500)
    UnitOfficialCode.objects.bulk_create(
        [
            UnitOfficialCode(unit=c, code=f"{base + i}", valid_from=EPOCH)
            for i, c in enumerate(communes)
        ],
        batch_size=500,
    )
    people = [
        Person(code=f"{prefix}N{i:06d}", family_name="Nguyễn", given_name=f"An {i}", gender="M")
        for i in range(rows)
    ]
    for person in people:
        person.fill_derived()
    Person.objects.bulk_create(people, batch_size=500)
    Employment.objects.bulk_create(
        [Employment(person=p, unit=c, start=EPOCH) for p, c in zip(people, communes, strict=True)],
        batch_size=500,
    )
    act_rows, new_units = [], {}
    for i in range(rows):
        first = base + i - i % 2
        act_rows.append(ActRow(i + 2, "1/NQ-BENCH", DAY, f"{base + i}", f"{first}"))
        new_units[f"{first}"] = NewUnit(f"Phường {first}", UnitKind.COMMUNE, f"{prefix}P")
    return act_rows, new_units


def run(rows: int = 3000, catalog: list[str] | None | bool = None, prefix: str = "") -> dict:
    """Load the catalog (unless `catalog` is False; None: the whole country), then build
    and apply the act; the figures."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from thidua.accounts.system import SYSTEM
    from thidua.org.acts import run_acts
    from thidua.org.catalog.load import load_catalog

    catalog_figures = {}
    if catalog is not False:
        wall, cpu = time.perf_counter(), time.process_time()
        loaded = load_catalog(catalog, actor=SYSTEM)
        catalog_figures["catalog_seconds"] = time.perf_counter() - wall
        catalog_figures["catalog_cpu"] = time.process_time() - cpu
        catalog_figures["catalog_counts"] = {d.isoformat(): c for d, c in loaded.counts.items()}
    act_rows, new_units = build(rows, prefix)
    wall, cpu = time.perf_counter(), time.process_time()
    with CaptureQueriesContext(connection) as ctx:
        result = run_acts(act_rows, new_units=new_units, actor=SYSTEM)
    figures = {
        "rows": rows,
        "seconds": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "queries": len(ctx.captured_queries),
        "created": result.created,
        "ended": result.ended,
        "moved": result.moved_staff,
        "problems": [str(p) for p in result.problems],
    }
    figures.update(catalog_figures)
    return figures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--catalog", default="all", help="all, none, or province codes 35,36,37")
    args = parser.parse_args(argv)
    catalog = {"all": None, "none": False}.get(args.catalog)
    if args.catalog not in ("all", "none"):
        catalog = args.catalog.split(",")
    with tempfile.TemporaryDirectory(prefix="thidua-bench-") as tmp:
        configure(Path(tmp))
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0)
        print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
        f = run(args.rows, catalog)
        print(
            f"apply {f['rows']:,} rows: {f['seconds']:.1f} s wall, {f['cpu']:.1f} s CPU, "
            f"{f['queries']} queries — set-based, was {WAS_SECONDS} s "
            f"({f['created']:,} created, {f['ended']:,} ended, {f['moved']:,} people moved)"
        )
        if "catalog_counts" in f:
            for day, c in f["catalog_counts"].items():
                print(f"catalog {day}: {c['province']}/{c['district']}/{c['commune']:,}")
            print(
                f"catalog load: {f['catalog_seconds']:.1f} s wall, {f['catalog_cpu']:.1f} s CPU"
                " (target: 63/696/10,035 and 34/0/3,321 for the whole country)"
            )
            if catalog is None:
                ok = list(f["catalog_counts"].values()) == TARGET_COUNTS
                print("catalog counts: " + ("OK" if ok else "MISSED"))
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        connections.close_all()
    return 0 if not f["problems"] and f["seconds"] < WAS_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
