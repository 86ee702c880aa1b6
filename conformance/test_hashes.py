"""HSET HMSET HSETNX HDEL HGET HMGET HEXISTS HLEN HSTRLEN HKEYS HVALS HGETALL HINCRBY
HINCRBYFLOAT HRANDFIELD HSCAN."""

from collections import Counter

import pytest

from conformance.helpers import error_of, is_resp3, keyevents, raw, watch_aborts

WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"
NOT_INTEGER = "value is not an integer or out of range"
NOT_FLOAT = "value is not a valid float"


def flat(reply):
    """HGETALL's reply as a flat list, whatever the protocol."""
    if isinstance(reply, dict):
        return [item for pair in reply.items() for item in pair]
    return reply


# --- HSET HMSET HSETNX HDEL -----------------------------------------------------------------------
def test_hset_counts_new_fields_and_overwrites(r):
    assert raw(r, "HSET", "h", "a", "1", "b", "2") == 2
    assert raw(r, "HSET", "h", "a", "10", "c", "3") == 1
    assert raw(r, "HSET", "h", "a", "11", "a", "12") == 0
    assert flat(raw(r, "HGETALL", "h")) == [b"a", b"12", b"b", b"2", b"c", b"3"]
    assert raw(r, "TYPE", "h") == b"hash"


def test_hset_binary_and_empty_values(r):
    assert raw(r, "HSET", "h", b"", b"", b"\x00\xff", b"\xfe") == 2
    assert raw(r, "HGET", "h", b"") == b""
    assert raw(r, "HGET", "h", b"\x00\xff") == b"\xfe"


def test_hset_and_hmset_need_pairs(r):
    assert error_of(r, "HSET", "h", "a", "1", "b") == "wrong number of arguments for 'hset' command"
    assert error_of(r, "HMSET", "h", "a", "1", "b") == (
        "wrong number of arguments for 'hmset' command")
    assert raw(r, "EXISTS", "h") == 0


def test_hmset_replies_ok(r):
    assert raw(r, "HMSET", "h", "a", "1", "b", "2") == b"OK"
    assert raw(r, "HMGET", "h", "a", "b") == [b"1", b"2"]


def test_hsetnx(r):
    assert raw(r, "HSETNX", "h", "a", "1") == 1
    assert raw(r, "HSETNX", "h", "a", "2") == 0
    assert raw(r, "HGET", "h", "a") == b"1"


def test_hdel_counts_and_deletes_emptied_hash(r):
    r.hset("h", mapping={"a": "1", "b": "2", "c": "3"})
    assert raw(r, "HDEL", "h", "a", "x", "a") == 1
    assert raw(r, "HKEYS", "h") == [b"b", b"c"]
    assert raw(r, "HDEL", "h", "b", "c") == 2
    assert raw(r, "EXISTS", "h") == 0
    assert raw(r, "HDEL", "h", "b") == 0


def test_field_order_is_insertion_order(r):
    r.hset("h", mapping={"z": "1", "a": "2", "m": "3"})
    r.hdel("h", "a")
    r.hset("h", "a", "4")
    r.hset("h", "z", "5")
    assert raw(r, "HKEYS", "h") == [b"z", b"m", b"a"]
    assert raw(r, "HVALS", "h") == [b"5", b"3", b"4"]


def test_hash_commands_refuse_other_types(r):
    r.set("str", "x")
    for args in (("HSET", "str", "a", "1"), ("HMSET", "str", "a", "1"), ("HSETNX", "str", "a", "1"),
                 ("HDEL", "str", "a"), ("HGET", "str", "a"), ("HMGET", "str", "a"),
                 ("HEXISTS", "str", "a"), ("HLEN", "str"), ("HSTRLEN", "str", "a"),
                 ("HKEYS", "str"), ("HVALS", "str"), ("HGETALL", "str"),
                 ("HINCRBY", "str", "a", "1"), ("HINCRBYFLOAT", "str", "a", "1"),
                 ("HRANDFIELD", "str"), ("HRANDFIELD", "str", "1"), ("HSCAN", "str", "0")):
        assert error_of(r, *args) == WRONGTYPE, args
    assert r.get("str") == b"x"


