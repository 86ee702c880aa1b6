"""Unit tests of the list module: helpers against brute force, null reply kinds, the keyspace."""

import random
from collections import deque

import pytest

from fakeredis import FakeServer
from fakeredis.commands import lists
from fakeredis.replies import NULL_ARRAY, QUEUED


@pytest.fixture
def run():
    server = FakeServer()
    session = server.new_session()

    def execute(*args):
        reply = server.execute(session, [a if isinstance(a, bytes) else str(a).encode()
                                         for a in args])
        session.db._check()
        return reply

    return execute


def test_slice_matches_list_slicing_from_either_end():
    rng = random.Random(7)
    for n in (1, 2, 5, 64, 200):
        lst = deque(range(n))
        for _ in range(50):
            start = rng.randrange(n)
            stop = rng.randrange(start + 1, n + 1)
            assert lists._slice(lst, start, stop) == list(lst)[start:stop]


def positions_brute_force(items, element, rank, count, maxlen):
    indexes = list(range(len(items)))
    if rank < 0:
        indexes.reverse()
    if maxlen:
        indexes = indexes[:maxlen]
    matches = [i for i in indexes if items[i] == element][abs(rank) - 1:]
    return matches[:count] if count else matches


def test_positions_match_brute_force():
    rng = random.Random(3)
    for _ in range(300):
        items = [rng.choice(b"ab") for _ in range(rng.randrange(12))]
        rank = rng.choice([1, 2, 3, -1, -2, -3])
        count, maxlen = rng.randrange(4), rng.randrange(6)
        expected = positions_brute_force(items, ord("a"), rank, count, maxlen)
        assert lists._positions(deque(items), ord("a"), rank, count, maxlen) == expected, items


def test_mpop_key_finders():
    lmpop = lists._mpop_key_finder(1)
    assert lmpop([b"lmpop", b"2", b"a", b"b", b"LEFT"]) == [2, 3]
    assert lmpop([b"lmpop", b"0", b"a", b"LEFT"]) == []
    assert lmpop([b"lmpop", b"3", b"a", b"LEFT"]) == []
    assert lmpop([b"lmpop", b"x", b"a", b"LEFT"]) == []
    assert lists._mpop_key_finder(2)([b"blmpop", b"0", b"1", b"a", b"LEFT"]) == [3]


def test_lists_are_deques_and_emptied_lists_are_removed(run):
    assert run("RPUSH", "l", "a", "b") == 2
    assert run("LPOP", "l", 5) == [b"a", b"b"]
    assert run("EXISTS", "l") == 0
    run("LPUSH", "l", "x")
    assert run("LREM", "l", 0, "x") == 1
    run("RPUSH", "l", "x")
    assert run("LTRIM", "l", 1, 0) == b"OK"
    run("RPUSH", "l", "x")
    assert run("LMPOP", 1, "l", "LEFT") == [b"l", [b"x"]]
    assert run("EXISTS", "l") == 0


def test_ltrim_keeps_the_list_object_either_way(run):
    run("RPUSH", "l", *range(100))
    run("LTRIM", "l", 10, 12)
    assert run("LRANGE", "l", 0, -1) == [b"10", b"11", b"12"]
    run("RPUSH", "m", *range(100))
    run("LTRIM", "m", 1, 98)
    assert run("LLEN", "m") == 98
    assert run("LINDEX", "m", 0) == b"1" and run("LINDEX", "m", -1) == b"98"


def test_null_kinds_on_timeout_and_in_multi(run):
    for command in (("BLPOP", "nx", "0.01"), ("BRPOP", "nx", "0.01"),
                    ("BLMPOP", "0.01", 1, "nx", "LEFT"), ("BRPOPLPUSH", "nx", "d", "0.01"),
                    ("BLMOVE", "nx", "d", "LEFT", "LEFT", "0.01")):
        assert run(*command) is NULL_ARRAY
    assert run("MULTI") == b"OK"
    for command in (("BLPOP", "nx", 0), ("BLMPOP", 0, 1, "nx", "LEFT"),
                    ("BRPOPLPUSH", "nx", "d", 0), ("BLMOVE", "nx", "d", "LEFT", "LEFT", 0)):
        assert run(*command) == QUEUED
    assert run("EXEC") == [NULL_ARRAY, NULL_ARRAY, None, None]


def test_pop_nulls(run):
    assert run("LPOP", "nx") is None
    assert run("LPOP", "nx", 1) is NULL_ARRAY
    assert run("LMPOP", 1, "nx", "LEFT") is NULL_ARRAY


def test_advance_time_times_out_a_blocked_pop():
    server = FakeServer()
    waiting, pusher = server.new_session(), server.new_session()
    waiter = server.execute_nowait(waiting, [b"BLPOP", b"k", b"100"])
    assert waiting.blocked
    server.advance_time(101)
    assert waiter.wait() is NULL_ARRAY
    assert not waiting.blocked
    server.execute(pusher, [b"RPUSH", b"k", b"v"])
    assert server.execute(pusher, [b"LLEN", b"k"]) == 1


def test_a_push_serves_a_parked_waiter_under_the_lock():
    server = FakeServer()
    waiting, pusher = server.new_session(), server.new_session()
    waiter = server.execute_nowait(waiting, [b"BRPOP", b"a", b"b", b"0"])
    server.execute(pusher, [b"RPUSH", b"b", b"1", b"2"])
    assert waiter.done and waiter.wait() == [b"b", b"2"]
    assert server.execute(pusher, [b"LRANGE", b"b", b"0", b"-1"]) == [b"1"]


def test_an_interrupted_wait_is_not_served_later(monkeypatch):
    server = FakeServer()
    waiting, pusher = server.new_session(), server.new_session()
    waiter = server.execute_nowait(waiting, [b"BLPOP", b"k", b"0"])

    def interrupted(timeout=None):
        raise KeyboardInterrupt

    monkeypatch.setattr(waiter.cond, "wait", interrupted)
    with pytest.raises(KeyboardInterrupt):
        waiter.wait()
    assert not waiting.blocked
    server.execute(pusher, [b"RPUSH", b"k", b"v"])
    assert server.execute(pusher, [b"LLEN", b"k"]) == 1
