"""The asyncio client: one body on FakeAsyncRedis, on redis.asyncio against the fake over TCP and
against real Redis, in RESP2 and RESP3 (the ``arun`` fixture runs each body in a fresh loop).

Blocking commands are checked three ways: woken by another client's write, timing out with their
nil reply, and cancelled by ``asyncio.wait_for``, after which the client still answers and a later
write is not consumed by the abandoned wait.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Awaitable, Callable, NamedTuple

import pytest
import redis.asyncio
import redis.asyncio.client
import redis.exceptions
from redis.asyncio.lock import Lock
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import (
    ConnectionError, ExecAbortError, LockError, LockNotOwnedError, NoScriptError, ResponseError,
    WatchError,
)
from redis.exceptions import TimeoutError as RedisTimeoutError

WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"
NOT_INTEGER = "value is not an integer or out of range"
CANCEL_AFTER = 0.05

Client = redis.asyncio.Redis


def resp3(r: Client) -> bool:
    """True when the client speaks RESP3."""
    return str(r.connection_pool.connection_kwargs.get("protocol")) == "3"


def pair(r: Client, *items: Any) -> Any:
    """A two-or-three element reply as redis-py gives it: a tuple in RESP2, a list in RESP3."""
    return list(items) if resp3(r) else tuple(items)


async def blocked_clients(other: Client, count: int) -> None:
    """Wait (at most 2 s) until the server counts ``count`` blocked clients."""
    deadline = time.monotonic() + 2
    while (await other.info("clients"))["blocked_clients"] != count:
        assert time.monotonic() < deadline, f"never {count} blocked clients"
        await asyncio.sleep(0.005)


def annotated(number: int, command: str, text: str) -> str:
    """A pipeline error's text as the installed redis.asyncio annotates it (wording varies by
    version; 8.x quotes the error's args tuple)."""
    error = ResponseError(text)
    redis.asyncio.client.Pipeline.annotate_exception(None, error, number, command.split())
    return str(error)


async def error_of(awaitable: Awaitable[Any], kind: type = ResponseError) -> str:
    """The text of the error ``awaitable`` raises, which must be exactly of class ``kind``."""
    with pytest.raises(ResponseError) as exc:
        await awaitable
    assert type(exc.value) is kind
    return str(exc.value)


# --- basics --------------------------------------------------------------------------------------

def test_strings(arun):
    async def body(r, make):
        assert await r.set("s", "v") is True
        assert await r.set("s", "w", nx=True) is None
        assert await r.get("s") == b"v"
        assert await r.append("s", "x") == 2
        assert await r.incr("n") == 1
        assert await r.incrbyfloat("n", 0.5) == 1.5
        assert await r.mget("s", "nx", "n") == [b"vx", None, b"1.5"]
        assert await r.getrange("s", 0, 0) == b"v"
        assert await r.set("t", "1", ex=100, get=True) is None
        assert 0 < await r.ttl("t") <= 100
        assert await r.getdel("t") == b"1"
        assert await r.exists("t") == 0

    arun(body)


def test_hashes(arun):
    async def body(r, make):
        assert await r.hset("h", mapping={"a": "1", "b": "2"}) == 2
        assert await r.hset("h", "a", "3") == 0
        assert await r.hget("h", "a") == b"3"
        assert await r.hgetall("h") == {b"a": b"3", b"b": b"2"}
        assert await r.hgetall("nx") == {}
        assert await r.hmget("h", "a", "zz") == [b"3", None]
        assert await r.hincrbyfloat("h", "b", 0.25) == 2.25
        assert sorted(await r.hkeys("h")) == [b"a", b"b"]
        assert await r.hdel("h", "a", "zz") == 1
        assert await r.hlen("h") == 1

    arun(body)


def test_zsets_reply_shapes(arun):
    async def body(r, make):
        assert await r.zadd("z", {"a": 1.5, "b": 2}) == 2
        assert await r.zscore("z", "a") == 1.5
        assert await r.zscore("z", "nx") is None
        assert await r.zincrby("z", 1, "a") == 2.5
        assert await r.zrange("z", 0, -1) == [b"b", b"a"]
        assert await r.zrange("z", 0, -1, withscores=True) == [pair(r, b"b", 2.0), pair(r, b"a", 2.5)]
        assert await r.zrange("z", 0, 0, withscores=True, score_cast_func=int) == [pair(r, b"b", 2)]
        assert await r.zrevrangebyscore("z", "+inf", 2.2, withscores=True) == [pair(r, b"a", 2.5)]
        assert await r.zmscore("z", ["a", "nx"]) == [2.5, None]
        assert await r.zrank("z", "a") == 1
        assert await r.zpopmin("z") == ([b"b", 2.0] if resp3(r) else [(b"b", 2.0)])
        assert await r.zcard("z") == 1

    arun(body)


