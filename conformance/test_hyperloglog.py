"""HyperLogLog: PFADD PFCOUNT PFMERGE PFDEBUG, stored byte for byte as Redis 7.0 stores them.

Expected counts, bytes and digests were taken from a real redis-server 7.0.15.
"""

import hashlib

import pytest

from conformance.helpers import error_of, keyevents, raw, watch_aborts

HLL_WRONGTYPE = "WRONGTYPE Key is not a valid HyperLogLog string value."
CORRUPT = "INVALIDOBJ Corrupted HLL object detected"
WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"
SPARSE_HEADER = b"HYLL\x01\x00\x00\x00" + bytes(7)
STALE = b"\x80"
EMPTY_OPCODES = b"\x7f\xff"


def nums(n, start=1):
    return [str(i).encode() for i in range(start, start + n)]


def blobs(n):
    return [hashlib.sha256(b"%d" % i).digest()[: i % 23] for i in range(n)]


def sha1(value):
    return hashlib.sha1(value).hexdigest()


def test_pfadd_without_elements_creates_an_empty_sparse_hll(r):
    assert raw(r, "PFADD", "h") == 1
    assert r.get("h") == SPARSE_HEADER + STALE + EMPTY_OPCODES
    assert raw(r, "PFADD", "h") == 0
    assert raw(r, "PFCOUNT", "h") == 0
    assert r.get("h") == SPARSE_HEADER + b"\x00" + EMPTY_OPCODES


def test_pfadd_replies_whether_a_register_changed(r):
    assert raw(r, "PFADD", "h", "x", "y", "z") == 1
    assert raw(r, "PFADD", "h", "x") == 0
    assert raw(r, "PFADD", "h", "x", "y") == 0
    assert raw(r, "PFADD", "h", "x", "w") == 1
    assert r.get("h") == SPARSE_HEADER + STALE + bytes.fromhex("504784513b8058cd8845a08408")


def test_small_sparse_bytes_and_cache_after_pfcount(r):
    raw(r, "PFADD", "h", "a", "b", "c")
    assert r.get("h") == SPARSE_HEADER + STALE + b"`\xf3\x80P\xb1\x84K\xfb\x80BZ"
    assert raw(r, "PFCOUNT", "h") == 3
    assert r.get("h") == b"HYLL\x01\x00\x00\x00\x03" + bytes(7) + b"`\xf3\x80P\xb1\x84K\xfb\x80BZ"
    assert raw(r, "PFADD", "h", "a") == 0
    assert r.get("h")[8:16] == b"\x03" + bytes(7)
    assert raw(r, "PFADD", "h", "d") == 1
    assert r.get("h")[8:16] == b"\x03" + bytes(6) + STALE


THIRTY = (
    SPARSE_HEADER + STALE
    + b"A\xee\x84D\x11\x80D\x10\x80D>\x80@\xe2\x80@\xbc\x8c7\x88B\x10\x80B\xdc\x80A\xf6\x80Eq\x90@"
    b"\xdb\x80B\x11\x84AB\x80B\xc1\x84@\x8e\x8c@\xe6\x8c(\x80E$\x80@\x92\x80C\xe2\x84A$\x84C\xdd"
    b"\x80CV\x80B]\x80@x\x80B\x12\x8c@\xb8\x80\x15\x84A\xbb\x80Ae"
)


def test_thirty_elements_one_at_a_time_or_at_once_give_the_same_bytes(r):
    raw(r, "PFADD", "once", *nums(30))
    for element in nums(30):
        raw(r, "PFADD", "each", element)
    assert r.get("once") == THIRTY
    assert r.get("each") == THIRTY


