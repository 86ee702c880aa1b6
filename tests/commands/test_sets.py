"""Unit tests of the set module's helpers."""

import pytest

from fakeredis.commands.sets import (_sintercard_keys, _take, is_intset, members_reply, parse_limit,
                                     parse_numkeys)
from fakeredis.errors import ReplyError


def test_sintercard_key_finder():
    assert _sintercard_keys([b"sintercard", b"2", b"a", b"b", b"LIMIT", b"1"]) == [2, 3]
    assert _sintercard_keys([b"sintercard", b"5", b"a"]) == []
    assert _sintercard_keys([b"sintercard", b"0", b"a"]) == []
    assert _sintercard_keys([b"sintercard", b"x", b"a"]) == []


def test_is_intset():
    assert is_intset({b"1", b"-5", b"9223372036854775807"}, 512)
    assert not is_intset({b"1", b"01"}, 512)
    assert not is_intset({b"1", b"-0"}, 512)
    assert not is_intset({b"9223372036854775808"}, 512)
    assert not is_intset({b"1", b"2"}, 1)


def test_parse_numkeys_and_limit():
    assert parse_numkeys((b"2", b"a", b"b")) == 2
    with pytest.raises(ReplyError):
        parse_numkeys((b"3", b"a", b"b"))
    assert parse_limit(()) == 0
    assert parse_limit((b"limit", b"3", b"LIMIT", b"4")) == 4
    with pytest.raises(ReplyError):
        parse_limit((b"LIMIT",))


def test_take_removes_exactly_count_members():
    for size in (3, 64, 65, 1000):
        value = {b"%d" % i for i in range(size)}
        before = set(value)
        taken = _take(value, 2)
        assert len(taken) == 2 and len(set(taken)) == 2
        assert set(taken) <= before and not set(taken) & value
        assert len(value) == size - 2
    value = {b"%d" % i for i in range(100)}
    assert sorted(_take(value, 100)) == sorted(b"%d" % i for i in range(100)) and not value


def test_members_reply_orders_intsets_only():
    assert list(members_reply({b"10", b"9", b"-1"}, True)) == [b"-1", b"9", b"10"]
    assert sorted(members_reply({b"10", b"9"}, False)) == [b"10", b"9"]
