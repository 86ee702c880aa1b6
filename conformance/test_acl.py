"""ACL users and rules: SETUSER, GETUSER, LIST, USERS, WHOAMI, DELUSER, CAT, GENPASS, HELP, AUTH."""

from __future__ import annotations

import hashlib
import re
from typing import Any, Callable

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from conformance.helpers import is_resp3, raw
from fakeredis import FakeRedis
from fakeredis.registry import ACL_ORDER


def error_text(call: Callable[[], Any], kind: type = redis.ResponseError) -> str:
    """The message of the error a call raises."""
    with pytest.raises(kind) as exc:
        call()
    return str(exc.value)


def no_retry() -> Retry:
    """Give up at once: redis-py retries failed handshakes and AUTH errors otherwise."""
    return Retry(NoBackoff(), 0)


def reset_acl(r: redis.Redis) -> None:
    """Undo every ACL change a test made on a server shared between tests.

    It runs on the connection the test used through ``r`` (authenticated even when the test gave
    the default user a password).
    """
    r.execute_command("ACL", "SETUSER", "default", "on", "nopass", "resetkeys", "~*",
                      "resetchannels", "&*", "+@all", "clearselectors")
    r.execute_command("CONFIG", "SET", "requirepass", "")
    for name in r.execute_command("ACL", "USERS"):
        if name not in ("default", b"default"):
            r.execute_command("ACL", "DELUSER", name)
    r.execute_command("ACL", "LOG", "RESET")


@pytest.fixture(autouse=True)
def clean_acl(r: redis.Redis):
    """Every test starts and ends with only the default user and an empty ACL log."""
    reset_acl(r)
    yield
    reset_acl(r)


def user_line(r: redis.Redis, name: str) -> str:
    """The ACL LIST line of one user, without "user <name> "."""
    prefix = f"user {name} "
    for line in r.execute_command("ACL", "LIST"):
        line = line.decode() if isinstance(line, bytes) else line
        if line.startswith(prefix):
            return line[len(prefix):]
    raise AssertionError(f"no user {name}")


def as_dict(reply: Any) -> dict:
    """A RESP3 map or RESP2 flat list as a dict."""
    return reply if isinstance(reply, dict) else dict(zip(reply[::2], reply[1::2]))


def noauth_text(r: redis.Redis) -> str:
    """What a new client gets while a password is required: a RESP3 handshake fails in HELLO."""
    if is_resp3(r):
        return ("HELLO must be called with the client already authenticated, otherwise the HELLO "
                "AUTH <user> <pass> option can be used to authenticate the client and select the "
                "RESP protocol version at the same time")
    return "Authentication required."


def resp2_client(r: redis.Redis) -> redis.Redis:
    """Another client of the server of ``r`` speaking RESP2: its handshake sends no command."""
    if isinstance(r, FakeRedis):
        return FakeRedis(server=r.server, protocol=2, retry=no_retry())
    kwargs = r.connection_pool.connection_kwargs
    return redis.Redis(host=kwargs["host"], port=kwargs["port"], protocol=2, retry=no_retry())


def client_ids(r: redis.Redis) -> set[str]:
    """Ids of the connected clients, as text."""
    return {str(c["id"]) for c in r.client_list()}


def sha(password: str) -> str:
    return hashlib.sha256(password.encode()).hexdigest()


# --- the default user -----------------------------------------------------------------------------
def test_default_user(r):
    assert raw(r, "ACL", "LIST") == [b"user default on nopass ~* &* +@all"]
    assert raw(r, "ACL", "USERS") == [b"default"]
    assert raw(r, "ACL", "WHOAMI") == b"default"
    assert r.acl_whoami() == (b"default" if is_resp3(r) else "default")
    assert as_dict(raw(r, "ACL", "GETUSER", "default")) == {
        b"flags": [b"on", b"nopass"], b"passwords": [], b"commands": b"+@all", b"keys": b"~*",
        b"channels": b"&*", b"selectors": []}