@pytest.mark.parametrize("n, count, digest, digest_counted, encoding", [
    (1, 1, "25b487e0466cb7c90ceb12410d768f993de5df0d", "0ce323f0470dbecc22322e7d92e4a5e9ca9d2430",
     b"sparse"),
    (10, 10, "d6e0d6f312d6ebc4f2db5a464ded6a895003a775", "d039add9075096cf8894fc3fcfaafe59a02bf724",
     b"sparse"),
    (100, 100, "12f68f521899ae4990e26d0c6bc9d0bf7dd0a739",
     "2a5cbdc975b2c69b8b75cf4c65cc52f5f65d8beb", b"sparse"),
    (1000, 1001, "a1ca97c185891bb106aa0d3d2ae440fa978b6c54",
     "38d718271970bdc52ab494e39e581d108d2f3cae", b"sparse"),
    (20000, 19891, "feec235dab08d2b5cabdc62bd2c4f1bc5feb2e01",
     "531fa35e5e3ad15555521d4dac106323d542c2b2", b"dense"),
])
def test_counts_and_stored_bytes_match_redis(r, n, count, digest, digest_counted, encoding):
    assert raw(r, "PFADD", "h", *nums(n)) == 1
    assert sha1(r.get("h")) == digest
    assert raw(r, "PFDEBUG", "ENCODING", "h") == encoding
    assert raw(r, "PFCOUNT", "h") == count
    assert sha1(r.get("h")) == digest_counted
    assert raw(r, "PFCOUNT", "h") == count


@pytest.mark.parametrize("n, count", [(5, 5), (300, 288), (5000, 4728)])
def test_counts_of_binary_elements(r, n, count):
    raw(r, "PFADD", "h", *blobs(n))
    assert raw(r, "PFCOUNT", "h") == count


def test_sparse_becomes_dense_past_hll_sparse_max_bytes(r):
    for element in nums(1648):
        raw(r, "PFADD", "h", element)
    assert r.strlen("h") == 3000
    assert raw(r, "PFDEBUG", "ENCODING", "h") == b"sparse"
    assert raw(r, "PFADD", "h", "1649") == 1
    assert r.strlen("h") == 12304
    assert raw(r, "PFDEBUG", "ENCODING", "h") == b"dense"
    assert raw(r, "PFCOUNT", "h") == 1656


def test_pfcount_of_several_keys_counts_the_union(r):
    raw(r, "PFADD", "a", *nums(1000))
    raw(r, "PFADD", "b", *nums(1000, 501))
    raw(r, "PFADD", "c", *nums(10, 5000))
    assert raw(r, "PFCOUNT", "a", "b") == 1512
    assert raw(r, "PFCOUNT", "a", "b", "c", "missing") == 1522
    assert raw(r, "PFCOUNT", "missing", "missing2") == 0
    assert r.get("a")[15:16] == STALE


def test_pfmerge_into_a_new_key(r):
    raw(r, "PFADD", "a", *nums(1000))
    raw(r, "PFADD", "c", *nums(10, 5000))
    assert raw(r, "PFMERGE", "d", "c", "a") == b"OK"
    value = r.get("d")
    assert len(value) == 1937
    assert sha1(value) == "6406c45618c298571ca8240e92a1fc4178ed3b50"
    assert raw(r, "PFCOUNT", "d") == 1011


def test_pfmerge_of_small_sparse_hlls(r):
    raw(r, "PFADD", "x", *nums(20))
    raw(r, "PFADD", "y", *nums(20, 15))
    assert raw(r, "PFMERGE", "d", "x", "y") == b"OK"
    assert r.get("d") == (
        SPARSE_HEADER + STALE
        + b"A\xee\x84@\x9a\x90Cu\x80D\x10\x80D>\x80@\xe2\x80@\xbc\x8c7\x88@\xab\x80Ac\x80B\xdc\x80A"
        b"\x06\x80@\xee\x80Eq\x90@\xdb\x80B\x11\x84AB\x80B\xc1\x84@\x8e\x8c@\xe6\x8c(\x80E$\x80@"
        b"\x92\x80C\xe2\x84A$\x84C\xdd\x80@X\x80B\xfc\x80B]\x80@x\x80B\x12\x8c@\xb8\x80\x15\x84A"
        b"\xbb\x80Ae"
    )
    assert raw(r, "PFCOUNT", "d") == 34


def test_pfmerge_counts_the_destination_as_a_source(r):
    raw(r, "PFADD", "d", *nums(30))
    raw(r, "PFADD", "x", *nums(10, 100))
    assert raw(r, "PFMERGE", "d", "x") == b"OK"
    assert raw(r, "PFCOUNT", "d") == 40
    assert raw(r, "PFMERGE", "d") == b"OK"
    assert raw(r, "PFCOUNT", "d") == 40


def test_pfmerge_of_nothing_creates_an_empty_hll(r):
    assert raw(r, "PFMERGE", "d", "missing") == b"OK"
    assert r.get("d") == SPARSE_HEADER + STALE + EMPTY_OPCODES


