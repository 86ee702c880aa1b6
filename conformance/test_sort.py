"""SORT and SORT_RO on lists, sets and sorted sets: BY, LIMIT, GET, ASC/DESC, ALPHA, STORE."""

import pytest

from conformance.helpers import block, error_of, keyevents, raw, watch_aborts

WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"
NOT_DOUBLE = "One or more scores can't be converted into double"
NOT_INTEGER = "value is not an integer or out of range"


def b(*items):
    return [item.encode() if isinstance(item, str) else item for item in items]


# --- numeric sorting ------------------------------------------------------------------------------
def test_sort_list_numerically(r):
    r.rpush("l", 3, 10, 1, 2)
    assert raw(r, "SORT", "l") == b("1", "2", "3", "10")
    assert raw(r, "SORT", "l", "DESC") == b("10", "3", "2", "1")
    assert raw(r, "SORT", "l", "desc", "asc") == b("1", "2", "3", "10")
    assert raw(r, "SORT", "l", "ASC", "DESC") == b("10", "3", "2", "1")
    assert raw(r, "LRANGE", "l", "0", "-1") == b("3", "10", "1", "2")


def test_sort_reads_numbers_like_strtod(r):
    r.rpush("l", "3", "inf", "-inf", "0x10", "2", "+5", ".5", "-0", "0", "1e2", "-Infinity")
    assert raw(r, "SORT", "l") == b("-Infinity", "-inf", "-0", "0", ".5", "2", "3", "+5", "0x10",
                                    "1e2", "inf")
    assert raw(r, "SORT", "l", "DESC") == b("inf", "1e2", "0x10", "+5", "3", "2", ".5", "0", "-0",
                                            "-inf", "-Infinity")


def test_sort_accepts_leading_spaces_and_empty_strings(r):
    r.rpush("l", " 5", "\t2", "", "3", "0x1p-1070", "0x.8")
    assert raw(r, "SORT", "l") == b("", "0x1p-1070", "0x.8", "\t2", "3", " 5")


def test_sort_ties_break_on_element_bytes(r):
    r.rpush("l", "1.0", "1", "01", "0x1", "+1")
    assert raw(r, "SORT", "l") == b("+1", "01", "0x1", "1", "1.0")
    assert raw(r, "SORT", "l", "DESC") == b("1.0", "1", "0x1", "01", "+1")


@pytest.mark.parametrize("bad", ["x", "1 ", "  ", "1e", "nan", "1e400", "-1e400", "1e-400",
                                 "1e-310", "0x1p-1075", "0x", "1,5"])
def test_sort_refuses_what_strtod_refuses(r, bad):
    r.rpush("l", "1", bad, "2")
    r.rpush("dest", "keep")
    assert error_of(r, "SORT", "l", "STORE", "dest") == NOT_DOUBLE
    assert raw(r, "LRANGE", "dest", "0", "-1") == [b"keep"]


def test_sort_non_numeric_needs_alpha(r):
    r.rpush("l", "b", "a")
    assert error_of(r, "SORT", "l") == NOT_DOUBLE
    assert error_of(r, "SORT_RO", "l", "LIMIT", "0", "1") == NOT_DOUBLE


# --- ALPHA ----------------------------------------------------------------------------------------
def test_sort_alpha(r):
    r.rpush("l", "b", "a", "10", "9", "A", "a", "nan")
    assert raw(r, "SORT", "l", "ALPHA") == b("10", "9", "A", "a", "a", "b", "nan")
    assert raw(r, "SORT", "l", "alpha", "DESC") == b("nan", "b", "a", "a", "A", "9", "10")


def test_sort_alpha_is_binary(r):
    r.rpush("l", b"\xff", b"\x01", b"ab", b"a")
    assert raw(r, "SORT", "l", "ALPHA") == [b"\x01", b"a", b"ab", b"\xff"]


# --- LIMIT ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("start, count, expected", [
    ("0", "2", ["1", "2"]),
    ("1", "2", ["2", "3"]),
    ("3", "10", ["4", "5"]),
    ("-5", "2", ["1", "2"]),
    ("2", "-1", ["3", "4", "5"]),
    ("0", "0", []),
    ("5", "1", []),
    ("100", "2", []),
    ("1", "9223372036854775807", ["2", "3", "4", "5"]),
    ("9223372036854775807", "9223372036854775807", []),
    ("-9223372036854775808", "-1", ["1", "2", "3", "4", "5"]),
])
def test_sort_limit(r, start, count, expected):
    r.rpush("l", 4, 2, 5, 1, 3)
    assert raw(r, "SORT", "l", "LIMIT", start, count) == b(*expected)


