"""Raw client bytes, malformed or unusual, answered byte for byte as real Redis answers them.

Each case sends the same writes over a raw socket to the fake's TCP server and to a real
redis-server and compares the bytes that come back and whether the server closed the connection.
"""

from __future__ import annotations

import socket
import time
from typing import Any, Iterator

import pytest
import redis

from conformance.conftest import require_real

SENTINEL = b"PING end\r\n"
SENTINEL_REPLY = b"$3\r\nend\r\n"


@pytest.fixture(scope="module")
def endpoints(request: pytest.FixtureRequest) -> Iterator[dict[str, tuple[str, int]]]:
    """(host, port) of the fake's TCP server and of the real server."""
    kwargs = redis.Redis.from_url(require_real(request)).connection_pool.connection_kwargs
    yield {"fake": ("127.0.0.1", request.getfixturevalue("tcp_server").port),
           "real": (kwargs["host"], kwargs["port"])}


def converse(address: tuple[str, int], writes: list[bytes], sentinel: bool = True,
             hang_up: bool = False, patience: float = 1, password: str | None = None
             ) -> tuple[bytes, str]:
    """Send ``writes`` one by one (PING end after the last unless ``sentinel`` is False, the write
    side shut after it if ``hang_up``); return what came back and how the conversation ended:
    "open" (PING end answered), "closed" (by the server) or "stalled" (neither within
    ``patience`` seconds)."""
    redis.Redis(host=address[0], port=address[1], password=password).flushall()
    writes = writes[:-1] + [writes[-1] + (SENTINEL if sentinel else b"")]
    with socket.create_connection(address, timeout=5) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for i, data in enumerate(writes):
            if i:
                time.sleep(0.01)  # each write reaches the server on its own
            try:
                sock.sendall(data)
            except OSError:  # closed by the server: what it sent before is still to be read
                break
        if hang_up:
            sock.shutdown(socket.SHUT_WR)
        sock.settimeout(patience)
        received = b""
        while not (sentinel and received.endswith(SENTINEL_REPLY)):
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                return received, "stalled"
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                return received, "closed"
            received += chunk
        return received, "open"


def differ(endpoints: dict[str, tuple[str, int]], writes: list[bytes], **kwargs: Any) -> tuple:
    """The fake's and the real server's (reply bytes, ending) for the same writes."""
    return tuple(converse(endpoints[name], writes, **kwargs) for name in ("fake", "real"))


def check(endpoints: dict[str, tuple[str, int]], writes: list[bytes], **kwargs: Any) -> tuple:
    """Assert the fake answers ``writes`` exactly as the real server (but for the values in HELLO's
    reply that differ between servers); return that answer."""
    fake, real = differ(endpoints, writes, **kwargs)
    assert _without_hello_fields(fake) == _without_hello_fields(real)
    return real


# Redis refuses a line once a read leaves more than 64 KiB of it without its newline (a long line
# written at once, or in a few quick writes, may come in one read and pass: how much a read takes
# depends on its buffers and on timing, so only lines refused every time are compared).
BIG = b"x" * 150_000

INLINE = {
    "double-quotes": b'SET "a b" "c d"\r\nGET "a b"\r\n',
    "single-quotes": b"SET 'a b' 'it\\'s'\r\nGET 'a b'\r\n",
    "escapes": b'ECHO "\\x41\\x4a\\n\\r\\t\\b\\a\\z\\\\\\""\r\n',
    "uppercase-hex-escape": b'ECHO "\\X41\\x4A\\xfF"\r\n',
    "quote-then-vertical-tab": b'ECHO "a"\x0bb\r\nECHO \'a\'\x0cb\r\n',
    "backslash-at-end-of-quote": b'ECHO "a\\"\r\n',
    "bad-hex-escape": b'ECHO "\\x4g\\x4"\r\n',
    "single-quote-escapes": b"ECHO 'a\\nb\\\\c'\r\n",
    "quote-mid-token": b'ECHO ab"c d"\r\n',
    "unbalanced-double": b'PING\r\nSET "a b\r\n',
    "unbalanced-single": b"SET 'a b\r\n",
    "closing-quote-then-letter": b'ECHO "a"b\r\n',
    "closing-single-quote-then-letter": b"ECHO 'a'b\r\n",
    "empty-quotes": b"ECHO \"\"\r\nECHO ''\r\n",
    "empty-lines": b"\r\n\r\n\n   \r\nPING\r\n",
    "leading-spaces-tabs": b"   \t PING   \t\r\n",
    "bare-newline": b"ECHO a\nECHO b\n",
    "carriage-return-inside": b"ECHO a\rb\r\n",
    "vertical-tab-form-feed": b"ECHO\x0ba\x0cb\r\n",
    "inline-after-resp": b"*2\r\n$4\r\nECHO\r\n$1\r\na\r\nECHO b\r\n*1\r\n$4\r\nPING\r\n",
    "unknown-inline": b"NOSUCH a b\r\n",
    "many-inline-arguments": b"RPUSH l" + b" x" * 20000 + b"\r\nLLEN l\r\n",
    "command-with-space-in-name": b"*2\r\n$6\r\nGET  k\r\n$1\r\nk\r\n",
    "long-inline-line-ok": b"ECHO " + b"y" * 60000 + b"\r\n",
}


