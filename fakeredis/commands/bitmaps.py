"""Bitmap commands (Redis's bitops.c): bits and bit fields of strings, high bit first."""

from __future__ import annotations

from fakeredis import errors
from fakeredis.args import INT64_MIN, parse_int, try_int
from fakeredis.commands.strings import string_range
from fakeredis.errors import ReplyError
from fakeredis.registry import check_added, command
from fakeredis.session import Session

_UINT64 = 1 << 64

# BITFIELD operations and overflow policies.
_GET, _SET, _INCRBY = b"GET", b"SET", b"INCRBY"
_OVERFLOW_POLICIES = (b"WRAP", b"SAT", b"FAIL")


def _wrap64(value: int) -> int:
    """``value`` as a C int64 arithmetic result (two's complement wrap-around)."""
    return (value - INT64_MIN) % _UINT64 + INT64_MIN


def _bit_offset(ctx: Session, arg: bytes, field_bits: int = 0) -> int:
    """A bit offset below proto-max-bulk-len bytes; ``#n`` means n * field_bits (BITFIELD)."""
    by_field = field_bits > 0 and arg[:1] == b"#"
    offset = try_int(arg[1:] if by_field else arg)
    if offset is not None and by_field:
        offset = _wrap64(offset * field_bits)
    limit = ctx.server.config.get_int("proto-max-bulk-len")
    if offset is None or offset < 0 or offset >> 3 >= limit:
        raise ReplyError(errors.BIT_OFFSET)
    return offset


def _store(ctx: Session, key: bytes, value: bytes, event: str) -> None:
    """Replace the string at ``key`` keeping its TTL, and signal ``event``."""
    ctx.db.set(key, value, keep_ttl=True, encoding=b"raw")
    ctx.db.signal_modified(key, event)


@command("getbit", arity=3, flags="readonly fast", keys=(1, 1, 1), group="bitmap", since="2.2.0")
def getbit(ctx: Session, key: bytes, offset: bytes) -> int:
    """The bit at an offset; 0 past the end or for a missing key. O(1)."""
    pos = _bit_offset(ctx, offset)
    value = ctx.db.get_string(key)
    if value is None or pos >> 3 >= len(value):
        return 0
    return (value[pos >> 3] >> (7 - (pos & 7))) & 1


@command("setbit", arity=4, flags="write denyoom", keys=(1, 1, 1), group="bitmap", since="2.2.0")
def setbit(ctx: Session, key: bytes, offset: bytes, value: bytes) -> int:
    """Set or clear one bit, growing the string with zero bytes; returns the old bit. O(n) copy."""
    pos = _bit_offset(ctx, offset)
    bit = parse_int(value, errors.BIT_VALUE)
    if bit not in (0, 1):
        raise ReplyError(errors.BIT_VALUE)
    old = ctx.db.get_string(key)
    index, shift = pos >> 3, 7 - (pos & 7)
    if old is not None and index < len(old):
        old_bit = (old[index] >> shift) & 1
        if old_bit == bit:  # no change and no signal, but Redis has unshared the string (raw)
            ctx.db.set(key, old, keep_ttl=True, encoding=b"raw")
            return old_bit
    else:
        old_bit = 0
    buf = bytearray(old or b"")
    if index >= len(buf):
        buf.extend(bytes(index + 1 - len(buf)))
    buf[index] = buf[index] & ~(1 << shift) | (bit << shift)
    _store(ctx, key, bytes(buf), "setbit")
    return old_bit


def _unit_is_bit(word: bytes) -> bool:
    """BYTE or BIT (any case) after a range; anything else is a syntax error."""
    word = word.upper()
    if word not in (b"BIT", b"BYTE"):
        raise ReplyError(errors.SYNTAX)
    return word == b"BIT"


def _window(value: bytes, first: int, last: int) -> tuple[int, int]:
    """Bits ``first..last`` (inclusive, in range) of ``value`` as (integer, width)."""
    chunk = int.from_bytes(value[first >> 3:(last >> 3) + 1], "big")
    width = last - first + 1
    return (chunk >> (7 - (last & 7))) & ((1 << width) - 1), width


@command("bitcount", arity=-2, flags="readonly", keys=(1, 1, 1), group="bitmap", since="2.6.0",
         added={"BYTE|BIT": "7.0.0"})
def bitcount(ctx: Session, key: bytes, *args: bytes) -> int:
    """Count set bits, optionally in a byte or bit range (a missing key is 0). O(n)."""
    value = ctx.db.get_string(key)
    if value is None:
        return 0
    if not args:
        return int.from_bytes(value, "big").bit_count()
    if len(args) not in (2, 3):
        raise ReplyError(errors.SYNTAX)
    if len(args) == 3:
        check_added(ctx, "bitcount", "BYTE|BIT")
    start, end = parse_int(args[0]), parse_int(args[1])
    if end < start < 0:  # empty whatever the unit: Redis answers before it reads the unit
        return 0
    in_bits = len(args) == 3 and _unit_is_bit(args[2])
    bounds = string_range(len(value) * 8 if in_bits else len(value), start, end)
    if bounds is None:
        return 0
    if not in_bits:
        return int.from_bytes(value[bounds[0]:bounds[1] + 1], "big").bit_count()
    return _window(value, *bounds)[0].bit_count()


