"""Sorted set commands (Redis's t_zset.c)."""

from __future__ import annotations

import math
import random
import re
from typing import Any, Callable, Iterable

from fakeredis import errors
from fakeredis.args import INT64_MAX, parse_int, parse_timeout, rank_span, try_int
from fakeredis.errors import ReplyError
from fakeredis.keyspace import Database
from fakeredis.registry import command, has_added
from fakeredis.replies import NULL_ARRAY, format_double
from fakeredis.session import Session
from fakeredis.structures.scan import parse_cursor, parse_scan_options, scan_page
from fakeredis.structures.zset import Entry, LexBound, ZSet

_DEC_FLOAT = re.compile(
    rb"[+-]?(?:(\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?)\Z", re.IGNORECASE
)
_HEX_FLOAT = re.compile(
    rb"[+-]?0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?\Z"
)
_SPACE = b" \t\n\v\f\r"
_UNDERSCORE = ord("_")  # an int: ``in`` on bytes is much quicker with one than with b"_"
_INF = math.inf
_INFINITE_BOUNDS = {b"-inf": (-_INF, False), b"+inf": (_INF, False), b"inf": (_INF, False)}
_LEX_MIN = LexBound(b"", False, -1)
_LEX_MAX = LexBound(b"", False, 1)


# --- argument parsing -----------------------------------------------------------------------------
def _strtod(arg: bytes) -> tuple[float, bool] | None:
    """What C's ``strtod`` reads from the whole of ``arg``, and whether it over/underflowed."""
    match = _DEC_FLOAT.match(arg)
    if match:
        value = float(arg)
        if value != 0.0 and -_INF < value < _INF:  # the common case: no range error possible
            return value, False
        mantissa = match.group(1)
        if math.isinf(value):
            return value, mantissa is not None
        return value, value == 0.0 and mantissa is not None and mantissa.strip(b"0.") != b""
    if _HEX_FLOAT.match(arg):
        text = arg.decode()
        if "p" not in text.lower():
            text += "p0"
        try:
            value = float.fromhex(text)
        except OverflowError:
            return math.copysign(math.inf, -1.0 if arg[:1] == b"-" else 1.0), True
        return value, False
    return None


def parse_score(arg: bytes, error: str = errors.NOT_FLOAT) -> float:
    """A score or weight as Redis reads one: whole string, no leading space, no overflow, no NaN."""
    try:  # the common case first: float() reads what strtod does, plus '_' and outer spaces
        value = float(arg)
    except ValueError:
        value = 0.0
    if value != 0.0 and -_INF < value < _INF and _UNDERSCORE not in arg and arg.strip() is arg:
        return value  # (strip() returns the very object when there is nothing to strip)
    read = _strtod(arg)
    if read is None or read[1] or read[0] != read[0]:
        raise ReplyError(error)
    return read[0]


def _parse_bound(arg: bytes) -> tuple[float, bool]:
    """One end of a score range: ``1.5``, ``(1.5`` (exclusive), ``-inf``, ``+inf``."""
    if arg.isdigit():  # the common case: ASCII digits only, a plain float() reads them as strtod
        return float(arg), False
    infinite = _INFINITE_BOUNDS.get(arg)
    if infinite is not None:
        return infinite
    exclusive = arg[:1] == b"("
    read = _strtod((arg[1:] if exclusive else arg).lstrip(_SPACE))
    if read is None or read[0] != read[0]:
        raise ReplyError(errors.MIN_MAX_NOT_FLOAT)
    return read[0], exclusive


def parse_score_range(low: bytes, high: bytes) -> tuple[float, bool, float, bool]:
    """A ZRANGEBYSCORE-style (min, max) pair."""
    return (*_parse_bound(low), *_parse_bound(high))


def _parse_lex(arg: bytes) -> LexBound:
    """One end of a lex range: ``-``, ``+``, ``[value`` or ``(value``."""
    head = arg[:1]
    if head == b"[" or head == b"(":
        return LexBound(arg[1:], head == b"(")
    if arg == b"-":
        return _LEX_MIN
    if arg == b"+":
        return _LEX_MAX
    raise ReplyError(errors.MIN_MAX_NOT_LEX)


def parse_lex_range(low: bytes, high: bytes) -> tuple[LexBound, LexBound]:
    """A ZRANGEBYLEX-style (min, max) pair."""
    return _parse_lex(low), _parse_lex(high)


# --- shared helpers -------------------------------------------------------------------------------
def get_zset(ctx: Session, key: bytes) -> ZSet | None:
    """The sorted set at ``key``, None when missing, WRONGTYPE for another type. O(1)."""
    return ctx.db.get_typed(key, ZSet)


def _limits(ctx: Session) -> tuple[int, int]:
    """zset-max-listpack-entries and zset-max-listpack-value."""
    values = ctx.server.config.values
    return int(values["zset-max-listpack-entries"]), int(values["zset-max-listpack-value"])


def add_member(zset: ZSet, member: bytes, score: float, limits: tuple[int, int]) -> float | None:
    """Insert or update like Redis's zsetAdd, converting encodings first. O(log n)."""
    if zset.listpack and member not in zset.scores:
        zset.outgrow(limits[0] - 1, limits[1], len(member))
    return zset.insert(member, score)


def build_zset(ctx: Session, entries: Iterable[Entry]) -> ZSet:
    """A new sorted set holding ``entries``, compact when within the listpack limits. O(m log m)."""
    entries = list(entries)
    max_entries, max_value = _limits(ctx)
    listpack = len(entries) <= max_entries and all(len(m) <= max_value for _s, m in entries)
    zset = ZSet(listpack)
    for score, member in entries:
        zset.insert(member, score)
    return zset