def test_lists(arun):
    async def body(r, make):
        assert await r.rpush("l", "a", "b", "c") == 3
        assert await r.lpush("l", "z") == 4
        assert await r.lrange("l", 0, -1) == [b"z", b"a", b"b", b"c"]
        assert await r.lpop("l", 2) == [b"z", b"a"]
        assert await r.rpop("nx") is None
        assert await r.lpop("nx", 2) is None
        assert await r.linsert("l", "BEFORE", "c", "x") == 3
        assert await r.lpos("l", "c") == 2
        assert await r.lmove("l", "m", "RIGHT", "LEFT") == b"c"
        assert await r.lrange("m", 0, -1) == [b"c"]
        assert await r.llen("l") == 2

    arun(body)


def test_decode_responses(arun):
    async def body(r, make):
        await r.set("s", "é")
        assert await r.get("s") == "é"
        await r.hset("h", "f", "v")
        assert await r.hgetall("h") == {"f": "v"}
        await r.zadd("z", {"m": 1})
        assert await r.zrange("z", 0, -1, withscores=True) == [pair(r, "m", 1.0)]
        await r.rpush("l", "a")
        assert await r.blpop("l", timeout=1) == pair(r, "l", "a")
        assert await r.xadd("st", {"f": "v"}, id="1-0") == "1-0"
        assert await r.xrange("st") == [("1-0", {"f": "v"})]
        assert sorted(await r.keys()) == ["h", "s", "st", "z"]
        assert await r.type("z") == "zset"

    arun(body, decode_responses=True)


def test_hello_reply_follows_the_protocol(arun):
    async def body(r, make):
        hello = await r.execute_command("HELLO")
        if resp3(r):
            assert isinstance(hello, dict)
            info = hello
        else:
            assert isinstance(hello, list) and len(hello) == 14
            info = dict(zip(hello[::2], hello[1::2]))
        assert info[b"proto"] == (3 if resp3(r) else 2)
        assert info[b"server"] == b"redis"
        assert info[b"role"] == b"master"
        assert info[b"modules"] == []
        assert set(info) == {b"server", b"version", b"proto", b"id", b"mode", b"role", b"modules"}

    arun(body)


def test_response_callbacks(arun):
    async def body(r, make):
        r.set_response_callback("GET", lambda response, **options: response and response.upper())
        await r.set("k", "abc")
        assert await r.get("k") == b"ABC"
        pipe = r.pipeline()
        pipe.get("k").get("nx")
        assert await pipe.execute() == [b"ABC", None]
        assert await r.execute_command("GET", "k") == b"ABC"

    arun(body)


def test_error_classes_and_texts(arun):
    async def body(r, make):
        await r.set("s", "x")
        assert await error_of(r.lpush("s", "a")) == WRONGTYPE
        assert await error_of(r.incr("s")) == NOT_INTEGER
        assert await error_of(r.execute_command("GET")) == "wrong number of arguments for 'get' command"
        assert await error_of(r.execute_command("NOSUCH", "x", "y")) == (
            "unknown command 'NOSUCH', with args beginning with: 'x' 'y' ")
        assert await error_of(r.evalsha("0" * 40, 0), NoScriptError) == (
            "No matching script. Please use EVAL.")
        await r.xgroup_create("st", "g", mkstream=True)
        assert await error_of(r.xgroup_create("st", "g")) == (
            "BUSYGROUP Consumer Group name already exists")
        assert await r.get("s") == b"x"

    arun(body)


# --- pipelines -----------------------------------------------------------------------------------

def test_pipeline_without_transaction_keeps_errors_in_their_slots(arun):
    async def body(r, make):
        pipe = r.pipeline(transaction=False)
        pipe.set("s", "x").incr("s").rpush("l", "a").get("s")
        replies = await pipe.execute(raise_on_error=False)
        assert replies[0] is True and replies[2:] == [1, b"x"]
        assert type(replies[1]) is ResponseError and str(replies[1]) == NOT_INTEGER
        pipe.incr("s").set("t", "1")
        with pytest.raises(ResponseError) as exc:
            await pipe.execute()
        assert str(exc.value) == annotated(1, "INCRBY s 1", NOT_INTEGER)
        assert await r.get("t") == b"1"

    arun(body)


def test_transaction_runtime_errors_take_their_slot(arun):
    async def body(r, make):
        async with r.pipeline() as pipe:
            pipe.set("s", "x").lpush("s", "a").incr("n").hgetall("n2")
            replies = await pipe.execute(raise_on_error=False)
        assert replies[0] is True and replies[2:] == [1, {}]
        assert type(replies[1]) is ResponseError and str(replies[1]) == WRONGTYPE
        pipe = r.pipeline()
        pipe.incr("n").lpush("s", "a").incr("n")
        with pytest.raises(ResponseError) as exc:
            await pipe.execute()
        assert str(exc.value) == annotated(2, "LPUSH s a", WRONGTYPE)
        assert await r.get("n") == b"3"

    arun(body)


