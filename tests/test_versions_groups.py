"""FakeServer(version=...) for expiry, geo, connection, server, keyspace and scripting commands.

Expected replies were taken from real Redis 6.0.9, 6.2.14 and 7.0.15 servers.
"""

from __future__ import annotations

import pytest

from fakeredis import FakeServer
from fakeredis.errors import ReplyError
from fakeredis.replies import OK
from tests.versioning import SYNTAX, arity, run, unknown, unknown_subcommand


# --- expiry ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("argv", [["EXPIRE", "k", "100", "NX"], ["PEXPIRE", "k", "100000", "XX"],
                                  ["EXPIREAT", "k", "4102444800", "GT"],
                                  ["PEXPIREAT", "k", "4102444800000", "LT"],
                                  ["EXPIRE", "k", "100", "FOO"]])
def test_expire_conditions_are_arity_errors_before_7_0(argv: list[str]) -> None:
    for version in ("6.0", "6.2"):
        old = FakeServer(version=version)
        run(old, "SET", "k", "v")
        assert run(old, *argv) == arity(argv[0].lower())
        assert run(old, "TTL", "k") == -1
    new = FakeServer(version="7.0")
    run(new, "SET", "k", "v")
    assert not isinstance(run(new, *argv), ReplyError) or argv[-1] == "FOO"


def test_expire_without_condition_works_in_6_2() -> None:
    server = FakeServer(version="6.2")
    run(server, "SET", "k", "v")
    assert run(server, "EXPIRE", "k", "100") == 1
    assert run(server, "TTL", "k") == 100
    assert run(server, "COMMAND", "INFO", "expire")[0][1] == 3


def test_expire_condition_in_multi_before_7_0_aborts_the_transaction() -> None:
    server = FakeServer(version="6.2")
    session = server.new_session()
    server.execute(session, [b"MULTI"])
    assert server.execute(session, [b"EXPIRE", b"k", b"10", b"NX"]) == arity("expire")
    assert server.execute(session, [b"EXEC"]) == ReplyError(
        "EXECABORT Transaction discarded because of previous errors.")


def test_expire_overflow_is_worded_as_in_6_2() -> None:
    old = FakeServer(version="6.2")
    run(old, "SET", "k", "v")
    assert run(old, "EXPIRE", "k", "9223372036854775807") == ReplyError(
        "ERR invalid expire time in expire")
    assert run(FakeServer(version="7.0"), "PEXPIRE", "k", "9223372036854775807") == ReplyError(
        "ERR invalid expire time in 'pexpire' command")


@pytest.mark.parametrize("name", ["EXPIRETIME", "PEXPIRETIME"])
def test_expiretime_arrived_in_7_0(name: str) -> None:
    assert run(FakeServer(version="6.2"), name, "k") == unknown(name, "k")
    assert run(FakeServer(version="7.0"), name, "k") == -2


# --- geo ------------------------------------------------------------------------------------------
PALERMO = ["13.361389", "38.115556", "Palermo"]
CATANIA = ["15.087269", "37.502669", "Catania"]
GEOADD_SYNTAX_6_0 = ReplyError(
    "ERR syntax error. Try GEOADD key [x1] [y1] [name1] [x2] [y2] [name2] ... ")
UNIT_6_2 = ReplyError("ERR unsupported unit provided. please use m, km, ft, mi")


def geo_server(version: str) -> FakeServer:
    """A server of ``version`` with Palermo and Catania in the geo set g."""
    server = FakeServer(version=version)
    run(server, "GEOADD", "g", *PALERMO, *CATANIA)
    return server


@pytest.mark.parametrize("options", [["CH"], ["NX"], ["XX", "CH"], ["NX", "XX"], ["FOO"]])
def test_geoadd_options_are_syntax_errors_in_6_0(options: list[str]) -> None:
    old = FakeServer(version="6.0")
    assert run(old, "GEOADD", "g", *options, *PALERMO) == GEOADD_SYNTAX_6_0
    assert run(old, "EXISTS", "g") == 0
    new = FakeServer(version="6.2")
    assert run(new, "GEOADD", "g", "CH", *PALERMO, *CATANIA) == 2


