"""Consumer groups: XGROUP XREADGROUP XACK XPENDING XCLAIM XAUTOCLAIM XINFO GROUPS/CONSUMERS."""

from __future__ import annotations

import time
from typing import Any

import pytest
import redis

from conformance.helpers import is_resp3, raw

INVALID_ID = "Invalid stream ID specified as stream command argument"
WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"
HOUR = 3_600_000


def error(r: redis.Redis, *args: Any) -> str:
    with pytest.raises(redis.ResponseError) as exc:
        raw(r, *args)
    return str(exc.value)


def as_map(reply: Any) -> dict:
    """A RESP3 map, or a RESP2 flat array of pairs, as a dict."""
    return reply if isinstance(reply, dict) else dict(zip(reply[::2], reply[1::2]))


def streams(r: redis.Redis, reply: Any) -> dict:
    """An XREAD/XREADGROUP reply as {key: entries}."""
    if reply is None:
        return {}
    return reply if is_resp3(r) else {key: entries for key, entries in reply}


def entry(stream_id: str, *fields: str) -> list:
    return [stream_id.encode(), [f.encode() for f in fields]]


@pytest.fixture
def s3(r: redis.Redis) -> redis.Redis:
    """Stream ``s`` with entries 1-0 2-0 3-0 and group ``g`` at 0."""
    for i in (1, 2, 3):
        raw(r, "XADD", "s", f"{i}-0", "f", str(i))
    raw(r, "XGROUP", "CREATE", "s", "g", "0")
    return r


def read(r: redis.Redis, consumer: str, stream_id: str = ">", *options: Any) -> list:
    reply = raw(r, "XREADGROUP", "GROUP", "g", consumer, *options, "STREAMS", "s", stream_id)
    return streams(r, reply).get(b"s")


# --- XGROUP ---------------------------------------------------------------------------------------

def test_xgroup_create_positions(s3):
    r = s3
    assert raw(r, "XGROUP", "CREATE", "s", "end", "$") == b"OK"
    assert raw(r, "XGROUP", "CREATE", "s", "mid", "2") == b"OK"
    groups = {g["name"]: g for g in r.xinfo_groups("s")}
    assert groups[b"end"]["last-delivered-id"] == b"3-0"
    assert groups[b"mid"]["last-delivered-id"] == b"2-0"
    assert groups[b"g"]["last-delivered-id"] == b"0-0"
    assert [g["name"] for g in r.xinfo_groups("s")] == [b"end", b"g", b"mid"]


def test_xgroup_create_errors(s3):
    r = s3
    raw(r, "SET", "str", "x")
    no_key = ("The XGROUP subcommand requires the key to exist. Note that for CREATE you may want "
              "to use the MKSTREAM option to create an empty stream automatically.")
    assert error(r, "XGROUP", "CREATE", "nx", "g", "$") == no_key
    assert error(r, "XGROUP", "CREATE", "s", "g", "$") == (
        "BUSYGROUP Consumer Group name already exists")
    assert error(r, "XGROUP", "CREATE", "s", "h", "-") == INVALID_ID
    assert error(r, "XGROUP", "CREATE", "s", "h", "x") == INVALID_ID
    assert error(r, "XGROUP", "CREATE", "str", "g", "$") == WRONGTYPE
    assert error(r, "XGROUP", "CREATE", "s", "h", "$", "ENTRIESREAD", "-2") == (
        "value for ENTRIESREAD must be positive or -1")
    assert error(r, "XGROUP", "CREATE", "s", "h", "$", "FOO") == (
        "unknown subcommand or wrong number of arguments for 'CREATE'. Try XGROUP HELP.")
    assert error(r, "XGROUP", "CREATE", "s") == (
        "wrong number of arguments for 'xgroup|create' command")
    assert error(r, "XGROUP", "FOO", "a", "b") == "unknown subcommand 'FOO'. Try XGROUP HELP."
    assert [g["name"] for g in r.xinfo_groups("s")] == [b"g"]


def test_xgroup_create_mkstream(r):
    assert raw(r, "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM") == b"OK"
    assert raw(r, "XLEN", "s") == 0
    assert raw(r, "TYPE", "s") == b"stream"
    assert r.xinfo_groups("s") == [{"name": b"g", "consumers": 0, "pending": 0,
                                    "last-delivered-id": b"0-0", "entries-read": None, "lag": 0}]


