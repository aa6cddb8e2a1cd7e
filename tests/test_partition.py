"""Eligibility partitioned by province over worker processes gives the answers of one
process: the same verdicts in the same order, the same quota rows and duplicate awards,
the same explained results — on a small synthetic country where people moved between
provinces and the 2025 reform merged provinces and communes (`benchmarks.national`)."""

import datetime
import json

import pytest
from django.core.management import call_command

from benchmarks.national import generate
from thidua.accounts.system import SYSTEM
from thidua.interchange.dataset import load_dataset
from thidua.rules import engine, export, partition

YEAR = 2025

# Committed data: the worker processes read the database through their own connections.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def country(tmp_path):
    path = tmp_path / "country.json"
    generate(path, people=400, scale=0.06, seed=7)
    load_dataset(path, actor=SYSTEM)
    return path


def _single(year=YEAR, **kwargs):
    evaluation = engine.run(year, **kwargs)
    return evaluation, list(evaluation.results.verdicts())


def _sorted(rows):
    return sorted(rows, key=lambda row: json.dumps(row, sort_keys=True, default=str))


@pytest.mark.parametrize("workers", [2])
def test_partitioned_results_are_those_of_one_process(country, workers):
    single, verdicts = _single()
    done = partition.run(YEAR, workers=workers, render=export.result_dict)

    assert len(done.workers) == workers
    assert sum(w["people"] for w in done.workers) == len(single.evaluated["individual"])
    assert done.verdicts == verdicts
    assert done.quotas == single.quotas
    assert _sorted(done.duplicates) == _sorted(single.duplicates)
    assert done.rendered == [r.as_dict() for r in single.results]
    # The country has what makes partitioning hard: people evaluated by two partitions,
    # kept by the one holding their home unit.
    parts = [set(units) for units in partition.plan(YEAR, workers)]
    moved = [
        pid for pid in single.evaluated["individual"] if len(_parts_of(single, pid, parts)) > 1
    ]
    assert moved


def _parts_of(evaluation, pid, parts) -> set[int]:
    """The partitions where the person worked during the year."""
    lo, hi = datetime.date(YEAR, 1, 1), datetime.date(YEAR + 1, 1, 1)
    return {
        i
        for e in evaluation.facts.employments[pid]
        if e.start < hi and (e.end is None or e.end > lo)
        for i, units in enumerate(parts)
        if e.unit_id in units
    }


def test_one_award_in_an_earlier_year(country):
    single, verdicts = _single(2021, award_codes=["LDTT", "TTLDTT"])
    done = partition.run(2021, workers=2, award_codes=["LDTT", "TTLDTT"])
    assert done.verdicts == verdicts
    assert done.quotas == single.quotas


def test_the_command_with_workers_prints_what_one_process_prints(country, tmp_path):
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    call_command("eligibility", "--year", str(YEAR), "--format", "json", "--out", str(one))
    call_command(
        "eligibility", "--year", str(YEAR), "--format", "json", "--out", str(two), "--workers", "2"
    )
    first = json.loads(one.read_text(encoding="utf-8"))
    second = json.loads(two.read_text(encoding="utf-8"))
    assert first["results"] and first["results"] == second["results"]
    assert {k: v for k, v in first.items() if k != "duplicates"} == {
        k: v for k, v in second.items() if k != "duplicates"
    }
    assert _sorted(first["duplicates"]) == _sorted(second["duplicates"])


def test_a_partition_chooses_its_people_in_python_with_the_same_facts(country, monkeypatch):
    """A partition's units are a large share of the country: the rows of its people are
    read whole and chosen in Python (the population's subquery runs once). The facts and
    verdicts are those the subqueries choose."""
    from thidua.org.models import Unit

    units = partition.plan(YEAR, 3)[0]
    assert engine.WIDE_SHARE * Unit.objects.count() <= len(units) < Unit.objects.count()
    wide = engine.run(YEAR, units=units, subtree=False)
    monkeypatch.setattr(engine, "WIDE_SHARE", 2.0)  # never wide: subqueries
    narrow = engine.run(YEAR, units=units, subtree=False)

    assert list(wide.results.verdicts()) == list(narrow.results.verdicts())
    assert wide.quotas == narrow.quotas
    for name in (
        "population",
        "employments",
        "person_ratings",
        "person_awards",
        "unit_awards",
        "disciplines",
        "absences",
        "initiatives",
        "initiative_uses",
        "person_reviews",
        "attestations",
    ):
        found, expected = getattr(wide.facts, name), getattr(narrow.facts, name)
        assert _plain(found) == _plain(expected), name
    assert dict(wide.facts.people) == dict(narrow.facts.people)


def _plain(value):
    """A dict (also a defaultdict, compared without its empty entries) or the value."""
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if v}
    return value
