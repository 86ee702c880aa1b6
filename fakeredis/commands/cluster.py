"""Cluster commands as a server with cluster support disabled answers them: CLUSTER *, ASKING,
READONLY, READWRITE refuse; RESTORE-ASKING restores like RESTORE; MIGRATE never reaches a target
(the fake opens no connections), so it fails as for an unreachable one once its keys exist."""

from __future__ import annotations

from typing import Any

from fakeredis import errors
from fakeredis.args import parse_int
from fakeredis.commands.keys import restore
from fakeredis.errors import ReplyError
from fakeredis.registry import command, container
from fakeredis.replies import Status
from fakeredis.session import Session


def _disabled(ctx: Session, *args: bytes) -> None:
    """Refused: cluster support is disabled."""
    raise ReplyError(errors.CLUSTER_DISABLED)


container("cluster", arity=-2, group="cluster", since="3.0.0",
          summary="A container for Redis Cluster commands")

# (subcommand, arity, flags, since): Redis 7.0's CLUSTER subcommands; all answer CLUSTER_DISABLED
_ADMIN = "admin stale no_async_loading"
_CLUSTER_SUBCOMMANDS = (
    ("addslots", -3, _ADMIN, "3.0.0"), ("addslotsrange", -4, _ADMIN, "7.0.0"),
    ("bumpepoch", 2, _ADMIN, "3.0.0"), ("count-failure-reports", 3, "admin stale", "3.0.0"),
    ("countkeysinslot", 3, "stale", "3.0.0"), ("delslots", -3, _ADMIN, "3.0.0"),
    ("delslotsrange", -4, _ADMIN, "7.0.0"), ("failover", -2, _ADMIN, "3.0.0"),
    ("flushslots", 2, _ADMIN, "3.0.0"), ("forget", 3, _ADMIN, "3.0.0"),
    ("getkeysinslot", 4, "stale", "3.0.0"), ("help", 2, "loading stale", "5.0.0"),
    ("info", 2, "stale", "3.0.0"), ("keyslot", 3, "stale", "3.0.0"),
    ("links", 2, "stale", "7.0.0"), ("meet", -4, _ADMIN, "3.0.0"), ("myid", 2, "stale", "3.0.0"),
    ("nodes", 2, "stale", "3.0.0"), ("replicas", 3, "admin stale", "5.0.0"),
    ("replicate", 3, _ADMIN, "3.0.0"), ("reset", -2, "admin noscript stale", "3.0.0"),
    ("saveconfig", 2, _ADMIN, "3.0.0"), ("set-config-epoch", 3, _ADMIN, "3.0.0"),
    ("setslot", -4, _ADMIN, "3.0.0"), ("shards", 2, "stale", "7.0.0"),
    ("slaves", 3, "admin stale", "3.0.0"), ("slots", 2, "stale", "3.0.0"),
)

for _name, _arity, _flags, _since in _CLUSTER_SUBCOMMANDS:
    command(f"cluster|{_name}", arity=_arity, flags=_flags, group="cluster", since=_since)(
        _disabled)


@command("asking", arity=1, flags="fast", group="cluster", since="3.0.0", acl="connection")
def asking(ctx: Session) -> None:
    """Refused: there is no cluster to be redirected in."""
    _disabled(ctx)


@command("readonly", arity=1, flags="loading stale fast", group="cluster", since="3.0.0",
         acl="connection")
def readonly(ctx: Session) -> None:
    """Refused: there are no cluster replicas to read from."""
    _disabled(ctx)


@command("readwrite", arity=1, flags="loading stale fast", group="cluster", since="3.0.0",
         acl="connection")
def readwrite(ctx: Session) -> None:
    """Refused: there are no cluster replicas to read from."""
    _disabled(ctx)


@command("restore-asking", arity=-4, flags="write denyoom asking", keys=(1, 1, 1),
         group="server", since="3.0.0", acl="keyspace dangerous")
def restore_asking(ctx: Session, key: bytes, ttl: bytes, payload: bytes, *options: bytes) -> Any:
    """RESTORE, as sent by MIGRATE in a cluster. O(size of the value)."""
    return restore(ctx, key, ttl, payload, *options)


def _migrate_keys(argv: list[bytes]) -> list[int]:
    """MIGRATE's keys: the key argument, or after KEYS when the key argument is empty."""
    if len(argv) > 3 and argv[3] == b"":
        for i in range(6, len(argv)):
            if argv[i].upper() == b"KEYS":
                return list(range(i + 1, len(argv)))
    return [3]


def _migrate_options(options: tuple[bytes, ...]) -> int | None:
    """Parse COPY REPLACE AUTH pw AUTH2 user pw KEYS ...; the index of the first KEYS key."""
    i = 0
    while i < len(options):
        option = options[i].upper()
        if option in (b"COPY", b"REPLACE"):
            i += 1
        elif option == b"AUTH" and i + 1 < len(options):
            i += 2
        elif option == b"AUTH2" and i + 2 < len(options):
            i += 3
        elif option == b"KEYS":
            return i + 1
        else:
            raise ReplyError(errors.SYNTAX)
    return None


@command("migrate", arity=-6, flags="write", keys=(3, 3, 1), key_finder=_migrate_keys,
         group="generic", since="2.6.0", acl="keyspace dangerous")
def migrate(ctx: Session, host: bytes, port: bytes, key: bytes, db: bytes, timeout: bytes,
            *options: bytes) -> Status:
    """NOKEY, or the I/O error of an unreachable target: the fake opens no connections. O(keys)."""
    first = _migrate_options(options)
    if first is not None and key != b"":
        raise ReplyError(errors.MIGRATE_KEYS_WITH_KEY)
    parse_int(timeout)
    parse_int(db)
    keys = options[first:] if first is not None else (key,)
    if not any(ctx.db.get(name) is not None for name in keys):
        return Status(b"NOKEY")
    raise ReplyError(errors.MIGRATE_IOERR)
