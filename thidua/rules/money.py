"""Bonus money (tiền thưởng): coefficient × the base salary in force on the decision date,
rounded up to the next 10,000 VND (Decree 152/2025 Điều 49); a household gets 1.5 × the
individual amount for the same form (docs/legal/money.md [V1]).

Coefficients live in each award file (`[[coefficient]]`, by subject and date), the base
salary history in `rules/data/base_salary.toml`.
"""

import datetime
import tomllib
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from functools import cache
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from thidua.rules.definitions import CONFIDENCE, FAR_FUTURE, FAR_PAST, Dated, get_definitions

BASE_SALARY_FILE = Path(__file__).resolve().parent / "data" / "base_salary.toml"
ROUNDING = Decimal(10_000)
HOUSEHOLD_FACTOR = Decimal("1.5")


@dataclass(frozen=True)
class Bonus:
    """An amount and how it was computed."""

    amount: int
    raw: Decimal
    coefficient: float
    base_salary: int
    base_salary_decree: str
    article: str
    confidence: str  # the weakest of the coefficient's and the base salary's
    household: bool = False


@cache
def base_salaries(path: Path = BASE_SALARY_FILE) -> tuple[Dated, ...]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ImproperlyConfigured(f"{path}: {exc}") from exc
    rows = []
    for index, raw in enumerate(data.get("base_salary", []), start=1):
        where = f"{path}: base_salary #{index}"
        amount = raw.get("amount")
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise ImproperlyConfigured(f"{where}: amount must be a positive whole number of VND")
        if raw.get("confidence") not in CONFIDENCE:
            raise ImproperlyConfigured(f"{where}: confidence must be one of {CONFIDENCE}")
        try:
            valid_from = datetime.date.fromisoformat(raw["valid_from"])
            valid_to = datetime.date.fromisoformat(raw["valid_to"]) if "valid_to" in raw else None
        except (KeyError, ValueError) as exc:
            raise ImproperlyConfigured(f"{where}: valid_from / valid_to must be dates") from exc
        rows.append(
            Dated(
                valid_from or FAR_PAST,
                valid_to or FAR_FUTURE,
                amount,
                raw.get("decree", ""),
                raw["confidence"],
            )
        )
    rows.sort(key=lambda r: r.valid_from)
    for before, after in zip(rows, rows[1:], strict=False):
        if before.valid_to != after.valid_from:
            raise ImproperlyConfigured(f"{path}: base salary periods leave a gap or overlap")
    return tuple(rows)


def base_salary_on(day: datetime.date) -> Dated | None:
    return next((row for row in base_salaries() if row.covers(day)), None)


def round_up(raw: Decimal) -> int:
    """Up to the next 10,000 VND ("làm tròn số lên hàng chục nghìn đồng")."""
    return int((raw / ROUNDING).to_integral_value(rounding=ROUND_CEILING) * ROUNDING)


def _weakest(*tags: str) -> str:
    return max(tags, key=CONFIDENCE.index)


def bonus(code: str, subject: str, decision_date: datetime.date) -> Bonus | None:
    """The bonus for award `code` conferred on a `subject` (individual, collective,
    household) by a decision of `decision_date`; None when the data holds no coefficient
    or no base salary for that date (never a guessed amount)."""
    award = get_definitions().awards[code]
    household = subject == "household"
    coefficient = award.coefficient_on(decision_date, "individual" if household else subject)
    salary = base_salary_on(decision_date)
    if coefficient is None or salary is None:
        return None
    raw = Decimal(str(coefficient.value)) * Decimal(salary.value)
    amount = round_up(raw)
    if household:
        raw = raw * HOUSEHOLD_FACTOR
        amount = round_up(Decimal(amount) * HOUSEHOLD_FACTOR)
    return Bonus(
        amount=amount,
        raw=raw,
        coefficient=coefficient.value,
        base_salary=salary.value,
        base_salary_decree=salary.article,
        article=coefficient.article,
        confidence=_weakest(coefficient.confidence, salary.confidence, "V1" if household else "V2"),
        household=household,
    )
