"""List commands that do not block: pushes, pops, reads, edits, moves and LMPOP."""

from __future__ import annotations

from typing import Any

import pytest
import redis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conformance.conftest import make_client
from conformance.helpers import error_of, items, keyevents, raw, watch_aborts
from fakeredis import FakeRedis, FakeServer

WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"


@pytest.fixture
def abc(r: redis.Redis) -> redis.Redis:
    """``l`` = [a, b, c] and a string at ``s``."""
    raw(r, "RPUSH", "l", "a", "b", "c")
    raw(r, "SET", "s", "x")
    return r


# --- LPUSH RPUSH LPUSHX RPUSHX -------------------------------------------------------------------

def test_lpush_prepends_each_element_in_turn(r):
    assert raw(r, "LPUSH", "l", "a", "b", "c") == 3
    assert raw(r, "LPUSH", "l", "d") == 4
    assert items(r, "l") == [b"d", b"c", b"b", b"a"]
    assert raw(r, "TYPE", "l") == b"list"


def test_rpush_appends(r):
    assert raw(r, "RPUSH", "l", "a", "b") == 2
    assert raw(r, "RPUSH", "l", "c") == 3
    assert items(r, "l") == [b"a", b"b", b"c"]


def test_push_keeps_binary_and_empty_elements(r):
    assert raw(r, "RPUSH", "l", b"\x00\xff", b"") == 2
    assert items(r, "l") == [b"\x00\xff", b""]


def test_pushx_only_on_existing_lists(abc):
    r = abc
    assert raw(r, "LPUSHX", "nx", "a") == 0
    assert raw(r, "RPUSHX", "nx", "a", "b") == 0
    assert raw(r, "EXISTS", "nx") == 0
    assert raw(r, "LPUSHX", "l", "y", "z") == 5
    assert raw(r, "RPUSHX", "l", "d") == 6
    assert items(r, "l") == [b"z", b"y", b"a", b"b", b"c", b"d"]


@pytest.mark.parametrize("cmd", ["LPUSH", "RPUSH", "LPUSHX", "RPUSHX"])
def test_push_errors(abc, cmd):
    r = abc
    assert error_of(r, cmd, "s", "a") == WRONGTYPE
    assert error_of(r, cmd, "l") == f"wrong number of arguments for '{cmd.lower()}' command"
    assert raw(r, "GET", "s") == b"x"


# --- LPOP RPOP -----------------------------------------------------------------------------------

def test_pop_one(abc):
    r = abc
    assert raw(r, "LPOP", "l") == b"a"
    assert raw(r, "RPOP", "l") == b"c"
    assert items(r, "l") == [b"b"]


def test_pop_with_count(abc):
    r = abc
    assert raw(r, "RPOP", "l", 2) == [b"c", b"b"]
    assert raw(r, "RPUSH", "l", "b", "c") == 3
    assert raw(r, "LPOP", "l", 1) == [b"a"]
    assert raw(r, "LPOP", "l", 0) == []
    assert raw(r, "LPOP", "l", 10) == [b"b", b"c"]
    assert raw(r, "EXISTS", "l") == 0


def test_popping_the_last_element_deletes_the_key(r):
    raw(r, "RPUSH", "l", "a")
    assert raw(r, "RPOP", "l") == b"a"
    assert raw(r, "EXISTS", "l") == 0
    assert raw(r, "TYPE", "l") == b"none"


def test_pop_missing_key(r):
    assert raw(r, "LPOP", "nx") is None
    assert raw(r, "RPOP", "nx", 2) is None
    assert raw(r, "LPOP", "nx", 0) is None


@pytest.mark.parametrize("cmd", ["LPOP", "RPOP"])
def test_pop_errors(abc, cmd):
    r = abc
    for count in ("-1", "x", "1.5", "9223372036854775808"):
        assert error_of(r, cmd, "l", count) == "value is out of range, must be positive"
    assert error_of(r, cmd, "nx", "-1") == "value is out of range, must be positive"
    assert error_of(r, cmd, "s", "-1") == "value is out of range, must be positive"
    assert error_of(r, cmd, "s") == WRONGTYPE
    assert error_of(r, cmd, "s", "0") == WRONGTYPE
    assert error_of(r, cmd, "l", "1", "2") == f"wrong number of arguments for '{cmd.lower()}' command"
    assert error_of(r, cmd) == f"wrong number of arguments for '{cmd.lower()}' command"
    assert items(r, "l") == [b"a", b"b", b"c"]


# --- LLEN LINDEX LRANGE --------------------------------------------------------------------------

