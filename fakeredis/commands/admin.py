"""Administration commands of a single-node Redis without replicas: MEMORY SLOWLOG LATENCY LOLWUT
ROLE WAIT FAILOVER REPLICAOF SLAVEOF SYNC PSYNC REPLCONF MODULE BGREWRITEAOF SHUTDOWN MONITOR.

What is simulated and what is not:

- MEMORY USAGE is an estimate (exact numbers depend on Redis's allocator and encodings): a fixed
  overhead per type plus the sizes of the key and of the (sampled) elements, so it grows with the
  value. MEMORY STATS has Redis's field names with values derived from the dataset.
- The slow log and the latency monitor stay empty: timing every command would cost the hot path.
- REPLICAOF host port answers as Redis does; ROLE/INFO then report a replica whose link is down
  and write commands get READONLY while replica-read-only is yes: so do writes inside scripts, and
  scripts whose shebang or function flags allow writes, before they run. With
  replica-serve-stale-data no, commands without the stale flag (scripts without allow-stale) get
  MASTERDOWN, as the link is always down. Nothing is replicated. SYNC and PSYNC are refused.
- MODULE LOAD fails as for a missing file: the fake cannot load Redis modules.
- SHUTDOWN disconnects every client and marks the server disconnected (in-process clients get a
  ConnectionError until ``server.connected`` is set again); a TCP listener keeps listening.
"""

from __future__ import annotations

import itertools
from collections import deque
from typing import Any

from fakeredis import errors
from fakeredis.args import parse_int
from fakeredis.commands.connection import help_reply, kill_session
from fakeredis.errors import ReplyError
from fakeredis.registry import command, container
from fakeredis.replies import NO_REPLY, OK, Status, Verbatim
from fakeredis.session import Session
from fakeredis.structures.stream import Stream
from fakeredis.structures.zset import ZSet


def _version_text(ctx: Session) -> str:
    return ".".join(map(str, ctx.server.version))


# --- MEMORY ---------------------------------------------------------------------------------------
container("memory", arity=-2, group="server", since="4.0.0",
          summary="A container for memory diagnostics commands")

_STARTUP_ALLOCATED = 876144
_DEFAULT_SAMPLES = 5
# (fixed cost, cost per element besides its bytes) by type, roughly what Redis 7.0 reports for
# values of a thousand short elements: listpack-packed lists, hash tables, skiplists, streams
_COSTS: dict[type, tuple[int, int]] = {
    bytes: (56, 0), deque: (128, 2), dict: (56, 40), set: (128, 36), ZSet: (64, 96),
    Stream: (4600, 16),
}
_OTHER_COSTS = (128, 16)


def _raw_size(element: Any) -> int:
    """Bytes of one member, field/value pair or stream entry (8 for a number). O(its size)."""
    if isinstance(element, (bytes, bytearray)):
        return len(element)
    if isinstance(element, (tuple, list)):
        return sum(_raw_size(part) for part in element)
    return 8


def _elements(value: Any) -> tuple[Any, int]:
    """An iterator over the elements of a collection, and their count."""
    if isinstance(value, dict):
        return iter(value.items()), len(value)
    if isinstance(value, ZSet):
        return iter(value.scores.items()), len(value)
    if isinstance(value, Stream):  # (printed id, fields) records
        return iter(value.entries.values()), len(value.entries)
    return iter(value), len(value)


def value_memory(key: bytes, value: Any, samples: int) -> int:
    """MEMORY USAGE's estimate: fixed cost + key + the elements with their per-element cost
    (extrapolated from ``samples`` of them, 0 = all), rounded up to 8 bytes. O(samples)."""
    fixed, per_element = _COSTS.get(type(value), _OTHER_COSTS)
    size = fixed + len(key)
    if isinstance(value, bytes):
        size += len(value)
    else:
        elements, count = _elements(value)
        taken = list(itertools.islice(elements, samples or None))
        if taken:
            sampled = sum(_raw_size(element) + per_element for element in taken)
            size += sampled * count // len(taken)
    return (size + 7) & ~7


