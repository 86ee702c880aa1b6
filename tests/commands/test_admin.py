"""What conformance cannot compare with a real server: MEMORY USAGE's estimate, MONITOR through
redis-py's Monitor in-process (sync and asyncio), SHUTDOWN's effect on a FakeServer, DEBUG's
local setting, the dispatch cost of monitors (none once they are gone), the debug helpers."""

from __future__ import annotations

import asyncio
import threading

import pytest
import redis

from fakeredis import FakeAsyncRedis, FakeRedis, FakeServer
from fakeredis.commands import admin, debug


@pytest.fixture
def r() -> FakeRedis:
    return FakeRedis(server=FakeServer())


# --- MEMORY USAGE ---------------------------------------------------------------------------------
@pytest.mark.parametrize("write", [
    lambda r, n: r.set("k", "x" * n),
    lambda r, n: r.rpush("k", *(["x" * 10] * n)),
    lambda r, n: r.sadd("k", *(f"m{i}" for i in range(n))),
    lambda r, n: r.hset("k", mapping={f"f{i}": "v" for i in range(n)}),
    lambda r, n: r.zadd("k", {f"m{i}": i for i in range(n)}),
    lambda r, n: [r.xadd("k", {"f": "v"}) for _ in range(n)],
], ids=["string", "list", "set", "hash", "zset", "stream"])
def test_memory_usage_grows_with_the_value(r, write):
    sizes = []
    for n in (1, 10, 100, 1000):
        r.delete("k")
        write(r, n)
        sizes.append(r.memory_usage("k"))
    assert all(isinstance(size, int) and size % 8 == 0 for size in sizes)
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]
    assert 40 < sizes[0] < 5000  # tens of bytes to a few KB (a stream's first node), as in Redis


def test_memory_usage_samples_extrapolate(r):
    r.rpush("l", *(["x"] * 50 + ["y" * 1000] * 50))
    assert r.memory_usage("l", samples=5) < r.memory_usage("l", samples=0)
    assert r.memory_usage("missing") is None


def test_memory_usage_counts_the_key():
    assert admin.value_memory(b"k" * 100, b"v", 5) > admin.value_memory(b"k", b"v", 5)


def test_memory_stats_follow_the_dataset(r):
    empty = r.memory_stats()
    r.set("a", "x" * 10000)
    stats = r.memory_stats()
    assert stats["keys.count"] == 1
    assert stats["dataset.bytes"] > 10000
    assert stats["total.allocated"] > empty["total.allocated"]


# --- MONITOR --------------------------------------------------------------------------------------
def test_monitor_through_redis_py(r):
    other = FakeRedis(server=r.server)
    other.ping()  # connected (HELLO) before the monitor starts
    with r.monitor() as monitor:
        thread = threading.Thread(target=lambda: (other.set("a", "1"), other.lpush("l", "x y")))
        thread.start()
        first, second = monitor.next_command(), monitor.next_command()
        thread.join()
    assert first["command"] == "SET a 1" and first["db"] == 0
    assert second["command"] == "LPUSH l x y"
    assert first["client_type"] == "tcp" and first["client_address"] == "127.0.0.1"


def test_monitor_listen_sees_commands_in_order(r):
    other = FakeRedis(server=r.server)
    other.ping()
    with r.monitor() as monitor:
        for i in range(3):
            other.incr("n")
        got = [next(monitor.listen())["command"] for _ in range(3)]
    assert got == ["INCRBY n 1"] * 3 or got == ["INCR n"] * 3


def test_monitor_dispatch_cost(r):
    server = r.server
    assert server._observed is False
    with r.monitor():
        assert server._observed is True
    assert server.monitors == [] and server._observed is False


def test_observed_commands_leave_the_dispatch_flag_right(r):
    server = r.server
    with r.monitor() as monitor:
        monitor.connection.send_command("RESET")  # runs on the observed path, ends it
        assert monitor.connection.read_response() == b"RESET"
        assert server.monitors == [] and server._observed is False
        monitor.connection.send_command("MONITOR")
        assert monitor.connection.read_response() == b"OK"
        monitor.connection.send_command("REPLICAOF", "127.0.0.1", 1)
        assert monitor.connection.read_response() == b"OK"
    assert server.monitors == [] and server._observed is True  # a replica refuses writes
    r.execute_command("REPLICAOF", "NO", "ONE")
    assert server._observed is False


