"""How an indicator's figure stands against a reference value and against last year: the
ONE computation behind the indicator table, the API, the year-end report (Markdown, JSON,
.docx), its charts and the dashboard, so that none of them can say "met" where another
shows a shortfall.

- **achievement** is a percentage that reads the same way for every target kind: 100 %
  or more means the target is met. For "at least" (revenue) it is actual ÷ reference; for
  "at most" (the poverty rate) it is reference ÷ actual, so a poverty rate of 4,8 % against
  a ceiling of 5 % is 104 %; for "exactly" there is none (overshooting is not doing
  better), only met or not.
  It is None where the ratio means nothing (a zero or negative base; "at most" with a
  zero or negative actual is met, but by no percentage). It is not capped, and may be
  negative (a negative actual against a positive target).
- **met** compares the figures themselves (never the rounded percentage).
- **better** says whether a change on last year is for the better, by the direction.
"""

from dataclasses import dataclass
from decimal import Decimal

from thidua.plans.choices import TARGET_OF_DIRECTION, Direction, TargetKind

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Assessment:
    achievement: Decimal | None  # percent, ≥ 100 when met (see the module docstring)
    met: bool | None  # None without an actual


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    if denominator <= 0:
        return None
    return (numerator * HUNDRED / denominator).quantize(TWO_PLACES)


def target_kind_of(indicator) -> str:
    """The indicator's target kind (its own, else the one its direction implies)."""
    kind = getattr(indicator, "target_kind", "") or ""
    return kind or TARGET_OF_DIRECTION[Direction(indicator.direction)]


def assess(value: Decimal | None, reference: Decimal | None, target_kind: str) -> Assessment:
    """`value` (the actual) against `reference` under `target_kind`."""
    if value is None or reference is None:
        return Assessment(None, None)
    kind = TargetKind(target_kind)
    if kind == TargetKind.AT_MOST:
        met = value <= reference
        if value <= 0:
            return Assessment(None, met)
        return Assessment(_ratio(reference, value), met)
    if kind == TargetKind.EXACTLY:
        return Assessment(None, value == reference)
    return Assessment(_ratio(value, reference), value >= reference)


def growth(value: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """The change from `previous` in percent (negative for a fall), not capped; None
    without a base."""
    if value is None or previous is None or previous == 0:
        return None
    return ((value - previous) * HUNDRED / abs(previous)).quantize(TWO_PLACES)


def better(change: Decimal | None, direction: str) -> bool | None:
    """Whether a change (growth or difference) is for the better; None without a change
    or when there is none."""
    if change is None or change == 0:
        return None
    return (change > 0) == (direction == Direction.HIGHER)
