"""Server configuration (CONFIG GET/SET): Redis 7.0's parameters, aliases and value checks.

How each parameter is checked comes from :data:`fakeredis.config_defaults.SPECS`; the few
parameters with a syntax of their own (save, notify-keyspace-events ...) are checked here.
"""

from __future__ import annotations

from typing import Any, Callable

from fakeredis.args import is_float, try_int
from fakeredis.config_defaults import DEFAULTS, SPECS
from fakeredis import errors
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
_ULLONG_MAX = (1 << 64) - 1
_LLONG_MAX = (1 << 63) - 1
# notify-keyspace-events: the letters A stands for, then every letter in Redis's print order.
NOTIFY_ALL = "g$lshzxetd"
NOTIFY_LETTERS = NOTIFY_ALL + "nKEm"
_HZ_MIN, _HZ_MAX = 1, 500


def canonical(name: str) -> str:
    """The primary name of a parameter (aliases resolved)."""
    return ALIASES.get(name, name)


def parse_memory(value: bytes) -> int | None:
    """``10mb`` -> 10485760, as Redis's memtoull reads it (``""`` is 0); None if invalid."""
    lowered = value.lower()
    digits = lowered.rstrip(b"kmgb")
    unit = lowered[len(digits):]
    if unit not in _MEMORY_UNITS or not (digits.isdigit() or digits == b""):
        return None
    return min(int(digits or b"0") * _MEMORY_UNITS[unit], _ULLONG_MAX)


def notify_flags(value: bytes) -> str | None:
    """The event-class letters that notify-keyspace-events enables (A expanded); None if invalid."""
    letters: set[str] = set()
    for char in value.decode("latin-1"):
        if char == "A":
            letters.update(NOTIFY_ALL)
        elif char in NOTIFY_LETTERS:
            letters.add(char)
        else:
            return None
    return "".join(c for c in NOTIFY_LETTERS if c in letters)


def notify_string(flags: str) -> str:
    """notify-keyspace-events as CONFIG GET prints it (Redis's order; A for all classes)."""
    if all(c in flags for c in NOTIFY_ALL):
        text = "A"
    else:
        text = "".join(c for c in NOTIFY_ALL + "n" if c in flags)
    return text + "".join(c for c in "KEm" if c in flags)


def _int_value(name: str, value: bytes, low: int, high: int) -> bytes:
    number = try_int(value)
    if number is None:
        raise _set_failed(name, errors.CONFIG_NOT_INTEGER)
    if not low <= number <= high:
        raise _set_failed(name, errors.config_range(low, high))
    if canonical(name) == "hz":
        number = min(max(number, _HZ_MIN), _HZ_MAX)
    return b"%d" % number


def _memory_value(name: str, value: bytes, low: int, high: int) -> bytes:
    number = parse_memory(value)
    if number is None:
        raise _set_failed(name, errors.CONFIG_NOT_MEMORY)
    if not low <= number <= high:
        raise _set_failed(name, errors.config_range(low, high))
    return b"%d" % number


def _enum_value(name: str, value: bytes, allowed: tuple[str, ...]) -> bytes:
    words = value.lower().decode("latin-1").split(" ")
    if len(words) != 1 and name not in ("shutdown-on-sigint", "shutdown-on-sigterm") \
            or any(word not in allowed for word in words):
        raise _set_failed(name, errors.config_enum(allowed))
    return " ".join(words).encode()


def _save_value(name: str, value: bytes) -> bytes:
    parts = value.split(b" ") if value else []
    numbers = [try_int(part) for part in parts]
    if len(parts) % 2 or any(n is None or n < 0 for n in numbers):
        raise _set_failed(name, errors.CONFIG_SAVE)
    return b" ".join(b"%d" % n for n in numbers if n is not None)


def _notify_value(name: str, value: bytes) -> bytes:
    flags = notify_flags(value)
    if flags is None:
        raise _set_failed(name, errors.CONFIG_NOTIFY_CLASS)
    return notify_string(flags).encode()


def _buffer_limits(name: str, value: bytes, current: bytes) -> bytes:
    """client-output-buffer-limit: merge ``class hard soft seconds`` groups into ``current``."""
    parts = value.split(b" ") if value else []
    if len(parts) % 4:
        raise _set_failed(name, errors.CONFIG_BUFFER_ARGS)
    old = current.split(b" ")
    limits = {old[i]: old[i + 1:i + 4] for i in range(0, len(old), 4)}
    for i in range(0, len(parts), 4):
        kind = parts[i].lower()
        kind = b"slave" if kind == b"replica" else kind
        if kind not in (b"normal", b"slave", b"pubsub"):
            raise _set_failed(name, errors.CONFIG_BUFFER_CLASS)
        numbers = [parse_memory(parts[i + 1]), parse_memory(parts[i + 2]), try_int(parts[i + 3])]
        if any(n is None or n < 0 for n in numbers):
            raise _set_failed(name, errors.CONFIG_BUFFER_VALUES)
        limits[kind] = [b"%d" % n for n in numbers if n is not None]
    return b" ".join(b" ".join([kind, *limits[kind]]) for kind in (b"normal", b"slave", b"pubsub"))


