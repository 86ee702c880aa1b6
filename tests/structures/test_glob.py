"""Redis glob patterns."""

import pytest

from fakeredis.structures.glob import glob_match


@pytest.mark.parametrize("pattern, subject, matches", [
    (b"*", b"anything", True),
    (b"h?llo", b"hello", True),
    (b"h?llo", b"hllo", False),
    (b"h*llo", b"heeeello", True),
    (b"h[ae]llo", b"hallo", True),
    (b"h[ae]llo", b"hillo", False),
    (b"h[^e]llo", b"hallo", True),
    (b"h[^e]llo", b"hello", False),
    (b"h[a-b]llo", b"hbllo", True),
    (b"h[b-a]llo", b"hbllo", True),
    (b"h\\*llo", b"h*llo", True),
    (b"h\\*llo", b"hello", False),
    (b"a.b", b"axb", False),
    (b"a\nb*", b"a\nbc", True),
    (b"foo*", b"foo", True),
    (b"", b"", True),
    (b"", b"a", False),
])
def test_glob(pattern, subject, matches):
    assert glob_match(pattern, subject) is matches
