import pytest

from thidua.rules import sources


@pytest.fixture(autouse=True)
def _fresh_sources():
    """Fact sources registered by a test do not leak into the next one: each test ends with
    the sources the apps registered at start (e.g. the emulation app's block leaders)."""
    registered = dict(sources._SOURCES)
    yield
    sources._SOURCES.update(registered)
