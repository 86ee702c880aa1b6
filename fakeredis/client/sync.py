"""FakeRedis and FakeStrictRedis: redis-py's ``Redis`` with a FakeServer behind every connection."""

from __future__ import annotations

import inspect
from typing import Any

import redis
from redis.exceptions import ResponseError

from fakeredis.client.connection import (
    EMPTY_RESPONSE, NEVER_DECODE, FakeConnection, apply_callback,
)
from fakeredis.client.pipeline import FakePipeline
from fakeredis.server import DEFAULT_VERSION, FakeServer, check_server_type

# Redis.__init__ parameters that configure each connection, passed on to our pool.
_CONNECTION_PARAMS = (
    "db", "username", "password", "encoding", "encoding_errors", "decode_responses",
    "client_name", "lib_name", "lib_version", "driver_info", "credential_provider", "protocol",
    "retry", "health_check_interval", "socket_timeout", "legacy_responses", "cache",
    "cache_config",
)
_REDIS_INIT = inspect.signature(redis.Redis.__init__)
# the keyword arguments that pick a client's server (see resolve_server)
_SERVER_CHOICE = ("server", "version", "server_type", "lua_modules")


def client_kwargs(init: inspect.Signature, pool_class: type, connection_class: type,
                  args: tuple[Any, ...], kwargs: dict[str, Any],
                  choice: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """Redis(...) arguments rewritten to use a pool of fake connections (unless one is given),
    on the server :func:`resolve_server` picks from ``choice``."""
    if kwargs.get("connection_pool") is not None:
        return args, kwargs
    bound = init.bind_partial(None, *args, **kwargs)
    bound.apply_defaults()
    params = dict(bound.arguments)
    pool_kwargs = {k: v for k, v in params.items()
                   if k in _CONNECTION_PARAMS and v is not None and v is not init.parameters[k].default}
    if params.get("max_connections"):
        pool_kwargs["max_connections"] = params["max_connections"]
    pool = pool_class(connection_class=connection_class, server=resolve_server(**choice),
                      **pool_kwargs)
    return (), {"connection_pool": pool,
                "single_connection_client": params.get("single_connection_client", False)}


def pool_from_url(pool_class: type, connection_class: type, url: str,
                  kwargs: dict[str, Any]) -> Any:
    """A pool configured from ``url`` like redis-py's, whose connections are fake ones."""
    server = resolve_server(**{name: kwargs.pop(name) for name in _SERVER_CHOICE if name in kwargs})
    pool = pool_class.from_url(url, **kwargs)
    pool.connection_class = connection_class
    pool.connection_kwargs["server"] = server
    return pool


def resolve_server(server: FakeServer | None = None, version: Any = DEFAULT_VERSION,
                   server_type: str = "redis", lua_modules: Any = None) -> FakeServer:
    """The server a new client talks to: the one given, else a fresh private one.

    ``server_type`` and ``lua_modules`` are PyPI fakeredis's parameters: only "redis" is
    simulated, and scripts get exactly the libraries Redis gives them, so no extra Lua modules.
    """
    check_server_type(server_type)
    if lua_modules:
        raise ValueError("fakeredis gives scripts Redis's own Lua libraries only; "
                         f"lua_modules={lua_modules!r} cannot be loaded")
    return server if server is not None else FakeServer(version=version)


class FakeRedis(redis.Redis):
    """``redis.Redis`` backed by an in-process :class:`FakeServer`.

    Without ``server=`` each instance gets a server of its own; pass one server to several
    clients to share data.
    """

    def __init__(self, *args: Any, server: FakeServer | None = None,
                 version: Any = DEFAULT_VERSION, server_type: str = "redis",
                 lua_modules: Any = None, **kwargs: Any) -> None:
        choice = {"server": server, "version": version, "server_type": server_type,
                  "lua_modules": lua_modules}
        args, kwargs = client_kwargs(_REDIS_INIT, redis.ConnectionPool, FakeConnection, args,
                                     kwargs, choice)
        super().__init__(*args, **kwargs)
        self.auto_close_connection_pool = True
        self._idle: list[FakeConnection] = []
        if self.connection_pool.cache is not None:
            # redis-py's client-side cache wraps each connection: commands take redis-py's path
            self.execute_command = super().execute_command  # type: ignore[method-assign]
            self.pipeline = super().pipeline  # type: ignore[method-assign]

    @property
    def server(self) -> FakeServer:
        """The FakeServer this client talks to."""
        return self.connection_pool.connection_kwargs["server"]

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> "FakeRedis":
        """Like ``redis.Redis.from_url``: db, credentials and options from the URL."""
        single = kwargs.pop("single_connection_client", False)
        pool = pool_from_url(redis.ConnectionPool, FakeConnection, url, kwargs)
        client = cls(connection_pool=pool, single_connection_client=single)
        client.auto_close_connection_pool = True
        return client

    def execute_command(self, *args: Any, **options: Any) -> Any:
        """Run a command straight on the engine: no RESP, no socket, redis-py's callbacks."""
        conn = self.connection
        borrowed = conn is None
        if borrowed:
            idle = self._idle
            conn = idle.pop() if idle else self.connection_pool.get_connection()
        else:
            self.single_connection_lock.acquire()
        try:
            try:
                response = conn.run(args, NEVER_DECODE in options)
            except ResponseError:
                if EMPTY_RESPONSE in options:
                    return options[EMPTY_RESPONSE]
                raise
        finally:
            if borrowed:
                self._idle.append(conn)
            else:
                self.single_connection_lock.release()
        return apply_callback(self.response_callbacks, args[0], response, options)

    def pipeline(self, transaction: bool = True, shard_hint: Any = None) -> FakePipeline:
        """redis-py's pipeline, running its batches on the engine without RESP."""
        return FakePipeline(self._idle, self.connection_pool, self.response_callbacks, transaction,
                            shard_hint)

    def close(self) -> None:
        """Release this client's connections (their sessions end on the server)."""
        for conn in self._idle:
            conn.disconnect()
        self._idle.clear()
        super().close()


class FakeStrictRedis(FakeRedis):
    """Alias kept for code written against redis-py 2's StrictRedis."""
