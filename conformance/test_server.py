"""Server commands: DBSIZE FLUSH* SWAPDB TIME SAVE/BGSAVE/LASTSAVE INFO CONFIG COMMAND."""

from __future__ import annotations

import time
from typing import Any

import pytest
import redis

from conformance.helpers import block, error_of, raw, wait_until


def as_dict(reply: Any) -> dict:
    """A map reply in either protocol as a dict."""
    return reply if isinstance(reply, dict) else dict(zip(reply[::2], reply[1::2]))


# --- DBSIZE FLUSHDB FLUSHALL ----------------------------------------------------------------------
def test_dbsize_and_flushdb(r):
    assert r.dbsize() == 0
    r.mset({"a": 1, "b": 2})
    r.execute_command("SELECT", 1)
    r.set("c", 3)
    assert r.dbsize() == 1
    assert r.execute_command("FLUSHDB", "ASYNC") is True
    assert r.dbsize() == 0
    r.execute_command("SELECT", 0)
    assert r.dbsize() == 2
    assert error_of(r, "DBSIZE", "x") == \
        "wrong number of arguments for 'dbsize' command"


def test_flushall(r):
    r.set("a", 1)
    r.execute_command("SELECT", 3)
    r.set("b", 1)
    assert raw(r, "FLUSHALL", "SYNC") == b"OK"
    assert r.dbsize() == 0
    r.execute_command("SELECT", 0)
    assert r.dbsize() == 0
    assert error_of(r, "FLUSHALL", "foo") == "syntax error"
    assert error_of(r, "FLUSHALL", "SYNC", "ASYNC") == "syntax error"
    assert error_of(r, "FLUSHDB", "now") == "syntax error"


def test_flushall_dirties_watches_on_existing_keys(r):
    r.set("k", "v")
    with r.pipeline() as pipe:
        pipe.watch("k")
        r.flushall()
        pipe.multi()
        pipe.set("k", "w")
        with pytest.raises(redis.WatchError):
            pipe.execute()


# --- SWAPDB ---------------------------------------------------------------------------------------
def test_swapdb_swaps_contents_not_selection(r):
    r.set("a", "db0")
    r.set("t", "x", ex=100)
    r.execute_command("SELECT", 1)
    r.set("b", "db1")
    assert r.swapdb(0, 1) is True
    assert r.get("a") == b"db0"  # still db 1, which now holds db 0's keys
    assert 0 < r.ttl("t") <= 100
    assert r.get("b") is None
    r.execute_command("SELECT", 0)
    assert r.get("b") == b"db1"
    assert r.swapdb(0, 0) is True
    assert r.get("b") == b"db1"


def test_swapdb_errors(r):
    assert error_of(r, "SWAPDB", "0", "16") == "DB index is out of range"
    assert error_of(r, "SWAPDB", "-1", "0") == "DB index is out of range"
    assert error_of(r, "SWAPDB", "a", "0") == "invalid first DB index"
    assert error_of(r, "SWAPDB", "0", "a") == "invalid second DB index"
    assert error_of(r, "SWAPDB", "16", "a") == "invalid second DB index"


def test_swapdb_dirties_watches(r):
    r.execute_command("SELECT", 1)
    r.set("k", "in db1")
    r.execute_command("SELECT", 0)
    with r.pipeline() as pipe:
        pipe.watch("k")  # missing in db 0, present in db 1: the swap changes it
        r.swapdb(0, 1)
        pipe.multi()
        pipe.get("k")
        with pytest.raises(redis.WatchError):
            pipe.execute()


def test_swapdb_serves_a_client_blocked_on_a_key_it_brings(r, make):
    waiter = block(r, make, "BLPOP", "list", 20)
    r.execute_command("SELECT", 1)
    r.rpush("list", "x")
    r.swapdb(0, 1)
    assert waiter.result() == [b"list", b"x"]