def _clamp(length: int, start: int, end: int) -> tuple[int, int]:
    """BITPOS's range: negative indexes from the end, clamped to [0, length - 1]."""
    if start < 0:
        start = max(length + start, 0)
    if end < 0:
        end = max(length + end, 0)
    return start, min(end, length - 1)


@command("bitpos", arity=-3, flags="readonly", keys=(1, 1, 1), group="bitmap", since="2.8.7",
         added={"BYTE|BIT": "7.0.0"})
def bitpos(ctx: Session, key: bytes, bit: bytes, *args: bytes) -> int:
    """Position of the first 0 or 1 bit, optionally in a byte or bit range. O(n)."""
    wanted = parse_int(bit)
    if wanted not in (0, 1):
        raise ReplyError(errors.BIT_ARGUMENT)
    value = ctx.db.get_string(key)
    if value is None:
        return -1 if wanted else 0
    if len(args) > 3:
        raise ReplyError(errors.SYNTAX)
    if len(args) == 3:
        check_added(ctx, "bitpos", "BYTE|BIT")
    start = parse_int(args[0]) if args else 0
    in_bits = len(args) == 3 and _unit_is_bit(args[2])
    length = len(value) * 8 if in_bits else len(value)
    end = parse_int(args[1]) if len(args) > 1 else length - 1
    start, end = _clamp(length, start, end)
    if start > end:
        return -1
    first, last = (start, end) if in_bits else (start * 8, end * 8 + 7)
    window, width = _window(value, first, last)
    if not wanted:
        window ^= (1 << width) - 1
    if window:
        return first + width - window.bit_length()
    if wanted or len(args) > 1:
        return -1
    return last + 1  # looking for a 0 with no end given: the zero padding past the string


@command("bitop", arity=-4, flags="write denyoom", keys=(2, -1, 1), group="bitmap", since="2.6.0")
def bitop(ctx: Session, operation: bytes, destkey: bytes, *keys: bytes) -> int:
    """AND/OR/XOR/NOT of strings (shorter ones zero-padded) into a key; its length. O(n)."""
    op = operation.upper()
    if op not in (b"AND", b"OR", b"XOR", b"NOT"):
        raise ReplyError(errors.SYNTAX)
    if op == b"NOT" and len(keys) != 1:
        raise ReplyError(errors.BITOP_NOT_ONE_KEY)
    db = ctx.db
    values = [db.get_string(key) or b"" for key in keys]
    size = max(len(v) for v in values)
    if not size:
        if db.delete(destkey):
            db.signal_modified(destkey, "del")
        return 0
    numbers = [int.from_bytes(v.ljust(size, b"\0"), "big") for v in values]
    result = numbers[0]
    if op == b"NOT":
        result ^= (1 << size * 8) - 1
    for number in numbers[1:]:
        if op == b"AND":
            result &= number
        elif op == b"OR":
            result |= number
        else:
            result ^= number
    db.set(destkey, result.to_bytes(size, "big"), encoding=b"raw")
    db.signal_modified(destkey, "set")
    return size


class _FieldOp:
    """One BITFIELD operation: GET, SET or INCRBY on a typed field, with its overflow policy."""

    __slots__ = ("op", "signed", "bits", "offset", "value", "overflow")

    def __init__(self, op: bytes, signed: bool, bits: int, offset: int, value: int,
                 overflow: bytes) -> None:
        self.op = op
        self.signed = signed
        self.bits = bits
        self.offset = offset
        self.value = value
        self.overflow = overflow

    def limits(self) -> tuple[int, int]:
        """Smallest and largest value the field holds."""
        if self.signed:
            return -(1 << (self.bits - 1)), (1 << (self.bits - 1)) - 1
        return 0, (1 << self.bits) - 1

    def wrap(self, number: int) -> int:
        """``number`` modulo 2**bits, read back as the field's type."""
        number &= (1 << self.bits) - 1
        if self.signed and number >> (self.bits - 1):
            number -= 1 << self.bits
        return number

    def target(self, old: int) -> int | None:
        """The value to write after applying the overflow policy; None when FAIL refuses it."""
        if self.op == _INCRBY:
            wanted = old + self.value
        else:
            wanted = self.value if self.signed else self.value % _UINT64
        low, high = self.limits()
        if low <= wanted <= high:
            return wanted
        if self.overflow == b"WRAP":
            return self.wrap(wanted)
        if self.overflow == b"SAT":
            return high if wanted > high else low
        return None


