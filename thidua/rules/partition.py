"""Eligibility for everyone, partitioned by province over worker processes.

A whole-country run is pure Python after its facts are loaded, so it uses one core. Here
the units are grouped by the province they stand under (the root of each unit's latest
version), the provinces dealt out to `workers` processes balanced by staff, and each
process runs `engine.run` over its own units. The answers are those of one process:

- a collective is evaluated only by the process holding its unit;
- a person who worked in several partitions during the year is evaluated by each of them
  (every one loads the person's whole record, whatever the unit) and kept by the process
  holding the person's *home unit* — where they worked longest, the unit their quotas
  count in;
- a unit's quota row is kept by the process holding the unit: everyone whose home it is
  worked there during the year, so that process evaluated them all;
- the merged results follow the single run's order (award by award; people by id, units
  in display order).

`tests/test_partition.py` checks the identity on a small country.
"""

import datetime
import hashlib
import json
import operator
import os
import resource
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context

from django.db import connections
from django.db.models import Count, Q

from thidua.org.models import Employment, LineageEdge, Unit, UnitVersion
from thidua.rules.definitions import COLL, IND
from thidua.rules.facts import year_bounds


@dataclass
class Partitioned:
    """What a partitioned run returns: the results as plain data, in the single run's
    order, with the set-level checks, and what each worker measured."""

    year: int
    dossier_date: datetime.date
    rule_set: str
    evaluated_under: str
    notes: list[str]
    parameters: dict
    # (award code, subject kind, subject id, verdict, attest_only)
    verdicts: list[tuple]
    quotas: list[dict]
    duplicates: list[dict]
    rendered: list = field(default_factory=list)  # per result, when asked (see `run`)
    workers: list[dict] = field(default_factory=list)  # seconds, cpu, peak_mb, people
    # summary mode: results per "code/kind/verdict/attest_only", and `digest` of them all
    counts: dict[str, int] = field(default_factory=dict)
    fingerprint: str = ""
    first_years: dict = field(default_factory=dict)  # the history windows the run read


def tally(blocks) -> dict[str, list[int]]:
    """Per "code/kind/verdict/attest_only": [results, sum of subject ids, sum of their
    squares] — added up across partitions whatever their order (`digest`)."""
    found: dict[str, list[int]] = {}
    for code, kind, sids, verdicts in blocks:
        groups: dict[tuple, list[int]] = defaultdict(list)
        for sid, verdict in zip(sids, verdicts, strict=True):
            groups[verdict].append(sid)
        for (verdict, attest_only), ids in groups.items():
            t = found.setdefault(f"{code}/{kind}/{verdict}/{attest_only}", [0, 0, 0])
            t[0] += len(ids)
            t[1] += sum(ids)
            t[2] += sum(map(operator.mul, ids, ids))
    return found


def digest(tallied: dict[str, list[int]]) -> str:
    """A fingerprint of a run's verdicts from `tally` (equal runs, equal fingerprints)."""
    return hashlib.sha256(json.dumps(tallied, sort_keys=True).encode()).hexdigest()


def province_groups() -> dict[int, list[int]]:
    """Province (root) id → the ids of the units beneath it, each unit placed by its
    latest version's parent chain, with the provinces a reorganisation joined (three
    queries)."""
    parent: dict[int, int | None] = {}
    for unit_id, parent_id in UnitVersion.objects.order_by("unit_id", "valid_from").values_list(
        "unit_id", "parent_id"
    ):
        parent[unit_id] = parent_id  # the latest version wins
    root: dict[int, int] = {}

    def root_of(unit_id: int) -> int:
        chain = []
        while unit_id not in root:
            chain.append(unit_id)
            up = parent.get(unit_id)
            if up is None or up in chain:
                root[unit_id] = unit_id
                break
            unit_id = up
        found = root[unit_id]
        for u in chain:
            root[u] = found
        return found

    # Provinces joined by a reorganisation (a unit of one became, or went into, a unit of
    # the other) are one group: the staff moved by the act work in both during the year,
    # and would otherwise be evaluated by two workers.
    joined: dict[int, int] = {}

    def group_of(root: int) -> int:
        while joined.get(root, root) != root:
            root = joined[root]
        return root

    for predecessor_id, successor_id in LineageEdge.objects.filter(
        successor__isnull=False
    ).values_list("predecessor_id", "successor_id"):
        a, b = group_of(root_of(predecessor_id)), group_of(root_of(successor_id))
        if a != b:
            joined[max(a, b)] = min(a, b)

    groups: dict[int, list[int]] = {}
    for unit_id in Unit.objects.values_list("pk", flat=True):
        groups.setdefault(group_of(root_of(unit_id)), []).append(unit_id)
    return groups


def plan(year: int, workers: int) -> list[list[int]]:
    """The units of each worker: whole provinces, the largest first to the least loaded
    worker, weighed by the employments of the year (one query besides the groups)."""
    lo, hi = year_bounds(year)
    staff = dict(
        Employment.objects.filter(Q(end__isnull=True) | Q(end__gt=lo), start__lt=hi)
        .order_by()
        .values_list("unit_id")
        .annotate(n=Count("pk"))
    )
    weighed = sorted(
        (
            (sum(staff.get(u, 0) for u in units) + len(units), root, units)
            for root, units in province_groups().items()
        ),
        key=lambda item: (-item[0], item[1]),
    )
    parts: list[list[int]] = [[] for _ in range(max(1, min(workers, len(weighed))))]
    loads = [0] * len(parts)
    for weight, _root, units in weighed:
        i = loads.index(min(loads))
        parts[i].extend(units)
        loads[i] += weight
    return parts


