"""Redis's 52-bit geohash: 26 bits of longitude and latitude interleaved into a sorted-set score.

A coordinate is normalised to [0, 1) within its range, scaled to 26 bits (truncated), and the bits of
longitude and latitude alternate with longitude first (the most significant bit is longitude's).
Decoding takes the centre of the cell. Distances use the haversine formula on Redis's earth radius.
All functions are O(1).
"""

from __future__ import annotations

import math

STEP = 26
LON_MIN, LON_MAX = -180.0, 180.0
LAT_MIN, LAT_MAX = -85.05112878, 85.05112878
EARTH_RADIUS_M = 6372797.560856
_BASE32 = b"0123456789bcdefghjkmnpqrstuvwxyz"


def _spread(value: int) -> int:
    """Put the 32 bits of ``value`` at the even bit positions of a 64-bit integer."""
    value &= 0xFFFFFFFF
    value = (value | (value << 16)) & 0x0000FFFF0000FFFF
    value = (value | (value << 8)) & 0x00FF00FF00FF00FF
    value = (value | (value << 4)) & 0x0F0F0F0F0F0F0F0F
    value = (value | (value << 2)) & 0x3333333333333333
    return (value | (value << 1)) & 0x5555555555555555


def _squash(value: int) -> int:
    """The bits at the even positions of ``value``, packed together (inverse of :func:`_spread`)."""
    value &= 0x5555555555555555
    value = (value | (value >> 1)) & 0x3333333333333333
    value = (value | (value >> 2)) & 0x0F0F0F0F0F0F0F0F
    value = (value | (value >> 4)) & 0x00FF00FF00FF00FF
    value = (value | (value >> 8)) & 0x0000FFFF0000FFFF
    return (value | (value >> 16)) & 0x00000000FFFFFFFF


def encode(lon: float, lat: float, lat_min: float = LAT_MIN, lat_max: float = LAT_MAX) -> int:
    """The 52-bit interleaved hash of a point (latitude range as given)."""
    scale = 1 << STEP
    lat_cell = int((lat - lat_min) / (lat_max - lat_min) * scale)
    lon_cell = int((lon - LON_MIN) / (LON_MAX - LON_MIN) * scale)
    return _spread(lat_cell) | (_spread(lon_cell) << 1)


def decode(bits: int) -> tuple[float, float]:
    """(longitude, latitude) of the centre of the cell of a 52-bit hash, clamped to the ranges."""
    scale = float(1 << STEP)
    lat_cell = _squash(bits)
    lon_cell = _squash(bits >> 1)
    lat_span = LAT_MAX - LAT_MIN
    lon_span = LON_MAX - LON_MIN
    lat_lo = LAT_MIN + (lat_cell / scale) * lat_span
    lat_hi = LAT_MIN + ((lat_cell + 1) / scale) * lat_span
    lon_lo = LON_MIN + (lon_cell / scale) * lon_span
    lon_hi = LON_MIN + ((lon_cell + 1) / scale) * lon_span
    lon = min(max((lon_lo + lon_hi) / 2, LON_MIN), LON_MAX)
    lat = min(max((lat_lo + lat_hi) / 2, LAT_MIN), LAT_MAX)
    return lon, lat


def score_bits(score: float) -> int:
    """The hash a sorted-set score holds, read as an unsigned 64-bit integer like Redis does."""
    if not 0 < score < 2.0 ** 64:
        return 0
    return int(score)


def standard_geohash(lon: float, lat: float) -> bytes:
    """The 11-character base32 geohash of a point, on the standard -90..90 latitude range."""
    bits = encode(lon, lat, -90.0, 90.0)
    chars = [_BASE32[(bits >> (52 - (i + 1) * 5)) & 0x1F] for i in range(10)]
    return bytes(chars) + b"0"


def _rad(degrees: float) -> float:
    return degrees * (math.pi / 180.0)


def lat_distance(lat1: float, lat2: float) -> float:
    """Metres between two latitudes on one meridian."""
    return EARTH_RADIUS_M * abs(_rad(lat2) - _rad(lat1))


def distance(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Haversine distance in metres, computed in Redis's order of operations."""
    v = math.sin((_rad(lon2) - _rad(lon1)) / 2)
    if v == 0.0:
        return lat_distance(lat1, lat2)
    lat1r, lat2r = _rad(lat1), _rad(lat2)
    u = math.sin((lat2r - lat1r) / 2)
    a = u * u + math.cos(lat1r) * math.cos(lat2r) * v * v
    return 2.0 * EARTH_RADIUS_M * math.asin(math.sqrt(a))
