"""The HyperLogLog string format: hashing, registers, sparse updates, the estimator."""

import random

import pytest

from fakeredis.structures import hll

SPARSE_MAX = 3000


def registers_of(n, seed=0):
    rng = random.Random(seed)
    return bytes(rng.randrange(n) for _ in range(hll.REGISTERS))


def sparse_with(sets, sparse_max=SPARSE_MAX):
    buf = hll.new()
    for index, value in sets:
        hll.sparse_set(buf, index, value, sparse_max)
    return buf


def test_positions_agree_with_redis():
    # PFDEBUG DECODE on Redis 7.0 after PFADD h a b: "Z:12711 v:2,1 Z:3068 v:1,1 Z:603"
    assert hll.position(b"a") == (12711, 2)
    assert hll.position(b"b") == (15780, 1)


# Where Redis 7.0 put b"\x01\x02...\xNN" of each length 0..17 (PFADD, then PFDEBUG DECODE):
# every tail length of MurmurHash64A, with zero, one and two whole 8-byte words.
REDIS_POSITIONS = [
    (5938, 2), (9478, 2), (8340, 1), (14282, 1), (6906, 1), (6758, 1), (9292, 1), (4897, 6),
    (15022, 2), (14627, 1), (8145, 1), (1534, 3), (12818, 2), (8935, 2), (8975, 2), (13709, 13),
    (15213, 1), (413, 1),
]


@pytest.mark.parametrize("length", range(18))
def test_hashing_of_every_tail_length_agrees_with_redis(length):
    assert hll.position(bytes(range(1, length + 1))) == REDIS_POSITIONS[length]


def test_an_empty_hll():
    buf = hll.new()
    assert bytes(buf) == b"HYLL\x01" + bytes(11) + b"\x7f\xff"
    assert hll.is_hll(bytes(buf))
    assert hll.cached_count(bytes(buf)) == 0
    assert hll.count(bytes(buf)) == 0


@pytest.mark.parametrize("index", [0, 1, 2, 3, 4, 5, 16381, 16382, 16383])
def test_dense_registers_at_every_bit_alignment(index):
    buf = bytearray(hll.dense_value(hll.new(), bytes(hll.REGISTERS)))
    for value in (1, 17, 63):
        assert hll.dense_set(buf, index, value) is True
        assert hll.dense_get(buf, index) == value
        assert hll.dense_set(buf, index, value) is False
    regs = hll.registers(bytes(buf))
    assert regs[index] == 63
    assert regs.count(0) == hll.REGISTERS - 1


def test_dense_body_round_trip():
    regs = registers_of(64)
    value = hll.dense_value(hll.new(), regs)
    assert len(value) == hll.DENSE_SIZE
    assert hll.registers(value) == regs
    assert all(hll.dense_get(value, i) == regs[i] for i in range(0, hll.REGISTERS, 97))


def test_max_registers():
    a, b = registers_of(64, 1), registers_of(64, 2)
    assert hll.max_registers(a, b) == bytes(map(max, a, b))


def test_sparse_update_splits_and_merges_runs():
    buf = sparse_with([(5, 3)])
    assert hll.decode_sparse(bytes(buf)) == b"z:5 v:3,1 Z:16378"
    buf = sparse_with([(5, 3), (6, 3), (4, 3)])
    assert hll.decode_sparse(bytes(buf)) == b"z:4 v:3,3 Z:16377"
    assert hll.sparse_set(buf, 5, 2, SPARSE_MAX) is False
    assert hll.sparse_set(buf, 5, 4, SPARSE_MAX) is True
    assert hll.decode_sparse(bytes(buf)) == b"z:4 v:3,1 v:4,1 v:3,1 Z:16377"


def test_sparse_becomes_dense_for_a_value_above_32():
    buf = sparse_with([(5, 3)])
    buf[8:16] = b"\x01" + bytes(6) + b"\x80"
    assert hll.sparse_set(buf, 9, 33, SPARSE_MAX) is True
    assert len(buf) == hll.DENSE_SIZE
    assert bytes(buf[:16]) == b"HYLL\x00" + bytes(3) + b"\x01" + bytes(6) + b"\x80"
    assert (hll.dense_get(buf, 5), hll.dense_get(buf, 9)) == (3, 33)


