"""Blocking XREAD/XREADGROUP on FakeAsyncRedis: woken by XADD, time out, cancel cleanly."""

import asyncio

import pytest

import fakeredis


def run(coro):
    return asyncio.run(coro)


def test_xread_block_is_woken_by_xadd_while_other_tasks_run():
    async def main():
        server = fakeredis.FakeServer()
        reader = fakeredis.FakeAsyncRedis(server=server)
        writer = fakeredis.FakeAsyncRedis(server=server)
        await writer.xadd("s", {"f": "old"}, id="1-0")
        waiting = asyncio.ensure_future(reader.xread({"s": "$"}, block=0))
        for _ in range(5):
            await asyncio.sleep(0)
        assert not waiting.done()
        await writer.xadd("s", {"f": "new"}, id="2-0")
        assert await asyncio.wait_for(waiting, 5) == [[b"s", [(b"2-0", {b"f": b"new"})]]]

    run(main())


def test_xreadgroup_block_is_woken_and_records_the_delivery():
    async def main():
        server = fakeredis.FakeServer()
        reader = fakeredis.FakeAsyncRedis(server=server, protocol=3)
        writer = fakeredis.FakeAsyncRedis(server=server)
        await writer.xgroup_create("s", "g", id="$", mkstream=True)
        waiting = asyncio.ensure_future(reader.xreadgroup("g", "c", {"s": ">"}, block=0))
        await asyncio.sleep(0)
        await writer.xadd("s", {"f": "v"}, id="1-0")
        assert await asyncio.wait_for(waiting, 5) == {b"s": [[(b"1-0", {b"f": b"v"})]]}
        assert (await writer.xpending("s", "g"))["pending"] == 1

    run(main())


def test_xread_block_times_out_empty():
    async def main():
        client = fakeredis.FakeAsyncRedis()
        assert await client.xread({"s": "$"}, block=20) == []
        assert await client.ping()

    run(main())


def test_cancelled_xreadgroup_consumes_nothing_and_leaves_the_client_usable():
    async def main():
        server = fakeredis.FakeServer()
        reader = fakeredis.FakeAsyncRedis(server=server)
        writer = fakeredis.FakeAsyncRedis(server=server)
        await writer.xgroup_create("s", "g", id="$", mkstream=True)
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(reader.xreadgroup("g", "c", {"s": ">"}, block=0), 0.05)
        await writer.xadd("s", {"f": "v"}, id="1-0")
        assert (await writer.xpending("s", "g"))["pending"] == 0
        assert await reader.xreadgroup("g", "c", {"s": ">"}) == [
            [b"s", [(b"1-0", {b"f": b"v"})]]]
        assert await reader.xlen("s") == 1

    run(main())
