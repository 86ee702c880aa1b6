"""Differential fuzzing: random command sequences into the fake and a real server, every reply compared.

Hypothesis draws sequences across the data types, expiry, transactions and scripts, with valid
and invalid arguments (wrong types, bad numbers, wrong arity, odd bytes); both servers get the same
sequence and every reply (or error text) must be equal, order-insensitive only where Redis leaves
order unspecified. The default profile is a bounded run for CI (FAKEREDIS_FUZZ_EXAMPLES to change
its size); ``--hypothesis-profile=deep`` runs long (profiles in conftest.py). A divergence found
here becomes a named conformance test.
"""

from __future__ import annotations

from typing import Any

import pytest
import redis
from hypothesis import given, strategies as st

from conformance.conftest import require_real
from fakeredis import FakeRedis, FakeServer


KEYS = st.sampled_from([b"k1", b"k2", b"k3"])
FIELDS = st.sampled_from([b"f1", b"f2", b"f3"])
MEMBERS = st.sampled_from([b"a", b"b", b"c", b"1", b"2", b"10"])
INTS = st.sampled_from([b"0", b"1", b"-1", b"2", b"10", b"-5", b"9223372036854775807", b"x", b"1.5",
                        b" 1", b"01"])
FLOATS = st.sampled_from([b"0", b"1.5", b"-2", b"inf", b"-inf", b"+inf", b"1e300", b"nan", b"x",
                          b"0.1", b"(1", b"(2"])
VALUES = st.one_of(st.sampled_from([b"", b"v", b"123", b"-7", b"3.5", b"\x00\xff"]),
                   st.binary(max_size=6))
SCORE_BOUNDS = st.sampled_from([b"-inf", b"+inf", b"0", b"(1", b"2", b"(0", b"x"])
LEX_BOUNDS = st.sampled_from([b"-", b"+", b"[a", b"(b", b"[c", b"a"])
INDEXES = st.sampled_from([b"0", b"1", b"-1", b"-2", b"2", b"100", b"-100", b"x"])


def cmd(*parts: st.SearchStrategy) -> st.SearchStrategy:
    """A command: a fixed name followed by drawn arguments."""
    return st.tuples(*parts).map(list)


def name(word: str) -> st.SearchStrategy:
    return st.just(word.encode())


def many(strategy: st.SearchStrategy, low: int = 1, high: int = 3) -> st.SearchStrategy:
    return st.lists(strategy, min_size=low, max_size=high)


def flat(*parts: st.SearchStrategy) -> st.SearchStrategy:
    """Concatenate strategies that draw lists of arguments."""
    return st.tuples(*parts).map(lambda groups: [arg for group in groups for arg in group])


