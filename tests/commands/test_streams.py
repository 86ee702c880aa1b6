"""Stream commands against the server clock: generated ids, idle times, blocking timeouts."""

import threading

import fakeredis


def split(stream_id: bytes) -> tuple[int, int]:
    ms, seq = stream_id.split(b"-")
    return int(ms), int(seq)


def test_generated_ids_follow_the_server_clock():
    server = fakeredis.FakeServer()
    r = fakeredis.FakeRedis(server=server)
    first = split(r.xadd("s", {"f": "v"}))
    server.advance_time(10)
    second = split(r.xadd("s", {"f": "v"}))
    assert second[0] - first[0] >= 10_000 and second[1] == 0


def test_a_clock_going_back_bumps_the_sequence():
    server = fakeredis.FakeServer()
    r = fakeredis.FakeRedis(server=server)
    server.advance_time(1000)
    ms, _ = split(r.xadd("s", {"f": "v"}))
    server.advance_time(-500)
    assert split(r.xadd("s", {"f": "v"})) == (ms, 1)
    assert split(r.xadd("s", {"f": "v"})) == (ms, 2)


def test_idle_times_follow_the_server_clock():
    server = fakeredis.FakeServer()
    r = fakeredis.FakeRedis(server=server)
    r.xadd("s", {"f": "v"}, id="1-0")
    r.xgroup_create("s", "g", "0")
    r.xreadgroup("g", "c", {"s": ">"})
    server.advance_time(60)
    [row] = r.xpending_range("s", "g", "-", "+", 10)
    assert row["time_since_delivered"] >= 60_000
    assert r.xinfo_consumers("s", "g")[0]["idle"] >= 60_000
    assert r.xautoclaim("s", "g", "d", 59_000)[1] == [(b"1-0", {b"f": b"v"})]


def test_advancing_the_clock_times_out_a_blocked_xread():
    server = fakeredis.FakeServer()
    r = fakeredis.FakeRedis(server=server)
    replies = []
    thread = threading.Thread(target=lambda: replies.append(r.xread({"s": "$"}, block=3_600_000)))
    thread.start()
    for _ in range(500):
        if any(session.blocked for session in server.clients.values()):
            break
        thread.join(0.01)
    assert thread.is_alive()
    server.advance_time(3601)
    thread.join(10)
    assert not thread.is_alive() and replies == [[]]


def test_entry_replies_share_no_list_with_the_stream():
    """Mutating an XRANGE/XREVRANGE/XREAD reply leaves the stored entries as they were."""
    server = fakeredis.FakeServer()
    session = server.new_session()
    server.execute(session, [b"XADD", b"s", b"1-0", b"f", b"v"])
    for argv in ([b"XRANGE", b"s", b"-", b"+"], [b"XREVRANGE", b"s", b"+", b"-"],
                 [b"XREAD", b"STREAMS", b"s", b"0"]):
        reply = server.execute(session, argv)
        entry = reply[0][1][0] if argv[0] == b"XREAD" else reply[0]
        entry[1][1] = b"changed"
        entry[1].append(b"extra")
    assert server.execute(session, [b"XRANGE", b"s", b"-", b"+"]) == [[b"1-0", [b"f", b"v"]]]
