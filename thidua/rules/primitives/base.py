"""The vocabulary every check shares: statuses, verdicts, outcomes."""

import datetime
from typing import NamedTuple

from thidua.records.choices import DisciplineMeasure
from thidua.rules.definitions import Criterion

MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"
# Status-only mode: unknown because a judgement of the council (an attestation) is needed.
ATTEST = "attest"
MIN_MONTHS_RATED = 6  # Decree 90/2020: fewer than 6 months worked → not rated
EMPTY: dict = {}
# Verdicts (the engine's vocabulary; sub-evaluations read them here).
ELIGIBLE, NOT_ELIGIBLE, NEEDS_ATTESTATION, DEFERRED = (
    "eligible",
    "not_eligible",
    "needs_attestation",
    "deferred",
)


class Outcome(NamedTuple):
    status: str
    key: str
    args: dict
    children: tuple = ()  # ((Compiled, Outcome), ...) for composites and sub-evaluations
    notes: tuple = ()  # ((message id, args), ...)
    attest: bool = False  # unknown only because a judgement (attestation) is needed


class Compiled(NamedTuple):
    criterion: Criterion
    fn: object  # (ctx, kind, sid, code, explain) -> Outcome | status
    notes: tuple  # static notes: deployment parameters the criterion reads


def status_of(outcome: Outcome) -> str:
    """The status-only answer for an outcome."""
    if outcome.status == UNKNOWN and outcome.attest:
        return ATTEST
    return outcome.status


def _years(first: int, last: int) -> str:
    return f"{first}–{last}" if first != last else str(first)


def _value(ctx, value):
    return ctx.params[value[1:]] if isinstance(value, str) and value.startswith("@") else value


def _in_year(d, year):
    return d.start < datetime.date(year + 1, 1, 1) and (
        d.end is None or d.end > datetime.date(year, 1, 1)
    )


DISCIPLINE_LADDER = tuple(DisciplineMeasure.values)