def test_geoadd_in_6_0_reads_option_words_as_coordinates() -> None:
    old = FakeServer(version="6.0")
    assert run(old, "GEOADD", "g", "CH", "1", "1") == ReplyError("ERR value is not a valid float")
    assert run(old, "GEOADD", "g", "1", "100", "a") == ReplyError(
        "ERR invalid longitude,latitude pair 1.000000,100.000000")
    assert run(old, "GEOADD", "g", *PALERMO) == 1


@pytest.mark.parametrize("argv", [
    ["GEORADIUS", "g", "15", "37", "200", "km", "COUNT", "1", "ANY"],
    ["GEORADIUS_RO", "g", "15", "37", "200", "km", "ANY", "COUNT", "1"],
    ["GEORADIUSBYMEMBER", "g", "Palermo", "200", "km", "COUNT", "1", "ANY"],
    ["GEORADIUSBYMEMBER_RO", "g", "Palermo", "200", "km", "COUNT", "1", "ANY"]])
def test_georadius_any_arrived_in_6_2(argv: list[str]) -> None:
    assert run(geo_server("6.0"), *argv) == SYNTAX
    assert run(geo_server("6.2"), *argv) == [b"Palermo"]


def test_georadius_any_without_count_is_a_syntax_error_in_6_0() -> None:
    assert run(geo_server("6.0"), "GEORADIUS", "g", "15", "37", "200", "km", "ANY") == SYNTAX
    assert run(geo_server("6.2"), "GEORADIUS", "g", "15", "37", "200", "km", "ANY") == ReplyError(
        "ERR the ANY argument requires COUNT argument")


@pytest.mark.parametrize("argv", [
    ["GEORADIUS", "g", "15", "37", "200", "KM"], ["GEORADIUS_RO", "g", "15", "37", "200", "Km"],
    ["GEORADIUSBYMEMBER", "g", "Palermo", "200", "MI"],
    ["GEORADIUSBYMEMBER_RO", "g", "Palermo", "200", "FT"],
    ["GEOSEARCH", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "KM"],
    ["GEOSEARCHSTORE", "d", "g", "FROMLONLAT", "15", "37", "BYBOX", "400", "400", "KM"],
    ["GEODIST", "g", "Palermo", "Catania", "KM"]])
def test_uppercase_units_arrived_in_7_0(argv: list[str]) -> None:
    assert run(geo_server("6.2"), *argv) == UNIT_6_2
    assert not isinstance(run(geo_server("7.0"), *argv), ReplyError)
    lower = argv[:-1] + [argv[-1].lower()]
    assert not isinstance(run(geo_server("6.2"), *lower), ReplyError)


def test_unit_errors_are_worded_in_lower_case_before_7_0() -> None:
    assert run(geo_server("6.2"), "GEODIST", "g", "a", "b", "foo") == UNIT_6_2
    assert run(geo_server("6.2"), "GEORADIUS", "g", "15", "37", "200", "KM", "FOO") == UNIT_6_2
    assert run(geo_server("7.0"), "GEODIST", "g", "a", "b", "foo") == ReplyError(
        "ERR unsupported unit provided. please use M, KM, FT, MI")


@pytest.mark.parametrize("argv", [
    ["GEORADIUSBYMEMBER", "g", "Palermo", "200", "km", "WITHHASH", "STORE", "d"],
    ["GEOSEARCHSTORE", "d", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "WITHDIST"]])
def test_store_with_withdist_is_worded_as_in_6_2(argv: list[str]) -> None:
    assert run(geo_server("6.2"), *argv) == ReplyError(
        "ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORDS "
        "options")
    what = "GEOSEARCHSTORE" if argv[0] == "GEOSEARCHSTORE" else "STORE option in GEORADIUS"
    assert run(geo_server("7.0"), *argv) == ReplyError(
        f"ERR {what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options")


