"""EVAL / EVALSHA / EVAL_RO / SCRIPT: the Lua sandbox, redis.* API, conversions, BUSY and KILL."""

from __future__ import annotations

import hashlib
import threading
import time
from typing import Any

import pytest
import redis

from conformance.helpers import is_resp3, raw


def ev(r: redis.Redis, script: str, *args: Any) -> Any:
    """EVAL with numkeys 0 unless given; the raw reply."""
    return raw(r, "EVAL", script, *(args or (0,)))


def error_of(r: redis.Redis, script: str, *args: Any) -> str:
    with pytest.raises(redis.ResponseError) as exc:
        ev(r, script, *args)
    return str(exc.value)


def sha(script: str) -> str:
    return hashlib.sha1(script.encode()).hexdigest()


def suffix(script: str, line: int = 1) -> str:
    return f" script: {sha(script)}, on @user_script:{line}."


# --- conversions ---------------------------------------------------------------------------------

def test_lua_values_become_replies(r):
    assert ev(r, "return 1") == 1
    assert ev(r, "return 3.99") == 3
    assert ev(r, "return -3.99") == -3
    assert ev(r, "return 'x'") == b"x"
    assert ev(r, "return true") == 1
    assert ev(r, "return false") is None
    assert ev(r, "return nil") is None
    assert ev(r, "return {1, 2, nil, 3}") == [1, 2]
    assert ev(r, "return {1, 'a', {2, true, false}}") == [1, b"a", [2, 1, None]]
    assert ev(r, "return {a = 1}") == []
    assert ev(r, "return 1e20") == -9223372036854775808
    assert ev(r, "return 'a\\0b'") == b"a\x00b"


def test_status_and_error_tables(r):
    assert ev(r, "return {ok = 'FINE'}") == b"FINE"
    assert ev(r, "return redis.status_reply('FINE')") == b"FINE"
    assert error_of(r, "return {err = 'bad thing'}") == "bad thing"
    assert error_of(r, "return {ok = 'x', err = 'y'}") == "y"
    assert error_of(r, "return redis.error_reply('My Error')") == "My Error"
    assert error_of(r, "return redis.error_reply('ERR x')") == "x"
    assert error_of(r, "return redis.error_reply(5)") == "wrong number or type of arguments"
    assert ev(r, "return {err = 1}") == []


def test_nested_errors_stay_in_their_slot(r):
    first, second, third = ev(r, "return {1, {err = 'E2 two'}, {ok = 'fine'}}")
    assert first == 1 and third == b"fine"
    assert isinstance(second, redis.ResponseError) and str(second) == "E2 two"


def test_redis_replies_become_lua_values(r):
    r.set("s", "abc")
    assert ev(r, "return redis.call('get', 's')") == b"abc"
    assert ev(r, "return redis.call('get', 'nosuch') == false") == 1
    assert ev(r, "return tostring(redis.call('get', 'nosuch'))") == b"false"
    assert ev(r, "return redis.call('set', 'a', 'b')") == b"OK"
    assert ev(r, "return redis.call('ping')['ok']") == b"PONG"
    assert ev(r, "return type(redis.call('incr', 'n'))") == b"number"
    assert ev(r, "return {redis.call('set', 'a', 'b'), redis.call('get', 'a')}") == [b"OK", b"b"]


def test_number_arguments_are_formatted_like_redis(r):
    assert ev(r, "return redis.call('echo', 5)") == b"5"
    assert ev(r, "return redis.call('echo', 5.5)") == b"5.5"
    assert ev(r, "return redis.call('echo', 0.1)") == b"0.10000000000000001"
    assert ev(r, "return redis.call('echo', 1e20)") == b"1e+20"
    assert ev(r, "return redis.call('echo', 123456789012)") == b"123456789012"


