"""The server clock follows time-machine and freezegun, and FakeServer.advance_time."""

import datetime

import freezegun
import time_machine

import fakeredis


def test_ttls_follow_time_machine():
    r = fakeredis.FakeRedis()
    with time_machine.travel(datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc),
                             tick=False) as traveller:
        r.set("k", "v", ex=10)
        assert r.ttl("k") == 10
        traveller.shift(datetime.timedelta(seconds=9))
        assert r.get("k") == b"v"
        traveller.shift(datetime.timedelta(seconds=2))
        assert r.get("k") is None


def test_ttls_and_time_follow_freezegun():
    r = fakeredis.FakeRedis()
    with freezegun.freeze_time("2030-01-01 00:00:00") as frozen:
        r.set("k", "v", px=1500)
        assert r.time()[0] == 1893456000
        frozen.tick(datetime.timedelta(seconds=1))
        assert r.pttl("k") == 500
        frozen.tick(datetime.timedelta(seconds=1))
        assert r.exists("k") == 0


def test_advance_time_through_the_client():
    r = fakeredis.FakeRedis()
    r.set("k", "v", ex=60)
    r.server.advance_time(61)
    assert r.get("k") is None