@pytest.mark.parametrize("args", [["15", "37", "200", "foo"], ["x", "37", "200", "km"],
                                  ["15", "37", "200", "km", "WITHDIST", "STORE", "d"],
                                  ["15", "37", "200", "km", "STORE", "d"]])
def test_georadius_on_a_missing_key_answers_an_empty_array_first_in_6_0(args: list[str]) -> None:
    assert run(FakeServer(version="6.0"), "GEORADIUS", "missing", *args) == []
    assert run(FakeServer(version="6.2"), "GEORADIUS", "missing", *args) != []


@pytest.mark.parametrize("argv", [
    ["GEOSEARCH", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "m"],
    ["GEOSEARCHSTORE", "d", "g", "FROMMEMBER", "a", "BYBOX", "1", "1", "m"]])
def test_geosearch_arrived_in_6_2(argv: list[str]) -> None:
    assert run(FakeServer(version="6.0"), *argv) == unknown(*argv)
    assert not isinstance(run(FakeServer(version="6.2"), *argv), ReplyError)


# --- connection -----------------------------------------------------------------------------------
def test_hello_without_protover_is_an_arity_error_in_6_0() -> None:
    assert run(FakeServer(version="6.0"), "HELLO") == arity("hello")
    assert run(FakeServer(version="6.0"), "HELLO", "2")[b"proto"] == 2
    assert run(FakeServer(version="6.2"), "HELLO")[b"version"] == b"6.2.0"


def test_auth_with_a_username_is_an_arity_error_in_5_0() -> None:
    assert run(FakeServer(version="5.0"), "AUTH", "a", "b") == arity("auth")
    assert run(FakeServer(version="6.0"), "AUTH", "a", "b") != arity("auth")


@pytest.mark.parametrize("argv, since", [
    (["RESET"], "6.2"), (["CLIENT", "INFO"], "6.2"), (["CLIENT", "UNPAUSE"], "6.2"),
    (["CLIENT", "TRACKINGINFO"], "6.2"), (["CLIENT", "NO-EVICT", "on"], "7.0"),
    (["CLIENT", "GETREDIR"], "6.0"), (["CLIENT", "TRACKING", "off"], "6.0"),
    (["CLIENT", "SETINFO", "lib-name", "x"], "7.2")])
def test_connection_commands_arrive_with_their_version(argv: list[str], since: str) -> None:
    older = FakeServer(version={"6.0": "5.0", "6.2": "6.0", "7.0": "6.2", "7.2": "7.0"}[since])
    reply = run(older, *argv)
    if len(argv) == 1:
        assert reply == unknown(*argv)
    elif older.version >= (7, 0, 0):
        assert reply == ReplyError(f"ERR unknown subcommand '{argv[1]}'. Try CLIENT HELP.")
    else:
        stop = "" if older.version < (6, 2, 0) else "."
        assert reply == ReplyError(f"ERR Unknown subcommand or wrong number of arguments for "
                                   f"'{argv[1]}'. Try CLIENT HELP{stop}")
    assert not isinstance(run(FakeServer(version=since), *argv), ReplyError)


@pytest.mark.parametrize("argv, reply_6_0, reply_6_2", [
    (["SELECT", "1.5"], "ERR invalid DB index", "ERR value is not an integer or out of range"),
    (["SELECT", "2147483648"], "ERR DB index is out of range",
     "ERR value is out of range, value must between -2147483648 and 2147483647"),
    (["MOVE", "k", "1.5"], "ERR index out of range", "ERR value is not an integer or out of range"),
    (["MOVE", "k", "-1"], "ERR index out of range", "ERR DB index is out of range"),
    (["HELLO", "1.5"], "NOPROTO unsupported protocol version",
     "ERR Protocol version is not an integer or out of range")])
