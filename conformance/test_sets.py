"""SADD SREM SCARD SISMEMBER SMISMEMBER SMEMBERS SMOVE SPOP SRANDMEMBER SINTER SUNION SDIFF
(and their STORE variants) SINTERCARD SSCAN."""

from collections import Counter

import pytest

from conformance.helpers import error_of, keyevents, raw, watch_aborts

WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"
NOT_INTEGER = "value is not an integer or out of range"
MUST_BE_POSITIVE = "value is out of range, must be positive"


def members(r, key):
    """The members of a set, sorted."""
    return sorted(raw(r, "SMEMBERS", key))


# --- SADD SREM SCARD SISMEMBER SMISMEMBER SMEMBERS ------------------------------------------------
def test_sadd_counts_only_new_members(r):
    assert raw(r, "SADD", "s", "a", "b", "a") == 2
    assert raw(r, "SADD", "s", "b", "c") == 1
    assert raw(r, "SADD", "s", "c") == 0
    assert members(r, "s") == [b"a", b"b", b"c"]
    assert raw(r, "TYPE", "s") == b"set"


def test_sadd_keeps_binary_and_empty_members(r):
    assert raw(r, "SADD", "s", b"", b"\x00\xff", "1") == 3
    assert members(r, "s") == [b"", b"\x00\xff", b"1"]


def test_set_commands_refuse_other_types(r):
    r.set("str", "x")
    for args in (("SADD", "str", "a"), ("SREM", "str", "a"), ("SCARD", "str"),
                 ("SISMEMBER", "str", "a"), ("SMISMEMBER", "str", "a"), ("SMEMBERS", "str"),
                 ("SPOP", "str"), ("SPOP", "str", "0"), ("SRANDMEMBER", "str"),
                 ("SRANDMEMBER", "str", "2"), ("SSCAN", "str", "0")):
        assert error_of(r, *args) == WRONGTYPE, args
    assert r.get("str") == b"x"


def test_set_commands_arity(r):
    for name, args in (("sadd", ("s",)), ("srem", ("s",)), ("scard", ()), ("sismember", ("s",)),
                       ("smismember", ("s",)), ("smembers", ()), ("smove", ("a", "b")),
                       ("spop", ()), ("srandmember", ()), ("sinter", ()), ("sinterstore", ("d",)),
                       ("sunion", ()), ("sunionstore", ("d",)), ("sdiff", ()),
                       ("sdiffstore", ("d",)), ("sintercard", ("1",)), ("sscan", ("s",))):
        assert error_of(r, name.upper(), *args) == f"wrong number of arguments for '{name}' command"


def test_srem_counts_removed_and_deletes_emptied_set(r):
    r.sadd("s", "a", "b", "c")
    assert raw(r, "SREM", "s", "a", "x", "a") == 1
    assert members(r, "s") == [b"b", b"c"]
    assert raw(r, "SREM", "s", "b", "c") == 2
    assert raw(r, "EXISTS", "s") == 0
    assert raw(r, "SREM", "s", "b") == 0


def test_scard_sismember_smismember(r):
    r.sadd("s", "a", "b")
    assert raw(r, "SCARD", "s") == 2
    assert raw(r, "SCARD", "missing") == 0
    assert raw(r, "SISMEMBER", "s", "a") == 1
    assert raw(r, "SISMEMBER", "s", "z") == 0
    assert raw(r, "SISMEMBER", "missing", "a") == 0
    assert raw(r, "SMISMEMBER", "s", "a", "z", "b", "a") == [1, 0, 1, 1]
    assert raw(r, "SMISMEMBER", "missing", "a", "b") == [0, 0]


def test_smembers_of_missing_key_is_empty(r):
    assert raw(r, "SMEMBERS", "missing") == []
    assert r.smembers("missing") == set()


