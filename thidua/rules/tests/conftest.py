import pytest

from thidua.rules import sources


@pytest.fixture(autouse=True)
def _fresh_sources():
    """Fact sources registered by a test do not leak into the next one."""
    yield
    for name in ("leads_block", "registered_units", "registered_people"):
        sources.reset(name)
