"""One test body, several servers: the fake in-process, the fake over its TCP server, real Redis.

Each test takes the ``r`` fixture, parametrized over backend and protocol. The real server comes
from ``--redis-url``, or by default a private redis-server started for the run (so parallel runs
never flush each other's data); when none answers those cases are skipped
with the reason; with FAKEREDIS_REQUIRE_REAL=1 (as in CI) a missing server fails them instead.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import time
from typing import Any, Awaitable, Callable, Iterator

import pytest
import redis
import redis.asyncio
from hypothesis import HealthCheck, settings

from fakeredis import FakeAsyncRedis, FakeRedis, FakeServer
from fakeredis.tcp_server import TcpServer

# Hypothesis profiles: "ci" (default, bounded) and "deep" (--hypothesis-profile=deep, long).
settings.register_profile(
    "ci", max_examples=int(os.environ.get("FAKEREDIS_FUZZ_EXAMPLES", "200")), deadline=None,
    suppress_health_check=list(HealthCheck))
settings.register_profile("deep", max_examples=50_000, deadline=None,
                          suppress_health_check=list(HealthCheck))
settings.load_profile("ci")

BACKENDS = ("fake", "tcp", "real")
PROTOCOLS = (2, 3)


def pytest_addoption(parser: pytest.Parser) -> None:
    try:
        parser.addoption("--redis-url", default=None,
                         help="real Redis server to compare with (flushed before each test); "
                              "default: start a private redis-server for this run")
    except ValueError:  # the fakeredis pytest plugin already declares it
        pass


def free_port() -> int:
    """A local port nothing listens on (for now)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_redis_server(workdir: str, *options: str) -> tuple[subprocess.Popen, int] | None:
    """A private redis-server in ``workdir`` with ``options`` and the port it answers on; None
    when no redis-server is installed. Fails the test if it does not start within 10 s."""
    binary = shutil.which("redis-server")
    if binary is None:
        return None
    port = free_port()
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", workdir, *options], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            redis.Redis(port=port, socket_connect_timeout=0.2).ping()
            return proc, port
        except redis.RedisError:
            time.sleep(0.05)
    proc.kill()
    pytest.fail("a private redis-server did not start")


@pytest.fixture(scope="session")
def real_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real server's URL: --redis-url, or a private redis-server started for this run."""
    url = request.config.getoption("--redis-url")
    if url:
        yield url
        return
    started = start_redis_server(str(tmp_path_factory.mktemp("redis")))
    if started is None:
        yield "redis://127.0.0.1:1"  # nothing listens there: the real cases report why
        return
    proc, port = started
    yield f"redis://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def real_available(real_url: str) -> str | None:
    """None when the real server answers, else why not."""
    try:
        client = redis.Redis.from_url(real_url, socket_connect_timeout=1)
        client.ping()
        client.close()
        return None
    except redis.RedisError as exc:
        return f"no real Redis at {real_url}: {exc}"


@pytest.fixture(scope="session")
def tcp_server() -> Iterator[TcpServer]:
    server = TcpServer(("127.0.0.1", 0), FakeServer())
    server.start_in_thread()
    yield server
    server.shutdown()
    server.server_close()


def no_real_server(reason: str) -> None:
    """The one place a real-server case gives up: skipped with ``reason`` (nothing to compare
    with is not a pass), or failed under FAKEREDIS_REQUIRE_REAL, as in CI."""
    if os.environ.get("FAKEREDIS_REQUIRE_REAL"):
        pytest.fail(reason)
    pytest.skip(reason)


def require_real(request: pytest.FixtureRequest) -> str:
    """The real server's URL; without one the test ends through :func:`no_real_server`."""
    reason = request.getfixturevalue("real_available")
    if reason:
        no_real_server(reason)
    return request.getfixturevalue("real_url")


def make_client(backend: str, protocol: int, request: pytest.FixtureRequest,
                **kwargs: Any) -> redis.Redis:
    """A flushed client of ``backend`` speaking ``protocol``."""
    if backend == "fake":
        return FakeRedis(server=FakeServer(), protocol=protocol, **kwargs)
    if backend == "tcp":
        port = request.getfixturevalue("tcp_server").port
        client = redis.Redis(port=port, protocol=protocol, **kwargs)
    else:
        client = redis.Redis.from_url(require_real(request), protocol=protocol, **kwargs)
    client.execute_command("FLUSHALL")
    client.execute_command("CONFIG", "RESETSTAT")
    return client


@pytest.fixture(params=[(b, p) for b in BACKENDS for p in PROTOCOLS],
                ids=[f"{b}-resp{p}" for b in BACKENDS for p in PROTOCOLS])
def backend(request: pytest.FixtureRequest) -> tuple[str, int]:
    """(backend name, protocol) of this run."""
    return request.param


@pytest.fixture
def r(backend: tuple[str, int], request: pytest.FixtureRequest) -> Iterator[redis.Redis]:
    """A client with bytes replies on a freshly flushed server."""
    client = make_client(*backend, request)
    yield client
    client.close()


@pytest.fixture
def rd(backend: tuple[str, int], request: pytest.FixtureRequest) -> Iterator[redis.Redis]:
    """A client with ``decode_responses=True``."""
    client = make_client(*backend, request, decode_responses=True)
    yield client
    client.close()


@pytest.fixture
def make(backend: tuple[str, int], request: pytest.FixtureRequest) -> Iterator[Any]:
    """A factory for more clients on the same server as ``r`` (for multi-client tests)."""
    made: list[redis.Redis] = []

    def factory(first: redis.Redis, **kwargs: Any) -> redis.Redis:
        if isinstance(first, FakeRedis):
            client = FakeRedis(server=first.server, protocol=backend[1], **kwargs)
        else:
            pool_kwargs = first.connection_pool.connection_kwargs
            client = redis.Redis(host=pool_kwargs["host"], port=pool_kwargs["port"],
                                 protocol=backend[1], **kwargs)
        made.append(client)
        return client

    yield factory
    for client in made:
        client.close()


AsyncBody = Callable[[redis.asyncio.Redis, Callable[..., redis.asyncio.Redis]], Awaitable[None]]


@pytest.fixture
def arun(backend: tuple[str, int], request: pytest.FixtureRequest) -> Callable[..., None]:
    """Runs ``async def body(r, make)`` in a fresh event loop: ``r`` an asyncio client (``kwargs``)
    on a flushed server of this backend, ``make(**kwargs)`` more clients on that server; all are
    created and closed inside the loop."""
    name, protocol = backend
    url = None
    if name == "tcp":
        url = f"redis://127.0.0.1:{request.getfixturevalue('tcp_server').port}"
    elif name == "real":
        url = require_real(request)

    async def run_body(body: AsyncBody, kwargs: dict[str, Any]) -> None:
        made: list[redis.asyncio.Redis] = []
        server = FakeServer()

        def make(**more: Any) -> redis.asyncio.Redis:
            client = (FakeAsyncRedis(server=server, protocol=protocol, **more) if url is None
                      else redis.asyncio.Redis.from_url(url, protocol=protocol, **more))
            made.append(client)
            return client

        first = make(**kwargs)
        try:
            if url is not None:
                await first.execute_command("FLUSHALL")
                await first.execute_command("CONFIG", "RESETSTAT")
            await body(first, make)
        finally:
            for client in made:
                await client.aclose()

    return lambda body, **kwargs: asyncio.run(run_body(body, kwargs))
