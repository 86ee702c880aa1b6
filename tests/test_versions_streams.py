"""FakeServer(version=...) for the stream commands: XADD/XTRIM options, ranges, XPENDING,
XAUTOCLAIM/XCLAIM, XSETID, XGROUP, XINFO and their HELP texts.

Expected replies were taken from real Redis 6.0.9, 6.2.14 and 7.0.15 servers.
"""

from __future__ import annotations

import threading

import pytest

from fakeredis import FakeRedis, FakeServer
from fakeredis.errors import ReplyError
from fakeredis.replies import OK, Status
from tests.versioning import SYNTAX, arity, run, unknown_subcommand

INVALID_ID = ReplyError("ERR Invalid stream ID specified as stream command argument")
NOT_INTEGER = ReplyError("ERR value is not an integer or out of range")
NO_KEY = ReplyError("ERR no such key")
WRONGTYPE = ReplyError("WRONGTYPE Operation against a key holding the wrong kind of value")


def with_entries(version: str, *ids: str) -> FakeServer:
    """A server of ``version`` with stream ``s`` holding ``ids`` (field a, value 1)."""
    server = FakeServer(version=version)
    for stream_id in ids:
        run(server, "XADD", "s", stream_id, "a", "1")
    return server


def with_pending(version: str) -> FakeServer:
    """Entries 1-1, 2-1 and 3-1 delivered to consumer c of group g, then 2-1 deleted."""
    server = with_entries(version, "1-1", "2-1", "3-1")
    run(server, "XGROUP", "CREATE", "s", "g", "0")
    run(server, "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">")
    run(server, "XDEL", "s", "2-1")
    return server


# --- XADD / XTRIM ---------------------------------------------------------------------------------
@pytest.mark.parametrize("options", [["NOMKSTREAM"], ["MINID", "3"], ["MINID", "~", "3"],
                                     ["MAXLEN", "~", "10", "LIMIT", "5"], ["LIMIT", "5"],
                                     ["MAXLEN", "10", "MINID", "3"]])
def test_xadd_options_of_6_2_are_read_as_ids_in_6_0(options: list[str]) -> None:
    server = with_entries("6.0", "1-1")
    assert run(server, "XADD", "s", *options, "*", "a", "1") == INVALID_ID
    assert run(server, "XLEN", "s") == 1
    assert run(FakeServer(version="6.2"), "XADD", "s", *options, "*", "a", "1") != INVALID_ID


def test_xadd_maxlen_works_in_6_0() -> None:
    server = with_entries("6.0", "1-1", "2-1")
    assert run(server, "XADD", "s", "MAXLEN", "=", "2", "3-1", "a", "1") == b"3-1"
    assert run(server, "XADD", "s", "MAXLEN", "2", "4-1", "a", "1") == b"4-1"
    assert run(server, "XLEN", "s") == 2


def test_xadd_nomkstream_arrived_in_6_2() -> None:
    assert run(FakeServer(version="6.2"), "XADD", "s", "NOMKSTREAM", "*", "a", "1") is None
    server = FakeServer(version="6.0")
    assert run(server, "XADD", "s", "NOMKSTREAM", "*", "a", "1") == INVALID_ID
    assert run(server, "EXISTS", "s") == 0


@pytest.mark.parametrize("version", ["6.0", "6.2"])
def test_xadd_ms_star_id_arrived_in_7_0(version: str) -> None:
    server = with_entries(version, "5-1")
    assert run(server, "XADD", "s", "10-*", "a", "1") == INVALID_ID
    assert run(with_entries("7.0", "5-1"), "XADD", "s", "10-*", "a", "1") == b"10-0"


@pytest.mark.parametrize("options", [["MINID", "2"], ["MINID", "~", "2"],
                                     ["MAXLEN", "~", "1", "LIMIT", "1"], ["LIMIT", "1"],
                                     ["MAXLEN", "1", "LIMIT", "1"]])
def test_xtrim_minid_and_limit_are_syntax_errors_in_6_0(options: list[str]) -> None:
    server = with_entries("6.0", "1-1", "2-1", "3-1")
    assert run(server, "XTRIM", "s", *options) == SYNTAX
    assert run(server, "XLEN", "s") == 3


def test_xtrim_in_6_0_looks_the_key_up_before_its_options() -> None:
    server = FakeServer(version="6.0")
    run(server, "SET", "str", "x")
    assert run(server, "XTRIM", "nokey", "MINID", "1") == 0
    assert run(server, "XTRIM", "nokey", "FOO", "1") == 0
    assert run(server, "XTRIM", "str", "FOO", "1") == WRONGTYPE
    assert run(FakeServer(version="6.2"), "XTRIM", "nokey", "FOO", "1") == SYNTAX


def test_xtrim_takes_a_bare_key_in_6_0() -> None:
    server = with_entries("6.0", "1-1")
    assert run(server, "XTRIM", "nokey") == 0
    assert run(server, "XTRIM", "s") == ReplyError(
        "ERR XTRIM called without an option to trim the stream")
    assert run(server, "XTRIM", "s", "MAXLEN") == SYNTAX
    assert run(server, "COMMAND", "INFO", "xtrim")[0][1] == -2
    assert run(with_entries("6.2", "1-1"), "XTRIM", "s") == arity("xtrim")


def test_xtrim_minid_works_in_6_2() -> None:
    server = with_entries("6.2", "1-1", "2-1", "3-1")
    assert run(server, "XTRIM", "s", "MINID", "2") == 1
    assert run(server, "XTRIM", "s", "MAXLEN", "~", "1", "LIMIT", "1") == 0


# --- ranges ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("argv", [["XRANGE", "s", "(1-1", "+"], ["XRANGE", "s", "-", "(3-1"],
                                  ["XREVRANGE", "s", "(3-1", "-"], ["XRANGE", "nokey", "(1", "+"],
                                  ["XRANGE", "s", "(0-0", "+"]])
