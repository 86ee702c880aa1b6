"""DEBUG, refused unless enable-debug-command allows it (Redis's default "no"; pass
``config={"enable-debug-command": "yes"}`` to FakeServer, as in a config file).

Simulated: HELP, OBJECT (Redis's fields; serializedlength is an estimate), SLEEP (the whole
server stalls, as in Redis), SET-ACTIVE-EXPIRE (switches the server's active expiry), ERROR,
DIGEST/DIGEST-VALUE (zeros when empty, as Redis; other digests are the fake's own), RELOAD
(the data is kept, as a save and reload would), LOADAOF (without an AOF the data is emptied, as in
Redis), the crash subcommands (SEGFAULT, PANIC ... behave like SHUTDOWN NOSAVE) and tuning switches
that have nothing to tune here (answered OK). Other subcommands get Redis's unknown-subcommand
error.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections import deque
from typing import Any

from fakeredis import errors
from fakeredis.commands.admin import local_allowed, shut_down
from fakeredis.commands.connection import help_reply
from fakeredis.commands.keys import object_idletime, stored_encoding
from fakeredis.errors import ReplyError
from fakeredis.registry import command
from fakeredis.replies import NO_REPLY, OK, Status
from fakeredis.session import Session

_ZERO_DIGEST = b"0" * 40
_RELOAD_OPTIONS = (b"MERGE", b"NOFLUSH", b"NOSAVE")
# (subcommand, argument counts it accepts): answered OK, as there is nothing to tune here
_SWITCHES = {
    b"change-repl-id": (0,), b"log": (1,), b"quicklist-packed-threshold": (1,),
    b"set-skip-checksum-validation": (1,), b"pause-cron": (1,), b"set-disable-deny-scripts": (1,),
    b"aof-flush-sleep": (1,), b"replybuffer": (2,), b"stringmatch-test": (0,),
}
_LEADING_INT = re.compile(rb"\s*[+-]?\d+")
_CRASHES = (b"segfault", b"panic", b"assert", b"oom", b"crash-and-recover", b"restart")


def _c_int(arg: bytes) -> int:
    """``atoi``: the leading integer of ``arg``, 0 when there is none."""
    match = _LEADING_INT.match(arg)
    return int(match.group()) if match else 0


def _c_float(arg: bytes) -> float:
    """``atof``: ``arg`` as a number, 0 when it is not one."""
    try:
        return float(arg)
    except ValueError:
        return 0.0


def _serialized_length(value: Any) -> int:
    """An estimate of the RDB size of a value (Redis's exact number depends on its encodings)."""
    if isinstance(value, bytes):
        return len(value) + 1
    if isinstance(value, dict):
        return 2 + sum(len(f) + len(v) + 2 for f, v in value.items())
    scores = getattr(value, "scores", None)
    if scores is not None:
        return 2 + sum(len(member) + 9 for member in scores)
    try:
        return 2 + sum(len(item) + 1 if isinstance(item, bytes) else 9 for item in value)
    except TypeError:
        return 64


def _debug_object(ctx: Session, key: bytes) -> Status:
    """DEBUG OBJECT's line: address, refcount, encoding, size estimate, LRU; quicklist details."""
    value = ctx.db.get(key)
    if value is None:
        raise ReplyError(errors.NO_SUCH_KEY)
    try:
        idle = object_idletime(ctx, key) or 0
    except ReplyError:  # an LFU policy: no idle time
        idle = 0
    lru = (int(ctx.server.clock.now()) - idle) & ((1 << 24) - 1)
    line = (f"Value at:0x{id(value):x} refcount:1 "
            f"encoding:{stored_encoding(ctx, key, value).decode()} "
            f"serializedlength:{_serialized_length(value)} lru:{lru} lru_seconds_idle:{idle}")
    if type(value) is deque:
        size = sum(len(item) + 2 for item in value) + 6
        line += (f" ql_nodes:1 ql_avg_node:{len(value):.2f} ql_listpack_max:-2 ql_compressed:0"
                 f" ql_uncompressed_size:{size}")
    return Status(line.encode())


def _digest(items: Any) -> bytes:
    """A hex digest of (key, value) pairs, independent of their order; zeros for none."""
    total = 0
    for key, value in items:
        total ^= int(hashlib.sha1(repr((key, _canonical(value))).encode()).hexdigest(), 16)
    return b"%040x" % total if total else _ZERO_DIGEST


def _canonical(value: Any) -> Any:
    """A value in a form whose repr does not depend on insertion order."""
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, dict):
        return sorted(value.items())
    scores = getattr(value, "scores", None)
    if scores is not None:
        return sorted(scores.items())
    if isinstance(value, (bytes, deque, list)):
        return value if isinstance(value, bytes) else list(value)
    return id(value)


