"""Redis's RDB object serialization, as DUMP produces and RESTORE consumes it (Redis 7.0).

A payload is ``<type byte><object>``, then the RDB version as 2 little-endian bytes (10 for 7.0),
then a CRC-64 (Jones polynomial, reflected, initial value 0) of everything before it, 8 bytes LE.

DUMP writes what Redis 7.0 writes for the value's encoding: strings as integers (1/2/4 bytes) or
LZF-compressed when over 20 bytes and that saves at least 4 bytes; lists as a quicklist of listpacks
of at most 8 KB (filled as RPUSH fills them); intsets; listpack hashes and sorted sets; hashtable
sets and hashes and skiplist sorted sets in the plain types 2, 4 and 5 (their order is Python's, so
those payloads differ from Redis's bytes); streams as type 19, macro node by macro node, without the
tombstones of XDEL'd entries that Redis keeps inside a node. RESTORE reads all of these plus the
older forms: plain lists, text-score sorted sets, ziplists, quicklists of ziplists, streams of
type 15.
Costs: O(payload size), CRC and LZF in pure Python.
"""

from __future__ import annotations

import math
import struct
from collections import deque
from typing import Any, Callable, Iterator

from fakeredis.args import try_int
from fakeredis.structures.stream import MAX_SEQ, Consumer, Group, Pending, Stream
from fakeredis.structures.zset import ZSet

RDB_VERSION = 10

TYPE_STRING = 0
TYPE_LIST = 1
TYPE_SET = 2
TYPE_ZSET = 3
TYPE_HASH = 4
TYPE_ZSET_2 = 5
TYPE_LIST_ZIPLIST = 10
TYPE_SET_INTSET = 11
TYPE_ZSET_ZIPLIST = 12
TYPE_HASH_ZIPLIST = 13
TYPE_LIST_QUICKLIST = 14
TYPE_HASH_LISTPACK = 16
TYPE_ZSET_LISTPACK = 17
TYPE_LIST_QUICKLIST_2 = 18
TYPE_STREAM_LISTPACKS = 15
TYPE_STREAM_LISTPACKS_2 = 19

_QUICKLIST_NODE_PLAIN = 1
_QUICKLIST_NODE_PACKED = 2

_ENC_INT8, _ENC_INT16, _ENC_INT32, _ENC_LZF = 0, 1, 2, 3
_INT32_MIN, _INT32_MAX = -(1 << 31), (1 << 31) - 1


class RdbError(Exception):
    """A payload that does not decode (RESTORE replies 'Bad data format')."""


# --- CRC-64 (Jones) ------------------------------------------------------------------------------
def _crc_table() -> list[int]:
    poly = 0x95AC9329AC4BC9B5  # 0xad93d23594c935a9 bit-reversed
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ poly if crc & 1 else crc >> 1
        table.append(crc)
    return table


_CRC_TABLE = _crc_table()


def crc64(data: bytes, crc: int = 0) -> int:
    """Redis's crc64(): Jones polynomial, reflected, no final xor. O(len)."""
    table = _CRC_TABLE
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc


# --- LZF -----------------------------------------------------------------------------------------
_LZF_MAX_LIT = 1 << 5
_LZF_MAX_OFF = 1 << 13
_LZF_MAX_REF = (1 << 8) + (1 << 3)


def _lzf_slot(hval: int) -> int:
    """liblzf's hash of the 3 bytes in the low 24 bits of ``hval`` (HLOG 16, VERY_FAST)."""
    return ((hval >> 8) - hval * 5) & 0xFFFF


def _lzf_match_len(data: bytes, ref: int, pos: int, maxlen: int) -> int:
    """Octets shared at ``ref`` and ``pos`` (3 known), counted in liblzf's order."""
    length = 2
    if maxlen > 16:
        for _ in range(16):
            length += 1
            if data[ref + length] != data[pos + length]:
                return length
    while True:
        length += 1
        if not (length < maxlen and data[ref + length] == data[pos + length]):
            return length


