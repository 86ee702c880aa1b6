"""Pub/Sub and keyspace notifications, the same on the fake and on real Redis."""

import time

import pytest
import redis

from conformance.helpers import is_resp3, keyevents, raw


def messages(pubsub, count):
    """The next ``count`` messages (subscription confirmations included; waits at most 2 s)."""
    got = []
    deadline = time.monotonic() + 2
    while len(got) < count and time.monotonic() < deadline:
        message = pubsub.get_message(timeout=0.1)
        if message is not None:
            got.append(message)
    return got


def test_subscribe_publish_and_unsubscribe(r, make):
    pubsub = make(r).pubsub()
    pubsub.subscribe("news", "sport")
    assert [(m["type"], m["channel"], m["data"]) for m in messages(pubsub, 2)] == [
        ("subscribe", b"news", 1), ("subscribe", b"sport", 2)]
    assert r.publish("news", "hello") == 1
    assert r.publish("nobody", "x") == 0
    [message] = messages(pubsub, 1)
    assert message == {"type": "message", "pattern": None, "channel": b"news", "data": b"hello"}
    pubsub.unsubscribe("news")
    assert [(m["type"], m["channel"], m["data"]) for m in messages(pubsub, 1)] == [
        ("unsubscribe", b"news", 1)]
    assert r.publish("news", "again") == 0
    pubsub.close()


def test_patterns_receive_pmessages(r, make):
    pubsub = make(r).pubsub()
    pubsub.psubscribe("ne*")
    messages(pubsub, 1)
    assert r.publish("news", "x") == 1
    [message] = messages(pubsub, 1)
    assert message == {"type": "pmessage", "pattern": b"ne*", "channel": b"news", "data": b"x"}
    assert raw(r, "PUBSUB", "NUMPAT") == 1
    pubsub.close()


def test_a_client_subscribed_to_channel_and_pattern_gets_both(r, make):
    pubsub = make(r).pubsub()
    pubsub.subscribe("a")
    pubsub.psubscribe("a*")
    messages(pubsub, 2)
    assert r.publish("a", "m") == 2
    assert {m["type"] for m in messages(pubsub, 2)} == {"message", "pmessage"}
    pubsub.close()


def test_messages_sent_before_a_subscribers_command_are_read_before_its_reply(r, make):
    pubsub = make(r).pubsub()
    pubsub.subscribe("news")
    messages(pubsub, 1)
    assert r.publish("news", "first") == 1
    time.sleep(0.05)  # the message is on its way to the subscriber before it sends PING
    pubsub.ping("hi")
    got = messages(pubsub, 2)
    assert [m["type"] for m in got] == ["message", "pong"]
    assert got[0]["data"] == b"first"
    pubsub.close()


def test_pubsub_introspection(r, make):
    pubsub = make(r).pubsub()
    pubsub.subscribe("c1", "c2")
    messages(pubsub, 2)
    assert sorted(raw(r, "PUBSUB", "CHANNELS")) == [b"c1", b"c2"]
    assert raw(r, "PUBSUB", "CHANNELS", "*1") == [b"c1"]
    assert raw(r, "PUBSUB", "NUMSUB", "c1", "zz") == [b"c1", 1, b"zz", 0]
    assert raw(r, "PUBSUB", "NUMPAT") == 0
    with pytest.raises(redis.ResponseError) as exc:
        raw(r, "PUBSUB", "NOPE")
    assert str(exc.value) == "unknown subcommand 'NOPE'. Try PUBSUB HELP."
    pubsub.close()


def test_unsubscribe_everything_when_not_subscribed(r):
    conn = r.connection_pool.get_connection()
    try:
        conn.send_command("UNSUBSCRIBE")
        reply = conn.read_response(push_request=True)
        assert reply == [b"unsubscribe", None, 0]
    finally:
        conn.disconnect()
        r.connection_pool.release(conn)


def test_subscribed_connection_rules(r):
    """RESP2 refuses other commands while subscribed (PING answers as a message); RESP3 runs them."""
    conn = r.connection_pool.get_connection()
    try:
        conn.send_command("SUBSCRIBE", "x")
        assert conn.read_response(push_request=True) == [b"subscribe", b"x", 1]
        conn.send_command("SET", "k", "v")
        if is_resp3(r):
            assert conn.read_response() == b"OK"
            return
        with pytest.raises(redis.ResponseError) as exc:
            conn.read_response()
        assert str(exc.value) == ("Can't execute 'set': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / "
                                  "PING / QUIT / RESET are allowed in this context")
        conn.send_command("PING")
        assert conn.read_response() == [b"pong", b""]
    finally:
        conn.disconnect()
        r.connection_pool.release(conn)


def test_sharded_channels(r, make):
    pubsub = make(r).pubsub()
    pubsub.ssubscribe("shard")
    [confirmation] = messages(pubsub, 1)
    assert (confirmation["type"], confirmation["channel"], confirmation["data"]) == (
        "ssubscribe", b"shard", 1)
    assert raw(r, "SPUBLISH", "shard", "hi") == 1
    [message] = messages(pubsub, 1)
    assert (message["type"], message["channel"], message["data"]) == ("smessage", b"shard", b"hi")
    assert raw(r, "PUBSUB", "SHARDCHANNELS") == [b"shard"]
    assert raw(r, "PUBSUB", "SHARDNUMSUB", "shard") == [b"shard", 1]
    pubsub.close()


@pytest.fixture
def notifications(r):
    r.config_set("notify-keyspace-events", "")
    yield r
    r.config_set("notify-keyspace-events", "")


def test_keyspace_and_keyevent_notifications(notifications, make):
    r = notifications
    r.config_set("notify-keyspace-events", "KEA")
    pubsub = make(r).pubsub()
    pubsub.psubscribe("__key*__:*")
    messages(pubsub, 1)
    r.set("k", "v")
    r.delete("k")
    got = [(m["channel"], m["data"]) for m in messages(pubsub, 4)]
    assert got == [(b"__keyspace@0__:k", b"set"), (b"__keyevent@0__:set", b"k"),
                   (b"__keyspace@0__:k", b"del"), (b"__keyevent@0__:del", b"k")]
    pubsub.close()


def test_notification_classes_filter_events(r, make):
    # SET is a string event, not in class g; EXPIRE is generic
    assert keyevents(r, make, ("SET", "k", "v"), ("EXPIRE", "k", "100"), classes="Eg") == [
        (b"expire", b"k")]
