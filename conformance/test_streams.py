"""Streams without groups: XADD XRANGE XREVRANGE XLEN XDEL XTRIM XSETID XINFO STREAM XREAD."""

from __future__ import annotations

import re
from typing import Any

import pytest
import redis

from conformance.helpers import exchange, is_resp3, raw
from fakeredis import FakeRedis
from fakeredis.resp import encode

INVALID_ID = "Invalid stream ID specified as stream command argument"
WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"
MAX = "18446744073709551615-18446744073709551615"
ID_RE = re.compile(rb"\d+-\d+\Z")


def error(r: redis.Redis, *args: Any) -> str:
    with pytest.raises(redis.ResponseError) as exc:
        raw(r, *args)
    return str(exc.value)


def ids(entries: list) -> list[bytes]:
    return [entry[0] for entry in entries]


def split(stream_id: bytes) -> tuple[int, int]:
    ms, seq = stream_id.split(b"-")
    return int(ms), int(seq)


def fill(r: redis.Redis, key: str, n: int, start: int = 1) -> None:
    for i in range(start, start + n):
        raw(r, "XADD", key, f"{i}-0", "f", i)


# --- XADD ----------------------------------------------------------------------------------------

def test_xadd_generates_increasing_ids(r):
    first = raw(r, "XADD", "s", "*", "f", "v")
    second = raw(r, "XADD", "s", "*", "f", "v")
    assert ID_RE.match(first) and ID_RE.match(second)
    assert split(second) > split(first)
    assert raw(r, "XLEN", "s") == 2
    assert raw(r, "TYPE", "s") == b"stream"


def test_xadd_explicit_and_partial_ids(r):
    assert raw(r, "XADD", "s", "5", "a", "1") == b"5-0"
    assert raw(r, "XADD", "s", "5-*", "a", "2") == b"5-1"
    assert raw(r, "XADD", "s", "7-*", "a", "3") == b"7-0"
    assert raw(r, "XADD", "s", "7-10", "a", "4") == b"7-10"
    assert split(raw(r, "XADD", "s", "*", "a", "5")) > (7, 10)
    assert raw(r, "XADD", "t", "0-*", "a", "b") == b"0-1"


def test_xadd_id_errors(r):
    raw(r, "XADD", "s", "5-5", "a", "b")
    assert error(r, "XADD", "s", "5-5", "a", "b") == (
        "The ID specified in XADD is equal or smaller than the target stream top item")
    assert error(r, "XADD", "s", "4-*", "a", "b") == (
        "The ID specified in XADD is equal or smaller than the target stream top item")
    assert error(r, "XADD", "n", "0-0", "a", "b") == (
        "The ID specified in XADD must be greater than 0-0")
    assert raw(r, "EXISTS", "n") == 0
    for bad in ("x", "1-x", "-", "+", "1-", "-1", "1--1", "18446744073709551616"):
        assert error(r, "XADD", "s", bad, "a", "b") == INVALID_ID
    assert raw(r, "XLEN", "s") == 1


def test_xadd_max_id_and_exhaustion(r):
    assert raw(r, "XADD", "s", MAX, "a", "b") == MAX.encode()
    exhausted = "The stream has exhausted the last possible ID, unable to add more items"
    assert error(r, "XADD", "s", "*", "a", "b") == exhausted
    assert error(r, "XADD", "s", "18446744073709551615-*", "a", "b") == exhausted
    raw(r, "XADD", "t", "18446744073709551615-5", "a", "b")
    assert raw(r, "XADD", "t", "*", "a", "b") == b"18446744073709551615-6"


def test_xadd_lenient_number_forms(r):
    assert raw(r, "XADD", "s", " 5-1", "a", "b") == b"5-1"
    assert raw(r, "XADD", "s", "+6-01", "a", "b") == b"6-1"
    assert raw(r, "XADD", "s", "007", "a", "b") == b"7-0"


def test_xadd_arity_and_field_count(r):
    assert error(r, "XADD", "s", "*", "a") == "wrong number of arguments for 'xadd' command"
    assert error(r, "XADD", "s", "*", "a", "b", "c") == (
        "wrong number of arguments for 'xadd' command")
    assert error(r, "XADD", "s", "NOMKSTREAM", "*", "a") == (
        "wrong number of arguments for 'xadd' command")
    assert error(r, "XADD", "s", "a", "b") == "wrong number of arguments for 'xadd' command"