def _memory_or_percent(name: str, value: bytes) -> bytes:
    """maxmemory-clients: a memory value, or a percentage of maxmemory up to 100%."""
    if value.endswith(b"%") and value[:-1].isdigit():
        percent = int(value[:-1])
        if percent > 100:
            raise _set_failed(name, errors.CONFIG_PERCENT_OVER_100)
        return b"%d%%" % percent if percent else b"0"
    number = parse_memory(value)
    if number is None or number > _LLONG_MAX:
        raise _set_failed(name, errors.CONFIG_NOT_MEMORY_OR_PERCENT)
    return b"%d" % number


def _oom_score_values(name: str, value: bytes) -> bytes:
    """oom-score-adj-values: three integers between -2000 and 2000."""
    parts = value.split(b" ")
    if len(parts) != 3:
        raise _set_failed(name, errors.CONFIG_OOM_ARGS)
    numbers = [try_int(part) for part in parts]
    if any(n is None or not -2000 <= n <= 2000 for n in numbers):
        raise _set_failed(name, errors.CONFIG_OOM_RANGE)
    return b" ".join(b"%d" % n for n in numbers if n is not None)


def _percentiles(name: str, value: bytes) -> bytes:
    """latency-tracking-info-percentiles: numbers between 0 and 100, space separated."""
    numbers = [parse_float_or_none(part) for part in value.split(b" ")] if value else []
    if any(n is None for n in numbers):
        raise _set_failed(name, errors.CONFIG_PERCENTILES)
    if any(not 0 <= n <= 100 for n in numbers if n is not None):
        raise _set_failed(name, errors.CONFIG_PERCENTILES_RANGE)
    return " ".join(repr(n).removesuffix(".0") for n in numbers).encode()


def parse_float_or_none(text: bytes) -> float | None:
    """A finite number as strtod reads it, or None."""
    return float(text) if is_float(text) and b"inf" not in text.lower() else None


_SPECIAL: dict[str, Callable[[str, bytes], bytes]] = {
    "save": _save_value,
    "notify-keyspace-events": _notify_value,
    "maxmemory-clients": _memory_or_percent,
    "oom-score-adj-values": _oom_score_values,
    "latency-tracking-info-percentiles": _percentiles,
}


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
        """Parameters (and aliases) whose name matches a glob pattern, with their values. O(n)."""
        found: dict[bytes, bytes] = {}
        lowered = pattern.lower()
        if lowered.decode("latin-1") in self.values:  # an exact name is echoed as given
            return {pattern: self.get_value(lowered.decode("latin-1"))}
        for name in self.values:
            bname = name.encode()
            if glob_match(lowered, bname):
                found[bname] = self.get_value(name)
        return found

    def validate_name(self, name: str) -> tuple[Any, ...]:
        """How the parameter ``name`` (any case) is checked; Redis's error if it cannot be set."""
        spec = SPECS.get(canonical(name.lower()))
        if spec is None:
            raise ReplyError(errors.config_unknown(name))
        if spec[0] == "immutable":
            raise _set_failed(name, errors.CONFIG_IMMUTABLE)
        if spec[0] == "protected":
            raise _set_failed(name, errors.CONFIG_PROTECTED)
        return spec

    def validate(self, name: str, value: bytes) -> bytes:
        """The value to store for ``name`` (any case), or the ReplyError CONFIG SET gives."""
        spec = self.validate_name(name)
        primary = canonical(name.lower())
        kind = spec[0]
        if kind == "bool":
            if value.lower() not in (b"yes", b"no"):
                raise _set_failed(name, errors.CONFIG_NOT_BOOL)
            return value.lower()
        if kind == "int":
            return _int_value(name, value, spec[1], spec[2])
        if kind == "memory":
            return _memory_value(name, value, spec[1], spec[2])
        if kind in ("enum", "flags"):
            return _enum_value(name, value, spec[1:])
        if primary == "client-output-buffer-limit":
            return _buffer_limits(name, value, self.values[primary])
        special = _SPECIAL.get(primary)
        return special(name, value) if special is not None else value

    def set(self, name: str, value: bytes, startup: bool = False) -> None:
        """Validate and store one parameter; at ``startup`` (a config file) immutable ones too."""
        if startup and SPECS.get(canonical(name.lower()), ("",))[0] in ("immutable", "protected"):
            self.store(name, value)
        else:
            self.store(name, self.validate(name, value))

    def store(self, name: str, value: bytes) -> None:
        """Store a value :meth:`validate` returned, then tell its listener."""
        primary = canonical(name.lower())
        self.values[primary] = value
        listener = self.listeners.get(primary)
        if listener is not None:
            listener(value)


def _set_failed(name: str, why: str) -> ReplyError:
    return ReplyError(errors.config_set_failed(name, why))
