"""The one body parser: limits that hold, and ordinary bodies that pass (#3)."""

import pytest

from accounts.untrusted_input import BodyRefused, parse_csv, parse_json


def test_brackets_inside_strings_do_not_count_as_depth():
    assert parse_json('{"a": "[[[[[[\\"]]]]"}', max_bytes=100, max_depth=1) == {
        "a": '[[[[[["]]]]'
    }


def test_depth_and_size_limits():
    assert parse_json("[[1]]", max_bytes=10, max_depth=2) == [[1]]
    with pytest.raises(BodyRefused, match="at most 1 levels"):
        parse_json("[[1]]", max_bytes=10, max_depth=1)
    with pytest.raises(BodyRefused, match="at most 1 KB"):
        parse_json("[" + "1," * 600 + "1]", max_bytes=1024)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_numbers_are_refused(constant):
    with pytest.raises(BodyRefused, match="not a number"):
        parse_json(f"[{constant}]", max_bytes=100)


def test_csv_limits():
    table = parse_csv("a,b\n1,2\n", max_rows=1)
    assert table.fieldnames == ["a", "b"]
    assert table.rows == [{"a": "1", "b": "2"}]
    with pytest.raises(BodyRefused, match="more than 1 rows"):
        parse_csv("a\n1\n2\n", max_rows=1)
    with pytest.raises(BodyRefused, match="Line 2 .* longer than 5"):
        parse_csv("a,b\n1,123456\n", max_rows=5, max_field_chars=5)
    with pytest.raises(BodyRefused, match="Line 2 .* longer than 5"):
        parse_csv("a\n1,2,123456\n", max_rows=5, max_field_chars=5)
    with pytest.raises(BodyRefused, match="Line 2 .* longer than 10000"):
        parse_csv("a\n" + "1" * 200_000 + "\n", max_rows=5)
