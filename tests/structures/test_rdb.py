"""RDB serialization: CRC-64, LZF, packed encodings, dump/load round trips."""

import math
import random
import struct
from collections import deque

import pytest

from fakeredis.structures import rdb
from fakeredis.structures.zset import ZSet


def test_crc64_check_value():
    assert rdb.crc64(b"123456789") == 0xE9C6D914C4B8D9CA
    assert rdb.crc64(b"") == 0


def test_crc64_is_incremental():
    assert rdb.crc64(b"6789", rdb.crc64(b"12345")) == rdb.crc64(b"123456789")


# --- LZF -----------------------------------------------------------------------------------------
def test_lzf_known_output():
    # what redis-server 7.0 writes for "a" * 21 and "ab" * 40
    assert rdb.lzf_compress(b"a" * 21, 17) == b"\x01aa\xe0\n\x00"
    assert rdb.lzf_compress(b"ab" * 40, 76) == b"\x02aba\xe0B\x01\x01ab"


def test_lzf_literals_and_back_references():
    # "abcabcabc": literal run of 3, then a back reference of length 6 at distance 3
    assert rdb.lzf_decompress(b"\x02abc\x80\x02", 9) == b"abcabcabc"
    with pytest.raises(rdb.RdbError):
        rdb.lzf_decompress(b"\x02abc\x80\x02", 8)


def test_lzf_round_trip_and_incompressible_input():
    data = b"abcdefgh" * 50 + bytes(range(200))
    assert rdb.lzf_decompress(rdb.lzf_compress(data, len(data)), len(data)) == data
    assert rdb.lzf_compress(bytes(range(100)), 96) is None


def test_lzf_gives_up_when_output_does_not_fit():
    assert rdb.lzf_compress(b"abcdefghijklmnopqrstuvwxyz", 22) is None
    assert rdb.lzf_compress(b"a" * 21, 5) is None
    assert rdb.lzf_compress(b"ab", 10) is None


@pytest.mark.parametrize("seed", range(20))
def test_lzf_round_trip(seed):
    rng = random.Random(seed)
    alphabet = rng.choice([b"a", b"ab", b"abcdef", bytes(range(256))])
    data = bytes(rng.choice(alphabet) for _ in range(rng.randint(3, 5000)))
    packed = rdb.lzf_compress(data, len(data) * 2 + 16)
    assert packed is not None
    assert rdb.lzf_decompress(packed, len(data)) == data


def test_lzf_long_runs_and_far_references():
    data = b"x" * 10000 + bytes(range(256)) * 40 + b"x" * 300
    packed = rdb.lzf_compress(data, len(data))
    assert packed is not None and len(packed) < len(data) // 4
    assert rdb.lzf_decompress(packed, len(data)) == data


@pytest.mark.parametrize("packed,length", [
    (b"\x05ab", 6),            # literal past the input
    (b"\x00a\x20", 3),         # reference truncated
    (b"\x00a\x20\x05", 3),     # reference before the start
    (b"\x01ab", 3),            # shorter than announced
    (b"\x00a\xe0\xff\x00", 3),  # longer than announced
])
def test_lzf_decompress_rejects_bad_input(packed, length):
    with pytest.raises(rdb.RdbError):
        rdb.lzf_decompress(packed, length)


# --- strings -------------------------------------------------------------------------------------
@pytest.mark.parametrize("value,body", [
    (b"0", b"\x00\xc0\x00"),
    (b"-128", b"\x00\xc0\x80"),
    (b"128", b"\x00\xc1\x80\x00"),
    (b"-32769", b"\x00\xc2\xff\x7f\xff\xff"),
    (b"2147483648", b"\x00\n2147483648"),
    (b"007", b"\x00\x03007"),
    (b"", b"\x00\x00"),
    (b"a" * 64, b"\x00\xc3\t@@\x01aa\xe03\x00\x01aa"),  # as redis-server 7.0 writes it
])
def test_dump_string_body(value, body):
    assert rdb.dump(value)[:-10] == body


def test_dump_long_string_uses_long_length():
    value = bytes(range(256)) * 64
    assert rdb.dump(value, compress=False)[:4] == b"\x00\x80\x00\x00"
    assert rdb.load(rdb.dump(value, compress=False))[1] == value