def test_xadd_nomkstream(r):
    assert raw(r, "XADD", "s", "NOMKSTREAM", "*", "a", "b") is None
    assert raw(r, "EXISTS", "s") == 0
    raw(r, "XADD", "s", "1-1", "a", "b")
    assert raw(r, "XADD", "s", "NOMKSTREAM", "2-1", "a", "b") == b"2-1"


def test_xadd_wrongtype(r):
    raw(r, "SET", "str", "x")
    assert error(r, "XADD", "str", "*", "a", "b") == WRONGTYPE
    assert error(r, "XADD", "str", "NOMKSTREAM", "*", "a", "b") == WRONGTYPE
    assert error(r, "XADD", "str", "MAXLEN", "-1", "*", "a", "b") == (
        "The MAXLEN argument must be >= 0.")


def test_xadd_option_errors(r):
    cases = {
        ("MAXLEN", "=", "LIMIT", "5"): "value is not an integer or out of range",
        ("MAXLEN", "5", "LIMIT", "5"): (
            "syntax error, LIMIT cannot be used without the special ~ option"),
        ("LIMIT", "5"): "syntax error, LIMIT cannot be used without specifying a trimming strategy",
        ("LIMIT", "0"): "syntax error, LIMIT cannot be used without the special ~ option",
        ("MAXLEN", "1", "MINID", "1"): (
            "syntax error, MAXLEN and MINID options at the same time are not compatible"),
        ("MINID", "1-*"): INVALID_ID,
        ("MAXLEN", "~", "5", "LIMIT", "-1"): "The LIMIT argument must be >= 0.",
        ("MAXLEN", "x"): "value is not an integer or out of range",
        ("foo",): INVALID_ID,
    }
    for options, message in cases.items():
        assert error(r, "XADD", "s", *options, "*", "a", "b") == message, options
    assert raw(r, "EXISTS", "s") == 0


def test_xadd_with_exact_trimming(r):
    fill(r, "s", 5)
    assert raw(r, "XADD", "s", "MAXLEN", "3", "6-0", "f", "6") == b"6-0"
    assert ids(raw(r, "XRANGE", "s", "-", "+")) == [b"4-0", b"5-0", b"6-0"]
    assert raw(r, "XADD", "s", "MINID", "=", "6", "7-0", "f", "7") == b"7-0"
    assert ids(raw(r, "XRANGE", "s", "-", "+")) == [b"6-0", b"7-0"]
    assert raw(r, "XADD", "s", "maxlen", "=", "0", "8-0", "f", "8") == b"8-0"
    assert raw(r, "XLEN", "s") == 0
    assert raw(r, "EXISTS", "s") == 1


# --- XRANGE / XREVRANGE --------------------------------------------------------------------------

def test_xrange_entries_and_count(r):
    fill(r, "s", 5)
    assert raw(r, "XRANGE", "s", "-", "+", "COUNT", 2) == [[b"1-0", [b"f", b"1"]],
                                                          [b"2-0", [b"f", b"2"]]]
    assert ids(raw(r, "XRANGE", "s", "2", "4")) == [b"2-0", b"3-0", b"4-0"]
    assert ids(raw(r, "XREVRANGE", "s", "+", "-", "COUNT", 2)) == [b"5-0", b"4-0"]
    assert ids(raw(r, "XREVRANGE", "s", "4", "2")) == [b"4-0", b"3-0", b"2-0"]
    assert raw(r, "XRANGE", "s", "4", "2") == []
    assert raw(r, "XRANGE", "nx", "-", "+") == []


def test_xrange_count_zero_or_negative_is_null(r):
    fill(r, "s", 2)
    assert raw(r, "XRANGE", "s", "-", "+", "COUNT", 0) is None
    assert raw(r, "XREVRANGE", "s", "+", "-", "COUNT", -1) is None
    assert raw(r, "XRANGE", "nx", "-", "+", "COUNT", 0) == []


