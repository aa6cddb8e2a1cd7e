"""Kill tests (issue 12 §8): a process killed with SIGKILL in the middle of a load, a
reorganisation (`thidua reorganize`) or the issue of a decision leaves the database exactly
as it was (every table's rows compared: SQLite's dump, or `thidua dumpdata` on PostgreSQL),
on the database the suite runs on: SQLite by default, PostgreSQL when THIDUA_DATABASE_URL
points at it (each test then works in a database of its own, cloned from a migrated
template).

Each operation runs in its own interpreter with a wrapper on the database connection that,
at the Nth write inside a transaction, leaves a marker file and sleeps; the test then kills
it. Deterministic: the kill always lands after writes were made and before the commit.
"""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.test_faults import clean_env
from thidua.testing import migrated_data_dir

ROOT = Path(__file__).resolve().parent.parent
SUITE_URL = os.environ.get("THIDUA_DATABASE_URL", "")
POSTGRES = SUITE_URL.startswith(("postgres://", "postgresql://"))

# Runs the operation's source (a file) with every write counted (INSERT/UPDATE/DELETE
# through Django, and the loader's bulk inserts): at the KILL_AFTER-th inside a
# transaction, the marker file appears and the process waits to be killed.
HARNESS = """
import os, sys, time, django
django.setup()
from django.db import connection
limit, marker, writes = int(os.environ["KILL_AFTER"]), os.environ["KILL_MARKER"], [0]

def wrote():
    if connection.in_atomic_block:
        writes[0] += 1
        if writes[0] == limit:
            open(marker, "w").close()
            time.sleep(600)

def pause_mid_transaction(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if sql.lstrip().split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
        wrote()
    return result

# The loader's bulk inserts (COPY, executemany) go below Django's cursor: count them too.
from thidua.interchange.dataset import bulk, loader
def counted(insert):
    def insert_and_count(*args, **kwargs):
        result = insert(*args, **kwargs)
        wrote()
        return result
    return insert_and_count
bulk.insert = counted(bulk.insert)
loader.insert = counted(loader.insert)

with connection.execute_wrapper(pause_mid_transaction):
    exec(open(sys.argv[1], encoding="utf-8").read())
"""

SETUP_TREE = """
from thidua.org.choices import UnitKind
from thidua.org.tests.factories import EmploymentFactory, PersonFactory, UnitFactory
province = UnitFactory(code="P", kind=UnitKind.PROVINCE, name="Tỉnh Thử")
district = UnitFactory(code="D", kind=UnitKind.DISTRICT, name="Huyện Thử", parent=province)
for n in range(1, 7):
    commune = UnitFactory(code=f"C{n}", name=f"Xã Thử {n}", parent=district)
    for _ in range(3):
        EmploymentFactory(person=PersonFactory(), unit=commune)
"""

REORGANIZE = """
from django.core.management import call_command
call_command("reorganize", os.environ["MAPPING"])
"""

MAPPING = """old_code,new_code,date,kind,new_name,new_parent
C1,C12,01/07/2025,merge,Xã Mới Một Hai,
C2,C12,01/07/2025,merge,Xã Mới Một Hai,
C3,C34,01/07/2025,merge,Xã Mới Ba Bốn,
C4,C34,01/07/2025,merge,Xã Mới Ba Bốn,
C5,C5,01/07/2025,rename,Xã Năm Mới,
C6,C6,01/07/2025,reparent,,P
"""

