"""The benchmark's synthetic province: deterministic, and a dataset the loader accepts."""

import hashlib

import pytest

from benchmarks.synthetic import generate
from thidua.accounts.system import SYSTEM
from thidua.interchange.dataset import load_dataset


def test_the_same_seed_gives_the_same_file(tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"

    generate(first, people=200, units=150, seed=7)
    generate(second, people=200, units=150, seed=7)

    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (first, second)]
    assert digest[0] == digest[1]


@pytest.mark.django_db
def test_the_synthetic_province_loads(tmp_path):
    path = tmp_path / "province.json"
    counts = generate(path, people=300, units=150, seed=2020)

    report = load_dataset(path, actor=SYSTEM)

    assert report.counts == {**dict.fromkeys(report.counts, 0), **counts}  # no households
    assert counts["units"] == 150 and counts["people"] == 300
    assert counts["lineage"] > 0 and counts["awards"] > 0
