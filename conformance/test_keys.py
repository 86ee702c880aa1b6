"""Generic key commands: DEL UNLINK EXISTS TOUCH TYPE KEYS SCAN RANDOMKEY RENAME RENAMENX MOVE COPY
OBJECT."""

import time

import pytest
import redis

from conformance.helpers import block, error_of, keyevents, raw, watch_then


def expire_now(r, key):
    """Make ``key`` expire without deleting it eagerly: a deadline 1 ms ahead, then wait."""
    raw(r, "PEXPIRE", key, "1")
    time.sleep(0.01)


# --- DEL / UNLINK --------------------------------------------------------------------------------
@pytest.mark.parametrize("cmd", ["DEL", "UNLINK"])
def test_del_counts_removed_keys_once(r, cmd):
    r.set("a", "1")
    r.set("b", "2")
    r.sadd("s", "x")
    assert raw(r, cmd, "a", "a", "nokey", "s") == 2
    assert r.exists("a", "s") == 0
    assert r.get("b") == b"2"
    assert raw(r, cmd, "a") == 0


@pytest.mark.parametrize("cmd", ["DEL", "UNLINK", "EXISTS", "TOUCH"])
def test_multi_key_commands_arity(r, cmd):
    assert error_of(r, cmd) == f"wrong number of arguments for '{cmd.lower()}' command"


def test_del_removes_ttl(r):
    r.set("a", "1", ex=100)
    r.delete("a")
    r.set("a", "2")
    assert r.ttl("a") == -1


def test_del_of_expired_key_counts_nothing(r):
    r.set("a", "1")
    expire_now(r, "a")
    assert raw(r, "DEL", "a") == 0


def test_del_touches_watch(r, make):
    r.set("a", "1")
    assert watch_then(r, make(r), "a", "DEL", "a") is None


# --- EXISTS / TOUCH ------------------------------------------------------------------------------
@pytest.mark.parametrize("cmd", ["EXISTS", "TOUCH"])
def test_exists_and_touch_count_repeats(r, cmd):
    r.set("a", "1")
    r.sadd("s", "x")
    assert raw(r, cmd, "a", "a", "nokey", "s") == 3
    assert raw(r, cmd, "nokey") == 0


@pytest.mark.parametrize("cmd", ["EXISTS", "TOUCH"])
def test_exists_ignores_expired_keys(r, cmd):
    r.set("a", "1")
    expire_now(r, "a")
    assert raw(r, cmd, "a") == 0


# --- TYPE ----------------------------------------------------------------------------------------
def test_type(r):
    r.set("str", "v")
    r.sadd("set", "x")
    assert raw(r, "TYPE", "str") == b"string"
    assert raw(r, "TYPE", "set") == b"set"
    assert raw(r, "TYPE", "nokey") == b"none"
    assert r.type("str") == b"string"


def test_type_of_expired_key_is_none(r):
    r.set("a", "1")
    expire_now(r, "a")
    assert raw(r, "TYPE", "a") == b"none"


def test_type_arity(r):
    assert error_of(r, "TYPE") == "wrong number of arguments for 'type' command"
    assert error_of(r, "TYPE", "a", "b") == "wrong number of arguments for 'type' command"


# --- KEYS ----------------------------------------------------------------------------------------
def test_keys_patterns(r):
    for key in ("one", "two", "three", "four", "o[n]e", "a*b", "a\\b"):
        r.set(key, "v")
    assert sorted(raw(r, "KEYS", "*")) == sorted(
        [b"one", b"two", b"three", b"four", b"o[n]e", b"a*b", b"a\\b"])
    assert sorted(raw(r, "KEYS", "t*")) == [b"three", b"two"]
    assert sorted(raw(r, "KEYS", "?o*")) == [b"four"]
    assert sorted(raw(r, "KEYS", "[ot]*")) == [b"o[n]e", b"one", b"three", b"two"]
    assert sorted(raw(r, "KEYS", "[^o]*")) == [b"a*b", b"a\\b", b"four", b"three", b"two"]
    assert sorted(raw(r, "KEYS", "[a-f]*")) == [b"a*b", b"a\\b", b"four"]
    assert raw(r, "KEYS", "o\\[n\\]e") == [b"o[n]e"]
    assert raw(r, "KEYS", "a\\*b") == [b"a*b"]
    assert raw(r, "KEYS", "nomatch*") == []
    assert raw(r, "KEYS", "one") == [b"one"]


def test_keys_prefix_patterns(r):
    for key in ("a*", "a*b", "ab", "a", ""):
        r.set(key, "v")
    assert raw(r, "KEYS", "a\\*") == [b"a*"]
    assert sorted(raw(r, "KEYS", "a*")) == [b"a", b"a*", b"a*b", b"ab"]
    assert sorted(raw(r, "KEYS", "a?*")) == [b"a*", b"a*b", b"ab"]
    assert raw(r, "KEYS", "") == [b""]
    r.set("ab", "v", px=1)
    time.sleep(0.01)
    assert sorted(raw(r, "KEYS", "a*")) == [b"a", b"a*", b"a*b"]


def test_keys_on_empty_db(r):
    assert raw(r, "KEYS", "*") == []


def test_keys_skips_expired_keys(r):
    r.set("a", "1")
    r.set("b", "1")
    r.set("c", "1", ex=100)
    expire_now(r, "a")
    assert sorted(raw(r, "KEYS", "*")) == [b"b", b"c"]
    assert raw(r, "KEYS", "a") == []


def test_keys_binary_names(r):
    r.set(b"\x00\xff\n", "v")
    assert raw(r, "KEYS", "*") == [b"\x00\xff\n"]
    assert raw(r, "KEYS", b"\x00?\n") == [b"\x00\xff\n"]


def test_keys_arity(r):
    assert error_of(r, "KEYS") == "wrong number of arguments for 'keys' command"
    assert error_of(r, "KEYS", "a", "b") == "wrong number of arguments for 'keys' command"


def test_keys_only_sees_selected_db(r):
    r.set("a", "1")
    raw(r, "MOVE", "a", "1")
    r.set("b", "1")
    assert raw(r, "KEYS", "*") == [b"b"]


# --- SCAN ----------------------------------------------------------------------------------------
def scan_all(r, *options):
    cursor = b"0"
    seen = []
    while True:
        cursor, keys = raw(r, "SCAN", cursor, *options)
        seen.extend(keys)
        if cursor == b"0":
            return seen


def test_scan_returns_every_key(r):
    names = [f"key:{i}" for i in range(57)]
    for name in names:
        r.set(name, "v")
    assert sorted(set(scan_all(r))) == sorted(n.encode() for n in names)
    assert sorted(set(scan_all(r, "COUNT", "5"))) == sorted(n.encode() for n in names)


def test_scan_of_empty_db(r):
    assert raw(r, "SCAN", "0") == [b"0", []]


def test_scan_match(r):
    for i in range(30):
        r.set(f"a:{i}", "v")
        r.set(f"b:{i}", "v")
    assert sorted(set(scan_all(r, "MATCH", "a:*", "COUNT", "7"))) == \
        sorted(f"a:{i}".encode() for i in range(30))
    assert scan_all(r, "MATCH", "nomatch") == []


def test_scan_type(r):
    r.set("s1", "v")
    r.set("s2", "v")
    r.sadd("set1", "x")
    assert sorted(set(scan_all(r, "TYPE", "string"))) == [b"s1", b"s2"]
    assert scan_all(r, "TYPE", "set") == [b"set1"]
    assert scan_all(r, "TYPE", "SET") == [b"set1"]
    assert scan_all(r, "TYPE", "list") == []
    assert scan_all(r, "TYPE", "nosuchtype") == []
    assert scan_all(r, "TYPE", "string", "MATCH", "*2") == [b"s2"]