def test_redis_py_acl_getuser(r):
    assert r.acl_setuser("alice", enabled=True, passwords=["+pw"], keys=["k*"],
                         channels=["ch*"], commands=["+get", "+@string"]) is True
    assert r.acl_getuser("alice") == {
        "flags": ["on"], "passwords": [sha("pw")], "commands": [], "keys": ["~k*"],
        "channels": ["&ch*"], "selectors": [], "categories": ["-@all", "+@string"],
        "enabled": True}
    assert r.acl_getuser("nosuch") is None
    assert raw(r, "ACL", "GETUSER", "nosuch") is None


def test_a_fresh_user(r):
    assert raw(r, "ACL", "SETUSER", "fresh") == b"OK"
    assert user_line(r, "fresh") == "off resetchannels -@all"
    assert as_dict(raw(r, "ACL", "GETUSER", "fresh")) == {
        b"flags": [b"off"], b"passwords": [], b"commands": b"-@all", b"keys": b"",
        b"channels": b"", b"selectors": []}
    assert raw(r, "ACL", "USERS") == [b"default", b"fresh"]


# --- ACL SETUSER rules and how ACL LIST describes them --------------------------------------------
DESCRIPTIONS = [
    (["reset"], "off sanitize-payload resetchannels -@all"),
    (["on", "nopass"], "on nopass resetchannels -@all"),
    ([">a", ">b", ">a"], f"off #{sha('a')} #{sha('b')} resetchannels -@all"),
    (["nopass", ">a"], f"off #{sha('a')} resetchannels -@all"),
    ([">a", "nopass"], "off nopass resetchannels -@all"),
    ([">a", "resetpass"], "off resetchannels -@all"),
    ([">a", "<a"], "off resetchannels -@all"),
    ([f"#{sha('x')}", f"!{sha('x')}"], "off resetchannels -@all"),
    (["skip-sanitize-payload"], "off skip-sanitize-payload resetchannels -@all"),
    (["ON", "NOPASS", "ALLKEYS", "AllChannels", "+GET"], "on nopass ~* &* -@all +get"),
    (["~a", "~b", "~a"], "off ~a ~b resetchannels -@all"),
    (["~a", "allkeys"], "off ~* resetchannels -@all"),
    (["~a", "resetkeys", "~b"], "off ~b resetchannels -@all"),
    (["%RW~a", "%R~b", "%W~c", "~d"], "off ~a %R~b %W~c ~d resetchannels -@all"),
    (["%R~a", "~a"], "off ~a resetchannels -@all"),
    (["%W~a", "%R~a"], "off ~a resetchannels -@all"),
    (["%r~a"], "off %R~a resetchannels -@all"),
    (["%R~*"], "off %R~* resetchannels -@all"),
    (["&a", "&b", "&a"], "off resetchannels &a &b -@all"),
    (["&a", "allchannels"], "off &* -@all"),
    (["allchannels", "resetchannels"], "off resetchannels -@all"),
    (["+@all"], "off resetchannels +@all"),
    (["allcommands", "-@dangerous"], "off resetchannels +@all -@dangerous"),
    (["+@all", "-get", "+get"], "off resetchannels +@all"),
    (["+@all", "-client|id"], "off resetchannels +@all -client|id"),
    (["+@all", "-select", "+select|0", "+select|1"],
     "off resetchannels +@all -select +select|0 +select|1"),
    (["+get", "+@string"], "off resetchannels -@all +@string"),
    (["+@string", "+get", "-@string"], "off resetchannels -@all"),
    (["+@read", "-@read"], "off resetchannels -@all"),
    (["-@all", "+get|x"], "off resetchannels -@all +get|x"),
    (["+get", "+get|x"], "off resetchannels -@all +get"),
    (["+get|x", "+get|y", "-get"], "off resetchannels -@all"),
    (["+client", "-client|id", "+client"], "off resetchannels -@all +client"),
    (["+config|get", "-config"], "off resetchannels -@all"),
    (["+client|id"], "off resetchannels -@all +client|id"),
    (["+@all", "nocommands"], "off resetchannels -@all"),
    (["", "on"], "on resetchannels -@all"),
    (["(~a +get)", "(~b)"], "off resetchannels -@all (~a resetchannels -@all +get) "
                            "(~b resetchannels -@all)"),
    (["(~a", "+get)"], "off resetchannels -@all (~a resetchannels -@all +get)"),
    (["( ~a )"], "off resetchannels -@all (~a resetchannels -@all)"),
    (["()"], "off resetchannels -@all (resetchannels -@all)"),
    (["(allkeys &* +@all)"], "off resetchannels -@all (~* &* +@all)"),
    (["(~a +get)", "clearselectors"], "off resetchannels -@all"),
    (["~x", "(+@all ~*)", "on"], "on ~x resetchannels -@all (~* resetchannels +@all)"),
]


