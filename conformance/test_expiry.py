"""EXPIRE PEXPIRE EXPIREAT PEXPIREAT (NX XX GT LT), TTL PTTL EXPIRETIME PEXPIRETIME, PERSIST."""

import time

import pytest

from conformance.helpers import error_of, raw, watch_then

INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)


def now_ms(r):
    seconds, micros = r.time()
    return seconds * 1000 + micros // 1000


# --- EXPIRE and friends: normal replies ----------------------------------------------------------
def test_expire_sets_ttl_in_seconds(r):
    r.set("k", "v")
    assert raw(r, "EXPIRE", "k", "100") == 1
    assert raw(r, "TTL", "k") == 100
    assert 99_000 < raw(r, "PTTL", "k") <= 100_000


def test_pexpire_sets_ttl_in_milliseconds(r):
    r.set("k", "v")
    assert raw(r, "PEXPIRE", "k", "100500") == 1
    assert 100_000 < raw(r, "PTTL", "k") <= 100_500
    assert raw(r, "TTL", "k") in (100, 101)


def test_expireat_and_pexpireat_set_absolute_times(r):
    r.set("k", "v")
    at = int(time.time()) + 1000
    assert raw(r, "EXPIREAT", "k", str(at)) == 1
    assert raw(r, "EXPIRETIME", "k") == at
    assert raw(r, "PEXPIRETIME", "k") == at * 1000
    assert raw(r, "PEXPIREAT", "k", str(at * 1000 + 123)) == 1
    assert raw(r, "PEXPIRETIME", "k") == at * 1000 + 123
    assert raw(r, "EXPIRETIME", "k") == at


def test_expiretime_rounds_to_nearest_second(r):
    r.set("k", "v")
    at = 4_000_000_000_000
    raw(r, "PEXPIREAT", "k", str(at + 499))
    assert raw(r, "EXPIRETIME", "k") == 4_000_000_000
    raw(r, "PEXPIREAT", "k", str(at + 500))
    assert raw(r, "EXPIRETIME", "k") == 4_000_000_001


def test_expire_on_missing_key_returns_zero(r):
    for cmd in ("EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT"):
        assert raw(r, cmd, "nokey", "100") == 0
    assert r.exists("nokey") == 0


def test_expire_replaces_previous_ttl(r):
    r.set("k", "v")
    raw(r, "EXPIRE", "k", "100")
    raw(r, "EXPIRE", "k", "10")
    assert raw(r, "TTL", "k") == 10


def test_set_clears_the_ttl(r):
    r.set("k", "v")
    raw(r, "EXPIRE", "k", "100")
    r.set("k", "w")
    assert raw(r, "TTL", "k") == -1


# --- deadlines in the past -----------------------------------------------------------------------
@pytest.mark.parametrize("cmd,amount", [
    ("EXPIRE", "0"), ("EXPIRE", "-5"), ("PEXPIRE", "0"), ("PEXPIRE", "-1"),
    ("EXPIREAT", "1"), ("PEXPIREAT", "1000"), ("PEXPIREAT", str(INT64_MIN)),
    ("EXPIRE", "-9223372036854775"),
])
def test_deadline_in_the_past_deletes_the_key(r, cmd, amount):
    r.set("k", "v")
    assert raw(r, cmd, "k", amount) == 1
    assert r.exists("k") == 0
    assert raw(r, "TTL", "k") == -2


def test_past_deadline_on_missing_key_returns_zero(r):
    assert raw(r, "EXPIRE", "nokey", "-1") == 0


def test_key_expires_lazily(r):
    r.set("k", "v")
    assert raw(r, "PEXPIRE", "k", "20") == 1
    time.sleep(0.05)
    assert r.get("k") is None
    assert raw(r, "TTL", "k") == -2
    assert r.exists("k") == 0


def test_expired_key_is_not_counted_by_dbsize(r):
    r.set("k", "v")
    r.set("other", "v")
    raw(r, "PEXPIRE", "k", "20")
    time.sleep(0.05)
    r.get("other")
    # active expiry runs on the next command in the fake; Redis's own cycle has run too by now
    deadline = time.time() + 2
    while r.dbsize() != 1 and time.time() < deadline:
        time.sleep(0.01)
    assert r.dbsize() == 1


