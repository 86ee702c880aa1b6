"""Geo commands (Redis's geo.c): points stored as 52-bit geohash scores in sorted sets.

Searches cost O(log n + m): m is the number of members in the (at most nine) geohash cells around
the centre that Redis scans, in the order Redis scans them.
"""

from __future__ import annotations

import math
from typing import Any, Callable

from fakeredis import errors
from fakeredis.args import parse_int
from fakeredis.commands.zsets import get_zset, parse_score, store_result, zadd
from fakeredis.errors import ReplyError
from fakeredis.registry import ADDED, command, has_added
from fakeredis.replies import NULL_ARRAY
from fakeredis.session import Session
from fakeredis.structures import geohash
from fakeredis.structures.zset import ZSet

_UNITS = {b"m": 1.0, b"km": 1000.0, b"ft": 0.3048, b"mi": 1609.34}
_CIRCLE, _BOX = "circle", "box"
# argument forms newer than the geo commands (Redis 6.2 and 7.0)
_OPTIONS_6_2 = {"CH|NX|XX": "6.2.0"}
_ANY_6_2 = {"ANY": "6.2.0"}
_UPPERCASE_UNITS = "M|KM|FT|MI"
_UNITS_7_0 = {_UPPERCASE_UNITS: "7.0.0"}


# --- parsing --------------------------------------------------------------------------------------
def _lon_lat(lon_arg: bytes, lat_arg: bytes) -> tuple[float, float]:
    """A valid (longitude, latitude) pair, else Redis's errors."""
    lon, lat = parse_score(lon_arg), parse_score(lat_arg)
    if not (geohash.LON_MIN <= lon <= geohash.LON_MAX
            and geohash.LAT_MIN <= lat <= geohash.LAT_MAX):
        raise ReplyError(errors.geo_invalid_pair(lon, lat))
    return lon, lat


def _unit(arg: bytes, any_case: bool) -> float:
    """Metres per unit of M, KM, FT or MI (any case; before 7.0 lower case only)."""
    factor = _UNITS.get(arg.lower() if any_case else arg)
    if factor is None:
        raise ReplyError(errors.GEO_UNIT if any_case else errors.GEO_UNIT_LOWERCASE)
    return factor


def _nonnegative(arg: bytes, error: str, negative_error: str) -> float:
    """A number that must not be negative, with its two error texts."""
    value = parse_score(arg, error)
    if value < 0:
        raise ReplyError(negative_error)
    return value


def _member_position(zset: ZSet, member: bytes) -> tuple[float, float] | None:
    """The decoded position of a member, or None when it is missing. O(1)."""
    score = zset.scores.get(member)
    return None if score is None else geohash.decode(geohash.score_bits(score))


# --- replies --------------------------------------------------------------------------------------
def _distance_reply(metres: float) -> bytes:
    """Distances are sent as text with 4 decimals in both protocols."""
    return b"%.4f" % metres


def _coordinate(ctx: Session, value: float) -> bytes | float:
    """A coordinate as Redis prints it: 17 decimals, trailing zeros dropped (RESP3 a double)."""
    text = b"%.17f" % value
    text = text.rstrip(b"0").rstrip(b".")
    if text == b"-0":
        text = b"0"
    return float(text) if ctx.protocol == 3 else text


# --- GEOADD, GEOPOS, GEOHASH, GEODIST -------------------------------------------------------------
@command("geoadd", arity=-5, flags="write denyoom", keys=(1, 1, 1), group="geo", since="3.2.0",
         added=_OPTIONS_6_2)
def geoadd(ctx: Session, key: bytes, *args: bytes) -> int:
    """Add points (NX XX CH) as geohash scores. O(log n) per point."""
    if not has_added(ctx, "geoadd", "CH|NX|XX"):
        if len(args) % 3:
            raise ReplyError(errors.GEOADD_SYNTAX_BEFORE_6_2)
        return _geoadd(ctx, key, (), args)
    first = 0
    seen: set[bytes] = set()
    while first < len(args) and args[first].upper() in (b"NX", b"XX", b"CH"):
        seen.add(args[first].upper())
        first += 1
    triples = args[first:]
    if len(triples) % 3 or {b"NX", b"XX"} <= seen:
        raise ReplyError(errors.SYNTAX)
    return _geoadd(ctx, key, args[:first], triples)


def _geoadd(ctx: Session, key: bytes, options: tuple[bytes, ...],
            triples: tuple[bytes, ...]) -> int:
    """ZADD (longitude, latitude, member) triples as geohash scores, each point validated."""
    pairs: list[bytes] = []
    for i in range(0, len(triples), 3):
        lon, lat = _lon_lat(triples[i], triples[i + 1])
        pairs += [b"%d" % geohash.encode(lon, lat), triples[i + 2]]
    return zadd(ctx, key, *options, *pairs)  # type: ignore[return-value]