def test_xrange_incomplete_and_exclusive_ids(r):
    for i in range(3):
        raw(r, "XADD", "s", f"5-{i}", "f", i)
    raw(r, "XADD", "s", "6-0", "f", "x")
    assert ids(raw(r, "XRANGE", "s", "5", "5")) == [b"5-0", b"5-1", b"5-2"]
    assert ids(raw(r, "XRANGE", "s", "(5", "+")) == [b"5-1", b"5-2", b"6-0"]
    assert ids(raw(r, "XRANGE", "s", "(5-1", "(6-0")) == [b"5-2"]
    assert ids(raw(r, "XREVRANGE", "s", "(6", "(5-0")) == [b"6-0", b"5-2", b"5-1"]
    assert ids(raw(r, "XREVRANGE", "s", "(6-0", "(5")) == [b"5-2", b"5-1"]


def test_xrange_errors(r):
    fill(r, "s", 1)
    assert error(r, "XRANGE", "s", "(-", "+") == INVALID_ID
    assert error(r, "XRANGE", "s", "-", "(0-0") == "invalid end ID for the interval"
    assert error(r, "XRANGE", "s", f"({MAX}", "+") == "invalid start ID for the interval"
    assert error(r, "XRANGE", "s", "x", "+") == INVALID_ID
    assert error(r, "XRANGE", "s", "-", "+", "COUNT") == "syntax error"
    assert error(r, "XRANGE", "s", "-", "+", "COUNT", "x") == (
        "value is not an integer or out of range")
    raw(r, "SET", "str", "x")
    assert error(r, "XRANGE", "str", "-", "+") == WRONGTYPE
    assert error(r, "XRANGE", "str", "x", "+") == INVALID_ID


def test_redis_py_xrange_shapes(r):
    raw(r, "XADD", "s", "1-1", "a", "1", "b", "2")
    assert r.xrange("s") == [(b"1-1", {b"a": b"1", b"b": b"2"})]
    assert r.xrevrange("s", "+", "-", count=1) == [(b"1-1", {b"a": b"1", b"b": b"2"})]


# --- XLEN / XDEL ---------------------------------------------------------------------------------

def test_xlen_and_xdel(r):
    fill(r, "s", 4)
    assert raw(r, "XDEL", "s", "2-0", "2-0", "3-0", "9-0") == 2
    assert raw(r, "XLEN", "s") == 2
    assert ids(raw(r, "XRANGE", "s", "-", "+")) == [b"1-0", b"4-0"]
    assert raw(r, "XDEL", "nx", "1-0") == 0
    assert raw(r, "XLEN", "nx") == 0
    assert error(r, "XDEL", "s", "1-0", "x") == INVALID_ID
    assert raw(r, "XLEN", "s") == 2
    assert raw(r, "XDEL", "s", "1-0", "4-0") == 2
    assert raw(r, "EXISTS", "s") == 1


def test_xdel_updates_info_counters(r):
    fill(r, "s", 3)
    raw(r, "XDEL", "s", "1-0", "2-0")
    info = r.xinfo_stream("s")
    assert info["max-deleted-entry-id"] == b"2-0"
    assert info["recorded-first-entry-id"] == b"3-0"
    assert info["entries-added"] == 3
    assert info["length"] == 1


# --- XTRIM ---------------------------------------------------------------------------------------

def test_xtrim_exact(r):
    fill(r, "s", 10)
    assert raw(r, "XTRIM", "s", "MAXLEN", 7) == 3
    assert raw(r, "XTRIM", "s", "MINID", "=", 6) == 2
    assert ids(raw(r, "XRANGE", "s", "-", "+", "COUNT", 1)) == [b"6-0"]
    assert raw(r, "XTRIM", "s", "MAXLEN", 10) == 0
    assert raw(r, "XTRIM", "nx", "MAXLEN", 1) == 0
    assert raw(r, "XTRIM", "s", "MAXLEN", 0) == 5
    assert raw(r, "XLEN", "s") == 0


