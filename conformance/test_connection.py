"""Connection commands: PING ECHO SELECT AUTH HELLO QUIT RESET and CLIENT."""

from __future__ import annotations

from typing import Any, Callable

import pytest
import redis

from redis.backoff import NoBackoff
from redis.retry import Retry

from conformance.helpers import block, error_of, exchange, is_resp3, raw
from fakeredis import FakeRedis

CLIENT_FIELDS = [
    "id", "addr", "laddr", "fd", "name", "age", "idle", "flags", "db", "sub", "psub", "ssub",
    "multi", "qbuf", "qbuf-free", "argv-mem", "multi-mem", "rbs", "rbp", "obl", "oll", "omem",
    "tot-mem", "events", "cmd", "user", "redir", "resp",
]


def error_text(call: Callable[[], Any], kind: type = redis.ResponseError) -> str:
    """The message of the error a call raises."""
    with pytest.raises(kind) as exc:
        call()
    return str(exc.value)


def client_fields(line: bytes) -> dict[str, str]:
    """One CLIENT LIST line as an ordered field -> value dict."""
    return dict(part.split("=", 1) for part in line.decode().rstrip("\n").split(" "))


def resp2_client(r: redis.Redis) -> redis.Redis:
    """Another client of the server of ``r`` that speaks RESP2."""
    if isinstance(r, FakeRedis):
        return FakeRedis(server=r.server, protocol=2)
    kwargs = r.connection_pool.connection_kwargs
    return redis.Redis(host=kwargs["host"], port=kwargs["port"], protocol=2, retry=no_retry())


def no_retry() -> Retry:
    """A retry policy that gives up at once (failed handshakes are retried otherwise)."""
    return Retry(NoBackoff(), 0)


# --- PING ECHO SELECT -----------------------------------------------------------------------------
def test_ping(r):
    assert r.ping() is True
    assert raw(r, "PING") == b"PONG"
    assert raw(r, "PING", "hello") == b"hello"
    assert error_of(r, "PING", "a", "b") == \
        "wrong number of arguments for 'ping' command"


def test_ping_while_subscribed(r):
    conn = r.connection_pool.get_connection()
    try:
        conn.send_command("SUBSCRIBE", "ch")
        conn.read_response(push_request=True)
        conn.send_command("PING")
        pong = conn.read_response()
        conn.send_command("PING", "msg")
        echoed = conn.read_response()
    finally:
        conn.disconnect()
        r.connection_pool.release(conn)
    if is_resp3(r):
        assert (pong, echoed) == (b"PONG", b"msg")
    else:
        assert (pong, echoed) == ([b"pong", b""], [b"pong", b"msg"])


def test_echo(r):
    assert r.echo("abc") == b"abc"
    assert raw(r, "ECHO", "") == b""
    assert error_of(r, "ECHO") == "wrong number of arguments for 'echo' command"


def test_select(r):
    assert r.execute_command("SELECT", "1") is True
    r.execute_command("SET", "k", "v")
    assert r.execute_command("SELECT", "0") is True
    assert r.execute_command("GET", "k") is None
    assert error_of(r, "SELECT", "16") == "DB index is out of range"
    assert error_of(r, "SELECT", "-1") == "DB index is out of range"
    assert error_of(r, "SELECT", "abc") == "value is not an integer or out of range"
    assert error_of(r, "SELECT", "1.5") == "value is not an integer or out of range"


# --- AUTH -----------------------------------------------------------------------------------------
def test_auth_without_a_password_configured(r):
    assert error_text(lambda: raw(r, "AUTH", "secret"), redis.AuthenticationError) == (
        "AUTH <password> called without any password configured for the default user. "
        "Are you sure your configuration is correct?")
    assert raw(r, "AUTH", "default", "anything") == b"OK"
    assert error_text(lambda: raw(r, "AUTH", "nosuchuser", "x"), redis.AuthenticationError) == \
        "invalid username-password pair or user is disabled."
    assert error_of(r, "AUTH", "a", "b", "c") == "syntax error"


