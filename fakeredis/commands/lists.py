"""List commands, blocking ones included (Redis's t_list.c).

A list is a ``collections.deque``: pushes and pops at either end are O(1), indexing costs
O(min(i, n - i)) (the deque walks from its nearer end), and ranges are read from the nearer end.
Blocking commands first try to serve; with nothing to serve they park the client with
``server.block``, whose ``attempt`` retries for the key that became ready (``server.serving_key``).
"""

from __future__ import annotations

from collections import deque
from itertools import islice
from typing import Any, Callable

from fakeredis import errors
from fakeredis.args import INT64_MIN, OptionScanner, parse_int, parse_timeout, rank_span
from fakeredis.errors import ReplyError
from fakeredis.keyspace import Database
from fakeredis.registry import command
from fakeredis.replies import NULL_ARRAY, OK, NullArray, Status
from fakeredis.session import Session


# --- helpers -------------------------------------------------------------------------------------
def _end(arg: bytes) -> bool:
    """LEFT -> True, RIGHT -> False, anything else a syntax error. O(1)."""
    word = arg.upper()
    if word == b"LEFT":
        return True
    if word == b"RIGHT":
        return False
    raise ReplyError(errors.SYNTAX)


def _pop_event(left: bool) -> str:
    """The keyspace event of a pop from that end."""
    return "lpop" if left else "rpop"


def _push_event(left: bool) -> str:
    """The keyspace event of a push onto that end."""
    return "lpush" if left else "rpush"


def _popped(db: Database, key: bytes, lst: deque, event: str) -> None:
    """Signal a removal from ``lst``; drop the key when that emptied it. O(1)."""
    db.signal_modified(key, event)
    if not lst:
        db.delete_if_empty(key, lst)


def _pop_many(lst: deque, count: int, left: bool) -> list[bytes]:
    """Remove up to ``count`` elements from one end, in popping order. O(count)."""
    pop = lst.popleft if left else lst.pop
    return [pop() for _ in range(min(count, len(lst)))]


def _slice(lst: deque, start: int, stop: int) -> list[bytes]:
    """``lst[start:stop]`` for 0 <= start <= stop <= len, walked from the nearer end. O(distance)."""
    n = len(lst)
    if start <= n - stop:
        return list(islice(lst, start, stop))
    tail = list(islice(reversed(lst), n - stop, n - start))
    tail.reverse()
    return tail


# --- pushes --------------------------------------------------------------------------------------
def _push(ctx: Session, key: bytes, elements: tuple[bytes, ...], left: bool, existing: bool) -> int:
    """LPUSH/RPUSH (``existing``: the X forms); the new length. O(elements)."""
    db = ctx.db
    if existing:
        lst = db.get_typed(key, deque)
        if lst is None:
            return 0
    else:
        lst = db.get_or_create(key, deque)
    if left:
        lst.extendleft(elements)
    else:
        lst.extend(elements)
    db.signal_modified(key, _push_event(left))
    return len(lst)


@command("lpush", arity=-3, flags="write denyoom fast", keys=(1, 1, 1), group="list", since="1.0.0")
def lpush(ctx: Session, key: bytes, *elements: bytes) -> int:
    """Prepend elements to a list, creating it. O(1) per element."""
    return _push(ctx, key, elements, left=True, existing=False)


@command("rpush", arity=-3, flags="write denyoom fast", keys=(1, 1, 1), group="list", since="1.0.0")
def rpush(ctx: Session, key: bytes, *elements: bytes) -> int:
    """Append elements to a list, creating it. O(1) per element."""
    return _push(ctx, key, elements, left=False, existing=False)


@command("lpushx", arity=-3, flags="write denyoom fast", keys=(1, 1, 1), group="list",
         since="2.2.0")
def lpushx(ctx: Session, key: bytes, *elements: bytes) -> int:
    """Prepend elements to an existing list. O(1) per element."""
    return _push(ctx, key, elements, left=True, existing=True)


@command("rpushx", arity=-3, flags="write denyoom fast", keys=(1, 1, 1), group="list",
         since="2.2.0")
def rpushx(ctx: Session, key: bytes, *elements: bytes) -> int:
    """Append elements to an existing list. O(1) per element."""
    return _push(ctx, key, elements, left=False, existing=True)