def lzf_compress(data: bytes, out_len: int) -> bytes | None:
    """LZF-compress ``data`` into at most ``out_len`` bytes as liblzf 3.6 does, or None. O(len)."""
    n = len(data)
    if n < 3 or out_len <= 0:
        return None
    out = bytearray(out_len + 4)
    table: dict[int, int] = {}
    op, lit, ip = 1, 0, 0
    hval = (data[0] << 8) | data[1]
    while ip < n - 2:
        hval = ((hval << 8) | data[ip + 2]) & 0xFFFFFFFF
        slot = _lzf_slot(hval)
        ref = table.get(slot, 0)
        table[slot] = ip
        off = ip - ref - 1
        if 0 < ref < ip and off < _LZF_MAX_OFF and data[ref + 2] == data[ip + 2] \
                and data[ref] == data[ip] and data[ref + 1] == data[ip + 1]:
            if op + 4 >= out_len and op - (lit == 0) + 4 >= out_len:
                return None
            out[op - lit - 1] = (lit - 1) & 0xFF
            op -= lit == 0
            length = _lzf_match_len(data, ref, ip, min(n - ip - 2, _LZF_MAX_REF)) - 2
            ip += 1
            if length < 7:
                out[op] = (off >> 8) + (length << 5)
                op += 1
            else:
                out[op] = (off >> 8) + (7 << 5)
                out[op + 1] = length - 7
                op += 2
            out[op] = off & 0xFF
            op += 2
            lit = 0
            ip += length + 1
            if ip >= n - 2:
                break
            ip -= 2
            hval = (data[ip] << 8) | data[ip + 1]
            for _ in range(2):
                hval = ((hval << 8) | data[ip + 2]) & 0xFFFFFFFF
                table[_lzf_slot(hval)] = ip
                ip += 1
        else:
            if op >= out_len:
                return None
            op, lit = _lzf_literal(out, op, lit, data[ip])
            ip += 1
    if op + 3 > out_len:
        return None
    while ip < n:
        op, lit = _lzf_literal(out, op, lit, data[ip])
        ip += 1
    out[op - lit - 1] = (lit - 1) & 0xFF
    op -= lit == 0
    return bytes(out[:op])


def _lzf_literal(out: bytearray, op: int, lit: int, byte: int) -> tuple[int, int]:
    """Append one literal byte, closing the run at 32; the new (op, lit)."""
    out[op] = byte
    op += 1
    lit += 1
    if lit == _LZF_MAX_LIT:
        out[op - lit - 1] = lit - 1
        return op + 1, 0
    return op, lit


def lzf_decompress(data: bytes, out_len: int) -> bytes:
    """Expand LZF ``data`` that must decode to exactly ``out_len`` bytes. O(out_len)."""
    out = bytearray()
    i, n = 0, len(data)
    while i < n:
        ctrl = data[i]
        i += 1
        if ctrl < 32:
            end = i + ctrl + 1
            if end > n:
                raise RdbError("LZF literal past the input")
            out += data[i:end]
            i = end
            continue
        length = ctrl >> 5
        if length == 7:
            if i >= n:
                raise RdbError("LZF truncated")
            length += data[i]
            i += 1
        if i >= n:
            raise RdbError("LZF truncated")
        ref = len(out) - ((ctrl & 0x1F) << 8) - data[i] - 1
        i += 1
        length += 2
        if ref < 0:
            raise RdbError("LZF reference before the start")
        if ref + length <= len(out):
            out += out[ref:ref + length]
        else:
            for k in range(length):
                out.append(out[ref + k])
        if len(out) > out_len:
            raise RdbError("LZF output too long")
    if len(out) != out_len:
        raise RdbError("LZF length mismatch")
    return bytes(out)


# --- writing -------------------------------------------------------------------------------------
def _length(n: int) -> bytes:
    """RDB's variable-length length encoding."""
    if n < 1 << 6:
        return bytes((n,))
    if n < 1 << 14:
        return bytes(((n >> 8) | 0x40, n & 0xFF))
    if n <= 0xFFFFFFFF:
        return b"\x80" + n.to_bytes(4, "big")
    return b"\x81" + n.to_bytes(8, "big")


