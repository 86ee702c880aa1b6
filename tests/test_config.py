"""Unit tests for fakeredis.config: parsing and validation of CONFIG SET values."""

import pytest

from fakeredis.config import Config, canonical, notify_flags, notify_string, parse_memory
from fakeredis.config_defaults import DEFAULTS, SPECS
from fakeredis.errors import ReplyError


def failed(name: str, why: str) -> str:
    return f"ERR CONFIG SET failed (possibly related to argument '{name}') - {why}"


@pytest.mark.parametrize("text, value", [
    (b"0", 0), (b"", 0), (b"10", 10), (b"05", 5), (b"1k", 1000), (b"1kb", 1024), (b"1KB", 1024),
    (b"2m", 2_000_000), (b"2mb", 2 << 20), (b"1g", 10**9), (b"1gb", 1 << 30), (b"7b", 7),
    (b"99999999999999999999", (1 << 64) - 1), (b"kb", 0),
])
def test_parse_memory(text, value):
    assert parse_memory(text) == value


@pytest.mark.parametrize("text", [b"-1", b"1.5", b"abc", b"1tb", b"+5", b" 5", b"1 kb"])
def test_parse_memory_rejects(text):
    assert parse_memory(text) is None


@pytest.mark.parametrize("given, flags, printed", [
    (b"", "", ""), (b"KEA", "g$lshzxetdKE", "AKE"), (b"xEK", "xKE", "xKE"),
    (b"An", "g$lshzxetdn", "A"), (b"Em", "Em", "Em"), (b"g$", "g$", "g$"),
])
def test_notify_flags_and_string(given, flags, printed):
    parsed = notify_flags(given)
    assert parsed is not None
    assert set(parsed) == set(flags)
    assert notify_string(parsed) == printed


@pytest.mark.parametrize("given", [b"Z", b"KEa", b"1", b" "])
def test_notify_flags_reject_unknown_letters(given):
    assert notify_flags(given) is None


def test_canonical_resolves_aliases():
    assert canonical("lua-time-limit") == "busy-reply-threshold"
    assert canonical("slaveof") == "replicaof"
    assert canonical("maxmemory") == "maxmemory"


def test_every_default_has_a_spec():
    assert set(SPECS) == set(DEFAULTS)


def test_set_then_get_through_an_alias():
    config = Config()
    config.set("lua-time-limit", b"10")
    assert config.get_value("busy-reply-threshold") == b"10"
    assert config.get_value("lua-time-limit") == b"10"
    assert config.get_int("busy-reply-threshold") == 10


def test_databases_come_from_the_constructor():
    assert Config(databases=4).get_value("databases") == b"4"


@pytest.mark.parametrize("name, value, stored", [
    ("hz", b"0", b"1"), ("hz", b"501", b"500"), ("hz", b"42", b"42"),
    ("maxmemory", b"1mb", b"1048576"), ("MAXMEMORY", b"2", b"2"),
    ("maxmemory-policy", b"ALLKEYS-LFU", b"allkeys-lfu"), ("appendonly", b"YES", b"yes"),
    ("save", b"", b""), ("save", b"3600 1 300 100", b"3600 1 300 100"),
    ("notify-keyspace-events", b"EKx", b"xKE"), ("requirepass", b"a b", b"a b"),
    ("list-max-listpack-size", b"-2147483648", b"-2147483648"),
    ("shutdown-on-sigint", b"SAVE NOW", b"save now"),
    ("maxmemory-clients", b"10%", b"10%"), ("maxmemory-clients", b"0%", b"0"),
    ("maxmemory-clients", b"1kb", b"1024"), ("oom-score-adj-values", b"0 0 2000", b"0 0 2000"),
    ("latency-tracking-info-percentiles", b"50 99.9", b"50 99.9"),
    ("latency-tracking-info-percentiles", b"1e1", b"10"),
    ("latency-tracking-info-percentiles", b"", b""),
])
def test_validate_normalises(name, value, stored):
    assert Config().validate(name, value) == stored