# --- pops ----------------------------------------------------------------------------------------
def _pop(ctx: Session, name: str, key: bytes, rest: tuple[bytes, ...], left: bool) -> Any:
    """LPOP/RPOP with an optional count. O(count)."""
    if len(rest) > 1:
        raise ReplyError(errors.wrong_arity(name))
    count = None
    if rest:
        count = parse_int(rest[0], errors.NOT_POSITIVE)
        if count < 0:
            raise ReplyError(errors.NOT_POSITIVE)
    db = ctx.db
    lst = db.get_typed(key, deque)
    if lst is None:
        return None if count is None else NULL_ARRAY
    if count is None:
        value = lst.popleft() if left else lst.pop()
    elif count == 0:
        return []
    else:
        value = _pop_many(lst, count, left)
    _popped(db, key, lst, _pop_event(left))
    return value


@command("lpop", arity=-2, flags="write fast", keys=(1, 1, 1), group="list", since="1.0.0",
         old_arity=("6.2.0", 2))
def lpop(ctx: Session, key: bytes, *count: bytes) -> Any:
    """Remove and return the first element, or the first ``count``. O(count)."""
    return _pop(ctx, "lpop", key, count, left=True)


@command("rpop", arity=-2, flags="write fast", keys=(1, 1, 1), group="list", since="1.0.0",
         old_arity=("6.2.0", 2))
def rpop(ctx: Session, key: bytes, *count: bytes) -> Any:
    """Remove and return the last element, or the last ``count``. O(count)."""
    return _pop(ctx, "rpop", key, count, left=False)


# --- reads ---------------------------------------------------------------------------------------
@command("llen", arity=2, flags="readonly fast", keys=(1, 1, 1), group="list", since="1.0.0")
def llen(ctx: Session, key: bytes) -> int:
    """The length of a list. O(1)."""
    lst = ctx.db.get_typed(key, deque)
    return 0 if lst is None else len(lst)


@command("lindex", arity=3, flags="readonly", keys=(1, 1, 1), group="list", since="1.0.0")
def lindex(ctx: Session, key: bytes, index: bytes) -> bytes | None:
    """The element at an index (negative from the tail). O(min(i, n - i))."""
    lst = ctx.db.get_typed(key, deque)
    if lst is None:
        return None
    i = parse_int(index)
    if i < 0:
        i += len(lst)
    return lst[i] if 0 <= i < len(lst) else None


@command("lrange", arity=4, flags="readonly", keys=(1, 1, 1), group="list", since="1.0.0")
def lrange(ctx: Session, key: bytes, start: bytes, stop: bytes) -> list[bytes]:
    """Elements from start to stop inclusive. O(distance from the nearer end + count)."""
    first, last = parse_int(start), parse_int(stop)
    lst = ctx.db.get_typed(key, deque)
    if lst is None:
        return []
    return _slice(lst, *rank_span(len(lst), first, last))


@command("lpos", arity=-3, flags="readonly", keys=(1, 1, 1), group="list", since="6.0.6")
def lpos(ctx: Session, key: bytes, element: bytes, *options: bytes) -> Any:
    """Indexes of matching elements, with RANK, COUNT and MAXLEN. O(n)."""
    rank, count, maxlen = 1, None, 0
    scan = OptionScanner(options)
    while scan:
        word = scan.word()
        if word == b"RANK" and scan:
            rank = scan.int_value()
            if rank == 0:
                raise ReplyError(errors.LPOS_RANK_ZERO)
        elif word == b"COUNT" and scan:
            count = _nonnegative(scan.value(), errors.LPOS_COUNT_NEGATIVE)
        elif word == b"MAXLEN" and scan:
            maxlen = _nonnegative(scan.value(), errors.LPOS_MAXLEN_NEGATIVE)
        else:
            raise ReplyError(errors.SYNTAX)
    lst = ctx.db.get_typed(key, deque)
    if lst is None:
        return None if count is None else []
    found = _positions(lst, element, rank, 1 if count is None else count, maxlen)
    if count is None:
        return found[0] if found else None
    return found


def _nonnegative(arg: bytes, error: str) -> int:
    """A 64-bit integer >= 0, else ``error``."""
    value = parse_int(arg, error)
    if value < 0:
        raise ReplyError(error)
    return value