def encode_string(value: bytes, compress: bool) -> bytes:
    """A string as rdbSaveRawString writes it: integer, LZF or plain."""
    n = len(value)
    if n <= 11:
        number = try_int(value)
        if number is not None and _INT32_MIN <= number <= _INT32_MAX:
            if -128 <= number <= 127:
                return b"\xc0" + number.to_bytes(1, "little", signed=True)
            if -32768 <= number <= 32767:
                return b"\xc1" + number.to_bytes(2, "little", signed=True)
            return b"\xc2" + number.to_bytes(4, "little", signed=True)
    if compress and n > 20:
        packed = lzf_compress(value, n - 4)
        if packed:
            return b"\xc3" + _length(len(packed)) + _length(n) + packed
    return _length(n) + value


# --- packed encodings Redis 7.0 writes -----------------------------------------------------------
_QUICKLIST_SIZE_LEVELS = (4096, 8192, 16384, 32768, 65536)  # list-max-listpack-size -1 .. -5
_QUICKLIST_SAFETY_LIMIT = 8192
_QUICKLIST_PLAIN_THRESHOLD = 1 << 30


def _backlen(size: int) -> bytes:
    """A listpack entry's back-length: ``size`` in 7-bit groups, read right to left."""
    if size <= 127:
        return bytes((size,))
    groups = []
    while size:
        groups.append(size & 127)
        size >>= 7
    return bytes(groups[-1:] + [g | 128 for g in reversed(groups[:-1])])


def listpack_entry(item: bytes) -> bytes:
    """One listpack entry as lpAppend writes it: integers in the smallest encoding."""
    number = try_int(item) if len(item) <= 20 else None
    if number is None:
        n = len(item)
        if n < 64:
            head = bytes((0x80 | n,))
        elif n < 4096:
            head = bytes((0xE0 | (n >> 8), n & 0xFF))
        else:
            head = b"\xf0" + n.to_bytes(4, "little")
        body = head + item
    elif 0 <= number <= 127:
        body = bytes((number,))
    elif -4096 <= number <= 4095:
        number &= 0x1FFF
        body = bytes((0xC0 | (number >> 8), number & 0xFF))
    else:
        for code, width in ((0xF1, 2), (0xF2, 3), (0xF3, 4), (0xF4, 8)):
            if -(1 << (8 * width - 1)) <= number < 1 << (8 * width - 1):
                body = bytes((code,)) + number.to_bytes(width, "little", signed=True)
                break
    return body + _backlen(len(body))


def listpack(entries: list[bytes]) -> bytes:
    """A listpack blob from encoded entries."""
    body = b"".join(entries)
    count = min(len(entries), 65535)
    return (len(body) + 7).to_bytes(4, "little") + count.to_bytes(2, "little") + body + b"\xff"


def score_text(score: float) -> bytes:
    """A score as Redis's d2string writes it into a listpack."""
    if math.isinf(score):
        return b"inf" if score > 0 else b"-inf"
    if score == 0:
        return b"-0" if math.copysign(1.0, score) < 0 else b"0"
    if -4503599627370495 < score < 4503599627370496 and score == int(score):
        return b"%d" % int(score)
    return b"%.17g" % score


def _node_limits(fill: int) -> tuple[int, int]:
    """(bytes, entries) a quicklist node may hold for list-max-listpack-size ``fill``."""
    if fill >= 0:
        return _QUICKLIST_SAFETY_LIMIT, max(fill, 1)
    return _QUICKLIST_SIZE_LEVELS[min(-fill - 1, len(_QUICKLIST_SIZE_LEVELS) - 1)], 1 << 32


def _quicklist_nodes(items: Any, fill: int) -> Iterator[tuple[int, bytes]]:
    """(container, blob) nodes as RPUSH fills a quicklist; a node's size is estimated as Redis
    does (current bytes + element length + 8) before each insert."""
    max_bytes, max_count = _node_limits(fill)
    entries: list[bytes] = []
    size = 7
    for item in items:
        n = len(item)
        if n >= _QUICKLIST_PLAIN_THRESHOLD:
            if entries:
                yield _QUICKLIST_NODE_PACKED, listpack(entries)
                entries, size = [], 7
            yield _QUICKLIST_NODE_PLAIN, item
            continue
        if entries and (size + n + 8 > max_bytes or len(entries) + 1 > max_count):
            yield _QUICKLIST_NODE_PACKED, listpack(entries)
            entries, size = [], 7
        entry = listpack_entry(item)
        entries.append(entry)
        size += len(entry)
    if entries:
        yield _QUICKLIST_NODE_PACKED, listpack(entries)


