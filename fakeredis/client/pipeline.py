"""Pipelines and MULTI/EXEC for the fake clients: queued commands run straight on the engine.

redis-py's Pipeline keeps its public behaviour: queuing, ``multi()``, ``watch()``, Script loading,
``transaction()`` retries on WatchError. The steps that would go through a socket are replaced:
``execute`` (without redis-py's connection retries and metrics), ``immediate_execute_command``,
``reset`` and the batch runners ``_execute_pipeline`` / ``_execute_transaction``. Their results
match redis-py's step for step: error replies in their slots or raised first, ``EMPTY_RESPONSE``
and ``NEVER_DECODE`` options, ``WatchError`` for an aborted EXEC, ``EXECABORT`` raising the
queuing error, and the response callbacks. A command that blocks holds back the ones after it,
as a server reads no further on that connection until it answers.
"""

from __future__ import annotations

from typing import Any

import redis.client
from redis.exceptions import ConnectionError, ExecAbortError, ResponseError, WatchError

from fakeredis.client.connection import (
    _CLOSED, EMPTY_RESPONSE, NEVER_DECODE, EngineLink, apply_callback, callback_for,
)

Command = tuple[tuple[Any, ...], dict[str, Any]]
_MULTI: Command = (("MULTI",), {})
_EXEC: Command = (("EXEC",), {})
_UNWATCHING = frozenset(("DISCARD", "EXEC", "UNWATCH"))
_WATCH_STATE = _UNWATCHING | {"WATCH"}


def transaction_commands(commands: list[Command]) -> list[Command]:
    """What a transaction sends: MULTI, the commands that expect a reply, EXEC."""
    return [_MULTI, *(c for c in commands if EMPTY_RESPONSE not in c[1]), _EXEC]


def check_complete(sent: list[Command], replies: list[Any]) -> None:
    """Raise redis-py's ConnectionError when the session ended before every reply came."""
    if len(replies) < len(sent):
        raise ConnectionError(_CLOSED)


def pipelined_response(pipe: Any, command: Command, reply: Any) -> Any:
    """One pipelined reply as redis-py's ``parse_response`` returns it (errors returned, not raised)."""
    args, options = command
    if isinstance(reply, Exception):
        if not isinstance(reply, ResponseError):
            raise reply
        return options[EMPTY_RESPONSE] if EMPTY_RESPONSE in options else reply
    name = args[0]
    if name in _UNWATCHING:
        pipe.watching = False
    elif name == "WATCH":
        pipe.watching = True
    return apply_callback(pipe.response_callbacks, name, reply, options)


def pipelined_responses(pipe: Any, commands: list[Command],
                        replies: list[Any]) -> tuple[list[Any], bool]:
    """Every pipelined reply as :func:`pipelined_response` makes it, and whether any is an error
    (so a batch without one skips redis-py's ``raise_first_error`` scan). The commonest case (no
    options, a plain reply, no WATCH state) runs inline, each name's callback looked up once."""
    callbacks = pipe.response_callbacks
    found: dict[Any, Any] = {}
    responses = []
    append = responses.append
    failed = False
    for command, reply in zip(commands, replies):
        args, options = command
        name = args[0]
        kind = type(reply)
        if options or name in _WATCH_STATE or not (kind is bytes or kind is int or kind is str) \
                and isinstance(reply, Exception):
            failed = failed or isinstance(reply, Exception)
            append(pipelined_response(pipe, command, reply))
            continue
        try:
            callback = found[name]
        except KeyError:
            callback = found[name] = callback_for(callbacks, name)
        append(reply if callback is None else callback(reply))
    return responses, failed


def raise_queuing_error(error: Exception, abort: ExecAbortError, cause: bool) -> None:
    """Raise the error that made EXEC abort, chained to EXECABORT as redis-py chains it
    (the asyncio client ``from`` it, the sync one as the exception being handled)."""
    try:
        raise abort
    except ExecAbortError as handled:
        if cause:
            raise error from handled
        raise error


def exec_replies(pipe: Any, link: EngineLink, commands: list[Command], replies: list[Any],
                 cause: bool = False) -> list[Any]:
    """EXEC's replies with queuing errors in their slots, before callbacks (redis-py's rules)."""
    errors: list[tuple[int, Any]] = []
    if isinstance(replies[0], ResponseError):
        errors.append((0, replies[0]))
    queued = iter(replies[1:-1])
    for index, (args, options) in enumerate(commands):
        if EMPTY_RESPONSE in options:
            errors.append((index, options[EMPTY_RESPONSE]))
            continue
        reply = next(queued)
        if isinstance(reply, ResponseError):
            pipe.annotate_exception(reply, index + 1, args)
            errors.append((index, reply))
        elif isinstance(reply, Exception):
            raise reply
    response = replies[-1]
    if isinstance(response, Exception):
        if isinstance(response, ExecAbortError) and errors:
            raise_queuing_error(errors[0][1], response, cause)
        raise response
    pipe.watching = False
    if response is None:
        raise WatchError("Watched variable changed.")
    for index, error in errors:
        response.insert(index, error)
    if len(response) != len(commands):
        link._close_session()
        raise ResponseError("Wrong number of response items from pipeline execution")
    return response


