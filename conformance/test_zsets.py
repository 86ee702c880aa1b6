"""Sorted set commands: replies in both protocols, options, edge cases and exact errors."""

import pytest

from conformance.helpers import block, error_of, is_resp3, keyevents, raw, watch_aborts

WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"


def scores(r, *pairs):
    """What raw() returns for WITHSCORES replies: flat bytes in RESP2, pairs of floats in RESP3."""
    if is_resp3(r):
        return [[m, float(s)] for m, s in zip(pairs[::2], pairs[1::2])]
    return list(pairs)


def tup(reply):
    """redis-py gives tuples in RESP2 and lists in RESP3 for scored replies; compare as tuples."""
    return [tuple(x) for x in reply] if isinstance(reply, list) else tuple(reply)


def setup(r):
    r.zadd("z", {"a": 1, "b": 2, "c": 3, "d": 3})


# --- ZADD -----------------------------------------------------------------------------------------
def test_zadd_counts_added_and_updates(r):
    assert raw(r, "ZADD", "z", "1", "a", "2", "b") == 2
    assert raw(r, "ZADD", "z", "5", "a", "3", "c") == 1
    assert raw(r, "ZADD", "z", "CH", "6", "a", "3", "c", "1", "e") == 2
    assert tup(r.zrange("z", 0, -1, withscores=True)) == [(b"e", 1.0), (b"b", 2.0), (b"c", 3.0),
                                                     (b"a", 6.0)]


def test_zadd_nx_xx_gt_lt(r):
    r.zadd("z", {"a": 5})
    assert raw(r, "ZADD", "z", "NX", "1", "a", "1", "b") == 1
    assert raw(r, "ZADD", "z", "XX", "1", "a", "1", "c") == 0
    assert r.zscore("z", "a") == 1.0 and r.zscore("z", "c") is None
    assert raw(r, "ZADD", "z", "GT", "CH", "0", "a", "2", "b", "7", "new") == 2
    assert raw(r, "ZADD", "z", "LT", "CH", "9", "a", "0", "b") == 1
    assert tup(r.zrange("z", 0, -1, withscores=True)) == [(b"b", 0.0), (b"a", 1.0), (b"new", 7.0)]
    assert raw(r, "ZADD", "z", "xx", "gt", "ch", "3", "a") == 1


def test_zadd_xx_on_missing_key_creates_nothing(r):
    assert raw(r, "ZADD", "z", "XX", "1", "a") == 0
    assert raw(r, "ZADD", "z", "XX", "INCR", "1", "a") is None
    assert r.exists("z") == 0


def test_zadd_incr(r):
    assert raw(r, "ZADD", "z", "INCR", "1.5", "a") == (1.5 if is_resp3(r) else b"1.5")
    assert raw(r, "ZADD", "z", "INCR", "1", "a") == (2.5 if is_resp3(r) else b"2.5")
    assert raw(r, "ZADD", "z", "INCR", "NX", "1", "a") is None
    assert raw(r, "ZADD", "z", "INCR", "XX", "1", "b") is None
    assert raw(r, "ZADD", "z", "INCR", "GT", "-1", "a") is None
    assert raw(r, "ZADD", "z", "INCR", "LT", "1", "a") is None
    assert raw(r, "ZADD", "z", "INCR", "LT", "-1", "a") == (1.5 if is_resp3(r) else b"1.5")
    assert r.zadd("z", {"a": 1}, incr=True) == 2.5


def test_zadd_incr_to_nan_fails_and_changes_nothing(r):
    r.zadd("z", {"a": float("inf")})
    assert error_of(r, "ZADD", "z", "INCR", "-inf", "a") == "resulting score is not a number (NaN)"
    assert error_of(r, "ZINCRBY", "z", "-inf", "a") == "resulting score is not a number (NaN)"
    assert r.zscore("z", "a") == float("inf")


def test_zadd_option_conflicts(r):
    assert error_of(r, "ZADD", "z", "NX", "XX", "1", "a") == \
        "XX and NX options at the same time are not compatible"
    for flags in (("GT", "LT"), ("NX", "GT"), ("NX", "LT")):
        assert error_of(r, "ZADD", "z", *flags, "1", "a") == \
            "GT, LT, and/or NX options at the same time are not compatible"
    assert error_of(r, "ZADD", "z", "INCR", "1", "a", "2", "b") == \
        "INCR option supports a single increment-element pair"
    assert error_of(r, "ZADD", "z", "NX", "XX", "1") == "syntax error"
    assert r.exists("z") == 0


def test_zadd_syntax_and_number_errors(r):
    assert error_of(r, "ZADD", "z", "1", "a", "2") == "syntax error"
    assert error_of(r, "ZADD", "z", "1", "a", "x", "b") == "value is not a valid float"
    for bad in ("nan", "1e400", "-1e400", "1e-400", " 1", "1 ", "", "1.5x"):
        assert error_of(r, "ZADD", "z", bad, "a") == "value is not a valid float", bad
    assert error_of(r, "ZADD", "z") == "wrong number of arguments for 'zadd' command"
    assert error_of(r, "ZADD", "z", "NX") == "wrong number of arguments for 'zadd' command"
    assert r.exists("z") == 0


def test_zadd_wrongtype_after_parsing(r):
    r.set("s", "x")
    assert error_of(r, "ZADD", "s", "x", "a") == "value is not a valid float"
    assert error_of(r, "ZADD", "s", "1", "a") == WRONGTYPE
    assert r.get("s") == b"x"


