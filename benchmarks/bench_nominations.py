"""A province's proposal round (issue 8, "Numbers"): freezing eligibility at submission
and the dossier page.

    python -m benchmarks.bench_nominations [--nominees 5000] [--page 500] [--repeat 10]
                                           [--keep DIR]

Builds a fresh SQLite database in a temporary directory (nothing else is touched): one
province with districts and their divisions, people with three years of ratings and
titles, a 2020 round at the province, and three dossiers of one district each:

- `nominees` nominees (people for the provincial certificate of merit and the provincial
  emulation soldier title, divisions for the excellent labour collective title), submitted
  through `services.submit_dossier` — the one engine run and the freezing of every
  nominee's verdict, criteria and facts (target ≤ 10 s);
- `page` nominees and 5 nominees, submitted, whose dossier page is fetched through
  Django's test client as the province's officer (target: median ≤ 300 ms, the same
  number of queries for both).

The records are inserted with bulk_create (building the fixture is not measured); the
submission and the page run the application's own code.
"""

import argparse
import datetime
import os
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.common import migrate
from thidua.accounts.system import SYSTEM

FREEZE_TARGET_S = 10.0
PAGE_TARGET_MS = 300
D = datetime.date


def _minutes():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def build(nominees: int, page: int, *, year: int = 2020):
    """The province, the records and three draft dossiers; returns (officer, {size: dossier})."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from thidua.accounts.choices import Role
    from thidua.accounts.models import UserRole
    from thidua.nominations import services
    from thidua.nominations.choices import RoundKind
    from thidua.org.choices import UnitKind
    from thidua.org.models import Employment, Person, Unit, UnitVersion
    from thidua.records.models import Award, PersonRating, UnitRating

    epoch = D(2000, 1, 1)
    sizes = [nominees, page, 5]
    with transaction.atomic():
        province = Unit(
            code="T", kind=UnitKind.PROVINCE, name="Tỉnh Thử Nghiệm", established_on=epoch
        )
        districts = [
            Unit(code=f"H{i}", kind=UnitKind.DISTRICT, name=f"Huyện {i}", established_on=epoch)
            for i in range(len(sizes))
        ]
        divisions = []
        for i, size in enumerate(sizes):
            count = max(1, size // 10)
            divisions.append(
                [
                    Unit(
                        code=f"H{i}-P{j}",
                        kind=UnitKind.DIVISION,
                        name=f"Phòng {j} huyện {i}",
                        established_on=epoch,
                    )
                    for j in range(count)
                ]
            )
        every = [province, *districts, *(u for group in divisions for u in group)]
        for unit in every:
            unit.fill_derived()
        Unit.objects.bulk_create(every)
        versions = [UnitVersion(unit=province, name=province.name, valid_from=epoch)]
        versions += [
            UnitVersion(unit=d, name=d.name, parent=province, valid_from=epoch) for d in districts
        ]
        versions += [
            UnitVersion(unit=u, name=u.name, parent=districts[i], valid_from=epoch)
            for i, group in enumerate(divisions)
            for u in group
        ]
        UnitVersion.objects.bulk_create(versions)
        plan = []  # (dossier index, people, units)
        n = 0
        for i, size in enumerate(sizes):
            units = divisions[i][: max(1, size // 10)] if size >= 10 else []
            people_count = size - len(units)
            people = []
            for _k in range(people_count):
                person = Person(
                    code=f"P{n:07d}", family_name="Nguyễn", middle_name="Văn",
                    given_name=f"An{n}", gender="M", birth_date=D(1980, 1, 1),
                )  # fmt: skip
                person.fill_derived()
                people.append(person)
                n += 1
            Person.objects.bulk_create(people)
            Employment.objects.bulk_create(
                Employment(person=p, unit=divisions[i][k % len(divisions[i])], start=D(2010, 1, 1))
                for k, p in enumerate(people)
            )
            PersonRating.objects.bulk_create(
                PersonRating(person=p, year=y, level="HTXS" if k % 3 else "HTT")
                for k, p in enumerate(people)
                for y in (year - 2, year - 1, year)
            )
            Award.objects.bulk_create(
                Award(
                    person=p,
                    award_code=code,
                    commendation_type="cong_trang",
                    period_start=D(y, 1, 1),
                    period_end=D(y, 12, 31),
                    decision_number=f"{k}-{y}/QĐ",
                    decision_date=D(y + 1, 1, 10),
                    authority=districts[i],
                )  # fmt: skip
                for k, p in enumerate(people)
                for y in (year - 1, year)
                for code in ("LDTT", "CSTDCS")
                if k % 2 or code == "LDTT"
            )
            UnitRating.objects.bulk_create(
                UnitRating(unit=u, year=y, level="HTXS")
                for u in divisions[i]
                for y in (year - 1, year)
            )
            plan.append((i, people, units))
        officer = get_user_model().objects.create(username="officer")
        UserRole.objects.create(user=officer, unit=province, role=Role.OFFICER)
        round_ = services.open_round(
            province, year=year, kind=RoundKind.ANNUAL, name=f"Khen thưởng năm {year}",
            deadline=D(year, 12, 10), today=D(year, 11, 1), actor=SYSTEM,
        )  # fmt: skip
        dossiers = {}
        for i, people, units in plan:
            dossier = services.start_dossier(
                round_, districts[i], today=D(year, 11, 2), actor=SYSTEM
            )
            specs = [
                services.NomineeSpec(
                    award_code="BK_TINH" if k % 4 else "CSTD_TINH",
                    person=p,
                    summary="Hoàn thành xuất sắc nhiệm vụ",
                )  # fmt: skip
                for k, p in enumerate(people)
            ] + [
                services.NomineeSpec(award_code="TTLDXS", unit=u, summary="Tập thể tiêu biểu")
                for u in units
            ]
            services.add_nominees(dossier, specs, actor=SYSTEM)
            services.attach_document(dossier, _minutes(), kind="minutes", actor=SYSTEM)
            dossiers[sizes[i]] = dossier
    return officer, dossiers


def measure(officer, dossiers, *, repeat: int = 10, year: int = 2020) -> dict:
    """Submit the big dossier (timed), submit the page dossiers, fetch their pages."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from thidua.nominations import services

    day = D(year, 12, 1)
    big, page, small = sorted(dossiers.values(), key=lambda d: -d.nominees.count())
    client = Client(SERVER_NAME="localhost")
    client.force_login(officer)
    # A draft's page shows the verdicts the records give today (one engine run).
    draft_path = reverse("nominations:dossier", args=[page.pk])
    client.get(draft_path)
    draft = []
    for _ in range(max(2, repeat // 2)):
        began = time.perf_counter()
        client.get(draft_path)
        draft.append((time.perf_counter() - began) * 1000)
    began = time.perf_counter()
    services.submit_dossier(big, today=day, actor=SYSTEM)
    freeze_s = time.perf_counter() - began
    for dossier in (page, small):
        services.submit_dossier(dossier, today=day, actor=SYSTEM)
    counts = {}
    for dossier in (small, page):
        path = reverse("nominations:dossier", args=[dossier.pk])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, response.status_code
        counts[dossier.pk] = len(queries)
    path = reverse("nominations:dossier", args=[page.pk])
    timings = []
    for _ in range(repeat):
        began = time.perf_counter()
        client.get(path)
        timings.append((time.perf_counter() - began) * 1000)
    return {
        "nominees": big.nominees.count(),
        "freeze_s": freeze_s,
        "page_nominees": page.nominees.count(),
        "page_median_ms": statistics.median(timings),
        "draft_median_ms": statistics.median(draft),
        "page_max_ms": max(timings),
        "page_queries": counts[page.pk],
        "small_queries": counts[small.pk],
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nominees", type=int, default=5000)
    parser.add_argument("--page", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--keep", type=Path, help="build the database in this directory")
    args = parser.parse_args(argv)
    tmp = None
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        data_dir = args.keep
    else:
        tmp = tempfile.TemporaryDirectory(prefix="thidua-bench-")
        data_dir = Path(tmp.name)
    from benchmarks.common import configure

    configure(data_dir)

    migrate()
    began = time.perf_counter()
    officer, dossiers = build(args.nominees, args.page)
    print(f"built the round in {time.perf_counter() - began:.1f} s ({data_dir})")
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs\n")
    f = measure(officer, dossiers, repeat=args.repeat)
    print(
        f"submit a dossier of {f['nominees']:,} nominees (one engine run, eligibility frozen): "
        f"{f['freeze_s']:.2f} s (target ≤ {FREEZE_TARGET_S:.0f} s)"
    )
    print(
        f"dossier page ({f['page_nominees']} nominees): median {f['page_median_ms']:.0f} ms, "
        f"max {f['page_max_ms']:.0f} ms (target ≤ {PAGE_TARGET_MS} ms); queries "
        f"{f['page_queries']} (5 nominees: {f['small_queries']})"
    )
    print(
        f"the same page as a draft (verdicts computed live, one engine run): median "
        f"{f['draft_median_ms']:.0f} ms"
    )
    ok = (
        f["freeze_s"] <= FREEZE_TARGET_S
        and f["page_median_ms"] <= PAGE_TARGET_MS
        and f["page_queries"] == f["small_queries"]
    )
    print("\nOK" if ok else "\nABOVE TARGET")
    if tmp is not None:
        tmp.cleanup()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