@command("memory|usage", arity=-3, flags="readonly", keys=(2, 2, 1), group="server",
         since="4.0.0")
def memory_usage(ctx: Session, key: bytes, *options: bytes) -> int | None:
    """An estimate of a key's bytes, growing with its value (not Redis's count). O(samples)."""
    samples = _DEFAULT_SAMPLES
    for i in range(0, len(options), 2):
        if options[i].upper() != b"SAMPLES" or i + 1 >= len(options):
            raise ReplyError(errors.SYNTAX)
        samples = parse_int(options[i + 1])
        if samples < 0:
            raise ReplyError(errors.SYNTAX)
    value = ctx.db.get(key)
    return None if value is None else value_memory(key, value, samples)


def dataset_bytes(ctx: Session) -> tuple[int, int]:
    """(estimated bytes of all keys and values, number of keys). O(keys)."""
    total = keys = 0
    for db in ctx.server.dbs:
        keys += len(db.data)
        total += sum(value_memory(key, value, _DEFAULT_SAMPLES) for key, value in db.data.items())
    return total, keys


@command("memory|stats", arity=2, group="server", since="4.0.0")
def memory_stats(ctx: Session) -> dict[bytes, Any]:
    """Redis's MEMORY STATS fields, with values estimated from the dataset. O(keys)."""
    dataset, keys = dataset_bytes(ctx)
    overhead = _STARTUP_ALLOCATED + sum(64 * len(db.data) for db in ctx.server.dbs)
    total = overhead + dataset
    stats: dict[bytes, Any] = {
        b"peak.allocated": total, b"total.allocated": total,
        b"startup.allocated": _STARTUP_ALLOCATED, b"replication.backlog": 0,
        b"clients.slaves": 0, b"clients.normal": 0, b"cluster.links": 0, b"aof.buffer": 0,
        b"lua.caches": 0, b"functions.caches": 0,
    }
    for db in ctx.server.dbs:
        if db.data:
            stats[b"db.%d" % db.index] = {
                b"overhead.hashtable.main": 64 * len(db.data),
                b"overhead.hashtable.expires": 32 * len(db.expires),
                b"overhead.hashtable.slot-to-keys": 0,
            }
    stats.update({
        b"overhead.total": overhead, b"keys.count": keys,
        b"keys.bytes-per-key": (total - _STARTUP_ALLOCATED) // keys if keys else 0,
        b"dataset.bytes": dataset, b"dataset.percentage": 100.0 * dataset / total,
        b"peak.percentage": 100.0, b"allocator.allocated": total, b"allocator.active": total,
        b"allocator.resident": total, b"allocator-fragmentation.ratio": 1.0,
        b"allocator-fragmentation.bytes": 0, b"allocator-rss.ratio": 1.0,
        b"allocator-rss.bytes": 0, b"rss-overhead.ratio": 1.0, b"rss-overhead.bytes": 0,
        b"fragmentation": 1.0, b"fragmentation.bytes": 0,
    })
    return stats


MEMORY_DOCTOR_EMPTY = (
    "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be "
    "used in these conditions. Please, leave for your mission on Earth and fill it with some "
    "data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n"
)
MEMORY_DOCTOR_FINE = (
    "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs "
    "on this base.\n"
)
_DOCTOR_MIN_BYTES = 5 * 1024 * 1024  # Redis's doctor has nothing to say below 5MB


@command("memory|doctor", arity=2, group="server", since="4.0.0")
def memory_doctor(ctx: Session) -> Verbatim:
    """Redis's report: nothing to say about a small dataset, no issues otherwise. O(keys)."""
    dataset, _ = dataset_bytes(ctx)
    text = MEMORY_DOCTOR_EMPTY if dataset < _DOCTOR_MIN_BYTES else MEMORY_DOCTOR_FINE
    return Verbatim(text.encode())


