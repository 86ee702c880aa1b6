"""Unit tests of the string module's helpers."""

from fakeredis.commands import strings


def test_string_range():
    assert strings.string_range(10, 0, -1) == (0, 9)
    assert strings.string_range(10, -3, -1) == (7, 9)
    assert strings.string_range(10, -1, -3) is None
    assert strings.string_range(10, 5, 100) == (5, 9)
    assert strings.string_range(10, -100, 0) == (0, 0)
    assert strings.string_range(10, 10, 20) is None
    assert strings.string_range(0, 0, -1) is None


def test_lcs_walk_ranges_from_the_end():
    a, b = b"ohmytext", b"mynewtext"
    table = strings._lcs_table(a, b)
    assert table[len(a)][len(b)] == 6
    common, ranges = strings._lcs_walk(a, b, table)
    assert common == b"mytext"
    assert ranges == [[4, 7, 5, 8], [2, 3, 0, 1]]


def test_lcs_of_nothing():
    table = strings._lcs_table(b"", b"abc")
    assert strings._lcs_walk(b"", b"abc", table) == (b"", [])
