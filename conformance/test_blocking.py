"""Blocking list commands: BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP, served at once or from threads."""

from __future__ import annotations

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from conformance.helpers import (Blocked, block, error_of, is_resp3, items, keyevents, raw,
                                still_blocked)

WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"
NOT_FLOAT = "timeout is not a float or out of range"
NEGATIVE = "timeout is negative"


@pytest.fixture
def abc(r: redis.Redis) -> redis.Redis:
    raw(r, "RPUSH", "l", "a", "b", "c")
    raw(r, "SET", "s", "x")
    return r


# --- served at once ------------------------------------------------------------------------------

def test_blpop_and_brpop_serve_the_first_non_empty_list(abc):
    r = abc
    raw(r, "RPUSH", "m", "1")
    assert raw(r, "BLPOP", "nx", "l", "m", 0) == [b"l", b"a"]
    assert raw(r, "BRPOP", "nx", "m", "l", 0) == [b"m", b"1"]
    assert raw(r, "EXISTS", "m") == 0
    assert raw(r, "BRPOP", "l", 1) == [b"l", b"c"]
    assert items(r, "l") == [b"b"]


def test_redis_py_blpop_brpop(abc):
    r = abc
    shape = list if is_resp3(r) else tuple
    assert r.blpop(["nx", "l"], timeout=1) == shape([b"l", b"a"])
    assert r.brpop("l", timeout=1) == shape([b"l", b"c"])
    assert r.blpop("nx", timeout=0.01) is None


def test_blocking_pop_type_checks_keys_in_order(abc):
    r = abc
    assert raw(r, "BLPOP", "nx", "l", "s", 0) == [b"l", b"a"]
    assert error_of(r, "BLPOP", "nx", "s", "l", 0) == WRONGTYPE
    assert error_of(r, "BRPOP", "s", 0.01) == WRONGTYPE
    assert items(r, "l") == [b"b", b"c"]


def test_blmove_and_brpoplpush_serve_at_once(abc):
    r = abc
    assert raw(r, "BLMOVE", "l", "d", "LEFT", "RIGHT", 0) == b"a"
    assert raw(r, "BRPOPLPUSH", "l", "d", 0) == b"c"
    assert raw(r, "BLMOVE", "l", "l", "right", "left", 0) == b"b"
    assert items(r, "l") == [b"b"]
    assert items(r, "d") == [b"c", b"a"]


def test_blmove_type_errors_leave_data_unchanged(abc):
    r = abc
    assert error_of(r, "BLMOVE", "l", "s", "LEFT", "LEFT", 0) == WRONGTYPE
    assert error_of(r, "BRPOPLPUSH", "l", "s", 0) == WRONGTYPE
    assert error_of(r, "BRPOPLPUSH", "s", "l", 0) == WRONGTYPE
    assert items(r, "l") == [b"a", b"b", b"c"]
    assert raw(r, "GET", "s") == b"x"


def test_blmpop_serves_at_once(abc):
    r = abc
    assert raw(r, "BLMPOP", 0, 2, "nx", "l", "RIGHT", "COUNT", 2) == [b"l", [b"c", b"b"]]
    assert raw(r, "BLMPOP", 0, 1, "l", "LEFT", "COUNT", 5) == [b"l", [b"a"]]
    assert raw(r, "EXISTS", "l") == 0
    assert error_of(r, "BLMPOP", 0, 2, "nx", "s", "LEFT") == WRONGTYPE
    raw(r, "RPUSH", "l", "z")
    assert r.blmpop(1, 2, "nx", "l", direction="LEFT", count=3) == [b"l", [b"z"]]


# --- timeouts ------------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ("BLPOP", "nx", "nx2", 0.05), ("BRPOP", "nx", "0.05"), ("BLMPOP", "0.05", 1, "nx", "LEFT"),
    ("BLMOVE", "nx", "d", "LEFT", "LEFT", ".05"), ("BRPOPLPUSH", "nx", "d", "5e-2"),
])
def test_timeout_replies_null(abc, args):
    r = abc
    assert raw(r, *args) is None
    assert raw(r, "EXISTS", "nx", "d") == 0


def test_a_timeout_below_a_millisecond_is_rounded_up_not_forever(r):
    assert raw(r, "BLPOP", "nx", "0.0001") is None
    assert raw(r, "BLPOP", "nx", "1e-9") is None


def test_destination_type_does_not_matter_while_the_source_is_empty(abc):
    r = abc
    assert raw(r, "BLMOVE", "nx", "s", "LEFT", "LEFT", 0.01) is None
    assert raw(r, "BRPOPLPUSH", "nx", "s", 0.01) is None


