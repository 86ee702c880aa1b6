"""A redis-py connection that talks to a FakeServer directly: argv in, parsed replies out, no RESP.

Everything redis-py-specific that is not a public API lives in this module, so a new redis-py
release breaks one place. Replies are converted exactly as redis-py's own RESP2/RESP3 parsers
would have produced them, and error replies become the exception classes its parser picks.
"""

from __future__ import annotations

import codecs
import functools
import os
import threading
from collections import deque
from typing import Any, Callable

import redis
from redis.client import CaseInsensitiveDict
from redis.connection import Connection
from redis.exceptions import ConnectionError, DataError, TimeoutError

from fakeredis.errors import ReplyError
from fakeredis.replies import (
    NO_REPLY, OK, BigNumber, NullArray, Push, SetReply, Status, Verbatim, format_double,
)
from fakeredis.server import FakeServer, ReadTimeout, Waiter

_dict_get = dict.get
REDIS_PY_MAJOR = int(redis.__version__.split(".")[0])
_CLOSED = "Connection closed by server."
_NAME_CACHE_SIZE = 512
# redis-py's command options that steer reply parsing (not callback arguments)
EMPTY_RESPONSE = "EMPTY_RESPONSE"
NEVER_DECODE = "NEVER_DECODE"
_NOT_CONNECTED = "fakeredis: the server is not connected (server.connected is False)"


class _NoSocket:
    """Stands where redis-py keeps its socket, so its 'am I connected' checks work."""

    def shutdown(self, *_args: Any) -> None:
        """Nothing to shut down."""

    def close(self) -> None:
        """Nothing to close."""


_NO_SOCKET = _NoSocket()


def encode_argument(value: Any, encoding: str, errors: str) -> bytes:
    """One command argument to bytes, with redis-py's rules and its DataError for bad types."""
    kind = type(value)
    if kind is bytes:
        return value
    if kind is str:
        return value.encode(encoding, errors)
    if kind is int or kind is float:
        return repr(value).encode()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise DataError(
            f"Invalid input of type: '{type(value).__name__}'. "
            "Convert to a bytes, string, int or float first.")
    if isinstance(value, str):  # a str subclass (str enums ...) encodes its own characters
        return value.encode(encoding, errors)
    return repr(value).encode()


def make_argv_encoder(encoding: str, errors: str) -> Callable[[Any], list[bytes]]:
    """The argv encoder for one encoding: arguments to bytes, as redis-py packs them.

    Command names are encoded once and cached (a first argument like "CONFIG GET" splits in
    two, as redis-py packs it); the cache stops growing at a bound, so stray names cannot
    fill memory.
    """
    names: dict[Any, list[bytes]] = {}
    encode_str = str.encode if codecs.lookup(encoding).name == "utf-8" and errors == "strict" \
        else functools.partial(str.encode, encoding=encoding, errors=errors)

    def encode_name(name: Any) -> list[bytes]:
        """The argv head for a command name (cached); a fresh list the caller may extend."""
        encoded = encode_argument(name, encoding, errors)
        head = encoded.split() if b" " in encoded else [encoded]
        if len(names) < _NAME_CACHE_SIZE and type(name) in (str, bytes):
            names[name] = head
        return head.copy()

    def encode_argv(args: Any) -> list[bytes]:
        try:  # only str and bytes names are cached, so another type never matches one
            argv = names[args[0]].copy()
        except (KeyError, TypeError):
            argv = encode_name(args[0])
        append = argv.append
        for arg in args[1:]:  # a plain loop: cheaper than a comprehension for a few arguments
            kind = type(arg)
            append(arg if kind is bytes else encode_str(arg) if kind is str
                   else b"%d" % arg if kind is int else encode_argument(arg, encoding, errors))
        return argv

    return encode_argv


