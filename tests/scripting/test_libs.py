"""The Python halves of bit, cjson, cmsgpack and struct, through a real Lua runtime."""

from __future__ import annotations

import pytest
from lupa import lua51

from fakeredis.scripting import libs


@pytest.fixture(scope="module")
def lua() -> lua51.LuaRuntime:
    runtime = lua51.LuaRuntime(encoding=None, unpack_returned_tuples=True)
    runtime.globals()[b"libs"] = libs.install(runtime, lua51.lua_type)
    return runtime


def run(lua: lua51.LuaRuntime, code: str) -> object:
    return lua.execute(b"local bit, cjson, cmsgpack, struct = libs.bit, libs.cjson, "
                       b"libs.cmsgpack, libs.struct\n" + code.encode())


def test_bit_normalises_to_signed_32_bits(lua):
    assert run(lua, "return bit.tobit(2^32 + 5)") == 5
    assert run(lua, "return bit.tobit(2^31)") == -2147483648
    assert run(lua, "return bit.bnot(0)") == -1
    assert run(lua, "return bit.bswap(0x12345678)") == 0x78563412
    assert run(lua, "return bit.rol(1, 33)") == 2
    assert run(lua, "return bit.ror(1, 1)") == -2147483648
    assert run(lua, "return bit.tohex(-1, 4)") == b"ffff"


def test_cjson_round_trips(lua):
    assert run(lua, "return cjson.encode({1, 'two', {three = 3}})") == b'[1,"two",{"three":3}]'
    assert run(lua, "return cjson.encode('a\\nb\\1')") == b'"a\\nb\\u0001"'
    assert run(lua, "return cjson.encode(0.1)") == b"0.1"
    assert run(lua, "return cjson.decode('{\"a\":[1,2.5,\"x\"]}').a[2]") == 2.5
    assert run(lua, "return cjson.decode('[null]')[1] == cjson.null") is True


def test_cjson_errors(lua):
    assert run(lua, "return tostring(select(2, pcall(cjson.encode, {[1] = 1, [100] = 2})))") == \
        b"Cannot serialise table: excessively sparse array"
    assert run(lua, "return tostring(select(2, pcall(cjson.encode, {[true] = 1})))") == \
        b"Cannot serialise table: table key must be a number or string"
    assert b"Expected value" in run(lua, "return tostring(select(2, pcall(cjson.decode, '{')))")


def test_cmsgpack_encodings(lua):
    assert run(lua, "return cmsgpack.pack(1.5)") == b"\xca\x3f\xc0\x00\x00"
    assert run(lua, "return cmsgpack.pack(0.1)") == b"\xcb\x3f\xb9\x99\x99\x99\x99\x99\x9a"
    assert run(lua, "return cmsgpack.pack(-100000)") == b"\xd2\xff\xfe\x79\x60"
    assert run(lua, "return cmsgpack.pack(string.rep('x', 40)):sub(1, 2)") == b"\xd9\x28"
    assert run(lua, "return cmsgpack.unpack(cmsgpack.pack({a = {1, 2}})).a[2]") == 2
    assert run(lua, "return select('#', cmsgpack.unpack(cmsgpack.pack(1, 2, 3)))") == 3
    assert run(lua, "return {cmsgpack.unpack_one(cmsgpack.pack(1, 2))}")[1] == 1


def test_struct_formats(lua):
    assert run(lua, "return struct.pack('>I2', 258)") == b"\x01\x02"
    assert run(lua, "return struct.pack('<h', -2)") == b"\xfe\xff"
    assert run(lua, "return struct.pack('c3', 'abcdef')") == b"abc"
    assert run(lua, "return {struct.unpack('<i4', '\\255\\255\\255\\255')}")[1] == -1
    assert run(lua, "return {struct.unpack('>d', struct.pack('>d', 1.25))}")[1] == 1.25
    assert run(lua, "return struct.size('<ibhd')") == 15
    assert b"short" in run(lua, "return tostring(select(2, pcall(struct.unpack, '>i', 'ab')))")