def intset(members: Any) -> bytes:
    """An intset blob: sorted integers in the narrowest common width."""
    numbers = sorted(int(m) for m in members)
    width = 2 if -32768 <= numbers[0] and numbers[-1] <= 32767 else \
        4 if _INT32_MIN <= numbers[0] and numbers[-1] <= _INT32_MAX else 8
    return width.to_bytes(4, "little") + len(numbers).to_bytes(4, "little") + \
        b"".join(n.to_bytes(width, "little", signed=True) for n in numbers)


def _serialize(value: Any, encoding: bytes, compress: bool, list_fill: int) -> bytes:
    """The RDB object for ``value`` in the form Redis 7.0 writes for ``encoding``."""
    kind = type(value)
    if kind is bytes:
        return bytes((TYPE_STRING,)) + encode_string(value, compress)
    if kind is deque:
        nodes = list(_quicklist_nodes(value, list_fill))
        parts = [bytes((TYPE_LIST_QUICKLIST_2,)), _length(len(nodes))]
        for container, blob in nodes:
            parts += [_length(container), encode_string(blob, compress)]
        return b"".join(parts)
    if kind is set and encoding == b"intset":
        return bytes((TYPE_SET_INTSET,)) + encode_string(intset(value), compress)
    if kind is set:
        return b"".join([bytes((TYPE_SET,)), _length(len(value))]
                        + [encode_string(member, compress) for member in value])
    if kind is dict and encoding == b"listpack":
        entries = [listpack_entry(item) for pair in value.items() for item in pair]
        return bytes((TYPE_HASH_LISTPACK,)) + encode_string(listpack(entries), compress)
    if kind is dict:
        return b"".join([bytes((TYPE_HASH,)), _length(len(value))]
                        + [encode_string(item, compress) for pair in value.items() for item in pair])
    if kind is ZSet and encoding == b"listpack":
        entries = [listpack_entry(item) for score, member in value.order
                   for item in (member, score_text(score))]
        return bytes((TYPE_ZSET_LISTPACK,)) + encode_string(listpack(entries), compress)
    if kind is Stream:
        return _stream(value, compress)
    if kind is ZSet:
        parts = [bytes((TYPE_ZSET_2,)), _length(len(value))]
        for score, member in reversed(value.order):
            parts += [encode_string(member, compress), struct.pack("<d", score)]
        return b"".join(parts)
    raise TypeError(f"cannot serialize {kind.__name__}")


def dump(value: Any, encoding: bytes = b"", compress: bool = True, list_fill: int = -2) -> bytes:
    """The DUMP payload of a stored value whose OBJECT ENCODING is ``encoding``. O(size).

    ``list_fill`` is list-max-listpack-size, which shapes the quicklist nodes.
    """
    body = _serialize(value, encoding, compress, list_fill) + RDB_VERSION.to_bytes(2, "little")
    return body + crc64(body).to_bytes(8, "little")


# --- streams -------------------------------------------------------------------------------------
_STREAM_DELETED = 1
_STREAM_SAMEFIELDS = 2
_U64 = (1 << 64) - 1


def _int_entry(number: int) -> bytes:
    return listpack_entry(b"%d" % number)


def _signed(value: int) -> int:
    """A 64-bit difference as the int64 Redis stores."""
    return ((value + (1 << 63)) & _U64) - (1 << 63)


def _stream_node(master: int, names: tuple[bytes, ...], entries: list) -> bytes:
    """One macro node's listpack: master entry, then each entry relative to it (no tombstones)."""
    items = [_int_entry(len(entries)), _int_entry(0), _int_entry(len(names))]
    items += [listpack_entry(name) for name in names]
    items.append(_int_entry(0))
    for stream_id, fields in entries:
        same = tuple(fields[0::2]) == names
        items += [_int_entry(_STREAM_SAMEFIELDS if same else 0),
                  _int_entry(_signed((stream_id >> 64) - (master >> 64))),
                  _int_entry(_signed((stream_id & MAX_SEQ) - (master & MAX_SEQ)))]
        count = len(fields) // 2
        if same:
            items += [listpack_entry(value) for value in fields[1::2]]
            items.append(_int_entry(count + 3))
        else:
            items.append(_int_entry(count))
            items += [listpack_entry(item) for item in fields]
            items.append(_int_entry(2 * count + 4))
    return listpack(items)


