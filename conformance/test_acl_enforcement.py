"""ACL enforcement: commands, keys and channels checked before a command runs, MULTI, scripts,
ACL LOG and ACL DRYRUN."""

from __future__ import annotations

import re

import pytest
import redis

from conformance.helpers import is_resp3, raw
from conformance.test_acl import as_dict, error_text, reset_acl

NOPERM_KEYS = "this user has no permissions to access one of the keys used as arguments"
NOPERM_CHANNELS = "this user has no permissions to access one of the channels used as arguments"


def noperm(command: str) -> str:
    return f"this user has no permissions to run the '{command}' command"


@pytest.fixture(autouse=True)
def clean_acl(r: redis.Redis):
    """Every test starts and ends with only the default user and an empty ACL log."""
    reset_acl(r)
    yield
    reset_acl(r)


def as_user(r: redis.Redis, make, *rules: str) -> redis.Redis:
    """A client authenticated as a fresh user "u" with these rules (plus on and a password)."""
    raw(r, "ACL", "SETUSER", "u", "reset", "on", ">pw", *rules)
    return make(r, username="u", password="pw")


def denied(call, text: str) -> None:
    assert error_text(call, redis.exceptions.NoPermissionError) == text


def client_list(r: redis.Redis, *args: str) -> str:
    """CLIENT LIST as text."""
    reply = raw(r, "CLIENT", "LIST", *args)
    return reply.decode() if isinstance(reply, bytes) else str(reply)


def log_entries(r: redis.Redis, *count: str) -> list[dict]:
    """ACL LOG entries as dicts, without the fields that differ between servers."""
    entries = []
    for entry in raw(r, "ACL", "LOG", *count):
        entry = as_dict(entry)
        age = entry.pop(b"age-seconds")
        assert float(age) >= 0
        info = entry.pop(b"client-info").decode()
        assert re.match(r"id=\d+ addr=\S+ laddr=\S+ fd=\d+ name=", info)
        assert " user=" in info and " cmd=" in info
        entries.append(entry)
    return entries


# --- commands -------------------------------------------------------------------------------------
def test_commands_outside_the_rules_are_refused(r, make):
    client = as_user(r, make, "allkeys", "+get", "+client|id", "+@hash")
    assert client.get("k") is None
    assert client.hset("h", "f", "v") == 1
    assert isinstance(client.client_id(), int)
    denied(lambda: client.set("k", "v"), noperm("set"))
    denied(lambda: raw(client, "CLIENT", "LIST"), noperm("client|list"))
    denied(lambda: raw(client, "acl", "whoami"), noperm("acl|whoami"))
    assert r.get("k") is None  # nothing ran


def test_unknown_commands_and_arity_are_reported_before_permissions(r, make):
    client = as_user(r, make, "allkeys", "+get")
    assert error_text(lambda: raw(client, "NOSUCH")) == \
        "unknown command 'NOSUCH', with args beginning with: "
    assert error_text(lambda: raw(client, "SET", "k")) == \
        "wrong number of arguments for 'set' command"
    assert error_text(lambda: raw(client, "CLIENT", "NOSUCH")) == \
        "unknown subcommand 'NOSUCH'. Try CLIENT HELP."


def test_blocked_subcommands_and_first_arguments(r, make):
    client = as_user(r, make, "+@all", "-client|kill", "-select", "+select|0", "allkeys")
    assert raw(client, "CLIENT", "ID")
    denied(lambda: raw(client, "CLIENT", "KILL", "ID", "999"), noperm("client|kill"))
    assert raw(client, "SELECT", "0") == b"OK"
    denied(lambda: raw(client, "SELECT", "1"), noperm("select"))


def test_connection_commands_without_auth_always_run(r, make):
    client = as_user(r, make)
    assert raw(client, "AUTH", "u", "pw") == b"OK"
    assert as_dict(raw(client, "HELLO"))[b"server"] == b"redis"
    denied(lambda: raw(client, "PING"), noperm("ping"))


# --- keys -----------------------------------------------------------------------------------------
def test_key_patterns(r, make):
    client = as_user(r, make, "+@all", "~k*", "~other")
    assert client.set("k1", "v") is True
    assert client.get("other") is None
    denied(lambda: client.get("x"), NOPERM_KEYS)
    denied(lambda: client.mset({"k2": "v", "x": "v"}), NOPERM_KEYS)
    denied(lambda: client.rename("k1", "x"), NOPERM_KEYS)
    assert r.exists("k2", "x") == 0
    assert client.dbsize() == 1  # no keys used: allowed


