"""Hostile Lua: endless loops and SCRIPT/FUNCTION KILL, deep recursion, big allocations and
replies, sandbox escapes. After each, the server answers and keeps its data."""

from __future__ import annotations

import hashlib
import threading
import time
from typing import Any, Iterator

import pytest
import redis

from conformance.helpers import raw

BUSY_EVAL = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."
BUSY_FUNCTION = \
    "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE."
UNKILLABLE = (
    "UNKILLABLE Sorry the script already executed write commands against the dataset. You can "
    "either wait the script termination or kill the server in a hard way using the SHUTDOWN "
    "NOSAVE command.")


def sha(script: str) -> str:
    return hashlib.sha1(script.encode()).hexdigest()


def error_of(r: redis.Redis, script: str) -> str:
    with pytest.raises(redis.ResponseError) as exc:
        raw(r, "EVAL", script, 0)
    return str(exc.value)


@pytest.fixture
def data(r) -> Iterator[None]:
    """Data written before the hostile script; checked intact afterwards, with PING."""
    r.set("kept", "value")
    r.rpush("list", "a", "b")
    yield
    assert r.ping() is True
    assert r.get("kept") == b"value"
    assert r.lrange("list", 0, -1) == [b"a", b"b"]


@pytest.fixture
def pair(r, make, data):
    """A runner and an observer connected before any script runs; a 50 ms busy threshold."""
    runner, other = make(r), make(r)
    runner.ping()
    other.ping()
    old = other.config_get("busy-reply-threshold")["busy-reply-threshold"]
    other.config_set("busy-reply-threshold", 50)
    yield runner, other
    other.config_set("busy-reply-threshold", old)


def in_thread(call: Any) -> tuple[threading.Thread, list[Any]]:
    out: list[Any] = []

    def target() -> None:
        try:
            out.append(call())
        except redis.ResponseError as exc:
            out.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    return thread, out


def wait_for_busy(client: redis.Redis) -> str:
    for _ in range(1000):
        try:
            client.get("kept")
        except redis.ResponseError as exc:
            if str(exc).startswith("BUSY"):
                return str(exc)
            raise
        time.sleep(0.005)
    raise AssertionError("never got BUSY")


# --- endless loops -------------------------------------------------------------------------------

@pytest.mark.parametrize("script, line", [
    ("while true do end", 1),
    ("\n\nwhile true do\nend", 3),
    ("local function spin() while true do end end spin()", 1),
    ("while true do pcall(function() while true do end end) end", 1),
    ("while true do local ok, e = pcall(function() while true do end end) end", 1),
    ("local n = 0 while true do n = n + 1 pcall(error, 'x') end", 1),
    ("while true do xpcall(function() while true do end end, function(e) return e end) end", 1),
    ("local co = coroutine.wrap(function() while true do end end) co()", 1),
    ("while true do redis.call('get', 'kept') end", 1),
    ("while true do pcall(redis.call, 'get', 'kept') end", 1),
])
def test_script_kill_stops_an_endless_read_only_script(pair, script, line):
    runner, other = pair
    thread, out = in_thread(lambda: runner.eval(script, 0))
    try:
        busy = wait_for_busy(other)
    finally:
        killed = other.script_kill()
        thread.join(10)
    assert not thread.is_alive()
    assert busy == BUSY_EVAL
    assert killed is True
    assert str(out[0]) == \
        f"Script killed by user with SCRIPT KILL... script: {sha(script)}, on @user_script:{line}."
    with pytest.raises(redis.ResponseError) as exc:
        other.script_kill()
    assert str(exc.value) == "NOTBUSY No scripts in execution right now."


def test_a_script_that_wrote_is_unkillable_until_it_ends(pair):
    runner, other = pair
    script = "redis.call('set', 'written', '1') for i = 1, 60000000 do end return 'done'"
    thread, out = in_thread(lambda: runner.eval(script, 0))
    try:
        busy = wait_for_busy(other)
        with pytest.raises(redis.ResponseError) as exc:
            other.script_kill()
    finally:
        thread.join(30)
    assert busy == BUSY_EVAL
    assert str(exc.value) == UNKILLABLE
    assert out == [b"done"]
    assert other.get("written") == b"1"


def test_function_kill_stops_a_function_pcall_cannot_save(pair, r):
    runner, other = pair
    raw(r, "FUNCTION", "LOAD", "REPLACE",
        "#!lua name=hostile\nredis.register_function('spin', function()\n"
        "  while true do pcall(function() while true do end end) end\nend)")
    thread, out = in_thread(lambda: runner.fcall("spin", 0))
    try:
        busy = wait_for_busy(other)
        with pytest.raises(redis.ResponseError) as exc:
            other.script_kill()
    finally:
        killed = other.execute_command("FUNCTION", "KILL")
        thread.join(10)
        raw(r, "FUNCTION", "FLUSH")
    assert busy == BUSY_FUNCTION
    assert str(exc.value) == BUSY_FUNCTION
    assert killed == b"OK"
    assert str(out[0]) == "Script killed by user with SCRIPT KILL... script: spin, on @user_function:3."