def test_hash_commands_arity(r):
    for name, args in (("hset", ("h", "a")), ("hmset", ("h", "a")), ("hsetnx", ("h", "a")),
                       ("hdel", ("h",)), ("hget", ("h",)), ("hmget", ("h",)), ("hexists", ("h",)),
                       ("hlen", ()), ("hstrlen", ("h",)), ("hkeys", ()), ("hvals", ()),
                       ("hgetall", ()), ("hincrby", ("h", "a")), ("hincrbyfloat", ("h", "a")),
                       ("hrandfield", ()), ("hscan", ("h",))):
        assert error_of(r, name.upper(), *args) == f"wrong number of arguments for '{name}' command"


def test_hash_writes_touch_watch(r, make):
    other = make(r)
    r.hset("h", "a", "1")
    assert watch_aborts(r, "h", lambda: other.hset("h", "a", "1"))
    assert not watch_aborts(r, "h", lambda: other.hsetnx("h", "a", "2"))
    assert not watch_aborts(r, "h", lambda: other.hdel("h", "zz"))
    assert watch_aborts(r, "h", lambda: other.hincrby("h", "a", 1))
    assert watch_aborts(r, "h", lambda: other.hincrbyfloat("h", "a", 1))
    assert watch_aborts(r, "h", lambda: other.hdel("h", "a"))


# --- reads ----------------------------------------------------------------------------------------
def test_hget_hmget_hexists_hlen_hstrlen(r):
    r.hset("h", mapping={"a": "1", "b": "hello"})
    assert raw(r, "HGET", "h", "a") == b"1"
    assert raw(r, "HGET", "h", "x") is None
    assert raw(r, "HGET", "missing", "a") is None
    assert raw(r, "HMGET", "h", "a", "x", "b") == [b"1", None, b"hello"]
    assert raw(r, "HMGET", "missing", "a", "b") == [None, None]
    assert raw(r, "HEXISTS", "h", "a") == 1
    assert raw(r, "HEXISTS", "h", "x") == 0
    assert raw(r, "HEXISTS", "missing", "a") == 0
    assert raw(r, "HLEN", "h") == 2
    assert raw(r, "HLEN", "missing") == 0
    assert raw(r, "HSTRLEN", "h", "b") == 5
    assert raw(r, "HSTRLEN", "h", "x") == 0
    assert raw(r, "HSTRLEN", "missing", "x") == 0


def test_hkeys_hvals_hgetall(r):
    r.hset("h", mapping={"a": "1", "b": "2"})
    assert raw(r, "HKEYS", "h") == [b"a", b"b"]
    assert raw(r, "HVALS", "h") == [b"1", b"2"]
    assert raw(r, "HKEYS", "missing") == []
    assert raw(r, "HVALS", "missing") == []
    assert r.hgetall("h") == {b"a": b"1", b"b": b"2"}
    assert r.hgetall("missing") == {}


def test_hgetall_is_a_map_in_resp3(r):
    r.hset("h", mapping={"a": "1", "b": "2"})
    reply = raw(r, "HGETALL", "h")
    if is_resp3(r):
        assert reply == {b"a": b"1", b"b": b"2"}
        assert raw(r, "HGETALL", "missing") == {}
    else:
        assert reply == [b"a", b"1", b"b", b"2"]
        assert raw(r, "HGETALL", "missing") == []


def test_decoded_replies(rd):
    rd.hset("h", mapping={"a": "1"})
    assert rd.hgetall("h") == {"a": "1"}
    assert rd.hkeys("h") == ["a"]


# --- HINCRBY --------------------------------------------------------------------------------------
def test_hincrby(r):
    assert raw(r, "HINCRBY", "h", "a", "5") == 5
    assert raw(r, "HINCRBY", "h", "a", "-7") == -2
    assert raw(r, "HGET", "h", "a") == b"-2"
    r.hset("h", "b", "100")
    assert raw(r, "HINCRBY", "h", "b", "0") == 100


def test_hincrby_limits(r):
    r.hset("h", mapping={"max": str(2**63 - 1), "min": str(-(2**63))})
    assert raw(r, "HINCRBY", "h", "max", "0") == 2**63 - 1
    assert error_of(r, "HINCRBY", "h", "max", "1") == "increment or decrement would overflow"
    assert error_of(r, "HINCRBY", "h", "min", "-1") == "increment or decrement would overflow"
    assert raw(r, "HGET", "h", "max") == str(2**63 - 1).encode()
    assert raw(r, "HINCRBY", "h", "new", str(-(2**63))) == -(2**63)


