"""Connection commands: PING ECHO SELECT HELLO AUTH QUIT RESET and CLIENT."""

from __future__ import annotations

from typing import Any

from fakeredis import errors
from fakeredis.args import parse_int
from fakeredis.errors import ReplyError
from fakeredis.registry import command, container
from fakeredis.replies import OK, PONG, Status
from fakeredis.session import Session


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
    number = parse_int(index, errors.INVALID_DB_INDEX)
    if not 0 <= number < len(ctx.server.dbs):
        raise ReplyError(errors.DB_INDEX_OUT_OF_RANGE)
    ctx.select(number)
    return OK


def check_password(ctx: Session, username: bytes, password: bytes) -> None:
    """Authenticate ``ctx`` as ``username`` or raise WRONGPASS."""
    auth_hook = ctx.server.hooks.get("authenticate")
    if auth_hook is not None:
        auth_hook(ctx, username, password)
        return
    required = ctx.server.config.get_value("requirepass")
    if username != b"default" or (required and password != required):
        raise ReplyError(errors.WRONGPASS)
    ctx.authenticated = True
    ctx.user = username


@command("auth", arity=-2, flags="noscript loading stale fast no_auth allow_busy",
         group="connection", since="1.0.0")
def auth(ctx: Session, *args: bytes) -> Status:
    """Authenticate to the server."""
    if len(args) > 2:
        raise ReplyError(errors.SYNTAX)
    if len(args) == 1 and "authenticate" not in ctx.server.hooks \
            and not ctx.server.config.get_value("requirepass"):
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
        b"role": b"master",
        b"modules": [],
    }


@command("hello", arity=-1, flags="noscript loading stale fast no_auth allow_busy",
         group="connection", since="6.0.0")
def hello(ctx: Session, *args: bytes) -> dict[bytes, Any]:
    """Handshake with the server: protocol version, authentication, client name."""
    protocol = ctx.protocol
    if args:
        try:
            protocol = parse_int(args[0])
        except ReplyError:
            raise ReplyError(errors.PROTOCOL_VERSION) from None
        if protocol not in (2, 3):
            raise ReplyError(errors.NOPROTO)
    credentials = None
    name = None
    i = 1
    while i < len(args):
        option = args[i].upper()
        remaining = len(args) - i - 1
        if option == b"AUTH" and remaining >= 2:
            credentials = (args[i + 1], args[i + 2])
            i += 3
        elif option == b"SETNAME" and remaining >= 1:
            name = args[i + 1]
            i += 2
        else:
            raise ReplyError(f"ERR Syntax error in HELLO option '{args[i].decode(errors='replace')}'")
    if credentials is not None:
        check_password(ctx, *credentials)
    if not ctx.authenticated:
        raise ReplyError("NOAUTH HELLO must be called with the client already authenticated, "
                         "otherwise the HELLO <proto> AUTH <user> <pass> option can be used to "
                         "authenticate the client and select the RESP protocol version at the "
                         "same time")
    if name is not None:
        set_client_name(ctx, name)
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
    """Reset the connection: db 0, RESP2, no transaction, watches, subscriptions or name."""
    server = ctx.server
    ctx.in_multi = False
    ctx.multi_queue.clear()
    ctx.multi_error = False
    server.unwatch_all(ctx)
    server.pubsub.unsubscribe_all(ctx)
    ctx.select(0)
    ctx.protocol = 2
    ctx.name = b""
    ctx.reply_mode = b"on"
    ctx.authenticated = not server.requires_auth()
    ctx.user = b"default"
    return Status(b"RESET")


# --- CLIENT ---------------------------------------------------------------------------------------
container("client", arity=-2, group="connection", since="2.4.0")


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
        raise ReplyError(f"ERR Unrecognized option '{attr.decode(errors='replace')}'")
    return OK

