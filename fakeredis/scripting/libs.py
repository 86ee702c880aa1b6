"""The libraries Redis ships to scripts, written in Python: bit, cjson, cmsgpack, struct.

Each function takes Lua values (bytes, numbers, bools, None, Lua tables) and returns its results
(a tuple for several). Errors are raised as :class:`LibError`, which the Lua glue turns into the
plain error string a C library would raise.
"""

from __future__ import annotations

import json
import math
import struct as pystruct
from typing import Any, Callable



class LibError(Exception):
    """An error a library function raises into the script (a plain Lua error string)."""


class Null:
    """cjson.null: one object, seen by scripts as a userdata."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "cjson.null"


NULL = Null()


# --- bit (LuaBitOp) --------------------------------------------------------------------------------

def _tobit(x: Any) -> int:
    """A Lua number as LuaBitOp's signed 32-bit value."""
    if not isinstance(x, (int, float)) or isinstance(x, bool):
        if isinstance(x, bytes):
            try:
                x = float(x)
            except ValueError:
                raise LibError("bad argument #1 to 'tobit' (number expected, got string)") from None
        else:
            raise LibError("bad argument #1 to 'tobit' (number expected)")
    n = int(math.floor(x + 0.5)) if isinstance(x, float) and x != int(x) else int(x)
    n &= 0xFFFFFFFF
    return n - (1 << 32) if n & 0x80000000 else n


def _u32(x: Any) -> int:
    return _tobit(x) & 0xFFFFFFFF


def _signed(n: int) -> int:
    n &= 0xFFFFFFFF
    return n - (1 << 32) if n & 0x80000000 else n


def _fold(op: Callable[[int, int], int]) -> Callable[..., int]:
    def apply(first: Any, *rest: Any) -> int:
        acc = _u32(first)
        for x in rest:
            acc = op(acc, _u32(x))
        return _signed(acc)
    return apply


def _tohex(x: Any, n: Any = 8) -> bytes:
    n = int(n)
    digits = "0123456789ABCDEF" if n < 0 else "0123456789abcdef"
    n = min(abs(n), 8)
    value = _u32(x)
    return "".join(digits[(value >> (4 * i)) & 15] for i in reversed(range(n))).encode()


BIT = {
    "tobit": _tobit,
    "tohex": _tohex,
    "bnot": lambda x: _signed(~_u32(x)),
    "band": _fold(lambda a, b: a & b),
    "bor": _fold(lambda a, b: a | b),
    "bxor": _fold(lambda a, b: a ^ b),
    "lshift": lambda x, n: _signed(_u32(x) << (_u32(n) & 31)),
    "rshift": lambda x, n: _signed(_u32(x) >> (_u32(n) & 31)),
    "arshift": lambda x, n: _signed(_tobit(x) >> (_u32(n) & 31)),
    "rol": lambda x, n: _signed((_u32(x) << (_u32(n) & 31)) | (_u32(x) >> ((32 - _u32(n)) & 31))),
    "ror": lambda x, n: _signed((_u32(x) >> (_u32(n) & 31)) | (_u32(x) << ((32 - _u32(n)) & 31))),
    "bswap": lambda x: _signed(int.from_bytes(_u32(x).to_bytes(4, "little"), "big")),
}


# --- cjson -----------------------------------------------------------------------------------------

def _number_text(x: float) -> str:
    """A number as cjson writes it (%.14g)."""
    if isinstance(x, int):
        return str(x) if abs(x) < 10 ** 14 else "%.14g" % x
    if math.isinf(x) or math.isnan(x):
        raise LibError("Cannot serialise number: must not be NaN or Inf")
    return "%.14g" % x


_ESCAPES = {'"': '\\"', "\\": "\\\\", "/": "\\/", "\b": "\\b", "\f": "\\f", "\n": "\\n",
            "\r": "\\r", "\t": "\\t"}


def _json_string(data: bytes) -> str:
    text = data.decode("latin-1")
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