@pytest.mark.parametrize("name, value, message", [
    ("nosuch", b"1", "ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'"),
    ("databases", b"1", failed("databases", "can't set immutable config")),
    ("dir", b"/", failed("dir", "can't set protected config")),
    ("hz", b"1.5", failed("hz", "argument couldn't be parsed into an integer")),
    ("hz", b"-1", failed("hz", "argument must be between 0 and 2147483647 inclusive")),
    ("proto-max-bulk-len", b"1kb",
     failed("proto-max-bulk-len", "argument must be between 1048576 and 9223372036854775807 "
                                  "inclusive")),
    ("appendonly", b"1", failed("appendonly", "argument must be 'yes' or 'no'")),
    ("appendfsync", b"sometimes",
     failed("appendfsync", "argument(s) must be one of the following: everysec, always, no")),
    ("maxmemory-policy", b"noeviction noeviction",
     failed("maxmemory-policy", "argument(s) must be one of the following: volatile-lru, "
                                "volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, "
                                "allkeys-lfu, allkeys-random, noeviction")),
    ("save", b"1 2 3", failed("save", "Invalid save parameters")),
    ("save", b"1  2", failed("save", "Invalid save parameters")),
    ("client-output-buffer-limit", b"normal 1 2 x",
     failed("client-output-buffer-limit", "Error in hard, soft or soft_seconds setting in buffer "
                                          "limit configuration.")),
    ("maxmemory-clients", b"101%",
     failed("maxmemory-clients", "percentage argument must be less or equal to 100")),
    ("maxmemory-clients", b"1.5%",
     failed("maxmemory-clients", "argument must be a memory or percent value")),
    ("oom-score-adj-values", b"1 2", failed("oom-score-adj-values", "wrong number of arguments")),
    ("oom-score-adj-values", b"0 0 2001",
     failed("oom-score-adj-values", "Invalid oom-score-adj-values, elements must be between "
                                    "-2000 and 2000.")),
    ("latency-tracking-info-percentiles", b"50 101",
     failed("latency-tracking-info-percentiles", "latency-tracking-info-percentiles parameters "
                                                 "should sit between [0.0,100.0]")),
    ("latency-tracking-info-percentiles", b"50  99",
     failed("latency-tracking-info-percentiles",
            "Invalid latency-tracking-info-percentiles parameters")),
])
def test_validate_errors(name, value, message):
    with pytest.raises(ReplyError) as exc:
        Config().validate(name, value)
    assert exc.value.text == message


def test_buffer_limits_merge_classes():
    config = Config()
    config.set("client-output-buffer-limit", b"pubsub 1 2 3 replica 4 5 6")
    assert config.get_value("client-output-buffer-limit") == \
        b"normal 0 0 0 slave 4 5 6 pubsub 1 2 3"


def test_store_tells_the_listener():
    config = Config()
    seen = []
    config.listeners["notify-keyspace-events"] = seen.append
    config.set("NOTIFY-KEYSPACE-EVENTS", b"KEA")
    assert seen == [b"AKE"]


def test_matching_globs_and_exact_names():
    config = Config()
    assert config.matching(b"MAXMEMORY") == {b"MAXMEMORY": b"0"}
    assert set(config.matching(b"maxmemory-p*")) == {b"maxmemory-policy"}
    assert set(config.matching(b"*priority")) == {b"replica-priority", b"slave-priority"}
    assert config.matching(b"nosuch*") == {}


def test_startup_values_may_set_immutable_parameters():
    config = Config()
    config.set("dir", b"/data", startup=True)
    config.set("aclfile", b"users.acl", startup=True)
    config.set("hz", b"600", startup=True)
    assert (config.get_value("dir"), config.get_value("aclfile")) == (b"/data", b"users.acl")
    assert config.get_value("hz") == b"500"
    with pytest.raises(ReplyError):
        config.set("hz", b"abc", startup=True)