@command("geopos", arity=-2, flags="readonly", keys=(1, 1, 1), group="geo", since="3.2.0")
def geopos(ctx: Session, key: bytes, *members: bytes) -> list[Any]:
    """Longitude and latitude of members. O(1) per member."""
    zset = get_zset(ctx, key)
    reply: list[Any] = []
    for member in members:
        position = _member_position(zset, member) if zset is not None else None
        if position is None:
            reply.append(NULL_ARRAY)
        else:
            reply.append([_coordinate(ctx, position[0]), _coordinate(ctx, position[1])])
    return reply


@command("geohash", arity=-2, flags="readonly", keys=(1, 1, 1), group="geo", since="3.2.0")
def geohash_(ctx: Session, key: bytes, *members: bytes) -> list[bytes | None]:
    """Standard 11-character geohashes of members. O(1) per member."""
    zset = get_zset(ctx, key)
    reply: list[bytes | None] = []
    for member in members:
        position = _member_position(zset, member) if zset is not None else None
        reply.append(None if position is None else geohash.standard_geohash(*position))
    return reply


@command("geodist", arity=-4, flags="readonly", keys=(1, 1, 1), group="geo", since="3.2.0",
         added=_UNITS_7_0)  # COMMAND DOCS leaves GEODIST's units out, but Redis 6.2 rejects "KM"
def geodist(ctx: Session, key: bytes, member1: bytes, member2: bytes, *unit: bytes) -> bytes | None:
    """Distance between two members (M KM FT MI). O(1)."""
    if len(unit) > 1:
        raise ReplyError(errors.SYNTAX)
    factor = _unit(unit[0], has_added(ctx, "geodist", _UPPERCASE_UNITS)) if unit else 1.0
    zset = get_zset(ctx, key)
    if zset is None:
        return None
    first, second = _member_position(zset, member1), _member_position(zset, member2)
    if first is None or second is None:
        return None
    return _distance_reply(geohash.distance(*first, *second) / factor)


