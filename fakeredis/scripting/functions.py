"""Function libraries (FUNCTION LOAD / FCALL): metadata, registration, DUMP/RESTORE payloads.

A library is Lua code starting with ``#!lua name=<lib>`` that calls ``redis.register_function``
while it loads. The payload of FUNCTION DUMP is Redis's: one RDB_OPCODE_FUNCTION2 record per
library, the RDB version and a CRC64 (Jones) of everything before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from fakeredis import errors
from fakeredis.errors import ReplyError

_NAME_RE = re.compile(rb"[A-Za-z0-9_]+\Z")
_OPCODE_FUNCTION2 = 0xF5
_RDB_VERSION = 10


@dataclass(eq=False)
class Function:
    """One registered function."""

    name: bytes
    callback: Any
    flags: tuple[str, ...]
    description: bytes | None
    library: "Library"


@dataclass(eq=False)
class Library:
    """One loaded library: its code and functions (in registration order)."""

    name: bytes
    code: bytes
    functions: dict[bytes, Function] = field(default_factory=dict)


def library_name(code: bytes) -> tuple[bytes, bytes]:
    """The name in a library's ``#!lua name=...`` line, and the code to compile (same lines)."""
    if not code.startswith(b"#!"):
        raise ReplyError(errors.FUNCTION_MISSING_METADATA)
    end = code.find(b"\n")
    words = (code if end < 0 else code[:end]).split()
    engine = words[0][2:]
    if engine.lower() != b"lua":
        raise ReplyError(errors.function_engine_not_found(engine))
    name = None
    for option in words[1:]:
        if not option.startswith(b"name="):
            raise ReplyError(errors.function_bad_metadata(option))
        if name is not None:
            raise ReplyError(errors.FUNCTION_NAME_TWICE)
        name = option[5:]
    if name is None:
        raise ReplyError(errors.FUNCTION_NO_LIBRARY_NAME)
    if not _NAME_RE.match(name):
        raise ReplyError(errors.FUNCTION_BAD_LIBRARY_NAME)
    return name, b"--" + code


class FunctionLibraries:
    """The libraries of one server and the index of their functions by name."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.libraries: dict[bytes, Library] = {}
        self.functions: dict[bytes, Function] = {}

    def compile(self, code: bytes) -> Library:
        """Run a library's code in the Lua engine and collect what it registers."""
        name, source = library_name(code)
        status, result = self.engine.api.load_library(source)
        if status == 1:
            raise ReplyError(errors.function_compile_error(result.decode("utf-8", "replace")))
        if status == 2:
            text = self.engine.api.error_info(result)[0] or b"ERR unknown error"
            raise ReplyError(errors.function_register_error(text.decode("utf-8", "replace")))
        library = Library(name, code)
        for index in range(1, len(result) + 1):
            fname, callback, flags, description = (result[index][i] for i in range(1, 5))
            flag_names = tuple(flags.decode().split(",")) if flags else ()
            library.functions[fname] = Function(fname, callback, flag_names,
                                                description or None, library)
        if not library.functions:
            raise ReplyError(errors.FUNCTION_NONE_REGISTERED)
        return library

    def load(self, code: bytes, replace: bool) -> bytes:
        """FUNCTION LOAD: add (or replace) a library; its name."""
        name, _ = library_name(code)
        if name in self.libraries and not replace:
            raise ReplyError(errors.function_library_exists(name))
        library = self.compile(code)
        self._install([library], replace_names={name}, quoted=True)
        return name

    def _install(self, libraries: list[Library], replace_names: set[bytes], quoted: bool) -> None:
        """Add libraries, replacing those named in ``replace_names``; all or nothing."""
        kept = {n: lib for n, lib in self.libraries.items() if n not in replace_names}
        functions = {f: fn for f, fn in self.functions.items() if fn.library.name in kept}
        for library in libraries:
            if library.name in kept:
                raise ReplyError(errors.function_library_exists(library.name, quoted))
            for fname, function in library.functions.items():
                if fname in functions:
                    raise ReplyError(errors.function_exists(fname))
                functions[fname] = function
            kept[library.name] = library
        self.libraries, self.functions = kept, functions

    def delete(self, name: bytes) -> None:
        """FUNCTION DELETE."""
        if name not in self.libraries:
            raise ReplyError(errors.FUNCTION_LIBRARY_NOT_FOUND)
        self._install([], {name}, quoted=True)

    def flush(self) -> None:
        """FUNCTION FLUSH."""
        self.libraries, self.functions = {}, {}

    def dump(self) -> bytes:
        """FUNCTION DUMP: the libraries as Redis serialises them, byte for byte."""
        body = b"".join(bytes((_OPCODE_FUNCTION2,)) + _rdb_string(lib.code)
                        for lib in self.libraries.values())
        body += _RDB_VERSION.to_bytes(2, "little")
        return body + crc64(body).to_bytes(8, "little")

    def restore(self, payload: bytes, policy: bytes) -> None:
        """FUNCTION RESTORE with FLUSH, APPEND or REPLACE; all or nothing."""
        codes = _parse_payload(payload)
        libraries = [self.compile(code) for code in codes]
        if policy == b"FLUSH":
            replace = set(self.libraries)
        elif policy == b"REPLACE":
            replace = {lib.name for lib in libraries}
        else:
            replace = set()
        self._install(libraries, replace, quoted=False)