def test_monitor_keeps_the_call_log_and_faults_working(r):
    server = r.server
    server.record_calls()
    with r.monitor():
        r2 = FakeRedis(server=server)
        r2.set("a", 1)
    assert server.calls_of("set")
    assert server._observed is True  # the call log is still on
    server.record_calls(False)
    assert server._observed is False


def test_monitor_quotes_like_redis():
    assert admin._quoted(b'a"b\\c\n\r\t\x07\x08\x00\xff') == \
        '"a\\"b\\\\c\\n\\r\\t\\a\\b\\x00\\xff"'


def test_admin_commands_are_not_monitored(r):
    server = r.server
    watcher = server.new_session()
    server.add_monitor(watcher, admin.feed_monitors)
    other = FakeRedis(server=server)
    other.config_get("maxmemory")
    other.execute_command("SLOWLOG", "LEN")
    other.ping()
    assert [line.split(b"] ")[1] for line in watcher.pushes][-1:] == [b'"PING"']
    assert not any(b"CONFIG" in line or b"SLOWLOG" in line for line in watcher.pushes)
    server.close_session(watcher)


# --- SHUTDOWN -------------------------------------------------------------------------------------
def test_shutdown_disconnects_every_client_until_reconnected(r):
    other = FakeRedis(server=r.server)
    other.set("a", "1")
    assert r.shutdown(nosave=True) is None
    assert r.server.connected is False
    with pytest.raises(redis.ConnectionError):
        other.get("a")
    r.server.connected = True  # the server is back, with its data (NOSAVE or not)
    assert other.get("a") == b"1"


def test_shutdown_abort_without_shutdown(r):
    with pytest.raises(redis.ResponseError, match="No shutdown in progress."):
        r.execute_command("SHUTDOWN", "ABORT")
    assert r.server.connected is True


# --- DEBUG ----------------------------------------------------------------------------------------
def test_debug_local_allows_local_clients_only():
    server = FakeServer(config={"enable-debug-command": "local"})
    assert FakeRedis(server=server).execute_command("DEBUG", "SLEEP", 0) == b"OK"
    remote = server.new_session(addr="10.0.0.1:5000")
    assert server.execute(remote, [b"DEBUG", b"SLEEP", b"0"]).text.startswith(
        "ERR DEBUG command not allowed.")


def test_debug_set_active_expire_follows_advance_time():
    server = FakeServer(config={"enable-debug-command": "yes"})
    r = FakeRedis(server=server)
    r.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", 0)
    r.set("a", 1, px=100)
    server.advance_time(1)
    assert r.dbsize() == 1
    r.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", "1")
    r.set("b", 1)
    assert r.dbsize() == 1  # the next command expired "a"


def test_debug_digest_ignores_order():
    a = debug._digest([(b"k", {b"f": b"1", b"g": b"2"}), (b"s", b"v")])
    b = debug._digest([(b"s", b"v"), (b"k", {b"g": b"2", b"f": b"1"})])
    assert a == b and a != b"0" * 40
    assert debug._digest([]) == b"0" * 40


@pytest.mark.parametrize("text, number", [(b"1", 1), (b" 12x", 12), (b"-3", -3), (b"x", 0),
                                          (b"", 0)])
def test_debug_atoi(text, number):
    assert debug._c_int(text) == number


def test_replicaof_shows_in_info_and_costs_dispatch_only_meanwhile(r):
    r.execute_command("REPLICAOF", "example.com", 6380)
    assert r.info("replication")["role"] == "slave"
    assert r.info("replication")["master_host"] == "example.com"
    assert r.server._observed is True
    r.execute_command("REPLICAOF", "NO", "ONE")
    assert r.info("replication")["role"] == "master"
    assert r.server._observed is False


def test_monitor_through_redis_py_asyncio():
    async def body() -> dict:
        server = FakeServer()
        r, other = FakeAsyncRedis(server=server), FakeAsyncRedis(server=server)
        await other.ping()
        async with r.monitor() as monitor:
            writer = asyncio.get_running_loop().call_later(
                0.01, lambda: asyncio.ensure_future(other.set("a", 1)))
            seen = await asyncio.wait_for(monitor.next_command(), 5)
            writer.cancel()
        await other.aclose()
        await r.aclose()
        return seen

    assert asyncio.run(body())["command"] == "SET a 1"