def test_small_integer_sets_reply_in_ascending_order(r):
    r.sadd("s", 5, 3, 10, -1, 9223372036854775807, -9223372036854775808)
    r.sadd("t", 7, 3, 100)
    ascending = [b"-9223372036854775808", b"-1", b"3", b"5", b"10", b"9223372036854775807"]
    assert raw(r, "SMEMBERS", "s") == ascending
    assert raw(r, "SUNION", "s", "t") == sorted(ascending + [b"7", b"100"], key=int)
    assert raw(r, "SDIFF", "s", "t") == [m for m in ascending if m != b"3"]
    assert raw(r, "SINTER", "t", "s") == [b"3"]


def test_smembers_through_redis_py_is_a_python_set(r):
    r.sadd("s", "a", "b")
    assert r.smembers("s") == {b"a", b"b"}


def test_sadd_of_existing_member_does_not_touch_watch(r):
    r.sadd("s", "a")
    assert not watch_aborts(r, "s", lambda: r.sadd("s", "a"))
    assert not watch_aborts(r, "s", lambda: r.srem("s", "zz"))


def test_sadd_and_srem_touch_watch(r, make):
    other = make(r)
    assert watch_aborts(r, "s", lambda: other.sadd("s", "a"))
    assert watch_aborts(r, "s", lambda: other.srem("s", "a"))


# --- SMOVE ----------------------------------------------------------------------------------------
def test_smove_moves_a_member(r):
    r.sadd("src", "a", "b")
    r.sadd("dst", "c")
    assert raw(r, "SMOVE", "src", "dst", "a") == 1
    assert members(r, "src") == [b"b"]
    assert members(r, "dst") == [b"a", b"c"]


def test_smove_creates_destination_and_deletes_emptied_source(r):
    r.sadd("src", "a")
    assert raw(r, "SMOVE", "src", "dst", "a") == 1
    assert raw(r, "EXISTS", "src") == 0
    assert members(r, "dst") == [b"a"]


def test_smove_member_already_in_destination(r):
    r.sadd("src", "a", "b")
    r.sadd("dst", "a")
    assert raw(r, "SMOVE", "src", "dst", "a") == 1
    assert members(r, "src") == [b"b"]
    assert members(r, "dst") == [b"a"]


def test_smove_absent_member_or_source(r):
    r.sadd("src", "a")
    assert raw(r, "SMOVE", "src", "dst", "z") == 0
    assert raw(r, "EXISTS", "dst") == 0
    r.set("str", "x")
    assert raw(r, "SMOVE", "missing", "str", "a") == 0


def test_smove_to_itself(r):
    r.sadd("s", "a")
    assert raw(r, "SMOVE", "s", "s", "a") == 1
    assert raw(r, "SMOVE", "s", "s", "z") == 0
    assert members(r, "s") == [b"a"]


def test_smove_wrong_types_change_nothing(r):
    r.sadd("s", "a")
    r.set("str", "x")
    assert error_of(r, "SMOVE", "s", "str", "a") == WRONGTYPE
    assert error_of(r, "SMOVE", "str", "s", "a") == WRONGTYPE
    assert error_of(r, "SMOVE", "s", "str", "z") == WRONGTYPE
    assert members(r, "s") == [b"a"]
    assert r.get("str") == b"x"


# --- SPOP -----------------------------------------------------------------------------------------
def test_spop_without_count(r):
    r.sadd("s", "a", "b", "c")
    popped = raw(r, "SPOP", "s")
    assert popped in (b"a", b"b", b"c")
    assert popped not in members(r, "s")
    assert raw(r, "SCARD", "s") == 2
    assert raw(r, "SPOP", "missing") is None


def test_spop_last_member_deletes_the_key(r):
    r.sadd("s", "a")
    assert raw(r, "SPOP", "s") == b"a"
    assert raw(r, "EXISTS", "s") == 0


def test_spop_with_count(r):
    r.sadd("s", *"abcdef")
    popped = raw(r, "SPOP", "s", "4")
    assert len(popped) == 4 and len(set(popped)) == 4
    rest = members(r, "s")
    assert sorted(popped + rest) == [bytes([c]) for c in b"abcdef"]


