"""The Lua 5.1 runtime of one FakeServer (lupa): sandbox, script cache, redis.* API, conversions.

The Lua side lives in ``glue.lua``; this module runs commands for ``redis.call`` and converts
values both ways exactly as Redis 7.0 does. One :class:`LuaEngine` per server, created on first use.
"""

from __future__ import annotations

import hashlib
import logging
import time
from pathlib import Path
from typing import Any

try:
    from lupa import lua51 as lupa
except ImportError:  # lupa 1.x: one Lua, hopefully 5.1
    import lupa  # type: ignore[no-redef]

from fakeredis import errors
from fakeredis.errors import ReplyError
from fakeredis.replies import BigNumber, NullArray, SetReply, Status, Verbatim, format_double
from fakeredis.scripting import libs
from fakeredis.scripting.functions import FunctionLibraries
from fakeredis.server import Waiter

log = logging.getLogger("fakeredis.lua")
log.addHandler(logging.NullHandler())  # redis.log goes to the server log, not to stderr

_GLUE = (Path(__file__).parent / "glue.lua").read_bytes()
_LOG_LEVELS = (logging.DEBUG, logging.DEBUG, logging.INFO, logging.WARNING)
_INT64_MIN = -(1 << 63)
INT32_MAX = (1 << 31) - 1


def sha1hex(data: bytes) -> bytes:
    """Lower-case hex SHA1, as SCRIPT LOAD returns it."""
    return hashlib.sha1(data).hexdigest().encode()


def lua_number_to_int(value: float) -> int:
    """A Lua number as Redis turns it into an integer reply: truncated, C's cast on overflow."""
    if value != value or not -9.3e18 < value < 9.3e18:
        return _INT64_MIN
    result = int(value)
    return result if -(1 << 63) <= result < (1 << 63) else _INT64_MIN


def _sanitize(text: bytes) -> str:
    """Error and status text as Redis sends them: CR and LF become spaces."""
    return text.decode("utf-8", "replace").replace("\r", " ").replace("\n", " ")


class Rand48:
    """Redis's redisLrand48 (a 48-bit LCG): the generator behind math.random in scripts."""

    __slots__ = ("x",)

    def __init__(self) -> None:
        self.x = 0x1234ABCD330E

    def seed(self, value: int) -> None:
        """redisSrand48."""
        self.x = 0x330E | ((value & 0xFFFFFFFF) << 16)

    def next(self) -> int:
        """The next 31-bit value."""
        self.x = (0x5DEECE66D * self.x + 0xB) & 0xFFFFFFFFFFFF
        return self.x >> 17


class CallError(Exception):
    """redis.call's error reply, raised into the script (glue.lua turns it into an error table)."""

    __slots__ = ("text",)

    def __init__(self, text: bytes) -> None:
        super().__init__(text.decode("utf-8", "replace"))
        self.text = text


def _unwrap(error: Any) -> tuple[bytes | None, bool]:
    """An error from Python seen in Lua: (its text, whether it is a Redis error reply)."""
    if type(error) is CallError:
        return error.text, True
    if type(error) is libs.LibError:
        return str(error).encode(), False
    return None, False


def _lua_text(value: Any) -> bytes | None:
    """A string or number as Lua's tostring gives it; None for other types."""
    if type(value) is bytes:
        return value
    if type(value) is int:
        return b"%d" % value
    if type(value) is float:
        return b"%.14g" % value
    return None


def _redis_error_text(text: bytes) -> bytes:
    """redis.error_reply's text as Redis stores it: '-CODE msg' keeps its code, else ERR."""
    if not text.startswith(b"-"):
        text = b"-" + text
    code, space, message = text[1:].partition(b" ")
    if not space:
        return b"ERR " + code.strip(b"\r\n")
    return code + b" " + message.strip(b"\r\n")


class RunningScript:
    """What the server knows about the script being run (BUSY, SCRIPT KILL)."""

    __slots__ = ("session", "is_eval", "started", "killed", "wrote", "read_only", "resp", "name",
                 "argv")

    def __init__(self, session: Any, is_eval: bool, read_only: bool, name: str,
                 argv: list[bytes]) -> None:
        self.session = session
        self.name = name
        self.argv = argv
        self.is_eval = is_eval
        self.started = time.monotonic()
        self.killed = False
        self.wrote = False
        self.read_only = read_only
        self.resp = 2


