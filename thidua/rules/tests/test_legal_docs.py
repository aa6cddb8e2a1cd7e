"""The law inside the repository: every `docs/legal/...` file that code, data, tests or
docs cite exists, and nothing cites the research note that lives outside the project."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
LEGAL = ROOT / "docs" / "legal"
SKIP_DIRS = {".git", ".venv", "var", "node_modules", "__pycache__", "locale", "staticfiles"}
SUFFIXES = {".py", ".toml", ".md", ".html", ".txt", ".cfg", ".ini", ".yml", ".yaml"}
CITED = re.compile(r"docs/legal/([A-Za-z0-9_.-]+\.md)")
SHORT = re.compile(r"\b([a-z]+\.md)\b")  # the legal cases cite "titles.md V2"
OUTSIDE = re.compile(r"legal-rules|/work/shared|shared/reference")


def project_files():
    for path in ROOT.rglob("*"):
        if path.suffix in SUFFIXES and not SKIP_DIRS & set(path.relative_to(ROOT).parts):
            yield path


@pytest.fixture(scope="module")
def texts():
    return {path: path.read_text(encoding="utf-8", errors="replace") for path in project_files()}


def test_the_legal_notes_are_there():
    expected = {"README", "regimes", "ratings", "titles", "forms", "procedure", "money"}

    assert expected <= {path.stem for path in LEGAL.glob("*.md")}


def test_every_cited_legal_file_exists(texts):
    missing = sorted(
        f"{path.relative_to(ROOT)}: docs/legal/{name}"
        for path, text in texts.items()
        for name in CITED.findall(text)
        if not (LEGAL / name).is_file()
    )

    assert not missing, "cited but missing:\n" + "\n".join(missing)


def test_every_file_named_by_a_legal_case_exists():
    from thidua.rules.tests.test_legal_cases import CASES

    named = {(case.id, name) for case in CASES for name in SHORT.findall(case.rule)}

    assert named, "the legal cases cite docs/legal/ files"
    assert not [(cid, name) for cid, name in named if not (LEGAL / name).is_file()]


def test_nothing_cites_the_research_note_outside_the_repository(texts):
    here = Path(__file__).resolve()
    found = sorted(
        f"{path.relative_to(ROOT)}:{number}"
        for path, text in texts.items()
        if path != here
        for number, line in enumerate(text.splitlines(), start=1)
        if OUTSIDE.search(line)
    )

    assert not found, "cite docs/legal/ instead:\n" + "\n".join(found)
