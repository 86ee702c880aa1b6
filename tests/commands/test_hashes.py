"""Unit tests of the hash module's helpers."""

import pytest

from fakeredis.commands.hashes import _hrandfield_count, is_listpack
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