def test_pfmerge_with_a_dense_source_makes_a_dense_destination(r):
    raw(r, "PFADD", "big", *nums(20000))
    raw(r, "PFADD", "d", "a", "b")
    assert raw(r, "PFMERGE", "d", "big") == b"OK"
    assert raw(r, "PFDEBUG", "ENCODING", "d") == b"dense"
    assert raw(r, "PFCOUNT", "d") == 19891


def test_a_value_copied_with_set_is_a_hyperloglog(r):
    r.set("h", THIRTY)
    assert raw(r, "PFCOUNT", "h") == 30
    assert raw(r, "PFADD", "h", *nums(30)) == 0
    assert raw(r, "PFADD", "h", "31") == 1


def test_pfcount_returns_the_cached_value_while_it_is_valid(r):
    raw(r, "PFADD", "h", "a", "b", "c")
    raw(r, "PFCOUNT", "h")
    r.setrange("h", 8, b"\x2a")
    assert raw(r, "PFCOUNT", "h") == 42
    r.setrange("h", 15, STALE)
    assert raw(r, "PFCOUNT", "h") == 3


def test_pfcount_beyond_64_bits_overflows_like_redis(r):
    registers_of_50 = bytes.fromhex("b22ccb") * 4096
    r.set("h", b"HYLL\x00\x00\x00\x00" + bytes(7) + STALE + registers_of_50)
    assert raw(r, "PFCOUNT", "h") == -9223372036854775808
    assert r.get("h")[8:16] == bytes(7) + STALE


def test_strings_that_are_not_hyperloglogs(r):
    r.set("s", "HYLLgarbage")
    r.set("short", "HYLL")
    r.set("dense", b"HYLL\x00\x00\x00\x00" + bytes(8) + bytes(100))
    r.set("encoding", b"HYLL\x02\x00\x00\x00" + bytes(8) + EMPTY_OPCODES)
    for key in ("s", "short", "dense", "encoding"):
        assert error_of(r, "PFADD", key, "a") == HLL_WRONGTYPE
        assert error_of(r, "PFCOUNT", key) == HLL_WRONGTYPE
        assert error_of(r, "PFCOUNT", "missing", key) == HLL_WRONGTYPE
        assert error_of(r, "PFMERGE", "d", key) == HLL_WRONGTYPE
        assert error_of(r, "PFMERGE", key) == HLL_WRONGTYPE
    assert r.exists("d") == 0


def test_corrupt_sparse_bodies(r):
    for body in (b"", b"\x7f\xf0", b"\x7f\xff\x00", b"\x7f\xfe"):
        r.set("h", SPARSE_HEADER + STALE + body)
        assert error_of(r, "PFCOUNT", "h") == CORRUPT
        assert error_of(r, "PFCOUNT", "h", "missing") == CORRUPT
        assert error_of(r, "PFMERGE", "d", "h") == CORRUPT
        assert error_of(r, "PFDEBUG", "GETREG", "h") == CORRUPT
    assert r.exists("d") == 0
    r.set("h", SPARSE_HEADER + STALE)
    assert error_of(r, "PFADD", "h", "a") == CORRUPT
    assert r.get("h") == SPARSE_HEADER + STALE


def test_pfadd_on_a_corrupt_body_keeps_the_registers_set_before_the_error(r):
    r.set("h", SPARSE_HEADER + b"\x00\x3f")
    assert error_of(r, "PFADD", "h", "315", "f") == CORRUPT
    assert r.get("h") == SPARSE_HEADER + STALE + b"\x0b\x882"
    assert raw(r, "PFADD", "h", "632") == 1
    assert r.get("h") == SPARSE_HEADER + STALE + b"\x0b\x88\x1f\x80\x11"


def test_other_types_get_the_usual_wrongtype(r):
    r.rpush("l", "a")
    assert error_of(r, "PFADD", "l", "a") == WRONGTYPE
    assert error_of(r, "PFCOUNT", "l") == WRONGTYPE
    assert error_of(r, "PFCOUNT", "missing", "l") == WRONGTYPE
    assert error_of(r, "PFMERGE", "l", "missing") == WRONGTYPE
    assert error_of(r, "PFMERGE", "d", "l") == WRONGTYPE
    assert error_of(r, "PFDEBUG", "ENCODING", "l") == WRONGTYPE