def test_exclusive_ranges_are_invalid_ids_in_6_0(argv: list[str]) -> None:
    assert run(with_entries("6.0", "1-1", "2-1", "3-1"), *argv) == INVALID_ID


def test_exclusive_ranges_arrived_in_6_2() -> None:
    server = with_entries("6.2", "1-1", "2-1", "3-1")
    assert run(server, "XRANGE", "s", "(1-1", "(3-1") == [[b"2-1", [b"a", b"1"]]]
    assert run(server, "XREVRANGE", "s", "+", "(2-1") == [[b"3-1", [b"a", b"1"]]]


# --- XPENDING -------------------------------------------------------------------------------------
@pytest.mark.parametrize("args, reply", [
    (["IDLE", "0", "-", "+", "10"], SYNTAX), (["IDLE", "0", "-", "+", "10", "c"], SYNTAX),
    (["-", "+", "10", "c", "x"], SYNTAX), (["IDLE", "0", "-", "+"], NOT_INTEGER),
    (["(1-1", "+", "10"], INVALID_ID), (["-", "(2-1", "10"], INVALID_ID),
])
def test_xpending_idle_and_exclusive_ranges_are_errors_in_6_0(args: list[str],
                                                              reply: ReplyError) -> None:
    assert run(with_pending("6.0"), "XPENDING", "s", "g", *args) == reply


def test_xpending_idle_arrived_in_6_2() -> None:
    server = with_pending("6.2")
    assert [row[0] for row in run(server, "XPENDING", "s", "g", "IDLE", "0", "(1-1", "+", "10",
                                  "c")] == [b"2-1", b"3-1"]
    assert [row[0] for row in run(with_pending("6.0"), "XPENDING", "s", "g", "-", "+", "10",
                                  "c")] == [b"1-1", b"2-1", b"3-1"]


# --- claiming -------------------------------------------------------------------------------------
def test_xautoclaim_arrived_in_6_2_with_a_two_element_reply() -> None:
    assert run(with_pending("6.0"), "XAUTOCLAIM", "s", "g", "c2", "0", "0") == ReplyError(
        "ERR unknown command `XAUTOCLAIM`, with args beginning with: `s`, `g`, `c2`, `0`, `0`, ")
    server = with_pending("6.2")
    assert run(server, "XAUTOCLAIM", "s", "g", "c2", "0", "0", "COUNT", "1") == [
        b"2-1", [[b"1-1", [b"a", b"1"]]]]
    assert run(server, "XAUTOCLAIM", "s", "g", "c2", "0", "(1-1", "JUSTID") == [
        b"0-0", [b"2-1", b"3-1"]]