def run(
    year: int,
    *,
    workers: int,
    award_codes=None,
    as_of: datetime.date | None = None,
    subjects=(IND, COLL),
    render=None,
    summary=False,
) -> Partitioned:
    """Evaluate everyone for `year` (as `engine.run` with no unit) over `workers`
    processes. `render`: a function of one `Result` run in the worker whose value is
    kept per result in `Partitioned.rendered` (e.g. `Result.as_dict` for an export).
    `summary`: the workers return their verdicts' `tally`, not the verdicts (a benchmark;
    `Partitioned.counts` and `fingerprint` are then set, `verdicts` empty)."""
    from thidua.rules import engine

    if any(c.in_atomic_block for c in connections.all(initialized_only=True)):
        # The workers read through connections of their own: only committed rows.
        raise RuntimeError("partition.run() reads committed data: call it outside a transaction")
    # Refused before any process starts (a dossier date too early, an unknown award).
    engine.check_dossier_date(year, as_of)
    awards = engine.get_definitions().awards
    unknown = [c for c in award_codes or () if c not in awards]
    if unknown:
        raise engine.UnknownCode("award", unknown)
    parts = plan(year, workers)
    order = {pk: i for i, pk in enumerate(Unit.objects.values_list("pk", flat=True))}
    connections.close_all()  # each process opens its own connections
    job = (year, award_codes, as_of, tuple(subjects), render, summary)
    with ProcessPoolExecutor(len(parts), mp_context=get_context("fork")) as pool:
        done = list(pool.map(_evaluate, [(job, units) for units in parts]))
    return _merge(year, done, order, award_codes)


def _evaluate(task) -> dict:
    """One worker: `engine.run` over its units; keeps what it holds (see the module)."""
    (year, award_codes, as_of, subjects, render, summary), units = task
    from thidua.rules import engine

    started, cpu = time.perf_counter(), time.process_time()
    evaluation = engine.run(
        year, units=units, subtree=False, award_codes=award_codes, as_of=as_of, subjects=subjects
    )
    held = set(units)
    home = evaluation.facts.home_units(year)
    blocks = []
    rendered = []
    for code, kind, sids, verdicts in evaluation.results._blocks:
        keep = [
            i
            for i, sid in enumerate(sids)
            if (sid in held if kind != IND else home.get(sid) in held)
        ]
        blocks.append((code, kind, [sids[i] for i in keep], [verdicts[i] for i in keep]))
        if render is not None:
            from thidua.rules.results import Result

            rendered.append(
                [render(Result(evaluation.engine, kind, sids[i], code, *verdicts[i])) for i in keep]
            )
    quotas = [row for row in evaluation.quotas if row["unit_id"] in held]
    duplicates = [
        d
        for d in evaluation.duplicates
        if (
            d["subject_id"] in held
            if d["subject_kind"] != IND
            else home.get(d["subject_id"]) in held
        )
    ]
    found = {
        "first_years": evaluation.facts.first_years,
        "dossier_date": evaluation.dossier_date,
        "rule_set": evaluation.rule_set.id,
        "evaluated_under": evaluation.evaluated_under.id,
        "notes": [str(n) for n in evaluation.notes],
        "parameters": evaluation.parameters,
        "codes": [b[0] for b in blocks],
        "blocks": [] if summary else blocks,
        "tally": tally(blocks) if summary else {},
        "rendered": rendered,
        "quotas": quotas,
        "duplicates": duplicates,
        "measured": {
            "pid": os.getpid(),
            "units": len(units),
            "people": sum(1 for pid in evaluation.facts.population if home.get(pid) in held),
            "seconds": time.perf_counter() - started,
            "cpu": time.process_time() - cpu,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        },
    }
    connections.close_all()
    return found


def _merge(year, done: list[dict], order: dict[int, int], award_codes) -> Partitioned:
    """The workers' answers in the single run's order."""
    codes: list[str] = []
    for part in done:  # award order: the run's (every worker asks the same awards)
        for code in part["codes"]:
            if code not in codes:
                codes.append(code)
    rank = {code: i for i, code in enumerate(codes)}
    entries = []
    for part in done:
        rendered = part["rendered"] or [None] * len(part["blocks"])
        for (code, kind, sids, verdicts), shown in zip(part["blocks"], rendered, strict=True):
            for i, (sid, (verdict, attest_only)) in enumerate(zip(sids, verdicts, strict=True)):
                place = sid if kind == IND else order[sid]
                entries.append(
                    (
                        (rank[code], kind != IND, place),
                        (code, kind, sid, verdict, attest_only),
                        None if shown is None else shown[i],
                    )
                )
    entries.sort(key=lambda e: e[0])
    quotas = sorted((row for part in done for row in part["quotas"]), key=lambda r: r["unit_id"])
    duplicates = sorted(
        (d for part in done for d in part["duplicates"]),
        key=lambda d: (
            d["subject_kind"] != IND,
            d["subject_id"] if d["subject_kind"] == IND else order[d["subject_id"]],
        ),
    )
    tallied: dict[str, list[int]] = {}
    for part in done:
        for key, values in part["tally"].items():
            t = tallied.setdefault(key, [0, 0, 0])
            for i, v in enumerate(values):
                t[i] += v
    first = done[0]
    return Partitioned(
        counts={key: t[0] for key, t in sorted(tallied.items())},
        fingerprint=digest(tallied) if tallied else "",
        first_years=first["first_years"],
        year=year,
        dossier_date=first["dossier_date"],
        rule_set=first["rule_set"],
        evaluated_under=first["evaluated_under"],
        notes=first["notes"],
        parameters=first["parameters"],
        verdicts=[e[1] for e in entries],
        quotas=quotas,
        duplicates=duplicates,
        rendered=[e[2] for e in entries] if done[0]["rendered"] else [],
        workers=[part["measured"] for part in done],
    )