def test_hincrby_errors(r):
    r.hset("h", mapping={"s": "foo", "f": "1.5", "sp": " 1", "plus": "+1", "big": str(2**63)})
    for field in ("s", "f", "sp", "plus", "big"):
        assert error_of(r, "HINCRBY", "h", field, "1") == "hash value is not an integer", field
    for increment in ("x", "1.5", "+1", "01", " 1", str(2**63)):
        assert error_of(r, "HINCRBY", "h", "n", increment) == NOT_INTEGER, increment
    r.set("str", "x")
    assert error_of(r, "HINCRBY", "str", "a", "x") == NOT_INTEGER
    assert error_of(r, "HINCRBY", "missing", "a", "x") == NOT_INTEGER
    assert raw(r, "EXISTS", "missing") == 0
    assert raw(r, "HEXISTS", "h", "n") == 0


# --- HINCRBYFLOAT ---------------------------------------------------------------------------------
@pytest.mark.parametrize("start, increment, expected", [
    (None, "1.5", b"1.5"),
    ("0.1", "0.2", b"0.3"),
    ("10.5", "0.1", b"10.6"),
    ("5.0e3", "2.0e2", b"5200"),
    ("1", "-1", b"0"),
    ("-1", "0.5", b"-0.5"),
    (None, "1e20", b"100000000000000000000"),
    (None, "1e-10", b"0.0000000001"),
    (None, "5e-324", b"0"),
    (None, "-0", b"0"),
    (None, "1.23456789012345678901234567890", b"1.23456789012345679"),
    (None, "123456789.123456789", b"123456789.12345678899873747"),
    ("0x10", "1", b"17"),
    ("0x1p3", "1", b"9"),
    ("+.5", "1", b"1.5"),
    ("5.", "1", b"6"),
    ("3", "0x1p3", b"11"),
    ("1", ".5e1", b"6"),
    ("9223372036854775807", "1", b"9223372036854775808"),
])
def test_hincrbyfloat_long_double_results(r, start, increment, expected):
    if start is not None:
        r.hset("h", "f", start)
    assert raw(r, "HINCRBYFLOAT", "h", "f", increment) == expected
    assert raw(r, "HGET", "h", "f") == expected


def test_hincrbyfloat_large_values_print_all_digits(r):
    assert raw(r, "HINCRBYFLOAT", "h", "f", "1e300") == (
        b"1000000000000000000008997324079559193870523944273290747938260082321265646596180935755849"
        b"1520837504971903503725086142748359035925561846729839130962605207486462873271356418436532"
        b"9408425510760601678972665293237003055138294762099454029477278188962060617926761162709741"
        b"0650567187386105690089424915104006144")
    big = raw(r, "HINCRBYFLOAT", "h", "g", "1e4000")
    assert len(big) == 4000 and big.startswith(b"99999999999999999999654638730996237849")


def test_hincrbyfloat_errors(r):
    r.hset("h", mapping={"s": "foo", "sp": " 1", "t": "1 ", "u": "1_0", "nan": "nan",
                         "huge": "1e5000", "inf": "inf", "ninf": "-infinity"})
    for field in ("s", "sp", "t", "u", "nan", "huge"):
        assert error_of(r, "HINCRBYFLOAT", "h", field, "1") == "hash value is not a float", field
    for field in ("inf", "ninf"):
        assert error_of(r, "HINCRBYFLOAT", "h", field, "1") == (
            "increment would produce NaN or Infinity")
    for increment in ("x", "nan", "1e5000", " 1", "1 ", ""):
        assert error_of(r, "HINCRBYFLOAT", "h", "n", increment) == NOT_FLOAT, increment
    for increment in ("inf", "-inf", "+Infinity"):
        assert error_of(r, "HINCRBYFLOAT", "h", "n", increment) == "value is NaN or Infinity"
    r.hset("h", "big", "1.18e4932")
    assert error_of(r, "HINCRBYFLOAT", "h", "big", "1.18e4932") == (
        "increment would produce NaN or Infinity")
    assert raw(r, "HEXISTS", "h", "n") == 0
    assert raw(r, "HGET", "h", "big") == b"1.18e4932"


def test_hincrbyfloat_error_order(r):
    r.set("str", "x")
    assert error_of(r, "HINCRBYFLOAT", "str", "a", "x") == NOT_FLOAT
    assert error_of(r, "HINCRBYFLOAT", "str", "a", "inf") == "value is NaN or Infinity"
    assert error_of(r, "HINCRBYFLOAT", "str", "a", "1") == WRONGTYPE
    assert error_of(r, "HINCRBYFLOAT", "missing", "a", "inf") == "value is NaN or Infinity"
    assert raw(r, "EXISTS", "missing") == 0


