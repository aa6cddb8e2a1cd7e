"""Vietnamese text rules users expect: search without diacritics, people in dictionary
order by given name, dates dd/mm/yyyy and numbers 1.386,5."""

import datetime
from decimal import Decimal

import pytest

from thidua.org.models import Person
from thidua.vietnamese import (
    fold,
    format_date,
    format_decimal,
    format_number,
    parse_date,
    person_sort_key,
    sort_key,
)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Kim Bảng", "kim bang"),
        ("Nguyễn  Văn   Đạt", "nguyen van dat"),
        ("ĐẶNG THỊ Ư", "dang thi u"),
        ("Phường Quế\tLâm ", "phuong que lam"),
        ("Thị trấn Quế", "thi tran que"),
    ],
)
def test_fold_drops_case_diacritics_and_extra_spaces(text, folded):
    assert fold(text) == folded


def test_fold_treats_composed_and_decomposed_text_alike():
    import unicodedata

    name = "Nguyễn Thị Ánh"
    assert fold(unicodedata.normalize("NFD", name)) == fold(name) == "nguyen thi anh"


def words_in_order(words):
    return sorted(words, key=sort_key)


def test_letters_follow_the_vietnamese_alphabet():
    expected = [
        "an",
        "ăn",
        "ân",
        "bi",
        "ca",
        "du",
        "đa",
        "em",
        "êm",
        "gi",
        "o",
        "ô",
        "ơ",
        "u",
        "ư",
        "y",
    ]
    assert words_in_order(reversed(expected)) == expected


def test_tones_order_ngang_huyen_hoi_nga_sac_nang():
    expected = ["ma", "mà", "mả", "mã", "má", "mạ"]
    assert words_in_order(["mạ", "má", "mã", "mả", "mà", "ma"]) == expected


def test_a_word_is_compared_by_its_letters_before_its_tones():
    # Dictionary order: every tone of "ba" before "bác"; "an" before "anh".
    assert words_in_order(["bác", "bạ", "ba", "bà"]) == ["ba", "bà", "bạ", "bác"]
    assert words_in_order(["Anh", "An", "Ánh", "Án"]) == ["An", "Án", "Anh", "Ánh"]


def test_case_and_composition_do_not_change_the_order():
    import unicodedata

    assert sort_key("ĐẠT") == sort_key("đạt") == sort_key(unicodedata.normalize("NFD", "Đạt"))


def test_people_are_ordered_by_given_then_middle_then_family_name():
    people = [
        ("Nguyễn", "Văn", "Bình"),
        ("Trần", "Văn", "An"),
        ("Lê", "Thị", "An"),
        ("Nguyễn", "Văn", "Án"),
        ("Đỗ", "", "An"),
        ("Bùi", "Văn", "An"),
        ("Phạm", "Thị", "Anh"),
    ]

    ordered = sorted(people, key=lambda p: person_sort_key(*p))

    assert ordered == [
        ("Đỗ", "", "An"),  # no middle name first
        ("Lê", "Thị", "An"),  # middle Thị < Văn
        ("Bùi", "Văn", "An"),  # same middle: family Bùi < Trần
        ("Trần", "Văn", "An"),
        ("Nguyễn", "Văn", "Án"),  # the given name's tone decides before the family name
        ("Phạm", "Thị", "Anh"),
        ("Nguyễn", "Văn", "Bình"),
    ]


def test_the_database_orders_people_as_python_does(db):
    names = [
        ("Nguyễn", "Văn", "Bình"),
        ("Trần", "Văn", "An"),
        ("Nguyễn", "Văn", "Án"),
        ("Lê", "Thị", "Ánh"),
    ]
    for i, (family, middle, given) in enumerate(names):
        Person.objects.create(
            code=f"P{i}", family_name=family, middle_name=middle, given_name=given, gender="M"
        )

    in_db = [p.full_name for p in Person.objects.order_by("sort_key")]

    assert in_db == ["Trần Văn An", "Nguyễn Văn Án", "Lê Thị Ánh", "Nguyễn Văn Bình"]


def test_digits_sort_after_letters_and_punctuation_is_ignored():
    assert words_in_order(["Thôn 2", "Thôn Đông", "Thôn 1"]) == ["Thôn Đông", "Thôn 1", "Thôn 2"]
    assert sort_key("Hà-Nam") == sort_key("HàNam")
    assert sort_key("x²") == sort_key("x")  # a superscript is not a digit of the key


def test_a_very_long_name_still_fits_the_sort_column():
    assert len(person_sort_key("Nguyễn" * 10, "Văn " * 80, "An" * 30)) == 600


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (1386.5, 1, "1.386,5"),
        (1386, 0, "1.386"),
        (Decimal("1386000000000"), 0, "1.386.000.000.000"),
        (235.0, 0, "235"),
        (0.5, 2, "0,50"),
        (-1234.25, 2, "-1.234,25"),
    ],
)
def test_format_number_groups_with_dots_and_uses_a_decimal_comma(value, decimals, text):
    assert format_number(value, decimals) == text


def test_dates_read_and_write_as_dd_mm_yyyy():
    day = datetime.date(2025, 7, 1)
    assert format_date(day) == "01/07/2025"
    for text in ("01/07/2025", "1/7/2025", "2025-07-01", "01-07-2025", "01.07.2025"):
        assert parse_date(text) == day
    assert parse_date(datetime.datetime(2025, 7, 1, 8, 30)) == day
    for bad in ("31/02/2025", "07/2025", "", "hôm nay"):
        with pytest.raises(ValueError):
            parse_date(bad)


@pytest.mark.parametrize(
    "value, text",
    [
        (Decimal("12.00"), "12"),
        (Decimal("12.50"), "12,5"),
        (Decimal("-3"), "-3"),
        (Decimal("1386.25"), "1.386,25"),
        (Decimal("0.00"), "0"),
        (Decimal("1E+3"), "1.000"),
    ],
)
def test_format_decimal(value, text):
    assert format_decimal(value) == text
