"""Sorted set argument parsers and key finders (behaviour is in conformance/test_zsets.py)."""

import math

import pytest

from fakeredis.commands import geo, zsets
from fakeredis.errors import ReplyError


@pytest.mark.parametrize("arg, value", [
    (b"1", 1.0), (b"-1.5", -1.5), (b"+inf", math.inf), (b"-INF", -math.inf), (b"0x10", 16.0),
    (b"0x1p3", 8.0), (b".5", 0.5), (b"5.", 5.0), (b"1e-310", 1e-310), (b"infinity", math.inf),
])
def test_parse_score_accepts_what_strtod_reads(arg, value):
    assert zsets.parse_score(arg) == value


@pytest.mark.parametrize("arg", [b"", b" 1", b"1 ", b"nan", b"1e400", b"-1e400", b"1e-400", b"0x",
                                 b"1_0", b"abc"])
def test_parse_score_rejects(arg):
    with pytest.raises(ReplyError):
        zsets.parse_score(arg)


def test_score_range_bounds_allow_overflow_and_leading_space():
    assert zsets.parse_score_range(b"(1e400", b" 2") == (math.inf, True, 2.0, False)
    with pytest.raises(ReplyError) as exc:
        zsets.parse_score_range(b"(nan", b"1")
    assert exc.value.text == "ERR min or max is not a float"


def test_numkeys_key_finders():
    assert zsets.numkeys_finder(1)([b"zunion", b"2", b"a", b"b", b"WEIGHTS", b"1", b"2"]) == [2, 3]
    store = zsets.numkeys_finder(2, store=True)
    assert store([b"zunionstore", b"d", b"2", b"a", b"b"]) == [1, 3, 4]
    assert zsets.numkeys_finder(2)([b"bzmpop", b"0", b"2", b"a", b"b", b"MIN"]) == [3, 4]
    for bad in (b"x", b"0", b"-1", b"+1", b"3"):
        assert zsets.numkeys_finder(1)([b"zinter", bad, b"a", b"b"]) == []
    assert store([b"zunionstore", b"d", b"-1", b"a"]) == []


def test_georadius_key_finder_follows_the_key_specs():
    finder = geo._store_key_finder(6)
    argv = [b"georadius", b"k", b"1", b"2", b"3", b"km", b"STOREDIST", b"b", b"store", b"a",
            b"STORE", b"c"]
    assert finder(argv) == [1, 9, 7]
    assert finder(argv[:6]) == [1]
    assert finder(argv[:7]) == [1]