def test_keys_and_argv(r):
    assert ev(r, "return {KEYS[1], KEYS[2], ARGV[1], #KEYS, #ARGV}", 2, "k1", "k2", "a1") == \
        [b"k1", b"k2", b"a1", 2, 1]
    assert ev(r, "KEYS[1] = 'x' return KEYS[1]") == b"x"


def test_resp3_conversions_after_setresp(r):
    r.hset("h", "f", "v")
    r.sadd("st", "a")
    r.zadd("z", {"m": 1.5})
    assert ev(r, "redis.setresp(3) local t = redis.call('hgetall', 'h') return t.map.f") == b"v"
    assert ev(r, "redis.setresp(3) return tostring(redis.call('smembers', 'st').set.a)") == b"true"
    assert ev(r, "redis.setresp(3) return tostring(redis.call('zscore', 'z', 'm').double)") == \
        b"1.5"
    assert ev(r, "redis.setresp(3) return tostring(redis.call('get', 'nosuch'))") == b"nil"
    assert ev(r, "return redis.call('zscore', 'z', 'm')") == b"1.5"
    if is_resp3(r):
        assert ev(r, "redis.setresp(3) return redis.call('hgetall', 'h')") == {b"f": b"v"}
        assert ev(r, "redis.setresp(3) return true") is True
        assert ev(r, "redis.setresp(3) return false") is False
        assert ev(r, "return {double = 1.5}") == 1.5
        assert ev(r, "return {map = {a = 1}}") == {b"a": 1}
        assert ev(r, "return {big_number = '123'}") == 123
    else:
        assert ev(r, "redis.setresp(3) return redis.call('hgetall', 'h')") == [b"f", b"v"]
        assert ev(r, "redis.setresp(3) return true") == 1
        assert ev(r, "redis.setresp(3) return false") == 0
        assert ev(r, "return {double = 1.5}") == b"1.5"
        assert ev(r, "return {map = {a = 1}}") == [b"a", 1]
        assert ev(r, "return {big_number = '123'}") == b"123"
    assert ev(r, "return {set = {a = true}}") == [b"a"]
    assert ev(r, "return {verbatim_string = {format = 'txt', string = 'hi'}}") == b"hi"


# --- errors --------------------------------------------------------------------------------------

def test_runtime_errors_carry_the_script_and_line(r):
    assert error_of(r, "error('boom')") == "user_script:1: boom" + suffix("error('boom')")
    script = "\n\nerror('boom')"
    assert error_of(r, script) == "user_script:3: boom" + suffix(script, 3)
    assert error_of(r, "error('x', 0)") == "x" + suffix("error('x', 0)")
    assert error_of(r, "error({err = 'MY thing'})") == "MY thing" + suffix("error({err = 'MY thing'})")
    script = "return 'x' .. nil"
    assert error_of(r, script) == "user_script:1: attempt to concatenate a nil value" + suffix(script)


def test_redis_call_errors(r):
    r.set("s", "abc")
    script = "return redis.call('incr', 's')"
    assert error_of(r, script) == "value is not an integer or out of range" + suffix(script)
    script = "return redis.call('lpush', 's', 'x')"
    assert error_of(r, script) == \
        "WRONGTYPE Operation against a key holding the wrong kind of value" + suffix(script)
    script = "return redis.call('nosuch')"
    assert error_of(r, script) == "Unknown Redis command called from script" + suffix(script)
    script = "return redis.call('get')"
    assert error_of(r, script) == \
        "Wrong number of args calling Redis command from script" + suffix(script)
    script = "return redis.call()"
    assert error_of(r, script) == \
        "Please specify at least one argument for this redis lib call" + suffix(script)
    script = "return redis.call('get', {})"
    assert error_of(r, script) == \
        "Lua redis lib command arguments must be strings or integers" + suffix(script)
    script = "\n\nreturn redis.call('incr', 's')"
    assert error_of(r, script) == "value is not an integer or out of range" + suffix(script, 3)