def test_length_encoding():
    assert rdb._length(63) == b"\x3f"
    assert rdb._length(64) == b"\x40\x40"
    assert rdb._length(16383) == b"\x7f\xff"
    assert rdb._length(16384) == b"\x80\x00\x00\x40\x00"
    assert rdb._length(1 << 32) == b"\x81" + (1 << 32).to_bytes(8, "big")


# --- verify and load -----------------------------------------------------------------------------
def test_verify():
    good = rdb.dump(b"abc")
    assert rdb.verify(good)
    assert not rdb.verify(good[:-1] + bytes([good[-1] ^ 1]))
    assert not rdb.verify(good[:9])
    body = b"\x00\x03abc\x0b\x00"
    assert not rdb.verify(body + rdb.crc64(body).to_bytes(8, "little"))


@pytest.mark.parametrize("value", [
    b"abc", b"x" * 1000, deque([b"a", b"1", b"x" * 100]), {b"a", b"1"},
    {b"f": b"v", b"n": b"1"},
])
def test_round_trip(value):
    assert rdb.load(rdb.dump(value))[1] == value


def test_zset_round_trip_keeps_scores():
    zset = ZSet()
    for member, score in ((b"a", 1.5), (b"b", -math.inf), (b"c", 1e300), (b"d", 0.1)):
        zset.insert(member, score)
    loaded = rdb.load(rdb.dump(zset))[1]
    assert list(loaded.order) == list(zset.order)


def test_can_dump():
    assert rdb.can_dump(b"x") and rdb.can_dump(ZSet()) and not rdb.can_dump(object())


def wrap(body):
    body += b"\n\x00"
    return body + rdb.crc64(body).to_bytes(8, "little")


def test_load_rejects_nan_score_and_duplicates():
    nan = struct.pack("<d", math.nan)
    for body in (b"\x05\x01\x01a" + nan, b"\x04\x02\x01f\x01v\x01f\x01w",
                 b"\x05\x02\x01a" + b"\x00" * 8 + b"\x01a" + b"\x00" * 8):
        with pytest.raises(rdb.RdbError):
            rdb.load(wrap(body))


# --- packed encodings ----------------------------------------------------------------------------
def listpack(*entries: bytes) -> bytes:
    body = b"".join(entries)
    return (len(body) + 7).to_bytes(4, "little") + len(entries).to_bytes(2, "little") + body + \
        b"\xff"


def test_listpack_entry_encodings():
    blob = listpack(
        b"\x05\x01",                                   # 7-bit uint 5
        b"\x82hi\x03",                                 # 6-bit string
        b"\xdf\xfd\x02",                               # 13-bit int -3
        b"\xe0\x01" + b"z" * 1 + b"\x03",              # 12-bit string "z"
        b"\xf0\x01\x00\x00\x00y\x06",                  # 32-bit string "y"
        b"\xf1\x00\x80\x03",                           # int16 -32768
        b"\xf2\xff\xff\x7f\x04",                       # int24 8388607
        b"\xf3\x00\x00\x00\x80\x05",                   # int32 -2147483648
        b"\xf4" + (2**40).to_bytes(8, "little") + b"\x09",  # int64
    )
    assert rdb.listpack_items(blob) == [b"5", b"hi", b"-3", b"z", b"y", b"-32768", b"8388607",
                                        b"-2147483648", b"1099511627776"]


def test_listpack_long_entry_backlen():
    entry = b"\xe1\x00" + b"q" * 256
    blob = listpack(entry + b"\x82\x02")
    assert rdb.listpack_items(blob) == [b"q" * 256]


@pytest.mark.parametrize("blob", [
    b"\x07\x00\x00\x00\x00\x00\x00",           # missing terminator
    b"\x08\x00\x00\x00\x01\x00\xf5\xff",       # unknown encoding
    listpack(b"\x05\x01")[:-1] + b"\x00",       # bad terminator
])
def test_listpack_rejects_garbage(blob):
    with pytest.raises(rdb.RdbError):
        rdb.listpack_items(blob)


def test_listpack_count_mismatch():
    blob = bytearray(listpack(b"\x05\x01"))
    blob[4] = 2
    with pytest.raises(rdb.RdbError):
        rdb.listpack_items(bytes(blob))