def test_queuing_error_aborts_the_transaction_and_is_raised(arun):
    async def body(r, make):
        pipe = r.pipeline()
        pipe.set("a", "1").execute_command("NOSUCH", "x").set("b", "2")
        with pytest.raises(ResponseError) as exc:
            await pipe.execute()
        assert type(exc.value) is ResponseError
        assert str(exc.value) == annotated(
            2, "NOSUCH x", "unknown command 'NOSUCH', with args beginning with: 'x' ")
        pipe.set("c", "3").execute_command("GET")
        with pytest.raises(ResponseError) as exc:
            await pipe.execute(raise_on_error=False)
        assert str(exc.value) == annotated(2, "GET", "wrong number of arguments for 'get' command")
        assert await r.exists("a", "b", "c") == 0

    arun(body)


def test_queuing_error_is_raised_from_execabort(arun):
    async def body(r, make):
        pipe = r.pipeline()
        pipe.set("a", "1").execute_command("NOSUCH")
        with pytest.raises(ResponseError) as exc:
            await pipe.execute()
        assert type(exc.value.__cause__) is ExecAbortError
        assert str(exc.value.__cause__) == (
            "Transaction discarded because of previous errors.")

    arun(body)


def test_watch_invalidated_by_another_client(arun):
    async def body(r, make):
        other = make()
        await r.set("k", "1")
        async with r.pipeline() as pipe:
            await pipe.watch("k")
            assert await pipe.get("k") == b"1"
            await other.set("k", "2")
            pipe.multi()
            pipe.set("k", "mine").get("k")
            with pytest.raises(WatchError) as exc:
                await pipe.execute()
            assert str(exc.value) == "Watched variable changed."
        assert await r.get("k") == b"2"
        async with r.pipeline() as pipe:
            await pipe.watch("k")
            pipe.multi()
            pipe.set("k", "mine").get("k")
            assert await pipe.execute() == [True, b"mine"]

    arun(body)


def test_watch_unwatch_reset_and_misuse(arun):
    async def body(r, make):
        other = make()
        await r.set("k", "1")
        async with r.pipeline() as pipe:
            await pipe.watch("k", "nx")
            assert pipe.watching is True
            assert await pipe.mget("k", "nx") == [b"1", None]
            await pipe.unwatch()
            await other.set("k", "2")
            pipe.multi()
            with pytest.raises(redis.exceptions.RedisError) as exc:
                pipe.multi()
            assert str(exc.value) == "Cannot issue nested calls to MULTI"
            with pytest.raises(redis.exceptions.RedisError) as exc:
                await pipe.watch("k")
            assert str(exc.value) == "Cannot issue a WATCH after a MULTI"
            pipe.incr("k")
            assert await pipe.execute() == [3]
            await pipe.watch("k")
            await pipe.reset()
            assert pipe.watching is False
            await other.set("k", "10")
            pipe.incr("k")
            assert await pipe.execute() == [11]
            await pipe.watch("k")
            await other.delete("k")
            pipe.multi()
            pipe.set("k", "mine")
            with pytest.raises(WatchError):
                await pipe.execute()
        assert await r.exists("k") == 0

    arun(body)


def test_transaction_helper_retries_after_a_watch_error(arun):
    async def body(r, make):
        other = make()
        await r.set("k", "1")
        calls = []

        async def bump(pipe):
            value = int(await pipe.get("k"))
            calls.append(value)
            if len(calls) == 1:
                await other.set("k", "10")
            pipe.multi()
            pipe.set("k", value + 1)
            return value

        assert await r.transaction(bump, "k") == [True]
        assert calls == [1, 10] and await r.get("k") == b"11"
        assert await r.transaction(bump, "k", value_from_callable=True) == 11
        assert await r.get("k") == b"12"

    arun(body)


def test_pipeline_is_reusable_after_execute(arun):
    async def body(r, make):
        async with r.pipeline() as pipe:
            pipe.set("a", "1").get("a")
            assert await pipe.execute() == [True, b"1"]
            assert len(pipe) == 0
            pipe.incr("a")
            assert await pipe.execute() == [2]
            assert await pipe.execute() == []
        pipe = r.pipeline(transaction=False)
        pipe.incr("a")
        assert await pipe.execute() == [3]
        pipe.get("a").delete("a")
        assert await pipe.execute() == [b"3", 1]

    arun(body)