def test_redis_pcall_returns_error_tables(r):
    r.set("s", "abc")
    assert ev(r, "return redis.pcall('incr', 's')['err']") == \
        b"ERR value is not an integer or out of range"
    assert error_of(r, "return redis.pcall('incr', 's')") == \
        "value is not an integer or out of range"
    assert ev(r, "return redis.pcall('nosuch')['err']") == \
        b"ERR Unknown Redis command called from script"
    script = "local e = redis.pcall('lpush', 's', 1) error(e)"
    assert error_of(r, script) == \
        "WRONGTYPE Operation against a key holding the wrong kind of value" + suffix(script)


def test_lua_pcall_catches_redis_errors_as_strings(r):
    r.set("s", "abc")
    assert ev(r, "local ok, e = pcall(redis.call, 'incr', 's') return {tostring(ok), e}") == \
        [b"false", b"ERR value is not an integer or out of range"]
    assert ev(r, "local ok, e = pcall(function() error({err = 'x'}) end) return {type(e), e}") == \
        [b"string", b"x"]
    assert ev(r, "local ok, e = pcall(function() error('x') end) return e") == b"user_script:1: x"
    script = "local ok, e = pcall(redis.call, 'incr', 's') error(e, 0)"
    assert error_of(r, script) == "ERR value is not an integer or out of range" + suffix(script)


def test_compile_errors(r):
    assert error_of(r, "syntax error here") == \
        "Error compiling script (new function): user_script:1: '=' expected near 'error'"
    with pytest.raises(redis.ResponseError) as exc:
        raw(r, "SCRIPT", "LOAD", "return +")
    assert str(exc.value) == \
        "Error compiling script (new function): user_script:1: unexpected symbol near '+'"


def test_numkeys_errors(r):
    assert error_of(r, "return 1", -1) == "Number of keys can't be negative"
    assert error_of(r, "return 1", 2, "a") == "Number of keys can't be greater than number of args"
    assert error_of(r, "return 1", "x") == "value is not an integer or out of range"


def test_commands_refused_in_scripts(r):
    for call in ("'eval', 'return 1', 0", "'multi'", "'subscribe', 'x'", "'script', 'kill'"):
        script = f"return redis.call({call})"
        assert error_of(r, script) == "This Redis command is not allowed from script" + suffix(script)


# --- the sandbox ---------------------------------------------------------------------------------

def test_globals_are_protected(r):
    assert error_of(r, "return x") == \
        "user_script:1: Script attempted to access nonexistent global variable 'x'" + \
        suffix("return x")
    assert error_of(r, "x = 1") == "user_script:1: Attempt to modify a readonly table" + \
        suffix("x = 1")
    assert error_of(r, "string.x = 1") == "user_script:1: Attempt to modify a readonly table" + \
        suffix("string.x = 1")
    assert error_of(r, "redis.call = 1") == "user_script:1: Attempt to modify a readonly table" + \
        suffix("redis.call = 1")
    script = "rawset(_G, 'x', 1)"
    assert error_of(r, script) == "Attempt to modify a readonly table" + suffix(script)
    for name in ("os", "io", "require", "dofile", "loadfile", "print", "debug", "module",
                 "getfenv", "setfenv", "newproxy"):
        script = f"return type({name})"
        assert error_of(r, script) == \
            f"user_script:1: Script attempted to access nonexistent global variable '{name}'" + \
            suffix(script)


def test_the_global_table(r):
    script = "local t = {} for k in pairs(_G) do t[#t + 1] = k end table.sort(t) return t"
    assert ev(r, script) == [
        b"ARGV", b"KEYS", b"_G", b"_VERSION", b"__redis__err__handler", b"assert", b"bit",
        b"cjson", b"cmsgpack", b"collectgarbage", b"coroutine", b"error", b"gcinfo",
        b"getmetatable", b"ipairs", b"load", b"loadstring", b"math", b"next", b"pairs", b"pcall",
        b"rawequal", b"rawget", b"rawset", b"redis", b"select", b"setmetatable", b"string",
        b"struct", b"table", b"tonumber", b"tostring", b"type", b"unpack", b"xpcall"]
    assert ev(r, "return _VERSION") == b"Lua 5.1"
    assert ev(r, "local n = 0 for k in pairs(string) do n = n + 1 end return n") == 15
    assert ev(r, "return rawget(_G, 'string') == string") == 1


