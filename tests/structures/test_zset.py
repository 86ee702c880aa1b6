"""ZSet: ordering, spans and the dict/SortedList invariant under random operations."""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from fakeredis.structures.zset import LexBound, ZSet

MEMBERS = st.binary(min_size=0, max_size=3)
SCORES = st.one_of(st.floats(allow_nan=False, width=64), st.sampled_from([0.0, -0.0, 1.0, -1.0]))


def make(*pairs, listpack=True):
    zset = ZSet(listpack)
    for member, score in pairs:
        zset.insert(member, score)
    return zset


def model_order(zset):
    return sorted((score, member) for member, score in zset.scores.items())


def test_ties_are_ordered_by_member_bytes():
    zset = make((b"b", 1.0), (b"a", 1.0), (b"\xff", 0.0), (b"", 1.0))
    assert list(zset.entries(0, 4)) == [(0.0, b"\xff"), (1.0, b""), (1.0, b"a"), (1.0, b"b")]
    assert zset.rank(b"a") == 2 and zset.rank(b"missing") is None


def test_insert_returns_previous_score_and_keeps_equal_scores():
    zset = make((b"a", 1.0))
    assert zset.insert(b"a", 2.0) == 1.0
    assert zset.insert(b"a", 2.0) == 2.0
    assert zset.insert(b"b", 0.0) is None
    assert list(zset.entries(0, 2, reverse=True)) == [(2.0, b"a"), (0.0, b"b")]
    zset._check()


def test_negative_zero_depends_on_encoding():
    compact = make((b"a", -0.0))
    assert math.copysign(1.0, compact.score(b"a")) == 1.0
    wide = make((b"a", -0.0), listpack=False)
    assert math.copysign(1.0, wide.score(b"a")) == -1.0
    assert compact.encoding == b"listpack" and wide.encoding == b"skiplist"


def test_outgrow_is_one_way():
    zset = make((b"a", 1.0))
    zset.outgrow(128, 64, 65)
    assert not zset.listpack
    zset.outgrow(128, 64, 1)
    assert not zset.listpack


def test_score_span_bounds():
    zset = make((b"a", 1.0), (b"b", 2.0), (b"c", 2.0), (b"d", 3.0))
    assert zset.score_span(2.0, False, 2.0, False) == (1, 3)
    assert zset.score_span(2.0, True, 3.0, False) == (3, 4)
    assert zset.score_span(1.0, False, 2.0, True) == (0, 1)
    assert zset.score_span(-math.inf, False, math.inf, False) == (0, 4)
    start, stop = zset.score_span(3.0, False, 1.0, False)
    assert start == stop


def test_lex_span_with_equal_scores():
    zset = make(*((m, 0.0) for m in (b"a", b"b", b"c", b"d")))
    assert zset.lex_span(LexBound(b"b", False), LexBound(b"c", False)) == (1, 3)
    assert zset.lex_span(LexBound(b"b", True), LexBound(b"", False, 1)) == (2, 4)
    assert zset.lex_span(LexBound(b"", False, -1), LexBound(b"c", True)) == (0, 2)
    assert zset.lex_span(LexBound(b"", False, 1), LexBound(b"", False, -1)) == (4, 4)


def test_lex_span_with_mixed_scores_walks_in_order():
    zset = make((b"b", 1.0), (b"a", 2.0), (b"c", 3.0))
    assert zset.lex_span(LexBound(b"b", False), LexBound(b"c", False)) == (0, 3)
    assert zset.lex_span(LexBound(b"a", False), LexBound(b"a", False)) == (0, 0)
    assert zset.lex_span(LexBound(b"", False, -1), LexBound(b"b", False), reverse=True) == (0, 2)
    assert zset.lex_span(LexBound(b"c", False), LexBound(b"a", False)) == (0, 0)


def test_pop_both_ends():
    zset = make((b"a", 1.0), (b"b", 2.0), (b"c", 3.0))
    assert zset.pop(0) == (1.0, b"a")
    assert zset.pop(-1) == (3.0, b"c")
    assert len(zset) == 1 and b"b" in zset
    zset._check()


