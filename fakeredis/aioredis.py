"""PyPI fakeredis's older asyncio names: ``from fakeredis import aioredis; aioredis.FakeRedis()``."""

from fakeredis.client.aio import FakeAsyncConnection, FakeAsyncRedis

FakeRedis = FakeAsyncRedis
FakeConnection = FakeAsyncConnection

__all__ = ["FakeAsyncConnection", "FakeConnection", "FakeRedis"]
