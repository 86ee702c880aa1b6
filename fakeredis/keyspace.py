"""One numbered database: keys, values and expiry times, with typed lookups.

Values are stored as Python objects whose type is the Redis type:

``bytes`` string, ``collections.deque`` list, ``set`` set, ``dict`` hash,
:class:`fakeredis.structures.zset.ZSet` sorted set, :class:`fakeredis.structures.stream.Stream`.

Expiry is lazy (checked when a key is looked up) and active (the server pops due keys from a heap
of deadlines, so it never scans the keyspace). Every write ends in :meth:`Database.signal_modified`,
which is where WATCH, blocked clients and keyspace notifications hang.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any, Callable

from fakeredis import errors
from fakeredis.errors import ReplyError

if TYPE_CHECKING:
    from fakeredis.server import FakeServer
    from fakeredis.session import Session

TYPE_NAMES: dict[type, bytes] = {bytes: b"string", deque: b"list", set: b"set", dict: b"hash"}


def register_type(cls: type, name: bytes) -> None:
    """Teach the keyspace the Redis type name of a structure class (zset, stream ...)."""
    TYPE_NAMES[cls] = name


def type_name(value: Any) -> bytes:
    """The Redis type name (TYPE command) of a stored value."""
    return TYPE_NAMES[type(value)]


class Database:
    """Keys of one db. Lookups are O(1); expiry deadlines are in server-clock milliseconds."""

    __slots__ = ("index", "server", "data", "expires", "watchers", "waiters", "encodings")

    def __init__(self, server: "FakeServer", index: int) -> None:
        self.index = index
        self.server = server
        self.data: dict[bytes, Any] = {}
        self.expires: dict[bytes, int] = {}
        # key -> sessions WATCHing it
        self.watchers: dict[bytes, set["Session"]] = {}
        # key -> number of clients blocked on it
        self.waiters: dict[bytes, int] = {}
        # values whose Redis encoding is not their default: strings built in place (b"raw" after
        # APPEND, SETRANGE, SETBIT ..., b"embstr" for INCRBYFLOAT results), whose default follows
        # from their content; sets and hashes a write made outgrow intset/listpack (b"hashtable"),
        # which Redis never converts back while the key lives
        self.encodings: dict[bytes, bytes] = {}

    # --- lookups ---------------------------------------------------------------------------------
    def get(self, key: bytes) -> Any:
        """The live value at ``key`` or None, expiring it first if due. O(1)."""
        value = self.data.get(key)
        if value is not None and self.expires and key in self.expires:
            if self.expires[key] <= self.server.clock.now_ms():
                self.expire_key(key)
                return None
        return value

    def get_typed(self, key: bytes, kind: type) -> Any:
        """The value at ``key`` if it is of ``kind``; None if missing; WRONGTYPE otherwise."""
        value = self.get(key)
        if value is not None and type(value) is not kind:
            raise ReplyError(errors.WRONGTYPE)
        return value

    def get_string(self, key: bytes) -> bytes | None:
        """The string at ``key``, None if missing, WRONGTYPE if another type. O(1)."""
        value = self.get(key)
        if value is not None and type(value) is not bytes:
            raise ReplyError(errors.WRONGTYPE)
        return value

    def get_or_create(self, key: bytes, kind: type, factory: Callable[[], Any] | None = None) -> Any:
        """The value of ``kind`` at ``key``, created empty (not yet signalled) when missing."""
        value = self.get(key)
        if value is None:
            value = (factory or kind)()
            self.data[key] = value
        elif type(value) is not kind:
            raise ReplyError(errors.WRONGTYPE)
        return value

    def exists(self, key: bytes) -> bool:
        """True when ``key`` holds a live value. O(1)."""
        return self.get(key) is not None

    # --- writes ----------------------------------------------------------------------------------
    def set(self, key: bytes, value: Any, keep_ttl: bool = False,
            encoding: bytes | None = None) -> None:
        """Store ``value`` at ``key``, clearing its TTL unless ``keep_ttl``. Does not signal.

        ``encoding`` records how Redis holds the value when that is not its default (OBJECT
        ENCODING): a string made by an in-place edit, a set or hash past the compact limits.
        """
        self.data[key] = value
        if not keep_ttl and self.expires:
            self.expires.pop(key, None)
        if encoding is not None:
            self.encodings[key] = encoding
        elif self.encodings:
            self.encodings.pop(key, None)

    def delete(self, key: bytes) -> bool:
        """Remove ``key`` and its TTL; True if it existed (live). Does not signal."""
        if self.get(key) is None:
            return False
        del self.data[key]
        if self.expires:
            self.expires.pop(key, None)
        if self.encodings:
            self.encodings.pop(key, None)
        return True

    def delete_if_empty(self, key: bytes, value: Any) -> None:
        """Drop a container that an operation emptied (Redis never keeps empty containers)."""
        if not value and self.data.get(key) is value:
            del self.data[key]
            self.expires.pop(key, None)
            self.encodings.pop(key, None)
            self.signal_modified(key, "del")

    def set_expiry(self, key: bytes, when_ms: int) -> None:
        """Give ``key`` an absolute deadline in server milliseconds. O(log n)."""
        self.expires[key] = when_ms
        self.server.schedule_expiry(self, key, when_ms)

    def persist(self, key: bytes) -> bool:
        """Remove the TTL of ``key``; True if it had one."""
        return self.expires.pop(key, None) is not None

    def ttl_ms(self, key: bytes) -> int | None:
        """Milliseconds left, or None when the key has no TTL (key assumed live)."""
        when = self.expires.get(key)
        if when is None:
            return None
        return when - self.server.clock.now_ms()

    def expire_key(self, key: bytes) -> None:
        """Delete a key whose deadline passed, and tell watchers and notifications."""
        self.data.pop(key, None)
        self.expires.pop(key, None)
        self.encodings.pop(key, None)
        stats = self.server.stats
        stats["expired_keys"] = stats.get("expired_keys", 0) + 1
        self.signal_modified(key, "expired")

    def flush(self) -> None:
        """Remove every key, touching WATCHes and blocked clients of the keys that existed
        (client-side caches are not told key by key: FLUSHALL/FLUSHDB send one null)."""
        for key in set(self.watchers) | set(self.waiters):
            if key in self.data:
                for session in self.watchers.get(key, ()):
                    session.watch_dirty = True
                if key in self.waiters:
                    self.server.wake_waiters(self, key)
        self.data.clear()
        self.expires.clear()
        self.encodings.clear()

    # --- change signal ---------------------------------------------------------------------------
    def signal_modified(self, key: bytes, event: str) -> None:
        """Record that ``key`` changed: dirty WATCHes, wake blocked clients, notify, invalidate
        client-side caches. O(1)."""
        watchers = self.watchers.get(key) if self.watchers else None
        if watchers:
            for session in watchers:
                session.watch_dirty = True
        if self.waiters and key in self.waiters:
            self.server.wake_waiters(self, key)
        if event and self.server.notify_flags:
            self.server.notify_keyspace_event(self, key, event)
        if self.server.tracking_live:
            self.server.tracking.invalidate(key)

    # --- iteration -------------------------------------------------------------------------------
    def live_keys(self) -> list[bytes]:
        """All keys whose deadline has not passed. O(n)."""
        if not self.expires:
            return list(self.data)
        now = self.server.clock.now_ms()
        expires = self.expires
        return [k for k in self.data if k not in expires or expires[k] > now]

    def _check(self) -> None:
        """Invariants: every TTL belongs to a key; no empty containers are stored."""
        for key in self.expires:
            assert key in self.data, key
        for key, encoding in self.encodings.items():
            kind = type(self.data.get(key))
            assert kind is bytes or (kind in (set, dict) and encoding == b"hashtable"), key
        for key, value in self.data.items():
            assert type(value) in TYPE_NAMES, (key, type(value))
            if type_name(value) not in (b"string", b"stream"):
                assert len(value) > 0, key
