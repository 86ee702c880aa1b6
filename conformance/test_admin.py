"""Administration commands of a single node without replicas or cluster: MEMORY SLOWLOG LATENCY
LOLWUT ROLE WAIT FAILOVER REPLICAOF SLAVEOF SYNC PSYNC REPLCONF MODULE BGREWRITEAOF SHUTDOWN
MONITOR DEBUG, the CLUSTER family, MIGRATE, COMMAND GETKEYSANDFLAGS and PUBSUB HELP.

SHUTDOWN, the DEBUG subcommands and the crashing ones run on private servers started by the test
(the shared real server is never shut down); the shared one refuses DEBUG, as Redis's default does.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import socket
import threading
import time
from typing import Any, Callable, Iterator

import pytest
import redis

from conformance.conftest import free_port, no_real_server, require_real, start_redis_server
from conformance.helpers import error_of, raw, wait_until
from fakeredis import FakeRedis, FakeServer
from fakeredis.tcp_server import TcpServer


def as_dict(reply: Any) -> dict:
    """A map reply in either protocol as a dict."""
    return reply if isinstance(reply, dict) else dict(zip(reply[::2], reply[1::2]))


# --- MEMORY ---------------------------------------------------------------------------------------
def test_memory_usage(r):
    r.set("s", "bar")
    r.rpush("l", "a", "b", "c")
    assert raw(r, "MEMORY", "USAGE", "missing") is None
    assert isinstance(raw(r, "MEMORY", "USAGE", "s"), int)
    assert raw(r, "MEMORY", "USAGE", "l", "SAMPLES", 0) > 0
    assert raw(r, "MEMORY", "USAGE", "s", "samples", 5) == raw(r, "MEMORY", "USAGE", "s")
    assert error_of(r, "MEMORY", "USAGE", "s", "SAMPLES", "x") == \
        "value is not an integer or out of range"
    assert error_of(r, "MEMORY", "USAGE", "s", "SAMPLES", -1) == "syntax error"
    assert error_of(r, "MEMORY", "USAGE", "s", "SAMPLES") == "syntax error"
    assert error_of(r, "MEMORY", "USAGE", "s", "bar") == "syntax error"
    assert error_of(r, "MEMORY", "USAGE") == \
        "wrong number of arguments for 'memory|usage' command"


def test_memory_usage_grows_with_the_value(r):
    r.set("small", "x")
    r.set("big", "x" * 10000)
    assert raw(r, "MEMORY", "USAGE", "big") > raw(r, "MEMORY", "USAGE", "small") + 9000


def test_memory_stats_fields(r):
    r.set("a", "1")
    stats = as_dict(raw(r, "MEMORY", "STATS"))
    for field in (b"peak.allocated", b"total.allocated", b"startup.allocated",
                  b"replication.backlog", b"clients.slaves", b"clients.normal", b"aof.buffer",
                  b"lua.caches", b"db.0", b"overhead.total", b"keys.count", b"keys.bytes-per-key",
                  b"dataset.bytes", b"dataset.percentage", b"peak.percentage", b"fragmentation"):
        assert field in stats, field
    assert stats[b"keys.count"] == 1
    assert set(as_dict(stats[b"db.0"])) == {
        b"overhead.hashtable.main", b"overhead.hashtable.expires",
        b"overhead.hashtable.slot-to-keys"}


def test_memory_doctor_purge_help(r):
    assert raw(r, "MEMORY", "DOCTOR").startswith(b"Hi Sam, this instance is empty")
    assert raw(r, "MEMORY", "PURGE") == b"OK"
    assert isinstance(raw(r, "MEMORY", "MALLOC-STATS"), bytes)
    help_lines = raw(r, "MEMORY", "HELP")
    assert help_lines[0] == b"MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    assert help_lines[-1] == b"    Prints this help."
    assert len(help_lines) == 14
    assert error_of(r, "MEMORY", "foo") == "unknown subcommand 'foo'. Try MEMORY HELP."


# --- SLOWLOG LATENCY ------------------------------------------------------------------------------
def test_slowlog(r):
    assert raw(r, "SLOWLOG", "RESET") == b"OK"
    assert raw(r, "SLOWLOG", "GET") == []
    assert raw(r, "SLOWLOG", "GET", -1) == []
    assert raw(r, "SLOWLOG", "LEN") == 0
    assert error_of(r, "SLOWLOG", "GET", "x") == "count should be greater than or equal to -1"
    assert error_of(r, "SLOWLOG", "GET", -2) == "count should be greater than or equal to -1"
    assert error_of(r, "SLOWLOG", "GET", 1, 2) == \
        "unknown subcommand or wrong number of arguments for 'GET'. Try SLOWLOG HELP."
    assert error_of(r, "SLOWLOG", "foo") == "unknown subcommand 'foo'. Try SLOWLOG HELP."
    assert len(raw(r, "SLOWLOG", "HELP")) == 12


def test_latency(r):
    assert raw(r, "LATENCY", "LATEST") == []
    assert raw(r, "LATENCY", "HISTORY", "command") == []
    assert raw(r, "LATENCY", "RESET") == 0
    assert raw(r, "LATENCY", "RESET", "command", "foo") == 0
    assert error_of(r, "LATENCY", "GRAPH", "command") == \
        "No samples available for event 'command'"
    assert raw(r, "LATENCY", "DOCTOR").startswith(b"I'm sorry, Dave, I can't do that.")
    assert raw(r, "LATENCY", "HISTOGRAM", "nosuchcommand") in ([], {})
    assert raw(r, "LATENCY", "HELP")[0] == \
        b"LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    assert error_of(r, "LATENCY", "foo") == "unknown subcommand 'foo'. Try LATENCY HELP."


def test_latency_doctor_when_monitoring(r):
    r.config_set("latency-monitor-threshold", 100)
    try:
        assert raw(r, "LATENCY", "DOCTOR").startswith(
            b"Dave, no latency spike was observed during the lifetime of this Redis instance")
    finally:
        r.config_set("latency-monitor-threshold", 0)


# --- LOLWUT ROLE WAIT -----------------------------------------------------------------------------
def test_lolwut_ends_with_the_version(r):
    version = r.info("server")["redis_version"]
    assert raw(r, "LOLWUT") == f"Redis ver. {version}\n".encode()
    assert raw(r, "LOLWUT", "VERSION", 7) == f"Redis ver. {version}\n".encode()
    assert error_of(r, "LOLWUT", "VERSION", "x") == "value is not an integer or out of range"


def test_role_of_a_master(r):
    role = raw(r, "ROLE")
    assert role[0] == b"master" and isinstance(role[1], int) and role[2] == []


def test_wait(r):
    r.set("a", 1)
    assert raw(r, "WAIT", 0, 0) == 0
    assert raw(r, "WAIT", 1, 10) == 0
    assert error_of(r, "WAIT", "x", 0) == "value is not an integer or out of range"
    assert error_of(r, "WAIT", 0, "x") == "timeout is not an integer or out of range"
    assert error_of(r, "WAIT", "x", "x") == "value is not an integer or out of range"
    assert error_of(r, "WAIT", 0, -1) == "timeout is negative"


# --- replication ----------------------------------------------------------------------------------
def test_failover_without_replicas(r):
    assert error_of(r, "FAILOVER") == "FAILOVER requires connected replicas."
    assert error_of(r, "FAILOVER", "ABORT") == "No failover in progress."
    assert error_of(r, "FAILOVER", "TO", "127.0.0.1", 1, "FORCE", "TIMEOUT", 10) == \
        "FAILOVER requires connected replicas."
    assert error_of(r, "FAILOVER", "TIMEOUT", "x") == "value is not an integer or out of range"
    assert error_of(r, "FAILOVER", "TIMEOUT", 0) == "FAILOVER timeout must be greater than 0"
    assert error_of(r, "FAILOVER", "TO", "127.0.0.1", "x") == \
        "value is not an integer or out of range"
    for args in (("TO", "127.0.0.1"), ("FORCE", "FORCE"), ("ABORT", "ABORT"), ("foo",),
                 ("TIMEOUT", 5, "TIMEOUT", 6), ("ABORT", "TIMEOUT", 5)):
        assert error_of(r, "FAILOVER", *args) == "syntax error", args


def test_replicaof_no_one_and_port_errors(r):
    assert raw(r, "REPLICAOF", "NO", "ONE") == b"OK"
    assert raw(r, "SLAVEOF", "no", "one") == b"OK"
    for port in ("x", -1, 65536, "99999999999999999999"):
        assert error_of(r, "REPLICAOF", "127.0.0.1", port) == "Invalid master port"
    assert error_of(r, "REPLICAOF", "NO", "x") == "Invalid master port"


def test_replicaof_a_master_then_back(r):
    try:
        assert raw(r, "REPLICAOF", "127.0.0.1", 1) == b"OK"
        assert raw(r, "REPLICAOF", "127.0.0.1", 1) == b"OK Already connected to specified master"
        assert raw(r, "ROLE") == [b"slave", b"127.0.0.1", 1, b"connect", -1]
        hello = raw(r, "HELLO")
        assert (hello[b"role"] if isinstance(hello, dict) else hello[hello.index(b"role") + 1]) \
            == b"replica"
        assert error_of(r, "FAILOVER") == "FAILOVER is not valid when server is a replica."
    finally:
        assert raw(r, "REPLICAOF", "NO", "ONE") == b"OK"
    assert raw(r, "ROLE")[0] == b"master"


READ_ONLY_REPLICA = "You can't write against a read only replica."


def test_a_replica_refuses_writes(r):
    r.set("a", "1")
    try:
        assert raw(r, "REPLICAOF", "127.0.0.1", 1) == b"OK"
        with pytest.raises(redis.ReadOnlyError, match=READ_ONLY_REPLICA):
            raw(r, "SET", "a", "2")
        with pytest.raises(redis.ReadOnlyError, match=READ_ONLY_REPLICA):
            raw(r, "FLUSHALL")
        assert raw(r, "GET", "a") == b"1"
        assert error_of(r, "DEL") == "wrong number of arguments for 'del' command"
        assert raw(r, "MULTI") == b"OK"
        with pytest.raises(redis.ReadOnlyError, match=READ_ONLY_REPLICA):
            raw(r, "SET", "a", "2")
        assert error_of(r, "EXEC") == "Transaction discarded because of previous errors."
        r.config_set("replica-read-only", "no")
        assert raw(r, "SET", "a", "3") == b"OK"
    finally:
        r.config_set("replica-read-only", "yes")
        assert raw(r, "REPLICAOF", "NO", "ONE") == b"OK"
    assert raw(r, "SET", "a", "4") == b"OK"


REPLICA_LIBRARY = """#!lua name=replica
redis.register_function('set', function(k, a) return redis.call('set', k[1], a[1]) end)
redis.register_function{function_name='set_ro', flags={'no-writes'},
    callback=function(k, a) return redis.call('set', k[1], a[1]) end}
