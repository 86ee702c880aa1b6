"""Library metadata, CRC64, LZF and FUNCTION DUMP payload framing."""

from __future__ import annotations

import pytest

from fakeredis.errors import ReplyError
from fakeredis.scripting.functions import _parse_payload, crc64, library_name, lzf_decompress


def test_crc64_check_value():
    assert crc64(b"123456789") == 0xE9C6D914C4B8D9CA


def test_lzf_literals_and_back_references():
    # "abcabcabc": literal run of 3, then a back reference of length 6 at distance 3
    assert lzf_decompress(b"\x02abc\x80\x02", 9) == b"abcabcabc"
    with pytest.raises(ValueError):
        lzf_decompress(b"\x02abc\x80\x02", 8)


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


def test_lzf_round_trip_and_incompressible_input():
    from fakeredis.scripting.functions import lzf_compress

    data = b"abcdefgh" * 50 + bytes(range(200))
    assert lzf_decompress(lzf_compress(data, len(data)), len(data)) == data
    assert lzf_compress(bytes(range(100)), 96) is None