def test_database_and_protocol_numbers_are_checked_as_in_6_0(argv: list[str], reply_6_0: str,
                                                             reply_6_2: str) -> None:
    for version, expected in (("6.0", reply_6_0), ("6.2", reply_6_2), ("7.0", reply_6_2)):
        server = FakeServer(version=version)
        run(server, "SET", "k", "v")
        assert run(server, *argv) == ReplyError(expected)


def test_client_kill_id_takes_any_integer_before_7_0() -> None:
    for version in ("6.0", "6.2"):
        assert run(FakeServer(version=version), "CLIENT", "KILL", "ID", "0") == 0
        assert run(FakeServer(version=version), "CLIENT", "KILL", "ID", "x") == ReplyError(
            "ERR value is not an integer or out of range")
    assert run(FakeServer(version="7.0"), "CLIENT", "KILL", "ID", "0") == ReplyError(
        "ERR client-id should be greater than 0")


@pytest.mark.parametrize("mode", ["WRITE", "ALL", "FOO"])
def test_client_pause_mode_arrived_in_6_2(mode: str) -> None:
    assert run(FakeServer(version="6.0"), "CLIENT", "PAUSE", "10", mode) == ReplyError(
        "ERR Unknown subcommand or wrong number of arguments for 'PAUSE'. Try CLIENT HELP")
    assert run(FakeServer(version="6.0"), "CLIENT", "PAUSE", "10") == OK
    reply = run(FakeServer(version="6.2"), "CLIENT", "PAUSE", "10", mode)
    assert reply == (ReplyError("ERR CLIENT PAUSE mode must be WRITE or ALL") if mode == "FOO"
                     else OK)


@pytest.mark.parametrize("argv", [["CLIENT", "LIST", "ID", "1"],
                                  ["CLIENT", "KILL", "LADDR", "1.2.3.4:5"]])
def test_client_list_id_and_kill_laddr_arrived_in_6_2(argv: list[str]) -> None:
    assert run(FakeServer(version="6.0"), *argv) == SYNTAX
    assert not isinstance(run(FakeServer(version="6.2"), *argv), ReplyError)


def fields(line: bytes) -> list[str]:
    """The field names of a CLIENT LIST line."""
    return [pair.split("=")[0] for pair in line.decode().split()]


def test_client_list_fields_are_those_of_the_version() -> None:
    common = ["id", "addr", "fd", "name", "age", "idle", "flags", "db", "sub", "psub", "multi",
              "qbuf", "qbuf-free", "argv-mem", "obl", "oll", "omem", "tot-mem", "events", "cmd",
              "user"]
    assert fields(run(FakeServer(version="6.0"), "CLIENT", "LIST")) == common
    assert fields(run(FakeServer(version="5.0"), "CLIENT", "LIST")) == [
        "id", "addr", "fd", "name", "age", "idle", "flags", "db", "sub", "psub", "multi", "qbuf",
        "qbuf-free", "obl", "oll", "omem", "events", "cmd"]
    line = run(FakeServer(version="6.2"), "CLIENT", "INFO")
    assert fields(line) == common[:2] + ["laddr"] + common[2:] + ["redir"]
    assert b" cmd=client " in line
    line = run(FakeServer(version="7.0.15"), "CLIENT", "INFO")
    assert fields(line) == ["id", "addr", "laddr", "fd", "name", "age", "idle", "flags", "db",
                            "sub", "psub", "ssub", "multi", "qbuf", "qbuf-free", "argv-mem",
                            "multi-mem", "rbs", "rbp", "obl", "oll", "omem", "tot-mem", "events",
                            "cmd", "user", "redir", "resp"]
    assert b" cmd=client|info " in line
    assert "ssub" not in fields(run(FakeServer(version="7.0.2"), "CLIENT", "INFO"))


# --- server ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["FLUSHALL", "FLUSHDB"])
def test_flush_sync_arrived_in_6_2_and_async_in_4_0(name: str) -> None:
    old = FakeServer(version="6.0")
    run(old, "SET", "k", "v")
    assert run(old, name, "SYNC") == SYNTAX
    assert run(old, "EXISTS", "k") == 1
    assert run(old, name, "async") == OK
    assert run(old, "EXISTS", "k") == 0
    assert run(FakeServer(version="3.2"), name, "ASYNC") == SYNTAX
    assert run(FakeServer(version="6.2"), name, "SYNC") == OK