redis.register_function{function_name='get_ro', flags={'no-writes'},
    callback=function(k) return redis.call('get', k[1]) end}
redis.register_function('one', function() return 1 end)"""
SHEBANG_ONE = "#!lua\nreturn 1"
SHEBANG_RO_SET = "#!lua flags=no-writes\nreturn redis.call('set', 'a', '2')"


def script_suffix(script: str, line: int = 1) -> str:
    """What a script's raised error ends with."""
    return f" script: {hashlib.sha1(script.encode()).hexdigest()}, on @user_script:{line}."


def test_a_replica_refuses_writes_in_scripts(r):
    r.set("a", "1")
    raw(r, "FUNCTION", "LOAD", "REPLACE", REPLICA_LIBRARY)
    raw(r, "SCRIPT", "LOAD", SHEBANG_ONE)
    set_a = "return redis.call('set', 'a', '2')"
    try:
        assert raw(r, "REPLICAOF", "127.0.0.1", 1) == b"OK"
        # no shebang: the script runs, its write fails
        with pytest.raises(redis.ReadOnlyError, match="^" + re.escape(
                READ_ONLY_REPLICA + script_suffix(set_a)) + "$"):
            raw(r, "EVAL", set_a, 0)
        with pytest.raises(redis.ReadOnlyError, match="^" + READ_ONLY_REPLICA + "$"):
            raw(r, "EVAL", "return redis.pcall('set', 'a', '2')", 0)
        assert raw(r, "EVAL", "return redis.call('get', 'a')", 0) == b"1"
        assert raw(r, "EVAL", "return redis.call('publish', 'c', 'm')", 0) == 0
        assert error_of(r, "EVAL_RO", set_a, 0) == \
            "Write commands are not allowed from read-only scripts." + script_suffix(set_a)
        # a shebang without no-writes, or a function without it: refused before running
        for argv in (("EVAL", SHEBANG_ONE, 0), ("EVAL", SHEBANG_ONE, "x"),
                     ("EVAL_RO", SHEBANG_ONE, 0), ("EVAL", "#!lua\nreturn (", 0),
                     ("EVALSHA", hashlib.sha1(SHEBANG_ONE.encode()).hexdigest(), 0),
                     ("FCALL", "set", 1, "a", "2"), ("FCALL_RO", "set", 1, "a", "2"),
                     ("FCALL", "one", "x"), ("FCALL_RO", "one", 0)):
            with pytest.raises(redis.ReadOnlyError, match="^" + READ_ONLY_REPLICA + "$"):
                raw(r, *argv)
        assert error_of(r, "EVAL", SHEBANG_RO_SET, 0) == \
            "Write commands are not allowed from read-only scripts." + script_suffix(SHEBANG_RO_SET, 2)
        assert error_of(r, "FCALL_RO", "set_ro", 1, "a", "2") == \
            "Write commands are not allowed from read-only scripts. script: set_ro, on @user_function:4."
        assert raw(r, "FCALL_RO", "get_ro", 1, "a") == b"1"
        assert error_of(r, "FCALL", "nosuch", 0) == "Function not found"
        assert error_of(r, "EVAL", "#!lua flags=bogus\nreturn 1", 0) == \
            "Unexpected flag in script shebang: bogus"
        assert error_of(r, "EVALSHA", "0" * 40, 0) == "No matching script. Please use EVAL."
        assert raw(r, "MULTI") == b"OK"
        with pytest.raises(redis.ReadOnlyError, match="^" + READ_ONLY_REPLICA + "$"):
            raw(r, "EVAL", SHEBANG_ONE, 0)
        assert error_of(r, "EXEC") == "Transaction discarded because of previous errors."
        r.config_set("replica-read-only", "no")
        assert raw(r, "EVAL", set_a, 0) == b"OK"
        assert raw(r, "FCALL", "one", 0) == 1
    finally:
        r.config_set("replica-read-only", "yes")
        assert raw(r, "REPLICAOF", "NO", "ONE") == b"OK"
        raw(r, "FUNCTION", "DELETE", "replica")
    assert raw(r, "EVAL", "return redis.call('set', 'a', '3')", 0) == b"OK"


