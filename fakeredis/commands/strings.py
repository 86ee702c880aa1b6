"""String commands (Redis's t_string.c)."""

from __future__ import annotations

from typing import Any

from fakeredis import errors, longdouble
from fakeredis.args import INT64_MAX, INT64_MIN, OptionScanner, parse_int
from fakeredis.errors import ReplyError
from fakeredis.registry import check_added, command
from fakeredis.replies import OK, Status
from fakeredis.session import Session


def expire_deadline(ctx: Session, unit: bytes, amount: bytes, command_name: str) -> int:
    """Absolute deadline in ms for EX/PX/EXAT/PXAT ``amount``, with Redis's range checks."""
    value = parse_int(amount)
    if value <= 0:
        raise _invalid_expire(ctx, command_name)
    if unit in (b"EX", b"EXAT"):
        if value > INT64_MAX // 1000:
            raise _invalid_expire(ctx, command_name)
        value *= 1000
    if unit in (b"EX", b"PX"):
        value += ctx.server.clock.now_ms()
        if value > INT64_MAX:
            raise _invalid_expire(ctx, command_name)
    return value


def _invalid_expire(ctx: Session, command_name: str) -> ReplyError:
    """The bad-expiry error in the wording of the server's version."""
    return ReplyError(errors.invalid_expire(command_name, ctx.server.version))


@command("get", arity=2, flags="readonly fast", keys=(1, 1, 1), group="string", since="1.0.0")
def get(ctx: Session, key: bytes) -> bytes | None:
    """Get the value of a key."""
    return ctx.db.get_string(key)


@command("set", arity=-3, flags="write denyoom", keys=(1, 1, 1), group="string", since="1.0.0",
         added={"KEEPTTL": "6.0.0", "GET": "6.2.0", "EXAT": "6.2.0", "PXAT": "6.2.0",
                "NX GET": "7.0.0"})
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
            if word == b"NX" and want_old:
                check_added(ctx, "set", "NX GET")
            condition = word
        elif word == b"GET":
            check_added(ctx, "set", "GET")
            if condition == b"NX":
                check_added(ctx, "set", "NX GET")
            want_old = True
        elif word == b"KEEPTTL" and unit is None:
            check_added(ctx, "set", "KEEPTTL")
            keep_ttl = True
        elif word in (b"EX", b"PX", b"EXAT", b"PXAT") and unit in (None, word) and not keep_ttl \
                and i + 1 < n:
            if word in (b"EXAT", b"PXAT"):
                check_added(ctx, "set", word.decode())
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
    db.signal_modified(key, "set")
    if deadline is not None:
        db.set_expiry(key, deadline)
        db.signal_modified(key, "expire")
    return old if want_old else OK


def _store(ctx: Session, key: bytes, value: bytes, deadline: int | None) -> None:
    """Store a string (clearing the TTL), give it ``deadline`` if any, and signal both."""
    db = ctx.db
    db.set(key, value)
    db.signal_modified(key, "set")
    if deadline is not None:
        db.set_expiry(key, deadline)
        db.signal_modified(key, "expire")


def _max_len(ctx: Session) -> int:
    """The largest string a client may build (proto-max-bulk-len)."""
    return ctx.server.config.get_int("proto-max-bulk-len")


def _check_length(ctx: Session, total: int) -> None:
    """Refuse a string longer than proto-max-bulk-len."""
    if total > _max_len(ctx):
        raise ReplyError(errors.STRING_TOO_LONG)


@command("setex", arity=4, flags="write denyoom", keys=(1, 1, 1), group="string", since="2.0.0")
def setex(ctx: Session, key: bytes, seconds: bytes, value: bytes) -> Status:
    """Set a value and its time to live in seconds."""
    _store(ctx, key, value, expire_deadline(ctx, b"EX", seconds, "setex"))
    return OK


@command("psetex", arity=4, flags="write denyoom", keys=(1, 1, 1), group="string", since="2.6.0")
def psetex(ctx: Session, key: bytes, milliseconds: bytes, value: bytes) -> Status:
    """Set a value and its time to live in milliseconds."""
    _store(ctx, key, value, expire_deadline(ctx, b"PX", milliseconds, "psetex"))
    return OK


