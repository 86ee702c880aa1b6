"""Stream commands, consumer groups and blocking reads (Redis 7.0's t_stream.c).

Costs follow :mod:`fakeredis.structures.stream`: XADD O(1) amortised, XRANGE O(log n + m),
XLEN O(1).
XREAD/XREADGROUP with BLOCK park the client with ``server.block``; each write to a stream key
signals it, and the waiter's ``attempt`` serves the entries past the id it waits for (Redis 7.0
answers a woken reader with the one stream that became ready).
"""

from __future__ import annotations

import re
from itertools import islice
from typing import Any, Callable

from fakeredis import errors
from fakeredis.args import parse_int, try_int
from fakeredis.errors import ReplyError
from fakeredis.commands.connection import help_reply
from fakeredis.registry import check_added, command, container, has_added
from fakeredis.replies import NULL_ARRAY, OK, Status
from fakeredis.session import Session
from fakeredis.structures.stream import (
    MAX_ID, MAX_SEQ, Consumer, Group, Pending, Record, Stream, format_id, make_id,
)

_STRTOULL = re.compile(rb"[ \t\n\v\f\r]*([+-]?)(\d+)\Z")
# ids above this length are rejected before parsing, as Redis does (128-byte buffer)
_ID_MAX_LEN = 127
# how many entries a woken XREAD/XREADGROUP without COUNT gets
_BLOCKED_DEFAULT_COUNT = 1000
# XAUTOCLAIM examines at most COUNT * this many PEL entries
_AUTOCLAIM_ATTEMPTS = 10
_AUTOCLAIM_MAX_COUNT = ((1 << 63) - 1) // 16


# --- id parsing ----------------------------------------------------------------------------------
def _strtoull(part: bytes) -> int | None:
    """An unsigned 64-bit number as Redis's ``string2ull`` reads it, else None. O(len)."""
    number = try_int(part)
    if number is not None:
        return number if number >= 0 else None
    match = _STRTOULL.match(part)
    if match is None:
        return None
    value = int(match.group(2))
    if value > MAX_SEQ:
        return None
    return (-value) & MAX_SEQ if match.group(1) == b"-" else value


def _split_id(arg: bytes, missing_seq: int, auto_seq: bool) -> tuple[int, int | None]:
    """``ms[-seq]`` as (ms, seq), seq None for ``ms-*`` when ``auto_seq``. O(len)."""
    if len(arg) > _ID_MAX_LEN:
        raise ReplyError(errors.STREAM_INVALID_ID)
    text = arg.split(b"\0", 1)[0]
    ms_part, dash, seq_part = text.partition(b"-")
    ms = _strtoull(ms_part)
    if ms is None:
        raise ReplyError(errors.STREAM_INVALID_ID)
    if not dash:
        return ms, missing_seq
    if auto_seq and seq_part == b"*":
        return ms, None
    seq = _strtoull(seq_part)
    if seq is None:
        raise ReplyError(errors.STREAM_INVALID_ID)
    return ms, seq


def parse_id(arg: bytes, missing_seq: int = 0) -> int:
    """An id where ``-`` and ``+`` mean the smallest and largest. O(len)."""
    if arg == b"-":
        return 0
    if arg == b"+":
        return MAX_ID
    ms, seq = _split_id(arg, missing_seq, False)
    return make_id(ms, seq or 0)


def parse_strict_id(arg: bytes, missing_seq: int = 0) -> int:
    """An id without the ``-``/``+`` shorthands. O(len)."""
    if arg in (b"-", b"+"):
        raise ReplyError(errors.STREAM_INVALID_ID)
    return parse_id(arg, missing_seq)


def _interval_id(ctx: Session, arg: bytes, missing_seq: int) -> tuple[int, bool]:
    """A range end: an id, or ``(id`` for an exclusive one (from 6.2). O(len)."""
    if len(arg) > 1 and arg[:1] == b"(":
        if ctx.server.version < (6, 2, 0):  # XRANGE, XREVRANGE, XPENDING's added "(": 6.2
            raise ReplyError(errors.STREAM_INVALID_ID)
        return parse_strict_id(arg[1:], missing_seq), True
    return parse_id(arg, missing_seq), False


def _range_start(ctx: Session, arg: bytes) -> int:
    """The inclusive start of an interval (``(`` bumps it past the id). O(len)."""
    if arg == b"-":
        return 0
    low, exclusive = _interval_id(ctx, arg, 0)
    if exclusive:
        if low == MAX_ID:
            raise ReplyError(errors.STREAM_INVALID_START)
        low += 1
    return low


def _range_end(ctx: Session, arg: bytes) -> int:
    """The inclusive end of an interval (``(`` moves it before the id). O(len)."""
    if arg == b"+":
        return MAX_ID
    high, exclusive = _interval_id(ctx, arg, MAX_SEQ)
    if exclusive:
        if high == 0:
            raise ReplyError(errors.STREAM_INVALID_END)
        high -= 1
    return high


# --- shared helpers ------------------------------------------------------------------------------
def _get(ctx: Session, key: bytes) -> Stream | None:
    """The stream at ``key``, None if missing, WRONGTYPE otherwise. O(1)."""
    return ctx.db.get_typed(key, Stream)


def _group(stream: Stream | None, name: bytes) -> Group | None:
    """The named group of a stream that may be missing. O(1)."""
    return None if stream is None else stream.groups.get(name)


def _entry(record: Record) -> list:
    """One stored entry as replies carry it: ``[id, [field, value, ...]]``. O(fields)."""
    return [record[0], [*record[1]]]


def _entries(stream: Stream, low: int, high: int, count: int = 0, reverse: bool = False) -> list:
    """Entries of an id range as replies carry them. O(log n + m)."""
    records = map(stream.entries.__getitem__, stream.ids_between(low, high, count, reverse))
    return [[printed, [*fields]] for printed, fields in records]


def _now(ctx: Session) -> int:
    """The server clock in milliseconds. O(1)."""
    return ctx.server.clock.now_ms()


def _notify(ctx: Session, key: bytes, event: str) -> None:
    """A keyspace event alone (group and XSETID changes touch no WATCH in 7.0). O(1)."""
    server = ctx.server
    if server.notify_flags:
        server.notify_keyspace_event(ctx.db, key, event)


def _make_ready(ctx: Session, key: bytes, stream: Stream) -> None:
    """Mark the stream ready for blocked readers (XADD, XGROUP DESTROY) and wake them. O(1)."""
    stream.ready += 1
    db = ctx.db
    if db.waiters and key in db.waiters:
        ctx.server.wake_waiters(db, key)


def _node_limits(ctx: Session) -> tuple[int, int]:
    """stream-node-max-entries and stream-node-max-bytes. O(1)."""
    values = ctx.server.config.values  # read directly: XADD asks on every call
    return int(values["stream-node-max-entries"]), int(values["stream-node-max-bytes"])


# --- XADD / XTRIM ---------------------------------------------------------------------------------
class _AddTrim:
    """Parsed XADD/XTRIM options: trimming, NOMKSTREAM, the id and where the fields start."""

    __slots__ = ("trims", "maxlen", "minid", "approx", "limit", "nomkstream", "ms", "seq", "next")

    def __init__(self) -> None:
        self.trims = False  # MAXLEN or MINID given
        self.maxlen: int | None = None
        self.minid: int | None = None
        self.approx = False
        self.limit = 0
        self.nomkstream = False
        self.ms: int | None = None  # None: '*'
        self.seq: int | None = None  # None: generated
        self.next = 0


