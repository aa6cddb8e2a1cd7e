"""Loaded by pytest before Django (`-p thidua.testing` in pyproject's addopts).

The suite reads its settings with THIDUA_DEBUG on unless the environment says otherwise,
so a run against PostgreSQL needs no production secret key. Django's test runner still
runs every test with DEBUG off; tests that check the production defaults start a fresh
interpreter with their own environment (tests/test_settings.py, tests/test_deployment.py).
"""

import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("THIDUA_DEBUG", "1")
os.environ.setdefault("THIDUA_JOBS_IMMEDIATE", "1")  # background jobs run within the request
os.environ.setdefault("THIDUA_TEST_REPLICA", "1")  # a `replica` alias mirroring the test database


# --- the demo world, built once per test run -----------------------------------------------
#
# Loading the demo runs every domain's services (about ten seconds); several test modules
# need it. `snapshot_demo` loads it once, keeps every row it wrote (as Python values, read
# through the ORM) and rolls back; `restore_snapshot` writes those rows again with plain
# INSERTs, which takes a fraction of the time. Both run inside an open transaction.
#
# On SQLite under pytest-xdist the main pytest process has the snapshot built once, in a
# child process on a copy of the migrated template (`start_demo_snapshot`), and the workers
# read it (`built_demo_snapshot`) rather than each loading the demo: their test databases
# are copies of the same template, so the rows and their ids are those a worker would write.
# The files the load writes under MEDIA_ROOT (a dossier's minutes) travel with the rows.


def _tables():
    """(model, local concrete fields) for every table the project's models own."""
    from django.apps import apps

    seen = set()
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in seen:
            continue
        seen.add(meta.db_table)
        yield model, list(meta.local_concrete_fields)


def _rows(model, fields) -> dict:
    names = [f.attname for f in fields]
    pk = model._meta.pk.attname
    return {row[pk]: row for row in model._base_manager.order_by().values(*names).iterator()}


def snapshot_demo(load) -> list:
    """Run `load()` and return, for each table it changed, the statements that write the
    table as it is afterwards: (table, INSERT statement, rows of database values). The
    caller rolls the load back."""
    from django.db import connection

    before = {model: _rows(model, fields) for model, fields in _tables()}
    load()
    quote = connection.ops.quote_name
    snapshot = []
    for model, fields in _tables():
        after = _rows(model, fields)
        if after == before[model]:
            continue
        table = quote(model._meta.db_table)
        columns = ", ".join(quote(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        insert = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
        values = [
            tuple(f.get_db_prep_save(row[f.attname], connection) for f in fields)
            for row in after.values()
        ]
        snapshot.append((table, insert, values))
    return snapshot


def restore_snapshot(snapshot) -> None:
    """Make each snapshotted table hold exactly the snapshot's rows (foreign keys are
    checked at commit, so the order of the tables does not matter)."""
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for table, insert, values in snapshot:
            cursor.execute(f"DELETE FROM {table}")
            cursor.executemany(insert, values)
        if connection.vendor == "postgresql":
            # The rows keep their ids, but a sequence may have been set back meanwhile (a
            # test that resets sequences): move each past its table's largest id.
            restored = {table for table, _insert, _values in snapshot}
            models = [
                m for m, _f in _tables() if connection.ops.quote_name(m._meta.db_table) in restored
            ]
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)


DEMO_SNAPSHOT = "THIDUA_TEST_DEMO_SNAPSHOT"  # where this run's snapshot is (a pickle)
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the demo password, quickly


def media_files(root) -> dict[str, bytes]:
    """Every file under `root`, by its path relative to it."""
    root = Path(root)
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def restore_media(files: dict[str, bytes], root) -> None:
    for name, content in files.items():
        path = Path(root) / name
        if not path.exists() or path.read_bytes() != content:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)