@pytest.mark.parametrize("rules,expected", DESCRIPTIONS, ids=[" ".join(d[0]) for d in DESCRIPTIONS])
def test_setuser_rules_as_acl_list_describes_them(r, rules, expected):
    assert raw(r, "ACL", "SETUSER", "u1", *rules) == b"OK"
    assert user_line(r, "u1") == expected


def test_rules_accumulate_across_setuser_calls(r):
    raw(r, "ACL", "SETUSER", "u1", "on", ">p", "~a")
    raw(r, "ACL", "SETUSER", "u1", "~b", "+get")
    assert user_line(r, "u1") == f"on #{sha('p')} ~a ~b resetchannels -@all +get"
    raw(r, "ACL", "SETUSER", "u1", "reset")
    assert user_line(r, "u1") == "off sanitize-payload resetchannels -@all"


def test_getuser_describes_selectors(r):
    raw(r, "ACL", "SETUSER", "u1", "on", "~k*", "%R~r*", "&ch*", "+get", "(+set ~s* &x)", "(%W~w)")
    reply = as_dict(raw(r, "ACL", "GETUSER", "u1"))
    assert reply[b"flags"] == [b"on"]
    assert reply[b"commands"] == b"-@all +get"
    assert reply[b"keys"] == b"~k* %R~r*"
    assert reply[b"channels"] == b"&ch*"
    assert [as_dict(s) for s in reply[b"selectors"]] == [
        {b"commands": b"-@all +set", b"keys": b"~s*", b"channels": b"&x"},
        {b"commands": b"-@all", b"keys": b"%W~w", b"channels": b""}]


MODIFIER_ERRORS = [
    ("foo", "Syntax error"),
    ("+nosuch", "Unknown command or category name in ACL"),
    ("+@nosuch", "Unknown command or category name in ACL"),
    ("-@nosuch", "Unknown command or category name in ACL"),
    ("-get|x", "Unknown command or category name in ACL"),
    ("-select|0", "Unknown command or category name in ACL"),
    ("+client|nosuch", "Unknown command or category name in ACL"),
    ("+nosuch|x", "Unknown command or category name in ACL"),
    ("+client|id|x", "Allowing first-arg of a subcommand is not supported"),
    ("+get|", "Syntax error"),
    ("%X~a", "Syntax error"),
    ("%~a", "Syntax error"),
    ("%Rx~a", "Syntax error"),
    ("%RWRW~a", "Syntax error"),
    ("#abc", "The password hash must be exactly 64 characters and contain only lowercase "
             "hexadecimal characters"),
    ("!abc", "The password hash must be exactly 64 characters and contain only lowercase "
             "hexadecimal characters"),
    ("#" + sha("x").upper(), "The password hash must be exactly 64 characters and contain only "
                             "lowercase hexadecimal characters"),
    ("<nope", "The password you are trying to remove from the user does not exist"),
    ("(on)", "Syntax error"),
    ("(nopass)", "Syntax error"),
    ("(+nosuch)", "Unknown command or category name in ACL"),
]


@pytest.mark.parametrize("rule,why", MODIFIER_ERRORS, ids=[e[0] for e in MODIFIER_ERRORS])
def test_setuser_modifier_errors(r, rule, why):
    assert error_text(lambda: raw(r, "ACL", "SETUSER", "u1", rule)) == \
        f"Error in ACL SETUSER modifier '{rule}': {why}"
    assert raw(r, "ACL", "USERS") == [b"default"]  # a failed SETUSER creates nothing