# XADD key * field value ...: no options, a generated id (the commonest form, parsed at once)
_PLAIN_ADD = _AddTrim()
_PLAIN_ADD.next = 1


def _parse_add_trim(ctx: Session, args: tuple[bytes, ...], xadd: bool) -> _AddTrim:
    """XADD/XTRIM options in Redis's order of checks; for XADD also the id. O(args)."""
    opts = _AddTrim()
    name = "xadd" if xadd else "xtrim"
    limit_given = False
    i, n = 0, len(args)
    while i < n:
        more = n - 1 - i
        arg = args[i]
        word = arg.upper()
        if xadd and arg == b"*":
            break
        if word in (b"MAXLEN", b"MINID") and more and (
                word == b"MAXLEN" or has_added(ctx, name, "MINID")):
            if opts.trims:
                raise ReplyError(errors.STREAM_MAXLEN_AND_MINID)
            opts.trims, opts.approx = True, False
            if more >= 2 and args[i + 1] in (b"~", b"="):
                opts.approx = args[i + 1] == b"~"
                i += 1
            if word == b"MAXLEN":
                opts.maxlen = parse_int(args[i + 1])
                if opts.maxlen < 0:
                    raise ReplyError(errors.STREAM_MAXLEN_NEGATIVE)
            else:
                opts.minid = parse_strict_id(args[i + 1])
            i += 2
        elif word == b"LIMIT" and more and has_added(ctx, name, "LIMIT"):
            opts.limit = parse_int(args[i + 1])
            if opts.limit < 0:
                raise ReplyError(errors.STREAM_LIMIT_NEGATIVE)
            limit_given = True
            i += 2
        elif xadd and word == b"NOMKSTREAM" and has_added(ctx, name, "NOMKSTREAM"):
            opts.nomkstream = True
            i += 1
        elif xadd:
            if arg in (b"-", b"+"):
                raise ReplyError(errors.STREAM_INVALID_ID)
            opts.ms, opts.seq = _split_id(arg, 0, True)
            if opts.seq is None:
                check_added(ctx, name, "<ms>-*", errors.STREAM_INVALID_ID)
            break
        else:
            raise ReplyError(errors.SYNTAX)
    opts.next = i + 1
    _check_limit(ctx, opts, limit_given, xadd)
    return opts


def _check_limit(ctx: Session, opts: _AddTrim, limit_given: bool, xadd: bool) -> None:
    """LIMIT's rules and its default for ``~`` (100 nodes' worth). O(1)."""
    if opts.limit and not opts.trims:
        raise ReplyError(errors.STREAM_LIMIT_WITHOUT_STRATEGY)
    if not xadd and not opts.trims:
        raise ReplyError(errors.STREAM_XTRIM_NEEDS_STRATEGY)
    if limit_given:
        if not opts.approx:
            raise ReplyError(errors.STREAM_LIMIT_WITHOUT_APPROX)
    elif opts.approx:
        limit = 100 * _node_limits(ctx)[0]
        opts.limit = limit if 0 < limit <= (1 << 30) else 10000
    else:
        opts.limit = 0


def _new_id(ctx: Session, stream: Stream, opts: _AddTrim) -> int:
    """The id XADD adds with: explicit, ``ms-*`` or ``*``. O(1)."""
    if stream.last_id == MAX_ID:
        if ctx.server.version < (6, 0, 0):
            raise ReplyError(errors.STREAM_ID_TOO_SMALL)
        raise ReplyError(errors.STREAM_EXHAUSTED)
    if opts.ms is not None and opts.seq is not None:
        stream_id = make_id(opts.ms, opts.seq)
        if stream_id <= stream.last_id:
            raise ReplyError(errors.STREAM_ID_TOO_SMALL)
        return stream_id
    new = stream.next_id(_now(ctx), opts.ms)
    if new is None:
        raise ReplyError(errors.STREAM_ID_TOO_SMALL)
    return new


def _trim(ctx: Session, key: bytes, stream: Stream, opts: _AddTrim) -> int:
    """Apply MAXLEN/MINID and signal ``xtrim`` when entries went. O(k log n)."""
    removed = stream.trim(opts.maxlen, opts.minid, opts.approx, opts.limit)
    if removed:
        ctx.db.signal_modified(key, "xtrim")
    return removed


@command("xadd", arity=-5, flags="write denyoom fast", keys=(1, 1, 1), group="stream",
         since="5.0.0",
         added={"NOMKSTREAM": "6.2.0", "MINID": "6.2.0", "LIMIT": "6.2.0", "<ms>-*": "7.0.0"})
def xadd(ctx: Session, key: bytes, *args: bytes) -> bytes | None:
    """Append an entry, optionally trimming; the new id. O(fields) + O(trimmed)."""
    opts = _PLAIN_ADD if args[0] == b"*" else _parse_add_trim(ctx, args, xadd=True)
    fields = args[opts.next:]
    if len(fields) < 2 or len(fields) % 2:
        raise ReplyError(errors.wrong_arity("xadd"))
    if opts.ms == 0 and opts.seq == 0:
        raise ReplyError(errors.STREAM_ID_ZERO)
    db = ctx.db
    stream = _get(ctx, key)
    created = stream is None
    if created:
        if opts.nomkstream:
            return None
        stream = Stream()
    stream_id = _new_id(ctx, stream, opts)
    if created:
        db.set(key, stream)
    printed = stream.add(stream_id, fields, *_node_limits(ctx))
    stream.ready += 1
    db.signal_modified(key, "xadd")
    if opts.trims:
        _trim(ctx, key, stream, opts)
    return printed


@command("xtrim", arity=-4, flags="write", keys=(1, 1, 1), group="stream", since="5.0.0",
         added={"MINID": "6.2.0", "LIMIT": "6.2.0"}, old_arity=("6.2.0", -2))
def xtrim(ctx: Session, key: bytes, *args: bytes) -> int:
    """Trim by MAXLEN or MINID (exactly or by whole nodes); entries removed. O(k log n)."""
    if not has_added(ctx, "xtrim", "MINID"):
        return _xtrim_6_0(ctx, key, args)
    opts = _parse_add_trim(ctx, args, xadd=False)
    stream = _get(ctx, key)
    return 0 if stream is None else _trim(ctx, key, stream, opts)


def _xtrim_6_0(ctx: Session, key: bytes, args: tuple[bytes, ...]) -> int:
    """XTRIM as 6.0 had it: the key looked up first, then MAXLEN its only option. O(k log n)."""
    stream = _get(ctx, key)
    if stream is None:
        return 0
    if not args:
        raise ReplyError(errors.XTRIM_NO_OPTION_6_0)
    return _trim(ctx, key, stream, _parse_add_trim(ctx, args, xadd=False))


# --- reads and deletes ----------------------------------------------------------------------------
@command("xlen", arity=2, flags="readonly fast", keys=(1, 1, 1), group="stream", since="5.0.0")
def xlen(ctx: Session, key: bytes) -> int:
    """The number of entries. O(1)."""
    stream = _get(ctx, key)
    return 0 if stream is None else len(stream)