# --- the DUMP payload --------------------------------------------------------------------------------

def _rdb_length(n: int) -> bytes:
    if n < 64:
        return bytes((n,))
    if n < 16384:
        return bytes((0x40 | (n >> 8), n & 0xFF))
    return b"\x80" + n.to_bytes(4, "big")


def _rdb_string(data: bytes) -> bytes:
    """A string as Redis writes it in RDB: LZF-compressed when longer than 20 bytes and smaller."""
    if len(data) > 20:
        compressed = lzf_compress(data, len(data) - 4)
        if compressed is not None:
            return b"\xc3" + _rdb_length(len(compressed)) + _rdb_length(len(data)) + compressed
    return _rdb_length(len(data)) + data


class _Reader:
    """Reads RDB-encoded values from a payload; IndexError/ValueError on malformed input."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def byte(self) -> int:
        value = self.data[self.pos]
        self.pos += 1
        return value

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise IndexError
        chunk = self.data[self.pos:self.pos + n]
        self.pos += n
        return chunk

    def length(self) -> tuple[int, bool]:
        """An RDB length, and whether it is a special string encoding."""
        first = self.byte()
        kind = first >> 6
        if kind == 0:
            return first & 0x3F, False
        if kind == 1:
            return ((first & 0x3F) << 8) | self.byte(), False
        if kind == 3:
            return first & 0x3F, True
        if first == 0x80:
            return int.from_bytes(self.take(4), "big"), False
        if first == 0x81:
            return int.from_bytes(self.take(8), "big"), False
        raise ValueError("bad length")

    def string(self) -> bytes:
        n, special = self.length()
        if not special:
            return self.take(n)
        if n in (0, 1, 2):
            return str(int.from_bytes(self.take(1 << n), "little", signed=True)).encode()
        if n == 3:
            compressed, _ = self.length()
            size, _ = self.length()
            return lzf_decompress(self.take(compressed), size)
        raise ValueError("bad string encoding")


def _parse_payload(payload: bytes) -> list[bytes]:
    """The library codes in a FUNCTION DUMP payload, after checking its version and CRC."""
    if len(payload) < 10:
        raise ReplyError(errors.DUMP_PAYLOAD)
    body, crc = payload[:-8], int.from_bytes(payload[-8:], "little")
    version = int.from_bytes(body[-2:], "little")
    if version > _RDB_VERSION or (crc and crc64(body) != crc):
        raise ReplyError(errors.DUMP_PAYLOAD)
    reader = _Reader(body[:-2])
    codes = []
    try:
        while reader.pos < len(reader.data):
            if reader.byte() != _OPCODE_FUNCTION2:
                raise ValueError("not a function")
            codes.append(reader.string())
    except (IndexError, ValueError):
        raise ReplyError(errors.FUNCTION_BAD_PAYLOAD) from None
    return codes


def lzf_decompress(data: bytes, size: int) -> bytes:
    """LZF (as Redis compresses RDB strings). O(size)."""
    out = bytearray()
    i = 0
    while i < len(data):
        ctrl = data[i]
        i += 1
        if ctrl < 32:
            out += data[i:i + ctrl + 1]
            i += ctrl + 1
            continue
        length = ctrl >> 5
        if length == 7:
            length += data[i]
            i += 1
        ref = len(out) - ((ctrl & 0x1F) << 8) - data[i] - 1
        i += 1
        if ref < 0:
            raise ValueError("bad back reference")
        for _ in range(length + 2):
            out.append(out[ref])
            ref += 1
    if len(out) != size:
        raise ValueError("bad length")
    return bytes(out)


def _lzf_index(hval: int) -> int:
    """liblzf's hash slot for three bytes (HLOG 16, VERY_FAST)."""
    return ((hval >> 8) - hval * 5) & 0xFFFF