# --- recursion and allocation --------------------------------------------------------------------

RECURSE = "local function f(n) if n == 0 then return 0 end return 1 + f(n - 1) end "


@pytest.mark.parametrize("body, reply", [
    ("return f(10000)", 10000),
    ("local ok, e = pcall(f, 100000) return {tostring(ok), e}",
     [b"false", b"user_script:1: stack overflow"]),
    ("local function g(n) if n == 0 then return 'tail' end return g(n - 1) end return g(1000000)",
     b"tail"),
    ("local t = {} for i = 1, 1000000 do t[i] = {} end return #t", 1000000),
    ("return #string.rep('x', 30000000)", 30000000),
    ("local s = string.rep('x', 1000000) local t = {} for i = 1, 20 do t[i] = s .. i end "
     "return #table.concat(t)", 20000000 + 9 + 2 * 11),
])
def test_deep_recursion_and_big_allocations(r, data, body, reply):
    assert raw(r, "EVAL", RECURSE + body, 0) == reply


@pytest.mark.parametrize("body", [
    "return f(100000)",
    "local function g() return g() + 1 end return g()",
])
def test_stack_overflow_error(r, data, body):
    assert error_of(r, RECURSE + body) == \
        f"user_script:1: stack overflow script: {sha(RECURSE + body)}, on @user_script:1."


@pytest.mark.parametrize("code, message", [
    ("loadstring(string.rep('(', 300) .. '1' .. string.rep(')', 300))",
     "]:1: chunk has too many syntax levels"),
    ("loadstring('local a ' .. string.rep(', a', 300))",
     "]:1: main function has more than 200 local variables"),
])
def test_hostile_chunks_fail_to_compile(r, data, code, message):
    text = raw(r, "EVAL", f"local f, e = {code} return e", 0)
    assert text.endswith(message.encode())


def test_unpack_of_too_many_results(r, data):
    script = "return unpack({}, 1, 1e6)"
    assert error_of(r, script) == \
        f"user_script:1: too many results to unpack script: {sha(script)}, on @user_script:1."


# --- big replies ---------------------------------------------------------------------------------

def test_a_100k_element_reply(r, data):
    reply = raw(r, "EVAL", "local t = {} for i = 1, 100000 do t[i] = i end return t", 0)
    assert reply == list(range(1, 100001))


def test_a_table_nested_100_deep(r, data):
    script = "local t = {} local c = t for i = 1, 99 do c[1] = {} c = c[1] end c[1] = 'leaf' " \
             "return t"
    reply = raw(r, "EVAL", script, 0)
    depth = 0
    while isinstance(reply, list):
        assert len(reply) == 1
        reply = reply[0]
        depth += 1
    assert (depth, reply) == (100, b"leaf")


def test_a_big_string_reply(r, data):
    assert raw(r, "EVAL", "return string.rep('ab', 1000000)", 0) == b"ab" * 1000000


# --- the sandbox ---------------------------------------------------------------------------------

def nonexistent(name: str, script: str) -> str:
    return f"user_script:1: Script attempted to access nonexistent global variable '{name}' " \
           f"script: {sha(script)}, on @user_script:1."


@pytest.mark.parametrize("name", [
    "os", "io", "require", "loadfile", "dofile", "debug", "package", "module", "setfenv",
    "getfenv", "newproxy", "print", "python", "jit", "bit32", "utf8",
])
def test_missing_globals(r, data, name):
    script = f"return {name}"
    assert error_of(r, script) == nonexistent(name, script)
    script = f"return _G.{name}"
    assert error_of(r, script) == nonexistent(name, script)
    assert raw(r, "EVAL", f"return rawget(_G, '{name}') == nil", 0) == 1


