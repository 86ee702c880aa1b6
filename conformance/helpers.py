"""Helpers shared by conformance tests."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any, Callable

import pytest
import redis


def raw(client: redis.Redis, *args: Any) -> Any:
    """Send one command and return the parsed reply without redis-py's response callbacks."""
    pool = client.connection_pool
    conn = pool.get_connection()
    try:
        conn.send_command(*args)
        return conn.read_response()
    finally:
        pool.release(conn)


def is_resp3(client: redis.Redis) -> bool:
    """True when the client speaks RESP3."""
    return str(client.connection_pool.connection_kwargs.get("protocol")) == "3"


def error_of(r: redis.Redis, *args: Any) -> str:
    """The error text a command replies with (redis-py drops the leading 'ERR ')."""
    with pytest.raises(redis.ResponseError) as exc:
        raw(r, *args)
    return str(exc.value)


def watch_then(r: redis.Redis, other: redis.Redis, key: str, *args: Any) -> Any:
    """None when ``other`` running ``args`` (an error reply ignored) between WATCH ``key`` and EXEC
    aborts the transaction; else [the value at ``key``]."""
    def run() -> None:
        try:
            raw(other, *args)
        except redis.ResponseError:
            pass

    return None if watch_aborts(r, key, run) else [r.get(key)]


def watch_aborts(r: redis.Redis, key: str, between: Callable[[], Any]) -> bool:
    """Whether WATCH ``key``, ``between()``, MULTI, SET marker 1, EXEC aborts (and so writes no
    marker)."""
    with r.pipeline() as pipe:
        pipe.watch(key)
        between()
        pipe.multi()
        pipe.set("marker", "1")
        try:
            pipe.execute()
        except redis.WatchError:
            return True
    return False


# --- keyspace notifications ----------------------------------------------------------------------
_END = b"end-of-steps"


def keyevents(r: redis.Redis, make: Any, *steps: Any, classes: str = "EA",
              db: int | None = 0) -> list[tuple]:
    """The keyevent notifications ``steps`` cause, in order, as (event, key) pairs.

    Each step is an argv tuple sent with :func:`raw` (an error reply is ignored: the events show
    what the command did) or a callable, called as it is. Meanwhile notify-keyspace-events is
    ``classes``; it is off again afterwards. The listener is another client of ``make``: its
    subscription is confirmed before the first step (over TCP the server could see the commands
    first otherwise), and a message published after the last step ends the collection.
    ``db=None`` listens on every database and gives (db, event, key) triples.
    """
    listener = make(r).pubsub()
    r.config_set("notify-keyspace-events", classes)
    try:
        listener.psubscribe("__keyevent@*__:*" if db is None else f"__keyevent@{db}__:*")
        confirmation = listener.get_message(timeout=5)
        assert confirmation is not None and confirmation["type"] == "psubscribe"
        for step in steps:
            if callable(step):
                step()
                continue
            try:
                raw(r, *step)
            except redis.ResponseError:
                pass
        r.publish(f"__keyevent@{db or 0}__:{_END.decode()}", "")
        got: list[tuple] = []
        deadline = time.monotonic() + 5
        while True:
            message = listener.get_message(timeout=0.1)
            if message is None or message["type"] != "pmessage":
                assert time.monotonic() < deadline, f"the end marker never came; got {got}"
                continue
            number, event = message["channel"][len(b"__keyevent@"):].split(b"__:", 1)
            if event == _END:
                return got
            got.append((event, message["data"]) if db is not None else
                       (int(number), event, message["data"]))
    finally:
        r.config_set("notify-keyspace-events", "")
        listener.close()


# --- blocked clients -----------------------------------------------------------------------------
def wait_until(condition: Callable[[], Any]) -> None:
    """Poll ``condition`` until it holds (a deadline guards against hangs, not a timing check)."""
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "the awaited condition never held"
        time.sleep(0.01)


def blocked_ids(r: redis.Redis) -> set[int]:
    """Ids of the clients CLIENT LIST shows blocked (flag b)."""
    return {int(c["id"]) for c in r.client_list() if "b" in c["flags"]}


class Blocked:
    """A command run by another client in a thread; ``result()`` joins it."""

    def __init__(self, client: redis.Redis, *args: Any) -> None:
        self.reply: Any = None
        self.client_id = 0
        self.thread = threading.Thread(target=self._run, args=(client, args), daemon=True)
        self.thread.start()

    def _run(self, client: redis.Redis, args: tuple) -> None:
        try:
            self.reply = raw(client, *args)
        except (redis.ResponseError, redis.ConnectionError) as exc:
            self.reply = exc

    def result(self) -> Any:
        self.thread.join(10)
        assert not self.thread.is_alive(), "the blocked command never returned"
        return self.reply


def block(r: redis.Redis, make: Any, *args: Any) -> Blocked:
    """Run ``args`` on a new client of ``make`` and wait until it is blocked; its id is noted."""
    before = blocked_ids(r)
    waiter = Blocked(make(r), *args)
    wait_until(lambda: blocked_ids(r) - before)
    [waiter.client_id] = blocked_ids(r) - before
    return waiter


def still_blocked(r: redis.Redis, waiter: Blocked) -> None:
    """Wait until the served-or-not state settled with ``waiter`` blocked."""
    wait_until(lambda: waiter.client_id in blocked_ids(r))


def items(r: redis.Redis, key: str) -> list[bytes]:
    """The whole list at ``key``."""
    return raw(r, "LRANGE", key, 0, -1)


def exchange(r: redis.Redis, payload: bytes) -> bytes:
    """Send raw bytes to the server of ``r`` and read what comes back until PING's echo."""
    kwargs = r.connection_pool.connection_kwargs
    with socket.create_connection((kwargs["host"], kwargs["port"]), timeout=5) as sock:
        sock.sendall(payload + b"PING end\r\n")
        data = b""
        while not data.endswith(b"$3\r\nend\r\n"):
            chunk = sock.recv(65536)
            assert chunk, data
            data += chunk
    return data
