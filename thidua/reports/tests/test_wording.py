"""Numbers and phrases as Vietnamese readers expect them."""

from decimal import Decimal

import pytest

from thidua.reports import wording as w
from thidua.reports.summary import UnitRef
from thidua.vietnamese import format_percent


@pytest.mark.parametrize(
    ("value", "signed", "text"),
    [
        (Decimal("234.92"), False, "235%"),
        (Decimal("202.04"), False, "202%"),
        (Decimal("22.50"), False, "23%"),  # half away from zero, not to even
        (Decimal("22.00"), True, "+22%"),
        (Decimal("-39.46"), True, "-39%"),
        (Decimal("0"), True, "0%"),
        (Decimal("1234.5"), False, "1.235%"),
    ],
)
def test_percentages(value, signed, text):
    assert format_percent(value, signed=signed) == text


def test_one_decimal_percentages_use_a_comma():
    assert format_percent(Decimal("79.58"), 1) == "79,6%"


@pytest.mark.parametrize(
    ("value", "measure", "decimals", "text"),
    [
        (Decimal("1386.0000"), "billion_vnd", 0, "1.386 tỷ đồng"),
        (Decimal("1.8700"), "percent", 2, "1,87%"),
        (Decimal("1120000"), "people", 0, "1.120.000 người"),
        (Decimal("16"), "count", 0, "16"),
        (None, "count", 0, "—"),
    ],
)
def test_amounts(value, measure, decimals, text):
    assert w.amount(value, measure, decimals) == text


def test_committees_and_places():
    kb = UnitRef("KB", "Huyện Kim Bảng", "district")
    assert w.committee(kb) == "UBND huyện Kim Bảng"
    assert w.committee_full(kb) == "ỦY BAN NHÂN DÂN HUYỆN KIM BẢNG"
    assert w.place_name(kb) == "Kim Bảng"
    school = UnitRef("S", "Trường THCS Lê Hồ", "public_service")
    assert w.committee(school) == "Trường THCS Lê Hồ"
    assert w.reference_name("province_estimate", UnitRef("HNA", "Tỉnh Hà Nam", "province")) == (
        "dự toán tỉnh giao"
    )
    assert w.reference_name("province_estimate", None) == "dự toán cấp trên giao"