def test_ziplist_entry_encodings():
    entries = [b"\x02ab", b"\x40\x01c", b"\xc0\x00\x80", b"\xd0\x00\x00\x00\x80",
               b"\xe0" + (2**40).to_bytes(8, "little"), b"\xf0\xff\xff\x7f", b"\xfe\x80",
               b"\xf1", b"\xfd"]
    body = b"".join(b"\x00" + e for e in entries)
    blob = (len(body) + 11).to_bytes(4, "little") + b"\x0a\x00\x00\x00" + \
        len(entries).to_bytes(2, "little") + body + b"\xff"
    assert rdb.ziplist_items(blob) == [b"ab", b"c", b"-32768", b"-2147483648", b"1099511627776",
                                       b"8388607", b"-128", b"0", b"12"]


def test_intset():
    blob = b"\x02\x00\x00\x00\x02\x00\x00\x00\xff\xff\x05\x00"
    assert rdb.intset_items(blob) == [b"-1", b"5"]
    with pytest.raises(rdb.RdbError):
        rdb.intset_items(b"\x03\x00\x00\x00\x00\x00\x00\x00")
    with pytest.raises(rdb.RdbError):
        rdb.intset_items(blob[:-1])


def test_quicklist2_plain_and_packed_nodes():
    lp = listpack(b"\x81a\x02", b"\x01\x01")
    body = b"\x12\x02\x01\x03big\x02" + bytes((len(lp),)) + lp
    assert rdb.load(wrap(body))[1] == deque([b"big", b"a", b"1"])
    with pytest.raises(rdb.RdbError):
        rdb.load(wrap(b"\x12\x01\x03\x01x"))


# --- packed writers ------------------------------------------------------------------------------
@pytest.mark.parametrize("item,encoded", [
    (b"5", b"\x05\x01"),
    (b"127", b"\x7f\x01"),
    (b"128", b"\xc0\x80\x02"),
    (b"-3", b"\xdf\xfd\x02"),
    (b"-4096", b"\xd0\x00\x02"),
    (b"4096", b"\xf1\x00\x10\x03"),
    (b"-32769", b"\xf2\xff\x7f\xff\x04"),
    (b"8388608", b"\xf3\x00\x00\x80\x00\x05"),
    (b"1099511627776", b"\xf4" + (2**40).to_bytes(8, "little") + b"\x09"),
    (b"007", b"\x83007\x04"),
    (b"-0", b"\x82-0\x03"),
    (b"", b"\x80\x01"),
])
def test_listpack_entry(item, encoded):
    assert rdb.listpack_entry(item) == encoded
    assert rdb.listpack_items(rdb.listpack([encoded])) == [item]


def test_listpack_entry_long_strings_round_trip():
    for n in (63, 64, 4095, 4096, 70000):
        item = b"s" * n
        assert rdb.listpack_items(rdb.listpack([rdb.listpack_entry(item)])) == [item]


def test_backlen():
    assert rdb._backlen(127) == b"\x7f"
    assert rdb._backlen(128) == b"\x01\x80"
    assert rdb._backlen(16383) == b"\x7f\xff"
    assert rdb._backlen(16384) == b"\x01\x80\x80"


def test_score_text():
    assert [rdb.score_text(x) for x in (2.0, -3.0, 1.5, 0.1, math.inf, -math.inf, 0.0, -0.0)] == [
        b"2", b"-3", b"1.5", b"0.10000000000000001", b"inf", b"-inf", b"0", b"-0"]
    assert rdb.score_text(2.0**52) == b"4503599627370496"
    assert rdb.score_text(2.0**53) == b"9007199254740992"


def test_intset_width():
    assert rdb.intset([b"1", b"-2"])[:4] == b"\x02\x00\x00\x00"
    assert rdb.intset([b"1", b"70000"])[:4] == b"\x04\x00\x00\x00"
    assert rdb.intset([b"-2147483649"])[:4] == b"\x08\x00\x00\x00"
    assert rdb.intset_items(rdb.intset([b"3", b"-1", b"2"])) == [b"-1", b"2", b"3"]


def test_quicklist_nodes_split_by_size_and_count():
    items = [b"x" * 1000] * 20
    nodes = list(rdb._quicklist_nodes(items, -2))
    assert [len(rdb.listpack_items(blob)) for _, blob in nodes] == [8, 8, 4]
    nodes = list(rdb._quicklist_nodes([b"a"] * 7, 3))
    assert [len(rdb.listpack_items(blob)) for _, blob in nodes] == [3, 3, 1]


