"""Every command the fake declares matches the real server's COMMAND INFO.

Name, arity, flags, first/last key and step, and ACL categories of each command and subcommand in
the registry are compared with a real Redis; all mismatches are reported in one assertion.
"""

from __future__ import annotations

from typing import Any, Iterator

import pytest
import redis

from conformance.conftest import make_client
from conformance.helpers import raw
from fakeredis import FakeRedis, FakeServer
from fakeredis.registry import Command, iter_commands


@pytest.fixture
def real(request: pytest.FixtureRequest) -> Iterator[redis.Redis]:
    """A RESP2 client of the real server (skipped, or failed in CI, when there is none)."""
    client = make_client("real", 2, request)
    yield client
    client.close()


def _as_text(values: Any) -> list[str]:
    return [v.decode() if isinstance(v, bytes) else str(v) for v in values]


def _real_infos(real: redis.Redis, names: list[str]) -> dict[str, list[Any]]:
    """COMMAND INFO of the real server by full name, for the names it knows."""
    replies = raw(real, "COMMAND", "INFO", *names)
    return {name: info for name, info in zip(names, replies) if info is not None}


def _differences(cmd: Command, info: list[Any]) -> list[str]:
    """How the fake's declaration of ``cmd`` differs from the real COMMAND INFO entry."""
    ours = {
        "arity": cmd.arity, "flags": sorted(cmd.flags),
        "keys": (cmd.first_key, cmd.last_key, cmd.key_step),
        "acl": sorted(f"@{c}" for c in cmd.acl_categories),
    }
    theirs = {
        "arity": info[1], "flags": sorted(_as_text(info[2])), "keys": tuple(info[3:6]),
        "acl": sorted(_as_text(info[6])),
    }
    return [f"{cmd.name}: {field} fake={ours[field]} real={theirs[field]}"
            for field in ours if ours[field] != theirs[field]]


def test_declarations_match_the_real_server(real):
    fake = FakeServer()
    commands = [cmd for cmd in iter_commands(fake.command_table())
                if cmd.container is None or fake.subcommand_known(cmd)]
    infos = _real_infos(real, [cmd.name for cmd in commands])
    assert len(infos) > 100  # the registry and the real server do overlap
    mismatches = [line for cmd in commands if cmd.name in infos
                  for line in _differences(cmd, infos[cmd.name])]
    mismatches += [f"{cmd.name}: names differ (real {infos[cmd.name][0]!r})"
                   for cmd in commands if cmd.name in infos
                   and infos[cmd.name][0].decode() != cmd.name]
    assert not mismatches, f"{len(mismatches)} mismatches:\n" + "\n".join(mismatches)


def test_fake_lists_only_registered_commands():
    fake = FakeServer()
    client = FakeRedis(server=fake, protocol=2)
    table = fake.command_table()
    registered = {cmd.name for cmd in iter_commands(table)
                  if cmd.container is None or fake.subcommand_known(cmd)}
    assert raw(client, "COMMAND", "COUNT") == len(table)
    assert {name.decode() for name in raw(client, "COMMAND", "LIST")} == registered
    assert {info[0].decode() for info in raw(client, "COMMAND")} == set(table)
    client.close()
