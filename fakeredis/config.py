"""Server configuration (CONFIG GET/SET): Redis 7.0's parameters, aliases and value checks."""

from __future__ import annotations

from typing import Callable

from fakeredis.config_defaults import DEFAULTS
from fakeredis.errors import ReplyError
from fakeredis.structures.glob import glob_match

# Old names Redis still answers to, and the name each stands for.
ALIASES: dict[str, str] = {
    "slaveof": "replicaof", "slave-serve-stale-data": "replica-serve-stale-data",
    "slave-read-only": "replica-read-only", "slave-ignore-maxmemory": "replica-ignore-maxmemory",
    "slave-lazy-flush": "replica-lazy-flush", "slave-priority": "replica-priority",
    "slave-announce-ip": "replica-announce-ip", "slave-announce-port": "replica-announce-port",
    "repl-ping-slave-period": "repl-ping-replica-period", "min-slaves-to-write": "min-replicas-to-write",
    "min-slaves-max-lag": "min-replicas-max-lag", "cluster-slave-validity-factor":
    "cluster-replica-validity-factor", "cluster-slave-no-failover": "cluster-replica-no-failover",
    "hash-max-ziplist-entries": "hash-max-listpack-entries", "hash-max-ziplist-value":
    "hash-max-listpack-value", "zset-max-ziplist-entries": "zset-max-listpack-entries",
    "zset-max-ziplist-value": "zset-max-listpack-value", "list-max-ziplist-size":
    "list-max-listpack-size", "lua-time-limit": "busy-reply-threshold",
}

_MEMORY_UNITS = {b"": 1, b"b": 1, b"k": 1000, b"kb": 1024, b"m": 1000**2, b"mb": 1024**2,
                 b"g": 1000**3, b"gb": 1024**3}
MEMORY_PARAMS = frozenset((
    "maxmemory", "proto-max-bulk-len", "client-query-buffer-limit", "repl-backlog-size",
    "auto-aof-rewrite-min-size", "active-defrag-ignore-bytes", "maxmemory-clients",
    "hll-sparse-max-bytes", "stream-node-max-bytes",
))
BOOL_PARAMS = frozenset(name for name, value in DEFAULTS.items() if value in (b"yes", b"no"))
INT_PARAMS = frozenset(
    name for name, value in DEFAULTS.items()
    if name not in MEMORY_PARAMS and value.lstrip(b"-").isdigit()
)
# Parameters CONFIG SET refuses at run time.
IMMUTABLE = frozenset(("databases", "daemonize", "io-threads", "unixsocket", "logfile", "aclfile",
                       "supervised", "pidfile", "cluster-enabled", "cluster-config-file"))


def canonical(name: str) -> str:
    """The primary name of a parameter (aliases resolved)."""
    return ALIASES.get(name, name)


def parse_memory(value: bytes) -> int | None:
    """``10mb`` -> 10485760, as Redis's memtoull reads it; None if invalid."""
    lowered = value.lower()
    digits = lowered.rstrip(b"kmgb")
    unit = lowered[len(digits):]
    if unit not in _MEMORY_UNITS or not digits.lstrip(b"-").isdigit():
        return None
    return int(digits) * _MEMORY_UNITS[unit]


class Config:
    """The parameters of one server. Values are kept as the bytes CONFIG GET returns."""

    def __init__(self, databases: int = 16) -> None:
        self.values: dict[str, bytes] = dict(DEFAULTS)
        self.values["databases"] = str(databases).encode()
        # parameter -> function told the new value (the server caches some values)
        self.listeners: dict[str, Callable[[bytes], None]] = {}

    def get_value(self, name: str) -> bytes:
        """The current value of a parameter (alias or primary name)."""
        return self.values[canonical(name)]

    def get_int(self, name: str) -> int:
        """A numeric parameter as an int."""
        return int(self.get_value(name))

    def matching(self, pattern: bytes) -> dict[bytes, bytes]:
        """Parameters (and aliases) whose name matches a glob pattern, with their values."""
        found: dict[bytes, bytes] = {}
        lowered = pattern.lower()
        for name in list(self.values) + list(ALIASES):
            bname = name.encode()
            if glob_match(lowered, bname):
                found[bname] = self.get_value(name)
        return found

    def validate(self, name: str, value: bytes) -> bytes:
        """The value to store for ``name``, or the ReplyError CONFIG SET gives."""
        primary = canonical(name)
        if primary not in self.values:
            raise ReplyError(f"ERR Unknown option or number of arguments for CONFIG SET - '{name}'")
        if primary in IMMUTABLE:
            raise _set_failed(name, "can't set immutable config")
        if primary in BOOL_PARAMS:
            if value.lower() not in (b"yes", b"no"):
                raise _set_failed(name, "argument must be 'yes' or 'no'")
            return value.lower()
        if primary in MEMORY_PARAMS:
            number = parse_memory(value)
            if number is None:
                raise _set_failed(name, "argument must be a memory value")
            return str(number).encode()
        if primary in INT_PARAMS:
            if not value.lstrip(b"-").isdigit():
                raise _set_failed(name, "argument couldn't be parsed into an integer")
            return str(int(value)).encode()
        return value

    def set(self, name: str, value: bytes) -> None:
        """Validate and store one parameter, then tell its listener."""
        primary = canonical(name)
        self.values[primary] = self.validate(name, value)
        listener = self.listeners.get(primary)
        if listener is not None:
            listener(self.values[primary])


def _set_failed(name: str, why: str) -> ReplyError:
    return ReplyError(f"ERR CONFIG SET failed (possibly related to argument '{name}') - {why}")
