"""fakeredis: a Redis 7 server simulated in memory, for tests."""

from fakeredis.client.aio import FakeAsyncConnection, FakeAsyncRedis
from fakeredis.client.connection import FakeConnection
from fakeredis.client.patch import patch
from fakeredis.client.sync import FakeRedis, FakeStrictRedis
from fakeredis.server import FakeServer
from fakeredis.tcp_server import TcpFakeServer

# PyPI fakeredis's other names for the connection classes
FakeRedisConnection = FakeConnection
FakeAsyncRedisConnection = FakeAsyncConnection

__version__ = "0.1.0"

__all__ = [
    "FakeAsyncConnection", "FakeAsyncRedis", "FakeAsyncRedisConnection", "FakeConnection",
    "FakeRedis", "FakeRedisConnection", "FakeServer", "FakeStrictRedis", "TcpFakeServer",
    "__version__", "patch",
]
