import math

import pytest

from certificates.codes import ALPHABET, BITS, new_code, normalise_code


def test_codes_carry_at_least_60_bits_in_an_unambiguous_alphabet():
    assert BITS >= 60
    assert len(ALPHABET) == 32 and math.log2(len(ALPHABET)) * 12 >= 60
    assert not set("ILOU") & set(ALPHABET)


def test_new_codes_look_like_the_printed_format_and_differ():
    codes = {new_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert len(code) == 14 and code[4] == code[9] == "-"
        assert normalise_code(code) == code


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("7f3k-9qx2-mb4t", "7F3K-9QX2-MB4T"),
        ("7F3K9QX2MB4T", "7F3K-9QX2-MB4T"),
        (" 7F3K 9QX2 MB4T ", "7F3K-9QX2-MB4T"),
        ("7F3K-9QX2-MB4O", "7F3K-9QX2-MB40"),
        ("lF3K-9QX2-MB4i", "1F3K-9QX2-MB41"),
    ],
)
def test_typed_codes_are_normalised(typed, expected):
    assert normalise_code(typed) == expected


@pytest.mark.parametrize(
    "garbage", ["", "7F3K-9QX2", "7F3K-9QX2-MB4T-AAAA", "UUUU-UUUU-UUUU", "x" * 500]
)
def test_garbage_is_not_a_code(garbage):
    assert normalise_code(garbage) is None
