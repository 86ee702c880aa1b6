"""Geo commands: geohash scores, positions, distances and searches, with exact digits and errors."""

from conformance.helpers import error_of, is_resp3, raw

WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"
PALERMO = (b"13.36138933897018433", b"38.11555639549629859")
CATANIA = (b"15.08726745843887329", b"37.50266842333162032")


def tup(reply):
    """redis-py gives tuples in RESP2 and lists in RESP3 for scored replies; compare as tuples."""
    return [tuple(x) for x in reply]


def coords(r, pair):
    """Coordinates as raw() returns them: text in RESP2, doubles in RESP3."""
    return [float(x) for x in pair] if is_resp3(r) else list(pair)


def sicily(r):
    assert raw(r, "GEOADD", "Sicily", "13.361389", "38.115556", "Palermo",
               "15.087269", "37.502669", "Catania") == 2


def test_geoadd_stores_geohash_scores(r):
    sicily(r)
    assert r.zscore("Sicily", "Palermo") == 3479099956230698.0
    assert r.zscore("Sicily", "Catania") == 3479447370796909.0
    assert r.type("Sicily") == b"zset"
    assert raw(r, "GEOADD", "Sicily", "13.361389", "38.115556", "Palermo") == 0


def test_geoadd_options(r):
    sicily(r)
    assert raw(r, "GEOADD", "Sicily", "NX", "1", "1", "Palermo", "2", "2", "New") == 1
    assert r.zscore("Sicily", "Palermo") == 3479099956230698.0
    assert raw(r, "GEOADD", "Sicily", "XX", "1", "1", "Palermo", "3", "3", "Other") == 0
    assert r.zscore("Sicily", "Other") is None
    assert r.zscore("Sicily", "Palermo") != 3479099956230698.0
    assert raw(r, "GEOADD", "Sicily", "CH", "XX", "2", "2", "Palermo", "2", "2", "New") == 1
    assert r.geoadd("Sicily", [13.361389, 38.115556, "Palermo"], ch=True) == 1


def test_geoadd_errors(r):
    assert error_of(r, "GEOADD", "k", "200", "100", "x") == \
        "invalid longitude,latitude pair 200.000000,100.000000"
    assert error_of(r, "GEOADD", "k", "10", "86", "x") == \
        "invalid longitude,latitude pair 10.000000,86.000000"
    assert error_of(r, "GEOADD", "k", "1", "1", "a", "10", "86", "x") == \
        "invalid longitude,latitude pair 10.000000,86.000000"
    assert error_of(r, "GEOADD", "k", "XX", "NX", "1", "2", "x") == "syntax error"
    assert error_of(r, "GEOADD", "k", "1", "2", "x", "3") == "syntax error"
    assert error_of(r, "GEOADD", "k", "NX", "CH", "XX") == "syntax error"
    assert error_of(r, "GEOADD", "k", "a", "2", "x") == "value is not a valid float"
    assert error_of(r, "GEOADD", "k", "1", "2") == "wrong number of arguments for 'geoadd' command"
    assert r.exists("k") == 0
    r.set("s", "x")
    assert error_of(r, "GEOADD", "s", "1", "2", "x") == WRONGTYPE


def test_geosearch_needs_one_center_and_one_shape_named_as_sent(r):
    r.geoadd("k", (1, 1, "a"))
    assert error_of(r, "GEOSEARCH", "k", "BYRADIUS", "200", "km", "ASC", "COUNT", "1") == \
        "exactly one of FROMMEMBER or FROMLONLAT can be specified for GEOSEARCH"
    assert error_of(r, "GEOSEARCHSTORE", "d", "k", "FROMMEMBER", "a", "ASC", "COUNT", "1") == \
        "exactly one of BYRADIUS and BYBOX can be specified for GEOSEARCHSTORE"
    assert r.exists("d") == 0