STALE_LIBRARY = """#!lua name=stale
redis.register_function{function_name='one', flags={'no-writes', 'allow-stale'},
    callback=function() return 1 end}
redis.register_function{function_name='get', flags={'no-writes', 'allow-stale'},
    callback=function() return redis.call('get', 'a') end}
redis.register_function{function_name='not_stale', flags={'no-writes'},
    callback=function() return 1 end}"""
MASTERDOWN = "Link with MASTER is down and replica-serve-stale-data is set to 'no'."
STALE_GET = "#!lua flags=no-writes,allow-stale\nreturn redis.call('get', 'a')"


def test_a_stale_replica_serves_only_stale_commands(r, make):
    raw(r, "FUNCTION", "LOAD", "REPLACE", STALE_LIBRARY)
    try:
        assert raw(r, "REPLICAOF", "127.0.0.1", 1) == b"OK"
        r.config_set("replica-serve-stale-data", "no")
        for argv in (("GET", "a"), ("PING",), ("DBSIZE",), ("FUNCTION", "LIST"), ("WAIT", 0, 0),
                     ("EVAL", "return 1", 0), ("EVAL_RO", "return 1", 0),
                     ("EVAL", "#!lua flags=no-writes\nreturn 1", 0), ("FCALL", "not_stale", 0)):
            assert error_of(r, *argv) == MASTERDOWN, argv
        with pytest.raises(redis.ReadOnlyError):  # READONLY comes first
            raw(r, "SET", "a", "1")
        with pytest.raises(redis.ReadOnlyError):
            raw(r, "EVAL", "#!lua flags=allow-stale\nreturn 1", 0)
        assert raw(r, "ECHO", "x") == b"x"
        assert raw(r, "SELECT", 0) == b"OK"
        assert raw(r, "EVAL", "#!lua flags=no-writes,allow-stale\nreturn 1", 0) == 1
        assert raw(r, "FCALL_RO", "one", 0) == 1
        assert error_of(r, "EVAL", STALE_GET, 0) == \
            "Can not execute the command on a stale replica" + script_suffix(STALE_GET, 2)
        assert error_of(r, "FCALL", "get", 0) == \
            "Can not execute the command on a stale replica script: get, on @user_function:5."
        assert error_of(r, "EVAL", "return 1", "x") == "value is not an integer or out of range"
        assert error_of(r, "EVALSHA", "0" * 40, 0) == "No matching script. Please use EVAL."
        assert raw(r, "MULTI") == b"OK"
        assert raw(r, "EVAL", "return 1", 0) == b"QUEUED"  # refused when it runs
        assert [str(e) for e in raw(r, "EXEC")] == [MASTERDOWN]
        assert raw(r, "MULTI") == b"OK"
        assert error_of(r, "GET", "a") == MASTERDOWN
        assert error_of(r, "EXEC") == "Transaction discarded because of previous errors."
        with one_connection(make(r)) as run, monitoring(r) as conn:
            for argv in (("GET", "a"), ("EVAL", "return 1", 0)):
                with pytest.raises(redis.ResponseError):
                    run(*argv)
            run("ECHO", "end")
            assert lines_until(conn, b'"ECHO" "end"') == [
                b"[0 " + run.addr + b'] "EVAL" "return 1" "0"',
                b"[0 " + run.addr + b'] "ECHO" "end"']
        with one_connection(make(r)) as run:
            run("HELLO", 2)  # subscribed mode refuses commands in RESP2 only
            run("SUBSCRIBE", "c")
            for argv, error in ((("GET", "a"), "Can't execute 'get': only (P|S)SUBSCRIBE / "
                                 "(P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"),
                                (("PING",), MASTERDOWN)):
                with pytest.raises(redis.ResponseError, match="^" + re.escape(error) + "$"):
                    run(*argv)
        r.config_set("replica-serve-stale-data", "yes")
        assert raw(r, "GET", "a") is None
    finally:
        r.config_set("replica-serve-stale-data", "yes")
        assert raw(r, "REPLICAOF", "NO", "ONE") == b"OK"
        raw(r, "FUNCTION", "DELETE", "stale")