def test_score_formats(r):
    raw(r, "ZADD", "z", "0.1", "a", "1e300", "b", "inf", "c", "-inf", "d", "+inf", "e",
        "0x10", "f", "1e-310", "g", "-0", "h")
    raw(r, "ZINCRBY", "z", "0.2", "a")
    expected = ["d", "-inf", "h", "0", "g", "9.9999999999999694e-311", "a", "0.30000000000000004",
                "f", "16", "b", "1.0000000000000001e+300", "c", "inf", "e", "inf"]
    reply = raw(r, "ZRANGE", "z", "0", "-1", "WITHSCORES")
    if is_resp3(r):
        assert reply == [[m.encode(), float(s)] for m, s in zip(expected[::2], expected[1::2])]
    else:
        assert reply == [x.encode() for x in expected]
    assert raw(r, "ZSCORE", "z", "a") == (0.30000000000000004 if is_resp3(r)
                                          else b"0.30000000000000004")


def test_negative_zero_is_zero_in_small_sets(r):
    raw(r, "ZADD", "z", "-0", "a")
    assert raw(r, "ZSCORE", "z", "a") == (0.0 if is_resp3(r) else b"0")


def test_negative_zero_survives_in_large_sets(r):
    r.zadd("big", {f"m{i}": i for i in range(200)})
    raw(r, "ZADD", "big", "-0", "neg")
    assert raw(r, "ZSCORE", "big", "neg") == (-0.0 if is_resp3(r) else b"-0")
    assert r.object("encoding", "big") == b"skiplist"
    assert raw(r, "ZRANGESTORE", "copy", "big", "0", "-1") == 201
    assert raw(r, "ZSCORE", "copy", "neg") == (-0.0 if is_resp3(r) else b"-0")
    assert raw(r, "ZRANGESTORE", "copy", "big", "0", "10") == 11
    assert raw(r, "ZSCORE", "copy", "neg") == (0.0 if is_resp3(r) else b"0")


# --- ZINCRBY, ZSCORE, ZMSCORE, ZCARD, ZRANK, ZREM -------------------------------------------------
def test_zincrby(r):
    assert r.zincrby("z", 2, "a") == 2.0
    assert raw(r, "ZINCRBY", "z", "0.5", "a") == (2.5 if is_resp3(r) else b"2.5")
    assert error_of(r, "ZINCRBY", "z", "x", "a") == "value is not a valid float"
    assert error_of(r, "ZINCRBY", "z", "1") == "wrong number of arguments for 'zincrby' command"
    r.set("s", "x")
    assert error_of(r, "ZINCRBY", "s", "1", "a") == WRONGTYPE


def test_zscore_zmscore_zcard(r):
    setup(r)
    assert raw(r, "ZSCORE", "z", "b") == (2.0 if is_resp3(r) else b"2")
    assert raw(r, "ZSCORE", "z", "nope") is None
    assert raw(r, "ZSCORE", "missing", "a") is None
    assert raw(r, "ZMSCORE", "z", "a", "nope", "c") == \
        ([1.0, None, 3.0] if is_resp3(r) else [b"1", None, b"3"])
    assert raw(r, "ZMSCORE", "missing", "a", "b") == [None, None]
    assert r.zmscore("z", ["a", "b"]) == [1.0, 2.0]
    assert raw(r, "ZCARD", "z") == 4
    assert raw(r, "ZCARD", "missing") == 0
    r.set("s", "x")
    for cmd in (("ZSCORE", "s", "a"), ("ZMSCORE", "s", "a"), ("ZCARD", "s"), ("ZRANK", "s", "a")):
        assert error_of(r, *cmd) == WRONGTYPE


def test_zrank_zrevrank_ties_by_member(r):
    setup(r)
    assert [r.zrank("z", m) for m in "abcd"] == [0, 1, 2, 3]
    assert [r.zrevrank("z", m) for m in "abcd"] == [3, 2, 1, 0]
    assert r.zrank("z", "nope") is None and r.zrank("missing", "a") is None
    assert error_of(r, "ZRANK", "z", "a", "WITHSCORE") == \
        "wrong number of arguments for 'zrank' command"


def test_zrem_deletes_empty_key(r):
    setup(r)
    assert raw(r, "ZREM", "z", "a", "nope", "a") == 1
    assert raw(r, "ZREM", "missing", "a") == 0
    assert raw(r, "ZREM", "z", "b", "c", "d") == 3
    assert r.exists("z") == 0
    r.set("s", "x")
    assert error_of(r, "ZREM", "s", "a") == WRONGTYPE


# --- ranges ---------------------------------------------------------------------------------------
def test_zrange_by_rank(r):
    setup(r)
    assert raw(r, "ZRANGE", "z", "0", "-1") == [b"a", b"b", b"c", b"d"]
    assert raw(r, "ZRANGE", "z", "1", "2") == [b"b", b"c"]
    assert raw(r, "ZRANGE", "z", "-2", "100") == [b"c", b"d"]
    assert raw(r, "ZRANGE", "z", "-100", "0") == [b"a"]
    assert raw(r, "ZRANGE", "z", "3", "1") == []
    assert raw(r, "ZRANGE", "z", "10", "20") == []
    assert raw(r, "ZRANGE", "z", "0", "1", "REV") == [b"d", b"c"]
    assert raw(r, "ZREVRANGE", "z", "0", "-1") == [b"d", b"c", b"b", b"a"]
    assert raw(r, "ZREVRANGE", "z", "1", "1", "WITHSCORES") == scores(r, b"c", b"3")
    assert raw(r, "ZRANGE", "missing", "0", "-1") == []
    assert tup(r.zrange("z", 0, 1, withscores=True)) == [(b"a", 1.0), (b"b", 2.0)]
    assert tup(r.zrange("z", 0, 0, withscores=True, score_cast_func=int)) == [(b"a", 1)]
    assert tup(r.zrevrange("z", 0, 0, withscores=True)) == [(b"d", 3.0)]


def test_zrange_withscores_shape(r):
    setup(r)
    assert raw(r, "ZRANGE", "z", "0", "1", "WITHSCORES") == scores(r, b"a", b"1", b"b", b"2")