class LuaEngine:
    """One Lua state for a server: compiled scripts by SHA1 and the running script's context."""

    def __init__(self, server: Any) -> None:
        self.server = server
        self.lua = lupa.LuaRuntime(encoding=None, unpack_returned_tuples=True,
                                   register_eval=False, register_builtins=False,
                                   attribute_handlers=(_no_attribute, _no_attribute))
        self.rand = Rand48()
        self.scripts: dict[bytes, tuple[Any, frozenset[str]]] = {}
        self.state: RunningScript | None = None
        # command name as called -> (command, first argument index), for plain script-safe ones
        self._checked: dict[bytes, tuple[Any, int]] = {}
        version = ".".join(str(p) for p in server.version).encode()
        major, minor, patch = server.version[:3]
        py = self.lua.table_from({
            b"call": self._redis_call, b"pcall": self._redis_pcall, b"unwrap": _unwrap,
            b"error_reply": self._error_reply_fn, b"status_reply": self._status_reply,
            b"sha1hex": _sha1hex, b"log": _log, b"setresp": self._setresp,
            b"set_repl": _set_repl, b"acl_check_cmd": self._acl_check, b"random": self._random,
            b"randomseed": self._randomseed, b"check": self._check, b"version": version,
            b"version_num": (major << 16) | (minor << 8) | patch,
        })
        loader = self.lua.eval(b"function(src) return assert(loadstring(src, '=fakeredis')) end")
        self.api = loader(_GLUE)(py, libs.install(self.lua, lupa.lua_type))
        self._run = self.api.run
        self._call_function = self.api.call_function
        self.functions = FunctionLibraries(self)
        self._shape = self.api.shape
        self._table = self.lua.table_from
        self._lua_type = lupa.lua_type

    # --- compiling ---------------------------------------------------------------------------------
    def compile(self, source: bytes, chunkname: bytes = b"@user_script") -> Any:
        """A compiled chunk in the sandbox, or the compile error."""
        func, err = self.api.compile(source, chunkname)
        if func is None:
            raise ReplyError(errors.script_compile_error(_sanitize(err)))
        return func

    def load(self, body: bytes) -> tuple[bytes, Any, frozenset[str]]:
        """Compile (or find cached) an EVAL script: its sha, function and shebang flags."""
        sha = sha1hex(body)
        cached = self.scripts.get(sha)
        if cached is None:
            flags, source = parse_shebang(body)
            cached = self.scripts[sha] = (self.compile(source), flags)
        return sha, cached[0], cached[1]

    def flush(self) -> None:
        """SCRIPT FLUSH: forget every cached script."""
        self.scripts.clear()

    # --- running -----------------------------------------------------------------------------------
    def run(self, ctx: Any, func: Any, name: str, numkeys: int, args: tuple[bytes, ...],
            read_only: bool, argv: list[bytes], is_eval: bool = True) -> Any:
        """Run an EVAL script (KEYS/ARGV) or a function (keys, args) for ``ctx``; its reply."""
        server = self.server
        state = RunningScript(ctx, is_eval, read_only, name, argv)
        saved = self.state, ctx.db, ctx.protocol, ctx.in_script
        self.state = server.running_script = state
        ctx.protocol = 2
        ctx.in_script = True
        try:
            entry = self._run if is_eval else self._call_function
            result = entry(func, numkeys, *args)
        finally:
            self.state, ctx.db, ctx.protocol, ctx.in_script = saved
            server.running_script = None
        if not result[0]:
            return self._error_reply(result[1], name)
        if result[1]:
            return self._shaped(result[2:], state.resp)
        return self.to_reply(result[2], state.resp)

    def _error_reply(self, err: Any, name: str) -> ReplyError:
        """The reply to a script that raised an error."""
        text, source, line = self.api.error_info(err)
        message = _sanitize(text) if text is not None else "ERR unknown error"
        if source is not None and line is not None:
            message += f" script: {name}, on {_sanitize(source)}:{line}."
        return ReplyError(message)

    # --- Lua -> Redis ------------------------------------------------------------------------------
    def to_reply(self, value: Any, resp: int) -> Any:
        """A Lua value as Redis turns it into a reply (Lua number -> integer, false -> nil ...)."""
        kind = type(value)
        if kind is bytes or kind is int:
            return value
        if kind is float:
            return lua_number_to_int(value)
        if kind is bool:
            if resp == 3:
                return value
            return 1 if value else None
        if value is None or self._lua_type(value) != "table":
            return None
        shape = self._shape(value)
        return self._shaped(shape if type(shape) is tuple else (shape,), resp)

    def _shaped(self, shape: tuple[Any, ...], resp: int) -> Any:
        """The reply for a Lua table, from its shape (see api.shape in glue.lua)."""
        code = shape[0]
        if code == 0:
            return [self.to_reply(v, resp) for v in shape[1:]]
        if code == 1:
            return ReplyError(_sanitize(shape[1]))
        if code == 2:
            text = shape[1]
            if b"\r" in text or b"\n" in text:
                text = _sanitize(text).encode()
            return Status(text)
        if code == 3:
            return float(shape[1])
        if code == 4:
            return _big_number(shape[1])
        if code == 5:
            items = shape[1:]
            return {self._key(items[i], resp): self.to_reply(items[i + 1], resp)
                    for i in range(0, len(items), 2)}
        if code == 6:
            return SetReply(self.to_reply(v, resp) for v in shape[1:])
        if code == 7:
            return Verbatim(shape[2])
        return self._long_array(shape[2], shape[1], resp)

    def _key(self, key: Any, resp: int) -> Any:
        """A map key as a hashable reply value."""
        reply = self.to_reply(key, resp)
        return reply if not isinstance(reply, list) else tuple(reply)

    def _long_array(self, table: Any, length: int, resp: int) -> list[Any]:
        """An array too long to unpack in one call, fetched in slices."""
        out: list[Any] = []
        for start in range(1, length + 1, 4000):
            chunk = self.api.slice(table, start, min(start + 3999, length))
            if type(chunk) is not tuple:
                chunk = (chunk,)
            out.extend(self.to_reply(v, resp) for v in chunk)
        return out

    # --- Redis -> Lua ------------------------------------------------------------------------------
    def to_lua(self, reply: Any) -> Any:
        """A reply as redis.call returns it to the script, for the script's RESP version."""
        kind = type(reply)
        if kind is bytes or kind is int:
            return reply
        if kind is Status:
            return self.api.status(bytes(reply))
        if kind is ReplyError:
            return self.api.error(reply.text.encode())
        resp3 = self.state is not None and self.state.resp == 3
        if reply is None or kind is NullArray:
            return None if resp3 else False
        if kind is list:
            return self._table([self.to_lua(v) for v in reply])
        if kind is SetReply:
            if resp3:
                return self._table({b"set": self._table({self.to_lua(v): True for v in reply})})
            return self._table([self.to_lua(v) for v in reply])
        if kind is dict:
            if resp3:
                return self._table({b"map": self._table(
                    {self.to_lua(k): self.to_lua(v) for k, v in reply.items()})})
            flat: list[Any] = []
            for k, v in reply.items():
                flat.append(self.to_lua(k))
                flat.append(self.to_lua(v))
            return self._table(flat)
        if kind is bool:
            return reply if resp3 else int(reply)
        if kind is float:
            return self._table({b"double": reply}) if resp3 else format_double(reply)
        if kind is BigNumber:
            text = str(int(reply)).encode()
            return self._table({b"big_number": text}) if resp3 else text
        if kind is Verbatim:
            if resp3:
                return self._table({b"verbatim_string": self._table(
                    {b"format": b"txt", b"string": bytes(reply)})})
            return bytes(reply)
        if isinstance(reply, list):
            return self._table([self.to_lua(v) for v in reply])
        return bytes(reply) if isinstance(reply, bytes) else reply

    # --- redis.call --------------------------------------------------------------------------------
    def _redis_call(self, *args: Any) -> Any:
        """redis.call: run one command; an error reply is raised into the script."""
        try:
            reply = self._execute(_argv(args))
        except ReplyError as exc:
            raise CallError(exc.text.encode()) from None
        kind = type(reply)
        if kind is bytes or kind is int:
            return reply
        if kind is ReplyError:
            raise CallError(reply.text.encode())
        return self.to_lua(reply)

    def _redis_pcall(self, *args: Any) -> Any:
        """redis.pcall: run one command; an error reply is returned as an {err=...} table."""
        try:
            reply = self._execute(_argv(args))
        except ReplyError as exc:
            reply = exc
        kind = type(reply)
        if kind is bytes or kind is int:
            return reply
        return self.to_lua(reply)

    def _execute(self, argv: list[bytes]) -> Any:
        """Look up and check a command the way scripts may call it, then run it."""
        state = self.state
        server = self.server
        known = self._checked.get(argv[0])
        if known is None:
            cmd, args_from = self._check_command(argv)
        else:
            cmd, args_from = known
            if not cmd.arity_ok(len(argv)):
                raise ReplyError(errors.SCRIPT_WRONG_ARITY)
        if state.session.acl_restricted:
            denied = server.acl.check_script(state.session, cmd, argv)
            if denied is not None:
                raise ReplyError(denied)
        if cmd.is_write:
            if state.read_only:
                raise ReplyError(errors.SCRIPT_WRITE_IN_READ_ONLY)
            if server.replica_of is not None and server.read_only_replica():
                raise ReplyError(errors.READONLY_REPLICA)
            state.wrote = True
        if server.replica_of is not None and "stale" not in cmd.flags and server.stale_replica():
            raise ReplyError(errors.SCRIPT_STALE_REPLICA)
        reply = server.call(state.session, cmd, argv, args_from)
        if type(reply) is Waiter:  # a blocking command never blocks in a script
            reply.finish(reply.timeout_reply)
            reply = reply.result
        return reply

    def _check_command(self, argv: list[bytes]) -> tuple[Any, int]:
        """Look up a command as scripts may call it; plain commands are remembered by name."""
        server = self.server
        cmd = server.lookup_command(argv[0])
        if cmd is None:
            raise ReplyError(errors.SCRIPT_UNKNOWN_COMMAND)
        if not cmd.arity_ok(len(argv)):
            raise ReplyError(errors.SCRIPT_WRONG_ARITY)
        if not cmd.subcommands:
            if "noscript" in cmd.flags:
                raise ReplyError(errors.SCRIPT_NOT_ALLOWED)
            self._checked[argv[0]] = (cmd, 1)
            return cmd, 1
        sub = cmd.subcommands.get(argv[1].lower())
        if sub is None or not server.subcommand_known(sub):
            raise ReplyError(errors.unknown_subcommand(argv[1], cmd.name))
        if not sub.arity_ok(len(argv)):
            raise ReplyError(errors.SCRIPT_WRONG_ARITY)
        if "noscript" in sub.flags:
            raise ReplyError(errors.SCRIPT_NOT_ALLOWED)
        return sub, 2

    # --- other redis.* functions ---------------------------------------------------------------
    def _error_reply_fn(self, *args: Any) -> Any:
        """redis.error_reply(text): an {err=...} table."""
        if len(args) != 1 or type(args[0]) is not bytes:
            return self.api.error(errors.LUA_WRONG_ARGS_OR_TYPE.encode())
        return self.api.error(_redis_error_text(args[0]))

    def _status_reply(self, *args: Any) -> Any:
        """redis.status_reply(text): an {ok=...} table."""
        if len(args) != 1 or type(args[0]) is not bytes:
            return self.api.error(errors.LUA_WRONG_ARGS_OR_TYPE.encode())
        return self.api.status(args[0])

    def _setresp(self, *args: Any) -> None:
        """redis.setresp: the protocol of replies redis.call hands the script."""
        if len(args) != 1:
            raise CallError(errors.LUA_SETRESP_ARGS.encode())
        if args[0] not in (2, 3) or type(args[0]) is bool:
            raise CallError(errors.LUA_SETRESP_VERSION.encode())
        self.state.resp = int(args[0])
        self.state.session.protocol = int(args[0])

    def _acl_check(self, *args: Any) -> bool:
        """redis.acl_check_cmd: whether the script's user may run this command with these args."""
        if not args:
            raise CallError(errors.SCRIPT_NO_ARGUMENTS.encode())
        cmd = self.server.lookup_command(args[0]) if type(args[0]) is bytes else None
        argv = _argv(args)
        if cmd is not None and cmd.subcommands and len(argv) > 1:
            cmd = cmd.subcommands.get(argv[1].lower())
        if cmd is None:
            raise CallError(errors.LUA_ACL_CHECK_COMMAND.encode())
        session = self.state.session
        return not session.acl_restricted or not self.server.acl.denial(session, cmd, argv)[0]

    def _random(self, *bounds: Any) -> float:
        """math.random with Redis's generator."""
        r = (self.rand.next() % INT32_MAX) / INT32_MAX
        if not bounds:
            return r
        if len(bounds) == 1:
            upper = _c_int(bounds[0])
            if upper < 1:
                raise libs.LibError("bad argument #1 to 'random' (interval is empty)")
            return float(int(r * upper) + 1)
        if len(bounds) == 2:
            low, high = _c_int(bounds[0]), _c_int(bounds[1])
            if low > high:
                raise libs.LibError("bad argument #2 to 'random' (interval is empty)")
            return float(int(r * (high - low + 1)) + low)
        raise libs.LibError("wrong number of arguments")

    def _randomseed(self, seed: Any) -> None:
        """math.randomseed."""
        self.rand.seed(_c_int(seed))

    def _check(self) -> bool:
        """Called from the Lua count hook: True when SCRIPT KILL asked to stop."""
        return self.state is not None and self.state.killed


