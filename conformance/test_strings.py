"""String commands: GET SET and options, counters, ranges, MGET/MSET, LCS."""

import time

import pytest

from conformance.helpers import error_of, is_resp3, keyevents, raw, watch_then


def wrongtype(r, *args):
    """A command on a list at "list" answers WRONGTYPE and leaves the list alone."""
    r.delete("list")
    r.rpush("list", "x")
    assert error_of(r, *args) == "WRONGTYPE Operation against a key holding the wrong kind of value"
    assert r.lrange("list", 0, -1) == [b"x"]


# --- GET / SET ------------------------------------------------------------------------------------
def test_get_missing_and_set(r):
    assert raw(r, "GET", "k") is None
    assert raw(r, "SET", "k", "v") == b"OK"
    assert raw(r, "GET", "k") == b"v"
    assert raw(r, "SET", "k", "") == b"OK"
    assert raw(r, "GET", "k") == b""


def test_get_and_set_binary_values(r):
    value = bytes(range(256))
    r.set(b"\x00\xff", value)
    assert r.get(b"\x00\xff") == value


def test_get_wrongtype(r):
    wrongtype(r, "GET", "list")


def test_set_overwrites_other_types_and_clears_ttl(r):
    r.rpush("list", "a")
    r.expire("list", 100)
    assert r.set("list", "v") is True
    assert r.get("list") == b"v"
    assert r.ttl("list") == -1


def test_set_arity(r):
    assert error_of(r, "SET", "k") == "wrong number of arguments for 'set' command"
    assert error_of(r, "GET", "a", "b") == "wrong number of arguments for 'get' command"


def test_set_nx_xx(r):
    assert raw(r, "SET", "k", "1", "XX") is None
    assert r.exists("k") == 0
    assert raw(r, "SET", "k", "1", "NX") == b"OK"
    assert raw(r, "SET", "k", "2", "NX") is None
    assert r.get("k") == b"1"
    assert raw(r, "SET", "k", "3", "xx") == b"OK"
    assert r.get("k") == b"3"
    assert raw(r, "SET", "k", "4", "NX", "NX") is None
    assert raw(r, "SET", "k", "4", "XX", "XX") == b"OK"


def test_set_nx_and_xx_conflict(r):
    assert error_of(r, "SET", "k", "v", "NX", "XX") == "syntax error"
    assert error_of(r, "SET", "k", "v", "XX", "NX") == "syntax error"
    assert r.exists("k") == 0


def test_set_get(r):
    assert raw(r, "SET", "k", "1", "GET") is None
    assert raw(r, "SET", "k", "2", "GET") == b"1"
    assert r.get("k") == b"2"


def test_set_get_wrongtype_changes_nothing(r):
    wrongtype(r, "SET", "list", "v", "GET")


def test_set_get_with_nx_and_xx(r):
    assert raw(r, "SET", "k", "1", "NX", "GET") is None
    assert r.get("k") == b"1"
    assert raw(r, "SET", "k", "2", "NX", "GET") == b"1"
    assert r.get("k") == b"1"
    assert raw(r, "SET", "other", "2", "XX", "GET") is None
    assert r.exists("other") == 0
    assert raw(r, "SET", "k", "3", "XX", "GET") == b"1"
    assert r.get("k") == b"3"


def test_set_ex_px(r):
    assert raw(r, "SET", "k", "v", "EX", "100") == b"OK"
    assert 99 <= r.ttl("k") <= 100
    assert raw(r, "SET", "k", "v", "PX", "100000") == b"OK"
    assert 99000 <= r.pttl("k") <= 100000
    assert raw(r, "SET", "k", "v") == b"OK"
    assert r.ttl("k") == -1


def test_set_exat_pxat(r):
    now = int(time.time())
    assert raw(r, "SET", "k", "v", "EXAT", str(now + 100)) == b"OK"
    assert 98 <= r.ttl("k") <= 100
    assert raw(r, "SET", "k", "v", "PXAT", str((now + 200) * 1000)) == b"OK"
    assert 198 <= r.ttl("k") <= 200


def test_set_exat_in_the_past_leaves_no_key(r):
    assert raw(r, "SET", "k", "v", "EXAT", "1") == b"OK"
    assert r.exists("k") == 0
    assert raw(r, "SET", "k", "v", "PXAT", "1") == b"OK"
    assert r.get("k") is None


def test_set_keepttl(r):
    r.set("k", "v", ex=100)
    assert raw(r, "SET", "k", "w", "KEEPTTL") == b"OK"
    assert r.get("k") == b"w"
    assert 99 <= r.ttl("k") <= 100
    assert raw(r, "SET", "new", "w", "KEEPTTL") == b"OK"
    assert r.ttl("new") == -1


