"""Bitmap commands: GETBIT SETBIT BITCOUNT BITPOS BITOP BITFIELD BITFIELD_RO."""

import pytest

from conformance.helpers import error_of, keyevents, raw, watch_then

OFFSET_ERROR = "bit offset is not an integer or out of range"
TYPE_ERROR = ("Invalid bitfield type. Use something like i16 u8. "
              "Note that u64 is not supported but i64 is.")
WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"


def make_list(r):
    r.delete("list")
    r.rpush("list", "x")


# --- GETBIT / SETBIT -----------------------------------------------------------------------------
def test_setbit_and_getbit(r):
    assert raw(r, "SETBIT", "k", "7", "1") == 0
    assert r.get("k") == b"\x01"
    assert raw(r, "SETBIT", "k", "0", "1") == 0
    assert r.get("k") == b"\x81"
    assert raw(r, "SETBIT", "k", "7", "0") == 1
    assert raw(r, "GETBIT", "k", "0") == 1
    assert raw(r, "GETBIT", "k", "7") == 0
    assert raw(r, "GETBIT", "k", "100") == 0
    assert raw(r, "GETBIT", "missing", "0") == 0


def test_setbit_grows_with_zero_bytes(r):
    r.set("k", "a")
    assert raw(r, "SETBIT", "k", "23", "1") == 0
    assert r.get("k") == b"a\x00\x01"
    assert raw(r, "SETBIT", "k", "40", "0") == 0
    assert r.get("k") == b"a\x00\x01\x00\x00\x00"
    assert raw(r, "SETBIT", "new", "15", "0") == 0
    assert r.get("new") == b"\x00\x00"


def test_setbit_keeps_ttl(r):
    r.set("k", "a", ex=100)
    r.setbit("k", 0, 1)
    assert r.get("k") == b"\xe1"
    assert 99 <= r.ttl("k") <= 100


def test_getbit_on_integer_string(r):
    r.set("k", "1")
    assert [r.getbit("k", i) for i in range(8)] == [0, 0, 1, 1, 0, 0, 0, 1]


@pytest.mark.parametrize("value", ["2", "-1", "x", "1.0", "01", ""])
def test_setbit_bad_value(r, value):
    r.set("k", "a")
    assert error_of(r, "SETBIT", "k", "0", value) == "bit is not an integer or out of range"
    assert r.get("k") == b"a"


@pytest.mark.parametrize("offset", ["-1", "x", "4294967296", "1.5", " 1", "+1",
                                    "9223372036854775808"])
def test_bit_offset_errors(r, offset):
    r.set("k", "a")
    assert error_of(r, "SETBIT", "k", offset, "1") == OFFSET_ERROR
    assert error_of(r, "GETBIT", "k", offset) == OFFSET_ERROR
    assert r.get("k") == b"a"


def test_bit_offset_limit_follows_proto_max_bulk_len(r):
    assert raw(r, "GETBIT", "k", "4294967295") == 0
    r.config_set("proto-max-bulk-len", "1048576")
    try:
        assert error_of(r, "GETBIT", "k", str(8 * 1048576)) == OFFSET_ERROR
        assert raw(r, "SETBIT", "k", str(8 * 1048576 - 1), "1") == 0
        assert r.strlen("k") == 1048576
    finally:
        r.config_set("proto-max-bulk-len", "536870912")


def test_setbit_errors_before_wrongtype(r):
    make_list(r)
    assert error_of(r, "SETBIT", "list", "-1", "1") == OFFSET_ERROR
    assert error_of(r, "SETBIT", "list", "0", "2") == "bit is not an integer or out of range"
    assert error_of(r, "GETBIT", "list", "x") == OFFSET_ERROR
    assert error_of(r, "SETBIT", "list", "0", "1") == WRONGTYPE
    assert error_of(r, "GETBIT", "list", "0") == WRONGTYPE
    assert r.lrange("list", 0, -1) == [b"x"]


def test_getbit_setbit_arity(r):
    assert error_of(r, "SETBIT", "k", "0") == "wrong number of arguments for 'setbit' command"
    assert error_of(r, "GETBIT", "k") == "wrong number of arguments for 'getbit' command"