def test_replconf(r):
    assert raw(r, "REPLCONF", "listening-port", 6380) == b"OK"
    assert raw(r, "REPLCONF", "capa", "eof", "capa", "psync2") == b"OK"
    assert error_of(r, "REPLCONF", "listening-port", "x") == \
        "value is not an integer or out of range"
    assert error_of(r, "REPLCONF", "listening-port") == "syntax error"
    assert error_of(r, "REPLCONF", "foo", "bar") == "Unrecognized REPLCONF option: foo"


def test_sync_and_psync_are_refused_in_multi(r):
    assert raw(r, "MULTI") == b"OK"
    assert error_of(r, "SYNC") == "Command not allowed inside a transaction"
    assert error_of(r, "PSYNC", "?", -1) == "Command not allowed inside a transaction"
    raw(r, "DISCARD")


# --- MODULE BGREWRITEAOF SHUTDOWN (errors) --------------------------------------------------------
def test_module(r):
    assert raw(r, "MODULE", "LIST") == []
    assert len(raw(r, "MODULE", "HELP")) == 11
    refused = ('MODULE command not allowed. If the enable-module-command option is set to "local", '
               "you can run it from a local connection, otherwise you need to set this option in "
               "the configuration file, and then restart the server.")
    assert error_of(r, "MODULE", "LOAD", "/nonexistent.so") == refused
    assert error_of(r, "MODULE", "LOADEX", "/nonexistent.so", "ARGS", 1) == refused
    assert error_of(r, "MODULE", "UNLOAD", "foo") == refused
    assert error_of(r, "MODULE", "foo") == "unknown subcommand 'foo'. Try MODULE HELP."


def test_bgrewriteaof(r):
    assert raw(r, "BGREWRITEAOF") == b"Background append only file rewriting started"
    wait_until(lambda: r.info("persistence")["aof_rewrite_in_progress"] == 0)


def test_shutdown_argument_errors(r):
    assert error_of(r, "SHUTDOWN", "foo") == "syntax error"
    assert error_of(r, "SHUTDOWN", "NOSAVE", "SAVE") == "syntax error"
    assert error_of(r, "SHUTDOWN", "ABORT", "NOW") == "syntax error"
    assert error_of(r, "SHUTDOWN", "ABORT") == "No shutdown in progress."
    assert raw(r, "MULTI") == b"OK"
    assert error_of(r, "SHUTDOWN") == "Command not allowed inside a transaction"
    raw(r, "DISCARD")


# --- CLUSTER ASKING READONLY READWRITE RESTORE-ASKING MIGRATE -------------------------------------
CLUSTER_CALLS = [
    ("INFO",), ("HELP",), ("KEYSLOT", "foo"), ("COUNTKEYSINSLOT", 1), ("GETKEYSINSLOT", 1, 1),
    ("MYID",), ("NODES",), ("SLOTS",), ("SHARDS",), ("LINKS",), ("RESET",), ("ADDSLOTS", 1),
    ("ADDSLOTSRANGE", 1, 2), ("DELSLOTS", 1), ("MEET", "127.0.0.1", 1), ("REPLICAS", "x"),
    ("SETSLOT", 1, "STABLE"), ("FAILOVER",), ("FLUSHSLOTS",), ("BUMPEPOCH",),
]


def test_cluster_support_is_disabled(r):
    for args in CLUSTER_CALLS:
        assert error_of(r, "CLUSTER", *args) == "This instance has cluster support disabled", args
    for name in ("ASKING", "READONLY", "READWRITE"):
        assert error_of(r, name) == "This instance has cluster support disabled"
    assert error_of(r, "CLUSTER", "foo") == "unknown subcommand 'foo'. Try CLUSTER HELP."
    assert error_of(r, "CLUSTER", "KEYSLOT") == \
        "wrong number of arguments for 'cluster|keyslot' command"


def test_restore_asking_restores(r):
    r.set("a", "v")
    payload = r.dump("a")
    assert error_of(r, "RESTORE-ASKING", "a", 0, payload) == \
        "BUSYKEY Target key name already exists."
    assert raw(r, "RESTORE-ASKING", "b", 0, payload) == b"OK"
    assert r.get("b") == b"v"


def test_migrate_errors(r):
    r.set("a", "v")
    assert raw(r, "MIGRATE", "127.0.0.1", 1, "missing", 0, 10) == b"NOKEY"
    assert raw(r, "MIGRATE", "127.0.0.1", 1, "", 0, 10, "KEYS", "x", "y") == b"NOKEY"
    assert error_of(r, "MIGRATE", "127.0.0.1", 1, "a", 0, "x") == \
        "value is not an integer or out of range"
    assert error_of(r, "MIGRATE", "127.0.0.1", 1, "a", "x", 10) == \
        "value is not an integer or out of range"
    assert error_of(r, "MIGRATE", "127.0.0.1", 1, "a", 0, 10, "bogus") == "syntax error"
    assert error_of(r, "MIGRATE", "127.0.0.1", 1, "a", 0, 10, "AUTH2", "u") == "syntax error"
    assert error_of(r, "MIGRATE", "127.0.0.1", 1, "a", 0, 10, "KEYS", "a") == \
        "When using MIGRATE KEYS option, the key argument must be set to the empty string"


