import pytest
from django.db import transaction
from django.test import override_settings

from thidua.emulation.demo import load_emulation_demo
from thidua.interchange.demo import load_demo
from thidua.plans.demo import load_plans_demo


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The Kim Bảng demo world (organisation, emulation, plans) loaded once per module,
    rolled back at its end; each test runs in a savepoint within it."""
    hashers = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    hashers.enable()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_demo()
            load_emulation_demo()
            load_plans_demo()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            hashers.disable()


@pytest.fixture
def loaded(demo, db):
    return demo