# --- BITCOUNT ------------------------------------------------------------------------------------
def test_bitcount(r):
    r.set("k", "foobar")
    assert raw(r, "BITCOUNT", "k") == 26
    assert raw(r, "BITCOUNT", "k", "0", "0") == 4
    assert raw(r, "BITCOUNT", "k", "1", "1") == 6
    assert raw(r, "BITCOUNT", "k", "1", "1", "BYTE") == 6
    assert raw(r, "BITCOUNT", "k", "5", "30", "BIT") == 17
    assert raw(r, "BITCOUNT", "k", "5", "30", "bit") == 17
    assert raw(r, "BITCOUNT", "missing") == 0


@pytest.mark.parametrize("start, end, unit, expected", [
    (0, -1, "BYTE", 26), (-2, -1, "BYTE", 7), (-1, -2, "BYTE", 0), (2, 1, "BYTE", 0),
    (-100, 100, "BYTE", 26), (6, 10, "BYTE", 0), (-100, -50, "BYTE", 4),
    (0, -1, "BIT", 26), (-1, -1, "BIT", 0), (-2, -1, "BIT", 1), (3, 3, "BIT", 0),
    (1, 2, "BIT", 2), (7, 9, "BIT", 1), (-100, 1000, "BIT", 26), (0, 7, "BIT", 4),
    (9, 3, "BIT", 0), (47, 47, "BIT", 0), (46, 100, "BIT", 1),
])
def test_bitcount_ranges(r, start, end, unit, expected):
    r.set("k", "foobar")
    assert raw(r, "BITCOUNT", "k", start, end, unit) == expected


def test_bitcount_empty_string(r):
    r.set("k", "")
    assert raw(r, "BITCOUNT", "k") == 0
    assert raw(r, "BITCOUNT", "k", "0", "-1") == 0


def test_bitcount_errors(r):
    r.set("k", "foobar")
    assert error_of(r, "BITCOUNT", "k", "0") == "syntax error"
    assert error_of(r, "BITCOUNT", "k", "0", "1", "BITS") == "syntax error"
    assert error_of(r, "BITCOUNT", "k", "0", "1", "BIT", "x") == "syntax error"
    assert error_of(r, "BITCOUNT", "k", "x", "1") == "value is not an integer or out of range"
    assert error_of(r, "BITCOUNT", "k", "0", "1.5") == "value is not an integer or out of range"
    assert error_of(r, "BITCOUNT", "k", "0", "x", "FOO") == \
        "value is not an integer or out of range"
    assert error_of(r, "BITCOUNT") == "wrong number of arguments for 'bitcount' command"


def test_bitcount_missing_key_ignores_bad_arguments(r):
    assert raw(r, "BITCOUNT", "missing", "x", "y") == 0
    assert raw(r, "BITCOUNT", "missing", "1") == 0


def test_bitcount_wrongtype_wins(r):
    make_list(r)
    assert error_of(r, "BITCOUNT", "list") == WRONGTYPE
    assert error_of(r, "BITCOUNT", "list", "x", "y") == WRONGTYPE


def test_bitcount_empty_negative_range_before_the_unit(r):
    """BITCOUNT answers 0 for start > end < 0 before it reads the unit (BITPOS does not)."""
    r.set("k", "abc")
    r.set("empty", "")
    assert raw(r, "BITCOUNT", "k", "-1", "-2", "WORD") == 0
    assert raw(r, "BITCOUNT", "empty", "-1", "-2", "WORD") == 0
    assert error_of(r, "BITCOUNT", "k", "-2", "-1", "WORD") == "syntax error"
    assert error_of(r, "BITCOUNT", "k", "1", "0", "WORD") == "syntax error"
    assert error_of(r, "BITCOUNT", "k", "x", "-2", "WORD") == \
        "value is not an integer or out of range"
    assert error_of(r, "BITPOS", "k", "1", "-1", "-2", "WORD") == "syntax error"


# --- BITPOS --------------------------------------------------------------------------------------
def test_bitpos(r):
    r.set("k", b"\xff\xf0\x00")
    assert raw(r, "BITPOS", "k", "0") == 12
    assert raw(r, "BITPOS", "k", "1") == 0
    r.set("k", b"\x00\xff\xf0")
    assert raw(r, "BITPOS", "k", "1", "0") == 8
    assert raw(r, "BITPOS", "k", "1", "2") == 16
    assert raw(r, "BITPOS", "k", "1", "2", "-1", "BYTE") == 16
    assert raw(r, "BITPOS", "k", "1", "7", "15", "BIT") == 8
    assert raw(r, "BITPOS", "k", "1", "7", "-3", "bit") == 8


