"""parse_timeout reads blocking timeouts as Redis 7.0's getTimeoutFromObjectOrReply does."""

import pytest

from fakeredis import errors
from fakeredis.args import parse_timeout
from fakeredis.errors import ReplyError


@pytest.mark.parametrize("arg, seconds", [
    (b"0", 0.0), (b"-0", 0.0), (b"0.5", 0.5), (b"+1", 1.0), (b"1.", 1.0), (b".5e-2", 0.005),
    (b"1e-5", 0.001), (b"0.0009", 0.001), (b"1e-400", 0.001), (b"-0.0009", 0.0),
    (b"0x10", 16.0), (b"0X.8P1", 1.0), (b"1e15", 1e15),
])
def test_accepted_timeouts_are_whole_milliseconds_rounded_up(arg, seconds):
    assert parse_timeout(arg) == seconds


@pytest.mark.parametrize("arg", [
    b"", b"x", b" 1", b"1 ", b"nan", b"-nan", b".", b"e1", b"1e", b"0x", b"1_0", b"0b1",
    b"1e5000", b"1e-5000", b"-1e99999999999",
])
def test_not_a_float(arg):
    with pytest.raises(ReplyError) as exc:
        parse_timeout(arg)
    assert exc.value.text == errors.TIMEOUT_NOT_FLOAT


@pytest.mark.parametrize("arg", [
    b"-1", b"-0.0011", b"inf", b"INF", b"-infinity", b"1e16", b"9223372036854775807", b"1e400",
    b"0x1p2000",
])
def test_negative_or_overflowing_milliseconds_are_negative(arg):
    with pytest.raises(ReplyError) as exc:
        parse_timeout(arg)
    assert exc.value.text == errors.TIMEOUT_NEGATIVE