@command("setnx", arity=3, flags="write denyoom fast", keys=(1, 1, 1), group="string",
         since="1.0.0")
def setnx(ctx: Session, key: bytes, value: bytes) -> int:
    """Set a value only if the key does not exist: 1 if set, 0 if not."""
    if ctx.db.exists(key):
        return 0
    _store(ctx, key, value, None)
    return 1


@command("getset", arity=3, flags="write denyoom fast", keys=(1, 1, 1), group="string",
         since="1.0.0")
def getset(ctx: Session, key: bytes, value: bytes) -> bytes | None:
    """Set a value and return the old one (its TTL is cleared)."""
    old = ctx.db.get_string(key)
    _store(ctx, key, value, None)
    return old


@command("getdel", arity=2, flags="write fast", keys=(1, 1, 1), group="string", since="6.2.0")
def getdel(ctx: Session, key: bytes) -> bytes | None:
    """Return the value of a key and delete it."""
    db = ctx.db
    value = db.get_string(key)
    if value is not None:
        db.delete(key)
        db.signal_modified(key, "del")
    return value


def _getex_options(options: tuple[bytes, ...]) -> tuple[bytes | None, bytes | None, bool]:
    """GETEX's (unit, amount, persist) from EX/PX/EXAT/PXAT n or PERSIST."""
    unit = amount = None
    persist = False
    i, n = 0, len(options)
    while i < n:
        word = options[i].upper()
        if word in (b"EX", b"PX", b"EXAT", b"PXAT") and unit in (None, word) and not persist \
                and i + 1 < n:
            unit = word
            i += 1
            amount = options[i]
        elif word == b"PERSIST" and unit is None:
            persist = True
        else:
            raise ReplyError(errors.SYNTAX)
        i += 1
    return unit, amount, persist


@command("getex", arity=-2, flags="write fast", keys=(1, 1, 1), group="string", since="6.2.0")
def getex(ctx: Session, key: bytes, *options: bytes) -> bytes | None:
    """Return a value and set or remove its expiry (a missing key ignores a bad time)."""
    unit, amount, persist = _getex_options(options)
    db = ctx.db
    value = db.get_string(key)
    if value is None:
        return None
    if unit is not None:
        deadline = expire_deadline(ctx, unit, amount, "getex")
        if unit in (b"EXAT", b"PXAT") and deadline <= ctx.server.clock.now_ms():
            db.delete(key)
            db.signal_modified(key, "del")
        else:
            db.set_expiry(key, deadline)
            db.signal_modified(key, "expire")
    elif persist and db.persist(key):
        db.signal_modified(key, "persist")
    return value


@command("mget", arity=-2, flags="readonly fast", keys=(1, -1, 1), group="string", since="1.0.0")
def mget(ctx: Session, *keys: bytes) -> list[bytes | None]:
    """Values of several keys; nil for missing keys and keys of other types. O(n)."""
    get = ctx.db.get
    values = [get(key) for key in keys]
    return [v if type(v) is bytes else None for v in values]


def _pairs(args: tuple[bytes, ...], name: str) -> list[tuple[bytes, bytes]]:
    """Key/value pairs of MSET/MSETNX; an odd count is an arity error."""
    if len(args) % 2:
        raise ReplyError(errors.wrong_arity(name))
    return list(zip(args[::2], args[1::2]))


@command("mset", arity=-3, flags="write denyoom", keys=(1, -1, 2), group="string", since="1.0.1")
def mset(ctx: Session, *args: bytes) -> Status:
    """Set several keys at once. O(n)."""
    for key, value in _pairs(args, "mset"):
        _store(ctx, key, value, None)
    return OK


@command("msetnx", arity=-3, flags="write denyoom", keys=(1, -1, 2), group="string",
         since="1.0.1")
def msetnx(ctx: Session, *args: bytes) -> int:
    """Set several keys only if none of them exists: 1 if set, 0 if not. O(n)."""
    pairs = _pairs(args, "msetnx")
    exists = ctx.db.exists
    if any(exists(key) for key, _ in pairs):
        return 0
    for key, value in pairs:
        _store(ctx, key, value, None)
    return 1