def test_sort_limit_with_desc_and_last_limit_wins(r):
    r.rpush("l", 4, 2, 5, 1, 3)
    assert raw(r, "SORT", "l", "DESC", "LIMIT", "1", "2") == b("4", "3")
    assert raw(r, "SORT", "l", "LIMIT", "0", "1", "LIMIT", "1", "1") == b("2")


def test_sort_option_errors(r):
    r.rpush("l", 1)
    assert error_of(r, "SORT", "l", "LIMIT", "x", "1") == NOT_INTEGER
    assert error_of(r, "SORT", "l", "LIMIT", "0", "1.5") == NOT_INTEGER
    for args in (("LIMIT", "1"), ("LIMIT",), ("STORE",), ("BY",), ("GET",), ("FOO",),
                 ("ALPHA", "x")):
        assert error_of(r, "SORT", "l", *args) == "syntax error", args
    assert error_of(r, "SORT_RO", "l", "STORE", "dest") == "syntax error"
    assert raw(r, "EXISTS", "dest") == 0


def test_sort_wrong_types(r):
    r.set("str", "x")
    r.hset("hash", "a", "1")
    for key in ("str", "hash"):
        assert error_of(r, "SORT", key) == WRONGTYPE
        assert error_of(r, "SORT_RO", key, "BY", "nosort") == WRONGTYPE
    assert error_of(r, "SORT", "str", "LIMIT", "x", "1") == NOT_INTEGER
    assert error_of(r, "SORT", "str", "FOO") == "syntax error"


def test_sort_arity(r):
    assert error_of(r, "SORT") == "wrong number of arguments for 'sort' command"
    assert error_of(r, "SORT_RO") == "wrong number of arguments for 'sort_ro' command"


def test_sort_missing_key(r):
    assert raw(r, "SORT", "missing") == []
    assert raw(r, "SORT", "missing", "BY", "nosort", "GET", "#") == []
    r.rpush("dest", "x")
    assert raw(r, "SORT", "missing", "STORE", "dest") == 0
    assert raw(r, "EXISTS", "dest") == 0


# --- BY -------------------------------------------------------------------------------------------
@pytest.fixture
def weights(r):
    r.rpush("l", "a", "b", "c", "d")
    r.mset({"w_a": "3", "w_b": "1", "w_c": "2"})
    r.hset("h_a", mapping={"f": "30", "g": "x"})
    r.hset("h_b", "f", "10")
    return r


def test_sort_by_string_keys(weights):
    r = weights
    assert raw(r, "SORT", "l", "BY", "w_*") == b("d", "b", "c", "a")
    assert raw(r, "SORT", "l", "BY", "w_*", "DESC") == b("a", "c", "b", "d")
    assert raw(r, "SORT", "l", "BY", "w_*", "ALPHA") == b("d", "b", "c", "a")


def test_sort_by_hash_fields(weights):
    r = weights
    assert raw(r, "SORT", "l", "BY", "h_*->f") == b("c", "d", "b", "a")
    assert raw(r, "SORT", "l", "BY", "h_*->f", "DESC") == b("a", "b", "d", "c")
    assert raw(r, "SORT", "l", "BY", "h_*->f", "ALPHA") == b("c", "d", "b", "a")
    assert raw(r, "SORT", "l", "BY", "h_*->f", "ALPHA", "DESC") == b("a", "b", "c", "d")
    assert error_of(r, "SORT", "l", "BY", "h_*->g") == NOT_DOUBLE


def test_sort_by_wrong_type_or_missing_counts_as_zero(weights):
    r = weights
    r.rpush("w_d", "1")
    assert raw(r, "SORT", "l", "BY", "h_*") == b("a", "b", "c", "d")
    assert raw(r, "SORT", "l", "BY", "w_*->f", "DESC") == b("d", "c", "b", "a")
    r.set("w_d", "-1")
    assert raw(r, "SORT", "l", "BY", "w_*", "LIMIT", "0", "2") == b("d", "b")


def test_sort_by_substitutes_only_the_first_star(r):
    r.rpush("l", "a", "b")
    r.mset({"x_a_*": "2", "x_b_*": "1", "x_a_a": "1", "x_b_b": "2"})
    assert raw(r, "SORT", "l", "BY", "x_*_*") == b("b", "a")


def test_sort_by_without_star_does_not_sort_lists(weights):
    r = weights
    r.delete("l")
    r.rpush("l", "b", "a", "10", "9", "A", "a")
    assert raw(r, "SORT", "l", "BY", "nosort") == b("b", "a", "10", "9", "A", "a")
    assert raw(r, "SORT", "l", "BY", "nosort", "DESC") == b("a", "A", "9", "10", "a", "b")
    assert raw(r, "SORT", "l", "BY", "nosort", "LIMIT", "1", "2") == b("a", "10")
    assert raw(r, "SORT", "l", "BY", "nosort", "DESC", "LIMIT", "1", "2") == b("A", "9")
    assert raw(r, "SORT", "l", "BY", "nosort", "BY", "w_*") == b("b", "a", "10", "9", "A", "a")