def test_xgroup_setid(s3):
    r = s3
    assert raw(r, "XGROUP", "SETID", "s", "g", "$") == b"OK"
    assert read(r, "c") is None
    assert raw(r, "XGROUP", "SETID", "s", "g", "1", "ENTRIESREAD", 1) == b"OK"
    assert read(r, "c") == [entry("2-0", "f", "2"), entry("3-0", "f", "3")]
    assert raw(r, "XGROUP", "SETID", "s", "g", "+") == b"OK"
    assert r.xinfo_groups("s")[0]["last-delivered-id"] == (
        b"18446744073709551615-18446744073709551615")
    assert error(r, "XGROUP", "SETID", "s", "nog", "$") == (
        "NOGROUP No such consumer group 'nog' for key name 's'")
    assert error(r, "XGROUP", "SETID", "s", "g", "0", "ENTRIESREAD") == (
        "unknown subcommand or wrong number of arguments for 'SETID'. Try XGROUP HELP.")
    assert error(r, "XGROUP", "SETID", "s", "g", "x") == INVALID_ID


def test_xgroup_consumers_and_destroy(s3):
    r = s3
    assert raw(r, "XGROUP", "CREATECONSUMER", "s", "g", "alice") == 1
    assert raw(r, "XGROUP", "CREATECONSUMER", "s", "g", "alice") == 0
    read(r, "bob", ">", "COUNT", 2)
    assert [c["name"] for c in r.xinfo_consumers("s", "g")] == [b"alice", b"bob"]
    assert raw(r, "XGROUP", "DELCONSUMER", "s", "g", "bob") == 2
    assert raw(r, "XGROUP", "DELCONSUMER", "s", "g", "nobody") == 0
    assert raw(r, "XPENDING", "s", "g")[0] == 0
    assert error(r, "XGROUP", "CREATECONSUMER", "s", "nog", "x") == (
        "NOGROUP No such consumer group 'nog' for key name 's'")
    assert error(r, "XGROUP", "DELCONSUMER", "s", "nog", "x") == (
        "NOGROUP No such consumer group 'nog' for key name 's'")
    assert raw(r, "XGROUP", "DESTROY", "s", "g") == 1
    assert raw(r, "XGROUP", "DESTROY", "s", "g") == 0
    assert error(r, "XGROUP", "DESTROY", "nx", "g").startswith("The XGROUP subcommand requires")
    assert r.xinfo_groups("s") == []


def test_xgroup_help(r):
    reply = raw(r, "XGROUP", "HELP")
    assert reply[0] == b"XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    assert len(reply) == 17
    assert raw(r, "XINFO", "HELP")[-1] == b"    Prints this help."


# --- XREADGROUP -----------------------------------------------------------------------------------

def test_xreadgroup_new_entries_and_history(s3):
    r = s3
    assert read(r, "a", ">", "COUNT", 2) == [entry("1-0", "f", "1"), entry("2-0", "f", "2")]
    assert read(r, "b") == [entry("3-0", "f", "3")]
    assert read(r, "b") is None
    assert read(r, "a", "0") == [entry("1-0", "f", "1"), entry("2-0", "f", "2")]
    assert read(r, "a", "1-0") == [entry("2-0", "f", "2")]
    assert read(r, "a", "0", "COUNT", 1) == [entry("1-0", "f", "1")]
    assert read(r, "nobody", "0") == []
    pending = raw(r, "XPENDING", "s", "g", "-", "+", 10)
    assert [(p[0], p[1], p[3]) for p in pending] == [
        (b"1-0", b"a", 3), (b"2-0", b"a", 3), (b"3-0", b"b", 1)]


def test_xreadgroup_history_shows_deleted_entries_as_nil(s3):
    r = s3
    read(r, "a")
    raw(r, "XDEL", "s", "2-0")
    reply = raw(r, "XREADGROUP", "GROUP", "g", "a", "STREAMS", "s", "0")
    assert streams(r, reply)[b"s"] == [entry("1-0", "f", "1"), [b"2-0", None],
                                      entry("3-0", "f", "3")]
    pending = raw(r, "XPENDING", "s", "g", "-", "+", 10)
    assert [p[3] for p in pending] == [2, 1, 2]