def test_xtrim_errors(r):
    fill(r, "s", 2)
    assert error(r, "XTRIM", "s", "foo", "1") == "syntax error"
    assert error(r, "XTRIM", "s", "LIMIT", "1", "MAXLEN") == "syntax error"
    assert error(r, "XTRIM", "s", "MAXLEN", "1", "LIMIT", "1") == (
        "syntax error, LIMIT cannot be used without the special ~ option")
    assert error(r, "XTRIM", "s", "LIMIT", "1", "x") == "syntax error"
    assert error(r, "XTRIM", "s", "MINID", "-") == INVALID_ID
    raw(r, "SET", "str", "x")
    assert error(r, "XTRIM", "str", "MAXLEN", "1") == WRONGTYPE
    assert raw(r, "XLEN", "s") == 2


def test_approximate_trimming_removes_whole_nodes(r):
    for i in range(1, 351):
        raw(r, "XADD", "s", f"{i}-0", "f", "v")
    assert raw(r, "XTRIM", "s", "MAXLEN", "~", 260) == 0
    assert raw(r, "XTRIM", "s", "MAXLEN", "~", 160) == 100
    assert raw(r, "XLEN", "s") == 250
    assert raw(r, "XTRIM", "s", "MINID", "~", 320) == 200
    assert ids(raw(r, "XRANGE", "s", "-", "+", "COUNT", 1)) == [b"301-0"]
    assert raw(r, "XTRIM", "s", "MAXLEN", "~", 0, "LIMIT", 49) == 0
    assert raw(r, "XADD", "s", "MAXLEN", "~", 10, "400-0", "f", "v") == b"400-0"
    assert raw(r, "XLEN", "s") == 51
    assert raw(r, "XTRIM", "s", "MAXLEN", "~", 0, "LIMIT", 50) == 0
    assert raw(r, "XTRIM", "s", "MAXLEN", "~", 0, "LIMIT", 51) == 51
    assert raw(r, "XLEN", "s") == 0


def test_approximate_trimming_with_large_entries(r):
    big = "x" * 500
    for i in range(1, 41):
        raw(r, "XADD", "s", f"{i}-0", "f", big)
    assert r.xinfo_stream("s")["radix-tree-keys"] == 6  # 4096-byte listpacks hold 7 entries
    assert raw(r, "XTRIM", "s", "MAXLEN", "~", 20) == 14
    assert raw(r, "XLEN", "s") == 26


def test_xdel_of_a_whole_node_frees_it(r):
    for i in range(1, 201):
        raw(r, "XADD", "s", f"{i}-0", "f", "v")
    assert r.xinfo_stream("s")["radix-tree-keys"] == 2
    for i in range(1, 101):
        raw(r, "XDEL", "s", f"{i}-0")
    info = r.xinfo_stream("s")
    assert info["radix-tree-keys"] == 1
    assert info["radix-tree-nodes"] == 2
    raw(r, "XDEL", "s", "150-0")
    assert raw(r, "XTRIM", "s", "MAXLEN", "~", "0") == 99


# --- XSETID --------------------------------------------------------------------------------------

def test_xsetid(r):
    fill(r, "s", 3)
    assert raw(r, "XSETID", "s", "10-0") == b"OK"
    assert split(raw(r, "XADD", "s", "*", "f", "v")) > (10, 0)
    raw(r, "XADD", "t", "5-0", "f", "v")
    raw(r, "XADD", "t", "6-0", "f", "v")
    raw(r, "XDEL", "t", "6-0")
    assert raw(r, "XSETID", "t", "5-0") == b"OK"
    assert raw(r, "XSETID", "t", "6-0", "ENTRIESADDED", 9, "MAXDELETEDID", "6-0") == b"OK"
    info = r.xinfo_stream("t")
    assert (info["last-generated-id"], info["entries-added"], info["max-deleted-entry-id"]) == (
        b"6-0", 9, b"6-0")
    assert raw(r, "XSETID", "t", "6-0", "MAXDELETEDID", "0-0") == b"OK"
    assert r.xinfo_stream("t")["max-deleted-entry-id"] == b"6-0"


