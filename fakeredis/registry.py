"""The command table. Each command is declared once, with Redis's own metadata::

    @command("lpush", arity=-3, flags="write denyoom fast", keys=(1, 1, 1), group="list", since="1.0.0")
    def lpush(ctx: Session, key: bytes, *elements: bytes) -> int:
        '''Prepend one or more elements to a list.'''

The declaration drives dispatch, the arity error, COMMAND INFO/DOCS/LIST/GETKEYS, version gating and
the generated list of supported commands. Subcommands are declared as ``"config|get"`` under a
container declared with :func:`container`.
"""

from __future__ import annotations

import dataclasses
import importlib
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from fakeredis import errors
from fakeredis.errors import ReplyError

# Redis's order of command flags in COMMAND INFO.
FLAG_ORDER = (
    "write", "readonly", "denyoom", "module", "admin", "pubsub", "noscript", "blocking", "loading",
    "stale", "skip_monitor", "skip_slowlog", "asking", "fast", "no_auth", "may_replicate", "sentinel",
    "only_sentinel", "no_mandatory_keys", "protected", "no_async_loading", "no_multi",
    "movablekeys", "allow_busy",
)

# Redis's order of ACL categories.
ACL_ORDER = (
    "keyspace", "read", "write", "set", "sortedset", "list", "hash", "string", "bitmap",
    "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow", "blocking", "dangerous",
    "connection", "transaction", "scripting",
)

# The ACL category a command gets from its documentation group unless told otherwise.
GROUP_CATEGORY = {
    "string": "string", "list": "list", "set": "set", "sorted-set": "sortedset", "hash": "hash",
    "hyperloglog": "hyperloglog", "geo": "geo", "stream": "stream", "bitmap": "bitmap",
    "generic": "keyspace", "connection": "connection", "transactions": "transaction",
    "scripting": "scripting", "pubsub": "", "server": "", "cluster": "",
}

KeyFinder = Callable[[list], list]


@dataclass(eq=False)
class Command:
    """One command or subcommand as Redis's COMMAND INFO describes it, plus its handler."""

    name: str
    arity: int
    flags: tuple[str, ...]
    first_key: int
    last_key: int
    key_step: int
    group: str
    since: tuple[int, ...]
    acl_categories: tuple[str, ...]
    handler: Callable[..., Any] | None
    summary: str = ""
    key_finder: KeyFinder | None = None
    subcommands: dict[bytes, "Command"] = field(default_factory=dict)
    container: "Command | None" = None
    # argument forms newer than the command (option words ...) -> the version that added them
    added: dict[str, tuple[int, ...]] = field(default_factory=dict)
    # (version, arity before it): the arity an older server checks
    old_arity: tuple[tuple[int, ...], int] | None = None

    @property
    def is_write(self) -> bool:
        """True when the command may modify data."""
        return "write" in self.flags

    def arity_ok(self, argc: int) -> bool:
        """Redis's arity rule: exactly ``arity`` arguments, or at least ``-arity``."""
        arity = self.arity
        return argc == arity if arity >= 0 else argc >= -arity

    def key_positions(self, argv: list) -> list[int]:
        """Indexes of the key arguments in ``argv`` (COMMAND GETKEYS, WATCH rules, ACL)."""
        if self.key_finder is not None:
            return list(self.key_finder(argv))
        if self.first_key <= 0:
            return []
        last = self.last_key if self.last_key >= 0 else len(argv) + self.last_key
        return list(range(self.first_key, min(last, len(argv) - 1) + 1, self.key_step))


REGISTRY: dict[str, Command] = {}
# (command name, argument form) -> the version that added it: every command's ``added``, flat
ADDED: dict[tuple[str, str], tuple[int, ...]] = {}

COMMAND_MODULES = (
    "connection", "server", "strings", "bitmaps", "keys", "expiry", "lists", "sets", "hashes",
    "zsets", "hyperloglog", "geo", "streams", "sort", "transactions", "scripting", "pubsub",
    "acl", "admin", "cluster", "debug",
)


def _parse_since(since: str) -> tuple[int, ...]:
    return tuple(int(part) for part in since.split("."))


def _categories(flags: tuple[str, ...], group: str, acl: str | None) -> tuple[str, ...]:
    """The ACL categories Redis gives a command: explicit ones plus those implied by flags."""
    cats = set(acl.split()) if acl is not None else {GROUP_CATEGORY.get(group, "")} - {""}
    if "write" in flags:
        cats.add("write")
    if "readonly" in flags and "scripting" not in cats:
        cats.add("read")
    if "admin" in flags:
        cats |= {"admin", "dangerous"}
    if "pubsub" in flags:
        cats.add("pubsub")
    if "fast" in flags:
        cats.add("fast")
    if "blocking" in flags:
        cats.add("blocking")
    if "fast" not in cats:
        cats.add("slow")
    return tuple(c for c in ACL_ORDER if c in cats)