@pytest.mark.parametrize("argv", [["CONFIG", "GET", "maxmemory", "hz"],
                                  ["CONFIG", "SET", "hz", "10", "maxmemory", "0"],
                                  ["CONFIG", "GET"], ["CONFIG", "SET", "hz"]])
def test_config_get_and_set_take_one_parameter_before_7_0(argv: list[str]) -> None:
    assert run(FakeServer(version="6.2"), *argv) == unknown_subcommand("CONFIG", argv[1])
    assert run(FakeServer(version="6.2"), "CONFIG", "GET", "hz") == {b"hz": b"10"}
    assert run(FakeServer(version="6.2"), "CONFIG", "SET", "hz", "11") == OK
    if len(argv) > 3:
        assert not isinstance(run(FakeServer(version="7.0"), *argv), ReplyError)


def test_info_takes_one_section_before_7_0() -> None:
    assert run(FakeServer(version="6.2"), "INFO", "server", "clients") == SYNTAX
    assert run(FakeServer(version="6.2"), "INFO", "a", "b", "c") == SYNTAX
    assert run(FakeServer(version="6.2"), "INFO", "keyspace") == b"# Keyspace\r\n"
    text = run(FakeServer(version="7.0"), "INFO", "server", "clients")
    assert b"# Server" in text and b"# Clients" in text


def test_command_info_before_7_0_has_seven_fields_and_no_subcommands() -> None:
    old = FakeServer(version="6.2")
    get, client, sub = run(old, "COMMAND", "INFO", "get", "client", "config|get")
    assert get == [b"get", 2, [b"readonly", b"fast"], 1, 1, 1, [b"@read", b"@string", b"@fast"]]
    assert client[0] == b"client" and len(client) == 7
    assert sub is None
    assert run(old, "COMMAND", "INFO") == []
    assert len(run(FakeServer(version="5.0"), "COMMAND", "INFO", "get")[0]) == 6
    assert len(run(FakeServer(version="7.0"), "COMMAND", "INFO", "get")[0]) == 10


def test_command_getkeys_checks_the_target_arity_itself_before_7_0() -> None:
    old = FakeServer(version="6.2")
    assert run(old, "COMMAND", "GETKEYS", "get") == ReplyError(
        "ERR Invalid number of arguments specified for command")
    assert run(old, "COMMAND", "GETKEYS") == unknown_subcommand("COMMAND", "GETKEYS")
    assert run(old, "COMMAND", "GETKEYS", "set", "k", "v") == [b"k"]
    assert run(FakeServer(version="7.0"), "COMMAND", "GETKEYS", "get") == arity("command|getkeys")


# --- keyspace -------------------------------------------------------------------------------------
def test_scan_type_arrived_in_6_0() -> None:
    old = FakeServer(version="5.0")
    run(old, "SET", "k", "v")
    assert run(old, "SCAN", "0", "TYPE", "string") == SYNTAX
    assert run(old, "SCAN", "0", "MATCH", "*") == [b"0", [b"k"]]
    new = FakeServer(version="6.0")
    run(new, "SET", "k", "v")
    assert run(new, "SCAN", "0", "TYPE", "string") == [b"0", [b"k"]]


@pytest.mark.parametrize("argv", [["COPY", "a", "b"], ["COPY", "a", "b", "DB", "1", "REPLACE"]])
def test_copy_arrived_in_6_2(argv: list[str]) -> None:
    assert run(FakeServer(version="6.0"), *argv) == unknown(*argv)
    assert run(FakeServer(version="6.2"), *argv) == 0