def test_spop_count_larger_than_set_takes_all_and_deletes(r):
    r.sadd("s", "a", "b")
    assert sorted(raw(r, "SPOP", "s", "5")) == [b"a", b"b"]
    assert raw(r, "EXISTS", "s") == 0


def test_spop_count_zero_and_missing_key(r):
    r.sadd("s", "a")
    assert raw(r, "SPOP", "s", "0") == []
    assert raw(r, "SPOP", "missing", "3") == []
    assert raw(r, "SPOP", "missing", "0") == []
    assert members(r, "s") == [b"a"]


def test_spop_through_redis_py(r):
    r.sadd("s", "a", "b")
    assert sorted(r.spop("s", 2)) == [b"a", b"b"]


def test_spop_count_errors(r):
    r.sadd("s", "a")
    r.set("str", "x")
    assert error_of(r, "SPOP", "s", "-1") == MUST_BE_POSITIVE
    assert error_of(r, "SPOP", "s", "x") == MUST_BE_POSITIVE
    assert error_of(r, "SPOP", "s", "1.5") == MUST_BE_POSITIVE
    assert error_of(r, "SPOP", "str", "-1") == MUST_BE_POSITIVE
    assert error_of(r, "SPOP", "s", "1", "2") == "syntax error"
    assert error_of(r, "SPOP", "s", "x", "2") == "syntax error"
    assert members(r, "s") == [b"a"]


def test_spop_touches_watch(r, make):
    r.sadd("s", "a", "b")
    other = make(r)
    assert watch_aborts(r, "s", lambda: other.spop("s"))
    assert not watch_aborts(r, "s", lambda: other.spop("s", 0))


# --- SRANDMEMBER ----------------------------------------------------------------------------------
def test_srandmember_without_count(r):
    r.sadd("s", "a", "b")
    assert raw(r, "SRANDMEMBER", "s") in (b"a", b"b")
    assert raw(r, "SRANDMEMBER", "missing") is None
    assert members(r, "s") == [b"a", b"b"]


def test_srandmember_positive_count_is_distinct(r):
    r.sadd("s", *"abcdef")
    got = raw(r, "SRANDMEMBER", "s", "4")
    assert len(got) == 4 and len(set(got)) == 4
    assert set(got) <= set(members(r, "s"))
    assert raw(r, "SCARD", "s") == 6


def test_srandmember_count_larger_than_set_returns_all(r):
    r.sadd("s", "a", "b", "c")
    assert sorted(raw(r, "SRANDMEMBER", "s", "10")) == [b"a", b"b", b"c"]


def test_srandmember_negative_count_may_repeat(r):
    r.sadd("one", "a")
    assert raw(r, "SRANDMEMBER", "one", "-5") == [b"a"] * 5
    r.sadd("s", "a", "b", "c")
    got = raw(r, "SRANDMEMBER", "s", "-20")
    assert len(got) == 20
    assert set(got) <= {b"a", b"b", b"c"}
    assert max(Counter(got).values()) > 1


def test_srandmember_zero_count_and_missing_key(r):
    r.sadd("s", "a")
    assert raw(r, "SRANDMEMBER", "s", "0") == []
    assert raw(r, "SRANDMEMBER", "missing", "5") == []
    assert raw(r, "SRANDMEMBER", "missing", "-5") == []


def test_srandmember_count_errors(r):
    r.sadd("s", "a")
    r.set("str", "x")
    assert error_of(r, "SRANDMEMBER", "s", "x") == NOT_INTEGER
    assert error_of(r, "SRANDMEMBER", "str", "x") == NOT_INTEGER
    assert error_of(r, "SRANDMEMBER", "s", "1", "2") == "syntax error"
    assert error_of(r, "SRANDMEMBER", "s", "-9223372036854775808") == (
        "value is out of range, value must between -9223372036854775807 and 9223372036854775807")


# --- SINTER SUNION SDIFF --------------------------------------------------------------------------
@pytest.fixture
def abc(r):
    r.sadd("s1", "a", "b", "c")
    r.sadd("s2", "b", "c", "d")
    r.sadd("s3", "c", "e")
    return r


