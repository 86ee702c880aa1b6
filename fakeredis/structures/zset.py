"""The sorted set: a member -> score dict plus a SortedList of (score, member).

Costs: score lookup O(1); insert, remove, rank, pop at either end O(log n); locating a score or lex
range O(log n) (a lex range over unequal scores, which Redis leaves loosely defined, O(n)); reading
or removing m entries of a range O(log n + m); length O(1).

Members are ordered by (score, member bytes), ties broken by bytes as Redis does. ``listpack``
mirrors Redis's compact encoding, which stores scores as text and so turns ``-0`` into ``0``; a set
leaves it for good once it outgrows the zset-max-listpack-* limits (OBJECT ENCODING reports it).
"""

from __future__ import annotations

from bisect import bisect_left
from math import inf as _INF
from math import nextafter

from sortedcontainers import SortedList

from fakeredis.keyspace import register_type

Entry = tuple[float, bytes]


def _slice(order: SortedList, start: int, stop: int) -> list[Entry]:
    """``order[start:stop]`` for 0 <= start, stop. O(log n + m).

    A set held in one sublist (up to a few thousand entries) is sliced as a plain list, several
    times quicker than SortedList's positional slicing; ``_lists`` is sortedcontainers' (2.x)
    list of sorted sublists.
    """
    lists = getattr(order, "_lists", None)  # absent in another sortedcontainers: no shortcut
    if lists is not None and len(lists) == 1:
        return lists[0][start:stop]
    return order[start:stop]  # a slice locates one position, islice two


def _past(entries: SortedList | list[Entry], score: float) -> int:
    """Position past every entry scored ``score`` or less in sorted ``entries``. O(log n)."""
    if score == _INF:
        return len(entries)
    # (the next double,) sorts after (score, any member): no tuple compares a member here
    probe = (nextafter(score, _INF),)
    if type(entries) is list:
        return bisect_left(entries, probe)
    return entries.bisect_left(probe)


class LexBound:
    """One end of a lex range: ``-``/``+`` (infinite) or ``[value``/``(value``."""

    __slots__ = ("value", "exclusive", "infinite")

    def __init__(self, value: bytes, exclusive: bool, infinite: int = 0) -> None:
        self.value = value
        self.exclusive = exclusive
        self.infinite = infinite  # -1 for '-', 1 for '+', 0 otherwise

    def above_min(self, member: bytes) -> bool:
        """True when ``member`` is inside the range as seen from this lower bound."""
        if self.infinite:
            return self.infinite < 0
        return member > self.value if self.exclusive else member >= self.value

    def below_max(self, member: bytes) -> bool:
        """True when ``member`` is inside the range as seen from this upper bound."""
        if self.infinite:
            return self.infinite > 0
        return member < self.value if self.exclusive else member <= self.value


def _lex_empty(low: LexBound, high: LexBound) -> bool:
    """True when a lex range can hold nothing whatever the members (min above max)."""
    if low is high:
        return True
    if low.infinite < 0 or high.infinite > 0:
        return False
    if low.infinite > 0 or high.infinite < 0:
        return True
    return low.value > high.value or (low.value == high.value
                                      and (low.exclusive or high.exclusive))


