"""ACL and its subcommands: users, rules, the log, dry runs and the ACL file."""

from __future__ import annotations

import copy
import os
import secrets
from typing import Any

from fakeredis import errors, registry
from fakeredis.acl import RuleError, Selector, User, has_spaces, merge_selector_args
from fakeredis.args import parse_int
from fakeredis.commands.connection import help_reply, kill_session
from fakeredis.errors import ReplyError
from fakeredis.registry import command, container
from fakeredis.replies import OK, SetReply, Status
from fakeredis.session import Session

container("acl", arity=-2, group="server", since="6.0.0",
          summary="A container for Access List Control commands")

ACL_HELP = (
    "ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CAT [<category>]",
    "    List all commands that belong to <category>, or all command categories",
    "    when no category is specified.",
    "DELUSER <username> [<username> ...]",
    "    Delete a list of users.",
    "DRYRUN <username> <command> [<arg> ...]",
    "    Returns whether the user can execute the given command without executing the command.",
    "GETUSER <username>",
    "    Get the user's details.",
    "GENPASS [<bits>]",
    "    Generate a secure 256-bit user password. The optional `bits` argument can",
    "    be used to specify a different size.",
    "LIST",
    "    Show users details in config file format.",
    "LOAD",
    "    Reload users from the ACL file.",
    "LOG [<count> | RESET]",
    "    Show the ACL log entries.",
    "SAVE",
    "    Save the current config to the ACL file.",
    "SETUSER <username> <attribute> [<attribute> ...]",
    "    Create or modify a user with the specified attributes.",
    "USERS",
    "    List all the registered usernames.",
    "WHOAMI",
    "    Return the current connection username.",
    "HELP",
    "    Prints this help.",
)


@command("acl|help", arity=2, flags="loading stale", group="server", since="6.0.0")
def acl_help(ctx: Session) -> list[Status]:
    """Show helpful text about the different subcommands. O(1)."""
    return help_reply(ACL_HELP)


@command("acl|setuser", arity=-3, flags="admin noscript loading stale", group="server",
         since="6.0.0")
def acl_setuser(ctx: Session, name: bytes, *rules: bytes) -> Status:
    """Create or modify a user; all rules apply or none. O(rules x commands)."""
    if has_spaces(name):
        raise ReplyError(errors.ACL_USERNAME_SPACES)
    acl = ctx.server.acl
    ops = merge_selector_args(rules)
    original = acl.users.get(name)
    user = copy.deepcopy(original) if original is not None else acl.new_user(name)
    for op in ops:
        try:
            user.apply(op, acl.table, acl.pubsub_default_all())
        except RuleError as exc:
            raise ReplyError(errors.acl_modifier(op, exc.why)) from None
    if original is not None:
        _kill_pubsub_clients_if_needed(ctx, original, user)
    acl.store_user(user)
    return OK


def _kill_pubsub_clients_if_needed(ctx: Session, original: User, new: User) -> None:
    """Drop subscribers of the user whose subscriptions the new channel rules no longer allow."""
    if any(s.all_channels for s in new.selectors):
        return
    upcoming = [p for s in new.selectors for p in s.channels]
    if all(p in upcoming for s in original.selectors for p in s.channels):
        return
    allowed = _channel_checker(upcoming)
    for session in ctx.server.acl.sessions_of(original.name):
        if not session.subscription_count:
            continue
        if not (all(allowed(p, True) for p in session.patterns)
                and all(allowed(c, False) for c in session.channels | session.shard_channels)):
            if session is ctx:
                session.killed = True
            else:
                kill_session(session)


def _channel_checker(patterns: list[bytes]) -> Any:
    """A predicate (channel, is_pattern) -> allowed by ``patterns``."""
    probe = Selector()
    probe.channels = patterns
    return probe.channel_allowed


@command("acl|getuser", arity=3, flags="admin noscript loading stale", group="server",
         since="6.0.0")
def acl_getuser(ctx: Session, name: bytes) -> dict[bytes, Any] | None:
    """A user's flags, passwords, root selector and selectors. O(commands)."""
    acl = ctx.server.acl
    user = acl.users.get(name)
    if user is None:
        return None
    reply: dict[bytes, Any] = {
        b"flags": SetReply(f.encode() for f in user.flags()),
        b"passwords": [p.encode() for p in user.passwords],
    }
    reply.update(user.root.reply(acl.table))
    reply[b"selectors"] = [s.reply(acl.table) for s in user.selectors[1:]]
    return reply


@command("acl|list", arity=2, flags="admin noscript loading stale", group="server",
         since="6.0.0")
def acl_list(ctx: Session) -> list[bytes]:
    """Every user in ACL file format, sorted by name. O(users x commands)."""
    acl = ctx.server.acl
    return [b"user %s %s" % (name, acl.users[name].describe(acl.table).encode())
            for name in sorted(acl.users)]


@command("acl|users", arity=2, flags="admin noscript loading stale", group="server",
         since="6.0.0")
def acl_users(ctx: Session) -> list[bytes]:
    """Every user name, sorted. O(users log users)."""
    return sorted(ctx.server.acl.users)