@pytest.mark.parametrize("timeout, message", [
    ("x", NOT_FLOAT), ("", NOT_FLOAT), (" 1", NOT_FLOAT), ("1 ", NOT_FLOAT), ("nan", NOT_FLOAT),
    ("1e5000", NOT_FLOAT), ("1_0", NOT_FLOAT), ("0x", NOT_FLOAT),
    ("-1", NEGATIVE), ("-0.0011", NEGATIVE), ("inf", NEGATIVE), ("-inf", NEGATIVE),
    ("1e16", NEGATIVE), ("9223372036854775807", NEGATIVE),
])
def test_timeout_errors(abc, timeout, message):
    r = abc
    assert error_of(r, "BLPOP", "l", timeout) == message
    assert error_of(r, "BRPOP", "s", timeout) == message
    assert error_of(r, "BLMOVE", "l", "s", "LEFT", "LEFT", timeout) == message
    assert error_of(r, "BRPOPLPUSH", "s", "l", timeout) == message
    assert error_of(r, "BLMPOP", timeout, 1, "s", "LEFT") == message
    assert items(r, "l") == [b"a", b"b", b"c"]


def test_hexadecimal_timeouts_are_accepted(abc):
    r = abc
    assert raw(r, "BLPOP", "l", "0x10") == [b"l", b"a"]
    assert raw(r, "BLPOP", "nx", "0x.01p0") is None


@pytest.mark.parametrize("args, message", [
    (("BLMOVE", "l", "d", "LEFT", "UP", "x"), "syntax error"),
    (("BLMOVE", "s", "d", "UP", "LEFT", 0), "syntax error"),
    (("BLMPOP", "x", 0, "s", "LEFT"), "numkeys should be greater than 0"),
    (("BLMPOP", "x", "-1", "s", "LEFT"), "numkeys should be greater than 0"),
    (("BLMPOP", "x", 1, "s", "UP"), "syntax error"),
    (("BLMPOP", "x", 2, "s", "LEFT"), "syntax error"),
    (("BLMPOP", "-1", 1, "s", "LEFT", "COUNT", 0), "count should be greater than 0"),
    (("BLMPOP", "x", 1, "l", "LEFT", "COUNT"), "syntax error"),
    (("BLMPOP", "x", 1, "l", "LEFT", "COUNT", 1, "COUNT", 1), "syntax error"),
    (("BLMPOP", "x", 1, "l", "LEFT"), NOT_FLOAT),
    (("BLPOP", "l"), "wrong number of arguments for 'blpop' command"),
    (("BRPOP", "l"), "wrong number of arguments for 'brpop' command"),
    (("BLMOVE", "l", "d", "LEFT", "LEFT"), "wrong number of arguments for 'blmove' command"),
    (("BRPOPLPUSH", "l", "d"), "wrong number of arguments for 'brpoplpush' command"),
    (("BLMPOP", 0, 1, "l"), "wrong number of arguments for 'blmpop' command"),
])
def test_argument_errors_come_before_the_timeout_and_types(abc, args, message):
    r = abc
    assert error_of(r, *args) == message
    assert items(r, "l") == [b"a", b"b", b"c"]


# --- MULTI: never blocks -------------------------------------------------------------------------

def test_blocking_commands_in_multi_answer_at_once(abc):
    r = abc
    with r.pipeline() as pipe:
        pipe.execute_command("BLPOP", "nx", 0)
        pipe.execute_command("BRPOP", "nx", 0)
        pipe.execute_command("BLMOVE", "nx", "d", "LEFT", "LEFT", 0)
        pipe.execute_command("BRPOPLPUSH", "nx", "d", 0)
        pipe.execute_command("BLMPOP", 0, 1, "nx", "LEFT")
        pipe.execute_command("BLPOP", "l", 0)
        pipe.execute_command("BRPOPLPUSH", "l", "d", 0)
        replies = pipe.execute()
    assert replies[:5] == [None] * 5
    assert list(replies[5]) == [b"l", b"a"]
    assert replies[6] == b"c"


# --- woken by other clients ----------------------------------------------------------------------

@pytest.mark.parametrize("args, push, reply", [
    (("BLPOP", "k1", "k2", 0), ("RPUSH", "k2", "x", "y"), [b"k2", b"x"]),
    (("BRPOP", "k1", "k2", 5), ("RPUSH", "k1", "x", "y"), [b"k1", b"y"]),
    (("BLMPOP", 5, 2, "k1", "k2", "LEFT", "COUNT", 5), ("LPUSH", "k2", "x", "y"),
     [b"k2", [b"y", b"x"]]),
    (("BLMPOP", 0, 1, "k1", "RIGHT"), ("RPUSH", "k1", "x", "y"), [b"k1", [b"y"]]),
])
def test_a_push_wakes_a_blocked_pop(r, make, args, push, reply):
    waiter = block(r, make, *args)
    raw(r, *push)
    assert waiter.result() == reply