def _reload(ctx: Session, options: tuple[bytes, ...]) -> Status:
    """DEBUG RELOAD: saving and loading back leaves the data as it is."""
    if any(option.upper() not in _RELOAD_OPTIONS for option in options):
        raise ReplyError(errors.DEBUG_RELOAD_OPTIONS)
    return OK


def _loadaof(ctx: Session) -> Status:
    """DEBUG LOADAOF without an append-only file: the data is emptied, as Redis empties it."""
    for db in ctx.server.dbs:
        db.flush()
    return OK


def _run(ctx: Session, sub: bytes, args: tuple[bytes, ...]) -> Any:
    """Dispatch one DEBUG subcommand (lower-case ``sub``)."""
    count = len(args)
    if sub == b"help" and count == 0:
        return help_reply(DEBUG_HELP)
    if sub == b"object" and count == 1:
        return _debug_object(ctx, args[0])
    if sub == b"sleep" and count == 1:
        time.sleep(max(_c_float(args[0]), 0.0))
        return OK
    if sub == b"set-active-expire" and count == 1:
        ctx.server.active_expire = _c_int(args[0]) != 0
        return OK
    if sub == b"error" and count == 1:
        raise ReplyError("ERR " + args[0].decode("utf-8", "surrogateescape"))
    if sub == b"digest" and count == 0:
        return _digest((k, v) for db in ctx.server.dbs for k, v in db.data.items())
    if sub == b"digest-value" and count >= 1:
        return [_digest([(key, ctx.db.get(key))]) if ctx.db.get(key) is not None
                else _ZERO_DIGEST for key in args]
    if sub == b"reload":
        return _reload(ctx, args)
    if sub == b"loadaof" and count == 0:
        return _loadaof(ctx)
    if sub in _CRASHES:
        shut_down(ctx)
        return NO_REPLY
    if count in _SWITCHES.get(sub, ()):
        return OK
    raise ReplyError(errors.subcommand_syntax(sub, "debug", ctx.server.version))


@command("debug", arity=-2, flags="admin noscript loading stale", group="server", since="1.0.0")
def debug(ctx: Session, subcommand: bytes, *args: bytes) -> Any:
    """Debugging subcommands (OBJECT SLEEP SET-ACTIVE-EXPIRE ...) if enable-debug-command allows."""
    if not local_allowed(ctx, "enable-debug-command"):
        raise ReplyError(errors.command_not_allowed("DEBUG", "enable-debug-command"))
    return _run(ctx, subcommand.lower(), args)