def test_scan_skips_expired_keys(r):
    r.set("a", "1")
    r.set("b", "1")
    expire_now(r, "a")
    assert scan_all(r) == [b"b"]


def test_scan_guarantee_under_changes(r):
    stable = {f"stable:{i}".encode() for i in range(40)}
    for key in stable:
        r.set(key, "v")
    cursor = b"0"
    seen = set()
    step = 0
    while True:
        cursor, keys = raw(r, "SCAN", cursor, "COUNT", "5")
        seen.update(keys)
        r.set(f"new:{step}", "v")
        r.delete(f"new:{step - 1}")
        step += 1
        if cursor == b"0":
            break
    assert stable <= seen
    assert all(k.startswith(b"stable:") or k.startswith(b"new:") for k in seen)


def test_scan_does_not_return_deleted_keys(r):
    for i in range(20):
        r.set(f"k{i}", "v")
    cursor, first = raw(r, "SCAN", "0", "COUNT", "5")
    remaining = {f"k{i}".encode() for i in range(20)} - set(first)
    for key in remaining:
        r.delete(key)
    rest = []
    while cursor != b"0":
        cursor, keys = raw(r, "SCAN", cursor, "COUNT", "5")
        rest.extend(keys)
    assert rest == []


@pytest.mark.parametrize("options,message", [
    (("COUNT", "0"), "syntax error"),
    (("COUNT", "-1"), "syntax error"),
    (("COUNT", "abc"), "value is not an integer or out of range"),
    (("COUNT",), "syntax error"),
    (("MATCH",), "syntax error"),
    (("TYPE",), "syntax error"),
    (("FOO", "bar"), "syntax error"),
])
def test_scan_option_errors(r, options, message):
    assert error_of(r, "SCAN", "0", *options) == message


@pytest.mark.parametrize("cursor", ["abc", "1.5", " 1", "18446744073709551616"])
def test_scan_invalid_cursor(r, cursor):
    assert error_of(r, "SCAN", cursor) == "invalid cursor"


def test_scan_arity(r):
    assert error_of(r, "SCAN") == "wrong number of arguments for 'scan' command"


def test_scan_redis_py_iter(r):
    for i in range(25):
        r.set(f"k{i}", "v")
    assert sorted(set(r.scan_iter(match="k1*", count=4))) == \
        sorted([b"k1"] + [f"k1{i}".encode() for i in range(10)])


# --- RANDOMKEY -----------------------------------------------------------------------------------
def test_randomkey(r):
    assert raw(r, "RANDOMKEY") is None
    r.set("a", "1")
    assert raw(r, "RANDOMKEY") == b"a"
    r.set("b", "1")
    assert {raw(r, "RANDOMKEY") for _ in range(50)} <= {b"a", b"b"}


def test_randomkey_never_returns_expired_key(r):
    r.set("a", "1")
    expire_now(r, "a")
    assert raw(r, "RANDOMKEY") is None
    r.set("b", "1")
    r.set("c", "1")
    expire_now(r, "c")
    assert raw(r, "RANDOMKEY") == b"b"


def test_randomkey_arity(r):
    assert error_of(r, "RANDOMKEY", "x") == "wrong number of arguments for 'randomkey' command"


# --- RENAME / RENAMENX ---------------------------------------------------------------------------
def test_rename(r):
    r.set("a", "1")
    assert raw(r, "RENAME", "a", "b") == b"OK"
    assert r.get("a") is None
    assert r.get("b") == b"1"


def test_rename_replaces_destination_and_its_ttl(r):
    r.set("a", "1")
    r.sadd("b", "x")
    raw(r, "EXPIRE", "b", "100")
    assert raw(r, "RENAME", "a", "b") == b"OK"
    assert r.get("b") == b"1"
    assert r.ttl("b") == -1


def test_rename_keeps_ttl(r):
    r.set("a", "1", ex=100)
    raw(r, "RENAME", "a", "b")
    assert r.ttl("b") == 100
    assert r.ttl("a") == -2


def test_rename_to_itself(r):
    r.set("a", "1", ex=100)
    assert raw(r, "RENAME", "a", "a") == b"OK"
    assert r.get("a") == b"1"
    assert r.ttl("a") == 100
    assert raw(r, "RENAMENX", "a", "a") == 0


def test_rename_missing_key(r):
    assert error_of(r, "RENAME", "nokey", "b") == "no such key"
    assert error_of(r, "RENAMENX", "nokey", "b") == "no such key"
    assert error_of(r, "RENAME", "nokey", "nokey") == "no such key"


def test_rename_expired_key(r):
    r.set("a", "1")
    expire_now(r, "a")
    assert error_of(r, "RENAME", "a", "b") == "no such key"


def test_renamenx(r):
    r.set("a", "1", ex=100)
    r.set("b", "2")
    assert raw(r, "RENAMENX", "a", "b") == 0
    assert r.get("a") == b"1"
    assert r.get("b") == b"2"
    assert raw(r, "RENAMENX", "a", "c") == 1
    assert r.get("c") == b"1"
    assert r.ttl("c") == 100
    assert r.exists("a") == 0


@pytest.mark.parametrize("cmd", ["RENAME", "RENAMENX"])
def test_rename_arity(r, cmd):
    assert error_of(r, cmd, "a") == f"wrong number of arguments for '{cmd.lower()}' command"


def test_rename_touches_both_watches(r, make):
    r.set("a", "1")
    assert watch_then(r, make(r), "a", "RENAME", "a", "b") is None
    assert watch_then(r, make(r), "b", "RENAME", "b", "a") is None


# --- MOVE ----------------------------------------------------------------------------------------
def test_move(r, make):
    r.set("a", "1", ex=100)
    assert raw(r, "MOVE", "a", "1") == 1
    assert r.exists("a") == 0
    db1 = make(r, db=1)
    assert db1.get("a") == b"1"
    assert db1.ttl("a") == 100


def test_move_when_destination_exists(r, make):
    r.set("a", "1")
    db1 = make(r, db=1)
    db1.set("a", "other")
    assert raw(r, "MOVE", "a", "1") == 0
    assert r.get("a") == b"1"
    assert db1.get("a") == b"other"


def test_move_missing_key(r):
    assert raw(r, "MOVE", "nokey", "1") == 0


@pytest.mark.parametrize("db,message", [
    ("0", "source and destination objects are the same"),
    ("16", "DB index is out of range"),
    ("-1", "DB index is out of range"),
    ("abc", "value is not an integer or out of range"),
    ("1.0", "value is not an integer or out of range"),
    ("2147483648", "value is out of range, value must between -2147483648 and 2147483647"),
    ("-2147483649", "value is out of range, value must between -2147483648 and 2147483647"),
])
def test_move_errors(r, db, message):
    r.set("a", "1")
    assert error_of(r, "MOVE", "a", db) == message
    assert r.get("a") == b"1"


def test_move_errors_come_before_key_lookup(r):
    assert error_of(r, "MOVE", "nokey", "0") == "source and destination objects are the same"


def test_move_arity(r):
    assert error_of(r, "MOVE", "a") == "wrong number of arguments for 'move' command"


# --- COPY ----------------------------------------------------------------------------------------
def test_copy_string(r):
    r.set("a", "1", ex=100)
    assert raw(r, "COPY", "a", "b") == 1
    assert r.get("b") == b"1"
    assert r.ttl("b") == 100
    assert r.get("a") == b"1"