def store_result(ctx: Session, dst: bytes, entries: Iterable[Entry], event: str) -> int:
    """Replace ``dst`` with a sorted set of ``entries`` (deleting it when empty); its size."""
    zset = build_zset(ctx, entries)
    db = ctx.db
    if zset:
        db.set(dst, zset)
        db.signal_modified(dst, event)
    elif db.delete(dst):
        db.signal_modified(dst, "del")
    return len(zset)


def after_removal(db: Database, key: bytes, zset: ZSet, event: str) -> None:
    """Signal a removal from ``zset`` and drop the key when it became empty."""
    db.signal_modified(key, event)
    db.delete_if_empty(key, zset)


def scored_reply(ctx: Session, entries: Iterable[Entry], withscores: bool) -> list[Any]:
    """Members, or members with scores: flat in RESP2, [member, score] pairs in RESP3. O(m)."""
    if not withscores:
        return [member for _score, member in entries]
    if ctx.protocol == 3:
        return [[member, score] for score, member in entries]
    flat: list[Any] = []
    for score, member in entries:
        flat.append(member)
        flat.append(score)
    return flat


def numkeys_finder(offset: int, store: bool = False) -> Callable[[list], list]:
    """Key positions for ``[dst] numkeys key...`` commands (numkeys at ``offset``), as Redis's
    key specs find them: none at all when numkeys is not a count of keys that are present."""
    def finder(argv: list) -> list:
        numkeys = try_int(argv[offset]) if offset < len(argv) else None
        if numkeys is None or numkeys < 1 or offset + numkeys >= len(argv):
            return []
        keys = list(range(offset + 1, offset + 1 + numkeys))
        return [1] + keys if store else keys
    return finder


# --- ZADD, ZINCRBY --------------------------------------------------------------------------------
_ZADD_FLAGS = frozenset((b"NX", b"XX", b"GT", b"LT", b"CH", b"INCR"))
_ZADD_FLAGS_6_0 = frozenset((b"NX", b"XX", b"CH", b"INCR"))  # before GT and LT (6.2)
_NO_FLAGS: frozenset[bytes] = frozenset()


def _write_target(ctx: Session, key: bytes, member: bytes) -> tuple[ZSet, tuple[int, int]]:
    """The sorted set ZADD/ZINCRBY writes to, stored new (compact unless ``member`` is too long)
    when missing, and the listpack limits while it is compact ((0, 0) after). O(1)."""
    db = ctx.db
    zset = db.get_typed(key, ZSet)
    if zset is None:
        max_entries, max_value = limits = _limits(ctx)
        zset = ZSet(max_entries != 0 and len(member) <= max_value)
        db.set(key, zset)
        return zset, limits
    return zset, _limits(ctx) if zset.listpack else (0, 0)


def _zadd_flags(args: tuple[bytes, ...], known: frozenset[bytes] = _ZADD_FLAGS
                ) -> tuple[set[bytes] | frozenset[bytes], int]:
    """The leading ZADD flags (of ``known``) and the index of the first score."""
    flags: set[bytes] = set()
    for i, arg in enumerate(args):
        word = arg.upper()
        if word not in known:
            return flags, i
        flags.add(word)
    return flags, len(args)


def _zadd_one(zset: ZSet, member: bytes, score: float, flags: set[bytes] | frozenset[bytes],
              limits: tuple[int, int]) -> tuple[float | None, int, int]:
    """Apply one pair: (resulting score or None if skipped, added, updated). O(log n)."""
    current = zset.scores.get(member)
    if current is None:
        if b"XX" in flags:
            return None, 0, 0
        add_member(zset, member, score, limits)
        return score, 1, 0
    if b"NX" in flags:
        return None, 0, 0
    if b"INCR" in flags:
        score += current
        if score != score:
            raise ReplyError(errors.SCORE_NAN)
    if (b"GT" in flags and score <= current) or (b"LT" in flags and score >= current):
        return None, 0, 0
    if score == current:
        return score, 0, 0
    zset.insert(member, score)
    return score, 0, 1


def _zadd_plain(zset: ZSet, scores: list[float], members: tuple[bytes, ...],
                limits: tuple[int, int]) -> tuple[int, int]:
    """ZADD without flags: (added, updated). O(log n) per member."""
    added = updated = 0
    for score, member in zip(scores, members):
        old = add_member(zset, member, score, limits) if zset.listpack \
            else zset.insert(member, score)
        if old is None:
            added += 1
        elif old != score:
            updated += 1
    return added, updated


@command("zadd", arity=-4, flags="write denyoom fast", keys=(1, 1, 1), group="sorted-set",
         since="1.2.0", added={"GT": "6.2.0", "LT": "6.2.0"})
