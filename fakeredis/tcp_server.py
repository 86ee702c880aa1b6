"""Serve a FakeServer over TCP with RESP2/RESP3: one thread and one Session per connection."""

from __future__ import annotations

import logging
import select
import socket
import socketserver
import threading
from typing import Any

from fakeredis import resp
from fakeredis.replies import NO_REPLY
from fakeredis.server import DEFAULT_VERSION, FakeServer, Waiter

log = logging.getLogger("fakeredis.tcp")

# Redis reads a client's socket 16 KiB at a time and looks at its buffer after each read: an
# inline line longer than 64 KiB is refused when a read leaves more than that without its newline.
READ_SIZE = 16 * 1024


class _ClientHandler(socketserver.BaseRequestHandler):
    """Reads requests, runs them on the engine, writes replies; closes on protocol errors."""

    server: "TcpServer"

    def setup(self) -> None:
        self.sock: socket.socket = self.request
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.send_lock = threading.Lock()
        host, port = self.client_address[:2]
        local = self.sock.getsockname()
        self.session = self.server.fake.new_session(addr=f"{host}:{port}",
                                                    laddr=f"{local[0]}:{local[1]}")
        self.session.push_listener = self._on_push
        self.gathering: int | None = None  # the handler's thread while it runs requests
        self.session.on_close.append(self._hang_up)

    def handle(self) -> None:
        engine = self.server.fake
        session = self.session
        parser = resp.RequestParser(
            lambda: engine.config.get_int("proto-max-bulk-len"),
            lambda: not session.authenticated and engine.acl.requires_auth())
        while not session.killed:
            try:
                data = self.sock.recv(READ_SIZE)
            except OSError:
                return
            if not data:
                return
            parser.feed(data)
            out: list[bytes] = []
            self.gathering = threading.get_ident()
            try:
                silenced = self._run_requests(parser, out)
            except resp.ProtocolError as exc:
                silenced = self._reply_suppressed()
                if not silenced:
                    out.append(resp.encode(resp.ReplyError(exc.text), session.protocol))
                session.killed = True
            finally:
                self.gathering = None
            if silenced is None:  # gone while blocked
                return
            if out:
                self._send(b"".join(out))
            if session.killed and silenced and not out:
                self._ignore_input()
            self._flush_pushes()

    def _run_requests(self, parser: resp.RequestParser, out: list[bytes]) -> bool | None:
        """Run the complete requests received, each before the next is read, adding their
        replies to ``out``, until one closes the connection: whether the last reply was dropped
        by CLIENT REPLY OFF/SKIP; None when the client went away while blocked."""
        engine = self.server.fake
        session = self.session
        silenced = False
        while not session.killed:
            argv = parser.next_request()
            if argv is None:
                break
            if session.pushes:  # a monitor's line for its own last command, after its reply
                out.append(self._drain_pushes())
            reply = engine.execute_nowait(session, argv)
            if type(reply) is Waiter:
                if out:
                    self._send(b"".join(out))
                    out.clear()
                reply = reply.wait(self._connected)
                if session.killed or not self._connected():
                    return None
            # pub/sub messages go before the reply; a monitor's line and a tracking client's
            # invalidations of keys its own command changed, after it
            if session.pushes and engine.pushes_precede_reply(session):
                out.append(self._drain_pushes())
            # every command uses up a CLIENT REPLY SKIP, even one answering with pushes only
            silenced = self._reply_suppressed() and reply is not NO_REPLY
            if not silenced and reply is not NO_REPLY:
                out.append(resp.encode(reply, session.protocol))
        return silenced

    def _connected(self) -> bool:
        """False once the peer has hung up; polled while its client is blocked."""
        try:
            if not select.select([self.sock], [], [], 0)[0]:
                return True
            return self.sock.recv(1, socket.MSG_PEEK) != b""
        except ValueError:  # a descriptor beyond select's reach: assume the peer is there
            return True
        except OSError:
            return False

    def _ignore_input(self) -> None:
        """Redis closes a connection once it has sent the last reply (QUIT, a protocol error); when
        CLIENT REPLY OFF/SKIP dropped that reply it never does, but reads nothing more: the
        connection stays open, deaf, until the peer closes it."""
        try:
            while self.sock.recv(READ_SIZE):
                pass
        except OSError:
            pass

    def _reply_suppressed(self) -> bool:
        """CLIENT REPLY OFF/SKIP, read after the command ran: whether this reply is dropped."""
        session = self.session
        if session.skip_next_reply:
            session.skip_next_reply = False
            return True
        if session.reply_mode == b"skip":  # CLIENT REPLY SKIP: drop its own reply and the next
            session.reply_mode = b"on"
            session.skip_next_reply = True
            return True
        return session.reply_mode != b"on"

    def _drain_pushes(self) -> bytes:
        """Pushed messages (pub/sub) waiting for this client, encoded, in order."""
        pushes = self.session.pushes
        out = []
        while pushes:
            out.append(resp.encode(pushes.popleft(), self.session.protocol))
        return b"".join(out)

    def _on_push(self) -> None:
        """A message was queued for this client: write it now, unless this client's own command
        queued it (SUBSCRIBE, PUBLISH to itself): then it goes out in order with the replies."""
        if self.gathering != threading.get_ident():
            self._flush_pushes()

    def _flush_pushes(self) -> None:
        """Write the pushed messages waiting for this client."""
        data = self._drain_pushes()
        if data:
            self._send(data)

    def _hang_up(self) -> None:
        """The server closed this session (CLIENT KILL): close the socket, ending handle()."""
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _send(self, data: bytes) -> None:
        with self.send_lock:
            try:
                self.sock.sendall(data)
            except OSError:
                self.session.killed = True

    def finish(self) -> None:
        self.session.push_listener = None
        self.session.close()