def transaction_callback(pipe: Any, command: Command, reply: Any) -> Any:
    """A transaction reply through its response callback, as redis-py applies it after EXEC."""
    if isinstance(reply, Exception):
        return reply
    args, options = command
    options.pop("keys", None)
    callback = pipe.response_callbacks.get(args[0])
    return reply if callback is None else callback(reply, **options)


def lost_connection(pipe: Any, error: Exception) -> WatchError | None:
    """After a lost connection: the WatchError redis-py raises when a watch was active."""
    if pipe.watching:
        return WatchError(f"A {type(error).__name__} occurred while watching one or more keys")
    return None


class FakePipeline(redis.client.Pipeline):
    """redis-py's Pipeline whose batches and immediate commands run on the engine directly.

    Connections come from (and go back to) the client's idle list, as for single commands.
    A lost connection is not retried: the fake's only causes (``server.connected = False``,
    CLIENT KILL) would fail again, so the error is raised at once (WatchError when watching).
    """

    def __init__(self, idle: list[Any], *args: Any) -> None:
        self._idle = idle
        super().__init__(*args)

    def _connection(self) -> Any:
        """The pipeline's connection, borrowed on first use."""
        conn = self.connection
        if conn is None:
            idle = self._idle
            conn = self.connection = idle.pop() if idle else self.connection_pool.get_connection()
        return conn

    def execute_command(self, *args: Any, **options: Any) -> Any:
        """Queue a command, or run it now while watching before MULTI (redis-py's rule), in one
        call instead of two."""
        if (self.watching or args[0] == "WATCH") and not self.explicit_transaction:
            return self.immediate_execute_command(*args, **options)
        self.command_stack.append((args, options))
        return self

    def immediate_execute_command(self, *args: Any, **options: Any) -> Any:
        """Run one command now (WATCH, and reads between WATCH and MULTI)."""
        conn = self._connection()
        try:
            response = conn.run(args, NEVER_DECODE in options)
        except ResponseError:
            if EMPTY_RESPONSE in options:
                return options[EMPTY_RESPONSE]
            raise
        except ConnectionError as error:
            conn.disconnect()
            watch_error = lost_connection(self, error)
            if watch_error is not None:
                self.reset()
                raise watch_error from error
            raise
        return pipelined_response(self, (args, options), response)

    def execute(self, raise_on_error: bool = True) -> list[Any]:
        """Run the queued commands (in MULTI/EXEC for a transaction); their replies."""
        stack = self.command_stack
        if not stack and not self.watching:
            return []
        if self.scripts:
            self.load_scripts()
        transaction = self.transaction or self.explicit_transaction
        run = self._execute_transaction if transaction else self._execute_pipeline
        conn = self._connection()
        try:
            return run(conn, stack, raise_on_error)
        except ConnectionError as error:
            conn.disconnect()
            watch_error = lost_connection(self, error)
            if watch_error is not None:
                raise watch_error from error
            raise
        finally:
            self.reset()

    def reset(self) -> None:
        """Forget queued commands, UNWATCH if watching, and give the connection back."""
        self.command_stack = []
        self.scripts = set()
        conn = self.connection
        if self.watching and conn is not None:
            try:
                conn.run(("UNWATCH",))
            except ConnectionError:
                conn.disconnect()
        self.watching = False
        self.explicit_transaction = False
        if conn is not None:
            self.connection = None
            self._idle.append(conn)

    def _run(self, connection: EngineLink, commands: list[Command]) -> list[Any]:
        """Each command's converted reply, waiting (this thread) for a blocked one."""
        if connection.session is None:
            connection.connect()
        replies: list[Any] = []
        waiter = connection.run_queued(commands, replies)
        while waiter is not None:
            options = commands[len(replies)][1]
            reply = connection.wait_blocked(waiter)
            replies.append(connection.convert_reply(reply, NEVER_DECODE in options))
            waiter = connection.run_queued(commands, replies)
        check_complete(commands, replies)
        return replies

    def _execute_pipeline(self, connection: Any, commands: Any, raise_on_error: bool) -> list[Any]:
        """Run the batch; replies through redis-py's per-command parsing rules."""
        commands = list(commands)
        replies = self._run(connection, commands)
        responses, failed = pipelined_responses(self, commands, replies)
        if raise_on_error and failed:
            self.raise_first_error(commands, responses)
        return responses

    def _execute_transaction(self, connection: Any, commands: Any,
                             raise_on_error: bool) -> list[Any]:
        """MULTI, the commands and EXEC in one batch; EXEC's replies as redis-py returns them."""
        commands = list(commands)
        replies = self._run(connection, transaction_commands(commands))
        response = exec_replies(self, connection, commands, replies)
        if raise_on_error:
            self.raise_first_error(commands, response)
        return [transaction_callback(self, command, reply)
                for command, reply in zip(commands, response)]
