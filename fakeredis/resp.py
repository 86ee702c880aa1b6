"""RESP2/RESP3: encoding neutral replies to bytes, and an incremental request parser.

The parser accepts what Redis accepts (multibulk and inline requests) and reports malformed input
with Redis's own ``Protocol error`` texts, after which the connection must be closed.
"""

from __future__ import annotations

from typing import Any, Callable

from fakeredis.errors import ReplyError
from fakeredis.replies import BigNumber, NullArray, Push, SetReply, Status, Verbatim, format_double

INLINE_MAX = 64 * 1024
MULTIBULK_MAX = (1 << 31) - 1
DEFAULT_BULK_MAX = 512 * 1024 * 1024
# what a client that has yet to authenticate may send: more or longer is a protocol error
UNAUTHENTICATED_COUNT_MAX = 10
UNAUTHENTICATED_BULK_MAX = 16 * 1024


class ProtocolError(Exception):
    """Malformed request bytes: ``text`` is Redis's error reply; the connection then closes."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = "ERR Protocol error: " + text


# --- encoding -------------------------------------------------------------------------------------
def encode(reply: Any, protocol: int) -> bytes:
    """The wire bytes of one reply for RESP ``protocol`` (2 or 3)."""
    out: list[bytes] = []
    _encode(reply, protocol == 3, out)
    return b"".join(out)


def _bulk(data: bytes, out: list[bytes]) -> None:
    out.append(b"$%d\r\n%s\r\n" % (len(data), data))


def _encode(reply: Any, resp3: bool, out: list[bytes]) -> None:
    kind = type(reply)
    if kind is bytes:
        _bulk(reply, out)
    elif kind is Status:
        out.append(b"+%s\r\n" % reply)
    elif kind is int:
        out.append(b":%d\r\n" % reply)
    elif reply is None:
        out.append(b"_\r\n" if resp3 else b"$-1\r\n")
    elif kind is NullArray:
        out.append(b"_\r\n" if resp3 else b"*-1\r\n")
    elif kind is list or kind is SetReply or kind is Push:
        prefix = b"*"
        if resp3 and kind is SetReply:
            prefix = b"~"
        elif resp3 and kind is Push:
            prefix = b">"
        out.append(b"%s%d\r\n" % (prefix, len(reply)))
        for item in reply:
            _encode(item, resp3, out)
    elif kind is dict:
        out.append(b"%%%d\r\n" % len(reply) if resp3 else b"*%d\r\n" % (2 * len(reply)))
        for key, value in reply.items():
            _encode(key, resp3, out)
            _encode(value, resp3, out)
    elif kind is ReplyError:
        text = reply.text.replace("\r", " ").replace("\n", " ")
        out.append(b"-%s\r\n" % text.encode("utf-8", "surrogateescape"))
    elif kind is float:
        if resp3:
            out.append(b",%s\r\n" % format_double(reply))
        else:
            _bulk(format_double(reply), out)
    elif kind is bool:
        if resp3:
            out.append(b"#t\r\n" if reply else b"#f\r\n")
        else:
            out.append(b":1\r\n" if reply else b":0\r\n")
    elif kind is Verbatim:
        if resp3:
            out.append(b"=%d\r\ntxt:%s\r\n" % (len(reply) + 4, reply))
        else:
            _bulk(bytes(reply), out)
    elif kind is BigNumber:
        if resp3:
            out.append(b"(%d\r\n" % reply)
        else:
            _bulk(b"%d" % reply, out)
    else:
        raise TypeError(f"cannot encode reply {reply!r}")


# --- request parsing ------------------------------------------------------------------------------
class RequestParser:
    """Splits a byte stream into argv lists as Redis reads inline and multibulk requests."""

    def __init__(self, bulk_max: Callable[[], int] = lambda: DEFAULT_BULK_MAX,
                 unauthenticated: Callable[[], bool] = lambda: False) -> None:
        self.buffer = bytearray()
        # asked as each request is read, since the one before may have changed them (CONFIG SET
        # proto-max-bulk-len, AUTH), and only for counts and lengths past Redis's guard values
        self.bulk_max = bulk_max
        self.unauthenticated = unauthenticated
        # a multibulk under way: its count, where its next argument starts, the arguments so far
        self.partial: tuple[int, int, list[bytes]] | None = None

    def feed(self, data: bytes) -> None:
        """Append received bytes."""
        self.buffer += data

    def next_request(self) -> list[bytes] | None:
        """The next complete request, taken from the buffer; None until more bytes come.
        Malformed input raises ProtocolError."""
        while self.buffer:
            request = self._multibulk() if self.buffer[0] == ord("*") else self._inline()
            if request:
                return request
            if request is None:
                return None
        return None

    def _inline(self) -> list[bytes] | None:
        newline = _find(self.buffer, b"\n", 0)
        if newline < 0:
            if len(self.buffer) > INLINE_MAX:
                raise ProtocolError("too big inline request")
            return None
        line = bytes(self.buffer[:newline])
        del self.buffer[:newline + 1]
        if line.endswith(b"\r"):
            line = line[:-1]
        args = split_args(line)
        if args is None:
            raise ProtocolError("unbalanced quotes in request")
        return args

    def _multibulk(self) -> list[bytes] | None:
        if self.partial is None:
            self.partial = self._multibulk_count()
            if self.partial is None:
                return None
        count, pos, args = self.partial
        buf = self.buffer
        while len(args) < count:
            end = _find(buf, b"\r", pos)
            if end < 0:
                if len(buf) - pos > INLINE_MAX:
                    raise ProtocolError("too big bulk count string")
                break
            if end + 2 > len(buf):
                break
            if buf[pos] != ord("$"):
                got = buf[pos:pos + 1].decode("utf-8", "surrogateescape")
                raise ProtocolError(f"expected '$', got '{got}'")
            length = _parse_length(buf[pos + 1:end])
            if length is None or length < 0:
                raise ProtocolError("invalid bulk length")
            if length > UNAUTHENTICATED_BULK_MAX:
                self._check_big_bulk(length)
            start = end + 2
            if len(buf) < start + length + 2:
                break
            args.append(bytes(buf[start:start + length]))
            pos = start + length + 2  # Redis skips the two bytes after a bulk without checking
        else:
            self.partial = None
            del buf[:pos]
            return args
        self.partial = (count, pos, args)  # resumed when more bytes come
        return None

    def _multibulk_count(self) -> tuple[int, int, list[bytes]] | None:
        """The argument count of the multibulk starting the buffer and where its first argument
        starts; None until its line is complete."""
        buf = self.buffer
        end = _find(buf, b"\r", 0)
        if end < 0:
            if len(buf) > INLINE_MAX:
                raise ProtocolError("too big mbulk count string")
            return None
        if end + 2 > len(buf):  # Redis skips the byte after "\r", whatever it is, once it came
            return None
        count = _parse_length(buf[1:end])
        if count is None or count > MULTIBULK_MAX:
            raise ProtocolError("invalid multibulk length")
        if count > UNAUTHENTICATED_COUNT_MAX and self.unauthenticated():
            raise ProtocolError("unauthenticated multibulk length")
        return count, end + 2, []

    def _check_big_bulk(self, length: int) -> None:
        """Refuse a bulk longer than proto-max-bulk-len, or any long one before AUTH."""
        if length > self.bulk_max():
            raise ProtocolError("invalid bulk length")
        if self.unauthenticated():
            raise ProtocolError("unauthenticated bulk length")


def _find(buf: bytearray, char: bytes, start: int) -> int:
    """Where ``char`` is in ``buf`` from ``start``, -1 if absent: Redis searches its buffer as a C
    string, so a NUL byte before ``char`` hides it (the request then waits for more bytes)."""
    found = buf.find(char, start)
    if found > 0 and buf.find(b"\0", start, found) >= 0:
        return -1
    return found


def _parse_length(raw: bytes | bytearray) -> int | None:
    """A length field as Redis's string2ll reads it; None if invalid."""
    try:
        value = int(raw)
    except ValueError:
        return None
    if b"%d" % value != bytes(raw):
        return None
    return value


