"""Unit tests of the hash module's helpers."""

import pytest

from fakeredis import FakeRedis, FakeServer
from fakeredis.commands.hashes import _hrandfield_count, _written, is_listpack
from fakeredis.errors import ReplyError


def test_is_listpack():
    assert is_listpack({b"a": b"x" * 64}, 512, 64)
    assert not is_listpack({b"a": b"x" * 65}, 512, 64)
    assert not is_listpack({b"f" * 65: b"x"}, 512, 64)
    assert not is_listpack({b"a": b"1", b"b": b"2"}, 1, 64)


def test_hrandfield_count():
    assert _hrandfield_count(b"-3", ()) == (-3, False)
    assert _hrandfield_count(b"3", (b"withvalues",)) == (3, True)
    for count, options in ((b"x", ()), (b"1", (b"foo",)), (b"1", (b"WITHVALUES", b"x")),
                           (b"-9223372036854775808", ()),
                           (b"4611686018427387904", (b"WITHVALUES",))):
        with pytest.raises(ReplyError):
            _hrandfield_count(count, options)


def test_written_checks_only_compact_hashes_and_the_written_items():
    server = FakeServer()
    FakeRedis(server=server).hset("h", "f", "x" * 100)
    ctx = server.new_session()
    db = ctx.db
    db.encodings.clear()  # as if written before the limit was lowered
    _written(ctx, b"h", db.data[b"h"], (b"g", b"1"))
    assert db.encodings == {}
    _written(ctx, b"h", db.data[b"h"], (b"g", b"x" * 65))
    assert db.encodings == {b"h": b"hashtable"}
    _written(ctx, b"k", {str(i).encode(): b"" for i in range(513)}, ())
    assert db.encodings[b"k"] == b"hashtable"