def start_demo_snapshot(folder):
    """Have the demo snapshot built in the background, once for the whole run, into
    `folder` (the main process of a pytest-xdist run on SQLite, before its workers start:
    they find the file through the environment and wait for it under a lock). Returns
    what ends it: stops a build still running (a run that never needed the demo) and
    removes `folder`."""
    import fcntl
    import shutil
    import subprocess
    import sys
    import threading

    folder = Path(folder)
    path = folder / "demo-snapshot.pickle"
    lock = open(folder / "demo-snapshot.lock", "w")  # noqa: SIM115 (held by the thread)
    fcntl.flock(lock, fcntl.LOCK_EX)  # taken now: a worker asking early waits for the build
    os.environ[DEMO_SNAPSHOT] = str(path)
    child = []

    def build():
        try:
            data = migrated_data_dir(folder / "demo-data")
            env = {k: v for k, v in os.environ.items() if k != "THIDUA_DATABASE_URL"}
            env |= {"THIDUA_DATA_DIR": str(data), "DJANGO_SETTINGS_MODULE": "thidua.settings"}
            code = f"from thidua.testing import write_demo_snapshot as w; w({str(path)!r})"
            # A failure leaves no file: each worker then loads the demo itself, and a broken
            # demo fails there, in a test, with its traceback.
            child.append(
                subprocess.Popen(
                    [sys.executable, "-c", code],
                    env=env,
                    cwd=folder,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            child[0].wait()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
            lock.close()

    thread = threading.Thread(target=build, daemon=True)
    thread.start()

    def stop():
        if child and child[0].poll() is None:
            child[0].kill()
        thread.join(timeout=60)
        shutil.rmtree(folder, ignore_errors=True)

    return stop


def write_demo_snapshot(path) -> None:
    """In a child process on a migrated data directory: load the demo as the test
    processes would (Django's test environment, the fast password hasher), write the
    snapshot and the media files it wrote to `path`, roll back."""
    import pickle

    import django

    django.setup()
    from django.conf import settings
    from django.db import transaction
    from django.test import override_settings
    from django.test.utils import setup_test_environment

    from thidua.interchange.demo import load_demo

    setup_test_environment(debug=False)  # as pytest-django runs the tests
    with override_settings(PASSWORD_HASHERS=FAST_HASHER), transaction.atomic():
        snapshot = snapshot_demo(load_demo)
        transaction.set_rollback(True)
    built = {"tables": snapshot, "media": media_files(settings.MEDIA_ROOT)}
    partial = Path(f"{path}.partial")
    partial.write_bytes(pickle.dumps(built, protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(partial, path)  # whole or not at all


def built_demo_snapshot():
    """This run's snapshot built by `start_demo_snapshot` (waiting for it), or None."""
    import fcntl
    import pickle

    path = os.environ.get(DEMO_SNAPSHOT)
    if not path:
        return None
    path = Path(path)
    with open(path.with_name("demo-snapshot.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_SH)  # released once the build ended
    if not path.exists():
        return None
    return pickle.loads(path.read_bytes())


# --- the test database, copied from a migrated template -----------------------------------
#
# Django migrates each test database from nothing: about 15 s of CPU per test process, most
# of it rendering the models' states again and again. On SQLite (in memory) the suite copies
# instead a database `migrate` built once (benchmarks.common.migrated_template(), named by
# the migrations it holds, so it cannot be stale).


@contextmanager
def sqlite_test_databases_from(template):
    """While active, Django creates an in-memory SQLite test database as a copy of
    `template()` (a path to a migrated database file) rather than by `migrate`."""
    from django.db.backends.base.creation import BaseDatabaseCreation
    from django.db.backends.sqlite3.creation import DatabaseCreation

    def create_test_db(self, *args, **kwargs):
        from django.core import management

        call_command = management.call_command

        def migrate_or_copy(name, *args, **options):
            if name != "migrate" or not self.is_in_memory_db(self.connection.settings_dict["NAME"]):
                return call_command(name, *args, **options)
            self.connection.ensure_connection()
            source = sqlite3.connect(template())
            try:
                source.backup(self.connection.connection)
            finally:
                source.close()

        management.call_command = migrate_or_copy
        try:
            return BaseDatabaseCreation.create_test_db(self, *args, **kwargs)
        finally:
            management.call_command = call_command

    DatabaseCreation.create_test_db = create_test_db
    try:
        yield
    finally:
        del DatabaseCreation.create_test_db


def migrated_data_dir(folder):
    """`folder` made a data directory (THIDUA_DATA_DIR) whose embedded database is migrated
    and empty, as `thidua migrate` leaves a new one: for tests that run the `thidua`
    command in a child process, which would otherwise migrate from nothing."""
    import shutil
    from pathlib import Path

    from benchmarks.common import migrated_template

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(migrated_template(), folder / "thidua.sqlite3")
    return folder