SETUP_DECISION = """
import datetime
from django.utils import timezone
from thidua.accounts.choices import Role
from thidua.accounts.system import SYSTEM
from thidua.nominations import services as nominations
from thidua.nominations.choices import CouncilOutcome, RoundKind, State
from thidua.nominations.models import Dossier
from thidua.org.choices import UnitKind
from thidua.org.tests.factories import UnitFactory, user_with_role
from thidua.rules.tests.factories import make_person

province = UnitFactory(code="HNA", kind=UnitKind.PROVINCE, name="Tỉnh Hà Nam")
kb = UnitFactory(code="KB", kind=UnitKind.DISTRICT, name="Huyện Kim Bảng", parent=province)
office = UnitFactory(code="KB-VP", kind=UnitKind.DISTRICT_OFFICE, name="Văn phòng", parent=kb)
good = {"ratings": {2019: "HTXS", 2020: "HTXS"}, "awards": [("CSTDCS", 2019), ("CSTDCS", 2020)]}
people = [make_person(office, good) for _ in range(6)]
officer_kb = user_with_role(Role.OFFICER, kb, username="kb")
user_with_role(Role.OFFICER, province, username="province")
day = datetime.date(2020, 11, 2)
round_ = nominations.open_round(
    province, year=2020, kind=RoundKind.ANNUAL, name="Khen thưởng năm 2020",
    deadline=datetime.date(2020, 12, 10), actor=SYSTEM, today=day,
)
dossier = nominations.start_dossier(round_, kb, actor=officer_kb, today=day)
made = nominations.add_nominees(
    dossier,
    [nominations.NomineeSpec(award_code="BK_TINH", person=p, summary="Xuất sắc") for p in people]
    + [nominations.NomineeSpec(award_code="BK_TINH", unit=office, summary="Tốt")],
    actor=officer_kb,
)
Dossier.objects.filter(pk=dossier.pk).update(state=State.READY_FOR_COUNCIL)
for n in made:
    n.council_outcome, n.council_outcome_at = CouncilOutcome.PASSED, timezone.now()
    n.save(update_fields=["council_outcome", "council_outcome_at"])
"""

ISSUE = """
import datetime
from django.contrib.auth import get_user_model
from thidua.decisions.services import issue_decision
from thidua.nominations.models import Nominee
from thidua.org.models import Unit
decision = issue_decision(
    Unit.objects.get(code="HNA"),
    list(Nominee.objects.order_by("pk")),
    decided_on=datetime.date(2021, 1, 8),
    signer_name="Trương Quốc Huy",
    signer_position="Phó Chủ tịch",
    actor=get_user_model().objects.get(username="province"),
)
print("issued", decision.number)
"""

LOAD = """
from django.core.management import call_command
call_command("load", os.environ["DATASET"])
"""


