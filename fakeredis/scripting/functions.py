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
from fakeredis.structures.rdb import RDB_VERSION, RdbError, Reader, crc64, encode_string

_NAME_RE = re.compile(rb"[A-Za-z0-9_]+\Z")
_OPCODE_FUNCTION2 = 0xF5


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
        body = b"".join(bytes((_OPCODE_FUNCTION2,)) + encode_string(lib.code, compress=True)
                        for lib in self.libraries.values())
        body += RDB_VERSION.to_bytes(2, "little")
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


# --- the DUMP payload (RDB encoding, LZF and CRC64 from fakeredis.structures.rdb) ----------------

def _parse_payload(payload: bytes) -> list[bytes]:
    """The library codes in a FUNCTION DUMP payload, after checking its version and CRC."""
    if len(payload) < 10:
        raise ReplyError(errors.DUMP_PAYLOAD)
    body, crc = payload[:-8], int.from_bytes(payload[-8:], "little")
    version = int.from_bytes(body[-2:], "little")
    if version > RDB_VERSION or (crc and crc64(body) != crc):
        raise ReplyError(errors.DUMP_PAYLOAD)
    reader = Reader(body[:-2])
    codes = []
    try:
        while reader.pos < len(reader.data):
            if reader.byte() != _OPCODE_FUNCTION2:
                raise RdbError("not a function")
            codes.append(reader.string())
    except RdbError:
        raise ReplyError(errors.FUNCTION_BAD_PAYLOAD) from None
    return codes