def test_sort_by_nosort_keeps_zset_order(r):
    r.zadd("z", {"a": 3, "b": 1, "c": 2, "d": 2})
    assert raw(r, "SORT", "z", "BY", "nosort") == b("b", "c", "d", "a")
    assert raw(r, "SORT", "z", "BY", "nosort", "DESC") == b("a", "d", "c", "b")
    assert raw(r, "SORT", "z", "BY", "nosort", "LIMIT", "1", "2") == b("c", "d")
    assert raw(r, "SORT", "z", "BY", "nosort", "DESC", "LIMIT", "1", "2") == b("d", "c")
    assert raw(r, "SORT", "z", "BY", "nosort", "LIMIT", "3", "5") == b("a")
    assert raw(r, "SORT", "z", "BY", "nosort", "LIMIT", "4", "5") == []


def test_sort_zset_sorts_members(r):
    r.zadd("z", {"10": 1, "9": 2, "x": 0})
    assert raw(r, "SORT", "z", "ALPHA") == b("10", "9", "x")
    assert error_of(r, "SORT", "z") == NOT_DOUBLE
    r.zrem("z", "x")
    assert raw(r, "SORT", "z") == b("9", "10")
    assert raw(r, "SORT", "z", "DESC", "LIMIT", "0", "1") == b("10")


def test_sort_set(r):
    r.sadd("s", 5, 3, 10, 1)
    assert raw(r, "SORT", "s") == b("1", "3", "5", "10")
    assert raw(r, "SORT", "s", "DESC") == b("10", "5", "3", "1")
    assert raw(r, "SORT", "s", "ALPHA") == b("1", "10", "3", "5")


def test_sort_intset_by_nosort_is_in_intset_order(r):
    r.sadd("s", 5, 3, 10, 1)
    assert raw(r, "SORT", "s", "BY", "nosort") == b("1", "3", "5", "10")
    assert raw(r, "SORT", "s", "BY", "nosort", "DESC") == b("1", "3", "5", "10")
    assert raw(r, "SORT", "s", "BY", "nosort", "LIMIT", "1", "2") == b("3", "5")


def test_sort_set_by_nosort_returns_every_member(r):
    r.sadd("s", "b", "a", "c")
    assert sorted(raw(r, "SORT", "s", "BY", "nosort")) == b("a", "b", "c")
    assert len(raw(r, "SORT", "s", "BY", "nosort", "LIMIT", "0", "2")) == 2


def test_sort_set_by_nosort_with_store_sorts_alpha(r):
    r.sadd("s", 5, 3, 10, 1)
    r.mset({"w_1": "z", "w_3": "y"})
    assert raw(r, "SORT", "s", "BY", "nosort", "STORE", "dest") == 4
    assert raw(r, "LRANGE", "dest", "0", "-1") == b("1", "10", "3", "5")
    assert raw(r, "SORT", "s", "BY", "nosort", "DESC", "STORE", "dest") == 4
    assert raw(r, "LRANGE", "dest", "0", "-1") == b("5", "3", "10", "1")
    assert raw(r, "SORT", "s", "BY", "nosort", "GET", "w_*", "STORE", "dest") == 4
    assert raw(r, "LRANGE", "dest", "0", "-1") == b("z", "", "y", "")


# --- GET ------------------------------------------------------------------------------------------
def test_sort_get(weights):
    r = weights
    assert raw(r, "SORT", "l", "BY", "w_*", "GET", "#", "GET", "w_*", "GET", "h_*->f") == [
        b"d", None, None, b"b", b"1", b"10", b"c", b"2", None, b"a", b"3", b"30"]
    assert raw(r, "SORT", "l", "BY", "w_*", "LIMIT", "1", "1", "GET", "#") == [b"b"]


def test_sort_get_patterns_that_find_nothing(weights):
    r = weights
    assert raw(r, "SORT", "l", "BY", "w_*", "LIMIT", "0", "1", "GET", "w_*_*", "GET", "nostar",
               "GET", "h_*->g->x", "GET", "h_*->", "GET", "h_*") == [None] * 5


def test_sort_get_hash_field_containing_arrow(weights):
    r = weights
    r.hset("h_a", "g->x", "deep")
    r.set("w_a->", "plain")
    assert raw(r, "SORT", "l", "BY", "w_*", "LIMIT", "3", "1", "GET", "h_*->g->x",
               "GET", "w_*->") == [b"deep", b"plain"]


