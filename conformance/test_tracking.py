"""Client-side caching: CLIENT TRACKING, CACHING, GETREDIR, TRACKINGINFO and invalidation messages.

The tracking client is a raw connection of its own (RESP3 unless a test says otherwise) on the
server of ``r``; ``r`` (either protocol) writes. Its replies and its pushes are read apart, so a
test sees which invalidations a command caused and whether they came after its reply.
"""

from __future__ import annotations

import time
from typing import Any, Iterator

import pytest
import redis

from fakeredis import FakeRedis


def client_of(r: redis.Redis, protocol: int) -> redis.Redis:
    """Another client of the server of ``r`` speaking ``protocol``."""
    if isinstance(r, FakeRedis):
        return FakeRedis(server=r.server, protocol=protocol)
    kwargs = r.connection_pool.connection_kwargs
    return redis.Redis(host=kwargs["host"], port=kwargs["port"], protocol=protocol)


class Conn:
    """One connection of its own: ``conn(*args)`` is a command's reply, ``pushes()`` what the
    server pushed since (invalidations, pub/sub messages). Each is closed after its test."""

    opened: list["Conn"] = []

    def __init__(self, r: redis.Redis, protocol: int = 3) -> None:
        Conn.opened.append(self)
        self.client = client_of(r, protocol)
        self.conn = self.client.connection_pool.get_connection()
        parser = self.conn._parser
        if hasattr(parser, "set_invalidation_push_handler"):  # redis-py drops them otherwise
            parser.set_invalidation_push_handler(lambda message: message)
        self.id = self("CLIENT", "ID")

    def __call__(self, *args: Any) -> Any:
        self.conn.send_command(*args)
        try:
            return self.conn.read_response()
        except redis.ResponseError as exc:
            return exc

    def pushes(self) -> list[Any]:
        """Everything pushed to this connection so far."""
        found = []
        while self.conn.can_read(timeout=0.1):
            found.append(self.conn.read_response(push_request=True))
        return found

    def close(self) -> None:
        self.conn.disconnect()
        self.client.close()


@pytest.fixture(autouse=True)
def close_connections() -> Iterator[None]:
    """Close the connections a test opened, even when it fails."""
    yield
    while Conn.opened:
        Conn.opened.pop().close()


def invalidate(*keys: str) -> list[Any]:
    """The push invalidating ``keys`` (none: the null of a flush)."""
    return [b"invalidate", [k.encode() for k in keys] if keys else None]


def tracker(r: redis.Redis, *options: str) -> Conn:
    """A RESP3 connection tracking with ``options``."""
    conn = Conn(r)
    assert conn("CLIENT", "TRACKING", "ON", *options) == b"OK"
    return conn


def info(conn: Conn) -> dict[bytes, Any]:
    """CLIENT TRACKINGINFO with its flags as a sorted list."""
    reply = conn("CLIENT", "TRACKINGINFO")
    return {**reply, b"flags": sorted(reply[b"flags"])}


def client_flags(conn: Conn) -> tuple[str, str]:
    """The flags and redir fields of the connection's CLIENT INFO."""
    fields = dict(p.split("=", 1) for p in conn("CLIENT", "INFO").decode().split())
    return fields["flags"], fields["redir"]


# --- default mode ---------------------------------------------------------------------------------
def test_a_read_key_is_invalidated_once_until_read_again(r):
    a = tracker(r)
    r.set("k", "1")
    assert a("GET", "k") == b"1"
    assert a.pushes() == []
    r.set("k", "2")
    assert a.pushes() == [invalidate("k")]
    r.set("k", "3")
    assert a.pushes() == []
    assert a("GET", "k") == b"3"
    r.delete("k")
    assert a.pushes() == [invalidate("k")]


def test_own_writes_are_invalidated_after_the_reply_unless_noloop(r):
    a = tracker(r)
    a("GET", "k")
    assert a("SET", "k", "1") == b"OK"
    assert a.pushes() == [invalidate("k")]
    assert a("CLIENT", "TRACKING", "ON", "NOLOOP") == b"OK"
    a("GET", "k")
    a("SET", "k", "2")
    assert a.pushes() == []
    r.set("k", "3")  # forgotten all the same
    assert a.pushes() == []


def test_every_read_command_remembers_its_keys_even_missing_or_of_another_type(r):
    a = tracker(r)
    r.hset("h", "f", "v")
    assert isinstance(a("GET", "h"), redis.ResponseError)
    for args in (("MGET", "m", "m"), ("EXISTS", "e"), ("TYPE", "t"), ("TTL", "ttl"),
                 ("STRLEN", "s"), ("SORT_RO", "so"), ("DUMP", "d"), ("OBJECT", "ENCODING", "h"),
                 ("XREAD", "STREAMS", "x", "0"), ("LRANGE", "l", "0", "-1")):
        a(*args)
    assert a.pushes() == []
    r.mset({"h": "1", "m": "1", "e": "1", "t": "1", "ttl": "1", "s": "1", "so": "1", "d": "1",
            "x": "1", "l": "1"})
    assert a.pushes() == [invalidate(k) for k in ("h", "m", "e", "t", "ttl", "s", "so", "d", "x",
                                                   "l")]


