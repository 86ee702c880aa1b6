"""Server commands: FLUSHALL FLUSHDB DBSIZE CONFIG ..."""

from __future__ import annotations

from fakeredis import errors
from fakeredis.errors import ReplyError
from fakeredis.registry import command, container
from fakeredis.replies import OK, Status
from fakeredis.session import Session


def _flush_mode(args: tuple[bytes, ...]) -> None:
    """Validate the optional ASYNC/SYNC argument of FLUSHALL/FLUSHDB."""
    if len(args) > 1 or (args and args[0].upper() not in (b"ASYNC", b"SYNC")):
        raise ReplyError(errors.SYNTAX)


@command("flushall", arity=-1, flags="write", group="server", since="1.0.0",
         acl="keyspace dangerous")
def flushall(ctx: Session, *mode: bytes) -> Status:
    """Remove all keys from all databases."""
    _flush_mode(mode)
    for db in ctx.server.dbs:
        db.flush()
    return OK


@command("flushdb", arity=-1, flags="write", group="server", since="1.0.0",
         acl="keyspace dangerous")
def flushdb(ctx: Session, *mode: bytes) -> Status:
    """Remove all keys from the current database."""
    _flush_mode(mode)
    ctx.db.flush()
    return OK


@command("dbsize", arity=1, flags="readonly fast", group="server", since="1.0.0", acl="keyspace")
def dbsize(ctx: Session) -> int:
    """Return the number of keys in the selected database."""
    return len(ctx.db.data)


container("config", arity=-2, group="server", since="2.0.0")


@command("config|get", arity=-3, flags="admin noscript loading stale", group="server",
         since="2.0.0")
def config_get(ctx: Session, *patterns: bytes) -> dict[bytes, bytes]:
    """Get the values of configuration parameters matching glob patterns."""
    found: dict[bytes, bytes] = {}
    for pattern in patterns:
        found.update(ctx.server.config.matching(pattern))
    return found


@command("config|set", arity=-4, flags="admin noscript loading stale", group="server",
         since="2.0.0")
def config_set(ctx: Session, *pairs: bytes) -> Status:
    """Set configuration parameters, all or none."""
    if len(pairs) % 2:
        raise ReplyError(errors.wrong_arity("config|set"))
    config = ctx.server.config
    staged: dict[str, bytes] = {}
    for i in range(0, len(pairs), 2):
        name = pairs[i].decode(errors="replace").lower()
        value = config.validate(name, pairs[i + 1])
        if name in staged:
            raise ReplyError(f"ERR CONFIG SET failed (possibly related to argument '{name}') - "
                             "duplicate parameter")
        staged[name] = value
    for name, value in staged.items():
        config.set(name, value)
    return OK


@command("config|resetstat", arity=2, flags="admin noscript loading stale", group="server",
         since="2.0.0")
def config_resetstat(ctx: Session) -> Status:
    """Reset the statistics reported by INFO."""
    for name in ctx.server.stats:
        ctx.server.stats[name] = 0
    ctx.server.commands_processed = 0
    return OK