def test_xautoclaim_before_7_0_claims_deleted_entries_as_nil() -> None:
    server = with_pending("6.2")
    assert run(server, "XAUTOCLAIM", "s", "g", "c2", "0", "0") == [
        b"0-0", [[b"1-1", [b"a", b"1"]], None, [b"3-1", [b"a", b"1"]]]]
    assert run(server, "XPENDING", "s", "g") == [3, b"1-1", b"3-1", [[b"c2", b"3"]]]
    server = with_pending("7.0")
    assert run(server, "XAUTOCLAIM", "s", "g", "c2", "0", "0") == [
        b"0-0", [[b"1-1", [b"a", b"1"]], [b"3-1", [b"a", b"1"]]], [b"2-1"]]
    assert run(server, "XPENDING", "s", "g")[0] == 2


@pytest.mark.parametrize("version", ["6.0", "6.2"])
def test_xclaim_before_7_0_claims_deleted_entries_as_nil(version: str) -> None:
    server = with_pending(version)
    assert run(server, "XCLAIM", "s", "g", "c2", "0", "1-1", "2-1") == [
        [b"1-1", [b"a", b"1"]], None]
    assert run(server, "XCLAIM", "s", "g", "c3", "0", "2-1", "JUSTID") == [b"2-1"]
    assert run(server, "XPENDING", "s", "g")[0] == 3
    server = with_pending("7.0")
    assert run(server, "XCLAIM", "s", "g", "c2", "0", "1-1", "2-1") == [[b"1-1", [b"a", b"1"]]]
    assert run(server, "XPENDING", "s", "g")[0] == 2


# --- blocked XREADGROUP ---------------------------------------------------------------------------
def blocked_xreadgroup(server: FakeServer, *then: list[str]) -> list:
    """What a reader blocked for an hour on group g of ``s`` gets after ``then`` and the hour."""
    r = FakeRedis(server=server, protocol=2)
    replies: list = []

    def read() -> None:
        try:
            replies.append(r.xreadgroup("g", "c", {"s": ">"}, block=3_600_000))
        except Exception as exc:  # the error reply is the outcome under test
            replies.append(str(exc))

    thread = threading.Thread(target=read)
    thread.start()
    for _ in range(500):
        if any(session.blocked for session in server.clients.values()):
            break
        thread.join(0.01)
    for argv in then:
        run(server, *argv)
    thread.join(0.2)
    waiting = thread.is_alive()
    server.advance_time(3601)
    thread.join(10)
    return [waiting, *replies]


@pytest.mark.parametrize("version, then, outcome", [
    ("6.2", ["DEL", "s"], [True, []]), ("6.2", ["SET", "s", "x"], [True, []]),
    ("7.0", ["DEL", "s"], [False, "UNBLOCKED the stream key no longer exists"]),
    ("5.0", ["XGROUP", "DESTROY", "s", "g"], [True, []]),
    ("6.0", ["XGROUP", "DESTROY", "s", "g"],
     [False, "NOGROUP the consumer group this client was blocked on no longer exists"]),
])
def test_blocked_xreadgroup_keeps_waiting_for_a_deleted_stream_before_7_0(
        version: str, then: list[str], outcome: list) -> None:
    server = with_entries(version, "1-1")
    run(server, "XGROUP", "CREATE", "s", "g", "$")
    assert blocked_xreadgroup(server, then) == outcome


# --- XSETID ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("options", [["ENTRIESADDED", "5"], ["MAXDELETEDID", "1-0"], ["x"]])
def test_xsetid_options_are_arity_errors_before_7_0(options: list[str]) -> None:
    for version in ("6.0", "6.2"):
        server = with_entries(version, "1-1")
        assert run(server, "XSETID", "s", "6-0", *options) == arity("xsetid")
        assert run(server, "XSETID", "s", "5-0") == OK
    assert run(with_entries("7.0", "1-1"), "XSETID", "s", "6-0", "ENTRIESADDED", "5") == OK


# --- XGROUP ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("sub, args", [
    ("CREATE", ["g2", "0", "ENTRIESREAD", "3"]), ("CREATE", ["g2", "0", "MKSTREAM", "MKSTREAM"]),
    ("CREATE", ["g2", "0", "FOO"]), ("CREATE", ["g2", "0", "MKSTREAM", "ENTRIESREAD", "3"]),
    ("SETID", ["g", "0", "ENTRIESREAD", "2"]), ("SETID", ["g", "0", "x"]),
])
def test_xgroup_entriesread_arrived_in_7_0(sub: str, args: list[str]) -> None:
    for version in ("6.0", "6.2"):
        server = with_entries(version, "1-1")
        run(server, "XGROUP", "CREATE", "s", "g", "$")
        assert run(server, "XGROUP", sub, "s", *args) == unknown_subcommand("XGROUP", sub)


