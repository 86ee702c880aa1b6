"""The command table: declarations, derived ACL categories, key positions, version filtering."""

import pytest

from fakeredis import registry
from fakeredis.server import FakeServer

TABLE = registry.load_all()


def test_every_command_has_a_handler_or_subcommands_and_a_summary():
    for cmd in registry.iter_commands(TABLE):
        assert cmd.handler is not None or cmd.subcommands, cmd.name  # bare COMMAND has both
        if cmd.handler is not None:
            assert cmd.summary, f"{cmd.name} has no docstring"


def test_flags_and_categories_follow_redis_order():
    for cmd in registry.iter_commands(TABLE):
        assert list(cmd.flags) == sorted(cmd.flags, key=registry.FLAG_ORDER.index), cmd.name
        assert list(cmd.acl_categories) == sorted(cmd.acl_categories,
                                                  key=registry.ACL_ORDER.index), cmd.name


def test_categories_implied_by_flags():
    get = TABLE["get"]
    assert get.acl_categories == ("read", "string", "fast")
    assert TABLE["set"].acl_categories == ("write", "string", "slow")
    assert TABLE["config"].subcommands[b"get"].acl_categories == ("admin", "slow", "dangerous")


@pytest.mark.parametrize("arity, argc, ok", [(2, 2, True), (2, 3, False), (-2, 2, True),
                                             (-2, 5, True), (-3, 2, False)])
def test_arity_rule(arity, argc, ok):
    cmd = registry.Command("x", arity, (), 0, 0, 0, "generic", (1,), (), None)
    assert cmd.arity_ok(argc) is ok


def test_key_positions_from_first_last_step_and_key_finders():
    assert TABLE["mset"].key_positions([b"mset", b"a", b"1", b"b", b"2"]) == [1, 3]
    assert TABLE["del"].key_positions([b"del", b"a", b"b"]) == [1, 2]
    assert TABLE["get"].key_positions([b"get", b"a"]) == [1]
    assert "movablekeys" in TABLE["eval"].flags
    assert TABLE["eval"].key_positions([b"eval", b"s", b"2", b"a", b"b", b"x"]) == [3, 4]


def test_declaring_twice_or_with_unknown_flags_fails():
    with pytest.raises(ValueError):
        registry.command("get", arity=2)(lambda ctx, key: None)
    with pytest.raises(ValueError):
        registry.command("brand-new", arity=1, flags="no-such-flag")(lambda ctx: None)


def test_server_table_is_filtered_by_version():
    assert FakeServer(version="6.0").lookup_command(b"getdel") is None
    assert FakeServer(version="6.2").lookup_command(b"GETDEL") is TABLE["getdel"]
