"""Fixtures for every test: a small tree (province → district → two communes, and a
second district) and users holding roles on it, for permission matrices; and the demo
world, built once per test process and written again for each module that asks for it
(`demo_world`)."""

import os
import tempfile
import threading
from contextlib import contextmanager

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from thidua.accounts.choices import Role
from thidua.org.choices import UnitKind
from thidua.org.tests.factories import UnitFactory, UserFactory, user_with_role


def pytest_configure(config):
    """Start building the migrated database the test databases copy (see
    `django_db_modify_db_settings`) while the test processes start, unless it exists; and,
    for pytest-xdist's workers on SQLite, the demo world's snapshot (`_demo_snapshot`)."""
    from benchmarks.common import migrated_template
    from thidua.testing import start_demo_snapshot

    if not hasattr(config, "workerinput"):  # the main process, not a pytest-xdist worker
        threading.Thread(target=migrated_template, daemon=True).start()
        url = os.environ.get("THIDUA_DATABASE_URL", "")
        if getattr(config.option, "numprocesses", None) and (not url or url.startswith("sqlite")):
            config.add_cleanup(start_demo_snapshot(tempfile.mkdtemp(prefix="thidua-demo-")))


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Test databases on SQLite start as a copy of a migrated one, not by `migrate`."""
    from benchmarks.common import migrated_template
    from thidua.testing import sqlite_test_databases_from

    with sqlite_test_databases_from(migrated_template):
        yield


@pytest.fixture
def tree(db):
    province = UnitFactory(code="HN", kind=UnitKind.PROVINCE, name="Tỉnh Hà Nam")
    district = UnitFactory(
        code="KB", kind=UnitKind.DISTRICT, name="Huyện Kim Bảng", parent=province
    )
    commune = UnitFactory(code="KB-TL", name="Xã Thanh Sơn", parent=district)
    commune2 = UnitFactory(code="KB-NK", name="Xã Nhật Tân", parent=district)
    other = UnitFactory(code="TL", kind=UnitKind.DISTRICT, name="Huyện Thanh Liêm", parent=province)
    return {
        "province": province,
        "district": district,
        "commune": commune,
        "commune2": commune2,
        "other": other,
    }


@pytest.fixture
def users(tree):
    """anonymous is the test client unauthenticated; these are the other cases."""
    return {
        "no_role": UserFactory(username="norole"),
        "other_unit": user_with_role(Role.OFFICER, tree["other"], username="other"),
        "officer": user_with_role(Role.OFFICER, tree["district"], username="officer"),
        "viewer": user_with_role(Role.VIEWER, tree["district"], username="viewer"),
    }


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """The default hasher costs about a second per user; tests do not need its strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: the per-client limits of public pages
    (thidua/audit/throttle.py) count in it."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def english():
    """For tests that match message text: the UI default is Vietnamese."""
    with translation.override("en"):
        yield


@pytest.fixture(scope="session", autouse=True)
def _media_outside_the_repository(tmp_path_factory):
    """Files a test writes (uploads, the demo's documents, jobs' results) go to a temporary
    directory of the test process, also from module-scoped fixtures that load the demo: two
    workers' job 1 must not share one result file. Tests may still point MEDIA_ROOT or
    DATA_DIR elsewhere with the `settings` fixture."""
    from django.conf import settings

    previous = settings.MEDIA_ROOT, settings.DATA_DIR
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    settings.DATA_DIR = tmp_path_factory.mktemp("data")
    yield
    settings.MEDIA_ROOT, settings.DATA_DIR = previous


FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def _demo_snapshot(django_db_setup, django_db_blocker):
    """The rows `load_demo()` writes, and the files it writes under MEDIA_ROOT: built for the
    whole run by the main process when there is one (`thidua.testing.start_demo_snapshot`),
    else loaded here once and rolled back (its files then stay where they were written)."""
    from thidua.interchange.demo import load_demo
    from thidua.testing import built_demo_snapshot, snapshot_demo

    built = built_demo_snapshot()
    if built is not None:
        return built
    hashers = override_settings(PASSWORD_HASHERS=FAST_HASHER)
    with hashers, django_db_blocker.unblock(), transaction.atomic():
        snapshot = snapshot_demo(load_demo)
        transaction.set_rollback(True)
    return {"tables": snapshot, "media": {}}


@contextmanager
def demo_world(snapshot, django_db_blocker):
    """The demo world inside a transaction that is rolled back on exit. For module-scoped
    fixtures: each test then runs in a savepoint within it."""
    from django.conf import settings

    from thidua.testing import restore_media, restore_snapshot

    restore_media(snapshot["media"], settings.MEDIA_ROOT)
    with override_settings(PASSWORD_HASHERS=FAST_HASHER), django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            restore_snapshot(snapshot["tables"])
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def demo_loaded(_demo_snapshot, django_db_blocker):
    """The whole demo (`load_demo()`: organisation, records, emulation, plans, proposals,
    council, decisions) for this module, rolled back at its end. Tests that read it ask
    for `db` too (they then run in a savepoint within it)."""
    with demo_world(_demo_snapshot, django_db_blocker):
        yield