HELLO_NOAUTH = (
    "HELLO must be called with the client already authenticated, otherwise the HELLO AUTH "
    "<user> <pass> option can be used to authenticate the client and select the RESP protocol "
    "version at the same time")


def test_auth_with_requirepass(r, make):
    assert r.config_set("requirepass", "s3cret") is True
    try:
        other = make(r, retry=no_retry())
        # a RESP3 client's handshake is HELLO 3, refused before AUTH
        expected = HELLO_NOAUTH if is_resp3(r) else "Authentication required."
        assert error_text(lambda: other.get("k"), redis.AuthenticationError) == expected
        assert error_text(lambda: make(r, password="wrong", retry=no_retry()).get("k"),
                          redis.AuthenticationError) == \
            "invalid username-password pair or user is disabled."
        assert make(r, password="s3cret").get("k") is None
        assert make(r, username="default", password="s3cret").get("k") is None
        assert r.get("k") is None  # connections authenticated before stay authenticated
    finally:
        r.config_set("requirepass", "")


def test_auth_command_on_an_unauthenticated_connection(r, make):
    assert r.config_set("requirepass", "s3cret") is True
    try:
        # a RESP2 handshake sends no command, so the connection opens unauthenticated
        other = resp2_client(r)
        assert error_text(lambda: other.execute_command("AUTH", "wrong"),
                          redis.AuthenticationError) == \
            "invalid username-password pair or user is disabled."
        assert error_text(lambda: other.get("k"), redis.AuthenticationError) == \
            "Authentication required."
        # unknown commands and wrong arities are reported before NOAUTH
        assert error_text(lambda: other.execute_command("GET")) == \
            "wrong number of arguments for 'get' command"
        assert error_text(lambda: other.execute_command("CLIENT", "FOO")) == \
            "unknown subcommand 'FOO'. Try CLIENT HELP."
        assert error_text(lambda: other.execute_command("NOSUCH")) == \
            "unknown command 'NOSUCH', with args beginning with: "
        assert other.execute_command("AUTH", "s3cret") is True
        assert other.get("k") is None
        assert other.execute_command("AUTH", "default", "s3cret") is True
        other.close()
    finally:
        r.config_set("requirepass", "")


def test_hello_with_a_password_required(r, make):
    assert r.config_set("requirepass", "pw") is True
    try:
        other = make(r, retry=no_retry())
        if is_resp3(r):
            assert error_text(other.ping, redis.AuthenticationError) == HELLO_NOAUTH
        else:
            assert error_text(lambda: other.execute_command("HELLO", 2),
                              redis.AuthenticationError) == HELLO_NOAUTH
            reply = other.execute_command("HELLO", 2, "AUTH", "default", "pw", "SETNAME", "me")
            assert _as_dict(reply)[b"proto"] == 2
            assert other.execute_command("CLIENT", "GETNAME") == b"me"
    finally:
        r.config_set("requirepass", "")


# --- HELLO ----------------------------------------------------------------------------------------
def _as_dict(reply: Any) -> dict:
    return reply if isinstance(reply, dict) else dict(zip(reply[::2], reply[1::2]))


def test_hello_reply(r):
    proto = 3 if is_resp3(r) else 2
    reply = _as_dict(raw(r, "HELLO", proto))
    assert list(reply) == [b"server", b"version", b"proto", b"id", b"mode", b"role", b"modules"]
    assert reply[b"server"] == b"redis"
    assert reply[b"version"].startswith(b"7.0.")
    assert reply[b"proto"] == proto
    assert isinstance(reply[b"id"], int)
    assert (reply[b"mode"], reply[b"role"], reply[b"modules"]) == (b"standalone", b"master", [])


def test_hello_without_version_keeps_the_protocol(r):
    assert _as_dict(raw(r, "HELLO"))[b"proto"] == (3 if is_resp3(r) else 2)


