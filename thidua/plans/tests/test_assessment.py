"""One computation of achievement and "met" for every target kind: 100 % or more is met,
whatever the direction; met compares the figures, never a rounded percentage."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thidua.accounts.system import SYSTEM
from thidua.plans import services
from thidua.plans.assessment import assess, better, growth
from thidua.plans.choices import Direction, Measure, TargetKind

D = Decimal


@pytest.mark.parametrize(
    "value, reference, kind, achievement, met",
    [
        (D("1386"), D("590"), TargetKind.AT_LEAST, D("234.92"), True),
        (D("500"), D("590"), TargetKind.AT_LEAST, D("84.75"), False),
        (D("1.60"), D("1.80"), TargetKind.AT_MOST, D("112.50"), True),
        (D("2.00"), D("1.80"), TargetKind.AT_MOST, D("90.00"), False),
        (D("0"), D("1.80"), TargetKind.AT_MOST, None, True),
        (D("12"), D("12"), TargetKind.EXACTLY, None, True),
        (D("13"), D("12"), TargetKind.EXACTLY, None, False),
        (D("-5"), D("10"), TargetKind.AT_LEAST, D("-50.00"), False),
        (D("5"), D("0"), TargetKind.AT_LEAST, None, True),
        (None, D("5"), TargetKind.AT_LEAST, None, None),
    ],
)
def test_assess(value, reference, kind, achievement, met):
    verdict = assess(value, reference, kind)
    assert verdict.achievement == achievement and verdict.met is met


numbers = st.decimals(min_value=-(10**6), max_value=10**6, places=2, allow_nan=False)


@given(numbers, numbers, st.sampled_from(list(TargetKind)))
def test_a_percentage_of_100_or_more_always_means_met(value, reference, kind):
    verdict = assess(value, reference, kind)
    if verdict.achievement is not None:
        # Met exactly when 100 % or more, but for the rounding to two decimals at the edge.
        assert (verdict.achievement >= 100) == verdict.met or abs(verdict.achievement - 100) <= D(
            "0.01"
        )


def test_better_follows_the_direction():
    assert better(D("-20"), Direction.LOWER) is True
    assert better(D("-20"), Direction.HIGHER) is False
    assert better(D("0"), Direction.HIGHER) is None
    assert growth(D("1.6"), D("2.0")) == D("-20.00")


def test_an_indicator_takes_its_target_kind_from_its_direction(db):
    poverty = services.define_indicator(
        code="HN",
        name="Tỷ lệ hộ nghèo",
        measure=Measure.PERCENT,
        direction=Direction.LOWER,
        actor=SYSTEM,
    )
    assert poverty.target_kind == TargetKind.AT_MOST
    merged = services.define_indicator(
        code="SAP_NHAP",
        name="Số xã sắp xếp",
        measure=Measure.COUNT,
        target_kind=TargetKind.EXACTLY,
        actor=SYSTEM,
    )
    assert merged.target_kind == TargetKind.EXACTLY