def _range(ctx: Session, key: bytes, start: bytes, end: bytes, options: tuple[bytes, ...],
           reverse: bool) -> Any:
    """XRANGE/XREVRANGE: ids parsed, then COUNT, then the key. O(log n + m)."""
    low, high = _range_start(ctx, start), _range_end(ctx, end)
    count = None  # no COUNT: every entry in the range
    for i in range(0, len(options), 2):
        if options[i].upper() != b"COUNT" or i + 1 == len(options):
            raise ReplyError(errors.SYNTAX)
        count = parse_int(options[i + 1])
    stream = _get(ctx, key)
    if stream is None:
        return []
    if count is None:
        return _entries(stream, low, high, 0, reverse)
    return _entries(stream, low, high, count, reverse) if count > 0 else NULL_ARRAY


@command("xrange", arity=-4, flags="readonly", keys=(1, 1, 1), group="stream", since="5.0.0",
         added={"(": "6.2.0"})
def xrange(ctx: Session, key: bytes, start: bytes, end: bytes, *options: bytes) -> Any:
    """Entries from start to end, oldest first, up to COUNT. O(log n + m)."""
    return _range(ctx, key, start, end, options, reverse=False)


@command("xrevrange", arity=-4, flags="readonly", keys=(1, 1, 1), group="stream", since="5.0.0",
         added={"(": "6.2.0"})
def xrevrange(ctx: Session, key: bytes, end: bytes, start: bytes, *options: bytes) -> Any:
    """Entries from end down to start, newest first, up to COUNT. O(log n + m)."""
    return _range(ctx, key, start, end, options, reverse=True)


@command("xdel", arity=-3, flags="write fast", keys=(1, 1, 1), group="stream", since="5.0.0")
def xdel(ctx: Session, key: bytes, *ids: bytes) -> int:
    """Delete entries by id; how many existed. O(ids log n)."""
    stream = _get(ctx, key)  # Redis looks the key up first: a missing key answers 0 to any ids
    if stream is None:
        return 0
    parsed = [parse_strict_id(arg) for arg in ids]
    deleted = sum(stream.delete(stream_id) for stream_id in parsed)
    if deleted:
        ctx.db.signal_modified(key, "xdel")
    return deleted


@command("xsetid", arity=-3, flags="write denyoom fast", keys=(1, 1, 1), group="stream",
         since="5.0.0", old_arity=("7.0.0", 3))
def xsetid(ctx: Session, key: bytes, last_id: bytes, *options: bytes) -> Status:
    """Set the last id (and entries-added, max-deleted-id) of a stream. O(1)."""
    new_last = parse_strict_id(last_id)
    entries_added, max_deleted = -1, 0
    i = 0
    while i < len(options):
        word = options[i].upper()
        if word == b"ENTRIESADDED" and i + 1 < len(options):
            entries_added = parse_int(options[i + 1])
            if entries_added < 0:
                raise ReplyError(errors.XSETID_ENTRIES_ADDED_NEGATIVE)
        elif word == b"MAXDELETEDID" and i + 1 < len(options):
            max_deleted = parse_strict_id(options[i + 1])
            if new_last < max_deleted:
                raise ReplyError(errors.XSETID_BELOW_GIVEN_MAX_DELETED)
        else:
            raise ReplyError(errors.SYNTAX)
        i += 2
    stream = _get(ctx, key)
    if stream is None:
        raise ReplyError(errors.NO_SUCH_KEY)
    _check_setid(stream, new_last, entries_added)
    stream.last_id = new_last
    if entries_added != -1:
        stream.entries_added = entries_added
    if max_deleted:
        stream.max_deleted_id = max_deleted
    _notify(ctx, key, "xsetid")
    return OK


def _check_setid(stream: Stream, new_last: int, entries_added: int) -> None:
    """XSETID may not go below the last entry present. O(1)."""
    if len(stream):
        if new_last < stream.last_valid_id():
            raise ReplyError(errors.XSETID_BELOW_TOP)
        if entries_added != -1 and len(stream) > entries_added:
            raise ReplyError(errors.XSETID_ENTRIES_ADDED_SMALL)


# --- XREAD / XREADGROUP ---------------------------------------------------------------------------
class _ReadArgs:
    """Parsed XREAD/XREADGROUP arguments."""

    __slots__ = ("timeout", "count", "noack", "group", "consumer", "keys", "ids")

    def __init__(self) -> None:
        self.timeout: float | None = None
        self.count = 0
        self.noack = False
        self.group: bytes | None = None
        self.consumer = b""
        self.keys: list[bytes] = []
        self.ids: list[bytes] = []


def _streams_at(argv: list) -> int:
    """Index of STREAMS after the options, 0 if an unknown word comes first. O(args)."""
    skip = {b"BLOCK": 1, b"COUNT": 1, b"GROUP": 2, b"NOACK": 0}
    i = 1
    while i < len(argv):
        word = argv[i].upper()
        if word == b"STREAMS":
            return i
        if word not in skip:
            return 0
        i += 1 + skip[word]
    return 0


