"""Expiry driven by the server clock (FakeServer.advance_time), without sleeping."""

import pytest
import time_machine

from fakeredis import FakeRedis, FakeServer
from fakeredis.commands import expiry
from fakeredis.errors import ReplyError


@pytest.fixture
def r():
    return FakeRedis(server=FakeServer())


def test_parse_condition():
    assert expiry._parse_condition((b"nx",)) == {b"NX"}
    assert expiry._parse_condition((b"xx", b"GT")) == {b"XX", b"GT"}
    for bad in ((b"NX", b"XX"), (b"GT", b"LT"), (b"foo",)):
        with pytest.raises(ReplyError):
            expiry._parse_condition(bad)


def test_condition_holds():
    holds = expiry._condition_holds
    assert holds(frozenset({b"NX"}), 5, None) and not holds(frozenset({b"NX"}), 5, 1)
    assert holds(frozenset({b"XX"}), 5, 1) and not holds(frozenset({b"XX"}), 5, None)
    assert holds(frozenset({b"GT"}), 5, 1) and not holds(frozenset({b"GT"}), 5, None)
    assert not holds(frozenset({b"GT"}), 5, 5)
    assert holds(frozenset({b"LT"}), 5, None) and holds(frozenset({b"LT"}), 5, 6)
    assert not holds(frozenset({b"LT"}), 5, 5)


def test_ttl_follows_the_server_clock(r):
    with time_machine.travel(0, tick=False):  # wall time stands still: only advance_time moves
        r.set("k", "v")
        r.expire("k", 100)
        r.server.advance_time(30)
        assert r.ttl("k") == 70
        assert r.pttl("k") == 70_000
        r.server.advance_time(70)
        assert r.ttl("k") == -2
        assert r.get("k") is None


def test_active_expiry_removes_keys_without_access(r):
    r.set("k", "v")
    r.pexpire("k", 10)
    r.server.advance_time(1)
    assert r.dbsize() == 0


def test_expiretime_is_absolute(r):
    r.set("k", "v")
    r.expireat("k", 4_000_000_000)
    r.server.advance_time(1000)
    assert r.expiretime("k") == 4_000_000_000


def test_persist_keeps_key_past_old_deadline(r):
    r.set("k", "v", ex=10)
    r.persist("k")
    r.server.advance_time(20)
    assert r.get("k") == b"v"


def test_rename_and_move_carry_the_deadline(r):
    r.set("a", "v", ex=10)
    r.rename("a", "b")
    r.move("b", 1)
    other = FakeRedis(server=r.server, db=1)
    assert other.ttl("b") == 10
    r.server.advance_time(11)
    assert other.exists("b") == 0
