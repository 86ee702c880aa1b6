"""SCAN snapshots: every element present during the whole iteration comes back."""

from fakeredis.structures.scan import ScanSnapshots


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
