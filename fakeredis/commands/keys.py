"""Generic key commands (Redis's db.c, object.c, cluster.c): DEL KEYS SCAN RENAME COPY DUMP ..."""

from __future__ import annotations

import copy
import itertools
import random
import weakref
from collections import deque
from typing import Any

from fakeredis import errors
from fakeredis.args import INT64_MAX, parse_int, try_int
from fakeredis.commands.connection import INT32_MAX, INT32_MIN, help_reply
from fakeredis.commands.hashes import hash_encoding
from fakeredis.commands.sets import HASHTABLE, set_encoding
from fakeredis.errors import ReplyError
from fakeredis.keyspace import Database, type_name
from fakeredis.registry import check_added, command, container, has_added
from fakeredis.replies import OK, Status
from fakeredis.session import Session
from fakeredis.structures import rdb
from fakeredis.structures.glob import compile_glob
from fakeredis.structures.scan import parse_cursor, parse_scan_options, scan_page

# Redis shares one object for each integer string below this (OBJECT REFCOUNT says INT_MAX).
_SHARED_INTEGERS = 10000
_EMBSTR_LIMIT = 44
_LFU_INIT_VAL = 5
_GLOB_SPECIALS = frozenset(b"*?[\\")
# Redis's LRU clock: seconds, 24 bits, wrapping.
_LRU_CLOCK_MAX = (1 << 24) - 1


# --- helpers -------------------------------------------------------------------------------------
def parse_db_index(ctx: Session, arg: bytes) -> Database:
    """The database an argument names (MOVE, COPY DB), with Redis's range errors (before 6.2
    MOVE had one error for every bad index)."""
    if ctx.server.version < (6, 2, 0):
        index = parse_int(arg, errors.INDEX_OUT_OF_RANGE)
        if not 0 <= index < len(ctx.server.dbs):
            raise ReplyError(errors.INDEX_OUT_OF_RANGE)
        return ctx.server.dbs[index]
    index = parse_int(arg)
    if not INT32_MIN <= index <= INT32_MAX:
        raise ReplyError(errors.RANGE_INT)
    if not 0 <= index < len(ctx.server.dbs):
        raise ReplyError(errors.DB_INDEX_OUT_OF_RANGE)
    return ctx.server.dbs[index]


def copy_value(value: Any) -> Any:
    """An independent copy of a stored value; elements are immutable bytes. O(n)."""
    kind = type(value)
    if kind is bytes:
        return value
    if kind in (deque, set, dict):
        return kind(value)
    return copy.deepcopy(value)


def store(db: Database, key: bytes, value: Any, deadline: int | None,
          encoding: bytes | None = None) -> None:
    """Put ``value`` at ``key`` (replacing anything there) with an optional deadline."""
    db.set(key, value, encoding=encoding)
    if deadline is not None:
        db.set_expiry(key, deadline)


# --- access metadata set by RESTORE IDLETIME/FREQ ----------------------------------------------
# The fake does not track reads, so OBJECT IDLETIME is 0 and OBJECT FREQ is Redis's initial 5,
# except for a value restored with IDLETIME/FREQ (until TOUCH), which reports what was restored.
_ACCESS: "weakref.WeakKeyDictionary[Any, dict[tuple[int, bytes], tuple[Any, str, int]]]" = \
    weakref.WeakKeyDictionary()


