"""A province-sized emulation year: ranking and the block dashboard (issue 4, "Numbers").

    python -m benchmarks.bench_emulation [--blocks 40] [--members 25] [--criteria 60]
                                         [--repeat 10] [--keep DIR]

Builds a fresh SQLite database in a temporary directory (nothing else is touched): one
province with `blocks × members` district-level units, one block each with its covenant
(`criteria` criteria in four groups: criteria, a capped bonus, a capped penalty), every
member scoring itself and cross-scoring every other member on every criterion (40 × 25 ×
25 × 60 = 1.5 million scores by default). Then it times:

- ranking the whole year (`ranking.rank_covenants` over the 40 covenants; target ≤ 1 s);
- the block dashboard of one block through Django's test client as the province's
  officer (target: median ≤ 150 ms), and its query count against a block of 5 members.

The scores are inserted with plain SQL (building the fixture is not what is measured);
the ranking and the page run the application's own code.
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

RANK_TARGET_S = 1.0
PAGE_TARGET_MS = 150


def criteria_groups(count: int):
    from thidua.emulation.choices import GroupKind
    from thidua.emulation.services import CriterionSpec, GroupSpec

    bonus = max(2, count // 20)
    penalty = max(2, count // 15)
    base = count - bonus - penalty
    per_group = base // 2
    sizes = [per_group, base - per_group]
    groups = [
        GroupSpec(
            f"G{g + 1}",
            f"Nhóm tiêu chí {g + 1}",
            criteria=[
                CriterionSpec(f"{g + 1}.{i + 1}", f"Tiêu chí {g + 1}.{i + 1}", 5) for i in range(n)
            ],
        )
        for g, n in enumerate(sizes)
    ]
    groups.append(
        GroupSpec(
            "T",
            "Điểm thưởng",
            kind=GroupKind.BONUS,
            cap=5,
            criteria=[CriterionSpec(f"T.{i + 1}", f"Thưởng {i + 1}", 2) for i in range(bonus)],
        )
    )
    groups.append(
        GroupSpec(
            "P",
            "Điểm trừ",
            kind=GroupKind.PENALTY,
            cap=10,
            criteria=[CriterionSpec(f"P.{i + 1}", f"Trừ {i + 1}", 3) for i in range(penalty)],
        )
    )
    return groups


def build(blocks: int, members: int, criteria: int, year: int = 2020, seed: int = 2020):
    """The province, its units, blocks, covenants and scores; returns the officer."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from thidua.accounts.choices import Role
    from thidua.accounts.models import UserRole
    from thidua.emulation import services
    from thidua.emulation.choices import GroupKind
    from thidua.emulation.models import Covenant, Criterion
    from thidua.org.choices import UnitKind
    from thidua.org.models import Unit, UnitVersion

    migrate()
    rng = random.Random(seed)
    epoch = datetime.date(2000, 1, 1)
    with transaction.atomic():
        province = Unit(
            code="T", kind=UnitKind.PROVINCE, name="Tỉnh Thử Nghiệm", established_on=epoch
        )
        units = [
            Unit(
                code=f"K{b:02d}-D{m:02d}",
                kind=UnitKind.DISTRICT,
                name=f"Đơn vị {b}-{m}",
                established_on=epoch,
            )
            for b in range(blocks + 1)  # the last block is the small one (5 members)
            for m in range(members if b < blocks else 5)
        ]
        for unit in [province, *units]:
            unit.fill_derived()
        Unit.objects.bulk_create([province, *units])
        UnitVersion.objects.bulk_create(
            [UnitVersion(unit=province, name=province.name, valid_from=epoch)]
            + [UnitVersion(unit=u, name=u.name, parent=province, valid_from=epoch) for u in units]
        )
        by_block: dict[int, list] = {}
        for u in units:
            by_block.setdefault(int(u.code[1:3]), []).append(u)
        rows = []
        for b, block_units in sorted(by_block.items()):
            block = services.create_block(
                code=f"KHOI-{b:02d}",
                year=year,
                name=f"Khối thi đua số {b}",
                organiser=province,
                members=block_units,
                actor=SYSTEM,
            )
            covenant = services.create_covenant(
                block,
                title=f"Giao ước khối {b}",
                groups=criteria_groups(criteria),
                scoring_deadline=datetime.date(year, 12, 15),
                trim_extremes=True,
                tie_breaks=["base", "penalty"],
                actor=SYSTEM,
            )
            services.open_covenant(covenant, actor=SYSTEM)
            crit = list(Criterion.objects.filter(covenant=covenant).select_related("group"))
            quality = {u.pk: rng.uniform(0.6, 0.95) for u in block_units}
            for scorer in block_units:
                for target in block_units:
                    kind = "self" if scorer.pk == target.pk else "peer"
                    for c in crit:
                        if c.group.kind == GroupKind.PENALTY:
                            points = -1 if rng.random() < 0.05 else 0
                        elif c.group.kind == GroupKind.BONUS:
                            points = 1 if rng.random() < 0.1 else 0
                        else:
                            points = (
                                round(
                                    float(c.max_points)
                                    * min(1, quality[target.pk] + rng.uniform(-0.05, 0.05))
                                    * 2
                                )
                                / 2
                            )
                        rows.append((covenant.pk, c.pk, target.pk, scorer.pk, kind, points, ""))
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO emulation_score (covenant_id, criterion_id, target_id, scorer_id, "
                "kind, points, evidence, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, "
                "CURRENT_TIMESTAMP)",
                rows,
            )
        # The scores went in as plain SQL: count the tallies the ranking reads.
        for covenant in Covenant.objects.all():
            services.rebuild_tallies(covenant)
        officer = get_user_model().objects.create(username="officer")
        UserRole.objects.create(user=officer, unit=province, role=Role.OFFICER)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return officer, len(rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", type=int, default=40)
    parser.add_argument("--members", type=int, default=25)
    parser.add_argument("--criteria", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=10)
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
    officer, scores = build(args.blocks, args.members, args.criteria)
    print(
        f"built {args.blocks} blocks × {args.members} members × {args.criteria} criteria: "
        f"{scores:,} scores in {time.perf_counter() - began:.1f} s ({data_dir})"
    )
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs\n")

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from thidua.emulation.models import Block, Covenant
    from thidua.emulation.ranking import rank_covenants

    covenants = list(
        Covenant.objects.filter(block__year=2020)
        .exclude(block__code=f"KHOI-{args.blocks:02d}")
        .select_related("block")
    )
    timings = []
    for _ in range(args.repeat):
        began = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            rankings = rank_covenants(covenants)
        timings.append(time.perf_counter() - began)
    leaders = sum(len(r.leaders) for r in rankings.values())
    rank_median, rank_max = statistics.median(timings), max(timings)
    print(
        f"rank the year ({len(covenants)} blocks): median {rank_median:.3f} s, "
        f"max {rank_max:.3f} s, {len(queries)} queries, {leaders} leading units "
        f"(target ≤ {RANK_TARGET_S:.0f} s)"
    )

    client = Client(SERVER_NAME="localhost")  # an allowed host with DEBUG off
    client.force_login(officer)
    big = Block.objects.get(code="KHOI-00")
    small = Block.objects.get(code=f"KHOI-{args.blocks:02d}")
    counts = {}
    for block in (small, big):
        path = reverse("emulation:block", args=[block.year, block.code])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, response.status_code
        counts[block.code] = len(queries)
    path = reverse("emulation:block", args=[big.year, big.code])
    page = []
    for _ in range(args.repeat * 2):
        began = time.perf_counter()
        client.get(path)
        page.append((time.perf_counter() - began) * 1000)
    page_median = statistics.median(page)
    page_p95 = sorted(page)[int(0.95 * (len(page) - 1))]
    print(
        f"block dashboard ({args.members} members): median {page_median:.0f} ms, "
        f"p95 {page_p95:.0f} ms (target ≤ {PAGE_TARGET_MS} ms); queries "
        f"{counts[big.code]} (5 members: {counts[small.code]})"
    )
    ok = (
        rank_median <= RANK_TARGET_S
        and page_median <= PAGE_TARGET_MS
        and counts[big.code] == counts[small.code]
    )
    print("\nOK" if ok else "\nABOVE TARGET")
    if tmp is not None:
        tmp.cleanup()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
