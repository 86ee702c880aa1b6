"""Dispatcher-level behaviour every command shares: unknown commands, arity, subcommands."""

import pytest
import redis

from conformance.helpers import error_of, raw


def test_unknown_command_quotes_its_first_arguments(r):
    assert error_of(r, "NOSUCHCOMMAND", "a", "b c") == \
        "unknown command 'NOSUCHCOMMAND', with args beginning with: 'a' 'b c' "


def test_unknown_command_without_arguments(r):
    assert error_of(r, "nosuch") == "unknown command 'nosuch', with args beginning with: "


def test_wrong_arity_names_the_command_in_lower_case(r):
    assert error_of(r, "GET") == "wrong number of arguments for 'get' command"


def test_unknown_subcommand(r):
    assert error_of(r, "CONFIG", "nosuch") == "unknown subcommand 'nosuch'. Try CONFIG HELP."


def test_subcommand_arity_uses_the_full_name(r):
    assert error_of(r, "CONFIG", "GET") == "wrong number of arguments for 'config|get' command"


def test_commands_are_case_insensitive(r):
    assert raw(r, "sEt", "k", "v") == b"OK"
    assert raw(r, "get", "k") == b"v"


def test_an_error_does_not_close_the_connection(r):
    with pytest.raises(redis.ResponseError):
        raw(r, "GET")
    assert r.ping() is True


def test_unknown_command_names_print_as_c_strings(r):
    assert error_of(r, b"a\x00b", b"c\x00d", b"\xff") == \
        "unknown command 'a', with args beginning with: 'c' '\ufffd' "
