"""Blocking commands on FakeAsyncRedis: other tasks keep running, pushes wake, cancel is safe."""

import asyncio

import pytest

import fakeredis


def run(coro):
    return asyncio.run(coro)


def test_blpop_waits_while_other_tasks_run_and_is_woken_by_a_push():
    async def main():
        server = fakeredis.FakeServer()
        consumer = fakeredis.FakeAsyncRedis(server=server)
        producer = fakeredis.FakeAsyncRedis(server=server)
        waiting = asyncio.ensure_future(consumer.blpop("queue", timeout=0))
        progress = 0
        for _ in range(10):
            await asyncio.sleep(0)
            progress += 1
        assert progress == 10 and not waiting.done()
        await producer.rpush("queue", "job")
        assert list(await asyncio.wait_for(waiting, 5)) == [b"queue", b"job"]

    run(main())


def test_blocking_timeout_returns_none():
    async def main():
        client = fakeredis.FakeAsyncRedis()
        assert await client.blpop("empty", timeout=0.05) is None
        assert await client.ping()

    run(main())


def test_cancelled_wait_consumes_nothing_and_leaves_the_client_usable():
    async def main():
        server = fakeredis.FakeServer()
        consumer = fakeredis.FakeAsyncRedis(server=server)
        producer = fakeredis.FakeAsyncRedis(server=server)
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(consumer.blpop("queue", timeout=0), 0.05)
        await producer.rpush("queue", "job")
        assert await producer.lrange("queue", 0, -1) == [b"job"]
        assert await consumer.lpop("queue") == b"job"
        assert await consumer.execute_command("INFO", "clients") is not None

    run(main())


def test_longest_waiting_task_is_served_first():
    async def main():
        server = fakeredis.FakeServer()
        first = fakeredis.FakeAsyncRedis(server=server)
        second = fakeredis.FakeAsyncRedis(server=server)
        a = asyncio.ensure_future(first.brpop("q", timeout=0))
        await asyncio.sleep(0)
        b = asyncio.ensure_future(second.brpop("q", timeout=0))
        await asyncio.sleep(0)
        await fakeredis.FakeAsyncRedis(server=server).rpush("q", "1", "2")
        assert list(await asyncio.wait_for(a, 5)) == [b"q", b"2"]
        assert list(await asyncio.wait_for(b, 5)) == [b"q", b"1"]

    run(main())


def test_cancelling_a_pipeline_task_leaves_the_client_usable():
    async def main():
        client = fakeredis.FakeAsyncRedis()

        async def work():
            await asyncio.sleep(10)
            pipe = client.pipeline()
            pipe.set("never", 1)
            await pipe.execute()

        task = asyncio.ensure_future(work())
        await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        pipe = client.pipeline()
        pipe.set("k", "v").get("k")
        assert await pipe.execute() == [True, b"v"]
        assert await client.exists("never") == 0

    run(main())