class ZSet:
    """A Redis sorted set. See the module docstring for costs."""

    __slots__ = ("scores", "order", "listpack")

    def __init__(self, listpack: bool = True) -> None:
        self.scores: dict[bytes, float] = {}
        self.order: SortedList = SortedList()
        self.listpack = listpack

    def __len__(self) -> int:
        return len(self.scores)

    def __contains__(self, member: object) -> bool:
        return member in self.scores

    @property
    def encoding(self) -> bytes:
        """What OBJECT ENCODING prints."""
        return b"listpack" if self.listpack else b"skiplist"

    def outgrow(self, max_entries: int, max_value: int, member_len: int) -> None:
        """Leave the compact encoding when the set or a member is past the configured limits."""
        if len(self.scores) > max_entries or member_len > max_value:
            self.listpack = False

    def score(self, member: bytes) -> float | None:
        """The member's score or None. O(1)."""
        return self.scores.get(member)

    def insert(self, member: bytes, score: float) -> float | None:
        """Set a member's score; return its previous score (None if new). O(log n)."""
        if self.listpack:
            score += 0.0  # text storage turns -0 into 0
        scores = self.scores
        old = scores.get(member)
        if old is not None:
            if old == score:
                return old
            self.order.remove((old, member))
        scores[member] = score
        self.order.add((score, member))
        return old

    def discard(self, member: bytes) -> bool:
        """Remove a member; True if it was there. O(log n)."""
        old = self.scores.pop(member, None)
        if old is None:
            return False
        self.order.remove((old, member))
        return True

    def rank(self, member: bytes) -> int | None:
        """0-based position in ascending order, or None. O(log n)."""
        score = self.scores.get(member)
        if score is None:
            return None
        return self.order.bisect_left((score, member))

    def entry(self, index: int) -> Entry:
        """The (score, member) at an ascending position. O(log n)."""
        return self.order[index]

    def pop(self, index: int) -> Entry:
        """Remove and return the (score, member) at a position (0 or -1 for the ends). O(log n)."""
        score, member = self.order.pop(index)
        del self.scores[member]
        return score, member

    def remove_range(self, start: int, stop: int) -> None:
        """Remove the entries at ascending positions [start, stop). O(log n + m)."""
        scores = self.scores
        for _score, member in self.order.islice(start, stop):
            del scores[member]
        del self.order[start:stop]

    def entries(self, start: int, stop: int, reverse: bool = False) -> list[Entry]:
        """Entries at ascending positions [start, stop), optionally last first. O(log n + m)."""
        entries = _slice(self.order, start, stop)
        if reverse:
            entries.reverse()
        return entries

    def score_span(self, low: float, low_excl: bool, high: float,
                   high_excl: bool) -> tuple[int, int]:
        """Positions [start, stop) of the entries whose score is in the range. O(log n)."""
        order = self.order
        start = _past(order, low) if low_excl else order.bisect_left((low,))
        stop = order.bisect_left((high,)) if high_excl else _past(order, high)
        return start, max(start, stop)

    def score_page(self, low: float, low_excl: bool, high: float, high_excl: bool, offset: int,
                   count: int, reverse: bool = False) -> list[Entry]:
        """LIMIT ``offset`` ``count`` (both >= 0) of a score range, in reading order: one end is
        located, a page sliced from it and cut where it leaves the range. O(log n + count)."""
        order = self.order
        if reverse:
            stop = order.bisect_left((high,)) if high_excl else _past(order, high)
            page = _slice(order, max(stop - offset - count, 0), max(stop - offset, 0))
            if page and (page[0][0] <= low if low_excl else page[0][0] < low):
                del page[:_past(page, low) if low_excl else bisect_left(page, (low,))]
            page.reverse()
            return page
        start = _past(order, low) if low_excl else order.bisect_left((low,))
        page = _slice(order, start + offset, start + offset + count)
        if page and (page[-1][0] >= high if high_excl else page[-1][0] > high):
            del page[bisect_left(page, (high,)) if high_excl else _past(page, high):]
        return page

    def lex_span(self, low: LexBound, high: LexBound, reverse: bool = False) -> tuple[int, int]:
        """Positions [start, stop) of the members in a lex range.

        O(log n) when all scores are equal (the case lex ranges are meant for). Otherwise O(n): a
        walk in (score, member) order the way Redis's compact encoding answers it, from the start
        (or, for ``reverse``, from the end) to the first member in range, then on while in range.
        """
        order = self.order
        n = len(order)
        if not n:
            return 0, 0
        score = order[0][0]
        if order[-1][0] != score:
            return self._lex_walk(low, high, reverse)
        if low.infinite:
            start = 0 if low.infinite < 0 else n
        else:
            probe = (score, low.value)
            start = order.bisect_right(probe) if low.exclusive else order.bisect_left(probe)
        if high.infinite:
            stop = n if high.infinite > 0 else 0
        else:
            probe = (score, high.value)
            stop = order.bisect_left(probe) if high.exclusive else order.bisect_right(probe)
        return start, max(start, stop)

    def _lex_walk(self, low: LexBound, high: LexBound, reverse: bool) -> tuple[int, int]:
        """Lex range over mixed scores, as a linear walk. O(n)."""
        members = [member for _score, member in self.order]
        if _lex_empty(low, high) or not low.above_min(members[-1]) \
                or not high.below_max(members[0]):
            return 0, 0
        if reverse:
            last = next((i for i in range(len(members) - 1, -1, -1)
                         if high.below_max(members[i])), None)
            if last is None or not low.above_min(members[last]):
                return 0, 0
            first = last
            while first > 0 and low.above_min(members[first - 1]):
                first -= 1
            return first, last + 1
        first = next((i for i, member in enumerate(members) if low.above_min(member)), None)
        if first is None or not high.below_max(members[first]):
            return 0, 0
        stop = first
        while stop < len(members) and high.below_max(members[stop]):
            stop += 1
        return first, stop

    def _check(self) -> None:
        """Invariants: dict and sorted list hold the same entries; no NaN scores."""
        assert len(self.scores) == len(self.order)
        for score, member in self.order:
            assert self.scores[member] is score or self.scores[member] == score
            assert score == score, member
        self.order._check()


register_type(ZSet, b"zset")