def test_bitpos_missing_key(r):
    assert raw(r, "BITPOS", "missing", "1") == -1
    assert raw(r, "BITPOS", "missing", "0") == 0
    assert raw(r, "BITPOS", "missing", "1", "x") == -1
    assert raw(r, "BITPOS", "missing", "0", "1", "2", "FOO", "BAR") == 0


def test_bitpos_clear_bit_past_the_end(r):
    r.set("k", b"\xff\xff\xff")
    assert raw(r, "BITPOS", "k", "0") == 24
    assert raw(r, "BITPOS", "k", "0", "0") == 24
    assert raw(r, "BITPOS", "k", "0", "1") == 24
    assert raw(r, "BITPOS", "k", "0", "3", "5", "BYTE") == -1
    assert raw(r, "BITPOS", "k", "0", "0", "-1") == -1
    assert raw(r, "BITPOS", "k", "0", "0", "-1", "BIT") == -1


BITPOS_RANGES = [
    (), ("1",), ("-1",), ("0", "0"), ("1", "1"), ("-2", "-1"), ("2", "0"), ("5", "100"),
    ("3", "-1", "BIT"), ("0", "-1", "BIT"), ("3", "12", "BIT"), ("7", "8", "BIT"),
    ("9", "9", "BIT"), ("-5", "-1", "BIT"), ("12", "3", "BIT"), ("1", "6", "BIT"),
    ("-100", "100", "BIT"), ("0", "0", "BYTE"), ("-100", "-50"), ("4", "-3", "BIT"),
    ("15", "16", "BIT"),
]
# BITPOS value bit *range for each range above, as Redis 7.0 answers.
BITPOS_TABLE = {
    (b"\x00\x00\x00", 0): [0, 8, 16, 0, 8, 8, -1, -1, 3, 0, 3, 7, 9, 19, -1, 1, 0, 0, 0, 4, 15],
    (b"\x00\x00\x00", 1): [-1] * 21,
    (b"\xff\xff\xff", 0): [24, 24, 24] + [-1] * 18,
    (b"\xff\xff\xff", 1): [0, 8, 16, 0, 8, 8, -1, -1, 3, 0, 3, 7, 9, 19, -1, 1, 0, 0, 0, 4, 15],
    (b"\x0f\xf0\xaa", 0): [0, 12, 17, 0, 12, 12, -1, -1, 3, 0, 3, -1, -1, 19, -1, 1, 0, 0, 0, 12,
                           15],
    (b"\x0f\xf0\xaa", 1): [4, 8, 16, 4, 8, 8, -1, -1, 4, 4, 4, 7, 9, 20, -1, 4, 4, 4, 4, 4, 16],
    (b"\x80\x00\x01", 0): [1, 8, 16, 1, 8, 8, -1, -1, 3, 1, 3, 7, 9, 19, -1, 1, 1, 1, 1, 4, 15],
    (b"\x80\x00\x01", 1): [0, 23, 23, 0, -1, 23, -1, -1, 23, 0, -1, -1, -1, 23, -1, -1, 0, 0, 0,
                           -1, -1],
    (b"\x01", 0): [0, -1, 0, 0, -1, 0, -1, -1, 3, 0, 3, -1, -1, 3, -1, 1, 0, 0, 0, 4, -1],
    (b"\x01", 1): [7, -1, 7, 7, -1, 7, -1, -1, 7, 7, 7, 7, -1, 7, -1, -1, 7, 7, 7, -1, -1],
    (b"\xfe\x7f", 0): [7, 8, 8, 7, 8, 7, -1, -1, 7, 7, 7, 7, -1, -1, -1, -1, 7, 7, 7, 7, -1],
    (b"\xfe\x7f", 1): [0, 9, 9, 0, 9, 0, -1, -1, 3, 0, 3, -1, 9, 11, -1, 1, 0, 0, 0, 4, 15],
}


