"""Bonus money: coefficient × base salary on the decision date, rounded up to 10,000 VND
(Decree 152/2025 Điều 49); households 1.5 × (docs/legal/money.md)."""

import datetime
from decimal import Decimal

import pytest

from thidua.rules.money import bonus, round_up

BEFORE = datetime.date(2025, 8, 1)  # 2,340,000 (Decree 73/2024)
AFTER = datetime.date(2026, 7, 1)  # 2,530,000 (Decree 161/2026)


@pytest.mark.parametrize(
    ("code", "subject", "day", "amount"),
    [
        ("LDTT", "individual", BEFORE, 710_000),
        ("LDTT", "individual", AFTER, 760_000),
        ("GK", "collective", BEFORE, 1_410_000),
        ("GK", "collective", AFTER, 1_520_000),
        ("TTLDTT", "collective", BEFORE, 1_880_000),
        ("TTLDTT", "collective", AFTER, 2_030_000),
        ("CSTDCS", "individual", BEFORE, 2_340_000),
        ("CSTDCS", "individual", AFTER, 2_530_000),
        ("BK_TINH", "individual", BEFORE, 3_510_000),
        ("BK_TINH", "individual", AFTER, 3_800_000),
        ("TTLDXS", "collective", AFTER, 3_800_000),
        ("THON_VAN_HOA", "collective", AFTER, 3_800_000),
        ("XA_TIEU_BIEU", "collective", AFTER, 5_060_000),
        ("CSTD_TINH", "individual", AFTER, 7_590_000),
        ("BK_TINH", "collective", BEFORE, 7_020_000),
        ("BK_TTG", "individual", AFTER, 8_860_000),
        ("CSTD_TQ", "individual", AFTER, 11_390_000),
        ("HCLD_3", "individual", AFTER, 11_390_000),
        ("BK_TTG", "collective", AFTER, 17_710_000),
        ("HCLD_2", "individual", AFTER, 18_980_000),
        ("CO_TD_TINH", "collective", AFTER, 20_240_000),
        ("CO_TD_CP", "collective", AFTER, 30_360_000),
        ("AHLD", "individual", AFTER, 39_220_000),
        ("AHLD", "collective", BEFORE, 72_540_000),
        ("HCLD_1", "collective", AFTER, 45_540_000),
    ],
)
def test_the_reference_table(code, subject, day, amount):
    assert bonus(code, subject, day).amount == amount


def test_rounding_is_up_to_the_next_ten_thousand():
    assert round_up(Decimal("702000")) == 710_000
    assert round_up(Decimal("2340000")) == 2_340_000
    assert round_up(Decimal("759000.5")) == 760_000


def test_a_household_gets_one_and_a_half_times_the_individual_amount():
    money = bonus("BK_TINH", "household", BEFORE)
    assert money.amount == 5_270_000  # 1.5 × 3,510,000 = 5,265,000, rounded up
    assert money.household and money.confidence == "V1"


def test_the_2020_seed_year_uses_its_base_salary_and_says_the_coefficient_is_presumed():
    money = bonus("LDTT", "individual", datetime.date(2021, 1, 12))
    assert (money.base_salary, money.amount) == (1_490_000, 450_000)
    assert money.confidence == "UNVERIFIED"


def test_no_amount_is_guessed_where_the_reference_gives_no_coefficient():
    assert bonus("BK_TINH", "individual", datetime.date(2021, 1, 12)) is None
    assert bonus("GD_VAN_HOA", "household", AFTER) is None
