"""Server commands: COMMAND CONFIG INFO DBSIZE FLUSHALL FLUSHDB SWAPDB SAVE BGSAVE LASTSAVE TIME."""

from __future__ import annotations

import hashlib
import os
import platform
from typing import Any, Iterable

from fakeredis import errors
from fakeredis.args import parse_int
from fakeredis.commands.connection import help_reply
from fakeredis.errors import ReplyError
from fakeredis.keyspace import Database
from fakeredis.registry import Command, check_added, command, container, iter_commands
from fakeredis.replies import OK, SetReply, Status, Verbatim
from fakeredis.session import Session
from fakeredis.structures.glob import glob_match


# --- keyspace-wide commands -----------------------------------------------------------------------
_FLUSH_MODES = {"ASYNC": "4.0.0", "SYNC": "6.2.0"}


def _flush_mode(ctx: Session, name: str, args: tuple[bytes, ...]) -> None:
    """Validate the optional ASYNC/SYNC argument of FLUSHALL/FLUSHDB (as the version has it)."""
    if len(args) > 1 or (args and args[0].upper() not in (b"ASYNC", b"SYNC")):
        raise ReplyError(errors.SYNTAX)
    if args:
        check_added(ctx, name, args[0].upper().decode())


@command("flushall", arity=-1, flags="write", group="server", since="1.0.0",
         acl="keyspace dangerous", added=_FLUSH_MODES)
def flushall(ctx: Session, *mode: bytes) -> Status:
    """Remove all keys from all databases. O(keys)."""
    _flush_mode(ctx, "flushall", mode)
    if ctx.server.tracking_live:
        ctx.server.tracking.flushed()
    for db in ctx.server.dbs:
        db.flush()
    if ctx.server.config.get_value("save"):
        ctx.server.lastsave = int(ctx.server.clock.now())
    return OK


@command("flushdb", arity=-1, flags="write", group="server", since="1.0.0",
         acl="keyspace dangerous", added=_FLUSH_MODES)
def flushdb(ctx: Session, *mode: bytes) -> Status:
    """Remove all keys from the current database. O(keys)."""
    _flush_mode(ctx, "flushdb", mode)
    if ctx.server.tracking_live:
        ctx.server.tracking.flushed()
    ctx.db.flush()
    return OK


@command("dbsize", arity=1, flags="readonly fast", group="server", since="1.0.0", acl="keyspace")
def dbsize(ctx: Session) -> int:
    """Return the number of keys in the selected database. O(1)."""
    return len(ctx.db.data)


def _touch_swapped_watches(db: Database, other: Database) -> None:
    """Dirty WATCHes on ``db`` whose key exists before or after the swap (as Redis does)."""
    for key, sessions in db.watchers.items():
        if key in db.data or key in other.data:
            for session in sessions:
                session.watch_dirty = True


@command("swapdb", arity=3, flags="write fast", group="server", since="4.0.0",
         acl="keyspace dangerous")
def swapdb(ctx: Session, index1: bytes, index2: bytes) -> Status:
    """Swap the contents of two databases; clients keep their selected index. O(keys with TTL)."""
    first = parse_int(index1, errors.INVALID_FIRST_DB_INDEX)
    second = parse_int(index2, errors.INVALID_SECOND_DB_INDEX)
    if not (0 <= first < len(ctx.server.dbs) and 0 <= second < len(ctx.server.dbs)):
        raise ReplyError(errors.DB_INDEX_OUT_OF_RANGE)
    if first == second:
        return OK
    server = ctx.server
    a, b = server.dbs[first], server.dbs[second]
    _touch_swapped_watches(a, b)
    _touch_swapped_watches(b, a)
    a.data, b.data = b.data, a.data
    a.expires, b.expires = b.expires, a.expires
    a.encodings, b.encodings = b.encodings, a.encodings
    for db in (a, b):
        for key, when in db.expires.items():  # active expiry heap entries name the db index
            server.schedule_expiry(db, key, when)
        for key in db.waiters:  # clients blocked on a key that now exists are served
            if key in db.data:
                server.wake_waiters(db, key)
    return OK


# --- persistence (nothing is written: the fake has no disk) ---------------------------------------
@command("save", arity=1, flags="admin noscript no_async_loading no_multi", group="server",
         since="1.0.0")
def save(ctx: Session) -> Status:
    """Pretend to save the dataset: only LASTSAVE moves."""
    ctx.server.lastsave = int(ctx.server.clock.now())
    return OK


@command("bgsave", arity=-1, flags="admin noscript no_async_loading", group="server",
         since="1.0.0")
def bgsave(ctx: Session, *options: bytes) -> Status:
    """Pretend to save in the background; the save completes at once."""
    if len(options) > 1 or (options and options[0].upper() != b"SCHEDULE"):
        raise ReplyError(errors.SYNTAX)
    ctx.server.lastsave = int(ctx.server.clock.now())
    return Status(b"Background saving started")


@command("lastsave", arity=1, flags="loading stale fast", group="server", since="1.0.0",
         acl="admin dangerous")
def lastsave(ctx: Session) -> int:
    """Unix time of the last (pretended) save."""
    return ctx.server.lastsave


@command("time", arity=1, flags="loading stale fast", group="server", since="2.6.0")
def time_(ctx: Session) -> list[bytes]:
    """The server clock as [seconds, microseconds]."""
    seconds, micros = divmod(ctx.server.clock.now_us(), 1_000_000)
    return [b"%d" % seconds, b"%d" % micros]


# --- INFO -----------------------------------------------------------------------------------------
_STARTUP_MEMORY = 876248
_BYTES_PER_KEY = 96  # a rough per-key cost, so used_memory grows with the dataset


def _human(size: int) -> str:
    """Bytes as Redis's bytesToHuman prints them (1.18M)."""
    for unit, scale in (("P", 1 << 50), ("T", 1 << 40), ("G", 1 << 30), ("M", 1 << 20),
                        ("K", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.2f}{unit}"
    return f"{size}B"


def _server_id(ctx: Session, salt: str) -> str:
    """A stable 40-hex-digit id for this server (run_id, master_replid)."""
    seed = f"{id(ctx.server)}:{ctx.server.start_time}:{salt}".encode()
    return hashlib.sha1(seed).hexdigest()


def _info_server(ctx: Session) -> list[tuple[str, Any]]:
    server = ctx.server
    uptime = int(server.clock.now() - server.start_time)
    hz = server.config.get_value("hz").decode()
    return [
        ("redis_version", ".".join(map(str, server.version))), ("redis_git_sha1", "00000000"),
        ("redis_git_dirty", 0), ("redis_build_id", "0"), ("redis_mode", "standalone"),
        ("os", f"{platform.system()} {platform.release()} {platform.machine()}"),
        ("arch_bits", 64), ("monotonic_clock", "POSIX clock_gettime"),
        ("multiplexing_api", "epoll"), ("atomicvar_api", "c11-builtin"), ("gcc_version", "0.0.0"),
        ("process_id", os.getpid()), ("process_supervised", "no"),
        ("run_id", _server_id(ctx, "run")), ("tcp_port", server.port or 6379),
        ("server_time_usec", server.clock.now_us()), ("uptime_in_seconds", uptime),
        ("uptime_in_days", uptime // 86400), ("hz", hz), ("configured_hz", hz),
        ("lru_clock", int(server.clock.now()) & ((1 << 24) - 1)), ("executable", ""),
        ("config_file", ""), ("io_threads_active", 0),
    ]


def _info_clients(ctx: Session) -> list[tuple[str, Any]]:
    sessions = list(ctx.server.clients.values())
    return [
        ("connected_clients", len(sessions)), ("cluster_connections", 0),
        ("maxclients", ctx.server.config.get_value("maxclients").decode()),
        ("client_recent_max_input_buffer", 0), ("client_recent_max_output_buffer", 0),
        ("blocked_clients", sum(1 for s in sessions if s.blocked)), ("tracking_clients", len(ctx.server.tracking.clients)),
        ("clients_in_timeout_table", 0),
    ]


def _info_memory(ctx: Session) -> list[tuple[str, Any]]:
    keys = sum(len(db.data) for db in ctx.server.dbs)
    used = _STARTUP_MEMORY + _BYTES_PER_KEY * keys
    maxmemory = int(ctx.server.config.get_value("maxmemory"))
    return [
        ("used_memory", used), ("used_memory_human", _human(used)), ("used_memory_rss", used),
        ("used_memory_rss_human", _human(used)), ("used_memory_peak", used),
        ("used_memory_peak_human", _human(used)), ("used_memory_peak_perc", "100.00%"),
        ("used_memory_overhead", _STARTUP_MEMORY), ("used_memory_startup", _STARTUP_MEMORY),
        ("used_memory_dataset", used - _STARTUP_MEMORY), ("used_memory_dataset_perc", "100.00%"),
        ("used_memory_lua", 32768), ("used_memory_lua_human", "32.00K"),
        ("used_memory_scripts", 0), ("used_memory_scripts_human", "0B"),
        ("maxmemory", maxmemory), ("maxmemory_human", _human(maxmemory)),
        ("maxmemory_policy", ctx.server.config.get_value("maxmemory-policy").decode()),
        ("mem_fragmentation_ratio", "1.00"), ("mem_allocator", "libc"),
        ("lazyfree_pending_objects", 0), ("lazyfreed_objects", 0),
    ]


def _info_persistence(ctx: Session) -> list[tuple[str, Any]]:
    aof = int(ctx.server.config.get_value("appendonly") == b"yes")
    return [
        ("loading", 0), ("async_loading", 0), ("rdb_changes_since_last_save", 0),
        ("rdb_bgsave_in_progress", 0), ("rdb_last_save_time", ctx.server.lastsave),
        ("rdb_last_bgsave_status", "ok"), ("rdb_last_bgsave_time_sec", -1),
        ("rdb_current_bgsave_time_sec", -1), ("rdb_saves", 0), ("aof_enabled", aof),
        ("aof_rewrite_in_progress", 0), ("aof_rewrite_scheduled", 0),
        ("aof_last_rewrite_time_sec", -1), ("aof_current_rewrite_time_sec", -1),
        ("aof_last_bgrewrite_status", "ok"), ("aof_rewrites", 0), ("aof_last_write_status", "ok"),
    ]


def _info_stats(ctx: Session) -> list[tuple[str, Any]]:
    server = ctx.server
    stats = server.stats
    sessions = list(server.clients.values())
    channels = set().union(*(s.channels for s in sessions)) if sessions else set()
    patterns = set().union(*(s.patterns for s in sessions)) if sessions else set()
    shards = set().union(*(s.shard_channels for s in sessions)) if sessions else set()
    return [
        ("total_connections_received", stats.get("total_connections_received", 0)),
        ("total_commands_processed", server.commands_processed),
        ("instantaneous_ops_per_sec", 0), ("total_net_input_bytes", 0),
        ("total_net_output_bytes", 0), ("rejected_connections", 0),
        ("expired_keys", stats.get("expired_keys", 0)),
        ("evicted_keys", stats.get("evicted_keys", 0)), ("evicted_clients", 0),
        ("keyspace_hits", stats.get("keyspace_hits", 0)),
        ("keyspace_misses", stats.get("keyspace_misses", 0)),
        ("pubsub_channels", len(channels)), ("pubsub_patterns", len(patterns)),
        ("pubsubshard_channels", len(shards)), ("latest_fork_usec", 0), ("total_forks", 0),
        *((name, count) for name, count in ctx.server.tracking.info().items()
          if name != "tracking_clients"),
        ("unexpected_error_replies", 0),
        ("total_error_replies", stats.get("total_error_replies", 0)),
    ]


def _replica_fields(ctx: Session) -> list[tuple[str, Any]]:
    """INFO's fields of a replica whose link to its master (REPLICAOF) never came up."""
    master = ctx.server.replica_of
    if master is None:
        return [("role", "master")]
    return [
        ("role", "slave"), ("master_host", master[0].decode("utf-8", "replace")),
        ("master_port", master[1]), ("master_link_status", "down"),
        ("master_last_io_seconds_ago", -1), ("master_sync_in_progress", 0),
        ("slave_read_repl_offset", 0), ("slave_repl_offset", 0),
        ("master_link_down_since_seconds", -1),
        ("slave_priority", ctx.server.config.get_value("replica-priority").decode()),
        ("slave_read_only", int(ctx.server.config.get_value("replica-read-only") == b"yes")),
        ("replica_announced", int(ctx.server.config.get_value("replica-announced") == b"yes")),
    ]


def _info_replication(ctx: Session) -> list[tuple[str, Any]]:
    return _replica_fields(ctx) + [
        ("connected_slaves", 0), ("master_failover_state", "no-failover"),
        ("master_replid", _server_id(ctx, "replid")), ("master_replid2", "0" * 40),
        ("master_repl_offset", 0), ("second_repl_offset", -1), ("repl_backlog_active", 0),
        ("repl_backlog_size", ctx.server.config.get_value("repl-backlog-size").decode()),
        ("repl_backlog_first_byte_offset", 0), ("repl_backlog_histlen", 0),
    ]


def _info_cpu(ctx: Session) -> list[tuple[str, Any]]:
    times = os.times()
    return [
        ("used_cpu_sys", f"{times.system:.6f}"), ("used_cpu_user", f"{times.user:.6f}"),
        ("used_cpu_sys_children", f"{times.children_system:.6f}"),
        ("used_cpu_user_children", f"{times.children_user:.6f}"),
        ("used_cpu_sys_main_thread", f"{times.system:.6f}"),
        ("used_cpu_user_main_thread", f"{times.user:.6f}"),
    ]


def _info_keyspace(ctx: Session) -> list[tuple[str, Any]]:
    return [(f"db{db.index}", f"keys={len(db.data)},expires={len(db.expires)},avg_ttl=0")
            for db in ctx.server.dbs if db.data]


def _info_empty(ctx: Session) -> list[tuple[str, Any]]:
    return []


def _info_cluster(ctx: Session) -> list[tuple[str, Any]]:
    return [("cluster_enabled", 0)]


# Sections in Redis's order: name -> (title, fields, in "default").
INFO_SECTIONS: dict[str, tuple[str, Any, bool]] = {
    "server": ("Server", _info_server, True),
    "clients": ("Clients", _info_clients, True),
    "memory": ("Memory", _info_memory, True),
    "persistence": ("Persistence", _info_persistence, True),
    "stats": ("Stats", _info_stats, True),
    "replication": ("Replication", _info_replication, True),
    "cpu": ("CPU", _info_cpu, True),
    "modules": ("Modules", _info_empty, True),
    "commandstats": ("Commandstats", _info_empty, False),
    "errorstats": ("Errorstats", _info_empty, True),
    "latencystats": ("Latencystats", _info_empty, False),
    "cluster": ("Cluster", _info_cluster, True),
    "keyspace": ("Keyspace", _info_keyspace, True),
}


def _wanted_sections(names: list[str]) -> list[str]:
    """Section names to print, in Redis's order: named ones, or default/all/everything."""
    wanted = set(names or ["default"])
    if "all" in wanted or "everything" in wanted:
        return list(INFO_SECTIONS)
    return [name for name, (_, _, default) in INFO_SECTIONS.items()
            if name in wanted or (default and "default" in wanted)]


def info_text(ctx: Session, names: list[str]) -> str:
    """INFO's text for the requested sections. O(clients + databases)."""
    blocks = []
    for name in _wanted_sections(names):
        title, fields, _ = INFO_SECTIONS[name]
        lines = [f"# {title}\r\n"] + [f"{key}:{value}\r\n" for key, value in fields(ctx)]
        blocks.append("".join(lines))
    return "\r\n".join(blocks)


@command("info", arity=-1, flags="loading stale", group="server", since="1.0.0", acl="dangerous",
         added={"SECTION SECTION": "7.0.0"})
def info(ctx: Session, *sections: bytes) -> Verbatim:
    """Information and statistics about the server, by section."""
    if len(sections) > 1:
        check_added(ctx, "info", "SECTION SECTION")
    return Verbatim(info_text(ctx, [s.decode("latin-1").lower() for s in sections]).encode())


# --- CONFIG ---------------------------------------------------------------------------------------
container("config", arity=-2, group="server", since="2.0.0",
          summary="A container for server configuration commands")


@command("config|get", arity=-3, flags="admin noscript loading stale", group="server",
         since="2.0.0", old_arity=("7.0.0", 3))
def config_get(ctx: Session, *patterns: bytes) -> dict[bytes, bytes]:
    """Parameters matching any of the glob patterns, with their values. O(parameters)."""
    found: dict[bytes, bytes] = {}
    seen: set[bytes] = set()
    for pattern in patterns:
        for name, value in ctx.server.config.matching(pattern).items():
            if name.lower() not in seen:
                seen.add(name.lower())
                found[name] = value
    return found


def _staged_names(ctx: Session, pairs: tuple[bytes, ...]) -> list[str]:
    """CONFIG SET's first pass: every name known, settable and given once."""
    names: list[str] = []
    seen: set[str] = set()
    config = ctx.server.config
    for i in range(0, len(pairs), 2):
        given = pairs[i].decode("utf-8", "replace")
        name = given.lower()
        if name in seen:
            raise ReplyError(errors.config_set_failed(given, errors.CONFIG_DUPLICATE))
        config.validate_name(given)
        seen.add(name)
        names.append(given)
    return names


@command("config|set", arity=-4, flags="admin noscript loading stale", group="server",
         since="2.0.0", old_arity=("7.0.0", 4))
def config_set(ctx: Session, *pairs: bytes) -> Status:
    """Set parameters: all or none."""
    if len(pairs) % 2:
        raise ReplyError(errors.SYNTAX)
    config = ctx.server.config
    names = _staged_names(ctx, pairs)
    values = [config.validate(name, pairs[2 * i + 1]) for i, name in enumerate(names)]
    for name, value in zip(names, values):
        config.store(name, value)
    return OK


@command("config|resetstat", arity=2, flags="admin noscript loading stale", group="server",
         since="2.0.0")
def config_resetstat(ctx: Session) -> Status:
    """Reset the statistics reported by INFO."""
    for name in ctx.server.stats:
        ctx.server.stats[name] = 0
    ctx.server.commands_processed = 0
    return OK


@command("config|rewrite", arity=2, flags="admin noscript loading stale", group="server",
         since="2.8.0")
def config_rewrite(ctx: Session) -> Status:
    """Always Redis's error: the fake has no config file."""
    raise ReplyError(errors.NO_CONFIG_FILE)


CONFIG_HELP = (
    "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "GET <pattern>",
    "    Return parameters matching the glob-like <pattern> and their values.",
    "SET <directive> <value>",
    "    Set the configuration <directive> to <value>.",
    "RESETSTAT",
    "    Reset statistics reported by the INFO command.",
    "REWRITE",
    "    Rewrite the configuration file.",
    "HELP",
    "    Prints this help.",
)


@command("config|help", arity=2, flags="loading stale", group="server", since="5.0.0")
def config_help(ctx: Session) -> list[Status]:
    """Show helpful text about the different subcommands."""
    return help_reply(CONFIG_HELP)


# --- COMMAND --------------------------------------------------------------------------------------
def _key_specs(cmd: Command) -> SetReply:
    """Key specs derived from (first, last, step); access flags are not modelled."""
    if cmd.first_key <= 0 and cmd.key_finder is None:
        return SetReply()
    begin = {b"type": b"index", b"spec": {b"index": max(cmd.first_key, 1)}}
    if cmd.key_finder is not None and cmd.first_key <= 0:
        find: dict[bytes, Any] = {b"type": b"unknown", b"spec": {}}
    else:
        last = cmd.last_key if cmd.last_key < 0 else cmd.last_key - cmd.first_key
        find = {b"type": b"range",
                b"spec": {b"lastkey": last, b"keystep": cmd.key_step, b"limit": 0}}
    return SetReply([{b"flags": SetReply(), b"begin_search": begin, b"find_keys": find}])


def command_info(ctx: Session, cmd: Command) -> list[Any]:
    """COMMAND INFO's entry for one command, subcommands included (before 7.0: the first seven
    fields, and before 6.0 the first six)."""
    version = ctx.server.version
    entry = [
        cmd.name.encode(), cmd.arity, SetReply(Status(f.encode()) for f in cmd.flags),
        cmd.first_key, cmd.last_key, cmd.key_step,
        SetReply(Status(b"@" + c.encode()) for c in cmd.acl_categories),
    ]
    if version < (7, 0, 0):
        return entry if version >= (6, 0, 0) else entry[:6]
    subs = [command_info(ctx, sub) for sub in cmd.subcommands.values()
            if ctx.server.subcommand_known(sub)]
    return entry + [SetReply(), _key_specs(cmd), subs if cmd.subcommands else SetReply()]


def _docs(ctx: Session, cmd: Command) -> dict[bytes, Any]:
    """COMMAND DOCS's entry: summary, since, group, and subcommands."""
    doc: dict[bytes, Any] = {
        b"summary": cmd.summary.encode(),
        b"since": ".".join(map(str, cmd.since)).encode(),
        b"group": cmd.group.encode(),
    }
    if cmd.subcommands:
        doc[b"subcommands"] = {sub.name.encode(): _docs(ctx, sub)
                               for sub in cmd.subcommands.values()
                               if ctx.server.subcommand_known(sub)}
    return doc


def _lookup_full_name(ctx: Session, name: bytes) -> Command | None:
    """A command or ``container|sub`` by name (COMMAND INFO/DOCS; before 7.0 no subcommands)."""
    parent, _, sub = name.lower().partition(b"|")
    if sub and ctx.server.version < (7, 0, 0):
        return None
    cmd = ctx.server.lookup_command(parent)
    if cmd is None or not sub:
        return cmd
    found = cmd.subcommands.get(sub)
    return found if found is not None and ctx.server.subcommand_known(found) else None


def _all_commands(ctx: Session) -> Iterable[Command]:
    """Every command and subcommand this server version knows."""
    return (cmd for cmd in iter_commands(ctx.server.command_table())
            if cmd.container is None or ctx.server.subcommand_known(cmd))


@command("command", arity=-1, flags="loading stale", group="server", since="2.8.13",
         acl="connection")
def command_(ctx: Session) -> list[Any]:
    """COMMAND INFO for every command. O(commands)."""
    return [command_info(ctx, cmd) for cmd in ctx.server.command_table().values()]


@command("command|count", arity=2, flags="loading stale", group="server", since="2.8.13",
         acl="connection")
def command_count(ctx: Session) -> int:
    """How many (top-level) commands the server has."""
    return len(ctx.server.command_table())


@command("command|info", arity=-2, flags="loading stale", group="server", since="2.8.13",
         acl="connection")
def command_info_(ctx: Session, *names: bytes) -> list[Any]:
    """Details of the named commands (None for unknown names), or of all of them (from 7.0)."""
    if not names:
        return command_(ctx) if ctx.server.version >= (7, 0, 0) else []
    found = (_lookup_full_name(ctx, name) for name in names)
    return [command_info(ctx, cmd) if cmd is not None else None for cmd in found]


@command("command|docs", arity=-2, flags="loading stale", group="server", since="7.0.0",
         acl="connection")
def command_docs(ctx: Session, *names: bytes) -> dict[bytes, Any]:
    """Documentation of the named commands (unknown ones left out), or of all of them."""
    if names:
        cmds = [cmd for cmd in map(lambda n: _lookup_full_name(ctx, n), names) if cmd is not None]
    else:
        cmds = list(ctx.server.command_table().values())
    return {cmd.name.encode(): _docs(ctx, cmd) for cmd in cmds}


def _list_filter(ctx: Session, args: tuple[bytes, ...]) -> Any:
    """The predicate of COMMAND LIST FILTERBY MODULE|ACLCAT|PATTERN."""
    if not args:
        return lambda cmd: True
    if len(args) != 3 or args[0].upper() != b"FILTERBY":
        raise ReplyError(errors.SYNTAX)
    kind, value = args[1].upper(), args[2].lower()
    if kind == b"MODULE":
        return lambda cmd: False
    if kind == b"ACLCAT":
        category = value.decode("latin-1")
        return lambda cmd: category in cmd.acl_categories
    if kind == b"PATTERN":
        return lambda cmd: glob_match(value, cmd.name.encode())
    raise ReplyError(errors.SYNTAX)


@command("command|list", arity=-2, flags="loading stale", group="server", since="7.0.0",
         acl="connection")
def command_list(ctx: Session, *args: bytes) -> list[bytes]:
    """Names of all commands and subcommands, optionally filtered. O(commands)."""
    wanted = _list_filter(ctx, args)
    return [cmd.name.encode() for cmd in _all_commands(ctx) if wanted(cmd)]


@command("command|getkeys", arity=-4, flags="loading stale", group="server", since="2.8.13",
         acl="connection", old_arity=("7.0.0", -3))
def command_getkeys(ctx: Session, *argv: bytes) -> list[bytes]:
    """The key arguments of a full command line, found from its declaration."""
    _, positions = _key_positions(ctx, argv)
    return [argv[i] for i in positions]


def _key_positions(ctx: Session, argv: tuple[bytes, ...]) -> tuple[Command, list[int]]:
    """The command of a full command line and the indexes of its keys (GETKEYS's errors)."""
    cmd = ctx.server.lookup_command(argv[0])
    if cmd is not None and cmd.subcommands and len(argv) > 1:
        sub = cmd.subcommands.get(argv[1].lower())
        cmd = sub if sub is not None and ctx.server.subcommand_known(sub) else None
    if cmd is None:
        raise ReplyError(errors.GETKEYS_INVALID_COMMAND)
    if cmd.first_key <= 0 and cmd.key_finder is None:
        raise ReplyError(errors.GETKEYS_NO_KEYS)
    if not cmd.arity_ok(len(argv)):
        raise ReplyError(errors.GETKEYS_BAD_ARITY)
    try:
        positions = cmd.key_positions(list(argv))
    except (ReplyError, IndexError, ValueError):
        positions = []
    if not positions and "no_mandatory_keys" not in cmd.flags:
        raise ReplyError(errors.GETKEYS_BAD_ARGUMENTS)
    return cmd, positions


_DELETING = frozenset(("del", "unlink", "getdel"))


def _key_flags(cmd: Command) -> list[Status]:
    """Access flags of a command's keys, derived from its command flags (the fake keeps no
    per-key specs): RO access for reads, RM delete for deletions, RW update for other writes."""
    if cmd.name in _DELETING:
        return [Status(b"RM"), Status(b"delete")]
    if cmd.is_write:
        return [Status(b"RW"), Status(b"update")]
    return [Status(b"RO"), Status(b"access")]


@command("command|getkeysandflags", arity=-4, flags="loading stale", group="server",
         since="7.0.0", acl="connection")
def command_getkeysandflags(ctx: Session, *argv: bytes) -> list[list[Any]]:
    """The keys of a full command line with RO/RW/RM flags derived from the command's flags."""
    cmd, positions = _key_positions(ctx, argv)
    flags = _key_flags(cmd)
    return [[argv[i], SetReply(flags)] for i in positions]


COMMAND_HELP = (
    "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "(no subcommand)",
    "    Return details about all Redis commands.",
    "COUNT",
    "    Return the total number of commands in this Redis server.",
    "LIST",
    "    Return a list of all commands in this Redis server.",
    "INFO [<command-name> ...]",
    "    Return details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "DOCS [<command-name> ...]",
    "    Return documentation details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "GETKEYS <full-command>",
    "    Return the keys from a full Redis command.",
    "GETKEYSANDFLAGS <full-command>",
    "    Return the keys and the access flags from a full Redis command.",
    "HELP",
    "    Prints this help.",
)


@command("command|help", arity=2, flags="loading stale", group="server", since="5.0.0",
         acl="connection")
def command_help(ctx: Session) -> list[Status]:
    """Show helpful text about the different subcommands."""
    return help_reply(COMMAND_HELP)