def test_geopos(r):
    sicily(r)
    assert raw(r, "GEOPOS", "Sicily", "Palermo", "nope", "Catania") == \
        [coords(r, PALERMO), None, coords(r, CATANIA)]
    assert raw(r, "GEOPOS", "missing", "a", "b") == [None, None]
    assert [tuple(p) for p in r.geopos("Sicily", "Palermo")] == [(13.361389338970184,
                                                                   38.1155563954963)]


def test_geo_edges_of_the_map(r):
    raw(r, "GEOADD", "edges", "-180", "-85.05112878", "sw", "180", "85.05112878", "ne", "0", "0",
        "zero")
    assert r.zrange("edges", 0, -1, withscores=True, score_cast_func=int) in (
        [(b"sw", 0), (b"zero", 3377699720527872), (b"ne", 13510798882111488)],
        [[b"sw", 0], [b"zero", 3377699720527872], [b"ne", 13510798882111488]])
    assert raw(r, "GEOPOS", "edges", "sw", "zero", "ne") == \
        [coords(r, (b"-179.99999731779098511", b"-85.05112751263942528")),
         coords(r, (b"0.00000268220901489", b"0.00000126736058093")),
         coords(r, (b"180", b"85.0511287799999991"))]
    assert raw(r, "GEOHASH", "edges", "zero", "sw", "ne") == \
        [b"s0000000000", b"00bh0hbj200", b"bp05b5048p0"]


def test_geohash(r):
    sicily(r)
    assert raw(r, "GEOHASH", "Sicily", "Palermo", "Catania", "nope") == \
        [b"sqc8b49rny0", b"sqdtr74hyu0", None]
    assert raw(r, "GEOHASH", "missing", "a") == [None]
    raw(r, "GEOADD", "k", "-122.27652", "37.805186", "oakland", "0", "0", "zero")
    assert raw(r, "GEOHASH", "k", "oakland", "zero") == [b"9q9p1d0znt0", b"s0000000000"]


def test_geodist_units(r):
    sicily(r)
    assert raw(r, "GEODIST", "Sicily", "Palermo", "Catania") == b"166274.1516"
    assert raw(r, "GEODIST", "Sicily", "Palermo", "Catania", "km") == b"166.2742"
    assert raw(r, "GEODIST", "Sicily", "Palermo", "Catania", "MI") == b"103.3182"
    assert raw(r, "GEODIST", "Sicily", "Palermo", "Catania", "ft") == b"545518.8700"
    assert raw(r, "GEODIST", "Sicily", "Palermo", "Palermo") == b"0.0000"
    assert raw(r, "GEODIST", "Sicily", "Palermo", "nope") is None
    assert raw(r, "GEODIST", "missing", "a", "b") is None
    assert r.geodist("Sicily", "Palermo", "Catania", unit="km") == 166.2742


def test_geodist_errors(r):
    sicily(r)
    assert error_of(r, "GEODIST", "Sicily", "Palermo", "Catania", "yards") == \
        "unsupported unit provided. please use M, KM, FT, MI"
    assert error_of(r, "GEODIST", "Sicily", "Palermo", "Catania", "km", "x") == "syntax error"
    r.set("s", "x")
    assert error_of(r, "GEODIST", "s", "a", "b") == WRONGTYPE


def test_georadius_plain_and_with_options(r):
    sicily(r)
    assert raw(r, "GEORADIUS", "Sicily", "15", "37", "100", "km") == [b"Catania"]
    assert raw(r, "GEORADIUS", "Sicily", "15", "37", "200", "km", "ASC") == \
        [b"Catania", b"Palermo"]
    assert raw(r, "GEORADIUS", "Sicily", "15", "37", "200", "km", "DESC") == \
        [b"Palermo", b"Catania"]
    assert raw(r, "GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHDIST", "ASC") == \
        [[b"Catania", b"56.4413"], [b"Palermo", b"190.4424"]]
    assert raw(r, "GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHCOORD", "WITHHASH",
               "WITHDIST", "COUNT", "1") == \
        [[b"Catania", b"56.4413", 3479447370796909, coords(r, CATANIA)]]
    assert raw(r, "GEORADIUS", "Sicily", "15", "37", "1", "m") == []
    assert raw(r, "GEORADIUS", "missing", "15", "37", "1", "m") == []
    assert raw(r, "GEORADIUS_RO", "Sicily", "15", "37", "200", "km", "COUNT", "1", "DESC") == \
        [b"Palermo"]