def test_hello_setname(r):
    proto = 3 if is_resp3(r) else 2
    r.execute_command("HELLO", proto, "SETNAME", "conn1")
    assert r.execute_command("CLIENT", "GETNAME") == b"conn1"


def test_hello_errors(r):
    proto = 3 if is_resp3(r) else 2
    assert error_of(r, "HELLO", 4) == "NOPROTO unsupported protocol version"
    assert error_of(r, "HELLO", 1) == "NOPROTO unsupported protocol version"
    assert error_of(r, "HELLO", "abc") == \
        "Protocol version is not an integer or out of range"
    assert error_of(r, "HELLO", proto, "AUTH", "default") == \
        "Syntax error in HELLO option 'AUTH'"
    assert error_of(r, "HELLO", proto, "foo", "SETNAME", "a b") == \
        "Syntax error in HELLO option 'foo'"
    # options are applied in order: the bad name is seen before the unknown option
    assert error_of(r, "HELLO", proto, "SETNAME", "a b", "foo") == \
        "Client names cannot contain spaces, newlines or special characters."
    # ... and a failing AUTH before the bad name
    assert error_text(lambda: raw(r, "HELLO", proto, "AUTH", "nouser", "x", "SETNAME", "a b"),
                      redis.AuthenticationError) == \
        "invalid username-password pair or user is disabled."


# --- QUIT RESET -----------------------------------------------------------------------------------
def test_quit_then_reconnect(r):
    first = r.client_id()
    assert r.execute_command("QUIT") in (b"OK", True)
    assert r.ping() is True
    assert r.client_id() != first


def test_reset(r):
    conn = r.connection_pool.get_connection()
    try:
        conn.send_command("SELECT", "3")
        conn.read_response()
        conn.send_command("CLIENT", "SETNAME", "x")
        conn.read_response()
        conn.send_command("MULTI")
        conn.read_response()
        conn.send_command("RESET")
        assert conn.read_response() == b"RESET"
        if not is_resp3(r):  # RESET switches to RESP2, which a RESP3 parser cannot follow
            conn.send_command("CLIENT", "GETNAME")
            assert conn.read_response() is None
            conn.send_command("CLIENT", "INFO")
            fields = client_fields(conn.read_response())
            assert (fields["db"], fields["resp"], fields["name"], fields["multi"]) == \
                ("0", "2", "", "-1")
    finally:
        conn.disconnect()
        r.connection_pool.release(conn)


# --- CLIENT ID / SETNAME / GETNAME ----------------------------------------------------------------
def test_client_setname_getname(r):
    assert r.execute_command("CLIENT", "GETNAME") is None
    assert r.client_setname("worker-1") is True
    assert r.execute_command("CLIENT", "GETNAME") == b"worker-1"
    assert r.execute_command("CLIENT", "SETNAME", "") == b"OK"
    assert r.execute_command("CLIENT", "GETNAME") is None
    for bad in ("a b", "a\nb", "caf\xe9"):
        assert error_of(r, "CLIENT", "SETNAME", bad) == \
            "Client names cannot contain spaces, newlines or special characters."


def test_client_id_is_unique_and_stable(r, make):
    other = make(r)
    mine = r.client_id()
    assert isinstance(mine, int) and mine > 0
    assert r.client_id() == mine
    assert other.client_id() != mine


# --- CLIENT LIST / INFO ---------------------------------------------------------------------------
def test_client_info_fields(r):
    r.client_setname("me")
    fields = client_fields(r.execute_command("CLIENT", "INFO"))
    assert list(fields) == CLIENT_FIELDS
    assert fields["id"] == str(r.client_id())
    assert fields["name"] == "me"
    assert fields["flags"] == "N"
    assert (fields["db"], fields["sub"], fields["psub"], fields["multi"]) == ("0", "0", "0", "-1")
    assert fields["cmd"] == "client|info"
    assert fields["age"].isdigit() and fields["idle"].isdigit()
    assert fields["addr"].rsplit(":", 1)[1].isdigit()
    assert fields["user"] == "default"
    assert fields["resp"] == ("3" if is_resp3(r) else "2")
    assert raw(r, "CLIENT", "INFO").endswith(b"\n")