def test_sinter(abc):
    r = abc
    assert sorted(raw(r, "SINTER", "s1", "s2")) == [b"b", b"c"]
    assert sorted(raw(r, "SINTER", "s1", "s2", "s3")) == [b"c"]
    assert sorted(raw(r, "SINTER", "s1")) == [b"a", b"b", b"c"]
    assert raw(r, "SINTER", "s1", "missing") == []
    assert raw(r, "SINTER", "missing") == []
    assert r.sinter("s1", "s2") == {b"b", b"c"}


def test_sunion(abc):
    r = abc
    assert sorted(raw(r, "SUNION", "s1", "s2", "missing", "s3")) == [b"a", b"b", b"c", b"d", b"e"]
    assert raw(r, "SUNION", "missing") == []
    assert r.sunion("s1", "s3") == {b"a", b"b", b"c", b"e"}


def test_sdiff(abc):
    r = abc
    assert sorted(raw(r, "SDIFF", "s1", "s2")) == [b"a"]
    assert sorted(raw(r, "SDIFF", "s2", "s1", "s3")) == [b"d"]
    assert sorted(raw(r, "SDIFF", "s1", "missing")) == [b"a", b"b", b"c"]
    assert raw(r, "SDIFF", "missing", "s1") == []
    assert raw(r, "SDIFF", "s1", "s1") == []
    assert r.sdiff("s1", "s3") == {b"a", b"b"}


def test_set_operations_check_every_key_type(abc):
    r = abc
    r.set("str", "x")
    for name in ("SINTER", "SUNION", "SDIFF"):
        assert error_of(r, name, "s1", "missing", "str") == WRONGTYPE
        assert error_of(r, name, "missing", "str") == WRONGTYPE
        assert error_of(r, name, "str", "missing") == WRONGTYPE


def test_store_variants(abc):
    r = abc
    assert raw(r, "SINTERSTORE", "d1", "s1", "s2") == 2
    assert members(r, "d1") == [b"b", b"c"]
    assert raw(r, "SUNIONSTORE", "d2", "s1", "s3") == 4
    assert members(r, "d2") == [b"a", b"b", b"c", b"e"]
    assert raw(r, "SDIFFSTORE", "d3", "s1", "s3") == 2
    assert members(r, "d3") == [b"a", b"b"]


def test_store_result_is_a_copy(abc):
    r = abc
    assert raw(r, "SUNIONSTORE", "copy", "s1") == 3
    r.sadd("copy", "zz")
    assert members(r, "s1") == [b"a", b"b", b"c"]


def test_store_into_one_of_the_sources(abc):
    r = abc
    assert raw(r, "SINTERSTORE", "s1", "s1", "s2") == 2
    assert members(r, "s1") == [b"b", b"c"]
    assert raw(r, "SDIFFSTORE", "s2", "s2", "s1") == 1
    assert members(r, "s2") == [b"d"]


def test_store_overwrites_other_types_and_clears_ttl(abc):
    r = abc
    r.set("dest", "x", ex=100)
    assert raw(r, "SUNIONSTORE", "dest", "s3") == 2
    assert raw(r, "TYPE", "dest") == b"set"
    assert raw(r, "TTL", "dest") == -1


def test_store_of_empty_result_deletes_destination(abc):
    r = abc
    for name in ("SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"):
        r.set("dest", "x")
        assert raw(r, name, "dest", "missing") == 0
        assert raw(r, "EXISTS", "dest") == 0
    assert raw(r, "SINTERSTORE", "dest", "s1", "missing") == 0
    assert raw(r, "SDIFFSTORE", "dest", "s1", "s1") == 0
    assert raw(r, "EXISTS", "dest") == 0


def test_store_with_wrong_type_source_changes_nothing(abc):
    r = abc
    r.set("str", "x")
    r.sadd("dest", "keep")
    for name in ("SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"):
        assert error_of(r, name, "dest", "s1", "str") == WRONGTYPE
    assert members(r, "dest") == [b"keep"]