def test_zrange_byscore(r):
    setup(r)
    assert raw(r, "ZRANGE", "z", "2", "3", "BYSCORE") == [b"b", b"c", b"d"]
    assert raw(r, "ZRANGE", "z", "(2", "+inf", "BYSCORE") == [b"c", b"d"]
    assert raw(r, "ZRANGE", "z", "-inf", "(3", "BYSCORE") == [b"a", b"b"]
    assert raw(r, "ZRANGE", "z", "(1", "(3", "BYSCORE") == [b"b"]
    assert raw(r, "ZRANGE", "z", "3", "1", "BYSCORE") == []
    assert raw(r, "ZRANGE", "z", "(2", "(2", "BYSCORE") == []
    assert raw(r, "ZRANGE", "z", "3", "2", "BYSCORE", "REV") == [b"d", b"c", b"b"]
    assert raw(r, "ZRANGE", "z", "-inf", "inf", "BYSCORE", "LIMIT", "1", "2") == [b"b", b"c"]
    assert raw(r, "ZRANGE", "z", "inf", "-inf", "BYSCORE", "REV", "LIMIT", "1", "2",
               "WITHSCORES") == scores(r, b"c", b"3", b"b", b"2")
    assert raw(r, "ZRANGE", "z", "-inf", "inf", "BYSCORE", "LIMIT", "1", "-1") == [b"b", b"c", b"d"]
    assert raw(r, "ZRANGE", "z", "-inf", "inf", "BYSCORE", "LIMIT", "-1", "2") == []
    assert raw(r, "ZRANGE", "z", "-inf", "inf", "BYSCORE", "LIMIT", "9", "2") == []
    assert raw(r, "ZRANGE", "z", "-inf", "inf", "BYSCORE", "LIMIT", "0", "0") == []


