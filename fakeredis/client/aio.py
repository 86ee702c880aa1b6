"""FakeAsyncRedis: ``redis.asyncio.Redis`` on the same engine, without event-loop overhead.

Engine calls are synchronous and take microseconds, so an awaited command runs inline and never
yields to the loop. Only blocked commands (BLPOP ...) and pub/sub reads wait, on an asyncio future
that the engine resolves from its ``Waiter``/push hooks through ``call_soon_threadsafe``.
"""

from __future__ import annotations

import asyncio
import inspect
import math
from typing import Any

import redis.asyncio
import redis.asyncio.client
from redis.asyncio.connection import Connection as AsyncConnection
from redis.exceptions import ConnectionError, ResponseError

from fakeredis.client.connection import (
    _CLOSED, _NO_SOCKET, _NOTHING, EMPTY_RESPONSE, NEVER_DECODE, EngineLink, apply_callback,
    without_socket_options,
)
from fakeredis.client.pipeline import (
    Command, check_complete, exec_replies, lost_connection, pipelined_response,
    pipelined_responses, transaction_callback, transaction_commands,
)
from fakeredis.client.sync import client_kwargs, pool_from_url
from fakeredis.replies import NO_REPLY
from fakeredis.server import DEFAULT_VERSION, FakeServer, ReadTimeout, Waiter

_ASYNC_INIT = inspect.signature(redis.asyncio.Redis.__init__)


async def wait_for_waiter(waiter: Waiter, limit: float | None = None) -> Any:
    """Await a blocked command's reply without blocking the loop; cancelling unblocks it.

    After ``limit`` seconds (the client's socket timeout) the wait is abandoned with
    :class:`ReadTimeout`, and the server forgets the blocked command.
    """
    loop = asyncio.get_running_loop()
    woken = asyncio.Event()
    server = waiter.server
    give_up = None if limit is None else loop.time() + limit

    def wake() -> None:
        loop.call_soon_threadsafe(woken.set)

    with server.lock:
        waiter.listeners.append(wake)
    try:
        while True:
            with server.lock:
                if waiter.done or waiter.time_out_if_due():
                    waiter.session.blocked = False
                    return waiter.result
                remaining = None  # no deadline: sleep until woken, using no CPU
                if waiter.deadline is not None:  # polled: advance_time may move the clock
                    remaining = min(0.1, waiter.deadline - server.clock.now())
            if give_up is not None:
                left = give_up - loop.time()
                if left <= 0:
                    raise ReadTimeout()
                remaining = left if remaining is None else min(remaining, left)
            woken.clear()
            try:
                await asyncio.wait_for(woken.wait(),
                                       None if remaining is None else max(0.0, remaining))
            except asyncio.TimeoutError:
                pass
    except BaseException:
        with server.lock:
            if not waiter.done:
                waiter.finish(waiter.timeout_reply)
        raise


class FakeAsyncConnection(EngineLink, AsyncConnection):
    """A ``redis.asyncio`` connection whose peer is a :class:`FakeServer` in this process."""

    def __init__(self, *args: Any, server: FakeServer | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **without_socket_options(kwargs))
        self._init_link(server)

    @property
    def is_connected(self) -> bool:
        return self.session is not None

    async def connect(self) -> None:
        """Open a session, handshake, then run redis-py's connect callbacks."""
        if self.session is not None:
            return
        self._open_session()
        self._sock = _NO_SOCKET
        for callback in self._live_connect_callbacks():
            result = callback(self)
            if inspect.isawaitable(result):
                await result

    async def connect_check_health(self, *args: Any, **kwargs: Any) -> None:
        await self.connect()

    async def on_connect(self) -> None:
        """The handshake already ran in :meth:`connect`."""

    async def disconnect(self, *args: Any, **kwargs: Any) -> None:
        """Close the session: the server forgets this client's watches and subscriptions."""
        self._close_session()

    def _close(self) -> None:
        self._close_session()

    async def check_health(self) -> None:
        """A fake server is always healthy while connected."""

    async def send_command(self, *args: Any, **kwargs: Any) -> None:
        await self.send_packed_command([args])

    async def send_packed_command(self, command: Any, check_health: bool = True) -> None:
        """Run each argv now and keep the replies for :meth:`read_response`."""
        if self.session is None:
            await self.connect()
        commands = list(command)
        done = self._queue_replies(commands)
        while done < len(commands):
            self._replies[-1] = await self.await_blocked(self._replies[-1])
            done = self._queue_replies(commands, done)

    async def await_blocked(self, waiter: Waiter) -> Any:
        """A blocked command's neutral reply, awaited at most socket_timeout."""
        try:
            reply = await wait_for_waiter(waiter, self.socket_timeout)
        except ReadTimeout:
            raise self.read_timed_out() from None
        return self.check_not_killed(reply)

    async def can_read_destructive(self) -> bool:
        if self.session is None:
            await self.connect()
        return bool(self._replies or self.session.pushes)

    can_read = can_read_destructive

    async def _wait_for_push(self, timeout: float | None) -> bool:
        """Wait without blocking the loop until the server pushes a message to this client."""
        session = self.session
        loop = asyncio.get_running_loop()
        event = asyncio.Event()
        with self.server.lock:
            if session.pushes:
                return True
            session.push_listener = lambda: loop.call_soon_threadsafe(event.set)
        try:
            await asyncio.wait_for(event.wait(), timeout)
            return True
        except asyncio.TimeoutError:
            return False
        finally:
            session.push_listener = None

    async def read_response(self, disable_decoding: bool = False, timeout: float | None = None,
                            *, disconnect_on_error: bool = True, push_request: bool | None = False,
                            **kwargs: Any) -> Any:
        """The next reply, as redis-py's parser would return it; error replies raise."""
        reply = self._pop_pending()
        if reply is _NOTHING and self.session is None:
            raise ConnectionError(_CLOSED)
        if reply is _NOTHING:
            wait = None if timeout == math.inf else \
                timeout if timeout is not None else self.socket_timeout
            if await self._wait_for_push(wait):
                reply = self._pop_pending()
        if reply is _NOTHING:
            if timeout is not None:  # a timeout the caller asked for: redis-py answers None
                return None
            raise self.read_timed_out()
        if type(reply) is Waiter:
            reply = await self.await_blocked(reply)
        return self.finish_reply(reply, disable_decoding)