def test_blmove_is_woken_and_moves(r, make):
    raw(r, "RPUSH", "d", "old")
    waiter = block(r, make, "BLMOVE", "src", "d", "RIGHT", "LEFT", 0)
    assert raw(r, "RPUSH", "src", "x", "y") == 2
    assert waiter.result() == b"y"
    assert items(r, "src") == [b"x"]
    assert items(r, "d") == [b"y", b"old"]


def test_brpoplpush_is_woken_and_moves(r, make):
    waiter = block(r, make, "BRPOPLPUSH", "src", "d", 5)
    raw(r, "LPUSH", "src", "x")
    assert waiter.result() == b"x"
    assert raw(r, "EXISTS", "src") == 0
    assert items(r, "d") == [b"x"]


def test_waiters_are_served_longest_waiting_first(r, make):
    first = block(r, make, "BLPOP", "k", 5)
    second = block(r, make, "BRPOP", "other", "k", 5)
    raw(r, "RPUSH", "k", "x", "y")
    assert first.result() == [b"k", b"x"]
    assert second.result() == [b"k", b"y"]
    assert raw(r, "EXISTS", "k") == 0


def test_a_served_element_is_gone_for_other_waiters(r, make):
    first = block(r, make, "BLPOP", "k", 5)
    second = block(r, make, "BLPOP", "k", 5)
    raw(r, "RPUSH", "k", "x")
    assert first.result() == [b"k", b"x"]
    still_blocked(r, second)
    raw(r, "RPUSH", "k", "y")
    assert second.result() == [b"k", b"y"]


def test_a_waiter_is_served_from_the_key_that_became_ready(r, make):
    waiter = block(r, make, "BLPOP", "a", "b", 5)
    with r.pipeline() as pipe:
        pipe.rpush("b", "B").rpush("a", "A").execute()
    assert waiter.result() == [b"b", b"B"]
    assert items(r, "a") == [b"A"]


def test_push_and_pop_in_one_transaction_serves_nobody(r, make):
    waiter = block(r, make, "BLPOP", "k", 5)
    with r.pipeline() as pipe:
        assert pipe.rpush("k", "A").lpop("k").execute() == [1, b"A"]
    still_blocked(r, waiter)
    raw(r, "RPUSH", "k", "Z")
    assert waiter.result() == [b"k", b"Z"]


def test_lmove_into_a_watched_list_wakes_its_waiter(r, make):
    raw(r, "RPUSH", "src", "x")
    waiter = block(r, make, "BLPOP", "d", 5)
    assert raw(r, "LMOVE", "src", "d", "LEFT", "LEFT") == b"x"
    assert waiter.result() == [b"d", b"x"]
    assert raw(r, "EXISTS", "src", "d") == 0


def test_a_served_blmove_can_serve_the_next_waiter(r, make):
    mover = block(r, make, "BLMOVE", "a", "b", "LEFT", "LEFT", 5)
    popper = block(r, make, "BLPOP", "b", 5)
    raw(r, "RPUSH", "a", "x")
    assert mover.result() == b"x"
    assert popper.result() == [b"b", b"x"]
    assert raw(r, "EXISTS", "a", "b") == 0


def test_a_blocked_blmove_whose_destination_is_not_a_list_gets_wrongtype(r, make):
    waiter = block(r, make, "BLMOVE", "src", "d", "LEFT", "LEFT", 5)
    raw(r, "SET", "d", "string")
    raw(r, "RPUSH", "src", "x")
    reply = waiter.result()
    assert isinstance(reply, redis.ResponseError)
    assert str(reply) == WRONGTYPE
    assert items(r, "src") == [b"x"]
    assert raw(r, "GET", "d") == b"string"


def test_a_key_of_another_type_keeps_waiters_blocked(r, make):
    waiter = block(r, make, "BLPOP", "k", 5)
    raw(r, "SET", "k", "string")
    raw(r, "DEL", "k")
    still_blocked(r, waiter)
    raw(r, "RPUSH", "k", "v")
    assert waiter.result() == [b"k", b"v"]


def test_a_short_timeout_returns_null_while_blocked(r, make):
    waiter = Blocked(make(r), "BLPOP", "k", 0.1)
    assert waiter.result() is None
    raw(r, "RPUSH", "k", "v")
    assert items(r, "k") == [b"v"]


def test_waiters_on_other_databases_are_not_served(r, make):
    other = make(r, db=1)
    waiter = block(r, make, "BLPOP", "k", 5)
    raw(other, "RPUSH", "k", "db1")
    raw(r, "RPUSH", "k", "db0")
    assert waiter.result() == [b"k", b"db0"]
    assert items(other, "k") == [b"db1"]
    raw(other, "FLUSHDB")