_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("a"): b"\a"}
_HEX = b"0123456789abcdefABCDEF"


def split_args(line: bytes) -> list[bytes] | None:
    """Split an inline request like Redis's sdssplitargs; None on unbalanced quotes."""
    args: list[bytes] = []
    i, n = 0, len(line)
    while True:
        while i < n and line[i] in b" \t\n\r\v\f":
            i += 1
        if i >= n:
            return args
        current = bytearray()
        quote = 0
        while True:
            if quote == ord('"'):
                if i >= n:
                    return None
                c = line[i]
                if c == ord("\\") and i + 3 < n and line[i + 1] == ord("x") \
                        and line[i + 2] in _HEX and line[i + 3] in _HEX:
                    current.append(int(line[i + 2:i + 4], 16))
                    i += 3
                elif c == ord("\\") and i + 1 < n:
                    i += 1
                    current += _ESCAPES.get(line[i], bytes([line[i]]))
                elif c == ord('"'):
                    if i + 1 < n and line[i + 1] not in b" \t\n\r\v\f":
                        return None
                    quote = 0
                    i += 1
                    break
                else:
                    current.append(c)
            elif quote == ord("'"):
                if i >= n:
                    return None
                c = line[i]
                if c == ord("\\") and i + 1 < n and line[i + 1] == ord("'"):
                    i += 1
                    current.append(ord("'"))
                elif c == ord("'"):
                    if i + 1 < n and line[i + 1] not in b" \t\n\r\v\f":
                        return None
                    quote = 0
                    i += 1
                    break
                else:
                    current.append(c)
            else:
                if i >= n:
                    break
                c = line[i]
                if c in b" \t\n\r":  # unlike the blanks between arguments, not \v or \f
                    break
                if c in (ord('"'), ord("'")):
                    quote = c
                else:
                    current.append(c)
            i += 1
        args.append(bytes(current))