def test_store_touches_watch_on_destination(abc, make):
    r = abc
    other = make(r)
    assert watch_aborts(r, "d", lambda: other.sunionstore("d", "s1"))
    assert watch_aborts(r, "d", lambda: other.sinterstore("d", "missing"))
    assert not watch_aborts(r, "d", lambda: other.sinterstore("d", "missing"))


# --- SINTERCARD -----------------------------------------------------------------------------------
def test_sintercard(abc):
    r = abc
    assert raw(r, "SINTERCARD", "2", "s1", "s2") == 2
    assert raw(r, "SINTERCARD", "3", "s1", "s2", "s3") == 1
    assert raw(r, "SINTERCARD", "1", "s1") == 3
    assert raw(r, "SINTERCARD", "2", "s1", "missing") == 0
    assert raw(r, "SINTERCARD", "1", "missing") == 0


def test_sintercard_limit(abc):
    r = abc
    assert raw(r, "SINTERCARD", "2", "s1", "s2", "LIMIT", "1") == 1
    assert raw(r, "SINTERCARD", "2", "s1", "s2", "limit", "0") == 2
    assert raw(r, "SINTERCARD", "2", "s1", "s2", "LIMIT", "5") == 2
    assert raw(r, "SINTERCARD", "1", "s1", "LIMIT", "5", "LIMIT", "1") == 1


def test_sintercard_errors(abc):
    r = abc
    r.set("str", "x")
    for numkeys in ("0", "-1", "x", "1.0"):
        assert error_of(r, "SINTERCARD", numkeys, "s1") == "numkeys should be greater than 0"
    assert error_of(r, "SINTERCARD", "3", "s1", "s2") == (
        "Number of keys can't be greater than number of args")
    assert error_of(r, "SINTERCARD", "1", "s1", "LIMIT", "-1") == "LIMIT can't be negative"
    assert error_of(r, "SINTERCARD", "1", "s1", "LIMIT", "x") == "LIMIT can't be negative"
    assert error_of(r, "SINTERCARD", "1", "s1", "LIMIT") == "syntax error"
    assert error_of(r, "SINTERCARD", "1", "s1", "s2") == "syntax error"
    assert error_of(r, "SINTERCARD", "1", "str", "LIMIT", "-1") == "LIMIT can't be negative"
    assert error_of(r, "SINTERCARD", "2", "s1", "str") == WRONGTYPE
    assert error_of(r, "SINTERCARD", "2", "missing", "str") == WRONGTYPE


# --- SSCAN ----------------------------------------------------------------------------------------
def scan_all(r, key, *options):
    """Every SSCAN page until the cursor comes back to 0."""
    cursor, pages = b"0", []
    while True:
        cursor, page = raw(r, "SSCAN", key, cursor, *options)
        pages.append(page)
        if cursor == b"0":
            return pages


def test_sscan_small_intset_comes_whole(r):
    r.sadd("s", *range(20))
    cursor, page = raw(r, "SSCAN", "s", "0", "COUNT", "1")
    assert cursor == b"0"
    assert sorted(page, key=int) == [b"%d" % i for i in range(20)]


def test_sscan_intset_ignores_the_cursor(r):
    r.sadd("s", 1, 2, 3)
    for cursor in ("7", "-1", "", "+1", "18446744073709551615", "-18446744073709551615"):
        assert raw(r, "SSCAN", "s", cursor) == [b"0", [b"1", b"2", b"3"]]


def test_sscan_intset_limit_follows_config(r):
    r.sadd("s", *range(512))
    cursor, page = raw(r, "SSCAN", "s", "0")
    assert cursor == b"0" and len(page) == 512
    r.sadd("big", *range(513))
    cursor, page = raw(r, "SSCAN", "big", "0")
    assert cursor != b"0" and len(page) < 513


def test_sscan_small_set_of_strings(r):
    r.sadd("s", "a", "b", "c")
    cursor, page = raw(r, "SSCAN", "s", "0")
    assert cursor == b"0"
    assert sorted(page) == [b"a", b"b", b"c"]