@command("memory|malloc-stats", arity=2, group="server", since="4.0.0")
def memory_malloc_stats(ctx: Session) -> Verbatim:
    """What Redis answers when built with libc malloc: no statistics."""
    return Verbatim(b"Stats not supported for the current allocator")


@command("memory|purge", arity=2, group="server", since="4.0.0")
def memory_purge(ctx: Session) -> Status:
    """Nothing to purge."""
    return OK


MEMORY_HELP = (
    "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "DOCTOR",
    "    Return memory problems reports.",
    "MALLOC-STATS",
    "    Return internal statistics report from the memory allocator.",
    "PURGE",
    "    Attempt to purge dirty pages for reclamation by the allocator.",
    "STATS",
    "    Return information about the memory usage of the server.",
    "USAGE <key> [SAMPLES <count>]",
    "    Return memory in bytes used by <key> and its value. Nested values are",
    "    sampled up to <count> times (default: 5, 0 means sample all).",
    "HELP",
    "    Prints this help.",
)


@command("memory|help", arity=2, flags="loading stale", group="server", since="4.0.0")
def memory_help(ctx: Session) -> list[Status]:
    """Show helpful text about the different subcommands."""
    return help_reply(MEMORY_HELP)


# --- SLOWLOG (always empty) -----------------------------------------------------------------------
container("slowlog", arity=-2, group="server", since="2.2.12",
          summary="A container for slow log commands")


@command("slowlog|get", arity=-2, flags="admin loading stale", group="server", since="2.2.12")
def slowlog_get(ctx: Session, *count: bytes) -> list[Any]:
    """The slow log's newest entries: none, as the fake does not time commands."""
    if len(count) > 1:
        # Redis echoes the subcommand as sent; the handler only knows it was GET
        raise ReplyError(errors.subcommand_syntax(b"GET", "slowlog", ctx.server.version))
    if count and parse_int(count[0], errors.SLOWLOG_COUNT) < -1:
        raise ReplyError(errors.SLOWLOG_COUNT)
    return []


@command("slowlog|len", arity=2, flags="admin loading stale", group="server", since="2.2.12")
def slowlog_len(ctx: Session) -> int:
    """The slow log's length: always 0."""
    return 0


@command("slowlog|reset", arity=2, flags="admin loading stale", group="server", since="2.2.12")
def slowlog_reset(ctx: Session) -> Status:
    """Clear the (empty) slow log."""
    return OK


SLOWLOG_HELP = (
    "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "GET [<count>]",
    "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
    "    Entries are made of:",
    "    id, timestamp, time in microseconds, arguments array, client IP and port,",
    "    client name",
    "LEN",
    "    Return the length of the slowlog.",
    "RESET",
    "    Reset the slowlog.",
    "HELP",
    "    Prints this help.",
)


@command("slowlog|help", arity=2, flags="loading stale", group="server", since="6.2.0")
def slowlog_help(ctx: Session) -> list[Status]:
    """Show helpful text about the different subcommands."""
    return help_reply(SLOWLOG_HELP)


# --- LATENCY (no samples are ever recorded) -------------------------------------------------------
container("latency", arity=-2, group="server", since="2.8.13",
          summary="A container for latency diagnostics commands")

LATENCY_DOCTOR_DISABLED = (
    "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. "
    "You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. "
    "If we weren't in a deep space mission I'd suggest to take a look at "
    "https://redis.io/topics/latency-monitor.\n"
)
LATENCY_DOCTOR_QUIET = (
    "Dave, no latency spike was observed during the lifetime of this Redis instance, not in the "
    "slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think "
    "things over.\n"
)


@command("latency|latest", arity=2, flags="admin noscript loading stale", group="server",
         since="2.8.13")
def latency_latest(ctx: Session) -> list[Any]:
    """The latest latency spikes: none."""
    return []


@command("latency|history", arity=3, flags="admin noscript loading stale", group="server",
         since="2.8.13")
def latency_history(ctx: Session, event: bytes) -> list[Any]:
    """The spikes of one event: none."""
    return []


@command("latency|graph", arity=3, flags="admin noscript loading stale", group="server",
         since="2.8.13")
