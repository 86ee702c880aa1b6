"""Stream: ids, macro nodes, trimming, groups and the invariant under random operations."""

from hypothesis import given, settings
from hypothesis import strategies as st

from fakeredis.structures.stream import (
    MAX_ID, MAX_SEQ, Consumer, Group, Stream, format_id, make_id,
)

FIELDS = [b"f", b"v"]


def filled(n: int, node_entries: int = 100, node_bytes: int = 4096) -> Stream:
    stream = Stream()
    for i in range(1, n + 1):
        stream.add(make_id(i, 0), FIELDS, node_entries, node_bytes)
    return stream


def ids(stream: Stream) -> list[int]:
    return [stream_id for stream_id, _ in stream.range(0, MAX_ID)]


def test_id_forms():
    assert make_id(5, 7) == (5 << 64) | 7
    assert format_id(make_id(5, 7)) == b"5-7"
    assert format_id(MAX_ID) == b"%d-%d" % (MAX_SEQ, MAX_SEQ)


def test_next_id_follows_the_clock_and_bumps_the_sequence():
    stream = Stream()
    assert stream.next_id(100) == make_id(100, 0)
    stream.add(make_id(100, 0), FIELDS, 100, 4096)
    assert stream.next_id(100) == make_id(100, 1)
    assert stream.next_id(50) == make_id(100, 1)
    assert stream.next_id(0, ms=100) == make_id(100, 1)
    assert stream.next_id(0, ms=99) is None
    assert stream.next_id(0, ms=101) == make_id(101, 0)
    stream.add(make_id(100, MAX_SEQ), FIELDS, 100, 4096)
    assert stream.next_id(0) == make_id(101, 0)
    assert stream.next_id(0, ms=100) is None


def test_ranges_counts_and_reverse():
    stream = filled(10)
    assert ids(stream) == [make_id(i, 0) for i in range(1, 11)]
    got = [i for i, _ in stream.range(make_id(3, 0), make_id(8, 0), count=2, reverse=True)]
    assert got == [make_id(8, 0), make_id(7, 0)]
    assert len(stream) == 10 and stream.last_valid_id() == make_id(10, 0)


def test_nodes_split_by_entries_and_bytes():
    assert filled(250).node_count() == 3
    assert filled(250, node_entries=10).node_count() == 25
    big = Stream()
    for i in range(1, 21):
        big.add(make_id(i, 0), [b"f", b"x" * 1000], 100, 4096)
    assert big.node_count() == 5  # four 1000-byte values fill a 4096-byte listpack
    big._check()


def test_listpack_element_sizes():
    """Element plus back-length bytes, as Redis's listpack encodes them."""
    from fakeredis.structures.stream import _delta_size, _string_size
    assert [_string_size(v) for v in (b"", b"v", b"127", b"-1", b"4096", b"0123", b"-")] == \
        [2, 3, 2, 3, 4, 6, 3]
    assert _string_size(b"x" * 63) == 65 and _string_size(b"x" * 64) == 67
    assert _string_size(b"9223372036854775807") == 10  # int64: 1 + 8 bytes, back-length
    assert _string_size(b"9223372036854775808") == 21  # beyond int64: a 19-byte string
    deltas = (0, 127, 128, -1, (1 << 64) - 1, 1 << 40)
    assert [_delta_size(d) for d in deltas] == [2, 2, 3, 3, 3, 10]


def test_delete_updates_first_and_max_deleted_and_frees_nodes():
    stream = filled(150)
    assert stream.delete(make_id(1, 0)) and not stream.delete(make_id(1, 0))
    assert stream.first_id == make_id(2, 0) and stream.max_deleted_id == make_id(1, 0)
    for i in range(2, 101):
        stream.delete(make_id(i, 0))
    assert stream.node_count() == 1
    stream._check()


def test_exact_and_approximate_trimming():
    stream = filled(350)
    assert stream.trim(260, None, approx=True, limit=10000) == 0
    assert stream.trim(160, None, approx=True, limit=10000) == 100
    assert stream.trim(None, make_id(320, 0), approx=True, limit=10000) == 200
    assert stream.trim(None, make_id(325, 0), approx=False, limit=0) == 24
    assert stream.trim(10, None, approx=False, limit=0) == 16
    assert len(stream) == 10 and stream.first_id == make_id(341, 0)
    stream._check()


def test_exact_minid_trim_can_leave_an_empty_head_node():
    stream = filled(8, node_entries=4)
    stream.delete(make_id(4, 0))
    assert stream.trim(None, make_id(4, 0), approx=False, limit=0) == 3
    assert stream.node_count() == 2  # Redis keeps the emptied node, as its deleted count shows
    assert stream.first_id == make_id(5, 0) and ids(stream) == [make_id(i, 0) for i in range(5, 9)]
    assert stream.ids_between(0, make_id(6, 0), count=1, reverse=True) == [make_id(6, 0)]
    assert stream.ids_between(0, make_id(4, 0), reverse=True) == []
    stream._check()


