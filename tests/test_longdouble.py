"""80-bit long double emulation used by INCRBYFLOAT."""

import math
from fractions import Fraction

import pytest

from fakeredis import longdouble
from fakeredis.errors import ReplyError


def test_round_keeps_64_significant_bits():
    assert longdouble.round_ld(Fraction(2**64 - 1)) == 2**64 - 1
    assert longdouble.round_ld(Fraction(2**65 - 1)) == 2**65
    assert longdouble.round_ld(Fraction(2**64 + 1)) == 2**64  # tie -> even
    assert longdouble.round_ld(Fraction(2**64 + 3)) == 2**64 + 4


def test_round_overflow_and_subnormals():
    assert longdouble.round_ld(Fraction(2) ** 16384) == math.inf
    assert longdouble.round_ld(-Fraction(2) ** 16384) == -math.inf
    tiny = Fraction(1, 2**16445)
    assert longdouble.round_ld(tiny) == tiny
    assert longdouble.round_ld(tiny / 3) == 0


@pytest.mark.parametrize("text, value", [
    (b"1.5", Fraction(3, 2)), (b"-0x1.8p1", Fraction(-3)), (b"0x10", Fraction(16)),
    (b".5", Fraction(1, 2)), (b"5.", Fraction(5)), (b"+2e1", Fraction(20)),
    (b"inf", math.inf), (b"-INFINITY", -math.inf),
])
def test_parse_accepts_what_strtold_reads(text, value):
    assert longdouble.parse(text) == value


@pytest.mark.parametrize("text", [b"", b" 1", b"1 ", b"nan", b"1e5000", b"1e-5000", b"0x",
                                  b"0x1p", b"1e", b".", b"1" * 5120])
def test_parse_refuses(text):
    assert longdouble.parse(text) is None


@pytest.mark.parametrize("value, text", [
    (Fraction(0), b"0"), (Fraction(-1, 10**20), b"0"), (Fraction(21, 2), b"10.5"),
    (Fraction(-1, 2), b"-0.5"), (Fraction(1, 2**18) + 5, b"5.00000381469726562"),
    (Fraction(10**20), b"100000000000000000000"),
])
def test_format_human(value, text):
    assert longdouble.format_human(value) == text


def test_incr_by_errors():
    with pytest.raises(ReplyError) as exc:
        longdouble.incr_by(b"x", b"1")
    assert exc.value.text == "ERR value is not a valid float"
    with pytest.raises(ReplyError) as exc:
        longdouble.incr_by(b"inf", b"-inf")
    assert exc.value.text == "ERR increment would produce NaN or Infinity"
    assert longdouble.incr_by(b"0.1", b"0.2") == b"0.3"


def test_huge_results_print_all_their_digits():
    from fakeredis.longdouble import decimal_digits

    number = 7 ** 9000  # beyond Python's 4300-digit str() limit
    text = decimal_digits(number)
    assert len(text) == 7606
    assert int(text[:50]) == number // 10 ** 7556 and int(text[-50:]) == number % 10 ** 50