# --- searches -------------------------------------------------------------------------------------
class GeoQuery:
    """A parsed GEORADIUS*/GEOSEARCH* request."""

    __slots__ = ("center", "shape", "size", "factor", "withdist", "withhash", "withcoord", "any",
                 "sort", "count", "store", "storedist", "frommember", "fromlonlat", "version",
                 "any_case_units", "knows_any")

    def __init__(self, ctx: Session, name: str) -> None:
        self.version = ctx.server.version
        self.any_case_units = has_added(ctx, name, _UPPERCASE_UNITS)
        self.knows_any = (name, "ANY") not in ADDED or has_added(ctx, name, "ANY")
        self.center: tuple[float, float] | None = None
        self.shape = _CIRCLE
        self.size: tuple[float, ...] = ()
        self.factor = 1.0
        self.withdist = self.withhash = self.withcoord = self.any = False
        self.sort: str | None = None
        self.count = 0
        self.store: bytes | None = None
        self.storedist = False
        self.frommember = self.fromlonlat = False

    def radius(self, args: tuple[bytes, ...]) -> None:
        """``radius unit``."""
        self.size = (_nonnegative(args[0], errors.GEO_NEED_RADIUS, errors.GEO_NEGATIVE_RADIUS),)
        self.factor = _unit(args[1], self.any_case_units)
        self.shape = _CIRCLE

    def box(self, args: tuple[bytes, ...]) -> None:
        """``width height unit``."""
        width = parse_score(args[0], errors.GEO_NEED_WIDTH)
        height = parse_score(args[1], errors.GEO_NEED_HEIGHT)
        if width < 0 or height < 0:
            raise ReplyError(errors.GEO_NEGATIVE_BOX)
        self.size = (width, height)
        self.factor = _unit(args[2], self.any_case_units)
        self.shape = _BOX

    def options(self, zset: ZSet | None, args: tuple[bytes, ...], search: bool,
                storable: bool) -> None:
        """Parse the optional words in Redis's order, validating each as it comes."""
        i, n = 0, len(args)
        while i < n:
            word = args[i].upper()
            left = n - i - 1
            if word == b"WITHDIST":
                self.withdist = True
            elif word == b"WITHHASH":
                self.withhash = True
            elif word == b"WITHCOORD":
                self.withcoord = True
            elif word == b"ANY" and self.knows_any:
                self.any = True
            elif word in (b"ASC", b"DESC"):
                self.sort = word.decode()
            elif word == b"COUNT" and left >= 1:
                self.count = parse_int_count(args[i + 1])
                i += 1
            elif word in (b"STORE", b"STOREDIST") and left >= 1 and storable and not search:
                self.store, self.storedist = args[i + 1], word == b"STOREDIST"
                i += 1
            elif word == b"STOREDIST" and search and storable:
                self.storedist = True
            elif word == b"FROMMEMBER" and left >= 1 and search and not self.fromlonlat:
                self.frommember = True
                if zset is not None:
                    self.center = _member_position(zset, args[i + 1])
                    if self.center is None:
                        raise ReplyError(errors.GEO_BAD_MEMBER)
                i += 1
            elif word == b"FROMLONLAT" and left >= 2 and search and not self.frommember:
                self.center = _lon_lat(args[i + 1], args[i + 2])
                self.fromlonlat = True
                i += 2
            elif word == b"BYRADIUS" and left >= 2 and search and self.shape_free(_BOX):
                self.radius(args[i + 1:i + 3])
                i += 2
            elif word == b"BYBOX" and left >= 3 and search and self.shape_free(_CIRCLE):
                self.box(args[i + 1:i + 4])
                i += 3
            else:
                raise ReplyError(errors.SYNTAX)
            i += 1

    def shape_free(self, other: str) -> bool:
        """True unless the other shape was already given."""
        return not (self.size and self.shape == other)

    def check(self, name: str, search: bool) -> None:
        """Cross-option checks made after parsing."""
        if self.store is not None and (self.withdist or self.withhash or self.withcoord):
            raise ReplyError(errors.geo_store_incompatible(
                "GEOSEARCHSTORE" if search else "STORE option in GEORADIUS", self.version))
        if search and not (self.frommember or self.fromlonlat):
            raise ReplyError(errors.geo_need_from(name))
        if search and not self.size:
            raise ReplyError(errors.geo_need_by(name))
        if self.any and not self.count:
            raise ReplyError(errors.GEO_ANY_NEEDS_COUNT)

    def matches(self, zset: ZSet) -> list[tuple[float, float, bytes, tuple[float, float]]]:
        """(distance in metres, score, member, position) of the members in the shape, found by
        scanning the nine geohash cells around the centre in Redis's order. O(log n + m)."""
        assert self.center is not None
        found: list[tuple[float, float, bytes, tuple[float, float]]] = []
        limit = self.count if self.any else 0
        for low, high in geohash.search_ranges(*self.center, *self._extent()):
            if limit and len(found) >= limit:
                break
            start, stop = zset.score_span(float(low), False, float(high), True)
            for score, member in zset.entries(start, stop):
                position = geohash.decode(geohash.score_bits(score))
                metres = self._inside(*self.center, *position)
                if metres is not None:
                    found.append((metres, score, member, position))
                    if limit and len(found) >= limit:
                        break
        if self.sort or (self.count and not self.any):
            found.sort(key=lambda hit: hit[0], reverse=self.sort == "DESC")
        return found[:self.count] if self.count else found

    def _extent(self) -> tuple[float, float, float]:
        """Half width, half height and radius of the search area in metres."""
        if self.shape == _CIRCLE:
            radius = self.factor * self.size[0]
            return radius, radius, radius
        width, height = self.size
        corner = math.sqrt((width / 2) * (width / 2) + (height / 2) * (height / 2))
        return self.factor * (width / 2), self.factor * (height / 2), corner * self.factor

    def _inside(self, lon0: float, lat0: float, lon: float, lat: float) -> float | None:
        """Distance from the centre when the point is inside the shape, else None."""
        if self.shape == _CIRCLE:
            metres = geohash.distance(lon0, lat0, lon, lat)
            return metres if metres <= self.size[0] * self.factor else None
        width, height = self.size[0] * self.factor, self.size[1] * self.factor
        if geohash.lat_distance(lat, lat0) > height / 2:
            return None
        if geohash.distance(lon, lat, lon0, lat) > width / 2:
            return None
        return geohash.distance(lon0, lat0, lon, lat)


def parse_int_count(arg: bytes) -> int:
    """COUNT of a geo search: an integer above 0."""
    count = parse_int(arg)
    if count <= 0:
        raise ReplyError(errors.XAUTOCLAIM_COUNT)
    return count


def _run(ctx: Session, query: GeoQuery, zset: ZSet | None) -> Any:
    """Answer a parsed search: the reply array, or the stored count."""
    if zset is None:
        if query.store is not None:
            return store_result(ctx, query.store, (), "del")
        return []
    hits = query.matches(zset)
    if query.store is not None:
        event = "geosearchstore" if query.frommember or query.fromlonlat else "georadiusstore"
        entries = [((metres / query.factor) if query.storedist else score, member)
                   for metres, score, member, _pos in hits]
        return store_result(ctx, query.store, entries, event)
    if not (query.withdist or query.withhash or query.withcoord):
        return [member for _m, _s, member, _p in hits]
    reply = []
    for metres, score, member, (lon, lat) in hits:
        item: list[Any] = [member]
        if query.withdist:
            item.append(_distance_reply(metres / query.factor))
        if query.withhash:
            item.append(int(score))
        if query.withcoord:
            item.append([_coordinate(ctx, lon), _coordinate(ctx, lat)])
        reply.append(item)
    return reply


