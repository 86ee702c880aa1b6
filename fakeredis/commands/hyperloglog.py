"""HyperLogLog commands (Redis's hyperloglog.c). Values are strings in Redis's HLL format."""

from __future__ import annotations

import random

from fakeredis import errors
from fakeredis.errors import ReplyError
from fakeredis.registry import command
from fakeredis.replies import OK, Status
from fakeredis.session import Session
from fakeredis.structures import hll


def _hll_at(ctx: Session, key: bytes) -> bytes | None:
    """The HLL string at ``key``, None if missing; Redis's WRONGTYPE errors otherwise. O(1)."""
    value = ctx.db.get_string(key)
    if value is not None and not hll.is_hll(value):
        raise ReplyError(errors.HLL_WRONGTYPE)
    return value


def _registers(value: bytes) -> bytes:
    """One byte per register, INVALIDOBJ for a corrupt sparse body. O(16384)."""
    try:
        return hll.registers(value)
    except hll.CorruptHLL:
        raise ReplyError(errors.HLL_CORRUPT) from None


def _union(ctx: Session, keys: tuple[bytes, ...]) -> tuple[bytes, bool]:
    """Register-wise max of the HLLs at ``keys`` (missing = empty); any dense? O(16384 * keys)."""
    maxima = bytes(hll.REGISTERS)
    any_dense = False
    for key in keys:
        value = _hll_at(ctx, key)
        if value is None:
            continue
        any_dense = any_dense or value[4] == hll.DENSE
        maxima = hll.max_registers(maxima, _registers(value))
    return maxima, any_dense


@command("pfadd", arity=-2, flags="write denyoom fast", keys=(1, 1, 1), group="hyperloglog",
         since="2.8.9")
def pfadd(ctx: Session, key: bytes, *elements: bytes) -> int:
    """Add elements to a HyperLogLog: O(1) each when dense, O(sparse size) each when sparse."""
    db = ctx.db
    value = _hll_at(ctx, key)
    buf = hll.new() if value is None else bytearray(value)
    changed = value is None
    sparse_max = ctx.server.config.get_int("hll-sparse-max-bytes")
    for element in elements:
        try:
            changed = hll.add(buf, element, sparse_max) or changed
        except hll.CorruptHLL:
            # Redis has already changed the registers before the bad one, and keeps them.
            db.set(key, bytes(buf), keep_ttl=True, encoding=b"raw")
            raise ReplyError(errors.HLL_CORRUPT) from None
    if changed:
        hll.invalidate(buf)
        db.set(key, bytes(buf), keep_ttl=True, encoding=b"raw")
        db.signal_modified(key, "pfadd")
    return int(changed)


@command("pfcount", arity=-2, flags="readonly", keys=(1, -1, 1), group="hyperloglog",
         since="2.8.9")
def pfcount(ctx: Session, *keys: bytes) -> int:
    """Cardinality of one HLL (cached in its header: O(1)) or of a union: O(16384 * keys)."""
    if len(keys) > 1:
        return hll.estimate(_union(ctx, keys)[0])
    key = keys[0]
    value = _hll_at(ctx, key)
    if value is None:
        return 0
    card = hll.cached_count(value)
    if card is None:
        card = hll.estimate(_registers(value))
        buf = bytearray(value)
        hll.store_count(buf, card)
        ctx.db.set(key, bytes(buf), keep_ttl=True, encoding=b"raw")
        ctx.db.signal_modified(key, "")
    return card


@command("pfmerge", arity=-2, flags="write denyoom", keys=(1, -1, 1), group="hyperloglog",
         since="2.8.9")
def pfmerge(ctx: Session, destkey: bytes, *sourcekeys: bytes) -> Status:
    """Merge HLLs into ``destkey`` (which counts as a source too): O(16384 * keys)."""
    maxima, any_dense = _union(ctx, (destkey,) + sourcekeys)
    current = ctx.db.get(destkey)
    buf = hll.new() if current is None else bytearray(current)
    if any_dense:
        hll.to_dense(buf)
    hll.write_registers(buf, maxima, ctx.server.config.get_int("hll-sparse-max-bytes"))
    hll.invalidate(buf)
    ctx.db.set(destkey, bytes(buf), keep_ttl=True, encoding=b"raw")
    ctx.db.signal_modified(destkey, "pfadd")
    return OK


@command("pfdebug", arity=3, flags="write denyoom admin", keys=(2, 2, 1), group="hyperloglog",
         since="2.8.9")
def pfdebug(ctx: Session, subcommand: bytes, key: bytes) -> list[int] | bytes | Status | int:
    """Internals of a HyperLogLog: GETREG, DECODE, ENCODING, TODENSE. O(16384)."""
    value = _hll_at(ctx, key)
    if value is None:
        raise ReplyError(errors.HLL_NO_KEY)
    word = subcommand.lower()
    if word == b"encoding":
        return Status(b"dense" if value[4] == hll.DENSE else b"sparse")
    if word == b"decode":
        if value[4] != hll.SPARSE:
            raise ReplyError(errors.HLL_NOT_SPARSE)
        return hll.decode_sparse(value)
    if word not in (b"getreg", b"todense"):
        raise ReplyError(errors.pfdebug_unknown(subcommand))
    regs = _registers(value)
    converted = value[4] == hll.SPARSE
    if converted:
        ctx.db.set(key, hll.dense_value(value, regs), keep_ttl=True, encoding=b"raw")
    return int(converted) if word == b"todense" else list(regs)


@command("pfselftest", arity=1, flags="admin", group="hyperloglog", since="2.8.9")
def pfselftest(ctx: Session) -> Status:
    """Check the HyperLogLog implementation on random data: O(16384 + a few hundred adds)."""
    failure = hll.self_test(random.Random())
    if failure is not None:
        raise ReplyError(errors.HLL_SELFTEST_FAILED.format(failure))
    return OK
