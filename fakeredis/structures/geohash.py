"""Redis's 52-bit geohash: 26 bits of longitude and latitude interleaved into a sorted-set score.

A coordinate is normalised to [0, 1) within its range, scaled to 26 bits (truncated), and the
bits of longitude and latitude alternate, longitude first (the most significant bit is longitude's).
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
_TWO_63 = 2.0 ** 63
_BIT_63 = 1 << 63
_UINT64 = (1 << 64) - 1


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


def encode(lon: float, lat: float, lat_min: float = LAT_MIN, lat_max: float = LAT_MAX,
           step: int = STEP) -> int:
    """The interleaved hash of a point at ``step`` bits per coordinate (latitude range as given)."""
    scale = 1 << step
    lat_cell = int((lat - lat_min) / (lat_max - lat_min) * scale)
    lon_cell = int((lon - LON_MIN) / (LON_MAX - LON_MIN) * scale)
    return _spread(lat_cell) | (_spread(lon_cell) << 1)


def cell(bits: int, step: int = STEP) -> tuple[float, float, float, float]:
    """(lon_min, lon_max, lat_min, lat_max) of the cell a hash names."""
    scale = float(1 << step)
    lat_cell = _squash(bits)
    lon_cell = _squash(bits >> 1)
    lat_span = LAT_MAX - LAT_MIN
    lon_span = LON_MAX - LON_MIN
    return (LON_MIN + (lon_cell / scale) * lon_span, LON_MIN + ((lon_cell + 1) / scale) * lon_span,
            LAT_MIN + (lat_cell / scale) * lat_span, LAT_MIN + ((lat_cell + 1) / scale) * lat_span)


def decode(bits: int) -> tuple[float, float]:
    """(longitude, latitude) of the centre of the cell of a 52-bit hash, clamped to the ranges."""
    lon_lo, lon_hi, lat_lo, lat_hi = cell(bits)
    lon = min(max((lon_lo + lon_hi) / 2, LON_MIN), LON_MAX)
    lat = min(max((lat_lo + lat_hi) / 2, LAT_MIN), LAT_MAX)
    return lon, lat


def score_bits(score: float) -> int:
    """The hash a sorted-set score holds: the score cast to an unsigned 64-bit integer the way
    Redis's ``(uint64_t)`` cast behaves on x86-64, odd scores (negative, huge, inf) included."""
    if score >= _TWO_63:
        rest = score - _TWO_63
        return (int(rest) | _BIT_63) if rest < _TWO_63 else 0
    if score > -_TWO_63 - 1:
        return int(score) & _UINT64
    return _BIT_63


def standard_geohash(lon: float, lat: float) -> bytes:
    """The 11-character base32 geohash of a point, on the standard -90..90 latitude range."""
    bits = encode(lon, lat, -90.0, 90.0)
    chars = [_BASE32[(bits >> (52 - (i + 1) * 5)) & 0x1F] for i in range(10)]
    return bytes(chars) + b"0"


def _cos(x: float) -> float:
    """C's cos: NaN for infinities instead of an exception."""
    return math.cos(x) if math.isfinite(x) else math.nan


def _asin_sqrt(a: float) -> float:
    """C's asin(sqrt(a)): NaN outside the domain instead of an exception."""
    return math.asin(math.sqrt(a)) if 0.0 <= a <= 1.0 else math.nan


def _rad(degrees: float) -> float:
    """Degrees to radians as Redis computes it."""
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
    return 2.0 * EARTH_RADIUS_M * _asin_sqrt(a)


# --- the cells a search looks in ------------------------------------------------------------------
_MERCATOR_MAX = 20037726.37
_ODD = 0xAAAAAAAAAAAAAAAA
_EVEN = 0x5555555555555555