def test_copy_is_independent(r):
    r.sadd("s", "x", "y")
    assert raw(r, "COPY", "s", "t") == 1
    r.sadd("t", "z")
    r.srem("s", "x")
    assert sorted(r.smembers("s")) == [b"y"]
    assert sorted(r.smembers("t")) == [b"x", b"y", b"z"]


def test_copy_existing_destination(r):
    r.set("a", "1")
    r.set("b", "2", ex=100)
    assert raw(r, "COPY", "a", "b") == 0
    assert r.get("b") == b"2"
    assert raw(r, "COPY", "a", "b", "REPLACE") == 1
    assert r.get("b") == b"1"
    assert r.ttl("b") == -1


def test_copy_to_other_db(r, make):
    r.set("a", "1", ex=100)
    assert raw(r, "COPY", "a", "a", "DB", "1") == 1
    assert raw(r, "COPY", "a", "a", "db", "1") == 0
    db1 = make(r, db=1)
    db1.set("a", "2")
    assert raw(r, "COPY", "a", "a", "REPLACE", "DB", "1", "DB", "1") == 1
    assert db1.get("a") == b"1"
    assert db1.ttl("a") == 100


def test_copy_missing_source(r):
    assert raw(r, "COPY", "nokey", "b") == 0
    assert r.exists("b") == 0


@pytest.mark.parametrize("options,message", [
    (("DB",), "syntax error"),
    (("FOO",), "syntax error"),
    (("DB", "16"), "DB index is out of range"),
    (("DB", "abc"), "value is not an integer or out of range"),
    (("DB", "2147483648"), "value is out of range, value must between -2147483648 and 2147483647"),
    (("REPLACE", "REPLACE", "DB", "x"), "value is not an integer or out of range"),
])
def test_copy_option_errors(r, options, message):
    r.set("a", "1")
    assert error_of(r, "COPY", "a", "b", *options) == message
    assert r.exists("b") == 0


def test_copy_same_key(r):
    assert error_of(r, "COPY", "nokey", "nokey") == "source and destination objects are the same"
    r.set("a", "1")
    assert error_of(r, "COPY", "a", "a", "DB", "0") == "source and destination objects are the same"


def test_copy_arity(r):
    assert error_of(r, "COPY", "a") == "wrong number of arguments for 'copy' command"


def test_copy_redis_py(r):
    r.set("a", "1")
    assert r.copy("a", "b") is True
    assert r.copy("a", "b") is False
    assert r.copy("a", "b", replace=True) is True


# --- OBJECT --------------------------------------------------------------------------------------
@pytest.mark.parametrize("value,encoding", [
    ("0", b"int"), ("12", b"int"), ("10000", b"int"), ("-1", b"int"),
    ("9223372036854775807", b"int"), ("-9223372036854775808", b"int"),
    ("9223372036854775808", b"embstr"), ("007", b"embstr"), ("+1", b"embstr"), ("-0", b"embstr"),
    (" 1", b"embstr"), ("1.5", b"embstr"), ("", b"embstr"), ("a" * 44, b"embstr"),
    ("a" * 45, b"raw"), ("1" * 50, b"raw"),
])
def test_object_encoding_strings(r, value, encoding):
    r.set("k", value)
    assert raw(r, "OBJECT", "ENCODING", "k") == encoding


def test_object_encoding_sets(r):
    r.sadd("s", *range(512))
    assert raw(r, "OBJECT", "ENCODING", "s") == b"intset"
    r.sadd("big", "9223372036854775807", "-9223372036854775808")
    assert raw(r, "OBJECT", "ENCODING", "big") == b"intset"
    r.sadd("s", 512)
    assert raw(r, "OBJECT", "ENCODING", "s") == b"hashtable"
    r.sadd("t", "007")
    assert raw(r, "OBJECT", "ENCODING", "t") == b"hashtable"
    r.sadd("u", "a")
    assert raw(r, "OBJECT", "ENCODING", "u") == b"hashtable"


def test_type_of_every_type(r):
    r.rpush("list", "a")
    r.hset("hash", "f", "v")
    r.zadd("zset", {"m": 1})
    assert [raw(r, "TYPE", k) for k in ("list", "hash", "zset")] == [b"list", b"hash", b"zset"]
    assert sorted(scan_all(r, "TYPE", "zset")) == [b"zset"]
    assert sorted(scan_all(r, "TYPE", "hash")) == [b"hash"]


def test_streams_in_type_scan_encoding_and_copy(r):
    raw(r, "XADD", "x", "1-1", "f", "v")
    raw(r, "XGROUP", "CREATE", "x", "g", "0")
    raw(r, "XREADGROUP", "GROUP", "g", "c", "STREAMS", "x", ">")
    assert raw(r, "TYPE", "x") == b"stream"
    assert scan_all(r, "TYPE", "stream") == [b"x"]
    assert raw(r, "OBJECT", "ENCODING", "x") == b"stream"
    assert raw(r, "COPY", "x", "y") == 1
    raw(r, "XACK", "y", "g", "1-1")
    raw(r, "XADD", "y", "2-0", "f", "w")
    assert r.xlen("x") == 1 and r.xlen("y") == 2
    assert r.xpending("x", "g")["pending"] == 1
    assert r.xpending("y", "g")["pending"] == 0


def test_object_encoding_lists(r):
    r.rpush("l", "a")
    assert raw(r, "OBJECT", "ENCODING", "l") == b"quicklist"
    r.rpush("big", *["x" * 100] * 200)
    assert raw(r, "OBJECT", "ENCODING", "big") == b"quicklist"


def test_object_encoding_hashes(r):
    r.hset("h", mapping={str(i): "x" for i in range(512)})
    assert raw(r, "OBJECT", "ENCODING", "h") == b"listpack"
    r.hset("h", "513", "x")
    assert raw(r, "OBJECT", "ENCODING", "h") == b"hashtable"
    r.hset("v", "a" * 64, "b" * 64)
    assert raw(r, "OBJECT", "ENCODING", "v") == b"listpack"
    r.hset("w", "f", "b" * 65)
    assert raw(r, "OBJECT", "ENCODING", "w") == b"hashtable"
    r.hset("x", "f" * 65, "b")
    assert raw(r, "OBJECT", "ENCODING", "x") == b"hashtable"


def test_object_encoding_follows_config(r):
    raw(r, "CONFIG", "SET", "hash-max-listpack-entries", "2")
    raw(r, "CONFIG", "SET", "set-max-intset-entries", "2")
    try:
        r.hset("h", mapping={"a": "1", "b": "2", "c": "3"})
        r.sadd("s", 1, 2, 3)
        assert raw(r, "OBJECT", "ENCODING", "h") == b"hashtable"
        assert raw(r, "OBJECT", "ENCODING", "s") == b"hashtable"
    finally:
        raw(r, "CONFIG", "SET", "hash-max-listpack-entries", "512")
        raw(r, "CONFIG", "SET", "set-max-intset-entries", "512")


def test_object_encoding_zsets(r):
    r.zadd("z", {str(i): i for i in range(128)})
    assert raw(r, "OBJECT", "ENCODING", "z") == b"listpack"
    r.zadd("z", {"x": 1})
    assert raw(r, "OBJECT", "ENCODING", "z") == b"skiplist"
    r.zadd("m", {"a" * 64: 1})
    assert raw(r, "OBJECT", "ENCODING", "m") == b"listpack"
    r.zadd("m", {"a" * 65: 1})
    assert raw(r, "OBJECT", "ENCODING", "m") == b"skiplist"


# --- container encodings only ever upgrade while the key lives ----------------------------------
def encoding(r, key):
    return raw(r, "OBJECT", "ENCODING", key)


