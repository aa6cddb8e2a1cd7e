"""benchmarks/bench_unit_tree.py at a small size: the synthetic country builds, every page
answers, and the query counts are the same at two sizes (the figures are printed by the
benchmark, not asserted here)."""

import pytest

from benchmarks.bench_unit_tree import REFORM, Country, build, run
from thidua.org import views


@pytest.mark.django_db
def test_the_unit_tree_benchmark_runs_at_a_small_size(monkeypatch):
    monkeypatch.setattr(views, "EAGER_LIMIT", 0)  # the country's pages: lazy
    small = run(build(scale=0.01, people_per_commune=1), repeat=1)
    assert {f.label.split(": ")[1] for f in small} >= {"tree, first load", "people, by a province"}
    assert all(f.size > 0 for f in small)

    larger = run(build_more(), repeat=1)
    assert [f.queries for f in larger] == [f.queries for f in small]


def build_more():
    """More units and people in the same database: the same pages, the same queries."""
    from django.contrib.auth import get_user_model

    from thidua.org.models import Employment, Person, Unit, UnitVersion

    province = Unit.objects.get(code="NP00")
    for n in range(15):
        ward = Unit(code=f"EXTRA{n}", kind="commune", name=f"Phường Thêm {n}")
        ward.fill_derived()
        ward.save()
        UnitVersion.objects.create(unit=ward, name=ward.name, parent=province, valid_from=REFORM)
        person = Person(code=f"EXTRA-P{n}", family_name="Lê", given_name="Bình", gender="F")
        person.fill_derived()
        person.save()
        Employment.objects.create(person=person, unit=ward, start=REFORM)
    User = get_user_model()
    return Country(
        User.objects.get(username="root"), User.objects.get(username="officer"), "NP00", "P00", 0, 0
    )
