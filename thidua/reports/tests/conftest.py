import pytest
from django.db import transaction
from django.test import override_settings

from thidua.plans.demo import load_plans_demo

try:
    from thidua.interchange.demo import load_demo
except ImportError:  # the organisation demo is another engineer's, maybe not there yet
    load_demo = None

try:
    from thidua.emulation.demo import load_emulation_demo
except ImportError:  # the block ranking is optional: the report then says it is missing
    load_emulation_demo = None


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The Kim Bảng demo world (organisation, emulation where installed, plans) loaded
    once per module, rolled back at its end; each test runs in a savepoint within it."""
    if load_demo is None:
        pytest.skip("organisation demo not available")
    hashers = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    hashers.enable()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_demo()
            if load_emulation_demo is not None:
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
