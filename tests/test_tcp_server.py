"""The TCP front: RESP on real sockets, protocol errors, pipelining, many connections."""

import socket
import threading

import pytest
import redis

from fakeredis import FakeServer
from fakeredis.tcp_server import TcpServer


@pytest.fixture
def tcp():
    server = TcpServer(("127.0.0.1", 0), FakeServer())
    server.start_in_thread()
    yield server
    server.shutdown()
    server.server_close()


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