def test_empty_mget_and_dump_in_a_decoding_pipeline(arun):
    async def body(r, make):
        await r.set("k", "v")
        pipe = r.pipeline(transaction=False)
        pipe.mget([]).dump("k").get("k").mget(["k", "nx"])
        empty, dumped, value, values = await pipe.execute()
        assert (empty, value, values) == ([], "v", ["v", None])
        assert isinstance(dumped, bytes) and dumped[:2] == b"\x00\x01"
        pipe.restore("k2", 0, dumped).get("k2")
        assert await pipe.execute() == ["OK", "v"]

    arun(body, decode_responses=True)


def test_empty_mget_and_dump_in_a_decoding_transaction(arun):
    async def body(r, make):
        await r.set("k", "v")
        pipe = r.pipeline()
        pipe.mget([]).get("k").mget([]).mget("k")
        assert await pipe.execute() == [[], "v", [], ["v"]]
        pipe.get("k").dump("k")
        with pytest.raises(UnicodeDecodeError):  # redis-py decodes EXEC's reply as a whole
            await pipe.execute()
        assert await r.get("k") == "v"
        pipe.mget([])
        assert await pipe.execute() == [[]]

    arun(body, decode_responses=True)


def test_blocking_command_in_a_pipeline_runs_before_the_push_after_it(arun):
    async def body(r, make):
        pipe = r.pipeline(transaction=False)
        pipe.blpop("q", timeout=0.05).rpush("q", "x").lrange("q", 0, -1)
        assert await pipe.execute() == [None, 1, [b"x"]]
        pipe = r.pipeline()
        pipe.blpop("q2", timeout=0).rpush("q2", "y").blpop("q2", timeout=0)
        pipe.xread({"s": "$"}, block=0).bzpopmin("z", 0).blmove("q2", "d", 0)
        assert await pipe.execute() == [None, 1, pair(r, b"q2", b"y"), {} if resp3(r) else [],
                                        None, None]

    arun(body)


# --- blocking commands ---------------------------------------------------------------------------

class Blocking(NamedTuple):
    """One blocking command: how it is called and woken, what it replies, what stays behind."""

    setup: Callable[[Client], Awaitable[None]]
    call: Callable[[Client, float], Awaitable[Any]]  # timeout in seconds, 0 waits forever
    write: Callable[[Client], Awaitable[Any]]  # another client's write that wakes it
    woken: Callable[[Client], Any]
    nil: Callable[[Client], Any]  # its reply on timing out
    read_back: Callable[[Client], Awaitable[Any]]  # what another client then finds...
    kept: Callable[[Client], Any]  # ...which must be the write a cancelled wait did not take


async def empty_group(other: Client) -> None:
    """An empty stream ``s`` with group ``g``."""
    await other.xgroup_create("s", "g", id="$", mkstream=True)


async def stream_entry_for_group(other: Client) -> list[Any]:
    """The entry a later non-blocking XREADGROUP gets (it was not consumed by the cancelled one)."""
    assert (await other.xpending("s", "g"))["pending"] == 0
    return await other.xreadgroup("g", "c2", {"s": ">"})


def stream_reply(r: Client, entries: list[Any]) -> Any:
    """XREAD's reply for stream ``s`` as redis-py shapes it per protocol."""
    return {b"s": [entries]} if resp3(r) else [[b"s", entries]]


async def no_setup(other: Client) -> None:
    """Nothing to prepare."""