def shrunk_set(r, key):
    """A set made a hashtable by 600 integers, then cut back to the single member 0."""
    r.sadd(key, *range(600))
    r.srem(key, *range(1, 600))


def shrunk_hash(r, key):
    """A hash made a hashtable by 600 fields, then cut back to the single field 0 -> 0."""
    r.hset(key, mapping={str(i): i for i in range(600)})
    r.hdel(key, *map(str, range(1, 600)))


def test_shrinking_never_converts_back(r):
    shrunk_set(r, "s")
    shrunk_hash(r, "h")
    r.sadd("t", 1, "a")
    r.srem("t", "a")
    r.hset("v", "f", "x" * 65)
    r.hset("v", "f", "1")
    r.rpush("l", *range(200))
    r.rpop("l", 199)
    assert [encoding(r, key) for key in ("s", "h", "t", "v", "l")] == \
        [b"hashtable", b"hashtable", b"hashtable", b"hashtable", b"quicklist"]
    assert r.smembers("t") == {b"1"} and r.hgetall("v") == {b"f": b"1"}


def test_a_key_made_anew_starts_compact(r):
    for key in ("del", "expired", "emptied", "overwritten", "flushed"):
        shrunk_set(r, key)
        shrunk_hash(r, "h" + key)
    r.delete("del", "hdel")
    expire_now(r, "expired")
    expire_now(r, "hexpired")
    r.srem("emptied", 0)
    r.hdel("hemptied", "0")
    r.set("overwritten", "x")
    r.set("hoverwritten", "x")
    r.delete("overwritten", "hoverwritten")
    raw(r, "FLUSHDB")
    for key in ("del", "expired", "emptied", "overwritten", "flushed"):
        r.sadd(key, 1)
        r.hset("h" + key, "f", "v")
        assert (encoding(r, key), encoding(r, "h" + key)) == (b"intset", b"listpack"), key


def test_rename_move_copy_and_swapdb_keep_the_encoding(r):
    shrunk_set(r, "s")
    shrunk_hash(r, "h")
    r.rename("s", "s2")
    assert raw(r, "RENAMENX", "h", "h2") == 1
    assert (encoding(r, "s2"), encoding(r, "h2")) == (b"hashtable", b"hashtable")
    assert raw(r, "COPY", "s2", "s3") == 1 and raw(r, "COPY", "h2", "h3", "DB", "1") == 1
    assert encoding(r, "s3") == b"hashtable"
    assert raw(r, "MOVE", "s3", "1") == 1
    raw(r, "SWAPDB", "0", "1")
    assert (encoding(r, "s3"), encoding(r, "h3")) == (b"hashtable", b"hashtable")
    assert encoding(r, "s2") is None
    r.sadd("s3", 5)
    r.hset("h3", "f", "v")
    assert (encoding(r, "s3"), encoding(r, "h3")) == (b"hashtable", b"hashtable")


def test_copy_keeps_a_compact_encoding_past_lowered_limits(r):
    r.sadd("s", *range(10))
    raw(r, "CONFIG", "SET", "set-max-intset-entries", "5")
    try:
        assert raw(r, "COPY", "s", "c") == 1
        assert encoding(r, "c") == b"intset"
    finally:
        raw(r, "CONFIG", "SET", "set-max-intset-entries", "512")


# Captured from redis-server 7.0: the shrunk set {0} and hash {0: 1} are written as hashtables.
SHRUNK_SET_DUMP = b"\x02\x01\xc0\x00\n\x00E(\xa1\x9d3\xb4d\xd1"
SHRUNK_HASH_DUMP = b"\x04\x01\xc0\x00\xc0\x01\n\x00\xb9\x96)\xf7\xee\x84\xa3\xfc"


def test_dump_writes_the_encoding_and_restore_derives_it_anew(r):
    shrunk_set(r, "s")
    r.hset("h", mapping={"0": "1", "x": "y" * 65})
    r.hset("h", "x", "y")
    r.hdel("h", "x")
    assert (raw(r, "DUMP", "s"), raw(r, "DUMP", "h")) == (SHRUNK_SET_DUMP, SHRUNK_HASH_DUMP)
    raw(r, "RESTORE", "s2", "0", SHRUNK_SET_DUMP)
    raw(r, "RESTORE", "h2", "0", SHRUNK_HASH_DUMP)
    assert (encoding(r, "s2"), encoding(r, "h2")) == (b"intset", b"listpack")
    raw(r, "RESTORE", "s", "0", SHRUNK_SET_DUMP, "REPLACE")
    assert encoding(r, "s") == b"intset"


def test_restore_applies_the_current_limits(r):
    r.sadd("s", *range(10))
    r.hset("h", mapping={str(i): i for i in range(10)})
    dumped_set, dumped_hash = raw(r, "DUMP", "s"), raw(r, "DUMP", "h")
    raw(r, "CONFIG", "SET", "set-max-intset-entries", "5")
    raw(r, "CONFIG", "SET", "hash-max-listpack-entries", "5")
    try:
        raw(r, "RESTORE", "s2", "0", dumped_set)
        raw(r, "RESTORE", "h2", "0", dumped_hash)
        assert [encoding(r, key) for key in ("s", "h", "s2", "h2")] == \
            [b"intset", b"listpack", b"hashtable", b"hashtable"]
    finally:
        raw(r, "CONFIG", "SET", "set-max-intset-entries", "512")
        raw(r, "CONFIG", "SET", "hash-max-listpack-entries", "512")


def test_copy_of_containers_is_independent(r):
    r.rpush("l", "a", "b")
    r.hset("h", "f", "v")
    r.zadd("z", {"m": 1})
    for key in ("l", "h", "z"):
        assert raw(r, "COPY", key, key + "2") == 1
    r.rpush("l2", "c")
    r.hset("h2", "g", "w")
    r.zadd("z2", {"n": 2})
    assert r.lrange("l", 0, -1) == [b"a", b"b"]
    assert r.hgetall("h") == {b"f": b"v"}
    assert r.zrange("z", 0, -1) == [b"m"]
    assert r.lrange("l2", 0, -1) == [b"a", b"b", b"c"]
    assert r.zrange("z2", 0, -1) == [b"m", b"n"]


def test_object_on_missing_key(r):
    for sub in ("ENCODING", "REFCOUNT", "IDLETIME"):
        assert raw(r, "OBJECT", sub, "nokey") is None


def test_object_refcount(r):
    r.set("small", "12")
    r.set("big", "10000")
    r.set("text", "abc")
    r.sadd("s", "1")
    assert raw(r, "OBJECT", "REFCOUNT", "small") == 2147483647
    assert raw(r, "OBJECT", "REFCOUNT", "big") == 1
    assert raw(r, "OBJECT", "REFCOUNT", "text") == 1
    assert raw(r, "OBJECT", "REFCOUNT", "s") == 1


def test_object_refcount_of_edited_small_integers(r):
    """INCRBYFLOAT and SETRANGE leave an unshared string even when it reads as a small integer."""
    assert raw(r, "INCRBYFLOAT", "f", "0") == b"0"
    assert raw(r, "OBJECT", "ENCODING", "f") == b"embstr"
    assert raw(r, "OBJECT", "REFCOUNT", "f") == 1
    assert raw(r, "SETRANGE", "g", "0", "5") == 1
    assert raw(r, "OBJECT", "REFCOUNT", "g") == 1
    assert raw(r, "APPEND", "a", "5") == 1
    assert raw(r, "OBJECT", "REFCOUNT", "a") == 2147483647