def test_georadius_through_redis_py(r):
    sicily(r)
    assert r.georadius("Sicily", 15, 37, 200, unit="km", withdist=True, sort="ASC") == \
        [[b"Catania", 56.4413], [b"Palermo", 190.4424]]
    assert r.georadiusbymember("Sicily", "Palermo", 200, unit="km", sort="DESC") == \
        [b"Catania", b"Palermo"]


def test_georadiusbymember(r):
    sicily(r)
    raw(r, "GEOADD", "Sicily", "13.583333", "37.316667", "Agrigento")
    assert raw(r, "GEORADIUSBYMEMBER", "Sicily", "Agrigento", "100", "km", "ASC") == \
        [b"Agrigento", b"Palermo"]
    assert raw(r, "GEORADIUSBYMEMBER_RO", "Sicily", "Agrigento", "100", "km", "WITHDIST",
               "DESC") == [[b"Palermo", b"90.9778"], [b"Agrigento", b"0.0000"]]
    assert error_of(r, "GEORADIUSBYMEMBER", "Sicily", "nope", "100", "km") == \
        "could not decode requested zset member"
    assert raw(r, "GEORADIUSBYMEMBER", "missing", "nope", "100", "km") == []


def test_georadius_store(r):
    sicily(r)
    assert raw(r, "GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "out") == 2
    assert tup(r.zrange("out", 0, -1, withscores=True)) == \
        [(b"Palermo", 3479099956230698.0), (b"Catania", 3479447370796909.0)]
    assert raw(r, "GEORADIUS", "Sicily", "15", "37", "200", "km", "STOREDIST", "dist") == 2
    assert tup(r.zrange("dist", 0, -1, withscores=True)) == \
        [(b"Catania", 56.441257870158204), (b"Palermo", 190.44242984775784)]
    assert raw(r, "GEORADIUSBYMEMBER", "Sicily", "Palermo", "1", "km", "STORE", "near") == 1
    assert raw(r, "GEORADIUS", "Sicily", "15", "37", "1", "m", "STORE", "out") == 0
    assert r.exists("out") == 0
    assert raw(r, "GEORADIUS", "missing", "15", "37", "1", "m", "STORE", "dist") == 0
    assert r.exists("dist") == 0


def test_georadius_errors(r):
    sicily(r)
    assert error_of(r, "GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHDIST", "STORE",
                    "x") == \
        "STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options"
    assert error_of(r, "GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE") == "syntax error"
    assert error_of(r, "GEORADIUS_RO", "Sicily", "15", "37", "200", "km", "STORE", "x") == \
        "syntax error"
    assert error_of(r, "GEORADIUS", "Sicily", "15", "37", "200", "yd") == \
        "unsupported unit provided. please use M, KM, FT, MI"
    assert error_of(r, "GEORADIUS", "Sicily", "15", "37", "x", "km") == "need numeric radius"
    assert error_of(r, "GEORADIUS", "Sicily", "15", "37", "-1", "km") == "radius cannot be negative"
    assert error_of(r, "GEORADIUS", "Sicily", "190", "37", "1", "km") == \
        "invalid longitude,latitude pair 190.000000,37.000000"
    assert error_of(r, "GEORADIUS", "Sicily", "15", "37", "1", "km", "COUNT", "0") == \
        "COUNT must be > 0"
    assert error_of(r, "GEORADIUS", "Sicily", "15", "37", "1", "km", "COUNT", "x") == \
        "value is not an integer or out of range"
    assert error_of(r, "GEORADIUS", "Sicily", "15", "37", "1", "km", "ANY") == \
        "the ANY argument requires COUNT argument"
    assert error_of(r, "GEORADIUS", "Sicily", "15", "37", "1", "km", "FOO") == "syntax error"
    r.set("s", "x")
    assert error_of(r, "GEORADIUS", "s", "x", "37", "1", "km") == WRONGTYPE


def test_geosearch_radius_and_box(r):
    sicily(r)
    assert raw(r, "GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km",
               "ASC", "WITHCOORD", "WITHDIST", "WITHHASH") == \
        [[b"Catania", b"56.4413", 3479447370796909, coords(r, CATANIA)],
         [b"Palermo", b"190.4424", 3479099956230698, coords(r, PALERMO)]]
    assert raw(r, "GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "100", "km") == \
        [b"Palermo"]
    assert raw(r, "GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "400", "400", "km",
               "DESC", "WITHDIST") == [[b"Palermo", b"190.4424"], [b"Catania", b"56.4413"]]
    assert raw(r, "GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "200", "200", "km",
               "ASC") == [b"Catania"]
    assert raw(r, "GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "400", "120", "km") == \
        [b"Catania"]
    assert raw(r, "GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km",
               "COUNT", "1", "ANY") == [b"Palermo"]
    assert raw(r, "GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "FROMMEMBER", "Palermo",
               "BYRADIUS", "10", "km") == [b"Palermo"]
    assert raw(r, "GEOSEARCH", "missing", "FROMMEMBER", "x", "BYRADIUS", "10", "km") == []
    assert r.geosearch("Sicily", longitude=15, latitude=37, radius=200, unit="km",
                       sort="ASC") == [b"Catania", b"Palermo"]


def test_geosearchstore(r):
    sicily(r)
    assert raw(r, "GEOSEARCHSTORE", "out", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200",
               "km") == 2
    assert r.zrange("out", 0, -1) == [b"Palermo", b"Catania"]
    assert raw(r, "GEOSEARCHSTORE", "out", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200",
               "km", "STOREDIST", "COUNT", "1") == 1
    assert tup(r.zrange("out", 0, -1, withscores=True)) == [(b"Catania", 56.441257870158204)]
    assert raw(r, "GEOSEARCHSTORE", "out", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "1",
               "m") == 0
    assert r.exists("out") == 0
    assert raw(r, "GEOSEARCHSTORE", "out", "missing", "FROMMEMBER", "x", "BYRADIUS", "1", "m") == 0


def test_geosearch_errors(r):
    sicily(r)
    base = ("GEOSEARCH", "Sicily")
    assert error_of(r, *base, "FROMMEMBER", "nope", "BYRADIUS", "10", "km") == \
        "could not decode requested zset member"
    assert error_of(r, *base, "FROMMEMBER", "Palermo", "BYRADIUS", "10", "km", "ANY") == \
        "the ANY argument requires COUNT argument"
    assert error_of(r, *base, "FROMMEMBER", "Palermo", "FROMLONLAT", "1", "1", "BYRADIUS", "10",
                    "km") == "syntax error"
    assert error_of(r, *base, "FROMMEMBER", "Palermo", "BYRADIUS", "1", "km", "BYBOX", "1", "1",
                    "km") == "syntax error"
    assert error_of(r, *base, "FROMMEMBER", "Palermo", "BYBOX", "-1", "1", "km") == \
        "height or width cannot be negative"
    assert error_of(r, *base, "FROMMEMBER", "Palermo", "BYBOX", "x", "1", "km") == \
        "need numeric width"
    assert error_of(r, *base, "FROMMEMBER", "Palermo", "BYBOX", "1", "x", "km") == \
        "need numeric height"
    assert error_of(r, *base, "FROMMEMBER", "Palermo", "BYRADIUS", "1", "km", "STORE", "x") == \
        "syntax error"
    assert error_of(r, *base, "FROMMEMBER", "Palermo", "BYRADIUS", "1", "km", "STOREDIST") == \
        "syntax error"
    assert error_of(r, *base, "FROMMEMBER", "Palermo", "COUNT", "1", "ASC") == \
        "exactly one of BYRADIUS and BYBOX can be specified for GEOSEARCH"
    assert error_of(r, *base, "BYRADIUS", "1", "km", "COUNT", "1") == \
        "exactly one of FROMMEMBER or FROMLONLAT can be specified for GEOSEARCH"
    assert error_of(r, "GEOSEARCHSTORE", "out", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "1",
                    "km", "WITHDIST") == \
        "GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options"
    assert error_of(r, "GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS") == \
        "wrong number of arguments for 'geosearch' command"
    r.set("s", "x")
    assert error_of(r, "GEOSEARCH", "s", "FROMMEMBER", "a", "BYRADIUS", "1", "km") == WRONGTYPE


def test_geo_commands_reject_wrong_types(r):
    r.set("s", "x")
    for cmd in (("GEOPOS", "s", "a"), ("GEOHASH", "s", "a"), ("GEODIST", "s", "a", "b"),
                ("GEORADIUSBYMEMBER", "s", "a", "1", "km")):
        assert error_of(r, *cmd) == WRONGTYPE


def grid(r):
    points = []
    for i in range(6):
        for j in range(6):
            points += [f"{12 + i * 0.37:.4f}", f"{36 + j * 0.41:.4f}", f"p{i}{j}"]
    raw(r, "GEOADD", "grid", *points)


def test_unsorted_results_follow_the_geohash_cells(r):
    grid(r)
    unsorted = raw(r, "GEOSEARCH", "grid", "FROMLONLAT", "13", "37", "BYRADIUS", "60", "km")
    assert unsorted == [b"p22", b"p32", b"p42", b"p23", b"p33", b"p43", b"p12"]
    assert raw(r, "GEORADIUS", "grid", "13", "37", "60", "km", "COUNT", "4", "ANY") == \
        [b"p22", b"p32", b"p42", b"p23"]
    assert raw(r, "GEORADIUS", "grid", "13", "37", "60", "km", "COUNT", "4") == \
        [b"p32", b"p33", b"p22", b"p23"]
    assert raw(r, "GEOSEARCH", "grid", "FROMLONLAT", "13", "37", "BYBOX", "80", "50", "km") == \
        [b"p22", b"p32"]


def test_infinite_radius_and_box_find_everything(r):
    sicily(r)
    assert raw(r, "GEORADIUS", "Sicily", "15", "37", "inf", "km", "ASC") == [b"Catania", b"Palermo"]
    assert raw(r, "GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYBOX", "inf", "inf", "m",
               "DESC") == [b"Catania", b"Palermo"]
    assert raw(r, "GEORADIUS", "Sicily", "0", "85.05112878", "inf", "km", "COUNT", "1") == \
        [b"Palermo"]


def test_members_with_scores_no_geoadd_would_write(r):
    raw(r, "ZADD", "odd", "-5", "neg", "1e20", "huge", "inf", "inf", "-inf", "minf", "1.7", "tiny")
    assert raw(r, "GEOPOS", "odd", "neg", "huge", "inf", "minf", "tiny") == [
        coords(r, (b"180", b"85.0511287799999991")),
        coords(r, (b"-179.99999731779098511", b"-85.05112751263942528")),
        coords(r, (b"-179.99999731779098511", b"-85.05112751263942528")),
        coords(r, (b"180", b"-85.05112751263942528")),
        coords(r, (b"-179.99999731779098511", b"-85.05112497791824921"))]
    assert raw(r, "GEOHASH", "odd", "neg", "huge", "tiny") == \
        [b"bp05b5048p0", b"00bh0hbj200", b"00bh0hbj210"]