# --- TIME LASTSAVE SAVE BGSAVE --------------------------------------------------------------------
def test_time(r):
    seconds, micros = raw(r, "TIME")
    assert seconds.isdigit() and micros.isdigit()
    assert abs(int(seconds) - time.time()) < 3600
    assert 0 <= int(micros) < 1_000_000
    assert error_of(r, "TIME", "x") == "wrong number of arguments for 'time' command"


def test_save_and_lastsave(r):
    before = raw(r, "LASTSAVE")
    assert isinstance(before, int)
    assert raw(r, "SAVE") == b"OK"
    assert raw(r, "LASTSAVE") >= before
    assert error_of(r, "SAVE", "x") == "wrong number of arguments for 'save' command"


def test_bgsave(r):
    # a real server may still be saving for an earlier test
    wait_until(lambda: not r.info("persistence")["rdb_bgsave_in_progress"])
    assert raw(r, "BGSAVE") == b"Background saving started"
    assert error_of(r, "BGSAVE", "foo") == "syntax error"
    assert error_of(r, "BGSAVE", "SCHEDULE", "x") == "syntax error"


def test_save_is_refused_in_multi(r):
    with pytest.raises(redis.ResponseError) as exc:
        with r.pipeline() as pipe:
            pipe.save()
            pipe.execute()
    assert "Command not allowed inside a transaction" in str(exc.value)


# --- INFO -----------------------------------------------------------------------------------------
def sections(text: bytes) -> list[bytes]:
    """The section titles of an INFO reply."""
    return [line[2:] for line in text.split(b"\r\n") if line.startswith(b"# ")]


DEFAULT_SECTIONS = [b"Server", b"Clients", b"Memory", b"Persistence", b"Stats", b"Replication",
                    b"CPU", b"Modules", b"Errorstats", b"Cluster", b"Keyspace"]
ALL_SECTIONS = DEFAULT_SECTIONS[:8] + [b"Commandstats", b"Errorstats", b"Latencystats",
                                       b"Cluster", b"Keyspace"]


def test_info_sections(r):
    assert sections(raw(r, "INFO")) == DEFAULT_SECTIONS
    assert sections(raw(r, "INFO", "default")) == DEFAULT_SECTIONS
    assert sections(raw(r, "INFO", "all")) == ALL_SECTIONS
    assert sections(raw(r, "INFO", "everything")) == ALL_SECTIONS
    assert sections(raw(r, "INFO", "KEYSPACE", "server")) == [b"Server", b"Keyspace"]
    assert sections(raw(r, "INFO", "default", "commandstats")) == \
        DEFAULT_SECTIONS[:8] + [b"Commandstats"] + DEFAULT_SECTIONS[8:]
    assert raw(r, "INFO", "nosuchsection") == b""


def test_info_layout(r):
    text = raw(r, "INFO", "server", "keyspace")
    assert text.startswith(b"# Server\r\nredis_version:")
    assert b"\r\n\r\n# Keyspace\r\n" in text
    assert raw(r, "INFO", "keyspace") == b"# Keyspace\r\n"


def test_info_keyspace(r):
    r.set("a", 1)
    r.set("b", 1, ex=100)
    r.execute_command("SELECT", 2)
    r.set("c", 1)
    assert raw(r, "INFO", "keyspace") == (
        b"# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=0\r\ndb2:keys=1,expires=0,avg_ttl=0\r\n")
    assert r.info("keyspace") == {"db0": {"keys": 2, "expires": 1, "avg_ttl": 0},
                                  "db2": {"keys": 1, "expires": 0, "avg_ttl": 0}}