@pytest.mark.parametrize("payload", INLINE.values(), ids=INLINE.keys())
def test_inline_requests(endpoints, payload):
    check(endpoints, [payload])


@pytest.mark.parametrize("head", [b"", b"PING\r\n", b'ECHO "', b"SET k v\r\nGET k\r\nECHO "],
                         ids=["alone", "after-command", "quoted", "after-commands"])
def test_too_big_inline_request(endpoints, head):
    assert check(endpoints, [head + BIG, b"\r\n"])[1] == "closed"


MULTIBULK = {
    "star-letters": b"*abc\r\n",
    "star-minus-one": b"*-1\r\nPING\r\n",
    "star-minus-five": b"*-5\r\nPING\r\n",
    "star-zero": b"*0\r\n*0\r\nPING\r\n",
    "star-empty": b"*\r\n",
    "star-plus": b"*+1\r\n$4\r\nPING\r\n",
    "star-leading-zero": b"*01\r\n$4\r\nPING\r\n",
    "star-space": b"* 1\r\n$4\r\nPING\r\n",
    "count-over-int-max": b"*2147483648\r\n",
    "count-int-max": b"*2147483647\r\n$4\r\nPING\r\n",
    "count-over-1m": b"*1048577\r\n$4\r\nPING\r\n",
    "count-overflow": b"*99999999999999999999999\r\n",
    "dollar-letter": b"*2\r\n$x\r\n",
    "dollar-minus-one": b"*2\r\n$4\r\nECHO\r\n$-1\r\n",
    "dollar-empty": b"*1\r\n$\r\n",
    "dollar-minus-zero": b"*1\r\n$-0\r\n",
    "dollar-plus": b"*1\r\n$+4\r\nPING\r\n",
    "dollar-trailing-space": b"*1\r\n$4 \r\nPING\r\n",
    "dollar-overflow": b"*1\r\n$99999999999999999999\r\n",
    "star-trailing-space": b"*1 \r\n$4\r\nPING\r\n",
    "dollar-leading-zero": b"*1\r\n$04\r\nPING\r\n",
    "bulk-over-max": b"*1\r\n$536870913\r\n",
    "expected-dollar": b"*1\r\nx\r\n",
    "expected-dollar-after-command": b"PING\r\n*2\r\n$4\r\nECHO\r\n:1\r\n",
    "expected-dollar-star": b"*1\r\n*1\r\n",
    "missing-crlf-after-data": b"*2\r\n$4\r\nECHOxx$1\r\naXX*1\r\n$4\r\nPING\r\n",
    "short-data": b"*2\r\n$4\r\nECHO\r\n$1\r\nabc\r\n",
    "empty-bulk-argument": b"*2\r\n$4\r\nECHO\r\n$0\r\n\r\n",
    "binary-argument": b"*2\r\n$4\r\nECHO\r\n$7\r\na\r\nb\x00c\n\r\n",
    "binary-set-get": b"*3\r\n$3\r\nSET\r\n$3\r\n\x00\r\n\r\n$2\r\n\xff\x00\r\n"
                      b"*2\r\n$3\r\nGET\r\n$3\r\n\x00\r\n\r\n",
    "cr-without-lf-in-count": b"*1\rx$4\r\nPING\r\n",
    "cr-without-lf-in-length": b"*1\r\n$4\rxPING\r\n",
    "too-big-mbulk-count": b"*" + b"1" * (64 * 1024 + 10),
    "too-big-bulk-count": b"*1\r\n$" + b"1" * (64 * 1024 + 10),
    "too-big-bulk-count-after-command": b"PING\r\n*2\r\n$4\r\nECHO\r\n$" + b"1" * 70000,
    "lowercase-command": b"*1\r\n$4\r\nping\r\n",
    "star-minus-zero": b"*-0\r\n",
    "dollar-as-inline": b"$4\r\nPING\r\n",
    "first-argument-empty": b"*1\r\n$0\r\n\r\n",
    "expected-dollar-binary": b"*1\r\n\xff\r\n",
    "expected-dollar-cr": b"*1\r\n\r\n",
}


