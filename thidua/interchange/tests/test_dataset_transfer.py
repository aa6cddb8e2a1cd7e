"""A transfer in one load: a row repeating an open employment of the database (same
person, unit and start) with an end ends it, and the next row starts the new one."""

import datetime

import pytest

from thidua.accounts.system import SYSTEM
from thidua.interchange.dataset import DatasetError, load_dataset
from thidua.org.models import Employment
from thidua.org.tests.factories import EmploymentFactory, UnitFactory

START = datetime.date(2010, 1, 1)
DAY = datetime.date(2025, 7, 1)


def transfer(person, old, new, *, end="2025-07-01", start="2010-01-01"):
    return {
        "format": "thidua-dataset",
        "version": 1,
        "employments": [
            {"person": person, "unit": old, "start": start, "end": end},
            {"person": person, "unit": new, "start": "2025-07-01", "position": "Chuyên viên"},
        ],
    }


def test_a_dataset_ends_one_employment_and_starts_the_next(db):
    old = UnitFactory(code="OLD")
    UnitFactory(code="NEW")
    job = EmploymentFactory(unit=old, start=START)
    report = load_dataset(transfer(job.person.code, "OLD", "NEW"), actor=SYSTEM)
    assert report.counts["employments_ended"] == 1 and report.counts["employments"] == 1
    jobs = list(Employment.objects.filter(person=job.person).order_by("start"))
    assert [(j.unit.code, j.start, j.end) for j in jobs] == [
        ("OLD", START, DAY),
        ("NEW", DAY, None),
    ]


def test_without_the_ending_row_the_new_employment_overlaps_and_nothing_is_written(db):
    old = UnitFactory(code="OLD")
    UnitFactory(code="NEW")
    job = EmploymentFactory(unit=old, start=START)
    data = transfer(job.person.code, "OLD", "NEW", start="2011-01-01")  # not the open one
    with pytest.raises(DatasetError):
        load_dataset(data, actor=SYSTEM)
    assert Employment.objects.get(person=job.person).end is None