def test_hincrbyfloat_through_redis_py(r):
    assert r.hincrbyfloat("h", "f", 2.5) == 2.5
    assert r.hincrbyfloat("h", "f") == 3.5


# --- HRANDFIELD -----------------------------------------------------------------------------------
@pytest.fixture
def abc(r):
    r.hset("h", mapping={"a": "1", "b": "2", "c": "3"})
    return r


def pairs(r, reply):
    """HRANDFIELD WITHVALUES's reply as (field, value) tuples, checking the protocol's shape."""
    if is_resp3(r):
        assert all(isinstance(pair, list) and len(pair) == 2 for pair in reply)
        return [tuple(pair) for pair in reply]
    assert len(reply) % 2 == 0
    return list(zip(reply[::2], reply[1::2]))


def test_hrandfield_without_count(abc):
    r = abc
    assert raw(r, "HRANDFIELD", "h") in (b"a", b"b", b"c")
    assert raw(r, "HRANDFIELD", "missing") is None


def test_hrandfield_positive_count_is_distinct(abc):
    r = abc
    got = raw(r, "HRANDFIELD", "h", "2")
    assert len(got) == 2 and len(set(got)) == 2 and set(got) <= {b"a", b"b", b"c"}
    assert sorted(raw(r, "HRANDFIELD", "h", "10")) == [b"a", b"b", b"c"]


def test_hrandfield_negative_count_may_repeat(abc):
    r = abc
    got = raw(r, "HRANDFIELD", "h", "-20")
    assert len(got) == 20 and set(got) <= {b"a", b"b", b"c"}
    assert max(Counter(got).values()) > 1
    r.hset("one", "x", "y")
    assert raw(r, "HRANDFIELD", "one", "-3") == [b"x"] * 3


def test_hrandfield_withvalues(abc):
    r = abc
    expected = {(b"a", b"1"), (b"b", b"2"), (b"c", b"3")}
    got = pairs(r, raw(r, "HRANDFIELD", "h", "2", "WITHVALUES"))
    assert len(got) == 2 and len(set(got)) == 2 and set(got) <= expected
    assert sorted(pairs(r, raw(r, "HRANDFIELD", "h", "5", "withvalues"))) == sorted(expected)
    got = pairs(r, raw(r, "HRANDFIELD", "h", "-7", "WITHVALUES"))
    assert len(got) == 7 and set(got) <= expected


def test_hrandfield_zero_count_and_missing_key(abc):
    r = abc
    assert raw(r, "HRANDFIELD", "h", "0") == []
    assert raw(r, "HRANDFIELD", "h", "0", "WITHVALUES") == []
    assert raw(r, "HRANDFIELD", "missing", "2") == []
    assert raw(r, "HRANDFIELD", "missing", "-2", "WITHVALUES") == []


def test_hrandfield_errors(abc):
    r = abc
    r.set("str", "x")
    assert error_of(r, "HRANDFIELD", "h", "x") == NOT_INTEGER
    assert error_of(r, "HRANDFIELD", "h", "x", "foo") == NOT_INTEGER
    assert error_of(r, "HRANDFIELD", "str", "x") == NOT_INTEGER
    assert error_of(r, "HRANDFIELD", "h", "1", "foo") == "syntax error"
    assert error_of(r, "HRANDFIELD", "h", "1", "WITHVALUES", "foo") == "syntax error"
    assert error_of(r, "HRANDFIELD", "str", "1", "foo") == "syntax error"
    assert error_of(r, "HRANDFIELD", "h", "-9223372036854775808") == (
        "value is out of range, value must between -9223372036854775807 and 9223372036854775807")
    for count in ("5000000000000000000", "-5000000000000000000", "4611686018427387904",
                  "-4611686018427387904"):
        assert error_of(r, "HRANDFIELD", "h", count, "WITHVALUES") == "value is out of range"
    assert len(raw(r, "HRANDFIELD", "h", "4611686018427387903", "WITHVALUES")) in (3, 6)


def test_hrandfield_through_redis_py(abc):
    r = abc
    assert r.hrandfield("h", 5) and sorted(r.hrandfield("h", 5)) == [b"a", b"b", b"c"]


# --- HSCAN ----------------------------------------------------------------------------------------
def scan_all(r, key, *options):
    """Every HSCAN page until the cursor comes back to 0."""
    cursor, pages = b"0", []
    while True:
        cursor, page = raw(r, "HSCAN", key, cursor, *options)
        pages.append(page)
        if cursor == b"0":
            return pages