def zadd(ctx: Session, key: bytes, *args: bytes) -> int | float | None:
    """Add members with scores or update their scores (NX XX GT LT CH INCR). O(log n) per member."""
    flags, first = _zadd_flags(args) if args[0][:1].isalpha() else (_NO_FLAGS, 0)
    if (b"GT" in flags or b"LT" in flags) and not has_added(ctx, "zadd", "GT"):
        flags, first = _zadd_flags(args, _ZADD_FLAGS_6_0)  # an older server reads them as scores
    pairs = args[first:]
    if not pairs or len(pairs) % 2:
        raise ReplyError(errors.SYNTAX)
    if flags:
        if b"NX" in flags and b"XX" in flags:
            raise ReplyError(errors.ZADD_XX_NX)
        if len(flags & {b"NX", b"GT", b"LT"}) > 1:
            raise ReplyError(errors.ZADD_GT_LT_NX)
        if b"INCR" in flags and len(pairs) > 2:
            raise ReplyError(errors.ZADD_INCR_PAIR)
    scores = list(map(parse_score, pairs[::2]))
    incr = b"INCR" in flags
    if b"XX" in flags and ctx.db.get_typed(key, ZSet) is None:
        return None if incr else 0
    zset, limits = _write_target(ctx, key, pairs[1])
    added = updated = 0
    result = None
    if flags:
        for score, member in zip(scores, pairs[1::2]):
            result, was_added, was_updated = _zadd_one(zset, member, score, flags, limits)
            added += was_added
            updated += was_updated
    else:
        added, updated = _zadd_plain(zset, scores, pairs[1::2], limits)
    if added or updated:
        ctx.db.signal_modified(key, "zincr" if incr else "zadd")
    if incr:
        return result
    return added + updated if b"CH" in flags else added


@command("zincrby", arity=4, flags="write denyoom fast", keys=(1, 1, 1), group="sorted-set",
         since="1.2.0")
def zincrby(ctx: Session, key: bytes, increment: bytes, member: bytes) -> float:
    """Add to a member's score (creating it). O(log n)."""
    amount = parse_score(increment)
    zset, limits = _write_target(ctx, key, member)
    current = zset.scores.get(member)
    if current is None:
        add_member(zset, member, amount, limits)
        score = amount
    else:
        score = current + amount
        if score != score:
            raise ReplyError(errors.SCORE_NAN)
        if score == current:
            return score
        zset.insert(member, score)
    ctx.db.signal_modified(key, "zincr")
    return score


# --- reads of single members ----------------------------------------------------------------------
@command("zcard", arity=2, flags="readonly fast", keys=(1, 1, 1), group="sorted-set", since="1.2.0")
def zcard(ctx: Session, key: bytes) -> int:
    """Number of members. O(1)."""
    zset = get_zset(ctx, key)
    return len(zset) if zset is not None else 0


@command("zscore", arity=3, flags="readonly fast", keys=(1, 1, 1), group="sorted-set",
         since="1.2.0")
def zscore(ctx: Session, key: bytes, member: bytes) -> float | None:
    """A member's score. O(1)."""
    zset = get_zset(ctx, key)
    return zset.scores.get(member) if zset is not None else None


@command("zmscore", arity=-3, flags="readonly fast", keys=(1, 1, 1), group="sorted-set",
         since="6.2.0")
def zmscore(ctx: Session, key: bytes, *members: bytes) -> list[float | None]:
    """Several members' scores. O(1) per member."""
    zset = get_zset(ctx, key)
    if zset is None:
        return [None] * len(members)
    scores = zset.scores
    return [scores.get(member) for member in members]


@command("zrank", arity=3, flags="readonly fast", keys=(1, 1, 1), group="sorted-set", since="2.0.0")
def zrank(ctx: Session, key: bytes, member: bytes) -> int | None:
    """A member's 0-based position by ascending score. O(log n)."""
    zset = ctx.db.get_typed(key, ZSet)
    return zset.rank(member) if zset is not None else None


@command("zrevrank", arity=3, flags="readonly fast", keys=(1, 1, 1), group="sorted-set",
         since="2.0.0")
def zrevrank(ctx: Session, key: bytes, member: bytes) -> int | None:
    """A member's 0-based position by descending score. O(log n)."""
    zset = ctx.db.get_typed(key, ZSet)
    rank = zset.rank(member) if zset is not None else None
    return None if rank is None else len(zset) - 1 - rank


@command("zrem", arity=-3, flags="write fast", keys=(1, 1, 1), group="sorted-set", since="1.2.0")
def zrem(ctx: Session, key: bytes, *members: bytes) -> int:
    """Remove members. O(log n) per member."""
    zset = ctx.db.get_typed(key, ZSet)
    if zset is None:
        return 0
    removed = 0
    for member in members:
        removed += zset.discard(member)
    if removed:
        after_removal(ctx.db, key, zset, "zrem")
    return removed


# --- ranges ---------------------------------------------------------------------------------------
_RANK, _SCORE, _LEX = "rank", "score", "lex"


def _limit_span(start: int, stop: int, reverse: bool, offset: int, limit: int) -> tuple[int, int]:
    """Apply LIMIT offset count (in reading direction) to positions [start, stop)."""
    available = stop - start - offset
    if offset < 0 or available <= 0:
        return 0, 0
    take = available if limit < 0 else min(limit, available)
    if reverse:
        return stop - offset - take, stop - offset
    return start + offset, start + offset + take


