"""Strict number parsing: what Redis accepts and rejects, not what Python does."""

import math

import pytest

from fakeredis import args, errors
from fakeredis.errors import ReplyError


@pytest.mark.parametrize("raw, value", [
    (b"0", 0), (b"-1", -1), (b"9223372036854775807", 2**63 - 1), (b"-9223372036854775808", -2**63),
])
def test_parse_int_accepts_canonical_64_bit_integers(raw, value):
    assert args.parse_int(raw) == value


@pytest.mark.parametrize("raw", [
    b"", b" 1", b"1 ", b"+1", b"01", b"-0", b"1_0", b"1.0", b"9223372036854775808", b"abc",
])
def test_parse_int_rejects_what_redis_rejects(raw):
    with pytest.raises(ReplyError) as exc:
        args.parse_int(raw)
    assert exc.value.text == errors.NOT_INTEGER


@pytest.mark.parametrize("raw, value", [
    (b"1", 1.0), (b"-1.5", -1.5), (b".5", 0.5), (b"1.", 1.0), (b"1e3", 1000.0), (b"+inf", math.inf),
    (b"-inf", -math.inf), (b"inf", math.inf),
])
def test_parse_float(raw, value):
    assert args.parse_float(raw) == value


@pytest.mark.parametrize("raw", [b"", b" 1", b"1 ", b"1_0", b"nan", b"abc", b"1e", b"--1"])
def test_parse_float_rejects(raw):
    with pytest.raises(ReplyError) as exc:
        args.parse_float(raw)
    assert exc.value.text == errors.NOT_FLOAT


def test_parse_timeout_errors():
    with pytest.raises(ReplyError) as exc:
        args.parse_timeout(b"-1")
    assert exc.value.text == errors.TIMEOUT_NEGATIVE
    with pytest.raises(ReplyError) as exc:
        args.parse_timeout(b"x")
    assert exc.value.text == errors.TIMEOUT_NOT_FLOAT
    assert args.parse_timeout(b"0.5") == 0.5


def test_option_scanner_reports_missing_values_as_syntax_errors():
    scan = args.OptionScanner([b"ex", b"10", b"px"])
    assert scan.word() == b"EX"
    assert scan.int_value() == 10
    assert scan.word() == b"PX"
    with pytest.raises(ReplyError) as exc:
        scan.value()
    assert exc.value.text == errors.SYNTAX


@pytest.mark.parametrize("start, end, n, expected", [
    (0, -1, 5, (0, 5)), (-2, -1, 5, (3, 5)), (3, 1, 5, (0, 0)), (5, 9, 5, (0, 0)),
    (-100, 100, 5, (0, 5)), (0, 0, 0, (0, 0)), (-1, -2, 5, (0, 0)),
])
def test_rank_span(start, end, n, expected):
    assert args.rank_span(n, start, end) == expected
