"""MULTI / EXEC / DISCARD / WATCH / UNWATCH, raw and through redis-py pipelines."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
import redis

from conformance.helpers import is_resp3, watch_aborts


@pytest.fixture
def conn(r: redis.Redis) -> Any:
    """One dedicated connection, so MULTI state stays on it."""
    connection = r.connection_pool.get_connection()
    yield connection
    r.connection_pool.release(connection)


def run(connection: Any, *args: Any) -> Any:
    """Send one command on ``connection``; the reply, or the error instance."""
    connection.send_command(*args)
    try:
        return connection.read_response()
    except redis.ResponseError as exc:
        return exc


def error_text(reply: Any) -> str:
    assert isinstance(reply, redis.ResponseError), reply
    return str(reply)


# --- raw MULTI/EXEC ------------------------------------------------------------------------------

def test_commands_are_queued_and_run_by_exec(r, conn):
    assert run(conn, "MULTI") == b"OK"
    assert run(conn, "SET", "a", "1") == b"QUEUED"
    assert run(conn, "GET", "a") == b"QUEUED"
    assert r.get("a") is None
    assert run(conn, "EXEC") == [b"OK", b"1"]
    assert r.get("a") == b"1"


def test_empty_transaction(conn):
    assert run(conn, "MULTI") == b"OK"
    assert run(conn, "EXEC") == []


def test_wrong_arity_in_multi_aborts_exec(r, conn):
    assert run(conn, "MULTI") == b"OK"
    assert run(conn, "SET", "a", "1") == b"QUEUED"
    assert error_text(run(conn, "SET", "b")) == "wrong number of arguments for 'set' command"
    reply = run(conn, "EXEC")
    assert isinstance(reply, redis.exceptions.ExecAbortError)
    assert str(reply) == "Transaction discarded because of previous errors."
    assert r.get("a") is None
    assert run(conn, "GET", "a") is None  # out of MULTI again


def test_unknown_command_in_multi_aborts_exec(conn):
    assert run(conn, "MULTI") == b"OK"
    assert error_text(run(conn, "NOSUCH", "x")) == \
        "unknown command 'NOSUCH', with args beginning with: 'x' "
    assert isinstance(run(conn, "EXEC"), redis.exceptions.ExecAbortError)


def test_unknown_subcommand_in_multi_aborts_exec(conn):
    assert run(conn, "MULTI") == b"OK"
    assert error_text(run(conn, "CONFIG", "NOSUCH")) == \
        "unknown subcommand 'NOSUCH'. Try CONFIG HELP."
    assert isinstance(run(conn, "EXEC"), redis.exceptions.ExecAbortError)


def test_runtime_errors_take_their_slot_and_the_rest_applies(r, conn):
    assert run(conn, "MULTI") == b"OK"
    assert run(conn, "SET", "a", "x") == b"QUEUED"
    assert run(conn, "SET", "a", "y", "EX", "0") == b"QUEUED"
    assert run(conn, "SET", "b", "2") == b"QUEUED"
    first, second, third = run(conn, "EXEC")
    assert first == b"OK" and third == b"OK"
    assert isinstance(second, redis.ResponseError)
    assert str(second) == "invalid expire time in 'set' command"
    assert r.get("a") == b"x"
    assert r.get("b") == b"2"


def test_nested_multi_is_an_error_that_keeps_the_transaction(r, conn):
    assert run(conn, "MULTI") == b"OK"
    assert error_text(run(conn, "MULTI")) == "MULTI calls can not be nested"
    assert run(conn, "SET", "a", "1") == b"QUEUED"
    assert run(conn, "EXEC") == [b"OK"]
    assert r.get("a") == b"1"


def test_exec_and_discard_without_multi(conn):
    assert error_text(run(conn, "EXEC")) == "EXEC without MULTI"
    assert error_text(run(conn, "DISCARD")) == "DISCARD without MULTI"


def test_discard_drops_the_queue(r, conn):
    assert run(conn, "MULTI") == b"OK"
    assert run(conn, "SET", "a", "1") == b"QUEUED"
    assert run(conn, "DISCARD") == b"OK"
    assert r.get("a") is None
    assert error_text(run(conn, "EXEC")) == "EXEC without MULTI"


def test_watch_inside_multi_is_refused_but_does_not_abort(conn):
    assert run(conn, "MULTI") == b"OK"
    assert error_text(run(conn, "WATCH", "a")) == "WATCH inside MULTI is not allowed"
    assert run(conn, "SET", "a", "1") == b"QUEUED"
    assert run(conn, "EXEC") == [b"OK"]


def test_unwatch_is_queued_inside_multi(conn):
    assert run(conn, "MULTI") == b"OK"
    assert run(conn, "UNWATCH") == b"QUEUED"
    assert run(conn, "EXEC") == [b"OK"]


def test_exec_replies_follow_the_protocol(r, conn):
    r.set("a", "1")
    assert run(conn, "MULTI") == b"OK"
    assert run(conn, "GET", "a") == b"QUEUED"
    assert run(conn, "GET", "nosuch") == b"QUEUED"
    assert run(conn, "EXEC") == [b"1", None]


# --- WATCH ---------------------------------------------------------------------------------------

def test_watch_without_change_lets_exec_run(r):
    r.set("a", "1")
    assert not watch_aborts(r, "a", lambda: r.get("a"))


def test_watch_invalidated_by_another_clients_write(r, make):
    other = make(r)
    r.set("a", "1")
    assert watch_aborts(r, "a", lambda: other.set("a", "1"))
    assert r.get("marker") is None


def test_watch_invalidated_by_own_write_before_multi(r):
    r.set("a", "1")
    with r.pipeline() as pipe:
        pipe.watch("a")
        pipe.set("a", "2")
        pipe.multi()
        pipe.set("marker", "1")
        with pytest.raises(redis.WatchError):
            pipe.execute()


def test_watch_missing_key_then_created_aborts(r, make):
    other = make(r)
    assert watch_aborts(r, "a", lambda: other.set("a", "1"))


def test_watch_invalidated_by_set_with_ttl_from_another_client(r, make):
    other = make(r)
    r.set("a", "1")
    assert watch_aborts(r, "a", lambda: other.set("a", "1", ex=100))


def test_watch_invalidated_by_key_expiry(r):
    r.set("a", "1", px=20)
    assert watch_aborts(r, "a", lambda: time.sleep(0.1))


def test_watch_of_an_already_expired_key_is_not_invalidated(r):
    r.set("a", "1", px=10)
    time.sleep(0.05)
    assert not watch_aborts(r, "a", lambda: None)


def test_flushdb_dirties_watchers_of_existing_keys(r, make):
    other = make(r)
    r.set("a", "1")
    assert watch_aborts(r, "a", lambda: other.flushdb())


def test_flushall_dirties_watchers_of_existing_keys(r, make):
    other = make(r)
    r.set("a", "1")
    assert watch_aborts(r, "a", lambda: other.flushall())


def test_flush_leaves_watchers_of_missing_keys_alone(r, make):
    other = make(r)
    r.set("b", "1")
    assert not watch_aborts(r, "a", lambda: other.flushall())


def test_unwatch_forgets_watched_keys(r, make):
    other = make(r)
    r.set("a", "1")
    with r.pipeline() as pipe:
        pipe.watch("a")
        other.set("a", "2")
        pipe.unwatch()
        pipe.multi()
        pipe.set("marker", "1")
        assert pipe.execute() == [True]


def test_exec_forgets_watches(r, make, conn):
    other = make(r)
    assert run(conn, "WATCH", "a") == b"OK"
    assert run(conn, "MULTI") == b"OK"
    assert run(conn, "EXEC") == []
    other.set("a", "1")
    assert run(conn, "MULTI") == b"OK"
    assert run(conn, "EXEC") == []


def test_aborted_exec_is_a_null_reply(r, make, conn):
    other = make(r)
    assert run(conn, "WATCH", "a") == b"OK"
    other.set("a", "1")
    assert run(conn, "MULTI") == b"OK"
    assert run(conn, "SET", "a", "2") == b"QUEUED"
    assert run(conn, "EXEC") is None
    assert r.get("a") == b"1"


def test_watch_of_another_db_key(r, make):
    other = make(r, db=1)
    r.set("a", "1")
    assert not watch_aborts(r, "a", lambda: other.set("a", "2"))


# --- redis-py pipelines --------------------------------------------------------------------------

def test_transactional_pipeline(r):
    with r.pipeline() as pipe:
        pipe.set("a", "1").get("a").set("b", "2", nx=True)
        assert pipe.execute() == [True, b"1", True]


def test_non_transactional_pipeline(r):
    with r.pipeline(transaction=False) as pipe:
        pipe.set("a", "1").get("a").get("nosuch")
        assert pipe.execute() == [True, b"1", None]


def test_pipeline_raises_the_first_runtime_error(r):
    with r.pipeline() as pipe:
        pipe.set("a", "1").set("a", "2", ex=0).get("a")
        with pytest.raises(redis.ResponseError) as exc:
            pipe.execute()
    assert "invalid expire time in 'set' command" in str(exc.value)
    assert r.get("a") == b"1"


def test_pipeline_raise_on_error_false_returns_errors(r):
    with r.pipeline() as pipe:
        pipe.set("a", "1").set("a", "2", ex=0).get("a")
        first, second, third = pipe.execute(raise_on_error=False)
    assert first is True and third == b"1"
    assert isinstance(second, redis.ResponseError)


def test_non_transactional_pipeline_with_errors(r):
    with r.pipeline(transaction=False) as pipe:
        pipe.set("a", "1").set("a", "2", ex=0).get("a")
        first, second, third = pipe.execute(raise_on_error=False)
    assert first is True and third == b"1"
    assert str(second) == "invalid expire time in 'set' command"


def test_pipeline_with_a_queue_time_error_aborts(r):
    with r.pipeline() as pipe:
        pipe.set("a", "1").execute_command("SET", "b")
        with pytest.raises(redis.ResponseError) as exc:
            pipe.execute()
    assert "wrong number of arguments for 'set' command" in str(exc.value)
    assert r.get("a") is None


def test_transaction_helper_retries_after_watch_error(r, make):
    other = make(r)
    r.set("a", "1")
    attempts = []

    def body(pipe: redis.client.Pipeline) -> None:
        value = int(pipe.get("a"))
        attempts.append(value)
        if len(attempts) == 1:
            other.set("a", "10")
        pipe.multi()
        pipe.set("a", str(value + 1))

    assert r.transaction(body, "a") == [True]
    assert attempts == [1, 10]
    assert r.get("a") == b"11"


def test_transaction_helper_value_from_callable(r):
    r.set("a", "5")
    result = r.transaction(lambda pipe: pipe.get("a"), "a", value_from_callable=True)
    assert result == b"5"


def test_pipeline_watch_error_when_key_changes(r, make):
    other = make(r)
    with r.pipeline() as pipe:
        pipe.watch("a")
        other.set("a", "x")
        pipe.multi()
        pipe.get("a")
        with pytest.raises(redis.WatchError):
            pipe.execute()


def test_pipeline_is_reusable_after_execute(r):
    with r.pipeline() as pipe:
        pipe.set("a", "1")
        assert pipe.execute() == [True]
        pipe.get("a")
        assert pipe.execute() == [b"1"]


def test_blocking_command_in_a_pipeline_holds_back_the_next_ones(r):
    r.delete("q")
    with r.pipeline(transaction=False) as pipe:
        pipe.blpop("q", 0.2).rpush("q", "x").llen("q")
        started = time.monotonic()
        assert pipe.execute() == [None, 1, 1]
    assert time.monotonic() - started >= 0.15


def test_blocking_command_in_raw_pipelined_commands_holds_back_the_next_ones(r):
    connection = r.connection_pool.get_connection()
    try:
        connection.send_packed_command(connection.pack_commands(
            [("BLPOP", "q", "0.1"), ("RPUSH", "q", "x"), ("LLEN", "q")]))
        assert [connection.read_response() for _ in range(3)] == [None, 1, 1]
    finally:
        r.connection_pool.release(connection)


@pytest.mark.parametrize("transaction", [False, True])
def test_a_bad_argument_fails_the_pipeline_before_anything_runs(r, transaction):
    with r.pipeline(transaction=transaction) as pipe:
        pipe.set("a", "1").execute_command("SET", "b", None)
        with pytest.raises(redis.DataError):
            pipe.execute()
    assert r.get("a") is None


def test_empty_response_and_never_decode_options_in_pipelines(rd):
    rd.set("k", "v")
    dumped = rd.dump("k")
    assert isinstance(dumped, bytes)
    with rd.pipeline(transaction=False) as pipe:
        pipe.mget([]).dump("k").get("k")
        assert pipe.execute() == [[], dumped, "v"]
    with rd.pipeline() as pipe:
        pipe.mget([]).get("k")
        assert pipe.execute() == [[], "v"]


def test_never_decode_does_not_reach_into_exec_replies(rd):
    rd.set("k", "v")
    with rd.pipeline() as pipe:
        pipe.dump("k")
        with pytest.raises(UnicodeDecodeError):  # redis-py decodes EXEC's reply as a whole
            pipe.execute()


def test_queuing_errors_and_runtime_errors_are_annotated_with_their_command(r):
    with r.pipeline() as pipe:
        pipe.set("a", "1").lpush("a", "x").incr("a")
        with pytest.raises(redis.ResponseError) as exc:
            pipe.execute()
    assert str(exc.value) == ("Command # 2 (LPUSH a x) of pipeline caused error: "
                              "WRONGTYPE Operation against a key holding the wrong kind of value")
    assert r.get("a") == b"2"


def test_unwatch_queued_in_a_plain_pipeline_ends_watching(r, make):
    other = make(r)
    with r.pipeline() as pipe:
        pipe.watch("a")
        assert pipe.watching
        pipe.multi()
        pipe.set("b", "1")
        other.set("c", "1")
        assert pipe.execute() == [True]
        assert not pipe.watching


def test_pipeline_callbacks_follow_the_protocol(r):
    r.zadd("z", {"a": 1.5, "b": 2})
    r.hset("h", "f", "v")
    for transaction in (False, True):
        with r.pipeline(transaction=transaction) as pipe:
            pipe.zrange("z", 0, -1, withscores=True).hgetall("h").zscore("z", "a").exists("h")
            pairs = [[b"a", 1.5], [b"b", 2.0]] if is_resp3(r) else [(b"a", 1.5), (b"b", 2.0)]
            assert pipe.execute() == [pairs, {b"f": b"v"}, 1.5, 1]


# --- atomicity -----------------------------------------------------------------------------------

def test_exec_is_atomic_against_other_threads(r, make):
    r.set("a", "0")
    r.set("b", "0")
    writers = [make(r) for _ in range(4)]
    reader = make(r)
    stop = threading.Event()
    seen: list[tuple[bytes, bytes]] = []

    def write(client: redis.Redis) -> None:
        for _ in range(100):
            with client.pipeline() as pipe:
                pipe.set("b", "x").set("a", "y").set("a", "0").set("b", "0")
                pipe.execute()

    def read() -> None:
        while not stop.is_set():
            with reader.pipeline() as pipe:
                seen.append(tuple(pipe.get("a").get("b").execute()))

    threads = [threading.Thread(target=write, args=(c,)) for c in writers]
    observer = threading.Thread(target=read)
    observer.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stop.set()
    observer.join()
    assert seen
    assert set(seen) == {(b"0", b"0")}


def test_watch_invalidated_by_del(r, make):
    other = make(r)
    r.set("a", "1")
    assert watch_aborts(r, "a", lambda: other.delete("a"))


def test_watch_not_invalidated_by_del_of_a_missing_key(r, make):
    other = make(r)
    assert not watch_aborts(r, "a", lambda: other.delete("a"))


def test_watch_invalidated_by_rename_of_source_and_destination(r, make):
    other = make(r)
    r.set("a", "1")
    assert watch_aborts(r, "a", lambda: other.rename("a", "b"))
    assert watch_aborts(r, "c", lambda: other.rename("b", "c"))


def test_watch_invalidated_by_expire(r, make):
    other = make(r)
    r.set("a", "1")
    assert watch_aborts(r, "a", lambda: other.expire("a", 100))


def test_a_failed_write_does_not_invalidate_a_watch(r, make):
    other = make(r)
    r.set("a", "x")

    def failing_incr() -> None:
        with pytest.raises(redis.ResponseError):
            other.incr("a")

    assert not watch_aborts(r, "a", failing_incr)


def test_watch_invalidated_by_swapdb(r, make):
    other = make(r)
    r.set("a", "1")
    assert watch_aborts(r, "a", lambda: other.swapdb(0, 1))


def test_watch_invalidated_by_a_script_write(r, make):
    other = make(r)
    r.set("a", "1")
    assert watch_aborts(r, "a", lambda: other.eval("redis.call('set', 'a', '2')", 0))


def test_exec_with_a_script_in_the_queue(r, conn):
    assert run(conn, "MULTI") == b"OK"
    assert run(conn, "EVAL", "return redis.call('incr', KEYS[1])", 1, "n") == b"QUEUED"
    assert run(conn, "INCR", "n") == b"QUEUED"
    assert run(conn, "EXEC") == [1, 2]


def test_incr_transactions_are_atomic_against_a_script_reader(r, make):
    r.mset({"a": 0, "b": 0})
    writers = [make(r) for _ in range(4)]
    reader = make(r)
    mismatches: list[Any] = []
    stop = threading.Event()

    def write(client: redis.Redis) -> None:
        for _ in range(50):
            with client.pipeline() as pipe:
                pipe.incr("a").incr("b").execute()

    def read() -> None:
        while not stop.is_set():
            a, b = reader.eval("return {redis.call('get', 'a'), redis.call('get', 'b')}", 0)
            if a != b:
                mismatches.append((a, b))

    observer = threading.Thread(target=read)
    observer.start()
    threads = [threading.Thread(target=write, args=(c,)) for c in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stop.set()
    observer.join()
    assert mismatches == []
    assert r.mget("a", "b") == [b"200", b"200"]


def test_lock_round_trip(r, make):
    other = make(r)
    lock = r.lock("resource", timeout=5, blocking=False)
    assert lock.acquire()
    assert lock.locked() and lock.owned()
    assert not other.lock("resource", blocking=False).acquire()
    assert lock.reacquire()
    lock.release()
    assert not lock.locked()
    assert other.lock("resource", blocking=False).acquire()
