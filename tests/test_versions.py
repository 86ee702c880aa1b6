"""FakeServer(version=...): commands, options and arities as that Redis had them."""

from __future__ import annotations

from typing import Any

import pytest
import redis

import fakeredis
from fakeredis import FakeServer, registry
from fakeredis.errors import ReplyError
from fakeredis.replies import OK
from tests.versioning import SYNTAX, arity, run, unknown


@pytest.mark.parametrize("version", ["6.0", (6, 0), "6.0.0", (6, 0, 0)])
def test_version_spellings(version: Any) -> None:
    assert FakeServer(version=version).version == (6, 0, 0)


# --- SET ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("options", [["GET"], ["EXAT", "4102444800"], ["PXAT", "4102444800000"],
                                     ["XX", "GET"], ["GET", "EX", "10"], ["get"], ["pxat", "1"]])
def test_set_options_of_6_2_are_syntax_errors_in_6_0(options: list[str]) -> None:
    old = FakeServer(version="6.0")
    run(old, "SET", "k", "old")
    assert run(old, "SET", "k", "v", *options) == SYNTAX
    assert run(old, "GET", "k") == b"old"
    new = FakeServer(version="6.2")
    run(new, "SET", "k", "old")
    assert run(new, "SET", "k", "v", *options) in (b"old", OK)


def test_set_in_6_2_returns_the_old_value_and_sets_absolute_expiries() -> None:
    server = FakeServer(version="6.2")
    assert run(server, "SET", "k", "a", "GET") is None
    assert run(server, "SET", "k", "b", "GET", "EXAT", "4102444800") == b"a"
    assert run(server, "TTL", "k") > 0
    assert run(server, "SET", "k", "c", "PXAT", "4102444800000") == OK


@pytest.mark.parametrize("options", [["NX", "GET"], ["GET", "NX"], ["nx", "get", "EX", "10"]])
def test_set_nx_with_get_is_a_syntax_error_before_7_0(options: list[str]) -> None:
    for version in ("6.0", "6.2", "6.2.14"):
        server = FakeServer(version=version)
        assert run(server, "SET", "k", "v", *options) == SYNTAX
        assert run(server, "EXISTS", "k") == 0
    server = FakeServer(version="7.0")
    assert run(server, "SET", "k", "v", *options) is None
    assert run(server, "SET", "k", "w", *options) == b"v"


def test_set_nx_and_xx_alone_stay_valid_in_6_2() -> None:
    server = FakeServer(version="6.2")
    assert run(server, "SET", "k", "v", "NX") == OK
    assert run(server, "SET", "k", "w", "NX") is None
    assert run(server, "SET", "k", "w", "XX", "GET") == b"v"


def test_set_keepttl_arrived_in_6_0() -> None:
    assert run(FakeServer(version="5.0"), "SET", "k", "v", "KEEPTTL") == SYNTAX
    server = FakeServer(version="6.0")
    run(server, "SET", "k", "v", "EX", "100")
    assert run(server, "SET", "k", "w", "KEEPTTL") == OK
    assert run(server, "TTL", "k") > 0


def test_set_words_that_are_values_are_not_options() -> None:
    old = FakeServer(version="6.0")
    assert run(old, "SET", "k", "GET") == OK
    assert run(old, "GET", "k") == b"GET"
    assert run(old, "SET", "k", "v", "EX", "GET") == ReplyError(
        "ERR value is not an integer or out of range")


@pytest.mark.parametrize("argv", [["SET", "k", "v", "EX", "0"], ["SETEX", "k", "-1", "v"],
                                  ["PSETEX", "k", "0", "v"], ["GETEX", "k", "PX", "0"]])
def test_invalid_expire_times_are_worded_as_in_6_2(argv: list[str]) -> None:
    old = FakeServer(version="6.2")
    run(old, "SET", "k", "v")
    assert run(old, *argv) == ReplyError(f"ERR invalid expire time in {argv[0].lower()}")
    new = FakeServer(version="7.0")
    run(new, "SET", "k", "v")
    assert run(new, *argv) == ReplyError(
        f"ERR invalid expire time in '{argv[0].lower()}' command")