def test_arity(r):
    assert error_of(r, "PFADD") == "wrong number of arguments for 'pfadd' command"
    assert error_of(r, "PFCOUNT") == "wrong number of arguments for 'pfcount' command"
    assert error_of(r, "PFMERGE") == "wrong number of arguments for 'pfmerge' command"
    assert error_of(r, "PFDEBUG", "ENCODING") == "wrong number of arguments for 'pfdebug' command"


def test_writes_keep_the_ttl(r):
    raw(r, "PFADD", "h", "a")
    r.expire("h", 1000)
    raw(r, "PFADD", "h", "b")
    raw(r, "PFCOUNT", "h")
    raw(r, "PFMERGE", "h", "missing")
    assert 990 < r.ttl("h") <= 1000


def test_which_commands_touch_a_watched_key(r, make):
    raw(r, "PFADD", "h", "a")
    other = make(r)
    assert watch_aborts(r, "h", lambda: raw(other, "PFCOUNT", "h"))
    assert not watch_aborts(r, "h", lambda: raw(other, "PFCOUNT", "h"))
    assert not watch_aborts(r, "h", lambda: raw(other, "PFCOUNT", "h", "missing"))
    assert not watch_aborts(r, "h", lambda: raw(other, "PFADD", "h", "a"))
    assert watch_aborts(r, "h", lambda: raw(other, "PFADD", "h", "b"))
    assert watch_aborts(r, "h", lambda: raw(other, "PFMERGE", "h"))
    assert not watch_aborts(r, "h", lambda: raw(other, "PFDEBUG", "TODENSE", "h"))


def test_pfdebug(r):
    raw(r, "PFADD", "h", "a", "b")
    assert raw(r, "PFDEBUG", "DECODE", "h") == b"Z:12711 v:2,1 Z:3068 v:1,1 Z:603"
    assert raw(r, "PFDEBUG", "encoding", "h") == b"sparse"
    registers = raw(r, "PFDEBUG", "GETREG", "h")
    assert len(registers) == 16384
    assert (registers[12711], registers[15780], sum(registers)) == (2, 1, 3)
    assert raw(r, "PFDEBUG", "ENCODING", "h") == b"dense"
    assert raw(r, "PFDEBUG", "TODENSE", "h") == 0
    assert error_of(r, "PFDEBUG", "DECODE", "h") == "HLL encoding is not sparse"
    raw(r, "PFADD", "s", "a")
    assert raw(r, "PFDEBUG", "TODENSE", "s") == 1
    assert r.strlen("s") == 12304
    assert error_of(r, "PFDEBUG", "FOO", "h") == "Unknown PFDEBUG subcommand 'FOO'"
    assert error_of(r, "PFDEBUG", "FOO", "missing") == "The specified key does not exist"
    assert error_of(r, "PFDEBUG", "GETREG", "missing") == "The specified key does not exist"


def test_notifications_are_pfadd_events_of_the_string_class(r, make):
    assert keyevents(
        r, make, ("PFADD", "h", "a"), ("PFADD", "h", "a"), ("PFCOUNT", "h"), ("PFMERGE", "d", "h"),
        ("PFDEBUG", "TODENSE", "h"), ("PFADD", "h", "b"), classes="E$",
    ) == [(b"pfadd", b"h"), (b"pfadd", b"d"), (b"pfadd", b"h")]


def test_hll_sparse_max_bytes_is_read_at_each_update(r):
    r.config_set("hll-sparse-max-bytes", 100)
    try:
        lengths = []
        for element in nums(28):
            raw(r, "PFADD", "h", element)
            lengths.append(r.strlen("h"))
    finally:
        r.config_set("hll-sparse-max-bytes", 3000)
    assert lengths == [21, 24, 27, 30, 33, 36, 39, 42, 45, 47, 50, 53, 56, 59, 62, 65, 68, 71, 74,
                       77, 80, 83, 86, 89, 92, 95, 98, 12304]
    assert raw(r, "PFCOUNT", "h") == 28


def test_pfselftest(r):
    assert raw(r, "PFSELFTEST") == b"OK"
    assert error_of(r, "PFSELFTEST", "x") == "wrong number of arguments for 'pfselftest' command"