OPERATIONS = st.lists(st.one_of(
    st.tuples(st.just("insert"), MEMBERS, SCORES),
    st.tuples(st.just("discard"), MEMBERS, st.just(0.0)),
    st.tuples(st.just("pop"), st.sampled_from([0, -1]), st.just(0.0)),
    st.tuples(st.just("outgrow"), st.just(b""), st.just(0.0)),
    st.tuples(st.just("remove_range"), st.integers(0, 5), st.integers(0, 5)),
), max_size=60)


@settings(max_examples=200, deadline=None)
@given(OPERATIONS)
def test_random_operations_keep_the_invariant(operations):
    zset = ZSet()
    for name, arg, score in operations:
        if name == "insert":
            zset.insert(arg, score)
        elif name == "discard":
            zset.discard(arg)
        elif name == "pop" and zset:
            zset.pop(arg)
        elif name == "outgrow":
            zset.outgrow(0, 64, 0)
        elif name == "remove_range":
            zset.remove_range(arg, arg + score)
        zset._check()
        assert list(zset.entries(0, len(zset))) == model_order(zset)
        for rank, (score, member) in enumerate(zset.entries(0, len(zset))):
            assert zset.rank(member) == rank


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(MEMBERS, SCORES), max_size=30), SCORES, SCORES, st.booleans(),
       st.booleans())
def test_score_span_matches_a_linear_filter(pairs, low, high, low_excl, high_excl):
    zset = make(*pairs)
    start, stop = zset.score_span(low, low_excl, high, high_excl)
    expected = [(s, m) for s, m in model_order(zset)
                if (s > low if low_excl else s >= low) and (s < high if high_excl else s <= high)]
    assert list(zset.entries(start, stop)) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(MEMBERS, SCORES), max_size=30), SCORES, SCORES, st.booleans(),
       st.booleans(), st.integers(0, 12), st.integers(0, 12), st.booleans())
def test_score_page_matches_a_linear_filter(pairs, low, high, low_excl, high_excl, offset, count,
                                            reverse):
    zset = make(*pairs)
    in_range = [(s, m) for s, m in model_order(zset)
                if (s > low if low_excl else s >= low) and (s < high if high_excl else s <= high)]
    if reverse:
        in_range.reverse()
    page = zset.score_page(low, low_excl, high, high_excl, offset, count, reverse)
    assert page == in_range[offset:offset + count]


def test_score_page_at_the_infinities():
    zset = make((b"a", -math.inf), (b"b", 0.0), (b"c", math.inf))
    assert zset.score_page(math.inf, True, math.inf, False, 0, 5) == []
    assert zset.score_page(-math.inf, False, math.inf, True, 0, 5) == [(-math.inf, b"a"),
                                                                        (0.0, b"b")]
    assert zset.score_page(-math.inf, True, math.inf, False, 1, 5, reverse=True) == [(0.0, b"b")]
    assert zset.score_page(-0.0, False, 0.0, False, 0, 5) == [(0.0, b"b")]


def test_ranges_of_a_set_spread_over_several_sublists():
    zset = make(*((b"m%d" % i, float(i // 3)) for i in range(5000)))
    assert len(zset.order._lists) > 1  # past one sublist: SortedList's own slicing
    ordered = model_order(zset)
    for start, stop in ((0, 10), (1995, 2010), (4990, 5000), (3000, 2990)):
        assert zset.entries(start, stop) == ordered[start:stop]
    assert zset.score_page(600.0, True, 700.0, False, 2, 5) == ordered[1805:1810]
    backwards = zset.score_page(600.0, False, 700.0, True, 0, 4, reverse=True)
    assert backwards == ordered[2096:2100][::-1]


LEX_BOUNDS = st.one_of(
    st.sampled_from([LexBound(b"", False, -1), LexBound(b"", False, 1)]),
    st.builds(LexBound, MEMBERS, st.booleans()),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(MEMBERS, max_size=20), LEX_BOUNDS, LEX_BOUNDS)
def test_lex_span_with_equal_scores_matches_a_linear_filter(members, low, high):
    zset = make(*((member, 0.0) for member in members))
    start, stop = zset.lex_span(low, high)
    expected = [m for m in sorted(set(members)) if low.above_min(m) and high.below_max(m)]
    assert [m for _s, m in zset.entries(start, stop)] == expected