class TcpServer(socketserver.ThreadingTCPServer):
    """A threaded TCP front for one FakeServer."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 511  # Redis's tcp-backlog: bursts of connections are not refused

    def __init__(self, address: tuple[str, int], fake: FakeServer | None = None,
                 bind_and_activate: bool = True) -> None:
        self.fake = fake if fake is not None else FakeServer()
        super().__init__(address, _ClientHandler, bind_and_activate)

    def server_bind(self) -> None:
        """Bind, then record the port bound (with port 0 the system picks it)."""
        super().server_bind()
        self.fake.port = self.server_address[1]

    def verify_request(self, request: Any, client_address: Any) -> bool:
        """Refuse (close at once) connections while the engine is down (after SHUTDOWN)."""
        return self.fake.connected

    @property
    def port(self) -> int:
        """The port actually bound (useful with port 0)."""
        return self.server_address[1]

    def start_in_thread(self) -> threading.Thread:
        """Serve in a daemon thread; stop with :meth:`shutdown` then :meth:`server_close`."""
        thread = threading.Thread(target=self.serve_forever, name="fakeredis-tcp", daemon=True)
        thread.start()
        return thread


class TcpFakeServer(TcpServer):
    """PyPI fakeredis's name and signature for a TCP server over a fresh FakeServer:
    ``TcpFakeServer(("127.0.0.1", 6379)).serve_forever()``."""

    def __init__(self, server_address: tuple[str, int], bind_and_activate: bool = True,
                 server_type: str = "redis", server_version: Any = DEFAULT_VERSION) -> None:
        fake = FakeServer(version=server_version, server_type=server_type)
        super().__init__(server_address, fake, bind_and_activate)


def serve(host: str = "127.0.0.1", port: int = 6379, fake: Any = None) -> None:
    """Run a TCP server in the foreground until interrupted."""
    with TcpServer((host, port), fake) as server:
        log.info("fakeredis listening on %s:%d", host, server.port)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
