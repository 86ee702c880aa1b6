"""Benchmark: median µs per command for each command family, side by side in one run.

Targets measured in the same run:
  this      fakeredis from this checkout, in-process (FakeRedis)
  compare   another implementation, in another interpreter (--compare-python PATH, e.g. a
            virtualenv with PyPI fakeredis 2.40.0): this script re-runs itself there as a worker
  real      a real redis-server over loopback through redis-py (started on a free port unless
            --redis-url is given; --no-real to skip)
  dict      a plain-dict floor doing the same work without any Redis semantics

Usage:
  python benchmarks/bench.py [--families set_get,incr] [--rounds 7] [--compare-python PATH]
                             [--redis-url URL | --no-real] [--scale]
  python benchmarks/bench.py --scale-only [XADD,XRANGE] [--cpu]

Never run as a test: it prints numbers, it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any, Callable

CAS_SCRIPT = """
local current = redis.call('GET', KEYS[1])
if current == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2])
  return 1
end
return 0
"""


# --- families ---------------------------------------------------------------------------------------
# Each family: (setup(client), body(client) -> commands done). Bodies run many times per round.

def _setup_none(r: Any) -> None:
    r.flushall()


def _set_get(r: Any) -> int:
    r.set("k", "v")
    r.get("k")
    return 2


def _incr(r: Any) -> int:
    r.incr("counter")
    return 1


def _expire_ttl(r: Any) -> int:
    r.expire("k", 100)
    r.ttl("k")
    return 2


def _setup_k(r: Any) -> None:
    r.flushall()
    r.set("k", "v")


def _exists_del(r: Any) -> int:
    r.set("e", "v")
    r.exists("e")
    r.delete("e")
    return 3


MSET_DATA = {f"mkey:{i}": f"value:{i}" for i in range(100)}
MSET_KEYS = list(MSET_DATA)


def _mset_mget(r: Any) -> int:
    r.mset(MSET_DATA)
    r.mget(MSET_KEYS)
    return 2


def _setup_10k(r: Any) -> None:
    r.flushall()
    pipe = r.pipeline(transaction=False)
    for i in range(10_000):
        pipe.set(f"key:{i}", "x")
    pipe.execute()


def _keys_10k(r: Any) -> int:
    r.keys("key:1*")
    return 1


def _scan_10k(r: Any) -> int:
    calls = 0
    cursor = 0
    while True:
        cursor, _ = r.scan(cursor, count=1000)
        calls += 1
        if not cursor:
            return calls


def _lists(r: Any) -> int:
    r.lpush("list", "a", "b", "c")
    r.rpop("list")
    r.lrange("list", 0, 9)
    r.rpop("list", 2)
    return 4


def _sets(r: Any) -> int:
    r.sadd("set", "a", "b", "c")
    r.sismember("set", "b")
    r.smembers("set")
    return 3


def _hashes(r: Any) -> int:
    r.hset("hash", "f", "v")
    r.hget("hash", "f")
    r.hgetall("hash")
    return 3


def _setup_zset(r: Any) -> None:
    r.flushall()
    r.zadd("zset", {f"m{i}": i for i in range(1000)})


def _zsets(r: Any) -> int:
    r.zadd("zset", {"new": 500.5})
    r.zincrby("zset", 1, "m10")
    r.zrange("zset", 0, 9, withscores=True)
    r.zrangebyscore("zset", 100, 200, start=0, num=10)
    r.zrank("zset", "m500")
    r.zrem("zset", "new")
    return 6


def _setup_stream(r: Any) -> None:
    r.flushall()
    pipe = r.pipeline(transaction=False)
    for i in range(100_000):
        pipe.xadd("stream", {"f": i})
    pipe.execute()


def _streams(r: Any) -> int:
    r.xadd("stream", {"f": "v"})
    r.xrange("stream", "-", "+", count=10)
    return 2


def _pipeline_100(r: Any) -> int:
    pipe = r.pipeline(transaction=False)
    for i in range(100):
        pipe.set(f"p{i}", i)
    pipe.execute()
    return 100


def _multi_exec(r: Any) -> int:
    pipe = r.pipeline(transaction=True)
    pipe.watch("counter")
    pipe.multi()
    pipe.incr("counter")
    pipe.execute()
    return 4


def _setup_script(r: Any) -> None:
    r.flushall()
    r.set("cas", "a")
    r._bench_sha = r.script_load(CAS_SCRIPT)


def _evalsha(r: Any) -> int:
    r.evalsha(r._bench_sha, 1, "cas", "a", "a")
    return 1


def _setup_pubsub(r: Any) -> None:
    r.flushall()
    r._bench_pubsub = r.pubsub()
    r._bench_pubsub.subscribe("chan")
    r._bench_pubsub.get_message(timeout=1)


def _publish(r: Any) -> int:
    r.publish("chan", "hello")
    r._bench_pubsub.get_message(timeout=1)
    return 1


def _hset_hget(r: Any) -> int:
    r.hset("hash", "f", "v")
    r.hget("hash", "f")
    return 2


def _zadd_zscore(r: Any) -> int:
    r.zadd("zset", {"m": 1.5})
    r.zscore("zset", "m")
    return 2


FAMILIES: dict[str, tuple[Callable[[Any], None], Callable[[Any], int], int]] = {
    # name: (setup, body, bodies per round)
    "set_get": (_setup_none, _set_get, 2000),
    "incr": (_setup_none, _incr, 4000),
    "expire_ttl": (_setup_k, _expire_ttl, 2000),
    "exists_del": (_setup_none, _exists_del, 1500),
    "mset_mget_100": (_setup_none, _mset_mget, 100),
    "keys_10k": (_setup_10k, _keys_10k, 10),
    "scan_10k": (_setup_10k, _scan_10k, 5),
    "lists": (_setup_none, _lists, 1000),
    "sets": (_setup_none, _sets, 1500),
    "hashes": (_setup_none, _hashes, 1500),
    "zsets": (_setup_zset, _zsets, 500),
    "streams": (_setup_stream, _streams, 1000),
    "pipeline_100": (_setup_none, _pipeline_100, 20),
    "multi_exec": (_setup_none, _multi_exec, 500),
    "evalsha": (_setup_script, _evalsha, 1000),
    "publish": (_setup_pubsub, _publish, 1000),
    "hset_hget": (_setup_none, _hset_hget, 2000),
    "zadd_zscore": (_setup_none, _zadd_zscore, 2000),
}
# async families whose sync twin (same name without "a_") is measured alongside
SYNC_TWINS = ("set_get", "incr", "hset_hget", "zadd_zscore", "pipeline_100", "multi_exec")


# --- asyncio families (same work, awaited) -----------------------------------------------------------
async def _a_set_get(r: Any) -> int:
    await r.set("k", "v")
    await r.get("k")
    return 2


async def _a_incr(r: Any) -> int:
    await r.incr("counter")
    return 1


async def _a_hset_hget(r: Any) -> int:
    await r.hset("hash", "f", "v")
    await r.hget("hash", "f")
    return 2


async def _a_zadd_zscore(r: Any) -> int:
    await r.zadd("zset", {"m": 1.5})
    await r.zscore("zset", "m")
    return 2


async def _a_pipeline_100(r: Any) -> int:
    pipe = r.pipeline(transaction=False)
    for i in range(100):
        pipe.set(f"p{i}", i)
    await pipe.execute()
    return 100


async def _a_multi_exec(r: Any) -> int:
    async with r.pipeline(transaction=True) as pipe:
        await pipe.watch("counter")
        pipe.multi()
        pipe.incr("counter")
        await pipe.execute()
    return 4


async def _a_blpop_woken(r: Any) -> int:
    import asyncio

    waiter = asyncio.ensure_future(r.blpop("queue", timeout=5))
    await asyncio.sleep(0)
    await r._bench_pusher.rpush("queue", "x")
    await waiter
    return 2


ASYNC_FAMILIES: dict[str, tuple[Callable[[Any], Any], int]] = {
    "a_set_get": (_a_set_get, 2000),
    "a_incr": (_a_incr, 4000),
    "a_hset_hget": (_a_hset_hget, 2000),
    "a_zadd_zscore": (_a_zadd_zscore, 2000),
    "a_pipeline_100": (_a_pipeline_100, 20),
    "a_multi_exec": (_a_multi_exec, 500),
    "a_blpop_woken": (_a_blpop_woken, 500),
}


def measure_async(make_client: Callable[[], Any], make_pusher: Callable[[Any], Any],
                  families: list[str], rounds: int) -> dict[str, float | None]:
    """Median µs per awaited command of each async family, all in one event loop."""
    import asyncio

    async def run_all() -> dict[str, float | None]:
        client = make_client()
        client._bench_pusher = make_pusher(client)
        results: dict[str, float | None] = {}
        for name in families:
            body, per_round = ASYNC_FAMILIES[name]
            try:
                await client.flushall()
                await body(client)
                samples = []
                for _ in range(rounds):
                    commands = 0
                    start = time.perf_counter()
                    for _ in range(per_round):
                        commands += await body(client)
                    samples.append((time.perf_counter() - start) / commands * 1e6)
                results[name] = statistics.median(samples)
            except Exception as exc:
                print(f"  {name}: failed on this target: {type(exc).__name__}: {exc}"[:200],
                      file=sys.stderr)
                results[name] = None
        return results

    return asyncio.run(run_all())


def async_blocking_figures() -> None:
    """CPU used by one task blocked 2 s in BLPOP, and push-to-wake latency (FakeAsyncRedis)."""
    import asyncio

    import fakeredis

    async def run() -> tuple[float, float]:
        server = fakeredis.FakeServer()
        consumer = fakeredis.FakeAsyncRedis(server=server)
        producer = fakeredis.FakeAsyncRedis(server=server)
        cpu = time.process_time()
        await consumer.blpop("idle", timeout=2)
        cpu = time.process_time() - cpu
        latencies = []
        for _ in range(200):
            waiter = asyncio.ensure_future(consumer.blpop("q", timeout=0))
            await asyncio.sleep(0)
            start = time.perf_counter()
            await producer.rpush("q", "x")
            await waiter
            latencies.append((time.perf_counter() - start) * 1e6)
        return cpu, statistics.median(latencies)

    cpu, latency = asyncio.run(run())
    print(f"\nasyncio BLPOP: CPU while blocked 2 s = {cpu:.3f} s; "
          f"push-to-wake latency median = {latency:.0f} µs")


def fake_async_client() -> Any:
    """A FakeAsyncRedis on a FakeServer of its own (the constructor both implementations share)."""
    import fakeredis

    server = fakeredis.FakeServer()
    client = fakeredis.FakeAsyncRedis(server=server)
    client._bench_server = server
    return client


def fake_async_pusher(client: Any) -> Any:
    """A second client on the same server (pushes for the woken-BLPOP family)."""
    import fakeredis

    return fakeredis.FakeAsyncRedis(server=client._bench_server)


# --- the dict floor ---------------------------------------------------------------------------------
class DictFloor:
    """The same calls on plain Python containers: what any Redis double must at least cost."""

    def __init__(self) -> None:
        self.d: dict[Any, Any] = {}
        self.ttl_d: dict[Any, Any] = {}
        self._bench_sha = "x"

    def flushall(self) -> None:
        self.d.clear()

    def set(self, k: str, v: Any) -> bool:
        self.d[k] = v
        return True

    def get(self, k: str) -> Any:
        return self.d.get(k)

    def incr(self, k: str) -> int:
        self.d[k] = self.d.get(k, 0) + 1
        return self.d[k]

    def expire(self, k: str, t: int) -> bool:
        self.ttl_d[k] = time.time() + t
        return True

    def ttl(self, k: str) -> int:
        return int(self.ttl_d[k] - time.time())

    def exists(self, k: str) -> int:
        return int(k in self.d)

    def delete(self, k: str) -> int:
        return int(self.d.pop(k, None) is not None)

    def mset(self, mapping: dict) -> bool:
        self.d.update(mapping)
        return True

    def mget(self, keys: list) -> list:
        return [self.d.get(k) for k in keys]

    def pipeline(self, transaction: bool = True) -> "DictFloor":
        return self

    def execute(self) -> list:
        return []

    def watch(self, *keys: str) -> None:
        pass

    def multi(self) -> None:
        pass

    def keys(self, pattern: str) -> list:
        prefix = pattern.rstrip("*")
        return [k for k in self.d if k.startswith(prefix)]

    def scan(self, cursor: int, count: int) -> tuple[int, list]:
        keys = list(self.d)
        nxt = cursor + count
        return (nxt if nxt < len(keys) else 0), keys[cursor:nxt]

    def lpush(self, k: str, *vals: Any) -> int:
        lst = self.d.setdefault(k, [])
        for v in vals:
            lst.insert(0, v)
        return len(lst)

    def rpop(self, k: str, count: int | None = None) -> Any:
        lst = self.d.get(k)
        if count is None:
            return lst.pop() if lst else None
        return [lst.pop() for _ in range(min(count, len(lst)))]

    def lrange(self, k: str, a: int, b: int) -> list:
        return self.d.get(k, [])[a:b + 1]

    def sadd(self, k: str, *vals: Any) -> int:
        s = self.d.setdefault(k, set())
        n = len(s)
        s.update(vals)
        return len(s) - n

    def sismember(self, k: str, v: Any) -> bool:
        return v in self.d.get(k, ())

    def smembers(self, k: str) -> set:
        return set(self.d.get(k, ()))

    def hset(self, k: str, f: str, v: Any) -> int:
        self.d.setdefault(k, {})[f] = v
        return 1

    def hget(self, k: str, f: str) -> Any:
        return self.d.get(k, {}).get(f)

    def hgetall(self, k: str) -> dict:
        return dict(self.d.get(k, {}))

    def zadd(self, k: str, mapping: dict) -> int:
        self.d.setdefault(k, {}).update(mapping)
        return len(mapping)

    def zscore(self, k: str, m: str) -> float | None:
        return self.d.get(k, {}).get(m)

    def zincrby(self, k: str, amount: float, m: str) -> float:
        z = self.d.setdefault(k, {})
        z[m] = z.get(m, 0) + amount
        return z[m]

    def zrange(self, k: str, a: int, b: int, withscores: bool = False) -> list:
        items = sorted(self.d.get(k, {}).items(), key=lambda kv: (kv[1], kv[0]))
        return items[a:b + 1]

    def zrangebyscore(self, k: str, lo: float, hi: float, start: int = 0, num: int = 10) -> list:
        z = self.d.get(k, {})
        return [m for m, s in z.items() if lo <= s <= hi][start:start + num]

    def zrank(self, k: str, m: str) -> int:
        z = self.d.get(k, {})
        return sum(1 for s in z.values() if s < z[m])

    def zrem(self, k: str, m: str) -> int:
        return int(self.d.get(k, {}).pop(m, None) is not None)

    def xadd(self, k: str, fields: dict) -> str:
        lst = self.d.setdefault(k, [])
        lst.append(fields)
        return str(len(lst))

    def xrange(self, k: str, lo: str, hi: str, count: int = 10) -> list:
        return self.d.get(k, [])[:count]

    def script_load(self, script: str) -> str:
        return "sha"

    def evalsha(self, sha: str, n: int, key: str, old: str, new: str) -> int:
        if self.d.get(key) == old:
            self.d[key] = new
            return 1
        return 0

    def pubsub(self) -> "DictFloor":
        return self

    def subscribe(self, ch: str) -> None:
        self.queue: list = []

    def publish(self, ch: str, msg: str) -> int:
        self.queue.append(msg)
        return 1

    def get_message(self, timeout: float = 0) -> Any:
        return self.queue.pop() if getattr(self, "queue", None) else None


# --- measuring --------------------------------------------------------------------------------------
# The timer of in-process targets: wall time by default, CPU time of this process with --cpu
# (steadier on a shared machine; a real server over loopback is always timed by the wall clock).
CLOCK = {"timer": time.perf_counter}


def measure(client: Any, families: list[str], rounds: int,
            timer: Callable[[], float] | None = None) -> dict[str, float | None]:
    """Median µs per command of each family on ``client`` (None when it failed)."""
    timer = timer or CLOCK["timer"]
    results: dict[str, float | None] = {}
    for name in families:
        setup, body, per_round = FAMILIES[name]
        try:
            setup(client)
            body(client)  # warm up
            samples = []
            for _ in range(rounds):
                commands = 0
                start = timer()
                for _ in range(per_round):
                    commands += body(client)
                samples.append((timer() - start) / commands * 1e6)
            results[name] = statistics.median(samples)
        except Exception as exc:  # a family the target lacks is reported as n/a
            print(f"  {name}: failed on this target: {type(exc).__name__}: {exc}"[:200],
                  file=sys.stderr)
            results[name] = None
    return results


def fake_client() -> Any:
    import fakeredis

    return fakeredis.FakeRedis()


def start_real_server() -> tuple[str, subprocess.Popen | None]:
    """Start a redis-server on a free port; returns its URL and process."""
    if not shutil.which("redis-server"):
        raise RuntimeError("redis-server not found")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    workdir = tempfile.mkdtemp()
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", workdir], stdout=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    return f"redis://127.0.0.1:{port}", proc


def run_worker(families: list[str], rounds: int) -> None:
    """Measure this interpreter's fakeredis and print JSON (used for --compare-python)."""
    import fakeredis

    sync = [f for f in families if f in FAMILIES]
    results = measure(fakeredis.FakeRedis(), sync, rounds)
    asynchronous = [f for f in families if f in ASYNC_FAMILIES]
    if asynchronous:
        results.update(measure_async(fake_async_client, fake_async_pusher, asynchronous, rounds))
    print(json.dumps({"version": getattr(fakeredis, "__version__", "?"), "results": results}))


