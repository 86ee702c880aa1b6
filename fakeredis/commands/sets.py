"""Set commands (Redis's t_set.c). A set is a Python ``set`` of bytes.

Python sets cannot pick a random member in O(1). SRANDMEMBER therefore costs O(n) here (Redis:
O(count)). SPOP picks uniformly at random from sets of up to 64 members and, to stay O(count) like
Redis, removes arbitrary (hash-order, not uniformly random) members from larger sets.
"""

from __future__ import annotations

import random
from typing import Callable

from fakeredis import errors
from fakeredis.args import INT64_MAX, parse_int, try_int
from fakeredis.errors import ReplyError
from fakeredis.registry import command
from fakeredis.replies import SetReply
from fakeredis.session import Session
from fakeredis.structures.scan import parse_cursor, parse_scan_options, scan_page

SetOp = Callable[[list[set]], set]
HASHTABLE = b"hashtable"
# SPOP with a count rebuilds the set from the members it keeps once it takes this many per kept one
_SPOP_REBUILD_RATIO = 5


def _get(ctx: Session, key: bytes) -> set | None:
    """The set at ``key``, None if missing, WRONGTYPE otherwise. O(1)."""
    return ctx.db.get_typed(key, set)


def _load_all(ctx: Session, keys: tuple[bytes, ...]) -> list[set | None]:
    """Every key's set (None when missing), type-checking all keys first as Redis does. O(keys)."""
    return [_get(ctx, key) for key in keys]


def removed_from(ctx: Session, key: bytes, value: set | dict, event: str) -> None:
    """Signal a removal from a container, then delete it (signalling "del") when emptied."""
    ctx.db.signal_modified(key, event)
    ctx.db.delete_if_empty(key, value)


def is_intset(value: set, max_entries: int) -> bool:
    """True when Redis would keep ``value`` as an intset (small, all canonical integers)."""
    return len(value) <= max_entries and all(try_int(member) is not None for member in value)


def set_encoding(ctx: Session, value: set) -> bytes:
    """The encoding Redis gives a set built from scratch with these members. O(n)."""
    limit = ctx.server.config.get_int("set-max-intset-entries")
    return b"intset" if is_intset(value, limit) else HASHTABLE


def is_compact(ctx: Session, key: bytes) -> bool:
    """True while the set or hash at ``key`` keeps its intset/listpack encoding. O(1)."""
    return key not in ctx.db.encodings


def upgrade(ctx: Session, key: bytes) -> None:
    """Record that the set or hash at ``key`` left its compact encoding, for its lifetime. O(1)."""
    ctx.db.encodings[key] = HASHTABLE


def _grown(ctx: Session, key: bytes, value: set, added: tuple[bytes, ...]) -> None:
    """After new members: leave intset past the entry limit or for a non-integer. O(added)."""
    if key in ctx.db.encodings:
        return
    if len(value) > ctx.server.config.get_int("set-max-intset-entries") or any(
            try_int(member) is None for member in added):
        upgrade(ctx, key)


def _rebuilt(ctx: Session, key: bytes, value: set) -> None:
    """The set at ``key`` was built anew: its encoding follows from its members again. O(n)."""
    if set_encoding(ctx, value) == HASHTABLE:
        upgrade(ctx, key)
    else:
        ctx.db.encodings.pop(key, None)


def members_reply(members: set, intset: bool) -> SetReply:
    """Members as a set reply; ascending when held as an intset. O(n log n)."""
    return SetReply(sorted(members, key=int) if intset else members)


def _inter(sets: list[set | None]) -> set:
    """Intersection, smallest set first; empty when any set is missing. O(n * sets)."""
    if any(s is None for s in sets):
        return set()
    ordered = sorted(sets, key=len)
    return ordered[0].intersection(*ordered[1:])


def _union(sets: list[set | None]) -> set:
    """Union of the sets that exist. O(total size)."""
    return set().union(*(s for s in sets if s is not None))


def _diff(sets: list[set | None]) -> set:
    """Members of the first set found in none of the others. O(total size)."""
    first = sets[0]
    if first is None:
        return set()
    return first.difference(*(s for s in sets[1:] if s is not None))


def _store(ctx: Session, dest: bytes, result: set, event: str) -> int:
    """Store a *STORE result at ``dest`` (deleting it when empty); the result's size. O(1)."""
    db = ctx.db
    if result:
        db.set(dest, result)
        _rebuilt(ctx, dest, result)
        db.signal_modified(dest, event)
    elif db.delete(dest):
        db.signal_modified(dest, "del")
    return len(result)