def _positions(lst: deque, element: bytes, rank: int, count: int, maxlen: int) -> list[int]:
    """Indexes of matches from the rank-th on, ``count`` of them (0 = all), in ``maxlen``. O(n)."""
    n = len(lst)
    from_head = rank > 0
    # Redis negates INT64_MIN into itself, so every match from the tail qualifies, as for rank -1
    skip = rank - 1 if from_head else (0 if rank == INT64_MIN else -rank - 1)
    items = lst if from_head else reversed(lst)
    found: list[int] = []
    for i, item in enumerate(islice(items, maxlen or None)):
        if item == element:
            if skip:
                skip -= 1
                continue
            found.append(i if from_head else n - 1 - i)
            if len(found) == count:
                break
    return found


# --- in-place edits ------------------------------------------------------------------------------
@command("lset", arity=4, flags="write denyoom", keys=(1, 1, 1), group="list", since="1.0.0")
def lset(ctx: Session, key: bytes, index: bytes, element: bytes) -> Status:
    """Replace the element at an index. O(min(i, n - i))."""
    db = ctx.db
    lst = db.get_typed(key, deque)
    if lst is None:
        raise ReplyError(errors.NO_SUCH_KEY)
    i = parse_int(index)
    if i < 0:
        i += len(lst)
    if not 0 <= i < len(lst):
        raise ReplyError(errors.INDEX_OUT_OF_RANGE)
    lst[i] = element
    db.signal_modified(key, "lset")
    return OK


@command("linsert", arity=5, flags="write denyoom", keys=(1, 1, 1), group="list", since="2.2.0")
def linsert(ctx: Session, key: bytes, where: bytes, pivot: bytes, element: bytes) -> int:
    """Insert before or after the first occurrence of a pivot; -1 if absent. O(n)."""
    position = where.upper()
    if position not in (b"BEFORE", b"AFTER"):
        raise ReplyError(errors.SYNTAX)
    db = ctx.db
    lst = db.get_typed(key, deque)
    if lst is None:
        return 0
    try:
        i = lst.index(pivot)
    except ValueError:
        return -1
    lst.insert(i if position == b"BEFORE" else i + 1, element)
    db.signal_modified(key, "linsert")
    return len(lst)


@command("lrem", arity=4, flags="write", keys=(1, 1, 1), group="list", since="1.0.0")
def lrem(ctx: Session, key: bytes, count: bytes, element: bytes) -> int:
    """Remove occurrences: count > 0 from the head, < 0 from the tail, 0 all. O(n)."""
    limit = parse_int(count)
    db = ctx.db
    lst = db.get_typed(key, deque)
    if lst is None:
        return 0
    from_head = limit >= 0
    left = abs(limit) or len(lst)
    kept = []
    for item in (lst if from_head else reversed(lst)):
        if left and item == element:
            left -= 1
        else:
            kept.append(item)
    removed = len(lst) - len(kept)
    if removed:
        if not from_head:
            kept.reverse()
        lst.clear()
        lst.extend(kept)
        _popped(db, key, lst, "lrem")
    return removed


@command("ltrim", arity=4, flags="write", keys=(1, 1, 1), group="list", since="1.0.0")
def ltrim(ctx: Session, key: bytes, start: bytes, stop: bytes) -> Status:
    """Keep only the elements from start to stop inclusive. O(elements removed)."""
    first, last = parse_int(start), parse_int(stop)
    db = ctx.db
    lst = db.get_typed(key, deque)
    if lst is None:
        return OK
    n = len(lst)
    a, b = rank_span(n, first, last)
    if b - a < n // 2:
        kept = _slice(lst, a, b)
        lst.clear()
        lst.extend(kept)
    else:
        for _ in range(a):
            lst.popleft()
        for _ in range(n - b):
            lst.pop()
    _popped(db, key, lst, "ltrim")
    return OK


# --- moves ---------------------------------------------------------------------------------------
def _move(db: Database, src: bytes, dst: bytes, source: deque, from_left: bool,
          to_left: bool) -> bytes:
    """Pop from a non-empty ``source`` and push onto ``dst`` (checked first: WRONGTYPE). O(1)."""
    target = db.get_typed(dst, deque)
    value = source.popleft() if from_left else source.pop()
    if target is None:
        target = deque()
        db.set(dst, target)
    if to_left:
        target.appendleft(value)
    else:
        target.append(value)
    db.signal_modified(dst, _push_event(to_left))
    _popped(db, src, source, _pop_event(from_left))
    return value