class Json:
    """cjson.encode / cjson.decode bound to one Lua runtime."""

    def __init__(self, lua: Any, lua_type: Callable[[Any], str | None]) -> None:
        self.lua = lua
        self.lua_type = lua_type

    def encode(self, *args: Any) -> bytes:
        """cjson.encode(value)."""
        if len(args) != 1:
            raise LibError("bad argument #1 to 'encode' (expected 1 argument)")
        return self._encode(args[0], 0).encode("latin-1")

    def _encode(self, value: Any, depth: int) -> str:
        if depth > 1000:
            raise LibError("Cannot serialise, excessive nesting (1001)")
        if value is None or value is NULL:
            return "null"
        if value is True:
            return "true"
        if value is False:
            return "false"
        if isinstance(value, (int, float)):
            return _number_text(value)
        if isinstance(value, bytes):
            return _json_string(value)
        if self.lua_type(value) != "table":
            raise LibError(f"Cannot serialise {self.lua_type(value)}: type not supported")
        items = list(value.items())
        length = _array_length(items)
        if length is not None and items:
            slots = dict(items)
            return "[" + ",".join(self._encode(slots.get(i), depth + 1)
                                  for i in range(1, length + 1)) + "]"
        parts = []
        for key, item in items:
            if isinstance(key, bytes):
                name = _json_string(key)
            elif isinstance(key, (int, float)) and not isinstance(key, bool):
                name = '"' + _number_text(key) + '"'
            else:
                raise LibError("Cannot serialise table: table key must be a number or string")
            parts.append(name + ":" + self._encode(item, depth + 1))
        return "{" + ",".join(parts) + "}"

    def decode(self, *args: Any) -> Any:
        """cjson.decode(text)."""
        if len(args) != 1 or not isinstance(args[0], (bytes, int, float)):
            raise LibError("bad argument #1 to 'decode' (string expected)")
        text = args[0] if isinstance(args[0], bytes) else str(args[0]).encode()
        try:
            data = json.loads(text.decode("utf-8", "surrogatepass"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise LibError(f"Expected value but found invalid token at character {_pos(exc)}") \
                from None
        return self._to_lua(data)

    def _to_lua(self, data: Any) -> Any:
        if data is None:
            return NULL
        if isinstance(data, str):
            return data.encode("utf-8", "surrogatepass")
        if isinstance(data, list):
            return self.lua.table_from([self._to_lua(v) for v in data])
        if isinstance(data, dict):
            return self.lua.table_from({k.encode(): self._to_lua(v) for k, v in data.items()})
        return data


def _pos(exc: Exception) -> int:
    return getattr(exc, "pos", 0) + 1


def _array_length(items: list[tuple[Any, Any]]) -> int | None:
    """The length a table encodes as when it is an array (cjson's rules), else None."""
    largest = 0
    for key, _ in items:
        if isinstance(key, bool) or not isinstance(key, (int, float)) or key < 1 or key != int(key):
            return None
        largest = max(largest, int(key))
    if largest > 10 and largest > 2 * len(items):
        raise LibError("Cannot serialise table: excessively sparse array")
    return largest


# --- cmsgpack --------------------------------------------------------------------------------------

class MsgPack:
    """cmsgpack.pack / unpack bound to one Lua runtime."""

    def __init__(self, lua: Any, lua_type: Callable[[Any], str | None]) -> None:
        self.lua = lua
        self.lua_type = lua_type

    def pack(self, *values: Any) -> bytes:
        """cmsgpack.pack(v1, v2, ...): the concatenated encodings."""
        if not values:
            raise LibError("MessagePack pack needs input.")
        return b"".join(self._pack(v, 0) for v in values)

    def _pack(self, value: Any, depth: int) -> bytes:
        if value is None or depth > 16:
            return b"\xc0"
        if value is True:
            return b"\xc3"
        if value is False:
            return b"\xc2"
        if isinstance(value, bytes):
            return _mp_str(value)
        if isinstance(value, float) and math.isfinite(value) and value == int(value) \
                and abs(value) < 2 ** 63:
            value = int(value)
        if isinstance(value, int):
            return _mp_int(value)
        if isinstance(value, float):
            try:
                single = pystruct.pack(">f", value)
            except OverflowError:
                single = b""
            if single and (pystruct.unpack(">f", single)[0] == value or math.isnan(value)):
                return b"\xca" + single
            return b"\xcb" + pystruct.pack(">d", value)
        if self.lua_type(value) != "table":
            return b"\xc0"
        items = list(value.items())
        n = len(items)
        if n and all(isinstance(k, (int, float)) and not isinstance(k, bool) for k, _ in items) \
                and sorted(int(k) if k == int(k) else -1 for k, _ in items) == list(range(1, n + 1)):
            slots = dict(items)
            head = _mp_len(n, 0x90, 15, b"\xdc", b"\xdd")
            return head + b"".join(self._pack(slots[i], depth + 1) for i in range(1, n + 1))
        head = _mp_len(n, 0x80, 15, b"\xde", b"\xdf")
        return head + b"".join(self._pack(k, depth + 1) + self._pack(v, depth + 1)
                               for k, v in items)

    def unpack(self, data: bytes) -> tuple[Any, ...]:
        """cmsgpack.unpack(s): every value in s."""
        return self._unpack_many(data, 0, 0)[1:]

    def unpack_one(self, data: bytes, offset: Any = 0) -> tuple[Any, ...]:
        """cmsgpack.unpack_one(s, [offset]): next offset (-1 at the end) and one value."""
        return self._unpack_many(data, 1, int(offset))

    def unpack_limit(self, data: bytes, limit: Any, offset: Any = 0) -> tuple[Any, ...]:
        """cmsgpack.unpack_limit(s, limit, [offset])."""
        return self._unpack_many(data, int(limit), int(offset))

    def _unpack_many(self, data: Any, limit: int, pos: int) -> tuple[Any, ...]:
        if not isinstance(data, bytes):
            raise LibError("bad argument #1 to 'unpack' (string expected)")
        values = []
        while pos < len(data) and (limit <= 0 or len(values) < limit):
            value, pos = self._decode(data, pos)
            values.append(value)
        next_offset = pos if pos < len(data) else -1
        return (next_offset, *values)

    def _decode(self, data: bytes, pos: int) -> tuple[Any, int]:
        try:
            return self._decode_at(data, pos)
        except (IndexError, pystruct.error):
            raise LibError("Missing bytes in input.") from None

    def _decode_at(self, data: bytes, pos: int) -> tuple[Any, int]:
        tag = data[pos]
        pos += 1
        if tag <= 0x7F:
            return tag, pos
        if tag >= 0xE0:
            return tag - 0x100, pos
        if 0xA0 <= tag <= 0xBF:
            return _take(data, pos, tag & 0x1F)
        if 0x90 <= tag <= 0x9F:
            return self._array(data, pos, tag & 0x0F)
        if 0x80 <= tag <= 0x8F:
            return self._map(data, pos, tag & 0x0F)
        simple = {0xC0: None, 0xC2: False, 0xC3: True}
        if tag in simple:
            return simple[tag], pos
        fixed = {0xCA: ">f", 0xCB: ">d", 0xCC: ">B", 0xCD: ">H", 0xCE: ">I", 0xCF: ">Q",
                 0xD0: ">b", 0xD1: ">h", 0xD2: ">i", 0xD3: ">q"}
        if tag in fixed:
            fmt = fixed[tag]
            size = pystruct.calcsize(fmt)
            if pos + size > len(data):
                raise IndexError
            return pystruct.unpack_from(fmt, data, pos)[0], pos + size
        sized = {0xC4: (">B", "s"), 0xC5: (">H", "s"), 0xC6: (">I", "s"), 0xD9: (">B", "s"),
                 0xDA: (">H", "s"), 0xDB: (">I", "s"), 0xDC: (">H", "a"), 0xDD: (">I", "a"),
                 0xDE: (">H", "m"), 0xDF: (">I", "m")}
        if tag not in sized:
            raise LibError("Bad data format in input.")
        fmt, kind = sized[tag]
        count = pystruct.unpack_from(fmt, data, pos)[0]
        pos += pystruct.calcsize(fmt)
        if kind == "s":
            return _take(data, pos, count)
        if kind == "a":
            return self._array(data, pos, count)
        return self._map(data, pos, count)

    def _array(self, data: bytes, pos: int, count: int) -> tuple[Any, int]:
        items = []
        for _ in range(count):
            item, pos = self._decode_at(data, pos)
            items.append(item)
        return self.lua.table_from(items), pos

    def _map(self, data: bytes, pos: int, count: int) -> tuple[Any, int]:
        table = self.lua.table_from({})
        for _ in range(count):
            key, pos = self._decode_at(data, pos)
            value, pos = self._decode_at(data, pos)
            if key is not None:
                table[key] = value
        return table, pos


def _take(data: bytes, pos: int, count: int) -> tuple[bytes, int]:
    if pos + count > len(data):
        raise IndexError
    return data[pos:pos + count], pos + count


def _mp_len(n: int, fix: int, fix_max: int, tag16: bytes, tag32: bytes) -> bytes:
    if n <= fix_max:
        return bytes((fix | n,))
    if n <= 0xFFFF:
        return tag16 + n.to_bytes(2, "big")
    return tag32 + n.to_bytes(4, "big")


def _mp_str(value: bytes) -> bytes:
    n = len(value)
    if n < 32:
        return bytes((0xA0 | n,)) + value
    if n <= 0xFF:
        return b"\xd9" + bytes((n,)) + value
    if n <= 0xFFFF:
        return b"\xda" + n.to_bytes(2, "big") + value
    return b"\xdb" + n.to_bytes(4, "big") + value


def _mp_int(n: int) -> bytes:
    if n >= 0:
        if n <= 0x7F:
            return bytes((n,))
        for tag, fmt, top in ((b"\xcc", ">B", 0xFF), (b"\xcd", ">H", 0xFFFF),
                              (b"\xce", ">I", 0xFFFFFFFF)):
            if n <= top:
                return tag + pystruct.pack(fmt, n)
        return b"\xcf" + pystruct.pack(">Q", n & 0xFFFFFFFFFFFFFFFF)
    if n >= -32:
        return bytes((n & 0xFF,))
    for tag, fmt, low in ((b"\xd0", ">b", -0x80), (b"\xd1", ">h", -0x8000),
                          (b"\xd2", ">i", -0x80000000)):
        if n >= low:
            return tag + pystruct.pack(fmt, n)
    return b"\xd3" + pystruct.pack(">q", max(n, -(1 << 63)))


# --- struct ----------------------------------------------------------------------------------------

_STRUCT_SIZES = {"b": 1, "B": 1, "h": 2, "H": 2, "l": 8, "L": 8, "T": 8, "i": 4, "I": 4}


def _struct_items(fmt: bytes) -> list[tuple[str, int]]:
    """(code, size) for each item of a Lua struct format; '<' '>' '=' '!' set endianness."""
    text = fmt.decode("latin-1")
    items: list[tuple[str, int]] = []
    i = 0
    while i < len(text):
        ch = text[i]
        i += 1
        digits = ""
        while i < len(text) and text[i].isdigit():
            digits += text[i]
            i += 1
        if ch in "iIc!":
            size = int(digits) if digits else (4 if ch in "iI" else (1 if ch == "c" else 8))
            if ch in "iI" and not 1 <= size <= 8:
                raise LibError(f"integral size {size} is larger than limit of 8")
        else:
            size = _STRUCT_SIZES.get(ch, {"f": 4, "d": 8}.get(ch, 0))
        if ch not in "<>=! xbBhHlLTiIfdsc":
            raise LibError(f"invalid format option '{ch}'")
        items.append((ch, size))
    return items


def _struct_pack(fmt: bytes, *values: Any) -> bytes:
    """struct.pack(fmt, ...)."""
    order = "little"
    out = bytearray()
    args = list(values)
    for code, size in _struct_items(fmt):
        if code in "<>=":
            order = "big" if code == ">" else "little"
        elif code == "x":
            out.append(0)
        elif code in _STRUCT_SIZES:
            value = int(_lua_num(args.pop(0) if args else None))
            out += (value & ((1 << (8 * size)) - 1)).to_bytes(size, order)
        elif code in "fd":
            value = float(_lua_num(args.pop(0) if args else None))
            out += pystruct.pack(("<" if order == "little" else ">") + code, value)
        elif code == "s":
            out += _lua_str(args.pop(0) if args else None) + b"\0"
        elif code == "c":
            data = _lua_str(args.pop(0) if args else None)
            length = size or len(data)
            out += data[:length].ljust(length, b"\0")
    return bytes(out)


def _struct_unpack(fmt: bytes, data: bytes, init: Any = 1) -> tuple[Any, ...]:
    """struct.unpack(fmt, s, [i]): the values, then the next position."""
    order = "little"
    pos = int(init) - 1
    values: list[Any] = []
    for code, size in _struct_items(fmt):
        if code in "<>=":
            order = "big" if code == ">" else "little"
            continue
        if code == "x":
            pos += 1
            continue
        if code == "s":
            end = data.find(b"\0", pos)
            if end < 0:
                raise LibError("unfinished string in data")
            values.append(data[pos:end])
            pos = end + 1
            continue
        if code == "c" and size == 0:
            size = int(values.pop()) if values else 0
        if pos + size > len(data):
            raise LibError("data string too short")
        chunk = data[pos:pos + size]
        pos += size
        if code in _STRUCT_SIZES:
            values.append(int.from_bytes(chunk, order, signed=code.islower()))
        elif code in "fd":
            values.append(pystruct.unpack(("<" if order == "little" else ">") + code, chunk)[0])
        elif code == "c":
            values.append(chunk)
    return (*values, pos + 1)


def _struct_size(fmt: bytes) -> int:
    """struct.size(fmt)."""
    total = 0
    for code, size in _struct_items(fmt):
        if code in "sc" and size == 0:
            raise LibError("options 'c0' - 's' have undefined sizes")
        if code == "x":
            total += 1
        elif code not in "<>=!":
            total += size
    return total


def _lua_num(value: Any) -> float:
    if isinstance(value, bytes):
        try:
            return float(value)
        except ValueError:
            pass
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise LibError("bad argument to 'pack' (number expected)")
    return value


def _lua_str(value: Any) -> bytes:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return ("%.14g" % value).encode()
    if not isinstance(value, bytes):
        raise LibError("bad argument to 'pack' (string expected)")
    return value


STRUCT = {"pack": _struct_pack, "unpack": _struct_unpack, "size": _struct_size}


def install(lua: Any, lua_type: Callable[[Any], str | None]) -> Any:
    """Build the four library tables in ``lua``; returns a Lua table name -> library."""
    codec = Json(lua, lua_type)
    packer = MsgPack(lua, lua_type)
    functions: dict[bytes, dict[str, Any]] = {
        b"bit": BIT,
        b"cjson": {"encode": codec.encode, "decode": codec.decode, "null": NULL,
                   "_NAME": b"cjson", "_VERSION": b"2.1.0"},
        b"cmsgpack": {"pack": packer.pack, "unpack": packer.unpack,
                      "unpack_one": packer.unpack_one, "unpack_limit": packer.unpack_limit,
                      "_NAME": b"cmsgpack", "_VERSION": b"lua-cmsgpack 0.4.0"},
        b"struct": STRUCT,
    }
    return lua.table_from({
        lib: lua.table_from({name.encode(): f for name, f in members.items()})
        for lib, members in functions.items()
    })
