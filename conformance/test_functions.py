"""FUNCTION LOAD / LIST / DELETE / FLUSH / DUMP / RESTORE / STATS / KILL and FCALL / FCALL_RO."""

from __future__ import annotations

import time
from typing import Any

import pytest
import redis

from conformance.helpers import Blocked, error_of, is_resp3, raw

LIB = (
    "#!lua name=mylib\n"
    "redis.register_function('echo_args', function(keys, args) return {keys, args} end)\n"
    "redis.register_function{function_name = 'getter', description = 'reads',\n"
    "  callback = function(keys, args) return redis.call('get', keys[1]) end,\n"
    "  flags = {'no-writes'}}\n"
    "redis.register_function('setter', function(keys, args)\n"
    "  return redis.call('set', keys[1], args[1]) end)\n"
)

# FUNCTION DUMP of a library 'dumped' registering 'dumped_fn' and 'dumped_fn2', taken from
# Redis 7.0.15 (its string is LZF-compressed, as Redis writes strings longer than 20 bytes).
REAL_DUMP = (
    b"\xf5\xc3@m@\xc3\x1f#!lua name=dumped\nredis.register\n_function('\x80\x1f\x05_fn', "
    b"\xe0\x00\x15\x17keys, args) return 'from \x0c\x01al \x04 K\x05' end)\xe0\x1aW\x002"
    b"\xe0+X\x01)\n\n\x00\x14\x02\x13\x11\x07\xdf\xad\x80"
)


@pytest.fixture(autouse=True)
def no_libraries(r):
    raw(r, "FUNCTION", "FLUSH")
    yield
    raw(r, "FUNCTION", "FLUSH")


def load(r: redis.Redis, code: str, *options: str) -> Any:
    return raw(r, "FUNCTION", "LOAD", *options, code)


def listing(r: redis.Redis, *args: str) -> list[dict[bytes, Any]]:
    """FUNCTION LIST as a list of dicts with functions sorted by name, whatever the protocol."""
    out = []
    for entry in raw(r, "FUNCTION", "LIST", *args):
        if not isinstance(entry, dict):
            entry = dict(zip(entry[::2], entry[1::2]))
        functions = []
        for function in entry[b"functions"]:
            if not isinstance(function, dict):
                function = dict(zip(function[::2], function[1::2]))
            function[b"flags"] = sorted(function[b"flags"])
            functions.append(function)
        entry[b"functions"] = sorted(functions, key=lambda f: f[b"name"])
        out.append(entry)
    return out


# --- loading ---------------------------------------------------------------------------------------

def test_load_and_fcall(r):
    assert load(r, LIB) == b"mylib"
    assert raw(r, "FCALL", "echo_args", 2, "k1", "k2", "a1") == [[b"k1", b"k2"], [b"a1"]]
    assert raw(r, "FCALL", "setter", 1, "k", "v") == b"OK"
    assert raw(r, "FCALL", "getter", 1, "k") == b"v"
    assert raw(r, "FCALL_RO", "getter", 1, "k") == b"v"


def test_load_twice_needs_replace(r):
    load(r, LIB)
    assert error_of(r, "FUNCTION", "LOAD", LIB) == "Library 'mylib' already exists"
    replacement = "#!lua name=mylib\nredis.register_function('other', function() return 2 end)"
    assert load(r, replacement, "REPLACE") == b"mylib"
    assert raw(r, "FCALL", "other", 0) == 2
    assert error_of(r, "FCALL", "setter", 0) == "Function not found"


def test_function_names_are_unique_across_libraries(r):
    load(r, LIB)
    code = "#!lua name=second\nredis.register_function('getter', function() return 1 end)"
    assert error_of(r, "FUNCTION", "LOAD", code) == "Function getter already exists"
    assert [entry[b"library_name"] for entry in listing(r)] == [b"mylib"]


