"""Libraries built on redis-py work unchanged on fakeredis."""

import threading

import limits
import limits.storage
import limits.strategies
import redis_lock
import rq

import fakeredis
from tests.integration.jobs import add


def test_python_redis_lock_excludes_a_second_holder():
    server = fakeredis.FakeServer()
    first = redis_lock.Lock(fakeredis.FakeRedis(server=server), "resource", expire=60)
    second = redis_lock.Lock(fakeredis.FakeRedis(server=server), "resource", expire=60)
    assert first.acquire(blocking=False)
    assert not second.acquire(blocking=False)
    first.release()
    assert second.acquire(blocking=False)
    second.release()


def test_python_redis_lock_wakes_a_blocked_waiter():
    server = fakeredis.FakeServer()
    holder = redis_lock.Lock(fakeredis.FakeRedis(server=server), "resource", expire=60)
    holder.acquire()
    got = []
    waiter = threading.Thread(target=lambda: got.append(
        redis_lock.Lock(fakeredis.FakeRedis(server=server), "resource", expire=60).acquire(
            timeout=5)))
    waiter.start()
    holder.release()
    waiter.join(10)
    assert got == [True]


def test_limits_moving_window_rate_limiter():
    with fakeredis.patch():
        storage = limits.storage.storage_from_string("redis://ratelimit.internal:6379")
        limiter = limits.strategies.MovingWindowRateLimiter(storage)
        rate = limits.parse("3/minute")
        assert [limiter.hit(rate, "user") for _ in range(4)] == [True, True, True, False]


def test_limits_fixed_window_rate_limiter():
    with fakeredis.patch():
        storage = limits.storage.storage_from_string("redis://ratelimit.internal:6379")
        limiter = limits.strategies.FixedWindowRateLimiter(storage)
        rate = limits.parse("2/second")
        assert [limiter.hit(rate, "k") for _ in range(3)] == [True, True, False]


def test_rq_enqueue_and_run_a_job_in_a_burst_worker():
    connection = fakeredis.FakeRedis()
    queue = rq.Queue("default", connection=connection)
    job = queue.enqueue(add, 2, 3)
    worker = rq.SimpleWorker([queue], connection=connection)
    assert worker.work(burst=True)
    job.refresh()
    assert job.get_status() == rq.job.JobStatus.FINISHED
    assert job.return_value() == 5