def as_pairs(page):
    return list(zip(page[::2], page[1::2]))


def test_hscan_small_hash_comes_whole_in_order(r):
    r.hset("h", mapping={f"f{i}": str(i) for i in range(30)})
    cursor, page = raw(r, "HSCAN", "h", "0", "COUNT", "1")
    assert cursor == b"0"
    assert as_pairs(page) == [(b"f%d" % i, b"%d" % i) for i in range(30)]
    for cursor in ("5", "-1", ""):
        assert raw(r, "HSCAN", "h", cursor, "COUNT", "2") == [b"0", page]


def test_hscan_compact_limits(r):
    r.hset("entries", mapping={f"f{i}": "v" for i in range(512)})
    assert raw(r, "HSCAN", "entries", "0")[0] == b"0"
    r.hset("entries", "one-more", "v")
    assert raw(r, "HSCAN", "entries", "0")[0] != b"0"
    r.hset("value", mapping={f"f{i}": "v" for i in range(30)})
    r.hset("value", "long", "x" * 64)
    assert raw(r, "HSCAN", "value", "0")[0] == b"0"
    r.hset("value", "longer", "x" * 65)
    assert raw(r, "HSCAN", "value", "0")[0] != b"0"
    r.hset("field", mapping={f"f{i}": "v" for i in range(30)})
    r.hset("field", "y" * 65, "v")
    assert raw(r, "HSCAN", "field", "0")[0] != b"0"


def test_hscan_large_hash_iterates_everything(r):
    everything = {(b"f%d" % i, b"v%d" % i) for i in range(1000)}
    r.hset("h", mapping=dict(everything))
    pages = scan_all(r, "h", "COUNT", "50")
    assert len(pages) > 1
    assert {pair for page in pages for pair in as_pairs(page)} == everything


def test_hscan_match(r):
    r.hset("h", mapping={f"f{i}": str(i) for i in range(1000)})
    found = {pair for page in scan_all(r, "h", "MATCH", "f1?", "COUNT", "100")
             for pair in as_pairs(page)}
    assert found == {(b"f%d" % i, b"%d" % i) for i in range(10, 20)}
    r.hset("small", mapping={"ab": "1", "ac": "2", "b": "3"})
    assert raw(r, "HSCAN", "small", "0", "MATCH", "a*") == [b"0", [b"ab", b"1", b"ac", b"2"]]


def test_hscan_guarantee_under_changes(r):
    stable = {b"s%d" % i for i in range(600)}
    doomed = [b"d%d" % i for i in range(300)]
    r.hset("h", mapping={field: b"v" for field in (*stable, *doomed)})
    cursor, seen, step = b"0", {}, 0
    while True:
        cursor, page = raw(r, "HSCAN", "h", cursor, "COUNT", "20")
        seen.update(as_pairs(page))
        if cursor == b"0":
            break
        r.hset("h", mapping={b"n%d-%d" % (step, i): b"v" for i in range(5)})
        r.hdel("h", *doomed[step * 3:step * 3 + 3])
        step += 1
    assert stable <= set(seen)
    assert set(seen.values()) == {b"v"}


def test_hscan_returns_current_values(r):
    r.hset("h", mapping={f"f{i}": "old" for i in range(1000)})
    cursor, first = raw(r, "HSCAN", "h", "0", "COUNT", "10")
    r.hset("h", mapping={f"f{i}": "new" for i in range(1000)})
    rest = {pair for page in scan_all(r, "h", "COUNT", "100") for pair in as_pairs(page)}
    assert {value for _, value in rest} == {b"new"}
    assert cursor != b"0" and len(first) >= 2


def test_hscan_missing_key(r):
    assert raw(r, "HSCAN", "missing", "0") == [b"0", []]
    assert raw(r, "HSCAN", "missing", "0", "COUNT", "0") == [b"0", []]


def test_hscan_errors(r):
    r.hset("h", "a", "1")
    r.set("str", "x")
    for cursor in ("x", "-", " 1", "18446744073709551616", "1.5"):
        assert error_of(r, "HSCAN", "h", cursor) == "invalid cursor", cursor
    assert error_of(r, "HSCAN", "str", "x") == "invalid cursor"
    assert error_of(r, "HSCAN", "str", "0", "COUNT", "0") == WRONGTYPE
    assert error_of(r, "HSCAN", "h", "0", "COUNT", "0") == "syntax error"
    assert error_of(r, "HSCAN", "h", "0", "COUNT", "x") == NOT_INTEGER
    assert error_of(r, "HSCAN", "h", "0", "MATCH") == "syntax error"
    assert error_of(r, "HSCAN", "h", "0", "NOVALUES") == "syntax error"
    assert error_of(r, "HSCAN", "h", "0", "TYPE", "hash") == "syntax error"