def _lmove(ctx: Session, src: bytes, dst: bytes, from_left: bool, to_left: bool) -> bytes | None:
    """LMOVE/RPOPLPUSH: the moved element, None when the source is missing. O(1)."""
    db = ctx.db
    source = db.get_typed(src, deque)
    if source is None:
        return None
    return _move(db, src, dst, source, from_left, to_left)


@command("lmove", arity=5, flags="write denyoom", keys=(1, 2, 1), group="list", since="6.2.0")
def lmove(ctx: Session, source: bytes, destination: bytes, wherefrom: bytes,
          whereto: bytes) -> bytes | None:
    """Pop from one end of a list and push onto an end of another (or the same). O(1)."""
    from_left, to_left = _end(wherefrom), _end(whereto)
    return _lmove(ctx, source, destination, from_left, to_left)


@command("rpoplpush", arity=3, flags="write denyoom", keys=(1, 2, 1), group="list", since="1.2.0")
def rpoplpush(ctx: Session, source: bytes, destination: bytes) -> bytes | None:
    """Pop the last element of a list and prepend it to another (or the same). O(1)."""
    return _lmove(ctx, source, destination, False, True)


# --- multi-key pops ------------------------------------------------------------------------------
def _mpop_args(args: tuple[bytes, ...]) -> tuple[list[bytes], bool, int]:
    """``numkeys key... LEFT|RIGHT [COUNT n]`` as (keys, from left, count). O(numkeys)."""
    numkeys = parse_int(args[0], errors.NUMKEYS_POSITIVE)
    if numkeys <= 0:
        raise ReplyError(errors.NUMKEYS_POSITIVE)
    if numkeys >= len(args) - 1:
        raise ReplyError(errors.SYNTAX)
    left = _end(args[numkeys + 1])
    count = None
    scan = OptionScanner(args, numkeys + 2)
    while scan:
        if scan.word() == b"COUNT" and count is None and scan:
            count = parse_int(scan.value(), errors.COUNT_POSITIVE)
            if count <= 0:
                raise ReplyError(errors.COUNT_POSITIVE)
        else:
            raise ReplyError(errors.SYNTAX)
    return list(args[1:numkeys + 1]), left, count or 1


def _mpop_from(db: Database, key: bytes, lst: deque, left: bool, count: int) -> list:
    """Pop up to ``count`` from a non-empty list: the reply ``[key, [elements]]``. O(count)."""
    values = _pop_many(lst, count, left)
    _popped(db, key, lst, _pop_event(left))
    return [key, values]


def _first_list(db: Database, keys: list[bytes]) -> tuple[bytes, deque] | None:
    """The first key holding a list; WRONGTYPE if another type comes first. O(keys)."""
    for key in keys:
        lst = db.get_typed(key, deque)
        if lst is not None:
            return key, lst
    return None


def _mpop_key_finder(numkeys_at: int) -> Callable[[list], list[int]]:
    """Key positions of an argv with ``numkeys`` at ``numkeys_at``; [] when it does not parse."""

    def find(argv: list) -> list[int]:
        try:
            numkeys = parse_int(argv[numkeys_at])
        except ReplyError:
            return []
        if not 0 < numkeys < len(argv) - numkeys_at:
            return []
        return list(range(numkeys_at + 1, numkeys_at + 1 + numkeys))

    return find


@command("lmpop", arity=-4, flags="write", keys=(0, 0, 0), key_finder=_mpop_key_finder(1),
         group="list", since="7.0.0")
def lmpop(ctx: Session, *args: bytes) -> list | NullArray:
    """Pop up to COUNT elements from the first non-empty list of several. O(keys + count)."""
    keys, left, count = _mpop_args(args)
    found = _first_list(ctx.db, keys)
    if found is None:
        return NULL_ARRAY
    return _mpop_from(ctx.db, found[0], found[1], left, count)


# --- blocking ------------------------------------------------------------------------------------
def _ready_list(db: Database, key: bytes | None) -> deque | None:
    """The list at the key being served, if it is one (other types leave waiters blocked)."""
    value = db.get(key) if key is not None else None
    return value if type(value) is deque else None