COMPARE_TIMEOUT = 1800  # seconds: a target that hangs is reported as n/a, not waited on forever


def compare_target(python: str, families: list[str], rounds: int) -> tuple[str, dict]:
    """Run this script as a worker under another interpreter."""
    command = [python, os.path.abspath(__file__), "--worker", "--rounds", str(rounds),
               "--families", ",".join(families)]
    if CLOCK["timer"] is time.process_time:
        command.append("--cpu")
    try:
        out = subprocess.run(command, capture_output=True, text=True, cwd=tempfile.gettempdir(),
                             check=True, timeout=COMPARE_TIMEOUT)
    except subprocess.TimeoutExpired:
        print(f"  compare target gave no answer within {COMPARE_TIMEOUT} s", file=sys.stderr)
        return "?", {}
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return data["version"], data["results"]


def scaling(rounds: int, only: list[str] | None = None) -> None:
    """µs/op of size-sensitive operations at growing sizes (cost growth should be flat/log).

    ``only``: operation names (or their first words, e.g. XADD) to measure; None for all.
    """
    import fakeredis

    r = fakeredis.FakeRedis()
    timer = CLOCK["timer"]
    print(f"\nscaling (µs/op, median of rounds, this implementation, "
          f"{'CPU' if timer is time.process_time else 'wall'} time)")
    print(f"{'operation':<28}" + "".join(f"{n:>12,}" for n in (1_000, 10_000, 100_000, 1_000_000)))
    cases: list[tuple[str, Callable[[int], None], Callable[[int], None]]] = [
        ("LPUSH+RPOP", lambda n: _fill_list(r, n), lambda i: (r.lpush("l", i), r.rpop("l"))),
        ("LINDEX 5 / -5", lambda n: None, lambda i: (r.lindex("l", 5), r.lindex("l", -5))),
        ("ZADD", lambda n: _fill_zset(r, n), lambda i: r.zadd("z", {f"x{i}": i})),
        ("ZRANGEBYSCORE LIMIT 10", lambda n: None,
         lambda i: r.zrangebyscore("z", i, "+inf", start=0, num=10)),
        ("XADD", lambda n: _fill_stream(r, n), lambda i: r.xadd("s", {"f": i})),
        ("XRANGE COUNT 10", lambda n: None, lambda i: r.xrange("s", "-", "+", count=10)),
    ]
    if only is not None:  # a read case measures what the write case before it filled: pick both
        cases = [case for case in cases if case[0] in only or case[0].split()[0] in only]
    rows: dict[str, list[str]] = {name: [] for name, _, _ in cases}
    for n in (1_000, 10_000, 100_000, 1_000_000):
        for name, fill, op in cases:
            try:
                fill(n)
                samples = []
                for _ in range(rounds):
                    start = timer()
                    for i in range(500):
                        op(i)
                    samples.append((timer() - start) / 500 * 1e6)
                rows[name].append(f"{statistics.median(samples):12.2f}")
            except Exception as exc:
                rows[name].append(f"{'n/a':>12}")
                print(f"  {name}@{n}: {type(exc).__name__}: {exc}"[:150], file=sys.stderr)
    for name, cells in rows.items():
        print(f"{name:<28}" + "".join(cells))


