"""SORT and SORT_RO (Redis's sort.c): sort a list, set or sorted set, optionally by other keys."""

from __future__ import annotations

import math
import re
import sys
from collections import deque
from fractions import Fraction
from typing import Any

from fakeredis import errors
from fakeredis.args import parse_int
from fakeredis.commands.sets import is_compact
from fakeredis.errors import ReplyError
from fakeredis.registry import command
from fakeredis.session import Session
from fakeredis.structures.zset import ZSet

_DECIMAL_RE = re.compile(rb"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\Z")
_HEX_RE = re.compile(
    rb"[+-]?0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?\Z")
_INF_RE = re.compile(rb"([+-]?)inf(?:inity)?\Z", re.IGNORECASE)
_C_SPACE = b" \t\n\v\f\r"


def _exact_hex(text: bytes) -> Fraction:
    """The exact value a hexadecimal float spells."""
    sign = -1 if text[:1] == b"-" else 1
    body = text.lstrip(b"+-")[2:]
    digits, _, exponent = body.lower().partition(b"p")
    whole, _, frac = digits.partition(b".")
    mantissa = int((whole + frac).decode() or "0", 16)
    return sign * Fraction(mantissa) * Fraction(2) ** (int(exponent or b"0") - 4 * len(frac))


def strtod_score(value: bytes) -> float | None:
    """``value`` as SORT reads a score with ``strtod``: None when it would fail or overflow."""
    text = value.split(b"\0", 1)[0]
    if not text:
        return 0.0  # no conversion, but nothing left over either
    text = text.lstrip(_C_SPACE)
    infinite = _INF_RE.match(text)
    if infinite:
        return -math.inf if infinite.group(1) == b"-" else math.inf
    if _DECIMAL_RE.match(text):
        result, exact = float(text), None
    elif _HEX_RE.match(text):
        exact = _exact_hex(text)
        try:
            result = float(exact)
        except OverflowError:
            return None
    else:
        return None
    if math.isinf(result):
        return None
    if abs(result) < sys.float_info.min:
        exact = Fraction(text.decode()) if exact is None else exact
        if Fraction(result) != exact:
            return None  # ERANGE: the result underflowed
    return result


class SortSpec:
    """The parsed options of one SORT call."""

    __slots__ = ("desc", "alpha", "start", "count", "store", "by", "dontsort", "gets")

    def __init__(self) -> None:
        self.desc = False
        self.alpha = False
        self.start = 0
        self.count = -1
        self.store: bytes | None = None
        self.by: bytes | None = None
        self.dontsort = False
        self.gets: list[bytes] = []


def parse_sort_options(args: tuple[bytes, ...], readonly: bool) -> SortSpec:
    """SORT's options in Redis's way: last ASC/DESC/LIMIT/BY/STORE wins, GETs accumulate."""
    spec = SortSpec()
    i = 0
    while i < len(args):
        word = args[i].upper()
        left = len(args) - i - 1
        if word in (b"ASC", b"DESC"):
            spec.desc = word == b"DESC"
        elif word == b"ALPHA":
            spec.alpha = True
        elif word == b"LIMIT" and left >= 2:
            spec.start, spec.count = parse_int(args[i + 1]), parse_int(args[i + 2])
            i += 2
        elif word == b"STORE" and left >= 1 and not readonly:
            spec.store = args[i + 1]
            i += 1
        elif word == b"BY" and left >= 1:
            spec.by = args[i + 1]
            spec.dontsort = spec.dontsort or b"*" not in spec.by
            i += 1
        elif word == b"GET" and left >= 1:
            spec.gets.append(args[i + 1])
            i += 1
        else:
            raise ReplyError(errors.SYNTAX)
        i += 1
    return spec


def lookup_pattern(ctx: Session, pattern: bytes, element: bytes) -> bytes | None:
    """The string or ``->`` hash field at ``pattern``, its ``*`` replaced by ``element``. O(1)."""
    if pattern == b"#":
        return element
    star = pattern.find(b"*")
    if star < 0:
        return None
    arrow = pattern.find(b"->", star + 1)
    field = pattern[arrow + 2:] if arrow >= 0 and arrow + 2 < len(pattern) else None
    tail = pattern[star + 1:arrow] if field is not None else pattern[star + 1:]
    value = ctx.db.get(pattern[:star] + element + tail)
    if field is None:
        return value if type(value) is bytes else None
    return value.get(field) if type(value) is dict else None


def _elements(ctx: Session, key: bytes, value: Any, spec: SortSpec) -> list[bytes]:
    """The elements to sort: in the collection's own order when nothing will be sorted."""
    if value is None:
        return []
    if type(value) is deque:
        return list(reversed(value)) if spec.dontsort and spec.desc else list(value)
    if type(value) is ZSet:
        if not spec.dontsort:
            return list(value.scores)
        return [member for _, member in value.entries(0, len(value), reverse=spec.desc)]
    if spec.dontsort and is_compact(ctx, key):  # an intset iterates in order
        return sorted(value, key=int)
    return list(value)