def test_redis_library_members(r):
    script = "local t = {} for k in pairs(redis) do t[#t + 1] = k end table.sort(t) return t"
    assert ev(r, script) == [
        b"LOG_DEBUG", b"LOG_NOTICE", b"LOG_VERBOSE", b"LOG_WARNING", b"REDIS_VERSION",
        b"REDIS_VERSION_NUM", b"REPL_ALL", b"REPL_AOF", b"REPL_NONE", b"REPL_REPLICA",
        b"REPL_SLAVE", b"acl_check_cmd", b"breakpoint", b"call", b"debug", b"error_reply", b"log",
        b"pcall", b"replicate_commands", b"set_repl", b"setresp", b"sha1hex", b"status_reply"]


def test_loadstring_runs_in_the_sandbox(r):
    assert ev(r, "return loadstring('return 1 + 1')()") == 2
    script = "return loadstring('return x')()"
    assert error_of(r, script) == \
        "[string \"return x\"]:1: Script attempted to access nonexistent global variable 'x'" \
        f" script: {sha(script)}, on return x:1."


def test_load_with_a_reader_runs_in_the_sandbox(r):
    script = ("local n = 0 local f = load(function() n = n + 1 "
              "if n == 1 then return 'return type(redis)' end end) return f()")
    assert ev(r, script) == b"table"


def test_redis_helpers(r):
    assert ev(r, "return redis.sha1hex('')") == b"da39a3ee5e6b4b0d3255bfef95601890afd80709"
    assert ev(r, "return redis.sha1hex(5)") == b"ac3478d69a3c81fa62e60f5c3696165a4e5e6ac4"
    assert ev(r, "return redis.replicate_commands()") == 1
    assert ev(r, "redis.log(redis.LOG_WARNING, 'hello', 'there') return 1") == 1
    assert ev(r, "return {redis.REPL_ALL, redis.REPL_AOF, redis.REPL_REPLICA, redis.REPL_SLAVE, "
                 "redis.REPL_NONE}") == [3, 1, 2, 2, 0]
    assert ev(r, "return redis.REDIS_VERSION_NUM") == 458767
    assert ev(r, "return redis.breakpoint()") is None
    assert ev(r, "return redis.debug('x')") is None
    assert ev(r, "return redis.set_repl(redis.REPL_ALL)") is None
    script = "return redis.setresp(4)"
    assert error_of(r, script) == "RESP version must be 2 or 3." + suffix(script)
    script = "redis.log(99, 'x')"
    assert error_of(r, script) == "Invalid debug level." + suffix(script)
    script = "redis.log(1)"
    assert error_of(r, script) == "redis.log() requires two arguments or more." + suffix(script)
    script = "return redis.set_repl(99)"
    assert error_of(r, script) == \
        "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE." + \
        suffix(script)


def test_math_random_is_redis_generator(r):
    assert ev(r, "math.randomseed(42) return {tostring(math.random()), math.random(100), "
                 "math.random(5, 10)}")[:2] == [b"0.74452500033403", 35]


def test_select_in_a_script_does_not_change_the_callers_db(r):
    assert ev(r, "redis.call('select', '1') return redis.call('set', 'k', 'v')") == b"OK"
    assert r.get("k") is None
    r.execute_command("SELECT", 1)
    assert r.get("k") == b"v"


# --- libraries -----------------------------------------------------------------------------------