def test_migrate_to_an_unreachable_target(r):
    r.set("a", "v")
    with pytest.raises(redis.ResponseError) as exc:
        raw(r, "MIGRATE", "127.0.0.1", free_port(), "a", 0, 100, "COPY", "REPLACE")
    assert str(exc.value) == "IOERR error or timeout writing to target instance"
    assert r.get("a") == b"v"


# --- COMMAND GETKEYSANDFLAGS, PUBSUB HELP ---------------------------------------------------------
def test_command_getkeysandflags(r):
    assert raw(r, "COMMAND", "GETKEYSANDFLAGS", "GET", "a") == [[b"a", [b"RO", b"access"]]]
    assert raw(r, "COMMAND", "GETKEYSANDFLAGS", "DEL", "a", "b") == \
        [[b"a", [b"RM", b"delete"]], [b"b", [b"RM", b"delete"]]]
    assert raw(r, "COMMAND", "GETKEYSANDFLAGS", "EVAL", "return 1", 0) == []
    assert error_of(r, "COMMAND", "GETKEYSANDFLAGS", "foo", "a") == "Invalid command specified"
    assert error_of(r, "COMMAND", "GETKEYSANDFLAGS", "GET") == \
        "wrong number of arguments for 'command|getkeysandflags' command"


def test_pubsub_help(r):
    lines = raw(r, "PUBSUB", "HELP")
    assert lines[0] == b"PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    assert lines[-2:] == [b"HELP", b"    Prints this help."]
    assert len(lines) == 14


# --- DEBUG ----------------------------------------------------------------------------------------
DEBUG_REFUSED = ('DEBUG command not allowed. If the enable-debug-command option is set to "local", '
                 "you can run it from a local connection, otherwise you need to set this option in "
                 "the configuration file, and then restart the server.")


def test_debug_is_refused_by_default(r):
    for args in (("HELP",), ("SLEEP", 0), ("foo",), ("OBJECT", "a")):
        assert error_of(r, "DEBUG", *args) == DEBUG_REFUSED
    assert error_of(r, "DEBUG") == "wrong number of arguments for 'debug' command"


@pytest.fixture
def private(backend: tuple[str, int], request: pytest.FixtureRequest) -> Iterator[Callable]:
    """``private(**config)``: a client of a server of its own for this backend, started with
    ``config`` (enable-debug-command ...); every server is stopped afterwards."""
    name, protocol = backend
    cleanups: list[Callable[[], Any]] = []

    def start(**config: str) -> redis.Redis:
        if name == "fake":
            return FakeRedis(server=FakeServer(config=config), protocol=protocol)
        if name == "tcp":
            tcp = TcpServer(("127.0.0.1", 0), FakeServer(config=config))
            tcp.start_in_thread()
            cleanups.append(lambda: (tcp.shutdown(), tcp.server_close()))
            port = tcp.port
        else:
            require_real(request)
            workdir = str(request.getfixturevalue("tmp_path"))
            started = start_redis_server(workdir, *(word for key, value in config.items()
                                                    for word in (f"--{key}", value)))
            if started is None:  # --redis-url names a server, but none can be started here
                no_real_server("no redis-server binary to start a private server")
            proc, port = started
            cleanups.append(lambda: (proc.kill(), proc.wait(10)))
        return redis.Redis(port=port, protocol=protocol)

    yield start
    for cleanup in cleanups:
        cleanup()


def test_debug_when_enabled(private):
    r = private(**{"enable-debug-command": "yes"})
    assert raw(r, "DEBUG", "SLEEP", 0) == b"OK"
    assert raw(r, "DEBUG", "SLEEP", "x") == b"OK"
    assert raw(r, "DEBUG", "HELP")[0] == \
        b"DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    assert len(raw(r, "DEBUG", "HELP")) == 106
    assert raw(r, "DEBUG", "DIGEST") == b"0" * 40
    assert raw(r, "DEBUG", "DIGEST-VALUE", "nokey") == [b"0" * 40]
    for sub in ("foo", "jmap", "object", "sleep", "set-active-expire", "log", "error"):
        assert error_of(r, "DEBUG", sub) == \
            f"unknown subcommand or wrong number of arguments for '{sub}'. Try DEBUG HELP."
    assert error_of(r, "DEBUG", "OBJECT", "nokey") == "no such key"
    assert error_of(r, "DEBUG", "ERROR", "FOO bar") == "FOO bar"
    r.set("a", "1")
    assert raw(r, "DEBUG", "RELOAD") == b"OK"
    assert error_of(r, "DEBUG", "RELOAD", "foo") == \
        "DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options."
    assert r.get("a") == b"1"
    assert raw(r, "DEBUG", "CHANGE-REPL-ID") == b"OK"
    assert raw(r, "DEBUG", "LOG", "hello") == b"OK"


def test_debug_object_fields(private):
    r = private(**{"enable-debug-command": "yes"})
    r.set("s", "bar")
    r.set("n", 12345)
    r.rpush("l", "a", "b", "c")
    fields = {}
    for key, encoding in (("s", "embstr"), ("n", "int"), ("l", "quicklist")):
        line = raw(r, "DEBUG", "OBJECT", key).decode()
        fields[key] = dict(part.split(":", 1) for part in line.split(" ")[2:])
        assert line.startswith("Value at:0x")
        assert fields[key]["encoding"] == encoding
        assert fields[key]["refcount"] == "1"
        assert fields[key]["lru_seconds_idle"] == "0"
    assert list(fields["s"]) == ["refcount", "encoding", "serializedlength", "lru",
                                 "lru_seconds_idle"]
    assert list(fields["l"])[5:] == ["ql_nodes", "ql_avg_node", "ql_listpack_max",
                                     "ql_compressed", "ql_uncompressed_size"]
    assert fields["s"]["serializedlength"] == "4"