@pytest.mark.parametrize("script, reply", [
    ("return type(collectgarbage)", b"function"),
    ("return collectgarbage('count') > 0", 1),
    ("return type(coroutine.create)", b"function"),
    ("local co = coroutine.create(function() coroutine.yield(1) return 2 end) "
     "local a, b = coroutine.resume(co) local c, d = coroutine.resume(co) "
     "return {tostring(a), b, tostring(c), d, coroutine.status(co)}",
     [b"true", 1, b"true", 2, b"dead"]),
    ("local ok, e = coroutine.resume(coroutine.create(function() return os end)) return e",
     b"user_script:1: Script attempted to access nonexistent global variable 'os'"),
    ("local ok, e = coroutine.resume(coroutine.create(function() redis.call('nosuch') end)) "
     "return {type(e), e.err}", [b"table", b"ERR Unknown Redis command called from script"]),
    ("return {xpcall(function() redis.call('nosuch') end, function(e) return e.err end)}",
     [None, b"ERR Unknown Redis command called from script"]),
    ("return {xpcall(function() error({err = 'x'}) end, function(e) return type(e) end)}",
     [None, b"table"]),
    ("return type(string.dump)", b"function"),
    ("local f = loadstring(string.dump(function() return 7 end)) return type(f)", b"nil"),
    ("local f, e = loadstring('\\27Lua') return e",
     b"[string \"\x1bLua\"]:1: unexpected symbol near 'char(27)'"),
    ("return loadstring('return type(_G)')()", b"table"),
    ("return getmetatable('').__index == string", 1),
    ("local t = {} for k, v in pairs(getmetatable('')) do t[#t + 1] = k end return t",
     [b"__index"]),
    ("return ('abc'):upper()", b"ABC"),
    ("return type(getmetatable(_G))", b"table"),
    ("local t = {} for k, v in pairs(getmetatable(_G)) do t[#t + 1] = k .. '=' .. type(v) end "
     "return t", [b"__index=function"]),
    ("return getmetatable(string)", None),
    ("return getmetatable(redis)", None),
    ("return getmetatable(cjson.null)", None),
    ("return getmetatable(getmetatable(''))", None),
    ("return type(cjson.null)", b"userdata"),
    ("return _G == _G._G", 1),
    ("local ok, e = pcall(setmetatable, _G, {}) return e", b"Attempt to modify a readonly table"),
    ("local ok, e = pcall(rawset, _G, 'x', 1) return e", b"Attempt to modify a readonly table"),
])
def test_sandbox_replies(r, data, script, reply):
    assert raw(r, "EVAL", script, 0) == reply


@pytest.mark.parametrize("script, message", [
    ("getmetatable('').__index = {} return 1", "user_script:1: Attempt to modify a readonly table"),
    ("getmetatable('').__index.upper = nil return 1",
     "user_script:1: Attempt to modify a readonly table"),
    ("getmetatable('').__add = function() return 1 end return 1",
     "user_script:1: Attempt to modify a readonly table"),
    ("rawset(getmetatable(''), '__index', {}) return 1", "Attempt to modify a readonly table"),
    ("setmetatable(getmetatable(''), {}) return 1", "Attempt to modify a readonly table"),
    ("getmetatable(_G).__index = nil return 1", "user_script:1: Attempt to modify a readonly table"),
    ("setmetatable(_G, nil) return 1", "Attempt to modify a readonly table"),
    ("_G.os = 1 return 1", "user_script:1: Attempt to modify a readonly table"),
    ("rawset(string, 'x', 1) return 1", "Attempt to modify a readonly table"),
    ("setmetatable(string, {}) return 1", "Attempt to modify a readonly table"),
    ("math.random = function() return 4 end return 1",
     "user_script:1: Attempt to modify a readonly table"),
    ("cjson.encode = nil return 1", "user_script:1: Attempt to modify a readonly table"),
    ("local mt = getmetatable(_G) return mt.__index(_G, 'zz') + 1",
     "user_script:1: Script attempted to access nonexistent global variable 'zz'"),
    ("return cjson.null.x + 1", None),
    ("local co = coroutine.create(redis.call) return 1",
     "user_script:1: bad argument #1 to 'create' (Lua function expected)"),
    ("local co = coroutine.wrap(function() error('x') end) co() return 1",
     "user_script:1: user_script:1: x"),
])
def test_sandbox_errors(r, data, script, message):
    text = error_of(r, script)
    if message is not None:
        assert text == f"{message} script: {sha(script)}, on @user_script:1."
    assert raw(r, "EVAL", "return ('abc'):upper()", 0) == b"ABC"


def test_string_methods_survive_an_attack_on_the_string_metatable(r, data):
    for script in ("getmetatable('').__index = {}", "getmetatable('').__index.rep = nil",
                   "rawset(getmetatable(''), '__index', {})"):
        with pytest.raises(redis.ResponseError):
            raw(r, "EVAL", script, 0)
    assert raw(r, "EVAL", "return ('ab'):rep(2) .. string.upper('x')", 0) == b"ababX"


def test_precompiled_chunks_are_refused(r, data):
    dump = raw(r, "EVAL", "return string.dump(function() return 1 end)", 0)
    assert dump[:5] == b"\x1bLuaQ"
    with pytest.raises(redis.ResponseError) as exc:
        raw(r, "EVAL", dump, 0)
    assert str(exc.value) == \
        "Error compiling script (new function): user_script:1: unexpected symbol near 'char(27)'"
    script = "local n = 0 local f, e = load(function() n = n + 1 if n == 1 then " \
             "return string.dump(function() return 1 end) end end) return e"
    assert raw(r, "EVAL", script, 0) == b"(load):1: unexpected symbol near 'char(27)'"
