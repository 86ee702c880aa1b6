"""The pytest plugin's fixtures and the patch helper, run as a user's suite would (pytester).

Each case runs an inner pytest session, so the outer run's own --redis-url (CI passes one for
the conformance tests) does not change what the fixtures do here.
"""

import asyncio
from unittest import mock

import redis
import redis.asyncio

import fakeredis

pytest_plugins = ["pytester"]

FIXTURE_TESTS = '''
import asyncio
import redis
import redis.asyncio
import fakeredis


def test_fixtures_share_one_fresh_server(fake_server, fake_redis, fake_async_redis):
    fake_redis.set("k", "v")
    assert fakeredis.FakeRedis(server=fake_server).get("k") == b"v"
    assert asyncio.run(fake_async_redis.get("k")) == b"v"


def test_each_test_gets_a_fresh_server(fake_redis):
    assert fake_redis.dbsize() == 0


def make_client_somewhere_else():
    return redis.from_url("redis://cache.internal:6379/0")


def test_patch_fixture_routes_every_client_to_the_fake_server(patch_redis):
    redis.Redis(host="db.internal").set("a", "1")
    redis.StrictRedis(host="other.internal", port=1234).set("b", "2")
    pool = redis.ConnectionPool(host="pooled.internal")
    redis.Redis(connection_pool=pool).set("c", "3")
    assert make_client_somewhere_else().mget("a", "b", "c") == [b"1", b"2", b"3"]
    assert fakeredis.FakeRedis(server=patch_redis).dbsize() == 3


def test_patch_fixture_covers_asyncio_clients(patch_redis):
    async def main():
        client = redis.asyncio.Redis(host="async.internal")
        await client.set("k", "v")
        value = await client.get("k")
        await client.aclose()
        return value

    assert asyncio.run(main()) == b"v"
'''


def test_fixtures_and_patch_fixture(pytester):
    pytester.makepyfile(FIXTURE_TESTS)
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=4)


def test_redis_url_option_points_client_fixtures_at_a_real_server(pytester):
    pytester.makepyfile('''
        def test_uses_real(request, fake_redis):
            assert request.config.getoption("--redis-url") == "redis://127.0.0.1:1"
    ''')
    result = pytester.runpytest_inprocess("--redis-url", "redis://127.0.0.1:1",
                                          "-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)  # nothing listens on port 1: the fixture cannot flush it
    assert "Connection refused" in result.stdout.str() or "Error" in result.stdout.str()


def test_patch_as_context_manager_and_restore():
    with fakeredis.patch() as server:
        redis.Redis(host="nowhere.internal").set("k", "v")
        assert fakeredis.FakeRedis(server=server).get("k") == b"v"
    try:
        redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2).ping()
    except redis.ConnectionError:
        pass
    else:
        raise AssertionError("the patch leaked past its context")


@mock.patch("os.getcwd", return_value="/somewhere")
@fakeredis.patch()
def test_patch_decorator_adds_no_argument_so_mock_order_is_unchanged(getcwd):
    import os

    assert os.getcwd() == "/somewhere"
    assert getcwd.call_count == 1
    client = redis.Redis(host="x.internal")
    client.set("k", "v")
    assert client.get("k") == b"v"


def test_patch_decorator_on_coroutines():
    server = fakeredis.FakeServer()

    @fakeredis.patch(server)
    async def uses_redis():
        client = redis.asyncio.Redis(host="x.internal")
        await client.set("k", "v")
        await client.aclose()

    asyncio.run(uses_redis())
    assert fakeredis.FakeRedis(server=server).get("k") == b"v"
