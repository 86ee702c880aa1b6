"""HyperLogLog kept in Redis's own string format, so GET, SET, DUMP and RESTORE see Redis's bytes.

Header, 16 bytes: ``b"HYLL"``, the encoding (0 dense, 1 sparse), 3 unused bytes, then the cached
cardinality as 8 little-endian bytes; the top bit of the last one (byte 15) marks the cache stale.

Dense body: 16384 registers of 6 bits packed from bit 0 upwards, least significant bit first
(12288 bytes). Sparse body: run-length opcodes, ZERO ``00xxxxxx`` (1-64 zero registers), XZERO
``01xxxxxx yyyyyyyy`` (1-16384 zero registers), VAL ``1vvvvvxx`` (value 1-32 repeated 1-4 times).

An element is hashed with MurmurHash64A (seed 0xadc83b19): the low 14 bits choose a register,
the number of trailing zeros of the other 50 bits, plus one, is the value the register is raised
to. The cardinality is Otmar Ertl's improved estimator over the histogram of register values.

Costs: hashing O(len(element)); a dense register O(1); a sparse update O(size of the sparse form),
which is at most hll-sparse-max-bytes; counting and merging O(16384) done by bytes.translate and
big-integer arithmetic on byte lanes, so at C speed. Functions given a ``bytearray`` change it in
place. Bytes past the end of a truncated string read as 0 (Redis reads whatever memory follows).
"""

from __future__ import annotations

import math
import random
import re
import struct

MAGIC = b"HYLL"
HEADER = 16
DENSE, SPARSE = 0, 1
INDEX_BITS = 14
REGISTERS = 1 << INDEX_BITS
Q = 64 - INDEX_BITS
DENSE_SIZE = HEADER + REGISTERS * 6 // 8
CACHE_BYTE = 15
STALE = 0x80
SPARSE_MAX_VALUE = 32
VAL_MAX_RUN = 4
ZERO_MAX_RUN = 64
SEED = 0xADC83B19
ALPHA_INF = 0.721347520444481703680

_M = 0xC6A4A7935BD1E995
_MASK64 = (1 << 64) - 1
_WORDS = struct.Struct("<Q")
_NONZERO = re.compile(rb"[^\x00]")

# Dense body <-> one register per byte. Four registers share three bytes b0 b1 b2:
# r0 = b0 & 63, r1 = b0 >> 6 | (b1 & 15) << 2, r2 = b1 >> 4 | (b2 & 3) << 4, r3 = b2 >> 2.
_LOW6 = bytes(v & 63 for v in range(256))
_HIGH2 = bytes(v >> 6 for v in range(256))
_LOW4_UP2 = bytes((v & 15) << 2 for v in range(256))
_HIGH4 = bytes(v >> 4 for v in range(256))
_LOW2_UP4 = bytes((v & 3) << 4 for v in range(256))
_HIGH6 = bytes(v >> 2 for v in range(256))
_UP6 = bytes((v << 6) & 255 for v in range(256))
_SHR2 = bytes((v >> 2) & 15 for v in range(256))
_UP4 = bytes((v << 4) & 255 for v in range(256))
_SHR4 = bytes((v >> 4) & 3 for v in range(256))
_UP2 = bytes((v << 2) & 255 for v in range(256))

# Byte-lane arithmetic on 16384-byte register arrays seen as one big integer.
_LANE_GUARD = int.from_bytes(b"\x80" * REGISTERS, "little")
_LANE_ONE = int.from_bytes(b"\x01" * REGISTERS, "little")


class _Spans(dict):
    """Sparse opcode token -> registers it covers; XZERO tokens are computed when asked."""

    def __missing__(self, token: bytes) -> int:
        return ((token[0] & 0x3F) << 8 | (token[1] if len(token) > 1 else 0)) + 1


class _Runs(dict):
    """Sparse opcode token -> its registers, one byte each; XZERO tokens computed when asked."""

    def __missing__(self, token: bytes) -> bytes:
        return bytes(_SPANS[token])