def test_cjson(r):
    assert ev(r, "return cjson.encode({1, 2, 'x/y'})") == b'[1,2,"x\\/y"]'
    assert ev(r, "return cjson.encode({a = 1.5})") == b'{"a":1.5}'
    assert ev(r, "return cjson.encode({})") == b"{}"
    assert ev(r, "return cjson.decode('[1,2,{\"a\":\"b\"}]')[3].a") == b"b"
    assert ev(r, "return cjson.decode('{\"a\":null}').a == cjson.null") == 1
    assert ev(r, "return cjson.encode(cjson.decode('{\"a\":[1,true,null]}'))") == \
        b'{"a":[1,true,null]}'


def test_bit(r):
    assert ev(r, "return {bit.band(7, 3), bit.bor(1, 2, 4), bit.bxor(5, 1), bit.bnot(0)}") == \
        [3, 7, 4, -1]
    assert ev(r, "return {bit.lshift(1, 31), bit.rshift(-1, 28), bit.arshift(-16, 2)}") == \
        [-2147483648, 15, -4]
    assert ev(r, "return {bit.tohex(255), bit.tohex(255, -4), bit.tobit(2^32 + 5)}") == \
        [b"000000ff", b"00FF", 5]


def test_struct(r):
    assert ev(r, "return {struct.unpack('>HB', struct.pack('>HB', 258, 7))}") == [258, 7, 4]
    assert ev(r, "return struct.pack('<i', 1)") == b"\x01\x00\x00\x00"
    assert ev(r, "return struct.size('>iHd')") == 14
    assert ev(r, "return {struct.unpack('s', struct.pack('s', 'abc'))}") == [b"abc", 5]


def test_cmsgpack(r):
    assert ev(r, "return cmsgpack.pack({1, 2, 3})") == b"\x93\x01\x02\x03"
    assert ev(r, "return cmsgpack.pack('abc', 300, -1, true)") == \
        b"\xa3abc\xcd\x01\x2c\xff\xc3"
    assert ev(r, "return {cmsgpack.unpack(cmsgpack.pack({1, 2}, 'x'))}") == [[1, 2], b"x"]
    assert ev(r, "return cmsgpack.unpack(cmsgpack.pack({a = 5})).a") == 5


# --- script cache --------------------------------------------------------------------------------

def test_script_load_and_evalsha(r):
    digest = raw(r, "SCRIPT", "LOAD", "return ARGV[1]")
    assert digest == sha("return ARGV[1]").encode()
    assert raw(r, "EVALSHA", digest, 0, "x") == b"x"
    assert raw(r, "EVALSHA", digest.upper(), 0, "y") == b"y"
    assert raw(r, "SCRIPT", "EXISTS", digest, "f" * 40) == [1, 0]


def test_eval_caches_the_script(r):
    ev(r, "return 7")
    assert raw(r, "SCRIPT", "EXISTS", sha("return 7")) == [1]
    assert raw(r, "EVALSHA", sha("return 7"), 0) == 7


def test_noscript(r):
    for digest in ("f" * 40, "fff"):
        with pytest.raises(redis.exceptions.NoScriptError) as exc:
            raw(r, "EVALSHA", digest, 0)
        assert str(exc.value) == "No matching script. Please use EVAL."


def test_script_flush(r):
    digest = raw(r, "SCRIPT", "LOAD", "return 1")
    assert raw(r, "SCRIPT", "FLUSH") == b"OK"
    assert raw(r, "SCRIPT", "EXISTS", digest) == [0]
    assert raw(r, "SCRIPT", "FLUSH", "ASYNC") == b"OK"
    assert raw(r, "SCRIPT", "FLUSH", "sync") == b"OK"
    with pytest.raises(redis.ResponseError) as exc:
        raw(r, "SCRIPT", "FLUSH", "bogus")
    assert str(exc.value) == "SCRIPT FLUSH only support SYNC|ASYNC option"


