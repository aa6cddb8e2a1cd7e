"""The benchmark of issue 8 at a small size: it builds, submits, and the dossier page's
query count does not grow with the nominees."""

import pytest

from benchmarks.bench_nominations import build, measure


@pytest.mark.django_db
def test_benchmark_small():
    officer, dossiers = build(60, 30)
    figures = measure(officer, dossiers, repeat=2)
    assert figures["nominees"] == 60 and figures["page_nominees"] == 30
    assert figures["page_queries"] == figures["small_queries"]