class RangeQuery:
    """A parsed Z*RANGE* request: kind, bounds, direction, LIMIT and WITHSCORES."""

    __slots__ = ("kind", "reverse", "withscores", "offset", "limit", "bounds")

    def __init__(self, low: bytes, high: bytes, options: tuple[bytes, ...], kind: str | None,
                 reverse: bool | None, store: bool = False) -> None:
        """Read options then bounds, with Redis's checks in Redis's order."""
        withscores, offset, limit = False, 0, -1
        i, n = 0, len(options)
        while i < n:
            word = options[i].upper()
            if word == b"WITHSCORES" and not store:
                withscores = True
            elif word == b"LIMIT" and n - i - 1 >= 2:
                offset = parse_int(options[i + 1])
                limit = parse_int(options[i + 2])
                i += 2
            elif word == b"REV" and reverse is None:
                reverse = True
            elif word == b"BYSCORE" and kind is None:
                kind = _SCORE
            elif word == b"BYLEX" and kind is None:
                kind = _LEX
            else:
                raise ReplyError(errors.SYNTAX)
            i += 1
        kind = kind or _RANK
        if limit != -1 and kind is _RANK:
            raise ReplyError(errors.LIMIT_NEEDS_BY)
        if withscores and kind is _LEX:
            raise ReplyError(errors.WITHSCORES_BYLEX)
        self.kind, self.reverse, self.withscores = kind, bool(reverse), withscores
        self.offset, self.limit = offset, limit
        if reverse and kind is not _RANK:
            low, high = high, low
        if kind is _RANK:
            self.bounds = (parse_int(low), parse_int(high))
        elif kind is _SCORE:
            self.bounds = parse_score_range(low, high)
        else:
            self.bounds = parse_lex_range(low, high)

    def entries(self, zset: ZSet) -> list[Entry]:
        """The (score, member) entries of the answer in reply order. O(log n + m)."""
        kind, reverse = self.kind, self.reverse
        if kind is _RANK:
            n = len(zset.scores)
            start, stop = rank_span(n, *self.bounds)
            return zset.entries(n - stop, n - start, True) if reverse else zset.entries(start, stop)
        offset, limit = self.offset, self.limit
        if kind is _SCORE:
            if limit >= 0 and offset >= 0:
                return zset.score_page(*self.bounds, offset, limit, reverse)
            start, stop = zset.score_span(*self.bounds)
        else:
            start, stop = zset.lex_span(*self.bounds, reverse)
        if offset or limit != -1:
            start, stop = _limit_span(start, stop, reverse, offset, limit)
        return zset.entries(start, stop, reverse)


def _old_range_error(error: ReplyError, low: bytes, high: bytes, kind: str | None) -> ReplyError:
    """The error a server before 6.2 gave instead of ``error``: it read the bounds before the
    options, and had no special text for WITHSCORES with a lex range."""
    if kind is _SCORE:
        parse_score_range(low, high)
    elif kind is _LEX:
        parse_lex_range(low, high)
    return ReplyError(errors.SYNTAX) if error.text == errors.WITHSCORES_BYLEX else error


def _range_reply(ctx: Session, key: bytes, low: bytes, high: bytes, options: tuple[bytes, ...],
                 kind: str | None, reverse: bool | None) -> list[Any]:
    """Parse a Z*RANGE* request and answer it from the set at ``key``. O(log n + m)."""
    try:
        query = RangeQuery(low, high, options, kind, reverse)
    except ReplyError as error:
        if not has_added(ctx, "zrange", "BYSCORE"):
            raise _old_range_error(error, low, high, kind) from None
        raise
    zset = ctx.db.get_typed(key, ZSet)
    if zset is None:
        return []
    return scored_reply(ctx, query.entries(zset), query.withscores)


def _old_rank_range(ctx: Session, key: bytes, start: bytes, stop: bytes,
                    options: tuple[bytes, ...], reverse: bool) -> list[Any]:
    """ZRANGE/ZREVRANGE before 6.2: ranks read first, then WITHSCORES alone or a syntax error."""
    parse_int(start), parse_int(stop)
    if len(options) != 1 or options[0].upper() != b"WITHSCORES":
        raise ReplyError(errors.SYNTAX)
    return _range_reply(ctx, key, start, stop, options, _RANK, reverse)


@command("zrange", arity=-4, flags="readonly", keys=(1, 1, 1), group="sorted-set", since="1.2.0",
         added={"REV": "6.2.0", "BYSCORE": "6.2.0", "BYLEX": "6.2.0", "LIMIT": "6.2.0"})
def zrange(ctx: Session, key: bytes, start: bytes, stop: bytes, *options: bytes) -> list[Any]:
    """Members by rank, score or lex range (BYSCORE BYLEX REV LIMIT WITHSCORES). O(log n + m)."""
    if options and not has_added(ctx, "zrange", "BYSCORE"):
        return _old_rank_range(ctx, key, start, stop, options, False)
    return _range_reply(ctx, key, start, stop, options, None, None)


@command("zrevrange", arity=-4, flags="readonly", keys=(1, 1, 1), group="sorted-set",
         since="1.2.0")
def zrevrange(ctx: Session, key: bytes, start: bytes, stop: bytes, *options: bytes) -> list[Any]:
    """Members by rank, highest score first. O(log n + m)."""
    if options and not has_added(ctx, "zrange", "BYSCORE"):
        return _old_rank_range(ctx, key, start, stop, options, True)
    return _range_reply(ctx, key, start, stop, options, _RANK, True)


@command("zrangebyscore", arity=-4, flags="readonly", keys=(1, 1, 1), group="sorted-set",
         since="1.0.5")
def zrangebyscore(ctx: Session, key: bytes, low: bytes, high: bytes, *options: bytes) -> list[Any]:
    """Members with scores in [min, max], ascending. O(log n + m)."""
    return _range_reply(ctx, key, low, high, options, _SCORE, False)


@command("zrevrangebyscore", arity=-4, flags="readonly", keys=(1, 1, 1), group="sorted-set",
         since="2.2.0")
