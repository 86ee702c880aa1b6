"""fakeredis.tracking: what tracking costs the server while no client tracks (nothing)."""

from fakeredis import FakeServer


def run(server, session, *argv):
    return server.execute(session, [a if isinstance(a, bytes) else str(a).encode() for a in argv])


def test_dispatch_and_writes_skip_tracking_until_a_client_tracks():
    server = FakeServer()
    session = server.new_session()
    run(server, session, "GET", "k")
    assert (server._observed, server.tracking_live) == (False, False)
    run(server, session, "CLIENT", "TRACKING", "ON")
    assert (server._observed, server.tracking_live) == (True, True)
    run(server, session, "CLIENT", "TRACKING", "OFF")
    assert (server._observed, server.tracking_live) == (False, False)


def test_keys_left_by_a_closed_client_are_checked_until_written():
    server = FakeServer()
    session = server.new_session()
    writer = server.new_session()
    run(server, session, "CLIENT", "TRACKING", "ON")
    run(server, session, "GET", "k")
    session.close()
    # as in Redis the read key stays in the table (INFO counts it) until a write invalidates it
    assert (server._observed, server.tracking_live) == (False, True)
    assert server.tracking.info()["tracking_total_keys"] == 1
    run(server, writer, "SET", "k", "1")
    assert (server._observed, server.tracking_live) == (False, False)
    assert server.tracking.info()["tracking_total_keys"] == 0