_PLAIN = frozenset((int, bytes, str, bool, float, list, dict, tuple, type(None)))


async def settle(values: list[Any]) -> list[Any]:
    """``values`` with any awaitable (an async response callback's result) awaited."""
    for index, value in enumerate(values):
        if type(value) not in _PLAIN and inspect.isawaitable(value):
            values[index] = await value
    return values


async def run_command(conn: FakeAsyncConnection, args: Any, options: dict[str, Any]) -> Any:
    """One command's converted reply on ``conn`` (awaiting a blocked one); errors raise."""
    if conn.session is None:
        await conn.connect()
    reply = conn.run_nowait(args)
    if type(reply) is Waiter:
        reply = await conn.await_blocked(reply)
    elif reply is NO_REPLY:
        reply = conn.session.pushes.popleft()
    return conn.finish_reply(reply, NEVER_DECODE in options)


class FakeAsyncPipeline(redis.asyncio.client.Pipeline):
    """redis.asyncio's Pipeline whose batches and immediate commands run on the engine directly.

    Connections come from (and go back to) the client's idle list; a lost connection is not
    retried (see :class:`~fakeredis.client.pipeline.FakePipeline`).
    """

    def __init__(self, idle: list[Any], *args: Any) -> None:
        self._idle = idle
        super().__init__(*args)

    async def _connection(self) -> Any:
        """The pipeline's connection, borrowed on first use."""
        conn = self.connection
        if conn is None:
            idle = self._idle
            conn = idle.pop() if idle else await self.connection_pool.get_connection()
            self.connection = conn
        return conn

    def execute_command(self, *args: Any, **options: Any) -> Any:
        """Queue a command (the pipeline back), or run it now while watching before MULTI (an
        awaitable), as redis.asyncio's Pipeline does, in one call instead of two."""
        if (self.watching or args[0] == "WATCH") and not self.explicit_transaction:
            return self.immediate_execute_command(*args, **options)
        self.command_stack.append((args, options))
        return self

    async def immediate_execute_command(self, *args: Any, **options: Any) -> Any:
        """Run one command now (WATCH, and reads between WATCH and MULTI)."""
        conn = await self._connection()
        try:
            response = await run_command(conn, args, options)
        except ResponseError:
            if EMPTY_RESPONSE in options:
                return options[EMPTY_RESPONSE]
            raise
        except ConnectionError as error:
            conn._close_session()
            watch_error = lost_connection(self, error)
            if watch_error is not None:
                await self.reset()
                raise watch_error from error
            raise
        result = pipelined_response(self, (args, options), response)
        return await result if inspect.isawaitable(result) else result

    async def execute(self, raise_on_error: bool = True) -> list[Any]:
        """Run the queued commands (in MULTI/EXEC for a transaction); their replies."""
        stack = self.command_stack
        if not stack and not self.watching:
            return []
        if self.scripts:
            await self.load_scripts()
        transaction = self.is_transaction or self.explicit_transaction
        run = self._execute_transaction if transaction else self._execute_pipeline
        conn = await self._connection()
        try:
            return await run(conn, stack, raise_on_error)
        except ConnectionError as error:
            conn._close_session()
            watch_error = lost_connection(self, error)
            if watch_error is not None:
                raise watch_error from error
            raise
        finally:
            await self.reset()

    async def reset(self) -> None:
        """Forget queued commands, UNWATCH if watching, and give the connection back."""
        self.command_stack = []
        self.scripts = set()
        conn = self.connection
        if self.watching and conn is not None:
            try:
                await run_command(conn, ("UNWATCH",), {})
            except ConnectionError:
                conn._close_session()
        self.watching = False
        self.explicit_transaction = False
        if conn is not None:
            self.connection = None
            self._idle.append(conn)

    async def _run(self, connection: Any, commands: list[Command]) -> list[Any]:
        """Each command's converted reply, awaiting a blocked one without blocking the loop."""
        if connection.session is None:
            await connection.connect()
        replies: list[Any] = []
        waiter = connection.run_queued(commands, replies)
        while waiter is not None:
            options = commands[len(replies)][1]
            reply = await connection.await_blocked(waiter)
            replies.append(connection.convert_reply(reply, NEVER_DECODE in options))
            waiter = connection.run_queued(commands, replies)
        check_complete(commands, replies)
        return replies

    async def _execute_pipeline(self, connection: Any, commands: Any,
                                raise_on_error: bool) -> list[Any]:
        """Run the batch; replies through redis-py's per-command parsing rules."""
        commands = list(commands)
        replies = await self._run(connection, commands)
        responses, failed = pipelined_responses(self, commands, replies)
        await settle(responses)
        if raise_on_error and failed:
            self.raise_first_error(commands, responses)
        return responses

    async def _execute_transaction(self, connection: Any, commands: Any,
                                   raise_on_error: bool) -> list[Any]:
        """MULTI, the commands and EXEC in one batch; EXEC's replies as redis-py returns them."""
        commands = list(commands)
        replies = await self._run(connection, transaction_commands(commands))
        response = exec_replies(self, connection, commands, replies, cause=True)
        if raise_on_error:
            self.raise_first_error(commands, response)
        return await settle([transaction_callback(self, command, reply)
                             for command, reply in zip(commands, response)])