def test_xsetid_errors(r):
    fill(r, "s", 3)
    assert error(r, "XSETID", "s", "2-0") == (
        "The ID specified in XSETID is smaller than the target stream top item")
    assert error(r, "XSETID", "s", "3-0", "ENTRIESADDED", "-1") == "entries_added must be positive"
    assert error(r, "XSETID", "s", "3-0", "ENTRIESADDED", "2") == (
        "The entries_added specified in XSETID is smaller than the target stream length")
    assert error(r, "XSETID", "s", "3-0", "MAXDELETEDID", "4-0") == (
        "The ID specified in XSETID is smaller than the provided max_deleted_entry_id")
    assert error(r, "XSETID", "s", "3-0", "FOO") == "syntax error"
    assert error(r, "XSETID", "s", "+") == INVALID_ID
    assert error(r, "XSETID", "nx", "1-0") == "no such key"
    assert error(r, "XSETID", "s") == "wrong number of arguments for 'xsetid' command"


# --- XINFO STREAM --------------------------------------------------------------------------------

def test_xinfo_stream(r):
    raw(r, "XADD", "s", "1-1", "a", "1")
    raw(r, "XADD", "s", "2-1", "b", "2")
    reply = raw(r, "XINFO", "STREAM", "s")
    expected = {
        b"length": 2, b"radix-tree-keys": 1, b"radix-tree-nodes": 2,
        b"last-generated-id": b"2-1", b"max-deleted-entry-id": b"0-0", b"entries-added": 2,
        b"recorded-first-entry-id": b"1-1", b"groups": 0,
        b"first-entry": [b"1-1", [b"a", b"1"]], b"last-entry": [b"2-1", [b"b", b"2"]],
    }
    if is_resp3(r):
        assert reply == expected
    else:
        assert reply == [x for pair in expected.items() for x in pair]


def test_xinfo_stream_empty_and_errors(r):
    raw(r, "XADD", "s", "1-1", "a", "1")
    raw(r, "XDEL", "s", "1-1")
    info = r.xinfo_stream("s")
    assert info["first-entry"] is None and info["last-entry"] is None
    assert info["radix-tree-nodes"] == 1 and info["radix-tree-keys"] == 0
    assert info["recorded-first-entry-id"] == b"0-0"
    assert error(r, "XINFO", "STREAM", "nx") == "no such key"
    assert error(r, "XINFO", "STREAM", "s", "FULL", "COUNT") == (
        "unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP.")
    assert error(r, "XINFO", "STREAM", "s", "FOO") == (
        "unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP.")
    assert error(r, "XINFO", "STREAM", "s", "FULL", "COUNT", "x") == (
        "value is not an integer or out of range")


def test_xinfo_radix_tree_nodes_follow_redis(r):
    for i in range(1, 1001):
        raw(r, "XADD", "s", f"{i * 37}-{i % 3}", "f", "v")
    for n in (1000, 800, 450):
        raw(r, "XTRIM", "s", "MAXLEN", "~", n)
        info = r.xinfo_stream("s")
        assert info["radix-tree-keys"] == (n + 99) // 100
    info = r.xinfo_stream("s")
    assert info["radix-tree-nodes"] == EXPECTED_NODES_FOR_450


EXPECTED_NODES_FOR_450 = 12


def as_map(reply: Any) -> dict:
    """A RESP3 map, or a RESP2 flat array of pairs, as a dict."""
    return reply if isinstance(reply, dict) else dict(zip(reply[::2], reply[1::2]))


def test_xinfo_stream_full(r):
    fill(r, "s", 12)
    full = as_map(raw(r, "XINFO", "STREAM", "s", "FULL"))
    assert ids(full[b"entries"]) == [b"%d-0" % i for i in range(1, 11)]
    assert full[b"groups"] == []
    assert len(as_map(raw(r, "XINFO", "STREAM", "s", "FULL", "COUNT", 0))[b"entries"]) == 12
    assert len(as_map(raw(r, "XINFO", "STREAM", "s", "FULL", "COUNT", 3))[b"entries"]) == 3


def _wire(r: redis.Redis, *argv: bytes) -> bytes:
    """The bytes of a command's reply as the server sends them, in the client's protocol."""
    protocol = 3 if is_resp3(r) else 2
    if isinstance(r, FakeRedis):  # in-process: the engine's reply as the TCP server would encode it
        return encode(r.server.execute(r.server.new_session(), list(argv)), protocol)
    hello = b"HELLO 3\r\n" if protocol == 3 else b""
    return exchange(r, hello + b" ".join(argv) + b"\r\n")


