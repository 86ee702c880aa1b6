"""Connection commands: PING ECHO SELECT HELLO AUTH QUIT RESET and CLIENT."""

from __future__ import annotations

from typing import Any, Iterable

from fakeredis import errors
from fakeredis.args import OptionScanner, parse_int
from fakeredis.errors import ReplyError
from fakeredis.registry import check_added, command, container
from fakeredis.replies import NO_REPLY, OK, PONG, SetReply, Status, Verbatim
from fakeredis.session import Session
from fakeredis.tracking import Tracker

INT32_MIN = -(1 << 31)
INT32_MAX = (1 << 31) - 1


@command("ping", arity=-1, flags="fast", group="connection", since="1.0.0")
def ping(ctx: Session, *message: bytes) -> Any:
    """Ping the server."""
    if len(message) > 1:
        raise ReplyError(errors.wrong_arity("ping"))
    if ctx.subscription_count and ctx.protocol == 2:
        return [b"pong", message[0] if message else b""]
    return message[0] if message else PONG


@command("echo", arity=2, flags="loading stale fast", group="connection", since="1.0.0")
def echo(ctx: Session, message: bytes) -> bytes:
    """Echo the given string."""
    return message


@command("select", arity=2, flags="loading stale fast", group="connection", since="1.0.0")
def select(ctx: Session, index: bytes) -> Status:
    """Change the selected database for the current connection."""
    if ctx.server.version < (6, 2, 0):
        number = parse_int(index, errors.INVALID_DB_INDEX)
    else:
        number = parse_int(index)
        if not INT32_MIN <= number <= INT32_MAX:
            raise ReplyError(errors.RANGE_INT)
    if not 0 <= number < len(ctx.server.dbs):
        raise ReplyError(errors.DB_INDEX_OUT_OF_RANGE)
    ctx.select(number)
    return OK


def check_password(ctx: Session, username: bytes, password: bytes) -> None:
    """Authenticate ``ctx`` as ``username`` or raise WRONGPASS (the failure is in ACL LOG)."""
    ctx.server.acl.authenticate(ctx, username, password)


@command("auth", arity=-2, flags="noscript loading stale fast no_auth allow_busy",
         group="connection", since="1.0.0", old_arity=("6.0.0", 2))
def auth(ctx: Session, *args: bytes) -> Status:
    """Authenticate to the server."""
    if len(args) > 2:
        raise ReplyError(errors.SYNTAX)
    if len(args) == 1 and ctx.server.acl.default.nopass:
        raise ReplyError(errors.NO_AUTH_PASSWORD)
    username, password = (b"default", args[0]) if len(args) == 1 else args
    check_password(ctx, username, password)
    return OK


def hello_reply(ctx: Session) -> dict[bytes, Any]:
    """The map HELLO answers with."""
    return {
        b"server": b"redis",
        b"version": ".".join(map(str, ctx.server.version)).encode(),
        b"proto": ctx.protocol,
        b"id": ctx.id,
        b"mode": b"standalone",
        b"role": b"master" if ctx.server.replica_of is None else b"replica",
        b"modules": [],
    }


@command("hello", arity=-1, flags="noscript loading stale fast no_auth allow_busy",
         group="connection", since="6.0.0", old_arity=("6.2.0", -2))
def hello(ctx: Session, *args: bytes) -> dict[bytes, Any]:
    """Handshake: protocol version, then AUTH and SETNAME options applied in order."""
    protocol = ctx.protocol
    if args:
        not_integer = errors.PROTOCOL_VERSION if ctx.server.version >= (6, 2, 0) else errors.NOPROTO
        protocol = parse_int(args[0], not_integer)
        if protocol not in (2, 3):
            raise ReplyError(errors.NOPROTO)
    i = 1
    while i < len(args):
        option = args[i].upper()
        remaining = len(args) - i - 1
        if option == b"AUTH" and remaining >= 2:
            check_password(ctx, args[i + 1], args[i + 2])
            i += 3
        elif option == b"SETNAME" and remaining >= 1:
            set_client_name(ctx, args[i + 1])
            i += 2
        else:
            raise ReplyError(errors.hello_syntax(args[i]))
    if not ctx.authenticated:
        raise ReplyError(errors.HELLO_NOAUTH)
    ctx.protocol = protocol
    return hello_reply(ctx)