def latency_graph(ctx: Session, event: bytes) -> None:
    """An ASCII graph of one event: there are never samples."""
    raise ReplyError(errors.LATENCY_NO_SAMPLES.format(event.decode("utf-8", "replace")))


@command("latency|doctor", arity=2, flags="admin noscript loading stale", group="server",
         since="2.8.13")
def latency_doctor(ctx: Session) -> Verbatim:
    """Redis's report: monitoring disabled (threshold 0) or no spike observed."""
    enabled = ctx.server.config.get_int("latency-monitor-threshold") > 0
    return Verbatim((LATENCY_DOCTOR_QUIET if enabled else LATENCY_DOCTOR_DISABLED).encode())


@command("latency|reset", arity=-2, flags="admin noscript loading stale", group="server",
         since="2.8.13")
def latency_reset(ctx: Session, *events: bytes) -> int:
    """How many event series were reset: none exist."""
    return 0


@command("latency|histogram", arity=-2, flags="admin noscript loading stale", group="server",
         since="7.0.0")
def latency_histogram(ctx: Session, *names: bytes) -> dict[bytes, Any]:
    """Per-command latency histograms: empty, as commands are not timed."""
    return {}


LATENCY_HELP = (
    "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "DOCTOR",
    "    Return a human readable latency analysis report.",
    "GRAPH <event>",
    "    Return an ASCII latency graph for the <event> class.",
    "HISTORY <event>",
    "    Return time-latency samples for the <event> class.",
    "LATEST",
    "    Return the latest latency samples for all events.",
    "RESET [<event> ...]",
    "    Reset latency data of one or more <event> classes.",
    "    (default: reset all data for all event classes)",
    "HISTOGRAM [COMMAND ...]",
    ("    Return a cumulative distribution of latencies in the format of a histogram for the "
     "specified command names."),
    "    If no commands are specified then all histograms are replied.",
    "HELP",
    "    Prints this help.",
)


@command("latency|help", arity=2, flags="loading stale", group="server", since="2.8.13")
def latency_help(ctx: Session) -> list[Status]:
    """Show helpful text about the different subcommands."""
    return help_reply(LATENCY_HELP)


# --- LOLWUT ---------------------------------------------------------------------------------------
@command("lolwut", arity=-1, flags="readonly fast", group="server", since="5.0.0")
def lolwut(ctx: Session, *args: bytes) -> Verbatim:
    """The version line (the artwork of VERSION 5 and 6 is not drawn)."""
    if len(args) >= 2 and args[0].upper() == b"VERSION":
        parse_int(args[1])
    return Verbatim(f"Redis ver. {_version_text(ctx)}\n".encode())


# --- replication: a master without replicas -------------------------------------------------------
@command("role", arity=1, flags="noscript loading stale fast", group="server", since="2.8.12",
         acl="admin dangerous")
def role(ctx: Session) -> list[Any]:
    """A master with offset 0 and no replicas, or a replica whose link never came up."""
    master = ctx.server.replica_of
    if master is None:
        return [b"master", 0, []]
    return [b"slave", master[0], master[1], b"connect", -1]


@command("wait", arity=3, flags="noscript", group="generic", since="3.0.0", acl="connection")
def wait(ctx: Session, numreplicas: bytes, timeout: bytes) -> int:
    """How many replicas acknowledged the writes: 0, at once (there are none)."""
    parse_int(numreplicas)
    if parse_int(timeout, errors.WAIT_TIMEOUT_NOT_INTEGER) < 0:
        raise ReplyError(errors.WAIT_TIMEOUT_NEGATIVE)
    return 0