@pytest.mark.parametrize("payload", MULTIBULK.values(), ids=MULTIBULK.keys())
def test_multibulk_requests(endpoints, payload):
    check(endpoints, [payload])


ECHO = b"*2\r\n$4\r\nECHO\r\n$3\r\nabc\r\n"


@pytest.mark.parametrize("cut", range(1, len(ECHO)))
def test_a_request_split_in_two_writes_at_every_byte(endpoints, cut):
    check(endpoints, [ECHO[:cut], ECHO[cut:]])


SPLITS = {
    "inside-length": [b"*2\r\n$", b"4\r\nECHO\r\n$3", b"\r", b"\nabc", b"\r", b"\n"],
    "inline-in-pieces": [b"EC", b"HO \"a", b" b\"", b"\r", b"\n"],
    "arguments-across-writes": [b"*5\r\n$5\r\nRPUSH\r\n$1\r\nl\r\n$1", b"\r\na\r\n$1\r\nb",
                                b"\r\n$", b"1\r\nc\r\nLRANGE l 0 -1\r\n"],
    "many-arguments-across-writes": [
        b"*30001\r\n$5\r\nRPUSH\r\n$1\r\nm\r\n" + b"$1\r\nx\r\n" * 15000,
        b"$1\r\ny\r\n" * 14999 + b"LLEN m\r\n"],
    "error-in-last-write": [b"*2\r\n$4\r\nECHO\r\n", b"$x\r\n"],
    "bulk-in-writes": [b"*2\r\n$4\r\nECHO\r\n$70000\r\n" + b"q" * 30000, b"q" * 40000, b"\r\n"],
}


@pytest.mark.parametrize("writes", SPLITS.values(), ids=SPLITS.keys())
def test_requests_split_across_writes(endpoints, writes):
    check(endpoints, writes)


PAD = b"p" * 70000  # with no newline: past 64 KiB a line or length is refused

NUL = {  # Redis looks for the end of a line as in a C string: a NUL byte before it hides it
    "in-count": [b"*1\x00\r\n$4\r\nPING\r\n", PAD],
    "in-length": [b"*1\r\n$4\x00\r\nPING\r\n", PAD],
    "in-inline": [b"ECHO a\x00b\r\n", PAD],
    "after-inline": [b"PING\r\n\x00\r\n", PAD],
    "in-bulk-data": [b"*2\r\n$4\r\nECHO\r\n$3\r\n\x00\x00\x00\r\n"],
}


@pytest.mark.parametrize("writes", NUL.values(), ids=NUL.keys())
def test_nul_bytes(endpoints, writes):
    check(endpoints, writes)


def test_many_pipelined_requests_in_one_write(endpoints):
    payload = b"".join(b"*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n" if i % 2 else b"INCR n\r\n"
                       for i in range(1000))
    reply, ending = check(endpoints, [payload])
    assert ending == "open" and reply.startswith(b":1\r\n:2\r\n")


@pytest.mark.parametrize("payload", [b"*2\r\n$4\r\nECHO\r\n$3\r\na", b"PING\r\nECHO a", b"*3\r\n"],
                         ids=["in-bulk", "inline", "after-count"])
def test_a_partial_request_then_hang_up(endpoints, payload):
    assert check(endpoints, [payload], sentinel=False, hang_up=True)[1] == "closed"


LUA = (b'EVAL "redis.setresp(3) return {true, false, {double=1.5}, {map={a=1}}, '
       b'{set={b=true}}, {big_number=\'123\'}}" 0\r\n')

