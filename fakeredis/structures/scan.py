"""Cursor iteration for SCAN, SSCAN, HSCAN and ZSCAN with Redis's guarantee.

The first call (cursor 0) snapshots the collection's members; the cursor then encodes
``(snapshot id, position)``. Every element present for the whole iteration is in the snapshot, so it
is returned at least once however the collection changes between calls; elements removed since are
filtered out when returned. A few snapshots per collection owner are kept; an unknown cursor
restarts from a fresh snapshot at the same position, as Redis accepts any cursor.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Callable, Container, Hashable, Iterable

from fakeredis import errors
from fakeredis.args import parse_int
from fakeredis.errors import ReplyError
from fakeredis.structures.glob import compile_glob

_POSITION_BITS = 40
_POSITION_MASK = (1 << _POSITION_BITS) - 1
_KEEP = 32


class ScanSnapshots:
    """Snapshots of in-progress scans, bounded in number (least recently used dropped)."""

    __slots__ = ("_snapshots", "_next_id")

    def __init__(self) -> None:
        self._snapshots: OrderedDict[int, list[Any]] = OrderedDict()
        self._next_id = 1

    def page(self, cursor: int, count: int, members: Callable[[], Iterable[Any]]) -> tuple[int, list[Any]]:
        """Up to ``count`` members from ``cursor``, and the next cursor (0 when done). O(count)."""
        snap_id, position = cursor >> _POSITION_BITS, cursor & _POSITION_MASK
        snapshot = self._snapshots.get(snap_id) if snap_id else None
        if snapshot is None:
            snap_id = self._next_id
            self._next_id = self._next_id % 0xFFFFF + 1
            snapshot = list(members())
            self._snapshots[snap_id] = snapshot
            if len(self._snapshots) > _KEEP:
                self._snapshots.popitem(last=False)
        else:
            self._snapshots.move_to_end(snap_id)
        end = position + count
        batch = snapshot[position:end]
        if end >= len(snapshot):
            self._snapshots.pop(snap_id, None)
            return 0, batch
        return (snap_id << _POSITION_BITS) | end, batch


def parse_cursor(arg: bytes) -> int:
    """A SCAN cursor as Redis's ``strtoul`` reads it: optional sign, digits, modulo 2**64."""
    if not arg:
        return 0
    digits = arg[1:] if arg[:1] in (b"+", b"-") else arg
    if not digits.isdigit() or int(digits) >= 1 << 64:
        raise ReplyError(errors.INVALID_CURSOR)
    value = int(digits)
    return (-value) % (1 << 64) if arg[:1] == b"-" else value


def parse_scan_options(args: tuple[bytes, ...] | list[bytes],
                       allow_type: bool = False) -> tuple[bytes | None, int, bytes | None]:
    """MATCH pattern, COUNT n (default 10) and, for SCAN, TYPE name."""
    match = type_name = None
    count = 10
    i = 0
    while i < len(args):
        word = args[i].upper()
        if i + 1 >= len(args):
            raise ReplyError(errors.SYNTAX)
        if word == b"MATCH":
            match = args[i + 1]
        elif word == b"COUNT":
            count = parse_int(args[i + 1])
            if count < 1:
                raise ReplyError(errors.SYNTAX)
        elif word == b"TYPE" and allow_type:
            type_name = args[i + 1]
        else:
            raise ReplyError(errors.SYNTAX)
        i += 2
    return match, count, type_name


def snapshots_for(owner: dict[Hashable, ScanSnapshots], key: Hashable) -> ScanSnapshots:
    """The snapshot set of one collection (or of a db's keyspace)."""
    snapshots = owner.get(key)
    if snapshots is None:
        snapshots = owner[key] = ScanSnapshots()
    return snapshots


def scan_page(scans: dict[Hashable, ScanSnapshots], owner: Hashable, cursor: int, count: int,
              match: bytes | None, members: Callable[[], Iterable[Any]], present: Container[Any],
              whole: list[Any] | None = None) -> tuple[int, list[Any]]:
    """The next cursor and the items of one SCAN/SSCAN/HSCAN/ZSCAN reply, MATCH applied.

    A compact container (``whole``) comes entire with cursor 0; otherwise the next ``count`` of
    ``owner``'s snapshot of ``members()``, less those no longer ``present``. O(count).
    """
    if whole is not None:
        cursor, batch = 0, whole
    else:
        cursor, batch = snapshots_for(scans, owner).page(cursor, count, members)
        batch = [item for item in batch if item in present]
    if match is not None:
        matches = compile_glob(match)
        batch = [item for item in batch if matches(item)]
    return cursor, batch
