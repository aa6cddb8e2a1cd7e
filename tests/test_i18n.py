"""The Vietnamese catalog is complete, compiled and not stale.

Vietnamese is the default language, so an untranslated string is a bug a user sees.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "thidua"
PO = PACKAGE / "locale" / "vi" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _entries(po):
    return [e for e in po if not e.obsolete]


def test_every_vietnamese_entry_is_translated():
    po = polib.pofile(str(PO))
    missing = [e.msgid for e in _entries(po) if not e.translated()]
    fuzzy = [e.msgid for e in _entries(po) if "fuzzy" in e.flags]
    assert not missing, f"untranslated vi entries: {missing[:20]}"
    assert not fuzzy, f"fuzzy vi entries: {fuzzy[:20]}"


def test_compiled_catalog_matches_the_source():
    po = {
        (e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in _entries(polib.pofile(str(PO)))
    }
    mo = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(MO))}
    mo.pop((None, ""), None)  # the header
    assert po == mo, "django.mo is out of date: run `make messages`"


def test_catalog_is_not_stale(tmp_path):
    """Every translatable string in the sources is in the catalog, and nothing else."""
    if not shutil.which("xgettext"):
        if os.environ.get("CI") == "true":
            pytest.fail("GNU gettext is required in CI for the catalog check")
        pytest.skip("GNU gettext (xgettext) not installed; catalog staleness not checked")
    copy = tmp_path / "thidua"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "THIDUA_DATA_DIR": str(tmp_path / "var")}
    env.pop("THIDUA_DATABASE_URL", None)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "vi",
            "--no-obsolete",
            "--no-location",
            "--settings",
            "thidua.settings",
        ],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = {
        (e.msgctxt, e.msgid) for e in _entries(polib.pofile(str(copy / PO.relative_to(PACKAGE))))
    }
    committed = {(e.msgctxt, e.msgid) for e in _entries(polib.pofile(str(PO)))}
    assert fresh - committed == set(), (
        f"strings missing from the catalog: {sorted(fresh - committed)[:20]}"
    )
    assert committed - fresh == set(), (
        f"obsolete strings in the catalog: {sorted(committed - fresh)[:20]}"
    )