def test_read_and_write_key_patterns(r, make):
    client = as_user(r, make, "+@all", "%R~r*", "%W~w*")
    r.set("r1", "v")
    assert client.get("r1") == b"v"
    denied(lambda: client.set("r1", "x"), NOPERM_KEYS)
    assert client.set("w1", "v") is True
    denied(lambda: client.get("w1"), NOPERM_KEYS)
    assert r.get("r1") == b"v"


# --- channels -------------------------------------------------------------------------------------
def test_channel_patterns(r, make):
    client = as_user(r, make, "+@all", "&news.*")
    assert client.publish("news.today", "hi") == 0
    denied(lambda: client.publish("sport", "hi"), NOPERM_CHANNELS)
    denied(lambda: raw(client, "SUBSCRIBE", "news.a", "sport"), NOPERM_CHANNELS)
    denied(lambda: raw(client, "SPUBLISH", "sport", "x"), NOPERM_CHANNELS)
    denied(lambda: raw(client, "SSUBSCRIBE", "sport"), NOPERM_CHANNELS)
    # a PSUBSCRIBE pattern must equal an allowed pattern literally
    denied(lambda: raw(client, "PSUBSCRIBE", "news.t*"), NOPERM_CHANNELS)
    assert raw(r, "ACL", "DRYRUN", "u", "UNSUBSCRIBE", "sport") == b"OK"  # never refused


def test_channels_allowed_for_subscribe(r, make):
    client = as_user(r, make, "+@all", "&news.*")
    pubsub = client.pubsub()
    pubsub.psubscribe("news.*")
    pubsub.subscribe("news.x")
    assert pubsub.get_message(timeout=1)["type"] == "psubscribe"
    assert pubsub.get_message(timeout=1)["type"] == "subscribe"
    pubsub.close()


def test_default_channels_of_new_users_are_none(r, make):
    client = as_user(r, make, "+@all")
    denied(lambda: client.publish("c", "x"), NOPERM_CHANNELS)


# --- MULTI and scripts ----------------------------------------------------------------------------
def test_denials_inside_multi_abort_the_transaction(r, make):
    client = as_user(r, make, "+@all", "~k*")
    pipe = client.pipeline(transaction=True)
    pipe.set("k1", "v")
    pipe.get("x")
    assert error_text(pipe.execute, redis.exceptions.NoPermissionError) == \
        f"Command # 2 (GET x) of pipeline caused error: {NOPERM_KEYS}"
    assert r.get("k1") is None
    assert [(e[b"reason"], e[b"context"], e[b"object"]) for e in log_entries(r)] == \
        [(b"key", b"multi", b"x")]


def test_denied_commands_in_multi_are_refused_when_queued(r, make):
    client = as_user(r, make, "+multi", "+exec", "+get", "allkeys")
    conn = client.connection_pool.get_connection()
    try:
        conn.send_command("MULTI")
        assert conn.read_response() == b"OK"
        conn.send_command("SET", "k", "v")
        with pytest.raises(redis.exceptions.NoPermissionError) as exc:
            conn.read_response()
        assert str(exc.value) == noperm("set")
        conn.send_command("GET", "k")
        assert conn.read_response() == b"QUEUED"
        conn.send_command("EXEC")
        with pytest.raises(redis.ResponseError) as exc:
            conn.read_response()
        assert str(exc.value) == "Transaction discarded because of previous errors."
    finally:
        client.connection_pool.release(conn)


def test_scripts_run_commands_as_their_user(r, make):
    client = as_user(r, make, "+eval", "+get", "~k*")
    assert client.eval("return redis.call('get', 'k1')", 0) is None
    with pytest.raises(redis.ResponseError) as exc:
        client.eval("return redis.call('get', 'x')", 0)
    assert str(exc.value).startswith(
        "The user executing the script can't access at least one of the keys mentioned in the "
        "command arguments script: ")
    with pytest.raises(redis.ResponseError) as exc:
        client.eval("return redis.pcall('set', 'k1', 'v')", 0)
    assert str(exc.value) == "The user executing the script can't run this command or subcommand"
    assert client.eval("local r = redis.pcall('get', 'x') return r['err']", 0) == (
        b"ERR The user executing the script can't access at least one of the keys mentioned in "
        b"the command arguments")
    assert [(e[b"reason"], e[b"context"], e[b"object"], e[b"count"]) for e in log_entries(r)] == [
        (b"key", b"lua", b"x", 2), (b"command", b"lua", b"set", 1)]


