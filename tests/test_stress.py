"""Many threads on one server: atomic commands, EXEC and scripts, blocking pops, no deadlock.

Bounded in operations (not time), so it runs in CI; totals must add up exactly.
"""

import threading

import fakeredis
from fakeredis.structures.zset import ZSet

THREADS = 8
ROUNDS = 150
SCRIPT = "redis.call('INCR', KEYS[1]); return redis.call('INCR', KEYS[2])"


def test_mixed_workload_on_eight_threads_adds_up():
    server = fakeredis.FakeServer()
    sha = fakeredis.FakeRedis(server=server).script_load(SCRIPT)
    errors: list[BaseException] = []
    popped: list[bytes] = []
    popped_lock = threading.Lock()

    def worker(n: int) -> None:
        client = fakeredis.FakeRedis(server=server)
        try:
            for i in range(ROUNDS):
                client.incr("counter")
                client.rpush("queue", f"{n}:{i}")
                client.zincrby("scores", 1, f"member{n % 3}")
                client.hincrby("hash", "field", 2)
                client.sadd("set", f"{n}:{i}")
                with client.pipeline(transaction=True) as pipe:
                    pipe.incr("a").incr("b")
                    pipe.execute()
                client.evalsha(sha, 2, "c", "d")
                value = client.blpop("queue", timeout=5)
                assert value is not None
                with popped_lock:
                    popped.append(value[1])
                a, b = client.mget("a", "b")
                assert a == b  # EXEC and MGET are atomic: never half a transaction
        except BaseException as exc:  # surfaced in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(thread.is_alive() for thread in threads), "deadlock"
    assert errors == []

    r = fakeredis.FakeRedis(server=server)
    total = THREADS * ROUNDS
    assert int(r.get("counter")) == total
    assert r.llen("queue") == 0 and len(popped) == total and len(set(popped)) == total
    assert sum(score for _, score in r.zrange("scores", 0, -1, withscores=True)) == total
    assert int(r.hget("hash", "field")) == 2 * total
    assert r.scard("set") == total
    assert r.mget("a", "b", "c", "d") == [str(total).encode()] * 4
    for db in server.dbs:
        db._check()
    for value in server.dbs[0].data.values():
        if isinstance(value, ZSet):
            value._check()


def test_exec_is_atomic_for_readers_on_other_threads():
    server = fakeredis.FakeServer()
    stop = threading.Event()
    torn: list[tuple[bytes, bytes]] = []

    def writer() -> None:
        client = fakeredis.FakeRedis(server=server)
        for _ in range(500):
            with client.pipeline(transaction=True) as pipe:
                pipe.incr("x").incr("y")
                pipe.execute()
        stop.set()

    def reader() -> None:
        client = fakeredis.FakeRedis(server=server)
        while not stop.is_set():
            x, y = client.mget("x", "y")
            if x != y:
                torn.append((x, y))

    threads = [threading.Thread(target=writer)] + [threading.Thread(target=reader) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert torn == []