def test_set_option_errors_keep_their_order_in_6_0() -> None:
    old = FakeServer(version="6.0")
    assert run(old, "SET", "k", "v", "EX", "abc", "GET") == SYNTAX
    assert run(old, "SET", "k", "v", "EX", "abc") == ReplyError(
        "ERR value is not an integer or out of range")


@pytest.mark.parametrize("argv", [
    ["GETEX", "k"], ["GETDEL", "k"], ["LMOVE", "a", "b", "LEFT", "RIGHT"],
    ["BLMOVE", "a", "b", "LEFT", "RIGHT", "0.01"], ["SMISMEMBER", "s", "m"], ["HRANDFIELD", "h"]])
def test_commands_of_6_2_are_unknown_in_6_0(argv: list[str]) -> None:
    assert run(FakeServer(version="6.0"), *argv) == unknown(*argv)
    assert not isinstance(run(FakeServer(version="6.2"), *argv), ReplyError)


@pytest.mark.parametrize("argv", [["LCS", "a", "b"], ["SINTERCARD", "1", "s"],
                                  ["LMPOP", "1", "l", "LEFT"], ["BLMPOP", "0.01", "1", "l", "LEFT"],
                                  ["SORT_RO", "l"], ["SPUBLISH", "c", "m"], ["SSUBSCRIBE", "c"],
                                  ["SUNSUBSCRIBE"]])
def test_commands_of_7_0_are_unknown_in_6_2(argv: list[str]) -> None:
    assert run(FakeServer(version="6.2"), *argv) == unknown(*argv)
    assert not isinstance(run(FakeServer(version="7.0"), *argv), ReplyError)


def test_pubsub_shard_subcommands_arrived_in_7_0() -> None:
    old = FakeServer(version="6.2")
    assert run(old, "PUBSUB", "shardchannels") == ReplyError(
        "ERR Unknown subcommand or wrong number of arguments for 'shardchannels'. Try PUBSUB HELP.")
    assert run(old, "pubsub", "SHARDNUMSUB", "c") == ReplyError(
        "ERR Unknown subcommand or wrong number of arguments for 'SHARDNUMSUB'. Try PUBSUB HELP.")
    assert run(old, "PUBSUB", "CHANNELS") == []
    new = FakeServer(version="7.0")
    assert run(new, "PUBSUB", "SHARDCHANNELS") == []
    assert run(new, "PUBSUB", "SHARDNUMSUB", "c") == [b"c", 0]
    assert run(new, "PUBSUB", "NOPE") == ReplyError("ERR unknown subcommand 'NOPE'. Try PUBSUB HELP.")


def test_unknown_commands_are_quoted_with_backticks_before_7_0() -> None:
    long_name, long_arg = "NOPE" * 40, "a" * 100
    assert run(FakeServer(version="6.2"), long_name, long_arg, "b" * 50, "c") == ReplyError(
        f"ERR unknown command `{long_name}`, with args beginning with: `{long_arg}`, "
        f"`{'b' * 24}`, ")
    assert run(FakeServer(version="7.0"), "NOPE", "a b", "") == ReplyError(
        "ERR unknown command 'NOPE', with args beginning with: 'a b' '' ")


@pytest.mark.parametrize("argv", [["CONFIG", "RESETSTAT", "x"], ["OBJECT", "encoding"],
                                  ["COMMAND", "COUNT", "x"]])
def test_subcommand_arity_errors_are_unknown_subcommand_errors_before_7_0(argv: list[str]) -> None:
    container, sub = argv[0], argv[1]
    assert run(FakeServer(version="6.2"), *argv) == ReplyError(
        f"ERR Unknown subcommand or wrong number of arguments for '{sub}'. Try {container} HELP.")
    assert run(FakeServer(version="7.0"), *argv) == arity(f"{container}|{sub}".lower())