def test_info_fields_clients_read(r):
    info = r.info("everything")
    assert str(info["redis_version"]).startswith("7.0.")
    assert info["redis_mode"] == "standalone"
    assert info["arch_bits"] == 64
    assert isinstance(info["os"], str)
    for name in ("process_id", "tcp_port", "uptime_in_seconds", "uptime_in_days", "used_memory",
                 "maxmemory", "total_commands_processed", "keyspace_hits", "keyspace_misses",
                 "expired_keys", "connected_slaves", "blocked_clients"):
        assert isinstance(info[name], int), name
    assert info["connected_clients"] >= 1
    assert info["blocked_clients"] == 0
    assert info["role"] == "master"
    assert info["maxmemory_policy"] == "noeviction"
    assert info["used_memory_human"][-1] in "BKMG"
    assert info["cluster_enabled"] == 0


def test_info_is_verbatim_text(r):
    reply = raw(r, "INFO", "server")
    assert isinstance(reply, bytes) and reply.startswith(b"# Server")


def test_info_tracks_commands_processed(r):
    raw(r, "CONFIG", "RESETSTAT")
    for _ in range(5):
        r.ping()
    assert 5 <= r.info("stats")["total_commands_processed"] <= 8


# --- CONFIG ---------------------------------------------------------------------------------------
def test_config_get(r):
    assert raw(r, "CONFIG", "GET", "maxmemory") in ([b"maxmemory", b"0"], {b"maxmemory": b"0"})
    assert as_dict(raw(r, "CONFIG", "GET", "MAXMEMORY")) == {b"MAXMEMORY": b"0"}
    assert as_dict(raw(r, "CONFIG", "GET", "maxmemory", "MAXMEMORY")) == {b"maxmemory": b"0"}
    found = as_dict(raw(r, "CONFIG", "GET", "maxmemory*"))
    assert set(found) == {b"maxmemory", b"maxmemory-clients", b"maxmemory-eviction-tenacity",
                          b"maxmemory-policy", b"maxmemory-samples"}
    assert as_dict(raw(r, "CONFIG", "GET", "MAXMEM*")) == found
    both = as_dict(raw(r, "CONFIG", "GET", "databases", "*-priority"))
    assert both == {b"databases": b"16", b"replica-priority": b"100", b"slave-priority": b"100"}
    assert as_dict(raw(r, "CONFIG", "GET", "nosuch")) == {}
    assert r.config_get("lua-time-limit") == {"lua-time-limit": "5000"}


@pytest.fixture
def restore_config(r):
    """Put back every parameter a test changes."""
    names = ["maxmemory", "maxmemory-policy", "hz", "notify-keyspace-events", "save",
             "busy-reply-threshold", "activerehashing", "timeout", "list-max-listpack-size",
             "loglevel", "client-output-buffer-limit", "maxmemory-clients",
             "latency-tracking-info-percentiles", "oom-score-adj-values"]
    saved = {name: r.config_get(name)[name] for name in names}
    yield
    for name, value in saved.items():
        r.config_set(name, value)


@pytest.mark.usefixtures("restore_config")
@pytest.mark.parametrize("name, value, stored", [
    ("maxmemory", "1mb", "1048576"),
    ("maxmemory", "1GB", "1073741824"),
    ("maxmemory", "1g", "1000000000"),
    ("maxmemory", "5B", "5"),
    ("maxmemory", "05", "5"),
    ("maxmemory", "", "0"),
    ("maxmemory-policy", "ALLKEYS-LRU", "allkeys-lru"),
    ("hz", "0", "1"),
    ("hz", "600", "500"),
    ("notify-keyspace-events", "KEA", "AKE"),
    ("notify-keyspace-events", "xEK", "xKE"),
    ("notify-keyspace-events", "gA", "A"),
    ("notify-keyspace-events", "KEn", "nKE"),
    ("notify-keyspace-events", "lshzxetmdn", "lshzxetdnm"),
    ("save", "10 1 20 2", "10 1 20 2"),
    ("save", "", ""),
    ("activerehashing", "NO", "no"),
    ("list-max-listpack-size", "-1", "-1"),
    ("loglevel", "WARNING", "warning"),
    ("client-output-buffer-limit", "normal 1mb 2 3",
     "normal 1048576 2 3 slave 268435456 67108864 60 pubsub 33554432 8388608 60"),
    ("maxmemory-clients", "10%", "10%"),
    ("maxmemory-clients", "0%", "0"),
    ("latency-tracking-info-percentiles", "50 99.9", "50 99.9"),
    ("latency-tracking-info-percentiles", "1e1", "10"),
    ("oom-score-adj-values", "100 50 10", "100 50 10"),
])
def test_config_set_normalises(r, name, value, stored):
    assert r.config_set(name, value) is True
    assert r.config_get(name) == {name: stored}