def _field_type(arg: bytes) -> tuple[bool, int]:
    """(signed, bits) from i1..i64 or u1..u63."""
    kind = arg[:1].lower()
    bits = try_int(arg[1:])
    if kind not in (b"i", b"u") or bits is None or not 1 <= bits <= (64 if kind == b"i" else 63):
        raise ReplyError(errors.BITFIELD_TYPE)
    return kind == b"i", bits


def _parse_field_ops(ctx: Session, args: tuple[bytes, ...]) -> list[_FieldOp]:
    """BITFIELD's operations in order, every argument checked before anything runs."""
    ops: list[_FieldOp] = []
    overflow = b"WRAP"
    i, n = 0, len(args)
    while i < n:
        word = args[i].upper()
        remaining = n - i - 1
        if word == b"OVERFLOW" and remaining >= 1:
            overflow = args[i + 1].upper()
            if overflow not in _OVERFLOW_POLICIES:
                raise ReplyError(errors.BITFIELD_OVERFLOW_TYPE)
            i += 2
            continue
        if not ((word == _GET and remaining >= 2) or (word in (_SET, _INCRBY) and remaining >= 3)):
            raise ReplyError(errors.SYNTAX)
        signed, bits = _field_type(args[i + 1])
        offset = _bit_offset(ctx, args[i + 2], bits)
        value = 0 if word == _GET else parse_int(args[i + 3])
        ops.append(_FieldOp(word, signed, bits, offset, value, overflow))
        i += 3 if word == _GET else 4
    return ops


def _read_field(buf: bytes | bytearray, op: _FieldOp) -> int:
    """The field's current value; bits past the end of the string read as 0."""
    first, last = op.offset >> 3, (op.offset + op.bits - 1) >> 3
    chunk = int.from_bytes(bytes(buf[first:last + 1]).ljust(last - first + 1, b"\0"), "big")
    return op.wrap(chunk >> ((last - first + 1) * 8 - (op.offset & 7) - op.bits))


def _write_field(buf: bytearray, op: _FieldOp, number: int) -> None:
    """Store ``number`` (already in range) into the field; ``buf`` is long enough."""
    first, last = op.offset >> 3, (op.offset + op.bits - 1) >> 3
    shift = (last - first + 1) * 8 - (op.offset & 7) - op.bits
    mask = ((1 << op.bits) - 1) << shift
    chunk = int.from_bytes(buf[first:last + 1], "big") & ~mask
    chunk |= (number << shift) & mask
    buf[first:last + 1] = chunk.to_bytes(last - first + 1, "big")


def _run_writes(ctx: Session, key: bytes, ops: list[_FieldOp]) -> list[int | None]:
    """BITFIELD with SET/INCRBY: grow the string to the farthest field, then run every op."""
    old = ctx.db.get_string(key)
    buf = bytearray(old or b"")
    size = max((op.offset + op.bits - 1) >> 3 for op in ops if op.op != _GET) + 1
    grown = old is None or size > len(buf)
    if size > len(buf):
        buf.extend(bytes(size - len(buf)))
    replies: list[int | None] = []
    changed = False
    for op in ops:
        current = _read_field(buf, op)
        if op.op == _GET:
            replies.append(current)
            continue
        new = op.target(current)
        if new is None:
            replies.append(None)
            continue
        _write_field(buf, op, new)
        replies.append(new if op.op == _INCRBY else current)
        changed = changed or grown or new != current
    if changed:
        _store(ctx, key, bytes(buf), "setbit")
    else:  # Redis unshares (raw), creates or extends the string even when nothing changed
        ctx.db.set(key, bytes(buf), keep_ttl=True, encoding=b"raw")
    return replies


def _bitfield(ctx: Session, key: bytes, args: tuple[bytes, ...], read_only: bool) -> list:
    """BITFIELD and BITFIELD_RO: parse everything, then read or write."""
    ops = _parse_field_ops(ctx, args)
    if all(op.op == _GET for op in ops):
        buf = ctx.db.get_string(key) or b""
        return [_read_field(buf, op) for op in ops]
    if read_only:
        raise ReplyError(errors.BITFIELD_RO_GET_ONLY)
    return _run_writes(ctx, key, ops)


@command("bitfield", arity=-2, flags="write denyoom", keys=(1, 1, 1), group="bitmap",
         since="3.2.0")
def bitfield(ctx: Session, key: bytes, *args: bytes) -> list:
    """Read, set and increment integer fields of 1 to 64 bits at any bit offset. O(n) copy."""
    return _bitfield(ctx, key, args, read_only=False)


@command("bitfield_ro", arity=-2, flags="readonly fast", keys=(1, 1, 1), group="bitmap",
         since="6.0.0")
def bitfield_ro(ctx: Session, key: bytes, *args: bytes) -> list:
    """BITFIELD limited to GET. O(1) per field."""
    return _bitfield(ctx, key, args, read_only=True)