def test_set_same_expiry_option_twice_uses_the_last(r):
    assert raw(r, "SET", "k", "v", "EX", "10", "EX", "1000") == b"OK"
    assert 999 <= r.ttl("k") <= 1000


@pytest.mark.parametrize("options", [
    ("EX", "10", "PX", "10"), ("PX", "10", "EX", "10"), ("EX", "10", "EXAT", "10"),
    ("PXAT", "10", "EXAT", "10"), ("KEEPTTL", "EX", "10"), ("EX", "10", "KEEPTTL"),
    ("PX", "10", "KEEPTTL"), ("EX",), ("NX", "PX"), ("PERSIST",), ("FOO",), ("EX", "10", "FOO"),
    ("GETX",),
])
def test_set_option_conflicts_are_syntax_errors(r, options):
    r.set("k", "old")
    assert error_of(r, "SET", "k", "v", *options) == "syntax error"
    assert r.get("k") == b"old"
    assert r.ttl("k") == -1


@pytest.mark.parametrize("unit", ["EX", "PX", "EXAT", "PXAT"])
@pytest.mark.parametrize("amount", ["0", "-1"])
def test_set_invalid_expire_time(r, unit, amount):
    r.set("k", "old")
    assert error_of(r, "SET", "k", "v", unit, amount) == "invalid expire time in 'set' command"
    assert r.get("k") == b"old"


