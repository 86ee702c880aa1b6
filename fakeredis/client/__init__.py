"""Adapters from redis-py (sync and asyncio) to the engine."""