def test_llen(abc):
    r = abc
    assert raw(r, "LLEN", "l") == 3
    assert raw(r, "LLEN", "nx") == 0
    assert error_of(r, "LLEN", "s") == WRONGTYPE
    assert error_of(r, "LLEN", "l", "x") == "wrong number of arguments for 'llen' command"


def test_lindex(abc):
    r = abc
    assert [raw(r, "LINDEX", "l", i) for i in (0, 1, 2, 3)] == [b"a", b"b", b"c", None]
    assert [raw(r, "LINDEX", "l", i) for i in (-1, -3, -4)] == [b"c", b"a", None]
    assert raw(r, "LINDEX", "nx", 0) is None


def test_lindex_checks_the_key_before_the_index(abc):
    r = abc
    assert raw(r, "LINDEX", "nx", "x") is None
    assert error_of(r, "LINDEX", "s", "x") == WRONGTYPE
    assert error_of(r, "LINDEX", "l", "x") == "value is not an integer or out of range"
    assert error_of(r, "LINDEX", "l", "9223372036854775808") == \
        "value is not an integer or out of range"
    assert error_of(r, "LINDEX", "l") == "wrong number of arguments for 'lindex' command"


@pytest.mark.parametrize("start, stop, expected", [
    (0, -1, "abcde"), (1, 2, "bc"), (-2, -1, "de"), (-100, 100, "abcde"), (3, 1, ""),
    (5, 10, ""), (-1, -2, ""), (4, 4, "e"), (-9223372036854775808, 9223372036854775807, "abcde"),
    (0, 0, "a"), (-5, 0, "a"), (2, -3, "c"),
])
def test_lrange(r, start, stop, expected):
    raw(r, "RPUSH", "l", *"abcde")
    assert raw(r, "LRANGE", "l", start, stop) == [c.encode() for c in expected]


def test_lrange_errors(abc):
    r = abc
    assert raw(r, "LRANGE", "nx", 0, -1) == []
    assert error_of(r, "LRANGE", "l", "x", 1) == "value is not an integer or out of range"
    assert error_of(r, "LRANGE", "l", 0, "1.0") == "value is not an integer or out of range"
    assert error_of(r, "LRANGE", "s", "x", 1) == "value is not an integer or out of range"
    assert error_of(r, "LRANGE", "nx", "x", 1) == "value is not an integer or out of range"
    assert error_of(r, "LRANGE", "s", 0, 1) == WRONGTYPE
    assert error_of(r, "LRANGE", "l", 0) == "wrong number of arguments for 'lrange' command"


# --- LPOS ----------------------------------------------------------------------------------------

@pytest.fixture
def rep(r: redis.Redis) -> redis.Redis:
    """``l`` = a b c a b c a, ``s`` a string."""
    raw(r, "RPUSH", "l", *"abcabca")
    raw(r, "SET", "s", "x")
    return r


def test_lpos_first_match(rep):
    r = rep
    assert raw(r, "LPOS", "l", "a") == 0
    assert raw(r, "LPOS", "l", "c") == 2
    assert raw(r, "LPOS", "l", "z") is None
    assert raw(r, "LPOS", "nx", "a") is None


def test_lpos_rank(rep):
    r = rep
    assert raw(r, "LPOS", "l", "a", "RANK", 2) == 3
    assert raw(r, "LPOS", "l", "a", "RANK", -1) == 6
    assert raw(r, "LPOS", "l", "a", "RANK", -3) == 0
    assert raw(r, "LPOS", "l", "a", "RANK", 10) is None
    assert raw(r, "LPOS", "l", "a", "RANK", 1, "RANK", 3) == 6
    assert raw(r, "LPOS", "l", "a", "RANK", -9223372036854775808) == 6


def test_lpos_count(rep):
    r = rep
    assert raw(r, "LPOS", "l", "a", "COUNT", 0) == [0, 3, 6]
    assert raw(r, "LPOS", "l", "a", "COUNT", 2) == [0, 3]
    assert raw(r, "LPOS", "l", "z", "COUNT", 1) == []
    assert raw(r, "LPOS", "nx", "a", "COUNT", 0) == []
    assert raw(r, "LPOS", "l", "a", "RANK", -2, "COUNT", 0) == [3, 0]
    assert raw(r, "LPOS", "l", "a", "rank", -10, "count", 5) == []
    assert raw(r, "LPOS", "l", "b", "RANK", 2, "COUNT", 5) == [4]