def test_pattern_after_all_keys_or_channels(r):
    assert error_text(lambda: raw(r, "ACL", "SETUSER", "u1", "allkeys", "~b")) == (
        "Error in ACL SETUSER modifier '~b': Adding a pattern after the * pattern (or the "
        "'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start "
        "with an empty list of patterns")
    assert error_text(lambda: raw(r, "ACL", "SETUSER", "u1", "&*", "&c")) == (
        "Error in ACL SETUSER modifier '&c': Adding a pattern after the * pattern (or the "
        "'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' "
        "to start with an empty list of channels")


def test_a_failed_setuser_changes_nothing(r):
    raw(r, "ACL", "SETUSER", "u1", "on", ">p", "~a", "+get")
    before = user_line(r, "u1")
    assert error_text(lambda: raw(r, "ACL", "SETUSER", "u1", "off", "~b", "+nosuch")) == \
        "Error in ACL SETUSER modifier '+nosuch': Unknown command or category name in ACL"
    assert user_line(r, "u1") == before


def test_setuser_selector_and_name_errors(r):
    assert error_text(lambda: raw(r, "ACL", "SETUSER", "u1", "on", "(foo")) == \
        "Unmatched parenthesis in acl selector starting at '(foo'."
    assert error_text(lambda: raw(r, "ACL", "SETUSER", "u1", "(~a", "+get")) == \
        "Unmatched parenthesis in acl selector starting at '(~a'."
    assert error_text(lambda: raw(r, "ACL", "SETUSER", "a b")) == \
        "Usernames can't contain spaces or null characters"
    assert error_text(lambda: raw(r, "ACL", "SETUSER", "u1", "(~a +get) x")) == \
        "Unmatched parenthesis in acl selector starting at '(~a +get) x'."
    assert error_text(lambda: raw(r, "ACL", "SETUSER", "u1", "(~a", "+get)", "(x")) == \
        "Unmatched parenthesis in acl selector starting at '(x'."
    assert error_text(lambda: raw(r, "ACL", "SETUSER")) == \
        "wrong number of arguments for 'acl|setuser' command"


# --- USERS / DELUSER -----------------------------------------------------------------------------
def test_users_are_sorted_and_deleted(r):
    for name in ("zed", "amy", "Bob"):
        raw(r, "ACL", "SETUSER", name)
    assert raw(r, "ACL", "USERS") == [b"Bob", b"amy", b"default", b"zed"]
    assert [line.split()[1] for line in raw(r, "ACL", "LIST")] == \
        [b"Bob", b"amy", b"default", b"zed"]
    assert raw(r, "ACL", "DELUSER", "amy", "nosuch", "zed", "amy") == 2
    assert r.acl_deluser("Bob") == 1
    assert raw(r, "ACL", "USERS") == [b"default"]


def test_the_default_user_cannot_be_deleted(r):
    raw(r, "ACL", "SETUSER", "u1")
    assert error_text(lambda: raw(r, "ACL", "DELUSER", "u1", "default")) == \
        "The 'default' user cannot be removed"
    assert raw(r, "ACL", "USERS") == [b"default", b"u1"]  # nothing deleted


# --- AUTH and HELLO -------------------------------------------------------------------------------
def test_auth_as_a_user(r, make):
    raw(r, "ACL", "SETUSER", "alice", "on", ">pw", "+@all", "~*")
    other = make(r, retry=no_retry())
    assert raw(other, "AUTH", "alice", "pw") == b"OK"
    assert raw(other, "ACL", "WHOAMI") == b"alice"
    assert error_text(lambda: raw(other, "AUTH", "alice", "bad"), redis.AuthenticationError) == \
        "invalid username-password pair or user is disabled."
    assert error_text(lambda: raw(other, "AUTH", "nosuch", "pw"), redis.AuthenticationError) == \
        "invalid username-password pair or user is disabled."
    raw(r, "ACL", "SETUSER", "alice", "off")
    assert error_text(lambda: raw(make(r, retry=no_retry()), "AUTH", "alice", "pw"),
                      redis.AuthenticationError) == \
        "invalid username-password pair or user is disabled."


def test_nopass_user_accepts_any_password(r, make):
    raw(r, "ACL", "SETUSER", "bob", "on", "nopass", "+acl|whoami")
    other = make(r, username="bob", password="whatever")
    assert raw(other, "ACL", "WHOAMI") == b"bob"