BLOCKING: dict[str, Blocking] = {
    "blpop": Blocking(
        no_setup,
        lambda r, t: r.blpop("q", timeout=t),
        lambda o: o.rpush("q", "x"),
        lambda r: pair(r, b"q", b"x"),
        lambda r: None,
        lambda o: o.lrange("q", 0, -1), lambda r: [b"x"]),
    "blmove": Blocking(
        no_setup,
        lambda r, t: r.blmove("q", "d", t, "LEFT", "RIGHT"),
        lambda o: o.rpush("q", "x"),
        lambda r: b"x",
        lambda r: None,
        lambda o: o.lrange("q", 0, -1), lambda r: [b"x"]),
    "brpop": Blocking(
        no_setup,
        lambda r, t: r.brpop(["nx", "q"], timeout=t),
        lambda o: o.rpush("q", "x"),
        lambda r: pair(r, b"q", b"x"),
        lambda r: None,
        lambda o: o.lrange("q", 0, -1), lambda r: [b"x"]),
    "brpoplpush": Blocking(
        no_setup,
        lambda r, t: r.brpoplpush("q", "d", t),
        lambda o: o.rpush("q", "x"),
        lambda r: b"x",
        lambda r: None,
        lambda o: o.lrange("q", 0, -1), lambda r: [b"x"]),
    "blmpop": Blocking(
        no_setup,
        lambda r, t: r.blmpop(t, 2, "nx", "q", direction="RIGHT", count=5),
        lambda o: o.rpush("q", "x"),
        lambda r: [b"q", [b"x"]],
        lambda r: None,
        lambda o: o.lrange("q", 0, -1), lambda r: [b"x"]),
    "bzpopmax": Blocking(
        no_setup,
        lambda r, t: r.bzpopmax(["nx", "z"], t),
        lambda o: o.zadd("z", {"m": 1}),
        lambda r: pair(r, b"z", b"m", 1.0),
        lambda r: None,
        lambda o: o.zrange("z", 0, -1, withscores=True), lambda r: [pair(r, b"m", 1.0)]),
    "bzmpop": Blocking(
        no_setup,
        lambda r, t: r.bzmpop(t, 1, ["z"], min=True),
        lambda o: o.zadd("z", {"m": 1}),
        lambda r: [b"z", [[b"m", 1.0 if resp3(r) else b"1"]]],
        lambda r: None,
        lambda o: o.zrange("z", 0, -1, withscores=True), lambda r: [pair(r, b"m", 1.0)]),
    "bzpopmin": Blocking(
        no_setup,
        lambda r, t: r.bzpopmin("z", t),
        lambda o: o.zadd("z", {"m": 1}),
        lambda r: pair(r, b"z", b"m", 1.0),
        lambda r: None,
        lambda o: o.zrange("z", 0, -1, withscores=True), lambda r: [pair(r, b"m", 1.0)]),
    "xread": Blocking(
        no_setup,
        lambda r, t: r.xread({"s": "$"}, block=int(t * 1000)),
        lambda o: o.xadd("s", {"f": "v"}, id="1-0"),
        lambda r: stream_reply(r, [(b"1-0", {b"f": b"v"})]),
        lambda r: {} if resp3(r) else [],
        lambda o: o.xrange("s"), lambda r: [(b"1-0", {b"f": b"v"})]),
    "xreadgroup": Blocking(
        empty_group,
        lambda r, t: r.xreadgroup("g", "c", {"s": ">"}, block=int(t * 1000)),
        lambda o: o.xadd("s", {"f": "v"}, id="1-0"),
        lambda r: stream_reply(r, [(b"1-0", {b"f": b"v"})]),
        lambda r: {} if resp3(r) else [],
        stream_entry_for_group, lambda r: stream_reply(r, [(b"1-0", {b"f": b"v"})])),
}


@pytest.mark.parametrize("command", list(BLOCKING))
def test_blocking_command_woken_timed_out_and_cancelled(arun, command):
    setup, call, write, woken, nil, read_back, kept = BLOCKING[command]

    async def body(r, make):
        other = make()
        await setup(other)
        assert await call(r, CANCEL_AFTER) == nil(r)
        waiting = asyncio.ensure_future(call(r, 0))
        await blocked_clients(other, 1)
        await write(other)
        assert await asyncio.wait_for(waiting, 5) == woken(r)
        await other.delete("q", "d", "z", "s")
        await setup(other)

        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(call(r, 0), CANCEL_AFTER)
        await blocked_clients(other, 0)
        assert await r.ping() is True
        await write(other)
        assert await read_back(other) == kept(r)
        assert await r.exists("d") == 0

    arun(body)