def test_lpos_maxlen(rep):
    r = rep
    assert raw(r, "LPOS", "l", "a", "MAXLEN", 0) == 0
    assert raw(r, "LPOS", "l", "a", "MAXLEN", 4, "COUNT", 0) == [0, 3]
    assert raw(r, "LPOS", "l", "a", "RANK", -2, "MAXLEN", 3, "COUNT", 0) == []
    assert raw(r, "LPOS", "l", "a", "COUNT", 1, "MAXLEN", 1, "RANK", -1) == [6]
    assert raw(r, "LPOS", "l", "c", "MAXLEN", 2) is None


RANK_ZERO = ("RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
             "or use negative to start from the end of the list")


def test_lpos_errors_in_argument_order(rep):
    r = rep
    assert error_of(r, "LPOS", "l", "a", "RANK", 0) == RANK_ZERO
    assert error_of(r, "LPOS", "l", "a", "RANK", "x") == "value is not an integer or out of range"
    assert error_of(r, "LPOS", "l", "a", "RANK", "9223372036854775808") == \
        "value is not an integer or out of range"
    assert error_of(r, "LPOS", "l", "a", "COUNT", -1) == "COUNT can't be negative"
    assert error_of(r, "LPOS", "l", "a", "COUNT", "x") == "COUNT can't be negative"
    assert error_of(r, "LPOS", "l", "a", "MAXLEN", -1) == "MAXLEN can't be negative"
    assert error_of(r, "LPOS", "l", "a", "MAXLEN", "x") == "MAXLEN can't be negative"
    assert error_of(r, "LPOS", "l", "a", "FOO") == "syntax error"
    assert error_of(r, "LPOS", "l", "a", "RANK") == "syntax error"
    assert error_of(r, "LPOS", "l", "a", "COUNT") == "syntax error"
    assert error_of(r, "LPOS", "l", "a", "RANK", 0, "COUNT", -1) == RANK_ZERO
    assert error_of(r, "LPOS", "l", "a", "COUNT", -1, "RANK", 0) == "COUNT can't be negative"
    assert error_of(r, "LPOS", "l", "a", "FOO", "RANK", 0) == "syntax error"
    assert error_of(r, "LPOS", "l", "a", "RANK", 0, "FOO") == RANK_ZERO
    assert error_of(r, "LPOS", "s", "a", "RANK", 0) == RANK_ZERO
    assert error_of(r, "LPOS", "s", "a", "FOO") == "syntax error"
    assert error_of(r, "LPOS", "s", "a") == WRONGTYPE
    assert error_of(r, "LPOS", "l") == "wrong number of arguments for 'lpos' command"


# --- LSET LINSERT LREM LTRIM ---------------------------------------------------------------------

def test_lset(abc):
    r = abc
    assert raw(r, "LSET", "l", 0, "A") == b"OK"
    assert raw(r, "LSET", "l", -1, "C") == b"OK"
    assert items(r, "l") == [b"A", b"b", b"C"]


def test_lset_errors(abc):
    r = abc
    assert error_of(r, "LSET", "nx", 0, "v") == "no such key"
    assert error_of(r, "LSET", "nx", "x", "v") == "no such key"
    assert error_of(r, "LSET", "s", "x", "v") == WRONGTYPE
    assert error_of(r, "LSET", "l", "x", "v") == "value is not an integer or out of range"
    assert error_of(r, "LSET", "l", 3, "v") == "index out of range"
    assert error_of(r, "LSET", "l", -4, "v") == "index out of range"
    assert error_of(r, "LSET", "l", 0) == "wrong number of arguments for 'lset' command"
    assert items(r, "l") == [b"a", b"b", b"c"]
    assert raw(r, "EXISTS", "nx") == 0


def test_linsert(abc):
    r = abc
    assert raw(r, "LINSERT", "l", "BEFORE", "b", "x") == 4
    assert raw(r, "LINSERT", "l", "after", "c", "y") == 5
    assert raw(r, "LINSERT", "l", "BEFORE", "a", "w") == 6
    assert items(r, "l") == [b"w", b"a", b"x", b"b", b"c", b"y"]
    assert raw(r, "LINSERT", "l", "AFTER", "nope", "q") == -1
    assert raw(r, "LINSERT", "nx", "BEFORE", "a", "q") == 0
    assert raw(r, "EXISTS", "nx") == 0


def test_linsert_uses_the_first_pivot(r):
    raw(r, "RPUSH", "l", "a", "p", "p")
    assert raw(r, "LINSERT", "l", "AFTER", "p", "x") == 4
    assert items(r, "l") == [b"a", b"p", b"x", b"p"]


