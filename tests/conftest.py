"""Fixtures shared by the tests of our own modules."""

from typing import Iterator

import pytest

from fakeredis import FakeServer
from fakeredis.tcp_server import TcpServer


@pytest.fixture
def tcp() -> Iterator[TcpServer]:
    """A TCP server of a fresh FakeServer on a free port, in a thread."""
    server = TcpServer(("127.0.0.1", 0), FakeServer())
    server.start_in_thread()
    yield server
    server.shutdown()
    server.server_close()
