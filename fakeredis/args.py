"""Parsers from argument bytes to values, raising Redis's own errors.

Redis is stricter than Python: ``int(b" 1")``, ``int(b"1_0")`` and ``float(b"1_0")`` are accepted by
Python and rejected by Redis, so every number passes through here.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from fakeredis import errors
from fakeredis.errors import ReplyError

INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1

_FLOAT_RE = re.compile(
    rb"[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?)\Z", re.IGNORECASE
)
# strtold also reads hexadecimal floats; its long double range bounds what it accepts
_HEX_FLOAT_RE = re.compile(rb"[+-]?0x(?:[0-9a-f]+\.?[0-9a-f]*|\.[0-9a-f]+)(?:p[+-]?\d+)?\Z",
                           re.IGNORECASE)
_LDBL_MAX = Decimal("1.18973149535723176502e4932")
_LDBL_TINY = Decimal("1.8e-4951")
# canonical spellings of the small integers most arguments are (counts, indexes, offsets): a dict
# lookup instead of int() and the canonical-form check
_SMALL_INTS = {b"%d" % i: i for i in range(-1024, 1025)}


def parse_int(arg: bytes, error: str = errors.NOT_INTEGER) -> int:
    """A signed 64-bit integer in canonical form (Redis's ``string2ll``), else ``error``. O(len)."""
    value = _SMALL_INTS.get(arg)
    if value is not None:
        return value
    try:
        value = int(arg)
    except (ValueError, TypeError):
        raise ReplyError(error) from None
    if b"%d" % value != arg or not INT64_MIN <= value <= INT64_MAX:
        raise ReplyError(error)
    return value


def try_int(arg: bytes) -> int | None:
    """The canonical 64-bit integer ``arg`` spells, or None."""
    try:
        value = int(arg)
    except (ValueError, TypeError):
        return None
    if b"%d" % value != arg or not INT64_MIN <= value <= INT64_MAX:
        return None
    return value


def rank_span(n: int, start: int, end: int) -> tuple[int, int]:
    """Redis's inclusive ``start..end`` ranks (negative from the end) of ``n`` items as a slice
    [a, b), (0, 0) when empty: LRANGE, LTRIM, ZRANGE, ZREMRANGEBYRANK. O(1)."""
    if start < 0:
        start += n
    if end < 0:
        end += n
    start = max(start, 0)
    if start > end or start >= n:
        return 0, 0
    return start, min(end, n - 1) + 1


def parse_nonnegative_int(arg: bytes, error: str = errors.NOT_INTEGER) -> int:
    """A 64-bit integer that must not be negative."""
    value = parse_int(arg, error)
    if value < 0:
        raise ReplyError(error)
    return value


def parse_float(arg: bytes, error: str = errors.NOT_FLOAT, allow_nan: bool = False) -> float:
    """A double as ``strtod`` reads it with Redis's checks: no spaces, no trailing bytes, no NaN."""
    if not _FLOAT_RE.match(arg):
        raise ReplyError(error)
    value = float(arg)
    if math.isnan(value) and not allow_nan:
        raise ReplyError(error)
    return value


def is_float(arg: bytes) -> bool:
    """True when ``arg`` is a number Redis's ``strtod`` checks accept."""
    return bool(_FLOAT_RE.match(arg))


def parse_timeout(arg: bytes) -> float:
    """A blocking timeout in seconds (0 = forever) read as Redis 7.0 does: a long double, in whole
    milliseconds rounded up; a value whose milliseconds overflow 64 bits (inf too) is "negative"."""
    if _FLOAT_RE.match(arg):
        value = Decimal(arg.decode())
        if value.is_finite() and value and not _LDBL_TINY <= value.copy_abs() <= _LDBL_MAX:
            raise ReplyError(errors.TIMEOUT_NOT_FLOAT)
    elif _HEX_FLOAT_RE.match(arg):
        try:
            value = Decimal(float.fromhex(arg.decode()))
        except OverflowError:
            raise ReplyError(errors.TIMEOUT_NEGATIVE) from None
    else:
        raise ReplyError(errors.TIMEOUT_NOT_FLOAT)
    if value.is_infinite():
        raise ReplyError(errors.TIMEOUT_NEGATIVE)
    ms = math.ceil(value.scaleb(3))
    if not 0 <= ms <= INT64_MAX:
        raise ReplyError(errors.TIMEOUT_NEGATIVE)
    return ms / 1000


def upper(arg: bytes) -> bytes:
    """An option word normalised for comparison."""
    return arg.upper()


class OptionScanner:
    """Walks option words after the fixed arguments: ``scan.take(b"EX")`` style parsing."""

    __slots__ = ("args", "pos")

    def __init__(self, args: tuple[bytes, ...] | list[bytes], pos: int = 0) -> None:
        self.args = args
        self.pos = pos

    def __bool__(self) -> bool:
        return self.pos < len(self.args)

    def word(self) -> bytes:
        """The next argument upper-cased, consumed."""
        arg = self.args[self.pos]
        self.pos += 1
        return arg.upper()

    def value(self) -> bytes:
        """The argument that an option takes; a missing one is a syntax error."""
        if self.pos >= len(self.args):
            raise ReplyError(errors.SYNTAX)
        arg = self.args[self.pos]
        self.pos += 1
        return arg

    def int_value(self, error: str = errors.NOT_INTEGER) -> int:
        """The integer an option takes."""
        return parse_int(self.value(), error)

    def rest(self) -> list[bytes]:
        """Everything not consumed yet."""
        rest = list(self.args[self.pos:])
        self.pos = len(self.args)
        return rest