def _failover_options(args: tuple[bytes, ...]) -> bool:
    """Parse FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT ms]; True when ABORT was given."""
    seen: set[bytes] = set()
    i = 0
    while i < len(args):
        option = args[i].upper()
        if option in seen:
            raise ReplyError(errors.SYNTAX)
        seen.add(option)
        if option == b"TO" and i + 2 < len(args):
            parse_int(args[i + 2])
            i += 3
        elif option == b"TIMEOUT" and i + 1 < len(args):
            if parse_int(args[i + 1]) <= 0:
                raise ReplyError(errors.FAILOVER_TIMEOUT)
            i += 2
        elif option in (b"FORCE", b"ABORT"):
            i += 1
        else:
            raise ReplyError(errors.SYNTAX)
    if b"ABORT" in seen and len(seen) > 1:
        raise ReplyError(errors.SYNTAX)
    return b"ABORT" in seen


@command("failover", arity=-1, flags="admin noscript stale", group="server", since="6.2.0")
def failover(ctx: Session, *args: bytes) -> None:
    """Start or abort a coordinated failover: there is never a replica to fail over to."""
    if _failover_options(args):
        raise ReplyError(errors.FAILOVER_NOT_IN_PROGRESS)
    if ctx.server.replica_of is not None:
        raise ReplyError(errors.FAILOVER_ON_REPLICA)
    raise ReplyError(errors.FAILOVER_NO_REPLICAS)


_MAX_PORT = 65535


def _replicaof(ctx: Session, host: bytes, port: bytes) -> Status:
    """REPLICAOF/SLAVEOF: NO ONE makes a master; host port records a master (nothing replicates)."""
    server = ctx.server
    if host.upper() == b"NO" and port.upper() == b"ONE":
        server.set_replica_of(None)
        return OK
    number = parse_int(port, errors.INVALID_MASTER_PORT)
    if not 0 <= number <= _MAX_PORT:
        raise ReplyError(errors.INVALID_MASTER_PORT)
    if server.replica_of == (host, number):
        return Status(b"OK Already connected to specified master")
    server.set_replica_of((host, number))
    return OK


@command("replicaof", arity=3, flags="admin noscript stale no_async_loading", group="server",
         since="5.0.0")
def replicaof(ctx: Session, host: bytes, port: bytes) -> Status:
    """Record host:port as master (ROLE/INFO show a replica; nothing replicates), or NO ONE."""
    return _replicaof(ctx, host, port)


@command("slaveof", arity=3, flags="admin noscript stale no_async_loading", group="server",
         since="1.0.0")
def slaveof(ctx: Session, host: bytes, port: bytes) -> Status:
    """The old name of REPLICAOF."""
    return _replicaof(ctx, host, port)


@command("sync", arity=1, flags="admin noscript no_async_loading no_multi", group="server",
         since="1.0.0")
def sync(ctx: Session) -> None:
    """Refused: the fake has no replication stream to send."""
    raise ReplyError(errors.NO_REPLICATION)


@command("psync", arity=-3, flags="admin noscript no_async_loading no_multi", group="server",
         since="2.8.0")
def psync(ctx: Session, replication_id: bytes, offset: bytes, *rest: bytes) -> None:
    """Refused: the fake has no replication stream to send."""
    raise ReplyError(errors.NO_REPLICATION)


_REPLCONF_OPTIONS = (b"listening-port", b"ip-address", b"capa", b"rdb-only", b"rdb-filter-only",
                     b"ack", b"getack")


@command("replconf", arity=-1, flags="admin noscript loading stale allow_busy", group="server",
         since="3.0.0")
def replconf(ctx: Session, *args: bytes) -> Any:
    """What a master tells a would-be replica's REPLCONF; ACK and GETACK get no reply."""
    if len(args) % 2:
        raise ReplyError(errors.SYNTAX)
    for i in range(0, len(args), 2):
        option = args[i].lower()
        if option not in _REPLCONF_OPTIONS:
            name = args[i].decode("utf-8", "replace")
            raise ReplyError(errors.REPLCONF_UNRECOGNIZED.format(name))
        if option in (b"ack", b"getack"):
            return NO_REPLY
        if option == b"listening-port":
            parse_int(args[i + 1])
    return OK


# --- MODULE ---------------------------------------------------------------------------------------
container("module", arity=-2, group="server", since="4.0.0",
          summary="A container for module commands")


