"""A read replica for reports and eligibility (THIDUA_DATABASE_REPLICA_URL): their reads
go to the `replica` alias, every write to the primary, and a transaction that has written
reads its own writes on the primary. In the test suite the alias mirrors the test database
(settings: TEST MIRROR), and these tests switch the router on."""

import datetime
import json
import os
import subprocess
import sys

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from thidua.accounts.system import SYSTEM
from thidua.org.tests.factories import (
    EmploymentFactory,
    PersonFactory,
    PersonRatingFactory,
    UnitFactory,
)
from thidua.records import services
from thidua.records.models import PersonRating
from thidua.reports.statistics import build_statistics
from thidua.rules import engine

YEAR = 2025


@pytest.fixture
def routed(settings):
    settings.DATABASE_ROUTERS = ["thidua.routers.ReplicaRouter"]


@pytest.fixture
def staff():
    unit = UnitFactory(code="XA", name="Xã An Bình")
    people = []
    for n in range(3):
        person = PersonFactory(code=f"CB{n}")
        EmploymentFactory(person=person, unit=unit, start=datetime.date(2010, 1, 1))
        PersonRatingFactory(person=person, year=YEAR, level="HTT")
        people.append(person)
    return unit, people


def _captured():
    return CaptureQueriesContext(connections["default"]), CaptureQueriesContext(
        connections["replica"]
    )


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_an_eligibility_run_reads_the_replica_only(routed, staff):
    primary, replica = _captured()
    with primary, replica:
        evaluation = engine.run(YEAR)
    assert {r.subject_code for r in evaluation.results if r.award_code == "LDTT"} == {
        "CB0",
        "CB1",
        "CB2",
    }
    assert len(replica) >= evaluation.queries
    assert len(primary) == 0


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_a_report_reads_the_replica(routed, staff):
    unit, _people = staff
    primary, replica = _captured()
    with primary, replica:
        build_statistics(SYSTEM, unit, datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31))
    assert len(replica) > 0
    assert len(primary) == 0


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_writes_go_to_the_primary_which_a_writing_transaction_then_reads(routed, staff):
    _unit, people = staff
    primary, replica = _captured()
    with primary, replica, transaction.atomic():
        services.rate_person(people[0], YEAR, "KHT", actor=SYSTEM)
        verdicts = {r.award_code: r.verdict for r in engine.run(YEAR, people=[people[0]]).results}
    assert verdicts["LDTT"] == "not_eligible"  # its own write, read on the primary
    assert not replica.captured_queries
    assert any("UPDATE" in q["sql"] or "INSERT" in q["sql"] for q in primary.captured_queries)
    assert PersonRating.objects.get(person=people[0], year=YEAR).level == "KHT"


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_without_the_router_everything_stays_on_the_primary(staff):
    primary, replica = _captured()
    with primary, replica:
        engine.run(YEAR)
    assert len(primary) > 0 and len(replica) == 0


PRINT_DATABASES = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({"aliases": sorted(settings.DATABASES), "routers": settings.DATABASE_ROUTERS,
                  "replica": settings.DATABASES.get("replica", {}).get("NAME")}))
"""


def test_the_setting_adds_the_replica_alias_and_the_router(tmp_path):
    env = {"THIDUA_DATABASE_REPLICA_URL": f"sqlite:///{tmp_path / 'replica.sqlite3'}"}
    shown = subprocess.run(
        [sys.executable, "-c", PRINT_DATABASES],
        env={**_env_of(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.returncode == 0, shown.stderr
    found = json.loads(shown.stdout)
    assert found["aliases"] == ["default", "replica"]
    assert found["routers"] == ["thidua.routers.ReplicaRouter"]
    assert found["replica"].endswith("replica.sqlite3")
    plain = subprocess.run(
        [sys.executable, "-c", PRINT_DATABASES],
        env=_env_of(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert json.loads(plain.stdout)["aliases"] == ["default"]


def _env_of(tmp_path) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("THIDUA_")}
    return {
        **clean,
        "DJANGO_SETTINGS_MODULE": "thidua.settings",
        "THIDUA_DATA_DIR": str(tmp_path / "data"),
        "THIDUA_DEBUG": "true",
    }
