"""Redis's glob-style patterns (KEYS, SCAN MATCH, PSUBSCRIBE, CONFIG GET), compiled to regexes."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable


def _translate_class(pattern: bytes, i: int) -> tuple[bytes, int]:
    """Translate a ``[...]`` class starting after '['; return (regex, index after it)."""
    n = len(pattern)
    negate = i < n and pattern[i:i + 1] == b"^"
    if negate:
        i += 1
    items: list[bytes] = []
    while i < n and pattern[i:i + 1] != b"]":
        char = pattern[i:i + 1]
        if char == b"\\" and i + 1 < n:
            i += 1
            char = pattern[i:i + 1]
            items.append(re.escape(char))
            i += 1
        elif i + 2 < n and pattern[i + 1:i + 2] == b"-" and pattern[i + 2:i + 3] != b"]":
            low, high = pattern[i], pattern[i + 2]
            if low > high:
                low, high = high, low
            items.append(re.escape(bytes([low])) + b"-" + re.escape(bytes([high])))
            i += 3
        else:
            items.append(re.escape(char))
            i += 1
    # an unterminated class ends at the end of the pattern, as in Redis
    i += 1
    body = b"".join(items)
    if not body:
        return (b"[^\\x00-\\xff]" if not negate else b"[\\x00-\\xff]"), i
    return b"[" + (b"^" if negate else b"") + body + b"]", i


@lru_cache(maxsize=256)
def compile_glob(pattern: bytes) -> Callable[[bytes], object]:
    """A function that tells whether bytes match ``pattern``; cached per pattern."""
    if pattern == b"*":
        return lambda _s: True
    parts: list[bytes] = []
    i, n = 0, len(pattern)
    while i < n:
        char = pattern[i:i + 1]
        if char == b"*":
            while i < n and pattern[i:i + 1] == b"*":
                i += 1
            parts.append(b".*")
            continue
        if char == b"?":
            parts.append(b".")
        elif char == b"[":
            regex, i = _translate_class(pattern, i + 1)
            parts.append(regex)
            continue
        elif char == b"\\" and i + 1 < n:
            i += 1
            parts.append(re.escape(pattern[i:i + 1]))
        else:
            parts.append(re.escape(char))
        i += 1
    return re.compile(b"".join(parts) + b"\\Z", re.DOTALL).match


def glob_match(pattern: bytes, subject: bytes) -> bool:
    """True when ``subject`` matches the Redis glob ``pattern``."""
    return compile_glob(pattern)(subject) is not None