@pytest.mark.parametrize("value, bit", list(BITPOS_TABLE))
def test_bitpos_table(r, value, bit):
    r.set("k", value)
    replies = [raw(r, "BITPOS", "k", bit, *args) for args in BITPOS_RANGES]
    assert replies == BITPOS_TABLE[value, bit]


def test_bitpos_empty_string(r):
    r.set("k", "")
    assert raw(r, "BITPOS", "k", "0") == -1
    assert raw(r, "BITPOS", "k", "1") == -1
    assert raw(r, "BITPOS", "k", "0", "0") == -1


def test_bitpos_errors(r):
    r.set("k", "a")
    assert error_of(r, "BITPOS", "k", "2") == "The bit argument must be 1 or 0."
    assert error_of(r, "BITPOS", "missing", "-1") == "The bit argument must be 1 or 0."
    assert error_of(r, "BITPOS", "k", "x") == "value is not an integer or out of range"
    assert error_of(r, "BITPOS", "k", "1", "x") == "value is not an integer or out of range"
    assert error_of(r, "BITPOS", "k", "1", "0", "x") == "value is not an integer or out of range"
    assert error_of(r, "BITPOS", "k", "1", "0", "x", "FOO") == "syntax error"
    assert error_of(r, "BITPOS", "k", "1", "x", "1", "FOO") == \
        "value is not an integer or out of range"
    assert error_of(r, "BITPOS", "k", "1", "0", "1", "BIT", "x") == "syntax error"
    assert error_of(r, "BITPOS", "k") == "wrong number of arguments for 'bitpos' command"


def test_bitpos_wrongtype(r):
    make_list(r)
    assert error_of(r, "BITPOS", "list", "1") == WRONGTYPE
    assert error_of(r, "BITPOS", "list", "2") == "The bit argument must be 1 or 0."


# --- BITOP ---------------------------------------------------------------------------------------
def test_bitop(r):
    r.set("a", b"\xff\x0f")
    r.set("b", b"\x0f")
    assert raw(r, "BITOP", "AND", "dest", "a", "b") == 2
    assert r.get("dest") == b"\x0f\x00"
    assert raw(r, "BITOP", "or", "dest", "a", "b") == 2
    assert r.get("dest") == b"\xff\x0f"
    assert raw(r, "BITOP", "Xor", "dest", "a", "b") == 2
    assert r.get("dest") == b"\xf0\x0f"
    assert raw(r, "BITOP", "NOT", "dest", "a") == 2
    assert r.get("dest") == b"\x00\xf0"


def test_bitop_many_keys_and_missing_ones(r):
    r.set("a", b"\xff\xff\xff")
    r.set("b", b"\x0f\xf0")
    r.set("c", b"\x3c")
    assert raw(r, "BITOP", "AND", "dest", "a", "b", "c") == 3
    assert r.get("dest") == b"\x0c\x00\x00"
    assert raw(r, "BITOP", "AND", "dest", "a", "missing") == 3
    assert r.get("dest") == b"\x00\x00\x00"
    assert raw(r, "BITOP", "OR", "dest", "missing", "c", "b") == 2
    assert r.get("dest") == b"\x3f\xf0"
    assert raw(r, "BITOP", "XOR", "dest", "a", "b", "c", "a") == 3
    assert r.get("dest") == b"\x33\xf0\x00"


def test_bitop_onto_a_source_and_other_types(r):
    r.set("a", b"\x01")
    make_list(r)
    r.expire("list", 100)
    assert raw(r, "BITOP", "NOT", "a", "a") == 1
    assert r.get("a") == b"\xfe"
    assert raw(r, "BITOP", "OR", "list", "a") == 1
    assert r.get("list") == b"\xfe"
    assert r.ttl("list") == -1


def test_bitop_empty_result_deletes_destination(r):
    r.set("dest", "x")
    r.set("empty", "")
    assert raw(r, "BITOP", "AND", "dest", "missing", "empty") == 0
    assert r.exists("dest") == 0
    assert raw(r, "BITOP", "NOT", "dest", "missing") == 0
    assert r.exists("dest") == 0