def _move(bits: int, step: int, mask: int, direction: int) -> int:
    """Step one cell along the coordinate whose bits ``mask`` selects (wrapping around)."""
    width = 64 - step * 2
    mine, other = bits & mask, bits & ~mask & 0xFFFFFFFFFFFFFFFF
    low = (_EVEN if mask == _ODD else _ODD) >> width
    if direction > 0:
        mine = mine + (low + 1)
    else:
        mine = (mine | low) - (low + 1)
    return (mine & (mask >> width)) | other


def neighbour(bits: int, step: int, east: int, north: int) -> int:
    """The adjacent cell ``east`` (+1/-1/0) and ``north`` (+1/-1/0) of a cell."""
    if east:
        bits = _move(bits, step, _ODD, east)
    if north:
        bits = _move(bits, step, _EVEN, north)
    return bits


def estimate_steps(range_m: float, lat: float) -> int:
    """Bits per coordinate of cells about as large as a search radius."""
    if range_m == 0:
        return STEP
    step = 1
    while range_m < _MERCATOR_MAX:
        range_m *= 2
        step += 1
    step -= 2
    if lat > 66 or lat < -66:
        step -= 1
        if lat > 80 or lat < -80:
            step -= 1
    return min(max(step, 1), STEP)


def _divide(a: float, b: float) -> float:
    """C's a / b for doubles: a zero divisor gives an infinity or NaN, not an exception."""
    if b != 0.0:
        return a / b
    if a == 0.0 or a != a:
        return math.nan
    return math.copysign(math.inf, a) * math.copysign(1.0, b)


def _degrees(radians: float) -> float:
    """Radians to degrees as Redis computes it."""
    return radians / (math.pi / 180.0)


def search_ranges(lon: float, lat: float, half_width: float, half_height: float,
                  radius: float) -> list[tuple[int, int]]:
    """Score ranges [min, max) of the cell holding a point and its 8 neighbours, in the order
    centre, N, S, E, W, NE, NW, SE, SW, dropping useless ones like Redis's search does."""
    lat_delta = _degrees(half_height / EARTH_RADIUS_M)
    top = _degrees(_divide(half_width / EARTH_RADIUS_M, _cos(_rad(lat + lat_delta))))
    bottom = _degrees(_divide(half_width / EARTH_RADIUS_M, _cos(_rad(lat - lat_delta))))
    lon_delta = bottom if lat < 0 else top
    min_lon, max_lon = lon - lon_delta, lon + lon_delta
    min_lat, max_lat = lat - lat_delta, lat + lat_delta
    step = estimate_steps(radius, lat)
    centre = encode(lon, lat, step=step)
    if step > 1 and _too_coarse(centre, step, min_lon, max_lon, min_lat, max_lat):
        step -= 1
        centre = encode(lon, lat, step=step)
    moves = [(0, 0), (0, 1), (0, -1), (1, 0), (-1, 0), (1, 1), (-1, 1), (1, -1), (-1, -1)]
    if step >= 2:
        lon_lo, lon_hi, lat_lo, lat_hi = cell(centre, step)
        moves = [(e, n) for e, n in moves
                 if not ((n < 0 and lat_lo < min_lat) or (n > 0 and lat_hi > max_lat)
                         or (e < 0 and lon_lo < min_lon) or (e > 0 and lon_hi > max_lon))]
    shift = 52 - step * 2
    ranges: list[tuple[int, int]] = []
    last = None  # Redis only skips a repeat of the previous cell when that was not the centre
    for east, north in moves:
        bits = neighbour(centre, step, east, north)
        if bits == last:
            continue
        last = bits if ranges else None
        ranges.append((bits << shift, (bits + 1) << shift))
    return ranges


def _too_coarse(centre: int, step: int, min_lon: float, max_lon: float, min_lat: float,
                max_lat: float) -> bool:
    """True when a neighbouring cell does not reach the edge of the search area."""
    return (cell(neighbour(centre, step, 0, 1), step)[3] < max_lat
            or cell(neighbour(centre, step, 0, -1), step)[2] > min_lat
            or cell(neighbour(centre, step, 1, 0), step)[1] < max_lon
            or cell(neighbour(centre, step, -1, 0), step)[0] > min_lon)