def without_socket_options(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Pool kwargs minus what only unix-socket or TLS connections take (a fake has neither)."""
    return {k: v for k, v in kwargs.items() if k != "path" and not k.startswith("ssl")}


def apply_callback(callbacks: Any, name: Any, response: Any, options: dict[str, Any]) -> Any:
    """redis-py's response callback for ``name``, minus the options meant for parsing only."""
    if options:
        options.pop(EMPTY_RESPONSE, None)
        options.pop(NEVER_DECODE, None)
        options.pop("keys", None)
    callback = callback_for(callbacks, name)
    return response if callback is None else callback(response, **options)


def callback_for(callbacks: Any, name: Any) -> Any:
    """redis-py's callback for ``name``: its CaseInsensitiveDict read without a Python-level get."""
    if type(callbacks) is CaseInsensitiveDict and type(name) is str:
        return _dict_get(callbacks, name.upper())
    return callbacks.get(name)


def take_pushes(session: Any, replies: deque[Any]) -> None:
    """Move the messages pushed to ``session`` so far onto its reply stream, in order."""
    pushes = session.pushes
    while pushes:
        replies.append(pushes.popleft())


class ReplyConverter:
    """Turns neutral replies into what redis-py's parser returns for one protocol and encoding.

    ``convert(reply, decode)`` is a closure over the settings (faster than attribute lookups on
    every nested item); error replies become exception instances, as redis-py's parser returns them.
    """

    __slots__ = ("resp3", "encoding", "errors", "parse_error", "decode", "convert")

    def __init__(self, resp3: bool, encoding: str, errors: str, decode: bool,
                 parse_error: Callable[[str], Exception]) -> None:
        self.resp3 = resp3
        self.encoding = encoding
        self.errors = errors
        self.decode = decode
        self.parse_error = parse_error
        self.convert = _make_convert(resp3, encoding, errors, parse_error)


def _make_convert(resp3: bool, encoding: str, errors: str,
                  parse_error: Callable[[str], Exception]) -> Callable[[Any, bool], Any]:
    """The conversion function for one protocol and encoding."""
    plain = (int, float) if resp3 else (int,)  # items that convert to themselves

    def double(value: float, decode: bool) -> Any:
        """A RESP2 double: a bulk string."""
        text = format_double(value)
        return text.decode() if decode else text

    def convert(reply: Any, decode: bool) -> Any:
        kind = type(reply)
        if kind is bytes or kind is Status or kind is Verbatim:
            if kind is not bytes:
                reply = bytes(reply)
            return reply.decode(encoding, errors) if decode else reply
        if kind is int or reply is None:
            return reply
        if kind is list or kind is SetReply or kind is Push:
            if reply and type(reply[0]) is list:  # pairs inline: RESP3 WITHSCORES [member, score]
                return [[(item[0].decode(encoding, errors) if decode else item[0])
                         if type(item[0]) is bytes else convert(item[0], decode),
                         item[1] if type(item[1]) in plain else convert(item[1], decode)]
                        if type(item) is list and len(item) == 2
                        else convert(item, decode)
                        for item in reply]
            return [(item.decode(encoding, errors) if decode else item) if type(item) is bytes
                    else item if type(item) in plain
                    else (format_double(item).decode() if decode else format_double(item))
                    if type(item) is float  # RESP2 WITHSCORES
                    else convert(item, decode)
                    for item in reply]
        if kind is dict:
            if resp3:
                return {convert(k, decode): convert(v, decode) for k, v in reply.items()}
            return [convert(part, decode) for pair in reply.items() for part in pair]
        if kind is float:
            return reply if resp3 else double(reply, decode)
        if kind is bool:
            return reply if resp3 else int(reply)
        if kind is NullArray:
            return None
        if kind is ReplyError:  # as redis-py decodes an error line: UTF-8, bad bytes replaced
            text = reply.text
            if not text.isascii():
                text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            return parse_error(text)
        if kind is BigNumber:
            if resp3:
                return int(reply)
            text = str(int(reply)).encode()
            return text.decode() if decode else text
        raise TypeError(f"fakeredis: no conversion for reply {reply!r}")

    return convert


class EngineLink:
    """What the sync and asyncio fake connections share: a session and the reply conversion.

    Engine calls are synchronous and cheap, so both flavours run them inline; only waiting (blocked
    commands, pushed messages) differs between threads and event loops.
    """

    server: FakeServer
    session: Any
    encoder: Any

    def _init_link(self, server: FakeServer | None) -> None:
        self.server = server if server is not None else FakeServer()
        self.session = None
        self._replies: deque[Any] = deque()
        self._converter: ReplyConverter | None = None
        self._encode = make_argv_encoder(self.encoder.encoding, self.encoder.encoding_errors)

    def repr_pieces(self) -> list[tuple[str, Any]]:
        pieces = [("server", f"FakeServer<{id(self.server):#x}>"), ("db", self.db)]
        if self.client_name:
            pieces.append(("client_name", self.client_name))
        return pieces

    def _host_error(self) -> str:
        return "fakeredis"

    def _open_session(self) -> None:
        """Register with the server and run redis-py's handshake (AUTH/HELLO/SETNAME/SELECT)."""
        if not self.server.connected:
            raise ConnectionError(_NOT_CONNECTED)
        self.session = self.server.new_session(addr=f"127.0.0.1:{40000 + id(self) % 20000}")
        self.session.on_close.append(self._closed_by_server)
        self._converter = None
        try:
            for argv in self._handshake_commands():
                reply = self.run(argv)
                if argv[0] == "HELLO":
                    self.handshake_metadata = reply
        except BaseException:
            self._close_session()
            raise

    def _handshake_commands(self) -> list[list[Any]]:
        """The commands redis-py's on_connect would send for this connection's settings."""
        commands: list[list[Any]] = []
        credentials = None
        provider = getattr(self, "credential_provider", None)
        if provider is not None:
            credentials = list(provider.get_credentials())
        elif self.username or self.password:
            credentials = [self.username or "default", self.password]
        if credentials and len(credentials) == 1:
            credentials = ["default", credentials[0]]
        if int(self.protocol or 2) == 3:
            commands.append(["HELLO", 3, "AUTH", *credentials] if credentials else ["HELLO", 3])
        elif credentials:
            commands.append(["AUTH", *credentials])
        if self.client_name:
            commands.append(["CLIENT", "SETNAME", self.client_name])
        if self.server.version >= (7, 2):
            lib_name, lib_ver = self._library_identity()
            if lib_name:
                commands.append(["CLIENT", "SETINFO", "LIB-NAME", lib_name])
            if lib_ver:
                commands.append(["CLIENT", "SETINFO", "LIB-VER", lib_ver])
        if self.db:
            commands.append(["SELECT", self.db])
        return commands

    def _library_identity(self) -> tuple[str | None, str | None]:
        """The LIB-NAME / LIB-VER redis-py would send with CLIENT SETINFO."""
        info = getattr(self, "driver_info", None)
        if info is not None:
            return getattr(info, "formatted_name", None), getattr(info, "lib_version", None)
        return getattr(self, "lib_name", None), getattr(self, "lib_version", None)

    def _live_connect_callbacks(self) -> list[Any]:
        callbacks = [ref() for ref in self._connect_callbacks]
        self._connect_callbacks = [ref for ref, cb in zip(self._connect_callbacks, callbacks) if cb]
        return [cb for cb in callbacks if cb]

    def _closed_by_server(self) -> None:
        """CLIENT KILL closed the session: the next command reconnects, as redis-py's pool does."""
        self.session = None
        self._sock = None

    def _close_session(self, keep_replies: bool = False) -> None:
        """Forget the session: the server drops its watches and subscriptions.

        ``keep_replies`` keeps what was already answered readable (QUIT's OK, say).
        """
        session = getattr(self, "session", None)
        self.session = None
        self._sock = None
        replies = getattr(self, "_replies", None)
        if replies and not keep_replies:
            replies.clear()
        if session is not None and getattr(self, "pid", os.getpid()) == os.getpid():
            session.close()

    # --- commands --------------------------------------------------------------------------------
    def pack_command(self, *args: Any) -> list[list[bytes]]:
        """No RESP: a 'packed' command is its argv as bytes (a bad argument raises DataError)."""
        return [self._encode(args)]

    def pack_commands(self, commands: Any) -> list[list[bytes]]:
        """Each command's argv as bytes; a bad argument raises before any command is sent."""
        encode = self._encode
        return [encode(cmd) for cmd in commands]

    def run_nowait(self, args: Any) -> Any:
        """Run one command on the engine: its neutral reply, or a Waiter for a blocked command."""
        if not self.server.connected:
            self._close_session()
            raise ConnectionError(_NOT_CONNECTED)
        session = self.session
        reply = self.server.execute_nowait(session, self._encode(args))
        if session.killed:
            self._close_session(keep_replies=True)
        return reply

    def _queue_replies(self, commands: list[Any], start: int = 0) -> int:
        """Run pipelined argvs from ``start`` on, keeping their replies (Waiters included) for reading.

        Returns where it stopped: ``len(commands)``, or the index after a command that blocked
        while more follow (the caller waits for it first, as a server reads no further).
        Commands that answer through pushes (SUBSCRIBE) queue nothing: their confirmations are
        read from the pushes, in order, like messages.
        """
        replies = self._replies
        run_nowait = self.run_nowait
        for index in range(start, len(commands)):
            session = self.session
            if session is None:  # QUIT or CLIENT KILL earlier in this batch: no more replies
                break
            if session.pushes:  # what the server sent before this command answers
                take_pushes(session, replies)
            reply = run_nowait(commands[index])
            if session.pushes and self.session is not None \
                    and self.server.pushes_precede_reply(session):
                take_pushes(session, replies)
            if reply is not NO_REPLY:
                replies.append(reply)
            if type(reply) is Waiter and index + 1 < len(commands):
                return index + 1
        return len(commands)

    def run_queued(self, commands: list[tuple[Any, dict[str, Any]]], replies: list[Any]) -> Any:
        """Run queued ``(args, options)`` from ``len(replies)`` on, appending converted replies.

        Every argv is encoded first (a bad argument fails the batch before anything runs, as
        redis-py packs a whole pipeline before sending it). Error replies are appended as
        exception instances. Returns the Waiter of a command that blocked (the caller waits,
        appends its :meth:`convert_reply`, and calls again), else None; stops early when the
        session ends (QUIT, CLIENT KILL).
        """
        start = len(replies)
        encode = self._encode
        argvs = [encode(args) for args, _ in commands[start:]]
        server = self.server
        neutral: list[Any] = []
        while len(neutral) < len(argvs):
            session = self.session
            if session is None:
                return None
            if not server.connected:
                self._close_session()
                raise ConnectionError(_NOT_CONNECTED)
            done = len(neutral)
            server.execute_batch(session, argvs, neutral)
            if session.killed:
                self._close_session(keep_replies=True)
            waiter = self._convert_batch(commands, neutral, done, replies, session)
            if waiter is not None:
                return waiter
        return None

    def _convert_batch(self, commands: list[tuple[Any, dict[str, Any]]], neutral: list[Any],
                       done: int, replies: list[Any], session: Any) -> Any:
        """Convert ``neutral[done:]`` onto ``replies``; a trailing Waiter is returned instead."""
        conv = self.converter
        append = replies.append
        convert = conv.convert
        decode = conv.decode
        for index in range(done, len(neutral)):
            reply = neutral[index]
            kind = type(reply)
            if kind is int:
                append(reply)
                continue
            if reply is OK:  # the commonest reply in a batch, converted without a call
                append(b"OK" if not decode or NEVER_DECODE in commands[len(replies)][1] else "OK")
                continue
            if kind is Waiter:
                return reply
            if reply is NO_REPLY:
                if session.killed or not session.pushes:  # SHUTDOWN: closed without a reply
                    raise ConnectionError(_CLOSED)
                reply = session.pushes.popleft()
            append(convert(reply, decode and NEVER_DECODE not in commands[len(replies)][1]))
        return None

    @property
    def converter(self) -> ReplyConverter:
        """The converter for the session's current protocol (HELLO may switch it)."""
        conv = self._converter
        resp3 = self.session is not None and self.session.protocol == 3
        if conv is None or conv.resp3 != resp3:
            conv = self._converter = ReplyConverter(
                resp3, self.encoder.encoding, self.encoder.encoding_errors,
                bool(self.encoder.decode_responses), self._parser.parse_error)
        return conv

    def convert_reply(self, reply: Any, disable_decoding: bool = False) -> Any:
        """A neutral reply as redis-py's parser returns it (an error as an exception instance)."""
        kind = type(reply)
        if kind is int:  # the commonest replies are converted directly, as in run()
            return reply
        if (kind is bytes or kind is Status) and self.session is not None:
            conv = self._converter
            if conv is not None and conv.resp3 == (self.session.protocol == 3):
                if kind is Status:
                    reply = bytes(reply)
                return reply.decode(conv.encoding, conv.errors) \
                    if conv.decode and not disable_decoding else reply
        conv = self.converter
        return conv.convert(reply, conv.decode and not disable_decoding)

    def finish_reply(self, reply: Any, disable_decoding: bool = False) -> Any:
        """Convert a neutral reply; raise it if it is an error."""
        result = self.convert_reply(reply, disable_decoding)
        if isinstance(result, Exception):
            raise result
        return result

    def run(self, args: Any, disable_decoding: bool = False, wait: bool = True) -> Any:
        """Execute one command (blocking the thread if it blocks); its converted reply.

        The hot path of every in-process call: encoding, the engine call and the commonest
        conversions are inlined here. With ``wait=False`` a blocked command's Waiter is returned
        instead (the asyncio client awaits it; finish with :meth:`finish_reply`).
        """
        session = self.session
        server = self.server
        if session is None or not server.connected:
            if session is None:
                self.connect_sync()
                session = self.session
            reply = self.run_nowait(args)
        else:
            reply = server.execute_nowait(session, self._encode(args))
            if session.killed:
                self._close_session(keep_replies=True)
        kind = type(reply)
        if kind is int:
            return reply
        if kind is bytes or kind is Status:
            conv = self._converter
            if conv is not None and conv.resp3 == (session.protocol == 3):
                if kind is Status:
                    reply = bytes(reply)
                return reply.decode(conv.encoding, conv.errors) \
                    if conv.decode and not disable_decoding else reply
        elif kind is list:  # arrays never convert to an error (errors inside stay instances)
            conv = self._converter
            if conv is not None and conv.resp3 == (session.protocol == 3):
                return conv.convert(reply, conv.decode and not disable_decoding)
        elif kind is Waiter:
            if not wait:
                return reply
            reply = self.wait_blocked(reply)
        elif reply is NO_REPLY:  # what a socket client would read first: the first confirmation
            if session.killed or not session.pushes:  # SHUTDOWN: closed without a reply
                raise ConnectionError(_CLOSED)
            reply = session.pushes.popleft()
        return self.finish_reply(reply, disable_decoding)

    def read_timed_out(self) -> TimeoutError:
        """redis-py's error when a blocked command outlived socket_timeout; it disconnects."""
        self._close_session()
        return TimeoutError(f"Timeout reading from {self._host_error()}")

    def wait_blocked(self, waiter: Waiter) -> Any:
        """A blocked command's neutral reply, waiting this thread at most socket_timeout."""
        try:
            reply = waiter.wait(limit=self.socket_timeout)
        except ReadTimeout:
            raise self.read_timed_out() from None
        return self.check_not_killed(reply)

    def check_not_killed(self, reply: Any) -> Any:
        """A blocked command's reply, unless CLIENT KILL closed the connection meanwhile."""
        if reply is NO_REPLY:
            self._close_session()
            raise ConnectionError(_CLOSED)
        return reply

    def connect_sync(self) -> None:
        """Open the session if needed (no connect callbacks: for the in-process fast path)."""
        if self.session is None:
            self._open_session()
            self._sock = _NO_SOCKET

    def _pop_pending(self) -> Any:
        """The next queued reply or pushed message, or _NOTHING."""
        if self._replies:
            return self._replies.popleft()
        if self.session is not None and self.session.pushes:
            return self.session.pushes.popleft()
        return _NOTHING


_NOTHING = object()


class FakeConnection(EngineLink, Connection):
    """A redis-py ``Connection`` whose peer is a :class:`FakeServer` in this process."""

    def __init__(self, *args: Any, server: FakeServer | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **without_socket_options(kwargs))
        self._init_link(server)

    def _connect(self) -> _NoSocket:
        return _NO_SOCKET

    def connect(self) -> None:
        """Open a session on the server, handshake, then run redis-py's connect callbacks."""
        if self.session is not None:
            return
        self._open_session()
        self._sock = _NO_SOCKET
        for callback in self._live_connect_callbacks():
            callback(self)

    connect_check_health = connect  # redis-py 6+ internal name

    def on_connect(self) -> None:
        """The handshake already ran in :meth:`connect`."""

    def disconnect(self, *args: Any, **kwargs: Any) -> None:
        """Close the session: the server forgets this client's watches and subscriptions."""
        self._close_session()

    def check_health(self) -> None:
        """A fake server is always healthy while connected."""

    def send_command(self, *args: Any, **kwargs: Any) -> None:
        self.send_packed_command([args])

    def send_packed_command(self, command: Any, check_health: bool = True) -> None:
        """Run each argv now and keep the replies for :meth:`read_response`."""
        if self.session is None:
            self.connect()
        commands = list(command)
        done = self._queue_replies(commands)
        while done < len(commands):
            self._replies[-1] = self.wait_blocked(self._replies[-1])
            done = self._queue_replies(commands, done)

    def can_read(self, timeout: float | None = 0) -> bool:
        """True when a reply or a pushed message is waiting (waits up to ``timeout``)."""
        if self.session is None:
            self.connect()
        if self._replies or self.session.pushes:
            return True
        return bool(timeout) and self._wait_for_push(timeout)

    def _wait_for_push(self, timeout: float | None) -> bool:
        """Wait for the server to push a message to this client (pub/sub)."""
        event = threading.Event()
        session = self.session
        with self.server.lock:
            if session.pushes:
                return True
            session.push_listener = event.set
        try:
            return event.wait(timeout)
        finally:
            session.push_listener = None

    def read_response(self, disable_decoding: bool = False, *args: Any, timeout: Any = None,
                      disconnect_on_error: bool = True, push_request: bool = False,
                      **kwargs: Any) -> Any:
        """The next reply, as redis-py's parser would return it; error replies raise."""
        replies = self._replies
        reply = replies.popleft() if replies else self._next_push(timeout, push_request)
        if type(reply) is Waiter:
            reply = self.wait_blocked(reply)
        if type(reply) is Push and reply[0] == b"invalidate":
            return self._invalidated(reply, disable_decoding)
        return self.finish_reply(reply, disable_decoding)

    def _invalidated(self, push: Push, disable_decoding: bool) -> Any:
        """A client-side caching invalidation, given to the parser's handler as redis-py's RESP3
        parser does (its client-side cache sets one); None without a handler."""
        message = self.convert_reply(push, disable_decoding)
        handle = getattr(self._parser, "handle_push_response", None)
        return handle(message) if handle is not None else message

    def _next_push(self, timeout: Any, push_request: bool) -> Any:
        """No reply is queued: the next pushed message, waited for when asked; else raise."""
        reply = self._pop_pending()
        if reply is _NOTHING and self.session is None:
            raise ConnectionError(_CLOSED)
        if reply is _NOTHING and (timeout is not None or push_request
                                  or self.session in self.server.monitors) \
                and self._wait_for_push(timeout):  # a MONITOR client waits for the next line
            reply = self._pop_pending()
        if reply is _NOTHING:
            if timeout is not None:
                raise TimeoutError("Timeout reading from fakeredis")
            raise ConnectionError("fakeredis: read_response() with no pending reply")
        return reply
