"""FakeServer(version=...) for the sorted-set commands: ZADD GT/LT, ZRANGE's 6.2 options and the
older argument order of the range commands, ZPOPMIN/ZPOPMAX counts, the numkeys error text and
the commands newer than a version.

Expected replies were taken from real Redis 6.0.9, 6.2.14 and 7.0.15 servers.
"""

from __future__ import annotations

import pytest

from fakeredis import FakeServer
from fakeredis.errors import ReplyError
from tests.versioning import SYNTAX, run, unknown

NOT_FLOAT = ReplyError("ERR value is not a valid float")
NOT_INTEGER = ReplyError("ERR value is not an integer or out of range")
NOT_POSITIVE = ReplyError("ERR value is out of range, must be positive")
MIN_MAX_NOT_FLOAT = ReplyError("ERR min or max is not a float")
MIN_MAX_NOT_LEX = ReplyError("ERR min or max not valid string range item")
WITHSCORES_BYLEX = ReplyError(
    "ERR syntax error, WITHSCORES not supported in combination with BYLEX")


def with_members(version: str) -> FakeServer:
    """A server of ``version`` with sorted set ``z`` = {a: 1, b: 2, c: 3}."""
    server = FakeServer(version=version)
    run(server, "ZADD", "z", "1", "a", "2", "b", "3", "c")
    return server


# --- ZADD GT / LT ---------------------------------------------------------------------------------
@pytest.mark.parametrize("args, reply", [
    (["GT", "1", "a"], SYNTAX),             # GT read as a score: an odd number of arguments
    (["gt", "1", "a"], SYNTAX),
    (["NX", "GT", "1", "a"], SYNTAX),
    (["XX", "LT", "9", "a"], SYNTAX),
    (["LT", "CH", "3", "a"], NOT_FLOAT),     # an even number: GT/LT fails as a score
    (["GT", "NX", "1", "a"], NOT_FLOAT),
    (["GT", "INCR", "1", "a"], NOT_FLOAT),
    (["XX", "LT", "1", "a", "b"], NOT_FLOAT),
    (["GT", "a"], NOT_FLOAT),
])
def test_zadd_gt_lt_are_scores_before_6_2(args: list[str], reply: ReplyError) -> None:
    server = with_members("6.0")
    assert run(server, "ZADD", "z", *args) == reply
    assert run(server, "ZSCORE", "z", "a") == 1.0


def test_zadd_gt_lt_work_in_6_2() -> None:
    server = with_members("6.2")
    assert run(server, "ZADD", "z", "GT", "0", "a") == 0
    assert run(server, "ZADD", "z", "LT", "CH", "0", "a") == 1
    assert run(server, "ZSCORE", "z", "a") == 0.0
    assert run(server, "ZADD", "z", "NX", "GT", "1", "a") == ReplyError(
        "ERR GT, LT, and/or NX options at the same time are not compatible")


def test_zadd_old_flags_work_in_6_0() -> None:
    server = with_members("6.0")
    assert run(server, "ZADD", "z", "XX", "CH", "5", "a", "1", "x") == 1
    assert run(server, "ZADD", "z", "INCR", "1", "a") == 6.0
    assert run(server, "ZADD", "z", "NX", "XX", "1", "a") == ReplyError(
        "ERR XX and NX options at the same time are not compatible")


# --- ZRANGE and ZREVRANGE -------------------------------------------------------------------------
@pytest.mark.parametrize("args", [["0", "-1", "REV"], ["0", "-1", "BYSCORE"],
                                  ["0", "-1", "withscores", "rev"], ["0", "-1", "LIMIT", "0", "1"],
                                  ["0", "-1", "BYSCORE", "LIMIT", "0", "1"],
                                  ["0", "-1", "WITHSCORES", "WITHSCORES"]])
def test_zrange_6_2_options_are_syntax_errors_in_6_0(args: list[str]) -> None:
    assert run(with_members("6.0"), "ZRANGE", "z", *args) == SYNTAX
    assert run(FakeServer(version="6.0"), "ZRANGE", "missing", *args) == SYNTAX
    assert run(with_members("6.2"), "ZRANGE", "z", *args) != SYNTAX


@pytest.mark.parametrize("args", [["(1", "+inf", "BYSCORE"], ["-", "+", "BYLEX"]])
def test_zrange_score_and_lex_bounds_are_not_ranks_in_6_0(args: list[str]) -> None:
    assert run(with_members("6.0"), "ZRANGE", "z", *args) == NOT_INTEGER
    assert run(with_members("6.2"), "ZRANGE", "z", *args) in ([b"b", b"c"], [b"a", b"b", b"c"])


@pytest.mark.parametrize("name", ["ZRANGE", "ZREVRANGE"])
def test_rank_ranges_read_ranks_before_options_in_6_0(name: str) -> None:
    assert run(with_members("6.0"), name, "z", "a", "b", "FOO") == NOT_INTEGER
    assert run(with_members("6.2"), name, "z", "a", "b", "FOO") == SYNTAX
    assert run(with_members("7.0"), name, "z", "a", "b", "FOO") == SYNTAX


def test_zrange_withscores_works_in_6_0() -> None:
    server = with_members("6.0")
    assert run(server, "ZRANGE", "z", "0", "-1", "withscores") == [b"a", 1.0, b"b", 2.0, b"c", 3.0]
    assert run(server, "ZREVRANGE", "z", "0", "0", "WITHSCORES") == [b"c", 3.0]
    assert run(server, "ZRANGE", "z", "0", "1") == [b"a", b"b"]


