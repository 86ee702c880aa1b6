"""Library metadata and FUNCTION DUMP payload framing (RDB pieces are tested with rdb.py)."""

from __future__ import annotations

import pytest

from fakeredis.errors import ReplyError
from fakeredis.scripting.functions import _parse_payload, library_name
from fakeredis.structures.rdb import crc64


def test_library_name_keeps_line_numbers():
    name, source = library_name(b"#!lua name=lib\nreturn 1")
    assert name == b"lib"
    assert source == b"--#!lua name=lib\nreturn 1"


@pytest.mark.parametrize("code, error", [
    (b"return 1", "ERR Missing library metadata"),
    (b"#!lua\n", "ERR Library name was not given"),
    (b"#!lua name=a-b\n", "ERR Library names can only contain letters, numbers, or "
                          "underscores(_) and must be at least one character long"),
    (b"#!js name=a\n", "ERR Engine 'js' not found"),
])
def test_library_name_errors(code, error):
    with pytest.raises(ReplyError) as exc:
        library_name(code)
    assert exc.value.text == error


def test_payload_framing():
    body = b"\xf5\x08#!lua na" + b"\x0a\x00"
    payload = body + crc64(body).to_bytes(8, "little")
    assert _parse_payload(payload) == [b"#!lua na"]
    with pytest.raises(ReplyError):
        _parse_payload(payload[:-1] + b"\x00")