def test_bitop_errors(r):
    r.set("a", "x")
    make_list(r)
    assert error_of(r, "BITOP", "NAND", "dest", "a") == "syntax error"
    assert error_of(r, "BITOP", "NOT", "dest", "a", "a") == \
        "BITOP NOT must be called with a single source key."
    assert error_of(r, "BITOP", "NOT", "dest", "list", "a") == \
        "BITOP NOT must be called with a single source key."
    assert error_of(r, "BITOP", "AND", "dest", "a", "list") == WRONGTYPE
    assert error_of(r, "BITOP", "AND", "dest") == "wrong number of arguments for 'bitop' command"
    assert r.exists("dest") == 0


# --- BITFIELD ------------------------------------------------------------------------------------
def test_bitfield_get_set_incrby(r):
    assert raw(r, "BITFIELD", "k", "SET", "u8", "0", "200", "GET", "u8", "0", "GET", "i8", "0",
               "INCRBY", "u8", "0", "10", "GET", "u4", "4") == [0, 200, -56, 210, 2]
    assert r.get("k") == b"\xd2"
    assert raw(r, "BITFIELD", "k", "set", "i16", "#1", "-2") == [0]
    assert r.get("k") == b"\xd2\x00\xff\xfe"
    assert raw(r, "BITFIELD", "k", "get", "u16", "#1", "GET", "i32", "0") == [65534, -771686402]


def test_bitfield_unaligned_fields(r):
    r.set("k", b"\xaa\xaa\xaa")
    assert raw(r, "BITFIELD", "k", "GET", "u5", "3", "GET", "i7", "9", "GET", "u1", "0",
               "GET", "i1", "0", "GET", "u13", "5") == [10, 42, 1, -1, 2730]
    assert raw(r, "BITFIELD", "k", "SET", "u5", "3", "31", "SET", "i3", "13", "-1") == [10, 2]
    assert r.get("k") == b"\xbf\xaf\xaa"


def test_bitfield_wide_fields(r):
    assert raw(r, "BITFIELD", "k", "SET", "i64", "3", "-9223372036854775808",
               "GET", "i64", "3", "GET", "u63", "4", "INCRBY", "i64", "3", "-1") == \
        [0, -9223372036854775808, 0, 9223372036854775807]
    assert raw(r, "BITFIELD", "k", "SET", "u63", "0", "9223372036854775807",
               "GET", "u63", "0", "GET", "i64", "0") == [576460752303423487,
                                                        9223372036854775807, -1]


def test_bitfield_reads_past_the_end_as_zero(r):
    r.set("k", b"\xff")
    assert raw(r, "BITFIELD", "k", "GET", "u8", "4", "GET", "i16", "100") == [240, 0]
    assert r.get("k") == b"\xff"
    assert raw(r, "BITFIELD", "missing", "GET", "u8", "0") == [0]
    assert r.exists("missing") == 0


def test_bitfield_overflow_policies(r):
    assert raw(r, "BITFIELD", "k", "SET", "u8", "0", "250", "INCRBY", "u8", "0", "10",
               "OVERFLOW", "SAT", "INCRBY", "u8", "0", "300", "INCRBY", "u8", "0", "-300",
               "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "-1", "INCRBY", "u8", "0", "255",
               "INCRBY", "u8", "0", "256") == [0, 4, 255, 0, None, 255, None]
    assert r.get("k") == b"\xff"


def test_bitfield_signed_overflow(r):
    assert raw(r, "BITFIELD", "k", "INCRBY", "i8", "0", "127", "INCRBY", "i8", "0", "1",
               "INCRBY", "i8", "0", "-1", "OVERFLOW", "SAT", "INCRBY", "i8", "0", "-1000",
               "INCRBY", "i8", "0", "1000", "OVERFLOW", "FAIL", "INCRBY", "i8", "0", "1",
               "INCRBY", "i8", "0", "-255") == [127, -128, 127, -128, 127, None, -128]
    assert raw(r, "BITFIELD", "k", "OVERFLOW", "WRAP", "SET", "i4", "0", "100", "GET", "i4", "0",
               "OVERFLOW", "SAT", "SET", "i4", "0", "-100", "GET", "i4", "0",
               "OVERFLOW", "FAIL", "SET", "i4", "0", "8", "SET", "i4", "0", "7") == \
        [-8, 4, 4, -8, None, -8]


