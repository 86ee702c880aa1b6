"""Helpers shared by the version-gating tests: run a command on a server of some version, and
the error replies older servers give."""

from __future__ import annotations

from typing import Any

from fakeredis import FakeServer
from fakeredis.errors import ReplyError

SYNTAX = ReplyError("ERR syntax error")


def run(server: FakeServer, *argv: Any) -> Any:
    """One command on a fresh session of ``server``."""
    return server.execute(server.new_session(), [str(a).encode() for a in argv])


def unknown(name: str, *args: str) -> ReplyError:
    """The reply of a server before 7.0 to a command it does not know."""
    shown = "".join(f"`{a}`, " for a in args)
    return ReplyError(f"ERR unknown command `{name}`, with args beginning with: {shown}")


def arity(name: str) -> ReplyError:
    """The reply to a wrong argument count."""
    return ReplyError(f"ERR wrong number of arguments for '{name}' command")


def unknown_subcommand(container: str, sub: str) -> ReplyError:
    """The reply of a server before 7.0 to an unknown subcommand or a wrong argument count."""
    return ReplyError(f"ERR Unknown subcommand or wrong number of arguments for '{sub}'. "
                      f"Try {container} HELP.")