@pytest.mark.usefixtures("restore_config")
def test_config_set_notify_keyspace_events_enables_notifications(r):
    pubsub = r.pubsub()
    pubsub.subscribe("__keyevent@0__:set")
    assert pubsub.get_message(timeout=1)["type"] == "subscribe"
    r.set("quiet", "1")
    assert r.config_set("notify-keyspace-events", "E$") is True
    r.set("loud", "1")
    message = pubsub.get_message(timeout=5)
    assert (message["channel"], message["data"]) == (b"__keyevent@0__:set", b"loud")
    assert r.config_set("notify-keyspace-events", "") is True
    r.set("quiet", "2")
    assert pubsub.get_message(timeout=0.2) is None
    pubsub.close()


@pytest.mark.usefixtures("restore_config")
def test_config_set_alias_and_several_pairs(r):
    assert raw(r, "CONFIG", "SET", "lua-time-limit", "10", "busy-reply-threshold", "20") == b"OK"
    assert r.config_get("lua-time-limit") == {"lua-time-limit": "20"}
    assert raw(r, "CONFIG", "SET", "MAXMEMORY", "10", "timeout", "7") == b"OK"
    assert r.config_get("maxmemory") == {"maxmemory": "10"}
    assert r.config_get("timeout") == {"timeout": "7"}


def _failed(name: str, why: str) -> str:
    return f"CONFIG SET failed (possibly related to argument '{name}') - {why}"


@pytest.mark.usefixtures("restore_config")
@pytest.mark.parametrize("args, message", [
    (("foo", "bar"), "Unknown option or number of arguments for CONFIG SET - 'foo'"),
    (("databases", "3"), _failed("databases", "can't set immutable config")),
    (("dir", "/tmp"), _failed("dir", "can't set protected config")),
    (("maxmemory", "abc"), _failed("maxmemory", "argument must be a memory value")),
    (("maxmemory", "-1"), _failed("maxmemory", "argument must be a memory value")),
    (("maxmemory", "1.5"), _failed("maxmemory", "argument must be a memory value")),
    (("maxmemory-policy", "foo"), _failed(
        "maxmemory-policy", "argument(s) must be one of the following: volatile-lru, "
        "volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, "
        "noeviction")),
    (("hz", "abc"), _failed("hz", "argument couldn't be parsed into an integer")),
    (("timeout", "-1"), _failed("timeout", "argument must be between 0 and 2147483647 inclusive")),
    (("timeout", "+5"), _failed("timeout", "argument couldn't be parsed into an integer")),
    (("loglevel", "foo"), _failed(
        "loglevel", "argument(s) must be one of the following: debug, verbose, notice, warning")),
    (("activerehashing", "maybe"), _failed("activerehashing", "argument must be 'yes' or 'no'")),
    (("notify-keyspace-events", "Z"), _failed(
        "notify-keyspace-events", "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.")),
    (("save", "10"), _failed("save", "Invalid save parameters")),
    (("save", "10 -1"), _failed("save", "Invalid save parameters")),
    (("busy-reply-threshold", "-1"), _failed(
        "busy-reply-threshold", "argument must be between 0 and 9223372036854775807 inclusive")),
    (("maxmemory", "10", "maxmemory", "20"), _failed("maxmemory", "duplicate parameter")),
    (("maxmemory", "10", "MAXMEMORY", "20"), _failed("MAXMEMORY", "duplicate parameter")),
    (("maxmemory", "abc", "foo", "1"),
     "Unknown option or number of arguments for CONFIG SET - 'foo'"),
    (("maxmemory", "abc", "databases", "1"), _failed("databases", "can't set immutable config")),
    (("hz", "abc", "maxmemory", "abc"),
     _failed("hz", "argument couldn't be parsed into an integer")),
    (("maxmemory", "10", "hz"), "syntax error"),
    (("client-output-buffer-limit", "foo 1 2 3"), _failed(
        "client-output-buffer-limit", "Invalid client class specified in buffer limit "
        "configuration.")),
    (("client-output-buffer-limit", "normal 1 2"), _failed(
        "client-output-buffer-limit", "Wrong number of arguments in buffer limit configuration.")),
    (("maxmemory-clients", "101%"), _failed(
        "maxmemory-clients", "percentage argument must be less or equal to 100")),
    (("maxmemory-clients", "abc"), _failed(
        "maxmemory-clients", "argument must be a memory or percent value")),
    (("oom-score-adj-values", "1 2"), _failed("oom-score-adj-values", "wrong number of arguments")),
    (("oom-score-adj-values", "a b c"), _failed(
        "oom-score-adj-values",
        "Invalid oom-score-adj-values, elements must be between -2000 and 2000.")),
    (("latency-tracking-info-percentiles", "a"), _failed(
        "latency-tracking-info-percentiles",
        "Invalid latency-tracking-info-percentiles parameters")),
])
def test_config_set_errors(r, args, message):
    assert error_of(r, "CONFIG", "SET", *args) == message