def test_object_refcount_of_copied_small_integer(r):
    """COPY duplicates a shared integer into an unshared int; RENAME moves the shared one."""
    r.set("k", "123")
    assert raw(r, "COPY", "k", "c") == 1
    assert raw(r, "OBJECT", "ENCODING", "c") == b"int"
    assert raw(r, "OBJECT", "REFCOUNT", "c") == 1
    assert raw(r, "OBJECT", "REFCOUNT", "k") == 2147483647
    r.rename("k", "moved")
    assert raw(r, "OBJECT", "REFCOUNT", "moved") == 2147483647
    assert raw(r, "INCRBY", "c", "1") == 124
    assert raw(r, "OBJECT", "REFCOUNT", "c") == 2147483647


def test_object_idletime_of_fresh_key(r):
    r.set("k", "v")
    assert raw(r, "OBJECT", "IDLETIME", "k") == 0


def test_object_freq_needs_lfu_policy(r):
    r.set("k", "v")
    assert error_of(r, "OBJECT", "FREQ", "k") == (
        "An LFU maxmemory policy is not selected, access frequency not tracked. Please note that "
        "when switching between policies at runtime LRU and LFU data will take some time to "
        "adjust.")
    assert raw(r, "OBJECT", "FREQ", "nokey") is None


def test_object_freq_and_idletime_under_lfu(r):
    r.set("k", "abc")
    raw(r, "CONFIG", "SET", "maxmemory-policy", "allkeys-lfu")
    try:
        r.set("k2", "abc")
        assert raw(r, "OBJECT", "FREQ", "k2") == 5
        assert error_of(r, "OBJECT", "IDLETIME", "k2") == (
            "An LFU maxmemory policy is selected, idle time not tracked. Please note that when "
            "switching between policies at runtime LRU and LFU data will take some time to adjust.")
        assert raw(r, "OBJECT", "IDLETIME", "nokey") is None
    finally:
        raw(r, "CONFIG", "SET", "maxmemory-policy", "noeviction")


def test_object_help(r):
    reply = raw(r, "OBJECT", "HELP")
    assert reply[0] == b"OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    assert reply[-2:] == [b"HELP", b"    Prints this help."]
    assert b"ENCODING <key>" in reply and len(reply) == 15
    assert raw(r, "object", "help") == reply


def test_object_errors(r):
    assert error_of(r, "OBJECT") == "wrong number of arguments for 'object' command"
    assert error_of(r, "OBJECT", "FOO") == "unknown subcommand 'FOO'. Try OBJECT HELP."
    assert error_of(r, "OBJECT", "ENCODING") == \
        "wrong number of arguments for 'object|encoding' command"
    assert error_of(r, "OBJECT", "ENCODING", "a", "b") == \
        "wrong number of arguments for 'object|encoding' command"
    assert error_of(r, "OBJECT", "HELP", "x") == \
        "wrong number of arguments for 'object|help' command"


def test_object_redis_py(r):
    r.set("k", "12")
    assert r.object("encoding", "k") == b"int"
    assert r.object("refcount", "k") == 2147483647


def test_replies_under_resp3(r):
    r.set("k", "v")
    assert raw(r, "TYPE", "k") == b"string"
    assert raw(r, "OBJECT", "ENCODING", "nokey") is None
    assert raw(r, "SCAN", "0") == [b"0", [b"k"]]


# --- DUMP / RESTORE ------------------------------------------------------------------------------
def payload(body: bytes) -> bytes:
    """A DUMP payload around an RDB object body: version 10 and the CRC-64 Redis checks."""
    from fakeredis.structures.rdb import crc64

    body += b"\n\x00"
    return body + crc64(body).to_bytes(8, "little")


def with_scores(r, key):
    """ZRANGE WITHSCORES as (member, score) tuples under both protocols."""
    return [tuple(pair) for pair in r.zrange(key, 0, -1, withscores=True)]


# Captured from redis-server 7.0 (DUMP after SET).
STRING_DUMPS = [
    (b"0", b"\x00\xc0\x00\n\x00\x98@\xa7x\xf8P\x03\x08"),
    (b"-129", b"\x00\xc1\x7f\xff\n\x00\x17`\x82(T\x80\x84\x80"),
    (b"32768", b"\x00\xc2\x00\x80\x00\x00\n\x00E\xd8.\xed\xd5\xbd\xa9\x10"),
    (b"2147483648", b"\x00\n2147483648\n\x00\xe7\xb1)\xa3L\x1dv\xee"),
    (b"abc", b"\x00\x03abc\n\x00\xd9\xac0=Ar\xa2\xe2"),
    (b"a" * 21, b"\x00\xc3\x06\x15\x01aa\xe0\n\x00\n\x00\xfd\x0c\xb3h\x07A?h"),
    (b"abcdefghijklmnopqrstuvwxyz0123",
     b"\x00\x1eabcdefghijklmnopqrstuvwxyz0123\n\x00\x1e\xfb\xae\xdb\xae\xad@\xd1"),
    (b"ab" * 40, b"\x00\xc3\n@P\x02aba\xe0B\x01\x01ab\n\x00\x94\x9d_\x0e\xb1\xde\xa4E"),
]

# Captured from redis-server 7.0: DUMP of a list, intset, set, listpack hash, hashtable hash,
# listpack zset and skiplist zset.
LIST_DUMP = (b"\x12\x01\x02\xc3.@n\x1an\x00\x00\x00\x08\x00\x81a\x02\x01\x01\x82bb\x03\xdf\xfb\x02"
             b"\xc1,\x02\xf2p\x11\x01\x04\xf4 \x19\x08\x00\x00\x01\x00\x00\t\xe0Fx\xe0<\x00"
             b"\x01H\xff\n\x00)\xd3\x04\x06>\xdb\xd6\x88")
LIST_ITEMS = [b"a", b"1", b"bb", b"-5", b"300", b"70000", b"1099511627776", b"x" * 70]
INTSET_DUMP = (b"\x0b\x18\x04\x00\x00\x00\x04\x00\x00\x00\x90\xee\xfe\xff\x01\x00\x00\x00\x02\x00"
               b"\x00\x00,\x01\x00\x00\n\x00\x04\xe8\x9c\x07l\xd6X\xd5")
SET_DUMP = b"\x02\x02\x01a\x01b\n\x00\xfed!%\xeb\x03=\r"
HASH_LISTPACK_DUMP = (b"\x10\x12\x12\x00\x00\x00\x04\x00\x81f\x02\x81v\x02\x81n\x02\x01\x01\xff"
                      b"\n\x00\xfc\xe4\x08\xf1y\"\xe0\x16")
HASH_DUMP = b"\x04\x01\x01f\xc3\t@A\x01vv\xe04\x00\x01vv\n\x00=q\xbeR7\x86\xcfE"
ZSET_LISTPACK_DUMP = (b"\x11\x1a\x1a\x00\x00\x00\x06\x00\x81c\x02\xdf\xfd\x02\x81a\x02\x831.5\x04"
                      b"\x81b\x02\x02\x01\xff\n\x00\x88\xc4\xc00\xf0\xae\x82v")
ZSET_DUMP = (b"\x05\x01\xc3\t@A\x01aa\xe04\x00\x01aa\x00\x00\x00\x00\x00\x00\xf8?\n\x00$d\x1e6"
             b"\xac\x7fG\xa5")


@pytest.mark.parametrize("value,dumped", STRING_DUMPS)
def test_dump_of_string_is_byte_identical(r, value, dumped):
    r.set("k", value)
    assert raw(r, "DUMP", "k") == dumped
    assert raw(r, "RESTORE", "k2", "0", dumped) == b"OK"
    assert r.get("k2") == value