def test_sort_get_without_by_sorts_elements(r):
    r.rpush("l", 2, 1)
    r.mset({"v_1": "one", "v_2": "two"})
    assert raw(r, "SORT", "l", "GET", "v_*") == b("one", "two")
    assert raw(r, "SORT_RO", "l", "GET", "#", "GET", "v_*", "DESC") == b("2", "two", "1", "one")


# --- STORE ----------------------------------------------------------------------------------------
def test_sort_store(weights):
    r = weights
    assert raw(r, "SORT", "l", "BY", "w_*", "GET", "h_*->f", "GET", "#", "STORE", "dest") == 8
    assert raw(r, "LRANGE", "dest", "0", "-1") == b("", "d", "10", "b", "", "c", "30", "a")
    assert raw(r, "TYPE", "dest") == b"list"


def test_sort_store_overwrites_and_clears_ttl(r):
    r.rpush("l", 2, 1)
    r.set("dest", "x", ex=100)
    assert raw(r, "SORT", "l", "STORE", "dest") == 2
    assert raw(r, "LRANGE", "dest", "0", "-1") == b("1", "2")
    assert raw(r, "TTL", "dest") == -1


def test_sort_store_into_the_source(r):
    r.rpush("l", 3, 1, 2)
    assert raw(r, "SORT", "l", "DESC", "STORE", "l") == 3
    assert raw(r, "LRANGE", "l", "0", "-1") == b("3", "2", "1")


def test_sort_store_last_destination_wins(r):
    r.rpush("l", 1)
    assert raw(r, "SORT", "l", "STORE", "d1", "STORE", "d2") == 1
    assert raw(r, "EXISTS", "d1", "d2") == 1
    assert raw(r, "LRANGE", "d2", "0", "-1") == b("1")


def test_sort_store_of_empty_result_deletes_destination(r):
    r.rpush("l", 1, 2)
    r.set("dest", "x")
    assert raw(r, "SORT", "l", "LIMIT", "0", "0", "STORE", "dest") == 0
    assert raw(r, "EXISTS", "dest") == 0


def test_sort_store_touches_watch_and_plain_sort_does_not(r, make):
    r.rpush("l", 2, 1)
    other = make(r)
    assert watch_aborts(r, "dest", lambda: other.sort("l", store="dest"))
    assert not watch_aborts(r, "l", lambda: other.sort("l"))


# --- through redis-py -----------------------------------------------------------------------------
def test_sort_through_redis_py(weights):
    r = weights
    assert r.sort("l", by="w_*", get=["#", "w_*"], groups=True) == [
        (b"d", None), (b"b", b"1"), (b"c", b"2"), (b"a", b"3")]
    assert r.sort("l", start=1, num=2, alpha=True, desc=True) == [b"c", b"b"]
    assert r.sort_ro("l", by="w_*", get="#") == [b"d", b"b", b"c", b"a"]
    assert r.sort("l", by="w_*", store="dest") == 4


def test_sort_set_by_nosort_in_a_script_sorts_alpha(r):
    r.sadd("s", "b", "a", "c", "10")
    script = "return redis.call('sort', KEYS[1], 'by', 'nosort', ARGV[1])"
    assert r.eval(script, 1, "s", "ASC") == b("10", "a", "b", "c")
    assert r.eval(script, 1, "s", "DESC") == b("c", "b", "a", "10")


# --- keyspace notifications -----------------------------------------------------------------------
def test_sort_notifications(r, make):
    r.rpush("l", 2, 1)
    assert keyevents(
        r, make,
        ("SORT", "l", "STORE", "d"), ("SORT", "l"), ("SORT", "l", "LIMIT", "0", "0", "STORE", "d"),
        ("SORT", "l", "LIMIT", "0", "0", "STORE", "d"),
    ) == [(b"sortstore", b"d"), (b"del", b"d")]


def test_sort_store_wakes_a_client_blocked_on_the_destination(r, make):
    r.rpush("l", 3, 1, 2)
    waiter = block(r, make, "BLPOP", "dest", "10")
    assert raw(r, "SORT", "l", "STORE", "dest") == 3
    assert waiter.result() == [b"dest", b"1"]
    assert raw(r, "LRANGE", "dest", "0", "-1") == [b"2", b"3"]


@pytest.mark.parametrize("command, reply", [
    (("SORT", "z"), NOT_DOUBLE), (("SORT_RO", "z"), NOT_DOUBLE),
    (("SORT", "z", "BY", "nosort"), [b"a"]),
])
def test_sorting_a_small_sorted_set_converts_it_to_a_skiplist(r, command, reply):
    raw(r, "ZADD", "z", "1", "a")
    assert (error_of(r, *command) if reply == NOT_DOUBLE else raw(r, *command)) == reply
    assert raw(r, "OBJECT", "ENCODING", "z") == b"skiplist"