def _fill_list(r: Any, n: int) -> None:
    r.delete("l")
    for start in range(0, n, 10_000):
        r.rpush("l", *range(start, min(n, start + 10_000)))


def _fill_zset(r: Any, n: int) -> None:
    r.delete("z")
    for start in range(0, n, 10_000):
        r.zadd("z", {f"m{i}": i for i in range(start, min(n, start + 10_000))})


def _fill_stream(r: Any, n: int) -> None:
    r.delete("s")
    pipe = r.pipeline(transaction=False)
    for i in range(n):
        pipe.xadd("s", {"f": i})
        if i % 10_000 == 9_999:
            pipe.execute()
    pipe.execute()


# --- memory per key --------------------------------------------------------------------------------
MEMORY_KEYS = 200_000


def memory_per_item() -> dict[str, float]:
    """Bytes per small string key and per zset member in this interpreter's fakeredis (tracemalloc)."""
    import tracemalloc

    import fakeredis

    results = {}
    for name, fill in (("string key", _fill_strings), ("zset member", _fill_one_zset)):
        client = fakeredis.FakeRedis()
        client.ping()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        fill(client)
        after = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        results[name] = (after - before) / MEMORY_KEYS
        client.flushall()
    return results


def _fill_strings(client: Any) -> None:
    pipe = client.pipeline(transaction=False)
    for i in range(MEMORY_KEYS):
        pipe.set(f"key:{i}", f"v{i}")
        if i % 10_000 == 9_999:
            pipe.execute()
    pipe.execute()


