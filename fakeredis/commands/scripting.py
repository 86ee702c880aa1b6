"""EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT (Redis's eval.c); FUNCTION/FCALL in functions.py."""

from __future__ import annotations

from typing import Any

from fakeredis import errors
from fakeredis.args import parse_int
from fakeredis.errors import ReplyError
from fakeredis.registry import command, container
from fakeredis.replies import OK, Status
from fakeredis.scripting.lua import LuaEngine
from fakeredis.session import Session

_SCRIPT_FLAGS = "noscript stale skip_monitor no_mandatory_keys"

SCRIPT_HELP = [
    b"SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    b"DEBUG (YES|SYNC|NO)",
    b"    Set the debug mode for subsequent scripts executed.",
    b"EXISTS <sha1> [<sha1> ...]",
    b"    Return information about the existence of the scripts in the script cache.",
    b"FLUSH [ASYNC|SYNC]",
    b"    Flush the Lua scripts cache. Very dangerous on replicas.",
    b"    When called without the optional mode argument, the behavior is determined by the",
    b"    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
    b"    * ASYNC: Asynchronously flush the scripts cache.",
    b"    * SYNC: Synchronously flush the scripts cache.",
    b"KILL",
    b"    Kill the currently executing Lua script.",
    b"LOAD <script>",
    b"    Load a script into the scripts cache without executing it.",
    b"HELP",
    b"    Prints this help.",
]


def engine(ctx: Session) -> LuaEngine:
    """The server's Lua engine, created on first use."""
    server = ctx.server
    if server.scripting is None:
        server.scripting = LuaEngine(server)
    return server.scripting


def numkeys_keys(argv: list[bytes]) -> list[int]:
    """Key positions of EVAL-like commands: numkeys at argv[2], keys after it."""
    try:
        count = int(argv[2])
    except (ValueError, IndexError):
        return []
    return list(range(3, 3 + max(0, min(count, len(argv) - 3))))


def parse_numkeys(numkeys: bytes, args: tuple[bytes, ...]) -> int:
    """The numkeys argument, checked against the number of arguments that follow it."""
    count = parse_int(numkeys)
    if count > len(args):
        raise ReplyError(errors.NUMKEYS_TOO_BIG)
    if count < 0:
        raise ReplyError(errors.NUMKEYS_NEGATIVE)
    return count


def _run(ctx: Session, body_or_sha: bytes, numkeys: bytes, args: tuple[bytes, ...],
         by_sha: bool, read_only: bool) -> Any:
    """The body shared by the four EVAL commands."""
    lua = engine(ctx)
    if by_sha:
        if len(body_or_sha) != 40:
            raise ReplyError(errors.NOSCRIPT)
        count = parse_numkeys(numkeys, args)
        sha = body_or_sha.lower()
        cached = lua.scripts.get(sha)
        if cached is None:
            raise ReplyError(errors.NOSCRIPT)
        func, flags = cached
    else:
        count = parse_numkeys(numkeys, args)
        sha, func, flags = lua.load(body_or_sha)
    read_only = read_only or "no-writes" in flags
    return lua.run(ctx, func, sha.decode(), count, args, read_only)


@command("eval", arity=-3, flags=_SCRIPT_FLAGS, key_finder=numkeys_keys, group="scripting",
         since="2.6.0")
def eval_(ctx: Session, script: bytes, numkeys: bytes, *args: bytes) -> Any:
    """Run a Lua script server side. Costs what the script does."""
    return _run(ctx, script, numkeys, args, by_sha=False, read_only=False)


@command("evalsha", arity=-3, flags=_SCRIPT_FLAGS, key_finder=numkeys_keys, group="scripting",
         since="2.6.0")
def evalsha(ctx: Session, sha: bytes, numkeys: bytes, *args: bytes) -> Any:
    """Run a script cached by SCRIPT LOAD or EVAL, by its SHA1."""
    return _run(ctx, sha, numkeys, args, by_sha=True, read_only=False)


@command("eval_ro", arity=-3, flags="readonly " + _SCRIPT_FLAGS, key_finder=numkeys_keys,
         group="scripting", since="7.0.0")
def eval_ro(ctx: Session, script: bytes, numkeys: bytes, *args: bytes) -> Any:
    """Run a read-only Lua script: write commands in it fail."""
    return _run(ctx, script, numkeys, args, by_sha=False, read_only=True)


@command("evalsha_ro", arity=-3, flags="readonly " + _SCRIPT_FLAGS, key_finder=numkeys_keys,
         group="scripting", since="7.0.0")
def evalsha_ro(ctx: Session, sha: bytes, numkeys: bytes, *args: bytes) -> Any:
    """Run a cached read-only script by its SHA1."""
    return _run(ctx, sha, numkeys, args, by_sha=True, read_only=True)


container("script", arity=-2, group="scripting", since="2.6.0")


@command("script|load", arity=3, flags="noscript stale", group="scripting", since="2.6.0")
def script_load(ctx: Session, script: bytes) -> bytes:
    """Compile a script into the cache; its SHA1."""
    return engine(ctx).load(script)[0]


@command("script|exists", arity=-3, flags="noscript", group="scripting", since="2.6.0")
def script_exists(ctx: Session, *shas: bytes) -> list[int]:
    """1 or 0 for each SHA1: is it in the script cache. O(n)."""
    scripts = engine(ctx).scripts
    return [int(sha.lower() in scripts) for sha in shas]


@command("script|flush", arity=-2, flags="noscript", group="scripting", since="2.6.0")
def script_flush(ctx: Session, *mode: bytes) -> Status:
    """Empty the script cache."""
    if len(mode) > 1 or (mode and mode[0].upper() not in (b"ASYNC", b"SYNC")):
        raise ReplyError(errors.SCRIPT_FLUSH_MODE)
    engine(ctx).flush()
    return OK


@command("script|kill", arity=2, flags="noscript allow_busy", group="scripting", since="2.6.0")
def script_kill(ctx: Session) -> Status:
    """Stop the running EVAL script, if it has not written. Runs without the server lock."""
    return kill_running(ctx, is_eval=True)


def kill_running(ctx: Session, is_eval: bool) -> Status:
    """SCRIPT KILL / FUNCTION KILL: flag the running script so its Lua hook aborts it."""
    script = ctx.server.running_script
    if script is None:
        raise ReplyError(errors.NOTBUSY)
    if script.wrote:
        raise ReplyError(errors.UNKILLABLE)
    if script.is_eval != is_eval:
        raise ReplyError(errors.BUSY_FUNCTION if is_eval else errors.BUSY_SCRIPT)
    script.killed = True
    return OK


@command("script|debug", arity=3, flags="noscript", group="scripting", since="3.2.0")
def script_debug(ctx: Session, mode: bytes) -> Status:
    """The Lua debugger is not simulated: only SCRIPT DEBUG NO is accepted."""
    if mode.upper() == b"NO":
        return OK
    if mode.upper() in (b"YES", b"SYNC"):
        raise ReplyError(errors.SCRIPT_DEBUG_UNSUPPORTED)
    raise ReplyError(errors.SCRIPT_DEBUG_MODE)


@command("script|help", arity=2, flags="loading stale", group="scripting", since="5.0.0")
def script_help(ctx: Session) -> list[bytes]:
    """SCRIPT's subcommands."""
    return [Status(line) for line in SCRIPT_HELP]