DEBUG_HELP = (
    "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "AOF-FLUSH-SLEEP <microsec>",
    "    Server will sleep before flushing the AOF, this is used for testing.",
    "ASSERT",
    "    Crash by assertion failed.",
    "CHANGE-REPL-ID",
    "    Change the replication IDs of the instance.",
    "    Dangerous: should be used only for testing the replication subsystem.",
    "CONFIG-REWRITE-FORCE-ALL",
    "    Like CONFIG REWRITE but writes all configuration options, including",
    "    keywords not listed in original configuration file or default values.",
    "CRASH-AND-RECOVER [<milliseconds>]",
    "    Hard crash and restart after a <milliseconds> delay (default 0).",
    "DIGEST",
    "    Output a hex signature representing the current DB content.",
    "DIGEST-VALUE <key> [<key> ...]",
    "    Output a hex signature of the values of all the specified keys.",
    "ERROR <string>",
    "    Return a Redis protocol error with <string> as message. Useful for clients",
    "    unit tests to simulate Redis errors.",
    "LEAK <string>",
    "    Create a memory leak of the input string.",
    "LOG <message>",
    "    Write <message> to the server log.",
    "HTSTATS <dbid>",
    "    Return hash table statistics of the specified Redis database.",
    "HTSTATS-KEY <key>",
    "    Like HTSTATS but for the hash table stored at <key>'s value.",
    "LOADAOF",
    "    Flush the AOF buffers on disk and reload the AOF in memory.",
    "REPLICATE <string>",
    "    Replicates the provided string to replicas, allowing data divergence.",
    "MALLCTL <key> [<val>]",
    "    Get or set a malloc tuning integer.",
    "MALLCTL-STR <key> [<val>]",
    "    Get or set a malloc tuning string.",
    "OBJECT <key>",
    "    Show low level info about `key` and associated value.",
    "DROP-CLUSTER-PACKET-FILTER <packet-type>",
    "    Drop all packets that match the filtered type. Set to -1 allow all packets.",
    "OOM",
    "    Crash the server simulating an out-of-memory error.",
    "PANIC",
    "    Crash the server simulating a panic.",
    "POPULATE <count> [<prefix>] [<size>]",
    "    Create <count> string keys named key:<num>. If <prefix> is specified then",
    "    it is used instead of the 'key' prefix. These are not propagated to",
    "    replicas. Cluster slots are not respected so keys not belonging to the",
    "    current node can be created in cluster mode.",
    "PROTOCOL <type>",
    "    Reply with a test value of the specified type. <type> can be: string,",
    "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
    "    true, false.",
    "RELOAD [option ...]",
    "    Save the RDB on disk and reload it back to memory. Valid <option> values:",
    "    * MERGE: conflicting keys will be loaded from RDB.",
    "    * NOFLUSH: the existing database will not be removed before load, but",
    "      conflicting keys will generate an exception and kill the server.",
    "    * NOSAVE: the database will be loaded from an existing RDB file.",
    "    Examples:",
    "    * DEBUG RELOAD: verify that the server is able to persist, flush and reload",
    "      the database.",
    "    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an",
    "      existing RDB file.",
    "    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB",
    "      file to the database.",
    "RESTART [<milliseconds>]",
    "    Graceful restart: save config, db, restart after a <milliseconds> delay (default 0).",
    "SDSLEN <key>",
    "    Show low level SDS string info representing `key` and value.",
    "SEGFAULT",
    "    Crash the server with sigsegv.",
    "SET-ACTIVE-EXPIRE <0|1>",
    "    Setting it to 0 disables expiring keys in background when they are not",
    "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
    "    default.",
    "QUICKLIST-PACKED-THRESHOLD <size>",
    "    Sets the threshold for elements to be inserted as plain vs packed nodes",
    "    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
    "SET-SKIP-CHECKSUM-VALIDATION <0|1>",
    "    Enables or disables checksum checks for RDB files and RESTORE's payload.",
    "SLEEP <seconds>",
    "    Stop the server for <seconds>. Decimals allowed.",
    "STRINGMATCH-TEST",
    "    Run a fuzz tester against the stringmatchlen() function.",
    "STRUCTSIZE",
    "    Return the size of different Redis core C structures.",
    "LISTPACK <key>",
    "    Show low level info about the listpack encoding of <key>.",
    "QUICKLIST <key> [<0|1>]",
    "    Show low level info about the quicklist encoding of <key>.",
    "    The optional argument (0 by default) sets the level of detail",
    "CLIENT-EVICTION",
    "    Show low level client eviction pools info (maxmemory-clients).",
    "PAUSE-CRON <0|1>",
    "    Stop periodic cron job processing.",
    "REPLYBUFFER PEAK-RESET-TIME <NEVER||RESET|time>",
    "    Sets the time (in milliseconds) to wait between client reply buffer peak resets.",
    "    In case NEVER is provided the last observed peak will never be reset",
    "    In case RESET is provided the peak reset time will be restored to the default value",
    "REPLYBUFFER RESIZING <0|1>",
    "    Enable or disable the reply buffer resize cron job",
    "CLUSTERLINK KILL <to|from|all> <node-id>",
    "    Kills the link based on the direction to/from (both) with the provided node.",
    "HELP",
    "    Prints this help.",
)
