"""FakeServer: the databases, the one lock, the command dispatcher, expiry and blocked clients.

Every entry point (redis-py connection, asyncio, TCP server, Lua) calls :meth:`FakeServer.execute`
with a :class:`~fakeredis.session.Session` and an argv list of bytes, and gets a neutral reply value
(see :mod:`fakeredis.replies`). The engine imports neither redis-py nor sockets.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
import weakref
from collections import deque
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterable, NamedTuple

from fakeredis import errors, registry
from fakeredis.acl import Acl
from fakeredis.clock import Clock
from fakeredis.commands.pubsub import PubSubState, notify
from fakeredis.config import Config
from fakeredis.errors import ReplyError
from fakeredis.keyspace import Database
from fakeredis.replies import QUEUED
from fakeredis.session import Session
from fakeredis.tracking import Tracking

log = logging.getLogger("fakeredis")

DEFAULT_VERSION = (7, 0, 15)

# How long execute() waits for the lock before checking whether a script is busy (seconds).
_BUSY_POLL = 0.01
# allow_busy commands that run without the lock while a script is busy: they touch only the
# client's own state or a flag (the others wait for the script to end).
_LOCK_FREE = frozenset(("script|kill", "function|kill", "function|stats", "hello", "auth",
                        "multi", "quit"))

# Commands that run, rather than queue, inside MULTI.
_MULTI_IMMEDIATE = frozenset(("exec", "discard", "multi", "watch", "quit", "reset"))
# commands MONITOR does not show after they ran (scripts are shown before they run)
_MONITOR_SKIPS = frozenset(("admin", "skip_monitor"))
# commands a MONITOR client may not run (it counts as a replica connection)
_KEYSPACE_FLAGS = frozenset(("write", "readonly", "may_replicate"))
# What a RESP2 client in subscribed mode may still call.
_SUBSCRIBED_ALLOWED = frozenset(
    (b"subscribe", b"psubscribe", b"ssubscribe", b"unsubscribe", b"punsubscribe",
     b"sunsubscribe", b"ping", b"quit", b"reset")
)


# A version given as a major alone (6, "6", (6,)) means the newest release of it the fake models.
_NEWEST_OF_MAJOR = {5: (5, 0, 7), 6: (6, 2, 14), 7: DEFAULT_VERSION}


def _version_tuple(version: Any) -> tuple[int, ...]:
    """``(major, minor, patch)`` from a tuple, a ``"7.0.15"`` string or a bare major."""
    if isinstance(version, int):
        version = (version,)
    elif isinstance(version, str):
        version = version.split(".")
    version = tuple(int(p) for p in version)
    if len(version) == 1 and version[0] in _NEWEST_OF_MAJOR:
        return _NEWEST_OF_MAJOR[version[0]]
    return version + (0,) * (3 - len(version))


def _text(value: Any) -> str:
    """A config name or value given as bytes, str or a number, as text."""
    return value.decode() if isinstance(value, bytes) else str(value)


def check_server_type(server_type: str) -> None:
    """Only Redis is simulated (PyPI fakeredis also takes "valkey", "dragonfly" ...)."""
    if server_type != "redis":
        raise ValueError(f"fakeredis simulates Redis only, not server_type={server_type!r}")


class Call(NamedTuple):
    """One recorded command: lower-case name, arguments, db index and client name."""

    command: str
    args: tuple[bytes, ...]
    db: int
    client_name: bytes


@dataclass
class Fault:
    """An injected failure or delay for the next ``times`` calls of ``command``."""

    command: bytes
    error: str | None
    latency: float
    times: int


class ReadTimeout(Exception):
    """A blocked client's own read timeout (redis-py's socket_timeout) ran out before a reply."""


class Waiter:
    """A client blocked on keys (BLPOP ...). Served FIFO per key by the server, under its lock."""

    __slots__ = ("server", "session", "keys", "attempt", "timeout_reply", "deadline", "result",
                 "done", "cond", "listeners", "connected")

    def __init__(self, server: "FakeServer", session: Session, keys: list[bytes],
                 attempt: Callable[[], Any], timeout_reply: Any, timeout: float) -> None:
        self.server = server
        self.session = session
        self.keys = keys
        self.attempt = attempt
        self.timeout_reply = timeout_reply
        self.deadline = server.clock.now() + timeout if timeout else None
        self.result: Any = None
        self.done = False
        self.cond = threading.Condition(server.lock)
        # extra callbacks run when the waiter is finished (asyncio adapters)
        self.listeners: list[Callable[[], None]] = []
        # the TCP adapter's "is the peer still there" check, asked before serving
        self.connected: Callable[[], bool] | None = None

    def finish(self, result: Any) -> None:
        """Complete the wait with ``result``; called under the server lock."""
        self.result = result
        self.done = True
        self.session.blocked = False
        self.server.forget_waiter(self)
        self.cond.notify_all()
        for listener in self.listeners:
            listener()

    def wait(self, connected: Callable[[], bool] | None = None, limit: float | None = None) -> Any:
        """Block the calling thread until served, unblocked or timed out; return the reply.

        ``connected`` (TCP) is polled while waiting: once the client has hung up, the wait ends
        so that nothing is served to it any more. An interrupted wait (KeyboardInterrupt ...) ends
        the same way, and so does a client that stops reading after ``limit`` seconds of real
        time (its socket timeout): that raises :class:`ReadTimeout`.
        """
        give_up = None if limit is None else time.monotonic() + limit
        with self.cond:
            self.connected = connected
            try:
                while not self.done:
                    if give_up is not None and time.monotonic() >= give_up:
                        raise ReadTimeout()
                    self._wait_a_while(connected, give_up)
            except BaseException:
                if not self.done:
                    self.finish(self.timeout_reply)
                raise
            return self.result

    def _wait_a_while(self, connected: Callable[[], bool] | None, give_up: float | None) -> None:
        """Wait on the condition at most until the deadline, the give-up time or the next poll.
        Under the lock."""
        remaining = None
        if self.deadline is not None:
            remaining = self.deadline - self.server.clock.now()
            if remaining <= 0:
                self.finish(self.timeout_reply)
                return
        if give_up is not None:
            left = give_up - time.monotonic()
            remaining = left if remaining is None else min(remaining, left)
        if connected is not None:
            if not connected():
                self.finish(self.timeout_reply)
                return
            remaining = 0.1 if remaining is None else remaining
        self.cond.wait(remaining if remaining is None else max(0.0, min(remaining, 0.1)))

    def hung_up(self) -> bool:
        """Finish with the timeout reply when the client's connection is gone; True if it is.
        Under the lock (asked before serving, so nothing is handed to a closed connection)."""
        if self.connected is not None and not self.connected():
            self.finish(self.timeout_reply)
            return True
        return False

    def time_out_if_due(self) -> bool:
        """Finish with the timeout reply when the deadline passed; True if it did. Under lock."""
        if not self.done and self.deadline is not None and self.server.clock.now() >= self.deadline:
            self.finish(self.timeout_reply)
            return True
        return False


class FakeServer:
    """A simulated Redis server: share one between clients to share data."""

    def __init__(self, version: Any = DEFAULT_VERSION, databases: int = 16,
                 config: dict[str | bytes, Any] | None = None, server_type: str = "redis") -> None:
        check_server_type(server_type)
        self.version = _version_tuple(version)
        self.lock = threading.RLock()
        self.clock = Clock()
        self.config = Config(databases=databases)
        self.notify_flags = ""
        self.config.listeners["notify-keyspace-events"] = self._set_notify_flags
        for name, value in (config or {}).items():  # like a config file: immutable ones too
            self.config.set(_text(name), _text(value).encode(), startup=True)
        self.dbs = [Database(self, i) for i in range(databases)]
        self.commands = self._build_table(self.version)
        self.acl = Acl(self)
        self.port = 0
        self.connected = True
        self.commands_processed = 0
        self.stats: dict[str, int] = {"total_connections_received": 0}
        self.start_time = self.clock.now()
        self.lastsave = int(self.start_time)
        self._client_ids = itertools.count(1)
        self.clients: "weakref.WeakValueDictionary[int, Session]" = weakref.WeakValueDictionary()
        # active expiry: (deadline ms, db index, key), verified against db.expires when popped
        self._expiry_heap: list[tuple[int, int, bytes]] = []
        # blocked clients: (db index, key) -> FIFO of waiters; keys touched since the last serve
        self._waiters: dict[tuple[int, bytes], deque[Waiter]] = {}
        self._ready: list[tuple[Database, bytes]] = []
        # the key serve_blocked is serving: a waiter is served from the key that became ready
        self.serving_key: bytes | None = None
        self.pubsub = PubSubState()
        # SCAN/SSCAN/HSCAN/ZSCAN snapshots: (db index, key or None) -> ScanSnapshots
        self.scans: dict[tuple[int, bytes | None], Any] = {}
        # call log (None when off), injected faults and MONITOR clients (fed by _observe through
        # the feed MONITOR registers); _observed is True when any is active, else dispatch pays
        # one attribute check for all three
        self.calls: list[Call] | None = None
        self._faults: list[Fault] = []
        self.monitors: list[Session] = []
        self._monitor_feed: Callable[[FakeServer, Session, list[bytes]], None] | None = None
        self._observed = False
        # REPLICAOF host port (recorded, nothing is replicated); None for a master
        self.replica_of: tuple[bytes, int] | None = None
        # DEBUG SET-ACTIVE-EXPIRE 0 leaves expired keys until they are accessed
        self.active_expire = True
        # the Lua engine (created on first use) and the script it is running, for BUSY
        self.scripting: Any = None
        self.running_script: Any = None
        # client-side caching; tracking_live: some client tracks or read keys are remembered
        # (writes check it in Database.signal_modified)
        self.tracking = Tracking(self)
        self.tracking_live = False

    # --- command table ---------------------------------------------------------------------------
    @staticmethod
    def _build_table(version: tuple[int, ...]) -> dict[bytes, registry.Command]:
        """Name -> command for every command this version knows (as it had them), both cases."""
        table: dict[bytes, registry.Command] = {}
        for name, cmd in registry.load_all().items():
            if cmd.since <= version:
                cmd = registry.as_of(cmd, version)
                table[name.encode()] = cmd
                table[name.upper().encode()] = cmd
        return table

    def lookup_command(self, name: bytes) -> registry.Command | None:
        """The command called ``name`` (any case) in this server's version, or None."""
        cmd = self.commands.get(name)
        if cmd is None:
            cmd = self.commands.get(name.lower())
        return cmd

    def command_table(self) -> dict[str, registry.Command]:
        """Commands of this server's version by lower-case name."""
        return {c.name: c for c in self.commands.values()}

    def subcommand_known(self, sub: registry.Command) -> bool:
        """True when a subcommand exists in this server's version."""
        return sub.since <= self.version

    # --- clients ---------------------------------------------------------------------------------
    def next_client_id(self) -> int:
        """A fresh client id (CLIENT ID)."""
        return next(self._client_ids)

    def new_session(self, addr: str = "127.0.0.1:0", laddr: str = "") -> Session:
        """Register a new client connection; also while a script holds the lock (to kill it)."""
        held = self.lock.acquire(timeout=_BUSY_POLL)
        while not held and self.running_script is None:
            held = self.lock.acquire(timeout=_BUSY_POLL)
        try:
            session = Session(self, addr, laddr)
            self.clients[session.id] = session
            self.stats["total_connections_received"] += 1
            return session
        finally:
            if held:
                self.lock.release()

    def close_session(self, session: Session) -> None:
        """Drop a client: its watches, subscriptions and place in the client list."""
        with self.lock:
            self.unwatch_all(session)
            self.pubsub.unsubscribe_all(session)
            self.clients.pop(session.id, None)
            self.remove_monitor(session)
            self.tracking.disable(session)

    def requires_auth(self) -> bool:
        """True when new connections must AUTH first."""
        return self.acl.requires_auth()

    # --- dispatch --------------------------------------------------------------------------------
    def execute(self, session: Session, argv: list[bytes]) -> Any:
        """Run one command for ``session`` and return its reply; blocks for blocking commands."""
        reply = self.execute_nowait(session, argv)
        if type(reply) is Waiter:
            reply = reply.wait()
        return reply

    def pushes_precede_reply(self, session: Session) -> bool:
        """Whether messages a command queued for its own client go out before its reply (pub/sub
        messages), or after it (a monitor's line, a tracking client's own invalidations)."""
        return session not in self.monitors and session.id not in self.tracking.clients

    def execute_nowait(self, session: Session, argv: list[bytes]) -> Any:
        """Like :meth:`execute`, but return a :class:`Waiter` instead of blocking on it."""
        if not self.lock.acquire(False):
            busy = self._acquire_or_busy(session, argv)
            if busy is not None:
                return busy
        try:
            reply = self.dispatch(session, argv)
            if self._ready:
                self.serve_blocked()
            return reply
        finally:
            self.lock.release()

    def execute_batch(self, session: Session, argvs: list[list[bytes]], replies: list[Any]) -> None:
        """Run ``argvs`` from ``len(replies)`` on under one hold of the lock, appending replies.

        Pipelines use it. It returns early after a command that blocked (its Waiter is the last
        reply), changed the session's protocol (HELLO) or ended the session, so the caller can
        act on that before the next command runs.
        """
        start = len(replies)
        if not self.lock.acquire(False):
            busy = self._acquire_or_busy(session, argvs[start])
            if busy is not None:
                replies.append(busy)
                return
        try:
            dispatch = self.dispatch
            append = replies.append
            ready = self._ready  # keys with blocked clients to serve (a list changed in place)
            protocol = session.protocol
            for argv in itertools.islice(argvs, start, None):
                reply = dispatch(session, argv)
                if ready:
                    self.serve_blocked()
                append(reply)
                if type(reply) is Waiter or session.killed or session.protocol != protocol:
                    return
        finally:
            self.lock.release()

    def _acquire_or_busy(self, session: Session, argv: list[bytes]) -> Any:
        """Wait for the lock (None once held); while a script is busy, answer BUSY instead."""
        while True:
            script = self.running_script
            if script is not None and script.session is not session and (
                    time.monotonic() - script.started) * 1000 >= \
                    self.config.get_int("busy-reply-threshold"):
                reply = self._busy_reply(session, argv, script)
                if reply is not None:
                    return reply
            if self.lock.acquire(timeout=_BUSY_POLL):
                return None

    def _busy_reply(self, session: Session, argv: list[bytes], script: Any) -> Any:
        """The reply while a script is busy: BUSY, or SCRIPT/FUNCTION KILL run without the lock."""
        cmd = self.lookup_command(argv[0])
        if cmd is not None and cmd.subcommands and len(argv) > 1:
            cmd = cmd.subcommands.get(argv[1].lower(), cmd)
        if cmd is not None and "allow_busy" in cmd.flags:
            if cmd.name in _LOCK_FREE and cmd.arity_ok(len(argv)):
                return self.call(session, cmd, argv, 2 if cmd.container else 1)
            return None
        if session.in_multi:
            session.multi_error = True
        return ReplyError(errors.BUSY_SCRIPT if script.is_eval else errors.BUSY_FUNCTION)

    def dispatch(self, session: Session, argv: list[bytes]) -> Any:
        """Look up, check and run one command; the caller holds the lock. Never raises."""
        if self._observed:
            return self._dispatch_observed(session, argv)
        heap = self._expiry_heap
        if heap and heap[0][0] <= self.clock.now_ms() and self.active_expire:
            self.expire_due()
        self.commands_processed += 1
        name = argv[0]
        cmd = self.commands.get(name)
        if cmd is None:
            cmd = self.commands.get(name.lower())
            if cmd is None:
                return _reject(session, errors.unknown_command(argv, self.version))
        argc = len(argv)
        arity = cmd.arity
        if (argc != arity) if arity >= 0 else (argc < -arity):
            return _reject(session, errors.wrong_arity(cmd.name))
        args_from = 1
        if cmd.subcommands and argc > 1:  # bare COMMAND runs its own handler
            sub = cmd.subcommands.get(argv[1].lower())
            if sub is None or sub.since > self.version:
                return self._bad_subcommand(
                    session, cmd, argv, errors.unknown_subcommand(argv[1], cmd.name, self.version))
            cmd = sub
            if not cmd.arity_ok(argc):
                return self._bad_subcommand(
                    session, cmd, argv, errors.subcommand_arity(argv[1], cmd.name, self.version))
            args_from = 2
        if not session.authenticated and "no_auth" not in cmd.flags:  # after name and arity checks
            return _reject(session, errors.NOAUTH)
        session.last_command = cmd.name
        if session.acl_restricted:
            denied = self.acl.check(session, cmd, argv)
            if denied is not None:
                return _reject(session, denied)
        if session.in_multi and cmd.name not in _MULTI_IMMEDIATE:
            if "no_multi" in cmd.flags:
                return ReplyError(errors.NOT_IN_MULTI)
            session.multi_queue.append((cmd, argv))
            return QUEUED
        if (session.channels or session.patterns or session.shard_channels) \
                and _refused_when_subscribed(session, argv):  # the cheap test first, inline
            return ReplyError(errors.only_subscribe_commands(cmd.name))
        handler = cmd.handler
        try:
            if args_from == 1:  # the commonest lengths called directly: a third of unpacking a slice
                if argc == 3:
                    return handler(session, argv[1], argv[2])
                if argc == 2:
                    return handler(session, argv[1])
                if argc == 4:
                    return handler(session, argv[1], argv[2], argv[3])
            return handler(session, *argv[args_from:])
        except ReplyError as exc:
            return exc
        except Exception as exc:  # an internal bug must never leak a traceback to a client
            return _internal_error(argv, exc)

    def _bad_subcommand(self, session: Session, cmd: registry.Command, argv: list[bytes],
                        text: str) -> Any:
        """Reject an unknown subcommand or a wrong count; before 7.0, when containers parsed
        their own subcommands, MULTI queues it and EXEC answers the error in its place."""
        if session.in_multi and self.version < (7, 0, 0) and session.authenticated:
            session.multi_queue.append((_failing(cmd, text), argv))
            return QUEUED
        return _reject(session, text)

    def call(self, session: Session, cmd: registry.Command, argv: list[bytes], args_from: int) -> Any:
        """Run an already checked command's handler (EXEC, scripts), errors as error replies;
        monitors see it as for dispatch."""
        monitors = self.monitors
        if monitors and "skip_monitor" in cmd.flags:
            self._monitor_feed(self, session, argv)
        try:
            reply = cmd.handler(session, *argv[args_from:])
        except ReplyError as exc:
            reply = exc
        except Exception as exc:  # an internal bug must never leak a traceback to a client
            reply = _internal_error(argv, exc)
        if self.tracking.clients and "readonly" in cmd.flags:
            self.tracking.remember_call(session, argv, cmd)
        if monitors and not _MONITOR_SKIPS.intersection(cmd.flags):
            self._monitor_feed(self, session, argv)
        return reply

    # --- test-double powers: call log and injected faults ------------------------------------
    def record_calls(self, enabled: bool = True) -> None:
        """Start (or stop) recording every command this server receives in :attr:`calls`."""
        with self.lock:
            self.calls = [] if enabled else None
            self._update_observed()

    def calls_of(self, command: str) -> list[Call]:
        """Recorded calls of one command (case-insensitive), oldest first."""
        name = command.lower()
        return [call for call in self.calls or () if call.command == name]

    def inject_fault(self, command: str, error: str | None = None, latency: float = 0.0,
                     times: int = 1) -> None:
        """Make the next ``times`` calls of ``command`` fail with ``error`` and/or wait ``latency`` s.

        ``error`` is a full Redis error line such as ``"ERR boom"`` or ``"READONLY You can't write"``;
        redis-py raises the exception class it maps that prefix to.
        """
        with self.lock:
            self._faults.append(Fault(command.lower().encode(), error, latency, times))
            self._update_observed()

    def _update_observed(self) -> None:
        """Whether dispatch must call _observe: a call log, a pending fault, a monitor,
        REPLICAOF (a replica refuses writes) or a client that tracks keys."""
        self._observed = self.calls is not None or bool(self._faults) or bool(self.monitors) \
            or self.replica_of is not None or bool(self.tracking.clients)

    def set_replica_of(self, master: tuple[bytes, int] | None) -> None:
        """Record the master of REPLICAOF host port (None: a master again). Under the lock."""
        self.replica_of = master
        self._update_observed()

    def runnable_command(self, session: Session, argv: list[bytes]) -> registry.Command | None:
        """The (sub)command ``argv`` runs if dispatch lets it through name, version, arity, auth
        and ACL (a refused EXEC still runs: it discards the transaction); None when dispatch
        would reject it first."""
        cmd = self.lookup_command(argv[0])
        if cmd is None or not cmd.arity_ok(len(argv)):
            return None
        if cmd.subcommands and len(argv) > 1:
            cmd = cmd.subcommands.get(argv[1].lower())
            if cmd is None or not self.subcommand_known(cmd) or not cmd.arity_ok(len(argv)):
                return None
        if not session.authenticated and "no_auth" not in cmd.flags:
            return None
        if session.acl_restricted and cmd.name != "exec" and self.acl.denial(session, cmd, argv)[0]:
            return None
        return cmd

    def _shown_to_monitors(self, session: Session, argv: list[bytes]) -> registry.Command | None:
        """The command ``argv`` runs now and MONITOR shows, decided before it runs: not one
        dispatch rejects, queues in MULTI (EXEC shows it) or refuses in subscribed mode, nor an
        admin command. None otherwise."""
        cmd = self.runnable_command(session, argv)
        if cmd is None or "admin" in cmd.flags:
            return None
        if (session.in_multi and cmd.name not in _MULTI_IMMEDIATE) \
                or _refused_when_subscribed(session, argv):
            return None
        return cmd

    def _refused_by_replica(self, session: Session, argv: list[bytes]) -> ReplyError | None:
        """A replica's error for a command it refuses before running, or None (also for commands
        dispatch itself rejects first): READONLY for a write command or a script (EVAL*, FCALL*)
        whose flags allow writes, while replica-read-only is yes; then, unless subscribed mode
        refuses it, MASTERDOWN for one without the stale flag (a script: without allow-stale)
        while replica-serve-stale-data is no, as the fake's link to its master is always down."""
        cmd = self.runnable_command(session, argv)
        if cmd is None:
            return None
        # skip_monitor marks exactly the commands that run scripts (EVAL*, FCALL*)
        flags = _declared_script_flags(self, argv) if "skip_monitor" in cmd.flags else None
        if self.read_only_replica() and (
                cmd.is_write or (flags is not None and "no-writes" not in flags)):
            return _reject(session, errors.READONLY_REPLICA)
        if self.stale_replica() and not _refused_when_subscribed(session, argv) and (
                "stale" not in cmd.flags if flags is None else "allow-stale" not in flags):
            return _reject(session, errors.MASTERDOWN)
        return None

    def read_only_replica(self) -> bool:
        """Whether this server refuses writes: a replica (REPLICAOF) with replica-read-only yes."""
        return self.replica_of is not None and self.config.get_value("replica-read-only") == b"yes"

    def stale_replica(self) -> bool:
        """Whether this server refuses commands without the stale flag: a replica (its link is
        always down) with replica-serve-stale-data no."""
        return self.replica_of is not None \
            and self.config.get_value("replica-serve-stale-data") == b"no"

    def _refused_for_monitor(self, session: Session, argv: list[bytes]) -> ReplyError | None:
        """A MONITOR client's error for a command that reads or writes keys (Redis treats a
        monitor like a replica connection); None for anything else."""
        cmd = self.runnable_command(session, argv)
        if cmd is None or _KEYSPACE_FLAGS.isdisjoint(cmd.flags):
            return None
        return _reject(session, errors.MONITOR_KEYSPACE)

    def add_monitor(self, session: Session,
                    feed: Callable[["FakeServer", Session, list[bytes]], None]) -> None:
        """Make ``session`` a MONITOR client; ``feed(server, session, argv)`` shows a command to
        the monitors. Under the lock."""
        if session not in self.monitors:
            self.monitors.append(session)
        self._monitor_feed = feed
        self._update_observed()

    def remove_monitor(self, session: Session) -> None:
        """End MONITOR mode for ``session`` (RESET, a closed connection). Under the lock."""
        if session in self.monitors:
            self.monitors.remove(session)
            self._update_observed()

    def _dispatch_observed(self, session: Session, argv: list[bytes]) -> Any:
        """dispatch with a replica's refusals, the call log, injected faults and MONITOR lines:
        a command is shown after it ran, a script (EVAL*, FCALL*) before its own commands."""
        refused = self._observe(session, argv)
        if refused is not None:
            self.commands_processed += 1
            return refused
        shown = self._shown_to_monitors(session, argv) if self.monitors else None
        if shown is not None and "skip_monitor" in shown.flags:
            self._monitor_feed(self, session, argv)
            shown = None
        self._observed = False  # the plain path runs the command
        try:
            reply = self.tracking.run(session, argv) if self.tracking.clients \
                else self.dispatch(session, argv)
        finally:
            self._update_observed()
        if shown is not None and self.monitors:
            self._monitor_feed(self, session, argv)
        return reply

    def _observe(self, session: Session, argv: list[bytes]) -> ReplyError | None:
        """Refuse writes on a replica or keyspace commands of a monitor, record the call and
        apply a pending fault; an error reply (refused or injected) or None."""
        refused = None if self.replica_of is None else self._refused_by_replica(session, argv)
        if refused is None and session in self.monitors:
            refused = self._refused_for_monitor(session, argv)
        name = argv[0].lower()
        if self.calls is not None:
            self.calls.append(Call(name.decode(errors="replace"), tuple(argv[1:]), session.db.index,
                                   session.name))
        if refused is not None:
            return refused
        for fault in self._faults:
            if fault.command == name:
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                    self._update_observed()
                if fault.latency:
                    time.sleep(fault.latency)
                return ReplyError(fault.error) if fault.error else None
        return None

    # --- expiry ----------------------------------------------------------------------------------
    def schedule_expiry(self, db: Database, key: bytes, when_ms: int) -> None:
        """Remember a deadline for active expiry. O(log n)."""
        heap = self._expiry_heap
        heapq.heappush(heap, (when_ms, db.index, key))
        if len(heap) > 1024 and len(heap) > 4 * sum(len(d.expires) for d in self.dbs):
            self._compact_expiry_heap()

    def _compact_expiry_heap(self) -> None:
        """Drop stale heap entries (TTL changed or removed). O(n)."""
        self._expiry_heap = [(when, d.index, k) for d in self.dbs for k, when in d.expires.items()]
        heapq.heapify(self._expiry_heap)

    def expire_due(self) -> None:
        """Delete every key whose deadline has passed, popping deadlines in order. O(k log n)."""
        now = self.clock.now_ms()
        heap = self._expiry_heap
        while heap and heap[0][0] <= now:
            when, index, key = heapq.heappop(heap)
            db = self.dbs[index]
            if db.expires.get(key) == when:
                db.expire_key(key)

    def advance_time(self, seconds: float) -> None:
        """Move the server clock: TTLs, blocking timeouts and TIME follow."""
        with self.lock:
            self.clock.advance(seconds)
            if self.active_expire:
                self.expire_due()
            for queue in list(self._waiters.values()):
                for waiter in list(queue):
                    waiter.time_out_if_due()
                    waiter.cond.notify_all()

    # --- watches ---------------------------------------------------------------------------------
    def watch(self, session: Session, key: bytes) -> None:
        """Start watching ``key`` in the session's db."""
        db = session.db
        session.watched.add((db.index, key))
        db.watchers.setdefault(key, set()).add(session)

    def unwatch_all(self, session: Session) -> None:
        """Forget every key the session watches."""
        for index, key in session.watched:
            watchers = self.dbs[index].watchers.get(key)
            if watchers is not None:
                watchers.discard(session)
                if not watchers:
                    del self.dbs[index].watchers[key]
        session.watched.clear()
        session.watch_dirty = False

    def touch_all_watched(self, dbs: Iterable[Database]) -> None:
        """Dirty every WATCH on ``dbs`` (FLUSHALL, SWAPDB)."""
        for db in dbs:
            for sessions in db.watchers.values():
                for session in sessions:
                    session.watch_dirty = True

    # --- blocked clients -------------------------------------------------------------------------
    def block(self, session: Session, keys: list[bytes], timeout: float,
              attempt: Callable[[], Any], timeout_reply: Any) -> Any:
        """Park ``session`` until ``attempt()`` returns non-None after a write to one of ``keys``.

        Called by a blocking command's handler when it found nothing to serve. Returns the
        :class:`Waiter` reply; ``execute`` waits on it without holding the lock.
        """
        waiter = Waiter(self, session, keys, attempt, timeout_reply, timeout)
        index = session.db.index
        for key in keys:
            self._waiters.setdefault((index, key), deque()).append(waiter)
            session.db.waiters[key] = session.db.waiters.get(key, 0) + 1
        session.blocked = True
        return waiter

    def forget_waiter(self, waiter: Waiter) -> None:
        """Remove a finished waiter from every key queue."""
        db = waiter.session.db
        for key in waiter.keys:
            queue = self._waiters.get((db.index, key))
            if queue is not None and waiter in queue:
                queue.remove(waiter)
                if not queue:
                    del self._waiters[(db.index, key)]
                count = db.waiters.get(key, 0) - 1
                if count > 0:
                    db.waiters[key] = count
                else:
                    db.waiters.pop(key, None)

    def wake_waiters(self, db: Database, key: bytes) -> None:
        """Note that a key with blocked clients changed; they are served after the command."""
        self._ready.append((db, key))

    def serve_blocked(self) -> None:
        """Serve blocked clients on keys that changed, longest waiting first. Under the lock."""
        while self._ready:
            db, key = self._ready.pop(0)
            queue = self._waiters.get((db.index, key))
            if not queue:
                continue
            # each waiter is tried: one that cannot use the key (another type) does not stop others
            self.serving_key = key
            for waiter in list(queue):
                if waiter.done or waiter.time_out_if_due() or waiter.hung_up():
                    continue
                result = self.call_attempt(waiter)
                if result is not None:
                    waiter.finish(result)
            self.serving_key = None

    def call_attempt(self, waiter: Waiter) -> Any:
        """Retry a blocked command for its client; errors become its reply."""
        try:
            return waiter.attempt()
        except ReplyError as exc:
            return exc

    def find_waiter(self, client_id: int) -> Waiter | None:
        """The waiter of a blocked client (CLIENT UNBLOCK)."""
        for queue in self._waiters.values():
            for waiter in queue:
                if waiter.session.id == client_id:
                    return waiter
        return None

    def _set_notify_flags(self, value: bytes) -> None:
        """Cache notify-keyspace-events; empty unless K or E asks for notifications at all."""
        flags = value.decode()
        self.notify_flags = flags if ("K" in flags or "E" in flags) else ""

    def notify_keyspace_event(self, db: Database, key: bytes, event: str) -> None:
        """Publish a keyspace/keyevent notification if notify-keyspace-events asks for it."""
        notify(self, db, key, event)