# --- ZRANGEBYSCORE / ZRANGEBYLEX ------------------------------------------------------------------
@pytest.mark.parametrize("argv, reply", [
    (["ZRANGEBYSCORE", "z", "a", "b", "FOO"], MIN_MAX_NOT_FLOAT),
    (["ZRANGEBYSCORE", "z", "a", "b", "LIMIT", "a", "b"], MIN_MAX_NOT_FLOAT),
    (["ZRANGEBYLEX", "z", "a", "b", "FOO"], MIN_MAX_NOT_LEX),
    (["ZRANGEBYLEX", "z", "a", "b", "LIMIT", "a", "b"], MIN_MAX_NOT_LEX),
    (["ZRANGEBYLEX", "z", "a", "b", "WITHSCORES"], MIN_MAX_NOT_LEX),
    (["ZRANGEBYLEX", "z", "-", "+", "WITHSCORES"], SYNTAX),
    (["ZREVRANGEBYLEX", "z", "+", "-", "WITHSCORES"], SYNTAX),
])
def test_range_bounds_are_read_before_options_in_6_0(argv: list[str], reply: ReplyError) -> None:
    assert run(with_members("6.0"), *argv) == reply
    assert run(with_members("6.2"), *argv) in (SYNTAX, NOT_INTEGER, WITHSCORES_BYLEX)


def test_score_and_lex_ranges_with_limit_work_in_6_0() -> None:
    server = with_members("6.0")
    assert run(server, "ZRANGEBYSCORE", "z", "0", "5", "WITHSCORES", "LIMIT", "0", "1") == [b"a", 1.0]
    assert run(server, "ZREVRANGEBYLEX", "z", "+", "-", "LIMIT", "0", "1") == [b"c"]
    assert run(server, "ZRANGEBYSCORE", "z", "0", "5", "REV") == SYNTAX


# --- ZPOPMIN / ZPOPMAX counts ---------------------------------------------------------------------
@pytest.mark.parametrize("version", ["6.0", "6.2"])
def test_pop_count_may_be_negative_before_7_0(version: str) -> None:
    server = with_members(version)
    assert run(server, "ZPOPMIN", "z", "-1") == []
    assert run(server, "ZPOPMAX", "missing", "-5") == []
    assert run(server, "ZPOPMAX", "z", "a") == NOT_INTEGER
    assert run(server, "ZPOPMIN", "z", "99999999999999999999") == NOT_INTEGER
    assert run(server, "ZCARD", "z") == 3
    assert run(server, "ZPOPMAX", "z", "2") == [b"c", 3.0, b"b", 2.0]


def test_pop_count_must_be_positive_in_7_0() -> None:
    server = with_members("7.0")
    assert run(server, "ZPOPMIN", "z", "-1") == NOT_POSITIVE
    assert run(server, "ZPOPMAX", "z", "a") == NOT_POSITIVE
    assert run(server, "ZPOPMAX", "z", "0") == []


# --- numkeys error text ---------------------------------------------------------------------------
@pytest.mark.parametrize("version, argv, text", [
    ("6.0", ["ZUNIONSTORE", "d", "0", "z"], "for ZUNIONSTORE/ZINTERSTORE"),
    ("6.0", ["ZINTERSTORE", "d", "-1", "z"], "for ZUNIONSTORE/ZINTERSTORE"),
    ("6.2", ["ZUNIONSTORE", "d", "0", "z"], "for zunionstore"),
    ("6.2", ["ZDIFF", "0", "z"], "for zdiff"),
    ("6.2", ["ZINTER", "0", "z"], "for zinter"),
    ("7.0", ["ZUNIONSTORE", "d", "0", "z"], "for 'zunionstore' command"),
])
def test_no_input_keys_wording(version: str, argv: list[str], text: str) -> None:
    expected = ReplyError(f"ERR at least 1 input key is needed {text}")
    assert run(with_members(version), *argv) == expected


# --- commands newer than the version --------------------------------------------------------------
@pytest.mark.parametrize("argv", [["ZRANGESTORE", "d", "z", "0", "-1"], ["ZDIFF", "1", "z"],
                                  ["ZDIFFSTORE", "d", "1", "z"], ["ZINTER", "1", "z"],
                                  ["ZUNION", "1", "z"], ["ZRANDMEMBER", "z"],
                                  ["ZMSCORE", "z", "a"]])
def test_commands_of_6_2_are_unknown_in_6_0(argv: list[str]) -> None:
    assert run(with_members("6.0"), *argv) == unknown(argv[0], *argv[1:])
    assert not isinstance(run(with_members("6.2"), *argv), ReplyError)


@pytest.mark.parametrize("argv", [["ZINTERCARD", "1", "z"], ["ZMPOP", "1", "z", "MIN"],
                                  ["BZMPOP", "0", "1", "z", "MIN"]])
def test_commands_of_7_0_are_unknown_in_6_2(argv: list[str]) -> None:
    assert run(with_members("6.2"), *argv) == unknown(argv[0], *argv[1:])
    assert not isinstance(run(with_members("7.0"), *argv), ReplyError)


# --- ZRANDMEMBER count bounds ---------------------------------------------------------------------
@pytest.mark.parametrize("version", ["6.2", "7.0"])
def test_zrandmember_withscores_count_bound(version: str) -> None:
    server = with_members(version)
    out_of_range = ReplyError("ERR value is out of range")
    assert run(server, "ZRANDMEMBER", "z", "-4611686018427387904", "WITHSCORES") == out_of_range
    assert run(server, "ZRANDMEMBER", "z", "-9223372036854775807", "WITHSCORES") == out_of_range
    assert run(server, "ZRANDMEMBER", "z", "-9223372036854775808") == ReplyError(
        "ERR value is out of range, value must between -9223372036854775807 and "
        "9223372036854775807")
    assert len(run(server, "ZRANDMEMBER", "z", "-2", "WITHSCORES")) == 4