def test_linsert_errors(abc):
    r = abc
    assert error_of(r, "LINSERT", "l", "MIDDLE", "a", "q") == "syntax error"
    assert error_of(r, "LINSERT", "nx", "MIDDLE", "a", "q") == "syntax error"
    assert error_of(r, "LINSERT", "s", "MIDDLE", "a", "q") == "syntax error"
    assert error_of(r, "LINSERT", "s", "BEFORE", "a", "q") == WRONGTYPE
    assert error_of(r, "LINSERT", "l", "BEFORE", "a") == \
        "wrong number of arguments for 'linsert' command"
    assert items(r, "l") == [b"a", b"b", b"c"]


@pytest.mark.parametrize("count, removed, left", [
    (0, 3, "bcbc"), (2, 2, "bcbca"), (-2, 2, "abcbc"), (1, 1, "bcabca"), (-1, 1, "abcabc"),
    (10, 3, "bcbc"), (-10, 3, "bcbc"),
])
def test_lrem(rep, count, removed, left):
    r = rep
    assert raw(r, "LREM", "l", count, "a") == removed
    assert items(r, "l") == [c.encode() for c in left]


def test_lrem_of_everything_deletes_the_key(r):
    raw(r, "RPUSH", "l", "a", "a")
    assert raw(r, "LREM", "l", 0, "a") == 2
    assert raw(r, "EXISTS", "l") == 0


def test_lrem_errors(abc):
    r = abc
    assert raw(r, "LREM", "l", 0, "z") == 0
    assert raw(r, "LREM", "nx", 0, "a") == 0
    assert error_of(r, "LREM", "l", "x", "a") == "value is not an integer or out of range"
    assert error_of(r, "LREM", "s", "x", "a") == "value is not an integer or out of range"
    assert error_of(r, "LREM", "nx", "x", "a") == "value is not an integer or out of range"
    assert error_of(r, "LREM", "s", 0, "a") == WRONGTYPE
    assert error_of(r, "LREM", "l", 0) == "wrong number of arguments for 'lrem' command"
    assert items(r, "l") == [b"a", b"b", b"c"]


@pytest.mark.parametrize("start, stop, left", [
    (0, -1, "abcde"), (1, 2, "bc"), (-2, -1, "de"), (-100, 100, "abcde"), (1, 0, ""),
    (5, 10, ""), (0, 0, "a"), (4, 4, "e"), (1, -2, "bcd"), (-9223372036854775808, 0, "a"),
])
def test_ltrim(r, start, stop, left):
    raw(r, "RPUSH", "l", *"abcde")
    assert raw(r, "LTRIM", "l", start, stop) == b"OK"
    assert items(r, "l") == [c.encode() for c in left]
    assert raw(r, "EXISTS", "l") == (1 if left else 0)


def test_ltrim_errors(abc):
    r = abc
    assert raw(r, "LTRIM", "nx", 0, 1) == b"OK"
    assert raw(r, "EXISTS", "nx") == 0
    assert error_of(r, "LTRIM", "l", "x", 1) == "value is not an integer or out of range"
    assert error_of(r, "LTRIM", "s", "x", 1) == "value is not an integer or out of range"
    assert error_of(r, "LTRIM", "s", 0, 1) == WRONGTYPE
    assert error_of(r, "LTRIM", "l", 0) == "wrong number of arguments for 'ltrim' command"
    assert items(r, "l") == [b"a", b"b", b"c"]


# --- LMOVE RPOPLPUSH -----------------------------------------------------------------------------

@pytest.mark.parametrize("wherefrom, whereto, value, src, dst", [
    ("LEFT", "LEFT", b"a", "bc", "axy"), ("LEFT", "RIGHT", b"a", "bc", "xya"),
    ("RIGHT", "LEFT", b"c", "ab", "cxy"), ("right", "right", b"c", "ab", "xyc"),
])
def test_lmove(abc, wherefrom, whereto, value, src, dst):
    r = abc
    raw(r, "RPUSH", "d", "x", "y")
    assert raw(r, "LMOVE", "l", "d", wherefrom, whereto) == value
    assert items(r, "l") == [c.encode() for c in src]
    assert items(r, "d") == [c.encode() for c in dst]


def test_lmove_creates_the_destination_and_deletes_an_emptied_source(r):
    raw(r, "RPUSH", "l", "a")
    assert raw(r, "LMOVE", "l", "d", "LEFT", "RIGHT") == b"a"
    assert raw(r, "EXISTS", "l") == 0
    assert items(r, "d") == [b"a"]