@pytest.mark.parametrize("code, message", [
    ("redis.register_function('f', function() return 1 end)", "Missing library metadata"),
    ("#!lua\nredis.register_function('f', function() return 1 end)",
     "Library name was not given"),
    ("#!lua name=a b=c\n", "Invalid metadata value given: b=c"),
    ("#!lua name=a name=b\n", "Invalid metadata value, name argument was given multiple times"),
    ("#!python name=a\n", "Engine 'python' not found"),
    ("#!lua name=a-b\n", "Library names can only contain letters, numbers, or underscores(_) "
                         "and must be at least one character long"),
    ("#!lua name=a\nreturn 1", "No functions registered"),
    ("#!lua name=a\nsyntax error", "Error compiling function: user_function:2: '=' expected near "
                                   "'error'"),
    ("#!lua name=a\nx = 1", "Error registering functions: ERR user_function:2: Attempt to modify "
                            "a readonly table"),
    ("#!lua name=a\nredis.call('ping')", "Error registering functions: ERR user_function:2: "
     "Script attempted to access nonexistent global variable 'call'"),
    ("#!lua name=a\nlocal p = pairs", "Error registering functions: ERR user_function:2: "
     "Script attempted to access nonexistent global variable 'pairs'"),
    ("#!lua name=a\nredis.register_function('f')", "Error registering functions: ERR calling "
     "redis.register_function with a single argument is only applicable to Lua table "
     "(representing named arguments)."),
    ("#!lua name=a\nredis.register_function('f', 5)", "Error registering functions: ERR second "
     "argument to redis.register_function must be a function"),
    ("#!lua name=a\nredis.register_function('f', function() end)\n"
     "redis.register_function('f', function() end)",
     "Error registering functions: ERR Function already exists in the library"),
    ("#!lua name=a\nredis.register_function{function_name='f', callback=function() end, "
     "flags={'bogus'}}", "Error registering functions: ERR unknown flag given"),
    ("#!lua name=a\nredis.register_function{function_name='f', callback=function() end, "
     "flags='no-writes'}", "Error registering functions: ERR flags argument to "
     "redis.register_function must be a table representing function flags"),
    ("#!lua name=a\nredis.register_function{function_name='f', callback=function() end, "
     "bogus=1}", "Error registering functions: ERR unknown argument given to "
     "redis.register_function"),
    ("#!lua name=a\nredis.register_function('f-g', function() end)", "Error registering "
     "functions: ERR Library names can only contain letters, numbers, or underscores(_) and "
     "must be at least one character long"),
])
def test_load_errors(r, code, message):
    assert error_of(r, "FUNCTION", "LOAD", code) == message
    assert listing(r) == []


def test_load_with_an_unknown_option(r):
    assert error_of(r, "FUNCTION", "LOAD", "BOGUS", LIB) == "Unknown option given: BOGUS"


def test_library_code_sees_the_full_sandbox_when_called(r):
    code = ("#!lua name=lib\nlocal function helper() return string.upper('x') end\n"
            "redis.register_function('u', function(keys, args) return helper() end)\n"
            "redis.register_function('v', function() return redis.REDIS_VERSION ~= nil end)")
    load(r, code)
    assert raw(r, "FCALL", "u", 0) == b"X"
    assert raw(r, "FCALL", "v", 0) == 1


def test_loadstring_in_a_function_gets_the_function_globals(r):
    load(r, "#!lua name=lib\nredis.register_function('f', function() "
            "return loadstring('return type(KEYS)')() end)")
    assert error_of(r, "FCALL", "f", 0) == "[string \"return type(KEYS)\"]:1: Script attempted " \
        "to access nonexistent global variable 'KEYS' script: f, on return type(KEYS):1."


def test_function_runtime_errors_name_the_function(r):
    code = ("#!lua name=lib\nredis.register_function('boom', function() error('boom') end)\n"
            "redis.register_function('glob', function() return x end)\n"
            "redis.register_function('incr', function() return redis.call('incr', 's') end)")
    load(r, code)
    r.set("s", "abc")
    assert error_of(r, "FCALL", "boom", 0) == \
        "user_function:2: boom script: boom, on @user_function:2."
    assert error_of(r, "FCALL", "glob", 0) == "user_function:3: Script attempted to access " \
        "nonexistent global variable 'x' script: glob, on @user_function:3."
    assert error_of(r, "FCALL", "incr", 0) == \
        "value is not an integer or out of range script: incr, on @user_function:4."


# --- calling ---------------------------------------------------------------------------------------

