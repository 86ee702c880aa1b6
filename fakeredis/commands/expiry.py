"""Key expiry commands: EXPIRE PEXPIRE EXPIREAT PEXPIREAT, TTL PTTL EXPIRETIME PEXPIRETIME, PERSIST.

Deadlines are absolute milliseconds of the server clock (``ctx.server.clock``).
"""

from __future__ import annotations

from fakeredis import errors
from fakeredis.args import INT64_MAX, INT64_MIN, parse_int
from fakeredis.errors import ReplyError
from fakeredis.registry import command
from fakeredis.session import Session

_CONDITIONS = (b"NX", b"XX", b"GT", b"LT")


def _parse_condition(options: tuple[bytes, ...]) -> frozenset[bytes]:
    """The NX/XX/GT/LT words after the time, checked for conflicts as Redis does."""
    flags = set()
    for option in options:
        word = option.upper()
        if word not in _CONDITIONS:
            raise ReplyError(errors.unsupported_option(option))
        flags.add(word)
    if b"NX" in flags and len(flags) > 1:
        raise ReplyError(errors.NX_XX_GT_LT)
    if b"GT" in flags and b"LT" in flags:
        raise ReplyError(errors.GT_LT_NX)
    return frozenset(flags)


def _deadline(ctx: Session, now: int, amount: bytes, seconds: bool, relative: bool,
              name: str) -> int:
    """The absolute deadline in ms, or Redis's 'invalid expire time' on 64-bit overflow."""
    when = parse_int(amount)
    if seconds:
        if not INT64_MIN // 1000 < when <= INT64_MAX // 1000:
            raise ReplyError(errors.invalid_expire(name, ctx.server.version))
        when *= 1000
    if relative:
        if when > INT64_MAX - now:
            raise ReplyError(errors.invalid_expire(name, ctx.server.version))
        when += now
    return when


def _condition_holds(flags: frozenset[bytes], when: int, current: int | None) -> bool:
    """NX: no TTL yet; XX: has one; GT: later than the current; LT: earlier (none = infinite)."""
    if b"NX" in flags and current is not None:
        return False
    if b"XX" in flags and current is None:
        return False
    if b"GT" in flags and (current is None or when <= current):
        return False
    return not (b"LT" in flags and current is not None and when >= current)


def _expire(ctx: Session, key: bytes, amount: bytes, options: tuple[bytes, ...],
            seconds: bool, relative: bool, name: str) -> int:
    """Shared body of the four EXPIRE commands: 1 when the deadline was set (or the key deleted)."""
    flags = _parse_condition(options) if options else None
    now = ctx.server.clock.now_ms()
    when = _deadline(ctx, now, amount, seconds, relative, name)
    db = ctx.db
    if db.get(key) is None:
        return 0
    if flags and not _condition_holds(flags, when, db.expires.get(key)):
        return 0
    if when <= now:
        db.delete(key)
        db.signal_modified(key, "del")
        return 1
    db.set_expiry(key, when)
    db.signal_modified(key, "expire")
    return 1


@command("expire", arity=-3, flags="write fast", keys=(1, 1, 1), group="generic", since="1.0.0",
         old_arity=("7.0.0", 3))
def expire(ctx: Session, key: bytes, seconds: bytes, *options: bytes) -> int:
    """Set a key's time to live in seconds. O(log n)."""
    return _expire(ctx, key, seconds, options, True, True, "expire")


@command("pexpire", arity=-3, flags="write fast", keys=(1, 1, 1), group="generic", since="2.6.0",
         old_arity=("7.0.0", 3))
def pexpire(ctx: Session, key: bytes, milliseconds: bytes, *options: bytes) -> int:
    """Set a key's time to live in milliseconds. O(log n)."""
    return _expire(ctx, key, milliseconds, options, False, True, "pexpire")


@command("expireat", arity=-3, flags="write fast", keys=(1, 1, 1), group="generic", since="1.2.0",
         old_arity=("7.0.0", 3))
def expireat(ctx: Session, key: bytes, timestamp: bytes, *options: bytes) -> int:
    """Set a key's expiry as a Unix time in seconds. O(log n)."""
    return _expire(ctx, key, timestamp, options, True, False, "expireat")


@command("pexpireat", arity=-3, flags="write fast", keys=(1, 1, 1), group="generic", since="2.6.0",
         old_arity=("7.0.0", 3))
def pexpireat(ctx: Session, key: bytes, timestamp: bytes, *options: bytes) -> int:
    """Set a key's expiry as a Unix time in milliseconds. O(log n)."""
    return _expire(ctx, key, timestamp, options, False, False, "pexpireat")


def _ttl(ctx: Session, key: bytes, in_ms: bool, absolute: bool) -> int:
    """-2 for a missing key, -1 without TTL, else the (remaining or absolute) time, rounded."""
    db = ctx.db
    if db.get(key) is None:
        return -2
    when = db.expires.get(key)
    if when is None:
        return -1
    value = when if absolute else max(when - ctx.server.clock.now_ms(), 0)
    return value if in_ms else (value + 500) // 1000


@command("ttl", arity=2, flags="readonly fast", keys=(1, 1, 1), group="generic", since="1.0.0")
def ttl(ctx: Session, key: bytes) -> int:
    """Seconds left before a key expires (-1 no TTL, -2 no key). O(1)."""
    return _ttl(ctx, key, False, False)


@command("pttl", arity=2, flags="readonly fast", keys=(1, 1, 1), group="generic", since="2.6.0")
def pttl(ctx: Session, key: bytes) -> int:
    """Milliseconds left before a key expires (-1 no TTL, -2 no key). O(1)."""
    return _ttl(ctx, key, True, False)


@command("expiretime", arity=2, flags="readonly fast", keys=(1, 1, 1), group="generic",
         since="7.0.0")
def expiretime(ctx: Session, key: bytes) -> int:
    """The Unix time in seconds at which a key expires (-1 no TTL, -2 no key). O(1)."""
    return _ttl(ctx, key, False, True)


@command("pexpiretime", arity=2, flags="readonly fast", keys=(1, 1, 1), group="generic",
         since="7.0.0")
def pexpiretime(ctx: Session, key: bytes) -> int:
    """The Unix time in milliseconds at which a key expires (-1 no TTL, -2 no key). O(1)."""
    return _ttl(ctx, key, True, True)


@command("persist", arity=2, flags="write fast", keys=(1, 1, 1), group="generic", since="2.2.0")
def persist(ctx: Session, key: bytes) -> int:
    """Remove a key's TTL; 1 if it had one. O(1)."""
    db = ctx.db
    if db.get(key) is None or not db.persist(key):
        return 0
    db.signal_modified(key, "persist")
    return 1