def _modules_allowed(ctx: Session) -> None:
    """MODULE LOAD/LOADEX/UNLOAD are refused unless enable-module-command allows them."""
    if not local_allowed(ctx, "enable-module-command"):
        raise ReplyError(errors.command_not_allowed("MODULE", "enable-module-command"))


def local_allowed(ctx: Session, option: str) -> bool:
    """Whether a protected command (DEBUG, MODULE) may run: yes, or local from a local client;
    always before 7.0, which had no such option."""
    if ctx.server.version < (7, 0, 0):
        return True
    setting = ctx.server.config.get_value(option)
    if setting == b"yes":
        return True
    return setting == b"local" and ctx.addr.startswith(("127.0.0.1:", "[::1]:", "::1:"))


@command("module|list", arity=2, flags="admin noscript", group="server", since="4.0.0")
def module_list(ctx: Session) -> list[Any]:
    """Loaded modules: none."""
    return []


@command("module|load", arity=-3, flags="admin noscript no_async_loading", group="server",
         since="4.0.0")
def module_load(ctx: Session, path: bytes, *args: bytes) -> None:
    """Refused as for a missing file: the fake cannot load Redis modules."""
    _modules_allowed(ctx)
    raise ReplyError(errors.MODULE_LOAD_FAILED)


@command("module|loadex", arity=-3, flags="admin noscript no_async_loading", group="server",
         since="7.0.0")
def module_loadex(ctx: Session, path: bytes, *args: bytes) -> None:
    """Refused as for a missing file: the fake cannot load Redis modules."""
    _modules_allowed(ctx)
    raise ReplyError(errors.MODULE_LOAD_FAILED)


@command("module|unload", arity=3, flags="admin noscript no_async_loading", group="server",
         since="4.0.0")
def module_unload(ctx: Session, name: bytes) -> None:
    """No module is loaded, so none can be unloaded."""
    _modules_allowed(ctx)
    raise ReplyError(errors.MODULE_NO_SUCH_MODULE)


MODULE_HELP = (
    "MODULE <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "LIST",
    "    Return a list of loaded modules.",
    "LOAD <path> [<arg> ...]",
    "    Load a module library from <path>, passing to it any optional arguments.",
    "LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]",
    ("    Load a module library from <path>, while passing it module configurations and optional "
     "arguments."),
    "UNLOAD <name>",
    "    Unload a module.",
    "HELP",
    "    Prints this help.",
)


@command("module|help", arity=2, flags="loading stale", group="server", since="5.0.0")
def module_help(ctx: Session) -> list[Status]:
    """Show helpful text about the different subcommands."""
    return help_reply(MODULE_HELP)


# --- persistence and shutdown ---------------------------------------------------------------------
@command("bgrewriteaof", arity=1, flags="admin noscript no_async_loading", group="server",
         since="1.0.0")
def bgrewriteaof(ctx: Session) -> Status:
    """Pretend to rewrite the append-only file; nothing is written."""
    return Status(b"Background append only file rewriting started")


_SHUTDOWN_OPTIONS = (b"NOSAVE", b"SAVE", b"NOW", b"FORCE", b"ABORT")


def _shutdown_options(args: tuple[bytes, ...]) -> set[bytes]:
    """SHUTDOWN's flags; NOSAVE with SAVE, or ABORT with anything else, is a syntax error."""
    options = {arg.upper() for arg in args}
    if not options <= set(_SHUTDOWN_OPTIONS) or {b"NOSAVE", b"SAVE"} <= options \
            or (b"ABORT" in options and len(options) > 1):
        raise ReplyError(errors.SYNTAX)
    return options


def shut_down(ctx: Session) -> None:
    """Disconnect every client and mark the server disconnected, like a server going down."""
    server = ctx.server
    for session in list(server.clients.values()):
        if session is not ctx:
            kill_session(session)
    ctx.killed = True
    server.close_session(ctx)
    server.connected = False
    for callback in list(ctx.on_close):
        callback()


