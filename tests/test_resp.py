"""RESP encoding of neutral replies and the incremental request parser."""

import pytest
from hypothesis import given, strategies as st

from fakeredis import resp
from fakeredis.errors import ReplyError
from fakeredis.replies import NULL_ARRAY, OK, BigNumber, Push, SetReply, Verbatim


@pytest.mark.parametrize("reply, resp2, resp3", [
    (b"ab", b"$2\r\nab\r\n", b"$2\r\nab\r\n"),
    (OK, b"+OK\r\n", b"+OK\r\n"),
    (-5, b":-5\r\n", b":-5\r\n"),
    (None, b"$-1\r\n", b"_\r\n"),
    (NULL_ARRAY, b"*-1\r\n", b"_\r\n"),
    ([b"a", 1], b"*2\r\n$1\r\na\r\n:1\r\n", b"*2\r\n$1\r\na\r\n:1\r\n"),
    (SetReply([b"a"]), b"*1\r\n$1\r\na\r\n", b"~1\r\n$1\r\na\r\n"),
    ({b"k": 1}, b"*2\r\n$1\r\nk\r\n:1\r\n", b"%1\r\n$1\r\nk\r\n:1\r\n"),
    (0.1, b"$19\r\n0.10000000000000001\r\n", b",0.10000000000000001\r\n"),
    (float("inf"), b"$3\r\ninf\r\n", b",inf\r\n"),
    (True, b":1\r\n", b"#t\r\n"),
    (Verbatim(b"x"), b"$1\r\nx\r\n", b"=5\r\ntxt:x\r\n"),
    (BigNumber(10**20), b"$21\r\n100000000000000000000\r\n", b"(100000000000000000000\r\n"),
    (Push([b"message"]), b"*1\r\n$7\r\nmessage\r\n", b">1\r\n$7\r\nmessage\r\n"),
    (ReplyError("ERR bad\r\nthing"), b"-ERR bad  thing\r\n", b"-ERR bad  thing\r\n"),
])
def test_encode(reply, resp2, resp3):
    assert resp.encode(reply, 2) == resp2
    assert resp.encode(reply, 3) == resp3


def complete_requests(parser: resp.RequestParser) -> list[list[bytes]]:
    """Every complete request in the parser's buffer, read one after another."""
    return list(iter(parser.next_request, None))


def parse(data: bytes):
    parser = resp.RequestParser()
    parser.feed(data)
    return complete_requests(parser)


def test_multibulk_and_inline_requests_in_one_buffer():
    assert parse(b"*2\r\n$3\r\nGET\r\n$1\r\nk\r\nPING\r\n") == [[b"GET", b"k"], [b"PING"]]


def test_partial_request_waits_for_more_bytes():
    parser = resp.RequestParser()
    parser.feed(b"*2\r\n$3\r\nGET\r\n$1\r")
    assert complete_requests(parser) == []
    parser.feed(b"\nk\r\n")
    assert complete_requests(parser) == [[b"GET", b"k"]]


def test_empty_inline_lines_and_empty_multibulks_are_ignored():
    assert parse(b"\r\n*0\r\n*-1\r\nPING\r\n") == [[b"PING"]]


@pytest.mark.parametrize("data, text", [
    (b"*1\r\nx\r\n", "ERR Protocol error: expected '$', got 'x'"),
    (b"*a\r\n", "ERR Protocol error: invalid multibulk length"),
    (b"*1\r\n$a\r\n", "ERR Protocol error: invalid bulk length"),
    (b"*1\r\n$-1\r\n", "ERR Protocol error: invalid bulk length"),
    (b"*1\r\n$999999999999\r\n", "ERR Protocol error: invalid bulk length"),
    (b'set "a b\r\n', "ERR Protocol error: unbalanced quotes in request"),
    (b'echo "a"b\r\n', "ERR Protocol error: unbalanced quotes in request"),
    (b"x" * (64 * 1024 + 1), "ERR Protocol error: too big inline request"),
])
def test_protocol_errors_use_redis_texts(data, text):
    with pytest.raises(resp.ProtocolError) as exc:
        parse(data)
    assert exc.value.text == text


@pytest.mark.parametrize("line, args", [
    (b"set a b", [b"set", b"a", b"b"]),
    (b'  echo   "a b"  ', [b"echo", b"a b"]),
    (b'echo "\\x41\\n\\t"', [b"echo", b"A\n\t"]),
    (b"echo 'a\\'b'", [b"echo", b"a'b"]),
    (b'echo ""', [b"echo", b""]),
])
def test_split_args_like_sdssplitargs(line, args):
    assert resp.split_args(line) == args


@given(st.binary(max_size=200))
def test_parser_never_crashes_on_random_bytes(data):
    parser = resp.RequestParser()
    parser.feed(data)
    try:
        requests = complete_requests(parser)
    except resp.ProtocolError as exc:
        assert exc.text.startswith("ERR Protocol error: ")
    else:
        assert all(isinstance(arg, bytes) for request in requests for arg in request)


@given(st.lists(st.lists(st.binary(max_size=20), min_size=1, max_size=5), max_size=5))
def test_multibulk_round_trip(requests):
    wire = b"".join(
        b"*%d\r\n" % len(r) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in r) for r in requests)
    assert parse(wire) == requests