class FakeAsyncRedis(redis.asyncio.Redis):
    """``redis.asyncio.Redis`` backed by an in-process :class:`FakeServer`."""

    def __init__(self, *args: Any, server: FakeServer | None = None,
                 version: Any = DEFAULT_VERSION, server_type: str = "redis",
                 lua_modules: Any = None, **kwargs: Any) -> None:
        choice = {"server": server, "version": version, "server_type": server_type,
                  "lua_modules": lua_modules}
        args, kwargs = client_kwargs(_ASYNC_INIT, redis.asyncio.ConnectionPool, FakeAsyncConnection,
                                     args, kwargs, choice)
        super().__init__(*args, **kwargs)
        self.auto_close_connection_pool = True
        self._idle: list[FakeAsyncConnection] = []

    @property
    def server(self) -> FakeServer:
        """The FakeServer this client talks to."""
        return self.connection_pool.connection_kwargs["server"]

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> "FakeAsyncRedis":
        """Like ``redis.asyncio.Redis.from_url``: db, credentials and options from the URL."""
        single = kwargs.pop("single_connection_client", False)
        pool = pool_from_url(redis.asyncio.ConnectionPool, FakeAsyncConnection, url, kwargs)
        client = cls(connection_pool=pool, single_connection_client=single)
        client.auto_close_connection_pool = True
        return client

    async def execute_command(self, *args: Any, **options: Any) -> Any:
        """Run a command inline on the engine; only a blocked command awaits."""
        if self.single_connection_client:
            await self.initialize()
            async with self._single_conn_lock:
                return await self._run_on(self.connection, args, options)
        idle = self._idle
        conn = idle.pop() if idle else await self.connection_pool.get_connection()
        try:
            return await self._run_on(conn, args, options)
        finally:
            idle.append(conn)

    async def _run_on(self, conn: FakeAsyncConnection, args: Any, options: dict[str, Any]) -> Any:
        """Run one command on ``conn`` and apply redis-py's response callback."""
        never_decode = NEVER_DECODE in options
        try:
            if conn.session is None:
                await conn.connect()
            response = conn.run(args, never_decode, False)
            if type(response) is Waiter:
                response = conn.finish_reply(await conn.await_blocked(response), never_decode)
        except ResponseError:
            if EMPTY_RESPONSE in options:
                return options[EMPTY_RESPONSE]
            raise
        return apply_callback(self.response_callbacks, args[0], response, options)

    def pipeline(self, transaction: bool = True, shard_hint: Any = None) -> FakeAsyncPipeline:
        """redis.asyncio's pipeline, running its batches on the engine without RESP."""
        return FakeAsyncPipeline(self._idle, self.connection_pool, self.response_callbacks,
                                 transaction, shard_hint)

    async def aclose(self, close_connection_pool: bool | None = None) -> None:
        """Release this client's connections (their sessions end on the server)."""
        for conn in self._idle:
            conn._close_session()
        self._idle.clear()
        await super().aclose(close_connection_pool)