# --- overflow ------------------------------------------------------------------------------------
@pytest.mark.parametrize("cmd,amount", [
    ("EXPIRE", str(INT64_MAX)), ("EXPIRE", str(INT64_MIN + 1)), ("EXPIRE", "9223372036854775"),
    ("EXPIRE", "9223372036854776"), ("EXPIRE", "-9223372036854776"),
    ("PEXPIRE", str(INT64_MAX)), ("PEXPIRE", "9223372036854775000"),
    ("EXPIREAT", str(INT64_MAX)), ("EXPIREAT", "-9223372036854776"),
])
def test_overflowing_deadline_is_an_error(r, cmd, amount):
    r.set("k", "v")
    assert error_of(r, cmd, "k", amount) == f"invalid expire time in '{cmd.lower()}' command"
    assert raw(r, "TTL", "k") == -1
    assert r.get("k") == b"v"


def test_overflow_error_comes_before_missing_key(r):
    assert error_of(r, "EXPIRE", "nokey", str(INT64_MAX)) == \
        "invalid expire time in 'expire' command"


def test_largest_deadlines_are_accepted(r):
    r.set("k", "v")
    assert raw(r, "PEXPIREAT", "k", str(INT64_MAX)) == 1
    assert raw(r, "PEXPIRETIME", "k") == INT64_MAX
    assert raw(r, "EXPIREAT", "k", "9223372036854775") == 1
    assert raw(r, "PEXPIRETIME", "k") == 9223372036854775000
    assert raw(r, "EXPIRE", "k", "922337203685477") == 1


# --- bad arguments -------------------------------------------------------------------------------
@pytest.mark.parametrize("amount", ["abc", "1.5", " 1", "", "9223372036854775808", "1e3"])
def test_non_integer_time_is_an_error(r, amount):
    r.set("k", "v")
    for cmd in ("EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT"):
        assert error_of(r, cmd, "k", amount) == "value is not an integer or out of range"
    assert raw(r, "TTL", "k") == -1


@pytest.mark.parametrize("cmd", ["EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT"])
def test_wrong_arity(r, cmd):
    assert error_of(r, cmd, "k") == f"wrong number of arguments for '{cmd.lower()}' command"


def test_unsupported_option(r):
    r.set("k", "v")
    assert error_of(r, "EXPIRE", "k", "10", "foo") == "Unsupported option foo"
    assert error_of(r, "PEXPIREAT", "k", "10", "NX", "bar") == "Unsupported option bar"
    assert raw(r, "TTL", "k") == -1


def test_options_are_parsed_before_the_time(r):
    assert error_of(r, "EXPIRE", "nokey", "abc", "foo") == "Unsupported option foo"
    assert error_of(r, "EXPIRE", "nokey", "abc", "NX", "XX") == \
        "NX and XX, GT or LT options at the same time are not compatible"
    assert error_of(r, "EXPIRE", "nokey", "abc", "nx") == "value is not an integer or out of range"


@pytest.mark.parametrize("options", [("NX", "XX"), ("NX", "GT"), ("LT", "NX"), ("xx", "nx")])
def test_nx_conflicts(r, options):
    r.set("k", "v")
    assert error_of(r, "EXPIRE", "k", "10", *options) == \
        "NX and XX, GT or LT options at the same time are not compatible"


def test_gt_lt_conflict(r):
    r.set("k", "v")
    assert error_of(r, "EXPIRE", "k", "10", "GT", "LT") == \
        "GT and LT options at the same time are not compatible"
    assert error_of(r, "PEXPIRE", "k", "10", "XX", "lt", "gt") == \
        "GT and LT options at the same time are not compatible"


# --- NX XX GT LT ---------------------------------------------------------------------------------
def test_nx_only_sets_when_no_ttl(r):
    r.set("k", "v")
    assert raw(r, "EXPIRE", "k", "100", "NX") == 1
    assert raw(r, "EXPIRE", "k", "50", "nx") == 0
    assert raw(r, "TTL", "k") == 100
    assert raw(r, "EXPIRE", "k", "50", "NX", "NX") == 0


def test_xx_only_sets_when_ttl_exists(r):
    r.set("k", "v")
    assert raw(r, "EXPIRE", "k", "100", "XX") == 0
    assert raw(r, "TTL", "k") == -1
    raw(r, "EXPIRE", "k", "100")
    assert raw(r, "EXPIRE", "k", "50", "XX") == 1
    assert raw(r, "TTL", "k") == 50


def test_gt_treats_no_ttl_as_infinite(r):
    r.set("k", "v")
    assert raw(r, "EXPIRE", "k", "100", "GT") == 0
    assert raw(r, "TTL", "k") == -1
    raw(r, "EXPIRE", "k", "100")
    assert raw(r, "EXPIRE", "k", "50", "GT") == 0
    assert raw(r, "EXPIRE", "k", "200", "GT") == 1
    assert raw(r, "TTL", "k") == 200