def _read_key_finder(argv: list) -> list[int]:
    """Key positions of XREAD/XREADGROUP: the first half after STREAMS. O(args)."""
    at = _streams_at(argv)
    if not at:
        return []
    rest = len(argv) - at - 1
    if rest % 2:
        return []
    return list(range(at + 1, at + 1 + rest // 2))


def _parse_read(ctx: Session, args: tuple[bytes, ...], group_cmd: bool) -> _ReadArgs:
    """XREAD/XREADGROUP options, in Redis's order of checks. O(args)."""
    parsed = _ReadArgs()
    name = "XREADGROUP" if group_cmd else "XREAD"
    i, n = 0, len(args)
    while i < n:
        more = n - 1 - i
        word = args[i].upper()
        if word == b"BLOCK" and more:
            if ctx.in_script:
                raise ReplyError(errors.stream_block_in_script(name))
            parsed.timeout = _block_ms(args[i + 1])
            i += 2
        elif word == b"COUNT" and more:
            parsed.count = max(parse_int(args[i + 1]), 0)
            i += 2
        elif word == b"STREAMS" and more:
            rest = args[i + 1:]
            if len(rest) % 2:
                raise ReplyError(errors.STREAM_UNBALANCED)
            half = len(rest) // 2
            parsed.keys, parsed.ids = list(rest[:half]), list(rest[half:])
            break
        elif word == b"GROUP" and more >= 2:
            if not group_cmd:
                raise ReplyError(errors.STREAM_GROUP_IN_XREAD)
            parsed.group, parsed.consumer = args[i + 1], args[i + 2]
            i += 3
        elif word == b"NOACK":
            if not group_cmd:
                raise ReplyError(errors.STREAM_NOACK_IN_XREAD)
            parsed.noack = True
            i += 1
        else:
            raise ReplyError(errors.SYNTAX)
    if not parsed.keys:
        raise ReplyError(errors.SYNTAX)
    if group_cmd and parsed.group is None:
        raise ReplyError(errors.STREAM_MISSING_GROUP)
    return parsed


def _block_ms(arg: bytes) -> float:
    """BLOCK's milliseconds as seconds: an integer, not negative. O(1)."""
    ms = parse_int(arg, errors.TIMEOUT_NOT_INTEGER)
    if ms < 0:
        raise ReplyError(errors.TIMEOUT_NEGATIVE)
    return ms / 1000


def _read_reply(ctx: Session, found: list[tuple[bytes, list]]) -> Any:
    """Per-stream results: a RESP3 map, or RESP2 [key, entries] pairs. O(keys)."""
    if ctx.protocol == 3:
        return dict(found)
    return [[key, entries] for key, entries in found]


# XREAD --------------------------------------------------------------------------------------------
def _xread_ids(ctx: Session, parsed: _ReadArgs) -> list[int]:
    """The id after which each stream is read (``$``: its last id now). O(keys)."""
    ids = []
    for key, arg in zip(parsed.keys, parsed.ids):
        stream = _get(ctx, key)
        if arg == b"$":
            ids.append(0 if stream is None else stream.last_id)
        elif arg == b">":
            raise ReplyError(errors.STREAM_GT_IN_XREAD)
        else:
            ids.append(parse_strict_id(arg))
    return ids


def _xread_one(stream: Stream | None, after: int, count: int) -> list | None:
    """Entries of one stream past ``after``, None when there are none. O(log n + m)."""
    if stream is None or not len(stream) or stream.last_valid_id() <= after:
        return None
    return _entries(stream, after + 1, MAX_ID, count)


@command("xread", arity=-4, flags="readonly blocking", keys=(0, 0, 0),
         key_finder=_read_key_finder, group="stream", since="5.0.0")
def xread(ctx: Session, *args: bytes) -> Any:
    """Entries past the given ids from one or more streams, optionally waiting. O(keys + m)."""
    parsed = _parse_read(ctx, args, group_cmd=False)
    ids = _xread_ids(ctx, parsed)
    found = []
    for key, after in zip(parsed.keys, ids):
        entries = _xread_one(_get(ctx, key), after, parsed.count)
        if entries is not None:
            found.append((key, entries))
    if found:
        return _read_reply(ctx, found)
    if parsed.timeout is None or ctx.in_multi:
        return NULL_ARRAY
    waiting = dict(zip(parsed.keys, ids))
    count = parsed.count or _BLOCKED_DEFAULT_COUNT

    def serve(key: bytes, stream: Stream) -> Any:
        after = waiting[key]
        if stream.last_id <= after:
            return None
        return _read_reply(ctx, [(key, _entries(stream, after + 1, MAX_ID, count))])

    return _block(ctx, parsed.keys, parsed.timeout, serve, _stay_blocked)


def _block(ctx: Session, keys: list[bytes], timeout: float, serve: Callable[[bytes, Stream], Any],
           gone: Callable[[], Any]) -> Any:
    """Wait until XADD/XGROUP DESTROY makes a key ready: ``serve``, or ``gone()`` if no stream."""
    db, server = ctx.db, ctx.server
    marks = {key: _ready_mark(db.get(key)) for key in keys}

    def attempt() -> Any:
        key = server.serving_key
        value = db.get(key) if key is not None else None
        if type(value) is not Stream:
            return gone()
        mark = _ready_mark(value)
        if marks.get(key) == mark:
            return None
        marks[key] = mark
        return serve(key, value)

    return server.block(ctx, list(dict.fromkeys(keys)), timeout, attempt, NULL_ARRAY)


def _ready_mark(value: Any) -> tuple[Any, int]:
    """A key as a blocked reader sees it: the stream and its ready counter. O(1)."""
    return (value, value.ready) if type(value) is Stream else (None, -1)


def _stay_blocked() -> None:
    """XREAD keeps waiting when its key is deleted. O(1)."""
    return None


def _key_gone() -> None:
    """XREADGROUP fails when the stream it waits on is deleted. O(1)."""
    raise ReplyError(errors.STREAM_KEY_GONE)


# XREADGROUP ---------------------------------------------------------------------------------------
def _xreadgroup_targets(ctx: Session, parsed: _ReadArgs) -> list[tuple]:
    """(key, stream, group, history id or None for ``>`` or the max id) per key. O(keys)."""
    targets = []
    for key, arg in zip(parsed.keys, parsed.ids):
        stream = _get(ctx, key)
        group = _group(stream, parsed.group)
        if group is None:
            raise ReplyError(errors.stream_nogroup_read(key, parsed.group))
        if arg == b"$":
            raise ReplyError(errors.STREAM_DOLLAR_IN_XREADGROUP)
        after = None if arg == b">" else parse_strict_id(arg)
        if after == MAX_ID:
            after = None
        targets.append((key, stream, group, after))
    return targets


def _consumer(ctx: Session, key: bytes, group: Group, name: bytes) -> Consumer:
    """The named consumer, created (and announced) when new; its seen-time is now. O(1)."""
    now = _now(ctx)
    consumer, created = group.consumer(name, now)
    if created:
        _notify(ctx, key, "xgroup-createconsumer")
    consumer.seen_ms = now
    return consumer


def _deliver_new(ctx: Session, stream: Stream, group: Group, consumer: Consumer, count: int,
                 noack: bool) -> list:
    """Entries past the group's last id, recorded as delivered to ``consumer``. O(log n + m)."""
    now = _now(ctx)
    reply = []
    for stream_id in stream.ids_between(group.last_id + 1, MAX_ID, count):
        stream.note_delivery(group, stream_id)
        if not noack:
            group.deliver(stream_id, consumer, now)
        reply.append(_entry(stream.entries[stream_id]))
    return reply


def _deliver_history(ctx: Session, stream: Stream, consumer: Consumer, after: int,
                     count: int) -> list:
    """The consumer's pending entries past ``after``, deleted ones nil. O(log p + m)."""
    now = _now(ctx)
    reply = []
    for stream_id in consumer.pending.irange(after + 1):
        if count and len(reply) >= count:
            break
        record = stream.entries.get(stream_id)
        if record is None:
            reply.append([format_id(stream_id), NULL_ARRAY])
            continue
        pending = consumer.pending[stream_id]
        pending.delivery_ms = now
        pending.delivery_count += 1
        reply.append(_entry(record))
    return reply


@command("xreadgroup", arity=-7, flags="write blocking", keys=(0, 0, 0),
         key_finder=_read_key_finder, group="stream", since="5.0.0")
def xreadgroup(ctx: Session, *args: bytes) -> Any:
    """Read as a group consumer: new entries (``>``) or its own pending history. O(keys + m)."""
    parsed = _parse_read(ctx, args, group_cmd=True)
    targets = _xreadgroup_targets(ctx, parsed)
    found = []
    for key, stream, group, after in targets:
        if after is None and stream.last_valid_id() <= group.last_id:
            continue
        consumer = _consumer(ctx, key, group, parsed.consumer)
        if after is None:
            entries = _deliver_new(ctx, stream, group, consumer, parsed.count, parsed.noack)
        else:
            entries = _deliver_history(ctx, stream, consumer, after, parsed.count)
        found.append((key, entries))
    if found:
        return _read_reply(ctx, found)
    if parsed.timeout is None or ctx.in_multi:
        return NULL_ARRAY
    return _block_group(ctx, parsed)


def _block_group(ctx: Session, parsed: _ReadArgs) -> Any:
    """Wait for entries past the group's last id on any of the streams. O(keys)."""
    count = parsed.count or _BLOCKED_DEFAULT_COUNT

    version = ctx.server.version

    def serve(key: bytes, stream: Stream) -> Any:
        group = stream.groups.get(parsed.group)
        if group is None:
            if version < (6, 0, 0):  # 5.0 kept waiting for a destroyed group
                return None
            raise ReplyError(errors.STREAM_GROUP_GONE)
        if stream.last_id <= group.last_id:
            return None
        consumer = _consumer(ctx, key, group, parsed.consumer)
        entries = _deliver_new(ctx, stream, group, consumer, count, parsed.noack)
        return _read_reply(ctx, [(key, entries)])

    # before 7.0 a deleted (or overwritten) key left the reader waiting
    gone = _key_gone if version >= (7, 0, 0) else _stay_blocked
    return _block(ctx, parsed.keys, parsed.timeout, serve, gone)


# --- acknowledging and pending entries ------------------------------------------------------------
@command("xack", arity=-4, flags="write fast", keys=(1, 1, 1), group="stream", since="5.0.0")
def xack(ctx: Session, key: bytes, group_name: bytes, *ids: bytes) -> int:
    """Remove entries from a group's PEL; how many were pending. O(ids log n)."""
    group = _group(_get(ctx, key), group_name)
    if group is None:
        return 0
    parsed = [parse_strict_id(arg) for arg in ids]
    return sum(group.ack(stream_id) for stream_id in parsed)


def _pending_group(ctx: Session, key: bytes, group_name: bytes) -> tuple[Stream, Group]:
    """The stream and group XPENDING/XCLAIM/XAUTOCLAIM work on, else NOGROUP. O(1)."""
    stream = _get(ctx, key)
    group = _group(stream, group_name)
    if group is None:
        raise ReplyError(errors.stream_nogroup(key, group_name))
    return stream, group


@command("xpending", arity=-3, flags="readonly", keys=(1, 1, 1), group="stream", since="5.0.0",
         added={"IDLE": "6.2.0", "(": "6.2.0"})
def xpending(ctx: Session, key: bytes, group_name: bytes, *args: bytes) -> Any:
    """A group's PEL summary, or a range with IDLE and consumer filters. O(log p + m)."""
    if args and not 3 <= len(args) <= 6:
        raise ReplyError(errors.SYNTAX)
    if len(args) > 4:  # before IDLE (6.2) at most a consumer followed the count
        check_added(ctx, "xpending", "IDLE")
    if not args:
        return _pending_summary(_pending_group(ctx, key, group_name)[1])
    min_idle, at = 0, 0
    if args[0].upper() == b"IDLE" and has_added(ctx, "xpending", "IDLE"):
        min_idle = parse_int(args[1])
        if len(args) < 5:
            raise ReplyError(errors.SYNTAX)
        at = 2
    count = max(parse_int(args[at + 2]), 0)
    low, high = _range_start(ctx, args[at]), _range_end(ctx, args[at + 1])
    consumer_name = args[at + 3] if len(args) > at + 3 else None
    _, group = _pending_group(ctx, key, group_name)
    if consumer_name is None:
        pel = group.pending
    else:
        consumer = group.consumers.get(consumer_name)
        if consumer is None:
            return []
        pel = consumer.pending
    return _pending_range(ctx, pel, low, high, count, min_idle)


def _pending_summary(group: Group) -> list:
    """XPENDING key group: count, first and last id, pending per consumer. O(c log c)."""
    if not group.pending:
        return [0, None, None, NULL_ARRAY]
    per_consumer = [[c.name, b"%d" % len(c.pending)] for c in group.sorted_consumers()
                    if c.pending]
    return [len(group.pending), format_id(group.pending.keys()[0]),
            format_id(group.pending.keys()[-1]), per_consumer]


def _pending_range(ctx: Session, pel: Any, low: int, high: int, count: int,
                   min_idle: int) -> list:
    """Pending entries in [low, high] idle ``min_idle`` ms or more. O(log p + scanned)."""
    now = _now(ctx)
    reply: list = []
    if not count:
        return reply
    for stream_id in pel.irange(low, high):
        entry = pel[stream_id]
        idle = now - entry.delivery_ms
        if min_idle and idle < min_idle:
            continue
        reply.append([format_id(stream_id), entry.consumer.name, max(idle, 0),
                      entry.delivery_count])
        if len(reply) >= count:
            break
    return reply


# --- claiming ------------------------------------------------------------------------------------
class _ClaimOptions:
    """XCLAIM's trailing options."""

    __slots__ = ("delivery_ms", "retry_count", "force", "justid", "last_id")

    def __init__(self, now: int) -> None:
        self.delivery_ms = now
        self.retry_count = -1
        self.force = False
        self.justid = False
        self.last_id = 0


def _claim_options(options: tuple[bytes, ...], now: int) -> _ClaimOptions:
    """FORCE JUSTID IDLE TIME RETRYCOUNT LASTID; a bogus delivery time becomes now. O(args)."""
    opts = _ClaimOptions(now)
    delivery = -1
    i = 0
    while i < len(options):
        word = options[i].upper()
        more = i + 1 < len(options)
        if word == b"FORCE":
            opts.force = True
        elif word == b"JUSTID":
            opts.justid = True
        elif word == b"IDLE" and more:
            i += 1
            delivery = now - parse_int(options[i], errors.XCLAIM_BAD_IDLE)
        elif word == b"TIME" and more:
            i += 1
            delivery = parse_int(options[i], errors.XCLAIM_BAD_TIME)
        elif word == b"RETRYCOUNT" and more:
            i += 1
            opts.retry_count = parse_int(options[i], errors.XCLAIM_BAD_RETRYCOUNT)
        elif word == b"LASTID" and more:
            i += 1
            opts.last_id = parse_strict_id(options[i])
        else:
            raise ReplyError(errors.xclaim_unknown_option(options[i]))
        i += 1
    if delivery != -1:
        opts.delivery_ms = now if delivery < 0 or delivery > now else delivery
    return opts


def _leading_ids(args: tuple[bytes, ...]) -> list[int]:
    """The ids before XCLAIM's options (parsing stops at the first non-id). O(args)."""
    ids = []
    for arg in args:
        try:
            ids.append(parse_strict_id(arg))
        except ReplyError:
            break
    return ids


def _claimed(stream: Stream, stream_id: int, justid: bool) -> Any:
    """A claimed entry in the reply: its id, or the whole entry (nil once deleted). O(fields)."""
    if justid:
        return format_id(stream_id)
    record = stream.entries.get(stream_id)
    return None if record is None else _entry(record)


def _claims_deleted(ctx: Session) -> bool:
    """Before 7.0 deleted entries stayed pending and XCLAIM/XAUTOCLAIM claimed them. O(1)."""
    return ctx.server.version < (7, 0, 0)


@command("xclaim", arity=-6, flags="write fast", keys=(1, 1, 1), group="stream", since="5.0.0")
def xclaim(ctx: Session, key: bytes, group_name: bytes, consumer_name: bytes, min_idle: bytes,
           *args: bytes) -> list:
    """Take pending entries idle long enough; FORCE creates them. O(ids log n)."""
    stream, group = _pending_group(ctx, key, group_name)
    idle = max(parse_int(min_idle, errors.XCLAIM_BAD_MIN_IDLE), 0)
    ids = _leading_ids(args)
    now = _now(ctx)
    opts = _claim_options(args[len(ids):], now)
    if opts.last_id > group.last_id:
        group.last_id = opts.last_id
    consumer = None
    reply = []
    claims_deleted = _claims_deleted(ctx)
    for stream_id in ids:
        entry = group.pending.get(stream_id)
        if stream_id not in stream.entries and (entry is None or not claims_deleted):
            if entry is not None:
                group.ack(stream_id)
            continue
        fresh = entry is None
        if fresh:
            if not opts.force:
                continue
        elif idle and now - entry.delivery_ms < idle:
            continue
        if consumer is None:
            consumer = _consumer(ctx, key, group, consumer_name)
        if fresh:
            entry = group.pending[stream_id] = Pending(consumer, now, 1)
        group.transfer(stream_id, entry, consumer)
        entry.delivery_ms = opts.delivery_ms
        if opts.retry_count >= 0:
            entry.delivery_count = opts.retry_count
        elif not opts.justid:
            entry.delivery_count += 1
        reply.append(_claimed(stream, stream_id, opts.justid))
    return reply


def _autoclaim_options(options: tuple[bytes, ...]) -> tuple[int, bool]:
    """XAUTOCLAIM's COUNT (1 .. LONG_MAX/16) and JUSTID. O(args)."""
    count, justid = 100, False
    i = 0
    while i < len(options):
        word = options[i].upper()
        if word == b"COUNT" and i + 1 < len(options):
            count = parse_int(options[i + 1], errors.XAUTOCLAIM_COUNT)
            if not 1 <= count <= _AUTOCLAIM_MAX_COUNT:
                raise ReplyError(errors.XAUTOCLAIM_COUNT)
            i += 1
        elif word == b"JUSTID":
            justid = True
        else:
            raise ReplyError(errors.SYNTAX)
        i += 1
    return count, justid


@command("xautoclaim", arity=-6, flags="write fast", keys=(1, 1, 1), group="stream",
         since="6.2.0")
def xautoclaim(ctx: Session, key: bytes, group_name: bytes, consumer_name: bytes,
               min_idle: bytes, start: bytes, *options: bytes) -> list:
    """Claim idle pending entries from a cursor: [next, claimed, deleted]. O(COUNT log n).

    Before 7.0 the reply is [next, claimed], deleted entries claimed as nil."""
    idle = max(parse_int(min_idle, errors.XAUTOCLAIM_BAD_MIN_IDLE), 0)
    cursor = _range_start(ctx, start)
    count, justid = _autoclaim_options(options)
    stream, group = _pending_group(ctx, key, group_name)
    now = _now(ctx)
    attempts = count * _AUTOCLAIM_ATTEMPTS
    claimed: list = []
    deleted: list = []
    scan = list(islice(group.pending.irange(cursor), attempts + 1))
    claims_deleted = _claims_deleted(ctx)
    next_id = 0
    for stream_id in scan:
        if not attempts or not count:
            next_id = stream_id
            break
        attempts -= 1
        entry = group.pending[stream_id]
        if not claims_deleted and stream_id not in stream.entries:
            group.ack(stream_id)
            deleted.append(format_id(stream_id))
            count -= 1
            continue
        if idle and now - entry.delivery_ms < idle:
            continue
        consumer = _consumer(ctx, key, group, consumer_name)
        group.transfer(stream_id, entry, consumer)
        entry.delivery_ms = now
        if not justid:
            entry.delivery_count += 1
        claimed.append(_claimed(stream, stream_id, justid))
        count -= 1
    if claims_deleted:
        return [format_id(next_id), claimed]
    return [format_id(next_id), claimed, deleted]


# --- XGROUP --------------------------------------------------------------------------------------
container("xgroup", arity=-2, group="stream", since="5.0.0")

_XGROUP_HELP = (
    "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CREATE <key> <groupname> <id|$> [option]",
    "    Create a new consumer group. Options are:",
    "    * MKSTREAM",
    "      Create the empty stream if it does not exist.",
    "    * ENTRIESREAD entries_read",
    "      Set the group's entries_read counter (internal use).",
    "CREATECONSUMER <key> <groupname> <consumer>",
    "    Create a new consumer in the specified group.",
    "DELCONSUMER <key> <groupname> <consumer>",
    "    Remove the specified consumer.",
    "DESTROY <key> <groupname>",
    "    Remove the specified group.",
    "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
    "    Set the current group ID and entries_read counter.",
    "HELP",
    "    Prints this help.",
)
_XGROUP_HELP_6_2 = (
    "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CREATE <key> <groupname> <id|$> [option]",
    "    Create a new consumer group. Options are:",
    "    * MKSTREAM",
    "      Create the empty stream if it does not exist.",
    "CREATECONSUMER <key> <groupname> <consumer>",
    "    Create a new consumer in the specified group.",
    "DELCONSUMER <key> <groupname> <consumer>",
    "    Remove the specified consumer.",
    "DESTROY <key> <groupname>    Remove the specified group.",
    "SETID <key> <groupname> <id|$>",
    "    Set the current group ID.",
    "HELP",
    "    Prints this help.",
)
_XGROUP_HELP_6_0 = (
    "XGROUP <subcommand> arg arg ... arg. Subcommands are:",
    "CREATE      <key> <groupname> <id or $> [opt] -- Create a new consumer group.",
    "            option MKSTREAM: create the empty stream if it does not exist.",
    "SETID       <key> <groupname> <id or $>  -- Set the current group ID.",
    "DESTROY     <key> <groupname>            -- Remove the specified group.",
    "DELCONSUMER <key> <groupname> <consumer> -- Remove the specified consumer.",
    "HELP                                     -- Prints this help.",
)


def _group_options(sub: bytes, options: tuple[bytes, ...], mkstream_ok: bool) -> tuple[bool, int]:
    """MKSTREAM (CREATE only) and ENTRIESREAD n (-1 or more). O(args)."""
    mkstream, entries_read = False, -1
    i = 0
    while i < len(options):
        word = options[i].upper()
        if mkstream_ok and word == b"MKSTREAM":
            mkstream = True
            i += 1
        elif word == b"ENTRIESREAD" and i + 1 < len(options):
            entries_read = parse_int(options[i + 1])
            if entries_read < -1:
                raise ReplyError(errors.XGROUP_ENTRIESREAD)
            i += 2
        else:
            raise ReplyError(errors.bad_subcommand_args(sub, "xgroup"))
    return mkstream, entries_read


def _old_group_stream(ctx: Session, sub: bytes, args: tuple[bytes, ...],
                      counts: tuple[int, ...]) -> Stream | None:
    """Before 7.0 XGROUP parsed its own arguments: CREATE's one option word (MKSTREAM alone),
    then the key, then the argument count. None for a stream MKSTREAM is to create. O(1)."""
    mkstream = False
    if sub == b"CREATE" and len(args) == 4:
        mkstream = args[3].upper() == b"MKSTREAM"
        if not mkstream:
            raise _old_xgroup_error(ctx, sub)
    stream = _group_stream(ctx, args[0], mkstream)
    if len(args) not in counts:
        raise _old_xgroup_error(ctx, sub)
    return stream


def _old_xgroup_error(ctx: Session, sub: bytes) -> ReplyError:
    """Wrong arguments to an XGROUP subcommand before 7.0. O(1)."""
    return ReplyError(errors.unknown_subcommand(sub, "xgroup", ctx.server.version))


def _xgroup_stream(ctx: Session, sub: bytes, args: tuple[bytes, ...], count: int) -> Stream:
    """The existing stream of DESTROY/CREATECONSUMER/DELCONSUMER (whose argument count only
    servers before 7.0 leave to the subcommand). O(1)."""
    if ctx.server.version < (7, 0, 0):
        return _old_group_stream(ctx, sub, args, (count,))
    return _group_stream(ctx, args[0])


def _group_stream(ctx: Session, key: bytes, mkstream: bool = False) -> Stream | None:
    """The stream an XGROUP subcommand works on: it must exist unless MKSTREAM. O(1)."""
    stream = _get(ctx, key)
    if stream is None and not mkstream:
        raise ReplyError(errors.XGROUP_NO_KEY)
    return stream


def _existing_group(stream: Stream, key: bytes, name: bytes) -> Group:
    """The named group of a stream, else NOGROUP as XGROUP words it. O(1)."""
    group = stream.groups.get(name)
    if group is None:
        raise ReplyError(errors.xgroup_nogroup(name, key))
    return group


def _group_start(stream: Stream | None, arg: bytes, strict: bool) -> int:
    """A group's starting id: ``$`` is the stream's last id. O(len)."""
    if arg == b"$":
        return 0 if stream is None else stream.last_id
    return parse_strict_id(arg) if strict else parse_id(arg)


@command("xgroup|create", arity=-5, flags="write denyoom", keys=(2, 2, 1), group="stream",
         since="5.0.0", old_arity=("7.0.0", -4), added={"ENTRIESREAD": "7.0.0"})
def xgroup_create(ctx: Session, key: bytes, name: bytes, *args: bytes) -> Status:
    """Create a consumer group, with MKSTREAM creating the stream. O(1)."""
    if ctx.server.version < (7, 0, 0):
        stream = _old_group_stream(ctx, b"CREATE", (key, name, *args), (3, 4))
        entries_read = -1
    else:
        options = args[1:]
        if len(options) > 3:
            raise ReplyError(errors.bad_subcommand_args(b"CREATE", "xgroup"))
        mkstream, entries_read = _group_options(b"CREATE", options, mkstream_ok=True)
        stream = _group_stream(ctx, key, mkstream)
    last_id = _group_start(stream, args[0], strict=True)
    if stream is None:
        stream = Stream()
        ctx.db.set(key, stream)
        ctx.db.signal_modified(key, "")
    if name in stream.groups:
        raise ReplyError(errors.BUSYGROUP)
    stream.groups[name] = Group(name, last_id, entries_read)
    _notify(ctx, key, "xgroup-create")
    return OK


@command("xgroup|setid", arity=-5, flags="write", keys=(2, 2, 1), group="stream", since="5.0.0",
         old_arity=("7.0.0", -4), added={"ENTRIESREAD": "7.0.0"})
def xgroup_setid(ctx: Session, key: bytes, name: bytes, *args: bytes) -> Status:
    """Set a group's last delivered id (and entries-read). O(1)."""
    if ctx.server.version < (7, 0, 0):
        stream = _old_group_stream(ctx, b"SETID", (key, name, *args), (3,))
        entries_read = -1
    else:
        options = args[1:]
        if len(options) not in (0, 2):
            raise ReplyError(errors.bad_subcommand_args(b"SETID", "xgroup"))
        _, entries_read = _group_options(b"SETID", options, mkstream_ok=False)
        stream = _group_stream(ctx, key)
    group = _existing_group(stream, key, name)
    group.last_id = _group_start(stream, args[0], strict=False)
    group.entries_read = entries_read
    _notify(ctx, key, "xgroup-setid")
    return OK


@command("xgroup|destroy", arity=4, flags="write", keys=(2, 2, 1), group="stream", since="5.0.0",
         old_arity=("7.0.0", -4))
def xgroup_destroy(ctx: Session, key: bytes, name: bytes, *extra: bytes) -> int:
    """Delete a consumer group; blocked readers of it get NOGROUP. O(consumers + pending)."""
    stream = _xgroup_stream(ctx, b"DESTROY", (key, name, *extra), 2)
    if stream.groups.pop(name, None) is None:
        return 0
    _notify(ctx, key, "xgroup-destroy")
    _make_ready(ctx, key, stream)
    return 1


@command("xgroup|createconsumer", arity=5, flags="write denyoom", keys=(2, 2, 1), group="stream",
         since="6.2.0", old_arity=("7.0.0", -4))
def xgroup_createconsumer(ctx: Session, key: bytes, name: bytes, *args: bytes) -> int:
    """Create a consumer in a group; 1 if it was new. O(1)."""
    stream = _xgroup_stream(ctx, b"CREATECONSUMER", (key, name, *args), 3)
    group = _existing_group(stream, key, name)
    _, created = group.consumer(args[0], _now(ctx))
    if created:
        _notify(ctx, key, "xgroup-createconsumer")
    return int(created)


@command("xgroup|delconsumer", arity=5, flags="write", keys=(2, 2, 1), group="stream",
         since="5.0.0", old_arity=("7.0.0", -4))
def xgroup_delconsumer(ctx: Session, key: bytes, name: bytes, *args: bytes) -> int:
    """Delete a consumer and its pending entries; how many it had pending. O(pending log n)."""
    stream = _xgroup_stream(ctx, b"DELCONSUMER", (key, name, *args), 3)
    group = _existing_group(stream, key, name)
    pending = group.delete_consumer(args[0])
    if pending is None:
        return 0
    _notify(ctx, key, "xgroup-delconsumer")
    return pending


@command("xgroup|help", arity=2, flags="loading stale", keys=(0, 0, 0), group="stream",
         since="5.0.0", old_arity=("6.0.0", -2))
def xgroup_help(ctx: Session, *args: bytes) -> list[Status]:
    """XGROUP's subcommands. O(1).

    In the wording of the server's version (5.0 ignored one argument after HELP)."""
    version = ctx.server.version
    if len(args) > 1:  # 5.0: the key and group of a subcommand that does not exist
        _old_group_stream(ctx, b"HELP", args, ())
    if version >= (7, 0, 0):
        return help_reply(_XGROUP_HELP)
    return help_reply(_XGROUP_HELP_6_2 if version >= (6, 2, 0) else _XGROUP_HELP_6_0)


# --- XINFO ---------------------------------------------------------------------------------------
container("xinfo", arity=-2, group="stream", since="5.0.0")

_XINFO_HELP = (
    "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CONSUMERS <key> <groupname>",
    "    Show consumers of <groupname>.",
    "GROUPS <key>",
    "    Show the stream consumer groups.",
    "STREAM <key> [FULL [COUNT <count>]",
    "    Show information about the stream.",
    "HELP",
    "    Prints this help.",
)
_XINFO_HELP_5_0 = (
    "XINFO <subcommand> arg arg ... arg. Subcommands are:",
    "CONSUMERS <key> <groupname>  -- Show consumer groups of group <groupname>.",
    "GROUPS <key>                 -- Show the stream consumer groups.",
    "STREAM <key>                 -- Show information about the stream.",
    "HELP                         -- Print this help.",
)
_XINFO_HELP_6_0 = (
    "XINFO <subcommand> arg arg ... arg. Subcommands are:",
    "CONSUMERS <key> <groupname>         -- Show consumer groups of group <groupname>.",
    "GROUPS <key>                        -- Show the stream consumer groups.",
    "STREAM <key> [FULL [COUNT <count>]] -- Show information about the stream.",
    "                                       FULL will return the full state of the stream,",
    ("                                            including all entries, groups, consumers "
     "and PELs."),
    ("                                            It's possible to show only the first "
     "stream/PEL entries"),
    "                                            by using the COUNT modifier (Default is 10)",
    "HELP                                -- Print this help.",
)


def _info_stream(ctx: Session, key: bytes) -> Stream:
    """The stream XINFO describes, else ``no such key``. O(1)."""
    stream = _get(ctx, key)
    if stream is None:
        raise ReplyError(errors.NO_SUCH_KEY)
    return stream


def _info_error(ctx: Session, sub: bytes) -> ReplyError:
    """Wrong arguments to an XINFO subcommand, in the wording of the server's version. O(1)."""
    version = ctx.server.version
    if version >= (7, 0, 0):
        return ReplyError(errors.bad_subcommand_args(sub, "xinfo"))
    return ReplyError(errors.unknown_subcommand(sub, "xinfo", version))


def _old_info_args(ctx: Session, sub: bytes, args: tuple[bytes, ...],
                   counts: tuple[int, ...]) -> Stream:
    """Before 7.0 XINFO parsed its own arguments: the key looked up first, then the count. O(1)."""
    if not args:
        if ctx.server.version < (6, 2, 0):
            raise ReplyError(errors.XINFO_SYNTAX_6_0)
        raise _info_error(ctx, sub)
    stream = _info_stream(ctx, args[0])
    if len(args) not in counts:
        raise _info_error(ctx, sub)
    return stream


def _edge(stream: Stream, reverse: bool) -> list | None:
    """The first or last entry, None when empty. O(log n)."""
    entries = _entries(stream, 0, MAX_ID, 1, reverse)
    return entries[0] if entries else None


def _stream_head(stream: Stream, version: tuple[int, ...]) -> dict:
    """The fields XINFO STREAM and its FULL form share (7.0 added the counters). O(nodes)."""
    head = {
        b"length": len(stream),
        b"radix-tree-keys": stream.node_count(),
        b"radix-tree-nodes": stream.rax_nodes(),
        b"last-generated-id": format_id(stream.last_id),
    }
    if version >= (7, 0, 0):
        head[b"max-deleted-entry-id"] = format_id(stream.max_deleted_id)
        head[b"entries-added"] = stream.entries_added
        head[b"recorded-first-entry-id"] = format_id(stream.first_id)
    return head


def _entries_read(group: Group) -> int | None:
    """A group's entries-read counter, nil when unknown. O(1)."""
    return None if group.entries_read == -1 else group.entries_read


def _with_counters(ctx: Session, stream: Stream, group: Group, info: dict) -> dict:
    """``info`` with the group's entries-read and lag added (fields new in 7.0). O(1)."""
    if ctx.server.version >= (7, 0, 0):
        info[b"entries-read"] = _entries_read(group)
        info[b"lag"] = stream.lag(group)
    return info


def _full_group(ctx: Session, stream: Stream, group: Group, count: int) -> dict:
    """One group in XINFO STREAM FULL, PELs cut at ``count``. O(c log c + c * count)."""
    pending = [[format_id(i), e.consumer.name, e.delivery_ms, e.delivery_count]
               for i, e in islice(group.pending.items(), count or None)]
    consumers = []
    for consumer in group.sorted_consumers():
        own = [[format_id(i), e.delivery_ms, e.delivery_count]
               for i, e in islice(consumer.pending.items(), count or None)]
        consumers.append({b"name": consumer.name, b"seen-time": consumer.seen_ms,
                          b"pel-count": len(consumer.pending), b"pending": own})
    reply = _with_counters(ctx, stream, group, {
        b"name": group.name, b"last-delivered-id": format_id(group.last_id)})
    reply.update({b"pel-count": len(group.pending), b"pending": pending,
                  b"consumers": consumers})
    return reply


def _full_options(ctx: Session, options: tuple[bytes, ...]) -> tuple[bool, int]:
    """XINFO STREAM's ``FULL [COUNT n]``: (full, count). O(1)."""
    if not options:
        return False, 10
    if options[0].upper() != b"FULL" or len(options) not in (1, 3) or (
            len(options) == 3 and options[1].upper() != b"COUNT"):
        raise _info_error(ctx, b"STREAM")
    return True, max(parse_int(options[2]), 0) if len(options) == 3 else 10


@command("xinfo|stream", arity=-3, flags="readonly", keys=(2, 2, 1), group="stream",
         since="5.0.0", old_arity=("7.0.0", -2))
def xinfo_stream(ctx: Session, *args: bytes) -> dict:
    """A stream's counters, edges and groups; FULL adds entries, PELs. O(nodes + count)."""
    version = ctx.server.version
    if version >= (7, 0, 0):
        full, count = _full_options(ctx, args[1:])
        stream = _info_stream(ctx, args[0])
    elif version >= (6, 0, 0):
        stream = _old_info_args(ctx, b"STREAM", args, (1, 2, 4))
        full, count = _full_options(ctx, args[1:])
    else:
        return _info_stream_5_0(_old_info_args(ctx, b"STREAM", args, (1,)))
    reply = _stream_head(stream, version)
    if not full:
        reply[b"groups"] = len(stream.groups)
        reply[b"first-entry"] = _edge(stream, False)
        reply[b"last-entry"] = _edge(stream, True)
        return reply
    reply[b"entries"] = _entries(stream, 0, MAX_ID, count)
    reply[b"groups"] = [_full_group(ctx, stream, stream.groups[name], count)
                        for name in sorted(stream.groups)]
    return reply


def _info_stream_5_0(stream: Stream) -> dict:
    """XINFO STREAM as 5.0 answered it: no FULL form, groups before the last id. O(nodes)."""
    return {b"length": len(stream), b"radix-tree-keys": stream.node_count(),
            b"radix-tree-nodes": stream.rax_nodes(), b"groups": len(stream.groups),
            b"last-generated-id": format_id(stream.last_id),
            b"first-entry": _edge(stream, False), b"last-entry": _edge(stream, True)}


@command("xinfo|groups", arity=3, flags="readonly", keys=(2, 2, 1), group="stream", since="5.0.0",
         old_arity=("7.0.0", -2))
def xinfo_groups(ctx: Session, *args: bytes) -> list[dict]:
    """Each group of a stream: consumers, pending, last id, entries read, lag. O(groups)."""
    if ctx.server.version >= (7, 0, 0):
        stream = _info_stream(ctx, args[0])
    else:
        stream = _old_info_args(ctx, b"GROUPS", args, (1,))
    reply = []
    for name in sorted(stream.groups):
        group = stream.groups[name]
        reply.append(_with_counters(ctx, stream, group, {
            b"name": name, b"consumers": len(group.consumers), b"pending": len(group.pending),
            b"last-delivered-id": format_id(group.last_id)}))
    return reply


@command("xinfo|consumers", arity=4, flags="readonly", keys=(2, 2, 1), group="stream",
         since="5.0.0", old_arity=("7.0.0", -2))
def xinfo_consumers(ctx: Session, *args: bytes) -> list[dict]:
    """Each consumer of a group: name, pending count, idle ms. O(consumers)."""
    if ctx.server.version >= (7, 0, 0):
        stream = _info_stream(ctx, args[0])
    else:
        stream = _old_info_args(ctx, b"CONSUMERS", args, (2,))
    key, group_name = args
    group = stream.groups.get(group_name)
    if group is None:
        raise ReplyError(errors.xgroup_nogroup(group_name, key))
    now = _now(ctx)
    return [{b"name": c.name, b"pending": len(c.pending), b"idle": max(now - c.seen_ms, 0)}
            for c in group.sorted_consumers()]


@command("xinfo|help", arity=2, flags="loading stale", keys=(0, 0, 0), group="stream",
         since="5.0.0", old_arity=("7.0.0", -2))
def xinfo_help(ctx: Session, *_: bytes) -> list[Status]:
    """XINFO's subcommands. O(1).

    Before 7.0 whatever follows HELP is ignored."""
    version = ctx.server.version
    if version >= (6, 2, 0):
        return help_reply(_XINFO_HELP)
    return help_reply(_XINFO_HELP_6_0 if version >= (6, 0, 0) else _XINFO_HELP_5_0)