@pytest.mark.usefixtures("restore_config")
def test_config_set_is_all_or_nothing(r):
    assert error_of(r, "CONFIG", "SET", "maxmemory", "10", "hz", "abc") == \
        _failed("hz", "argument couldn't be parsed into an integer")
    assert r.config_get("maxmemory") == {"maxmemory": "0"}


def test_config_rewrite_resetstat_help(r):
    assert error_of(r, "CONFIG", "REWRITE") == \
        "The server is running without a config file"
    assert raw(r, "CONFIG", "RESETSTAT") == b"OK"
    assert error_of(r, "CONFIG", "RESETSTAT", "x") == \
        "wrong number of arguments for 'config|resetstat' command"
    help_lines = raw(r, "CONFIG", "HELP")
    assert help_lines[0] == b"CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    assert len(help_lines) == 11
    assert error_of(r, "CONFIG", "SET", "a") == \
        "wrong number of arguments for 'config|set' command"


# --- COMMAND --------------------------------------------------------------------------------------
def test_command_info(r):
    get, missing = raw(r, "COMMAND", "INFO", "get", "nosuchcommand")
    assert get[:7] == [b"get", 2, [b"readonly", b"fast"], 1, 1, 1,
                       [b"@read", b"@string", b"@fast"]]
    assert missing is None
    assert raw(r, "COMMAND", "INFO", "GET")[0][0] == b"get"
    sub = raw(r, "COMMAND", "INFO", "config|get")[0]
    assert sub[:7] == [b"config|get", -3, [b"admin", b"noscript", b"loading", b"stale"], 0, 0, 0,
                       [b"@admin", b"@slow", b"@dangerous"]]


def test_command_info_of_a_container_lists_its_subcommands(r):
    config = raw(r, "COMMAND", "INFO", "config")[0]
    assert config[:7] == [b"config", -2, [], 0, 0, 0, [b"@slow"]]
    names = {sub[0] for sub in config[9]}
    assert {b"config|get", b"config|set", b"config|resetstat", b"config|rewrite",
            b"config|help"} <= names


