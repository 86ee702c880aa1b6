"""Generic key commands: DEL UNLINK EXISTS TOUCH TYPE KEYS SCAN RANDOMKEY RENAME RENAMENX MOVE COPY
OBJECT."""

import time

import pytest
import redis

from conformance.helpers import raw


def error_of(r, *args):
    """The error text a command replies with."""
    with pytest.raises(redis.ResponseError) as exc:
        raw(r, *args)
    return str(exc.value)


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
    other = make(r)
    with r.pipeline() as pipe:
        pipe.watch("a")
        other.delete("a")
        pipe.multi()
        pipe.get("a")
        with pytest.raises(redis.WatchError):
            pipe.execute()


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
    other = make(r)
    for watched in ("a", "b"):
        with r.pipeline() as pipe:
            pipe.watch(watched)
            other.rename("a" if watched == "a" else "b", "b" if watched == "a" else "a")
            pipe.multi()
            pipe.get("a")
            with pytest.raises(redis.WatchError):
                pipe.execute()


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


def test_object_idletime_of_fresh_key(r):
    r.set("k", "v")
    assert raw(r, "OBJECT", "IDLETIME", "k") == 0


def test_object_freq_needs_lfu_policy(r):
    r.set("k", "v")
    assert error_of(r, "OBJECT", "FREQ", "k") == (
        "An LFU maxmemory policy is not selected, access frequency not tracked. Please note that "
        "when switching between policies at runtime LRU and LFU data will take some time to adjust.")
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
    assert error_of(r, "OBJECT", "HELP", "x") == "wrong number of arguments for 'object|help' command"


def test_object_redis_py(r):
    r.set("k", "12")
    assert r.object("encoding", "k") == b"int"
    assert r.object("refcount", "k") == 2147483647


def test_replies_under_resp3(r):
    r.set("k", "v")
    assert raw(r, "TYPE", "k") == b"string"
    assert raw(r, "OBJECT", "ENCODING", "nokey") is None
    assert raw(r, "SCAN", "0") == [b"0", [b"k"]]