def test_rpoplpush(abc):
    r = abc
    assert raw(r, "RPOPLPUSH", "l", "d") == b"c"
    assert raw(r, "RPOPLPUSH", "l", "d") == b"b"
    assert items(r, "l") == [b"a"]
    assert items(r, "d") == [b"b", b"c"]


def test_same_source_and_destination_rotates(abc):
    r = abc
    assert raw(r, "RPOPLPUSH", "l", "l") == b"c"
    assert items(r, "l") == [b"c", b"a", b"b"]
    assert raw(r, "LMOVE", "l", "l", "LEFT", "RIGHT") == b"c"
    assert items(r, "l") == [b"a", b"b", b"c"]
    assert raw(r, "LMOVE", "l", "l", "LEFT", "LEFT") == b"a"
    assert items(r, "l") == [b"a", b"b", b"c"]


def test_rotating_a_one_element_list_keeps_it(r):
    raw(r, "RPUSH", "l", "a")
    assert raw(r, "RPOPLPUSH", "l", "l") == b"a"
    assert items(r, "l") == [b"a"]


def test_move_from_a_missing_key(abc):
    r = abc
    assert raw(r, "LMOVE", "nx", "d", "LEFT", "LEFT") is None
    assert raw(r, "RPOPLPUSH", "nx", "d") is None
    assert raw(r, "LMOVE", "nx", "s", "LEFT", "LEFT") is None
    assert raw(r, "EXISTS", "d") == 0


def test_move_errors_leave_both_keys_unchanged(abc):
    r = abc
    assert error_of(r, "LMOVE", "l", "d", "LEFT", "UP") == "syntax error"
    assert error_of(r, "LMOVE", "l", "d", "UP", "LEFT") == "syntax error"
    assert error_of(r, "LMOVE", "s", "d", "UP", "LEFT") == "syntax error"
    assert error_of(r, "LMOVE", "s", "d", "LEFT", "LEFT") == WRONGTYPE
    assert error_of(r, "LMOVE", "l", "s", "LEFT", "LEFT") == WRONGTYPE
    assert error_of(r, "RPOPLPUSH", "l", "s") == WRONGTYPE
    assert error_of(r, "RPOPLPUSH", "s", "l") == WRONGTYPE
    assert error_of(r, "LMOVE", "l", "d", "LEFT") == "wrong number of arguments for 'lmove' command"
    assert error_of(r, "RPOPLPUSH", "l") == "wrong number of arguments for 'rpoplpush' command"
    assert items(r, "l") == [b"a", b"b", b"c"]
    assert raw(r, "GET", "s") == b"x"
    assert raw(r, "EXISTS", "d") == 0


# --- LMPOP ---------------------------------------------------------------------------------------

def test_lmpop_pops_from_the_first_non_empty_list(abc):
    r = abc
    raw(r, "RPUSH", "m", "1", "2")
    assert raw(r, "LMPOP", 3, "nx", "m", "l", "LEFT") == [b"m", [b"1"]]
    assert raw(r, "LMPOP", 2, "l", "m", "RIGHT", "COUNT", 2) == [b"l", [b"c", b"b"]]
    assert raw(r, "LMPOP", 2, "nx", "m", "left", "count", 10) == [b"m", [b"2"]]
    assert raw(r, "EXISTS", "m") == 0
    assert raw(r, "LMPOP", 1, "nx", "RIGHT") is None
    assert raw(r, "LMPOP", 1, "nx", "RIGHT", "COUNT", 3) is None
    assert raw(r, "LMPOP", 1, "l", "LEFT", "COUNT", "9223372036854775807") == [b"l", [b"a"]]


def test_lmpop_wrongtype_only_when_reached(abc):
    r = abc
    assert raw(r, "LMPOP", 2, "l", "s", "LEFT") == [b"l", [b"a"]]
    assert error_of(r, "LMPOP", 2, "s", "l", "LEFT") == WRONGTYPE
    assert error_of(r, "LMPOP", 2, "nx", "s", "LEFT") == WRONGTYPE
    assert items(r, "l") == [b"b", b"c"]


