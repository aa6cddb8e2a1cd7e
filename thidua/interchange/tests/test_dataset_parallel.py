"""A large file is parsed by a child process (`dataset.parallel`) while the load checks its
rows: the same rows land, the same problems are reported, and nothing is half-written.
`MIN_BYTES` is lowered so that the sample takes that path."""

import json

import pytest
from django.db import transaction

from thidua.accounts.system import SYSTEM
from thidua.interchange.dataset import load_dataset, parallel
from thidua.interchange.tests.test_dataset_load import load_problems, sample, table_counts
from thidua.org.models import Person


@pytest.fixture
def through_a_child(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "BATCH", 2)  # several messages per section


def _file(tmp_path, data, name="data.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_a_file_read_by_a_child_loads_as_in_one_process(tmp_path, through_a_child):
    path = _file(tmp_path, sample())
    assert parallel.worth_a_child(path)
    expected = {}
    with pytest.raises(RuntimeError), transaction.atomic():  # rolled back
        expected = load_dataset(sample(), actor=SYSTEM).counts
        raise RuntimeError

    report = load_dataset(path, actor=SYSTEM)

    assert report.counts == expected and expected["people"] == 3
    assert len(report.sha256) == 64
    assert Person.objects.filter(code="P1").exists()


@pytest.mark.django_db
def test_problems_found_by_a_child_are_reported_and_nothing_is_written(tmp_path, through_a_child):
    data = sample()
    data["units"][1]["name"] = "Tỉnh\x00 Hà Nam"
    data["employments"][0]["person"] = "NOBODY"
    expected = load_problems(data)
    before = table_counts()

    problems = load_problems(_file(tmp_path, data))

    assert problems == expected
    assert "units row 2, name: the text holds a NUL character" in problems
    assert table_counts() == before


@pytest.mark.django_db
def test_a_json_syntax_error_found_by_a_child_names_its_line(tmp_path, through_a_child):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "thidua-dataset",\n "version": 1,\n "units": [{"code": "HN",}]}')

    (problem,) = load_problems(path)

    assert problem.startswith("not valid JSON") and "line 3, column" in problem


@pytest.mark.django_db
def test_a_failing_progress_display_ends_the_child(tmp_path, through_a_child):
    def cancel(phase, rows):
        raise KeyboardInterrupt

    before = table_counts()
    with pytest.raises(KeyboardInterrupt):
        load_dataset(_file(tmp_path, sample()), actor=SYSTEM, progress=cancel)

    assert table_counts() == before
    assert not parallel.multiprocessing.active_children()


def test_the_child_ends_when_the_loading_process_is_gone(tmp_path, through_a_child):
    data = sample()
    template = data["people"][0]
    data["people"] = [
        {**template, "code": f"P{i}", "citizen_id": f"{i:012d}"} for i in range(20_000)
    ]  # more than the pipe holds: the child is still sending
    source = parallel.ChildSource(_file(tmp_path, data))
    source.__enter__()
    rows = source.rows()
    next(rows)

    source._conn.close()  # as when the loading process dies: its end of the pipe closes
    source._process.join(timeout=30)

    assert not source._process.is_alive()
