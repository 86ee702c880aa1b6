"""The one time source of a server.

Reads ``time.time()`` through the module attribute on every call, so freezegun and time-machine
move it, plus an offset that :meth:`Clock.advance` adds (``FakeServer.advance_time``).
"""

from __future__ import annotations

import time


class Clock:
    """Wall-clock time in milliseconds and seconds, shifted by a test-controlled offset."""

    __slots__ = ("offset",)

    def __init__(self) -> None:
        self.offset = 0.0

    def now(self) -> float:
        """Seconds since the epoch as a float."""
        return time.time() + self.offset

    def now_ms(self) -> int:
        """Milliseconds since the epoch. O(1)."""
        return int((time.time() + self.offset) * 1000)

    def now_us(self) -> int:
        """Microseconds since the epoch (TIME)."""
        return int((time.time() + self.offset) * 1_000_000)

    def advance(self, seconds: float) -> None:
        """Move this clock forward (or back, with a negative value)."""
        self.offset += seconds