def test_script_publish_denied(r, make):
    client = as_user(r, make, "+eval", "&c*")
    with pytest.raises(redis.ResponseError) as exc:
        client.eval("return redis.pcall('publish', 'x', 'y')", 0)
    assert str(exc.value) == \
        "The user executing the script can't run this command or subcommand"
    raw(r, "ACL", "SETUSER", "u", "+publish")
    with pytest.raises(redis.ResponseError) as exc:
        client.eval("return redis.pcall('publish', 'x', 'y')", 0)
    assert str(exc.value) == \
        "The user executing the script can't publish to the channel mentioned in the command"


# --- ACL LOG -------------------------------------------------------------------------------------
def test_acl_log_records_denials(r, make):
    client = as_user(r, make, "+get", "+publish", "~k*")
    denied(lambda: client.set("k", "v"), noperm("set"))
    denied(lambda: client.get("x"), NOPERM_KEYS)
    denied(lambda: client.publish("ch", "m"), NOPERM_CHANNELS)
    denied(lambda: client.get("x"), NOPERM_KEYS)
    assert log_entries(r) == [
        {b"count": 2, b"reason": b"key", b"context": b"toplevel", b"object": b"x",
         b"username": b"u"},
        {b"count": 1, b"reason": b"channel", b"context": b"toplevel", b"object": b"ch",
         b"username": b"u"},
        {b"count": 1, b"reason": b"command", b"context": b"toplevel", b"object": b"set",
         b"username": b"u"},
    ]
    assert len(log_entries(r, "1")) == 1
    assert log_entries(r, "-5") == []
    assert raw(r, "ACL", "LOG", "RESET") == b"OK"
    assert log_entries(r) == []


def test_acl_log_records_failed_auth(r, make):
    raw(r, "ACL", "SETUSER", "u", "on", ">pw")
    for _ in range(3):
        error_text(lambda: raw(r, "AUTH", "u", "bad"), redis.AuthenticationError)
    error_text(lambda: raw(r, "AUTH", "nosuch", "x"), redis.AuthenticationError)
    assert log_entries(r) == [
        {b"count": 1, b"reason": b"auth", b"context": b"toplevel", b"object": b"AUTH",
         b"username": b"nosuch"},
        {b"count": 3, b"reason": b"auth", b"context": b"toplevel", b"object": b"AUTH",
         b"username": b"u"},
    ]


def test_acl_log_records_failed_hello_auth(r, make):
    error_text(lambda: raw(r, "HELLO", "2", "AUTH", "nosuch", "pw"), redis.AuthenticationError)
    assert log_entries(r) == [
        {b"count": 1, b"reason": b"auth", b"context": b"toplevel", b"object": b"HELLO",
         b"username": b"nosuch"}]


def test_acl_log_client_info_describes_the_denied_client(r, make):
    client = as_user(r, make, "+get", "+client|id", "~k*")
    denied(lambda: client.get("x"), NOPERM_KEYS)
    entry = as_dict(raw(r, "ACL", "LOG")[0])
    fields = dict(part.split("=", 1) for part in entry[b"client-info"].decode().split(" "))
    assert fields["user"] == "u"
    assert fields["cmd"] == "get"
    assert fields["id"] == str(client.client_id())


def test_redis_py_acl_log(r, make):
    client = as_user(r, make, "+get", "~k*")
    denied(lambda: client.get("x"), NOPERM_KEYS)
    (entry,) = r.acl_log()
    assert {k: entry[k] for k in ("count", "reason", "context", "object", "username")} == {
        "count": 1, "reason": "key", "context": "toplevel", "object": "x", "username": "u"}
    assert isinstance(entry["age-seconds"], float)
    info = entry["client-info"]
    if is_resp3(r):
        assert isinstance(info, str) and " user=u " in info
    else:
        assert info["user"] == "u"
    assert r.acl_log_reset() is True


def test_acl_log_errors(r):
    assert error_text(lambda: raw(r, "ACL", "LOG", "x")) == \
        "value is not an integer or out of range"
    assert error_text(lambda: raw(r, "acl", "log", "1", "2")) == \
        "unknown subcommand or wrong number of arguments for 'log'. Try ACL HELP."


