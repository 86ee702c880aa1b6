"""MULTI, EXEC, DISCARD, WATCH, UNWATCH (Redis's multi.c)."""

from __future__ import annotations

from typing import Any

from fakeredis import errors
from fakeredis.errors import ReplyError
from fakeredis.registry import command
from fakeredis.replies import NULL_ARRAY, OK, Status
from fakeredis.session import Session


@command("multi", arity=1, flags="noscript loading stale fast allow_busy", group="transactions",
         since="1.2.0")
def multi(ctx: Session) -> Status:
    """Start a transaction: later commands are queued until EXEC."""
    if ctx.in_multi:
        raise ReplyError(errors.MULTI_NESTED)
    ctx.in_multi = True
    ctx.multi_queue = []
    ctx.multi_error = False
    return OK


def end_transaction(ctx: Session) -> None:
    """Leave MULTI state and drop every WATCH."""
    ctx.in_multi = False
    ctx.multi_queue = []
    ctx.multi_error = False
    ctx.server.unwatch_all(ctx)


def watched_key_changed(ctx: Session) -> bool:
    """True when a watched key was written, or expired, since WATCH."""
    for index, key in list(ctx.watched):
        ctx.server.dbs[index].get(key)  # a due key expires now and dirties the watch
    return ctx.watch_dirty


@command("exec", arity=1, flags="noscript loading stale skip_slowlog", group="transactions",
         since="1.2.0")
def exec_(ctx: Session) -> Any:
    """Run every queued command atomically; a null reply when a watched key changed."""
    if not ctx.in_multi:
        raise ReplyError(errors.EXEC_WITHOUT_MULTI)
    if ctx.multi_error:
        end_transaction(ctx)
        raise ReplyError(errors.EXECABORT)
    if watched_key_changed(ctx):
        end_transaction(ctx)
        return NULL_ARRAY
    queue = ctx.multi_queue
    server = ctx.server
    ctx.server.unwatch_all(ctx)
    replies = []
    try:
        for cmd, argv in queue:
            denied = ctx.acl_restricted and server.acl.check_exec(ctx, cmd, argv)
            replies.append(ReplyError(denied) if denied else
                           server.call(ctx, cmd, argv, 2 if cmd.container else 1))
    finally:
        end_transaction(ctx)
    return replies


@command("discard", arity=1, flags="noscript loading stale fast allow_busy", group="transactions",
         since="2.0.0")
def discard(ctx: Session) -> Status:
    """Drop the queued commands and leave MULTI."""
    if not ctx.in_multi:
        raise ReplyError(errors.DISCARD_WITHOUT_MULTI)
    end_transaction(ctx)
    return OK


@command("watch", arity=-2, flags="noscript loading stale fast allow_busy", keys=(1, -1, 1),
         group="transactions", since="2.2.0")
def watch(ctx: Session, *keys: bytes) -> Status:
    """Make the next EXEC fail if any of these keys changes before it."""
    if ctx.in_multi:
        raise ReplyError(errors.WATCH_IN_MULTI)
    for key in keys:
        ctx.db.get(key)  # expire a due key before watching, so its expiry is not a change
        ctx.server.watch(ctx, key)
    return OK


@command("unwatch", arity=1, flags="noscript loading stale fast allow_busy", group="transactions",
         since="2.2.0")
def unwatch(ctx: Session) -> Status:
    """Forget every watched key."""
    ctx.server.unwatch_all(ctx)
    return OK