def test_writes_scans_and_read_only_scripts_without_reads_remember_nothing(r):
    a = tracker(r)
    a("GETEX", "g")
    a("SCAN", "0")
    a("EVAL_RO", "return 1", "1", "ro")
    a("EVAL", "return redis.call('set', KEYS[1], 'x')", "1", "w")
    a.pushes()  # w: its own write
    r.mset({"g": "1", "ro": "1", "w": "1"})
    assert a.pushes() == []


def test_a_script_that_reads_remembers_the_keys_it_declares(r):
    a = tracker(r)
    assert a("EVAL", "return redis.call('get', 'inner')", "1", "declared") is None
    r.set("inner", "1")
    r.set("declared", "1")
    assert a.pushes() == [invalidate("declared")]
    a("MULTI")
    a("EVAL", "return redis.call('get', 'inner')", "1", "in-exec")
    assert a("EXEC") == [b"1"]
    r.mset({"inner": "2", "in-exec": "1"})
    assert a.pushes() == [invalidate("in-exec")]


def test_writes_that_change_nothing_send_nothing(r):
    a = tracker(r)
    a("GET", "k")
    r.delete("k")
    r.srem("k", "x")
    try:
        r.set("k", "1", ex=-1)
    except redis.ResponseError:
        pass
    assert a.pushes() == []
    r.setnx("k", "1")
    assert a.pushes() == [invalidate("k")]


def test_keys_are_tracked_by_name_across_databases(r):
    a = tracker(r)
    a("GET", "k")
    other = client_of(r, 2)
    other.execute_command("SELECT", "1")
    other.set("k", "1")
    assert a.pushes() == [invalidate("k")]
    other.flushdb()
    other.close()
    a.pushes()


def test_rename_move_expire_and_active_expiry_invalidate(r):
    a = tracker(r)
    r.set("src", "1")
    a("GET", "src")
    a("GET", "dst")
    r.rename("src", "dst")
    assert a.pushes() == [invalidate("src"), invalidate("dst")]
    a("GET", "dst")
    r.move("dst", 1)
    assert a.pushes() == [invalidate("dst")]
    r.set("e", "1")
    a("GET", "e")
    r.pexpire("e", 500)
    assert a.pushes() == [invalidate("e")]
    assert a("GET", "e") == b"1"
    time.sleep(0.7)
    r.ping()
    assert a.pushes() == [invalidate("e")]
    r.execute_command("FLUSHALL")


def test_flushes_send_a_null_to_every_tracking_client(r):
    a = tracker(r)
    r.flushdb()
    assert a.pushes() == [invalidate()]
    a("GET", "k")
    r.flushall()
    assert a.pushes() == [invalidate()]
    r.set("k", "1")  # the flush forgot every read key
    assert a.pushes() == []
    assert a("FLUSHALL") == b"OK"
    assert a.pushes() == [invalidate()]


def test_a_flush_sends_only_the_null_even_for_watched_keys(r, make):
    a = tracker(r)
    b = tracker(r, "BCAST")
    watcher = make(r).pipeline()
    r.set("k", "1")
    a("GET", "k")
    b.pushes()
    watcher.watch("k")
    r.flushall()
    assert a.pushes() == b.pushes() == [invalidate()]
    watcher.reset()


def test_swapdb_invalidates_nothing(r):
    a = tracker(r)
    a("GET", "k")
    r.swapdb(0, 1)
    assert a.pushes() == []
    r.swapdb(0, 1)


def test_reads_in_a_transaction_are_remembered_and_its_writes_invalidated_after_exec(r):
    a = tracker(r)
    a("GET", "w1")
    a("GET", "w2")
    assert a("MULTI") == b"OK"
    assert a("GET", "m") == b"QUEUED"
    assert a("SET", "w2", "1") == b"QUEUED"
    assert a("SET", "w1", "1") == b"QUEUED"
    assert a("EXEC") == [None, b"OK", b"OK"]
    assert a.pushes() == [invalidate("w2"), invalidate("w1")]
    r.set("m", "1")
    assert a.pushes() == [invalidate("m")]


def test_tracking_off_stops_messages_but_keys_read_stay_remembered(r):
    a = tracker(r)
    a("GET", "k")
    assert a("CLIENT", "TRACKING", "OFF") == b"OK"
    assert info(a) == {b"flags": [b"off"], b"redirect": -1, b"prefixes": []}
    a("GET", "other")  # not tracking: not remembered
    assert a("CLIENT", "TRACKING", "ON") == b"OK"
    r.set("k", "1")
    r.set("other", "1")
    assert a.pushes() == [invalidate("k")]


