"""The ratings grid benchmark runs, small, in the suite: the figures come out, the page
lists every row, and the query counts stay those of the full-size run."""

import pytest

from benchmarks.bench_ratings_grid import run


@pytest.mark.django_db
def test_benchmark_runs_small():
    small = run(people=12, repeat=2)
    assert small["rows"] == 13  # the unit and its 12 people
    assert small["grid_median"] > 0 and small["cell_median"] > 0
    assert small["grid_queries"] <= 14 and small["cell_queries"] <= 25