# A sparse opcode: XZERO takes two bytes (one if the string ends there), the others one.
_TOKEN = re.compile(rb"[\x40-\x7f][\x00-\xff]?|[\x00-\xff]")
_SPANS = _Spans({bytes((op,)): op + 1 for op in range(0x40)})
_SPANS.update({bytes((op,)): (op & 3) + 1 for op in range(0x80, 0x100)})
_RUNS = _Runs({bytes((op,)): bytes(op + 1) for op in range(0x40)})
_RUNS.update({bytes((op,)): bytes((((op >> 2) & 31) + 1,)) * ((op & 3) + 1)
              for op in range(0x80, 0x100)})


class CorruptHLL(Exception):
    """A sparse body whose opcodes do not describe exactly 16384 registers."""


def is_hll(value: bytes) -> bool:
    """True when a string has Redis's HLL header (and the dense size when dense). O(1)."""
    return (len(value) >= HEADER and value[:4] == MAGIC and value[4] <= SPARSE
            and (value[4] == SPARSE or len(value) == DENSE_SIZE))


def new() -> bytearray:
    """An empty sparse HLL whose cached cardinality (0) is valid. O(1)."""
    return bytearray(MAGIC + bytes((SPARSE,)) + bytes(11) + _zeros(REGISTERS))


def cached_count(value: bytes) -> int | None:
    """The cached cardinality in the header, or None when stale. O(1)."""
    if value[CACHE_BYTE] & STALE:
        return None
    return int.from_bytes(value[8:16], "little")


def store_count(buf: bytearray, card: int) -> None:
    """Write ``card`` into the header cache as Redis's uint64 (valid unless it is negative)."""
    buf[8:16] = (card & _MASK64).to_bytes(8, "little")


def invalidate(buf: bytearray) -> None:
    """Mark the cached cardinality stale, keeping its other bits as Redis does. O(1)."""
    buf[CACHE_BYTE] |= STALE


# --- hashing -------------------------------------------------------------------------------------
def murmurhash64a(data: bytes, seed: int = SEED) -> int:
    """Austin Appleby's 64-bit MurmurHash2, reading 8-byte words little-endian. O(len)."""
    length = len(data)
    h = (seed ^ (length * _M)) & _MASK64
    whole = length & ~7
    for (k,) in _WORDS.iter_unpack(data[:whole]):
        k = (k * _M) & _MASK64
        k ^= k >> 47
        h ^= (k * _M) & _MASK64
        h = (h * _M) & _MASK64
    if length & 7:
        h = ((h ^ int.from_bytes(data[whole:], "little")) * _M) & _MASK64
    h ^= h >> 47
    h = (h * _M) & _MASK64
    return h ^ (h >> 47)


def position(element: bytes) -> tuple[int, int]:
    """(register index, value) an element stands for: 14 hash bits, then 1 + trailing zeros."""
    h = murmurhash64a(element)
    rest = (h >> INDEX_BITS) | (1 << Q)
    return h & (REGISTERS - 1), (rest & -rest).bit_length()


# --- dense ---------------------------------------------------------------------------------------
def dense_get(buf: bytes | bytearray, index: int) -> int:
    """The 6-bit register ``index`` of a dense HLL. O(1)."""
    bit = index * 6
    pos, shift = HEADER + (bit >> 3), bit & 7
    word = buf[pos] >> shift
    if shift > 2:
        word |= buf[pos + 1] << (8 - shift)
    return word & 63


def dense_set(buf: bytearray, index: int, value: int) -> bool:
    """Raise register ``index`` to ``value``; True if it grew. O(1)."""
    if value <= dense_get(buf, index):
        return False
    bit = index * 6
    pos, shift = HEADER + (bit >> 3), bit & 7
    buf[pos] = (buf[pos] & ~(63 << shift) & 255) | ((value << shift) & 255)
    if shift > 2:
        high = 8 - shift
        buf[pos + 1] = (buf[pos + 1] & ~(63 >> high) & 255) | (value >> high)
    return True