@pytest.mark.parametrize("args, message", [
    ((0, "l", "LEFT"), "numkeys should be greater than 0"),
    (("x", "l", "LEFT"), "numkeys should be greater than 0"),
    ((-1, "l", "LEFT"), "numkeys should be greater than 0"),
    (("9223372036854775808", "l", "LEFT"), "numkeys should be greater than 0"),
    ((2, "l", "LEFT"), "syntax error"),
    ((3, "l", "nx", "LEFT"), "syntax error"),
    (("9223372036854775807", "l", "LEFT"), "syntax error"),
    ((2, "l", "nx"), "syntax error"),
    ((1, "l", "UP"), "syntax error"),
    ((1, "l", "LEFT", "COUNT"), "syntax error"),
    ((1, "l", "LEFT", "FOO"), "syntax error"),
    ((1, "l", "LEFT", "COUNT", 1, "COUNT", 2), "syntax error"),
    ((1, "l", "LEFT", "COUNT", 1, "FOO"), "syntax error"),
    ((1, "l", "LEFT", "COUNT", 0), "count should be greater than 0"),
    ((1, "l", "LEFT", "COUNT", -1), "count should be greater than 0"),
    ((1, "l", "LEFT", "COUNT", "x"), "count should be greater than 0"),
    ((1, "nx", "LEFT", "COUNT", 0), "count should be greater than 0"),
    ((1, "s", "LEFT", "COUNT", 0), "count should be greater than 0"),
    ((1, "s", "UP"), "syntax error"),
    ((1, "l"), "wrong number of arguments for 'lmpop' command"),
])
def test_lmpop_errors(abc, args, message):
    r = abc
    assert error_of(r, "LMPOP", *args) == message
    assert items(r, "l") == [b"a", b"b", b"c"]


def test_lmpop_through_redis_py(abc):
    r = abc
    assert r.lmpop(2, "nx", "l", direction="RIGHT", count=2) == [b"l", [b"c", b"b"]]


# --- transactions and WATCH ----------------------------------------------------------------------

@pytest.mark.parametrize("change", [
    ("RPUSH", "l", "z"), ("LPOP", "l"), ("LTRIM", "l", 0, -1), ("LREM", "l", 0, "a"),
    ("LSET", "l", 0, "a"), ("LINSERT", "l", "BEFORE", "a", "z"), ("RPOPLPUSH", "m", "l"),
    ("LMOVE", "l", "l", "LEFT", "LEFT"), ("LMPOP", 1, "l", "LEFT"),
])
def test_list_writes_touch_watched_keys(abc, make, change):
    r = abc
    raw(r, "RPUSH", "m", "1")
    assert watch_aborts(r, "l", lambda: raw(make(r), *change))


@pytest.mark.parametrize("change", [
    ("LREM", "l", 0, "z"), ("LINSERT", "l", "BEFORE", "z", "q"), ("LPOP", "l", 0),
    ("LRANGE", "l", 0, -1), ("RPUSHX", "nx", "a"),
])
def test_writes_that_change_nothing_leave_watches_alone(abc, make, change):
    r = abc
    assert not watch_aborts(r, "l", lambda: raw(make(r), *change))


def test_list_commands_in_multi(abc):
    r = abc
    with r.pipeline() as pipe:
        pipe.rpush("l", "d").lpop("l").rpoplpush("l", "l").lrange("l", 0, -1).llen("s")
        replies = pipe.execute(raise_on_error=False)
    assert replies[:4] == [4, b"a", b"d", [b"d", b"b", b"c"]]
    assert isinstance(replies[4], redis.ResponseError)
    assert str(replies[4]) == WRONGTYPE



# --- keyspace notifications ----------------------------------------------------------------------

def test_list_keyspace_events(r, make):
    commands = [
        ("RPUSH", "l", "a", "b", "c"), ("LPOP", "l"), ("LPOP", "l", 0), ("LPOP", "l", 5),
        ("RPUSH", "l", "a", "b", "c"), ("LREM", "l", 0, "zz"), ("LREM", "l", 0, "a"),
        ("LTRIM", "l", 0, -1), ("LTRIM", "l", 1, 0), ("RPUSH", "l", "a", "b", "c"),
        ("LSET", "l", 0, "x"), ("LINSERT", "l", "BEFORE", "x", "y"),
        ("LINSERT", "l", "BEFORE", "nope", "y"), ("LPUSHX", "l", "q"), ("RPUSHX", "l", "q"),
        ("LMOVE", "l", "l", "LEFT", "RIGHT"), ("LMOVE", "l", "d", "LEFT", "RIGHT"),
        ("RPOPLPUSH", "l", "d"), ("LMPOP", 1, "l", "RIGHT", "COUNT", 10),
        ("BLMPOP", 0, 1, "d", "RIGHT", "COUNT", 10), ("RPUSH", "l", "a"), ("BLPOP", "l", 0),
    ]
    assert keyevents(r, make, *commands, classes="Elg") == [
        (b"rpush", b"l"), (b"lpop", b"l"), (b"lpop", b"l"), (b"del", b"l"),
        (b"rpush", b"l"), (b"lrem", b"l"), (b"ltrim", b"l"), (b"ltrim", b"l"), (b"del", b"l"),
        (b"rpush", b"l"), (b"lset", b"l"), (b"linsert", b"l"), (b"lpush", b"l"),
        (b"rpush", b"l"), (b"rpush", b"l"), (b"lpop", b"l"), (b"rpush", b"d"), (b"lpop", b"l"),
        (b"lpush", b"d"), (b"rpop", b"l"), (b"rpop", b"l"), (b"del", b"l"), (b"rpop", b"d"),
        (b"del", b"d"), (b"rpush", b"l"), (b"lpop", b"l"), (b"del", b"l"),
    ]