def _admin_url(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _psql(sql: str) -> None:
    import psycopg

    with psycopg.connect(_admin_url(SUITE_URL, "postgres"), autocommit=True) as conn:
        conn.execute(sql)


class Database:
    """A database of the suite's engine for one test: its environment and its dump."""

    def __init__(self, env: dict, name: str | None = None):
        self.env, self.name = env, name

    def run(self, *args, timeout=600, **extra):
        exe = os.path.join(os.path.dirname(sys.executable), "thidua")
        return subprocess.run(
            [exe, *args],
            env=self.env | extra,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )

    def python(self, source: str, tmp_path: Path, **extra) -> str:
        script = tmp_path / f"step-{uuid.uuid4().hex[:8]}.py"
        script.write_text("import django\ndjango.setup()\n" + source, encoding="utf-8")
        out = subprocess.run(
            [sys.executable, str(script)],
            env=self.env | extra,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert out.returncode == 0, out.stderr
        return out.stdout

    def dump(self) -> str:
        """Every row of every model: on SQLite every table as SQL (`iterdump`, read here
        from the file: the models' tables, and also SQLite's id counters), on PostgreSQL
        `dumpdata` (ordered by primary key)."""
        if self.name is None:
            db = sqlite3.connect(Path(self.env["THIDUA_DATA_DIR"]) / "thidua.sqlite3")
            try:
                return "\n".join(db.iterdump())
            finally:
                db.close()
        return self.run("dumpdata", "--indent", "0").stdout

    def unit_codes(self) -> set[str]:
        if self.name is None:
            db = sqlite3.connect(Path(self.env["THIDUA_DATA_DIR"]) / "thidua.sqlite3")
            try:
                return {code for (code,) in db.execute("SELECT code FROM org_unit")}
            finally:
                db.close()
        return {
            row["fields"]["code"] for row in json.loads(self.run("dumpdata", "org.unit").stdout)
        }


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A migrated, empty database to clone for each test."""
    folder = tmp_path_factory.mktemp("kill-template")
    if POSTGRES:
        name = f"{urlsplit(SUITE_URL).path.lstrip('/')}_kill_{os.getpid()}"
        _psql(f'DROP DATABASE IF EXISTS "{name}"')
        _psql(f'CREATE DATABASE "{name}"')
        env = clean_env(folder, THIDUA_DATABASE_URL=_admin_url(SUITE_URL, name), THIDUA_DEBUG="1")
        Database(env).run("migrate", "--noinput")
        yield name
        _psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        yield migrated_data_dir(folder)


@pytest.fixture
def database(template, tmp_path):
    data = tmp_path / "data"
    if POSTGRES:
        name = f"{template}_{uuid.uuid4().hex[:8]}"
        _psql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        env = clean_env(data, THIDUA_DATABASE_URL=_admin_url(SUITE_URL, name), THIDUA_DEBUG="1")
        yield Database(env, name)
        _psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        shutil.copytree(template, data)
        yield Database(clean_env(data))


def kill_mid_transaction(database: Database, source: str, tmp_path: Path, *, after: int, **extra):
    """Run `source` under the harness, kill it at its `after`-th write in a transaction."""
    script = tmp_path / "operation.py"
    script.write_text(source, encoding="utf-8")
    marker = tmp_path / "paused"
    env = database.env | extra | {"KILL_AFTER": str(after), "KILL_MARKER": str(marker)}
    process = subprocess.Popen(
        [sys.executable, "-c", HARNESS, str(script)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 300
    while not marker.exists() and time.monotonic() < deadline:
        if process.poll() is not None:
            out, err = process.communicate()
            pytest.fail(f"the operation ended before its {after}th write:\n{out}\n{err}")
        time.sleep(0.05)
    assert marker.exists(), "the operation never reached its writes"
    os.kill(process.pid, signal.SIGKILL)
    process.communicate()
    assert process.returncode == -signal.SIGKILL


def test_a_reorganisation_killed_mid_write_leaves_the_tree_as_before(database, tmp_path):
    database.python(SETUP_TREE, tmp_path)
    mapping = tmp_path / "mapping.csv"
    mapping.write_text(MAPPING, encoding="utf-8")
    before = database.dump()

    kill_mid_transaction(database, REORGANIZE, tmp_path, after=8, MAPPING=str(mapping))

    assert database.dump() == before
    # The same mapping then applies in full: the kill left nothing in its way.
    database.run("reorganize", str(mapping))
    assert "C12" in database.unit_codes()


def test_a_decision_killed_mid_issue_leaves_no_number_award_or_recipient(database, tmp_path):
    database.python(SETUP_DECISION, tmp_path)
    before = database.dump()

    kill_mid_transaction(database, ISSUE, tmp_path, after=6)

    assert database.dump() == before
    # Issued again, it takes the first number of the year: none was used up by the kill.
    issued = database.python(ISSUE, tmp_path)
    assert issued.strip() == "issued 1/QĐ-UBND", issued


def test_a_load_killed_mid_write_leaves_the_database_as_before(database, tmp_path):
    from benchmarks.synthetic import generate

    # Small: the kill lands at the 4th of the load's writes inside its transaction whatever
    # the size (the harness fails the test if the load ends before it), and every section
    # it writes (units, versions, people, employments, records) has rows here.
    dataset = tmp_path / "province.json"
    generate(dataset, people=150, units=15, seed=3)
    before = database.dump()

    kill_mid_transaction(database, LOAD, tmp_path, after=4, DATASET=str(dataset))

    assert database.dump() == before