@command("quit", arity=-1, flags="noscript loading stale fast no_auth allow_busy",
         group="connection", since="1.0.0")
def quit_(ctx: Session, *args: bytes) -> Status:
    """Close the connection (the adapter closes it after sending OK)."""
    ctx.killed = True
    return OK


@command("reset", arity=1, flags="noscript loading stale fast no_auth allow_busy",
         group="connection", since="6.2.0")
def reset(ctx: Session) -> Status:
    """Reset the connection: db 0, RESP2, no MULTI, WATCH, subscription, MONITOR, tracking, name."""
    server = ctx.server
    ctx.in_multi = False
    ctx.multi_queue.clear()
    ctx.multi_error = False
    server.unwatch_all(ctx)
    server.pubsub.unsubscribe_all(ctx)
    server.remove_monitor(ctx)
    server.tracking.disable(ctx)
    ctx.select(0)
    ctx.protocol = 2
    ctx.name = b""
    ctx.reply_mode = b"on"  # a pending CLIENT REPLY SKIP still drops RESET's own reply
    server.acl.login_default(ctx)
    return Status(b"RESET")


# --- CLIENT ---------------------------------------------------------------------------------------
container("client", arity=-2, group="connection", since="2.4.0",
          summary="A container for client connection commands")


def set_client_name(ctx: Session, name: bytes) -> None:
    """Validate and set a client name (CLIENT SETNAME, HELLO SETNAME)."""
    if any(c <= 32 or c > 126 for c in name):
        raise ReplyError(errors.CLIENT_NAME_SPACES)
    ctx.name = name


@command("client|setname", arity=3, flags="noscript loading stale", group="connection",
         since="2.6.9")
def client_setname(ctx: Session, name: bytes) -> Status:
    """Set the current connection name."""
    set_client_name(ctx, name)
    return OK


@command("client|getname", arity=2, flags="noscript loading stale", group="connection",
         since="2.6.9")
def client_getname(ctx: Session) -> bytes | None:
    """Get the current connection name."""
    return ctx.name or None


@command("client|id", arity=2, flags="noscript loading stale", group="connection", since="5.0.0")
def client_id(ctx: Session) -> int:
    """Returns the client ID for the current connection."""
    return ctx.id


@command("client|setinfo", arity=4, flags="noscript loading stale", group="connection",
         since="7.2.0")
def client_setinfo(ctx: Session, attr: bytes, value: bytes) -> Status:
    """Set client library name or version (Redis 7.2; unknown to a 7.0 server)."""
    option = attr.upper()
    if option == b"LIB-NAME":
        ctx.lib_name = value
    elif option == b"LIB-VER":
        ctx.lib_ver = value
    else:
        raise ReplyError(errors.unrecognized_option(attr))
    return OK


# --- CLIENT LIST / INFO ---------------------------------------------------------------------------
CLIENT_TYPES = {b"normal": "normal", b"pubsub": "pubsub", b"master": "master",
                b"replica": "replica", b"slave": "replica"}


def client_type(session: Session) -> str:
    """Redis's client class of a connection: pubsub while subscribed, else normal."""
    return "pubsub" if session.subscription_count else "normal"


def _parse_client_type(name: bytes) -> str:
    kind = CLIENT_TYPES.get(name.lower())
    if kind is None:
        raise ReplyError(errors.unknown_client_type(name))
    return kind


def _flag_letters(session: Session) -> str:
    """The flags field: O monitor, P pubsub, x MULTI, b blocked, t tracking, R broken redirect,
    B broadcast tracking, d dirty WATCH, e no-evict; N for none."""
    letters = "O" if session in session.server.monitors else ""
    if session.subscription_count:
        letters += "P"
    if session.in_multi:
        letters += "x"
    if session.blocked:
        letters += "b"
    tracker = session.server.tracking.clients.get(session.id)
    if tracker is not None:
        letters += "t" + "R" * tracker.broken + "B" * tracker.bcast
    if session.watch_dirty:
        letters += "d"
    if "e" in session.flags:
        letters += "e"
    return letters or "N"


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


