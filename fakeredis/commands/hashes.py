"""Hash commands (Redis's t_hash.c). A hash is a Python ``dict`` of bytes to bytes.

Dicts keep insertion order, as Redis's small (listpack) hashes do. Python dicts cannot pick a
random field in O(1), so HRANDFIELD costs O(n) here.
"""

from __future__ import annotations

import random

from fakeredis import errors, longdouble
from fakeredis.args import INT64_MAX, INT64_MIN, parse_int, try_int
from fakeredis.commands.sets import HASHTABLE, is_compact, removed_from, upgrade
from fakeredis.errors import ReplyError
from fakeredis.registry import command
from fakeredis.replies import OK, Status
from fakeredis.session import Session
from fakeredis.structures.scan import parse_cursor, parse_scan_options, scan_page


def _get(ctx: Session, key: bytes) -> dict | None:
    """The hash at ``key``, None if missing, WRONGTYPE otherwise. O(1)."""
    return ctx.db.get_typed(key, dict)


def _written(ctx: Session, key: bytes, value: dict, written: tuple[bytes, ...]) -> None:
    """After a write: leave listpack past the entry limit or for a long field/value. O(written)."""
    if key in ctx.db.encodings:
        return
    values = ctx.server.config.values  # read directly: this runs after every hash write
    if len(value) > int(values["hash-max-listpack-entries"]) \
            or max(map(len, written)) > int(values["hash-max-listpack-value"]):
        upgrade(ctx, key)


def _set_pairs(ctx: Session, key: bytes, pairs: tuple[bytes, ...], name: str) -> int:
    """Store field/value ``pairs`` in the hash at ``key``; the number of new fields. O(pairs)."""
    if len(pairs) % 2:
        raise ReplyError(errors.wrong_arity(name))
    value = ctx.db.get_or_create(key, dict)
    before = len(value)
    for i in range(0, len(pairs), 2):
        value[pairs[i]] = pairs[i + 1]
    _written(ctx, key, value, pairs)
    ctx.db.signal_modified(key, "hset")
    return len(value) - before


@command("hset", arity=-4, flags="write denyoom fast", keys=(1, 1, 1), group="hash",
         since="2.0.0")
def hset(ctx: Session, key: bytes, *pairs: bytes) -> int:
    """Set fields of a hash; the number of fields that were new. O(pairs)."""
    return _set_pairs(ctx, key, pairs, "hset")


@command("hmset", arity=-4, flags="write denyoom fast", keys=(1, 1, 1), group="hash",
         since="2.0.0")
def hmset(ctx: Session, key: bytes, *pairs: bytes) -> Status:
    """Set fields of a hash (deprecated form of HSET). O(pairs)."""
    _set_pairs(ctx, key, pairs, "hmset")
    return OK


@command("hsetnx", arity=4, flags="write denyoom fast", keys=(1, 1, 1), group="hash",
         since="2.0.0")
def hsetnx(ctx: Session, key: bytes, field: bytes, value: bytes) -> int:
    """Set a field only when it does not exist yet; 1 if set. O(1)."""
    hash_ = ctx.db.get_or_create(key, dict)
    if field in hash_:
        return 0
    hash_[field] = value
    _written(ctx, key, hash_, (field, value))
    ctx.db.signal_modified(key, "hset")
    return 1


@command("hdel", arity=-3, flags="write fast", keys=(1, 1, 1), group="hash", since="2.0.0")
def hdel(ctx: Session, key: bytes, *fields: bytes) -> int:
    """Delete fields of a hash; the number deleted. O(fields)."""
    hash_ = _get(ctx, key)
    if hash_ is None:
        return 0
    removed = sum(1 for field in fields if hash_.pop(field, None) is not None)
    if removed:
        removed_from(ctx, key, hash_, "hdel")
    return removed


@command("hget", arity=3, flags="readonly fast", keys=(1, 1, 1), group="hash", since="2.0.0")
def hget(ctx: Session, key: bytes, field: bytes) -> bytes | None:
    """The value of a field, or nil. O(1)."""
    return (_get(ctx, key) or {}).get(field)


@command("hmget", arity=-3, flags="readonly fast", keys=(1, 1, 1), group="hash", since="2.0.0")
def hmget(ctx: Session, key: bytes, *fields: bytes) -> list[bytes | None]:
    """The values of several fields (nil for missing ones). O(fields)."""
    hash_ = _get(ctx, key) or {}
    return [hash_.get(field) for field in fields]


@command("hexists", arity=3, flags="readonly fast", keys=(1, 1, 1), group="hash",
         since="2.0.0")
def hexists(ctx: Session, key: bytes, field: bytes) -> int:
    """1 when the field exists, else 0. O(1)."""
    return int(field in (_get(ctx, key) or {}))


@command("hlen", arity=2, flags="readonly fast", keys=(1, 1, 1), group="hash", since="2.0.0")
def hlen(ctx: Session, key: bytes) -> int:
    """The number of fields of a hash. O(1)."""
    return len(_get(ctx, key) or {})


@command("hstrlen", arity=3, flags="readonly fast", keys=(1, 1, 1), group="hash",
         since="3.2.0")
def hstrlen(ctx: Session, key: bytes, field: bytes) -> int:
    """The length of a field's value (0 when missing). O(1)."""
    return len((_get(ctx, key) or {}).get(field, b""))


@command("hkeys", arity=2, flags="readonly", keys=(1, 1, 1), group="hash", since="2.0.0")
def hkeys(ctx: Session, key: bytes) -> list[bytes]:
    """All field names of a hash. O(n)."""
    return list(_get(ctx, key) or ())


