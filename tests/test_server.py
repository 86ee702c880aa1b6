"""FakeServer: expiry, version gating, internal errors, blocking machinery."""

import pytest

from fakeredis import FakeServer
from fakeredis.errors import ReplyError
from fakeredis.replies import NULL_ARRAY


def run(server, session, *argv):
    return server.execute(session, [a if isinstance(a, bytes) else str(a).encode() for a in argv])


@pytest.fixture
def server():
    return FakeServer()


@pytest.fixture
def session(server):
    return server.new_session()


def test_keys_expire_lazily_and_actively_without_scanning(server, session):
    db = session.db
    run(server, session, "SET", "a", "1", "PX", "100")
    run(server, session, "SET", "b", "1", "PX", "200")
    run(server, session, "SET", "c", "1")
    server.advance_time(0.15)
    assert "a" not in {k.decode() for k in db.data}  # removed by the expiry heap, not by a lookup
    assert run(server, session, "GET", "b") == b"1"
    server.advance_time(0.1)
    assert run(server, session, "GET", "b") is None
    assert set(db.data) == {b"c"}
    db._check()


def test_expiry_heap_drops_stale_deadlines(server, session):
    run(server, session, "SET", "a", "1", "PX", "100")
    run(server, session, "SET", "a", "2")  # TTL cleared: the old deadline must not delete it
    server.advance_time(1)
    assert run(server, session, "GET", "a") == b"2"


def test_commands_newer_than_the_server_version_are_unknown():
    old = FakeServer(version="6.0")
    assert run(old, old.new_session(), "RESET") == ReplyError(
        "ERR unknown command `RESET`, with args beginning with: ")  # 6.x quoted with backticks
    new = FakeServer(version=(6, 2))
    assert run(new, new.new_session(), "RESET") == b"RESET"


@pytest.mark.parametrize("given, version", [
    (6, (6, 2, 14)), ("6", (6, 2, 14)), ((6,), (6, 2, 14)), (5, (5, 0, 7)), (7, (7, 0, 15)),
    ((6, 2), (6, 2, 0)), ("6.0.9", (6, 0, 9)), ([7, 0], (7, 0, 0)),
])
def test_versions_as_pypi_fakeredis_takes_them(given, version):
    server = FakeServer(version=given)
    assert server.version == version
    info = run(server, server.new_session(), "INFO", "server")
    assert b"redis_version:%d.%d.%d\r\n" % version in info


def test_config_given_as_bytes_or_numbers_is_applied_at_startup():
    server = FakeServer(config={b"maxmemory": b"1mb", "hz": 20})
    session = server.new_session()
    assert run(server, session, "CONFIG", "GET", "maxmemory") == {b"maxmemory": b"1048576"}
    assert run(server, session, "CONFIG", "GET", "hz") == {b"hz": b"20"}


def test_only_the_redis_server_type_is_simulated():
    assert FakeServer(server_type="redis").version == (7, 0, 15)
    with pytest.raises(ValueError, match="server_type='valkey'"):
        FakeServer(server_type="valkey")


def test_an_internal_bug_becomes_an_error_reply_without_a_traceback(server, session, monkeypatch):
    cmd = server.lookup_command(b"echo")
    monkeypatch.setattr(cmd, "handler", lambda ctx, msg: 1 / 0)
    reply = run(server, session, "ECHO", "x")
    assert reply == ReplyError("ERR internal error in fakeredis: ZeroDivisionError")


def test_blocked_waiter_is_served_first_come_first_served(server):
    first, second, writer = server.new_session(), server.new_session(), server.new_session()
    served = []

    def attempt_for(session, name):
        def attempt():
            value = session.db.data.pop(b"k", None)
            return None if value is None else name
        return attempt

    with server.lock:
        w1 = server.block(first, [b"k"], 0, attempt_for(first, "first"), NULL_ARRAY)
        w2 = server.block(second, [b"k"], 0, attempt_for(second, "second"), NULL_ARRAY)
    for _ in range(2):
        with server.lock:
            writer.db.data[b"k"] = b"v"
            writer.db.signal_modified(b"k", "set")
            server.serve_blocked()
    served = [w1.result, w2.result]
    assert served == ["first", "second"]
    assert w1.done and w2.done


def test_blocked_waiter_times_out_with_the_server_clock(server, session):
    with server.lock:
        waiter = server.block(session, [b"k"], 5, lambda: None, NULL_ARRAY)
    server.advance_time(6)
    assert waiter.wait() is NULL_ARRAY


def test_call_log_records_commands_with_db_and_client_name(server, session):
    server.record_calls()
    run(server, session, "CLIENT", "SETNAME", "worker")
    run(server, session, "SELECT", "2")
    run(server, session, "SET", "k", "v")
    assert server.calls_of("set") == [("set", (b"k", b"v"), 2, b"worker")]
    server.record_calls(False)
    run(server, session, "GET", "k")
    assert server.calls is None


def test_injected_faults_fail_the_next_calls_then_stop(server, session):
    server.inject_fault("get", error="READONLY You can't write against a read only replica.",
                        times=2)
    run(server, session, "SET", "k", "v")
    assert run(server, session, "GET", "k") == ReplyError(
        "READONLY You can't write against a read only replica.")
    assert isinstance(run(server, session, "GET", "k"), ReplyError)
    assert run(server, session, "GET", "k") == b"v"
    assert not server._observed


def test_injected_latency_delays_without_failing(server, session, monkeypatch):
    slept = []
    monkeypatch.setattr("fakeredis.server.time.sleep", slept.append)
    server.inject_fault("ping", latency=0.25)
    assert run(server, session, "PING") == b"PONG"
    assert slept == [0.25]


def test_advance_time_moves_ttls_and_time(server, session):
    run(server, session, "SET", "k", "v", "EX", "10")
    before = server.clock.now()
    server.advance_time(9)
    assert run(server, session, "GET", "k") == b"v"
    server.advance_time(2)
    assert run(server, session, "GET", "k") is None
    assert server.clock.now() - before >= 11


def test_info_counts_expired_keys(server, session):
    run(server, session, "SET", "a", "1", "PX", "10")
    run(server, session, "SET", "b", "1", "PX", "10")
    server.advance_time(1)
    assert b"expired_keys:2\r\n" in run(server, session, "INFO", "stats")