def _no_attribute(*args: Any) -> Any:
    """Scripts never reach the attributes of a Python object (an error, cjson.null)."""
    raise libs.LibError("attempt to index a userdata value")


def _c_int(value: Any) -> int:
    """A Lua number as luaL_checkint makes it a C int: truncated, wrapped to 32 bits."""
    n = lua_number_to_int(float(value)) & 0xFFFFFFFF
    return n - (1 << 32) if n & 0x80000000 else n


def _sha1hex(*args: Any) -> bytes:
    """redis.sha1hex(text)."""
    if len(args) != 1:
        raise CallError(errors.LUA_WRONG_ARGS.encode())
    return sha1hex(_lua_text(args[0]) or b"")


def _log(*args: Any) -> None:
    """redis.log(level, message ...)."""
    if len(args) < 2:
        raise CallError(errors.LUA_LOG_ARGS.encode())
    level = args[0]
    if type(level) not in (int, float) or not 0 <= level <= 3:
        raise CallError(errors.LUA_LOG_LEVEL.encode())
    parts = [text for text in map(_lua_text, args[1:]) if text is not None]
    log.log(_LOG_LEVELS[int(level)], "%s", b" ".join(parts).decode("utf-8", "replace"))


def _set_repl(*args: Any) -> None:
    """redis.set_repl(flags): replication is not simulated; the flags are checked."""
    if len(args) != 1:
        raise CallError(errors.LUA_SET_REPL_ARGS.encode())
    if type(args[0]) not in (int, float) or not 0 <= args[0] <= 3:
        raise CallError(errors.LUA_SET_REPL_FLAGS.encode())


