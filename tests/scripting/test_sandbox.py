"""The sandbox seen from the Python side: nothing a script reaches touches the Python process."""

from __future__ import annotations

import threading
import time

import pytest

from fakeredis import FakeServer
from fakeredis.errors import ReplyError


@pytest.fixture
def run():
    server = FakeServer()
    session = server.new_session()
    server.execute(session, [b"SET", b"s", b"abc"])

    def call(script: str) -> object:
        return server.execute(session, [b"EVAL", script.encode(), b"0"])

    yield call
    assert server.execute(session, [b"GET", b"s"]) == b"abc"


# each script tries to reach a Python object's attributes; none may succeed
ESCAPES = [
    "return tostring(cjson.null.__class__)",
    "return cjson.null.__class__.__mro__",
    "local ok, e = pcall(redis.call, 'incr', 's') return tostring(e.__class__)",
    "local ok, e = xpcall(function() redis.call('incr', 's') end, function(e) return e end) "
    "return tostring(e.__class__)",
    "local ok, e = coroutine.resume(coroutine.create(function() redis.call('incr', 's') end)) "
    "return tostring(e.__class__)",
    "local ok, e = pcall(function() return cjson.null.x end) return tostring(e.__class__)",
    "local ok, e = pcall(math.random, 1e400) return tostring(e.args)",
    "return getmetatable(cjson.null).__index",
    "return python.eval('1')",
    "return python.builtins.open",
    "return _G.python",
    "return loadstring('return python')()",
]


@pytest.mark.parametrize("script", ESCAPES)
def test_no_python_attribute_is_reachable(run, script):
    reply = run(script)
    if isinstance(reply, ReplyError):
        assert "class" not in reply.text and "<" not in reply.text
    else:
        assert reply == b"nil"  # the error is a Lua string or table: it has no such field


def test_errors_of_python_callbacks_are_lua_values(run):
    assert run("local ok, e = pcall(math.random, 1e400) return type(e)") == b"string"
    assert run("return {xpcall(function() return redis.log(1) end, "
               "function(e) return type(e) end)}") == [None, b"table"]
    assert run("local ok, e = coroutine.resume(coroutine.create(function() cjson.decode('{') "
               "end)) return type(e)") == b"string"
    assert run("math.randomseed(0/0) return 1") == 1


def test_python_object_metatables_are_hidden(run):
    assert run("return type(getmetatable(cjson.null))") == b"nil"
    # lupa's metatable for Python objects must stay untouched for later scripts
    assert run("return type(cjson.null)") == b"userdata"
    assert run("return cjson.encode({cjson.null})") == b"[null]"


def test_the_string_metatable_is_not_the_real_one(run):
    assert isinstance(run("getmetatable('').__index = {}"), ReplyError)
    assert isinstance(run("getmetatable('').__index.upper = nil"), ReplyError)
    assert run("return ('x'):upper()") == b"X"


def test_precompiled_chunks_never_load(run):
    assert run("return type(loadstring(string.dump(function() return 1 end)))") == b"nil"
    reply = run("return type(load(function() return nil end))")
    assert reply == b"function"


def test_coroutine_created_before_a_kill_is_killed_too():
    server = FakeServer(config={"busy-reply-threshold": 50})
    runner, other = server.new_session(), server.new_session()
    script = (b"local co = coroutine.create(function() while true do "
              b"pcall(function() while true do end end) end end) "
              b"while true do coroutine.resume(co) end")
    replies: list[object] = []
    thread = threading.Thread(
        target=lambda: replies.append(server.execute(runner, [b"EVAL", script, b"0"])))
    thread.start()
    try:
        for _ in range(1000):
            if isinstance(server.execute(other, [b"PING"]), ReplyError):
                break
            time.sleep(0.005)
    finally:
        assert server.execute(other, [b"SCRIPT", b"KILL"]) == b"OK"
        thread.join(10)
    assert not thread.is_alive()
    assert replies[0].text.startswith("ERR Script killed by user with SCRIPT KILL...")
    assert server.execute(other, [b"EVAL", b"return 1", b"0"]) == 1
