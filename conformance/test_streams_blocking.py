"""Blocking XREAD and XREADGROUP: timeouts, wake-ups by other clients, what makes a stream ready."""

from __future__ import annotations

import redis

from conformance.helpers import is_resp3, raw
from conformance.test_blocking import block, still_blocked


def read_reply(r: redis.Redis, key: bytes, entries: list) -> object:
    """What a served XREAD/XREADGROUP answers for one stream, in the client's protocol."""
    return {key: entries} if is_resp3(r) else [[key, entries]]


def entry(stream_id: str, *fields: str) -> list:
    return [stream_id.encode(), [f.encode() for f in fields]]


def test_xread_block_times_out_with_null(r):
    raw(r, "XADD", "s", "1-0", "f", "v")
    assert raw(r, "XREAD", "BLOCK", 10, "STREAMS", "s", "$") is None
    assert raw(r, "XREAD", "BLOCK", 10, "STREAMS", "nx", "$") is None
    assert raw(r, "XREAD", "BLOCK", 10, "STREAMS", "s", "1-0") is None


def test_xread_block_serves_at_once_when_data_is_there(r):
    raw(r, "XADD", "s", "1-0", "f", "v")
    assert raw(r, "XREAD", "BLOCK", 0, "STREAMS", "s", "0") == read_reply(
        r, b"s", [entry("1-0", "f", "v")])


def test_xadd_wakes_xread_with_dollar(r, make):
    raw(r, "XADD", "s", "1-0", "f", "old")
    waiter = block(r, make, "XREAD", "BLOCK", 0, "STREAMS", "s", "$")
    raw(r, "XADD", "s", "2-0", "f", "new")
    assert waiter.result() == read_reply(r, b"s", [entry("2-0", "f", "new")])


def test_xadd_creating_the_key_wakes_xread(r, make):
    waiter = block(r, make, "XREAD", "BLOCK", 0, "STREAMS", "s", "$")
    raw(r, "XADD", "s", "0-1", "f", "v")
    assert waiter.result() == read_reply(r, b"s", [entry("0-1", "f", "v")])


def test_a_woken_xread_gets_only_the_stream_that_became_ready(r, make):
    raw(r, "XADD", "a", "1-0", "f", "v")
    waiter = block(r, make, "XREAD", "BLOCK", 0, "STREAMS", "a", "b", "$", "$")
    pipe = r.pipeline(transaction=True)
    pipe.xadd("b", {"f": "b"}, id="5-0")
    pipe.xadd("a", {"f": "a"}, id="5-0")
    pipe.execute()
    assert waiter.result() == read_reply(r, b"b", [entry("5-0", "f", "b")])


def test_woken_xread_honours_count(r, make):
    raw(r, "XADD", "s", "1-0", "f", "v")
    waiter = block(r, make, "XREAD", "COUNT", 1, "BLOCK", 0, "STREAMS", "s", "1-0")
    pipe = r.pipeline(transaction=True)
    pipe.xadd("s", {"f": "2"}, id="2-0")
    pipe.xadd("s", {"f": "3"}, id="3-0")
    pipe.execute()
    assert waiter.result() == read_reply(r, b"s", [entry("2-0", "f", "2")])


def test_every_xread_waiter_is_served(r, make):
    first = block(r, make, "XREAD", "BLOCK", 0, "STREAMS", "s", "$")
    second = block(r, make, "XREAD", "BLOCK", 0, "STREAMS", "s", "$")
    raw(r, "XADD", "s", "1-0", "f", "v")
    assert first.result() == second.result() == read_reply(r, b"s", [entry("1-0", "f", "v")])


def test_xread_stays_blocked_when_its_key_is_deleted_and_recreated_lower(r, make):
    raw(r, "XADD", "s", "5-0", "f", "v")
    waiter = block(r, make, "XREAD", "BLOCK", 0, "STREAMS", "s", "$")
    raw(r, "DEL", "s")
    raw(r, "XADD", "s", "1-0", "f", "v")
    still_blocked(r, waiter)
    raw(r, "XADD", "s", "6-0", "f", "w")
    assert waiter.result() == read_reply(r, b"s", [entry("6-0", "f", "w")])


