import pytest


@pytest.fixture(scope="module")
def demo(demo_loaded):
    """The Kim Bảng demo world (organisation, emulation, plans; `load_demo()` loads all
    three) for this module, rolled back at its end; each test runs in a savepoint within
    it. Built once per test process (the root conftest's `demo_loaded`)."""
    return demo_loaded


@pytest.fixture
def loaded(demo, db):
    return demo
