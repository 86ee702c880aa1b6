"""EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, SCRIPT (Redis's eval.c), FUNCTION, FCALL, FCALL_RO
(functions.c). The Lua side is in :mod:`fakeredis.scripting`."""

from __future__ import annotations

import time
from typing import Any

from fakeredis import errors
from fakeredis.args import parse_int
from fakeredis.errors import ReplyError
from fakeredis.registry import command, container
from fakeredis.replies import OK, SetReply, Status
from fakeredis.structures.glob import glob_match
from fakeredis.scripting.lua import LuaEngine, parse_shebang
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


def parse_numkeys(numkeys: bytes, args: tuple[bytes, ...],
                  error: str = errors.NOT_INTEGER) -> int:
    """The numkeys argument, checked against the number of arguments that follow it."""
    count = parse_int(numkeys, error)
    if count > len(args):
        raise ReplyError(errors.NUMKEYS_OVER_ARGS)
    if count < 0:
        raise ReplyError(errors.NUMKEYS_NEGATIVE)
    return count


def _run(ctx: Session, command_name: bytes, body_or_sha: bytes, numkeys: bytes,
         args: tuple[bytes, ...], by_sha: bool, read_only: bool) -> Any:
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
    if read_only and "shebang" in flags and "no-writes" not in flags:
        raise ReplyError(errors.SCRIPT_WRITE_FLAG_IN_RO)
    if "shebang" not in flags and ctx.server.replica_of is not None \
            and ctx.server.stale_replica():  # a script without flags never runs on one
        raise ReplyError(errors.MASTERDOWN)
    read_only = read_only or "no-writes" in flags
    argv = [command_name, body_or_sha, numkeys, *args]
    return lua.run(ctx, func, sha.decode(), count, args, read_only, argv)


def declared_script_flags(server: Any, argv: list[bytes]) -> frozenset[str] | None:
    """The flags EVAL*/FCALL* ``argv`` would run its script with, when declared: a shebang's or
    a function's. None when they are not (no shebang, an uncached SHA, a missing function, a bad
    shebang): the command's own flags apply and the script finds out itself."""
    name = argv[0].lower()
    lua = server.scripting
    if name.startswith(b"fcall"):
        function = None if lua is None else lua.functions.functions.get(argv[1])
        return None if function is None else frozenset(function.flags)
    if name.startswith(b"evalsha"):
        cached = None if lua is None else lua.scripts.get(argv[1].lower())
        flags = frozenset() if cached is None else cached[1]
    else:
        try:
            flags = parse_shebang(argv[1])[0]
        except ReplyError:
            return None
    return flags if "shebang" in flags else None


@command("eval", arity=-3, flags=_SCRIPT_FLAGS, key_finder=numkeys_keys, group="scripting",
         since="2.6.0")
def eval_(ctx: Session, script: bytes, numkeys: bytes, *args: bytes) -> Any:
    """Run a Lua script server side. Costs what the script does."""
    return _run(ctx, b"eval", script, numkeys, args, by_sha=False, read_only=False)


@command("evalsha", arity=-3, flags=_SCRIPT_FLAGS, key_finder=numkeys_keys, group="scripting",
         since="2.6.0")
def evalsha(ctx: Session, sha: bytes, numkeys: bytes, *args: bytes) -> Any:
    """Run a script cached by SCRIPT LOAD or EVAL, by its SHA1."""
    return _run(ctx, b"evalsha", sha, numkeys, args, by_sha=True, read_only=False)


@command("eval_ro", arity=-3, flags="readonly " + _SCRIPT_FLAGS, key_finder=numkeys_keys,
         group="scripting", since="7.0.0")
def eval_ro(ctx: Session, script: bytes, numkeys: bytes, *args: bytes) -> Any:
    """Run a read-only Lua script: write commands in it fail."""
    return _run(ctx, b"eval_ro", script, numkeys, args, by_sha=False, read_only=True)


@command("evalsha_ro", arity=-3, flags="readonly " + _SCRIPT_FLAGS, key_finder=numkeys_keys,
         group="scripting", since="7.0.0")
def evalsha_ro(ctx: Session, sha: bytes, numkeys: bytes, *args: bytes) -> Any:
    """Run a cached read-only script by its SHA1."""
    return _run(ctx, b"evalsha_ro", sha, numkeys, args, by_sha=True, read_only=True)


container("script", arity=-2, group="scripting", since="2.6.0")


@command("script|load", arity=3, flags="noscript stale", group="scripting", since="2.6.0")
def script_load(ctx: Session, script: bytes) -> bytes:
    """Compile a script into the cache; its SHA1."""
    return engine(ctx).load(script)[0]