NO_STREAM = ReplyError(
    "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to "
    "use the MKSTREAM option to create an empty stream automatically.")


@pytest.mark.parametrize("argv, reply", [
    (["CREATE", "nokey", "g", "0", "FOO"], unknown_subcommand("XGROUP", "CREATE")),
    (["CREATE", "str", "g", "0", "FOO"], unknown_subcommand("XGROUP", "CREATE")),
    (["CREATE", "nokey", "g", "0", "MKSTREAM", "MKSTREAM"], NO_STREAM),
    (["CREATE", "nokey", "g"], NO_STREAM), (["SETID", "nokey", "g", "0", "x"], NO_STREAM),
    (["SETID", "nokey", "g"], NO_STREAM), (["DESTROY", "nokey", "g", "x"], NO_STREAM),
    (["DELCONSUMER", "nokey", "g"], NO_STREAM), (["DELCONSUMER", "str", "g"], WRONGTYPE),
    (["DESTROY", "s", "g", "x"], unknown_subcommand("XGROUP", "DESTROY")),
    (["CREATE", "s"], unknown_subcommand("XGROUP", "CREATE")),
])
def test_xgroup_before_7_0_looks_the_key_up_before_counting_arguments(
        argv: list[str], reply: ReplyError) -> None:
    for version in ("6.0", "6.2"):
        server = with_entries(version, "1-1")
        run(server, "SET", "str", "x")
        assert run(server, "XGROUP", *argv) == reply
    server = with_entries("7.0", "1-1")
    assert run(server, "XGROUP", "DESTROY", "nokey", "g", "x") == arity("xgroup|destroy")


def test_xgroup_create_mkstream_before_7_0() -> None:
    server = FakeServer(version="6.0")
    assert run(server, "XGROUP", "CREATE", "s", "g", "$", "mkstream") == OK
    assert run(server, "XINFO", "GROUPS", "s") == [
        {b"name": b"g", b"consumers": 0, b"pending": 0, b"last-delivered-id": b"0-0"}]
    assert run(server, "XGROUP", "SETID", "s", "g", "5-0") == OK
    assert run(server, "XGROUP", "DESTROY", "s", "g") == 1


def test_xgroup_createconsumer_arrived_in_6_2() -> None:
    for version, reply in (("6.0", unknown_subcommand("XGROUP", "CREATECONSUMER")), ("6.2", 1)):
        server = with_entries(version, "1-1")
        run(server, "XGROUP", "CREATE", "s", "g", "0")
        assert run(server, "XGROUP", "CREATECONSUMER", "s", "g", "c") == reply


# --- XINFO ----------------------------------------------------------------------------------------
def test_xinfo_stream_and_groups_have_the_7_0_fields_only_from_7_0() -> None:
    for version in ("6.0", "6.2"):
        server = with_entries(version, "1-1")
        run(server, "XGROUP", "CREATE", "s", "g", "0")
        assert run(server, "XINFO", "STREAM", "s") == {
            b"length": 1, b"radix-tree-keys": 1, b"radix-tree-nodes": 2,
            b"last-generated-id": b"1-1", b"groups": 1, b"first-entry": [b"1-1", [b"a", b"1"]],
            b"last-entry": [b"1-1", [b"a", b"1"]]}
        assert run(server, "XINFO", "GROUPS", "s") == [
            {b"name": b"g", b"consumers": 0, b"pending": 0, b"last-delivered-id": b"0-0"}]
        full = run(server, "XINFO", "STREAM", "s", "FULL")
        assert list(full) == [b"length", b"radix-tree-keys", b"radix-tree-nodes",
                              b"last-generated-id", b"entries", b"groups"]
        assert list(full[b"groups"][0]) == [b"name", b"last-delivered-id", b"pel-count",
                                            b"pending", b"consumers"]
    server = with_entries("7.0", "1-1")
    run(server, "XGROUP", "CREATE", "s", "g", "0")
    assert run(server, "XINFO", "GROUPS", "s")[0][b"lag"] == 1
    assert run(server, "XINFO", "STREAM", "s")[b"entries-added"] == 1