def one(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return strategy.map(lambda arg: [arg])


STRING_COMMANDS = st.one_of(
    cmd(name("SET"), KEYS, VALUES),
    flat(one(name("SET")), one(KEYS), one(VALUES), st.sampled_from(
        [[b"NX"], [b"XX"], [b"GET"], [b"EX", b"100"], [b"PX", b"0"], [b"KEEPTTL"], [b"NX", b"XX"],
         [b"EX"], [b"EX", b"x"]])),
    cmd(name("GET"), KEYS), cmd(name("APPEND"), KEYS, VALUES), cmd(name("INCR"), KEYS),
    cmd(name("INCRBY"), KEYS, INTS), cmd(name("DECRBY"), KEYS, INTS),
    cmd(name("INCRBYFLOAT"), KEYS, FLOATS), cmd(name("STRLEN"), KEYS),
    cmd(name("GETRANGE"), KEYS, INDEXES, INDEXES), cmd(name("SETRANGE"), KEYS, INDEXES, VALUES),
    flat(one(name("MSET")), many(st.tuples(KEYS, VALUES).map(list)).map(
        lambda pairs: [a for p in pairs for a in p])),
    flat(one(name("MGET")), many(KEYS)), cmd(name("GETDEL"), KEYS), cmd(name("GETSET"), KEYS, VALUES),
    cmd(name("SETNX"), KEYS, VALUES), cmd(name("SETBIT"), KEYS, INDEXES, st.sampled_from([b"0", b"1", b"2"])),
    cmd(name("GETBIT"), KEYS, INDEXES), cmd(name("BITCOUNT"), KEYS),
)
KEY_COMMANDS = st.one_of(
    flat(one(name("DEL")), many(KEYS)), flat(one(name("EXISTS")), many(KEYS)), cmd(name("TYPE"), KEYS),
    cmd(name("RENAME"), KEYS, KEYS), cmd(name("RENAMENX"), KEYS, KEYS),
    cmd(name("EXPIRE"), KEYS, st.sampled_from([b"100", b"-1", b"0", b"x"])), cmd(name("PERSIST"), KEYS),
    cmd(name("TTL"), KEYS), cmd(name("COPY"), KEYS, KEYS), cmd(name("DBSIZE")),
    cmd(name("OBJECT"), name("ENCODING"), KEYS),
)
LIST_COMMANDS = st.one_of(
    flat(one(name("LPUSH")), one(KEYS), many(MEMBERS)), flat(one(name("RPUSH")), one(KEYS), many(MEMBERS)),
    cmd(name("LPOP"), KEYS), cmd(name("RPOP"), KEYS, INDEXES), cmd(name("LLEN"), KEYS),
    cmd(name("LRANGE"), KEYS, INDEXES, INDEXES), cmd(name("LINDEX"), KEYS, INDEXES),
    cmd(name("LSET"), KEYS, INDEXES, MEMBERS), cmd(name("LREM"), KEYS, INDEXES, MEMBERS),
    cmd(name("LTRIM"), KEYS, INDEXES, INDEXES), cmd(name("LPOS"), KEYS, MEMBERS),
    cmd(name("LINSERT"), KEYS, st.sampled_from([b"BEFORE", b"AFTER", b"X"]), MEMBERS, MEMBERS),
    cmd(name("LMOVE"), KEYS, KEYS, st.sampled_from([b"LEFT", b"RIGHT"]), st.sampled_from([b"LEFT", b"RIGHT"])),
)
SET_COMMANDS = st.one_of(
    flat(one(name("SADD")), one(KEYS), many(MEMBERS)), flat(one(name("SREM")), one(KEYS), many(MEMBERS)),
    cmd(name("SISMEMBER"), KEYS, MEMBERS), cmd(name("SCARD"), KEYS), cmd(name("SMEMBERS"), KEYS),
    flat(one(name("SINTER")), many(KEYS)), flat(one(name("SUNION")), many(KEYS)),
    flat(one(name("SDIFF")), many(KEYS)), flat(one(name("SINTERSTORE")), one(KEYS), many(KEYS)),
    cmd(name("SMOVE"), KEYS, KEYS, MEMBERS),
)
HASH_COMMANDS = st.one_of(
    cmd(name("HSET"), KEYS, FIELDS, VALUES), cmd(name("HGET"), KEYS, FIELDS),
    flat(one(name("HDEL")), one(KEYS), many(FIELDS)), cmd(name("HGETALL"), KEYS), cmd(name("HLEN"), KEYS),
    cmd(name("HINCRBY"), KEYS, FIELDS, INTS), cmd(name("HINCRBYFLOAT"), KEYS, FIELDS, FLOATS),
    cmd(name("HEXISTS"), KEYS, FIELDS), cmd(name("HSETNX"), KEYS, FIELDS, VALUES),
    flat(one(name("HMGET")), one(KEYS), many(FIELDS)), cmd(name("HSTRLEN"), KEYS, FIELDS),
)
ZSET_COMMANDS = st.one_of(
    flat(one(name("ZADD")), one(KEYS), st.sampled_from([[], [b"NX"], [b"XX"], [b"GT"], [b"CH"], [b"INCR"],
                                                       [b"NX", b"GT"]]), many(st.tuples(FLOATS, MEMBERS).map(list)).map(
        lambda pairs: [a for p in pairs for a in p])),
    cmd(name("ZSCORE"), KEYS, MEMBERS), cmd(name("ZINCRBY"), KEYS, FLOATS, MEMBERS),
    cmd(name("ZRANGE"), KEYS, INDEXES, INDEXES), cmd(name("ZRANGE"), KEYS, INDEXES, INDEXES, name("WITHSCORES")),
    cmd(name("ZRANGEBYSCORE"), KEYS, SCORE_BOUNDS, SCORE_BOUNDS),
    cmd(name("ZRANGEBYLEX"), KEYS, LEX_BOUNDS, LEX_BOUNDS), cmd(name("ZCOUNT"), KEYS, SCORE_BOUNDS, SCORE_BOUNDS),
    cmd(name("ZRANK"), KEYS, MEMBERS), cmd(name("ZREVRANK"), KEYS, MEMBERS), cmd(name("ZCARD"), KEYS),
    flat(one(name("ZREM")), one(KEYS), many(MEMBERS)), cmd(name("ZPOPMIN"), KEYS),
    cmd(name("ZREMRANGEBYSCORE"), KEYS, SCORE_BOUNDS, SCORE_BOUNDS),
    flat(one(name("ZUNIONSTORE")), one(KEYS), st.sampled_from([[b"2", b"k1", b"k2"], [b"1", b"k3"], [b"0"],
                                                             [b"3", b"k1"]])),
)
STREAM_IDS = st.sampled_from([b"1-1", b"1-2", b"2-0", b"5", b"0-0", b"0-1", b"x", b"3-*"])
STREAM_COMMANDS = st.one_of(
    flat(one(name("XADD")), one(KEYS), one(STREAM_IDS), many(st.tuples(FIELDS, VALUES).map(list)).map(
        lambda pairs: [a for p in pairs for a in p])),
    cmd(name("XLEN"), KEYS), cmd(name("XRANGE"), KEYS, name("-"), name("+")),
    cmd(name("XREVRANGE"), KEYS, name("+"), name("-"), name("COUNT"), INDEXES),
    flat(one(name("XDEL")), one(KEYS), many(STREAM_IDS)),
    cmd(name("XTRIM"), KEYS, name("MAXLEN"), INDEXES),
    cmd(name("XGROUP"), name("CREATE"), KEYS, name("g"), STREAM_IDS),
    cmd(name("XREADGROUP"), name("GROUP"), name("g"), name("c"), name("STREAMS"), KEYS, name(">")),
    cmd(name("XACK"), KEYS, name("g"), STREAM_IDS),
)
OTHER_TYPES = st.one_of(
    flat(one(name("PFADD")), one(KEYS), many(MEMBERS)), flat(one(name("PFCOUNT")), many(KEYS)),
    flat(one(name("PFMERGE")), one(KEYS), many(KEYS)),
    cmd(name("GEOADD"), KEYS, st.sampled_from([b"13.36", b"200", b"-73.9"]),
        st.sampled_from([b"38.11", b"40.7", b"95"]), MEMBERS),
    cmd(name("GEODIST"), KEYS, MEMBERS, MEMBERS), cmd(name("GEOPOS"), KEYS, MEMBERS),
    cmd(name("SORT"), KEYS), cmd(name("SORT"), KEYS, name("ALPHA"), name("DESC")),
)
TRANSACTION_COMMANDS = st.one_of(cmd(name("MULTI")), cmd(name("EXEC")), cmd(name("DISCARD")),
                                 flat(one(name("WATCH")), many(KEYS)), cmd(name("UNWATCH")))
SCRIPT_COMMANDS = st.one_of(
    cmd(name("EVAL"), st.sampled_from([
        b"return redis.call('GET', KEYS[1])", b"return redis.call('INCR', KEYS[1])",
        b"return {1, 2, 'x', false, 3}", b"return redis.call('NOSUCH')", b"return 1.9",
        b"return redis.pcall('LPUSH', KEYS[1], 'x')", b"return {err='boom'}",
    ]), name("1"), KEYS),
)
ODD_COMMANDS = st.one_of(
    # unknown commands and odd bytes as arguments of known ones
    flat(one(st.sampled_from([b"NOSUCHCMD", b"\x00x", b"\xff", b"get", b"Set", b"hset", b"zadd"])),
         st.lists(st.binary(max_size=5), max_size=4)),
    cmd(name("GET")), cmd(name("SET"), KEYS),  # wrong arity
)
COMMANDS = st.one_of(STRING_COMMANDS, KEY_COMMANDS, LIST_COMMANDS, SET_COMMANDS, HASH_COMMANDS,
                     ZSET_COMMANDS, STREAM_COMMANDS, OTHER_TYPES, TRANSACTION_COMMANDS,
                     SCRIPT_COMMANDS, ODD_COMMANDS)

# Replies whose order Redis leaves unspecified, compared sorted.
UNORDERED = {b"SMEMBERS", b"SINTER", b"SUNION", b"SDIFF", b"KEYS", b"HKEYS", b"HVALS", b"HGETALL"}


def normalise(argv: list[bytes], reply: Any) -> Any:
    """Make replies comparable: errors by text, unordered collections sorted."""
    if isinstance(reply, redis.ResponseError):
        return ("error", type(reply).__name__, str(reply))
    if argv[0].upper() in UNORDERED:
        if isinstance(reply, dict):
            return sorted(reply.items())
        if isinstance(reply, list):
            return sorted(reply, key=repr)
    if isinstance(reply, list):
        return [normalise([b""], item) for item in reply]
    return reply


def run(conn: Any, argv: list[bytes]) -> Any:
    conn.send_command(*argv)
    try:
        return conn.read_response()
    except redis.ResponseError as exc:
        return exc


@pytest.fixture(scope="module")
def pair(request: pytest.FixtureRequest) -> Any:
    """Raw connections to a real server and to a fake one, both RESP3."""
    real = redis.Redis.from_url(require_real(request), protocol=3)
    fake = FakeRedis(server=FakeServer(), protocol=3)
    conns = (real.connection_pool.get_connection(), fake.connection_pool.get_connection())
    yield conns
    for client, conn in zip((real, fake), conns):
        client.connection_pool.release(conn)
        client.close()


@given(st.lists(COMMANDS, min_size=1, max_size=25))
def test_random_sequences_agree_with_real_redis(pair: Any, sequence: list[list[bytes]]) -> None:
    real, fake = pair
    for conn in (real, fake):
        run(conn, [b"DISCARD"])
        run(conn, [b"UNWATCH"])
        run(conn, [b"FLUSHALL"])
    for argv in sequence:
        expected = normalise(argv, run(real, argv))
        got = normalise(argv, run(fake, argv))
        assert got == expected, f"diverged on {argv!r} after {sequence[:sequence.index(argv)]!r}"
