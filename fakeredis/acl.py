"""ACL users as Redis 7.0 keeps them: selectors, rules, descriptions, permission checks, the log.

A user has flags, SHA-256 password hashes and a list of selectors (the root selector first). A
selector allows a set of command full names ("get", "client|id"), first arguments of otherwise
blocked commands ("select|0"), key patterns with read/write flags and channel patterns.
Descriptions (ACL LIST, GETUSER, SAVE) are rebuilt from those sets the way Redis does: "+@all" or
"-@all", then the best fitting categories, then single commands.
"""

from __future__ import annotations

import copy
import hashlib
import os
from typing import TYPE_CHECKING, Any, Iterable

from fakeredis import errors, registry
from fakeredis.commands.connection import client_info_line
from fakeredis.commands.transactions import end_transaction
from fakeredis.acl_table import CATEGORIES, KEY_ACCESS
from fakeredis.errors import ReplyError
from fakeredis.structures.glob import glob_match

if TYPE_CHECKING:
    from fakeredis.server import FakeServer
    from fakeredis.session import Session

READ, WRITE = 1, 2
# Redis's order of user flags in descriptions.
USER_FLAGS = ("on", "off", "nopass", "skip-sanitize-payload", "sanitize-payload")
# Denial reasons, ordered as Redis ranks them when several selectors fail.
DENIED_CMD, DENIED_KEY, DENIED_AUTH, DENIED_CHANNEL = 1, 2, 3, 4
REASONS = {DENIED_CMD: b"command", DENIED_KEY: b"key", DENIED_AUTH: b"auth",
           DENIED_CHANNEL: b"channel"}
LOG_GROUPING_MS = 60000
# Commands whose arguments name channels: (first channel index, every argument after it, pattern).
CHANNEL_ARGS = {
    "publish": (1, False, False), "spublish": (1, False, False), "subscribe": (1, True, False),
    "ssubscribe": (1, True, False), "psubscribe": (1, True, True),
}
EXEC_DENIALS = {
    DENIED_CMD: "no permission to execute the command or subcommand",
    DENIED_KEY: "no permission to touch the specified keys",
    DENIED_CHANNEL: "no permission to access one of the channels used as arguments",
}
# Commands whose key specs name shard channels (NOT_KEY): ACLs check those as channels only.
NOT_KEYS = frozenset(("spublish", "ssubscribe", "sunsubscribe"))
SCRIPT_DENIALS = {
    DENIED_CMD: "can't run this command or subcommand",
    DENIED_KEY: "can't access at least one of the keys mentioned in the command arguments",
    DENIED_CHANNEL: "can't publish to the channel mentioned in the command",
}