# --- COMMAND INFO and GETKEYS --------------------------------------------------------------------

@pytest.mark.parametrize("name, arity, flags, first, last, step, categories", [
    ("blmove", 6, "write denyoom noscript blocking", 1, 2, 1, "@write @list @slow @blocking"),
    ("blmpop", -5, "write blocking movablekeys", 0, 0, 0, "@write @list @slow @blocking"),
    ("blpop", -3, "write noscript blocking", 1, -2, 1, "@write @list @slow @blocking"),
    ("brpop", -3, "write noscript blocking", 1, -2, 1, "@write @list @slow @blocking"),
    ("brpoplpush", 4, "write denyoom noscript blocking", 1, 2, 1, "@write @list @slow @blocking"),
    ("lindex", 3, "readonly", 1, 1, 1, "@read @list @slow"),
    ("linsert", 5, "write denyoom", 1, 1, 1, "@write @list @slow"),
    ("llen", 2, "readonly fast", 1, 1, 1, "@read @list @fast"),
    ("lmove", 5, "write denyoom", 1, 2, 1, "@write @list @slow"),
    ("lmpop", -4, "write movablekeys", 0, 0, 0, "@write @list @slow"),
    ("lpop", -2, "write fast", 1, 1, 1, "@write @list @fast"),
    ("lpos", -3, "readonly", 1, 1, 1, "@read @list @slow"),
    ("lpush", -3, "write denyoom fast", 1, 1, 1, "@write @list @fast"),
    ("lpushx", -3, "write denyoom fast", 1, 1, 1, "@write @list @fast"),
    ("lrange", 4, "readonly", 1, 1, 1, "@read @list @slow"),
    ("lrem", 4, "write", 1, 1, 1, "@write @list @slow"),
    ("lset", 4, "write denyoom", 1, 1, 1, "@write @list @slow"),
    ("ltrim", 4, "write", 1, 1, 1, "@write @list @slow"),
    ("rpop", -2, "write fast", 1, 1, 1, "@write @list @fast"),
    ("rpoplpush", 3, "write denyoom", 1, 2, 1, "@write @list @slow"),
    ("rpush", -3, "write denyoom fast", 1, 1, 1, "@write @list @fast"),
    ("rpushx", -3, "write denyoom fast", 1, 1, 1, "@write @list @fast"),
])
def test_command_info(r, name, arity, flags, first, last, step, categories):
    info = raw(r, "COMMAND", "INFO", name)[0]
    assert info[:7] == [name.encode(), arity, [f.encode() for f in flags.split()], first, last,
                        step, [c.encode() for c in categories.split()]]


@pytest.mark.parametrize("args, keys", [
    (("LMPOP", 2, "a", "b", "LEFT"), [b"a", b"b"]),
    (("BLMPOP", 0, 2, "a", "b", "LEFT", "COUNT", 2), [b"a", b"b"]),
    (("BLPOP", "a", "b", 0), [b"a", b"b"]),
    (("LMOVE", "a", "b", "LEFT", "LEFT"), [b"a", b"b"]),
    (("BRPOPLPUSH", "a", "b", 0), [b"a", b"b"]),
    (("LPUSH", "a", "x"), [b"a"]),
])
def test_command_getkeys(r, args, keys):
    assert raw(r, "COMMAND", "GETKEYS", *args) == keys


@pytest.mark.parametrize("args", [
    ("LMPOP", 0, "a", "LEFT"), ("LMPOP", 3, "a", "LEFT"), ("LMPOP", "x", "a", "b"),
    ("BLMPOP", 0, 0, "a", "LEFT"),
])
def test_command_getkeys_with_bad_numkeys(r, args):
    assert error_of(r, "COMMAND", "GETKEYS", *args) == "Invalid arguments specified for command"


