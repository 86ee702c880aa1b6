"""Unit tests of the bitmap module's helpers."""

import pytest

from fakeredis.commands import bitmaps
from fakeredis.errors import ReplyError


def field(op=b"SET", signed=False, bits=8, offset=0, value=0, overflow=b"WRAP"):
    return bitmaps._FieldOp(op, signed, bits, offset, value, overflow)


def test_wrap64():
    assert bitmaps._wrap64(2**64) == 0
    assert bitmaps._wrap64(2**63) == -(2**63)
    assert bitmaps._wrap64(-(2**63) - 1) == 2**63 - 1
    assert bitmaps._wrap64(5) == 5


def test_field_type():
    assert bitmaps._field_type(b"i64") == (True, 64)
    assert bitmaps._field_type(b"U63") == (False, 63)
    for bad in (b"u64", b"i65", b"i0", b"i", b"x8", b"i08", b"i+8", b""):
        with pytest.raises(ReplyError):
            bitmaps._field_type(bad)


def test_window_reads_msb_first():
    assert bitmaps._window(b"\x0f\xf0", 4, 11) == (0xFF, 8)
    assert bitmaps._window(b"\x0f\xf0", 0, 3) == (0, 4)
    assert bitmaps._window(b"\x80", 0, 0) == (1, 1)


def test_field_wrap():
    assert field(signed=True, bits=4).wrap(8) == -8
    assert field(signed=False, bits=4).wrap(-1) == 15
    assert field(signed=True, bits=64).wrap(2**63) == -(2**63)


@pytest.mark.parametrize("op, signed, value, old, overflow, expected", [
    (b"INCRBY", False, 10, 250, b"WRAP", 4),
    (b"INCRBY", False, 10, 250, b"SAT", 255),
    (b"INCRBY", False, -300, 250, b"SAT", 0),
    (b"INCRBY", False, 10, 250, b"FAIL", None),
    (b"SET", False, -1, 0, b"SAT", 255),
    (b"SET", False, -1, 0, b"WRAP", 255),
    (b"SET", True, 200, 0, b"WRAP", -56),
    (b"SET", True, -300, 0, b"SAT", -128),
    (b"INCRBY", True, 1, 127, b"FAIL", None),
    (b"INCRBY", True, -1, 127, b"FAIL", 126),
])
def test_field_target(op, signed, value, old, overflow, expected):
    assert field(op, signed, 8, 0, value, overflow).target(old) == expected


def test_read_and_write_unaligned_fields():
    buf = bytearray(b"\x00\x00\x00")
    op = field(bits=5, offset=6)
    bitmaps._write_field(buf, op, 0b10101)
    assert buf == bytearray(b"\x02\xa0\x00")
    assert bitmaps._read_field(buf, op) == 0b10101
    assert bitmaps._read_field(b"\xff", field(bits=16, offset=4)) == 0xF000