def zrevrangebyscore(ctx: Session, key: bytes, high: bytes, low: bytes,
                     *options: bytes) -> list[Any]:
    """Members with scores in [min, max], descending. O(log n + m)."""
    return _range_reply(ctx, key, high, low, options, _SCORE, True)


@command("zrangebylex", arity=-4, flags="readonly", keys=(1, 1, 1), group="sorted-set",
         since="2.8.9")
def zrangebylex(ctx: Session, key: bytes, low: bytes, high: bytes, *options: bytes) -> list[Any]:
    """Members in a lex range, ascending. O(log n + m)."""
    return _range_reply(ctx, key, low, high, options, _LEX, False)


@command("zrevrangebylex", arity=-4, flags="readonly", keys=(1, 1, 1), group="sorted-set",
         since="2.8.9")
def zrevrangebylex(ctx: Session, key: bytes, high: bytes, low: bytes,
                   *options: bytes) -> list[Any]:
    """Members in a lex range, descending. O(log n + m)."""
    return _range_reply(ctx, key, high, low, options, _LEX, True)


@command("zrangestore", arity=-5, flags="write denyoom", keys=(1, 2, 1), group="sorted-set",
         since="6.2.0")
def zrangestore(ctx: Session, dst: bytes, src: bytes, low: bytes, high: bytes,
                *options: bytes) -> int:
    """Store a ZRANGE result in ``dst``; its size. O(log n + m log m)."""
    query = RangeQuery(low, high, options, None, None, store=True)
    zset = get_zset(ctx, src)
    entries = query.entries(zset) if zset is not None else ()
    return store_result(ctx, dst, entries, "zrangestore")


@command("zcount", arity=4, flags="readonly fast", keys=(1, 1, 1), group="sorted-set",
         since="2.0.0")
def zcount(ctx: Session, key: bytes, low: bytes, high: bytes) -> int:
    """Number of members with scores in [min, max]. O(log n)."""
    bounds = parse_score_range(low, high)
    zset = get_zset(ctx, key)
    if zset is None:
        return 0
    start, stop = zset.score_span(*bounds)
    return stop - start


@command("zlexcount", arity=4, flags="readonly fast", keys=(1, 1, 1), group="sorted-set",
         since="2.8.9")
def zlexcount(ctx: Session, key: bytes, low: bytes, high: bytes) -> int:
    """Number of members in a lex range. O(log n) (O(n) over mixed scores)."""
    bounds = parse_lex_range(low, high)
    zset = get_zset(ctx, key)
    if zset is None:
        return 0
    start, stop = zset.lex_span(*bounds)
    return stop - start


def _remove_span(ctx: Session, key: bytes, span: Callable[[ZSet], tuple[int, int]],
                 event: str) -> int:
    """Remove the entries at the positions ``span`` picks; how many. O(log n + m)."""
    zset = get_zset(ctx, key)
    if zset is None:
        return 0
    start, stop = span(zset)
    if start >= stop:
        return 0
    zset.remove_range(start, stop)
    after_removal(ctx.db, key, zset, event)
    return stop - start


@command("zremrangebyrank", arity=4, flags="write", keys=(1, 1, 1), group="sorted-set",
         since="2.0.0")
def zremrangebyrank(ctx: Session, key: bytes, start: bytes, stop: bytes) -> int:
    """Remove members by rank range. O(log n + m)."""
    first, last = parse_int(start), parse_int(stop)
    return _remove_span(ctx, key, lambda z: rank_span(len(z), first, last), "zremrangebyrank")


@command("zremrangebyscore", arity=4, flags="write", keys=(1, 1, 1), group="sorted-set",
         since="1.2.0")
def zremrangebyscore(ctx: Session, key: bytes, low: bytes, high: bytes) -> int:
    """Remove members by score range. O(log n + m)."""
    bounds = parse_score_range(low, high)
    return _remove_span(ctx, key, lambda z: z.score_span(*bounds), "zremrangebyscore")


@command("zremrangebylex", arity=4, flags="write", keys=(1, 1, 1), group="sorted-set",
         since="2.8.9")
def zremrangebylex(ctx: Session, key: bytes, low: bytes, high: bytes) -> int:
    """Remove members by lex range. O(log n + m)."""
    bounds = parse_lex_range(low, high)
    return _remove_span(ctx, key, lambda z: z.lex_span(*bounds), "zremrangebylex")


# --- pops -----------------------------------------------------------------------------------------
_POSITIVE_POP_COUNT = (7, 0, 0)  # the version that rejects a negative ZPOPMIN/ZPOPMAX count


def pop_entries(db: Database, key: bytes, zset: ZSet, count: int, maximum: bool) -> list[Entry]:
    """Pop up to ``count`` lowest (or highest) entries and signal. O(count log n)."""
    index = -1 if maximum else 0
    popped = [zset.pop(index) for _ in range(min(count, len(zset)))]
    after_removal(db, key, zset, "zpopmax" if maximum else "zpopmin")
    return popped


def _pop_count(ctx: Session, arg: bytes) -> int:
    """ZPOPMIN/ZPOPMAX's count: at least 0 since 7.0; before, any integer (below 0 pops none)."""
    try:
        amount: int | None = parse_int(arg)
    except ReplyError:
        amount = None
    if amount is not None and amount >= 0:
        return amount
    if ctx.server.version >= _POSITIVE_POP_COUNT:
        raise ReplyError(errors.NOT_POSITIVE)
    if amount is None:
        raise ReplyError(errors.NOT_INTEGER)
    return 0