def _lru_clock(ctx: Session) -> int:
    return (ctx.server.clock.now_ms() // 1000) & _LRU_CLOCK_MAX


def remember_access(db: Database, key: bytes, value: Any, kind: str, amount: int) -> None:
    """Record that ``value`` at ``key`` was restored with an LRU stamp or an LFU frequency."""
    _ACCESS.setdefault(db.server, {})[(db.index, key)] = (value, kind, amount)


def _idle_seconds(clock: int, stamp: int) -> int:
    """Redis's estimateObjectIdleTime on its wrapping 24-bit clock, in seconds."""
    return clock - stamp if clock >= stamp else clock + _LRU_CLOCK_MAX - stamp


def _restored_access(db: Database, key: bytes, value: Any, kind: str) -> int | None:
    """The restored stamp/frequency for the value now at ``key``, if it is still that value."""
    table = _ACCESS.get(db.server)
    entry = table.get((db.index, key)) if table else None
    if entry is None:
        return None
    if entry[0] is not value:
        del table[(db.index, key)]
        return None
    return entry[2] if entry[1] == kind else None


def _forget_access(db: Database, key: bytes) -> None:
    """A touch resets the idle time."""
    table = _ACCESS.get(db.server)
    if table:
        table.pop((db.index, key), None)


def _shares_integers(ctx: Session) -> bool:
    """Redis shares small integer strings unless maxmemory is set with an LRU/LFU policy."""
    config = ctx.server.config
    policy = config.get_value("maxmemory-policy")
    return config.get_int("maxmemory") == 0 or not (b"lru" in policy or b"lfu" in policy)


def lfu_policy(ctx: Session) -> bool:
    """True when maxmemory-policy is an LFU policy."""
    return b"lfu" in ctx.server.config.get_value("maxmemory-policy")


# --- deleting and probing ------------------------------------------------------------------------
def _delete_keys(ctx: Session, keys: tuple[bytes, ...]) -> int:
    db = ctx.db
    removed = 0
    for key in keys:
        if db.delete(key):
            db.signal_modified(key, "del")
            removed += 1
    return removed


@command("del", arity=-2, flags="write", keys=(1, -1, 1), group="generic", since="1.0.0")
def del_(ctx: Session, *keys: bytes) -> int:
    """Delete keys; the number removed. O(n) in keys."""
    return _delete_keys(ctx, keys)


@command("unlink", arity=-2, flags="write fast", keys=(1, -1, 1), group="generic", since="4.0.0")
def unlink(ctx: Session, *keys: bytes) -> int:
    """Delete keys (Redis frees them in the background); the number removed. O(n) in keys."""
    return _delete_keys(ctx, keys)


@command("exists", arity=-2, flags="readonly fast", keys=(1, -1, 1), group="generic",
         since="1.0.0")
def exists(ctx: Session, *keys: bytes) -> int:
    """How many of the keys exist, counting repeats. O(n) in keys."""
    get = ctx.db.get
    return sum(1 for key in keys if get(key) is not None)


@command("touch", arity=-2, flags="readonly fast", keys=(1, -1, 1), group="generic",
         since="3.2.1")
def touch(ctx: Session, *keys: bytes) -> int:
    """Mark keys as accessed; how many exist, counting repeats. O(n) in keys."""
    db = ctx.db
    found = 0
    for key in keys:
        if db.get(key) is not None:
            _forget_access(db, key)
            found += 1
    return found


@command("type", arity=2, flags="readonly fast", keys=(1, 1, 1), group="generic", since="1.0.0")
def type_(ctx: Session, key: bytes) -> Status:
    """The type of the value at key, or none. O(1)."""
    value = ctx.db.get(key)
    return Status(b"none" if value is None else type_name(value))


# --- iteration -----------------------------------------------------------------------------------
@command("keys", arity=2, flags="readonly", group="generic", since="1.0.0",
         acl="keyspace dangerous")
def keys(ctx: Session, pattern: bytes) -> list[bytes]:
    """Every live key matching a glob pattern. O(n)."""
    db = ctx.db
    data = db.data
    expires = db.expires
    if pattern == b"*":
        if not expires:
            return list(data)
        now = ctx.server.clock.now_ms()
        return [k for k in data if k not in expires or expires[k] > now]
    prefix = pattern[:-1]
    if pattern[-1:] == b"*" and not _GLOB_SPECIALS.intersection(prefix):
        # "prefix*", the most common pattern: bytes.startswith beats a regex
        if not expires:
            return [k for k in data if k.startswith(prefix)]
        now = ctx.server.clock.now_ms()
        return [k for k in data
                if k.startswith(prefix) and (k not in expires or expires[k] > now)]
    match = compile_glob(pattern)
    if not expires:
        return [k for k in data if match(k)]
    now = ctx.server.clock.now_ms()
    return [k for k in data if match(k) and (k not in expires or expires[k] > now)]


@command("scan", arity=-2, flags="readonly", group="generic", since="2.8.0",
         added={"TYPE": "6.0.0"})
def scan(ctx: Session, cursor: bytes, *options: bytes) -> list[Any]:
    """Iterate the keyspace from a cursor, COUNT keys a call, MATCH and TYPE filters. O(count)."""
    position = parse_cursor(cursor)
    pattern, count, wanted = parse_scan_options(options, has_added(ctx, "scan", "TYPE"))
    db = ctx.db
    data, expires = db.data, db.expires
    next_cursor, found = scan_page(ctx.server.scans, (db.index, None), position, count, pattern,
                                   lambda: list(data), data)
    if wanted is not None:
        wanted = wanted.lower()
        found = [key for key in found if type_name(data[key]) == wanted]
    if expires:  # then, as Redis does, a due key is expired now and left out
        found = [key for key in found if key not in expires or db.get(key) is not None]
    return [b"%d" % next_cursor, found]


@command("randomkey", arity=1, flags="readonly", group="generic", since="1.0.0")
def randomkey(ctx: Session) -> bytes | None:
    """A random live key, or nil when the db is empty. O(n) here (Redis: O(1))."""
    db = ctx.db
    data = db.data
    while data:
        key = next(itertools.islice(data, random.randrange(len(data)), None))
        if db.get(key) is not None:
            return key
    return None


# --- renaming, moving, copying -------------------------------------------------------------------
def _rename(ctx: Session, src: bytes, dst: bytes, only_new: bool) -> bool:
    """Move the value and TTL of ``src`` to ``dst``; False when ``only_new`` and ``dst`` exists."""
    db = ctx.db
    value = db.get(src)
    if value is None:
        raise ReplyError(errors.NO_SUCH_KEY)
    if src == dst:
        return not only_new
    if only_new and db.get(dst) is not None:
        return False
    deadline = db.expires.get(src)
    encoding = db.encodings.get(src)
    db.delete(dst)
    db.delete(src)
    store(db, dst, value, deadline, encoding)
    db.signal_modified(src, "rename_from")
    db.signal_modified(dst, "rename_to")
    return True


@command("rename", arity=3, flags="write", keys=(1, 2, 1), group="generic", since="1.0.0")
def rename(ctx: Session, key: bytes, newkey: bytes) -> Status:
    """Rename a key, keeping its TTL and replacing newkey. O(1)."""
    _rename(ctx, key, newkey, False)
    return OK


@command("renamenx", arity=3, flags="write fast", keys=(1, 2, 1), group="generic", since="1.0.0")
def renamenx(ctx: Session, key: bytes, newkey: bytes) -> int:
    """Rename a key only if newkey does not exist; 1 if renamed. O(1)."""
    return int(_rename(ctx, key, newkey, True))


@command("move", arity=3, flags="write fast", keys=(1, 1, 1), group="generic", since="1.0.0")
def move(ctx: Session, key: bytes, db: bytes) -> int:
    """Move a key (with its TTL) to another db; 0 if missing here or present there. O(1)."""
    src = ctx.db
    dst = parse_db_index(ctx, db)
    if dst is src:
        raise ReplyError(errors.SAME_OBJECT)
    value = src.get(key)
    if value is None or dst.get(key) is not None:
        return 0
    deadline = src.expires.get(key)
    encoding = src.encodings.get(key)
    src.delete(key)
    store(dst, key, value, deadline, encoding)
    src.signal_modified(key, "move_from")
    dst.signal_modified(key, "move_to")
    return 1


def _copied_encoding(db: Database, key: bytes, value: Any) -> bytes | None:
    """The encoding record of a copy: COPY duplicates a shared small integer into an unshared int
    object, recorded so that OBJECT REFCOUNT tells them apart."""
    recorded = db.encodings.get(key)
    if recorded is None and type(value) is bytes and _string_encoding(value) == b"int":
        return b"int"
    return recorded


@command("copy", arity=-3, flags="write denyoom", keys=(1, 2, 1), group="generic", since="6.2.0")
def copy_(ctx: Session, source: bytes, destination: bytes, *options: bytes) -> int:
    """Copy a value and its TTL to another key (DB, REPLACE); 1 if copied. O(n) in the value."""
    src = dst = ctx.db
    replace = False
    i = 0
    while i < len(options):
        word = options[i].upper()
        if word == b"REPLACE":
            replace = True
        elif word == b"DB" and i + 1 < len(options):
            i += 1
            dst = parse_db_index(ctx, options[i])
        else:
            raise ReplyError(errors.SYNTAX)
        i += 1
    if src is dst and source == destination:
        raise ReplyError(errors.SAME_OBJECT)
    value = src.get(source)
    if value is None:
        return 0
    if dst.get(destination) is not None:
        if not replace:
            return 0
        dst.delete(destination)
    store(dst, destination, copy_value(value), src.expires.get(source),
          _copied_encoding(src, source, value))
    dst.signal_modified(destination, "copy_to")
    return 1


# --- OBJECT --------------------------------------------------------------------------------------
container("object", arity=-2, group="generic", since="2.2.3", acl="")

_OBJECT_HELP = (
    "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "ENCODING <key>",
    "    Return the kind of internal representation used in order to store the value",
    "    associated with a <key>.",
    "FREQ <key>",
    "    Return the access frequency index of the <key>. The returned integer is",
    "    proportional to the logarithm of the recent access frequency of the key.",
    "IDLETIME <key>",
    "    Return the idle time of the <key>, that is the approximated number of",
    "    seconds elapsed since the last access to the key.",
    "REFCOUNT <key>",
    "    Return the number of references of the value associated with the specified",
    "    <key>.",
    "HELP",
    "    Prints this help.",
)


def _string_encoding(value: bytes) -> bytes:
    if len(value) <= 20 and try_int(value) is not None:
        return b"int"
    return b"embstr" if len(value) <= _EMBSTR_LIMIT else b"raw"


# sets and hashes stay compact until a write makes them outgrow it (recorded in Database.encodings)
_COMPACT = {set: b"intset", dict: b"listpack"}


def encoding_of(ctx: Session, value: Any) -> bytes:
    """What Redis 7.0's OBJECT ENCODING says for a value built from these contents. O(n)."""
    kind = type(value)
    if kind is bytes:
        return _string_encoding(value)
    if kind is deque:
        return b"quicklist"
    if kind is set:
        return set_encoding(ctx, value)
    if kind is dict:
        return hash_encoding(ctx, value)
    return getattr(value, "encoding", type_name(value))


def stored_encoding(ctx: Session, key: bytes, value: Any) -> bytes:
    """The encoding of the value at ``key`` as its writes left it. O(1)."""
    recorded = ctx.db.encodings.get(key)
    if recorded is not None:
        return recorded
    return _COMPACT.get(type(value)) or encoding_of(ctx, value)


def _restored_encoding(ctx: Session, value: Any) -> bytes | None:
    """The record for a restored value: RESTORE re-derives a set's or hash's encoding. O(n)."""
    if type(value) in _COMPACT and encoding_of(ctx, value) == HASHTABLE:
        return HASHTABLE
    return None


@command("object|encoding", arity=3, flags="readonly", keys=(2, 2, 1), group="generic",
         since="2.2.3")
def object_encoding(ctx: Session, key: bytes) -> bytes | None:
    """The internal representation Redis uses for the value at key. O(1)."""
    value = ctx.db.get(key)
    if value is None:
        return None
    encoding = stored_encoding(ctx, key, value)
    if encoding == b"listpack" and ctx.server.version < (7, 0, 0):
        return b"ziplist"  # small hashes and sorted sets were ziplists before Redis 7.0
    return encoding


@command("object|refcount", arity=3, flags="readonly", keys=(2, 2, 1), group="generic",
         since="2.2.3")
def object_refcount(ctx: Session, key: bytes) -> int | None:
    """References to the value: Redis's shared small integers report INT_MAX (a string with an
    encoding record was made by an edit or a copy, never shared). O(1)."""
    value = ctx.db.get(key)
    if value is None:
        return None
    if type(value) is bytes and key not in ctx.db.encodings and _shares_integers(ctx):
        number = try_int(value)
        if number is not None and 0 <= number < _SHARED_INTEGERS:
            return INT32_MAX
    return 1


@command("object|idletime", arity=3, flags="readonly", keys=(2, 2, 1), group="generic",
         since="2.2.3")
def object_idletime(ctx: Session, key: bytes) -> int | None:
    """Seconds since the key was last accessed (0 unless restored with IDLETIME). O(1)."""
    db = ctx.db
    value = db.get(key)
    if value is None:
        return None
    if lfu_policy(ctx):
        raise ReplyError(errors.LFU_SELECTED)
    stamp = _restored_access(db, key, value, "lru")
    return 0 if stamp is None else _idle_seconds(_lru_clock(ctx), stamp)


@command("object|freq", arity=3, flags="readonly", keys=(2, 2, 1), group="generic", since="4.0.0")
def object_freq(ctx: Session, key: bytes) -> int | None:
    """The LFU access counter (Redis's initial 5 unless restored with FREQ). O(1)."""
    db = ctx.db
    value = db.get(key)
    if value is None:
        return None
    if not lfu_policy(ctx):
        raise ReplyError(errors.LFU_NOT_SELECTED)
    freq = _restored_access(db, key, value, "lfu")
    return _LFU_INIT_VAL if freq is None else freq


@command("object|help", arity=2, flags="loading stale", group="generic", since="6.2.0")
def object_help(ctx: Session) -> list[Status]:
    """Describe the OBJECT subcommands."""
    return help_reply(_OBJECT_HELP)


# --- DUMP / RESTORE ------------------------------------------------------------------------------
@command("dump", arity=2, flags="readonly", keys=(1, 1, 1), group="generic", since="2.6.0")
def dump(ctx: Session, key: bytes) -> bytes | None:
    """The value at key serialized in Redis's RDB format, or nil. O(size of the value)."""
    value = ctx.db.get(key)
    if value is None:
        return None
    if not rdb.can_dump(value):
        raise ReplyError(errors.DUMP_UNSUPPORTED)
    config = ctx.server.config
    return rdb.dump(value, stored_encoding(ctx, key, value),
                    config.get_value("rdbcompression") == b"yes",
                    config.get_int("list-max-listpack-size"))


# RESTORE option words -> their form in the declaration (newer than RESTORE)
_RESTORE_OPTIONS = {b"REPLACE": "REPLACE", b"ABSTTL": "ABSTTL|IDLETIME|FREQ",
                    b"IDLETIME": "ABSTTL|IDLETIME|FREQ", b"FREQ": "ABSTTL|IDLETIME|FREQ"}


def _restore_options(ctx: Session,
                     options: tuple[bytes, ...]) -> tuple[bool, bool, int | None, int | None]:
    """REPLACE, ABSTTL, IDLETIME seconds, FREQ (IDLETIME and FREQ exclude each other)."""
    replace = absttl = False
    idle = freq = None
    i = 0
    while i < len(options):
        word = options[i].upper()
        more = i + 1 < len(options)
        if word in _RESTORE_OPTIONS:
            check_added(ctx, "restore", _RESTORE_OPTIONS[word])
        if word == b"REPLACE":
            replace = True
        elif word == b"ABSTTL":
            absttl = True
        elif word == b"IDLETIME" and more and freq is None:
            i += 1
            idle = parse_int(options[i])
            if idle < 0:
                raise ReplyError(errors.INVALID_IDLETIME)
        elif word == b"FREQ" and more and idle is None:
            i += 1
            freq = parse_int(options[i])
            if not 0 <= freq <= 255:
                raise ReplyError(errors.INVALID_FREQ)
        else:
            raise ReplyError(errors.SYNTAX)
        i += 1
    return replace, absttl, idle, freq


def _decode_payload(ctx: Session, payload: bytes) -> Any:
    """The value a DUMP payload holds, with Redis's errors; sorted sets get their encoding."""
    if not rdb.verify(payload):
        raise ReplyError(errors.DUMP_PAYLOAD)
    try:
        rdb_type, value = rdb.load(payload)
    except rdb.RdbError:
        raise ReplyError(errors.BAD_DATA_FORMAT) from None
    if rdb_type in rdb.ZSET_TYPES:
        config = ctx.server.config
        packed = rdb_type in rdb.PACKED_ZSET_TYPES
        longest = 0 if packed else max(len(member) for member in value.scores)
        value.outgrow(config.get_int("zset-max-listpack-entries"),
                      config.get_int("zset-max-listpack-value"), longest)
    return value


@command("restore", arity=-4, flags="write denyoom", keys=(1, 1, 1), group="generic",
         since="2.6.0", acl="keyspace dangerous",
         added={"REPLACE": "3.0.0", "ABSTTL|IDLETIME|FREQ": "5.0.0"})
def restore(ctx: Session, key: bytes, ttl: bytes, serialized_value: bytes,
            *options: bytes) -> Status:
    """Create a key from a DUMP payload (REPLACE, ABSTTL, IDLETIME, FREQ). O(size of the value)."""
    replace, absttl, idle, freq = _restore_options(ctx, options)
    db = ctx.db
    if not replace and db.get(key) is not None:
        raise ReplyError(errors.BUSYKEY)
    deadline = parse_int(ttl)
    if deadline < 0:
        raise ReplyError(errors.INVALID_TTL)
    value = _decode_payload(ctx, serialized_value)
    deleted = replace and db.delete(key)
    if deadline and not absttl:
        deadline += ctx.server.clock.now_ms()
        if deadline > INT64_MAX:
            deadline -= 1 << 64  # Redis's signed addition wraps: the key counts as expired
    if deadline and deadline <= ctx.server.clock.now_ms():
        if deleted:
            db.signal_modified(key, "del")
        return OK
    store(db, key, value, deadline or None, _restored_encoding(ctx, value))
    if lfu_policy(ctx):
        if freq is not None:
            remember_access(db, key, value, "lfu", freq)
    elif idle is not None:
        stamp = _lru_clock(ctx) - idle
        if stamp < 0:
            stamp = (_lru_clock(ctx) + _LRU_CLOCK_MAX // 2) % _LRU_CLOCK_MAX
        remember_access(db, key, value, "lru", stamp)
    db.signal_modified(key, "restore")
    return OK