def test_sparse_becomes_dense_past_the_size_limit():
    buf = sparse_with([(i * 10, 1) for i in range(5)])
    assert len(buf) == 27
    at_limit = bytearray(buf)
    assert hll.sparse_set(at_limit, 1000, 2, 30) is True
    assert (at_limit[4], len(at_limit)) == (hll.SPARSE, 30)
    assert hll.sparse_set(buf, 1000, 2, 29) is True
    assert buf[4] == hll.DENSE
    regs = hll.registers(bytes(buf))
    assert [regs[i * 10] for i in range(5)] + [regs[1000]] == [1, 1, 1, 1, 1, 2]


@pytest.mark.parametrize("updates, encoding", [(10, hll.SPARSE), (300, hll.SPARSE),
                                              (2500, hll.DENSE)])
def test_merging_in_order_equals_setting_one_by_one(updates, encoding):
    rng = random.Random(updates)
    base = sparse_with([(rng.randrange(hll.REGISTERS), rng.randrange(1, 8)) for _ in range(50)])
    maxima = bytearray(hll.registers(bytes(base)))
    for _ in range(updates):
        index = rng.randrange(hll.REGISTERS)
        maxima[index] = max(maxima[index], rng.randrange(1, 20))
    expected = bytearray(base)
    for index, value in enumerate(maxima):
        if value and expected[4] == hll.DENSE:
            hll.dense_set(expected, index, value)
        elif value:
            hll.sparse_set(expected, index, value, SPARSE_MAX)
    merged = bytearray(base)
    hll.write_registers(merged, bytes(maxima), SPARSE_MAX)
    assert merged == expected
    assert merged[4] == encoding


@pytest.mark.parametrize("body", [b"", b"\x7f\xfe", b"\x7f\xff\x00", b"\x7f\xff\x80", b"\x3f"])
def test_corrupt_sparse_bodies(body):
    value = b"HYLL\x01" + bytes(11) + body
    with pytest.raises(hll.CorruptHLL):
        hll.registers(value)


def test_a_value_run_past_the_last_register_is_corrupt():
    with pytest.raises(hll.CorruptHLL):
        hll.registers(b"HYLL\x01" + bytes(11) + b"\x7f\xfe\x81")


def test_what_is_a_hyperloglog_string():
    assert not hll.is_hll(b"HYLL")
    assert not hll.is_hll(b"HYLL\x02" + bytes(11) + b"\x7f\xff")
    assert not hll.is_hll(b"HYLL\x00" + bytes(11) + b"\x7f\xff")
    assert not hll.is_hll(b"HYLX\x01" + bytes(11) + b"\x7f\xff")
    assert hll.is_hll(b"HYLL\x01" + bytes(11))
    assert hll.is_hll(hll.dense_value(hll.new(), bytes(hll.REGISTERS)))


def test_cache_bits():
    buf = hll.new()
    hll.store_count(buf, 300)
    assert hll.cached_count(bytes(buf)) == 300
    hll.invalidate(buf)
    assert hll.cached_count(bytes(buf)) is None
    assert buf[8:16] == b"\x2c\x01" + bytes(5) + b"\x80"


def test_estimate_edges():
    assert hll.estimate(bytes(hll.REGISTERS)) == 0
    assert hll.estimate(bytes([1]) + bytes(hll.REGISTERS - 1)) == 1
    assert hll.estimate(bytes([63]) * hll.REGISTERS) == -(1 << 63)
    assert hll.estimate(bytes([50]) * hll.REGISTERS) == -(1 << 63)


def test_estimates_stay_within_a_few_standard_errors():
    buf = hll.new()
    for n in range(1, 20001):
        hll.add(buf, b"element:%d" % n, SPARSE_MAX)
        if n in (10, 100, 1000, 5000, 20000):
            assert abs(hll.count(bytes(buf)) - n) <= max(1, 0.0081 * 3 * n)


def test_self_test_passes_and_notices_broken_packing(monkeypatch):
    assert hll.self_test(random.Random(1)) is None
    monkeypatch.setattr(hll, "dense_get", lambda buf, index: 0)
    assert hll.self_test(random.Random(1)) == "Register error"