def _zpop(ctx: Session, key: bytes, count: tuple[bytes, ...], maximum: bool) -> list[Any]:
    """ZPOPMIN/ZPOPMAX: one flat pair without a count, else up to count pairs."""
    if len(count) > 1:
        raise ReplyError(errors.SYNTAX)
    amount = _pop_count(ctx, count[0]) if count else 1
    zset = get_zset(ctx, key)
    if zset is None or amount == 0:
        return []
    popped = pop_entries(ctx.db, key, zset, amount, maximum)
    if not count:
        score, member = popped[0]
        return [member, score]
    return scored_reply(ctx, popped, True)


@command("zpopmin", arity=-2, flags="write fast", keys=(1, 1, 1), group="sorted-set",
         since="5.0.0")
def zpopmin(ctx: Session, key: bytes, *count: bytes) -> list[Any]:
    """Remove and return the lowest-scored members. O(count log n)."""
    return _zpop(ctx, key, count, False)


@command("zpopmax", arity=-2, flags="write fast", keys=(1, 1, 1), group="sorted-set",
         since="5.0.0")
def zpopmax(ctx: Session, key: bytes, *count: bytes) -> list[Any]:
    """Remove and return the highest-scored members. O(count log n)."""
    return _zpop(ctx, key, count, True)


def _first_filled(db: Database, keys: Iterable[bytes], strict: bool) -> tuple[bytes, ZSet] | None:
    """The first key holding a sorted set. Another type is WRONGTYPE when ``strict`` (the call
    itself); a woken client skips it and waits on, as Redis only serves it from sorted sets."""
    for key in keys:
        value = db.get(key)
        if value is None:
            continue
        if type(value) is ZSet:
            return key, value
        if strict:
            raise ReplyError(errors.WRONGTYPE)
    return None


def _bzpop(ctx: Session, args: tuple[bytes, ...], maximum: bool) -> Any:
    """BZPOPMIN/BZPOPMAX: pop now, or park the client until a key gets members."""
    timeout = parse_timeout(args[-1])
    keys = args[:-1]
    db = ctx.db

    def attempt(strict: bool = False) -> list[Any] | None:
        found = _first_filled(db, keys, strict)
        if found is None:
            return None
        key, zset = found
        score, member = pop_entries(db, key, zset, 1, maximum)[0]
        return [key, member, score]

    result = attempt(True)
    if result is not None or ctx.in_multi or ctx.in_script:
        return NULL_ARRAY if result is None else result
    return ctx.server.block(ctx, list(keys), timeout, attempt, NULL_ARRAY)


@command("bzpopmin", arity=-3, flags="write noscript blocking fast", keys=(1, -2, 1),
         group="sorted-set", since="5.0.0")
def bzpopmin(ctx: Session, *args: bytes) -> Any:
    """ZPOPMIN on the first non-empty key, blocking until one exists. O(log n)."""
    return _bzpop(ctx, args, False)


@command("bzpopmax", arity=-3, flags="write noscript blocking fast", keys=(1, -2, 1),
         group="sorted-set", since="5.0.0")
def bzpopmax(ctx: Session, *args: bytes) -> Any:
    """ZPOPMAX on the first non-empty key, blocking until one exists. O(log n)."""
    return _bzpop(ctx, args, True)


def _positive(arg: bytes, error: str) -> int:
    """An integer of at least 1, else ``error`` (numkeys, COUNT)."""
    value = parse_int(arg, error)
    if value < 1:
        raise ReplyError(error)
    return value


def _parse_mpop(args: tuple[bytes, ...]) -> tuple[tuple[bytes, ...], bool, int]:
    """``numkeys key... MIN|MAX [COUNT n]`` -> (keys, maximum, count)."""
    numkeys = _positive(args[0], errors.NUMKEYS_POSITIVE)
    where = numkeys + 1
    if where >= len(args):
        raise ReplyError(errors.SYNTAX)
    side = args[where].upper()
    if side not in (b"MIN", b"MAX"):
        raise ReplyError(errors.SYNTAX)
    count = 0
    i = where + 1
    while i < len(args):
        if count or args[i].upper() != b"COUNT" or i + 1 >= len(args):
            raise ReplyError(errors.SYNTAX)
        count = _positive(args[i + 1], errors.COUNT_POSITIVE)
        i += 2
    return args[1:where], side == b"MAX", count or 1


def _mpop_attempt(ctx: Session, keys: tuple[bytes, ...], maximum: bool,
                  count: int) -> Callable[..., list[Any] | None]:
    """A function popping from the first non-empty key (now, strictly typed, or when woken)."""
    db = ctx.db

    def attempt(strict: bool = False) -> list[Any] | None:
        found = _first_filled(db, keys, strict)
        if found is None:
            return None
        key, zset = found
        popped = pop_entries(db, key, zset, count, maximum)
        return [key, [[member, score] for score, member in popped]]

    return attempt


@command("zmpop", arity=-4, flags="write", keys=(0, 0, 0), key_finder=numkeys_finder(1),
         group="sorted-set", since="7.0.0")
def zmpop(ctx: Session, *args: bytes) -> Any:
    """Pop from the first non-empty of several sorted sets. O(k + count log n)."""
    keys, maximum, count = _parse_mpop(args)
    result = _mpop_attempt(ctx, keys, maximum, count)(True)
    return NULL_ARRAY if result is None else result


@command("bzmpop", arity=-5, flags="write blocking", keys=(0, 0, 0), key_finder=numkeys_finder(2),
         group="sorted-set", since="7.0.0")