@command("sadd", arity=-3, flags="write denyoom fast", keys=(1, 1, 1), group="set", since="1.0.0")
def sadd(ctx: Session, key: bytes, *members: bytes) -> int:
    """Add members to a set; the number added. O(members)."""
    value = ctx.db.get_or_create(key, set)
    before = len(value)
    value.update(members)
    added = len(value) - before
    if added:
        _grown(ctx, key, value, members)
        ctx.db.signal_modified(key, "sadd")
    return added


@command("srem", arity=-3, flags="write fast", keys=(1, 1, 1), group="set", since="1.0.0")
def srem(ctx: Session, key: bytes, *members: bytes) -> int:
    """Remove members from a set; the number removed. O(members)."""
    value = _get(ctx, key)
    if value is None:
        return 0
    before = len(value)
    value.difference_update(members)
    removed = before - len(value)
    if removed:
        removed_from(ctx, key, value, "srem")
    return removed


@command("scard", arity=2, flags="readonly fast", keys=(1, 1, 1), group="set", since="1.0.0")
def scard(ctx: Session, key: bytes) -> int:
    """The number of members of a set. O(1)."""
    value = _get(ctx, key)
    return len(value) if value is not None else 0


@command("sismember", arity=3, flags="readonly fast", keys=(1, 1, 1), group="set", since="1.0.0")
def sismember(ctx: Session, key: bytes, member: bytes) -> int:
    """1 when ``member`` is in the set, else 0. O(1)."""
    value = _get(ctx, key)
    return int(value is not None and member in value)


@command("smismember", arity=-3, flags="readonly fast", keys=(1, 1, 1), group="set",
         since="6.2.0")
def smismember(ctx: Session, key: bytes, *members: bytes) -> list[int]:
    """1 or 0 for each member, telling whether it is in the set. O(members)."""
    value = _get(ctx, key) or set()
    return [int(member in value) for member in members]


@command("smembers", arity=2, flags="readonly", keys=(1, 1, 1), group="set", since="1.0.0")
def smembers(ctx: Session, key: bytes) -> SetReply:
    """All members of a set. O(n)."""
    value = _get(ctx, key)
    if value is None:
        return SetReply()
    return members_reply(value, is_compact(ctx, key))


@command("smove", arity=4, flags="write fast", keys=(1, 2, 1), group="set", since="1.0.0")
def smove(ctx: Session, source: bytes, destination: bytes, member: bytes) -> int:
    """Move a member from one set to another; 1 if it was moved. O(1)."""
    src = _get(ctx, source)
    if src is None:
        return 0
    dst = _get(ctx, destination)
    if src is dst or member not in src:
        return int(member in src)
    src.discard(member)
    removed_from(ctx, source, src, "srem")
    dst = ctx.db.get_or_create(destination, set)
    if member not in dst:
        dst.add(member)
        _grown(ctx, destination, dst, (member,))
        ctx.db.signal_modified(destination, "sadd")
    return 1


def _count_arg(arg: bytes) -> int:
    """SPOP's count: a non-negative integer, else "must be positive"."""
    count = parse_int(arg, errors.NOT_POSITIVE)
    if count < 0:
        raise ReplyError(errors.NOT_POSITIVE)
    return count


_UNIFORM_POP_LIMIT = 64


def _take(value: set, count: int) -> list[bytes]:
    """Remove ``count`` members: random ones from small sets, O(count) arbitrary ones otherwise."""
    if len(value) > _UNIFORM_POP_LIMIT and count < len(value):
        return [value.pop() for _ in range(count)]
    chosen = random.sample(list(value), count)
    value.difference_update(chosen)
    return chosen


@command("spop", arity=-2, flags="write fast", keys=(1, 1, 1), group="set", since="1.0.0")
def spop(ctx: Session, key: bytes, *count: bytes) -> bytes | SetReply | None:
    """Remove and return one random member, or ``count`` distinct ones. O(count), small sets O(n)."""
    if len(count) > 1:
        raise ReplyError(errors.SYNTAX)
    wanted = _count_arg(count[0]) if count else None
    value = _get(ctx, key)
    if value is None or wanted == 0:
        return None if wanted is None else SetReply()
    chosen = _take(value, min(wanted or 1, len(value)))
    if wanted is not None and value and len(value) * _SPOP_REBUILD_RATIO <= len(chosen):
        _rebuilt(ctx, key, value)  # Redis rebuilt it from the members it kept
    removed_from(ctx, key, value, "spop")
    return chosen[0] if wanted is None else SetReply(chosen)


def _random_members(value: set, count: int) -> list[bytes]:
    """``count`` distinct random members (all when fewer), or ``-count`` draws with repeats."""
    members = list(value)
    if count < 0:
        return random.choices(members, k=-count)
    return random.sample(members, min(count, len(members)))