def _stream_id(stream_id: int) -> bytes:
    return _length(stream_id >> 64) + _length(stream_id & MAX_SEQ)


def _stream(stream: Stream, compress: bool) -> bytes:
    """RDB type 19: the macro nodes, the stream's counters, then each group with PEL/consumers."""
    nodes = [(start, node.fields, list(stream.range(start, node.last)))
             for start, node in zip(stream._starts, stream._nodes)]
    parts = [bytes((TYPE_STREAM_LISTPACKS_2,)), _length(len(nodes))]
    for master, names, entries in nodes:
        parts += [encode_string(master.to_bytes(16, "big"), compress),
                  encode_string(_stream_node(master, names, entries), compress)]
    parts += [_length(len(stream)), _stream_id(stream.last_id), _stream_id(stream.first_id),
              _stream_id(stream.max_deleted_id), _length(stream.entries_added),
              _length(len(stream.groups))]
    for name in sorted(stream.groups):
        group = stream.groups[name]
        parts += [encode_string(name, compress), _stream_id(group.last_id),
                  _length(group.entries_read & _U64), _length(len(group.pending))]
        for stream_id, pending in group.pending.items():
            parts += [stream_id.to_bytes(16, "big"),
                      pending.delivery_ms.to_bytes(8, "little", signed=True),
                      _length(pending.delivery_count)]
        consumers = group.sorted_consumers()
        parts.append(_length(len(consumers)))
        for consumer in consumers:
            parts += [encode_string(consumer.name, compress),
                      consumer.seen_ms.to_bytes(8, "little", signed=True),
                      _length(len(consumer.pending))]
            parts += [stream_id.to_bytes(16, "big") for stream_id in consumer.pending]
    return b"".join(parts)


def _node_entries(key: bytes, blob: bytes) -> list[tuple[int, list[bytes]]]:
    """The live entries of one stream macro node."""
    if len(key) != 16:
        raise RdbError("bad stream node key")
    master = int.from_bytes(key, "big")
    items = listpack_items(blob)
    if not items:
        raise RdbError("empty stream node")
    try:
        count = int(items[2])
        names = items[3:3 + count]
        pos = 4 + count
        entries = []
        while pos < len(items):
            flags = int(items[pos])
            ms = ((master >> 64) + int(items[pos + 1])) & _U64
            seq = ((master & MAX_SEQ) + int(items[pos + 2])) & _U64
            pos += 3
            if flags & _STREAM_SAMEFIELDS:
                values = items[pos:pos + count]
                pos += count
                fields = [item for pair in zip(names, values) for item in pair]
            else:
                n = int(items[pos])
                fields = items[pos + 1:pos + 1 + 2 * n]
                pos += 1 + 2 * n
            pos += 1
            if not flags & _STREAM_DELETED:
                entries.append((ms << 64 | seq, fields))
    except (ValueError, IndexError):
        raise RdbError("bad stream entry") from None
    return entries


def _read_stream_id(reader: "Reader") -> int:
    return reader.count() << 64 | reader.count()


def _read_signed(reader: "Reader") -> int:
    value = reader.count()
    return value - (1 << 64) if value >= 1 << 63 else value


def _load_stream(reader: "Reader", version_2: bool) -> Stream:
    """A stream from RDB type 15 (Redis 5/6) or 19 (Redis 7.0)."""
    stream = Stream()
    for _ in range(reader.count()):
        for index, (stream_id, fields) in enumerate(_node_entries(reader.string(),
                                                                   reader.string())):
            if stream_id <= stream.last_id and stream.entries:
                raise RdbError("stream ids out of order")
            stream.add(stream_id, fields, 1 if index == 0 else 0, 0)
    reader.count()  # length: the entries themselves tell
    stream.last_id = _read_stream_id(reader)
    if version_2:
        _read_stream_id(reader)  # first id: the first live entry
        stream.max_deleted_id = _read_stream_id(reader)
        stream.entries_added = reader.count()
    else:
        stream.entries_added = len(stream)
    for _ in range(reader.count()):
        name = reader.string()
        last_id = _read_stream_id(reader)
        read = _read_signed(reader) if version_2 else stream.entries_before(last_id)
        group = stream.groups[name] = Group(name, last_id, read)
        for _ in range(reader.count()):
            stream_id = int.from_bytes(reader.take(16), "big")
            delivered = int.from_bytes(reader.take(8), "little", signed=True)
            group.pending[stream_id] = Pending(None, delivered, reader.count())  # type: ignore
        _load_consumers(reader, group)
    return stream