class RuleError(Exception):
    """A rule ACL SETUSER cannot apply; ``why`` is Redis's explanation."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


SYNTAX = "Syntax error"
UNKNOWN = "Unknown command or category name in ACL"


def hash_password(password: bytes) -> str:
    """The hex SHA-256 Redis stores for a password. O(len)."""
    return hashlib.sha256(password).hexdigest()


def has_spaces(text: bytes) -> bool:
    """Redis refuses white space and NUL in user names and patterns."""
    return any(c in b" \t\n\v\f\r\x00" for c in text)


class CommandTable:
    """Every Redis command name as ACLs see it, with categories and subcommands. Built once."""

    def __init__(self, server: "FakeServer") -> None:
        cats = {name: frozenset(text.split()) for name, text in CATEGORIES.items()}
        self.registered: set[str] = set()
        for cmd in server.command_table().values():
            for known in (cmd, *cmd.subcommands.values()):
                if server.subcommand_known(known):
                    self.registered.add(known.name)
                    cats[known.name] = frozenset(known.acl_categories)
        self.names = sorted(cats)
        self.all_names = frozenset(self.names)
        self.subs: dict[str, list[str]] = {}
        for name in self.names:
            base, bar, _ = name.partition("|")
            if bar:
                self.subs.setdefault(base, []).append(name)
        self.in_category = {cat: [n for n in self.names if cat in cats[n]]
                            for cat in registry.ACL_ORDER}

    def lookup(self, name: str) -> str | None:
        """The full name of a command or ``container|sub``, any case; None if unknown."""
        name = name.lower()
        base, bar, sub = name.partition("|")
        if base not in self.all_names or (bar and (base not in self.subs or "|" in sub)):
            return None
        return name if name in self.all_names else None

    def with_subs(self, name: str) -> list[str]:
        """The command's name and its subcommands' names."""
        return [name, *self.subs.get(name, ())]


class Selector:
    """Commands, first arguments, key patterns and channel patterns one selector allows."""

    def __init__(self, all_channels: bool = False) -> None:
        self.allowed: set[str] = set()
        self.all_commands = False  # +@all and nothing removed since: no per-command check
        self.future = False        # started from +@all (Redis's reserved bit)
        self.firstargs: dict[str, list[str]] = {}
        self.keys: dict[bytes, int] = {}
        self.all_keys = False
        self.channels: list[bytes] = []
        self.all_channels = all_channels

    # --- rules -----------------------------------------------------------------------------------
    def apply(self, op: bytes, table: CommandTable) -> None:
        """Apply one selector rule, or raise RuleError leaving an unspecified partial state."""
        word = op.lower()
        if word in (b"allkeys", b"~*"):
            self.all_keys, self.keys = True, {}
        elif word == b"resetkeys":
            self.all_keys, self.keys = False, {}
        elif word in (b"allchannels", b"&*"):
            self.all_channels, self.channels = True, []
        elif word == b"resetchannels":
            self.all_channels, self.channels = False, []
        elif word in (b"allcommands", b"+@all"):
            self.allowed = set(table.all_names)
            self.all_commands = self.future = True
            self.firstargs = {}
        elif word in (b"nocommands", b"-@all"):
            self.allowed = set()
            self.all_commands = self.future = False
            self.firstargs = {}
        elif op[:1] in (b"~", b"%"):
            self._add_key_pattern(op)
        elif op[:1] == b"&":
            self._add_channel(op[1:])
        elif op[:2] in (b"+@", b"-@"):
            self.change_category(op[2:].decode(errors="replace").lower(), op[:1] == b"+", table)
        elif op[:1] == b"+":
            self._allow_command(op[1:].decode(errors="replace"), table)
        elif op[:1] == b"-":
            name = table.lookup(op[1:].decode(errors="replace"))
            if name is None:
                raise RuleError(UNKNOWN)
            self.change(name, False, table)
        else:
            raise RuleError(SYNTAX)

    def _add_key_pattern(self, op: bytes) -> None:
        if self.all_keys:
            raise RuleError(
                "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and "
                "does not have any effect. Try 'resetkeys' to start with an empty list of patterns")
        flags, offset = READ | WRITE, 1
        if op[:1] == b"%":
            flags = 0
            while offset < len(op):
                char = op[offset:offset + 1].upper()
                offset += 1
                if char == b"R" and not flags & READ:
                    flags |= READ
                elif char == b"W" and not flags & WRITE:
                    flags |= WRITE
                elif char == b"~":
                    break
                else:
                    raise RuleError(SYNTAX)
            if not flags:
                raise RuleError(SYNTAX)
        pattern = op[offset:]
        if has_spaces(pattern):
            raise RuleError(SYNTAX)
        self.keys[pattern] = self.keys.get(pattern, 0) | flags

    def _add_channel(self, pattern: bytes) -> None:
        if self.all_channels:
            raise RuleError(
                "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and "
                "does not have any effect. Try 'resetchannels' to start with an empty list of "
                "channels")
        if has_spaces(pattern):
            raise RuleError(SYNTAX)
        if pattern not in self.channels:
            self.channels.append(pattern)

    def _allow_command(self, name: str, table: CommandTable) -> None:
        if "|" not in name:
            found = table.lookup(name)
            if found is None:
                raise RuleError(UNKNOWN)
            self.change(found, True, table)
            return
        base, _, first = name.rpartition("|")
        found = table.lookup(base)
        if found is None:
            raise RuleError(UNKNOWN)
        if "|" in found:
            raise RuleError("Allowing first-arg of a subcommand is not supported")
        if not first:
            raise RuleError(SYNTAX)
        if found in table.subs:
            sub = table.lookup(name)
            if sub is None:
                raise RuleError(UNKNOWN)
            self.change(sub, True, table)
            return
        known = self.firstargs.setdefault(found, [])
        if first.lower() not in (arg.lower() for arg in known):
            known.append(first)

    def change(self, name: str, allow: bool, table: CommandTable) -> None:
        """Allow or block a command (a container with all its subcommands). O(subcommands)."""
        names = table.with_subs(name)
        if allow:
            self.allowed.update(names)
        else:
            self.allowed.difference_update(names)
            self.all_commands = False
        self.firstargs.pop(name, None)

    def change_category(self, category: str, allow: bool, table: CommandTable) -> None:
        """Allow or block every command of a category. O(commands in it)."""
        members = table.in_category.get(category)
        if members is None:
            raise RuleError(UNKNOWN)
        for name in members:
            self.change(name, allow, table)

    # --- description ------------------------------------------------------------------------------
    def describe_commands(self, table: CommandTable) -> str:
        """The command rules as Redis rebuilds them: +@all or -@all, best fitting categories,
        then single commands. O(categories^2 x commands)."""
        additive = not self.future
        fake = Selector()
        fake.apply(b"-@all" if additive else b"+@all", table)
        rules = ["-@all" if additive else "+@all"]
        temp = Selector()
        temp.allowed = set(self.allowed)
        applied: set[str] = set()
        while True:
            best, min_diff, max_same = None, None, 0
            for category in registry.ACL_ORDER:
                if category in applied:
                    continue
                on = sum(1 for n in table.in_category[category] if n in temp.allowed)
                off = len(table.in_category[category]) - on
                diff, same = (off, on) if additive else (on, off)
                if same > diff and (min_diff is None or diff < min_diff
                                    or (diff == min_diff and same > max_same)):
                    best, min_diff, max_same = category, diff, same
            if best is None:
                break
            fake.change_category(best, additive, table)
            temp.change_category(best, not additive, table)
            rules.append(("+@" if additive else "-@") + best)
            applied.add(best)
        for name in table.names:
            mine = name in self.allowed
            if mine != (name in fake.allowed):
                rules.append(("+" if mine else "-") + name)
                fake.change(name, mine, table)
            if not mine:
                rules.extend(f"+{name}|{arg}" for arg in self.firstargs.get(name, ()))
        return " ".join(rules)

    def key_words(self) -> list[str]:
        """Key patterns as rules: "~*", or "~p" / "%R~p" / "%W~p" in the order added."""
        if self.all_keys:
            return ["~*"]
        marks = {READ | WRITE: "~", READ: "%R~", WRITE: "%W~"}
        return [marks[flags] + _text(p) for p, flags in self.keys.items()]

    def channel_words(self) -> list[str]:
        """Channel patterns as rules ("&*" for all)."""
        return ["&*"] if self.all_channels else ["&" + _text(p) for p in self.channels]

    def describe(self, table: CommandTable) -> str:
        """The selector as ACL LIST shows it: keys, channels, commands."""
        words = self.key_words()
        if not self.all_channels:
            words.append("resetchannels")
        words += self.channel_words()
        words.append(self.describe_commands(table))
        return " ".join(words)

    def reply(self, table: CommandTable) -> dict[bytes, Any]:
        """The commands/keys/channels fields of ACL GETUSER."""
        return {b"commands": self.describe_commands(table).encode(),
                b"keys": " ".join(self.key_words()).encode(),
                b"channels": " ".join(self.channel_words()).encode()}

    # --- checks -----------------------------------------------------------------------------------
    def check(self, cmd: registry.Command, argv: list[bytes]) -> tuple[int, int]:
        """(0, 0) if allowed, else (reason, index of the offending argument)."""
        if not self.all_commands and cmd.name not in self.allowed and "no_auth" not in cmd.flags:
            index = 2 if cmd.container is not None else 1
            allowed = self.firstargs.get(cmd.name)
            if not allowed or len(argv) <= index or \
                    argv[index].lower() not in (a.lower().encode() for a in allowed):
                return DENIED_CMD, 0
        if not self.all_keys and cmd.name not in NOT_KEYS:
            access = KEY_ACCESS.get(cmd.name)
            simple = variable_need(cmd.name, argv) or (WRITE if cmd.is_write else READ)
            for pos in cmd.key_positions(argv):
                need = simple if access is None else key_need(access, pos)
                if not self.key_allowed(argv[pos], need):
                    return DENIED_KEY, pos
        spec = CHANNEL_ARGS.get(cmd.name)
        if spec is not None and not self.all_channels:
            first, every, is_pattern = spec
            for pos in range(first, len(argv) if every else first + 1):
                if not self.channel_allowed(argv[pos], is_pattern):
                    return DENIED_CHANNEL, pos
        return 0, 0

    def key_allowed(self, key: bytes, need: int) -> bool:
        """True when a pattern with the needed access matches ``key``."""
        return self.all_keys or any(
            flags & need == need and glob_match(p, key) for p, flags in self.keys.items())

    def channel_allowed(self, channel: bytes, is_pattern: bool) -> bool:
        """Channels match the patterns; PSUBSCRIBE patterns must equal one literally."""
        if self.all_channels:
            return True
        if is_pattern:
            return channel in self.channels
        return any(glob_match(p, channel) for p in self.channels)


def variable_need(name: str, argv: list[bytes]) -> int:
    """SET reads its key only with GET; BITFIELD writes only with SET or INCRBY. 0: others."""
    if name == "set":
        return READ | WRITE if any(a.upper() == b"GET" for a in argv[3:]) else WRITE
    if name == "bitfield":
        writes = any(a.upper() in (b"SET", b"INCRBY") for a in argv[2:])
        return READ | WRITE if writes else READ
    return 0


def key_need(access: tuple[tuple[str, int], ...], pos: int) -> int:
    """The access a key at ``pos`` needs: its key spec's, as KEY_ACCESS lists them."""
    need = access[0][0]
    for text, begin in access:
        if begin <= pos:
            need = text
    return (READ if "R" in need else 0) | (WRITE if "W" in need else 0)


