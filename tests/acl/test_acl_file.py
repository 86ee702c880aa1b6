"""ACL SAVE / ACL LOAD with an aclfile given to FakeServer (immutable at runtime, as in Redis)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import redis

from fakeredis import FakeRedis, FakeServer


def sha(password: str) -> str:
    return hashlib.sha256(password.encode()).hexdigest()


def client_for(path: Path) -> FakeRedis:
    return FakeRedis(server=FakeServer(config={"aclfile": str(path)}))


def test_save_writes_every_user_sorted(tmp_path):
    path = tmp_path / "users.acl"
    r = client_for(path)
    r.execute_command("ACL", "SETUSER", "bob", "on", ">x", "(+set ~s*)")
    r.execute_command("ACL", "SETUSER", "alice", "on", ">pw", "~k*", "+get")
    assert r.acl_save() is True
    assert path.read_text() == (
        f"user alice on #{sha('pw')} ~k* resetchannels -@all +get\n"
        f"user bob on #{sha('x')} resetchannels -@all (~s* resetchannels -@all +set)\n"
        "user default on nopass ~* &* +@all\n")


def test_the_file_is_loaded_at_startup_and_by_acl_load(tmp_path):
    path = tmp_path / "users.acl"
    path.write_text("user alice on >pw ~k* +get\n\nuser default on >secret ~* &* +@all\n")
    server = FakeServer(config={"aclfile": str(path)})
    assert FakeRedis(server=server, password="secret").acl_users() == ["alice", "default"]
    path.write_text("user carol on nopass +@all\n")
    admin = FakeRedis(server=server, password="secret")
    assert admin.acl_load() is True
    assert admin.acl_list() == [
        "user carol on nopass resetchannels +@all", "user default on nopass ~* &* +@all"]


def test_load_reports_every_problem_and_changes_nothing(tmp_path):
    path = tmp_path / "users.acl"
    r = client_for(path)
    r.execute_command("ACL", "SETUSER", "keep", "on")
    path.write_text("user default on nopass ~* &* +@all\nfoo bar\nuser alice on +nosuch\n"
                    "user alice off\nuser carol (~a\nuser dave on %X~a foo\n"
                    "  user   bob   on  +get  \n")
    with pytest.raises(redis.ResponseError) as exc:
        r.execute_command("ACL", "LOAD")
    assert str(exc.value) == (
        f"{path}:2 should start with user keyword followed by the username. "
        f"{path}:3: Error in applying operation '+nosuch': Unknown command or category name in "
        f"ACL. WARNING: Duplicate user 'alice' found on line 4. "
        f"{path}:5: Unmatched parenthesis in selector definition."
        f"{path}:6: Syntax error. {path}:7: Syntax error. "
        "WARNING: ACL errors detected, no change to the previously active ACL rules was performed")
    assert r.acl_users() == ["default", "keep"]


def test_load_without_the_file(tmp_path):
    path = tmp_path / "missing.acl"
    r = client_for(path)
    with pytest.raises(redis.ResponseError) as exc:
        r.execute_command("ACL", "LOAD")
    assert str(exc.value) == \
        f"Error loading ACLs, opening file '{path}': No such file or directory"


def test_load_drops_connections_of_replaced_users(tmp_path):
    path = tmp_path / "users.acl"
    r = client_for(path)
    r.execute_command("ACL", "SETUSER", "alice", "on", ">pw", "+@all")
    alice = FakeRedis(server=r.server, username="alice", password="pw")
    assert alice.ping() is True
    path.write_text("user alice on >pw +@all\n")
    assert r.acl_load() is True
    assert [c["user"] for c in r.client_list()] == ["default"]


def test_aclfile_is_immutable_at_runtime(tmp_path):
    r = client_for(tmp_path / "users.acl")
    assert r.config_get("aclfile") == {"aclfile": str(tmp_path / "users.acl")}
    with pytest.raises(redis.ResponseError) as exc:
        r.config_set("aclfile", "/elsewhere")
    assert "can't set immutable config" in str(exc.value)


def test_save_error(tmp_path):
    r = client_for(tmp_path / "no" / "such" / "dir.acl")
    with pytest.raises(redis.ResponseError) as exc:
        r.execute_command("ACL", "SAVE")
    assert str(exc.value) == ("There was an error trying to save the ACLs. Please check the "
                              "server logs for more information")