def test_zrangebyscore_and_rev(r):
    setup(r)
    assert raw(r, "ZRANGEBYSCORE", "z", "1", "2", "WITHSCORES") == scores(r, b"a", b"1", b"b", b"2")
    assert raw(r, "ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "2", "5") == [b"c", b"d"]
    assert raw(r, "ZREVRANGEBYSCORE", "z", "3", "(1") == [b"d", b"c", b"b"]
    assert raw(r, "ZREVRANGEBYSCORE", "z", "+inf", "-inf", "LIMIT", "0", "1") == [b"d"]
    assert r.zrangebyscore("z", 2, 3, start=1, num=1) == [b"c"]
    assert tup(r.zrevrangebyscore("z", 3, 2, withscores=True)) == \
        [(b"d", 3.0), (b"c", 3.0), (b"b", 2.0)]
    assert raw(r, "ZRANGEBYSCORE", "z", "0x1", "0x2") == [b"a", b"b"]
    assert raw(r, "ZRANGEBYSCORE", "z", "(1e400", "inf") == []


def test_zrange_bylex(r):
    r.zadd("l", {m: 0 for m in ("a", "b", "c", "d", "e")})
    assert raw(r, "ZRANGE", "l", "[b", "(d", "BYLEX") == [b"b", b"c"]
    assert raw(r, "ZRANGE", "l", "-", "+", "BYLEX", "LIMIT", "1", "2") == [b"b", b"c"]
    assert raw(r, "ZRANGE", "l", "+", "[c", "BYLEX", "REV") == [b"e", b"d", b"c"]
    assert raw(r, "ZRANGEBYLEX", "l", "(a", "[c") == [b"b", b"c"]
    assert raw(r, "ZRANGEBYLEX", "l", "[bb", "+") == [b"c", b"d", b"e"]
    assert raw(r, "ZRANGEBYLEX", "l", "+", "-") == []
    assert raw(r, "ZREVRANGEBYLEX", "l", "[c", "-", "LIMIT", "1", "5") == [b"b", b"a"]
    assert raw(r, "ZREVRANGEBYLEX", "l", "-", "+") == []
    assert r.zrangebylex("l", "[a", "[b") == [b"a", b"b"]
    assert r.zrevrangebylex("l", "+", "(d") == [b"e"]


def test_range_errors(r):
    setup(r)
    assert error_of(r, "ZRANGE", "z", "0", "-1", "LIMIT", "0", "1") == \
        "syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"
    assert error_of(r, "ZREVRANGE", "z", "0", "-1", "LIMIT", "0", "1") == \
        "syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"
    assert raw(r, "ZRANGE", "z", "0", "0", "LIMIT", "0", "-1") == [b"a"]
    assert error_of(r, "ZRANGE", "z", "-", "+", "BYLEX", "WITHSCORES") == \
        "syntax error, WITHSCORES not supported in combination with BYLEX"
    assert error_of(r, "ZRANGEBYLEX", "z", "-", "+", "WITHSCORES") == \
        "syntax error, WITHSCORES not supported in combination with BYLEX"
    assert error_of(r, "ZRANGE", "z", "a", "b", "BYLEX") == "min or max not valid string range item"
    assert error_of(r, "ZRANGE", "z", "a", "1", "BYSCORE") == "min or max is not a float"
    assert error_of(r, "ZRANGEBYSCORE", "z", "nan", "1") == "min or max is not a float"
    assert error_of(r, "ZREVRANGEBYSCORE", "z", "+", "-") == "min or max is not a float"
    assert error_of(r, "ZRANGE", "z", "a", "1") == "value is not an integer or out of range"
    assert error_of(r, "ZRANGE", "z", "0", "1", "BYSCORE", "LIMIT", "x", "1") == \
        "value is not an integer or out of range"
    for extra in (("BYSCORE", "BYLEX"), ("REV", "REV"), ("FOO",), ("LIMIT", "0")):
        assert error_of(r, "ZRANGE", "z", "0", "1", *extra) == "syntax error", extra
    assert error_of(r, "ZRANGEBYSCORE", "z", "0", "1", "BYSCORE") == "syntax error"
    assert error_of(r, "ZRANGEBYSCORE", "z", "0", "1", "REV") == "syntax error"
    assert error_of(r, "ZREVRANGE", "z", "0", "1", "REV") == "syntax error"
    assert error_of(r, "ZRANGE", "z", "0") == "wrong number of arguments for 'zrange' command"
    r.set("s", "x")
    assert error_of(r, "ZRANGE", "s", "a", "1") == "value is not an integer or out of range"
    assert error_of(r, "ZRANGE", "s", "0", "1") == WRONGTYPE


def test_zrangestore(r):
    setup(r)
    assert raw(r, "ZRANGESTORE", "dst", "z", "1", "2") == 2
    assert tup(r.zrange("dst", 0, -1, withscores=True)) == [(b"b", 2.0), (b"c", 3.0)]
    assert raw(r, "ZRANGESTORE", "dst", "z", "inf", "(1", "BYSCORE", "REV", "LIMIT", "0", "2") == 2
    assert r.zrange("dst", 0, -1) == [b"c", b"d"]
    assert raw(r, "ZRANGESTORE", "dst", "z", "[a", "[b", "BYLEX") == 2
    assert error_of(r, "ZRANGESTORE", "dst", "z", "0", "-1", "WITHSCORES") == "syntax error"
    assert raw(r, "ZRANGESTORE", "dst", "z", "5", "9") == 0
    assert r.exists("dst") == 0
    r.set("s", "x")
    assert raw(r, "ZRANGESTORE", "s", "missing", "0", "-1") == 0
    assert r.exists("s") == 0
    r.set("s", "x")
    assert error_of(r, "ZRANGESTORE", "dst", "s", "0", "-1") == WRONGTYPE
    assert raw(r, "ZRANGESTORE", "s", "z", "0", "0") == 1
    assert r.type("s") == b"zset"


def test_zcount_zlexcount(r):
    setup(r)
    assert raw(r, "ZCOUNT", "z", "2", "3") == 3
    assert raw(r, "ZCOUNT", "z", "(2", "+inf") == 2
    assert raw(r, "ZCOUNT", "missing", "0", "1") == 0
    assert error_of(r, "ZCOUNT", "z", "a", "b") == "min or max is not a float"
    r.zadd("l", {m: 0 for m in "abcde"})
    assert raw(r, "ZLEXCOUNT", "l", "[b", "+") == 4
    assert raw(r, "ZLEXCOUNT", "l", "(b", "(d") == 1
    assert raw(r, "ZLEXCOUNT", "missing", "-", "+") == 0
    assert error_of(r, "ZLEXCOUNT", "l", "a", "b") == "min or max not valid string range item"


def test_zremrange(r):
    setup(r)
    assert raw(r, "ZREMRANGEBYRANK", "z", "0", "0") == 1
    assert raw(r, "ZREMRANGEBYSCORE", "z", "(2", "3") == 2
    assert r.zrange("z", 0, -1) == [b"b"]
    assert raw(r, "ZREMRANGEBYSCORE", "z", "5", "6") == 0
    assert raw(r, "ZREMRANGEBYRANK", "z", "-1", "-1") == 1
    assert r.exists("z") == 0
    r.zadd("l", {m: 0 for m in "abcde"})
    assert raw(r, "ZREMRANGEBYLEX", "l", "[b", "(d") == 2
    assert r.zrange("l", 0, -1) == [b"a", b"d", b"e"]
    assert raw(r, "ZREMRANGEBYLEX", "missing", "-", "+") == 0
    assert error_of(r, "ZREMRANGEBYRANK", "l", "a", "1") == \
        "value is not an integer or out of range"
    assert error_of(r, "ZREMRANGEBYSCORE", "l", "a", "1") == "min or max is not a float"
    assert error_of(r, "ZREMRANGEBYLEX", "l", "a", "1") == "min or max not valid string range item"
    r.set("s", "x")
    assert error_of(r, "ZREMRANGEBYRANK", "s", "a", "1") == \
        "value is not an integer or out of range"
    assert error_of(r, "ZREMRANGEBYRANK", "s", "0", "1") == WRONGTYPE


# --- pops -----------------------------------------------------------------------------------------
def test_zpopmin_zpopmax(r):
    setup(r)
    assert raw(r, "ZPOPMIN", "z") == [b"a", 1.0 if is_resp3(r) else b"1"]
    assert raw(r, "ZPOPMAX", "z", "2") == scores(r, b"d", b"3", b"c", b"3")
    assert raw(r, "ZPOPMIN", "z", "0") == []
    assert raw(r, "ZPOPMIN", "z", "5") == scores(r, b"b", b"2")
    assert r.exists("z") == 0
    assert raw(r, "ZPOPMIN", "z") == []
    assert raw(r, "ZPOPMAX", "z", "3") == []
    r.zadd("z", {"x": 1, "y": 2})
    assert r.zpopmax("z") == ([b"y", 2.0] if is_resp3(r) else [(b"y", 2.0)])
    assert tup(r.zpopmin("z", 1)) == [(b"x", 1.0)]


def test_zpop_errors(r):
    setup(r)
    for bad in ("-1", "abc"):
        assert error_of(r, "ZPOPMIN", "z", bad) == "value is out of range, must be positive"
    assert error_of(r, "ZPOPMIN", "z", "1", "2") == "syntax error"
    r.set("s", "x")
    assert error_of(r, "ZPOPMAX", "s", "0") == WRONGTYPE
    assert r.zcard("z") == 4


def test_zmpop(r):
    setup(r)
    assert raw(r, "ZMPOP", "2", "missing", "z", "MIN") == [b"z", [[b"a", 1.0 if is_resp3(r)
                                                                     else b"1"]]]
    sc = (lambda x: float(x)) if is_resp3(r) else (lambda x: x.encode())
    assert raw(r, "ZMPOP", "1", "z", "max", "COUNT", "10") == \
        [b"z", [[b"d", sc("3")], [b"c", sc("3")], [b"b", sc("2")]]]
    assert r.exists("z") == 0
    assert raw(r, "ZMPOP", "1", "z", "MIN") is None


def test_zmpop_errors(r):
    setup(r)
    for numkeys in ("0", "-1", "abc"):
        assert error_of(r, "ZMPOP", numkeys, "z", "MIN") == "numkeys should be greater than 0"
    assert error_of(r, "ZMPOP", "3", "z", "MIN") == "syntax error"
    assert error_of(r, "ZMPOP", "1", "z", "FOO") == "syntax error"
    assert error_of(r, "ZMPOP", "1", "z", "MIN", "COUNT") == "syntax error"
    assert error_of(r, "ZMPOP", "1", "z", "MIN", "COUNT", "1", "COUNT", "1") == "syntax error"
    for count in ("0", "abc"):
        assert error_of(r, "ZMPOP", "1", "z", "MIN", "COUNT", count) == \
            "count should be greater than 0"
    r.set("s", "x")
    assert error_of(r, "ZMPOP", "2", "s", "z", "MIN") == WRONGTYPE
    assert r.zcard("z") == 4


# --- blocking pops --------------------------------------------------------------------------------
def test_bzpopmin_immediate(r):
    setup(r)
    sc = (lambda x: float(x)) if is_resp3(r) else (lambda x: x.encode())
    assert raw(r, "BZPOPMIN", "missing", "z", "0") == [b"z", b"a", sc("1")]
    assert raw(r, "BZPOPMAX", "z", "0") == [b"z", b"d", sc("3")]
    assert tuple(r.bzpopmin(["z"], 1)) == (b"z", b"b", 2.0)


def test_bzpop_timeout_returns_nil(r):
    assert raw(r, "BZPOPMIN", "missing", "0.01") is None
    assert raw(r, "BZPOPMAX", "missing", "0.01") is None
    assert raw(r, "BZMPOP", "0.01", "1", "missing", "MIN") is None


def test_bzpop_errors(r):
    r.set("s", "x")
    assert error_of(r, "BZPOPMIN", "s", "abc") == "timeout is not a float or out of range"
    assert error_of(r, "BZPOPMIN", "s", "-1") == "timeout is negative"
    assert error_of(r, "BZPOPMIN", "s", "0") == WRONGTYPE
    assert error_of(r, "BZPOPMIN", "s") == "wrong number of arguments for 'bzpopmin' command"
    assert error_of(r, "BZMPOP", "-1", "0", "s", "MIN") == "numkeys should be greater than 0"
    assert error_of(r, "BZMPOP", "abc", "1", "s", "FOO") == "syntax error"
    assert error_of(r, "BZMPOP", "abc", "1", "s", "MIN") == "timeout is not a float or out of range"
    assert error_of(r, "BZMPOP", "0", "1", "s", "MIN") == WRONGTYPE


def test_bzpop_in_multi_does_not_block(r):
    pipe = r.pipeline(transaction=True)
    pipe.bzpopmin("missing", 0)
    pipe.bzmpop(0, 1, ["missing"], min=True)
    assert pipe.execute() == [None, None]


def test_bzpopmin_wakes_on_zadd(r, make):
    waiter = block(r, make, "BZPOPMIN", "q1", "q2", "10")
    r.zadd("q2", {"m": 5})
    assert waiter.result() == [b"q2", b"m", 5.0 if is_resp3(r) else b"5"]
    assert r.exists("q2") == 0


def test_bzmpop_wakes_on_zadd(r, make):
    waiter = block(r, make, "BZMPOP", "10", "1", "q", "MAX", "COUNT", "2")
    r.zadd("q", {"a": 1, "b": 2, "c": 3})
    sc = (lambda x: float(x)) if is_resp3(r) else (lambda x: x.encode())
    assert waiter.result() == [b"q", [[b"c", sc("3")], [b"b", sc("2")]]]
    assert r.zrange("q", 0, -1) == [b"a"]


# --- ZRANDMEMBER, ZSCAN ---------------------------------------------------------------------------
def test_zrandmember(r):
    setup(r)
    assert raw(r, "ZRANDMEMBER", "z") in (b"a", b"b", b"c", b"d")
    assert raw(r, "ZRANDMEMBER", "missing") is None
    assert raw(r, "ZRANDMEMBER", "missing", "2") == []
    assert raw(r, "ZRANDMEMBER", "z", "0") == []
    picked = raw(r, "ZRANDMEMBER", "z", "3")
    assert len(picked) == 3 and len(set(picked)) == 3 and set(picked) <= {b"a", b"b", b"c", b"d"}
    assert raw(r, "ZRANDMEMBER", "z", "10") == [b"d", b"c", b"b", b"a"]
    repeated = raw(r, "ZRANDMEMBER", "z", "-10")
    assert len(repeated) == 10 and set(repeated) <= {b"a", b"b", b"c", b"d"}
    with_scores = raw(r, "ZRANDMEMBER", "z", "-5", "WITHSCORES")
    pairs = with_scores if is_resp3(r) else list(zip(with_scores[::2], with_scores[1::2]))
    expected = {b"a": 1.0, b"b": 2.0, b"c": 3.0, b"d": 3.0}
    assert len(pairs) == 5 and all(float(s) == expected[m] for m, s in pairs)


def test_zrandmember_errors(r):
    setup(r)
    assert error_of(r, "ZRANDMEMBER", "z", "abc") == "value is not an integer or out of range"
    assert error_of(r, "ZRANDMEMBER", "z", "1", "FOO") == "syntax error"
    assert error_of(r, "ZRANDMEMBER", "z", "1", "WITHSCORES", "x") == "syntax error"
    assert error_of(r, "ZRANDMEMBER", "z", "-9223372036854775808") == \
        "value is out of range, value must between -9223372036854775807 and 9223372036854775807"
    r.set("s", "x")
    assert error_of(r, "ZRANDMEMBER", "s", "abc") == "value is not an integer or out of range"
    assert error_of(r, "ZRANDMEMBER", "s", "1") == WRONGTYPE


def test_zrandmember_parses_count_before_options(r):
    """The count is checked first, then the option, then WITHSCORES's halved range (both signs)."""
    setup(r)
    assert error_of(r, "ZRANDMEMBER", "z", "x", "WITHVALUES") == \
        "value is not an integer or out of range"
    assert error_of(r, "ZRANDMEMBER", "z", "x", "a", "b") == \
        "value is not an integer or out of range"
    assert error_of(r, "ZRANDMEMBER", "z", "-9223372036854775808", "x") == \
        "value is out of range, value must between -9223372036854775807 and 9223372036854775807"
    assert error_of(r, "ZRANDMEMBER", "z", "1", "WITHVALUES") == "syntax error"
    for count in ("9223372036854775807", "4611686018427387904", "-4611686018427387904"):
        assert error_of(r, "ZRANDMEMBER", "z", count, "WITHSCORES") == "value is out of range"
        assert error_of(r, "ZRANDMEMBER", "missing", count, "WITHSCORES") == "value is out of range"
    assert len(raw(r, "ZRANDMEMBER", "z", "4611686018427387903", "WITHSCORES")) in (4, 8)


def test_zscan_small_set_in_one_call(r):
    raw(r, "ZADD", "z", "0.1", "a", "2", "b", "3", "ab")
    assert raw(r, "ZSCAN", "z", "0") == [b"0", [b"a", b"0.10000000000000001", b"b", b"2", b"ab",
                                                b"3"]]
    assert raw(r, "ZSCAN", "z", "0", "MATCH", "a*", "COUNT", "1") == \
        [b"0", [b"a", b"0.10000000000000001", b"ab", b"3"]]
    assert raw(r, "ZSCAN", "missing", "0", "FOO") == [b"0", []]
    assert r.zscan("z", match="b") == (0, [(b"b", 2.0)])


def test_zscan_large_set_visits_every_member(r):
    r.zadd("big", {f"m{i}": i for i in range(300)})
    cursor, seen = 0, {}
    while True:
        cursor, items = r.zscan("big", cursor, count=50)
        seen.update(items)
        if cursor == 0:
            break
    assert seen == {f"m{i}".encode(): float(i) for i in range(300)}


def test_zscan_errors(r):
    setup(r)
    assert error_of(r, "ZSCAN", "z", "abc") == "invalid cursor"
    assert error_of(r, "ZSCAN", "z", "0", "COUNT", "0") == "syntax error"
    assert error_of(r, "ZSCAN", "z", "0", "MATCH") == "syntax error"
    r.set("s", "x")
    assert error_of(r, "ZSCAN", "s", "0") == WRONGTYPE


# --- set algebra ----------------------------------------------------------------------------------
def algebra_setup(r):
    r.zadd("z1", {"a": 1, "b": 2, "c": 3})
    r.zadd("z2", {"b": 10, "c": 20, "d": 30})
    r.sadd("plain", "c", "e")


def test_zunion(r):
    algebra_setup(r)
    assert raw(r, "ZUNION", "2", "z1", "z2") == [b"a", b"b", b"c", b"d"]
    assert raw(r, "ZUNION", "3", "z1", "z2", "plain", "WITHSCORES") == \
        scores(r, b"a", b"1", b"e", b"1", b"b", b"12", b"c", b"24", b"d", b"30")
    assert raw(r, "ZUNION", "2", "z1", "z2", "WEIGHTS", "2", "0.5", "AGGREGATE", "MAX",
               "WITHSCORES") == scores(r, b"a", b"2", b"b", b"5", b"c", b"10", b"d", b"15")
    assert raw(r, "ZUNION", "2", "z1", "missing", "AGGREGATE", "min", "WITHSCORES") == \
        scores(r, b"a", b"1", b"b", b"2", b"c", b"3")
    assert tup(r.zunion(["z1", "z2"], aggregate="MIN", withscores=True)) == \
        [(b"a", 1.0), (b"b", 2.0), (b"c", 3.0), (b"d", 30.0)]


def test_zinter_and_zintercard(r):
    algebra_setup(r)
    assert raw(r, "ZINTER", "2", "z1", "z2", "WITHSCORES") == scores(r, b"b", b"12", b"c", b"23")
    assert raw(r, "ZINTER", "3", "z1", "z2", "plain", "WEIGHTS", "1", "1", "100") == [b"c"]
    assert raw(r, "ZINTER", "2", "z1", "missing") == []
    assert raw(r, "ZINTERCARD", "2", "z1", "z2") == 2
    assert raw(r, "ZINTERCARD", "2", "z1", "z2", "LIMIT", "1") == 1
    assert raw(r, "ZINTERCARD", "2", "z1", "z2", "LIMIT", "0") == 2
    assert tup(r.zinter(["z1", "z2"], aggregate="MAX", withscores=True)) == \
        [(b"b", 10.0), (b"c", 20.0)]
    assert r.zintercard(2, ["z1", "z2"]) == 2


def test_zdiff(r):
    algebra_setup(r)
    assert raw(r, "ZDIFF", "2", "z1", "z2") == [b"a"]
    assert raw(r, "ZDIFF", "2", "z2", "plain", "WITHSCORES") == scores(r, b"b", b"10", b"d", b"30")
    assert raw(r, "ZDIFF", "1", "missing") == []
    assert error_of(r, "ZDIFF", "2", "z1", "z2", "WEIGHTS", "1", "1") == "syntax error"
    assert error_of(r, "ZDIFF", "2", "z1", "z2", "AGGREGATE", "SUM") == "syntax error"


def test_weights_times_infinity_is_zero_not_nan(r):
    raw(r, "ZADD", "z", "inf", "a")
    raw(r, "ZADD", "y", "-inf", "a")
    assert raw(r, "ZUNION", "1", "z", "WEIGHTS", "0", "WITHSCORES") == scores(r, b"a", b"0")
    assert raw(r, "ZUNION", "2", "z", "y", "WITHSCORES") == scores(r, b"a", b"0")


def test_store_variants(r):
    algebra_setup(r)
    assert raw(r, "ZUNIONSTORE", "out", "2", "z1", "z2", "WEIGHTS", "1", "2") == 4
    assert tup(r.zrange("out", 0, -1, withscores=True)) == \
        [(b"a", 1.0), (b"b", 22.0), (b"c", 43.0), (b"d", 60.0)]
    assert raw(r, "ZINTERSTORE", "out", "2", "z1", "plain", "AGGREGATE", "MAX") == 1
    assert tup(r.zrange("out", 0, -1, withscores=True)) == [(b"c", 3.0)]
    assert raw(r, "ZDIFFSTORE", "out", "2", "z1", "z2") == 1
    assert tup(r.zrange("out", 0, -1, withscores=True)) == [(b"a", 1.0)]
    assert raw(r, "ZINTERSTORE", "out", "2", "z1", "missing") == 0
    assert r.exists("out") == 0
    assert raw(r, "ZUNIONSTORE", "z1", "2", "z1", "z2") == 4
    assert r.zscore("z1", "b") == 12.0
    r.set("str", "x")
    assert raw(r, "ZUNIONSTORE", "str", "1", "z2") == 3
    assert r.type("str") == b"zset"
    assert error_of(r, "ZUNIONSTORE", "out", "1", "z1", "WITHSCORES") == "syntax error"
    assert r.zunionstore("out", {"z1": 1, "z2": 0}) == 4
    assert r.zinterstore("out", ["z1", "z2"], aggregate="MIN") == 3


def test_algebra_errors(r):
    algebra_setup(r)
    for cmd in ("ZUNION", "ZINTER", "ZDIFF", "ZINTERCARD"):
        assert error_of(r, cmd, "0", "z1") == \
            f"at least 1 input key is needed for '{cmd.lower()}' command"
        assert error_of(r, cmd, "3", "z1") == "syntax error"
        assert error_of(r, cmd, "abc", "z1") == "value is not an integer or out of range"
    for cmd in ("ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"):
        assert error_of(r, cmd, "out", "0", "z1") == \
            f"at least 1 input key is needed for '{cmd.lower()}' command"
    assert error_of(r, "ZUNION", "2", "z1", "z2", "WEIGHTS", "1") == "syntax error"
    assert error_of(r, "ZUNION", "1", "z1", "WEIGHTS", "1", "2") == "syntax error"
    assert error_of(r, "ZUNION", "1", "z1", "WEIGHTS", "x") == "weight value is not a float"
    assert error_of(r, "ZUNION", "1", "z1", "AGGREGATE", "AVG") == "syntax error"
    assert error_of(r, "ZUNION", "1", "z1", "AGGREGATE") == "syntax error"
    assert error_of(r, "ZINTERCARD", "1", "z1", "LIMIT", "-1") == "LIMIT can't be negative"
    assert error_of(r, "ZINTERCARD", "1", "z1", "LIMIT", "x") == "LIMIT can't be negative"
    assert error_of(r, "ZINTERCARD", "1", "z1", "WITHSCORES") == "syntax error"
    assert error_of(r, "ZINTERCARD", "1", "z1", "AGGREGATE", "SUM") == "syntax error"
    r.set("str", "x")
    assert error_of(r, "ZUNION", "2", "z1", "str", "WEIGHTS", "x") == WRONGTYPE
    assert error_of(r, "ZINTERSTORE", "out", "2", "missing", "str") == WRONGTYPE
    assert r.exists("out") == 0


def test_watch_sees_zset_writes(r, make):
    setup(r)
    assert watch_aborts(r, "z", lambda: make(r).zincrby("z", 1, "a"))


def test_lex_ranges_over_mixed_scores_walk_like_redis(r):
    raw(r, "ZADD", "mixed", "1", "b", "2", "a", "3", "x", "4", "", "5", "c")
    assert raw(r, "ZRANGEBYLEX", "mixed", "[a", "[c") == [b"b", b"a"]
    assert raw(r, "ZRANGEBYLEX", "mixed", "-", "[b") == [b"b", b"a"]
    assert raw(r, "ZRANGEBYLEX", "mixed", "[a", "+") == [b"b", b"a", b"x", b"", b"c"]
    assert raw(r, "ZREVRANGEBYLEX", "mixed", "[x", "-") == [b"c", b"", b"x", b"a", b"b"]
    assert raw(r, "ZREVRANGEBYLEX", "mixed", "+", "(b") == [b"c"]
    assert raw(r, "ZREVRANGEBYLEX", "mixed", "[b", "-") == [b"", b"x", b"a", b"b"]
    assert raw(r, "ZLEXCOUNT", "mixed", "(", "+") == 5
    assert raw(r, "ZREMRANGEBYLEX", "mixed", "-", "[b") == 2
    assert r.zrange("mixed", 0, -1) == [b"x", b"", b"c"]


def test_blocked_pop_ignores_a_key_refilled_with_another_type(r, make):
    waiter = block(r, make, "BZPOPMIN", "q", "0.5")
    r.rpush("q", "x")
    assert waiter.result() is None
    assert r.lrange("q", 0, -1) == [b"x"]


def test_object_encoding_follows_the_listpack_limits(r):
    r.zadd("small", {"a": 1})
    assert r.object("encoding", "small") == b"listpack"
    r.zadd("long", {"x" * 65: 1})
    assert r.object("encoding", "long") == b"skiplist"
    r.zadd("grown", {f"m{i}": i for i in range(128)})
    assert r.object("encoding", "grown") == b"listpack"
    r.zadd("grown", {"one-more": 0})
    assert r.object("encoding", "grown") == b"skiplist"
    r.zremrangebyrank("grown", 0, -3)
    assert r.object("encoding", "grown") == b"skiplist"
    r.zunionstore("copy", ["grown"])
    assert r.object("encoding", "copy") == b"listpack"
    r.config_set("zset-max-listpack-entries", 0)
    try:
        r.zadd("none", {"a": 1})
        assert r.object("encoding", "none") == b"skiplist"
    finally:
        r.config_set("zset-max-listpack-entries", 128)


def test_sorted_set_notifications(r, make):
    assert keyevents(
        r, make,
        ("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"), ("ZADD", "z", "1", "a"),
        ("ZINCRBY", "z", "1", "a"), ("ZADD", "z", "INCR", "1", "a"), ("ZREM", "z", "nope"),
        ("ZREM", "z", "a"), ("ZREMRANGEBYSCORE", "z", "2", "2"), ("ZPOPMIN", "z"),
        ("ZADD", "z", "0", "x", "0", "y"), ("ZREMRANGEBYRANK", "z", "0", "0"),
        ("ZREMRANGEBYLEX", "z", "-", "+"), ("ZMPOP", "1", "z", "MAX"),
        ("ZADD", "y", "1", "m"), ("ZUNIONSTORE", "u", "1", "y"), ("ZINTERSTORE", "u", "2", "y", "no"),
        ("ZDIFFSTORE", "d", "1", "y"), ("ZRANGESTORE", "r", "y", "0", "-1"), ("ZPOPMAX", "y"),
    ) == [(b"zadd", b"z"), (b"zincr", b"z"), (b"zincr", b"z"), (b"zrem", b"z"),
          (b"zremrangebyscore", b"z"), (b"zpopmin", b"z"), (b"zadd", b"z"),
          (b"zremrangebyrank", b"z"), (b"zremrangebylex", b"z"), (b"del", b"z"), (b"zadd", b"y"),
          (b"zunionstore", b"u"), (b"del", b"u"), (b"zdiffstore", b"d"), (b"zrangestore", b"r"),
          (b"zpopmax", b"y"), (b"del", b"y")]


def test_geo_notifications(r, make):
    assert keyevents(
        r, make,
        ("GEOADD", "g", "1", "1", "p"), ("GEORADIUS", "g", "1", "1", "10", "km", "STORE", "o"),
        ("GEOSEARCHSTORE", "o2", "g", "FROMMEMBER", "p", "BYRADIUS", "1", "km", "STOREDIST"),
        ("GEORADIUS", "g", "50", "50", "1", "m", "STORE", "o"),
    ) == [(b"zadd", b"g"), (b"georadiusstore", b"o"), (b"geosearchstore", b"o2"), (b"del", b"o")]


@pytest.mark.parametrize("args, keys", [
    (("ZUNIONSTORE", "dst", "2", "a", "b", "WEIGHTS", "1", "2"), [b"dst", b"a", b"b"]),
    (("ZINTER", "2", "a", "b"), [b"a", b"b"]),
    (("ZINTERCARD", "1", "a", "LIMIT", "1"), [b"a"]),
    (("ZDIFFSTORE", "d", "1", "a"), [b"d", b"a"]),
    (("ZMPOP", "2", "a", "b", "MIN"), [b"a", b"b"]),
    (("BZMPOP", "0", "2", "a", "b", "MIN"), [b"a", b"b"]),
    (("BZPOPMIN", "a", "b", "0"), [b"a", b"b"]),
    (("ZRANGESTORE", "d", "s", "0", "1"), [b"d", b"s"]),
    (("GEORADIUS", "k", "1", "2", "3", "km", "STOREDIST", "y", "STORE", "x"), [b"k", b"x", b"y"]),
    (("GEORADIUSBYMEMBER", "k", "m", "3", "km", "STORE", "x"), [b"k", b"x"]),
    (("GEORADIUS", "k", "1", "2", "3", "km", "STORE"), [b"k"]),
    (("GEOSEARCHSTORE", "d", "s", "FROMMEMBER", "m", "BYRADIUS", "1", "km"), [b"d", b"s"]),
])
def test_command_getkeys(r, args, keys):
    assert raw(r, "COMMAND", "GETKEYS", *args) == keys


@pytest.mark.parametrize("args", [
    ("ZUNION", "3", "a", "b"), ("ZUNIONSTORE", "d", "-1", "a"), ("ZINTER", "0", "a"),
    ("ZMPOP", "3", "a", "MIN"), ("BZMPOP", "0", "x", "a", "MIN"),
])
def test_command_getkeys_with_bad_numkeys(r, args):
    assert error_of(r, "COMMAND", "GETKEYS", *args) == "Invalid arguments specified for command"


def test_zmpop_options_are_read_in_order(r):
    assert error_of(r, "ZMPOP", "1", "z", "MIN", "COUNT", "0", "FOO") == \
        "count should be greater than 0"
    assert error_of(r, "ZMPOP", "1", "z", "MIN", "COUNT", "1", "FOO") == "syntax error"


def test_writes_keep_the_ttl_and_stores_replace_it(r):
    r.zadd("z", {"a": 1})
    r.expire("z", 100)
    r.zadd("z", {"b": 2})
    r.zincrby("z", 1, "a")
    r.zrem("z", "b")
    assert 0 < r.ttl("z") <= 100
    r.zadd("dst", {"x": 1})
    r.expire("dst", 100)
    assert raw(r, "ZUNIONSTORE", "dst", "1", "z") == 1
    assert r.ttl("dst") == -1
    r.expire("dst", 100)
    assert raw(r, "ZRANGESTORE", "dst", "z", "0", "-1") == 1
    assert r.ttl("dst") == -1


def test_writes_that_change_nothing_leave_watches_clean(r, make):
    r.zadd("z", {"a": 1, "b": 2})
    other = make(r)

    def idle_writes():
        other.zincrby("z", 0, "a")
        other.zadd("z", {"a": 1})
        other.zadd("z", {"a": 5}, nx=True)
        other.zrem("z", "nope")
        other.zremrangebyscore("z", 10, 20)
        other.zpopmin("z", 0)

    assert not watch_aborts(r, "z", idle_writes)
    assert r.zcard("z") == 2


def test_zrandmember_whole_set_comes_highest_first(r):
    r.zadd("big", {f"m{i}": i for i in range(200)})
    assert raw(r, "ZRANDMEMBER", "big", "500") == [f"m{i}".encode() for i in range(199, -1, -1)]
