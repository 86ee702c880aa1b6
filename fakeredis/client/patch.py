"""``fakeredis.patch()``: every redis-py client created meanwhile talks to one FakeServer.

It works at the connection pool, so it catches clients however the code under test builds them
(``redis.Redis(...)``, ``StrictRedis``, ``from_url``, explicit pools, ``redis.asyncio``), in any
module, including names imported before the patch started: a pool that makes a connection while
the patch is active makes a fake one. Nothing touches the network.
"""

from __future__ import annotations

import functools
import inspect
import threading
from typing import Any, Callable

import redis
import redis.asyncio

from fakeredis.client.aio import FakeAsyncConnection
from fakeredis.client.connection import FakeConnection
from fakeredis.server import FakeServer

_SYNC_POOLS = (redis.ConnectionPool, redis.BlockingConnectionPool)
_ASYNC_POOLS = (redis.asyncio.ConnectionPool, redis.asyncio.BlockingConnectionPool)
_lock = threading.Lock()


class patch:
    """Route every redis-py connection made while active to ``server`` (a fresh one by default).

    Use as a context manager (``with fakeredis.patch() as server:``) or as a decorator on sync
    or async functions (``@fakeredis.patch()``; it passes no argument, so it can stand anywhere
    in a stack of ``unittest.mock.patch`` decorators; reach the server as ``patch.server``).
    """

    def __init__(self, server: FakeServer | None = None) -> None:
        self.server = server if server is not None else FakeServer()
        self._saved: list[tuple[type, Callable[..., Any]]] = []

    def start(self) -> FakeServer:
        """Begin routing connections to the fake server."""
        with _lock:
            for pool_class in _SYNC_POOLS + _ASYNC_POOLS:
                original = pool_class.__dict__.get("make_connection")
                if original is None:
                    continue
                self._saved.append((pool_class, original))
                fake_class = FakeAsyncConnection if pool_class in _ASYNC_POOLS else FakeConnection
                pool_class.make_connection = _faking(original, fake_class, self.server)
        return self.server

    def stop(self) -> None:
        """Restore redis-py; connections already made stay fake."""
        with _lock:
            for pool_class, original in reversed(self._saved):
                pool_class.make_connection = original
            self._saved.clear()

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()

    def __call__(self, func: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.iscoroutinefunction(func):
            @functools.wraps(func)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                with patch(self.server):
                    return await func(*args, **kwargs)
            return async_wrapper

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with patch(self.server):
                return func(*args, **kwargs)
        return wrapper


def _faking(original: Callable[..., Any], fake_class: type, server: FakeServer) -> Callable[..., Any]:
    """A make_connection that swaps the pool's connection class for a fake one on ``server``."""

    @functools.wraps(original)
    def make_connection(pool: Any) -> Any:
        if not (isinstance(pool.connection_class, type) and issubclass(pool.connection_class, fake_class)):
            pool.connection_class = fake_class
            pool.connection_kwargs = {**pool.connection_kwargs, "server": server}
        return original(pool)

    return make_connection