def test_tracking_state_in_client_info_trackinginfo_and_info(r):
    a = tracker(r)
    assert info(a) == {b"flags": [b"on"], b"redirect": 0, b"prefixes": []}
    assert a("CLIENT", "GETREDIR") == 0
    assert client_flags(a) == ("t", "0")
    a("MGET", "x", "y")
    stats = r.info()
    assert (stats["tracking_clients"], stats["tracking_total_keys"],
            stats["tracking_total_items"], stats["tracking_total_prefixes"]) == (1, 2, 2, 0)
    assert a("RESET") == b"RESET"
    assert a("CLIENT", "GETREDIR") == -1
    assert client_flags(a) == ("N", "-1")
    assert r.info()["tracking_clients"] == 0


def test_a_resp2_client_may_track_but_gets_no_messages_without_a_redirect(r):
    a = Conn(r, protocol=2)
    assert a("CLIENT", "TRACKING", "ON") == b"OK"
    assert a("CLIENT", "TRACKINGINFO") == [b"flags", [b"on"], b"redirect", 0, b"prefixes", []]
    a("GET", "k")
    r.set("k", "1")
    a("SET", "k", "2")
    r.flushall()
    assert a.pushes() == []
    assert a("PING") == b"PONG"


def test_a_write_by_a_served_blocked_client_invalidates(r):
    a = tracker(r)
    a("LRANGE", "dst", "0", "-1")
    a("LRANGE", "src", "0", "-1")
    blocked = Conn(r, protocol=2)
    blocked.conn.send_command("BLMOVE", "src", "dst", "LEFT", "LEFT", "0")
    time.sleep(0.1)
    r.rpush("src", "x")
    assert blocked.conn.read_response() == b"x"
    assert a.pushes() == [invalidate("src"), invalidate("dst")]


# --- BCAST ----------------------------------------------------------------------------------------
def test_bcast_sends_each_prefix_its_changed_keys_sorted_after_each_command(r):
    a = tracker(r, "BCAST", "PREFIX", "b:", "PREFIX", "a")
    assert info(a) == {b"flags": [b"bcast", b"on"], b"redirect": 0, b"prefixes": [b"a", b"b:"]}
    assert client_flags(a) == ("tB", "0")
    r.mset({"b:2": "1", "a1": "1", "c": "1", "b:1": "2"})
    assert a.pushes() == [invalidate("a1"), invalidate("b:1", "b:2")]
    with r.pipeline(transaction=True) as pipe:
        pipe.set("a9", "1").set("a0", "1").set("a9", "2").execute()
    assert a.pushes() == [invalidate("a0", "a9")]
    assert a("SET", "a5", "1") == b"OK"
    assert a.pushes() == [invalidate("a5")]
    r.flushall()
    assert a.pushes() == [invalidate()]


def test_bcast_without_prefix_covers_every_key_and_noloop_skips_own_writes(r):
    a = tracker(r, "BCAST", "NOLOOP")
    assert info(a) == {b"flags": [b"bcast", b"noloop", b"on"], b"redirect": 0,
                       b"prefixes": [b""]}
    a("SET", "mine", "1")
    r.set("theirs", "1")
    assert a.pushes() == [invalidate("theirs")]