# --- ACL DRYRUN -----------------------------------------------------------------------------------
def test_acl_dryrun(r):
    raw(r, "ACL", "SETUSER", "u", "+get", "+client|id", "+publish", "~k*", "&c*")
    assert raw(r, "ACL", "DRYRUN", "u", "GET", "k1") == b"OK"
    assert raw(r, "ACL", "DRYRUN", "u", "get", "x") == \
        b"This user has no permissions to access the 'x' key"
    assert raw(r, "ACL", "DRYRUN", "u", "del", "k1") == \
        b"This user has no permissions to run the 'del' command"
    assert raw(r, "ACL", "DRYRUN", "u", "publish", "zz", "m") == \
        b"This user has no permissions to access the 'zz' channel"
    assert raw(r, "ACL", "DRYRUN", "u", "client", "id") == b"OK"
    assert raw(r, "ACL", "DRYRUN", "u", "client", "list") == \
        b"This user has no permissions to run the 'client|list' command"
    assert r.acl_dryrun("u", "get", "k1") == b"OK"
    assert error_text(lambda: raw(r, "ACL", "DRYRUN", "nosuch", "get", "x")) == \
        "User 'nosuch' not found"
    assert error_text(lambda: raw(r, "ACL", "DRYRUN", "u", "nocmd", "x")) == \
        "Command 'nocmd' not found"
    assert error_text(lambda: raw(r, "ACL", "DRYRUN", "u", "client", "x")) == \
        "Command 'client' not found"
    assert error_text(lambda: raw(r, "ACL", "DRYRUN", "u", "get", "a", "b")) == \
        "wrong number of arguments for 'get' command"
    assert log_entries(r) == []  # dry runs are not logged


# --- selectors ------------------------------------------------------------------------------------
def test_selectors_grant_alternatives(r, make):
    client = as_user(r, make, "+get", "~r*", "(+set ~w*)")
    r.set("r1", "v")
    assert client.get("r1") == b"v"
    assert client.set("w1", "v") is True
    denied(lambda: client.get("w1"), NOPERM_KEYS)  # the selector allows SET only
    denied(lambda: client.set("r1", "v"), NOPERM_KEYS)  # the most relevant error: a key
    denied(lambda: client.delete("r1"), noperm("del"))
    assert raw(r, "ACL", "DRYRUN", "u", "set", "w2", "v") == b"OK"


# --- changing users under live connections --------------------------------------------------------
def test_rule_changes_apply_to_live_connections(r, make):
    client = as_user(r, make, "+@all", "allkeys")
    assert client.set("k", "v") is True
    raw(r, "ACL", "SETUSER", "u", "-set")
    denied(lambda: client.set("k", "v"), noperm("set"))
    raw(r, "ACL", "SETUSER", "u", "+set")
    assert client.set("k", "w") is True


def test_restricting_the_default_user(r, make):
    raw(r, "ACL", "SETUSER", "default", "-flushall")
    other = make(r)
    denied(other.flushall, noperm("flushall"))
    assert other.ping() is True


def test_exec_rechecks_queued_commands(r, make):
    client = as_user(r, make, "+@all", "allkeys", "&*")
    conn = client.connection_pool.get_connection()
    try:
        for argv in (("MULTI",), ("SET", "k", "v"), ("GET", "k"), ("PUBLISH", "c", "m")):
            conn.send_command(*argv)
            assert conn.read_response() in (b"OK", b"QUEUED")
        raw(r, "ACL", "SETUSER", "u", "-set", "resetchannels")
        conn.send_command("EXEC")
        replies = conn.read_response()
    finally:
        client.connection_pool.release(conn)
    prefix = ("ACLs rules changed between the moment the transaction was accumulated and the "
              "EXEC call. This command is no longer allowed for the following reason: ")
    assert [str(x) if isinstance(x, Exception) else x for x in replies] == [
        prefix + "no permission to execute the command or subcommand", None,
        prefix + "no permission to access one of the channels used as arguments"]
    assert [(e[b"reason"], e[b"context"], e[b"object"]) for e in log_entries(r)] == [
        (b"channel", b"multi", b"c"), (b"command", b"multi", b"set")]


def test_revoking_channels_drops_subscribers(r, make):
    client = as_user(r, make, "+@all", "&c*", "+client|id")
    pubsub = client.pubsub()
    pubsub.subscribe("c1")
    assert pubsub.get_message(timeout=1)["type"] == "subscribe"
    (subscriber,) = re.findall(r"^id=(\d+) ", client_list(r, "TYPE", "pubsub"), re.M)
    raw(r, "ACL", "SETUSER", "u", "&c1")  # still allowed: kept
    assert f"id={subscriber} " in client_list(r, "TYPE", "pubsub")
    raw(r, "ACL", "SETUSER", "u", "resetchannels", "&d*")
    assert f"id={subscriber} " not in client_list(r)
    pubsub.close()


