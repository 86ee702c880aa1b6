"""Neutral reply values: what command handlers return, before any protocol is chosen.

Plain Python values carry the common cases so the hot path allocates nothing extra:

=====================  =============================  ===================================
value                  RESP2                          RESP3
=====================  =============================  ===================================
``bytes``              bulk string                    bulk string
:class:`Status`        simple string (``+OK``)        simple string
``int``                integer                        integer
``bool``               integer 1 / 0                  boolean ``#t`` / ``#f``
``float``              bulk string, Redis's ``%.17g`` double ``,``
``None``               null bulk ``$-1``              null ``_``
:data:`NULL_ARRAY`     null array ``*-1``             null ``_``
``list``               array                          array
:class:`SetReply`      array                          set ``~``
``dict``               flat array of key, value       map ``%``
:class:`Verbatim`      bulk string                    verbatim string ``=txt:``
:class:`BigNumber`     bulk string                    big number ``(``
:class:`ReplyError`    error                          error
:class:`Push`          array                          push ``>``
=====================  =============================  ===================================
"""

from __future__ import annotations

from fakeredis.errors import ReplyError

__all__ = [
    "Status", "OK", "QUEUED", "PONG", "NULL_ARRAY", "NullArray", "SetReply", "Verbatim",
    "BigNumber", "Push", "ReplyError", "format_double", "NO_REPLY",
]


class Status(bytes):
    """A simple-string reply (``+OK``)."""

    __slots__ = ()


class NullArray:
    """The null array (``*-1`` in RESP2), distinct from the null bulk string."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NULL_ARRAY"

    def __bool__(self) -> bool:
        return False


class SetReply(list):
    """An array that RESP3 sends as a set (SMEMBERS, SINTER ...)."""

    __slots__ = ()


class Verbatim(bytes):
    """A verbatim text reply (INFO, CLIENT LIST in RESP3)."""

    __slots__ = ()


class BigNumber(int):
    """A big-number reply (RESP3 ``(``)."""

    __slots__ = ()


class Push(list):
    """An out-of-band push message (pub/sub messages, invalidations)."""

    __slots__ = ()


class NoReply:
    """What a command returns when it answers only through pushes (SUBSCRIBE ...)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NO_REPLY"


OK = Status(b"OK")
QUEUED = Status(b"QUEUED")
PONG = Status(b"PONG")
NULL_ARRAY = NullArray()
NO_REPLY = NoReply()


def format_double(value: float) -> bytes:
    """A double as Redis 7.0 prints it in replies: ``%.17g``, with ``inf``/``-inf``."""
    return b"%.17g" % value  # Python's %g spells infinities inf / -inf, as Redis does
