"""The ACL module: command table, rules, the fast-path flag of sessions, selector merging."""

from __future__ import annotations

import pytest

from fakeredis import FakeRedis, FakeServer
from fakeredis.acl import RuleError, User, hash_password, merge_selector_args
from fakeredis.errors import ReplyError


@pytest.fixture
def server() -> FakeServer:
    return FakeServer()


def test_command_table_knows_every_redis_command(server):
    table = server.acl.table
    assert table.lookup("GET") == "get"
    assert table.lookup("Client|Id") == "client|id"
    assert table.lookup("debug") == "debug"
    assert set(table.all_names) <= set(table.registered)  # every Redis 7.0 command is declared
    assert table.lookup("get|x") is None
    assert table.lookup("client|id|x") is None
    assert table.lookup("nosuch") is None
    assert table.with_subs("client")[0] == "client"
    assert "client|kill" in table.with_subs("client")
    assert "client|setinfo" not in table.all_names  # 7.2 only


def test_unrestricted_users_skip_every_check(server):
    session = server.new_session()
    assert session.acl_restricted is False
    server.execute(session, [b"ACL", b"SETUSER", b"default", b"-flushall"])
    assert session.acl_restricted is True
    server.execute(session, [b"ACL", b"SETUSER", b"default", b"+@all"])
    assert session.acl_restricted is False
    server.execute(session, [b"ACL", b"SETUSER", b"default", b"resetchannels"])
    assert session.acl_restricted is True


def test_a_selector_with_everything_makes_a_user_unrestricted(server):
    user = User(b"u")
    for op in (b"on", b"(~* &* +@all)"):
        user.apply(op, server.acl.table, False)
    assert user.unrestricted
    user.apply(b"clearselectors", server.acl.table, False)
    assert not user.unrestricted


def test_rules_that_fail(server):
    user = User(b"u")
    with pytest.raises(RuleError) as exc:
        user.apply(b"+nosuch", server.acl.table, False)
    assert exc.value.why == "Unknown command or category name in ACL"


def test_reset_follows_acl_pubsub_default():
    server = FakeServer(config={"acl-pubsub-default": "allchannels"})
    r = FakeRedis(server=server)
    r.execute_command("ACL", "SETUSER", "u", "reset", "(~a)")
    assert r.acl_list()[1] == "user u off sanitize-payload &* -@all (~a &* -@all)"


def test_requirepass_in_the_server_config():
    server = FakeServer(config={"requirepass": "pw"})
    assert server.acl.default.passwords == [hash_password(b"pw")]
    assert FakeRedis(server=server, password="pw").ping() is True


def test_merge_selector_args():
    assert merge_selector_args([b"on", b"(~a", b"+get)", b"(~b)", b"x"]) == \
        [b"on", b"(~a +get)", b"(~b)", b"x"]
    with pytest.raises(ReplyError) as exc:
        merge_selector_args([b"(~a", b"+get"])
    assert exc.value.text == "ERR Unmatched parenthesis in acl selector starting at '(~a'."