def test_xdel_and_xtrim_do_not_serve_xread(r, make):
    raw(r, "XADD", "s", "1-0", "f", "v")
    raw(r, "XADD", "s", "2-0", "f", "v")
    waiter = block(r, make, "XREAD", "BLOCK", 0, "STREAMS", "s", "2-0")
    raw(r, "XDEL", "s", "1-0")
    raw(r, "XTRIM", "s", "MAXLEN", 0)
    raw(r, "XSETID", "s", "7-0")
    still_blocked(r, waiter)
    raw(r, "CLIENT", "UNBLOCK", waiter.client_id)
    assert waiter.result() is None


def test_xread_block_in_multi_answers_null_at_once(r):
    pipe = r.pipeline(transaction=True)
    pipe.execute_command("XREAD", "BLOCK", 0, "STREAMS", "s", "$")
    pipe.execute_command("XREADGROUP", "GROUP", "g", "c", "BLOCK", 0, "STREAMS", "s", ">")
    replies = pipe.execute(raise_on_error=False)
    assert replies[0] in (None, [], {})
    assert str(replies[1]) == (
        "NOGROUP No such key 's' or consumer group 'g' in XREADGROUP with GROUP option")


def test_xread_block_in_a_script_is_an_error(r):
    raw(r, "XADD", "s", "1-0", "f", "v")
    script = "return redis.pcall('XREAD', 'BLOCK', 0, 'STREAMS', KEYS[1], '$')"
    try:
        raw(r, "EVAL", script, 1, "s")
    except redis.ResponseError as exc:
        assert str(exc) == "XREAD command is not allowed with BLOCK option from scripts"
    else:
        raise AssertionError("no error")
    plain = "return redis.call('XREAD', 'STREAMS', KEYS[1], '0')"
    assert raw(r, "EVAL", plain, 1, "s") == [[b"s", [entry("1-0", "f", "v")]]]


# --- XREADGROUP -----------------------------------------------------------------------------------

def group(r: redis.Redis, key: str = "s", start: str = "$") -> None:
    raw(r, "XGROUP", "CREATE", key, "g", start, "MKSTREAM")


def test_xadd_wakes_xreadgroup_and_records_the_delivery(r, make):
    group(r)
    waiter = block(r, make, "XREADGROUP", "GROUP", "g", "c", "BLOCK", 0, "STREAMS", "s", ">")
    raw(r, "XADD", "s", "1-0", "f", "v")
    assert waiter.result() == read_reply(r, b"s", [entry("1-0", "f", "v")])
    assert raw(r, "XPENDING", "s", "g")[:3] == [1, b"1-0", b"1-0"]