def test_client_list_shows_every_client(r, make):
    other = make(r)
    other.client_setname("other")
    other_id = other.client_id()
    mine = r.client_id()
    lines = r.execute_command("CLIENT", "LIST").splitlines()
    clients = [client_fields(line) for line in lines]
    assert all(list(c) == CLIENT_FIELDS for c in clients)
    by_id = {int(c["id"]): c for c in clients}
    assert by_id[other_id]["name"] == "other"
    assert by_id[other_id]["cmd"] == "client|id"
    assert by_id[mine]["cmd"] == "client|list"


def test_client_list_filters(r, make):
    other = make(r)
    other_id = other.client_id()
    mine = r.client_id()
    by_id = [client_fields(line)["id"] for line in
             raw(r, "CLIENT", "LIST", "ID", other_id, mine, 999999).splitlines()]
    assert by_id == [str(other_id), str(mine)]
    normal = [int(client_fields(x)["id"]) for x in raw(r, "CLIENT", "LIST", "TYPE", "normal")
              .splitlines()]
    assert mine in normal and other_id in normal
    assert raw(r, "CLIENT", "LIST", "TYPE", "pubsub") == b""
    assert raw(r, "CLIENT", "LIST", "TYPE", "master") == b""
    assert raw(r, "CLIENT", "LIST", "ID", "0") == b""


def test_client_list_errors(r):
    assert error_of(r, "CLIENT", "LIST", "TYPE", "foo") == \
        "Unknown client type 'foo'"
    assert error_of(r, "CLIENT", "LIST", "ID", "1", "abc") == "Invalid client ID"
    assert error_of(r, "CLIENT", "LIST", "ID") == "syntax error"
    assert error_of(r, "CLIENT", "LIST", "TYPE") == "syntax error"
    assert error_of(r, "CLIENT", "LIST", "TYPE", "normal", "ID", "1") == \
        "syntax error"
    assert error_of(r, "CLIENT", "LIST", "foo") == "syntax error"


def test_client_list_flags_of_subscribed_and_multi_clients(r, make):
    other = make(r)
    pubsub = other.pubsub()
    pubsub.subscribe("ch")
    pubsub.get_message(timeout=1)
    subscriber = client_fields(raw(r, "CLIENT", "LIST", "TYPE", "pubsub").splitlines()[0])
    assert (subscriber["flags"], subscriber["sub"]) == ("P", "1")
    pubsub.close()
    conn = other.connection_pool.get_connection()
    try:
        conn_id = connection_id(conn)
        conn.send_command("MULTI")
        conn.read_response()
        conn.send_command("SET", "k", "v")
        conn.read_response()
        in_multi = client_fields(raw(r, "CLIENT", "LIST", "ID", conn_id))
        assert (in_multi["flags"], in_multi["multi"]) == ("x", "1")
    finally:
        conn.disconnect()
        other.connection_pool.release(conn)


def connection_id(conn: Any) -> int:
    """The client id of a redis-py connection taken from a pool."""
    conn.send_command("CLIENT", "ID")
    return conn.read_response()


# --- CLIENT KILL ----------------------------------------------------------------------------------
def test_client_kill_by_id_disconnects_the_client(r, make):
    other = make(r)
    victim = other.client_id()
    assert raw(r, "CLIENT", "KILL", "ID", victim) == 1
    ids = [int(client_fields(line)["id"]) for line in raw(r, "CLIENT", "LIST").splitlines()]
    assert victim not in ids
    assert other.ping() is True  # redis-py reconnects: a new connection, a new id
    assert other.client_id() != victim


