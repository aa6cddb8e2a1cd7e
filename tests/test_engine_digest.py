"""The engine's answers on a synthetic province, frozen: every result's verdict and every
criterion's outcome (status, message key, arguments, notes, sub-outcomes), the quotas and
the duplicate awards, for every annual title, compared with a digest kept in
`tests/data/engine_digest.json`.

Optimising the engine must not change a single answer: this test fails on any difference
and names the awards whose answers moved. A deliberate change of the rules (a legal fault
fixed) changes the digest too; write it again with

    THIDUA_WRITE_DIGEST=1 .venv/bin/pytest tests/test_engine_digest.py

and say in the commit which answers moved and why.
"""

import hashlib
import json
import os
from pathlib import Path

import pytest

from benchmarks.synthetic import generate
from thidua.accounts.system import SYSTEM
from thidua.interchange.dataset import load_dataset
from thidua.rules import engine

DIGEST = Path(__file__).resolve().parent / "data" / "engine_digest.json"
PEOPLE, UNITS, YEAR = 800, 64, 2025

pytestmark = pytest.mark.django_db


def _plain(value):
    """Arguments and notes as JSON-able data, in a stable form."""
    return json.loads(json.dumps(value, default=str, sort_keys=True))


def _without_ids(value):
    """Database ids dropped (PostgreSQL does not rewind its sequences between tests, so
    they differ from one run to the next); rows in a stable order."""
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if not k.endswith("_id")}
    if isinstance(value, list):
        rows = [_without_ids(v) for v in value]
        return sorted(rows, key=lambda row: json.dumps(row, sort_keys=True))
    return value


def _outcomes(pairs) -> list:
    return [
        [
            compiled.criterion.id,
            outcome.status,
            outcome.key,
            _plain(outcome.args),
            _plain(list(compiled.notes) + list(outcome.notes)),
            outcome.attest,
            _outcomes(outcome.children),
        ]
        for compiled, outcome in pairs
    ]


def digest_of(evaluation) -> dict:
    """Per award and subject kind: counts of each verdict and the sha256 of every result's
    line (subject code, verdict, attest_only, explained outcomes), in the run's order."""
    facts = evaluation.facts
    blocks: dict[str, dict] = {}
    hashes: dict = {}
    for result in evaluation.results:
        name = f"{result.award_code}/{result.subject_kind}"
        block = blocks.setdefault(name, {"verdicts": {}})
        block["verdicts"][result.verdict] = block["verdicts"].get(result.verdict, 0) + 1
        subjects = facts.people if result.subject_kind == "individual" else facts.units
        explained = result.evaluated
        line = [
            subjects[result.subject_id].code,
            result.verdict,
            result.attest_only,
            explained.verdict,
            explained.attest_only,
            _outcomes(explained.outcomes),
        ]
        hashes.setdefault(name, hashlib.sha256()).update(
            json.dumps(line, sort_keys=True, ensure_ascii=False).encode() + b"\n"
        )
    for name, block in blocks.items():
        block["sha256"] = hashes[name].hexdigest()
    return {
        "people": PEOPLE,
        "units": UNITS,
        "year": YEAR,
        "results": len(evaluation.results),
        "awards": dict(sorted(blocks.items())),
        "quotas": hashlib.sha256(
            json.dumps(_without_ids(_plain(evaluation.quotas)), sort_keys=True).encode()
        ).hexdigest(),
        "duplicates": hashlib.sha256(
            json.dumps(_without_ids(_plain(evaluation.duplicates)), sort_keys=True).encode()
        ).hexdigest(),
        "notes": [str(n) for n in evaluation.notes],
    }


@pytest.fixture
def province(tmp_path):
    path = tmp_path / "province.json"
    generate(path, people=PEOPLE, units=UNITS)
    load_dataset(path, actor=SYSTEM)


def test_the_engine_answers_exactly_as_before(province):
    found = digest_of(engine.run(YEAR))
    if os.environ.get("THIDUA_WRITE_DIGEST"):
        DIGEST.parent.mkdir(exist_ok=True)
        DIGEST.write_text(json.dumps(found, indent=1, ensure_ascii=False) + "\n")
    expected = json.loads(DIGEST.read_text())
    moved = [
        name
        for name in sorted(expected["awards"].keys() | found["awards"].keys())
        if expected["awards"].get(name) != found["awards"].get(name)
    ]
    assert not moved, f"answers changed for {moved}"
    assert found == expected
    # The province is big enough to exercise every verdict somewhere.
    verdicts = {v for block in found["awards"].values() for v in block["verdicts"]}
    assert {"eligible", "not_eligible", "needs_attestation"} <= verdicts, verdicts