def test_xreadgroup_times_out_without_creating_its_consumer(r):
    group(r)
    assert raw(r, "XREADGROUP", "GROUP", "g", "c", "BLOCK", 5, "STREAMS", "s", ">") is None
    assert r.xinfo_consumers("s", "g") == []
    assert raw(r, "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "0") == read_reply(r, b"s", [])
    assert [c["name"] for c in r.xinfo_consumers("s", "g")] == [b"c"]


def test_one_entry_goes_to_one_waiting_consumer(r, make):
    group(r)
    first = block(r, make, "XREADGROUP", "GROUP", "g", "a", "BLOCK", 0, "STREAMS", "s", ">")
    second = block(r, make, "XREADGROUP", "GROUP", "g", "b", "BLOCK", 0, "STREAMS", "s", ">")
    raw(r, "XADD", "s", "1-0", "f", "v")
    assert first.result() == read_reply(r, b"s", [entry("1-0", "f", "v")])
    still_blocked(r, second)
    raw(r, "XADD", "s", "2-0", "f", "w")
    assert second.result() == read_reply(r, b"s", [entry("2-0", "f", "w")])


def test_destroying_the_group_fails_its_waiters(r, make):
    group(r)
    waiter = block(r, make, "XREADGROUP", "GROUP", "g", "c", "BLOCK", 0, "STREAMS", "s", ">")
    assert raw(r, "XGROUP", "DESTROY", "s", "g") == 1
    reply = waiter.result()
    assert isinstance(reply, redis.ResponseError)
    assert str(reply) == "NOGROUP the consumer group this client was blocked on no longer exists"


def test_deleting_the_stream_fails_xreadgroup_waiters(r, make):
    group(r)
    waiter = block(r, make, "XREADGROUP", "GROUP", "g", "c", "BLOCK", 0, "STREAMS", "s", ">")
    raw(r, "DEL", "s")
    reply = waiter.result()
    assert isinstance(reply, redis.ResponseError)
    assert str(reply) == "UNBLOCKED the stream key no longer exists"


def test_setid_does_not_serve_but_the_next_xadd_reads_from_it(r, make):
    raw(r, "XADD", "s", "1-0", "f", "one")
    group(r)
    waiter = block(r, make, "XREADGROUP", "GROUP", "g", "c", "BLOCK", 0, "STREAMS", "s", ">")
    raw(r, "XGROUP", "SETID", "s", "g", "0")
    still_blocked(r, waiter)
    raw(r, "XADD", "s", "2-0", "f", "two")
    assert waiter.result() == read_reply(r, b"s", [entry("1-0", "f", "one"),
                                                   entry("2-0", "f", "two")])


def test_noack_waiter_leaves_nothing_pending(r, make):
    group(r)
    waiter = block(r, make, "XREADGROUP", "GROUP", "g", "c", "NOACK", "BLOCK", 0, "STREAMS",
                   "s", ">")
    raw(r, "XADD", "s", "1-0", "f", "v")
    assert waiter.result() == read_reply(r, b"s", [entry("1-0", "f", "v")])
    assert raw(r, "XPENDING", "s", "g")[0] == 0
    assert r.xinfo_groups("s")[0]["last-delivered-id"] == b"1-0"


def test_history_reads_never_block(r):
    group(r)
    reply = raw(r, "XREADGROUP", "GROUP", "g", "c", "BLOCK", 0, "STREAMS", "s", "0")
    assert reply == read_reply(r, b"s", [])


def test_redis_py_blocking_reads(r, make):
    group(r)
    other = make(r)
    assert r.xread({"s": "$"}, block=5) in ([], {})
    waiter = block(r, make, "XREAD", "BLOCK", 0, "STREAMS", "s", "$")
    other.xadd("s", {"f": "v"}, id="1-0")
    assert waiter.result() == read_reply(r, b"s", [entry("1-0", "f", "v")])
    assert r.xreadgroup("g", "c", {"s": ">"}, block=5) == (
        {b"s": [[(b"1-0", {b"f": b"v"})]]} if is_resp3(r) else [[b"s", [(b"1-0", {b"f": b"v"})]]])


def test_a_trimmed_away_entry_still_serves_an_empty_list(r, make):
    raw(r, "XADD", "s", "1-0", "f", "v")
    group(r)
    waiter = block(r, make, "XREADGROUP", "GROUP", "g", "c", "BLOCK", 0, "STREAMS", "s", ">")
    reader = block(r, make, "XREAD", "BLOCK", 0, "STREAMS", "s", "$")
    raw(r, "XADD", "s", "MAXLEN", 0, "2-0", "f", "v")
    assert waiter.result() == read_reply(r, b"s", [])
    assert reader.result() == read_reply(r, b"s", [])


def test_overwriting_or_renaming_the_stream_fails_xreadgroup_waiters(r, make):
    for change in (("SET", "s", "x"), ("RENAME", "s", "t")):
        raw(r, "DEL", "s", "t")
        group(r)
        waiter = block(r, make, "XREADGROUP", "GROUP", "g", "c", "BLOCK", 0, "STREAMS", "s", ">")
        raw(r, *change)
        assert str(waiter.result()) == "UNBLOCKED the stream key no longer exists"


def test_a_recreated_stream_with_the_group_serves_the_waiter(r, make):
    group(r)
    waiter = block(r, make, "XREADGROUP", "GROUP", "g", "c", "BLOCK", 0, "STREAMS", "s", ">")
    pipe = r.pipeline(transaction=True)
    pipe.delete("s")
    pipe.xadd("s", {"a": "b"}, id="5-0")
    pipe.xgroup_create("s", "g", "0")
    pipe.execute()
    assert waiter.result() == read_reply(r, b"s", [entry("5-0", "a", "b")])


def test_flushing_fails_xreadgroup_waiters(r, make):
    for flush in (("FLUSHALL",), ("FLUSHDB",)):
        group(r)
        waiter = block(r, make, "XREADGROUP", "GROUP", "g", "c", "BLOCK", 0, "STREAMS", "s", ">")
        raw(r, *flush)
        assert str(waiter.result()) == "UNBLOCKED the stream key no longer exists"