def _load_consumers(reader: "Reader", group: Group) -> None:
    """A group's consumers, each taking its pending entries from the group's PEL."""
    for _ in range(reader.count()):
        consumer = Consumer(reader.string(), 0)
        consumer.seen_ms = int.from_bytes(reader.take(8), "little", signed=True)
        group.consumers[consumer.name] = consumer
        for _ in range(reader.count()):
            stream_id = int.from_bytes(reader.take(16), "big")
            entry = group.pending.get(stream_id)
            if entry is None or entry.consumer is not None:
                raise RdbError("consumer PEL entry not in the group PEL")
            entry.consumer = consumer
            consumer.pending[stream_id] = entry
    if any(entry.consumer is None for entry in group.pending.values()):
        raise RdbError("group PEL entry without a consumer")


def can_dump(value: Any) -> bool:
    """True for the value types this module serializes."""
    return type(value) in (bytes, deque, set, dict, ZSet, Stream)


def verify(payload: bytes) -> bool:
    """Redis's verifyDumpPayload: a known RDB version and a matching CRC-64."""
    if len(payload) < 10:
        return False
    version = int.from_bytes(payload[-10:-8], "little")
    if version > RDB_VERSION:
        return False
    return crc64(payload[:-8]) == int.from_bytes(payload[-8:], "little")


# --- reading -------------------------------------------------------------------------------------
class Reader:
    """A cursor over the payload body."""

    __slots__ = ("data", "pos")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, n: int) -> bytes:
        """The next ``n`` bytes."""
        end = self.pos + n
        if n < 0 or end > len(self.data):
            raise RdbError("payload truncated")
        chunk = self.data[self.pos:end]
        self.pos = end
        return chunk

    def byte(self) -> int:
        """The next byte."""
        return self.take(1)[0]

    def length(self) -> tuple[int, bool]:
        """(length, True) or (special encoding, False) for 11xxxxxx."""
        first = self.byte()
        kind = first >> 6
        if kind == 0:
            return first & 0x3F, True
        if kind == 1:
            return ((first & 0x3F) << 8) | self.byte(), True
        if kind == 3:
            return first & 0x3F, False
        if first == 0x80:
            return int.from_bytes(self.take(4), "big"), True
        if first == 0x81:
            return int.from_bytes(self.take(8), "big"), True
        raise RdbError("bad length encoding")

    def count(self) -> int:
        """A plain length (no special encodings)."""
        value, plain = self.length()
        if not plain:
            raise RdbError("expected a length")
        return value

    def string(self) -> bytes:
        """A string: plain, integer-encoded or LZF-compressed."""
        value, plain = self.length()
        if plain:
            return self.take(value)
        if value == _ENC_INT8:
            return b"%d" % int.from_bytes(self.take(1), "little", signed=True)
        if value == _ENC_INT16:
            return b"%d" % int.from_bytes(self.take(2), "little", signed=True)
        if value == _ENC_INT32:
            return b"%d" % int.from_bytes(self.take(4), "little", signed=True)
        if value == _ENC_LZF:
            packed_len = self.count()
            full_len = self.count()
            return lzf_decompress(self.take(packed_len), full_len)
        raise RdbError("unknown string encoding")

    def binary_double(self) -> float:
        """An 8-byte little-endian double (sorted set type 5)."""
        return struct.unpack("<d", self.take(8))[0]

    def text_double(self) -> float:
        """A length-prefixed decimal double, 253/254/255 for nan/inf/-inf (sorted set type 3)."""
        n = self.byte()
        if n == 253:
            return math.nan
        if n == 254:
            return math.inf
        if n == 255:
            return -math.inf
        return _to_float(self.take(n))


def _to_float(text: bytes) -> float:
    try:
        return float(text)
    except ValueError:
        raise RdbError("bad double") from None