def test_dump_list_as_quicklist():
    payload = rdb.dump(deque([b"a", b"1"]))
    assert payload[:3] == b"\x12\x01\x02"
    assert rdb.load(payload)[1] == deque([b"a", b"1"])


def test_dump_chooses_the_packed_form_by_encoding():
    assert rdb.dump({b"1", b"2"}, b"intset")[0] == rdb.TYPE_SET_INTSET
    assert rdb.dump({b"1", b"2"}, b"hashtable")[0] == rdb.TYPE_SET
    assert rdb.dump({b"f": b"v"}, b"listpack")[0] == rdb.TYPE_HASH_LISTPACK
    assert rdb.dump({b"f": b"v"}, b"hashtable")[0] == rdb.TYPE_HASH
    zset = ZSet()
    zset.insert(b"m", 1.0)
    assert rdb.dump(zset, b"listpack")[0] == rdb.TYPE_ZSET_LISTPACK
    assert rdb.dump(zset, b"skiplist")[0] == rdb.TYPE_ZSET_2


# --- streams -------------------------------------------------------------------------------------
def make_stream():
    from fakeredis.structures.stream import Group, Stream, make_id

    stream = Stream()
    stream.add(make_id(1, 1), [b"a", b"1"], 0, 0)
    stream.add(make_id(2, 0), [b"a", b"2"], 0, 0)
    stream.add(make_id(3, 0), [b"b", b"x"], 0, 0)
    group = stream.groups[b"g"] = Group(b"g", make_id(2, 0), 2)
    consumer, _ = group.consumer(b"alice", 1000)
    group.deliver(make_id(1, 1), consumer, 1234)
    return stream


def test_stream_round_trip_keeps_entries_groups_and_pel():
    stream = make_stream()
    loaded = rdb.load(rdb.dump(stream))[1]
    assert list(loaded.range(0, (1 << 128) - 1)) == list(stream.range(0, (1 << 128) - 1))
    assert (loaded.last_id, loaded.entries_added, loaded.max_deleted_id) == \
        (stream.last_id, stream.entries_added, stream.max_deleted_id)
    group = loaded.groups[b"g"]
    assert (group.last_id, group.entries_read) == (stream.groups[b"g"].last_id, 2)
    [(stream_id, pending)] = group.pending.items()
    assert (stream_id, pending.consumer.name, pending.delivery_ms, pending.delivery_count) == \
        ((1 << 64) | 1, b"alice", 1234, 1)
    assert group.consumers[b"alice"].seen_ms == 1000
    loaded._check()


def test_stream_unknown_entries_read_survives():
    stream = make_stream()
    stream.groups[b"g"].entries_read = -1
    assert rdb.load(rdb.dump(stream))[1].groups[b"g"].entries_read == -1


def test_stream_type_15_without_counters():
    from fakeredis.structures.stream import make_id

    master, last = make_id(1, 1), make_id(3, 0)
    node = rdb._stream_node(master, (b"a",), [(master, [b"a", b"1"]), (last, [b"b", b"x"])])
    body = bytes((rdb.TYPE_STREAM_LISTPACKS,)) + rdb._length(1)
    body += rdb.encode_string(master.to_bytes(16, "big"), False) + rdb.encode_string(node, False)
    body += rdb._length(2) + rdb._stream_id(last)  # length, last id; no Redis 7 counters
    body += rdb._length(1) + rdb.encode_string(b"g", False) + rdb._stream_id(last)  # no entries-read
    body += rdb._length(0) + rdb._length(0)  # empty PEL, no consumers
    loaded = rdb.load(wrap(body))[1]
    assert [fields for _, fields in loaded.range(0, last)] == [[b"a", b"1"], [b"b", b"x"]]
    assert (loaded.entries_added, loaded.last_id) == (2, last)
    assert loaded.groups[b"g"].entries_read == 2


def test_stream_pel_entry_without_consumer_is_rejected():
    stream = make_stream()
    group = stream.groups[b"g"]
    group.consumers.clear()
    with pytest.raises(rdb.RdbError):
        rdb.load(rdb.dump(stream))
