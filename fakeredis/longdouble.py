"""x87 80-bit ``long double`` arithmetic, as Redis's INCRBYFLOAT and HINCRBYFLOAT use it.

Values are exact :class:`fractions.Fraction` objects rounded to what a long double holds (64-bit
significand, round half to even, subnormals down to 2**-16445), so that sums and their ``%.17Lf``
printing match Redis digit for digit. Infinities are ``float`` infinities.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

from fakeredis import errors
from fakeredis.errors import ReplyError

Number = Fraction | float

_MANT_BITS = 64
_MIN_EXP = -16445  # exponent of the smallest subnormal
_OVERFLOW = Fraction(2) ** 16384
# Redis's MAX_LONG_DOUBLE_CHARS: longer inputs are refused.
_MAX_CHARS = 5 * 1024

_DECIMAL_RE = re.compile(rb"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\Z")
_HEX_RE = re.compile(rb"([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)(?:[pP]([+-]?\d+))?\Z")
_INF_RE = re.compile(rb"([+-]?)inf(?:inity)?\Z", re.IGNORECASE)


def round_ld(value: Fraction) -> Number:
    """``value`` rounded to the nearest long double (inf on overflow, 0 on underflow)."""
    if value == 0:
        return Fraction(0)
    magnitude = abs(value)
    exp = magnitude.numerator.bit_length() - magnitude.denominator.bit_length()
    if Fraction(2) ** exp > magnitude:
        exp -= 1
    quantum = Fraction(2) ** max(exp - _MANT_BITS + 1, _MIN_EXP)
    rounded = round(magnitude / quantum) * quantum  # round() on a Fraction ties to even
    if rounded >= _OVERFLOW:
        return math.inf if value > 0 else -math.inf
    return rounded if value > 0 else -rounded


def parse(arg: bytes) -> Number | None:
    """What ``strtold`` reads with Redis's ``string2ld`` checks, or None when they refuse it."""
    if not arg or len(arg) >= _MAX_CHARS:
        return None
    if _DECIMAL_RE.match(arg):
        exact = Fraction(arg.decode())
    else:
        exact = _parse_special(arg)
        if exact is None or isinstance(exact, float):
            return exact
    value = round_ld(exact)
    if isinstance(value, float) or (value == 0 and exact != 0):
        return None  # ERANGE: overflow to infinity or underflow to zero
    return value


def _parse_special(arg: bytes) -> Number | None:
    """Hexadecimal floats and infinities (``strtold`` accepts both)."""
    match = _INF_RE.match(arg)
    if match:
        return -math.inf if match.group(1) == b"-" else math.inf
    match = _HEX_RE.match(arg)
    if not match or not (match.group(2) or match.group(3)):
        return None
    sign, whole, frac, exp = match.groups()
    mantissa = int((whole + frac).decode() or "0", 16)
    exact = Fraction(mantissa) * Fraction(2) ** (int(exp or b"0") - 4 * len(frac))
    return -exact if sign == b"-" else exact


def add(a: Number, b: Number) -> Number:
    """``a + b`` rounded like a long double addition; inf or nan when not finite."""
    if isinstance(a, float) or isinstance(b, float):
        return float(a) + float(b)
    return round_ld(a + b)


def decimal_digits(number: int) -> bytes:
    """A non-negative int in decimal, however long (Python refuses str() past 4300 digits)."""
    if number < 10**4000:
        return b"%d" % number
    half = len(bin(number)) * 3 // 20  # about half the decimal digits
    high, low = divmod(number, 10**half)
    return decimal_digits(high) + decimal_digits(low).rjust(half, b"0")


def format_human(value: Fraction) -> bytes:
    """Redis's ``ld2string(LD_STR_HUMAN)``: ``%.17Lf`` without trailing zeros, no ``-0``."""
    scaled = round(abs(value) * 10**17)  # printf rounds the exact value, ties to even
    whole, frac = divmod(scaled, 10**17)
    text = decimal_digits(whole)
    frac_text = (b"%017d" % frac).rstrip(b"0")
    if frac_text:
        text += b"." + frac_text
    if value < 0 and text != b"0":
        text = b"-" + text
    return text


def incr_by(current: bytes, increment: bytes) -> bytes:
    """INCRBYFLOAT's new value: parse both as long doubles, add, print; Redis's errors."""
    value = parse(current)
    incr = parse(increment)
    if value is None or incr is None:
        raise ReplyError(errors.NOT_FLOAT)
    total = add(value, incr)
    if isinstance(total, float):
        raise ReplyError(errors.FLOAT_NAN_OR_INF)
    return format_human(total)
