"""The redis-py adapter: argument encoding, reply conversion, client isolation and sharing."""

import pytest
import redis

import fakeredis
from fakeredis.client.connection import ReplyConverter, encode_argument, make_argv_encoder
from fakeredis.errors import ReplyError
from fakeredis.replies import NULL_ARRAY, OK, SetReply


@pytest.mark.parametrize("value, encoded", [
    (b"x", b"x"), ("é", "é".encode()), (5, b"5"), (1.5, b"1.5"), (bytearray(b"y"), b"y"),
    (memoryview(b"z"), b"z"),
])
def test_encode_argument_like_redis_py(value, encoded):
    assert encode_argument(value, "utf-8", "strict") == encoded


def test_encode_argument_of_str_and_int_subclasses_matches_redis_py():
    import enum

    class Status(str, enum.Enum):
        QUEUED = "queued"

    encoder = redis.connection.Encoder("utf-8", "strict", False)
    for value in (Status.QUEUED, enum.IntEnum("N", "ONE").ONE):
        assert encode_argument(value, "utf-8", "strict") == encoder.encode(value)


@pytest.mark.parametrize("value", [True, None, object(), [1]])
def test_encode_argument_rejects_what_redis_py_rejects(value):
    with pytest.raises(redis.DataError):
        encode_argument(value, "utf-8", "strict")


@pytest.mark.parametrize("encoding, errors", [
    ("utf-8", "strict"), ("utf8", "strict"), ("latin-1", "strict"), ("ascii", "replace"),
    ("utf-8", "surrogateescape"), ("utf-16", "strict"),
])
def test_argv_encoder_packs_arguments_as_redis_py_does(encoding, errors):
    encoder = redis.connection.Encoder(encoding, errors, False)
    encode_argv = make_argv_encoder(encoding, errors)
    args = ("SET", "clé\udcff" if errors == "surrogateescape" else "clé", 7, b"\xff", 1.5)
    for _ in range(2):  # the name uncached, then cached
        assert encode_argv(args) == [encoder.encode(arg) for arg in args]


def test_argv_encoder_splits_names_and_rejects_what_redis_py_rejects():
    encode_argv = make_argv_encoder("utf-8", "strict")
    for _ in range(2):
        assert encode_argv(("CONFIG GET", "maxmemory")) == [b"CONFIG", b"GET", b"maxmemory"]
        assert encode_argv((b"GET", "k")) == [b"GET", b"k"]
    for bad in (("GET", None), (["GET"], "k"), (True, "k")):
        with pytest.raises(redis.DataError):
            encode_argv(bad)


def converter(resp3, decode=False):
    return ReplyConverter(resp3, "utf-8", "strict", decode, redis.connection.Connection(
    )._parser.parse_error)


def test_resp2_conversion_flattens_maps_and_formats_doubles():
    conv = converter(False)
    assert conv.convert({b"a": 0.5, b"b": SetReply([True])}, False) == [b"a", b"0.5", b"b", [1]]
    assert conv.convert(NULL_ARRAY, False) is None
    assert conv.convert(OK, False) == b"OK" and type(conv.convert(OK, False)) is bytes


def test_resp3_conversion_keeps_maps_doubles_and_booleans():
    conv = converter(True, decode=True)
    assert conv.convert({b"a": [0.5, True, None]}, True) == {"a": [0.5, True, None]}


def test_error_replies_become_redis_py_exception_classes():
    conv = converter(False)
    assert type(conv.convert(ReplyError("NOSCRIPT No matching script."), False)) is \
        redis.exceptions.NoScriptError
    assert type(conv.convert(ReplyError("WRONGTYPE Operation"), False)) is redis.ResponseError


def test_clients_without_a_server_are_isolated():
    a, b = fakeredis.FakeRedis(), fakeredis.FakeRedis()
    a.set("k", "v")
    assert b.get("k") is None


def test_clients_share_an_explicit_server():
    server = fakeredis.FakeServer()
    a = fakeredis.FakeRedis(server=server)
    b = fakeredis.FakeStrictRedis(server=server, decode_responses=True)
    a.set("k", "v")
    assert b.get("k") == "v"
    assert isinstance(a, redis.Redis) and isinstance(b, fakeredis.FakeRedis)


def test_db_argument_selects_a_database():
    server = fakeredis.FakeServer()
    fakeredis.FakeRedis(server=server, db=1).set("k", "v")
    assert fakeredis.FakeRedis(server=server).get("k") is None
    assert fakeredis.FakeRedis(server=server, db=1).get("k") == b"v"


def test_from_url_reads_db_and_uses_the_given_server():
    server = fakeredis.FakeServer()
    client = fakeredis.FakeRedis.from_url("redis://localhost:6379/2", server=server)
    client.set("k", "v")
    assert fakeredis.FakeRedis(server=server, db=2).get("k") == b"v"


def test_protocol_3_handshake_uses_hello():
    client = fakeredis.FakeRedis(protocol=3)
    assert client.execute_command("HELLO")[b"proto"] == 3
    flat = fakeredis.FakeRedis(protocol=2).execute_command("HELLO")
    assert dict(zip(flat[::2], flat[1::2]))[b"proto"] == 2


def test_disconnected_server_raises_connection_error():
    server = fakeredis.FakeServer()
    client = fakeredis.FakeRedis(server=server)
    client.set("k", "v")
    server.connected = False
    with pytest.raises(redis.ConnectionError):
        client.get("k")
    server.connected = True
    assert client.get("k") == b"v"


def test_pipeline_without_transaction():
    client = fakeredis.FakeRedis()
    pipe = client.pipeline(transaction=False)
    pipe.set("a", 1).get("a").set("b", 2).get("b")
    assert pipe.execute() == [True, b"1", True, b"2"]


def test_single_connection_client():
    client = fakeredis.FakeRedis(single_connection_client=True)
    client.set("k", "v")
    assert client.get("k") == b"v"


def test_quit_reply_stays_readable_then_the_connection_reopens():
    client = fakeredis.FakeRedis()
    conn = client.connection_pool.get_connection()
    conn.send_command("QUIT")
    assert conn.read_response() == b"OK"
    with pytest.raises(redis.ConnectionError):
        conn.read_response()
    conn.send_command("PING")
    assert conn.read_response() == b"PONG"


def test_pypi_fakeredis_constructor_arguments_and_names():
    from fakeredis import aioredis

    assert fakeredis.FakeRedis(version=6, server_type="redis").server.version == (6, 2, 14)
    assert fakeredis.FakeAsyncRedis(version="7").server.version == (7, 0, 15)
    assert fakeredis.FakeRedis.from_url("redis://localhost/1", version=(6, 0)).server.version == (
        6, 0, 0)
    assert aioredis.FakeRedis is fakeredis.FakeAsyncRedis
    assert aioredis.FakeConnection is fakeredis.FakeAsyncConnection
    assert fakeredis.FakeRedisConnection is fakeredis.FakeConnection
    assert fakeredis.FakeAsyncRedisConnection is fakeredis.FakeAsyncConnection
    for client_class in (fakeredis.FakeRedis, fakeredis.FakeAsyncRedis):
        with pytest.raises(ValueError, match="server_type='dragonfly'"):
            client_class(server_type="dragonfly")
        with pytest.raises(ValueError, match="lua_modules"):
            client_class(lua_modules={"json"})
        assert client_class(lua_modules=set()).server.version == (7, 0, 15)