def listpack_items(blob: bytes) -> list[bytes]:
    """The entries of a listpack, integers as decimal text. O(len)."""
    if len(blob) < 7 or int.from_bytes(blob[:4], "little") != len(blob) or blob[-1] != 0xFF:
        raise RdbError("bad listpack header")
    items: list[bytes] = []
    pos, end = 6, len(blob) - 1
    while pos < end:
        start = pos
        item, pos = _listpack_entry(blob, pos)
        items.append(item)
        size = pos - start
        pos += 1 if size < 128 else 2 if size < 16384 else 3 if size < 2097152 \
            else 4 if size < 268435456 else 5
    if pos != end:
        raise RdbError("listpack entries overrun")
    count = int.from_bytes(blob[4:6], "little")
    if count != 65535 and count != len(items):
        raise RdbError("listpack count mismatch")
    return items


def _listpack_entry(blob: bytes, pos: int) -> tuple[bytes, int]:
    """One listpack entry at ``pos``: (value, position of its back-length)."""
    first = blob[pos]
    if first < 0x80:
        return b"%d" % first, pos + 1
    if first < 0xC0:
        return _checked_slice(blob, pos + 1, first & 0x3F)
    if first < 0xE0:
        value = ((first & 0x1F) << 8) | blob[pos + 1]
        return b"%d" % (value - (1 << 13) if value >= 1 << 12 else value), pos + 2
    if first < 0xF0:
        return _checked_slice(blob, pos + 2, ((first & 0x0F) << 8) | blob[pos + 1])
    if first == 0xF0:
        return _checked_slice(blob, pos + 5, int.from_bytes(blob[pos + 1:pos + 5], "little"))
    width = {0xF1: 2, 0xF2: 3, 0xF3: 4, 0xF4: 8}.get(first)
    if width is None:
        raise RdbError("bad listpack entry")
    return b"%d" % int.from_bytes(blob[pos + 1:pos + 1 + width], "little", signed=True), \
        pos + 1 + width


def _checked_slice(blob: bytes, start: int, n: int) -> tuple[bytes, int]:
    if start + n > len(blob):
        raise RdbError("entry past the end")
    return blob[start:start + n], start + n


def ziplist_items(blob: bytes) -> list[bytes]:
    """The entries of a ziplist (Redis < 7 packed encoding), integers as decimal text. O(len)."""
    if len(blob) < 11 or int.from_bytes(blob[:4], "little") != len(blob) or blob[-1] != 0xFF:
        raise RdbError("bad ziplist header")
    items: list[bytes] = []
    pos, end = 10, len(blob) - 1
    while pos < end:
        pos += 5 if blob[pos] == 0xFE else 1
        item, pos = _ziplist_entry(blob, pos)
        items.append(item)
    if pos != end:
        raise RdbError("ziplist entries overrun")
    return items


def _ziplist_entry(blob: bytes, pos: int) -> tuple[bytes, int]:
    first = blob[pos]
    kind = first >> 6
    if kind == 0:
        return _checked_slice(blob, pos + 1, first & 0x3F)
    if kind == 1:
        return _checked_slice(blob, pos + 2, ((first & 0x3F) << 8) | blob[pos + 1])
    if kind == 2:
        return _checked_slice(blob, pos + 5, int.from_bytes(blob[pos + 1:pos + 5], "big"))
    if 0xF1 <= first <= 0xFD:
        return b"%d" % (first - 0xF1), pos + 1
    width = {0xC0: 2, 0xD0: 4, 0xE0: 8, 0xF0: 3, 0xFE: 1}.get(first)
    if width is None:
        raise RdbError("bad ziplist entry")
    return b"%d" % int.from_bytes(blob[pos + 1:pos + 1 + width], "little", signed=True), \
        pos + 1 + width


def intset_items(blob: bytes) -> list[bytes]:
    """The members of an intset blob, as decimal text. O(len)."""
    if len(blob) < 8:
        raise RdbError("bad intset")
    width = int.from_bytes(blob[:4], "little")
    count = int.from_bytes(blob[4:8], "little")
    if width not in (2, 4, 8) or len(blob) != 8 + width * count:
        raise RdbError("bad intset")
    return [b"%d" % int.from_bytes(blob[i:i + width], "little", signed=True)
            for i in range(8, len(blob), width)]