@command("strlen", arity=2, flags="readonly fast", keys=(1, 1, 1), group="string", since="2.2.0")
def strlen(ctx: Session, key: bytes) -> int:
    """Length of the string at a key, 0 if missing."""
    value = ctx.db.get_string(key)
    return 0 if value is None else len(value)


@command("append", arity=3, flags="write denyoom fast", keys=(1, 1, 1), group="string",
         since="2.0.0")
def append(ctx: Session, key: bytes, value: bytes) -> int:
    """Append to a string (creating it, even empty); returns the new length. O(n) copy."""
    db = ctx.db
    old = db.get_string(key)
    if old is not None:
        _check_length(ctx, len(old) + len(value))
        value = old + value
    # appending to an existing string edits it in place (raw); a new key is the argument itself
    db.set(key, value, keep_ttl=True, encoding=None if old is None else b"raw")
    db.signal_modified(key, "append")
    return len(value)


def _incr_by(ctx: Session, key: bytes, delta: int) -> int:
    """Add ``delta`` to the integer at ``key`` (0 if missing), keeping its TTL."""
    db = ctx.db
    old = db.get_string(key)
    result = delta if old is None else parse_int(old) + delta
    if not INT64_MIN <= result <= INT64_MAX:
        raise ReplyError(errors.OVERFLOW)
    db.set(key, b"%d" % result, keep_ttl=True)
    db.signal_modified(key, "incrby")
    return result


@command("incr", arity=2, flags="write denyoom fast", keys=(1, 1, 1), group="string",
         since="1.0.0")
def incr(ctx: Session, key: bytes) -> int:
    """Add 1 to the integer at a key."""
    return _incr_by(ctx, key, 1)


@command("decr", arity=2, flags="write denyoom fast", keys=(1, 1, 1), group="string",
         since="1.0.0")
def decr(ctx: Session, key: bytes) -> int:
    """Subtract 1 from the integer at a key."""
    return _incr_by(ctx, key, -1)


@command("incrby", arity=3, flags="write denyoom fast", keys=(1, 1, 1), group="string",
         since="1.0.0")
def incrby(ctx: Session, key: bytes, increment: bytes) -> int:
    """Add a 64-bit integer to the integer at a key."""
    return _incr_by(ctx, key, parse_int(increment))


@command("decrby", arity=3, flags="write denyoom fast", keys=(1, 1, 1), group="string",
         since="1.0.0")
def decrby(ctx: Session, key: bytes, decrement: bytes) -> int:
    """Subtract a 64-bit integer from the integer at a key."""
    amount = parse_int(decrement)
    if amount == INT64_MIN:
        raise ReplyError(errors.DECREMENT_OVERFLOW)
    return _incr_by(ctx, key, -amount)


@command("incrbyfloat", arity=3, flags="write denyoom fast", keys=(1, 1, 1), group="string",
         since="2.6.0")
def incrbyfloat(ctx: Session, key: bytes, increment: bytes) -> bytes:
    """Add a float to the number at a key, in long double precision as Redis does."""
    db = ctx.db
    old = db.get_string(key)
    value = longdouble.incr_by(b"0" if old is None else old, increment)
    db.set(key, value, keep_ttl=True, encoding=b"embstr" if len(value) <= 44 else None)
    db.signal_modified(key, "incrbyfloat")
    return value


def string_range(length: int, start: int, end: int) -> tuple[int, int] | None:
    """GETRANGE's inclusive [start, end] within ``length``, negative from the end; None if empty."""
    if start < 0 and end < 0 and start > end:
        return None
    if start < 0:
        start = max(length + start, 0)
    if end < 0:
        end = max(length + end, 0)
    end = min(end, length - 1)
    if start > end or length == 0:
        return None
    return start, end


@command("getrange", arity=4, flags="readonly", keys=(1, 1, 1), group="string", since="2.4.0")
def getrange(ctx: Session, key: bytes, start: bytes, end: bytes) -> bytes:
    """Substring between two inclusive offsets, negative ones counting from the end. O(n)."""
    first, last = parse_int(start), parse_int(end)
    value = ctx.db.get_string(key)
    if value is None:
        return b""
    bounds = string_range(len(value), first, last)
    return b"" if bounds is None else value[bounds[0]:bounds[1] + 1]