def test_clients_authenticate_on_connect(r, make):
    raw(r, "ACL", "SETUSER", "carol", "on", ">secret", "+acl|whoami", "+ping")
    assert raw(make(r, username="carol", password="secret"), "ACL", "WHOAMI") == b"carol"
    bad = make(r, username="carol", password="nope", retry=no_retry())
    assert error_text(bad.ping, redis.AuthenticationError) == \
        "invalid username-password pair or user is disabled."


def test_fake_from_url_authenticates():
    client = FakeRedis()
    client.execute_command("ACL", "SETUSER", "dave", "on", ">pw", "+@all")
    other = FakeRedis.from_url("redis://dave:pw@localhost", server=client.server)
    assert raw(other, "ACL", "WHOAMI") == b"dave"


def test_hello_auth_as_a_user(r, make):
    raw(r, "ACL", "SETUSER", "erin", "on", ">pw", "+@all")
    other = make(r, retry=no_retry())
    reply = as_dict(raw(other, "HELLO", "2", "AUTH", "erin", "pw"))
    assert reply[b"proto"] == 2
    assert raw(other, "ACL", "WHOAMI") == b"erin"
    assert error_text(lambda: raw(other, "HELLO", "2", "AUTH", "erin", "bad"),
                      redis.AuthenticationError) == \
        "invalid username-password pair or user is disabled."


def test_requirepass_acts_on_the_default_user(r, make):
    assert r.config_set("requirepass", "pw") is True
    assert user_line(r, "default") == f"on #{sha('pw')} ~* &* +@all"
    assert error_text(lambda: make(r, retry=no_retry()).execute_command("ACL", "WHOAMI"),
                      redis.AuthenticationError) == noauth_text(r)
    assert raw(make(r, password="pw"), "ACL", "WHOAMI") == b"default"
    assert r.config_set("requirepass", "") is True
    assert user_line(r, "default") == "on nopass ~* &* +@all"


def test_a_default_user_with_a_password_requires_auth(r, make):
    raw(r, "ACL", "SETUSER", "default", "resetpass", ">pw")
    other = resp2_client(r)
    assert error_text(lambda: other.get("k"), redis.AuthenticationError) == \
        "Authentication required."
    assert other.execute_command("AUTH", "pw") is True
    assert other.get("k") is None
    other.close()


def test_a_disabled_default_user_requires_auth(r, make):
    raw(r, "ACL", "SETUSER", "frank", "on", ">pw", "+@all", "~*")
    raw(r, "ACL", "SETUSER", "default", "off")
    other = resp2_client(r)
    assert error_text(lambda: other.get("k"), redis.AuthenticationError) == \
        "Authentication required."
    # AUTH <password> looks at the default user's nopass flag only
    assert error_text(lambda: raw(other, "AUTH", "x"), redis.AuthenticationError) == (
        "AUTH <password> called without any password configured for the default user. "
        "Are you sure your configuration is correct?")
    assert other.execute_command("AUTH", "frank", "pw") is True
    assert other.get("k") is None
    other.close()


# --- deleted users lose their connections ---------------------------------------------------------
def test_deleting_a_user_drops_its_connections(r, make):
    raw(r, "ACL", "SETUSER", "gina", "on", ">pw", "+@all", "~*")
    other = make(r, username="gina", password="pw", retry=no_retry())
    assert other.ping() is True
    gone = str(other.client_id())
    assert gone in client_ids(r)
    assert raw(r, "ACL", "DELUSER", "gina") == 1
    assert gone not in client_ids(r)


def test_switching_a_user_off_keeps_its_connections(r, make):
    raw(r, "ACL", "SETUSER", "jack", "on", ">pw", "+@all", "~*")
    other = make(r, username="jack", password="pw", retry=no_retry())
    assert raw(other, "ACL", "WHOAMI") == b"jack"
    raw(r, "ACL", "SETUSER", "jack", "off", "resetpass")
    assert raw(other, "ACL", "WHOAMI") == b"jack"


