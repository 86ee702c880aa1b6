"""Pub/Sub (SUBSCRIBE, PUBLISH, PUBSUB, sharded channels) and keyspace notifications."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fakeredis import errors
from fakeredis.commands.connection import help_reply
from fakeredis.errors import ReplyError
from fakeredis.registry import command, container
from fakeredis.replies import NO_REPLY, Push, Status
from fakeredis.session import Session
from fakeredis.structures.glob import compile_glob, glob_match

if TYPE_CHECKING:
    from fakeredis.keyspace import Database
    from fakeredis.server import FakeServer

# The notify-keyspace-events class letter of each event Redis fires.
EVENT_CLASSES: dict[str, str] = {
    **dict.fromkeys(("del", "rename_from", "rename_to", "move_from", "move_to", "copy_to",
                     "restore", "expire", "persist"), "g"),
    **dict.fromkeys(("set", "setrange", "incrby", "incrbyfloat", "append", "setbit", "getdel",
                     "pfadd", "pfmerge"), "$"),
    **dict.fromkeys(("lpush", "rpush", "lpop", "rpop", "linsert", "lset", "lrem", "ltrim",
                     "lmove", "sortstore"), "l"),
    **dict.fromkeys(("sadd", "srem", "spop", "sinterstore", "sunionstore", "sdiffstore",
                     "smove"), "s"),
    **dict.fromkeys(("hset", "hdel", "hincrby", "hincrbyfloat"), "h"),
    **dict.fromkeys(("zadd", "zincr", "zrem", "zremrangebyscore", "zremrangebyrank",
                     "zremrangebylex", "zinterstore", "zunionstore", "zdiffstore", "zpopmin",
                     "zpopmax", "zrangestore", "georadiusstore", "geosearchstore"), "z"),
    **dict.fromkeys(("xadd", "xtrim", "xdel", "xgroup-create", "xgroup-createconsumer",
                     "xgroup-delconsumer", "xgroup-destroy", "xgroup-setid", "xsetid"), "t"),
    "expired": "x",
    "evicted": "e",
    "new": "n",
}
ALL_CLASSES = "g$lshzxet"


# --- server-side registry of subscribers ----------------------------------------------------------
class PubSubState:
    """Who listens to what on one server: channel/pattern -> sessions, in subscription order."""

    def __init__(self) -> None:
        self.channels: dict[bytes, dict[Session, None]] = {}
        self.patterns: dict[bytes, dict[Session, None]] = {}
        self.shard_channels: dict[bytes, dict[Session, None]] = {}

    def publish(self, channel: bytes, message: bytes) -> int:
        """Deliver to channel subscribers then matching patterns; the number of receivers."""
        receivers = 0
        for session in self.channels.get(channel, ()):
            deliver(session, [b"message", channel, message])
            receivers += 1
        for pattern, sessions in self.patterns.items():
            if sessions and glob_match(pattern, channel):
                for session in sessions:
                    deliver(session, [b"pmessage", pattern, channel, message])
                    receivers += 1
        return receivers

    def unsubscribe_all(self, session: Session) -> None:
        """Drop every subscription of a closing client, without confirmations."""
        for table, mine in ((self.channels, session.channels), (self.patterns, session.patterns),
                            (self.shard_channels, session.shard_channels)):
            for name in mine:
                _discard(table, name, session)
            mine.clear()


def deliver(session: Session, message: list[Any]) -> None:
    """Queue a message for a client and wake whoever reads its connection."""
    session.pushes.append(Push(message))
    listener = session.push_listener
    if listener is not None:
        listener()


def _discard(table: dict[bytes, dict[Session, None]], name: bytes, session: Session) -> None:
    sessions = table.get(name)
    if sessions is not None:
        sessions.pop(session, None)
        if not sessions:
            del table[name]


# --- keyspace notifications -----------------------------------------------------------------------
def notify(server: "FakeServer", db: "Database", key: bytes, event: str) -> None:
    """Publish __keyspace@db__:key and/or __keyevent@db__:event as notify-keyspace-events says."""
    flags = server.notify_flags
    event_class = EVENT_CLASSES.get(event, "g")
    if event_class not in flags and not ("A" in flags and event_class in ALL_CLASSES):
        return
    pubsub = server.pubsub
    name = event.encode()
    if "K" in flags:
        pubsub.publish(b"__keyspace@%d__:%s" % (db.index, key), name)
    if "E" in flags:
        pubsub.publish(b"__keyevent@%d__:%s" % (db.index, name), key)


# --- commands -------------------------------------------------------------------------------------
def _subscribe(ctx: Session, names: tuple[bytes, ...], kind: str) -> Any:
    table = getattr(ctx.server.pubsub, kind)
    mine = getattr(ctx, kind)
    word = {"channels": b"subscribe", "patterns": b"psubscribe", "shard_channels": b"ssubscribe"}
    for name in names:
        if name not in mine:
            mine.add(name)
            table.setdefault(name, {})[ctx] = None
        deliver(ctx, [word[kind], name, _count(ctx, kind)])
    return NO_REPLY


def _unsubscribe(ctx: Session, names: tuple[bytes, ...], kind: str) -> Any:
    table = getattr(ctx.server.pubsub, kind)
    mine = getattr(ctx, kind)
    word = {"channels": b"unsubscribe", "patterns": b"punsubscribe",
            "shard_channels": b"sunsubscribe"}[kind]
    targets = list(names) if names else list(mine)
    if not targets:
        deliver(ctx, [word, None, _count(ctx, kind)])
    for name in targets:
        if name in mine:
            mine.discard(name)
            _discard(table, name, ctx)
        deliver(ctx, [word, name, _count(ctx, kind)])
    return NO_REPLY


def _count(ctx: Session, kind: str) -> int:
    """The count Redis reports in (un)subscribe confirmations."""
    if kind == "shard_channels":
        return len(ctx.shard_channels)
    return len(ctx.channels) + len(ctx.patterns)


@command("subscribe", arity=-2, flags="pubsub noscript loading stale", group="pubsub",
         since="2.0.0")
def subscribe(ctx: Session, *channels: bytes) -> Any:
    """Listen for messages published to the given channels."""
    return _subscribe(ctx, channels, "channels")


@command("unsubscribe", arity=-1, flags="pubsub noscript loading stale", group="pubsub",
         since="2.0.0")
def unsubscribe(ctx: Session, *channels: bytes) -> Any:
    """Stop listening to the given channels, or to all."""
    return _unsubscribe(ctx, channels, "channels")


@command("psubscribe", arity=-2, flags="pubsub noscript loading stale", group="pubsub",
         since="2.0.0")
def psubscribe(ctx: Session, *patterns: bytes) -> Any:
    """Listen for messages published to channels matching the given patterns."""
    return _subscribe(ctx, patterns, "patterns")


@command("punsubscribe", arity=-1, flags="pubsub noscript loading stale", group="pubsub",
         since="2.0.0")
def punsubscribe(ctx: Session, *patterns: bytes) -> Any:
    """Stop listening to the given patterns, or to all."""
    return _unsubscribe(ctx, patterns, "patterns")


@command("ssubscribe", arity=-2, flags="pubsub noscript loading stale", keys=(1, -1, 1),
         group="pubsub", since="7.0.0")
def ssubscribe(ctx: Session, *channels: bytes) -> Any:
    """Listen for messages published to the given shard channels."""
    return _subscribe(ctx, channels, "shard_channels")


@command("sunsubscribe", arity=-1, flags="pubsub noscript loading stale", keys=(1, -1, 1),
         group="pubsub", since="7.0.0")
def sunsubscribe(ctx: Session, *channels: bytes) -> Any:
    """Stop listening to the given shard channels, or to all."""
    return _unsubscribe(ctx, channels, "shard_channels")


@command("publish", arity=3, flags="pubsub loading stale fast", group="pubsub", since="2.0.0")
def publish(ctx: Session, channel: bytes, message: bytes) -> int:
    """Post a message to a channel; the number of clients that received it."""
    return ctx.server.pubsub.publish(channel, message)


@command("spublish", arity=3, flags="pubsub loading stale fast", keys=(1, 1, 1), group="pubsub",
         since="7.0.0")
def spublish(ctx: Session, channel: bytes, message: bytes) -> int:
    """Post a message to a shard channel."""
    sessions = ctx.server.pubsub.shard_channels.get(channel, {})
    for session in sessions:
        deliver(session, [b"smessage", channel, message])
    return len(sessions)


container("pubsub", arity=-2, group="pubsub", since="2.8.0")


def _active(table: dict[bytes, dict[Session, None]], pattern: bytes | None) -> list[bytes]:
    match = compile_glob(pattern) if pattern is not None else None
    return [name for name, sessions in table.items()
            if sessions and (match is None or match(name) is not None)]


@command("pubsub|channels", arity=-2, flags="pubsub loading stale", group="pubsub", since="2.8.0")
def pubsub_channels(ctx: Session, *pattern: bytes) -> list[bytes]:
    """Channels with at least one subscriber, optionally matching a pattern."""
    if len(pattern) > 1:
        raise ReplyError(errors.wrong_arity("pubsub|channels"))
    return _active(ctx.server.pubsub.channels, pattern[0] if pattern else None)


@command("pubsub|shardchannels", arity=-2, flags="pubsub loading stale", group="pubsub",
         since="7.0.0")
def pubsub_shardchannels(ctx: Session, *pattern: bytes) -> list[bytes]:
    """Shard channels with at least one subscriber, optionally matching a pattern."""
    if len(pattern) > 1:
        raise ReplyError(errors.wrong_arity("pubsub|shardchannels"))
    return _active(ctx.server.pubsub.shard_channels, pattern[0] if pattern else None)


@command("pubsub|numsub", arity=-2, flags="pubsub loading stale", group="pubsub", since="2.8.0")
def pubsub_numsub(ctx: Session, *channels: bytes) -> list[Any]:
    """Subscriber counts of the given channels."""
    table = ctx.server.pubsub.channels
    return [item for name in channels for item in (name, len(table.get(name, ())))]


@command("pubsub|shardnumsub", arity=-2, flags="pubsub loading stale", group="pubsub",
         since="7.0.0")
def pubsub_shardnumsub(ctx: Session, *channels: bytes) -> list[Any]:
    """Subscriber counts of the given shard channels."""
    table = ctx.server.pubsub.shard_channels
    return [item for name in channels for item in (name, len(table.get(name, ())))]


@command("pubsub|numpat", arity=2, flags="pubsub loading stale", group="pubsub", since="2.8.0")
def pubsub_numpat(ctx: Session) -> int:
    """The number of patterns subscribed to by all clients."""
    return sum(1 for sessions in ctx.server.pubsub.patterns.values() if sessions)


PUBSUB_HELP = (
    "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CHANNELS [<pattern>]",
    "    Return the currently active channels matching a <pattern> (default: '*').",
    "NUMPAT",
    "    Return number of subscriptions to patterns.",
    "NUMSUB [<channel> ...]",
    "    Return the number of subscribers for the specified channels, excluding",
    "    pattern subscriptions(default: no channels).",
    "SHARDCHANNELS [<pattern>]",
    "    Return the currently active shard level channels matching a <pattern> (default: '*').",
    "SHARDNUMSUB [<shardchannel> ...]",
    "    Return the number of subscribers for the specified shard level channel(s)",
    "HELP",
    "    Prints this help.",
)


@command("pubsub|help", arity=2, flags="loading stale", group="pubsub", since="6.2.0")
def pubsub_help(ctx: Session) -> list[Status]:
    """Show helpful text about the different subcommands."""
    return help_reply(PUBSUB_HELP)
