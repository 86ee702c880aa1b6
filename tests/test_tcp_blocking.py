"""A client that hangs up while blocked on the TCP server is forgotten, not served."""

import socket
import time


def wait_for(condition):
    deadline = time.monotonic() + 5
    while not condition():
        assert time.monotonic() < deadline, "condition never became true"
        time.sleep(0.01)


def blocked_clients(engine):
    with engine.lock:
        return sum(1 for s in list(engine.clients.values()) if s.blocked)


def test_a_hung_up_waiter_is_not_served(tcp):
    engine = tcp.fake
    sock = socket.create_connection(("127.0.0.1", tcp.port))
    sock.sendall(b"*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n")
    wait_for(lambda: blocked_clients(engine) == 1)
    sock.close()
    wait_for(lambda: blocked_clients(engine) == 0)
    session = engine.new_session()
    assert engine.execute(session, [b"RPUSH", b"k", b"v"]) == 1
    assert engine.execute(session, [b"LLEN", b"k"]) == 1


def test_pipelined_input_does_not_end_the_wait(tcp):
    engine = tcp.fake
    sock = socket.create_connection(("127.0.0.1", tcp.port))
    sock.sendall(b"*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n*1\r\n$4\r\nPING\r\n")
    wait_for(lambda: blocked_clients(engine) == 1)
    session = engine.new_session()
    engine.execute(session, [b"RPUSH", b"k", b"v"])
    reply = b""
    while not reply.endswith(b"+PONG\r\n"):
        reply += sock.recv(1024)
    assert reply == b"*2\r\n$1\r\nk\r\n$1\r\nv\r\n+PONG\r\n"
    sock.close()