def test_redis_acl_check_cmd_in_scripts(r, make):
    client = as_user(r, make, "+eval", "+get", "~k*")
    check = "return redis.acl_check_cmd(unpack(ARGV))"
    assert raw(client, "EVAL", check, 0, "get", "k1") == 1
    assert raw(client, "EVAL", check, 0, "get", "x") is None
    assert raw(client, "EVAL", check, 0, "set", "k1", "v") is None
    assert raw(client, "EVAL", check, 0, "client") is None
    assert raw(client, "EVAL", check, 0, "get") == 1
    with pytest.raises(redis.ResponseError) as exc:
        raw(client, "EVAL", check, 0, "client", "nosuch")
    assert str(exc.value).startswith("Invalid command passed to redis.acl_check_cmd() script: ")
    assert raw(r, "EVAL", check, 0, "set", "k1", "v") == 1


KEY_ACCESS_CASES = [
    # (rules, command, the key refused or None)
    (["%W~*"], ["INCR", "k"], "k"),  # read-modify-write needs both
    (["%R~*"], ["INCR", "k"], "k"),
    (["%R~*", "%W~*"], ["INCR", "k"], None),
    (["%W~*"], ["SET", "k", "v"], None),
    (["%W~*"], ["SET", "k", "v", "GET"], "k"),
    (["%R~*"], ["BITFIELD", "k", "GET", "u8", "0"], None),
    (["%R~*"], ["BITFIELD", "k", "GET", "u8", "0", "SET", "u8", "0", "1"], "k"),
    (["%W~*"], ["DEL", "k"], None),
    (["%W~*"], ["EXISTS", "k"], None),  # no access flag: any pattern will do
    (["%R~*"], ["TYPE", "k"], None),
    (["%R~src", "%W~dst"], ["COPY", "src", "dst"], None),
    (["%R~src", "%W~dst"], ["COPY", "dst", "src"], "dst"),
    (["%W~d", "%R~s*"], ["SUNIONSTORE", "d", "s1", "s2"], None),
    (["%R~d", "%W~s*"], ["SUNIONSTORE", "d", "s1", "s2"], "d"),
    (["%R~*"], ["LPUSH", "k", "v"], "k"),
    (["%W~*"], ["LPOP", "k"], "k"),
    (["%R~g", "%W~out"], ["GEORADIUS", "g", "0", "0", "1", "km", "STORE", "out"], None),
    (["%R~*"], ["SORT", "k"], None),
    (["%R~*"], ["SORT", "k", "STORE", "d"], "d"),
]


@pytest.mark.parametrize("rules,argv,refused", KEY_ACCESS_CASES,
                         ids=[" ".join(c[0] + c[1]) for c in KEY_ACCESS_CASES])
def test_key_access_follows_key_specs(r, rules, argv, refused):
    raw(r, "ACL", "SETUSER", "u", "+@all", *rules)
    expected = f"This user has no permissions to access the '{refused}' key".encode() \
        if refused else b"OK"
    assert raw(r, "ACL", "DRYRUN", "u", *argv) == expected


def test_a_refused_exec_discards_the_transaction(r, make):
    client = as_user(r, make, "+multi", "+get", "allkeys")
    conn = client.connection_pool.get_connection()
    try:
        replies = []
        for argv in (("EXEC",), ("MULTI",), ("GET", "k"), ("EXEC",), ("GET", "k")):
            conn.send_command(*argv)
            try:
                replies.append(conn.read_response())
            except redis.ResponseError as exc:
                replies.append(str(exc))
    finally:
        client.connection_pool.release(conn)
    refused = f"Transaction discarded because of: NOPERM {noperm('exec')}"
    assert replies == [refused, b"OK", b"QUEUED", refused, None]
    assert [(e[b"context"], e[b"object"]) for e in log_entries(r)] == \
        [(b"multi", b"exec"), (b"toplevel", b"exec")]


def test_acl_log_keeps_acllog_max_len_entries(r, make):
    client = as_user(r, make, "+get", "~k*")
    assert r.config_set("acllog-max-len", 2) is True
    try:
        for key in ("a", "b", "c"):
            denied(lambda: client.get(key), NOPERM_KEYS)
        assert [e[b"object"] for e in log_entries(r)] == [b"c", b"b"]
    finally:
        r.config_set("acllog-max-len", 128)