def _georadius(ctx: Session, name: str, key: bytes, args: tuple[bytes, ...], by_member: bool,
               storable: bool) -> Any:
    """GEORADIUS[BYMEMBER][_RO]: fixed arguments, then options, in Redis's order (before 6.2 a
    missing key answered an empty array before any argument was looked at)."""
    zset = get_zset(ctx, key)
    if zset is None and ctx.server.version < (6, 2, 0):
        return []
    query = GeoQuery(ctx, name)
    if by_member:
        fixed, rest = args[:3], args[3:]
        if zset is not None:
            query.center = _member_position(zset, fixed[0])
            if query.center is None:
                raise ReplyError(errors.GEO_BAD_MEMBER)
            query.radius(fixed[1:])
    else:
        fixed, rest = args[:4], args[4:]
        query.center = _lon_lat(fixed[0], fixed[1])
        query.radius(fixed[2:])
    query.options(zset, rest, search=False, storable=storable)
    query.check("georadius", search=False)
    return _run(ctx, query, zset)


def _store_key_finder(first_option: int) -> Callable[[list], list]:
    """Key positions of GEORADIUS*: the source, then the keys after the first STORE and the first
    STOREDIST at or after ``first_option`` (Redis's key specs, in their order)."""
    def finder(argv: list) -> list:
        keys = [1]
        for keyword in (b"store", b"storedist"):
            for i in range(first_option, len(argv) - 1):
                if argv[i].lower() == keyword:
                    keys.append(i + 1)
                    break
        return keys
    return finder


@command("georadius", arity=-6, flags="write denyoom", keys=(1, 1, 1),
         key_finder=_store_key_finder(6), group="geo", since="3.2.0",
         added=_ANY_6_2 | _UNITS_7_0)
def georadius(ctx: Session, key: bytes, *args: bytes) -> Any:
    """Members within a radius of a point (options, STORE, STOREDIST). O(log n + m)."""
    return _georadius(ctx, "georadius", key, args, by_member=False, storable=True)


@command("georadius_ro", arity=-6, flags="readonly", keys=(1, 1, 1), group="geo",
         since="3.2.10", added=_ANY_6_2 | _UNITS_7_0)
def georadius_ro(ctx: Session, key: bytes, *args: bytes) -> Any:
    """GEORADIUS without STORE. O(log n + m)."""
    return _georadius(ctx, "georadius_ro", key, args, by_member=False, storable=False)


@command("georadiusbymember", arity=-5, flags="write denyoom", keys=(1, 1, 1),
         key_finder=_store_key_finder(5), group="geo", since="3.2.0",
         added=_ANY_6_2 | _UNITS_7_0)
def georadiusbymember(ctx: Session, key: bytes, *args: bytes) -> Any:
    """Members within a radius of a member (options, STORE, STOREDIST). O(log n + m)."""
    return _georadius(ctx, "georadiusbymember", key, args, by_member=True, storable=True)


@command("georadiusbymember_ro", arity=-5, flags="readonly", keys=(1, 1, 1), group="geo",
         since="3.2.10", added=_ANY_6_2 | _UNITS_7_0)
def georadiusbymember_ro(ctx: Session, key: bytes, *args: bytes) -> Any:
    """GEORADIUSBYMEMBER without STORE. O(log n + m)."""
    return _georadius(ctx, "georadiusbymember_ro", key, args, by_member=True, storable=False)


@command("geosearch", arity=-7, flags="readonly", keys=(1, 1, 1), group="geo", since="6.2.0",
         added=_UNITS_7_0)
def geosearch(ctx: Session, key: bytes, *args: bytes) -> Any:
    """Members within a radius or box around a member or point. O(log n + m)."""
    zset = get_zset(ctx, key)
    query = GeoQuery(ctx, "geosearch")
    query.options(zset, args, search=True, storable=False)
    query.check("GEOSEARCH", search=True)  # Redis echoes the typed name; clients send it so
    return _run(ctx, query, zset)


@command("geosearchstore", arity=-8, flags="write denyoom", keys=(1, 2, 1), group="geo",
         since="6.2.0", added=_UNITS_7_0)
def geosearchstore(ctx: Session, dst: bytes, src: bytes, *args: bytes) -> int:
    """Store a GEOSEARCH result (STOREDIST stores distances). O(log n + m)."""
    zset = get_zset(ctx, src)
    query = GeoQuery(ctx, "geosearchstore")
    query.store = dst
    query.options(zset, args, search=True, storable=True)
    query.check("GEOSEARCHSTORE", search=True)
    return _run(ctx, query, zset)