def test_bcast_prefixes_accumulate_and_must_not_overlap(r):
    a = tracker(r, "BCAST", "PREFIX", "a")
    assert str(a("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "ab")) == (
        "Prefix 'ab' overlaps with an existing prefix 'a'. Prefixes for a single client must not "
        "overlap.")
    assert str(a("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "a")) == (
        "Prefix 'a' overlaps with an existing prefix 'a'. Prefixes for a single client must not "
        "overlap.")
    assert a("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "c") == b"OK"
    assert a("CLIENT", "TRACKING", "ON", "BCAST") == b"OK"
    assert info(a)[b"prefixes"] == [b"", b"a", b"c"]
    assert str(a("CLIENT", "TRACKING", "ON")) == (
        "You can't switch BCAST mode on/off before disabling tracking for this client, and then "
        "re-enabling it with a different mode.")
    a("CLIENT", "TRACKING", "OFF")
    assert str(a("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "x", "PREFIX", "xy")) == (
        "Prefix 'x' overlaps with another provided prefix 'xy'. Prefixes for a single client must "
        "not overlap.")


# --- OPTIN / OPTOUT -------------------------------------------------------------------------------
def test_optin_remembers_only_reads_after_caching_yes(r):
    a = tracker(r, "OPTIN")
    a("GET", "k1")
    assert a("CLIENT", "CACHING", "YES") == b"OK"
    assert info(a)[b"flags"] == [b"caching-yes", b"on", b"optin"]
    a("GET", "k2")
    a("GET", "k3")
    a("CLIENT", "CACHING", "YES")
    a("CLIENT", "ID")  # a CLIENT subcommand keeps the flag
    a("GET", "k4")
    a("CLIENT", "CACHING", "YES")
    a("PING")
    a("GET", "k5")
    a("CLIENT", "CACHING", "YES")
    a("MULTI")
    a("GET", "k6")
    a("GET", "k7")
    a("EXEC")
    r.mset({f"k{i}": "1" for i in range(1, 8)})
    assert a.pushes() == [invalidate("k2"), invalidate("k4"), invalidate("k6"), invalidate("k7")]
    assert str(a("CLIENT", "CACHING", "NO")) == (
        "CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.")
    assert str(a("CLIENT", "CACHING", "maybe")) == "syntax error"
    assert str(a("CLIENT", "TRACKING", "ON", "OPTOUT")) == (
        "You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then "
        "re-enabling it with a different mode.")


def test_optout_remembers_reads_except_after_caching_no(r):
    a = tracker(r, "OPTOUT")
    assert a("CLIENT", "CACHING", "NO") == b"OK"
    assert info(a)[b"flags"] == [b"caching-no", b"on", b"optout"]
    a("GET", "o1")
    a("GET", "o2")
    r.mset({"o1": "1", "o2": "1"})
    assert a.pushes() == [invalidate("o2")]
    assert str(a("CLIENT", "CACHING", "YES")) == (
        "CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.")


# --- REDIRECT -------------------------------------------------------------------------------------
def test_redirect_to_a_resp2_client_subscribed_to_the_invalidate_channel(r):
    target = Conn(r, protocol=2)
    a = tracker(r, "REDIRECT", str(target.id))
    assert a("CLIENT", "GETREDIR") == target.id
    assert info(a) == {b"flags": [b"on"], b"redirect": target.id, b"prefixes": []}
    assert client_flags(a) == ("t", str(target.id))
    a("GET", "k")
    r.set("k", "1")  # not subscribed: the message is lost
    assert target.pushes() == a.pushes() == []
    target.conn.send_command("SUBSCRIBE", "__redis__:invalidate")
    assert target.conn.read_response() == [b"subscribe", b"__redis__:invalidate", 1]
    a("GET", "k")
    a("MGET", "x", "y")
    r.mset({"k": "2", "x": "2"})
    assert target.pushes() == [[b"message", b"__redis__:invalidate", [b"k"]],
                               [b"message", b"__redis__:invalidate", [b"x"]]]
    assert a.pushes() == []


def test_redirect_to_a_resp3_client_and_a_broken_redirect(r):
    target = Conn(r)
    a = tracker(r, "REDIRECT", str(target.id))
    a("GET", "k")
    r.set("k", "1")
    assert target.pushes() == [invalidate("k")]
    assert a.pushes() == []
    target.close()
    time.sleep(0.1)
    a("GET", "k")
    r.set("k", "2")
    assert a.pushes() == [[b"tracking-redir-broken", target.id]]
    assert info(a) == {b"flags": [b"broken_redirect", b"on"], b"redirect": target.id,
                       b"prefixes": []}
    assert client_flags(a) == ("tR", str(target.id))


def test_caching_in_the_default_mode_names_the_mode_it_needs(r):
    a = tracker(r)
    assert str(a("CLIENT", "CACHING", "YES")) == (
        "CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.")
    assert str(a("CLIENT", "CACHING", "NO")) == (
        "CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.")
    assert str(a("CLIENT", "CACHING", "maybe")) == "syntax error"


def test_tracking_option_errors(r):
    a = Conn(r)
    me = str(a.id)
    assert str(a("CLIENT", "TRACKING", "ON", "REDIRECT", me, "REDIRECT", me)) == (
        "A client can only redirect to a single other client")
    assert str(a("CLIENT", "TRACKING", "OFF", "REDIRECT", "999999")) == (
        "The client ID you want redirect to does not exist")
    assert str(a("CLIENT", "TRACKING", "ON", "BCAST", "OPTIN", "OPTOUT")) == (
        "OPTIN and OPTOUT are not compatible with BCAST")
    assert str(a("CLIENT", "TRACKING", "ON", "PREFIX", "a", "OPTIN", "OPTOUT")) == (
        "PREFIX option requires BCAST mode to be enabled")
    assert a("CLIENT", "TRACKING", "OFF", "BCAST", "PREFIX", "a", "OPTIN", "OPTOUT") == b"OK"
    assert str(a("CLIENT", "CACHING", "YES")) == (
        "CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or "
        "OPTOUT mode enabled")