def dense_registers(body: bytes | bytearray) -> bytes:
    """One byte per register from a 12288-byte dense body. O(16384) at C speed."""
    b0, b1, b2 = bytes(body[0::3]), bytes(body[1::3]), bytes(body[2::3])
    out = bytearray(REGISTERS)
    out[0::4] = b0.translate(_LOW6)
    out[1::4] = _or(b0.translate(_HIGH2), b1.translate(_LOW4_UP2))
    out[2::4] = _or(b1.translate(_HIGH4), b2.translate(_LOW2_UP4))
    out[3::4] = b2.translate(_HIGH6)
    return bytes(out)


def dense_body(registers: bytes) -> bytes:
    """The 12288-byte dense body of 16384 register values (each < 64). O(16384) at C speed."""
    r0, r1, r2, r3 = registers[0::4], registers[1::4], registers[2::4], registers[3::4]
    out = bytearray(REGISTERS * 6 // 8)
    out[0::3] = _or(r0, r1.translate(_UP6))
    out[1::3] = _or(r1.translate(_SHR2), r2.translate(_UP4))
    out[2::3] = _or(r2.translate(_SHR4), r3.translate(_UP2))
    return bytes(out)


def _or(a: bytes, b: bytes) -> bytes:
    """Bytewise OR of two equally long byte strings. O(n) at C speed."""
    return (int.from_bytes(a, "little") | int.from_bytes(b, "little")).to_bytes(len(a), "little")


# --- sparse --------------------------------------------------------------------------------------
def _zeros(run: int) -> bytes:
    """The ZERO or XZERO opcode for ``run`` zero registers."""
    if run > ZERO_MAX_RUN:
        return bytes((0x40 | (run - 1) >> 8, (run - 1) & 255))
    return bytes((run - 1,))


def _val(value: int, run: int) -> int:
    """The VAL opcode byte for ``run`` registers holding ``value``."""
    return 0x80 | (value - 1) << 2 | (run - 1)


def _opcode(buf: bytes | bytearray, p: int) -> tuple[int, int]:
    """(registers covered, opcode length) at ``p``; a byte past the end reads as 0, as in C."""
    b = buf[p]
    if b < 0x40:
        return b + 1, 1
    if b < 0x80:
        low = buf[p + 1] if p + 1 < len(buf) else 0
        return ((b & 0x3F) << 8 | low) + 1, 2
    return (b & 3) + 1, 1


def sparse_registers(buf: bytes | bytearray) -> bytes:
    """One byte per register from a sparse HLL; CorruptHLL unless its runs add up to exactly
    16384. O(size) at C speed."""
    tokens = _TOKEN.findall(buf, HEADER)
    if sum(map(_SPANS.__getitem__, tokens)) != REGISTERS:
        raise CorruptHLL
    return b"".join(map(_RUNS.__getitem__, tokens))


def to_dense(buf: bytearray) -> bool:
    """Convert a sparse HLL to dense in place, keeping the header; True if it was sparse."""
    if buf[4] == DENSE:
        return False
    buf[:] = dense_value(buf, sparse_registers(buf))
    return True


def dense_value(value: bytes | bytearray, regs: bytes) -> bytes:
    """A dense HLL with the header of ``value`` and the registers ``regs``. O(16384)."""
    return bytes(value[:4]) + bytes((DENSE,)) + bytes(value[5:HEADER]) + dense_body(regs)


def sparse_set(buf: bytearray, index: int, value: int, sparse_max: int,
               trail: list[tuple[int, int]] | None = None) -> bool:
    """Raise register ``index`` of a sparse HLL to ``value`` as Redis does; True if it grew.

    Promotes to dense when the value exceeds 32 or the sparse form would exceed ``sparse_max``
    bytes. ``trail`` holds (offset, first register) of opcodes already walked, so a caller
    setting registers in increasing order (PFMERGE) does not rescan from the start. O(size).
    """
    if value > SPARSE_MAX_VALUE:
        return _promote(buf, index, value)
    trail = trail or [(HEADER, 0)]
    p, first = trail[-1]
    prev = trail[-2][0] if len(trail) > 1 else None
    end, run = len(buf), 0
    while p < end:
        run, oplen = _opcode(buf, p)
        if index < first + run:
            break
        prev, p, first = p, p + oplen, first + run
        trail.append((p, first))
    if run == 0 or p >= end:
        raise CorruptHLL
    trail.pop()
    if not trail:
        trail.append((HEADER, 0))
    op = buf[p]
    if op >= 0x80 and ((op >> 2) & 31) + 1 >= value:
        return False
    if op >= 0x80 and run == 1 or op == 0:
        buf[p] = _val(value, 1)
    else:
        seq = _split(op, first, run, index, value)
        oldlen = 1 if op >= 0x80 or op < 0x40 else 2
        grown = len(seq) - oldlen
        if grown > 0 and len(buf) + grown > sparse_max:
            return _promote(buf, index, value)
        size = len(buf) + grown
        buf[p:p + oldlen] = seq
        del buf[size:]
    _merge_vals(buf, HEADER if prev is None else prev)
    invalidate(buf)
    return True


def _split(op: int, first: int, run: int, index: int, value: int) -> bytes:
    """The opcodes replacing a run of ``run`` registers from ``first`` once ``index`` is set."""
    last = first + run - 1
    if op >= 0x80:
        old = ((op >> 2) & 31) + 1
        before = bytes((_val(old, index - first),)) if index != first else b""
        after = bytes((_val(old, last - index),)) if index != last else b""
    else:
        before = _zeros(index - first) if index != first else b""
        after = _zeros(last - index) if index != last else b""
    return before + bytes((_val(value, 1),)) + after


def _merge_vals(buf: bytearray, p: int) -> None:
    """Join adjacent VAL opcodes of equal value, looking at up to 5 opcodes from ``p``."""
    end, budget = len(buf), 5
    while p < end and budget:
        budget -= 1
        op = buf[p]
        if op < 0x80:
            p += 2 if op >= 0x40 else 1
            continue
        if p + 1 < end and buf[p + 1] >= 0x80 and (buf[p + 1] ^ op) & 0x7C == 0:
            run = (op & 3) + (buf[p + 1] & 3) + 2
            if run <= VAL_MAX_RUN:
                del buf[p]
                buf[p] = _val(((op >> 2) & 31) + 1, run)
                end -= 1
                continue
        p += 1


def _promote(buf: bytearray, index: int, value: int) -> bool:
    """Convert to dense, then set the register that did not fit the sparse form."""
    to_dense(buf)
    return dense_set(buf, index, value)


def decode_sparse(buf: bytes) -> bytes:
    """PFDEBUG DECODE: the opcodes of a sparse HLL as text (z:run Z:run v:value,run). O(size)."""
    words = []
    p, end = HEADER, len(buf)
    while p < end:
        run, oplen = _opcode(buf, p)
        op = buf[p]
        if op >= 0x80:
            words.append(b"v:%d,%d" % (((op >> 2) & 31) + 1, run))
        else:
            words.append(b"%s:%d" % (b"Z" if oplen == 2 else b"z", run))
        p += oplen
    return b" ".join(words)


# --- operations on any encoding ------------------------------------------------------------------
def add(buf: bytearray, element: bytes, sparse_max: int) -> bool:
    """PFADD one element; True if a register grew. O(1) dense, O(size) sparse."""
    index, value = position(element)
    if buf[4] == DENSE:
        return dense_set(buf, index, value)
    return sparse_set(buf, index, value, sparse_max)


def registers(value: bytes) -> bytes:
    """One byte per register of any valid HLL; CorruptHLL for a bad sparse body."""
    if value[4] == DENSE:
        return dense_registers(memoryview(value)[HEADER:])
    return sparse_registers(value)


def max_registers(a: bytes, b: bytes) -> bytes:
    """Register-wise maximum of two register arrays (values < 128). O(16384) at C speed."""
    x, y = int.from_bytes(a, "little"), int.from_bytes(b, "little")
    mask = ((((x | _LANE_GUARD) - y) >> 7) & _LANE_ONE) * 255
    return ((x & mask) | (y & ~mask)).to_bytes(REGISTERS, "little")


def write_registers(buf: bytearray, maxima: bytes, sparse_max: int) -> None:
    """Raise every register to ``maxima`` (which is >= it), in index order, as PFMERGE does."""
    trail = [(HEADER, 0)]
    for found in _NONZERO.finditer(maxima):
        if buf[4] == DENSE:
            break
        sparse_set(buf, found.start(), maxima[found.start()], sparse_max, trail)
    if buf[4] == DENSE:
        buf[HEADER:] = dense_body(maxima)


def estimate(regs: bytes) -> int:
    """Ertl's cardinality estimate from one byte per register. O(16384) at C speed."""
    m = float(REGISTERS)
    histogram = [0] * (Q + 2)
    seen = 0
    for v in range(Q + 2):
        if seen == REGISTERS:
            break
        histogram[v] = regs.count(v)
        seen += histogram[v]
    z = m * _tau((m - histogram[Q + 1]) / m)
    for j in range(Q, 0, -1):
        z = (z + histogram[j]) * 0.5
    z += m * _sigma(histogram[0] / m)
    return _round_half_away(ALPHA_INF * m * m / z if z else math.inf)


def count(value: bytes) -> int:
    """The estimated cardinality of one valid HLL, ignoring its cache."""
    return estimate(registers(value))


def self_test(rng: random.Random, elements: int = 500) -> str | None:
    """PFSELFTEST: register packing, and sparse and dense forms agreeing; a failure or None."""
    regs = bytes(rng.randrange(64) for _ in range(REGISTERS))
    packed = dense_value(new(), regs)
    if registers(packed) != regs or any(dense_get(packed, i) != v for i, v in enumerate(regs)):
        return "Register error"
    sparse, dense = new(), bytearray(dense_value(new(), bytes(REGISTERS)))
    for _ in range(elements):
        element = rng.getrandbits(64).to_bytes(8, "little")
        if add(sparse, element, 1 << 30) != add(dense, element, 0):
            return "Sparse and dense representations disagree"
    card = count(bytes(sparse))
    if card != count(bytes(dense)) or abs(card - elements) > 5 * 0.0081 * elements + 1:
        return f"Approximation error: {card} for {elements} elements"
    return None


def _sigma(x: float) -> float:
    """Ertl's sigma(x) = x + sum_k x^(2^k) 2^(k-1), summed until it stops changing."""
    if x == 1.0:
        return math.inf
    y, z = 1.0, x
    while True:
        x *= x
        previous = z
        z += x * y
        y += y
        if z == previous:
            return z


def _tau(x: float) -> float:
    """Ertl's tau(x) = (1 - x - sum_k (1 - x^(2^-k))^2 2^-k) / 3, summed until stable."""
    if x == 0.0 or x == 1.0:
        return 0.0
    y, z = 1.0, 1.0 - x
    while True:
        x = math.sqrt(x)
        previous = z
        y *= 0.5
        z -= math.pow(1.0 - x, 2) * y
        if z == previous:
            return z / 3


def _round_half_away(x: float) -> int:
    """C's llround for a non-negative double: halves round up, and a result beyond the signed
    64-bit range (or infinity) comes out as the most negative value, as on x86-64."""
    if x >= 2.0 ** 63:
        return -(1 << 63)
    whole = int(x)
    return whole + 1 if x - whole >= 0.5 else whole
