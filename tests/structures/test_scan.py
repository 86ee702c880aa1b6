"""SCAN snapshots: every element present during the whole iteration comes back."""

import pytest

from fakeredis.errors import ReplyError
from fakeredis.structures.scan import ScanSnapshots, parse_cursor


def iterate(snapshots, members, count):
    seen, cursor = [], 0
    while True:
        cursor, batch = snapshots.page(cursor, count, lambda: list(members))
        seen.extend(batch)
        members.update(f"new{len(seen)}" for _ in range(1))  # the collection grows meanwhile
        if cursor == 0:
            return seen


def test_elements_present_throughout_are_all_returned():
    members = {f"m{i}" for i in range(100)}
    original = set(members)
    seen = iterate(ScanSnapshots(), members, 7)
    assert original <= set(seen)


def test_unknown_cursor_restarts_from_a_fresh_snapshot_at_its_position():
    snapshots = ScanSnapshots()
    cursor, batch = snapshots.page(12345, 10, lambda: list(range(5)))
    assert cursor == 0 and batch == []


def test_parse_cursor_reads_like_strtoul():
    assert parse_cursor(b"") == 0
    assert parse_cursor(b"+7") == 7
    assert parse_cursor(b"-1") == (1 << 64) - 1
    assert parse_cursor(b"-18446744073709551615") == 1
    assert parse_cursor(b"18446744073709551615") == (1 << 64) - 1
    for bad in (b"-", b" 1", b"1 ", b"x", b"1.0", b"18446744073709551616", b"+-1"):
        with pytest.raises(ReplyError):
            parse_cursor(bad)
