"""FakeAsyncRedis: the asyncio client on the same engine and servers as the sync one."""

import asyncio

import pytest
import redis

import fakeredis
from fakeredis.replies import NULL_ARRAY


def run(coro):
    return asyncio.run(coro)


def test_commands_pipelines_and_shared_servers():
    async def main():
        server = fakeredis.FakeServer()
        r = fakeredis.FakeAsyncRedis(server=server)
        assert await r.set("a", "b") is True
        assert await r.get("a") == b"b"
        pipe = r.pipeline(transaction=False)
        pipe.set("x", 1).get("x")
        assert await pipe.execute() == [True, b"1"]
        assert fakeredis.FakeRedis(server=server).get("x") == b"1"
        decoded = fakeredis.FakeAsyncRedis(server=server, decode_responses=True, protocol=2)
        assert await decoded.get("a") == "b"
        await r.aclose()
        await decoded.aclose()

    run(main())


def test_errors_raise_redis_py_exceptions():
    async def main():
        r = fakeredis.FakeAsyncRedis()
        with pytest.raises(redis.ResponseError) as exc:
            await r.execute_command("NOSUCH")
        assert str(exc.value) == "unknown command 'NOSUCH', with args beginning with: "
        await r.aclose()

    run(main())


def test_isinstance_and_from_url():
    async def main():
        server = fakeredis.FakeServer()
        r = fakeredis.FakeAsyncRedis.from_url("redis://localhost/3", server=server)
        assert isinstance(r, redis.asyncio.Redis)
        await r.set("k", "v")
        assert fakeredis.FakeRedis(server=server, db=3).get("k") == b"v"
        await r.aclose()

    run(main())


def test_single_connection_client():
    async def main():
        r = fakeredis.FakeAsyncRedis(single_connection_client=True)
        await r.set("k", "v")
        assert await r.get("k") == b"v"
        await r.aclose()

    run(main())


def test_blocked_waiter_does_not_block_the_loop_and_cancel_unblocks_it():
    async def main():
        server = fakeredis.FakeServer()
        session = server.new_session()
        with server.lock:
            waiter = server.block(session, [b"k"], 0, lambda: None, NULL_ARRAY)
        task = asyncio.ensure_future(fakeredis.client.aio.wait_for_waiter(waiter))
        ticks = 0
        for _ in range(5):
            await asyncio.sleep(0)
            ticks += 1
        assert ticks == 5 and not task.done()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert waiter.done and server.find_waiter(session.id) is None

    run(main())