RESP3 = {
    "shapes": b"HELLO 3\r\nHSET h f v\r\nSADD s m\r\nZADD z 1.5 m\r\n"
              b"HGETALL h\r\nSMEMBERS s\r\nZSCORE z m\r\nGET nx\r\nZRANGE z 0 -1 WITHSCORES\r\n"
              b"CONFIG GET maxmemory\r\nLPOP nx\r\nBLPOP nx 0.01\r\n",
    "lua-resp3": b"HELLO 3\r\n" + LUA,
    "lua-resp2-client": LUA,
    "lua-booleans": b'HELLO 3\r\nEVAL "return {true, false}" 0\r\n',
    "errors-in-resp3": b"HELLO 3\r\nGET\r\nNOSUCH\r\n",
    "hello-bad-protover": b"HELLO 4\r\nHELLO x\r\nHELLO 1\r\nHELLO -1\r\nPING\r\n",
    "doubles": b"HELLO 3\r\nZADD z inf a -inf b 0.1 c 1e300 d -0 e 3 f\r\n"
               b"ZSCORE z a\r\nZSCORE z b\r\nZSCORE z c\r\nZSCORE z d\r\nZSCORE z e\r\n"
               b"ZSCORE z f\r\nZINCRBY z 0.5 f\r\nZRANGE z 0 -1 WITHSCORES\r\n",
    "pubsub-resp3": b"HELLO 3\r\nSUBSCRIBE c\r\nPING\r\nPING x\r\nPUBLISH c m\r\nUNSUBSCRIBE\r\n",
    "pubsub-resp2": b"SUBSCRIBE c\r\nPING\r\nPING x\r\nGET k\r\nUNSUBSCRIBE\r\n",
    "lua-status-error": b'HELLO 3\r\nEVAL "return {redis.status_reply(\'S\'), '
                        b'redis.error_reply(\'E x\'), {err=\'R\'}}" 0\r\n',
    "lua-null-in-table": b'HELLO 3\r\nEVAL "return {1, nil, 2}" 0\r\nEVAL "return nil" 0\r\n',
    "hello-variants": b"HELLO\r\nHELLO 3 SETNAME n\r\nCLIENT GETNAME\r\nHELLO 2 AUTH default no\r\n"
                      b"HELLO 3 SETNAME\r\nHELLO 3 NOSUCH\r\nHELLO 2 SETNAME a\\ b\r\n",
    "hello-while-subscribed": b"SUBSCRIBE c\r\nHELLO 3\r\nPING\r\nHELLO 2\r\nUNSUBSCRIBE c\r\n",
    "debug-protocol": b"HELLO 3\r\nDEBUG PROTOCOL map\r\n",
    "hello-back-to-2": b"HELLO 3\r\nHGETALL nx\r\nHELLO 2\r\nHGETALL nx\r\nGET nx\r\n",
}


@pytest.mark.parametrize("payload", RESP3.values(), ids=RESP3.keys())
def test_resp3(endpoints, payload):
    check(endpoints, [payload])


def _without_hello_fields(answer: tuple[bytes, str]) -> tuple[bytes, str]:
    """HELLO's reply with the server-specific values (version, id, mode) blanked."""
    data, ending = answer
    for field in (b"version", b"id", b"mode", b"role", b"server"):
        head = b"$%d\r\n%s\r\n" % (len(field), field)
        start = 0
        while (start := data.find(head, start)) >= 0:
            value = start + len(head)
            end = data.index(b"\r\n", value) + 2
            if data[value:value + 1] == b"$":
                end = data.index(b"\r\n", end) + 2
            data = data[:value] + b"?" + data[end:]
            start = value
    return data, ending


QUIT_AND_REPLY = {
    "quit-mid-pipeline": b"SET k 1\r\nINCR k\r\nQUIT\r\nINCR k\r\n",
    "quit-with-args": b"QUIT now\r\nPING\r\n",
    "reply-off-on": b"CLIENT REPLY OFF\r\nINCR n\r\nNOSUCH\r\nCLIENT REPLY ON\r\nINCR n\r\n",
    "reply-skip": b"CLIENT REPLY SKIP\r\nINCR n\r\nINCR n\r\n"
                  b"CLIENT REPLY SKIP\r\nNOSUCH\r\nINCR n\r\n",
    "reply-skip-then-off": b"CLIENT REPLY SKIP\r\nCLIENT REPLY OFF\r\nINCR n\r\n"
                           b"CLIENT REPLY ON\r\n",
    "reply-off-pubsub-resp3": b"HELLO 3\r\nCLIENT REPLY OFF\r\nSUBSCRIBE c\r\nPUBLISH c m\r\n"
                              b"CLIENT REPLY ON\r\nPUBLISH c n\r\nUNSUBSCRIBE c\r\nHELLO 2\r\n",
    "reply-skip-subscribe": b"CLIENT REPLY SKIP\r\nSUBSCRIBE c d\r\nPING\r\nUNSUBSCRIBE c d\r\n",
    "transaction": b"MULTI\r\nSET k v\r\nINCR k\r\nNOSUCH\r\nEXEC\r\nMULTI\r\nINCR n\r\n"
                   b"EXEC\r\nEXEC\r\nDISCARD\r\n",
    "blocked-then-malformed": b"BLPOP l 0.05\r\n*1\r\nx\r\n",
    "blocked-then-quit": b"BLPOP l 0.05\r\nQUIT\r\nPING\r\n",
    "protocol-error-in-multi": b"MULTI\r\nSET k v\r\n*1\r\nx\r\n",
    "blocked-then-pipelined": b"BLPOP l 0.05\r\nPING\r\nLPUSH l a\r\nBLPOP l 0\r\n",
    "protocol-error-after-many": b"PING\r\n" * 300 + b"*1\r\nx\r\nPING\r\n",
    "reset": b"HELLO 3\r\nCLIENT REPLY SKIP\r\nRESET\r\nSELECT 1\r\nMULTI\r\nRESET\r\n"
             b"HGETALL h\r\n",
    "reply-bad-mode": b"CLIENT REPLY MAYBE\r\nCLIENT REPLY\r\n",
    "reply-skip-protocol-error-next": b"CLIENT REPLY SKIP\r\nPING\r\n*1\r\nx\r\n",
}


