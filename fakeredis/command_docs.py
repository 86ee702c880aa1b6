"""The list of supported commands, generated from the registry: ``python -m fakeredis.command_docs``.

docs/COMMANDS.md is this module's output; a test keeps it in step with the declarations.
"""

from __future__ import annotations

import pathlib
import sys

from fakeredis import registry

DOC_PATH = pathlib.Path(__file__).resolve().parent.parent / "docs" / "COMMANDS.md"


def markdown(table: dict[str, registry.Command]) -> str:
    """Every command and subcommand, grouped as Redis's documentation groups them."""
    groups: dict[str, list[registry.Command]] = {}
    for cmd in registry.iter_commands(table):
        groups.setdefault(cmd.group, []).append(cmd)
    total = sum(len(cmds) for cmds in groups.values())
    lines = [
        "# Supported commands",
        "",
        f"Generated from fakeredis's command registry ({total} commands and subcommands); "
        "arity, flags and key positions are Redis 7.0's own, checked against a real server by "
        "conformance/test_command_info.py. `since` is the Redis version that introduced the "
        "command: `FakeServer(version=...)` hides newer ones.",
        "",
    ]
    for group in sorted(groups):
        lines += [f"## {group}", "", "| command | since | arity | flags | summary |",
                  "|---|---|---|---|---|"]
        for cmd in sorted(groups[group], key=lambda c: c.name):
            since = ".".join(map(str, cmd.since))
            flags = " ".join(cmd.flags)
            lines.append(f"| `{cmd.name.upper()}` | {since} | {cmd.arity} | {flags} | "
                         f"{cmd.summary.replace('|', '/')} |")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    """Write docs/COMMANDS.md (or print it with ``-``)."""
    text = markdown(registry.load_all())
    if sys.argv[1:] == ["-"]:
        print(text)
    else:
        DOC_PATH.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