def test_dump_of_containers_is_byte_identical(r):
    r.rpush("l", "a", "1", "bb", -5, 300, 70000, 2**40, "x" * 70)
    r.sadd("si", 1, 2, 300, -70000)
    r.hset("h", mapping={"f": "v", "n": "1"})
    r.hset("hb", mapping={"f": "v" * 65})
    r.zadd("z", {"a": 1.5, "b": 2, "c": -3})
    r.zadd("zb", {"a" * 65: 1.5})
    assert [raw(r, "DUMP", key) for key in ("l", "si", "h", "hb", "z", "zb")] == [
        LIST_DUMP, INTSET_DUMP, HASH_LISTPACK_DUMP, HASH_DUMP, ZSET_LISTPACK_DUMP, ZSET_DUMP]


def test_dump_of_a_long_list_matches_after_restore(r):
    r.rpush("l", *[f"item{i}" * (i % 7) for i in range(3000)], *range(-2000, 2000, 3))
    dumped = raw(r, "DUMP", "l")
    raw(r, "RESTORE", "l2", "0", dumped)
    assert raw(r, "DUMP", "l2") == dumped
    assert r.lrange("l2", 0, -1) == r.lrange("l", 0, -1)


# Captured from redis-server 7.0: XADD s 1-1 a 1 b x, XADD s 2-0 a -70000 b y*30, XADD s 2-5 c z;
# then XGROUP CREATE s g 0, XREADGROUP GROUP g alice COUNT 2, XGROUP CREATECONSUMER s g bob.
STREAM_DUMP = (
    b"\x13\x01\x10\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x01\xc3@E@`\x11`"
    b"\x00\x00\x00\x19\x00\x03\x01\x00\x01\x02\x01\x81a\x02\x81b\x02@\t\x00\x00 \x01\x05\x01"
    b"\x01\x81x\x02\x05 \x16\x0b\x01\x01\xdf\xff\x02\xf2\x90\xee\xfe\x04\x9ey\xe0\x14\x00\x01\x1f"
    b"\x05`6\x00\x04 1\x08\x81c\x02\x81z\x02\x06\x01\xff\x03\x02\x05\x01\x01\x00\x00\x03\x00\n"
    b"\x00:\xeb\x9a\xd6e|N\x91")
STREAM_GROUP_DUMP = (
    STREAM_DUMP[:-11]
    + b"\x01\x01g\x02\x00\x02\x02\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x01"
    b"\\\xb1v\x16\xa2\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00"
    b"\x00\\\xb1v\x16\xa2\x01\x00\x00\x01\x02\x05alice\\\xb1v\x16\xa2\x01\x00\x00\x02\x00\x00\x00"
    b"\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x02\x00\x00"
    b"\x00\x00\x00\x00\x00\x00\x03bob\\\xb1v\x16\xa2\x01\x00\x00\x00\n\x00a\xb7\x0em\xdf\xd7\x88\r")
STREAM_ENTRIES = [(b"1-1", {b"a": b"1", b"b": b"x"}), (b"2-0", {b"a": b"-70000", b"b": b"y" * 30}),
                  (b"2-5", {b"c": b"z"})]


def add_captured_stream(r):
    raw(r, "XADD", "s", "1-1", "a", "1", "b", "x")
    raw(r, "XADD", "s", "2-0", "a", "-70000", "b", "y" * 30)
    raw(r, "XADD", "s", "2-5", "c", "z")


def test_dump_of_stream_is_byte_identical(r):
    add_captured_stream(r)
    assert raw(r, "DUMP", "s") == STREAM_DUMP


def test_restore_captured_stream_with_group(r):
    assert raw(r, "RESTORE", "s", "0", STREAM_GROUP_DUMP) == b"OK"
    assert r.xrange("s") == STREAM_ENTRIES
    assert raw(r, "TYPE", "s") == b"stream"
    [group] = r.xinfo_groups("s")
    assert (group["name"], group["pending"], group["last-delivered-id"], group["entries-read"],
            group["consumers"]) == (b"g", 2, b"2-0", 2, 2)
    pending = r.xpending_range("s", "g", "-", "+", 10)
    assert [(p["message_id"], p["consumer"], p["times_delivered"]) for p in pending] == \
        [(b"1-1", b"alice", 1), (b"2-0", b"alice", 1)]
    assert [(c["name"], c["pending"]) for c in r.xinfo_consumers("s", "g")] == \
        [(b"alice", 2), (b"bob", 0)]
    info = r.xinfo_stream("s")
    assert (info["entries-added"], info["last-generated-id"]) == (3, b"2-5")


def test_stream_round_trip(r):
    for i in range(1, 200):
        raw(r, "XADD", "s", f"{i}-{i % 3}", "f", str(i), "g", "v" * (i % 40))
    raw(r, "XDEL", "s", "100-1")
    raw(r, "XGROUP", "CREATE", "s", "g1", "0")
    raw(r, "XGROUP", "CREATE", "s", "g2", "$")
    raw(r, "XREADGROUP", "GROUP", "g1", "c1", "COUNT", "5", "STREAMS", "s", ">")
    raw(r, "XREADGROUP", "GROUP", "g1", "c2", "COUNT", "3", "STREAMS", "s", ">")
    raw(r, "XACK", "s", "g1", "2-2")
    raw(r, "RESTORE", "t", "0", raw(r, "DUMP", "s"))
    assert r.xrange("t") == r.xrange("s")
    info_s, info_t = r.xinfo_stream("s", full=True), r.xinfo_stream("t", full=True)
    for field in ("length", "last-generated-id", "max-deleted-entry-id", "entries-added"):
        assert info_t[field] == info_s[field]
    assert r.xinfo_groups("t") == r.xinfo_groups("s")
    assert [p["message_id"] for p in r.xpending_range("t", "g1", "-", "+", 100)] == \
        [p["message_id"] for p in r.xpending_range("s", "g1", "-", "+", 100)]


