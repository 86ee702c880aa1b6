"""Client-side caching (CLIENT TRACKING): which clients read which keys, and their invalidations.

As in Redis, the table of read keys is by key name across databases, and a key is forgotten once
invalidated (until it is read again). BCAST clients register prefixes instead; their
invalidations are collected during a command and sent after it, one message per prefix with the
keys sorted. Nothing here runs while no client tracks: the server takes its observed dispatch
path for tracking clients, and :meth:`Database.signal_modified` checks ``server.tracking_live``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fakeredis.replies import QUEUED

if TYPE_CHECKING:
    from fakeredis.registry import Command
    from fakeredis.server import FakeServer
    from fakeredis.session import Session

INVALIDATE_CHANNEL = b"__redis__:invalidate"


@dataclass
class Tracker:
    """One client's tracking options (CLIENT TRACKING ON ...)."""

    redirect: int = 0
    bcast: bool = False
    optin: bool = False
    optout: bool = False
    noloop: bool = False
    prefixes: list[bytes] = field(default_factory=list)
    # CLIENT CACHING yes/no given for the next command
    caching: bool | None = None
    # the redirect target was gone when a message was due
    broken: bool = False

    def remembers(self) -> bool:
        """Whether this client's next read is remembered (default, OPTIN yes, OPTOUT not no)."""
        if self.bcast:
            return False
        if self.optin:
            return self.caching is True
        return not (self.optout and self.caching is False)