def test_debug_set_active_expire(private):
    r = private(**{"enable-debug-command": "yes"})
    assert raw(r, "DEBUG", "SET-ACTIVE-EXPIRE", 0) == b"OK"
    r.set("a", 1, px=10)
    time.sleep(0.2)
    assert r.dbsize() == 1  # only an access expires it now
    assert r.get("a") is None
    assert r.dbsize() == 0
    assert raw(r, "DEBUG", "SET-ACTIVE-EXPIRE", 1) == b"OK"
    r.set("b", 1, px=10)
    wait_until(lambda: r.dbsize() == 0)


# --- SHUTDOWN -------------------------------------------------------------------------------------
def test_shutdown_closes_connections(private):
    r = private()
    kwargs = r.connection_pool.connection_kwargs
    other = FakeRedis(server=r.server) if isinstance(r, FakeRedis) else \
        redis.Redis(host=kwargs["host"], port=kwargs["port"])
    assert other.ping() is True
    r.set("a", 1)
    with pytest.raises(redis.ConnectionError):
        raw(r, "SHUTDOWN", "NOSAVE")
    with pytest.raises(redis.ConnectionError):
        other.ping()
    other.close()


def test_shutdown_through_redis_py(private):
    r = private()
    assert r.shutdown(nosave=True) is None  # redis-py returns None once the connection drops


def test_debug_segfault_takes_the_server_down(private):
    r = private(**{"enable-debug-command": "yes"})
    with pytest.raises(redis.ConnectionError):
        raw(r, "DEBUG", "SEGFAULT")


# --- MONITOR --------------------------------------------------------------------------------------
def test_monitor_shows_other_clients_commands(r, make):
    other = make(r)
    other.ping()
    seen: list[dict] = []
    with r.monitor() as monitor:
        def work() -> None:
            other.set("k", 'v "w"\n')
            try:
                other.execute_command("NOSUCHCOMMAND")
            except redis.ResponseError:
                pass
            try:
                other.execute_command("GET")
            except redis.ResponseError:
                pass
            try:
                other.execute_command("INCR", "k")
            except redis.ResponseError:
                pass
            other.config_get("maxmemory")
            other.execute_command("SELECT", 2)
            other.echo("end")

        thread = threading.Thread(target=work)
        thread.start()
        while not seen or seen[-1]["command"] != "ECHO end":
            seen.append(monitor.next_command())
        thread.join()
    assert [(c["db"], c["command"]) for c in seen] == [
        (0, 'SET k v "w"\\n'), (0, "INCR k"), (2, "SELECT 2"), (2, "ECHO end")]
    assert seen[0]["client_type"] == "tcp"
    assert seen[0]["time"] > 1e9


@contextlib.contextmanager
def monitoring(r: redis.Redis) -> Iterator[Any]:
    """A connection of ``r``'s pool in MONITOR mode, closed afterwards."""
    conn = r.connection_pool.get_connection()
    try:
        conn.send_command("MONITOR")
        assert conn.read_response() in (b"OK", "OK")
        yield conn
    finally:
        conn.disconnect()
        r.connection_pool.release(conn)


def test_monitor_lines_format_and_redaction(r, make):
    other = make(r)
    other.ping()
    with monitoring(r) as conn:
        with other.pipeline(transaction=True) as pipe:
            pipe.set("a", "\x01\t")
            pipe.get("a")
            pipe.execute()
        with pytest.raises(redis.AuthenticationError):
            raw(other, "AUTH", "nosuchuser", "secret")
        other.echo("end")
        lines = []
        while not lines or not lines[-1].endswith(b'"ECHO" "end"'):
            lines.append(conn.read_response(timeout=5))
    words = [line.split(b"] ", 1)[1] for line in lines]
    words = [w for w in words if w != b'"HELLO" "3"']  # RESP3: the reconnect after WRONGPASS
    assert words == [b'"MULTI"', b'"SET" "a" "\\x01\\t"', b'"GET" "a"', b'"EXEC"',
                     b'"AUTH" "(redacted)" "(redacted)"', b'"ECHO" "end"']
    stamp, where = lines[0].split(b" [", 1)[0], lines[0].split(b" [", 1)[1].split(b"]")[0]
    seconds, micros = stamp.split(b".")
    assert len(micros) == 6 and int(seconds) > 1e9
    assert where.startswith(b"0 127.0.0.1:")


def test_monitor_flag_and_reset_ends_monitoring(r, make):
    other = make(r)
    other.ping()
    with monitoring(r) as conn:
        flags = {c["cmd"]: c["flags"] for c in other.client_list()}
        assert flags["monitor"] == "O"
        conn.send_command("RESET")
        assert conn.read_response() in (b"RESET", "RESET")
        other.set("k", "v")
        conn.send_command("PING")
        assert conn.read_response() in (b"PONG", "PONG")  # no monitor line came before it
        assert "monitor" not in {c["cmd"] for c in other.client_list()}


def test_a_monitor_cannot_touch_the_keyspace(r, make):
    other = make(r)
    other.set("k", "v")
    with monitoring(r) as conn:
        for argv in (("GET", "k"), ("SET", "k", "w")):
            conn.send_command(*argv)
            with pytest.raises(redis.ResponseError,
                               match="^Replica can't interact with the keyspace$"):
                conn.read_response()
        other.echo("end")  # the refused commands were not shown: the next line is this one
        assert conn.read_response(timeout=5).endswith(b'"ECHO" "end"')
    assert other.get("k") == b"v"



def lines_until(conn: Any, last: bytes) -> list[bytes]:
    """Monitor lines without their timestamps, up to the one ending with ``last``."""
    lines: list[bytes] = []
    while not lines or not lines[-1].endswith(last):
        lines.append(conn.read_response(timeout=5).split(b" ", 1)[1])
    return lines


@contextlib.contextmanager
def one_connection(r: redis.Redis) -> Iterator[Callable[..., Any]]:
    """``run(*args)``: the raw reply of a command sent on one connection of ``r``'s pool (an
    error reply raised); ``run.read()`` reads one more reply, ``run.addr`` is its address as
    MONITOR shows it. The connection is closed afterwards."""
    conn = r.connection_pool.get_connection()

    def run(*args: Any) -> Any:
        conn.send_command(*args)
        return conn.read_response()

    try:
        info = run("CLIENT", "INFO")
        run.addr = [w for w in info.split() if w.startswith(b"addr=")][0][5:]  # type: ignore
        run.read = conn.read_response  # type: ignore
        yield run
    finally:
        conn.disconnect()
        r.connection_pool.release(conn)