def test_through_redis_py_with_decoded_replies(rd):
    r = rd
    assert r.rpush("l", "a", "b", "c") == 3
    assert r.lpush("l", "z") == 4
    assert r.lrange("l", 0, -1) == ["z", "a", "b", "c"]
    assert r.lpos("l", "b") == 2
    assert r.lpos("l", "b", count=0) == [2]
    assert r.linsert("l", "AFTER", "a", "x") == 5
    assert r.lset("l", 0, "y") is True
    assert r.lindex("l", -1) == "c"
    assert r.lmove("l", "d", "RIGHT", "LEFT") == "c"
    assert r.rpoplpush("l", "d") == "b"
    assert r.lrem("l", 0, "x") == 1
    assert r.ltrim("l", 0, 0) is True
    assert r.lpop("l", 2) == ["y"]
    assert r.rpop("d") == "c"
    assert r.lmpop(1, "d", direction="LEFT") == ["d", ["b"]]
    assert r.llen("d") == 0
    assert r.lpushx("d", "q") == 0


# --- random command sequences: the fake answers as the real server does ------------------------

_KEYS = st.sampled_from(["a", "b", "s"])
_VALUES = st.sampled_from(["x", "y", "z"])
_INDEX = st.integers(-6, 6).map(str) | st.sampled_from(["x", "9223372036854775808"])
_END = st.sampled_from(["LEFT", "RIGHT", "left", "UP"])


def _lpos_options() -> st.SearchStrategy[list[str]]:
    option = st.tuples(st.sampled_from(["RANK", "COUNT", "MAXLEN", "FOO"]),
                       st.integers(-3, 4).map(str))
    return st.lists(option, max_size=3).map(lambda pairs: [w for pair in pairs for w in pair])


_COMMANDS = st.one_of(
    st.tuples(st.sampled_from(["LPUSH", "RPUSH", "LPUSHX", "RPUSHX"]), _KEYS, _VALUES, _VALUES),
    st.tuples(st.sampled_from(["LPOP", "RPOP"]), _KEYS),
    st.tuples(st.sampled_from(["LPOP", "RPOP"]), _KEYS, st.integers(-1, 4).map(str)),
    st.tuples(st.just("LLEN"), _KEYS),
    st.tuples(st.just("LINDEX"), _KEYS, _INDEX),
    st.tuples(st.sampled_from(["LRANGE", "LTRIM"]), _KEYS, _INDEX, _INDEX),
    st.tuples(st.just("LSET"), _KEYS, _INDEX, _VALUES),
    st.tuples(st.just("LINSERT"), _KEYS, st.sampled_from(["BEFORE", "AFTER", "X"]), _VALUES,
              _VALUES),
    st.tuples(st.just("LREM"), _KEYS, _INDEX, _VALUES),
    st.tuples(st.just("LMOVE"), _KEYS, _KEYS, _END, _END),
    st.tuples(st.just("RPOPLPUSH"), _KEYS, _KEYS),
    st.tuples(st.just("LMPOP"), st.sampled_from(["1", "2", "0"]), _KEYS, _KEYS, _END),
    st.tuples(st.just("LMPOP"), st.just("1"), _KEYS, _END, st.just("COUNT"),
              st.integers(-1, 4).map(str)),
    st.tuples(st.just("LPOS"), _KEYS, _VALUES).flatmap(
        lambda head: _lpos_options().map(lambda rest: head + tuple(rest))),
    st.tuples(st.just("SET"), st.just("s"), _VALUES),
    st.tuples(st.just("TYPE"), _KEYS),
)


def _reply(client: redis.Redis, command: tuple) -> Any:
    try:
        return raw(client, *command)
    except redis.ResponseError as exc:
        return f"error: {exc}"


@pytest.fixture
def real_and_fake(request: pytest.FixtureRequest) -> Any:
    """A RESP2 client of the real server and a fake in-process one."""
    real = make_client("real", 2, request)
    yield real, FakeRedis(server=FakeServer())
    real.close()


@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(commands=st.lists(_COMMANDS, min_size=1, max_size=25))
def test_random_list_commands_match_real_redis(real_and_fake, commands):
    real, fake = real_and_fake
    real.flushall()
    fake.flushall()
    for command in commands:
        assert _reply(fake, command) == _reply(real, command), command
    for key in ("a", "b"):
        assert _reply(fake, ("LRANGE", key, 0, -1)) == _reply(real, ("LRANGE", key, 0, -1))