@command("hvals", arity=2, flags="readonly", keys=(1, 1, 1), group="hash", since="2.0.0")
def hvals(ctx: Session, key: bytes) -> list[bytes]:
    """All values of a hash. O(n)."""
    return list((_get(ctx, key) or {}).values())


@command("hgetall", arity=2, flags="readonly", keys=(1, 1, 1), group="hash", since="2.0.0")
def hgetall(ctx: Session, key: bytes) -> dict[bytes, bytes]:
    """All fields and values of a hash (a map in RESP3). O(n)."""
    return dict(_get(ctx, key) or {})


@command("hincrby", arity=4, flags="write denyoom fast", keys=(1, 1, 1), group="hash",
         since="2.0.0")
def hincrby(ctx: Session, key: bytes, field: bytes, increment: bytes) -> int:
    """Add an integer to a field's value; the new value. O(1)."""
    delta = parse_int(increment)
    hash_ = _get(ctx, key)
    current = hash_.get(field, b"0") if hash_ is not None else b"0"
    number = try_int(current)
    if number is None:
        raise ReplyError(errors.HASH_NOT_INTEGER)
    result = number + delta
    if not INT64_MIN <= result <= INT64_MAX:
        raise ReplyError(errors.OVERFLOW)
    text = b"%d" % result
    hash_ = ctx.db.get_or_create(key, dict)
    hash_[field] = text
    _written(ctx, key, hash_, (field, text))
    ctx.db.signal_modified(key, "hincrby")
    return result


@command("hincrbyfloat", arity=4, flags="write denyoom fast", keys=(1, 1, 1), group="hash",
         since="2.6.0")
def hincrbyfloat(ctx: Session, key: bytes, field: bytes, increment: bytes) -> bytes:
    """Add a float to a field's value in long double precision; the new value. O(1)."""
    delta = longdouble.parse(increment)
    if delta is None:
        raise ReplyError(errors.NOT_FLOAT)
    if isinstance(delta, float):
        raise ReplyError(errors.NAN_OR_INFINITY)
    hash_ = _get(ctx, key)
    current = longdouble.parse(hash_.get(field, b"0") if hash_ is not None else b"0")
    if current is None:
        raise ReplyError(errors.HASH_NOT_FLOAT)
    total = longdouble.add(current, delta)
    if isinstance(total, float):
        raise ReplyError(errors.FLOAT_NAN_OR_INF)
    text = longdouble.format_human(total)
    hash_ = ctx.db.get_or_create(key, dict)
    hash_[field] = text
    _written(ctx, key, hash_, (field, text))
    ctx.db.signal_modified(key, "hincrbyfloat")
    return text


def _hrandfield_count(count: bytes, options: tuple[bytes, ...]) -> tuple[int, bool]:
    """HRANDFIELD's count and whether WITHVALUES was given, with Redis's checks in its order."""
    wanted = parse_int(count)
    if wanted < -INT64_MAX:
        raise ReplyError(errors.RANGE_LONG)
    if len(options) > 1 or (options and options[0].upper() != b"WITHVALUES"):
        raise ReplyError(errors.SYNTAX)
    if options and not -(INT64_MAX // 2) <= wanted <= INT64_MAX // 2:
        raise ReplyError(errors.VALUE_OUT_OF_RANGE)
    return wanted, bool(options)


def _pairs_reply(ctx: Session, pairs: list[tuple[bytes, bytes]]) -> list:
    """Field/value pairs: nested pairs in RESP3, a flat array in RESP2."""
    if ctx.protocol == 3:
        return [list(pair) for pair in pairs]
    return [item for pair in pairs for item in pair]


@command("hrandfield", arity=-2, flags="readonly", keys=(1, 1, 1), group="hash", since="6.2.0")
def hrandfield(ctx: Session, key: bytes, *args: bytes) -> bytes | list | None:
    """One random field, or ``count`` of them (negative: repeats allowed), WITHVALUES. O(n)."""
    if not args:
        hash_ = _get(ctx, key)
        return random.choice(list(hash_)) if hash_ else None
    wanted, with_values = _hrandfield_count(args[0], args[1:])
    hash_ = _get(ctx, key)
    if not hash_ or wanted == 0:
        return []
    items = list(hash_.items())
    if wanted < 0:
        chosen = random.choices(items, k=-wanted)
    else:
        chosen = random.sample(items, min(wanted, len(items)))
    if with_values:
        return _pairs_reply(ctx, chosen)
    return [field for field, _ in chosen]


def is_listpack(value: dict, max_entries: int, max_value: int) -> bool:
    """True when Redis would keep ``value`` as a listpack (few fields, short fields and values)."""
    return len(value) <= max_entries and all(
        len(field) <= max_value and len(item) <= max_value for field, item in value.items())


def hash_encoding(ctx: Session, value: dict) -> bytes:
    """The encoding Redis gives a hash built from scratch with these fields. O(n)."""
    config = ctx.server.config
    fits = is_listpack(value, config.get_int("hash-max-listpack-entries"),
                       config.get_int("hash-max-listpack-value"))
    return b"listpack" if fits else HASHTABLE


@command("hscan", arity=-3, flags="readonly", keys=(1, 1, 1), group="hash", since="2.8.0")
def hscan(ctx: Session, key: bytes, cursor: bytes, *options: bytes) -> list:
    """Iterate a hash with a cursor (MATCH, COUNT); small hashes come whole. O(count)."""
    position = parse_cursor(cursor)
    hash_ = _get(ctx, key)
    if hash_ is None:
        return [b"0", []]
    match, count, _ = parse_scan_options(options)
    position, fields = scan_page(ctx.server.scans, (ctx.db.index, key), position, count, match,
                                 lambda: list(hash_), hash_,
                                 list(hash_) if is_compact(ctx, key) else None)
    return [b"%d" % position, [item for field in fields for item in (field, hash_[field])]]