@command("script|exists", arity=-3, flags="noscript", group="scripting", since="2.6.0",
         old_arity=("7.0.0", -2))
def script_exists(ctx: Session, *shas: bytes) -> list[int]:
    """1 or 0 for each SHA1: is it in the script cache. O(n)."""
    scripts = engine(ctx).scripts
    return [int(sha.lower() in scripts) for sha in shas]


@command("script|flush", arity=-2, flags="noscript", group="scripting", since="2.6.0",
         old_arity=("6.2.0", 2))
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
    if ctx.server.version < (6, 2, 0):
        raise ReplyError(errors.SCRIPT_DEBUG_MODE_BEFORE_6_2)
    raise ReplyError(errors.SCRIPT_DEBUG_MODE)


@command("script|help", arity=2, flags="loading stale", group="scripting", since="5.0.0")
def script_help(ctx: Session) -> list[bytes]:
    """SCRIPT's subcommands."""
    return [Status(line) for line in SCRIPT_HELP]


# --- functions -----------------------------------------------------------------------------------

FUNCTION_HELP = [
    b"FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    b"LOAD [REPLACE] <FUNCTION CODE>",
    b"    Create a new library with the given library name and code.",
    b"DELETE <LIBRARY NAME>",
    b"    Delete the given library.",
    b"LIST [LIBRARYNAME PATTERN] [WITHCODE]",
    b"    Return general information on all the libraries:",
    b"    * Library name",
    b"    * The engine used to run the Library",
    b"    * Library description",
    b"    * Functions list",
    b"    * Library code (if WITHCODE is given)",
    b"    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
    b"STATS",
    b"    Return information about the current function running:",
    b"    * Function name",
    b"    * Command used to run the function",
    b"    * Duration in MS that the function is running",
    b"    If no function is running, return nil",
    b"    In addition, returns a list of available engines.",
    b"KILL",
    b"    Kill the current running function.",
    b"FLUSH [ASYNC|SYNC]",
    b"    Delete all the libraries.",
    b"    When called without the optional mode argument, the behavior is determined by the",
    b"    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
    b"    * ASYNC: Asynchronously flush the libraries.",
    b"    * SYNC: Synchronously flush the libraries.",
    b"DUMP",
    b"    Return a serialized payload representing the current libraries, can be restored using "
    b"FUNCTION RESTORE command",
    b"RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
    b"    Restore the libraries represented by the given payload, it is possible to give a restore "
    b"policy to",
    b"    control how to handle existing libraries (default APPEND):",
    b"    * FLUSH: delete all existing libraries.",
    b"    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
    b"    * REPLACE: appends the restored libraries to the existing libraries, On collision, "
    b"replace the old",
    b"      libraries with the new libraries (notice that even on this option there is a chance "
    b"of failure",
    b"      in case of functions name collision with another library).",
    b"HELP",
    b"    Prints this help.",
]


def _fcall(ctx: Session, command_name: bytes, name: bytes, numkeys: bytes,
           args: tuple[bytes, ...], read_only: bool) -> Any:
    """The body of FCALL and FCALL_RO."""
    lua = engine(ctx)
    function = lua.functions.functions.get(name)
    if function is None:
        raise ReplyError(errors.FUNCTION_NOT_FOUND)
    count = parse_numkeys(numkeys, args, errors.FCALL_BAD_NUMKEYS)
    no_writes = "no-writes" in function.flags
    if read_only and not no_writes:
        raise ReplyError(errors.SCRIPT_WRITE_FLAG_IN_RO)
    argv = [command_name, name, numkeys, *args]
    return lua.run(ctx, function.callback, name.decode("utf-8", "replace"), count, args,
                   read_only or no_writes, argv, is_eval=False)


@command("fcall", arity=-3, flags=_SCRIPT_FLAGS, key_finder=numkeys_keys, group="scripting",
         since="7.0.0")
def fcall(ctx: Session, function: bytes, numkeys: bytes, *args: bytes) -> Any:
    """Call a function registered by FUNCTION LOAD. Costs what the function does."""
    return _fcall(ctx, b"fcall", function, numkeys, args, read_only=False)


@command("fcall_ro", arity=-3, flags="readonly " + _SCRIPT_FLAGS, key_finder=numkeys_keys,
         group="scripting", since="7.0.0")
def fcall_ro(ctx: Session, function: bytes, numkeys: bytes, *args: bytes) -> Any:
    """Call a function flagged no-writes."""
    return _fcall(ctx, b"fcall_ro", function, numkeys, args, read_only=True)