def test_approximate_trim_respects_the_limit():
    stream = filled(300)
    assert stream.trim(0, None, approx=True, limit=150) == 100
    assert stream.trim(0, None, approx=True, limit=99) == 0
    stream._check()


def test_rax_nodes_of_simple_layouts():
    assert Stream().rax_nodes() == 1
    assert filled(1).rax_nodes() == 2
    # keys 1-0 and 101-0 part at byte 7: compressed root, branch, two compressed tails, two leaves
    assert filled(101).rax_nodes() == 6


def test_group_pel_moves_between_consumers():
    group = Group(b"g", 0, -1)
    alice, _ = group.consumer(b"alice", 1)
    bob, created = group.consumer(b"bob", 1)
    assert created and group.consumer(b"bob", 2) == (bob, False)
    group.deliver(7, alice, 10)
    group.deliver(7, bob, 20)
    assert list(alice.pending) == [] and bob.pending[7].delivery_count == 1
    group.transfer(7, group.pending[7], alice)
    assert list(alice.pending) == [7] and not bob.pending
    assert group.delete_consumer(b"alice") == 1 and not group.pending
    assert group.delete_consumer(b"alice") is None
    assert group.ack(7) is False
    assert isinstance(bob, Consumer)


def test_entries_read_and_lag_without_tombstones():
    stream = filled(3)
    group = Group(b"g", 0, -1)
    stream.groups[b"g"] = group
    assert stream.lag(group) == 3
    stream.note_delivery(group, make_id(1, 0))
    assert (group.entries_read, stream.lag(group)) == (1, 2)
    stream.delete(make_id(2, 0))
    assert stream.lag(group) is None
    stream.note_delivery(group, make_id(3, 0))
    assert (group.entries_read, stream.lag(group)) == (2, 1)


OPS = st.lists(st.tuples(st.sampled_from(["add", "del", "maxlen", "minid", "approx"]),
                         st.integers(0, 400)), max_size=120)


@settings(max_examples=60, deadline=None)
@given(OPS)
def test_invariant_under_random_operations(ops):
    stream = Stream()
    model: list[int] = []
    ms = 0
    for op, value in ops:
        if op == "add":
            ms += 1 + value % 3
            stream.add(make_id(ms, 0), [b"f", b"x" * (value % 50)], 10, 200)
            model.append(make_id(ms, 0))
        elif op == "del" and model:
            victim = model[value % len(model)]
            assert stream.delete(victim)
            model.remove(victim)
        elif op == "maxlen":
            removed = stream.trim(value % 50, None, approx=False, limit=0)
            keep = model[-(value % 50):] if value % 50 else []
            assert removed == len(model) - len(keep)
            model = keep
        elif op == "minid":
            stream.trim(None, make_id(value, 0), approx=False, limit=0)
            model = [i for i in model if i >= make_id(value, 0)]
        elif op == "approx":
            stream.trim(value % 50, None, approx=True, limit=1000)
            model = model[len(model) - len(stream):]
        stream._check()
        assert ids(stream) == model


@settings(max_examples=60, deadline=None)
@given(OPS, st.lists(st.tuples(st.integers(0, 500), st.integers(0, 500), st.integers(0, 12),
                               st.booleans()), max_size=20))
def test_ranges_match_a_sorted_model(ops, queries):
    """Ranges across node boundaries, gaps and trimmed heads equal slices of a sorted list."""
    stream = Stream()
    model: list[int] = []
    for ms, (op, value) in enumerate(ops, start=1):
        if op == "add" or not model:
            stream.add(make_id(ms, value % 3), [b"f", b"%d" % value], 4, 200)
            model.append(make_id(ms, value % 3))
        elif op == "del":
            victim = model.pop(value % len(model))
            stream.delete(victim)
        elif op == "minid":  # may leave an emptied head node
            stream.trim(None, make_id(value % (ms + 1), 0), approx=False, limit=0)
            model = [i for i in model if i >= make_id(value % (ms + 1), 0)]
    stream._check()
    for low_ms, high_ms, count, reverse in queries:
        low, high = make_id(low_ms, 1), make_id(high_ms, 1)
        inside = [i for i in model if low <= i <= high]
        expected = inside[::-1] if reverse else inside
        assert stream.ids_between(low, high, count, reverse) == expected[:count or None]
        got = list(stream.range(low, high, count, reverse))
        assert [i for i, _ in got] == expected[:count or None]
        assert all(fields == [b"f", stream.entries[i][1][1]] for i, fields in got)
