"""Unit tests of SORT's helpers: strtod emulation, option parsing, windows and key finders."""

import math

import pytest

from fakeredis.commands.sort import (
    SortSpec, _sort_ro_keys, _store_key, _window, parse_sort_options, strtod_score)
from fakeredis.errors import ReplyError


@pytest.mark.parametrize("text, value", [
    (b"", 0.0), (b"1", 1.0), (b" \t\n1.5", 1.5), (b"+.5", 0.5), (b"-0", -0.0), (b"5.", 5.0),
    (b"1e2", 100.0), (b"0x10", 16.0), (b"0x1.8p1", 3.0), (b"0X.8", 0.5), (b"INF", math.inf),
    (b"-infinity", -math.inf), (b"0x1p-1070", 2.0 ** -1070), (b"0e-500", 0.0), (b"2\x00junk", 2.0),
])
def test_strtod_score_accepts(text, value):
    assert strtod_score(text) == value


@pytest.mark.parametrize("text", [
    b"x", b"1 ", b"  ", b"1e", b"nan", b"1e400", b"1e-400", b"1e-310", b"0x1p-1075", b"0x",
    b"0x1p99999", b"1_0", b"--1",
])
def test_strtod_score_refuses(text):
    assert strtod_score(text) is None


def test_parse_sort_options():
    spec = parse_sort_options((b"by", b"nosort", b"BY", b"w_*", b"GET", b"#", b"get", b"x*",
                               b"LIMIT", b"1", b"2", b"desc", b"alpha", b"STORE", b"d"), False)
    assert (spec.by, spec.dontsort, spec.gets, spec.start, spec.count, spec.desc, spec.alpha,
            spec.store) == (b"w_*", True, [b"#", b"x*"], 1, 2, True, True, b"d")
    with pytest.raises(ReplyError):
        parse_sort_options((b"STORE", b"d"), True)


@pytest.mark.parametrize("start, count, length, expected", [
    (0, -1, 5, slice(0, 5)), (-3, 2, 5, slice(0, 2)), (4, 10, 5, slice(4, 5)),
    (5, 1, 5, slice(0, 0)), (0, 0, 5, slice(0, 0)), (0, -1, 0, slice(0, 0)),
])
def test_window(start, count, length, expected):
    spec = SortSpec()
    spec.start, spec.count = start, count
    assert _window(spec, length) == expected


def test_key_finders():
    argv = [b"sort", b"k", b"GET", b"store", b"STORE", b"d1", b"LIMIT", b"0", b"1", b"store", b"d2"]
    assert _store_key(argv) == [1, 10]
    assert _store_key([b"sort", b"k", b"BY", b"store", b"GET", b"#"]) == [1]
    assert _sort_ro_keys([b"sort_ro", b"k", b"GET", b"#"]) == [1]
