"""The big word of a certificate follows the form, whichever authority confers it."""

import pytest

from thidua.decisions.certificates import heading


@pytest.mark.parametrize(
    ("code", "word"),
    [
        ("GK", "GIẤY KHEN"),
        ("GK_XA", "GIẤY KHEN"),
        ("GK_DN", "GIẤY KHEN"),
        ("BK_BO", "BẰNG KHEN"),
        ("BK_QK", "BẰNG KHEN"),
        ("CO_TD_BO", "CỜ THI ĐUA"),
        ("KNC_QH", "GIẤY CHỨNG NHẬN"),
    ],
)
def test_a_certificate_of_each_authority_carries_its_forms_word(code, word):
    assert heading(code) == word