def _fill_one_zset(client: Any) -> None:
    for start in range(0, MEMORY_KEYS, 10_000):
        client.zadd("z", {f"member:{i}": i for i in range(start, start + 10_000)})


def memory_table(compare_python: str | None) -> None:
    """Memory per item for this implementation and the compare target."""
    columns = {"this": memory_per_item()}
    if compare_python:
        out = subprocess.run([compare_python, os.path.abspath(__file__), "--worker", "--memory"],
                             capture_output=True, text=True, cwd=tempfile.gettempdir(), check=True)
        columns["compare"] = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"\nmemory, bytes per item ({MEMORY_KEYS:,} items, tracemalloc; lower is better)")
    names = list(columns)
    print(f"{'item':<14}" + "".join(f"{n:>12}" for n in names))
    for item in columns["this"]:
        print(f"{item:<14}" + "".join(f"{columns[n][item]:12.0f}" for n in names))


# --- TCP throughput with redis-benchmark ------------------------------------------------------------
TCP_SERVE_THIS = (
    "import sys; from fakeredis.tcp_server import TcpServer; "
    "s = TcpServer(('127.0.0.1', int(sys.argv[1]))); s.serve_forever()")
TCP_SERVE_COMPARE = (
    "import sys; from fakeredis import TcpFakeServer; "
    "s = TcpFakeServer(('127.0.0.1', int(sys.argv[1])), server_version=(7, 0)); s.serve_forever()")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int) -> None:
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