def test_empty_stream_round_trip(r):
    raw(r, "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
    dumped = raw(r, "DUMP", "s")
    raw(r, "RESTORE", "t", "0", dumped)
    assert raw(r, "TYPE", "t") == b"stream"
    assert r.xlen("t") == 0
    assert [g["name"] for g in r.xinfo_groups("t")] == [b"g"]


def test_dump_missing_key(r):
    assert raw(r, "DUMP", "nokey") is None


def test_dump_arity(r):
    assert error_of(r, "DUMP") == "wrong number of arguments for 'dump' command"
    assert error_of(r, "DUMP", "a", "b") == "wrong number of arguments for 'dump' command"


def test_restore_captured_list(r):
    assert raw(r, "RESTORE", "l", "0", LIST_DUMP) == b"OK"
    assert r.lrange("l", 0, -1) == LIST_ITEMS
    assert raw(r, "OBJECT", "ENCODING", "l") == b"quicklist"


def test_restore_captured_sets(r):
    raw(r, "RESTORE", "si", "0", INTSET_DUMP)
    assert sorted(r.smembers("si"), key=int) == [b"-70000", b"1", b"2", b"300"]
    assert raw(r, "OBJECT", "ENCODING", "si") == b"intset"
    raw(r, "RESTORE", "ss", "0", SET_DUMP)
    assert sorted(r.smembers("ss")) == [b"a", b"b"]
    assert raw(r, "OBJECT", "ENCODING", "ss") == b"hashtable"


def test_restore_captured_hashes(r):
    raw(r, "RESTORE", "h", "0", HASH_LISTPACK_DUMP)
    assert r.hgetall("h") == {b"f": b"v", b"n": b"1"}
    assert raw(r, "OBJECT", "ENCODING", "h") == b"listpack"
    raw(r, "RESTORE", "hb", "0", HASH_DUMP)
    assert r.hgetall("hb") == {b"f": b"v" * 65}
    assert raw(r, "OBJECT", "ENCODING", "hb") == b"hashtable"


def test_restore_captured_zsets(r):
    raw(r, "RESTORE", "z", "0", ZSET_LISTPACK_DUMP)
    assert with_scores(r, "z") == [(b"c", -3.0), (b"a", 1.5), (b"b", 2.0)]
    assert raw(r, "OBJECT", "ENCODING", "z") == b"listpack"
    raw(r, "RESTORE", "zb", "0", ZSET_DUMP)
    assert with_scores(r, "zb") == [(b"a" * 65, 1.5)]
    assert raw(r, "OBJECT", "ENCODING", "zb") == b"skiplist"


def test_dump_restore_round_trip_of_every_type(r):
    r.set("s", "x" * 100)
    r.rpush("l", "a", "1", "x" * 300, "-7")
    r.sadd("set", "a", "1", "b")
    r.sadd("iset", "1", "-2", "300")
    r.hset("h", mapping={"f": "1", "g": "x" * 100})
    r.zadd("z", {"a": 1.5, "b": -2, "c": float("inf"), "d": 1e300})
    for key in ("s", "l", "set", "iset", "h", "z"):
        assert raw(r, "RESTORE", key + "2", "0", raw(r, "DUMP", key)) == b"OK"
        assert raw(r, "TYPE", key + "2") == raw(r, "TYPE", key)
        assert raw(r, "OBJECT", "ENCODING", key + "2") == raw(r, "OBJECT", "ENCODING", key)
    assert r.get("s2") == b"x" * 100
    assert r.lrange("l2", 0, -1) == [b"a", b"1", b"x" * 300, b"-7"]
    assert r.smembers("set2") == {b"a", b"1", b"b"}
    assert r.smembers("iset2") == {b"1", b"-2", b"300"}
    assert r.hgetall("h2") == {b"f": b"1", b"g": b"x" * 100}
    assert with_scores(r, "z2") == \
        [(b"b", -2.0), (b"a", 1.5), (b"d", 1e300), (b"c", float("inf"))]


def test_round_trip_of_large_containers(r):
    r.rpush("l", *[f"item{i}" for i in range(1000)])
    r.sadd("s", *range(600))
    r.hset("h", mapping={f"f{i}": i for i in range(600)})
    r.zadd("z", {f"m{i}": i / 3 for i in range(300)})
    for key in ("l", "s", "h", "z"):
        raw(r, "RESTORE", key + "2", "0", raw(r, "DUMP", key))
        assert raw(r, "OBJECT", "ENCODING", key + "2") == raw(r, "OBJECT", "ENCODING", key)
    assert r.lrange("l2", 0, -1) == r.lrange("l", 0, -1)
    assert r.smembers("s2") == r.smembers("s")
    assert r.hgetall("h2") == r.hgetall("h")
    assert with_scores(r, "z2") == with_scores(r, "z")


def test_restore_plain_rdb_types(r):
    assert raw(r, "RESTORE", "l", "0", payload(b"\x01\x03\x01a\xc0\x05\x02bc")) == b"OK"
    assert r.lrange("l", 0, -1) == [b"a", b"5", b"bc"]
    raw(r, "RESTORE", "z", "0", payload(b"\x03\x02\x01a\x031.5\x01b\xfe"))
    assert with_scores(r, "z") == [(b"a", 1.5), (b"b", float("inf"))]
    raw(r, "RESTORE", "h", "0", payload(b"\x04\x01\x01f\xc1\x00\x01"))
    assert r.hgetall("h") == {b"f": b"256"}


def ziplist(*entries: bytes) -> bytes:
    """A ziplist of short strings (the packed encoding Redis < 7 wrote)."""
    body = b""
    prev = 0
    for item in entries:
        entry = bytes((prev,)) + bytes((len(item),)) + item
        body += entry
        prev = len(entry)
    total = 10 + len(body) + 1
    return (total.to_bytes(4, "little") + (10 + len(body) - prev).to_bytes(4, "little")
            + len(entries).to_bytes(2, "little") + body + b"\xff")


def rdb_string(blob: bytes) -> bytes:
    assert len(blob) < 64
    return bytes((len(blob),)) + blob


def test_restore_ziplist_types(r):
    zl = ziplist(b"a", b"b", b"c")
    raw(r, "RESTORE", "ql", "0", payload(b"\x0e\x01" + rdb_string(zl)))
    assert r.lrange("ql", 0, -1) == [b"a", b"b", b"c"]
    raw(r, "RESTORE", "zl", "0", payload(b"\x0a" + rdb_string(zl)))
    assert r.lrange("zl", 0, -1) == [b"a", b"b", b"c"]
    raw(r, "RESTORE", "h", "0", payload(b"\x0d" + rdb_string(ziplist(b"f", b"v", b"g", b"w"))))
    assert r.hgetall("h") == {b"f": b"v", b"g": b"w"}
    raw(r, "RESTORE", "z", "0", payload(b"\x0c" + rdb_string(ziplist(b"m", b"2.5", b"n", b"3"))))
    assert with_scores(r, "z") == [(b"m", 2.5), (b"n", 3.0)]


def test_restore_with_ttl(r):
    dumped = STRING_DUMPS[4][1]
    assert raw(r, "RESTORE", "k", "100000", dumped) == b"OK"
    assert 99_000 < r.pttl("k") <= 100_000
    at = int(time.time() * 1000) + 200_000
    assert raw(r, "RESTORE", "k2", str(at), dumped, "ABSTTL") == b"OK"
    assert raw(r, "PEXPIRETIME", "k2") == at


def test_restore_with_ttl_in_the_past(r):
    dumped = STRING_DUMPS[4][1]
    assert raw(r, "RESTORE", "k", "1", dumped, "ABSTTL") == b"OK"
    assert r.exists("k") == 0
    r.set("k", "old")
    assert raw(r, "RESTORE", "k", "1", dumped, "ABSTTL", "REPLACE") == b"OK"
    assert r.exists("k") == 0


def test_restore_relative_ttl_that_overflows_expires_at_once(r):
    dumped = STRING_DUMPS[4][1]
    assert raw(r, "RESTORE", "k", str(2**63 - 1), dumped) == b"OK"
    assert r.exists("k") == 0
    assert raw(r, "RESTORE", "k", str(2**63 - 1), dumped, "ABSTTL") == b"OK"
    assert r.pexpiretime("k") == 2**63 - 1


def test_restore_busykey_and_replace(r):
    dumped = STRING_DUMPS[4][1]
    r.set("k", "old", ex=100)
    assert error_of(r, "RESTORE", "k", "0", dumped) == "BUSYKEY Target key name already exists."
    assert r.get("k") == b"old"
    assert raw(r, "RESTORE", "k", "0", dumped, "REPLACE") == b"OK"
    assert r.get("k") == b"abc"
    assert r.ttl("k") == -1
    r.sadd("set", "x")
    assert raw(r, "RESTORE", "set", "0", dumped, "replace") == b"OK"
    assert r.type("set") == b"string"


def test_restore_busykey_wins_over_other_errors(r):
    r.set("k", "v")
    assert error_of(r, "RESTORE", "k", "abc", "x") == "BUSYKEY Target key name already exists."
    assert error_of(r, "RESTORE", "k", "0", "x", "foo") == "syntax error"


@pytest.mark.parametrize("args,message", [
    (("-1", "x"), "Invalid TTL value, must be >= 0"),
    (("abc", "x"), "value is not an integer or out of range"),
    (("0", "x"), "DUMP payload version or checksum are wrong"),
    (("0", "x", "foo"), "syntax error"),
    (("0", "x", "IDLETIME"), "syntax error"),
    (("0", "x", "IDLETIME", "-1"), "Invalid IDLETIME value, must be >= 0"),
    (("0", "x", "IDLETIME", "abc"), "value is not an integer or out of range"),
    (("0", "x", "FREQ", "256"), "Invalid FREQ value, must be >= 0 and <= 255"),
    (("0", "x", "FREQ", "-1"), "Invalid FREQ value, must be >= 0 and <= 255"),
    (("0", "x", "FREQ", "1", "IDLETIME", "1"), "syntax error"),
    (("0", "x", "IDLETIME", "1", "FREQ", "1"), "syntax error"),
])
def test_restore_argument_errors(r, args, message):
    assert error_of(r, "RESTORE", "k", *args) == message
    assert r.exists("k") == 0


def test_restore_rejects_bad_checksum_and_version(r):
    good = STRING_DUMPS[4][1]
    newer_version = good[:-10] + b"\x0b\x00" + good[-8:]
    for bad in (good[:-1] + b"\x00", good[:3] + b"x" + good[4:], newer_version, good[:9], b""):
        assert error_of(r, "RESTORE", "k", "0", bad) == "DUMP payload version or checksum are wrong"
    assert r.exists("k") == 0


def test_restore_accepts_older_rdb_version(r):
    body = b"\x00\x03abc\x09\x00"
    from fakeredis.structures.rdb import crc64
    assert raw(r, "RESTORE", "k", "0", body + crc64(body).to_bytes(8, "little")) == b"OK"
    assert r.get("k") == b"abc"


@pytest.mark.parametrize("body", [
    b"\x63\x03abc",            # unknown type
    b"\x00\x3fab",             # string running past the end of the payload
    b"\x02\x00",               # empty set
    b"\x01\x00",               # empty list
    b"\x02\x02\x01a\x01a",     # duplicate set member
    b"\x00\xc3\x05\x10\x00abcdef",  # LZF that does not expand to the announced length
])
def test_restore_bad_data_format(r, body):
    assert error_of(r, "RESTORE", "k", "0", payload(body)) == "Bad data format"
    assert r.exists("k") == 0


def test_restore_arity(r):
    assert error_of(r, "RESTORE", "k", "0") == "wrong number of arguments for 'restore' command"


def test_restore_idletime(r):
    assert raw(r, "RESTORE", "k", "0", STRING_DUMPS[4][1], "IDLETIME", "1000") == b"OK"
    assert 1000 <= raw(r, "OBJECT", "IDLETIME", "k") <= 1002


def test_restore_freq(r):
    raw(r, "CONFIG", "SET", "maxmemory-policy", "allkeys-lfu")
    try:
        assert raw(r, "RESTORE", "k", "0", STRING_DUMPS[4][1], "FREQ", "100") == b"OK"
        assert raw(r, "OBJECT", "FREQ", "k") == 100
    finally:
        raw(r, "CONFIG", "SET", "maxmemory-policy", "noeviction")


def test_dump_and_restore_redis_py(r):
    r.set("k", "v")
    dumped = r.dump("k")
    assert r.restore("k2", 0, dumped) == b"OK"
    assert r.restore("k2", 0, dumped, replace=True) == b"OK"
    assert r.get("k2") == b"v"


def test_dump_without_compression(r):
    raw(r, "CONFIG", "SET", "rdbcompression", "no")
    try:
        r.set("k", "a" * 30)
        assert raw(r, "DUMP", "k")[:32] == b"\x00\x1e" + b"a" * 30
    finally:
        raw(r, "CONFIG", "SET", "rdbcompression", "yes")


# --- keyspace notifications ----------------------------------------------------------------------
def test_generic_commands_notify_keyspace_events(r, make):
    def expire_lazily():
        r.set("e", "v", px=1)
        time.sleep(0.02)
        r.get("e")

    assert keyevents(
        r, make, ("SET", "a", "v"), ("EXPIRE", "a", "100"), ("PERSIST", "a"),
        ("RENAME", "a", "b"), ("RENAME", "b", "b"), ("COPY", "b", "c"), ("MOVE", "c", "1"),
        lambda: raw(r, "RESTORE", "d", "0", raw(r, "DUMP", "b")),
        lambda: raw(r, "RESTORE", "d", "0", raw(r, "DUMP", "b"), "REPLACE"),
        ("EXPIRE", "d", "-1"), ("TOUCH", "b"), ("DEL", "b", "nokey"), expire_lazily,
        classes="KEA", db=None,
    ) == [
        (0, b"set", b"a"), (0, b"expire", b"a"), (0, b"persist", b"a"),
        (0, b"rename_from", b"a"), (0, b"rename_to", b"b"), (0, b"copy_to", b"c"),
        (0, b"move_from", b"c"), (1, b"move_to", b"c"), (0, b"restore", b"d"),
        (0, b"restore", b"d"), (0, b"del", b"d"), (0, b"del", b"b"), (0, b"set", b"e"),
        (0, b"expire", b"e"), (0, b"expired", b"e"),
    ]


# --- waking blocked clients ----------------------------------------------------------------------
@pytest.mark.parametrize("how", ["RENAME", "RENAMENX", "COPY", "MOVE", "RESTORE"])
def test_commands_creating_a_list_wake_blocked_clients(r, make, how):
    waiter = block(r, make, "BLPOP", "dst", "5")
    if how == "MOVE":
        db1 = make(r, db=1)
        db1.rpush("dst", "a", "b")
        assert raw(db1, "MOVE", "dst", "0") == 1
    else:
        r.rpush("src", "a", "b")
        if how == "RESTORE":
            raw(r, "RESTORE", "dst", "0", raw(r, "DUMP", "src"))
        else:
            raw(r, how, "src", "dst")
    assert waiter.result() == [b"dst", b"a"]
    assert r.lrange("dst", 0, -1) == [b"b"]


@pytest.mark.parametrize("commands, encoding", [
    ([("SET", "s", "12345"), ("SETRANGE", "s", "0", "9")], b"raw"),
    ([("SETRANGE", "s", "0", "12")], b"raw"),
    ([("APPEND", "s", "1")], b"int"),
    ([("APPEND", "s", "1"), ("APPEND", "s", "2")], b"raw"),
    ([("SETBIT", "s", "0", "0")], b"raw"),
    ([("SETBIT", "s", "0", "0"), ("SET", "s", "", "NX")], b"raw"),
    ([("SETBIT", "s", "0", "1"), ("SET", "s", "7")], b"int"),
    ([("SET", "s", "5"), ("INCRBYFLOAT", "s", "1")], b"embstr"),
    ([("SET", "a", "x"), ("BITOP", "NOT", "s", "a")], b"raw"),
    ([("PFADD", "s", "a")], b"raw"),
    ([("SETRANGE", "a", "0", "x"), ("RENAME", "a", "s")], b"raw"),
    ([("SETRANGE", "a", "0", "x"), ("COPY", "a", "s")], b"raw"),
    ([("SET", "a", "5"), ("INCRBYFLOAT", "a", "1"), ("COPY", "a", "s")], b"embstr"),
    ([("SETRANGE", "s", "0", "x"), ("INCR", "s")], b"raw"),  # INCR fails: nothing changes
    ([("SET", "s", "1"), ("APPEND", "s", "2"), ("INCR", "s")], b"int"),
])
def test_object_encoding_of_strings_built_in_place(r, commands, encoding):
    for command in commands:
        try:
            raw(r, *command)
        except redis.ResponseError as exc:
            assert str(exc) == "value is not an integer or out of range"
    assert raw(r, "OBJECT", "ENCODING", "s") == encoding