def _text(value: bytes) -> str:
    return value.decode("utf-8", "surrogateescape")


class User:
    """An ACL user: flags, password hashes, root selector plus extra selectors."""

    def __init__(self, name: bytes, all_channels: bool = False) -> None:
        self.name = name
        self.enabled = False
        self.nopass = False
        self.sanitize: str | None = None
        self.passwords: list[str] = []
        self.selectors = [Selector(all_channels)]

    @property
    def root(self) -> Selector:
        """The selector of rules given outside parentheses."""
        return self.selectors[0]

    @property
    def unrestricted(self) -> bool:
        """True when some selector allows every command, key and channel (the fast path)."""
        return any(s.all_commands and s.all_keys and s.all_channels for s in self.selectors)

    def flags(self) -> list[str]:
        """The user's flags in Redis's order."""
        have = {"on" if self.enabled else "off"}
        if self.nopass:
            have.add("nopass")
        if self.sanitize:
            have.add(self.sanitize)
        return [f for f in USER_FLAGS if f in have]

    def apply(self, op: bytes, table: CommandTable, pubsub_default_all: bool) -> None:
        """Apply one ACL SETUSER rule (selectors already merged into one op)."""
        word = op.lower()
        if not op:
            return
        if word in (b"on", b"off"):
            self.enabled = word == b"on"
        elif word in (b"skip-sanitize-payload", b"sanitize-payload"):
            self.sanitize = word.decode()
        elif word == b"nopass":
            self.nopass, self.passwords = True, []
        elif word == b"resetpass":
            self.nopass, self.passwords = False, []
        elif op[:1] in (b">", b"#"):
            digest = hash_password(op[1:]) if op[:1] == b">" else _checked_hash(op[1:])
            if digest not in self.passwords:
                self.passwords.append(digest)
            self.nopass = False
        elif op[:1] in (b"<", b"!"):
            digest = hash_password(op[1:]) if op[:1] == b"<" else _checked_hash(op[1:])
            if digest not in self.passwords:
                raise RuleError("The password you are trying to remove from the user does not "
                                "exist")
            self.passwords.remove(digest)
        elif op[:1] == b"(" and op[-1:] == b")":
            selector = Selector(pubsub_default_all)  # as every new selector in Redis
            for part in op[1:-1].split():
                selector.apply(part, table)
            self.selectors.append(selector)
        elif word == b"clearselectors":
            del self.selectors[1:]
        elif word == b"reset":
            self.nopass, self.passwords, self.enabled = False, [], False
            self.sanitize = "sanitize-payload"
            self.selectors = [Selector(pubsub_default_all)]
        else:
            self.root.apply(op, table)

    def describe(self, table: CommandTable) -> str:
        """The user as ACL LIST and ACL SAVE write it, without "user <name>"."""
        words = self.flags() + ["#" + p for p in self.passwords]
        text = " ".join(words + [self.root.describe(table)])
        return text + "".join(f" ({s.describe(table)})" for s in self.selectors[1:])

    def check(self, cmd: registry.Command, argv: list[bytes]) -> tuple[int, int]:
        """(0, 0) if some selector allows the call, else Redis's most relevant denial."""
        reason, index = DENIED_CMD, 0
        for selector in self.selectors:
            got, pos = selector.check(cmd, argv)
            if not got:
                return 0, 0
            if got > reason or (got == reason and pos > index):
                reason, index = got, pos
        return reason, index

    def password_ok(self, password: bytes) -> bool:
        """True for an enabled user with nopass or a matching password. O(passwords)."""
        return self.enabled and (self.nopass or hash_password(password) in self.passwords)