def test_script_help_and_kill_when_idle(r):
    help_lines = raw(r, "SCRIPT", "HELP")
    assert help_lines[0] == b"SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    assert len(help_lines) == 17
    with pytest.raises(redis.ResponseError) as exc:
        raw(r, "SCRIPT", "KILL")
    assert str(exc.value) == "NOTBUSY No scripts in execution right now."


# --- read-only scripts and shebang flags ---------------------------------------------------------

def test_eval_ro_refuses_writes(r):
    r.set("a", "1")
    script = "return redis.call('set', 'a', '2')"
    with pytest.raises(redis.ResponseError) as exc:
        raw(r, "EVAL_RO", script, 0)
    assert str(exc.value) == "Write commands are not allowed from read-only scripts." + \
        suffix(script)
    assert raw(r, "EVAL_RO", "return redis.call('get', 'a')", 0) == b"1"
    digest = raw(r, "SCRIPT", "LOAD", script)
    with pytest.raises(redis.ResponseError):
        raw(r, "EVALSHA_RO", digest, 0)
    assert r.get("a") == b"1"


def test_shebang_flags(r):
    script = "#!lua flags=no-writes\nreturn redis.call('set', 'a', '1')"
    assert error_of(r, script) == "Write commands are not allowed from read-only scripts." + \
        suffix(script, 2)
    assert ev(r, "#!lua flags=no-writes,allow-oom\nreturn 1") == 1
    assert ev(r, "#!lua flags=\nreturn 2") == 2
    script = "#!lua\nreturn x"
    assert error_of(r, script) == \
        "user_script:2: Script attempted to access nonexistent global variable 'x'" + \
        suffix(script, 2)
    assert error_of(r, "#!lua flags=bogus\nreturn 1") == "Unexpected flag in script shebang: bogus"
    assert error_of(r, "#!python\nreturn 1") == "Unexpected engine in script shebang: #!python"
    assert error_of(r, "#!lua name=x\nreturn 1") == "Unknown lua shebang option: name=x"
    assert error_of(r, "#!lua") == "Invalid script shebang"


def test_eval_ro_of_a_shebang_script_needs_no_writes(r):
    with pytest.raises(redis.ResponseError) as exc:
        raw(r, "EVAL_RO", "#!lua\nreturn 1", 0)
    assert str(exc.value) == "Can not execute a script with write flag using *_ro command."
    assert raw(r, "EVAL_RO", "#!lua flags=no-writes\nreturn 1", 0) == 1


# --- atomicity, writes kept on error -------------------------------------------------------------

def test_writes_before_an_error_are_kept(r):
    with pytest.raises(redis.ResponseError):
        ev(r, "redis.call('set', 'a', '1') error('stop')")
    assert r.get("a") == b"1"


def test_script_inside_multi(r):
    with r.pipeline() as pipe:
        pipe.eval("return redis.call('set', KEYS[1], ARGV[1])", 1, "k", "v")
        pipe.get("k")
        assert pipe.execute() == [b"OK", b"v"]


def test_script_is_atomic_against_other_threads(r, make):
    r.set("a", "0")
    writer = make(r)
    script = "redis.call('set', 'a', 'busy') for i = 1, 20000 do local x = i end " \
             "redis.call('set', 'a', '0') return 1"
    seen = []
    stop = threading.Event()

    def read() -> None:
        reader = make(r)
        while not stop.is_set():
            seen.append(reader.get("a"))

    thread = threading.Thread(target=read)
    thread.start()
    for _ in range(30):
        writer.eval(script, 0)
    stop.set()
    thread.join()
    assert set(seen) == {b"0"}


# --- redis-py helpers ----------------------------------------------------------------------------

def test_register_script_loads_on_noscript(r):
    script = r.register_script("return {KEYS[1], ARGV[1]}")
    assert script(keys=["k"], args=["v"]) == [b"k", b"v"]
    raw(r, "SCRIPT", "FLUSH")
    assert script(keys=["k"], args=["w"]) == [b"k", b"w"]