def test_fcall_errors(r):
    load(r, LIB)
    assert error_of(r, "FCALL", "nosuch", 0) == "Function not found"
    assert error_of(r, "FCALL", "echo_args", "x") == "Bad number of keys provided"
    assert error_of(r, "FCALL", "echo_args", -1) == "Number of keys can't be negative"
    assert error_of(r, "FCALL", "echo_args", 2, "a") == \
        "Number of keys can't be greater than number of args"


def test_fcall_ro_needs_no_writes(r):
    load(r, LIB)
    assert error_of(r, "FCALL_RO", "setter", 1, "k", "v") == \
        "Can not execute a script with write flag using *_ro command."
    assert r.get("k") is None


def test_no_writes_function_cannot_write(r):
    code = ("#!lua name=lib\nredis.register_function{function_name='w', flags={'no-writes'},\n"
            "callback=function(keys) return redis.call('set', keys[1], 'x') end}")
    load(r, code)
    for command in ("FCALL", "FCALL_RO"):
        assert error_of(r, command, "w", 1, "k") == \
            "Write commands are not allowed from read-only scripts. script: w, on @user_function:3."
    assert r.get("k") is None


def test_functions_survive_flushall(r):
    load(r, LIB)
    raw(r, "FLUSHALL")
    assert raw(r, "FCALL", "echo_args", 0) == [[], []]


# --- listing, deleting, flushing -------------------------------------------------------------------

def test_function_list(r):
    load(r, LIB)
    load(r, "#!lua name=other\nredis.register_function('x', function() return 1 end)")
    entries = listing(r, "LIBRARYNAME", "my*")
    assert entries == [{
        b"library_name": b"mylib", b"engine": b"LUA",
        b"functions": [
            {b"name": b"echo_args", b"description": None, b"flags": []},
            {b"name": b"getter", b"description": b"reads", b"flags": [b"no-writes"]},
            {b"name": b"setter", b"description": None, b"flags": []},
        ],
    }]
    with_code = listing(r, "WITHCODE", "LIBRARYNAME", "other")
    assert with_code[0][b"library_code"] == \
        b"#!lua name=other\nredis.register_function('x', function() return 1 end)"
    assert sorted(entry[b"library_name"] for entry in listing(r)) == [b"mylib", b"other"]


def test_function_list_errors(r):
    assert error_of(r, "FUNCTION", "LIST", "BOGUS") == "Unknown argument BOGUS"
    assert error_of(r, "FUNCTION", "LIST", "LIBRARYNAME") == "library name argument was not given"


def test_function_delete(r):
    load(r, LIB)
    assert raw(r, "FUNCTION", "DELETE", "mylib") == b"OK"
    assert error_of(r, "FCALL", "getter", 1, "k") == "Function not found"
    assert error_of(r, "FUNCTION", "DELETE", "mylib") == "Library not found"


def test_function_flush(r):
    load(r, LIB)
    assert raw(r, "FUNCTION", "FLUSH", "ASYNC") == b"OK"
    assert listing(r) == []
    assert raw(r, "FUNCTION", "FLUSH", "sync") == b"OK"
    assert error_of(r, "FUNCTION", "FLUSH", "X") == "FUNCTION FLUSH only supports SYNC|ASYNC option"


def test_function_stats_when_idle(r):
    load(r, LIB)
    stats = raw(r, "FUNCTION", "STATS")
    expected_engines = {b"LUA": {b"libraries_count": 1, b"functions_count": 3}}
    if is_resp3(r):
        assert stats == {b"running_script": None, b"engines": expected_engines}
    else:
        assert stats == [b"running_script", None, b"engines",
                         [b"LUA", [b"libraries_count", 1, b"functions_count", 3]]]


def test_function_help(r):
    lines = raw(r, "FUNCTION", "HELP")
    assert lines[0] == b"FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    assert lines[-1] == b"    Prints this help."
    assert len(lines) == 40


# --- dump and restore ------------------------------------------------------------------------------