SET_GET = "redis.call('set', KEYS[1], ARGV[1]); redis.pcall('nosuch'); redis.pcall('get'); " \
    "redis.pcall('auth', 'a', 'b'); redis.call('select', '3'); return redis.call('get', KEYS[1])"


def quoted(script: str) -> bytes:
    """A script as a MONITOR line quotes it (single quotes stay)."""
    return b'"' + script.encode() + b'"'


def test_monitor_shows_the_commands_scripts_run(r, make):
    raw(r, "FUNCTION", "LOAD", "REPLACE", REPLICA_LIBRARY)
    incr = "return redis.call('incr', 'k')"
    get = "return redis.call('get', 'k')"
    try:
        with one_connection(make(r)) as run, monitoring(r) as conn:
            assert run("EVAL", SET_GET, 1, "k", "v") is None
            with pytest.raises(redis.ResponseError):
                run("EVAL", incr, 0)
            with pytest.raises(redis.ResponseError):
                run("EVAL", "return (", 0)
            with pytest.raises(redis.ResponseError):
                run("EVALSHA", "0" * 40, 0)
            assert run("FCALL", "set", 1, "f", "x") == b"OK"
            assert run("EVAL_RO", get, 0) == b"v"
            assert run("ECHO", "end") == b"end"
            lines = lines_until(conn, b'"ECHO" "end"')
            me = b"[0 " + run.addr + b"] "
    finally:
        raw(r, "FUNCTION", "DELETE", "replica")
    assert lines == [
        me + b'"EVAL" ' + quoted(SET_GET) + b' "1" "k" "v"',
        b'[0 lua] "set" "k" "v"', b'[3 lua] "select" "3"', b'[3 lua] "get" "k"',
        me + b'"EVAL" ' + quoted(incr) + b' "0"', b'[0 lua] "incr" "k"',
        me + b'"EVAL" "return (" "0"',
        me + b'"EVALSHA" "' + b"0" * 40 + b'" "0"',
        me + b'"FCALL" "set" "1" "f" "x"', b'[0 lua] "set" "f" "x"',
        me + b'"EVAL_RO" ' + quoted(get) + b' "0"', b'[0 lua] "get" "k"',
        me + b'"ECHO" "end"']


def test_monitor_shows_a_transaction_when_exec_runs_it(r, make):
    get = "return redis.call('get', 'a')"
    with one_connection(make(r)) as run, monitoring(r) as conn:
        for argv in (("MULTI",), ("SET", "a", "1"), ("EVAL", get, 0), ("LPUSH", "a", "x"),
                     ("CONFIG", "GET", "maxmemory"), ("SELECT", 2), ("GET", "a")):
            run(*argv)
        replies = run("EXEC")
        assert isinstance(replies[2], redis.ResponseError) and replies[4] == b"OK"
        for argv in (("MULTI",), ("SET", "a", "2"), ("DISCARD",), ("MULTI",), ("SET", "a", "3")):
            run(*argv)
        with pytest.raises(redis.ResponseError):
            run("GET")
        with pytest.raises(redis.ResponseError):
            run("EXEC")
        run("WATCH", "a")
        raw(make(r), "SELECT", 2)
        for argv in (("MULTI",), ("SET", "a", "5")):
            run(*argv)
        assert run("EXEC") == [b"OK"]
        run("ECHO", "end")
        lines = lines_until(conn, b'"ECHO" "end"')
        before, after = b"[0 " + run.addr + b"] ", b"[2 " + run.addr + b"] "
    assert [line for line in lines if b"127.0.0.1" not in line or run.addr in line] == [
        before + b'"MULTI"', before + b'"SET" "a" "1"', before + b'"EVAL" ' + quoted(get) + b' "0"',
        b'[0 lua] "get" "a"', before + b'"LPUSH" "a" "x"', after + b'"SELECT" "2"',
        after + b'"GET" "a"', after + b'"EXEC"',
        after + b'"MULTI"', after + b'"DISCARD"', after + b'"MULTI"', after + b'"EXEC"',
        after + b'"WATCH" "a"', after + b'"MULTI"', after + b'"SET" "a" "5"', after + b'"EXEC"',
        after + b'"ECHO" "end"']


def test_a_monitors_own_commands_are_shown_after_their_replies(r):
    with one_connection(r) as run:
        me = b"[0 " + run.addr + b"] "
        assert run("MONITOR") == b"OK"
        assert run("PING") == b"PONG"
        assert run.read(timeout=5).split(b" ", 1)[1] == me + b'"PING"'
        assert run("ECHO", "x") == b"x"
        assert run.read(timeout=5).split(b" ", 1)[1] == me + b'"ECHO" "x"'
        assert run("RESET") == b"RESET"
        assert run("PING") == b"PONG"  # no longer a monitor: no line


def test_a_monitor_reads_earlier_lines_before_its_own_reply(r, make):
    other = make(r)
    other.ping()  # connected (its handshake shown to nobody)
    with one_connection(r) as run:
        assert run("MONITOR") == b"OK"
        other.echo("before")
        time.sleep(0.05)  # the other client's line is on its way before the monitor sends PING
        stream = [run("PING"), run.read(timeout=5), run.read(timeout=5)]
    assert stream[0].endswith(b'"ECHO" "before"')
    assert stream[1] == b"PONG"
    assert stream[2].endswith(b"[0 " + run.addr + b'] "PING"')


def test_monitor_hides_commands_refused_before_running(r, make):
    raw(r, "ACL", "SETUSER", "getter", "on", ">pw", "+get", "+exec", "+echo", "+client|info",
        "~*")
    try:
        with one_connection(make(r)) as run, monitoring(r) as conn:
            assert run("AUTH", "getter", "pw") == b"OK"
            with pytest.raises(redis.exceptions.NoPermissionError):
                run("SET", "a", "1")
            with pytest.raises(redis.ResponseError, match="^EXEC without MULTI$"):
                run("EXEC")
            run("ECHO", "end")
            lines = lines_until(conn, b'"ECHO" "end"')
            me = b"[0 " + run.addr + b"] "
    finally:
        raw(r, "ACL", "DELUSER", "getter")
    assert lines == [me + b'"AUTH" "(redacted)" "(redacted)"', me + b'"EXEC"', me + b'"ECHO" "end"']