def bzmpop(ctx: Session, timeout_arg: bytes, *args: bytes) -> Any:
    """ZMPOP, blocking until one of the keys has members. O(k + count log n)."""
    keys, maximum, count = _parse_mpop(args)
    timeout = parse_timeout(timeout_arg)
    attempt = _mpop_attempt(ctx, keys, maximum, count)
    result = attempt(True)
    if result is not None or ctx.in_multi or ctx.in_script:
        return NULL_ARRAY if result is None else result
    return ctx.server.block(ctx, list(keys), timeout, attempt, NULL_ARRAY)


# --- random members, scan -------------------------------------------------------------------------
@command("zrandmember", arity=-2, flags="readonly", keys=(1, 1, 1), group="sorted-set",
         since="6.2.0")
def zrandmember(ctx: Session, key: bytes, *args: bytes) -> Any:
    """Random members; a negative count allows repeats (WITHSCORES). O(count log n)."""
    if not args:
        zset = get_zset(ctx, key)
        return zset.entry(random.randrange(len(zset)))[1] if zset else None
    count = parse_int(args[0])
    if count < -INT64_MAX:
        raise ReplyError(errors.RANGE_LONG)
    if len(args) > 2 or (len(args) == 2 and args[1].upper() != b"WITHSCORES"):
        raise ReplyError(errors.SYNTAX)
    if len(args) == 2 and not -(INT64_MAX // 2) <= count <= INT64_MAX // 2:
        raise ReplyError(errors.VALUE_OUT_OF_RANGE)  # twice as many replies would overflow
    zset = get_zset(ctx, key)
    if zset is None or count == 0:
        return []
    n = len(zset)
    if count < 0:
        picks = [random.randrange(n) for _ in range(-count)]
    elif count >= n:
        picks = list(range(n - 1, -1, -1))
    else:
        picks = random.sample(range(n), count)
    return scored_reply(ctx, (zset.entry(i) for i in picks), len(args) == 2)


@command("zscan", arity=-3, flags="readonly", keys=(1, 1, 1), group="sorted-set", since="2.8.0")
def zscan(ctx: Session, key: bytes, cursor_arg: bytes, *options: bytes) -> list[Any]:
    """Iterate members and scores with a cursor (MATCH, COUNT). O(count) per call; compact
    sets (at most zset-max-listpack-entries) come whole in one call as in Redis."""
    cursor = parse_cursor(cursor_arg)
    zset = get_zset(ctx, key)
    if zset is None:
        return [b"0", []]
    match, count, _type = parse_scan_options(options)
    scores = zset.scores
    cursor, members = scan_page(
        ctx.server.scans, (ctx.db.index, key), cursor, count, match, lambda: list(scores), scores,
        [member for _score, member in zset.order] if zset.listpack else None)
    return [b"%d" % cursor, [item for member in members
                             for item in (member, format_double(scores[member]))]]


# --- set algebra ----------------------------------------------------------------------------------
_UNION, _INTER, _DIFF = "union", "inter", "diff"


def _aggregate(how: bytes) -> Callable[[float, float], float]:
    """The AGGREGATE function for SUM, MIN or MAX."""
    if how == b"SUM":
        return _sum
    if how == b"MIN":
        return lambda a, b: b if b < a else a
    return lambda a, b: b if b > a else a


def _sum(a: float, b: float) -> float:
    """Redis's SUM: a NaN (inf + -inf) counts as 0."""
    total = a + b
    return 0.0 if total != total else total


def _source(ctx: Session, key: bytes) -> dict[bytes, float]:
    """A ZUNION input: a sorted set's scores, or a plain set's members with score 1."""
    value = ctx.db.get(key)
    if value is None:
        return {}
    if type(value) is ZSet:
        return value.scores
    if type(value) is set:
        return dict.fromkeys(value, 1.0)
    raise ReplyError(errors.WRONGTYPE)


def _weighted(score: float, weight: float) -> float:
    """A score times its weight, 0 where that is NaN (0 * inf)."""
    value = score * weight
    return 0.0 if value != value else value


def _combine(op: str, sources: list[tuple[dict[bytes, float], float]],
             aggregate: Callable[[float, float], float]) -> dict[bytes, float]:
    """Member -> combined score, iterating smallest input first as Redis does. O(total)."""
    if op == _DIFF:
        first, rest = sources[0][0], [s for s, _w in sources[1:]]
        return {m: s for m, s in first.items() if not any(m in other for other in rest)}
    ordered = sorted(sources, key=lambda source: len(source[0]))
    if op == _UNION:
        result: dict[bytes, float] = {}
        for scores, weight in ordered:
            for member, score in scores.items():
                value = _weighted(score, weight)
                old = result.get(member)
                result[member] = value if old is None else aggregate(old, value)
        return result
    (smallest, first_weight), others = ordered[0], ordered[1:]
    result = {}
    for member, score in smallest.items():
        total = _weighted(score, first_weight)
        for scores, weight in others:
            value = scores.get(member)
            if value is None:
                break
            total = aggregate(total, value * weight)
        else:
            result[member] = total
    return result


def _setop(ctx: Session, op: str, name: str, args: tuple[bytes, ...], store: bool,
           card_only: bool = False) -> tuple[dict[bytes, float] | int, bool]:
    """Parse ``numkeys key... [WEIGHTS ...] [AGGREGATE ...] [WITHSCORES] [LIMIT]`` and compute."""
    numkeys = parse_int(args[0])
    if numkeys < 1:
        raise ReplyError(errors.no_input_keys(name, ctx.server.version))
    if numkeys > len(args) - 1:
        raise ReplyError(errors.SYNTAX)
    keys = args[1:numkeys + 1]
    inputs = [_source(ctx, key) for key in keys]
    weights = [1.0] * numkeys
    aggregate = _sum
    withscores = False
    limit = 0
    i, n = numkeys + 1, len(args)
    while i < n:
        word = args[i].upper()
        remaining = n - i
        if word == b"WEIGHTS" and op != _DIFF and not card_only and remaining >= numkeys + 1:
            weights = [parse_score(w, errors.WEIGHT_NOT_FLOAT) for w in args[i + 1:i + 1 + numkeys]]
            i += numkeys + 1
        elif word == b"AGGREGATE" and op != _DIFF and not card_only and remaining >= 2:
            how = args[i + 1].upper()
            if how not in (b"SUM", b"MIN", b"MAX"):
                raise ReplyError(errors.SYNTAX)
            aggregate = _aggregate(how)
            i += 2
        elif word == b"WITHSCORES" and not store and not card_only:
            withscores = True
            i += 1
        elif word == b"LIMIT" and card_only and remaining >= 2:
            limit = parse_int(args[i + 1], errors.LIMIT_NEGATIVE)
            if limit < 0:
                raise ReplyError(errors.LIMIT_NEGATIVE)
            i += 2
        else:
            raise ReplyError(errors.SYNTAX)
    combined = _combine(op, list(zip(inputs, weights)), aggregate)
    if card_only:
        return (len(combined) if not limit else min(limit, len(combined))), False
    return combined, withscores


def _sorted_entries(scores: dict[bytes, float]) -> list[Entry]:
    """Member -> score as ascending (score, member) entries. O(m log m)."""
    return sorted((score, member) for member, score in scores.items())


def _setop_reply(ctx: Session, op: str, name: str, args: tuple[bytes, ...]) -> list[Any]:
    """ZUNION/ZINTER/ZDIFF reply."""
    combined, withscores = _setop(ctx, op, name, args, store=False)
    return scored_reply(ctx, _sorted_entries(combined), withscores)  # type: ignore[arg-type]


def _setop_store(ctx: Session, op: str, name: str, dst: bytes, args: tuple[bytes, ...]) -> int:
    """ZUNIONSTORE/ZINTERSTORE/ZDIFFSTORE: store the result, return its size."""
    combined, _withscores = _setop(ctx, op, name, args, store=True)
    return store_result(ctx, dst, _sorted_entries(combined), name)  # type: ignore[arg-type]


@command("zunion", arity=-3, flags="readonly", keys=(0, 0, 0), key_finder=numkeys_finder(1),
         group="sorted-set", since="6.2.0")
def zunion(ctx: Session, *args: bytes) -> list[Any]:
    """Union of sorted sets (WEIGHTS, AGGREGATE, WITHSCORES). O(total + m log m)."""
    return _setop_reply(ctx, _UNION, "zunion", args)


@command("zinter", arity=-3, flags="readonly", keys=(0, 0, 0), key_finder=numkeys_finder(1),
         group="sorted-set", since="6.2.0")
def zinter(ctx: Session, *args: bytes) -> list[Any]:
    """Intersection of sorted sets (WEIGHTS, AGGREGATE, WITHSCORES). O(n k + m log m)."""
    return _setop_reply(ctx, _INTER, "zinter", args)


@command("zdiff", arity=-3, flags="readonly", keys=(0, 0, 0), key_finder=numkeys_finder(1),
         group="sorted-set", since="6.2.0")
def zdiff(ctx: Session, *args: bytes) -> list[Any]:
    """Members of the first sorted set in none of the others (WITHSCORES). O(n k + m log m)."""
    return _setop_reply(ctx, _DIFF, "zdiff", args)


@command("zunionstore", arity=-4, flags="write denyoom", keys=(1, 1, 1),
         key_finder=numkeys_finder(2, store=True), group="sorted-set", since="2.0.0")
def zunionstore(ctx: Session, dst: bytes, *args: bytes) -> int:
    """Store a union of sorted sets; its size. O(total + m log m)."""
    return _setop_store(ctx, _UNION, "zunionstore", dst, args)


@command("zinterstore", arity=-4, flags="write denyoom", keys=(1, 1, 1),
         key_finder=numkeys_finder(2, store=True), group="sorted-set", since="2.0.0")
def zinterstore(ctx: Session, dst: bytes, *args: bytes) -> int:
    """Store an intersection of sorted sets; its size. O(n k + m log m)."""
    return _setop_store(ctx, _INTER, "zinterstore", dst, args)


@command("zdiffstore", arity=-4, flags="write denyoom", keys=(1, 1, 1),
         key_finder=numkeys_finder(2, store=True), group="sorted-set", since="6.2.0")
def zdiffstore(ctx: Session, dst: bytes, *args: bytes) -> int:
    """Store a difference of sorted sets; its size. O(n k + m log m)."""
    return _setop_store(ctx, _DIFF, "zdiffstore", dst, args)


@command("zintercard", arity=-3, flags="readonly", keys=(0, 0, 0), key_finder=numkeys_finder(1),
         group="sorted-set", since="7.0.0")
def zintercard(ctx: Session, *args: bytes) -> int:
    """Size of the intersection, stopping at LIMIT. O(n k)."""
    count, _withscores = _setop(ctx, _INTER, "zintercard", args, store=False, card_only=True)
    return count  # type: ignore[return-value]