def test_client_kill_filters(r, make):
    other = make(r)
    fields = client_fields(other.execute_command("CLIENT", "INFO"))
    assert raw(r, "CLIENT", "KILL", "ADDR", "1.2.3.4:5") == 0
    assert raw(r, "CLIENT", "KILL", "ID", "999999") == 0
    assert raw(r, "CLIENT", "KILL", "ADDR", fields["addr"], "USER", "default") == 1
    mine = r.client_id()
    assert r.execute_command("CLIENT", "KILL", "ID", mine) == 0  # SKIPME yes by default


def test_client_kill_old_form(r, make):
    other = make(r)
    addr = client_fields(other.execute_command("CLIENT", "INFO"))["addr"]
    assert raw(r, "CLIENT", "KILL", addr) == b"OK"
    assert error_of(r, "CLIENT", "KILL", addr) == "No such client"
    assert error_of(r, "CLIENT", "KILL", "id") == "No such client"


def test_client_kill_self_with_skipme_no(r):
    mine = r.client_id()
    assert r.execute_command("CLIENT", "KILL", "ID", mine, "SKIPME", "no") == 1
    assert r.client_id() != mine


def test_client_kill_errors(r):
    assert error_of(r, "CLIENT", "KILL", "ID", "0") == \
        "client-id should be greater than 0"
    assert error_of(r, "CLIENT", "KILL", "ID", "abc") == \
        "client-id should be greater than 0"
    assert error_of(r, "CLIENT", "KILL", "TYPE", "foo") == \
        "Unknown client type 'foo'"
    assert error_of(r, "CLIENT", "KILL", "USER", "nouser") == \
        "No such user 'nouser'"
    assert error_of(r, "CLIENT", "KILL", "SKIPME", "maybe") == "syntax error"
    assert error_of(r, "CLIENT", "KILL", "foo", "bar") == "syntax error"
    assert error_of(r, "CLIENT", "KILL", "ID", "1", "ID") == "syntax error"
    assert error_of(r, "CLIENT", "KILL") == \
        "wrong number of arguments for 'client|kill' command"


# --- CLIENT UNBLOCK -------------------------------------------------------------------------------
def test_client_unblock_with_timeout_reply(r, make):
    waiter = block(r, make, "BLPOP", "missing", 20)
    assert raw(r, "CLIENT", "UNBLOCK", waiter.client_id) == 1
    assert waiter.result() is None
    assert raw(r, "CLIENT", "UNBLOCK", waiter.client_id) == 0


def test_client_unblock_with_error(r, make):
    waiter = block(r, make, "BLPOP", "missing", 20)
    assert raw(r, "CLIENT", "UNBLOCK", waiter.client_id, "ERROR") == 1
    assert isinstance(waiter.result(), redis.ResponseError)
    assert str(waiter.result()) == "UNBLOCKED client unblocked via CLIENT UNBLOCK"


def test_client_unblock_errors(r):
    assert r.execute_command("CLIENT", "UNBLOCK", r.client_id()) == 0
    assert raw(r, "CLIENT", "UNBLOCK", "999999", "TIMEOUT") == 0
    assert error_of(r, "CLIENT", "UNBLOCK", "abc") == \
        "value is not an integer or out of range"
    assert error_of(r, "CLIENT", "UNBLOCK", "abc", "foo") == \
        "CLIENT UNBLOCK reason should be TIMEOUT or ERROR"
    assert error_of(r, "CLIENT", "UNBLOCK", "1", "timeout", "x") == \
        "unknown subcommand or wrong number of arguments for 'UNBLOCK'. Try CLIENT HELP."


# --- CLIENT PAUSE / NO-EVICT / REPLY --------------------------------------------------------------
def test_client_pause_and_unpause(r):
    assert raw(r, "CLIENT", "PAUSE", "0") == b"OK"
    assert raw(r, "CLIENT", "PAUSE", "0", "WRITE") == b"OK"
    assert raw(r, "CLIENT", "UNPAUSE") == b"OK"
    assert error_of(r, "CLIENT", "PAUSE", "abc") == \
        "timeout is not an integer or out of range"
    assert error_of(r, "CLIENT", "PAUSE", "-1") == "timeout is negative"
    assert error_of(r, "CLIENT", "PAUSE", "10", "foo") == \
        "CLIENT PAUSE mode must be WRITE or ALL"
    assert error_of(r, "CLIENT", "PAUSE", "10", "ALL", "x") == \
        "unknown subcommand or wrong number of arguments for 'PAUSE'. Try CLIENT HELP."