def test_acl_is_checked_before_replica_and_monitor_refusals(r):
    raw(r, "ACL", "SETUSER", "setter", "on", ">pw", "+set", "+monitor", "+replicaof", "~*")
    try:
        with one_connection(r) as run:
            assert run("AUTH", "setter", "pw") == b"OK"
            assert run("REPLICAOF", "127.0.0.1", 1) == b"OK"
            with pytest.raises(redis.exceptions.NoPermissionError,
                               match="^this user has no permissions to run the 'get' command$"):
                run("GET", "a")
            with pytest.raises(redis.ReadOnlyError, match="^" + READ_ONLY_REPLICA + "$"):
                run("SET", "a", "1")
            assert run("REPLICAOF", "NO", "ONE") == b"OK"
            assert run("MONITOR") == b"OK"
            with pytest.raises(redis.exceptions.NoPermissionError,
                               match="^this user has no permissions to run the 'get' command$"):
                run("GET", "a")
            with pytest.raises(redis.ResponseError,
                               match="^Replica can't interact with the keyspace$"):
                run("SET", "a", "1")
    finally:
        raw(r, "REPLICAOF", "NO", "ONE")
        raw(r, "ACL", "DELUSER", "setter")


def test_monitor_redacts_credentials_as_the_commands_parse_them(r, make):
    with one_connection(make(r)) as run, monitoring(r) as conn:
        assert run("MIGRATE", "127.0.0.1", 1, "k", 0, 10, "AUTH", "pw") == b"NOKEY"
        assert run("MIGRATE", "127.0.0.1", 1, "", 0, 10, "COPY", "AUTH2", "u", "pw", "KEYS",
                   "a") == b"NOKEY"
        for argv in (("MIGRATE", "127.0.0.1", 1, "", 0, 10, "AUTH2", "u"),
                     ("MIGRATE", "127.0.0.1", 1, "", 0, 10, "X", "AUTH", "u"),
                     ("HELLO", 2, "AUTH", "x"), ("HELLO", "x", "AUTH", "u", "p"),
                     ("HELLO", "03", "AUTH", "u", "p"), ("HELLO", 4, "AUTH", "u", "p"),
                     ("HELLO", 2, "SETNAME", "a", "b", "AUTH", "u", "p"),
                     ("AUTH", "u", "p", "x")):
            with pytest.raises(redis.ResponseError):
                run(*argv)
        with pytest.raises(redis.AuthenticationError):  # the last: redis-py reconnects after it
            run("HELLO", 2, "SETNAME", "AUTH", "AUTH", "x", "y")
        lines = lines_until(conn, b'"(redacted)" "(redacted)"')
        me = b"[0 " + run.addr + b"] "
    migrate = b'"MIGRATE" "127.0.0.1" "1" '
    assert lines == [
        me + migrate + b'"k" "0" "10" "AUTH" "(redacted)"',
        me + migrate + b'"" "0" "10" "COPY" "AUTH2" "(redacted)" "(redacted)" "KEYS" "a"',
        me + migrate + b'"" "0" "10" "AUTH2" "u"', me + migrate + b'"" "0" "10" "X" "AUTH" "u"',
        me + b'"HELLO" "2" "AUTH" "x"', me + b'"HELLO" "x" "AUTH" "u" "p"',
        me + b'"HELLO" "03" "AUTH" "u" "p"', me + b'"HELLO" "4" "AUTH" "u" "p"',
        me + b'"HELLO" "2" "SETNAME" "a" "b" "AUTH" "u" "p"', me + b'"AUTH" "u" "p" "x"',
        me + b'"HELLO" "2" "SETNAME" "AUTH" "AUTH" "(redacted)" "(redacted)"']


def test_monitor_is_refused_in_a_transaction(r, make):
    with one_connection(r) as run:
        assert run("MULTI") == b"OK"
        assert run("MONITOR") == b"QUEUED"
        replies = run("EXEC")
        assert [str(reply) for reply in replies] == ["MONITOR isn't allowed for DENY BLOCKING client"]
        assert run("PING") == b"PONG"
        assert "monitor" not in {c["cmd"] for c in make(r).client_list()}


def test_client_reply_off_and_skip_silence_monitor_lines(r, make):
    if isinstance(r, FakeRedis):
        return  # an in-process client always reads one reply per command
    other = make(r)
    kwargs = r.connection_pool.connection_kwargs
    with socket.create_connection((kwargs["host"], kwargs["port"]), timeout=5) as sock:
        received = b""

        def read_until(end: bytes) -> bytes:
            nonlocal received
            while end not in received:
                received += sock.recv(65536)
            text, received = received.split(end, 1)
            return text + end

        def last_command_is(cmd: str) -> None:
            wait_until(lambda: {c["name"]: c["cmd"] for c in other.client_list()}["mon"] == cmd)

        sock.sendall(b"CLIENT SETNAME mon\r\nMONITOR\r\n")
        assert read_until(b"+OK\r\n+OK\r\n") == b"+OK\r\n+OK\r\n"
        sock.sendall(b"CLIENT REPLY OFF\r\n")
        last_command_is("client|reply")
        other.echo("off")
        sock.sendall(b"CLIENT REPLY ON\r\n")
        assert read_until(b"\r\n") == b"+OK\r\n"
        assert read_until(b"\r\n").endswith(b'"CLIENT" "REPLY" "ON"\r\n')
        sock.sendall(b"CLIENT REPLY SKIP\r\n")
        assert read_until(b"\r\n").endswith(b'"CLIENT" "REPLY" "SKIP"\r\n')
        other.echo("skipped")
        sock.sendall(b"PING\r\n")
        last_command_is("ping")
        other.echo("on")
        assert read_until(b"\r\n").endswith(b'"ECHO" "on"\r\n')
