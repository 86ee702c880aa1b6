"""redis-py's own client-side cache (cache_config, RESP3) on the in-process client."""

import pytest
import redis

from fakeredis import FakeRedis
from fakeredis.client.connection import REDIS_PY_MAJOR

# Before redis-py 7, protocol=3 without hiredis keeps the RESP2 parser, which has no invalidation
# handler: redis-py's cache cannot start there, against a real server or this one.
pytestmark = pytest.mark.skipif(REDIS_PY_MAJOR < 7, reason="redis-py's cache needs redis-py 7+")


def cache_config():
    """redis-py's cache settings (its module is imported here: older redis-py has none)."""
    from redis.cache import CacheConfig

    return CacheConfig()


@pytest.fixture
def cached():
    client = FakeRedis(protocol=3, version=(7, 4), cache_config=cache_config())
    yield client
    client.close()


def test_reads_are_served_from_the_cache_until_another_client_writes(cached):
    writer = FakeRedis(server=cached.server)
    cached.set("k", "1")
    assert cached.get("k") == b"1"
    cached.server.record_calls()
    assert cached.get("k") == b"1"
    assert cached.server.calls_of("get") == []  # answered by the cache
    assert cached.get_cache().size == 1
    writer.set("k", "2")
    assert cached.get("k") == b"2"
    writer.flushall()  # redis-py applies invalidations when it next reads
    assert cached.get("k") is None


def test_pipelines_of_a_caching_client_run(cached):
    with cached.pipeline() as pipe:
        assert pipe.set("k", "1").get("k").execute() == [True, b"1"]


def test_caching_needs_resp3_and_redis_7_4_as_redis_py_checks():
    with pytest.raises(redis.RedisError) as exc:
        FakeRedis(protocol=2, version=(7, 4), cache_config=cache_config())
    assert str(exc.value) == "Client caching is only supported with RESP version 3"
    client = FakeRedis(protocol=3, cache_config=cache_config())
    with pytest.raises(redis.ConnectionError) as exc:
        client.get("k")
    assert "supported by Redis 7.4 or later" in str(exc.value)