def test_gt_needs_strictly_greater(r):
    r.set("k", "v")
    at = 4_000_000_000_000
    raw(r, "PEXPIREAT", "k", str(at))
    assert raw(r, "PEXPIREAT", "k", str(at), "GT") == 0
    assert raw(r, "PEXPIREAT", "k", str(at), "LT") == 0
    assert raw(r, "PEXPIREAT", "k", str(at + 1), "GT") == 1
    assert raw(r, "PEXPIREAT", "k", str(at), "LT") == 1


def test_lt_sets_when_no_ttl(r):
    r.set("k", "v")
    assert raw(r, "EXPIRE", "k", "100", "LT") == 1
    assert raw(r, "EXPIRE", "k", "200", "LT") == 0
    assert raw(r, "EXPIRE", "k", "50", "LT") == 1
    assert raw(r, "TTL", "k") == 50


def test_xx_with_gt(r):
    r.set("k", "v")
    assert raw(r, "EXPIRE", "k", "100", "XX", "GT") == 0
    raw(r, "EXPIRE", "k", "100")
    assert raw(r, "EXPIRE", "k", "200", "XX", "GT") == 1
    assert raw(r, "EXPIRE", "k", "100", "GT", "XX") == 0
    assert raw(r, "TTL", "k") == 200


def test_condition_not_met_keeps_key_even_with_past_deadline(r):
    r.set("k", "v")
    raw(r, "EXPIRE", "k", "100")
    assert raw(r, "EXPIRE", "k", "-1", "GT") == 0
    assert raw(r, "EXPIRE", "k", "-1", "NX") == 0
    assert r.get("k") == b"v"
    assert raw(r, "EXPIRE", "k", "-1", "LT") == 1
    assert r.exists("k") == 0


def test_options_on_missing_key(r):
    assert raw(r, "EXPIRE", "nokey", "10", "LT") == 0
    assert raw(r, "EXPIRE", "nokey", "10", "NX") == 0


# --- TTL PTTL EXPIRETIME PEXPIRETIME -------------------------------------------------------------
@pytest.mark.parametrize("cmd", ["TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"])
def test_ttl_family_missing_and_persistent(r, cmd):
    assert raw(r, cmd, "nokey") == -2
    r.set("k", "v")
    assert raw(r, cmd, "k") == -1


@pytest.mark.parametrize("cmd", ["TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME", "PERSIST"])
def test_ttl_family_arity(r, cmd):
    assert error_of(r, cmd) == f"wrong number of arguments for '{cmd.lower()}' command"
    assert error_of(r, cmd, "a", "b") == f"wrong number of arguments for '{cmd.lower()}' command"


def test_ttl_rounds_to_nearest_second(r):
    r.set("k", "v")
    raw(r, "PEXPIRE", "k", "100900")
    assert raw(r, "TTL", "k") == 101
    raw(r, "PEXPIRE", "k", "1400")
    assert raw(r, "TTL", "k") == 1


def test_ttl_of_set_with_ex(r):
    raw(r, "SET", "k", "v", "EX", "30")
    assert raw(r, "TTL", "k") == 30


# --- PERSIST -------------------------------------------------------------------------------------
def test_persist(r):
    assert raw(r, "PERSIST", "nokey") == 0
    r.set("k", "v")
    assert raw(r, "PERSIST", "k") == 0
    raw(r, "EXPIRE", "k", "100")
    assert raw(r, "PERSIST", "k") == 1
    assert raw(r, "TTL", "k") == -1
    assert raw(r, "PERSIST", "k") == 0
    assert r.get("k") == b"v"


def test_persist_of_expired_key(r):
    r.set("k", "v")
    raw(r, "PEXPIRE", "k", "10")
    time.sleep(0.03)
    assert raw(r, "PERSIST", "k") == 0
    assert r.exists("k") == 0


# --- transactions and watches --------------------------------------------------------------------
@pytest.mark.parametrize("args", [("EXPIRE", "k", "100"), ("EXPIRE", "k", "-1"), ("PERSIST", "k")])
def test_expire_and_persist_touch_watch(r, make, args):
    r.set("k", "v", ex=100)
    assert watch_then(r, make(r), "k", *args) is None


def test_expire_of_missing_key_does_not_touch_watch(r, make):
    assert watch_then(r, make(r), "k", "EXPIRE", "k", "100") == [None]


def test_redis_py_helpers(r):
    r.set("k", "v")
    assert r.expire("k", 100, gt=False, lt=True) is True
    assert r.ttl("k") == 100
    assert r.pexpire("k", 50_000, xx=True) is True
    assert r.persist("k") is True
    assert r.expire("k", 10, xx=True) is False