def _failing(cmd: registry.Command, text: str) -> registry.Command:
    """``cmd`` with a handler that answers the error ``text``."""
    def fail(*_args: bytes) -> None:
        raise ReplyError(text)
    return replace(cmd, handler=fail)


def _refused_when_subscribed(session: Session, argv: list[bytes]) -> bool:
    """Whether dispatch refuses ``argv`` as a RESP2 client in subscribed mode may not run it."""
    return bool(session.channels or session.patterns or session.shard_channels) \
        and session.protocol == 2 and argv[0].lower() not in _SUBSCRIBED_ALLOWED


def _declared_script_flags(server: FakeServer, argv: list[bytes]) -> frozenset[str] | None:
    """The shebang's or function's flags EVAL*/FCALL* ``argv`` runs with, None if undeclared.
    The scripting commands are loaded after the server module."""
    from fakeredis.commands.scripting import declared_script_flags
    return declared_script_flags(server, argv)


def _reject(session: Session, text: str) -> ReplyError:
    """An error found before the command ran; inside MULTI it also dooms the EXEC."""
    if session.in_multi:
        session.multi_error = True
    return ReplyError(text)


def _internal_error(argv: list[bytes], exc: Exception) -> ReplyError:
    """A bug in a handler: logged with its traceback, answered without one."""
    log.error("internal error running %r", argv[:1], exc_info=exc)
    return ReplyError(errors.INTERNAL.format(type(exc).__name__))