def test_bitfield_set_overflow_of_unsigned(r):
    assert raw(r, "BITFIELD", "k", "OVERFLOW", "SAT", "SET", "u8", "0", "-1", "GET", "u8", "0",
               "OVERFLOW", "WRAP", "SET", "u8", "0", "-1", "SET", "u8", "0", "257", "GET", "u8",
               "0", "OVERFLOW", "FAIL", "SET", "u8", "0", "-5") == [0, 255, 255, 255, 1, None]


def test_bitfield_64_bit_wrap_and_saturation(r):
    assert raw(r, "BITFIELD", "k", "SET", "i64", "0", "9223372036854775807",
               "INCRBY", "i64", "0", "1", "OVERFLOW", "SAT", "INCRBY", "i64", "0", "-1",
               "INCRBY", "i64", "0", "-9223372036854775808",
               "OVERFLOW", "WRAP", "INCRBY", "u63", "0", "-9223372036854775808") == \
        [0, -9223372036854775808, -9223372036854775808, -9223372036854775808,
         4611686018427387904]


def test_bitfield_fail_still_creates_and_grows_the_string(r):
    assert raw(r, "BITFIELD", "k", "OVERFLOW", "FAIL", "SET", "u2", "20", "7") == [None]
    assert r.get("k") == b"\x00\x00\x00"
    r.set("k", "a", ex=100)
    assert raw(r, "BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u2", "12", "9") == [None]
    assert r.get("k") == b"a\x00"
    assert 99 <= r.ttl("k") <= 100


def test_bitfield_hash_offsets(r):
    assert raw(r, "BITFIELD", "k", "SET", "u8", "#2", "65", "SET", "i4", "#1", "3",
               "GET", "u8", "#0") == [0, 0, 3]
    assert r.get("k") == b"\x03\x00A"
    r.set("other", b"\xff" * 8)
    assert raw(r, "BITFIELD", "other", "GET", "i64", "#288230376151711744") == [-1]


def test_bitfield_without_operations(r):
    assert raw(r, "BITFIELD", "k") == []
    assert r.exists("k") == 0
    assert raw(r, "BITFIELD", "k", "OVERFLOW", "SAT") == []
    make_list(r)
    assert error_of(r, "BITFIELD", "list") == WRONGTYPE


@pytest.mark.parametrize("args, message", [
    (("GET",), "syntax error"), (("GET", "u8"), "syntax error"),
    (("SET", "u8", "0"), "syntax error"), (("INCRBY", "u8", "0"), "syntax error"),
    (("OVERFLOW",), "syntax error"), (("FOO",), "syntax error"),
    (("GET", "u8", "0", "FOO"), "syntax error"),
    (("OVERFLOW", "FOO"), "Invalid OVERFLOW type specified"),
    (("SET", "u8", "0", "1", "OVERFLOW", "NONE", "GET", "u8", "0"),
     "Invalid OVERFLOW type specified"),
    (("GET", "u64", "0"), TYPE_ERROR), (("GET", "i65", "0"), TYPE_ERROR),
    (("GET", "u0", "0"), TYPE_ERROR), (("GET", "i", "0"), TYPE_ERROR),
    (("GET", "x8", "0"), TYPE_ERROR), (("GET", "i+1", "0"), TYPE_ERROR),
    (("GET", "i08", "0"), TYPE_ERROR), (("GET", "u-1", "x"), TYPE_ERROR),
    (("GET", "u8", "-1"), OFFSET_ERROR), (("GET", "u8", "x"), OFFSET_ERROR),
    (("GET", "u8", "#"), OFFSET_ERROR), (("GET", "u8", "#-1"), OFFSET_ERROR),
    (("GET", "u8", "4294967296"), OFFSET_ERROR), (("GET", "u8", "#536870912"), OFFSET_ERROR),
    (("GET", "i64", "#9223372036854775807"), OFFSET_ERROR),
    (("SET", "u8", "0", "x"), "value is not an integer or out of range"),
    (("INCRBY", "u8", "0", "1.5"), "value is not an integer or out of range"),
    (("SET", "u8", "0", "1", "GET", "u8", "x"), OFFSET_ERROR),
    (("SET", "u8", "x", "1", "FOO"), OFFSET_ERROR),
])
def test_bitfield_errors(r, args, message):
    r.set("k", "a")
    assert error_of(r, "BITFIELD", "k", *args) == message
    assert r.get("k") == b"a"


