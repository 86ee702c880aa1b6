"""The stream: entries ordered by id, macro nodes as Redis lays them out, consumer groups.

An id ``ms-seq`` is held as one int, ``ms << 64 | seq``, so ids compare and hash as plain ints.
Each entry is stored as a record ``(printed id, (field, value, ...))`` in an id -> record dict: the
id is printed once, by XADD, so replies need no formatting, and tuples of bytes are left alone by
the garbage collector. Redis keeps entries in listpack "macro nodes" of at most
stream-node-max-entries entries and stream-node-max-bytes bytes; :class:`_Node` holds its live ids
in order, so a range bisects the node starts, then the node. Append O(1) amortised, lookup O(1),
delete O(log n + node size), a range of m entries O(log n + m), length O(1).

Approximate trimming (``~``) removes whole nodes only and XDEL frees a node once its last live
entry goes; each node keeps an estimate of its listpack size (Redis's listpack element
encodings), so ``~`` trims as many entries as Redis does.

A consumer group has a last-delivered id, an entries-read counter (-1 when unknown) and a pending
entries list (PEL): a ``SortedDict`` id -> :class:`Pending`, shared with each consumer's own PEL.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Iterator, Sequence

from sortedcontainers import SortedDict

from fakeredis.args import try_int
from fakeredis.keyspace import register_type

MAX_SEQ = (1 << 64) - 1
MAX_ID = (1 << 128) - 1
# Redis caps the approximate-trim work and the listpack size with these
LISTPACK_MAX_SIZE = 1 << 30

Fields = list[bytes]
# an entry as stored: its printed id, and its fields and values
Record = tuple[bytes, tuple[bytes, ...]]


def make_id(ms: int, seq: int) -> int:
    """The int form of ``ms-seq``. O(1)."""
    return ms << 64 | seq


def format_id(stream_id: int) -> bytes:
    """``ms-seq`` as Redis prints it. O(1)."""
    return b"%d-%d" % (stream_id >> 64, stream_id & MAX_SEQ)


# --- listpack size model -------------------------------------------------------------------------
def _int_size(value: int) -> int:
    """Bytes of a listpack integer element and its back-length. O(1)."""
    if 0 <= value <= 127:
        return 2
    if -4096 <= value <= 4095:
        return 3
    if -32768 <= value <= 32767:
        return 4
    if -8388608 <= value <= 8388607:
        return 5
    if -(1 << 31) <= value < (1 << 31):
        return 6
    return 10


def _string_size(value: bytes) -> int:
    """Bytes of a listpack element holding ``value`` (integer strings as ints). O(len)."""
    n = len(value)
    if n <= 20 and (value.isdigit() or value[:1] == b"-" and value[1:].isdigit()):
        number = try_int(value)
        if number is not None:
            return _int_size(number)
    size = n + (1 if n < 64 else 2 if n < 4096 else 5)
    return size + (1 if size <= 127 else 2 if size < 16383 else 3 if size < 2097151 else 4)


def _delta_size(delta: int) -> int:
    """Bytes of an id-delta element: a 64-bit difference as Redis stores it, in an int64. O(1)."""
    if 0 <= delta <= 127:
        return 2
    return _int_size(((delta + (1 << 63)) & MAX_SEQ) - (1 << 63))


class _Node:
    """One listpack macro node: master id and fields, live ids, deleted count, size in bytes."""

    __slots__ = ("master", "fields", "ids", "deleted", "size", "last")

    def __init__(self, master: int, fields: tuple[bytes, ...]) -> None:
        self.master = master
        self.fields = fields
        self.ids: list[int] = []  # the live ids, ascending
        self.deleted = 0
        self.last = master
        # header and end byte, master field count and names, master terminator
        self.size = 7 + _int_size(len(fields)) + sum(map(_string_size, fields)) + 2

    def is_full(self, fields: tuple[bytes, ...], node_entries: int, node_bytes: int) -> bool:
        """True when an entry of ``fields`` must start a new node (Redis's checks). O(fields)."""
        live, deleted = len(self.ids), self.deleted
        if node_entries and live + deleted >= node_entries:
            return True
        limit = node_bytes if 0 < node_bytes <= LISTPACK_MAX_SIZE else LISTPACK_MAX_SIZE
        # the counters included (each one small int element until it passes 127)
        total = self.size + (2 if live < 128 else _int_size(live)) + (
            2 if deleted < 128 else _int_size(deleted))
        return total + sum(map(len, fields)) >= limit

    def append(self, stream_id: int, fields: tuple[bytes, ...]) -> None:
        """Account for one more entry at the tail. O(fields)."""
        master = self.master
        # the flags element (a small int), then the id as deltas from the master id
        size = 2 + _delta_size((stream_id >> 64) - (master >> 64)) + _delta_size(
            (stream_id & MAX_SEQ) - (master & MAX_SEQ))
        for value in fields[1::2]:
            n = len(value)
            head = value[:1]
            # a short value that cannot be an integer: length byte, data, back-length byte
            short_text = n < 64 and not (head.isdigit() or head == b"-")
            size += n + 2 if short_text else _string_size(value)
        names = fields[0::2]
        count = len(names)
        if names == self.fields:  # values only, and the lp-count element
            size += _int_size(count + 3)
        else:
            size += _int_size(count) + sum(map(_string_size, names)) + _int_size(2 * count + 4)
        self.size += size
        self.ids.append(stream_id)
        self.last = stream_id


# --- consumer groups -----------------------------------------------------------------------------
class Consumer:
    """A consumer of a group: its name, when it was last seen, its own pending entries."""

    __slots__ = ("name", "seen_ms", "pending")

    def __init__(self, name: bytes, now_ms: int) -> None:
        self.name = name
        self.seen_ms = now_ms
        self.pending: SortedDict = SortedDict()


class Pending:
    """A delivered, unacknowledged entry: owner, last delivery time and delivery count."""

    __slots__ = ("consumer", "delivery_ms", "delivery_count")

    def __init__(self, consumer: Consumer, delivery_ms: int, delivery_count: int) -> None:
        self.consumer = consumer
        self.delivery_ms = delivery_ms
        self.delivery_count = delivery_count


class Group:
    """A consumer group: last delivered id, entries read (-1 unknown), PEL, consumers by name."""

    __slots__ = ("name", "last_id", "entries_read", "pending", "consumers")

    def __init__(self, name: bytes, last_id: int, entries_read: int) -> None:
        self.name = name
        self.last_id = last_id
        self.entries_read = entries_read
        self.pending: SortedDict = SortedDict()
        self.consumers: dict[bytes, Consumer] = {}

    def consumer(self, name: bytes, now_ms: int) -> tuple[Consumer, bool]:
        """The consumer called ``name``, created if missing; True when created. O(1)."""
        found = self.consumers.get(name)
        if found is not None:
            return found, False
        created = self.consumers[name] = Consumer(name, now_ms)
        return created, True

    def deliver(self, stream_id: int, consumer: Consumer, now_ms: int) -> None:
        """Record a new delivery to ``consumer`` (count 1), taking it from any owner. O(log n)."""
        entry = self.pending.get(stream_id)
        if entry is None:
            entry = self.pending[stream_id] = Pending(consumer, now_ms, 1)
        else:
            entry.consumer.pending.pop(stream_id, None)
            entry.consumer = consumer
            entry.delivery_ms = now_ms
            entry.delivery_count = 1
        consumer.pending[stream_id] = entry

    def transfer(self, stream_id: int, entry: Pending, consumer: Consumer) -> None:
        """Make ``consumer`` the owner of a pending entry (XCLAIM). O(log n)."""
        if entry.consumer is not consumer:
            entry.consumer.pending.pop(stream_id, None)
            entry.consumer = consumer
        consumer.pending[stream_id] = entry

    def ack(self, stream_id: int) -> bool:
        """Remove ``stream_id`` from the PEL; True if it was pending. O(log n)."""
        entry = self.pending.pop(stream_id, None)
        if entry is None:
            return False
        del entry.consumer.pending[stream_id]
        return True

    def delete_consumer(self, name: bytes) -> int | None:
        """Drop a consumer and its pending entries; how many it had, None if unknown. O(p log n)."""
        consumer = self.consumers.pop(name, None)
        if consumer is None:
            return None
        for stream_id in consumer.pending:
            del self.pending[stream_id]
        return len(consumer.pending)

    def sorted_consumers(self) -> list[Consumer]:
        """Consumers in name order, as Redis's radix tree lists them. O(c log c)."""
        return [self.consumers[name] for name in sorted(self.consumers)]


# --- the stream ----------------------------------------------------------------------------------
class Stream:
    """A stream of entries with consumer groups (see the module docstring for costs)."""

    __slots__ = ("entries", "last_id", "max_deleted_id", "entries_added", "first_id",
                 "groups", "ready", "_nodes", "_starts")

    def __init__(self) -> None:
        self.entries: dict[int, Record] = {}
        self.last_id = 0
        self.max_deleted_id = 0
        self.entries_added = 0
        self.first_id = 0
        self.groups: dict[bytes, Group] = {}
        # bumped when blocked readers should look again (XADD, XGROUP DESTROY)
        self.ready = 0
        self._nodes: list[_Node] = []
        self._starts: list[int] = []

    def __len__(self) -> int:
        return len(self.entries)

    def __bool__(self) -> bool:
        """An empty stream is still a value: Redis keeps it. O(1)."""
        return True

    # --- ids ---------------------------------------------------------------------------------
    def next_id(self, now_ms: int, ms: int | None = None) -> int | None:
        """The id XADD ``*`` (or ``ms-*``) gives; None when it cannot exceed the last id. O(1)."""
        last_ms, last_seq = self.last_id >> 64, self.last_id & MAX_SEQ
        if ms is None:
            if now_ms > last_ms:
                return make_id(now_ms, 0)
            return None if self.last_id == MAX_ID else self.last_id + 1
        if ms > last_ms:
            return make_id(ms, 0)
        if ms == last_ms and last_seq < MAX_SEQ:
            return self.last_id + 1
        return None

    def last_valid_id(self) -> int:
        """The id of the last entry present, 0 when empty. O(nodes) at worst, O(1) usually."""
        for node in reversed(self._nodes):
            if node.ids:
                return node.ids[-1]
        return 0

    # --- writes ------------------------------------------------------------------------------
    def add(self, stream_id: int, fields: Sequence[bytes], node_entries: int, node_bytes: int
            ) -> bytes:
        """Append an entry whose id exceeds the last id; its printed id. O(fields) amortised."""
        fields = tuple(fields)  # XADD's argument tuple is kept as it is
        nodes = self._nodes
        node = nodes[-1] if nodes else None
        if node is None or node.is_full(fields, node_entries, node_bytes):
            node = _Node(stream_id, fields[0::2])
            nodes.append(node)
            self._starts.append(stream_id)
        node.append(stream_id, fields)
        printed = format_id(stream_id)
        self.entries[stream_id] = (printed, fields)
        self.last_id = stream_id
        self.entries_added += 1
        if len(self.entries) == 1:
            self.first_id = stream_id
        return printed

    def _node_of(self, stream_id: int) -> int:
        """The index of the node that holds ``stream_id``. O(log nodes)."""
        return bisect_right(self._starts, stream_id) - 1

    def _drop_node(self, index: int) -> None:
        """Forget a node and its live entries. O(nodes + node size)."""
        entries = self.entries
        for stream_id in self._nodes[index].ids:
            del entries[stream_id]
        del self._nodes[index]
        del self._starts[index]

    def delete(self, stream_id: int) -> bool:
        """XDEL one id; True if it was there. O(log n + node size)."""
        if stream_id not in self.entries:
            return False
        del self.entries[stream_id]
        index = self._node_of(stream_id)
        node = self._nodes[index]
        del node.ids[bisect_left(node.ids, stream_id)]
        node.deleted += 1
        if not node.ids:
            self._drop_node(index)
        if stream_id > self.max_deleted_id:
            self.max_deleted_id = stream_id
        if stream_id == self.first_id:
            self._reset_first_id()
        return True

    def _reset_first_id(self) -> None:
        """first_id follows the first live entry (0 when empty). O(1) usually."""
        self.first_id = next((node.ids[0] for node in self._nodes if node.ids), 0)

    def trim(self, maxlen: int | None, minid: int | None, approx: bool, limit: int) -> int:
        """Trim by MAXLEN or MINID, whole nodes first; how many entries went. O(k + nodes)."""
        removed = 0
        while self._nodes:
            node = self._nodes[0]
            live = len(node.ids)
            if maxlen is not None and len(self) <= maxlen:
                break
            if limit and removed + live > limit:
                break
            if maxlen is not None:
                whole = len(self) - live >= maxlen
            else:
                whole = node.last < minid
            if whole:
                removed += live
                self._drop_node(0)
                continue
            if not approx:
                removed += self._trim_head(node, maxlen, minid)
            break
        self._reset_first_id()
        return removed

    def _trim_head(self, node: _Node, maxlen: int | None, minid: int | None) -> int:
        """Exact trim inside the first node; how many entries went. O(node size)."""
        ids = node.ids
        doomed = len(self) - maxlen if maxlen is not None else bisect_left(ids, minid)
        entries = self.entries
        for stream_id in ids[:doomed]:
            del entries[stream_id]
        del ids[:doomed]
        node.deleted += doomed
        return doomed

    # --- reads -------------------------------------------------------------------------------
    def ids_between(self, low: int, high: int, count: int = 0, reverse: bool = False
                    ) -> list[int]:
        """Ids in [low, high], ascending (descending if ``reverse``), up to ``count`` (0 = all).

        O(log n + m): the node starts are bisected, then each node's ids.
        """
        if low > high:
            return []
        if reverse:
            return self._ids_down(low, high, count)
        nodes = self._nodes
        found: list[int] = []
        first = bisect_right(self._starts, low) - 1  # the node holding low, or the first one
        for index in range(first if first > 0 else 0, len(nodes)):
            ids = nodes[index].ids
            start = bisect_left(ids, low)
            end = bisect_right(ids, high, start)
            if count and end - start >= count - len(found):
                return found + ids[start:start + count - len(found)]
            found += ids[start:end]
            if end < len(ids):
                break
        return found

    def _ids_down(self, low: int, high: int, count: int) -> list[int]:
        """:meth:`ids_between` newest first. O(log n + m)."""
        nodes = self._nodes
        found: list[int] = []
        for index in range(self._node_of(high), -1, -1):
            ids = nodes[index].ids
            end = bisect_right(ids, high)
            start = bisect_left(ids, low, 0, end)
            if count and end - start >= count - len(found):
                return found + ids[end - count + len(found):end][::-1]
            found += ids[start:end][::-1]
            if start:
                break
        return found

    def range(self, low: int, high: int, count: int = 0, reverse: bool = False
              ) -> Iterator[tuple[int, Fields]]:
        """Entries with ids in [low, high], up to ``count`` (0 = all). O(log n + m)."""
        entries = self.entries
        return ((stream_id, list(entries[stream_id][1]))
                for stream_id in self.ids_between(low, high, count, reverse))

    def node_count(self) -> int:
        """How many macro nodes hold the entries (XINFO's radix-tree-keys). O(1)."""
        return len(self._nodes)

    def rax_nodes(self) -> int:
        """Radix tree nodes over the macro nodes' 128-bit keys (XINFO). O(nodes)."""
        # A compressed radix tree has a node at the root, at each key, at each branching prefix
        # and at each child of one; branching prefixes are common prefixes of sorted neighbours.
        keys = [start.to_bytes(16, "big") for start in self._starts]
        prefixes = {b""}
        prefixes.update(keys)
        for left, right in zip(keys, keys[1:]):
            common = 0
            while left[common] == right[common]:
                common += 1
            prefixes.update((left[:common], left[:common + 1], right[:common + 1]))
        return len(prefixes)

    # --- read counters (entries-read and lag, as Redis 7.0 estimates them) ---------------------
    def has_tombstones(self, low: int, high: int = MAX_ID) -> bool:
        """True when an XDEL'd id may lie between ``low`` and ``high``. O(1)."""
        if not self.entries or not self.max_deleted_id or self.first_id > self.max_deleted_id:
            return False
        return low <= self.max_deleted_id <= high

    def entries_before(self, stream_id: int) -> int:
        """The logical read counter of ``stream_id``, -1 when it cannot be known. O(1)."""
        if not self.entries_added:
            return 0
        if not self.entries and stream_id <= self.last_id:
            return self.entries_added
        if stream_id == self.last_id:
            return self.entries_added
        if stream_id > self.last_id:
            return -1
        if not self.max_deleted_id or self.max_deleted_id < self.first_id:
            if stream_id < self.first_id:
                return self.entries_added - len(self)
            if stream_id == self.first_id:
                return self.entries_added - len(self) + 1
        return -1

    def lag(self, group: Group) -> int | None:
        """How many entries the group has yet to read, None when unknown. O(1)."""
        if not self.entries_added:
            return 0
        if group.entries_read != -1 and not self.has_tombstones(group.last_id):
            return self.entries_added - group.entries_read
        read = self.entries_before(group.last_id)
        return None if read == -1 else self.entries_added - read

    def note_delivery(self, group: Group, stream_id: int) -> None:
        """Advance a group's last id and entries-read past a delivered entry. O(1)."""
        if stream_id <= group.last_id:
            return
        if group.entries_read != -1 and not self.has_tombstones(stream_id):
            group.entries_read += 1
        elif self.entries_added:
            group.entries_read = self.entries_before(stream_id)
        group.last_id = stream_id

    # --- invariants --------------------------------------------------------------------------
    def _check(self) -> None:
        """Nodes hold the live ids in order, ids and records agree, counters consistent. O(n)."""
        ids = [stream_id for node in self._nodes for stream_id in node.ids]
        assert ids == sorted(self.entries) and len(set(ids)) == len(ids), "nodes and entries differ"
        assert all(record[0] == format_id(i) for i, record in self.entries.items())
        assert not ids or ids[-1] <= self.last_id
        assert self.first_id == (ids[0] if ids else 0)
        assert self.last_valid_id() == (ids[-1] if ids else 0)
        assert self.entries_added >= len(self)
        assert self._starts == [node.master for node in self._nodes]
        for index, node in enumerate(self._nodes):
            assert all(node.master <= i <= node.last for i in node.ids), index
            assert index == 0 or node.master > self._nodes[index - 1].last
        for group in self.groups.values():
            for stream_id, entry in group.pending.items():
                assert entry.consumer.pending.get(stream_id) is entry
                assert group.consumers.get(entry.consumer.name) is entry.consumer
            assert sum(len(c.pending) for c in group.consumers.values()) == len(group.pending)


register_type(Stream, b"stream")
