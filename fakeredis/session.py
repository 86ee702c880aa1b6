"""Per-connection state. A :class:`Session` is also the context every command handler receives."""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from fakeredis.keyspace import Database
    from fakeredis.server import FakeServer


class Session:
    """One client connection: selected db, protocol, transaction queue, watches, identity."""

    __slots__ = (
        "server", "db", "protocol", "id", "name", "lib_name", "lib_ver", "authenticated", "user",
        "in_multi", "multi_queue", "multi_error", "watched", "watch_dirty", "channels", "patterns",
        "shard_channels", "pushes", "push_listener", "created_ms", "last_interaction_ms", "addr",
        "laddr", "last_command", "killed", "reply_mode", "skip_next_reply", "in_script",
        "blocked", "acl_restricted", "unblock_reply", "flags", "on_close", "__weakref__",
    )

    def __init__(self, server: "FakeServer", addr: str = "127.0.0.1:0", laddr: str = "") -> None:
        self.server = server
        self.db: "Database" = server.dbs[0]
        self.protocol = 2
        self.id = server.next_client_id()
        self.name = b""
        self.lib_name = b""
        self.lib_ver = b""
        self.user = b"default"
        self.authenticated = self.acl_restricted = False
        server.acl.login_default(self)  # the default user, authenticated if it needs no password
        self.in_multi = False
        self.multi_queue: list[tuple[Any, list[bytes]]] = []
        self.multi_error = False
        self.watched: set[tuple[int, bytes]] = set()
        self.watch_dirty = False
        self.channels: set[bytes] = set()
        self.patterns: set[bytes] = set()
        self.shard_channels: set[bytes] = set()
        # out-of-band messages (pub/sub) waiting to be read by the client
        self.pushes: deque[Any] = deque()
        self.push_listener: Callable[[], None] | None = None
        now = server.clock.now_ms()
        self.created_ms = now
        self.last_interaction_ms = now
        self.addr = addr
        self.laddr = laddr or f"127.0.0.1:{server.port or 6379}"
        self.last_command = b"NULL"
        self.killed = False
        self.reply_mode = b"on"
        self.skip_next_reply = False
        self.in_script = False
        self.blocked = False
        self.unblock_reply: Any = None
        self.flags = "N"
        # callbacks the adapter registers to learn that the server closed this session
        self.on_close: list[Callable[[], None]] = []

    def select(self, index: int) -> None:
        """Switch to db ``index`` (already validated)."""
        self.db = self.server.dbs[index]

    @property
    def subscription_count(self) -> int:
        """Channels plus patterns plus shard channels this client listens to."""
        return len(self.channels) + len(self.patterns) + len(self.shard_channels)

    def close(self) -> None:
        """Forget this client on the server: watches, subscriptions, the client list."""
        self.server.close_session(self)