@command("shutdown", arity=-1, flags="admin noscript loading stale no_multi allow_busy",
         group="server", since="1.0.0")
def shutdown(ctx: Session, *args: bytes) -> Any:
    """Close every connection and refuse new ones until ``server.connected`` is set again."""
    if b"ABORT" in _shutdown_options(args):
        raise ReplyError(errors.SHUTDOWN_NOT_IN_PROGRESS)
    shut_down(ctx)
    return NO_REPLY


# --- MONITOR --------------------------------------------------------------------------------------
@command("monitor", arity=1, flags="admin noscript loading stale", group="server", since="1.0.0")
def monitor(ctx: Session) -> Status:
    """Stream every command clients run to this client, as pushed lines; refused in EXEC."""
    if ctx.in_multi:
        raise ReplyError(errors.MONITOR_IN_TRANSACTION)
    ctx.server.add_monitor(ctx, feed_monitors)
    return OK


def _quoted(arg: bytes) -> str:
    """An argument as MONITOR prints it: in double quotes, escaped like Redis's sdscatrepr."""
    out = ['"']
    for byte in arg:
        char = chr(byte)
        if char in '\\"':
            out.append("\\" + char)
        elif char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif 32 <= byte < 127:
            out.append(char)
        else:
            out.append(f"\\x{byte:02x}")
    out.append('"')
    return "".join(out)


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\a": "\\a", "\b": "\\b"}
_REDACTED = b"(redacted)"


def _redacted(argv: list[bytes]) -> list[bytes]:
    """``argv`` with credentials hidden as Redis does: AUTH's (not a syntax error's), HELLO's
    AUTH user password (when HELLO got as far as its options: a protocol version of 2 or 3),
    MIGRATE's AUTH password and AUTH2 user password."""
    name = argv[0].lower()
    if name == b"auth" and len(argv) <= 3:
        return argv[:1] + [_REDACTED] * (len(argv) - 1)
    if name == b"hello" and argv[1:2] in ([b"2"], [b"3"]):
        return _redact_options(argv, 2, {b"AUTH": 2, b"SETNAME": 1})
    if name == b"migrate":
        return _redact_options(argv, 6, {b"AUTH": 1, b"AUTH2": 2, b"COPY": 0, b"REPLACE": 0})
    return argv


def _redact_options(argv: list[bytes], start: int, arities: dict[bytes, int]) -> list[bytes]:
    """``argv`` with the values of AUTH and AUTH2 redacted, reading options (with ``arities``
    arguments each) from ``start`` up to one that is unknown or lacks its arguments, as the
    command's own parser stops there."""
    argv = list(argv)
    i = start
    while i < len(argv):
        option = argv[i].upper()
        count = arities.get(option)
        if count is None or i + count >= len(argv):
            break
        if option.startswith(b"AUTH"):
            argv[i + 1:i + 1 + count] = [_REDACTED] * count
        i += 1 + count
    return argv


def feed_monitors(server: Any, session: Session, argv: list[bytes]) -> None:
    """Push the line MONITOR shows for ``argv`` to every monitor. O(monitors + len(argv)).

    The server calls it after a command ran (so the line shows the db it left selected), and
    before a script ran; a command a script runs shows ``lua`` for the client. A monitor's own
    command's line follows its reply: that client's reader sends it after the reply.
    """
    seconds, micros = divmod(server.clock.now_us(), 1_000_000)
    words = " ".join(_quoted(arg) for arg in _redacted(argv))
    client = "lua" if session.in_script else session.addr
    line = Status(f"{seconds}.{micros:06d} [{session.db.index} {client}] {words}".encode("ascii"))
    for watcher in list(server.monitors):
        if watcher.reply_mode == b"off" or watcher.skip_next_reply:  # CLIENT REPLY OFF, or
            continue  # SKIP until its next command's reply, silence monitor lines too
        watcher.pushes.append(line)
        listener = watcher.push_listener
        if listener is not None and watcher is not session:
            listener()