def _serve_or_block(ctx: Session, keys: list[bytes], timeout: float,
                    serve: Callable[[bytes, deque], Any], unblocked_reply: Any = NULL_ARRAY) -> Any:
    """Reply ``serve(key, list)`` for the first of ``keys`` holding a list. When none does, answer
    ``unblocked_reply`` at once inside MULTI/EXEC and scripts, else park the client until one does
    (the null array on timeout)."""
    found = _first_list(ctx.db, keys)
    if found is not None:
        return serve(*found)
    if ctx.in_multi or ctx.in_script:
        return unblocked_reply
    db, server = ctx.db, ctx.server

    def attempt() -> Any:
        key = server.serving_key
        lst = _ready_list(db, key)
        return None if lst is None else serve(key, lst)

    return server.block(ctx, list(dict.fromkeys(keys)), timeout, attempt, NULL_ARRAY)


def _blocking_pop(ctx: Session, args: tuple[bytes, ...], left: bool) -> Any:
    """BLPOP/BRPOP: ``[key, element]`` now, later, or the null array. O(keys)."""
    *keys, timeout_arg = args
    timeout = parse_timeout(timeout_arg)
    db = ctx.db

    def serve(key: bytes, lst: deque) -> list[bytes]:
        value = lst.popleft() if left else lst.pop()
        _popped(db, key, lst, _pop_event(left))
        return [key, value]

    return _serve_or_block(ctx, keys, timeout, serve)


@command("blpop", arity=-3, flags="write noscript blocking", keys=(1, -2, 1), group="list",
         since="2.0.0")
def blpop(ctx: Session, *args: bytes) -> Any:
    """Pop the first element of the first non-empty list, waiting up to a timeout. O(keys)."""
    return _blocking_pop(ctx, args, left=True)


@command("brpop", arity=-3, flags="write noscript blocking", keys=(1, -2, 1), group="list",
         since="2.0.0")
def brpop(ctx: Session, *args: bytes) -> Any:
    """Pop the last element of the first non-empty list, waiting up to a timeout. O(keys)."""
    return _blocking_pop(ctx, args, left=False)


def _blocking_move(ctx: Session, src: bytes, dst: bytes, from_left: bool, to_left: bool,
                   timeout_arg: bytes) -> Any:
    """BLMOVE/BRPOPLPUSH: the moved element now, later, or a null. O(1)."""
    timeout = parse_timeout(timeout_arg)
    db = ctx.db

    def serve(key: bytes, source: deque) -> bytes:
        return _move(db, src, dst, source, from_left, to_left)

    return _serve_or_block(ctx, [src], timeout, serve, None)


@command("blmove", arity=6, flags="write denyoom noscript blocking", keys=(1, 2, 1), group="list",
         since="6.2.0")
def blmove(ctx: Session, source: bytes, destination: bytes, wherefrom: bytes, whereto: bytes,
           timeout: bytes) -> Any:
    """LMOVE, waiting up to a timeout for the source to get an element. O(1)."""
    from_left, to_left = _end(wherefrom), _end(whereto)
    return _blocking_move(ctx, source, destination, from_left, to_left, timeout)


@command("brpoplpush", arity=4, flags="write denyoom noscript blocking", keys=(1, 2, 1),
         group="list", since="2.2.0")
def brpoplpush(ctx: Session, source: bytes, destination: bytes, timeout: bytes) -> Any:
    """RPOPLPUSH, waiting up to a timeout for the source to get an element. O(1)."""
    return _blocking_move(ctx, source, destination, False, True, timeout)


@command("blmpop", arity=-5, flags="write blocking", keys=(0, 0, 0),
         key_finder=_mpop_key_finder(2), group="list", since="7.0.0")
def blmpop(ctx: Session, timeout: bytes, *args: bytes) -> Any:
    """LMPOP, waiting up to a timeout for one of the lists to get elements. O(keys + count)."""
    keys, left, count = _mpop_args(args)
    seconds = parse_timeout(timeout)
    db = ctx.db

    def serve(key: bytes, lst: deque) -> list:
        return _mpop_from(db, key, lst, left, count)

    return _serve_or_block(ctx, keys, seconds, serve)