def lzf_compress(data: bytes, out_len: int) -> bytes | None:
    """liblzf's lzf_compress as Redis builds it; None when the result would not fit ``out_len``."""
    n = len(data)
    out = bytearray(1)  # out[0] is the header of the first literal run
    table: dict[int, int] = {}
    lit = 0
    ip = 0
    hval = (data[0] << 8) | data[1]
    while ip < n - 2:
        hval = ((hval << 8) | data[ip + 2]) & 0xFFFFFF
        slot = _lzf_index(hval)
        ref = table.get(slot, -1)
        table[slot] = ip
        off = ip - ref - 1
        if ref > 0 and off < 8192 and data[ref:ref + 3] == data[ip:ip + 3]:
            if len(out) + 4 >= out_len and len(out) - (not lit) + 4 >= out_len:
                return None
            length = _lzf_match_length(data, ref, ip, min(n - ip - 2, 264))
            out[-lit - 1] = lit - 1 if lit else 0
            if not lit:
                out.pop()
            length -= 2
            ip += 1
            if length < 7:
                out.append((off >> 8) + (length << 5))
            else:
                out.append((off >> 8) + (7 << 5))
                out.append(length - 7)
            out.append(off & 0xFF)
            lit = 0
            out.append(0)
            ip += length + 1
            if ip >= n - 2:
                break
            ip -= 2
            hval = (data[ip] << 8) | data[ip + 1]
            for _ in range(2):
                hval = ((hval << 8) | data[ip + 2]) & 0xFFFFFF
                table[_lzf_index(hval)] = ip
                ip += 1
        else:
            if len(out) >= out_len:
                return None
            lit += 1
            out.append(data[ip])
            ip += 1
            if lit == 32:
                out[-lit - 1] = lit - 1
                lit = 0
                out.append(0)
    if len(out) + 3 > out_len:
        return None
    while ip < n:
        lit += 1
        out.append(data[ip])
        ip += 1
        if lit == 32:
            out[-lit - 1] = lit - 1
            lit = 0
            out.append(0)
    if lit:
        out[-lit - 1] = lit - 1
    else:
        out.pop()
    return bytes(out)


def _lzf_match_length(data: bytes, ref: int, ip: int, maxlen: int) -> int:
    """How many bytes match at ``ref`` and ``ip`` (at least 3), counted as liblzf counts them."""
    length = 2
    if maxlen > 16:
        for _ in range(16):
            length += 1
            if data[ref + length] != data[ip + length]:
                return length
    length += 1
    while length < maxlen and data[ref + length] == data[ip + length]:
        length += 1
    return length


def _crc64_table() -> list[int]:
    poly = 0x95AC9329AC4BC9B5  # Jones polynomial, reflected
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ poly if crc & 1 else crc >> 1
        table.append(crc)
    return table


_CRC64 = _crc64_table()


def crc64(data: bytes) -> int:
    """Redis's CRC64 (Jones, reflected, init 0). O(len)."""
    crc = 0
    table = _CRC64
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc
