"""Print a real server's metadata for commands as fakeredis ``@command(...)`` declarations.

Usage: python conformance/redis_command_info.py [--url redis://127.0.0.1:6379] get set config ...
A development aid: declarations must match the real server, and the COMMAND INFO conformance test
checks that they do.
"""

from __future__ import annotations

import argparse

import redis

from fakeredis.registry import _categories


def declaration(conn: redis.connection.Connection, name: str) -> list[str]:
    """The @command line(s) for one command and its subcommands."""
    conn.send_command("COMMAND", "INFO", name)
    info = conn.read_response()[0]
    if info is None:
        return [f"# {name}: unknown to this server"]
    cmd, arity, flags, first, last, step, acl = info[:7]
    conn.send_command("COMMAND", "DOCS", name)
    docs = conn.read_response()
    doc = dict(zip(docs[1][::2], docs[1][1::2])) if docs else {}
    flag_words = tuple(f.decode() for f in flags)
    group = doc.get(b"group", b"?").decode()
    cats = tuple(c.decode().lstrip("@") for c in acl)
    acl_arg = ""
    declared_flags = " ".join(f for f in flag_words if f != "movablekeys")
    if _categories(flag_words, group, None) != cats:
        explicit = " ".join(c for c in cats if c not in ("write", "read", "fast", "slow", "admin",
                                                          "dangerous", "pubsub", "blocking"))
        if "dangerous" in cats and "admin" not in flag_words:
            explicit += " dangerous"
        acl_arg = f', acl="{explicit.strip()}"'
    keys = f"({first}, {last}, {step})"
    if "movablekeys" in flag_words:
        keys += ", key_finder=<function: argv -> key indexes>"
    lines = [f'@command("{cmd.decode()}", arity={arity}, flags="{declared_flags}", keys={keys}, '
             f'group="{group}", since="{doc.get(b"since", b"?").decode()}"{acl_arg})']
    for sub in info[9] or []:
        lines += declaration(conn, sub[0].decode())
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="redis://127.0.0.1:6379")
    parser.add_argument("names", nargs="+")
    args = parser.parse_args()
    conn = redis.Redis.from_url(args.url, protocol=2).connection_pool.get_connection()
    for name in args.names:
        print("\n".join(declaration(conn, name)))


if __name__ == "__main__":
    main()
