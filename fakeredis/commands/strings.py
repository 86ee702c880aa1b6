"""String commands (Redis's t_string.c)."""

from __future__ import annotations

from fakeredis import errors
from fakeredis.args import INT64_MAX, parse_int
from fakeredis.errors import ReplyError
from fakeredis.registry import command
from fakeredis.replies import OK, Status
from fakeredis.session import Session


def expire_deadline(ctx: Session, unit: bytes, amount: bytes, command_name: str) -> int:
    """Absolute deadline in ms for EX/PX/EXAT/PXAT ``amount``, with Redis's range checks."""
    value = parse_int(amount)
    if value <= 0:
        raise ReplyError(errors.invalid_expire(command_name))
    if unit in (b"EX", b"EXAT"):
        if value > INT64_MAX // 1000:
            raise ReplyError(errors.invalid_expire(command_name))
        value *= 1000
    if unit in (b"EX", b"PX"):
        value += ctx.server.clock.now_ms()
        if value > INT64_MAX:
            raise ReplyError(errors.invalid_expire(command_name))
    return value


@command("get", arity=2, flags="readonly fast", keys=(1, 1, 1), group="string", since="1.0.0")
def get(ctx: Session, key: bytes) -> bytes | None:
    """Get the value of a key."""
    return ctx.db.get_string(key)


@command("set", arity=-3, flags="write denyoom", keys=(1, 1, 1), group="string", since="1.0.0")
def set_(ctx: Session, key: bytes, value: bytes, *options: bytes) -> Status | bytes | None:
    """Set the string value of a key, with NX/XX, GET and an expiry."""
    db = ctx.db
    if not options:
        db.set(key, value)
        db.signal_modified(key, "set")
        return OK
    condition = unit = amount = None
    keep_ttl = want_old = False
    i, n = 0, len(options)
    while i < n:
        word = options[i].upper()
        if word in (b"NX", b"XX") and condition in (None, word):
            condition = word
        elif word == b"GET":
            want_old = True
        elif word == b"KEEPTTL" and unit is None:
            keep_ttl = True
        elif word in (b"EX", b"PX", b"EXAT", b"PXAT") and unit in (None, word) and not keep_ttl \
                and i + 1 < n:
            unit = word
            i += 1
            amount = options[i]
        else:
            raise ReplyError(errors.SYNTAX)
        i += 1
    deadline = expire_deadline(ctx, unit, amount, "set") if unit is not None else None
    old = db.get_string(key) if want_old else db.get(key)
    if (condition == b"NX" and old is not None) or (condition == b"XX" and old is None):
        return old if want_old else None
    db.set(key, value, keep_ttl=keep_ttl)
    if deadline is not None:
        db.set_expiry(key, deadline)
    db.signal_modified(key, "set")
    return old if want_old else OK