def _window(spec: SortSpec, length: int) -> slice:
    """The LIMIT offset/count as a slice, with Redis's clamping."""
    start = max(spec.start, 0)
    end = length - 1 if spec.count < 0 else start + spec.count - 1
    if start >= length:
        start, end = length - 1, length - 2
    return slice(start, min(end, length - 1) + 1) if end >= start else slice(0, 0)


def _numeric_key(ctx: Session, spec: SortSpec, element: bytes) -> tuple[float, bytes]:
    """(score, element): the score from the element or its BY key, 0 when that is missing."""
    source = lookup_pattern(ctx, spec.by, element) if spec.by is not None else element
    if source is None:
        return 0.0, element
    score = strtod_score(source)
    if score is None:
        raise ReplyError(errors.SORT_NOT_DOUBLE)
    return score, element


def _alpha_key(ctx: Session, spec: SortSpec, element: bytes) -> tuple[bool, bytes]:
    """Bytes order of the element or its BY value; a missing BY value sorts first."""
    source = lookup_pattern(ctx, spec.by, element) if spec.by is not None else element
    return source is not None, source or b""


def sort_elements(ctx: Session, elements: list[bytes], spec: SortSpec) -> list[bytes]:
    """Sort by score (ties by element bytes) or ALPHA, ascending or DESC. O(n log n)."""
    if spec.dontsort:
        return elements
    key = _alpha_key if spec.alpha else _numeric_key
    return sorted(elements, key=lambda element: key(ctx, spec, element), reverse=spec.desc)


def _output(ctx: Session, chosen: list[bytes], gets: list[bytes]) -> list[bytes | None]:
    """The elements, or for each element the value of every GET pattern."""
    if not gets:
        return list(chosen)
    return [lookup_pattern(ctx, pattern, element) for element in chosen for pattern in gets]


def run_sort(ctx: Session, key: bytes, args: tuple[bytes, ...], readonly: bool) -> Any:
    """Parse, load, sort, window and reply or store: the body of SORT and SORT_RO."""
    spec = parse_sort_options(args, readonly)
    value = ctx.db.get(key)
    if value is not None and type(value) not in (deque, set, ZSet):
        raise ReplyError(errors.WRONGTYPE)
    if type(value) is ZSet:  # Redis converts a sorted set it sorts to a skiplist, for good
        value.listpack = False
    if spec.dontsort and type(value) is set and (spec.store is not None or ctx.in_script):
        spec.dontsort, spec.alpha, spec.by = False, True, None
    ordered = sort_elements(ctx, _elements(ctx, key, value, spec), spec)
    result = _output(ctx, ordered[_window(spec, len(ordered))], spec.gets)
    if spec.store is None:
        return result
    return _store(ctx, spec.store, result)


def _store(ctx: Session, dest: bytes, result: list[bytes | None]) -> int:
    """Store the result as a list (missing GET values become ""), or delete ``dest`` if empty."""
    db = ctx.db
    if result:
        db.set(dest, deque(b"" if item is None else item for item in result))
        db.signal_modified(dest, "sortstore")
    elif db.delete(dest):
        db.signal_modified(dest, "del")
    return len(result)


def _store_key(argv: list[bytes]) -> list[int]:
    """Key positions of SORT: the sorted key and the last STORE destination."""
    keys, store = [1], None
    skip = {b"LIMIT": 2, b"GET": 1, b"BY": 1}
    i = 2
    while i < len(argv):
        word = argv[i].upper()
        if word == b"STORE" and i + 1 < len(argv):
            store = i + 1
        i += skip.get(word, 0) + 1
    return keys + ([store] if store is not None else [])


def _sort_ro_keys(argv: list[bytes]) -> list[int]:
    """Key positions of SORT_RO: only the sorted key."""
    return [1]


@command("sort", arity=-2, flags="write denyoom", keys=(1, 1, 1), key_finder=_store_key,
         group="generic", since="1.0.0", acl="set sortedset list dangerous")
def sort(ctx: Session, key: bytes, *args: bytes) -> Any:
    """Sort a list, set or sorted set (BY, LIMIT, GET, ASC/DESC, ALPHA, STORE). O(n log n)."""
    return run_sort(ctx, key, args, readonly=False)


@command("sort_ro", arity=-2, flags="readonly", keys=(1, 1, 1), key_finder=_sort_ro_keys,
         group="generic", since="7.0.0", acl="set sortedset list dangerous")
def sort_ro(ctx: Session, key: bytes, *args: bytes) -> Any:
    """Sort a list, set or sorted set without STORE (read-only SORT). O(n log n)."""
    return run_sort(ctx, key, args, readonly=True)
