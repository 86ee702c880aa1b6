"""The Lua engine's pure parts: Redis's PRNG, number conversion, shebangs; BUSY on the server."""

from __future__ import annotations

import threading
import time

import pytest

from fakeredis import FakeServer
from fakeredis.errors import ReplyError
from fakeredis.scripting.lua import Rand48, lua_number_to_int, parse_shebang


def test_rand48_matches_redis_after_seeding():
    rand = Rand48()
    rand.seed(42)
    first = (rand.next() % 2147483647) / 2147483647
    assert "%.14g" % first == "0.74452500033403"


def test_lua_numbers_become_integers_like_a_c_cast():
    assert lua_number_to_int(3.99) == 3
    assert lua_number_to_int(-3.99) == -3
    assert lua_number_to_int(1e20) == -(1 << 63)
    assert lua_number_to_int(float("nan")) == -(1 << 63)


def test_parse_shebang():
    assert parse_shebang(b"return 1") == (frozenset(), b"return 1")
    flags, source = parse_shebang(b"#!lua flags=no-writes,allow-oom\nreturn 1")
    assert flags == {"no-writes", "allow-oom", "shebang"}
    assert source == b"--#!lua flags=no-writes,allow-oom\nreturn 1"
    with pytest.raises(ReplyError):
        parse_shebang(b"#!lua flags=nope\nreturn 1")


def test_busy_reply_and_kill_through_the_engine():
    server = FakeServer(config={"busy-reply-threshold": 50})
    runner, other = server.new_session(), server.new_session()
    replies = []
    thread = threading.Thread(
        target=lambda: replies.append(server.execute(runner, [b"EVAL", b"while true do end", b"0"])))
    thread.start()
    busy = None
    for _ in range(1000):
        busy = server.execute(other, [b"GET", b"x"])
        if isinstance(busy, ReplyError):
            break
        time.sleep(0.005)
    assert busy.text.startswith("BUSY ")
    assert server.execute(other, [b"SCRIPT", b"KILL"]) == b"OK"
    thread.join()
    assert replies[0].text.startswith("ERR Script killed by user with SCRIPT KILL...")
    assert server.running_script is None
    assert server.execute(other, [b"GET", b"x"]) is None


def test_a_client_connecting_during_a_busy_script_can_kill_it():
    server = FakeServer(config={"busy-reply-threshold": 50})
    runner = server.new_session()
    replies = []
    thread = threading.Thread(
        target=lambda: replies.append(server.execute(runner, [b"EVAL", b"while true do end", b"0"])))
    thread.start()
    while server.running_script is None:
        time.sleep(0.001)
    late = server.new_session()
    busy = None
    for _ in range(1000):
        busy = server.execute(late, [b"GET", b"x"])
        if isinstance(busy, ReplyError):
            break
        time.sleep(0.005)
    assert busy.text.startswith("BUSY ")
    assert server.execute(late, [b"SCRIPT", b"KILL"]) == b"OK"
    thread.join()
    assert replies[0].text.startswith("ERR Script killed")


def test_math_random_sequence_of_a_fresh_redis():
    # the values a freshly started redis-server 7.0 gives, continuing across scripts
    server = FakeServer()
    session = server.new_session()
    assert server.execute(session, [b"EVAL", b"return {tostring(math.random()), "
                                    b"tostring(math.random())}", b"0"]) == \
        [b"0.39646477363839", b"0.84048536971234"]
    assert server.execute(session, [b"EVAL", b"return tostring(math.random())", b"0"]) == \
        b"0.35333609737146"


def test_session_commands_run_while_a_script_is_busy():
    server = FakeServer(config={"busy-reply-threshold": 50})
    runner, other = server.new_session(), server.new_session()
    thread = threading.Thread(
        target=lambda: server.execute(runner, [b"EVAL", b"while true do end", b"0"]))
    thread.start()
    try:
        for _ in range(1000):
            if isinstance(server.execute(other, [b"GET", b"x"]), ReplyError):
                break
            time.sleep(0.005)
        assert server.execute(other, [b"HELLO", b"3"])[b"proto"] == 3
        assert server.execute(other, [b"MULTI"]) == b"OK"
        assert server.execute(other, [b"SET", b"k", b"v"]).text.startswith("BUSY ")
    finally:
        server.execute(other, [b"SCRIPT", b"KILL"])
        thread.join()
    assert server.execute(other, [b"EXEC"]).text == \
        "EXECABORT Transaction discarded because of previous errors."