@pytest.mark.parametrize("version, text", [
    ("6.0", "ERR syntax error, try 'XINFO HELP'"),
    ("6.2", "ERR Unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP."),
])
def test_xinfo_without_a_key_before_7_0(version: str, text: str) -> None:
    assert run(FakeServer(version=version), "XINFO", "STREAM") == ReplyError(text)


@pytest.mark.parametrize("version", ["6.0", "6.2"])
def test_xinfo_before_7_0_looks_the_key_up_before_counting_arguments(version: str) -> None:
    server = with_entries(version, "1-1")
    run(server, "SET", "str", "x")
    assert run(server, "XINFO", "CONSUMERS", "nokey") == NO_KEY
    assert run(server, "XINFO", "GROUPS", "str", "x") == WRONGTYPE
    assert run(server, "XINFO", "CONSUMERS", "s") == unknown_subcommand("XINFO", "CONSUMERS")
    assert run(server, "XINFO", "STREAM", "s", "FULL", "COUNT") == unknown_subcommand(
        "XINFO", "STREAM")
    assert run(server, "XINFO", "STREAM", "s", "full", "count", "1")[b"entries"] == [
        [b"1-1", [b"a", b"1"]]]


@pytest.mark.parametrize("version, first", [
    ("6.0", b"XINFO <subcommand> arg arg ... arg. Subcommands are:"),
    ("6.2", b"XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"),
])
def test_xinfo_help_before_7_0_takes_any_arguments(version: str, first: bytes) -> None:
    reply = run(FakeServer(version=version), "XINFO", "HELP", "x", "y")
    assert reply[0] == first
    assert len(reply) == 9
    assert run(FakeServer(version="7.0"), "XINFO", "HELP", "x") == arity("xinfo|help")


@pytest.mark.parametrize("version, lines, last", [
    ("6.0", 7, b"HELP                                     -- Prints this help."),
    ("6.2", 14, b"    Prints this help."), ("7.0", 17, b"    Prints this help."),
])
def test_xgroup_help_is_that_of_the_version(version: str, lines: int, last: bytes) -> None:
    reply = run(FakeServer(version=version), "XGROUP", "HELP")
    assert len(reply) == lines
    assert reply[-1] == last


@pytest.mark.parametrize("version", ["5.0", "6.0", "6.2", "7.0"])
@pytest.mark.parametrize("container", ["XINFO", "XGROUP"])
def test_help_lines_are_simple_strings(version: str, container: str) -> None:
    reply = run(FakeServer(version=version), container, "HELP")
    assert all(type(line) is Status for line in reply)


# --- 5.0 ------------------------------------------------------------------------------------------
def test_xinfo_stream_in_5_0_has_no_full_form_and_lists_groups_first() -> None:
    server = with_entries("5.0", "1-1")
    assert list(run(server, "XINFO", "STREAM", "s")) == [
        b"length", b"radix-tree-keys", b"radix-tree-nodes", b"groups", b"last-generated-id",
        b"first-entry", b"last-entry"]
    assert run(server, "XINFO", "STREAM", "s", "FULL") == unknown_subcommand("XINFO", "STREAM")
    assert run(server, "XINFO", "STREAM", "nokey", "FULL") == NO_KEY
    assert len(run(server, "XINFO", "HELP")) == 5


def test_xgroup_help_in_5_0_ignores_one_argument() -> None:
    server = FakeServer(version="5.0")
    assert len(run(server, "XGROUP", "HELP", "x")) == 7
    assert run(server, "XGROUP", "HELP", "x", "y") == NO_STREAM
    assert run(FakeServer(version="6.0"), "XGROUP", "HELP", "x") == unknown_subcommand(
        "XGROUP", "HELP")


def test_xadd_past_the_last_id_is_worded_as_too_small_in_5_0() -> None:
    for version, text in (
            ("5.0", "ERR The ID specified in XADD is equal or smaller than the target stream "
                    "top item"),
            ("6.0", "ERR The stream has exhausted the last possible ID, unable to add more items")):
        server = with_entries(version, "18446744073709551615-18446744073709551615")
        assert run(server, "XADD", "s", "*", "a", "1") == ReplyError(text)