class Tracking:
    """The tracking state of one server."""

    def __init__(self, server: "FakeServer") -> None:
        self.server = server
        # session id -> options, while tracking is on
        self.clients: dict[int, Tracker] = {}
        # key -> ids of clients that read it (kept after TRACKING OFF, as Redis does)
        self.table: dict[bytes, dict[int, None]] = {}
        # BCAST prefix -> ids of clients registered for it
        self.prefixes: dict[bytes, dict[int, None]] = {}
        # prefix -> keys modified during the current command -> id of the client that modified it
        self.changed: dict[bytes, dict[bytes, int]] = {}
        # the client running a command, and the keys it invalidated for itself (sent after its
        # reply)
        self.current: Session | None = None
        self.own: list[bytes | None] = []

    # --- options ---------------------------------------------------------------------------------
    def enable(self, session: "Session", tracker: Tracker) -> None:
        """Turn tracking on (or update it) for ``session``; options already validated."""
        old = self.clients.get(session.id)
        if tracker.bcast and not tracker.prefixes:
            tracker.prefixes = [b""]
        if old is not None:
            tracker.prefixes = old.prefixes + [p for p in tracker.prefixes if p not in old.prefixes]
            tracker.caching = old.caching
        for prefix in tracker.prefixes:
            self.prefixes.setdefault(prefix, {})[session.id] = None
        self.clients[session.id] = tracker
        self._refresh()

    def disable(self, session: "Session") -> None:
        """Turn tracking off for ``session`` (OFF, RESET, a closed connection)."""
        tracker = self.clients.pop(session.id, None)
        if tracker is None:
            return
        for prefix in tracker.prefixes:
            ids = self.prefixes.get(prefix)
            if ids is not None:
                ids.pop(session.id, None)
                if not ids:
                    del self.prefixes[prefix]
        self._refresh()

    def _refresh(self) -> None:
        """Recompute the server flags that let writes and dispatch skip tracking."""
        self._update_live()
        self.server._update_observed()

    def _update_live(self) -> None:
        """Writes must invalidate while a client tracks or a read key is remembered."""
        self.server.tracking_live = bool(self.clients or self.table)

    def run(self, session: "Session", argv: list[bytes]) -> Any:
        """Dispatch ``argv`` for ``session`` while some client tracks: remember what a read
        command of a tracking client read, then send the invalidations the command caused."""
        server = self.server
        if server.active_expire:  # keys due now expire outside the command, as in Redis's cron
            server.expire_due()
        cmd = server.runnable_command(session, argv) if session.id in self.clients else None
        self.current = session
        reply = server.dispatch(session, argv)
        # a queued command is remembered when EXEC runs it; a script by its own commands
        if cmd is not None and reply is not QUEUED and "readonly" in cmd.flags \
                and "skip_monitor" not in cmd.flags:
            self.remember(session, argv, cmd)
        self.after_command(session, cmd)
        return reply

    def remember_call(self, session: "Session", argv: list[bytes], cmd: "Command") -> None:
        """A read command ran inside EXEC or a script: remember its keys, or for a script the
        keys the script declares (Redis looks up the calling command's keys)."""
        script = self.server.running_script
        if session.in_script and script is not None:
            caller = self.server.lookup_command(script.argv[0])
            if caller is not None:
                self.remember(session, script.argv, caller)
        else:
            self.remember(session, argv, cmd)

    # --- reads -----------------------------------------------------------------------------------
    def remember(self, session: "Session", argv: list[bytes], cmd: "Command") -> None:
        """Remember the keys of ``argv`` read by ``session`` (a read command, or the keys declared
        by the script whose commands read)."""
        tracker = self.clients.get(session.id)
        if tracker is None or not tracker.remembers():
            return
        table = self.table
        for pos in cmd.key_positions(argv):
            table.setdefault(argv[pos], {})[session.id] = None
        self._update_live()

    # --- writes ----------------------------------------------------------------------------------
    def invalidate(self, key: bytes) -> None:
        """``key`` was modified: tell the clients that read it, collect it for BCAST clients."""
        current = self.current
        modifier = current.id if current is not None else 0
        for prefix in self.prefixes:
            if key.startswith(prefix):
                self.changed.setdefault(prefix, {}).setdefault(key, modifier)
        ids = self.table.pop(key, None)
        if ids:
            for client_id in ids:
                tracker = self.clients.get(client_id)
                if tracker is None or tracker.bcast or (tracker.noloop and client_id == modifier):
                    continue
                if client_id == modifier:
                    self.own.append(key)
                else:
                    self._send(client_id, tracker, [key])
        if current is None:  # expiry outside a command
            self.broadcast()
        self._update_live()

    def flushed(self) -> None:
        """FLUSHALL/FLUSHDB: every tracking client gets an invalidation with a null; the table
        is emptied."""
        self.table.clear()
        current = self.current
        for client_id, tracker in self.clients.items():
            if current is not None and client_id == current.id:
                self.own.append(None)
            else:
                self._send(client_id, tracker, None)
        self._refresh()

    def after_command(self, session: "Session", cmd: "Command | None") -> None:
        """Send what the command invalidated for its own client and for BCAST clients; a CLIENT
        CACHING flag ends with the command it was given for."""
        self.current = None
        own, self.own = self.own, []
        tracker = self.clients.get(session.id)
        if tracker is not None:
            for key in own:
                self._send(session.id, tracker, None if key is None else [key])
            if tracker.caching is not None and not session.in_multi and not _is_client(cmd):
                tracker.caching = None
        self.broadcast()

    def broadcast(self) -> None:
        """Send the keys collected for each BCAST prefix to its clients (NOLOOP: not their own)."""
        if not self.changed:
            return
        changed, self.changed = self.changed, {}
        for prefix in sorted(changed):
            keys = changed[prefix]
            for client_id in self.prefixes.get(prefix, ()):
                tracker = self.clients[client_id]
                mine = sorted(k for k, by in keys.items()
                              if not (tracker.noloop and by == client_id))
                if mine:
                    self._send(client_id, tracker, mine)

    def _send(self, client_id: int, tracker: Tracker, keys: list[bytes] | None) -> None:
        """One invalidation message for ``client_id``: a push in RESP3, to the redirect target
        (a push, or in RESP2 a message on __redis__:invalidate if it is subscribed). The pub/sub
        module is imported here: it loads the command modules, which import this one."""
        from fakeredis.commands.pubsub import deliver
        clients = self.server.clients
        target = clients.get(client_id)
        if tracker.redirect:
            redirected = clients.get(tracker.redirect)
            if redirected is None:
                tracker.broken = True
                if target is not None and target.protocol == 3:
                    deliver(target, [b"tracking-redir-broken", tracker.redirect])
                return
            if redirected.protocol == 2:
                if redirected.subscription_count:
                    deliver(redirected, [b"message", INVALIDATE_CHANNEL, keys])
                return
            target = redirected
        if target is not None and target.protocol == 3:
            deliver(target, [b"invalidate", keys])

    # --- introspection ---------------------------------------------------------------------------
    def flags(self, session: "Session") -> list[bytes]:
        """CLIENT TRACKINGINFO's flags."""
        tracker = self.clients.get(session.id)
        if tracker is None:
            return [b"off"]
        flags = [b"on"]
        for name in ("bcast", "optin", "optout"):
            if getattr(tracker, name):
                flags.append(name.encode())
        if tracker.optin and tracker.caching:
            flags.append(b"caching-yes")
        if tracker.optout and tracker.caching is False:
            flags.append(b"caching-no")
        if tracker.noloop:
            flags.append(b"noloop")
        if tracker.broken:
            flags.append(b"broken_redirect")
        return flags

    def info(self) -> dict[str, int]:
        """INFO's tracking counters: clients, keys, items (key-client pairs), prefixes."""
        return {"tracking_clients": len(self.clients), "tracking_total_keys": len(self.table),
                "tracking_total_items": sum(len(ids) for ids in self.table.values()),
                "tracking_total_prefixes": len(self.prefixes)}


def _is_client(cmd: "Command | None") -> bool:
    """Whether ``cmd`` is a CLIENT subcommand (a CLIENT CACHING flag survives those)."""
    return cmd is not None and cmd.container is not None and cmd.container.name == "client"