def test_bad_subcommands_in_multi_fail_at_exec_before_7_0() -> None:
    server = FakeServer(version="6.2")
    session = server.new_session()
    server.execute(session, [b"MULTI"])
    for argv in ([b"CONFIG", b"GET", b"a", b"b"], [b"CONFIG", b"NOPE"], [b"SET", b"k", b"v"]):
        assert server.execute(session, argv) == b"QUEUED"
    hint = "ERR Unknown subcommand or wrong number of arguments for '{}'. Try CONFIG HELP."
    assert server.execute(session, [b"EXEC"]) == [
        ReplyError(hint.format("GET")), ReplyError(hint.format("NOPE")), OK]
    new = FakeServer(version="7.0")
    session = new.new_session()
    new.execute(session, [b"MULTI"])
    assert new.execute(session, [b"CONFIG", b"NOPE"]) == ReplyError(
        "ERR unknown subcommand 'NOPE'. Try CONFIG HELP.")
    assert new.execute(session, [b"EXEC"]) == ReplyError(
        "EXECABORT Transaction discarded because of previous errors.")


def test_lpos_arrived_in_6_0_6_and_bitfield_ro_in_6_0() -> None:
    assert run(FakeServer(version="6.0.5"), "LPOS", "l", "a") == unknown("LPOS", "l", "a")
    assert run(FakeServer(version="6.0.6"), "LPOS", "l", "a") is None
    assert run(FakeServer(version="5.0"), "BITFIELD_RO", "k") == unknown("BITFIELD_RO", "k")
    assert run(FakeServer(version="6.0"), "BITFIELD_RO", "k") == []


# --- LPOP/RPOP count -----------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["LPOP", "RPOP"])
def test_pop_count_is_an_arity_error_before_6_2(name: str) -> None:
    old = FakeServer(version="6.0")
    run(old, "RPUSH", "l", "a", "b", "c")
    assert run(old, name, "l", "2") == arity(name.lower())
    assert run(old, name, "l") in (b"a", b"c")
    assert run(old, "LLEN", "l") == 2
    new = FakeServer(version="6.2")
    run(new, "RPUSH", "l", "a", "b", "c")
    assert run(new, name, "l", "2") in ([b"a", b"b"], [b"c", b"b"])


def test_pop_count_in_multi_before_6_2_aborts_the_transaction() -> None:
    server = FakeServer(version="6.0")
    session = server.new_session()
    run(server, "RPUSH", "l", "a")
    server.execute(session, [b"MULTI"])
    assert server.execute(session, [b"LPOP", b"l", b"1"]) == arity("lpop")
    assert server.execute(session, [b"EXEC"]) == ReplyError(
        "EXECABORT Transaction discarded because of previous errors.")
    assert run(server, "LLEN", "l") == 1


def test_command_info_shows_the_arity_of_the_version() -> None:
    assert run(FakeServer(version="6.0"), "COMMAND", "INFO", "lpop")[0][1] == 2
    assert run(FakeServer(version="6.2"), "COMMAND", "INFO", "rpop")[0][1] == -2


# --- BITCOUNT/BITPOS BYTE|BIT -------------------------------------------------------------------
@pytest.mark.parametrize("argv", [
    ["BITCOUNT", "k", "0", "-1", "BIT"], ["BITCOUNT", "k", "0", "1", "byte"],
    ["BITPOS", "k", "1", "0", "-1", "BIT"], ["BITPOS", "k", "0", "0", "1", "BYTE"]])
def test_bit_units_are_syntax_errors_before_7_0(argv: list[str]) -> None:
    old = FakeServer(version="6.2")
    run(old, "SET", "k", "\x0f")
    assert run(old, *argv) == SYNTAX
    new = FakeServer(version="7.0")
    run(new, "SET", "k", "\x0f")
    assert not isinstance(run(new, *argv), ReplyError)


@pytest.mark.parametrize("argv", [
    ["BITCOUNT", "k", "x", "y", "BIT"], ["BITPOS", "k", "1", "x", "y", "BIT"]])