def _pairs(items: list[bytes]) -> Iterator[tuple[bytes, bytes]]:
    if len(items) % 2:
        raise RdbError("odd number of entries")
    return zip(items[::2], items[1::2])


def _quicklist(reader: Reader, version_2: bool) -> deque:
    items: deque = deque()
    for _ in range(reader.count()):
        container = reader.count() if version_2 else _QUICKLIST_NODE_PACKED
        blob = reader.string()
        if container == _QUICKLIST_NODE_PLAIN:
            items.append(blob)
        elif container == _QUICKLIST_NODE_PACKED:
            items.extend(listpack_items(blob) if version_2 else ziplist_items(blob))
        else:
            raise RdbError("bad quicklist container")
    return items


def _unique_set(members: list[bytes]) -> set:
    result = set(members)
    if len(result) != len(members):
        raise RdbError("duplicate set members")
    return result


def _hash(pairs: Iterator[tuple[bytes, bytes]]) -> dict:
    result: dict = {}
    for field, value in pairs:
        if field in result:
            raise RdbError("duplicate hash field")
        result[field] = value
    return result


def _zset(pairs: Iterator[tuple[bytes, float]]) -> ZSet:
    result = ZSet()
    for member, score in pairs:
        if math.isnan(score):
            raise RdbError("NaN score")
        if member in result:
            raise RdbError("duplicate zset member")
        result.insert(member, score)
    return result


def _text_scores(items: list[bytes]) -> Iterator[tuple[bytes, float]]:
    return ((member, _to_float(score)) for member, score in _pairs(items))


_LOADERS: dict[int, Callable[[Reader], Any]] = {
    TYPE_STRING: lambda rd: rd.string(),
    TYPE_LIST: lambda rd: deque(rd.string() for _ in range(rd.count())),
    TYPE_SET: lambda rd: _unique_set([rd.string() for _ in range(rd.count())]),
    TYPE_ZSET: lambda rd: _zset([(rd.string(), rd.text_double()) for _ in range(rd.count())]),
    TYPE_HASH: lambda rd: _hash([(rd.string(), rd.string()) for _ in range(rd.count())]),
    TYPE_ZSET_2: lambda rd: _zset([(rd.string(), rd.binary_double()) for _ in range(rd.count())]),
    TYPE_LIST_ZIPLIST: lambda rd: deque(ziplist_items(rd.string())),
    TYPE_SET_INTSET: lambda rd: _unique_set(intset_items(rd.string())),
    TYPE_ZSET_ZIPLIST: lambda rd: _zset(_text_scores(ziplist_items(rd.string()))),
    TYPE_HASH_ZIPLIST: lambda rd: _hash(_pairs(ziplist_items(rd.string()))),
    TYPE_LIST_QUICKLIST: lambda rd: _quicklist(rd, False),
    TYPE_HASH_LISTPACK: lambda rd: _hash(_pairs(listpack_items(rd.string()))),
    TYPE_ZSET_LISTPACK: lambda rd: _zset(_text_scores(listpack_items(rd.string()))),
    TYPE_LIST_QUICKLIST_2: lambda rd: _quicklist(rd, True),
    TYPE_STREAM_LISTPACKS: lambda rd: _load_stream(rd, False),
    TYPE_STREAM_LISTPACKS_2: lambda rd: _load_stream(rd, True),
}

PACKED_ZSET_TYPES = (TYPE_ZSET_ZIPLIST, TYPE_ZSET_LISTPACK)
ZSET_TYPES = (TYPE_ZSET, TYPE_ZSET_2) + PACKED_ZSET_TYPES


def load(payload: bytes) -> tuple[int, Any]:
    """(RDB type, value) from a verified payload; RdbError when it does not decode or is empty.

    Like Redis, the object is read from the whole payload: a body that runs short may read into
    the footer.
    """
    reader = Reader(payload)
    rdb_type = reader.byte()
    loader = _LOADERS.get(rdb_type)
    if loader is None:
        raise RdbError(f"unsupported RDB type {rdb_type}")
    try:
        value = loader(reader)
    except IndexError:
        raise RdbError("payload truncated") from None
    if type(value) is not bytes and not value:
        raise RdbError("empty key")
    return rdb_type, value