def test_object_freq_arrived_in_4_0() -> None:
    assert run(FakeServer(version="3.2"), "OBJECT", "FREQ", "k") == unknown_subcommand(
        "OBJECT", "FREQ")
    server = FakeServer(version="4.0")
    run(server, "CONFIG", "SET", "maxmemory-policy", "allkeys-lfu")
    run(server, "SET", "k", "v")
    assert isinstance(run(server, "OBJECT", "FREQ", "k"), int)


@pytest.mark.parametrize("create, encoding_6_2, encoding_7_0", [
    (["HSET", "k", "a", "1"], b"ziplist", b"listpack"),
    (["ZADD", "k", "1", "a"], b"ziplist", b"listpack"),
    (["RPUSH", "k", "a"], b"quicklist", b"quicklist"), (["SADD", "k", "1"], b"intset", b"intset")])
def test_object_encoding_names_ziplists_before_7_0(create: list[str], encoding_6_2: bytes,
                                                   encoding_7_0: bytes) -> None:
    for version, expected in (("6.2", encoding_6_2), ("7.0", encoding_7_0)):
        server = FakeServer(version=version)
        run(server, *create)
        assert run(server, "OBJECT", "ENCODING", "k") == expected


@pytest.mark.parametrize("options, since", [(["ABSTTL"], "5.0"), (["IDLETIME", "1"], "5.0"),
                                            (["FREQ", "1"], "5.0"), (["REPLACE"], "3.0")])
def test_restore_options_arrive_with_their_version(options: list[str], since: str) -> None:
    source = FakeServer()
    run(source, "SET", "k", "v")
    payload = source.execute(source.new_session(), [b"DUMP", b"k"])
    older = {"5.0": "4.0", "3.0": "2.8"}[since]
    for version, ok in ((older, False), (since, True)):
        server = FakeServer(version=version)
        reply = server.execute(server.new_session(),
                               [b"RESTORE", b"k", b"0", payload, *(o.encode() for o in options)])
        assert reply == (OK if ok else SYNTAX)


# --- scripting ------------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["ASYNC", "SYNC", "FOO"])
def test_script_flush_mode_arrived_in_6_2(mode: str) -> None:
    old = FakeServer(version="6.0")
    assert run(old, "SCRIPT", "FLUSH", mode) == unknown_subcommand("SCRIPT", "FLUSH")
    assert run(old, "SCRIPT", "FLUSH") == OK
    reply = run(FakeServer(version="6.2"), "SCRIPT", "FLUSH", mode)
    assert reply == (ReplyError("ERR SCRIPT FLUSH only support SYNC|ASYNC option") if mode == "FOO"
                     else OK)


def test_script_exists_without_shas_answers_an_empty_list_before_7_0() -> None:
    assert run(FakeServer(version="6.2"), "SCRIPT", "EXISTS") == []
    assert run(FakeServer(version="7.0"), "SCRIPT", "EXISTS") == arity("script|exists")


@pytest.mark.parametrize("argv", [["EVAL_RO", "return 1", "0"],
                                  ["EVALSHA_RO", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "0"],
                                  ["FCALL", "f", "0"], ["FCALL_RO", "f", "0"],
                                  ["FUNCTION", "LIST"]])
def test_read_only_scripts_and_functions_arrived_in_7_0(argv: list[str]) -> None:
    assert run(FakeServer(version="6.2"), *argv) == unknown(*argv)
    server = FakeServer(version="7.0")
    run(server, "SCRIPT", "LOAD", "return 1")
    reply = run(server, *argv)
    assert reply in (1, []) or reply == ReplyError("ERR Function not found")


def test_script_debug_mode_error_is_worded_in_lower_case_in_6_0() -> None:
    assert run(FakeServer(version="6.0"), "SCRIPT", "DEBUG", "FOO") == ReplyError(
        "ERR Use SCRIPT DEBUG yes/sync/no")
    assert run(FakeServer(version="6.2"), "SCRIPT", "DEBUG", "FOO") == ReplyError(
        "ERR Use SCRIPT DEBUG YES/SYNC/NO")