def test_command_info_key_spec_of_a_range(r):
    mset = raw(r, "COMMAND", "INFO", "mset")[0]
    assert mset[3:6] == [1, -1, 2]
    spec = as_dict(mset[8][0])
    assert as_dict(spec[b"begin_search"])[b"type"] == b"index"
    assert as_dict(as_dict(spec[b"begin_search"])[b"spec"]) == {b"index": 1}
    find = as_dict(spec[b"find_keys"])
    assert find[b"type"] == b"range"
    assert as_dict(find[b"spec"]) == {b"lastkey": -1, b"keystep": 2, b"limit": 0}


def test_command_count_and_list(r):
    count = raw(r, "COMMAND", "COUNT")
    names = raw(r, "COMMAND", "LIST")
    assert count == len([n for n in names if b"|" not in n])
    assert {b"get", b"config", b"config|get", b"client|list"} <= set(names)
    assert len(raw(r, "COMMAND")) == count


def test_command_list_filters(r):
    assert set(raw(r, "COMMAND", "LIST", "FILTERBY", "PATTERN", "CONFIG*")) == {
        b"config", b"config|get", b"config|set", b"config|resetstat", b"config|rewrite",
        b"config|help"}
    connection = raw(r, "COMMAND", "LIST", "FILTERBY", "ACLCAT", "CONNECTION")
    assert {b"ping", b"echo", b"hello", b"client|list"} <= set(connection)
    assert b"get" not in connection
    assert raw(r, "COMMAND", "LIST", "FILTERBY", "MODULE", "foo") == []
    assert raw(r, "COMMAND", "LIST", "FILTERBY", "ACLCAT", "nosuch") == []
    assert error_of(r, "COMMAND", "LIST", "FILTERBY", "foo", "x") == "syntax error"
    assert error_of(r, "COMMAND", "LIST", "foo") == "syntax error"
    assert error_of(r, "COMMAND", "LIST", "FILTERBY") == "syntax error"


def test_command_docs(r):
    docs = as_dict(raw(r, "COMMAND", "DOCS", "GET", "nosuchcommand"))
    assert list(docs) == [b"get"]
    get = as_dict(docs[b"get"])
    assert (get[b"since"], get[b"group"]) == (b"1.0.0", b"string")
    assert isinstance(get[b"summary"], bytes)
    config = as_dict(as_dict(raw(r, "COMMAND", "DOCS", "config"))[b"config"])
    assert b"config|get" in as_dict(config[b"subcommands"])
    assert as_dict(raw(r, "COMMAND", "DOCS", "nosuchcommand")) == {}


def test_command_getkeys(r):
    assert raw(r, "COMMAND", "GETKEYS", "set", "a", "b") == [b"a"]
    assert raw(r, "COMMAND", "GETKEYS", "MSET", "a", "1", "b", "2") == [b"a", b"b"]
    assert raw(r, "COMMAND", "GETKEYS", "sinterstore", "d", "a", "b") == [b"d", b"a", b"b"]


@pytest.mark.parametrize("args, message", [
    (("nosuch", "a"), "Invalid command specified"),
    (("config|get", "x"), "Invalid command specified"),
    (("config", "foo", "x"), "Invalid command specified"),
    (("config", "get", "x"), "The command has no key arguments"),
    (("ping", "x"), "The command has no key arguments"),
    (("get", "a", "b"), "Invalid number of arguments specified for command"),
    (("get",), "wrong number of arguments for 'command|getkeys' command"),
])
def test_command_getkeys_errors(r, args, message):
    assert error_of(r, "COMMAND", "GETKEYS", *args) == message


def test_command_help_and_errors(r):
    lines = raw(r, "COMMAND", "HELP")
    assert lines[0] == b"COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    assert len(lines) == 21
    assert error_of(r, "COMMAND", "COUNT", "x") == \
        "wrong number of arguments for 'command|count' command"
    assert error_of(r, "COMMAND", "NOSUCH") == \
        "unknown subcommand 'NOSUCH'. Try COMMAND HELP."