@command("acl|whoami", arity=2, flags="noscript loading stale", group="server", since="6.0.0")
def acl_whoami(ctx: Session) -> bytes:
    """The connection's user name. O(1)."""
    return ctx.user


@command("acl|deluser", arity=-3, flags="admin noscript loading stale", group="server",
         since="6.0.0")
def acl_deluser(ctx: Session, *names: bytes) -> int:
    """Delete users and drop their connections; the number deleted. O(users x clients)."""
    if b"default" in names:
        raise ReplyError(errors.ACL_DELETE_DEFAULT)
    acl = ctx.server.acl
    deleted = 0
    for name in names:
        if acl.users.pop(name, None) is not None:
            deleted += 1
            _drop_clients_of(ctx, name)
    return deleted


def _drop_clients_of(ctx: Session, name: bytes) -> None:
    """Close every connection authenticated as ``name`` (the caller's after its reply)."""
    for session in ctx.server.acl.sessions_of(name):
        session.user = b"default"
        session.authenticated = False
        if session is ctx:
            session.killed = True
        else:
            kill_session(session)


@command("acl|cat", arity=-2, flags="noscript loading stale", group="server", since="6.0.0")
def acl_cat(ctx: Session, *category: bytes) -> list[bytes]:
    """Categories, or the commands of one category. O(commands)."""
    if len(category) > 1:
        raise ReplyError(errors.bad_subcommand_args(b"cat", "acl"))
    if not category:
        return [c.encode() for c in registry.ACL_ORDER]
    table = ctx.server.acl.table
    members = table.in_category.get(category[0].decode(errors="replace").lower())
    if members is None:
        raise ReplyError(errors.acl_unknown_category(category[0]))
    return [name.encode() for name in members if name in table.registered]


@command("acl|genpass", arity=-2, flags="noscript loading stale", group="server", since="6.0.0")
def acl_genpass(ctx: Session, *bits: bytes) -> bytes:
    """A random password of ``bits`` bits (256) in hex. O(bits)."""
    if len(bits) > 1:
        raise ReplyError(errors.bad_subcommand_args(b"genpass", "acl"))
    count = parse_int(bits[0]) if bits else 256
    if not 0 < count <= 4096:
        raise ReplyError(errors.ACL_GENPASS_BITS)
    chars = (count + 3) // 4
    return secrets.token_hex((chars + 1) // 2)[:chars].encode()


@command("acl|log", arity=-2, flags="admin noscript loading stale", group="server",
         since="6.0.0")
def acl_log(ctx: Session, *args: bytes) -> Any:
    """The newest ``count`` (10) log entries, or RESET. O(count)."""
    if len(args) > 1:
        raise ReplyError(errors.bad_subcommand_args(b"log", "acl"))
    acl = ctx.server.acl
    count = 10
    if args:
        if args[0].lower() == b"reset":
            acl.log.clear()
            return OK
        count = max(parse_int(args[0]), 0)
    now = ctx.server.clock.now_ms()
    return [entry.reply(now) for entry in acl.log[:count]]


@command("acl|dryrun", arity=-4, flags="admin noscript loading stale", group="server",
         since="7.0.0")
def acl_dryrun(ctx: Session, name: bytes, *argv: bytes) -> Any:
    """Whether the user could run the command, without running it. O(keys x patterns)."""
    user = ctx.server.acl.users.get(name)
    if user is None:
        raise ReplyError(errors.acl_user_not_found(name))
    cmd = ctx.server.lookup_command(argv[0])
    if cmd is not None and cmd.subcommands and len(argv) > 1:
        cmd = cmd.subcommands.get(argv[1].lower())
    if cmd is None:
        raise ReplyError(errors.acl_command_not_found(argv[0]))
    if not cmd.arity_ok(len(argv)):
        raise ReplyError(errors.wrong_arity(cmd.name))
    denied = ctx.server.acl.dryrun_reply(user, cmd, list(argv))
    return OK if denied is None else denied


def _aclfile(ctx: Session) -> str:
    path = ctx.server.config.get_value("aclfile").decode()
    if not path:
        raise ReplyError(errors.ACL_NO_FILE)
    return path


@command("acl|save", arity=2, flags="admin noscript loading stale", group="server",
         since="6.0.0")
def acl_save(ctx: Session) -> Status:
    """Write every user to the aclfile (atomically replaced). O(users x commands)."""
    path = _aclfile(ctx)
    temp = f"{path}.tmp-{os.getpid()}"
    try:
        with open(temp, "w", encoding="utf-8", errors="surrogateescape") as handle:
            handle.write(ctx.server.acl.save_text())
        os.replace(temp, path)
    except OSError:
        raise ReplyError(errors.ACL_SAVE_FAILED) from None
    return OK


@command("acl|load", arity=2, flags="admin noscript loading stale", group="server",
         since="6.0.0")
def acl_load(ctx: Session) -> Status:
    """Replace every user with the aclfile's; connections of other users are dropped."""
    acl = ctx.server.acl
    users = acl.load_file(_aclfile(ctx))
    old = [name for name in acl.users if name != b"default"]
    acl.users = users
    for name in old:
        _drop_clients_of(ctx, name)
    for name in users:
        acl.refresh_sessions(name)
    return OK