async def cancel_blocked_pipeline(r: Client, other: Client) -> Any:
    """Run SET a 1, BLPOP q 0, SET b 2 as a pipeline task, cancel it once BLPOP blocks, wait until
    the server has let go of it; the pipeline object is returned for reuse."""
    pipe = r.pipeline(transaction=False)
    pipe.set("a", "1").blpop("q", timeout=0).set("b", "2")
    task = asyncio.ensure_future(pipe.execute())
    await blocked_clients(other, 1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await blocked_clients(other, 0)
    return pipe


def test_cancelled_pipeline_with_a_blocking_command(arun):
    async def body(r, make):
        other = make()
        pipe = await cancel_blocked_pipeline(r, other)
        await other.rpush("q", "x")
        assert await r.lrange("q", 0, -1) == [b"x"]
        assert await r.get("a") == b"1"
        assert len(pipe) == 0
        pipe.lpop("q").set("c", "3")
        assert await pipe.execute() == [b"x", True]
        assert await r.get("c") == b"3"

    arun(body)


def test_cancelled_pipeline_never_runs_the_commands_held_back(arun):

    async def body(r, make):
        await cancel_blocked_pipeline(r, make())
        assert await r.mget("a", "b") == [b"1", None]

    arun(body)


def test_client_unblock_answers_nil_or_the_unblocked_error(arun):
    async def body(r, make):
        other = make()
        for error, outcome in ((False, None), (True, "UNBLOCKED client unblocked via CLIENT UNBLOCK")):
            waiting = asyncio.ensure_future(r.blpop("q", timeout=0))
            await blocked_clients(other, 1)
            [blocked] = [c["id"] for c in await other.client_list() if c["cmd"] == "blpop"]
            assert await other.client_unblock(blocked, error=error) is True
            if error:
                assert await error_of(asyncio.wait_for(waiting, 5)) == outcome
            else:
                assert await asyncio.wait_for(waiting, 5) is None
        await other.rpush("q", "x")
        assert await r.blpop("q", timeout=1) == pair(r, b"q", b"x")

    arun(body)


def test_socket_timeout_shorter_than_the_blocking_timeout(arun):

    async def body(r, make):
        other = make()
        with pytest.raises(RedisTimeoutError) as exc:
            await asyncio.wait_for(r.blpop("q", timeout=0.3), 3)
        assert str(exc.value).startswith("Timeout reading from ")
        await blocked_clients(other, 0)
        await other.rpush("q", "x")
        assert await r.lrange("q", 0, -1) == [b"x"]

    arun(body, socket_timeout=CANCEL_AFTER, retry=Retry(NoBackoff(), 0))


def test_killed_blocked_client_sees_its_connection_closed(arun):

    async def body(r, make):
        other = make()
        waiting = asyncio.ensure_future(r.blpop("q", timeout=0))
        await blocked_clients(other, 1)
        [blocked] = [c["id"] for c in await other.client_list() if c["cmd"] == "blpop"]
        assert await other.client_kill_filter(_id=blocked) == 1
        with pytest.raises(ConnectionError) as exc:
            await asyncio.wait_for(waiting, 5)
        assert str(exc.value) == "Connection closed by server."
        await other.rpush("q", "x")
        assert await r.lrange("q", 0, -1) == [b"x"]

    arun(body, retry=Retry(NoBackoff(), 0))


def test_pipeline_with_two_blocking_commands_cancelled_at_the_second(arun):
    async def body(r, make):
        other = make()
        pipe = r.pipeline(transaction=False)
        pipe.blpop("q", timeout=0).blpop("q", timeout=0)
        task = asyncio.ensure_future(pipe.execute())
        await blocked_clients(other, 1)
        await other.rpush("q", "a")
        deadline = time.monotonic() + 2
        while await other.llen("q") or (await other.info("clients"))["blocked_clients"] != 1:
            assert time.monotonic() < deadline, "the second BLPOP never blocked"
            await asyncio.sleep(0.005)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await blocked_clients(other, 0)
        await other.rpush("q", "b")
        assert await r.lrange("q", 0, -1) == [b"b"]
        pipe.blpop("q", timeout=0).blpop("q", timeout=CANCEL_AFTER)
        assert await pipe.execute() == [pair(r, b"q", b"b"), None]

    arun(body)


# --- pub/sub -------------------------------------------------------------------------------------

async def next_message(pubsub: Any) -> dict[str, Any] | None:
    """The next message, waiting at most 2 s."""
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        message = await pubsub.get_message(timeout=0.1)
        if message is not None:
            return message
    return None


def test_pubsub_subscribe_publish_psubscribe_unsubscribe(arun):
    async def body(r, make):
        other = make()
        pubsub = r.pubsub()
        await pubsub.subscribe("ch")
        assert await next_message(pubsub) == {
            "type": "subscribe", "pattern": None, "channel": b"ch", "data": 1}
        assert await other.publish("ch", "hello") == 1
        assert await next_message(pubsub) == {
            "type": "message", "pattern": None, "channel": b"ch", "data": b"hello"}
        await pubsub.psubscribe("c*")
        assert await next_message(pubsub) == {
            "type": "psubscribe", "pattern": None, "channel": b"c*", "data": 2}
        assert await other.publish("ch", "both") == 2
        assert await next_message(pubsub) == {
            "type": "message", "pattern": None, "channel": b"ch", "data": b"both"}
        assert await next_message(pubsub) == {
            "type": "pmessage", "pattern": b"c*", "channel": b"ch", "data": b"both"}
        await pubsub.unsubscribe("ch")
        assert await next_message(pubsub) == {
            "type": "unsubscribe", "pattern": None, "channel": b"ch", "data": 1}
        assert await other.publish("ch", "p") == 1
        assert (await next_message(pubsub))["type"] == "pmessage"
        await pubsub.punsubscribe()
        assert await next_message(pubsub) == {
            "type": "punsubscribe", "pattern": None, "channel": b"c*", "data": 0}
        assert await other.publish("ch", "none") == 0
        await pubsub.aclose()
        assert await r.ping() is True

    arun(body)


# --- Lock and Script -----------------------------------------------------------------------------

def test_lock_acquire_extend_release(arun):
    async def body(r, make):
        lock = r.lock("lk", timeout=1)
        assert isinstance(lock, Lock)
        assert await lock.acquire(blocking=False) is True
        assert await lock.owned() is True
        assert await make().lock("lk").acquire(blocking=True, blocking_timeout=CANCEL_AFTER) is False
        assert await lock.extend(1) is True
        assert 1000 < await r.pttl("lk") <= 2000
        assert await lock.reacquire() is True
        assert 0 < await r.pttl("lk") <= 1000
        await lock.release()
        assert await r.exists("lk") == 0
        with pytest.raises(LockError):
            await lock.release()
        async with r.lock("lk", timeout=5) as held:
            assert await held.locked() is True
        assert await r.exists("lk") == 0

    arun(body)


def test_lock_errors_with_decoded_replies(arun):
    async def body(r, make):
        lock = r.lock("lk", timeout=2)
        assert await lock.acquire(blocking=False) is True
        assert await lock.extend(1, replace_ttl=True) is True
        assert 0 < await r.pttl("lk") <= 1000
        await lock.release()
        for action, text in ((lambda: lock.extend(1), "Cannot extend an unlocked lock"),
                             (lock.reacquire, "Cannot reacquire an unlocked lock")):
            with pytest.raises(LockError) as exc:
                await action()
            assert str(exc.value) == text
        expiring = r.lock("lk", timeout=CANCEL_AFTER)
        assert await expiring.acquire() is True
        await asyncio.sleep(3 * CANCEL_AFTER)
        with pytest.raises(LockNotOwnedError) as exc:
            await expiring.release()
        assert str(exc.value) == "Cannot release a lock that's no longer owned"

    arun(body, decode_responses=True)


def test_registered_script(arun):
    async def body(r, make):
        script = r.register_script("return {KEYS[1], ARGV[1], redis.call('INCR', KEYS[1])}")
        assert await script(keys=["n"], args=["a"]) == [b"n", b"a", 1]
        await r.script_flush()
        assert await script(keys=["n"], args=["b"]) == [b"n", b"b", 2]
        await r.script_flush()
        pipe = r.pipeline()
        await script(keys=["n"], args=["c"], client=pipe)
        pipe.get("n")
        assert await pipe.execute() == [[b"n", b"c", 3], b"3"]
        failing = r.register_script("return redis.error_reply('boom')")
        assert await error_of(failing()) == "boom"
        await r.set("s", "x")
        wrong = r.register_script("return redis.call('LPUSH', KEYS[1], 'a')")
        assert await error_of(wrong(keys=["s"])) == (
            f"{WRONGTYPE} script: {wrong.sha}, on @user_script:1.")

    arun(body)


def test_get_message_timeout_and_cancel_keep_the_subscription(arun):

    async def body(r, make):
        other = make()
        pubsub = r.pubsub()
        await pubsub.subscribe("ch")
        assert (await next_message(pubsub))["type"] == "subscribe"
        assert await pubsub.get_message(timeout=CANCEL_AFTER) is None
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(pubsub.get_message(timeout=None), CANCEL_AFTER)
        assert await other.publish("ch", "after") == 1
        assert await next_message(pubsub) == {
            "type": "message", "pattern": None, "channel": b"ch", "data": b"after"}
        await pubsub.aclose()

    arun(body)


# --- more shapes and concurrency -----------------------------------------------------------------

def test_more_protocol_dependent_shapes(arun):
    async def body(r, make):
        await r.sadd("set", "a", "b")
        assert await r.smembers("set") == {b"a", b"b"}
        assert await r.smembers("nx") == set()
        await r.hset("h", "f", "v")
        assert await r.hrandfield("h", 1, withvalues=True) == ([[b"f", b"v"]] if resp3(r) else [b"f", b"v"])
        await r.zadd("z", {"m": 2})
        assert await r.zrandmember("z", 1, withscores=True) == (
            [[b"m", 2.0]] if resp3(r) else [b"m", b"2"])
        assert await r.zunion(["z", "nx"], withscores=True) == [pair(r, b"m", 2.0)]
        assert await r.config_get("maxmemory-policy") == {"maxmemory-policy": "noeviction"}
        await r.xadd("s", {"f": "v"}, id="1-0")
        info = await r.xinfo_stream("s")
        assert (info["length"], info["first-entry"], info["last-entry"]) == (
            1, (b"1-0", {b"f": b"v"}), (b"1-0", {b"f": b"v"}))
        await r.xgroup_create("s", "g", id="0")
        assert await r.xreadgroup("g", "c", {"s": ">"}, count=1) == stream_reply(
            r, [(b"1-0", {b"f": b"v"})])
        assert await r.xpending("s", "g") == {
            "pending": 1, "min": b"1-0", "max": b"1-0",
            "consumers": [{"name": b"c", "pending": 1}]}
        assert await r.xautoclaim("s", "g", "c2", 0, justid=True) == [b"1-0"]

    arun(body)


def test_concurrent_commands_and_waiters_on_one_client(arun):
    async def body(r, make):
        other = make()
        assert sorted(await asyncio.gather(*(r.incr("n") for _ in range(20)))) == list(range(1, 21))
        waiting = []
        for count in (1, 2, 3):
            waiting.append(asyncio.ensure_future(r.blpop("q", timeout=0)))
            await blocked_clients(other, count)
        assert await other.rpush("q", "a", "b", "c") == 3
        assert await asyncio.wait_for(asyncio.gather(*waiting), 5) == [
            pair(r, b"q", b"a"), pair(r, b"q", b"b"), pair(r, b"q", b"c")]

    arun(body)


def test_single_connection_client_survives_a_cancelled_wait(arun):
    async def body(r, make):
        other = make()
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(r.blpop("q", timeout=0), CANCEL_AFTER)
        await blocked_clients(other, 0)
        await other.rpush("q", "x")
        assert await r.lrange("q", 0, -1) == [b"x"]
        assert await r.blpop("q", timeout=1) == pair(r, b"q", b"x")
        assert await r.ping() is True

    arun(body, single_connection_client=True)


def test_pubsub_listen_and_ignore_subscribe_messages_decoded(arun):
    async def body(r, make):
        other = make()
        pubsub = r.pubsub(ignore_subscribe_messages=True)
        await pubsub.subscribe("ch")
        await pubsub.psubscribe("x*")
        await blocked_until_subscribed(other, "ch")
        assert await other.publish("ch", "é") == 1
        assert await other.publish("xy", "2") == 1
        got = []
        async for message in pubsub.listen():
            if message is not None and message["type"] in ("message", "pmessage"):
                got.append(message)
            if len(got) == 2:
                break
        assert got == [{"type": "message", "pattern": None, "channel": "ch", "data": "é"},
                       {"type": "pmessage", "pattern": "x*", "channel": "xy", "data": "2"}]
        assert await other.pubsub_numsub("ch") == [(b"ch", 1)]
        await pubsub.aclose()

    arun(body, decode_responses=True)


async def blocked_until_subscribed(other: Client, channel: str) -> None:
    """Wait (at most 2 s) until ``channel`` has a subscriber and a pattern is registered."""
    deadline = time.monotonic() + 2
    while (await other.pubsub_numsub(channel))[0][1] != 1 or await other.pubsub_numpat() != 1:
        assert time.monotonic() < deadline, "subscription never registered"
        await asyncio.sleep(0.005)


def test_lock_waiter_acquires_after_release(arun):
    async def body(r, make):
        held = r.lock("lk", timeout=5)
        assert await held.acquire(blocking=False) is True
        contender = make().lock("lk", timeout=5, sleep=0.01)
        waiting = asyncio.ensure_future(contender.acquire(blocking_timeout=2))
        await asyncio.sleep(0.03)
        assert not waiting.done()
        await held.release()
        assert await asyncio.wait_for(waiting, 5) is True
        assert await contender.owned() is True and await held.owned() is False
        assert await r.get("lk") == contender.local.token
        await contender.release()

    arun(body)


def test_scan_iterators(arun):
    async def body(r, make):
        await r.mset({f"k{i}": i for i in range(30)})
        await r.hset("h", mapping={f"f{i}": i for i in range(30)})
        await r.zadd("z", {f"m{i}": i for i in range(30)})
        await r.sadd("s", *range(30))
        assert sorted([k async for k in r.scan_iter(match="k1*", count=5)]) == sorted(
            [b"k1", *(b"k1%d" % i for i in range(10))])
        assert sorted([f async for f in r.hscan_iter("h", match="f2*")]) == [
            (b"f2", b"2"), *((b"f2%d" % i, b"2%d" % i) for i in range(10))]
        assert sorted([m async for m in r.zscan_iter("z", match="m2?")]) == [
            (b"m2%d" % i, float(20 + i)) for i in range(10)]
        assert len({m async for m in r.sscan_iter("s", count=3)}) == 30

    arun(body)


def test_pubsub_run_calls_handlers(arun):

    async def body(r, make):
        other = make()
        got: list[dict[str, Any]] = []
        pubsub = r.pubsub()
        await pubsub.subscribe(ch=got.append)
        running = asyncio.ensure_future(pubsub.run(poll_timeout=CANCEL_AFTER))
        try:
            await asyncio.sleep(3 * CANCEL_AFTER)  # idle polls time out
            assert not running.done()
            deadline = time.monotonic() + 2
            while await other.publish("ch", "x") != 1:
                assert time.monotonic() < deadline
                await asyncio.sleep(0.005)
            while not got and time.monotonic() < deadline:
                await asyncio.sleep(0.005)
        finally:
            running.cancel()
            [ended] = await asyncio.gather(running, return_exceptions=True)
            await pubsub.aclose()
        assert type(ended) is asyncio.CancelledError
        assert got == [{"type": "message", "pattern": None, "channel": b"ch", "data": b"x"}]

    arun(body)