@pytest.mark.parametrize("container", [b"XINFO", b"XGROUP"])
def test_help_lines_are_simple_strings(r, container):
    lines = raw(r, container, "HELP")
    assert lines[0].startswith(container + b" <subcommand> [<arg> [value] [opt] ...].")
    assert lines[-2:] == [b"HELP", b"    Prints this help."]
    simple = b"*%d\r\n" % len(lines) + b"".join(b"+" + line + b"\r\n" for line in lines)
    assert simple in _wire(r, container, b"HELP")


# --- XREAD (not blocking) -------------------------------------------------------------------------

def test_xread_several_streams(r):
    fill(r, "a", 3)
    fill(r, "b", 2)
    reply = raw(r, "XREAD", "COUNT", 2, "STREAMS", "a", "b", "nx", "1-0", "0", "0")
    expected = [[b"a", [[b"2-0", [b"f", b"2"]], [b"3-0", [b"f", b"3"]]]],
                [b"b", [[b"1-0", [b"f", b"1"]], [b"2-0", [b"f", b"2"]]]]]
    if is_resp3(r):
        assert reply == dict((k, v) for k, v in expected)
    else:
        assert reply == expected
    assert raw(r, "XREAD", "STREAMS", "a", "$") is None
    assert raw(r, "XREAD", "STREAMS", "a", "3-0") is None
    assert raw(r, "XREAD", "STREAMS", "nx", "0") is None


def test_redis_py_xread(r):
    fill(r, "a", 2)
    reply = r.xread({"a": "1-0"})
    entries = [(b"2-0", {b"f": b"2"})]
    if is_resp3(r):
        assert reply == {b"a": [entries]}
    else:
        assert reply == [[b"a", entries]]


def test_xread_errors(r):
    fill(r, "a", 1)
    raw(r, "SET", "str", "x")
    cases = {
        ("STREAMS", "a", "b", "c"): (
            "Unbalanced XREAD list of streams: for each stream key an ID or '$' must be "
            "specified."),
        ("GROUP", "g", "c", "STREAMS", "a", "0"): (
            "The GROUP option is only supported by XREADGROUP. You called XREAD instead."),
        ("NOACK", "STREAMS", "a", "0"): (
            "The NOACK option is only supported by XREADGROUP. You called XREAD instead."),
        ("STREAMS", "a", ">"): ("The > ID can be specified only when calling XREADGROUP using "
                                "the GROUP <group> <consumer> option."),
        ("BLOCK", "-1", "STREAMS", "a", "$"): "timeout is negative",
        ("BLOCK", "1.5", "STREAMS", "a", "$"): "timeout is not an integer or out of range",
        ("COUNT", "x", "STREAMS", "a", "$"): "value is not an integer or out of range",
        ("FOO", "STREAMS", "a", "$"): "syntax error",
        ("COUNT", "1", "BLOCK", "1"): "syntax error",
        ("STREAMS", "a", "x"): INVALID_ID,
        ("STREAMS", "str", "a", "0", "x"): WRONGTYPE,
    }
    for args, message in cases.items():
        assert error(r, "XREAD", *args) == message, args


def test_xread_count_zero_and_negative_mean_all(r):
    fill(r, "a", 3)
    for count in (0, -5):
        reply = raw(r, "XREAD", "COUNT", count, "STREAMS", "a", "0")
        entries = reply[b"a"] if is_resp3(r) else reply[0][1]
        assert len(entries) == 3


# --- keyspace events and transactions -------------------------------------------------------------

def test_stream_commands_in_multi(r):
    pipe = r.pipeline(transaction=True)
    pipe.xadd("s", {"a": "1"}, id="1-0")
    pipe.xadd("s", {"a": "2"}, id="2-0")
    pipe.xlen("s")
    pipe.xread({"s": "$"}, block=0)
    assert pipe.execute()[:3] == [b"1-0", b"2-0", 2]


def test_watch_sees_xadd(r, make):
    other = make(r)
    raw(r, "XADD", "s", "1-0", "a", "1")
    with r.pipeline() as pipe:
        pipe.watch("s")
        raw(other, "XADD", "s", "2-0", "a", "1")
        pipe.multi()
        pipe.xlen("s")
        with pytest.raises(redis.WatchError):
            pipe.execute()


