"""The reorganisation benchmark runs, small, in the suite: the act applies, everyone
follows, the query count does not grow with the rows, and the catalog's counts come out."""

import pytest

from benchmarks.bench_reorganize import run


@pytest.mark.django_db
def test_benchmark_runs_small():
    small = run(rows=40, catalog=["35", "36", "37"])
    assert small["problems"] == []
    assert (small["created"], small["moved"]) == (20, 40)
    assert small["ended"] == 40 + 1  # the communes and their one district
    assert small["catalog_counts"]["2025-06-30"] == {"province": 3, "district": 22, "commune": 398}
    assert small["catalog_counts"]["2025-07-01"] == {"province": 1, "district": 0, "commune": 129}


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_rows():
    small = run(rows=20, catalog=False)
    assert run(rows=400, catalog=False, prefix="B")["queries"] <= small["queries"] + 10