@pytest.mark.parametrize("unit", ["EX", "EXAT"])
def test_set_expire_overflow(r, unit):
    assert error_of(r, "SET", "k", "v", unit, "9223372036854775807") == \
        "invalid expire time in 'set' command"
    assert error_of(r, "SET", "k", "v", unit, str(9223372036854775807 // 1000 + 1)) == \
        "invalid expire time in 'set' command"
    assert r.exists("k") == 0


def test_set_px_overflow_when_added_to_now(r):
    assert error_of(r, "SET", "k", "v", "PX", "9223372036854775807") == \
        "invalid expire time in 'set' command"
    assert raw(r, "SET", "k", "v", "PXAT", "9223372036854775807") == b"OK"
    assert r.get("k") == b"v"


@pytest.mark.parametrize("amount", ["x", "1.5", " 1", "01", "+1", "9223372036854775808", ""])
def test_set_expire_not_an_integer(r, amount):
    assert error_of(r, "SET", "k", "v", "EX", amount) == "value is not an integer or out of range"
    assert r.exists("k") == 0


def test_set_expire_error_wins_over_wrongtype_with_get(r):
    r.rpush("list", "x")
    assert error_of(r, "SET", "list", "v", "GET", "EX", "0") == \
        "invalid expire time in 'set' command"


def test_set_syntax_error_wins_over_expire_error(r):
    assert error_of(r, "SET", "k", "v", "EX", "0", "FOO") == "syntax error"


def test_set_all_options_together(r):
    r.set("k", "old")
    assert raw(r, "set", "k", "new", "xx", "get", "px", "50000") == b"old"
    assert 49000 <= r.pttl("k") <= 50000
    assert raw(r, "SET", "k", "newer", "GET", "KEEPTTL", "XX") == b"new"
    assert 49000 <= r.pttl("k") <= 50000


# --- SETEX / PSETEX / SETNX / GETSET / GETDEL -------------------------------------------------
def test_setex_and_psetex(r):
    assert raw(r, "SETEX", "k", "100", "v") == b"OK"
    assert r.get("k") == b"v"
    assert 99 <= r.ttl("k") <= 100
    assert raw(r, "PSETEX", "k", "50000", "w") == b"OK"
    assert r.get("k") == b"w"
    assert 49000 <= r.pttl("k") <= 50000


def test_setex_overwrites_other_types(r):
    r.rpush("list", "x")
    assert raw(r, "SETEX", "list", "10", "v") == b"OK"
    assert r.get("list") == b"v"


@pytest.mark.parametrize("name", ["setex", "psetex"])
def test_setex_invalid_expire_names_the_command(r, name):
    r.set("k", "old")
    assert error_of(r, name.upper(), "k", "0", "v") == f"invalid expire time in '{name}' command"
    assert error_of(r, name, "k", "-5", "v") == f"invalid expire time in '{name}' command"
    assert error_of(r, name, "k", "x", "v") == "value is not an integer or out of range"
    assert error_of(r, name, "k", "1") == f"wrong number of arguments for '{name}' command"
    assert r.get("k") == b"old"
    assert r.ttl("k") == -1


def test_setex_seconds_overflow(r):
    assert error_of(r, "SETEX", "k", "9223372036854775807", "v") == \
        "invalid expire time in 'setex' command"
    assert error_of(r, "PSETEX", "k", "9223372036854775807", "v") == \
        "invalid expire time in 'psetex' command"


def test_setnx(r):
    assert raw(r, "SETNX", "k", "1") == 1
    assert raw(r, "SETNX", "k", "2") == 0
    assert r.get("k") == b"1"
    r.rpush("list", "x")
    assert raw(r, "SETNX", "list", "2") == 0
    assert r.type("list") == b"list"
    assert error_of(r, "SETNX", "k") == "wrong number of arguments for 'setnx' command"


def test_getset(r):
    assert raw(r, "GETSET", "k", "1") is None
    r.expire("k", 100)
    assert raw(r, "GETSET", "k", "2") == b"1"
    assert r.get("k") == b"2"
    assert r.ttl("k") == -1
    wrongtype(r, "GETSET", "list", "v")


def test_getdel(r):
    r.set("k", "v", ex=100)
    assert raw(r, "GETDEL", "k") == b"v"
    assert r.exists("k") == 0
    assert raw(r, "GETDEL", "k") is None
    wrongtype(r, "GETDEL", "list")
    assert error_of(r, "GETDEL", "a", "b") == "wrong number of arguments for 'getdel' command"


# --- GETEX ---------------------------------------------------------------------------------------
def test_getex_without_options_keeps_ttl(r):
    r.set("k", "v", ex=100)
    assert raw(r, "GETEX", "k") == b"v"
    assert 99 <= r.ttl("k") <= 100


def test_getex_sets_expiry(r):
    r.set("k", "v")
    assert raw(r, "GETEX", "k", "EX", "100") == b"v"
    assert 99 <= r.ttl("k") <= 100
    assert raw(r, "GETEX", "k", "px", "50000") == b"v"
    assert 49000 <= r.pttl("k") <= 50000
    now = int(time.time())
    assert raw(r, "GETEX", "k", "EXAT", str(now + 300)) == b"v"
    assert 298 <= r.ttl("k") <= 300
    assert raw(r, "GETEX", "k", "PXAT", str((now + 400) * 1000)) == b"v"
    assert 398 <= r.ttl("k") <= 400


def test_getex_persist(r):
    r.set("k", "v", ex=100)
    assert raw(r, "GETEX", "k", "PERSIST") == b"v"
    assert r.ttl("k") == -1
    assert raw(r, "GETEX", "k", "persist") == b"v"
    assert r.ttl("k") == -1


def test_getex_absolute_time_in_the_past_deletes(r):
    r.set("k", "v")
    assert raw(r, "GETEX", "k", "EXAT", "1") == b"v"
    assert r.exists("k") == 0
    r.set("k", "v")
    assert raw(r, "GETEX", "k", "PXAT", "1") == b"v"
    assert r.exists("k") == 0


def test_getex_missing_key_ignores_a_bad_time(r):
    assert raw(r, "GETEX", "k") is None
    assert raw(r, "GETEX", "k", "EX", "-1") is None
    assert raw(r, "GETEX", "k", "EX", "x") is None
    assert r.exists("k") == 0


def test_getex_wrongtype_wins_over_bad_time(r):
    wrongtype(r, "GETEX", "list", "EX", "-1")
    wrongtype(r, "GETEX", "list", "EX", "x")


@pytest.mark.parametrize("options", [
    ("PERSIST", "EX", "10"), ("EX", "10", "PERSIST"), ("EX", "10", "PX", "10"), ("GET",),
    ("KEEPTTL",), ("NX",), ("XX",), ("EX",), ("FOO",),
])
def test_getex_syntax_errors(r, options):
    r.set("k", "v", ex=100)
    assert error_of(r, "GETEX", "k", *options) == "syntax error"
    assert error_of(r, "GETEX", "missing", *options) == "syntax error"
    assert 99 <= r.ttl("k") <= 100


@pytest.mark.parametrize("unit", ["EX", "PX", "EXAT", "PXAT"])
def test_getex_invalid_expire_time(r, unit):
    r.set("k", "v")
    assert error_of(r, "GETEX", "k", unit, "0") == "invalid expire time in 'getex' command"
    assert error_of(r, "GETEX", "k", unit, "x") == "value is not an integer or out of range"
    assert r.ttl("k") == -1


def test_getex_repeated_unit(r):
    r.set("k", "v")
    assert raw(r, "GETEX", "k", "EX", "10", "EX", "100") == b"v"
    assert 99 <= r.ttl("k") <= 100


# --- MGET / MSET / MSETNX ------------------------------------------------------------------------
def test_mget(r):
    r.set("a", "1")
    r.set("b", "2")
    r.rpush("list", "x")
    assert raw(r, "MGET", "a", "missing", "list", "b", "a") == [b"1", None, None, b"2", b"1"]
    assert error_of(r, "MGET") == "wrong number of arguments for 'mget' command"


def test_mset(r):
    r.set("a", "old", ex=100)
    r.rpush("list", "x")
    assert raw(r, "MSET", "a", "1", "b", "2", "list", "3", "a", "4") == b"OK"
    assert r.mget("a", "b", "list") == [b"4", b"2", b"3"]
    assert r.ttl("a") == -1


def test_mset_odd_arguments(r):
    assert error_of(r, "MSET", "a", "1", "b") == "wrong number of arguments for 'mset' command"
    assert error_of(r, "MSET", "a") == "wrong number of arguments for 'mset' command"
    assert r.exists("a") == 0


def test_msetnx(r):
    assert raw(r, "MSETNX", "a", "1", "b", "2") == 1
    assert r.mget("a", "b") == [b"1", b"2"]
    assert raw(r, "MSETNX", "c", "3", "a", "x") == 0
    assert r.mget("a", "c") == [b"1", None]
    r.rpush("list", "x")
    assert raw(r, "MSETNX", "c", "3", "list", "x") == 0
    assert r.exists("c") == 0
    assert raw(r, "MSETNX", "d", "1", "d", "2") == 1
    assert r.get("d") == b"2"


def test_msetnx_odd_arguments(r):
    assert error_of(r, "MSETNX", "a", "1", "b") == "wrong number of arguments for 'msetnx' command"
    assert r.exists("a") == 0


# --- STRLEN / APPEND -----------------------------------------------------------------------------
def test_strlen(r):
    assert raw(r, "STRLEN", "k") == 0
    r.set("k", "hello")
    assert raw(r, "STRLEN", "k") == 5
    r.set("n", 12345)
    assert raw(r, "STRLEN", "n") == 5
    wrongtype(r, "STRLEN", "list")


def test_append(r):
    assert raw(r, "APPEND", "k", "hello") == 5
    assert raw(r, "APPEND", "k", " world") == 11
    assert r.get("k") == b"hello world"
    assert raw(r, "APPEND", "k", "") == 11


def test_append_empty_creates_key(r):
    assert raw(r, "APPEND", "k", "") == 0
    assert r.exists("k") == 1
    assert r.get("k") == b""


def test_append_keeps_ttl(r):
    r.set("k", "a", ex=100)
    r.append("k", "b")
    assert 99 <= r.ttl("k") <= 100


def test_append_wrongtype(r):
    wrongtype(r, "APPEND", "list", "x")


def test_append_over_proto_max_bulk_len(r):
    r.config_set("proto-max-bulk-len", "1048576")
    try:
        r.set("k", "x" * 1048570)
        assert error_of(r, "APPEND", "k", "y" * 7) == \
            "string exceeds maximum allowed size (proto-max-bulk-len)"
        assert r.strlen("k") == 1048570
        assert r.append("k", "y" * 6) == 1048576
    finally:
        r.config_set("proto-max-bulk-len", "536870912")


# --- INCR / DECR / INCRBY / DECRBY ---------------------------------------------------------------
def test_incr_decr(r):
    assert raw(r, "INCR", "k") == 1
    assert raw(r, "INCR", "k") == 2
    assert raw(r, "DECR", "k") == 1
    assert raw(r, "DECR", "n") == -1
    assert raw(r, "INCRBY", "k", "10") == 11
    assert raw(r, "INCRBY", "k", "-20") == -9
    assert raw(r, "DECRBY", "k", "-9") == 0
    assert raw(r, "DECRBY", "k", "5") == -5
    assert r.get("k") == b"-5"


def test_incr_keeps_ttl(r):
    r.set("k", "1", ex=100)
    r.incr("k")
    r.decrby("k", 5)
    assert r.get("k") == b"-3"
    assert 99 <= r.ttl("k") <= 100


@pytest.mark.parametrize("value", [" 1", "1 ", "01", "+1", "1.0", "-0", "", "abc", "1e3",
                                   "9223372036854775808", "0x10"])
def test_incr_on_non_canonical_integer(r, value):
    r.set("k", value)
    for args in (("INCR", "k"), ("DECR", "k"), ("INCRBY", "k", "1"), ("DECRBY", "k", "1")):
        assert error_of(r, *args) == "value is not an integer or out of range"
    assert r.get("k") == value.encode()


@pytest.mark.parametrize("amount", [" 1", "01", "+1", "1.0", "-0", "", "x", "9223372036854775808"])
def test_incrby_bad_amount(r, amount):
    r.set("k", "5")
    assert error_of(r, "INCRBY", "k", amount) == "value is not an integer or out of range"
    assert error_of(r, "DECRBY", "k", amount) == "value is not an integer or out of range"
    assert r.get("k") == b"5"


def test_incrby_bad_amount_wins_over_wrongtype(r):
    r.rpush("list", "x")
    assert error_of(r, "INCRBY", "list", "x") == "value is not an integer or out of range"
    assert error_of(r, "DECRBY", "list", "x") == "value is not an integer or out of range"


@pytest.mark.parametrize("args", [("INCR", "list"), ("DECR", "list"), ("INCRBY", "list", "1"),
                                  ("DECRBY", "list", "1")])
def test_incr_wrongtype(r, args):
    wrongtype(r, *args)


def test_incr_limits(r):
    r.set("k", "9223372036854775806")
    assert r.incr("k") == 9223372036854775807
    assert error_of(r, "INCR", "k") == "increment or decrement would overflow"
    assert error_of(r, "INCRBY", "k", "1") == "increment or decrement would overflow"
    assert r.get("k") == b"9223372036854775807"
    assert r.incrby("k", "-9223372036854775807") == 0
    r.set("k", "-9223372036854775807")
    assert r.decr("k") == -9223372036854775808
    assert error_of(r, "DECR", "k") == "increment or decrement would overflow"
    assert error_of(r, "DECRBY", "k", "1") == "increment or decrement would overflow"
    assert error_of(r, "INCRBY", "k", "-1") == "increment or decrement would overflow"
    assert r.get("k") == b"-9223372036854775808"


def test_decrby_minimum_integer(r):
    r.set("k", "0")
    assert error_of(r, "DECRBY", "k", "-9223372036854775808") == "decrement would overflow"
    assert r.incrby("k", "-9223372036854775808") == -9223372036854775808
    assert r.decrby("k", "-9223372036854775807") == -1


def test_incr_arity(r):
    assert error_of(r, "INCR") == "wrong number of arguments for 'incr' command"
    assert error_of(r, "INCRBY", "k") == "wrong number of arguments for 'incrby' command"
    assert error_of(r, "DECRBY", "k", "1", "2") == "wrong number of arguments for 'decrby' command"


# --- INCRBYFLOAT ---------------------------------------------------------------------------------
@pytest.mark.parametrize("start, increment, expected", [
    (None, "10.5", b"10.5"),
    ("10.5", "0.1", b"10.6"),
    ("0.1", "0.2", b"0.3"),
    ("5.0e3", "2.0e2", b"5200"),
    ("3.0", "-3", b"0"),
    ("1", "-1.5", b"-0.5"),
    ("10", "1e-20", b"10"),
    ("0", "-1e-20", b"0"),
    ("0", "1e20", b"100000000000000000000"),
    ("1.1", "2.2", b"3.3"),
    ("123456789.123456789", "0", b"123456789.12345678899873747"),
    ("0", ".5", b"0.5"),
    ("0", "5.", b"5"),
    ("0", "+1.5", b"1.5"),
    ("0", "0x10", b"16"),
    ("0", "0x1.8p1", b"3"),
    ("5", "0.000003814697265625", b"5.00000381469726562"),
    ("0", "1e-4940", b"0"),
    ("0", "-0.0", b"0"),
    ("1", "0.1", b"1.1"),
    ("0.3333333333333333333", "0", b"0.33333333333333333"),
    ("0", "1e300", None),
    ("0", "1e4000", None),
])
def test_incrbyfloat_formatting(r, start, increment, expected):
    if start is not None:
        r.set("k", start)
    reply = raw(r, "INCRBYFLOAT", "k", increment)
    assert reply == r.get("k")
    if expected is None:  # a huge value printed in full: all digits, no fraction
        assert reply.isdigit() and len(reply) > 300
    else:
        assert reply == expected


def test_incrbyfloat_huge_values_exactly(r):
    r.set("k", "0")
    assert r.incrbyfloat("k", "1e300") == float("1e300")
    assert r.get("k").startswith(b"10000000000000000000089973240795591938705239442732907479")
    r.set("k", "0")
    raw(r, "INCRBYFLOAT", "k", "1e4000")
    assert len(r.get("k")) == 4000
    assert r.get("k").startswith(b"99999999999999999999654638730996237849324925835069576313")


def test_incrbyfloat_series(r):
    values = [raw(r, "INCRBYFLOAT", "k", "0.1") for _ in range(10)]
    assert values == [b"0.1", b"0.2", b"0.3", b"0.4", b"0.5", b"0.6", b"0.7", b"0.8", b"0.9", b"1"]
    values = [raw(r, "INCRBYFLOAT", "k", "-1.23456789e-5") for _ in range(3)]
    assert values == [b"0.9999876543211", b"0.9999753086422", b"0.9999629629633"]


def test_incrbyfloat_keeps_ttl(r):
    r.set("k", "1", ex=100)
    r.incrbyfloat("k", "1.5")
    assert r.get("k") == b"2.5"
    assert 99 <= r.ttl("k") <= 100


@pytest.mark.parametrize("amount", [" 1", "1 ", "x", "", "nan", "1e5000", "1e-5000", "1e", "0x",
                                    "1..2", "- 1"])
def test_incrbyfloat_bad_increment(r, amount):
    r.set("k", "5")
    assert error_of(r, "INCRBYFLOAT", "k", amount) == "value is not a valid float"
    assert r.get("k") == b"5"


@pytest.mark.parametrize("value", [" 1", "x", "", "1,5", "nan"])
def test_incrbyfloat_bad_stored_value(r, value):
    r.set("k", value)
    assert error_of(r, "INCRBYFLOAT", "k", "1") == "value is not a valid float"
    assert r.get("k") == value.encode()


@pytest.mark.parametrize("start, amount", [("5", "inf"), ("5", "-Infinity"), ("inf", "1"),
                                           ("inf", "-inf"), ("9e4931", "9e4931")])
def test_incrbyfloat_nan_or_infinity(r, start, amount):
    r.set("k", start)
    assert error_of(r, "INCRBYFLOAT", "k", amount) == "increment would produce NaN or Infinity"
    assert r.get("k") == start.encode()


def test_incrbyfloat_wrongtype_wins_over_bad_float(r):
    wrongtype(r, "INCRBYFLOAT", "list", "x")


def test_incrbyfloat_arity(r):
    assert error_of(r, "INCRBYFLOAT", "k") == "wrong number of arguments for 'incrbyfloat' command"


# --- GETRANGE / SUBSTR / SETRANGE ----------------------------------------------------------------
@pytest.mark.parametrize("start, end, expected", [
    (0, 3, b"This"), (-3, -1, b"ing"), (0, -1, b"This is a string"), (10, 100, b"string"),
    (5, 3, b""), (-1, -5, b""), (-100, 3, b"This"), (-100, -90, b"T"), (100, 200, b""),
    (3, 3, b"s"), (-1, 0, b""), (0, 0, b"T"), (-9223372036854775808, 9223372036854775807,
                                               b"This is a string"),
])
def test_getrange(r, start, end, expected):
    r.set("k", "This is a string")
    assert raw(r, "GETRANGE", "k", start, end) == expected
    assert raw(r, "SUBSTR", "k", start, end) == expected


def test_getrange_missing_and_empty(r):
    assert raw(r, "GETRANGE", "k", 0, -1) == b""
    r.set("k", "")
    assert raw(r, "GETRANGE", "k", 0, -1) == b""
    assert raw(r, "GETRANGE", "k", -1, 0) == b""


def test_getrange_errors(r):
    r.set("k", "abc")
    assert error_of(r, "GETRANGE", "k", "x", "1") == "value is not an integer or out of range"
    assert error_of(r, "GETRANGE", "k", "0", "1.5") == "value is not an integer or out of range"
    assert error_of(r, "SUBSTR", "k", "0", "99999999999999999999") == \
        "value is not an integer or out of range"
    assert error_of(r, "GETRANGE", "k", "0") == "wrong number of arguments for 'getrange' command"
    wrongtype(r, "GETRANGE", "list", "0", "1")
    wrongtype(r, "SUBSTR", "list", "0", "1")
    r.rpush("list", "y")
    assert error_of(r, "GETRANGE", "list", "x", "1") == "value is not an integer or out of range"


def test_setrange(r):
    r.set("k", "Hello World", ex=100)
    assert raw(r, "SETRANGE", "k", "6", "Redis") == 11
    assert r.get("k") == b"Hello Redis"
    assert 99 <= r.ttl("k") <= 100
    assert raw(r, "SETRANGE", "k", "9", "xyz!") == 13
    assert r.get("k") == b"Hello Redxyz!"


def test_setrange_pads_with_zero_bytes(r):
    assert raw(r, "SETRANGE", "k", "5", "x") == 6
    assert r.get("k") == b"\x00\x00\x00\x00\x00x"
    assert raw(r, "SETRANGE", "k", "8", "yz") == 10
    assert r.get("k") == b"\x00\x00\x00\x00\x00x\x00\x00yz"


def test_setrange_empty_value(r):
    assert raw(r, "SETRANGE", "k", "5", "") == 0
    assert r.exists("k") == 0
    r.set("k", "abc")
    assert raw(r, "SETRANGE", "k", "100", "") == 3
    assert raw(r, "SETRANGE", "k", "536870912", "") == 3
    assert r.get("k") == b"abc"


def test_setrange_errors(r):
    r.set("k", "abc")
    assert error_of(r, "SETRANGE", "k", "-1", "x") == "offset is out of range"
    assert error_of(r, "SETRANGE", "k", "x", "x") == "value is not an integer or out of range"
    assert error_of(r, "SETRANGE", "k", "536870912", "x") == \
        "string exceeds maximum allowed size (proto-max-bulk-len)"
    assert error_of(r, "SETRANGE", "k", "536870911", "xy") == \
        "string exceeds maximum allowed size (proto-max-bulk-len)"
    assert error_of(r, "SETRANGE", "new", "536870912", "x") == \
        "string exceeds maximum allowed size (proto-max-bulk-len)"
    assert error_of(r, "SETRANGE", "k", "1") == "wrong number of arguments for 'setrange' command"
    assert r.get("k") == b"abc"
    assert r.exists("new") == 0


def test_setrange_wrongtype(r):
    wrongtype(r, "SETRANGE", "list", "0", "x")
    wrongtype(r, "SETRANGE", "list", "0", "")


def test_setrange_bad_offset_wins_over_wrongtype(r):
    r.rpush("list", "x")
    assert error_of(r, "SETRANGE", "list", "-1", "x") == "offset is out of range"


# --- LCS -----------------------------------------------------------------------------------------
def test_lcs(r):
    r.mset({"a": "ohmytext", "b": "mynewtext"})
    assert raw(r, "LCS", "a", "b") == b"mytext"
    assert raw(r, "LCS", "a", "b", "LEN") == 6
    assert raw(r, "LCS", "a", "missing") == b""
    assert raw(r, "LCS", "missing", "b", "len") == 0


def test_lcs_idx(r):
    r.mset({"a": "ohmytext", "b": "mynewtext"})
    reply = raw(r, "LCS", "a", "b", "IDX")
    matches = [[[4, 7], [5, 8]], [[2, 3], [0, 1]]]
    if is_resp3(r):
        assert reply == {b"matches": matches, b"len": 6}
    else:
        assert reply == [b"matches", matches, b"len", 6]


def test_lcs_idx_minmatchlen_withmatchlen(r):
    r.mset({"a": "ohmytext", "b": "mynewtext"})
    reply = raw(r, "LCS", "a", "b", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN")
    matches = [[[4, 7], [5, 8], 4]]
    assert reply == ({b"matches": matches, b"len": 6} if is_resp3(r)
                     else [b"matches", matches, b"len", 6])
    reply = raw(r, "LCS", "a", "b", "withmatchlen", "idx", "minmatchlen", "-5")
    matches = [[[4, 7], [5, 8], 4], [[2, 3], [0, 1], 2]]
    assert reply == ({b"matches": matches, b"len": 6} if is_resp3(r)
                     else [b"matches", matches, b"len", 6])


def test_lcs_options_without_idx_are_ignored(r):
    r.mset({"a": "ohmytext", "b": "mynewtext"})
    assert raw(r, "LCS", "a", "b", "MINMATCHLEN", "3", "WITHMATCHLEN") == b"mytext"
    assert raw(r, "LCS", "a", "b", "LEN", "WITHMATCHLEN", "LEN") == 6


@pytest.mark.parametrize("a, b, expected", [
    ("ABCBDAB", "BDCABA", b"BDAB"), ("aaaa", "aa", b"aa"), ("abc", "def", b""),
    ("xaxbxcx", "abc", b"abc"), ("", "abc", b""), ("GXTXAYB", "AGGTAB", b"GTAB"),
    ("abcabcabc", "cbacbacba", b"cbabc"), ("1234512345", "5432154321", b"545"),
])
def test_lcs_picks_redis_subsequence(r, a, b, expected):
    r.mset({"a": a, "b": b})
    assert raw(r, "LCS", "a", "b") == expected
    reply = raw(r, "LCS", "a", "b", "IDX", "WITHMATCHLEN")
    result = reply if is_resp3(r) else dict(zip(reply[::2], reply[1::2]))
    assert result[b"len"] == len(expected)
    picked = b"".join(a.encode()[m[0][0]:m[0][1] + 1] for m in reversed(result[b"matches"]))
    assert picked == expected


@pytest.mark.parametrize("a, b, matches", [
    ("ABCBDAB", "BDCABA", [[[5, 6], [3, 4], 2], [[3, 4], [0, 1], 2]]),
    ("GXTXAYB", "AGGTAB", [[[6, 6], [5, 5], 1], [[4, 4], [4, 4], 1], [[2, 2], [3, 3], 1],
                           [[0, 0], [1, 1], 1]]),
])
def test_lcs_idx_ranges(r, a, b, matches):
    r.mset({"a": a, "b": b})
    reply = raw(r, "LCS", "a", "b", "IDX", "WITHMATCHLEN")
    result = reply if is_resp3(r) else dict(zip(reply[::2], reply[1::2]))
    assert result[b"matches"] == matches


def test_lcs_errors(r):
    r.mset({"a": "x", "b": "y"})
    assert error_of(r, "LCS", "a", "b", "LEN", "IDX") == \
        "If you want both the length and indexes, please just use IDX."
    assert error_of(r, "LCS", "a", "b", "FOO") == "syntax error"
    assert error_of(r, "LCS", "a", "b", "MINMATCHLEN") == "syntax error"
    assert error_of(r, "LCS", "a", "b", "MINMATCHLEN", "x") == \
        "value is not an integer or out of range"
    assert error_of(r, "LCS", "a") == "wrong number of arguments for 'lcs' command"


def test_lcs_non_string_keys(r):
    r.set("a", "x")
    r.rpush("list", "x")
    assert error_of(r, "LCS", "a", "list") == "The specified keys must contain string values"
    assert error_of(r, "LCS", "list", "missing", "FOO") == \
        "The specified keys must contain string values"


# --- writes and WATCH ----------------------------------------------------------------------------
@pytest.mark.parametrize("args", [
    ("SET", "k", "v"), ("INCR", "k"), ("APPEND", "k", "x"), ("SETRANGE", "k", "0", "x"),
    ("INCRBYFLOAT", "k", "1"), ("GETDEL", "k"), ("GETEX", "k", "EX", "10"), ("MSET", "k", "2"),
    ("GETSET", "k", "2"), ("DECRBY", "k", "2"),
])
def test_writes_touch_watched_keys(r, make, args):
    r.set("k", "1")
    assert watch_then(r, make(r), "k", *args) is None


@pytest.mark.parametrize("args", [
    ("SET", "k", "v", "NX"), ("SETNX", "k", "v"), ("MSETNX", "k", "v"), ("GETEX", "k"),
    ("SETRANGE", "k", "0", ""), ("INCRBY", "k", "x"), ("SET", "k", "v", "EX", "0"),
    ("GETEX", "k", "PERSIST"), ("INCRBY", "k", "9223372036854775807"), ("GET", "k"),
])
def test_failed_or_idle_writes_leave_watches_alone(r, make, args):
    r.set("k", "1")
    assert watch_then(r, make(r), "k", *args) == [b"1"]


# --- keyspace notifications ----------------------------------------------------------------------
def test_string_keyspace_events(r, make):
    events = keyevents(
        r, make,
        ("SET", "k", "1"), ("SET", "k", "2", "EX", "100"), ("SET", "k", "3", "NX"),
        ("SETEX", "a", "10", "x"), ("PSETEX", "a", "10000", "x"), ("SETNX", "b", "1"),
        ("SETNX", "b", "2"), ("GETSET", "b", "3"), ("GETDEL", "b"), ("GETDEL", "b"),
        ("GETEX", "k", "EX", "50"), ("GETEX", "k", "PERSIST"), ("GETEX", "k", "PERSIST"),
        ("GETEX", "a", "EXAT", "1"), ("APPEND", "c", "x"), ("INCR", "n"), ("DECRBY", "n", "2"),
        ("INCRBYFLOAT", "n", "1.5"), ("SETRANGE", "c", "3", "y"), ("SETRANGE", "c", "3", ""),
        ("MSET", "d", "1", "e", "2"), ("MSETNX", "f", "1", "d", "2"), ("MSETNX", "f", "1"),
        ("INCR", "c"), ("GETEX", "k"),
    )
    assert events == [
        (b"set", b"k"), (b"set", b"k"), (b"expire", b"k"), (b"set", b"a"), (b"expire", b"a"),
        (b"set", b"a"), (b"expire", b"a"), (b"set", b"b"), (b"set", b"b"), (b"del", b"b"),
        (b"expire", b"k"), (b"persist", b"k"), (b"del", b"a"), (b"append", b"c"),
        (b"incrby", b"n"), (b"incrby", b"n"), (b"incrbyfloat", b"n"), (b"setrange", b"c"),
        (b"set", b"d"), (b"set", b"e"), (b"set", b"f"),
    ]
