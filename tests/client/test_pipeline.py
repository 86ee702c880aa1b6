"""FakePipeline and FakeAsyncPipeline: batches run on the engine, with redis-py's results."""

import asyncio

import pytest
import redis

import fakeredis
from fakeredis.client.aio import FakeAsyncConnection, FakeAsyncPipeline
from fakeredis.client.connection import FakeConnection
from fakeredis.client.pipeline import FakePipeline


def no_socket_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the RESP-shaped send/read path fail, so a test proves the batch bypasses it."""
    def refuse(*_args, **_kwargs):
        raise AssertionError("pipeline went through send_packed_command/read_response")

    for conn_class in (FakeConnection, FakeAsyncConnection):
        monkeypatch.setattr(conn_class, "send_packed_command", refuse)
        monkeypatch.setattr(conn_class, "read_response", refuse)


def test_sync_batches_skip_the_send_and_read_path(monkeypatch):
    r = fakeredis.FakeRedis()
    no_socket_path(monkeypatch)
    pipe = r.pipeline(transaction=False)
    assert isinstance(pipe, FakePipeline)
    pipe.set("a", "1").incr("a").get("a").lpush("a", "x")
    first, second, third, fourth = pipe.execute(raise_on_error=False)
    assert (first, second, third) == (True, 2, b"2")
    assert str(fourth).startswith("WRONGTYPE")
    with r.pipeline() as tx:
        tx.incr("a").get("a")
        assert tx.execute() == [3, b"3"]


def test_async_batches_skip_the_send_and_read_path(monkeypatch):
    async def main():
        r = fakeredis.FakeAsyncRedis()
        pipe = r.pipeline(transaction=False)
        assert isinstance(pipe, FakeAsyncPipeline)
        pipe.set("a", "1").incr("a").get("a")
        assert await pipe.execute() == [True, 2, b"2"]
        async with r.pipeline() as tx:
            tx.incr("a").hset("h", "f", "v").hgetall("h")
            assert await tx.execute() == [3, 1, {b"f": b"v"}]
        await r.aclose()

    no_socket_path(monkeypatch)
    asyncio.run(main())


@pytest.mark.parametrize("decode", [False, True])
def test_ok_replies_follow_decoding_and_never_decode(decode):
    r = fakeredis.FakeRedis(decode_responses=decode)
    pipe = r.pipeline(transaction=False)
    pipe.execute_command("SET", "a", "1")
    pipe.execute_command("SET", "b", "1", NEVER_DECODE=[])
    pipe.execute_command("PING")
    assert pipe.execute() == [True, True, True]
    r.response_callbacks["SET"] = lambda reply, **_options: reply
    pipe.execute_command("SET", "a", "1")
    pipe.execute_command("SET", "b", "1", NEVER_DECODE=[])
    assert pipe.execute() == ["OK" if decode else b"OK", b"OK"]


@pytest.mark.parametrize("failing", [0, 1, 2])
def test_the_first_error_reply_is_raised_annotated(failing):
    r = fakeredis.FakeRedis()
    r.lpush("list", "x")
    pipe = r.pipeline(transaction=False)
    for index in range(3):
        pipe.incr("list" if index >= failing else f"n{index}")
    with pytest.raises(redis.ResponseError) as raised:
        pipe.execute()
    assert str(raised.value) == (f"Command # {failing + 1} (INCRBY list 1) of pipeline caused error: "
                                 "WRONGTYPE Operation against a key holding the wrong kind of value")
    assert r.get(f"n{failing - 1}") == (b"1" if failing else None)


def test_a_disconnected_server_fails_the_batch():
    server = fakeredis.FakeServer()
    r = fakeredis.FakeRedis(server=server)
    r.set("a", "1")
    server.connected = False
    pipe = r.pipeline(transaction=False)
    pipe.set("a", "2")
    with pytest.raises(redis.ConnectionError):
        pipe.execute()
    server.connected = True
    assert r.get("a") == b"1"


def test_async_blocked_pipeline_lets_the_loop_run_and_is_woken():
    async def main():
        server = fakeredis.FakeServer()
        r = fakeredis.FakeAsyncRedis(server=server)
        other = fakeredis.FakeAsyncRedis(server=server)
        pipe = r.pipeline(transaction=False)
        pipe.blpop("q", 5).llen("q")
        task = asyncio.ensure_future(pipe.execute())
        await asyncio.sleep(0.01)
        assert not task.done()
        await other.rpush("q", "x", "y")
        assert await asyncio.wait_for(task, 1) == [(b"q", b"x"), 1]
        await r.aclose()
        await other.aclose()

    asyncio.run(main())


def test_cancelled_async_pipeline_leaves_client_and_data_intact():
    async def main():
        server = fakeredis.FakeServer()
        r = fakeredis.FakeAsyncRedis(server=server)
        other = fakeredis.FakeAsyncRedis(server=server)
        pipe = r.pipeline(transaction=False)
        pipe.blpop("q", 0).set("after", "1")
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(pipe.execute(), 0.05)
        await other.rpush("q", "kept")
        assert await r.lrange("q", 0, -1) == [b"kept"]
        assert await r.get("after") is None
        await r.aclose()
        await other.aclose()

    asyncio.run(main())


def test_watch_error_in_async_transaction():
    async def main():
        server = fakeredis.FakeServer()
        r = fakeredis.FakeAsyncRedis(server=server)
        other = fakeredis.FakeAsyncRedis(server=server)
        async with r.pipeline() as pipe:
            await pipe.watch("a")
            await other.set("a", "changed")
            pipe.multi()
            pipe.set("a", "mine")
            with pytest.raises(redis.WatchError):
                await pipe.execute()
        assert await r.get("a") == b"changed"
        await r.aclose()
        await other.aclose()

    asyncio.run(main())