def test_client_no_evict(r):
    assert r.execute_command("CLIENT", "NO-EVICT", "on") == b"OK"
    assert client_fields(r.execute_command("CLIENT", "INFO"))["flags"] == "e"
    if not is_resp3(r):  # RESET keeps the flag (and would switch a RESP3 client to RESP2)
        assert r.execute_command("RESET") == "RESET"
        assert client_fields(r.execute_command("CLIENT", "INFO"))["flags"] == "e"
    assert r.execute_command("CLIENT", "NO-EVICT", "OFF") == b"OK"
    assert client_fields(r.execute_command("CLIENT", "INFO"))["flags"] == "N"
    assert error_of(r, "CLIENT", "NO-EVICT", "maybe") == "syntax error"


def test_client_reply(r):
    assert raw(r, "CLIENT", "REPLY", "ON") == b"OK"
    assert error_of(r, "CLIENT", "REPLY", "foo") == "syntax error"
    if isinstance(r, FakeRedis):
        return  # an in-process client always reads one reply per command
    assert exchange(r, b"CLIENT REPLY SKIP\r\nPING a\r\nPING b\r\n") == \
        b"$1\r\nb\r\n$3\r\nend\r\n"
    assert exchange(r, b"CLIENT REPLY OFF\r\nPING a\r\nCLIENT ID\r\nCLIENT REPLY ON\r\n") == \
        b"+OK\r\n$3\r\nend\r\n"
    assert exchange(r, b"CLIENT REPLY SKIP\r\nCLIENT REPLY ON\r\n") == b"+OK\r\n$3\r\nend\r\n"
    assert exchange(r, b"CLIENT REPLY SKIP\r\nRESET\r\n") == b"$3\r\nend\r\n"
    assert exchange(r, b"CLIENT REPLY OFF\r\nRESET\r\n") == b"+RESET\r\n$3\r\nend\r\n"


# --- client-side caching of a client that does not track (tracking itself: test_tracking.py) ----
def test_tracking_info_of_a_client_that_does_not_track(r):
    info = raw(r, "CLIENT", "TRACKINGINFO")
    assert _as_dict(info) == {b"flags": [b"off"], b"redirect": -1, b"prefixes": []}
    assert raw(r, "CLIENT", "GETREDIR") == -1
    assert raw(r, "CLIENT", "TRACKING", "off") == b"OK"
    assert error_of(r, "CLIENT", "CACHING", "yes") == (
        "CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or "
        "OPTOUT mode enabled")


def test_tracking_errors(r):
    def err(*args: Any) -> str:
        return error_of(r, "CLIENT", "TRACKING", *args)

    assert err("foo") == "syntax error"
    assert err("on", "foo") == "syntax error"
    assert err("on", "redirect") == "syntax error"
    assert err("on", "redirect", "abc") == "value is not an integer or out of range"
    assert err("on", "redirect", "999999") == "The client ID you want redirect to does not exist"
    assert err("on", "optin", "optout") == "You can't specify both OPTIN mode and OPTOUT mode"
    assert err("on", "prefix", "a") == "PREFIX option requires BCAST mode to be enabled"
    assert err("on", "bcast", "optin") == "OPTIN and OPTOUT are not compatible with BCAST"


def test_client_help_and_unknown_subcommand(r):
    lines = raw(r, "CLIENT", "HELP")
    assert lines[0] == b"CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    assert lines[-2:] == [b"HELP", b"    Prints this help."]
    assert len(lines) == 48
    assert error_of(r, "CLIENT", "NOSUCH") == \
        "unknown subcommand 'NOSUCH'. Try CLIENT HELP."