def _checked_hash(text: bytes) -> str:
    if len(text) != 64 or any(c not in b"0123456789abcdef" for c in text):
        raise RuleError("The password hash must be exactly 64 characters and contain only "
                        "lowercase hexadecimal characters")
    return text.decode()


def default_user(table: CommandTable) -> User:
    """The default user of a fresh server: on, nopass, every command, key and channel."""
    user = User(b"default")
    for op in (b"+@all", b"~*", b"&*", b"on", b"nopass"):
        user.apply(op, table, False)
    return user


def merge_selector_args(ops: Iterable[bytes]) -> list[bytes]:
    """Join selector rules spread over several arguments ("(~a", "+get)"); error if unclosed."""
    merged: list[bytes] = []
    pending: bytes | None = None
    for op in ops:
        if pending is None and op[:1] == b"(" and op[-1:] != b")":
            pending = start = op
            continue
        if pending is not None:
            pending += b" " + op
            if op[-1:] == b")":
                merged.append(pending)
                pending = None
            continue
        merged.append(op)
    if pending is not None:
        raise ReplyError(errors.acl_unmatched_parenthesis(start))
    return merged


class LogEntry:
    """One ACL LOG entry; repeats within a minute bump ``count``."""

    __slots__ = ("count", "reason", "context", "object", "username", "ctime", "cinfo")

    def __init__(self, reason: int, context: bytes, obj: bytes, username: bytes, ctime: int,
                 cinfo: bytes) -> None:
        self.count = 1
        self.reason = reason
        self.context = context
        self.object = obj
        self.username = username
        self.ctime = ctime
        self.cinfo = cinfo

    def same_event(self, other: "LogEntry") -> bool:
        """Redis's grouping rule: same reason, context, object, user, within a minute."""
        return (self.reason == other.reason and self.context == other.context
                and abs(self.ctime - other.ctime) <= LOG_GROUPING_MS
                and self.object == other.object and self.username == other.username)

    def reply(self, now_ms: int) -> dict[bytes, Any]:
        """The entry as ACL LOG returns it."""
        return {b"count": self.count, b"reason": REASONS[self.reason], b"context": self.context,
                b"object": self.object, b"username": self.username,
                b"age-seconds": (now_ms - self.ctime) / 1000, b"client-info": self.cinfo}