# --- CLIENT UNBLOCK ------------------------------------------------------------------------------

def test_client_unblock_with_the_timeout_reply(r, make):
    waiter = block(r, make, "BLMOVE", "src", "d", "LEFT", "LEFT", 0)
    client_id = waiter.client_id
    assert raw(r, "CLIENT", "UNBLOCK", client_id) == 1
    assert waiter.result() is None
    assert raw(r, "CLIENT", "UNBLOCK", client_id) == 0


def test_client_unblock_with_an_error(r, make):
    waiter = block(r, make, "BLPOP", "k", 0)
    client_id = waiter.client_id
    assert raw(r, "CLIENT", "UNBLOCK", client_id, "ERROR") == 1
    reply = waiter.result()
    assert isinstance(reply, redis.ResponseError)
    assert str(reply) == "UNBLOCKED client unblocked via CLIENT UNBLOCK"
    raw(r, "RPUSH", "k", "v")
    assert items(r, "k") == [b"v"]


# --- scripts -------------------------------------------------------------------------------------

def test_blmpop_in_a_script_answers_at_once(abc):
    r = abc
    script = "return redis.call('BLMPOP', 0, 1, KEYS[1], 'LEFT', 'COUNT', 2)"
    assert r.eval(script, 1, "nx") is None
    assert r.eval(script, 1, "l") == [b"l", [b"a", b"b"]]


@pytest.mark.parametrize("call", [
    "redis.call('BLPOP', KEYS[1], 0)", "redis.call('BRPOP', KEYS[1], 0)",
    "redis.call('BRPOPLPUSH', KEYS[1], 'd', 0)",
    "redis.call('BLMOVE', KEYS[1], 'd', 'LEFT', 'LEFT', 0)",
])
def test_other_blocking_commands_are_refused_in_scripts(abc, call):
    r = abc
    with pytest.raises(redis.ResponseError) as exc:
        r.eval(f"return {call}", 1, "l")
    assert str(exc.value).startswith("This Redis command is not allowed from script script: ")
    assert items(r, "l") == [b"a", b"b", b"c"]


def test_a_push_by_a_script_wakes_a_waiter(r, make):
    waiter = block(r, make, "BLPOP", "k", 5)
    assert r.eval("redis.call('RPUSH', KEYS[1], 'a'); return redis.call('LPOP', KEYS[1])",
                  1, "k") == b"a"
    r.eval("return redis.call('RPUSH', KEYS[1], 'b', 'c')", 1, "k")
    assert waiter.result() == [b"k", b"b"]
    assert items(r, "k") == [b"c"]


def test_swapdb_serves_a_waiter_whose_key_now_exists(r, make):
    other = make(r, db=1)
    waiter = block(r, make, "BLPOP", "k", 5)
    raw(other, "RPUSH", "k", "from1", "more")
    assert raw(r, "SWAPDB", 0, 1) == b"OK"
    assert waiter.result() == [b"k", b"from1"]
    assert items(r, "k") == [b"more"]
    raw(other, "FLUSHDB")


# --- keyspace events of served clients -----------------------------------------------------------

def test_serving_a_waiter_sends_the_pop_events(r, make):
    replies = []

    def serve(*args):
        waiter = block(r, make, *args)
        raw(r, "RPUSH", args[1], "x")
        replies.append(waiter.result())

    assert keyevents(r, make, lambda: serve("BLMOVE", "src", "dst", "LEFT", "RIGHT", 5),
                     lambda: serve("BRPOP", "other", 5), classes="Elg") == [
        (b"rpush", b"src"), (b"rpush", b"dst"), (b"lpop", b"src"), (b"del", b"src"),
        (b"rpush", b"other"), (b"rpop", b"other"), (b"del", b"other"),
    ]
    assert replies == [b"x", [b"other", b"x"]]


# --- the client's side of a blocked command ------------------------------------------------------

def test_socket_timeout_shorter_than_the_blocking_timeout(r, make):
    impatient = make(r, socket_timeout=0.05, retry=Retry(NoBackoff(), 0))
    with pytest.raises(redis.TimeoutError):
        impatient.blpop("q", 0.5)
    assert impatient.ping() is True
    raw(r, "RPUSH", "q", "x")
    assert items(r, "q") == [b"x"]  # the abandoned BLPOP took nothing


def test_killed_blocked_client_sees_its_connection_closed(r, make):
    waiter = block(r, lambda first: make(first, retry=Retry(NoBackoff(), 0)), "BLPOP", "q", 0)
    assert r.client_kill_filter(_id=waiter.client_id) == 1
    reply = waiter.result()
    assert isinstance(reply, redis.ConnectionError)
    assert str(reply) == "Connection closed by server."
    raw(r, "RPUSH", "q", "x")
    assert items(r, "q") == [b"x"]