container("function", arity=-2, group="scripting", since="7.0.0")


@command("function|load", arity=-3, flags="write denyoom noscript", group="scripting",
         since="7.0.0")
def function_load(ctx: Session, *args: bytes) -> bytes:
    """Load a library (REPLACE to overwrite one of the same name); its name."""
    if len(args) == 2 and args[0].upper() == b"REPLACE":
        return engine(ctx).functions.load(args[1], replace=True)
    if len(args) != 1:
        raise ReplyError(errors.unknown_option(args[0]))
    return engine(ctx).functions.load(args[0], replace=False)


@command("function|delete", arity=3, flags="write noscript", group="scripting", since="7.0.0")
def function_delete(ctx: Session, name: bytes) -> Status:
    """Delete a library and its functions."""
    engine(ctx).functions.delete(name)
    return OK


@command("function|flush", arity=-2, flags="write noscript", group="scripting", since="7.0.0")
def function_flush(ctx: Session, *mode: bytes) -> Status:
    """Delete every library."""
    if len(mode) > 1 or (mode and mode[0].upper() not in (b"ASYNC", b"SYNC")):
        raise ReplyError(errors.FUNCTION_FLUSH_MODE)
    engine(ctx).functions.flush()
    return OK


@command("function|list", arity=-2, flags="noscript", group="scripting", since="7.0.0")
def function_list(ctx: Session, *args: bytes) -> list[dict[bytes, Any]]:
    """The libraries, their functions and (WITHCODE) code. O(libraries + functions)."""
    pattern = None
    with_code = False
    i = 0
    while i < len(args):
        word = args[i].upper()
        if word == b"WITHCODE":
            with_code = True
        elif word == b"LIBRARYNAME":
            if i + 1 >= len(args):
                raise ReplyError(errors.FUNCTION_LIST_NO_LIBRARY_NAME)
            i += 1
            pattern = args[i]
        else:
            raise ReplyError(errors.unknown_argument(args[i]))
        i += 1
    out = []
    for library in engine(ctx).functions.libraries.values():
        if pattern is not None and not glob_match(pattern, library.name):
            continue
        entry: dict[bytes, Any] = {
            b"library_name": library.name, b"engine": b"LUA",
            b"functions": [{b"name": f.name, b"description": f.description,
                            b"flags": SetReply(flag.encode() for flag in f.flags)}
                           for f in library.functions.values()],
        }
        if with_code:
            entry[b"library_code"] = library.code
        out.append(entry)
    return out


@command("function|dump", arity=2, flags="noscript", group="scripting", since="7.0.0")
def function_dump(ctx: Session) -> bytes:
    """Every library as a payload for FUNCTION RESTORE."""
    return engine(ctx).functions.dump()


@command("function|restore", arity=-3, flags="write denyoom noscript", group="scripting",
         since="7.0.0")
def function_restore(ctx: Session, payload: bytes, *policy: bytes) -> Status:
    """Load the libraries of a FUNCTION DUMP payload (APPEND, REPLACE or FLUSH first)."""
    mode = policy[0].upper() if policy else b"APPEND"
    if len(policy) > 1 or mode not in (b"APPEND", b"REPLACE", b"FLUSH"):
        raise ReplyError(errors.FUNCTION_RESTORE_POLICY)
    engine(ctx).functions.restore(payload, mode)
    return OK


@command("function|kill", arity=2, flags="noscript allow_busy", group="scripting",
         since="7.0.0")
def function_kill(ctx: Session) -> Status:
    """Stop the running function, if it has not written. Runs without the server lock."""
    return kill_running(ctx, is_eval=False)


@command("function|stats", arity=2, flags="noscript allow_busy", group="scripting",
         since="7.0.0")
def function_stats(ctx: Session) -> dict[bytes, Any]:
    """The running script or function, and library counts. Runs without the server lock."""
    server = ctx.server
    script = server.running_script
    running = None
    if script is not None:
        running = {b"name": script.name.encode(), b"command": list(script.argv),
                   b"duration_ms": int((time.monotonic() - script.started) * 1000)}
    lua = server.scripting
    libraries = len(lua.functions.libraries) if lua is not None else 0
    functions = len(lua.functions.functions) if lua is not None else 0
    return {b"running_script": running,
            b"engines": {b"LUA": {b"libraries_count": libraries, b"functions_count": functions}}}


@command("function|help", arity=2, flags="loading stale", group="scripting", since="7.0.0")
def function_help(ctx: Session) -> list[bytes]:
    """FUNCTION's subcommands."""
    return [Status(line) for line in FUNCTION_HELP]