def test_dump_and_restore(r):
    load(r, LIB)
    payload = raw(r, "FUNCTION", "DUMP")
    assert error_of(r, "FUNCTION", "RESTORE", payload) == "Library mylib already exists"
    assert raw(r, "FUNCTION", "RESTORE", payload, "REPLACE") == b"OK"
    raw(r, "FUNCTION", "FLUSH")
    assert raw(r, "FUNCTION", "RESTORE", payload) == b"OK"
    assert raw(r, "FCALL", "echo_args", 1, "k") == [[b"k"], []]
    load(r, "#!lua name=other\nredis.register_function('x', function() return 1 end)")
    assert raw(r, "FUNCTION", "RESTORE", payload, "FLUSH") == b"OK"
    assert [entry[b"library_name"] for entry in listing(r)] == [b"mylib"]


def test_restore_a_payload_from_real_redis(r):
    assert raw(r, "FUNCTION", "RESTORE", REAL_DUMP) == b"OK"
    assert raw(r, "FCALL", "dumped_fn", 0) == b"from real redis"


def test_dump_is_byte_for_byte_redis(r):
    code = ("#!lua name=dumped\nredis.register_function('dumped_fn', function(keys, args) "
            "return 'from real redis' end)\nredis.register_function('dumped_fn2', "
            "function(keys, args) return 'from real redis' end)\n")
    load(r, code)
    assert raw(r, "FUNCTION", "DUMP") == REAL_DUMP


def test_dump_of_nothing(r):
    payload = raw(r, "FUNCTION", "DUMP")
    assert payload[:2] == b"\n\x00" and len(payload) == 10
    assert raw(r, "FUNCTION", "RESTORE", payload) == b"OK"


def test_restore_errors(r):
    payload = raw(r, "FUNCTION", "DUMP")
    assert error_of(r, "FUNCTION", "RESTORE", b"garbage") == \
        "DUMP payload version or checksum are wrong"
    assert error_of(r, "FUNCTION", "RESTORE", payload, "BOGUS") == \
        "Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE."
    corrupted = REAL_DUMP[:20] + b"X" + REAL_DUMP[21:]
    assert error_of(r, "FUNCTION", "RESTORE", corrupted) == \
        "DUMP payload version or checksum are wrong"


def test_restore_is_all_or_nothing(r):
    load(r, "#!lua name=other\nredis.register_function('dumped_fn', function() return 1 end)")
    assert error_of(r, "FUNCTION", "RESTORE", REAL_DUMP) == "Function dumped_fn already exists"
    assert [entry[b"library_name"] for entry in listing(r)] == [b"other"]


# --- busy functions --------------------------------------------------------------------------------

@pytest.fixture
def clients(r, make):
    runner, other = make(r), make(r)
    runner.ping()
    other.ping()
    old = other.config_get("busy-reply-threshold")["busy-reply-threshold"]
    other.config_set("busy-reply-threshold", 100)
    yield runner, other
    other.config_set("busy-reply-threshold", old)


def test_busy_function_and_function_kill(r, clients):
    runner, other = clients
    load(r, "#!lua name=lib\nredis.register_function('spin', function() while true do end end)")
    spinner = Blocked(runner, "FCALL", "spin", "0")
    try:
        busy = _wait_for_busy(other)
        stats = other.execute_command("FUNCTION", "STATS")
        with pytest.raises(redis.ResponseError) as script_kill:
            other.script_kill()
    finally:
        killed = other.execute_command("FUNCTION", "KILL")
        reply = spinner.result()
    assert busy == \
        "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE."
    assert str(script_kill.value) == busy
    running = stats[b"running_script"] if isinstance(stats, dict) else stats[1]
    if not isinstance(running, dict):
        running = dict(zip(running[::2], running[1::2]))
    assert running[b"name"] == b"spin"
    command = running[b"command"]
    # Redis shows the command name as the client spelled it; fakeredis shows it in lower case
    assert [command[0].lower(), *command[1:]] == [b"fcall", b"spin", b"0"]
    assert killed == b"OK"
    assert str(reply).startswith("Script killed by user with SCRIPT KILL...")


def _wait_for_busy(client: redis.Redis) -> str:
    for _ in range(2000):
        try:
            client.get("x")
        except redis.ResponseError as exc:
            if str(exc).startswith("BUSY"):
                return str(exc)
            raise
        time.sleep(0.005)
    raise AssertionError("never got BUSY")