@command("srandmember", arity=-2, flags="readonly", keys=(1, 1, 1), group="set", since="1.0.0")
def srandmember(ctx: Session, key: bytes, *count: bytes) -> bytes | list[bytes] | None:
    """One random member, or ``count`` of them (negative: repeats allowed). O(n + |count|)."""
    if len(count) > 1:
        raise ReplyError(errors.SYNTAX)
    wanted = parse_int(count[0]) if count else None
    if wanted is not None and wanted < -INT64_MAX:
        raise ReplyError(errors.RANGE_LONG)
    value = _get(ctx, key)
    if wanted is None:
        return random.choice(list(value)) if value else None
    if not value or wanted == 0:
        return []
    return _random_members(value, wanted)


def _read_op(op: SetOp) -> Callable[..., SetReply]:
    """A SINTER/SUNION/SDIFF handler computing ``op`` over the keys' sets."""

    def handler(ctx: Session, *keys: bytes) -> SetReply:
        result = op(_load_all(ctx, keys))
        return members_reply(result, set_encoding(ctx, result) != HASHTABLE)

    return handler


def _store_op(op: SetOp, event: str) -> Callable[..., int]:
    """A *STORE handler storing ``op`` over the keys' sets at the destination."""

    def handler(ctx: Session, destination: bytes, *keys: bytes) -> int:
        return _store(ctx, destination, op(_load_all(ctx, keys)), event)

    return handler


def _declare_op(name: str, op: SetOp, summary: str) -> None:
    """Declare the read command ``name`` and its ``name``STORE variant."""
    read, store = _read_op(op), _store_op(op, f"{name}store")
    read.__doc__ = f"The {summary} of the given sets. O(total size)."
    store.__doc__ = f"Store the {summary} of the given sets at a key; its size. O(total size)."
    command(name, arity=-2, flags="readonly", keys=(1, -1, 1), group="set", since="1.0.0")(read)
    command(f"{name}store", arity=-3, flags="write denyoom", keys=(1, -1, 1), group="set",
            since="1.0.0")(store)


_declare_op("sinter", _inter, "intersection")
_declare_op("sunion", _union, "union")
_declare_op("sdiff", _diff, "difference between the first and the following")


def _sintercard_keys(argv: list[bytes]) -> list[int]:
    """Key positions of SINTERCARD: ``numkeys`` keys after the numkeys argument."""
    numkeys = try_int(argv[1]) if len(argv) > 1 else None
    if numkeys is None or not 0 < numkeys <= len(argv) - 2:
        return []
    return list(range(2, 2 + numkeys))


def parse_numkeys(args: tuple[bytes, ...]) -> int:
    """The numkeys argument (first of ``args``) checked against the arguments that follow."""
    numkeys = parse_int(args[0], errors.NUMKEYS_POSITIVE)
    if numkeys <= 0:
        raise ReplyError(errors.NUMKEYS_POSITIVE)
    if numkeys > len(args) - 1:
        raise ReplyError(errors.NUMKEYS_OVER_ARGS)
    return numkeys


def parse_limit(options: tuple[bytes, ...]) -> int:
    """``LIMIT n`` options (the last one wins; 0 means no limit)."""
    limit = 0
    i = 0
    while i < len(options):
        if options[i].upper() != b"LIMIT" or i + 1 >= len(options):
            raise ReplyError(errors.SYNTAX)
        limit = parse_int(options[i + 1], errors.LIMIT_NEGATIVE)
        if limit < 0:
            raise ReplyError(errors.LIMIT_NEGATIVE)
        i += 2
    return limit


@command("sintercard", arity=-3, flags="readonly", keys=(0, 0, 0), key_finder=_sintercard_keys,
         group="set", since="7.0.0")
def sintercard(ctx: Session, *args: bytes) -> int:
    """The size of the intersection of sets, counting up to LIMIT. O(n * sets)."""
    numkeys = parse_numkeys(args)
    limit = parse_limit(args[1 + numkeys:])
    sets = _load_all(ctx, args[1:1 + numkeys])
    if any(s is None for s in sets):
        return 0
    smallest, *others = sorted(sets, key=len)
    found = 0
    for member in smallest:
        if all(member in other for other in others):
            found += 1
            if found == limit:
                break
    return found


@command("sscan", arity=-3, flags="readonly", keys=(1, 1, 1), group="set", since="2.8.0")
def sscan(ctx: Session, key: bytes, cursor: bytes, *options: bytes) -> list:
    """Iterate a set with a cursor (MATCH, COUNT); intsets come whole, sorted. O(count)."""
    position = parse_cursor(cursor)
    value = _get(ctx, key)
    if value is None:
        return [b"0", []]
    match, count, _ = parse_scan_options(options)
    position, batch = scan_page(ctx.server.scans, (ctx.db.index, key), position, count, match,
                                lambda: list(value), value,
                                sorted(value, key=int) if is_compact(ctx, key) else None)
    return [b"%d" % position, batch]