@pytest.mark.parametrize("payload", QUIT_AND_REPLY.values(), ids=QUIT_AND_REPLY.keys())
def test_quit_and_client_reply(endpoints, payload):
    check(endpoints, [payload])


@pytest.mark.parametrize("mode", [b"OFF", b"SKIP"])
def test_a_protocol_error_unanswered_under_client_reply_leaves_the_connection_deaf(endpoints, mode):
    payload = b"CLIENT REPLY %s\r\n*1\r\nx\r\n" % mode
    assert check(endpoints, [payload], patience=0.2) == (b"", "stalled")


def test_a_bulk_of_the_largest_length_is_awaited(endpoints):
    payload = b"*2\r\n$4\r\nECHO\r\n$536870912\r\n"
    assert check(endpoints, [payload], sentinel=False, hang_up=True) == (b"", "closed")


CLOSE_AFTER_REPLY = {
    "quit-in-multi": b"MULTI\r\nQUIT\r\n",
    "quit-then-malformed": b"QUIT\r\n*1\r\nx\r\n",
    "reply-off-quit-after-a-reply": b"PING\r\nCLIENT REPLY OFF\r\nQUIT\r\nSET k v\r\n",
    "reply-off-protocol-error-after-a-reply": b"PING\r\nCLIENT REPLY OFF\r\n*1\r\nx\r\n",
}


@pytest.mark.parametrize("payload", CLOSE_AFTER_REPLY.values(), ids=CLOSE_AFTER_REPLY.keys())
def test_closed_after_the_last_reply(endpoints, payload):
    assert check(endpoints, [payload])[1] == "closed"


@pytest.mark.parametrize("payload", [b"CLIENT REPLY OFF\r\nQUIT\r\nSET k v\r\n",
                                     b"CLIENT REPLY SKIP\r\nQUIT\r\n"], ids=["off", "skip"])
def test_quit_unanswered_under_client_reply_leaves_the_connection_deaf(endpoints, payload):
    assert check(endpoints, [payload], patience=0.2) == (b"", "stalled")
    assert redis.Redis(*endpoints["real"]).exists("k") == 0


def test_limits_changed_by_a_request_apply_to_the_next_in_the_same_write(endpoints):
    payload = b"CONFIG SET proto-max-bulk-len 1048576\r\n*2\r\n$4\r\nECHO\r\n$1048577\r\n"
    try:
        assert check(endpoints, [payload]) == (
            b"+OK\r\n-ERR Protocol error: invalid bulk length\r\n", "closed")
    finally:
        for address in endpoints.values():
            redis.Redis(*address).config_set("proto-max-bulk-len", 512 * 1024 * 1024)


ARGS_10 = b"*10\r\n" + b"$1\r\na\r\n" * 10
ECHO_16K = b"*2\r\n$4\r\nECHO\r\n$16384\r\n" + b"e" * 16384 + b"\r\n"
ARGS_11 = b"*11\r\n" + b"$1\r\na\r\n" * 11

UNAUTHENTICATED = {
    "count-over-10": b"*11\r\n",
    "count-over-10-after-command": b"PING\r\n" + ARGS_11,
    "bulk-over-16k": b"*2\r\n$4\r\nECHO\r\n$16385\r\n",
    "within-limits": ARGS_10 + ECHO_16K + b"AUTH pw\r\n",
    "after-auth-in-the-same-write": b"AUTH pw\r\n" + ARGS_11 + b"ECHO $16385\r\n",
    "after-failed-auth": b"AUTH no\r\n*11\r\n",
}


@pytest.mark.parametrize("payload", UNAUTHENTICATED.values(), ids=UNAUTHENTICATED.keys())
def test_an_unauthenticated_client_may_send_only_short_requests(endpoints, payload):
    for address in endpoints.values():
        redis.Redis(*address).config_set("requirepass", "pw")
    try:
        check(endpoints, [payload], password="pw")
    finally:
        for address in endpoints.values():
            redis.Redis(*address, password="pw").config_set("requirepass", "")