def test_sscan_large_set_iterates_everything(r):
    everything = {b"m%d" % i for i in range(1000)}
    r.sadd("s", *everything)
    pages = scan_all(r, "s", "COUNT", "50")
    assert len(pages) > 1
    assert {m for page in pages for m in page} == everything


def test_sscan_match(r):
    r.sadd("s", *(f"m{i}" for i in range(1000)))
    found = {m for page in scan_all(r, "s", "MATCH", "m1?", "COUNT", "100") for m in page}
    assert found == {b"m%d" % i for i in range(10, 20)}
    r.sadd("i", *range(30))
    assert sorted(raw(r, "SSCAN", "i", "0", "MATCH", "2?")[1]) == [b"%d" % i for i in range(20, 30)]
    assert raw(r, "SSCAN", "i", "0", "MATCH", "1", "MATCH", "2") == [b"0", [b"2"]]


def test_sscan_guarantee_under_changes(r):
    stable = {b"s%d" % i for i in range(600)}
    doomed = [b"d%d" % i for i in range(300)]
    r.sadd("s", *stable, *doomed)
    cursor, seen, step = b"0", set(), 0
    while True:
        cursor, page = raw(r, "SSCAN", "s", cursor, "COUNT", "20")
        seen.update(page)
        if cursor == b"0":
            break
        r.sadd("s", *(b"n%d-%d" % (step, i) for i in range(5)))
        r.srem("s", *doomed[step * 3:step * 3 + 3])
        step += 1
    assert stable <= seen
    assert seen <= stable | set(doomed) | {m for m in seen if m.startswith(b"n")}


def test_sscan_missing_key(r):
    assert raw(r, "SSCAN", "missing", "0") == [b"0", []]
    assert raw(r, "SSCAN", "missing", "0", "COUNT", "0") == [b"0", []]


def test_sscan_errors(r):
    r.sadd("s", "a")
    r.set("str", "x")
    for cursor in ("x", "-", " 1", "1 ", "18446744073709551616", "-18446744073709551616", "1.0"):
        assert error_of(r, "SSCAN", "s", cursor) == "invalid cursor", cursor
    assert error_of(r, "SSCAN", "str", "x") == "invalid cursor"
    assert error_of(r, "SSCAN", "str", "0", "COUNT", "0") == WRONGTYPE
    assert error_of(r, "SSCAN", "s", "0", "COUNT", "0") == "syntax error"
    assert error_of(r, "SSCAN", "s", "0", "COUNT", "-1") == "syntax error"
    assert error_of(r, "SSCAN", "s", "0", "COUNT", "x") == NOT_INTEGER
    assert error_of(r, "SSCAN", "s", "0", "MATCH") == "syntax error"
    assert error_of(r, "SSCAN", "s", "0", "TYPE", "string") == "syntax error"
    assert error_of(r, "SSCAN", "s", "0", "FOO", "bar") == "syntax error"


def test_sscan_through_redis_py(r):
    r.sadd("s", "a", "b")
    cursor, page = r.sscan("s")
    assert cursor == 0 and sorted(page) == [b"a", b"b"]
    assert sorted(r.sscan_iter("s", match="a*")) == [b"a"]



def test_sscan_intset_limit_is_a_config(r):
    old = r.config_get("set-max-intset-entries")["set-max-intset-entries"]
    r.config_set("set-max-intset-entries", 4)
    try:
        r.sadd("small", 1, 2, 3, 4)
        r.sadd("large", 1, 2, 3, 4, 5)
        assert raw(r, "SSCAN", "small", "0", "COUNT", "1") == [b"0", [b"1", b"2", b"3", b"4"]]
        assert raw(r, "SSCAN", "large", "0", "COUNT", "1")[0] != b"0"
    finally:
        r.config_set("set-max-intset-entries", old)


# --- intset to hashtable, one way ---------------------------------------------------------------
def encoding(r, key):
    return raw(r, "OBJECT", "ENCODING", key)


