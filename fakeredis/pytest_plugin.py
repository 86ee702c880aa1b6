"""pytest plugin (registered through the ``pytest11`` entry point): fixtures and patching.

Fixtures, each fresh per test:

``fake_server``       a FakeServer
``fake_redis``        a ``FakeRedis`` on ``fake_server``
``fake_async_redis``  a ``FakeAsyncRedis`` on ``fake_server``
``patch_redis``       every redis-py client the code under test creates lands on ``fake_server``

With ``--redis-url URL`` the client fixtures connect to that real server instead (flushed before
each test) and ``patch_redis`` patches nothing, so a suite can run against real Redis unchanged.
"""

from __future__ import annotations

from typing import Any, Iterator

import pytest
import redis
import redis.asyncio

from fakeredis.client.aio import FakeAsyncRedis
from fakeredis.client.patch import patch
from fakeredis.client.sync import FakeRedis
from fakeredis.server import FakeServer


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--redis-url", default=None,
                     help="run fakeredis fixtures against this real Redis server (flushed "
                          "before each test) instead of a fake one")


def _real_url(config: pytest.Config) -> str | None:
    return config.getoption("--redis-url", default=None)


@pytest.fixture
def fake_server() -> FakeServer:
    """A fresh in-memory server."""
    return FakeServer()


@pytest.fixture
def fake_redis(request: pytest.FixtureRequest, fake_server: FakeServer) -> Iterator[Any]:
    """A sync client: on ``fake_server``, or on ``--redis-url`` (flushed) when given."""
    url = _real_url(request.config)
    client = redis.Redis.from_url(url) if url else FakeRedis(server=fake_server)
    if url:
        client.flushall()
    yield client
    client.close()


@pytest.fixture
def fake_async_redis(request: pytest.FixtureRequest, fake_server: FakeServer) -> Any:
    """An asyncio client: on ``fake_server``, or on ``--redis-url`` (flushed) when given."""
    url = _real_url(request.config)
    if url:
        flusher = redis.Redis.from_url(url)
        flusher.flushall()
        flusher.close()
        return redis.asyncio.Redis.from_url(url)
    return FakeAsyncRedis(server=fake_server)


@pytest.fixture
def patch_redis(request: pytest.FixtureRequest, fake_server: FakeServer) -> Iterator[FakeServer]:
    """Every redis-py client created during the test talks to ``fake_server``."""
    if _real_url(request.config):
        yield fake_server
        return
    with patch(fake_server):
        yield fake_server
