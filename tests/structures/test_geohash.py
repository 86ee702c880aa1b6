"""Geohash: Redis's interleaving, cell centres, standard geohash text and distances."""

from hypothesis import given
from hypothesis import strategies as st

from fakeredis.structures import geohash

LONS = st.floats(min_value=-180, max_value=180 - 1e-9)
LATS = st.floats(min_value=geohash.LAT_MIN, max_value=geohash.LAT_MAX - 1e-9)


def test_known_scores_and_positions():
    bits = geohash.encode(13.361389, 38.115556)
    assert bits == 3479099956230698
    assert b"%.17f %.17f" % geohash.decode(bits) == b"13.36138933897018433 38.11555639549629859"
    assert geohash.standard_geohash(*geohash.decode(bits)) == b"sqc8b49rny0"


def test_distance_palermo_catania():
    palermo = geohash.decode(geohash.encode(13.361389, 38.115556))
    catania = geohash.decode(geohash.encode(15.087269, 37.502669))
    assert b"%.4f" % geohash.distance(*palermo, *catania) == b"166274.1516"
    assert geohash.distance(*palermo, *palermo) == 0.0


def test_score_bits_cast_like_x86_64():
    assert geohash.score_bits(12.7) == 12
    assert geohash.score_bits(-1.0) == (1 << 64) - 1
    assert geohash.score_bits(float("inf")) == 0
    assert geohash.score_bits(2e19) == 0
    assert geohash.score_bits(1.5e19) == 15000000000000000000
    assert geohash.score_bits(float("-inf")) == 1 << 63
    assert geohash.score_bits(-1e19) == 1 << 63


@given(LONS, LATS)
def test_decoding_lands_in_the_same_cell(lon, lat):
    bits = geohash.encode(lon, lat)
    assert bits < 1 << 52
    centre = geohash.decode(bits)
    assert geohash.encode(*centre) == bits
    assert abs(centre[0] - lon) < 1e-5 and abs(centre[1] - lat) < 1e-5