# CLIENT LIST fields newer than Redis 5.0 -> the version that added them
_CLIENT_FIELDS_SINCE = {"argv-mem": (6, 0, 0), "tot-mem": (6, 0, 0), "user": (6, 0, 0),
                        "laddr": (6, 2, 0), "redir": (6, 2, 0), "ssub": (7, 0, 3),
                        "multi-mem": (7, 0, 0), "rbs": (7, 0, 0), "rbp": (7, 0, 0),
                        "resp": (7, 0, 0)}


def client_info_line(session: Session) -> str:
    """One CLIENT LIST line, fields in Redis 7.0's order (those the server's version has); buffer
    sizes are nominal."""
    version = session.server.version
    now = session.server.clock.now_ms()
    command = session.last_command
    if version < (7, 0, 0):  # before 7.0 a subcommand was not a command of its own
        command = command.partition("|")[0]
    fields = [
        ("id", session.id), ("addr", session.addr), ("laddr", session.laddr), ("fd", 8),
        ("name", _text(session.name)), ("age", (now - session.created_ms) // 1000),
        ("idle", (now - session.last_interaction_ms) // 1000), ("flags", _flag_letters(session)),
        ("db", session.db.index), ("sub", len(session.channels)), ("psub", len(session.patterns)),
        ("ssub", len(session.shard_channels)),
        ("multi", len(session.multi_queue) if session.in_multi else -1),
        ("qbuf", 0), ("qbuf-free", 0), ("argv-mem", 0), ("multi-mem", 0), ("rbs", 1024),
        ("rbp", 0), ("obl", 0), ("oll", 0), ("omem", 0), ("tot-mem", 1024), ("events", "r"),
        ("cmd", command), ("user", _text(session.user)), ("redir", tracking_redirect(session)),
        ("resp", session.protocol),
    ]
    if version >= (7, 2):
        fields += [("lib-name", _text(session.lib_name)), ("lib-ver", _text(session.lib_ver))]
    return " ".join(f"{key}={value}" for key, value in fields
                    if _CLIENT_FIELDS_SINCE.get(key, version) <= version)


def _clients(ctx: Session) -> list[Session]:
    """Connected clients in connection order."""
    return [ctx.server.clients[i] for i in sorted(ctx.server.clients.keys())]


def _client_lines(ctx: Session, sessions: Iterable[Session]) -> Verbatim:
    """CLIENT LIST lines; the caller is active now (others' idle counts from their last look)."""
    ctx.last_interaction_ms = ctx.server.clock.now_ms()
    return Verbatim("".join(client_info_line(s) + "\n" for s in sessions).encode())


@command("client|list", arity=-2, flags="admin noscript loading stale", group="connection",
         since="2.4.0", added={"TYPE": "5.0.0", "ID": "6.2.0"})
def client_list(ctx: Session, *args: bytes) -> Verbatim:
    """Lines describing connected clients, optionally by TYPE or ID. O(clients)."""
    if len(args) == 2 and args[0].upper() == b"TYPE":
        check_added(ctx, "client|list", "TYPE")
        kind = _parse_client_type(args[1])
        return _client_lines(ctx, (s for s in _clients(ctx) if client_type(s) == kind))
    if len(args) >= 2 and args[0].upper() == b"ID":
        check_added(ctx, "client|list", "ID")
        ids = [parse_int(arg, errors.INVALID_CLIENT_ID) for arg in args[1:]]
        found = (ctx.server.clients.get(i) for i in ids)
        return _client_lines(ctx, (s for s in found if s is not None))
    if args:
        raise ReplyError(errors.SYNTAX)
    return _client_lines(ctx, _clients(ctx))


@command("client|info", arity=2, flags="noscript loading stale", group="connection",
         since="6.2.0")
def client_info(ctx: Session) -> Verbatim:
    """The CLIENT LIST line of the calling connection."""
    return _client_lines(ctx, [ctx])


# --- CLIENT KILL ----------------------------------------------------------------------------------
def _kill_filters(ctx: Session, args: tuple[bytes, ...]) -> tuple[list[Any], bool]:
    """Parse the filter form of CLIENT KILL: predicates on a session, and SKIPME."""
    tests: list[Any] = []
    skipme = True
    for i in range(0, len(args), 2):
        option = args[i].upper()
        if i + 1 >= len(args):
            raise ReplyError(errors.SYNTAX)
        value = args[i + 1]
        if option == b"ID" and ctx.server.version < (7, 0, 0):
            tests.append(lambda s, w=parse_int(value): s.id == w)
        elif option == b"ID":
            wanted = parse_int(value, errors.CLIENT_ID_POSITIVE)
            if wanted < 1:
                raise ReplyError(errors.CLIENT_ID_POSITIVE)
            tests.append(lambda s, w=wanted: s.id == w)
        elif option == b"TYPE":
            kind = _parse_client_type(value)
            tests.append(lambda s, k=kind: client_type(s) == k)
        elif option == b"ADDR":
            tests.append(lambda s, a=_text(value): s.addr == a)
        elif option == b"LADDR":
            check_added(ctx, "client|kill", "LADDR")
            tests.append(lambda s, a=_text(value): s.laddr == a)
        elif option == b"USER":
            if value not in ctx.server.acl.users:
                raise ReplyError(errors.no_such_user(value))
            tests.append(lambda s, u=value: s.user == u)
        elif option == b"SKIPME" and value.lower() in (b"yes", b"no"):
            skipme = value.lower() == b"yes"
        else:
            raise ReplyError(errors.SYNTAX)
    return tests, skipme


def kill_session(session: Session) -> None:
    """Disconnect a client: the server forgets it and its adapter learns it was closed."""
    session.killed = True
    waiter = session.server.find_waiter(session.id) if session.blocked else None
    if waiter is not None:
        waiter.finish(NO_REPLY)  # no reply: the client sees its connection closed
    session.server.close_session(session)
    for callback in list(session.on_close):
        callback()


@command("client|kill", arity=-3, flags="admin noscript loading stale", group="connection",
         since="2.4.0", added={"LADDR": "6.2.0"})
def client_kill(ctx: Session, *args: bytes) -> Any:
    """Close connections by address (old form, OK) or by filters (count). O(clients)."""
    if len(args) == 1:
        address = _text(args[0])
        tests, skipme = [lambda s: s.addr == address], False
    else:
        tests, skipme = _kill_filters(ctx, args)
    victims = [s for s in _clients(ctx)
               if all(test(s) for test in tests) and not (skipme and s is ctx)]
    for session in victims:
        if session is ctx:
            session.killed = True
        else:
            kill_session(session)
    if len(args) == 1:
        if not victims:
            raise ReplyError(errors.NO_SUCH_CLIENT)
        return OK
    return len(victims)


# --- CLIENT REPLY / UNBLOCK / PAUSE / NO-EVICT ----------------------------------------------------
@command("client|reply", arity=3, flags="noscript loading stale", group="connection",
         since="3.2.0")
def client_reply(ctx: Session, mode: bytes) -> Any:
    """Turn replies ON, OFF, or SKIP the next one (honoured by the TCP server)."""
    word = mode.upper()
    if word == b"ON":
        ctx.reply_mode = b"on"
        ctx.skip_next_reply = False
        return OK
    if word == b"OFF":
        ctx.reply_mode = b"off"
    elif word == b"SKIP":
        if ctx.reply_mode != b"off":
            ctx.reply_mode = b"skip"
    else:
        raise ReplyError(errors.SYNTAX)
    return OK


@command("client|unblock", arity=-3, flags="admin noscript loading stale", group="connection",
         since="5.0.0")
def client_unblock(ctx: Session, client_id: bytes, *reason: bytes) -> int:
    """Wake a client blocked on keys with its timeout reply, or with an error. 1 if one was."""
    if len(reason) > 1:
        raise ReplyError(errors.bad_subcommand_args(b"UNBLOCK", "client"))
    as_error = False
    if reason:
        word = reason[0].upper()
        if word not in (b"TIMEOUT", b"ERROR"):
            raise ReplyError(errors.UNBLOCK_REASON)
        as_error = word == b"ERROR"
    waiter = ctx.server.find_waiter(parse_int(client_id))
    if waiter is None or waiter.done:
        return 0
    waiter.finish(ReplyError(errors.UNBLOCKED) if as_error else waiter.timeout_reply)
    return 1


@command("client|pause", arity=-3, flags="admin noscript loading stale", group="connection",
         since="2.9.50", old_arity=("6.2.0", 3))
def client_pause(ctx: Session, timeout: bytes, *mode: bytes) -> Status:
    """Validated and accepted; the fake never pauses clients."""
    if len(mode) > 1:
        raise ReplyError(errors.bad_subcommand_args(b"PAUSE", "client"))
    if parse_int(timeout, errors.TIMEOUT_NOT_INTEGER) < 0:
        raise ReplyError(errors.TIMEOUT_NEGATIVE)
    if mode and mode[0].upper() not in (b"WRITE", b"ALL"):
        raise ReplyError(errors.PAUSE_MODE)
    return OK


@command("client|unpause", arity=2, flags="admin noscript loading stale", group="connection",
         since="6.2.0")
def client_unpause(ctx: Session) -> Status:
    """End a client pause (a no-op: the fake never pauses)."""
    return OK


@command("client|no-evict", arity=3, flags="admin noscript loading stale", group="connection",
         since="7.0.0")
def client_no_evict(ctx: Session, mode: bytes) -> Status:
    """Mark the connection as exempt from client eviction (the e flag)."""
    word = mode.upper()
    if word not in (b"ON", b"OFF"):
        raise ReplyError(errors.SYNTAX)
    ctx.flags = "e" if word == b"ON" else "N"
    return OK


# --- client-side caching (the state and invalidations live in fakeredis.tracking) ---------------
@command("client|tracking", arity=-3, flags="noscript loading stale", group="connection",
         since="6.0.0")
def client_tracking(ctx: Session, state: bytes, *options: bytes) -> Status:
    """Enable or disable server assisted client side caching support."""
    switch = state.upper()
    if switch not in (b"ON", b"OFF"):
        raise ReplyError(errors.SYNTAX)
    tracker = _parse_tracking(ctx, options)
    tracking = ctx.server.tracking
    if switch == b"OFF":
        tracking.disable(ctx)
        return OK
    _check_tracking_options(tracker, tracking.clients.get(ctx.id))
    tracking.enable(ctx, tracker)
    return OK


def _parse_tracking(ctx: Session, options: tuple[bytes, ...]) -> Tracker:
    """The options of CLIENT TRACKING as a Tracker."""
    tracker = Tracker()
    scan = OptionScanner(options)
    while scan:
        word = scan.word()
        if word == b"REDIRECT":
            if tracker.redirect:
                raise ReplyError(errors.TRACKING_ONE_REDIRECT)
            tracker.redirect = parse_int(scan.value())
            if tracker.redirect not in ctx.server.clients:
                raise ReplyError(errors.TRACKING_NO_REDIRECT_CLIENT)
        elif word == b"PREFIX":
            tracker.prefixes.append(scan.value())
        elif word in (b"BCAST", b"OPTIN", b"OPTOUT", b"NOLOOP"):
            setattr(tracker, word.decode().lower(), True)
        else:
            raise ReplyError(errors.SYNTAX)
    return tracker


def _check_tracking_options(new: Tracker, old: Tracker | None) -> None:
    """Redis's errors, in its order, for options that do not go together or would switch the
    mode of a client already tracking."""
    if not new.bcast and new.prefixes:
        raise ReplyError(errors.TRACKING_PREFIX_NEEDS_BCAST)
    if old is not None and old.bcast != new.bcast:
        raise ReplyError(errors.TRACKING_SWITCH_BCAST)
    if new.bcast and (new.optin or new.optout):
        raise ReplyError(errors.TRACKING_BCAST_OPTIN)
    if new.optin and new.optout:
        raise ReplyError(errors.TRACKING_OPTIN_OPTOUT)
    if old is not None and ((old.optin and new.optout) or (old.optout and new.optin)):
        raise ReplyError(errors.TRACKING_SWITCH_OPTIN_OPTOUT)
    if new.bcast:
        _check_prefixes(new.prefixes, old.prefixes if old is not None else [])


def _overlap(a: bytes, b: bytes) -> bool:
    """Whether one prefix starts with the other (equal ones included)."""
    return a.startswith(b) or b.startswith(a)


def _check_prefixes(prefixes: list[bytes], registered: list[bytes]) -> None:
    """BCAST prefixes of one client must not overlap its registered ones nor each other."""
    for i, prefix in enumerate(prefixes):
        for other in registered:
            if _overlap(prefix, other):
                raise ReplyError(errors.tracking_prefix_overlap(prefix, other, "an existing"))
        for j, other in enumerate(prefixes):
            if i != j and _overlap(prefix, other):
                raise ReplyError(errors.tracking_prefix_overlap(prefix, other, "another provided"))


@command("client|caching", arity=3, flags="noscript loading stale", group="connection",
         since="6.0.0")
def client_caching(ctx: Session, mode: bytes) -> Status:
    """Instruct the server about tracking or not keys in the next request."""
    tracker = ctx.server.tracking.clients.get(ctx.id)
    if tracker is None:
        raise ReplyError(errors.CACHING_WITHOUT_TRACKING)
    word = mode.upper()
    if word == b"YES":
        if not tracker.optin:
            raise ReplyError(errors.CACHING_YES_NEEDS_OPTIN)
    elif word == b"NO":
        if not tracker.optout:
            raise ReplyError(errors.CACHING_NO_NEEDS_OPTOUT)
    else:
        raise ReplyError(errors.SYNTAX)
    tracker.caching = word == b"YES"
    return OK


def tracking_redirect(session: Session) -> int:
    """The client id invalidations go to: -1 not tracking, 0 this connection itself."""
    tracker = session.server.tracking.clients.get(session.id)
    return -1 if tracker is None else tracker.redirect


@command("client|getredir", arity=2, flags="noscript loading stale", group="connection",
         since="6.0.0")
def client_getredir(ctx: Session) -> int:
    """Get tracking notifications redirection client ID if any."""
    return tracking_redirect(ctx)


@command("client|trackinginfo", arity=2, flags="noscript loading stale", group="connection",
         since="6.2.0")
def client_trackinginfo(ctx: Session) -> dict[bytes, Any]:
    """Return information about server assisted client side caching for the current connection."""
    tracker = ctx.server.tracking.clients.get(ctx.id)
    prefixes = [] if tracker is None else sorted(tracker.prefixes)
    return {b"flags": SetReply(ctx.server.tracking.flags(ctx)), b"redirect": tracking_redirect(ctx),
            b"prefixes": prefixes}


CLIENT_HELP = (
    "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CACHING (YES|NO)",
    "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
    "GETREDIR",
    "    Return the client ID we are redirecting to when tracking is enabled.",
    "GETNAME",
    "    Return the name of the current connection.",
    "ID",
    "    Return the ID of the current connection.",
    "INFO",
    "    Return information about the current client connection.",
    "KILL <ip:port>",
    "    Kill connection made from <ip:port>.",
    "KILL <option> <value> [<option> <value> [...]]",
    "    Kill connections. Options are:",
    "    * ADDR (<ip:port>|<unixsocket>:0)",
    "      Kill connections made from the specified address",
    "    * LADDR (<ip:port>|<unixsocket>:0)",
    "      Kill connections made to specified local address",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "      Kill connections by type.",
    "    * USER <username>",
    "      Kill connections authenticated by <username>.",
    "    * SKIPME (YES|NO)",
    "      Skip killing current connection (default: yes).",
    "LIST [options ...]",
    "    Return information about client connections. Options:",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "      Return clients of specified type.",
    "UNPAUSE",
    "    Stop the current client pause, resuming traffic.",
    "PAUSE <timeout> [WRITE|ALL]",
    "    Suspend all, or just write, clients for <timeout> milliseconds.",
    "REPLY (ON|OFF|SKIP)",
    "    Control the replies sent to the current connection.",
    "SETNAME <name>",
    "    Assign the name <name> to the current connection.",
    "UNBLOCK <clientid> [TIMEOUT|ERROR]",
    "    Unblock the specified blocked client.",
    "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
    "         [OPTIN] [OPTOUT] [NOLOOP]",
    "    Control server assisted client side caching.",
    "TRACKINGINFO",
    "    Report tracking status for the current connection.",
    "NO-EVICT (ON|OFF)",
    "    Protect current client connection from eviction.",
    "HELP",
    "    Prints this help.",
)


def help_reply(lines: Iterable[str]) -> list[Status]:
    """A HELP reply: one simple string per line."""
    return [Status(line.encode()) for line in lines]


@command("client|help", arity=2, flags="loading stale", group="connection", since="5.0.0")
def client_help(ctx: Session) -> list[Status]:
    """Show helpful text about the different subcommands."""
    return help_reply(CLIENT_HELP)