def test_command_getkeys_for_reads(r):
    assert raw(r, "COMMAND", "GETKEYS", "XREAD", "COUNT", 2, "BLOCK", 0, "STREAMS", "a", "b", 0,
               0) == [b"a", b"b"]
    assert raw(r, "COMMAND", "GETKEYS", "XREADGROUP", "GROUP", "g", "c", "NOACK", "STREAMS", "a",
               ">") == [b"a"]
    assert raw(r, "COMMAND", "GETKEYS", "XADD", "s", "*", "f", "v") == [b"s"]
    assert raw(r, "COMMAND", "GETKEYS", "XGROUP", "CREATE", "s", "g", "$") == [b"s"]


def test_node_size_follows_the_config(r):
    r.config_set("stream-node-max-entries", 10)
    r.config_set("stream-node-max-bytes", 0)
    try:
        for i in range(1, 36):
            raw(r, "XADD", "s", f"{i}-0", "f", "x" * 300)
        assert r.xinfo_stream("s")["radix-tree-keys"] == 4
        assert raw(r, "XTRIM", "s", "MAXLEN", "~", 12) == 20
        assert raw(r, "XADD", "s", "MAXLEN", "~", 0, "LIMIT", 10, "36-0", "f", "v") == b"36-0"
        assert raw(r, "XLEN", "s") == 6
    finally:
        r.config_set("stream-node-max-entries", 100)
        r.config_set("stream-node-max-bytes", 4096)


def test_xdel_looks_up_the_key_before_parsing_ids(r):
    assert raw(r, "XDEL", "missing", "not-an-id") == 0
    raw(r, "SET", "string", "v")
    with pytest.raises(redis.ResponseError) as exc:
        raw(r, "XDEL", "string", "not-an-id")
    assert str(exc.value).startswith("WRONGTYPE")
    raw(r, "XADD", "s", "1-1", "f", "v")
    with pytest.raises(redis.ResponseError) as exc:
        raw(r, "XDEL", "s", "not-an-id")
    assert str(exc.value) == "Invalid stream ID specified as stream command argument"


NODE_VALUES = ["v", "127", "128", "-1", "4095", "-4096", "32767", "32768", "8388607", "8388608",
               "2147483647", "2147483648", "9223372036854775807", "9223372036854775808", "007",
               "-0", "x" * 62, "x" * 63, "x" * 64, ""]
# node count of the stream below for stream-node-max-bytes 150, 153, ... 447: (count, how many)
NODE_COUNTS = [(18, 4), (17, 1), (16, 4), (15, 1), (14, 6), (13, 3), (12, 7), (11, 19), (10, 4),
               (9, 11), (8, 7), (7, 19), (6, 14)]


def _mixed_stream(r: redis.Redis) -> int:
    """60 entries of integer and string values, three field sets, small and huge id deltas."""
    raw(r, "DEL", "s")
    ms, seq = 1, 5
    for i in range(60):
        names = [["f"], ["f", "g"], ["h"]][i % 7 % 3]
        fields = {name: NODE_VALUES[(i * 7 + k) % len(NODE_VALUES)]
                  for k, name in enumerate(names)}
        ms += [0, 1, 200, 70000, 1 << 40][i % 5]
        seq = seq + 1 if i % 5 == 0 else [0, 3, 1 << 33][i % 3]
        r.xadd("s", fields, id=f"{ms}-{seq}")
    return r.xinfo_stream("s")["radix-tree-keys"]


def test_node_bytes_follow_listpack_encodings(r):
    """Sweeping stream-node-max-bytes finds any byte the node size model gets wrong."""
    r.config_set("stream-node-max-entries", 0)
    try:
        counts = []
        for limit in range(150, 450, 3):
            r.config_set("stream-node-max-bytes", limit)
            counts.append(_mixed_stream(r))
        assert counts == [count for count, times in NODE_COUNTS for _ in range(times)]
        r.config_set("stream-node-max-bytes", 300)
        _mixed_stream(r)
        assert r.xtrim("s", maxlen=20, approximate=True) == 37
        assert r.xlen("s") == 23
    finally:
        r.config_set("stream-node-max-entries", 100)
        r.config_set("stream-node-max-bytes", 4096)