def _argv(args: tuple[Any, ...]) -> list[bytes]:
    """redis.call's arguments as argv: strings as they are, numbers as Redis formats them."""
    if not args:
        raise ReplyError(errors.SCRIPT_NO_ARGUMENTS)
    argv = []
    for arg in args:
        kind = type(arg)
        if kind is bytes:
            argv.append(arg)
        elif kind is int:
            argv.append(b"%d" % arg)
        elif kind is float:
            argv.append(b"%.17g" % arg if arg == arg else b"nan")
        else:
            raise ReplyError(errors.SCRIPT_BAD_ARGUMENT)
    return argv


def _big_number(text: bytes) -> Any:
    """A big number reply from its text (kept as bulk text if it is not an integer)."""
    try:
        return BigNumber(int(text))
    except ValueError:
        return bytes(text)


SHEBANG_FLAGS = frozenset(("no-writes", "allow-oom", "allow-stale", "no-cluster",
                           "allow-cross-slot-keys"))


def parse_shebang(body: bytes) -> tuple[frozenset[str], bytes]:
    """The flags of a ``#!lua flags=...`` first line, and the source to compile (same lines)."""
    if not body.startswith(b"#!"):
        return frozenset(), body
    end = body.find(b"\n")
    if end < 0:
        raise ReplyError(errors.SCRIPT_INVALID_SHEBANG)
    words = body[:end].split()
    if words[0] != b"#!lua":
        raise ReplyError(errors.script_unexpected_engine(_sanitize(words[0])))
    flags: set[str] = set()
    for option in words[1:]:
        if not option.startswith(b"flags="):
            raise ReplyError(errors.script_unknown_shebang_option(_sanitize(option)))
        for flag in option[6:].split(b","):
            if not flag:
                continue
            name = flag.decode("utf-8", "replace")
            if name not in SHEBANG_FLAGS:
                raise ReplyError(errors.script_unexpected_flag(name))
            flags.add(name)
    return frozenset(flags) | {"shebang"}, b"--" + body