def test_bitfield_wrongtype_after_parsing(r):
    make_list(r)
    assert error_of(r, "BITFIELD", "list", "GET", "u8", "0") == WRONGTYPE
    assert error_of(r, "BITFIELD", "list", "SET", "u8", "0", "1") == WRONGTYPE
    assert error_of(r, "BITFIELD", "list", "GET", "u99", "0") == TYPE_ERROR
    assert r.lrange("list", 0, -1) == [b"x"]


def test_bitfield_keeps_ttl(r):
    r.set("k", "a", ex=100)
    raw(r, "BITFIELD", "k", "SET", "u8", "8", "1")
    assert r.get("k") == b"a\x01"
    assert 99 <= r.ttl("k") <= 100


def test_bitfield_ro(r):
    r.set("k", b"\x12\x34")
    assert raw(r, "BITFIELD_RO", "k", "GET", "u8", "0", "get", "i4", "#3") == [18, 4]
    assert raw(r, "BITFIELD_RO", "k") == []
    assert raw(r, "BITFIELD_RO", "k", "OVERFLOW", "WRAP") == []
    assert raw(r, "BITFIELD_RO", "missing", "GET", "u8", "0") == [0]
    assert error_of(r, "BITFIELD_RO", "k", "SET", "u8", "0", "1") == \
        "BITFIELD_RO only supports the GET subcommand"
    assert error_of(r, "BITFIELD_RO", "k", "GET", "u8", "0", "INCRBY", "u8", "x", "1") == \
        OFFSET_ERROR
    assert error_of(r, "BITFIELD_RO", "k", "GET", "u8", "0", "FOO") == "syntax error"
    assert error_of(r, "BITFIELD_RO") == "wrong number of arguments for 'bitfield_ro' command"
    assert r.get("k") == b"\x12\x34"


# --- writes and WATCH ----------------------------------------------------------------------------
@pytest.mark.parametrize("args", [
    ("SETBIT", "k", "0", "1"), ("SETBIT", "k", "100", "0"), ("BITOP", "NOT", "k", "k"),
    ("BITFIELD", "k", "SET", "u8", "0", "1"), ("BITFIELD", "k", "SET", "u8", "800", "0"),
    ("BITOP", "AND", "k", "missing"),
])
def test_bitmap_writes_touch_watched_keys(r, make, args):
    r.set("k", b"\x00")
    assert watch_then(r, make(r), "k", *args) is None


@pytest.mark.parametrize("args", [
    ("SETBIT", "k", "0", "0"), ("BITFIELD", "k", "SET", "u8", "0", "0"),
    ("BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "-1"), ("SETBIT", "k", "0", "2"),
    ("BITOP", "NOT", "k", "k", "k"), ("BITFIELD", "k", "GET", "u8", "0"),
])
def test_bitmap_writes_that_change_nothing_leave_watches_alone(r, make, args):
    r.set("k", b"\x00")
    assert watch_then(r, make(r), "k", *args) == [b"\x00"]


# --- keyspace notifications ----------------------------------------------------------------------
def test_bitmap_keyspace_events(r, make):
    events = keyevents(
        r, make,
        ("SETBIT", "k", "3", "1"), ("SETBIT", "k", "3", "1"), ("SETBIT", "k", "20", "0"),
        ("BITOP", "NOT", "d", "k"), ("BITOP", "AND", "d", "missing"), ("BITOP", "OR", "d", "x"),
        ("BITFIELD", "k", "SET", "u8", "0", "1"), ("BITFIELD", "k", "SET", "u8", "0", "1"),
        ("BITFIELD", "b", "OVERFLOW", "FAIL", "SET", "u2", "0", "9"),
        ("BITFIELD", "k", "GET", "u8", "0"),
        ("BITFIELD", "k", "INCRBY", "u8", "100", "0"),
    )
    assert events == [
        (b"setbit", b"k"), (b"setbit", b"k"), (b"set", b"d"), (b"del", b"d"), (b"setbit", b"k"),
        (b"setbit", b"k"),
    ]