def test_bit_unit_syntax_error_comes_before_the_range_in_6_2(argv: list[str]) -> None:
    old = FakeServer(version="6.2")
    run(old, "SET", "k", "\x0f")
    assert run(old, *argv) == SYNTAX
    new = FakeServer(version="7.0")
    run(new, "SET", "k", "\x0f")
    assert run(new, *argv) == ReplyError("ERR value is not an integer or out of range")


def test_bit_ranges_without_a_unit_work_in_6_2() -> None:
    server = FakeServer(version="6.2")
    run(server, "SET", "k", "\x0f\xff")
    assert run(server, "BITCOUNT", "k", "0", "0") == 4
    assert run(server, "BITPOS", "k", "1", "0", "0") == 4
    assert run(server, "BITCOUNT", "missing", "0", "0", "BIT") == 0  # no key: 0 before the syntax
    run(server, "RPUSH", "l", "a")
    assert run(server, "BITCOUNT", "l", "0", "0", "BIT") == ReplyError(
        "WRONGTYPE Operation against a key holding the wrong kind of value")


# --- the same through redis-py -------------------------------------------------------------------
def test_redis_py_client_of_an_old_version() -> None:
    old = fakeredis.FakeRedis(version="6.0")
    with pytest.raises(redis.ResponseError, match="^syntax error$"):
        old.set("k", "v", get=True)
    with pytest.raises(redis.ResponseError, match="^wrong number of arguments for 'lpop' command$"):
        old.lpop("l", 2)
    with pytest.raises(redis.ResponseError, match="^unknown command `GETDEL`"):
        old.getdel("k")
    assert old.set("k", "v", keepttl=True) is True
    new = fakeredis.FakeRedis(version=(6, 2))
    assert new.set("k", "v", get=True) is None
    with pytest.raises(redis.ResponseError, match="^syntax error$"):
        new.set("k", "v", nx=True, get=True)
    with pytest.raises(redis.ResponseError, match="^syntax error$"):
        new.bitcount("k", 0, 1, "BIT")
    assert fakeredis.FakeRedis().set("k", "v", nx=True, get=True) is None


async def _old_async_client() -> None:
    client = fakeredis.FakeAsyncRedis(version="6.2")
    with pytest.raises(redis.ResponseError, match="^syntax error$"):
        await client.set("k", "v", nx=True, get=True)
    assert await client.set("k", "v", get=True) is None
    await client.aclose()


def test_async_client_of_an_old_version() -> None:
    import asyncio
    asyncio.run(_old_async_client())


# --- the registry's facts ------------------------------------------------------------------------
def test_a_default_server_uses_the_declared_commands_unchanged() -> None:
    server = FakeServer()
    table = registry.load_all()
    assert all(server.commands[name.encode()] is cmd for name, cmd in table.items())


def test_declared_forms_are_known_and_undeclared_ones_are_a_bug() -> None:
    table = registry.load_all()
    assert table["set"].added["NX GET"] == (7, 0, 0)
    assert registry.ADDED["bitpos", "BYTE|BIT"] == (7, 0, 0)
    assert table["pubsub"].subcommands[b"shardchannels"].since == (7, 0, 0)
    with pytest.raises(KeyError):
        registry.check_added(FakeServer().new_session(), "set", "NOPE")


def test_as_of_gives_subcommands_their_older_arity() -> None:
    child = registry.Command("box|open", -3, (), 0, 0, 0, "server", (1, 0, 0), (), None,
                             old_arity=((7, 0, 0), 3))
    parent = registry.Command("box", -2, (), 0, 0, 0, "server", (1, 0, 0), (), None,
                              subcommands={b"open": child})
    assert registry.as_of(parent, (7, 0, 0)) is parent
    old = registry.as_of(parent, (6, 2, 0))
    assert old is not parent and old.arity == -2 and old.subcommands[b"open"].arity == 3
    assert parent.subcommands[b"open"].arity == -3