def test_hscan_through_redis_py(r):
    r.hset("h", mapping={"a": "1", "b": "2"})
    assert r.hscan("h") == (0, {b"a": b"1", b"b": b"2"})
    assert dict(r.hscan_iter("h", match="a")) == {b"a": b"1"}


# --- listpack to hashtable, one way --------------------------------------------------------------
def encoding(r, key):
    return raw(r, "OBJECT", "ENCODING", key)


def test_hscan_of_a_shrunk_hash_still_iterates(r):
    r.hset("h", mapping={f"f{i}": i for i in range(600)})
    r.hdel("h", *(f"f{i}" for i in range(20, 600)))
    cursor, page = raw(r, "HSCAN", "h", "0", "COUNT", "1")
    assert cursor != b"0" and len(page) < 40
    pairs = {pair for page in scan_all(r, "h", "COUNT", "5") for pair in as_pairs(page)}
    assert pairs == {(b"f%d" % i, b"%d" % i) for i in range(20)}


@pytest.mark.parametrize("args", [
    ("HSET", "h", "f", "x" * 65), ("HSET", "h", "g" * 65, "1"),
    ("HMSET", "h", "a", "1", "f", "x" * 65), ("HSETNX", "h", "new", "x" * 65),
    ("HINCRBY", "h", "g" * 65, "1"), ("HINCRBYFLOAT", "h", "f", "1e100"),
])
def test_a_long_field_or_value_upgrades_for_good(r, args):
    r.hset("h", mapping={"f": "1", "other": "2"})
    raw(r, *args)
    assert encoding(r, "h") == b"hashtable"
    r.hdel("h", *(field for field in r.hkeys("h") if field != b"f"))
    r.hset("h", "f", "1")
    assert encoding(r, "h") == b"hashtable"


def test_hsetnx_on_an_existing_field_writes_nothing(r):
    r.hset("h", "f", "1")
    assert raw(r, "HSETNX", "h", "f", "x" * 65) == 0
    assert encoding(r, "h") == b"listpack"


def test_lowered_limits_apply_on_the_next_write(r):
    for key in ("h", "h2"):
        r.hset(key, mapping={"a": "1", "b": "2", "c": "3"})
    r.hset("v", "a", "x" * 10)
    raw(r, "CONFIG", "SET", "hash-max-listpack-entries", "2")
    raw(r, "CONFIG", "SET", "hash-max-listpack-value", "5")
    try:
        assert raw(r, "HSCAN", "h", "0", "COUNT", "1") == \
            [b"0", [b"a", b"1", b"b", b"2", b"c", b"3"]]
        r.hdel("h", "c")
        r.hset("h", "a", "9")
        r.hset("v", "b", "1")
        assert [encoding(r, key) for key in ("h", "h2", "v")] == [b"listpack"] * 3
        raw(r, "HINCRBY", "h2", "a", "1")
        r.hset("v", "c", "123456")
        assert [encoding(r, key) for key in ("h", "h2", "v")] == \
            [b"listpack", b"hashtable", b"hashtable"]
    finally:
        raw(r, "CONFIG", "SET", "hash-max-listpack-entries", "512")
        raw(r, "CONFIG", "SET", "hash-max-listpack-value", "64")


# --- keyspace notifications -----------------------------------------------------------------------
def test_hash_notifications(r, make):
    assert keyevents(
        r, make,
        ("HSET", "h", "a", "1"), ("HSET", "h", "a", "1"), ("HMSET", "h", "b", "1"),
        ("HSETNX", "h", "a", "1"), ("HSETNX", "h", "c", "1"), ("HINCRBY", "h", "a", "1"),
        ("HINCRBYFLOAT", "h", "a", "1"), ("HDEL", "h", "zz"), ("HDEL", "h", "a", "b"),
        ("HDEL", "h", "c"),
    ) == [(b"hset", b"h"), (b"hset", b"h"), (b"hset", b"h"), (b"hset", b"h"), (b"hincrby", b"h"),
          (b"hincrbyfloat", b"h"), (b"hdel", b"h"), (b"hdel", b"h"), (b"del", b"h")]