def redis_benchmark(port: int, pipeline: int, requests: int) -> dict[str, float]:
    """Requests per second per test, as redis-benchmark -q prints them."""
    out = subprocess.run(
        ["redis-benchmark", "-p", str(port), "-t", "set,get,lpush,lpop", "-P", str(pipeline),
         "-n", str(requests), "-c", "10", "-q"], capture_output=True, text=True, check=True).stdout
    rates = {}
    for line in out.replace("\r", "\n").splitlines():
        if "requests per second" in line:
            name, rest = line.split(":", 1)
            rates[name.strip()] = float(rest.split()[0])
    return rates


def tcp_throughput(compare_python: str | None, requests: int) -> None:
    """redis-benchmark against this TCP server, a real redis-server and the compare target."""
    targets: list[tuple[str, list[str], str | None]] = [
        ("this", [sys.executable, "-c", TCP_SERVE_THIS], os.path.dirname(os.path.dirname(
            os.path.abspath(__file__)))),
        ("real", ["redis-server", "--save", "", "--appendonly", "no", "--port"], None),
    ]
    if compare_python:
        targets.append(("compare", [compare_python, "-c", TCP_SERVE_COMPARE], tempfile.gettempdir()))
    print(f"\nTCP throughput, requests/s (redis-benchmark -c 10 -n {requests}; higher is better)")
    rows: dict[str, dict[str, float]] = {}
    for name, command, cwd in targets:
        port = _free_port()
        proc = subprocess.Popen(command + [str(port)], cwd=cwd, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            _wait_for_port(port)
            for pipeline in (1, 16):
                for test, rate in redis_benchmark(port, pipeline, requests).items():
                    rows.setdefault(f"{test} -P {pipeline}", {})[name] = rate
        finally:
            proc.terminate()
            proc.wait()
    names = [t[0] for t in targets]
    print(f"{'test':<16}" + "".join(f"{n:>12}" for n in names) +
          "".join(f"{'this/' + n:>14}" for n in names if n != "this"))
    for test, rates in rows.items():
        line = f"{test:<16}" + "".join(f"{rates.get(n, 0):12.0f}" for n in names)
        for n in names:
            if n != "this" and rates.get(n):
                line += f"{rates['this'] / rates[n]:13.2f}x"
        print(line)


def print_table(columns: dict[str, dict[str, float | None]], families: list[str]) -> None:
    """Medians per target, then ratios of each target to this implementation."""
    names = list(columns)
    print(f"\nmedian µs per command ({'; '.join(names)})")
    header = f"{'family':<16}" + "".join(f"{n:>14}" for n in names)
    others = [n for n in names if n != "this"]
    header += "".join(f"{n + '/this':>19}" for n in others)
    print(header)
    ratios: dict[str, list[float]] = {n: [] for n in others}
    for fam in families:
        this = columns["this"].get(fam)
        line = f"{fam:<16}"
        for n in names:
            v = columns[n].get(fam)
            line += f"{v:14.2f}" if v is not None else f"{'n/a':>14}"
        for n in others:
            v = columns[n].get(fam)
            if v is not None and this:
                ratios[n].append(v / this)
                line += f"{v / this:18.2f}x"
            else:
                line += f"{'n/a':>19}"
        print(line)
    line = f"{'geomean':<16}" + " " * 14 * len(names)
    for n in others:
        vals = ratios[n]
        line += f"{math.exp(sum(map(math.log, vals)) / len(vals)):18.2f}x" if vals else f"{'n/a':>19}"
    print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--families", default=",".join(FAMILIES),
                        help="comma-separated; 'async' selects the asyncio families "
                             f"({', '.join(ASYNC_FAMILIES)})")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--compare-python", help="interpreter of another fakeredis (its venv's python)")
    parser.add_argument("--redis-url", help="real server to measure (default: start one)")
    parser.add_argument("--no-real", action="store_true", help="skip the real server")
    parser.add_argument("--scale", action="store_true", help="also print the scaling table")
    parser.add_argument("--scale-only", metavar="OPS", nargs="?", const="",
                        help="print only the scaling table; OPS: comma-separated operations or "
                             "their first words (XADD,XRANGE), default all")
    parser.add_argument("--tcp", action="store_true",
                        help="also measure TCP servers with redis-benchmark")
    parser.add_argument("--tcp-requests", type=int, default=20000)
    parser.add_argument("--memory", action="store_true", help="also measure memory per key")
    parser.add_argument("--cpu", action="store_true",
                        help="time in-process targets by process CPU time (steadier when shared)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    families = [f for f in args.families.split(",") if f]
    if args.cpu:
        CLOCK["timer"] = time.process_time
    if families == ["async"]:
        families = list(ASYNC_FAMILIES)
    if args.worker and args.memory:
        print(json.dumps(memory_per_item()))
        return
    if args.worker:
        run_worker(families, args.rounds)
        return

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if args.scale_only is not None:
        scaling(max(3, args.rounds // 2), [op for op in args.scale_only.split(",") if op] or None)
        return
    import redis

    columns: dict[str, dict[str, float | None]] = {}
    clock = "process CPU time (in-process targets)" if args.cpu else "wall clock"
    print(f"python {sys.version.split()[0]}, redis-py {redis.__version__}, rounds={args.rounds}, "
          f"timed by {clock}")
    sync_families = [f for f in families if f in FAMILIES]
    async_families = [f for f in families if f in ASYNC_FAMILIES]
    columns["this"] = measure(fake_client(), sync_families, args.rounds)
    if async_families:
        columns["this"].update(
            measure_async(fake_async_client, fake_async_pusher, async_families, args.rounds))
        async_blocking_figures()
        # the project's own sync path for the same work, to show what awaiting costs
        columns["this-sync"] = measure(fake_client(), [f[2:] for f in async_families
                                                      if f[2:] in SYNC_TWINS], args.rounds)
        columns["this-sync"] = {f"a_{k}": v for k, v in columns["this-sync"].items()}
    if args.compare_python:
        version, results = compare_target(args.compare_python, families, args.rounds)
        print(f"compare: fakeredis {version} via {args.compare_python}")
        columns["compare"] = results
    if not args.no_real:
        proc = None
        url = args.redis_url
        if url is None:
            url, proc = start_real_server()
        try:
            columns["real"] = measure(redis.Redis.from_url(url), sync_families, args.rounds,
                                      timer=time.perf_counter)
            if async_families:
                import redis.asyncio

                columns["real"].update(measure_async(
                    lambda: redis.asyncio.Redis.from_url(url),
                    lambda client: redis.asyncio.Redis.from_url(url), async_families, args.rounds))
        finally:
            if proc is not None:
                proc.terminate()
                proc.wait()
    columns["dict"] = measure(DictFloor(), sync_families, args.rounds)
    print_table(columns, families)
    if args.scale:
        scaling(max(3, args.rounds // 2))
    if args.tcp:
        tcp_throughput(args.compare_python, args.tcp_requests)
    if args.memory:
        memory_table(args.compare_python)


if __name__ == "__main__":
    main()
