"""Helpers shared by conformance tests."""

from __future__ import annotations

from typing import Any

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
