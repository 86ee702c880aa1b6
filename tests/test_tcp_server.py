"""The TCP front: RESP on real sockets, protocol errors, pipelining, many connections."""

import socket
import threading

import redis

import fakeredis


def exchange(port: int, data: bytes, expect_close: bool = False) -> bytes:
    """Send raw bytes, read until the expected reply is complete or the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(data)
        if not expect_close:
            sock.shutdown(socket.SHUT_WR)
        out = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return out
            out += chunk


def test_inline_and_pipelined_requests(tcp):
    reply = exchange(tcp.port, b"SET k v\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\nPING\r\n")
    assert reply == b"+OK\r\n$1\r\nv\r\n+PONG\r\n"


def test_protocol_error_replies_then_closes(tcp):
    reply = exchange(tcp.port, b"PING\r\n*1\r\nx\r\n", expect_close=True)
    assert reply == b"+PONG\r\n-ERR Protocol error: expected '$', got 'x'\r\n"


def test_command_errors_keep_the_connection_open(tcp):
    reply = exchange(tcp.port, b"GET\r\nNOSUCH\r\nPING\r\n")
    assert reply == (b"-ERR wrong number of arguments for 'get' command\r\n"
                     b"-ERR unknown command 'NOSUCH', with args beginning with: \r\n+PONG\r\n")


def test_resp3_after_hello(tcp):
    reply = exchange(tcp.port, b"HELLO 3\r\nGET missing\r\n")
    assert reply.endswith(b"_\r\n") and reply.startswith(b"%7\r\n")


def test_quit_closes_after_ok(tcp):
    assert exchange(tcp.port, b"QUIT\r\nPING\r\n", expect_close=True) == b"+OK\r\n"


def test_many_concurrent_clients_see_one_dataset(tcp):
    def worker(n: int) -> None:
        client = redis.Redis(port=tcp.port)
        for i in range(20):
            client.set(f"key:{n}:{i}", i)
        client.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert redis.Redis(port=tcp.port).dbsize() == 1000


def test_a_client_vanishing_mid_request_does_not_disturb_others(tcp):
    with socket.create_connection(("127.0.0.1", tcp.port)) as sock:
        sock.sendall(b"*3\r\n$3\r\nSET\r\n$1\r\nk")
    assert redis.Redis(port=tcp.port).ping() is True


HOSTILE_INPUTS = [
    b"*1\r\n$999999999999\r\n",  # bulk length over proto-max-bulk-len
    b"*-5\r\n*abc\r\n",
    b"*2\r\n$3\r\nGET\r\n:1\r\n",
    b'SET "unbalanced\r\n',
    b"\x00\xff\xfe garbage \x80\r\n*1\r\n$4\r\nPING",
    b"*3\r\n$3\r\nSET\r\n$1\r\nk",  # unterminated, then the client vanishes
    b"x" * 70000,  # an inline request that never ends
]


def test_hostile_clients_do_not_disturb_others_or_lose_acknowledged_writes(tcp):
    good = redis.Redis(port=tcp.port)
    acknowledged = []
    for i, data in enumerate(HOSTILE_INPUTS):
        with socket.create_connection(("127.0.0.1", tcp.port), timeout=5) as sock:
            sock.sendall(data)
        assert good.set(f"key{i}", i)
        acknowledged.append(f"key{i}")
    assert good.exists(*acknowledged) == len(acknowledged)


def test_client_disconnecting_before_reading_a_large_reply(tcp):
    good = redis.Redis(port=tcp.port)
    good.set("big", b"x" * 5_000_000)
    with socket.create_connection(("127.0.0.1", tcp.port)) as sock:
        sock.sendall(b"GET big\r\n" * 5)
    assert good.strlen("big") == 5_000_000


def test_five_hundred_concurrent_connections(tcp):
    socks = [socket.create_connection(("127.0.0.1", tcp.port), timeout=10) for _ in range(500)]
    try:
        for i, sock in enumerate(socks):
            sock.sendall(b"INCR counter\r\n")
        for sock in socks:
            assert sock.recv(100).startswith(b":")
    finally:
        for sock in socks:
            sock.close()
    assert redis.Redis(port=tcp.port).get("counter") == b"500"


def test_tcp_fake_server_has_pypi_fakeredis_signature():
    server = fakeredis.TcpFakeServer(("127.0.0.1", 0), server_type="redis", server_version=6)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        client = redis.Redis(port=server.server_address[1])
        assert client.set("k", "v") and client.get("k") == b"v"
        assert client.info("server")["redis_version"] == "6.2.14"
        assert client.info("server")["tcp_port"] == server.server_address[1]
        client.close()
    finally:
        server.shutdown()
        server.server_close()


def test_tcp_fake_server_binds_later_when_asked():
    server = fakeredis.TcpFakeServer(("127.0.0.1", 0), bind_and_activate=False)
    assert server.fake.port == 0
    server.server_bind()
    server.server_activate()
    assert server.fake.port == server.server_address[1] != 0
    server.server_close()