def _declare(
    name: str, arity: int, flags: str, keys: tuple[int, int, int], group: str,
    since: str, acl: str | None, handler: Callable[..., Any] | None,
    key_finder: KeyFinder | None = None, added: dict[str, str] | None = None,
    old_arity: tuple[str, int] | None = None,
) -> Command:
    flag_set = flags.split()
    if key_finder is not None:
        flag_set.append("movablekeys")
    unknown = set(flag_set) - set(FLAG_ORDER)
    if unknown:
        raise ValueError(f"{name}: unknown flags {unknown}")
    ordered = tuple(f for f in FLAG_ORDER if f in flag_set)
    doc = (handler.__doc__ or "").strip().splitlines() if handler else []
    cmd = Command(
        name=name, arity=arity, flags=ordered, first_key=keys[0], last_key=keys[1],
        key_step=keys[2], group=group, since=_parse_since(since),
        acl_categories=_categories(ordered, group, acl), handler=handler,
        summary=doc[0] if doc else "", key_finder=key_finder,
        added={form: _parse_since(v) for form, v in (added or {}).items()},
        old_arity=(_parse_since(old_arity[0]), old_arity[1]) if old_arity else None,
    )
    ADDED.update(((name, form), version) for form, version in cmd.added.items())
    parent_name, _, sub = name.partition("|")
    if sub:
        parent = REGISTRY[parent_name]
        cmd.container = parent
        parent.subcommands[sub.encode()] = cmd
    else:
        if name in REGISTRY:
            raise ValueError(f"command {name!r} declared twice")
        REGISTRY[name] = cmd
    return cmd


def command(
    name: str, arity: int, flags: str = "", keys: tuple[int, int, int] = (0, 0, 0),
    group: str = "generic", since: str = "1.0.0", acl: str | None = None,
    key_finder: KeyFinder | None = None, added: dict[str, str] | None = None,
    old_arity: tuple[str, int] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a command (or ``container|subcommand``) and its handler.

    ``keys`` is COMMAND INFO's (first, last, step); commands whose keys move (numkeys arguments,
    STORE options ...) also give ``key_finder(argv) -> key indexes`` and get the movablekeys flag.
    ``added`` maps argument forms newer than the command (``{"GET": "6.2.0"}``) to their version,
    for :func:`check_added`; ``old_arity`` is ``(version, arity before it)`` for older servers.
    """

    def register(handler: Callable[..., Any]) -> Callable[..., Any]:
        _declare(name, arity, flags, keys, group, since, acl, handler, key_finder, added,
                 old_arity)
        return handler

    return register


def container(
    name: str, arity: int = -2, flags: str = "", group: str = "server", since: str = "1.0.0",
    acl: str | None = "", summary: str = "",
) -> Command:
    """Declare a command that only dispatches to its subcommands (CONFIG, OBJECT, CLIENT ...)."""
    cmd = _declare(name, arity, flags, (0, 0, 0), group, since, acl, None)
    cmd.summary = summary
    return cmd


def as_of(cmd: Command, version: tuple[int, ...]) -> Command:
    """``cmd`` as a server of ``version`` has it (an older arity); ``cmd`` if unchanged."""
    subs = {name: as_of(sub, version) for name, sub in cmd.subcommands.items()}
    subs_changed = any(subs[name] is not sub for name, sub in cmd.subcommands.items())
    old = cmd.old_arity
    arity = old[1] if old is not None and version < old[0] else cmd.arity
    if arity == cmd.arity and not subs_changed:
        return cmd
    return dataclasses.replace(cmd, arity=arity, subcommands=subs)


def has_added(ctx: Any, name: str, form: str) -> bool:
    """True when the server's version knows ``form`` of ``name`` (for forms an older server read
    as something else rather than rejecting)."""
    return ctx.server.version >= ADDED[name, form]


def check_added(ctx: Any, name: str, form: str, error: str = errors.SYNTAX) -> None:
    """Answer ``error``, as an older server did, when ``form`` of ``name`` is newer than it."""
    if not has_added(ctx, name, form):
        raise ReplyError(error)


def load_all() -> dict[str, Command]:
    """Import every command module once so that its declarations run; return the table."""
    for module in COMMAND_MODULES:
        importlib.import_module(f"fakeredis.commands.{module}")
    return REGISTRY


def iter_commands(table: dict[str, Command]) -> Iterable[Command]:
    """Every command and subcommand in ``table``."""
    for cmd in table.values():
        yield cmd
        yield from cmd.subcommands.values()