def test_lock_uses_lua(r):
    lock = r.lock("resource", timeout=10)
    assert lock.acquire(blocking=False)
    assert not r.lock("resource").acquire(blocking=False)
    assert lock.extend(5)
    lock.release()
    assert r.get("resource") is None


# --- BUSY and SCRIPT KILL ------------------------------------------------------------------------

@pytest.fixture
def clients(r, make):
    """Two more connected clients (connections are opened before any script runs)."""
    runner, other = make(r), make(r)
    runner.ping()
    other.ping()
    return runner, other


@pytest.fixture
def low_busy_threshold(r):
    old = r.config_get("busy-reply-threshold")["busy-reply-threshold"]
    r.config_set("busy-reply-threshold", 100)
    yield
    r.config_set("busy-reply-threshold", old)


def run_in_thread(client: redis.Redis, script: str) -> tuple[threading.Thread, list[Any]]:
    """EVAL ``script`` from another thread; its reply lands in the returned list."""
    out: list[Any] = []

    def target() -> None:
        try:
            out.append(client.eval(script, 0))
        except redis.ResponseError as exc:
            out.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    return thread, out


def wait_for_busy(client: redis.Redis) -> str:
    """Poll until a command gets BUSY; the error text."""
    for _ in range(2000):
        try:
            client.get("x")
        except redis.exceptions.BusyLoadingError as exc:
            return str(exc)
        except redis.ResponseError as exc:
            if str(exc).startswith("BUSY"):
                return str(exc)
            raise
        time.sleep(0.005)
    raise AssertionError("never got BUSY")


def test_busy_script_and_script_kill(clients, low_busy_threshold):
    runner, other = clients
    thread, out = run_in_thread(runner, "while true do end")
    try:
        busy = wait_for_busy(other)
    finally:
        killed = other.script_kill()
        thread.join()
    assert "Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE." \
        in busy
    assert killed is True
    assert isinstance(out[0], redis.ResponseError)
    assert str(out[0]).startswith("Script killed by user with SCRIPT KILL...")
    assert other.ping() is True


def test_busy_script_that_wrote_is_unkillable(clients, low_busy_threshold):
    runner, other = clients
    # writes, then runs for two seconds by the server clock and ends by itself
    thread, out = run_in_thread(
        runner, "redis.call('set', 'x', '1') local start = tonumber(redis.call('time')[1]) "
                "while tonumber(redis.call('time')[1]) < start + 2 do end return 1")
    try:
        wait_for_busy(other)
        with pytest.raises(redis.ResponseError) as exc:
            other.script_kill()
    finally:
        thread.join()
    assert str(exc.value) == (
        "UNKILLABLE Sorry the script already executed write commands against the dataset. You "
        "can either wait the script termination or kill the server in a hard way using the "
        "SHUTDOWN NOSAVE command.")
    assert out == [1]


def test_function_kill_does_not_kill_an_eval_script(clients, low_busy_threshold):
    runner, other = clients
    thread, out = run_in_thread(runner, "while true do end")
    try:
        wait_for_busy(other)
        with pytest.raises(redis.ResponseError) as exc:
            other.execute_command("FUNCTION", "KILL")
    finally:
        other.script_kill()
        thread.join()
    assert str(exc.value) == \
        "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."


def test_library_members_are_functions(r):
    assert ev(r, "return {type(redis.call), type(redis.pcall), type(redis.log), "
                 "type(cjson.encode), type(cmsgpack.pack), type(struct.pack), type(bit.band), "
                 "type(math.random), type(cjson.null)}") == \
        [b"function"] * 8 + [b"userdata"]


def test_scripts_in_a_redis_py_pipeline(r):
    script = r.register_script("return redis.call('incr', KEYS[1])")
    raw(r, "SCRIPT", "FLUSH")
    with r.pipeline() as pipe:
        script(keys=["n"], client=pipe)
        script(keys=["n"], client=pipe)
        assert pipe.execute() == [1, 2]