class Acl:
    """The users and the ACL log of one server."""

    def __init__(self, server: "FakeServer") -> None:
        self.server = server
        self.table = CommandTable(server)
        self.users: dict[bytes, User] = {b"default": default_user(self.table)}
        self.log: list[LogEntry] = []
        server.config.listeners["requirepass"] = self._set_requirepass
        if server.config.get_value("requirepass"):
            self.users[b"default"] = self._with_password(server.config.get_value("requirepass"))
        path = server.config.get_value("aclfile").decode()
        if path and os.path.exists(path):
            self.users = self.load_file(path)

    # --- users ------------------------------------------------------------------------------------
    @property
    def default(self) -> User:
        """The default user (always present)."""
        return self.users[b"default"]

    def requires_auth(self) -> bool:
        """True when new connections start unauthenticated."""
        return not self.default.nopass or not self.default.enabled

    def restricted(self, name: bytes) -> bool:
        """True when sessions of user ``name`` need permission checks."""
        user = self.users.get(name)
        return user is not None and not user.unrestricted

    def pubsub_default_all(self) -> bool:
        """acl-pubsub-default: whether "reset" grants all channels."""
        return self.server.config.get_value("acl-pubsub-default") == b"allchannels"

    def new_user(self, name: bytes) -> User:
        """A user as ACL SETUSER creates it (not yet stored)."""
        return User(name, self.pubsub_default_all())

    def store_user(self, user: User) -> None:
        """Replace or add a user and refresh the fast-path flag of its sessions."""
        self.users[user.name] = user
        self.refresh_sessions(user.name)

    def refresh_sessions(self, name: bytes) -> None:
        """Recompute ``acl_restricted`` for every session of user ``name``. O(clients)."""
        restricted = self.restricted(name)
        for session in list(self.server.clients.values()):
            if session.user == name:
                session.acl_restricted = restricted

    def sessions_of(self, name: bytes) -> list["Session"]:
        """Authenticated sessions of user ``name``."""
        return [s for s in list(self.server.clients.values())
                if s.user == name and s.authenticated]

    def _with_password(self, value: bytes) -> User:
        """The default user with only password ``value``, or nopass when it is empty."""
        user = copy.deepcopy(self.default)
        user.apply(b"resetpass", self.table, False)
        user.apply(b">" + value if value else b"nopass", self.table, False)
        return user

    def _set_requirepass(self, value: bytes) -> None:
        """CONFIG SET requirepass acts on the default user as Redis does."""
        self.store_user(self._with_password(value))

    # --- authentication ---------------------------------------------------------------------------
    def authenticate(self, session: "Session", username: bytes, password: bytes) -> None:
        """Log ``session`` in as ``username``, or log the failure and raise WRONGPASS."""
        user = self.users.get(username)
        if user is None or not user.password_ok(password):
            self.add_log(session, DENIED_AUTH, session.last_command.upper().encode(), username)
            raise ReplyError(errors.WRONGPASS)
        session.authenticated = True
        session.user = username
        session.acl_restricted = not user.unrestricted

    def login_default(self, session: "Session") -> None:
        """A fresh or RESET connection: the default user, authenticated if it needs no password."""
        session.user = b"default"
        session.authenticated = not self.requires_auth()
        session.acl_restricted = not self.default.unrestricted

    # --- permission checks ------------------------------------------------------------------------
    def denial(self, session: "Session", cmd: registry.Command,
               argv: list[bytes]) -> tuple[int, int]:
        """(reason, argument index) when the session's user may not run this call, else (0, 0)."""
        user = self.users.get(session.user)
        if user is None:
            return 0, 0
        return user.check(cmd, argv)

    def check(self, session: "Session", cmd: registry.Command, argv: list[bytes]) -> str | None:
        """The NOPERM error for a denied call (logged), or None. Called by dispatch."""
        reason, pos = self.denial(session, cmd, argv)
        if not reason:
            return None
        context = b"multi" if session.in_multi else b"toplevel"
        self._log_denial(session, cmd, argv, reason, pos, context)
        if reason == DENIED_CMD:
            text = errors.noperm_command(cmd.name)
        else:
            text = errors.NOPERM_KEY if reason == DENIED_KEY else errors.NOPERM_CHANNEL
        if cmd.name == "exec":  # a refused EXEC discards the transaction
            end_transaction(session)
            return errors.exec_aborted(text)
        return text

    def check_exec(self, session: "Session", cmd: registry.Command,
                   argv: list[bytes]) -> str | None:
        """EXEC re-checks each queued call: the error for one the rules no longer allow."""
        reason, pos = self.denial(session, cmd, argv)
        if not reason:
            return None
        self._log_denial(session, cmd, argv, reason, pos, b"multi")
        return errors.acl_changed_since_queued(EXEC_DENIALS[reason])

    def check_script(self, session: "Session", cmd: registry.Command,
                     argv: list[bytes]) -> str | None:
        """The error redis.call gets for a denied call (logged with context lua), or None."""
        reason, pos = self.denial(session, cmd, argv)
        if not reason:
            return None
        self._log_denial(session, cmd, argv, reason, pos, b"lua")
        return errors.acl_script_denied(SCRIPT_DENIALS[reason])

    def dryrun_reply(self, user: User, cmd: registry.Command, argv: list[bytes]) -> Any:
        """ACL DRYRUN's answer: None when allowed, else the message Redis returns."""
        reason, pos = user.check(cmd, argv)
        if reason == DENIED_CMD:
            return f"This user has no permissions to run the '{cmd.name}' command".encode()
        if reason == DENIED_KEY:
            return b"This user has no permissions to access the '%s' key" % argv[pos]
        if reason == DENIED_CHANNEL:
            return b"This user has no permissions to access the '%s' channel" % argv[pos]
        return None

    # --- log --------------------------------------------------------------------------------------
    def _log_denial(self, session: "Session", cmd: registry.Command, argv: list[bytes],
                    reason: int, pos: int, context: bytes) -> None:
        obj = cmd.name.encode() if reason == DENIED_CMD else argv[pos]
        self.add_log(session, reason, obj, session.user, context)

    def add_log(self, session: "Session", reason: int, obj: bytes, username: bytes,
                context: bytes | None = None) -> None:
        """Record a denial, merging it into a recent equal entry among the newest ten."""
        if context is None:
            context = b"multi" if session.in_multi else b"toplevel"
        entry = LogEntry(reason, context, obj, username, self.server.clock.now_ms(),
                         client_info_line(session).encode())
        for i, current in enumerate(self.log[:10]):
            if current.same_event(entry):
                del self.log[i]
                self.log.insert(0, current)
                current.cinfo, current.ctime = entry.cinfo, entry.ctime
                current.count += 1
                return
        self.log.insert(0, entry)
        del self.log[self.server.config.get_int("acllog-max-len"):]

    # --- ACL files --------------------------------------------------------------------------------
    def save_text(self) -> str:
        """The ACL file contents: one "user ..." line per user, sorted by name."""
        return "".join(f"user {_text(name)} {self.users[name].describe(self.table)}\n"
                       for name in sorted(self.users))

    def _load_line(self, path: str, number: int, line: bytes, users: dict[bytes, User]) -> str:
        """Add the user one ACL file line defines to ``users``; the problems found, as text."""
        words = line.strip(b" \t\r\n").split(b" ")
        if words == [b""]:
            return ""
        if words[0] != b"user" or len(words) < 2:
            return f"{path}:{number} should start with user keyword followed by the username. "
        if words[1] in users:
            return f"WARNING: Duplicate user '{_text(words[1])}' found on line {number}. "
        user = users[words[1]] = self.new_user(words[1])
        try:
            ops = merge_selector_args(words[2:])
        except ReplyError:
            return f"{path}:{number}: Unmatched parenthesis in selector definition."
        problems, syntax_error = "", False
        for op in ops:
            try:
                user.apply(op.strip(b"\t\r\n"), self.table, self.pubsub_default_all())
            except RuleError as exc:
                if exc.why == UNKNOWN:
                    problems += f"{path}:{number}: Error in applying operation '{_text(op)}': " \
                                f"{exc.why}. "
                elif not syntax_error:
                    problems += f"{path}:{number}: {exc.why}. "
                    syntax_error = True
        return problems

    def load_file(self, path: str) -> dict[bytes, User]:
        """Parse an ACL file into users, or raise Redis's error listing every problem."""
        try:
            with open(path, "rb") as handle:
                lines = handle.read().split(b"\n")
        except OSError as exc:
            raise ReplyError(f"ERR Error loading ACLs, opening file '{path}': "
                             f"{os.strerror(exc.errno or 0)}") from None
        users: dict[bytes, User] = {}
        problems = "".join(self._load_line(path, number, line, users)
                           for number, line in enumerate(lines, 1))
        if problems:
            raise ReplyError("ERR " + problems + "WARNING: ACL errors detected, no change to the "
                             "previously active ACL rules was performed")
        if b"default" not in users:
            users[b"default"] = default_user(self.table)
        return users

