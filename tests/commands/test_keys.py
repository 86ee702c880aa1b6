"""Unit tests of the generic key commands' helpers, with the server clock moved by advance_time."""

from collections import deque

import pytest

from fakeredis import FakeRedis, FakeServer
from fakeredis.commands import keys
from fakeredis.errors import ReplyError
from fakeredis.structures.zset import ZSet


@pytest.fixture
def r():
    return FakeRedis(server=FakeServer())


def test_copy_value_is_independent():
    for value in (deque([b"a"]), {b"a"}, {b"f": b"v"}):
        copied = keys.copy_value(value)
        assert copied == value and copied is not value
    zset = ZSet()
    zset.insert(b"m", 1.0)
    copied = keys.copy_value(zset)
    copied.insert(b"n", 2.0)
    assert len(zset) == 1 and len(copied) == 2
    assert keys.copy_value(b"x") == b"x"


def test_idle_seconds_wraps_like_the_lru_clock():
    assert keys._idle_seconds(100, 40) == 60
    assert keys._idle_seconds(5, keys._LRU_CLOCK_MAX - 5) == 10


def test_parse_db_index(r):
    ctx = r.server.new_session()
    assert keys.parse_db_index(ctx, b"3") is r.server.dbs[3]
    for bad in (b"16", b"-1", b"x", b"2147483648"):
        with pytest.raises(ReplyError):
            keys.parse_db_index(ctx, bad)


def test_idletime_grows_with_the_server_clock(r):
    r.set("k", "v")
    r.restore("k2", 0, r.dump("k"), idletime=10)
    assert r.object("idletime", "k2") == 10
    r.server.advance_time(5)
    assert r.object("idletime", "k2") == 15
    assert r.object("idletime", "k") == 0
    r.touch("k2")
    assert r.object("idletime", "k2") == 0


def test_idletime_forgotten_when_value_replaced(r):
    r.set("k", "v")
    r.restore("k2", 0, r.dump("k"), idletime=10)
    r.set("k2", "w")
    assert r.object("idletime", "k2") == 0


def test_restore_ttl_counts_from_server_clock(r):
    r.set("k", "v")
    r.restore("k2", 5000, r.dump("k"))
    r.server.advance_time(4)
    assert r.exists("k2") == 1
    r.server.advance_time(2)
    assert r.exists("k2") == 0


def test_keys_and_scan_skip_keys_past_their_deadline(r):
    r.set("a", "1", px=1000)
    r.set("b", "1")
    r.server.advance_time(2)
    assert r.keys("*") == [b"b"]
    assert r.keys("a*") == []
    assert r.scan(0) == (0, [b"b"])
    assert r.randomkey() == b"b"


def test_randomkey_of_only_expired_keys(r):
    r.set("a", "1", px=1000)
    r.server.advance_time(2)
    assert r.randomkey() is None


def test_the_encoding_record_lives_and_dies_with_the_key(r):
    db = r.server.dbs[0]
    r.sadd("s", "1", "a")
    r.hset("h", "f", "x" * 65)
    r.srem("s", "a")
    r.hset("h", "f", "1")
    assert db.encodings == {b"s": b"hashtable", b"h": b"hashtable"}
    r.rename("s", "t")
    r.expire("h", 5)
    r.server.advance_time(6)
    assert r.exists("h") == 0
    assert db.encodings == {b"t": b"hashtable"}
    db._check()
    r.srem("t", "1")
    r.sadd("t", "2")
    assert db.encodings == {}
    r.sadd("u", "a")
    r.set("u", "x")
    assert db.encodings == {}
    r.sadd("v", "a")
    r.flushdb()
    assert db.encodings == {}


def test_check_rejects_a_record_on_the_wrong_type(r):
    db = r.server.dbs[0]
    r.rpush("l", "a")
    db.encodings[b"l"] = b"hashtable"
    with pytest.raises(AssertionError):
        db._check()