@command("substr", arity=4, flags="readonly", keys=(1, 1, 1), group="string", since="1.0.0")
def substr(ctx: Session, key: bytes, start: bytes, end: bytes) -> bytes:
    """The old name of GETRANGE."""
    return getrange(ctx, key, start, end)


@command("setrange", arity=4, flags="write denyoom", keys=(1, 1, 1), group="string",
         since="2.2.0")
def setrange(ctx: Session, key: bytes, offset: bytes, value: bytes) -> int:
    """Overwrite part of a string from an offset, zero-padding; returns the new length. O(n)."""
    pos = parse_int(offset)
    if pos < 0:
        raise ReplyError(errors.OFFSET_OUT_OF_RANGE)
    db = ctx.db
    old = db.get_string(key)
    if not value:
        return 0 if old is None else len(old)
    _check_length(ctx, pos + len(value))
    old = old or b""
    new = old[:pos].ljust(pos, b"\0") + value + old[pos + len(value):]
    db.set(key, new, keep_ttl=True, encoding=b"raw")
    db.signal_modified(key, "setrange")
    return len(new)


def _lcs_table(a: bytes, b: bytes) -> list[list[int]]:
    """table[i][j] = length of the LCS of a[:i] and b[:j]. O(len(a) * len(b))."""
    previous = [0] * (len(b) + 1)
    table = [previous]
    for char in a:
        row = [0]
        left = 0
        for j, other in enumerate(b):
            if char == other:
                left = previous[j] + 1
            elif previous[j + 1] > left:
                left = previous[j + 1]
            row.append(left)
        table.append(row)
        previous = row
    return table


def _lcs_walk(a: bytes, b: bytes, table: list[list[int]]) -> tuple[bytes, list[list[int]]]:
    """The common subsequence Redis picks, and its matching ranges [a0, a1, b0, b1] from the end."""
    i, j = len(a), len(b)
    chars = bytearray()
    ranges: list[list[int]] = []
    current: list[int] | None = None
    while i > 0 and j > 0:
        if a[i - 1] == b[j - 1]:
            chars.append(a[i - 1])
            i -= 1
            j -= 1
            if current is None:
                current = [i, i, j, j]
            else:  # walking diagonally: the range grows backwards
                current[0], current[2] = i, j
            if i == 0 or j == 0:
                ranges.append(current)
                current = None
        else:
            if table[i - 1][j] > table[i][j - 1]:
                i -= 1
            else:
                j -= 1
            if current is not None:
                ranges.append(current)
                current = None
    chars.reverse()
    return bytes(chars), ranges


@command("lcs", arity=-3, flags="readonly", keys=(1, 2, 1), group="string", since="7.0.0")
def lcs(ctx: Session, key1: bytes, key2: bytes, *options: bytes) -> Any:
    """Longest common subsequence of two strings (LEN, IDX ranges). O(len1 * len2)."""
    a, b = ctx.db.get(key1), ctx.db.get(key2)
    if (a is not None and type(a) is not bytes) or (b is not None and type(b) is not bytes):
        raise ReplyError(errors.LCS_NOT_STRINGS)
    a, b = a or b"", b or b""
    want_len = want_idx = with_len = False
    min_len = 0
    scan = OptionScanner(options)
    while scan:
        word = scan.word()
        if word == b"IDX":
            want_idx = True
        elif word == b"LEN":
            want_len = True
        elif word == b"WITHMATCHLEN":
            with_len = True
        elif word == b"MINMATCHLEN" and scan:
            min_len = max(scan.int_value(), 0)
        else:
            raise ReplyError(errors.SYNTAX)
    if want_idx and want_len:
        raise ReplyError(errors.LCS_BAD_OPTIONS)
    table = _lcs_table(a, b)
    length = table[len(a)][len(b)]
    if want_len:
        return length
    common, ranges = _lcs_walk(a, b, table)
    if not want_idx:
        return common
    matches = []
    for a0, a1, b0, b1 in ranges:
        size = a1 - a0 + 1
        if size >= min_len:
            matches.append([[a0, a1], [b0, b1], size] if with_len else [[a0, a1], [b0, b1]])
    return {b"matches": matches, b"len": length}