def test_xreadgroup_noack(s3):
    r = s3
    assert len(read(r, "a", ">", "NOACK")) == 3
    assert raw(r, "XPENDING", "s", "g") == [0, None, None, None]
    assert read(r, "a", "0") == []


def test_xreadgroup_several_streams(s3):
    r = s3
    raw(r, "XADD", "t", "9-0", "x", "y")
    raw(r, "XGROUP", "CREATE", "t", "g", "$")
    reply = streams(r, raw(r, "XREADGROUP", "GROUP", "g", "c", "COUNT", 1, "STREAMS", "s", "t",
                           ">", ">"))
    assert reply == {b"s": [entry("1-0", "f", "1")]}
    reply = streams(r, raw(r, "XREADGROUP", "GROUP", "g", "c", "STREAMS", "t", "s", "0", ">"))
    assert reply == {b"t": [], b"s": [entry("2-0", "f", "2"), entry("3-0", "f", "3")]}


def test_xreadgroup_errors(s3):
    r = s3
    raw(r, "SET", "str", "x")
    assert error(r, "XREADGROUP", "GROUP", "nog", "c", "STREAMS", "s", ">") == (
        "NOGROUP No such key 's' or consumer group 'nog' in XREADGROUP with GROUP option")
    assert error(r, "XREADGROUP", "GROUP", "g", "c", "STREAMS", "nx", ">") == (
        "NOGROUP No such key 'nx' or consumer group 'g' in XREADGROUP with GROUP option")
    assert error(r, "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "$").startswith(
        "The $ ID is meaningless in the context of XREADGROUP")
    assert error(r, "XREADGROUP", "GROUP", "g", "c", "STREAMS", "str", ">") == WRONGTYPE
    assert error(r, "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "x") == INVALID_ID
    assert error(r, "XREADGROUP", "COUNT", 1, "NOACK", "STREAMS", "s", ">") == (
        "Missing GROUP option for XREADGROUP")
    assert error(r, "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "t", ">") == (
        "Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.")
    assert r.xinfo_consumers("s", "g") == []


def test_redis_py_xreadgroup(s3):
    r = s3
    reply = r.xreadgroup("g", "c", {"s": ">"}, count=1)
    expected = [(b"1-0", {b"f": b"1"})]
    assert reply == ({b"s": [expected]} if is_resp3(r) else [[b"s", expected]])


# --- XACK ----------------------------------------------------------------------------------------

def test_xack(s3):
    r = s3
    read(r, "a")
    assert raw(r, "XACK", "s", "g", "1-0", "1-0", "3-0", "9-0") == 2
    assert raw(r, "XPENDING", "s", "g")[:3] == [1, b"2-0", b"2-0"]
    assert raw(r, "XACK", "s", "nog", "x") == 0
    assert raw(r, "XACK", "nx", "g", "x") == 0
    assert error(r, "XACK", "s", "g", "2-0", "x") == INVALID_ID
    assert raw(r, "XPENDING", "s", "g")[0] == 1


# --- XPENDING -------------------------------------------------------------------------------------

def test_xpending_summary(s3):
    r = s3
    assert raw(r, "XPENDING", "s", "g") == [0, None, None, None]
    read(r, "b", ">", "COUNT", 1)
    read(r, "a")
    assert raw(r, "XPENDING", "s", "g") == [3, b"1-0", b"3-0", [[b"a", b"2"], [b"b", b"1"]]]
    assert r.xpending("s", "g") == {"pending": 3, "min": b"1-0", "max": b"3-0",
                                    "consumers": [{"name": b"a", "pending": 2},
                                                  {"name": b"b", "pending": 1}]}


def test_xpending_extended(s3):
    r = s3
    read(r, "b", ">", "COUNT", 1)
    read(r, "a")
    rows = raw(r, "XPENDING", "s", "g", "-", "+", 10)
    assert [(row[0], row[1], row[3]) for row in rows] == [(b"1-0", b"b", 1), (b"2-0", b"a", 1),
                                                        (b"3-0", b"a", 1)]
    assert all(0 <= row[2] < HOUR for row in rows)
    assert [row[0] for row in raw(r, "XPENDING", "s", "g", "(1-0", "+", 1)] == [b"2-0"]
    assert [row[0] for row in raw(r, "XPENDING", "s", "g", "-", "+", 10, "a")] == [b"2-0", b"3-0"]
    assert raw(r, "XPENDING", "s", "g", "-", "+", 10, "nobody") == []
    assert raw(r, "XPENDING", "s", "g", "-", "+", 0) == []
    assert raw(r, "XPENDING", "s", "g", "-", "+", -3) == []
    assert raw(r, "XPENDING", "s", "g", "IDLE", HOUR, "-", "+", 10) == []
    assert len(raw(r, "XPENDING", "s", "g", "IDLE", 0, "-", "+", 10, "b")) == 1


def test_xpending_errors(s3):
    r = s3
    assert error(r, "XPENDING", "s", "nog") == "NOGROUP No such key 's' or consumer group 'nog'"
    assert error(r, "XPENDING", "nx", "g") == "NOGROUP No such key 'nx' or consumer group 'g'"
    assert error(r, "XPENDING", "s", "g", "-", "+") == "syntax error"
    assert error(r, "XPENDING", "s", "g", "IDLE", "5", "-", "+") == "syntax error"
    assert error(r, "XPENDING", "s", "g", "IDLE", "x", "-", "+", 1) == (
        "value is not an integer or out of range")
    assert error(r, "XPENDING", "s", "g", "-", "+", "x") == (
        "value is not an integer or out of range")
    assert error(r, "XPENDING", "s", "g", "x", "+", 1) == INVALID_ID
    assert error(r, "XPENDING", "s", "nog", "x", "+", 1) == INVALID_ID
    assert error(r, "XPENDING", "s", "g", "IDLE", 1, "-", "+", 1, "c", "extra") == "syntax error"
    assert raw(r, "XPENDING", "s", "g", "-", "+", 1, "c", "extra") == []


# --- XCLAIM ---------------------------------------------------------------------------------------

def test_xclaim_moves_idle_entries(s3):
    r = s3
    read(r, "a")
    assert raw(r, "XCLAIM", "s", "g", "b", HOUR, "1-0") == []
    assert raw(r, "XCLAIM", "s", "g", "b", 0, "1-0", "2-0", "9-0") == [entry("1-0", "f", "1"),
                                                                     entry("2-0", "f", "2")]
    rows = raw(r, "XPENDING", "s", "g", "-", "+", 10)
    assert [(row[0], row[1], row[3]) for row in rows] == [(b"1-0", b"b", 2), (b"2-0", b"b", 2),
                                                        (b"3-0", b"a", 1)]
    assert [c["name"] for c in r.xinfo_consumers("s", "g")] == [b"a", b"b"]


def test_xclaim_options(s3):
    r = s3
    read(r, "a")
    assert raw(r, "XCLAIM", "s", "g", "b", 0, "1-0", "JUSTID") == [b"1-0"]
    assert raw(r, "XCLAIM", "s", "g", "b", 0, "2-0", "RETRYCOUNT", 7, "TIME", 1000) == [
        entry("2-0", "f", "2")]
    rows = {row[0]: row for row in raw(r, "XPENDING", "s", "g", "-", "+", 10)}
    assert rows[b"1-0"][3] == 1
    assert rows[b"2-0"][3] == 7
    assert rows[b"2-0"][2] > 10 ** 12
    assert raw(r, "XCLAIM", "s", "g", "c", 0, "2-0", "IDLE", 5000, "JUSTID") == [b"2-0"]
    assert HOUR > raw(r, "XPENDING", "s", "g", "-", "+", 10, "c")[0][2] >= 5000
    assert raw(r, "XCLAIM", "s", "g", "c", 0, "3-0", "IDLE", -5, "justid") == [b"3-0"]


def test_xclaim_force_and_lastid(s3):
    r = s3
    assert raw(r, "XCLAIM", "s", "g", "b", HOUR, "2-0") == []
    assert raw(r, "XCLAIM", "s", "g", "b", HOUR, "2-0", "9-0", "FORCE", "LASTID", "2-0") == [
        entry("2-0", "f", "2")]
    assert raw(r, "XPENDING", "s", "g", "-", "+", 10)[0][3] == 2
    assert r.xinfo_groups("s")[0]["last-delivered-id"] == b"2-0"
    assert read(r, "a") == [entry("3-0", "f", "3")]


def test_xclaim_drops_deleted_entries_from_the_pel(s3):
    r = s3
    read(r, "a")
    raw(r, "XDEL", "s", "1-0")
    assert raw(r, "XCLAIM", "s", "g", "b", 0, "1-0", "2-0", "JUSTID") == [b"2-0"]
    assert [row[0] for row in raw(r, "XPENDING", "s", "g", "-", "+", 10)] == [b"2-0", b"3-0"]


def test_xclaim_errors(s3):
    r = s3
    read(r, "a")
    assert error(r, "XCLAIM", "nx", "g", "c", 0, "1-0") == (
        "NOGROUP No such key 'nx' or consumer group 'g'")
    assert error(r, "XCLAIM", "s", "g", "c", "x", "1-0") == (
        "Invalid min-idle-time argument for XCLAIM")
    assert error(r, "XCLAIM", "s", "g", "c", 0, "1-0", "FOO") == "Unrecognized XCLAIM option 'FOO'"
    assert error(r, "XCLAIM", "s", "g", "c", 0, "x") == "Unrecognized XCLAIM option 'x'"
    assert error(r, "XCLAIM", "s", "g", "c", 0, "1-0", "IDLE", "x") == (
        "Invalid IDLE option argument for XCLAIM")
    assert error(r, "XCLAIM", "s", "g", "c", 0, "1-0", "TIME", "x") == (
        "Invalid TIME option argument for XCLAIM")
    assert error(r, "XCLAIM", "s", "g", "c", 0, "1-0", "RETRYCOUNT", "x") == (
        "Invalid RETRYCOUNT option argument for XCLAIM")
    assert error(r, "XCLAIM", "s", "g", "c", 0, "1-0", "LASTID", "x") == INVALID_ID
    assert error(r, "XCLAIM", "s", "g", "c", 0, "1-0", "3-0", "IDLE") == (
        "Unrecognized XCLAIM option 'IDLE'")
    assert {row[1] for row in raw(r, "XPENDING", "s", "g", "-", "+", 10)} == {b"a"}


def test_redis_py_xclaim(s3):
    r = s3
    read(r, "a")
    assert r.xclaim("s", "g", "b", 0, ["1-0"]) == [(b"1-0", {b"f": b"1"})]
    assert r.xclaim("s", "g", "b", 0, ["2-0"], justid=True) == [b"2-0"]


# --- XAUTOCLAIM -----------------------------------------------------------------------------------

def test_xautoclaim(s3):
    r = s3
    read(r, "a")
    assert raw(r, "XAUTOCLAIM", "s", "g", "b", 0, "0", "COUNT", 2) == [
        b"3-0", [entry("1-0", "f", "1"), entry("2-0", "f", "2")], []]
    assert raw(r, "XAUTOCLAIM", "s", "g", "b", 0, "3-0", "JUSTID") == [b"0-0", [b"3-0"], []]
    assert raw(r, "XAUTOCLAIM", "s", "g", "c", HOUR, "-") == [b"0-0", [], []]
    rows = raw(r, "XPENDING", "s", "g", "-", "+", 10)
    assert [(row[1], row[3]) for row in rows] == [(b"b", 2), (b"b", 2), (b"b", 1)]


def test_xautoclaim_reports_deleted_entries(s3):
    r = s3
    read(r, "a")
    raw(r, "XDEL", "s", "1-0", "3-0")
    assert raw(r, "XAUTOCLAIM", "s", "g", "b", 0, "(0-0", "COUNT", 1) == [b"2-0", [], [b"1-0"]]
    assert raw(r, "XAUTOCLAIM", "s", "g", "b", 0, "2-0") == [
        b"0-0", [entry("2-0", "f", "2")], [b"3-0"]]
    assert raw(r, "XPENDING", "s", "g")[0] == 1


def test_xautoclaim_errors(s3):
    r = s3
    assert error(r, "XAUTOCLAIM", "s", "g", "c", "x", "0") == (
        "Invalid min-idle-time argument for XAUTOCLAIM")
    assert error(r, "XAUTOCLAIM", "s", "g", "c", 0, "x") == INVALID_ID
    for count in ("0", "x", "576460752303423488"):
        assert error(r, "XAUTOCLAIM", "s", "g", "c", 0, "0", "COUNT", count) == "COUNT must be > 0"
    assert error(r, "XAUTOCLAIM", "s", "g", "c", 0, "0", "FOO") == "syntax error"
    assert error(r, "XAUTOCLAIM", "nx", "g", "c", 0, "x") == INVALID_ID
    assert error(r, "XAUTOCLAIM", "nx", "g", "c", 0, "0") == (
        "NOGROUP No such key 'nx' or consumer group 'g'")


def test_redis_py_xautoclaim(s3):
    r = s3
    read(r, "a")
    reply = r.xautoclaim("s", "g", "b", 0, count=1)
    assert reply[0] == b"2-0"
    assert reply[1] == [(b"1-0", {b"f": b"1"})]


# --- XINFO GROUPS / CONSUMERS / STREAM FULL -------------------------------------------------------

def test_xinfo_groups_entries_read_and_lag(s3):
    r = s3
    raw(r, "XGROUP", "CREATE", "s", "tail", "$")
    raw(r, "XGROUP", "CREATE", "s", "known", "0", "ENTRIESREAD", 0)
    read(r, "a", ">", "COUNT", 1)
    groups = {g["name"]: (g["entries-read"], g["lag"]) for g in r.xinfo_groups("s")}
    assert groups == {b"g": (1, 2), b"tail": (None, 0), b"known": (0, 3)}
    raw(r, "XDEL", "s", "2-0")
    groups = {g["name"]: (g["entries-read"], g["lag"]) for g in r.xinfo_groups("s")}
    assert groups == {b"g": (1, None), b"tail": (None, 0), b"known": (0, None)}
    assert read(r, "a") == [entry("3-0", "f", "3")]
    groups = {g["name"]: (g["entries-read"], g["lag"]) for g in r.xinfo_groups("s")}
    assert groups[b"g"] == (2, 1)


def test_xinfo_groups_reply_shape(s3):
    r = s3
    read(r, "a", ">", "COUNT", 2)
    reply = raw(r, "XINFO", "GROUPS", "s")
    expected = {b"name": b"g", b"consumers": 1, b"pending": 2, b"last-delivered-id": b"2-0",
                b"entries-read": 2, b"lag": 1}
    assert [as_map(group) for group in reply] == [expected]
    assert isinstance(reply[0], dict) == is_resp3(r)


def test_xinfo_consumers(s3):
    r = s3
    read(r, "b", ">", "COUNT", 1)
    raw(r, "XGROUP", "CREATECONSUMER", "s", "g", "a")
    consumers = [as_map(c) for c in raw(r, "XINFO", "CONSUMERS", "s", "g")]
    assert [(c[b"name"], c[b"pending"]) for c in consumers] == [(b"a", 0), (b"b", 1)]
    assert all(0 <= c[b"idle"] < HOUR for c in consumers)
    assert list(consumers[0]) == [b"name", b"pending", b"idle"]
    assert error(r, "XINFO", "CONSUMERS", "s", "nog") == (
        "NOGROUP No such consumer group 'nog' for key name 's'")
    assert error(r, "XINFO", "CONSUMERS", "nx", "g") == "no such key"
    assert error(r, "XINFO", "GROUPS", "nx") == "no such key"


def test_xinfo_stream_full_with_groups(s3):
    r = s3
    read(r, "a", ">", "COUNT", 2)
    raw(r, "XCLAIM", "s", "g", "b", 0, "2-0", "TIME", 1234, "RETRYCOUNT", 5)
    full = as_map(raw(r, "XINFO", "STREAM", "s", "FULL", "COUNT", 1))
    assert full[b"entries"] == [entry("1-0", "f", "1")]
    [group] = [as_map(g) for g in full[b"groups"]]
    assert list(group) == [b"name", b"last-delivered-id", b"entries-read", b"lag", b"pel-count",
                           b"pending", b"consumers"]
    assert (group[b"name"], group[b"last-delivered-id"], group[b"entries-read"], group[b"lag"],
            group[b"pel-count"]) == (b"g", b"2-0", 2, 1, 2)
    [(pid, owner, _, count)] = group[b"pending"]
    assert (pid, owner, count) == (b"1-0", b"a", 1)
    consumers = [as_map(c) for c in group[b"consumers"]]
    assert [list(c) for c in consumers] == [[b"name", b"seen-time", b"pel-count", b"pending"]] * 2
    assert [(c[b"name"], c[b"pel-count"]) for c in consumers] == [(b"a", 1), (b"b", 1)]
    assert consumers[1][b"pending"] == [[b"2-0", 1234, 5]]


# --- keyspace events -----------------------------------------------------------------------------

@pytest.fixture
def stream_events(r: redis.Redis) -> Any:
    r.config_set("notify-keyspace-events", "Etg")
    yield r
    r.config_set("notify-keyspace-events", "")


def keyevents(pubsub: Any, until: tuple[bytes, bytes]) -> list[tuple[bytes, bytes]]:
    """(event, key) pairs received up to and including ``until`` (waits at most 5 s)."""
    got: list[tuple[bytes, bytes]] = []
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        message = pubsub.get_message(timeout=0.1)
        if message is None or message["type"] != "pmessage":
            continue
        got.append((message["channel"].split(b":", 1)[1], message["data"]))
        if got[-1] == until:
            break
    return got


def test_stream_keyspace_events(stream_events, make):
    r = stream_events
    pubsub = make(r).pubsub()
    pubsub.psubscribe("__keyevent@0__:*")
    assert pubsub.get_message(timeout=5)["type"] == "psubscribe"
    commands = [
        ("XADD", "s", "1-0", "f", "v"), ("XADD", "s", "MAXLEN", 1, "2-0", "f", "v"),
        ("XADD", "s", "MAXLEN", 5, "3-0", "f", "v"), ("XDEL", "s", "9-0"), ("XDEL", "s", "2-0"),
        ("XTRIM", "s", "MAXLEN", 5), ("XTRIM", "s", "MAXLEN", 0), ("XSETID", "s", "5-0"),
        ("XGROUP", "CREATE", "s", "g", "0"), ("XGROUP", "CREATE", "t", "g", "$", "MKSTREAM"),
        ("XGROUP", "SETID", "s", "g", "0"), ("XGROUP", "CREATECONSUMER", "s", "g", "a"),
        ("XGROUP", "CREATECONSUMER", "s", "g", "a"), ("XADD", "s", "6-0", "f", "v"),
        ("XREADGROUP", "GROUP", "g", "b", "STREAMS", "s", ">"), ("XACK", "s", "g", "6-0"),
        ("XCLAIM", "s", "g", "c", 0, "6-0", "FORCE"), ("XAUTOCLAIM", "s", "g", "d", 0, "0"),
        ("XGROUP", "DELCONSUMER", "s", "g", "zz"), ("XGROUP", "DELCONSUMER", "s", "g", "a"),
        ("XGROUP", "DESTROY", "s", "g"),
        ("DEL", "s"), ("XADD", "end", "1-0", "f", "v"),
    ]
    for command in commands:
        raw(r, *command)
    assert keyevents(pubsub, (b"xadd", b"end")) == [
        (b"xadd", b"s"), (b"xadd", b"s"), (b"xtrim", b"s"), (b"xadd", b"s"), (b"xdel", b"s"),
        (b"xtrim", b"s"), (b"xsetid", b"s"), (b"xgroup-create", b"s"), (b"xgroup-create", b"t"),
        (b"xgroup-setid", b"s"), (b"xgroup-createconsumer", b"s"), (b"xadd", b"s"),
        (b"xgroup-createconsumer", b"s"), (b"xgroup-createconsumer", b"s"),
        (b"xgroup-createconsumer", b"s"), (b"xgroup-delconsumer", b"s"),
        (b"xgroup-destroy", b"s"), (b"del", b"s"), (b"xadd", b"end"),
    ]
    pubsub.close()