def test_sscan_of_a_shrunk_set_still_iterates(r):
    r.sadd("s", *range(600))
    r.srem("s", *range(20, 600))
    cursor, page = raw(r, "SSCAN", "s", "0", "COUNT", "1")
    assert cursor != b"0" and len(page) < 20
    assert {m for page in scan_all(r, "s", "COUNT", "5") for m in page} == \
        {b"%d" % i for i in range(20)}


def test_sadd_and_smove_upgrade_only_with_a_new_member(r):
    r.sadd("s", *range(10))
    raw(r, "CONFIG", "SET", "set-max-intset-entries", "5")
    try:
        r.srem("s", 0)
        assert raw(r, "SADD", "s", 3) == 0
        r.sadd("src", 3, 100)
        assert raw(r, "SMOVE", "src", "s", 3) == 1
        assert encoding(r, "s") == b"intset"
        assert raw(r, "SMOVE", "src", "s", 100) == 1
        assert encoding(r, "s") == b"hashtable"
        r.sadd("t", *range(10))
        assert encoding(r, "t") == b"hashtable"
        raw(r, "CONFIG", "SET", "set-max-intset-entries", "512")
        r.srem("t", *range(1, 10))
        r.sadd("t", 1)
        assert encoding(r, "t") == b"hashtable"
        assert raw(r, "SMOVE", "t", "new", 1) == 1
        assert encoding(r, "new") == b"intset"
    finally:
        raw(r, "CONFIG", "SET", "set-max-intset-entries", "512")


@pytest.mark.parametrize("command", ["SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"])
def test_store_results_take_the_encoding_of_their_members(r, command):
    r.sadd("s", *range(600), "a")
    r.srem("s", *range(3, 600), "a")
    r.sadd("dest", "x")
    assert raw(r, command, "dest", "s") == 3
    assert encoding(r, "dest") == b"intset"
    r.sadd("t", "b")
    assert raw(r, command, "dest2", "t") == 1
    assert encoding(r, "dest2") == b"hashtable"


@pytest.mark.parametrize("count,kept", [(590, b"intset"), (500, b"intset"), (499, b"hashtable"),
                                        (100, b"hashtable")])
def test_spop_with_a_large_count_rebuilds_the_set(r, count, kept):
    r.sadd("s", *range(600))
    raw(r, "PEXPIRE", "s", "100000")
    assert len(raw(r, "SPOP", "s", count)) == count
    assert encoding(r, "s") == kept
    assert r.scard("s") == 600 - count and 0 < r.pttl("s") <= 100000


# --- keyspace notifications -----------------------------------------------------------------------
def test_set_notifications(r, make):
    assert keyevents(
        r, make,
        ("SADD", "s", "a", "b"), ("SADD", "s", "a"), ("SREM", "s", "zz"),
        ("SMOVE", "s", "t", "a"), ("SMOVE", "s", "t", "b"), ("SPOP", "t"),
        ("SADD", "s", "a", "b", "c"), ("SPOP", "s", "0"), ("SPOP", "s", "1"), ("SPOP", "s", "5"),
        ("SADD", "s", "a"), ("SINTERSTORE", "d", "s"), ("SUNIONSTORE", "d", "s"),
        ("SDIFFSTORE", "d", "s"), ("SDIFFSTORE", "d", "s", "s"), ("SDIFFSTORE", "d", "s", "s"),
        ("SREM", "s", "a"),
    ) == [(b"sadd", b"s"), (b"srem", b"s"), (b"sadd", b"t"), (b"srem", b"s"), (b"del", b"s"),
          (b"sadd", b"t"), (b"spop", b"t"), (b"sadd", b"s"), (b"spop", b"s"), (b"spop", b"s"),
          (b"del", b"s"), (b"sadd", b"s"), (b"sinterstore", b"d"), (b"sunionstore", b"d"),
          (b"sdiffstore", b"d"), (b"del", b"d"), (b"srem", b"s"), (b"del", b"s")]