def test_deleting_its_own_user_answers_then_closes(r, make):
    raw(r, "ACL", "SETUSER", "hank", "on", ">pw", "+@all", "~*")
    other = make(r, username="hank", password="pw", retry=no_retry())
    own = str(other.client_id())
    assert other.acl_deluser("hank") == 1
    assert own not in client_ids(r)


def test_client_kill_user(r, make):
    raw(r, "ACL", "SETUSER", "ivy", "on", ">pw", "+@all", "~*")
    first = make(r, username="ivy", password="pw")
    second = make(r, username="ivy", password="pw")
    ids = {str(first.client_id()), str(second.client_id())}
    assert raw(r, "CLIENT", "KILL", "USER", "ivy") == 2
    assert not ids & client_ids(r)
    assert error_text(lambda: raw(r, "CLIENT", "KILL", "USER", "nosuch")) == \
        "No such user 'nosuch'"


# --- CAT / GENPASS / HELP -------------------------------------------------------------------------
def test_acl_cat(r):
    assert raw(r, "ACL", "CAT") == [c.encode() for c in ACL_ORDER]
    assert error_text(lambda: raw(r, "ACL", "CAT", "nosuch")) == "Unknown category 'nosuch'"
    assert error_text(lambda: raw(r, "acl", "cat", "a", "b")) == \
        "unknown subcommand or wrong number of arguments for 'cat'. Try ACL HELP."


def test_acl_cat_members_match_the_real_server(r, real_url):
    """For every category, the fake lists exactly the real server's members that it implements."""
    real = redis.Redis.from_url(real_url, protocol=2)
    fake = FakeRedis()
    known = {name.encode() for name in fake.server.acl.table.registered}
    info = raw(real, "COMMAND", "INFO")
    real_known = {c[0] for c in info} | {sub[0] for c in info for sub in c[9]}
    for category in ACL_ORDER:
        mine = set(raw(fake, "ACL", "CAT", category))
        theirs = set(raw(real, "ACL", "CAT", category))
        assert mine & real_known == theirs & known, category
    real.close()
    assert raw(r, "ACL", "CAT", "STRING") == raw(r, "ACL", "CAT", "string")
    assert {b"get", b"set"} <= set(raw(r, "ACL", "CAT", "string"))


def test_acl_genpass(r):
    for args, length in (((), 64), (("5",), 2), (("1",), 1), (("4096",), 1024), (("32",), 8)):
        password = raw(r, "ACL", "GENPASS", *args)
        assert re.fullmatch(rb"[0-9a-f]{%d}" % length, password)
    assert r.acl_genpass() != r.acl_genpass()
    message = ("ACL GENPASS argument must be the number of bits for the output password, a "
               "positive number up to 4096")
    assert error_text(lambda: raw(r, "ACL", "GENPASS", "0")) == message
    assert error_text(lambda: raw(r, "ACL", "GENPASS", "4097")) == message
    assert error_text(lambda: raw(r, "ACL", "GENPASS", "x")) == \
        "value is not an integer or out of range"


def test_acl_help_and_unknown_subcommands(r):
    lines = raw(r, "ACL", "HELP")
    assert lines[0] == b"ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    assert lines[-2:] == [b"HELP", b"    Prints this help."]
    assert len(lines) == 29
    assert error_text(lambda: raw(r, "ACL", "FOO")) == "unknown subcommand 'FOO'. Try ACL HELP."
    assert error_text(lambda: raw(r, "ACL", "LIST", "x")) == \
        "wrong number of arguments for 'acl|list' command"
    assert error_text(lambda: raw(r, "ACL")) == "wrong number of arguments for 'acl' command"


def test_save_and_load_without_an_acl_file(r):
    message = (
        "This Redis instance is not configured to use an ACL file. You may want to specify users "
        "via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis "
        "configuration file set) in order to store users in the Redis configuration.")
    assert error_text(lambda: raw(r, "ACL", "SAVE")) == message
    assert error_text(lambda: raw(r, "ACL", "LOAD")) == message
    assert raw(r, "CONFIG", "GET", "aclfile") in ([b"aclfile", b""], {b"aclfile": b""})
    assert error_text(lambda: raw(r, "CONFIG", "SET", "aclfile", "/tmp/x")) == \
        "CONFIG SET failed (possibly related to argument 'aclfile') - can't set immutable config"
