"""The one cache: JSON data under a key; what is used stays, what is used least goes first."""

from __future__ import annotations

import os

from publish.cache import KEEP, Cache


def test_an_entry_in_use_outlives_newer_ones_that_are_not(tmp_path):
    cache = Cache(tmp_path)
    for n in range(KEEP):
        cache.put("artifact", f"k{n}", {"n": n})
        os.utime(tmp_path / "artifact" / f"k{n}.json", ns=(n * 10**9, n * 10**9))   # k0 the oldest
    assert cache.get("artifact", "k0") == {"n": 0}          # used by this build
    cache.put("artifact", "new", {"n": -1})                  # one too many: the least recently used goes
    assert cache.get("artifact", "k0") == {"n": 0} and cache.get("artifact", "k1") is None
    assert len(list((tmp_path / "artifact").glob("*.json"))) == KEEP


def test_a_garbled_or_foreign_entry_is_a_miss(tmp_path):
    cache = Cache(tmp_path)
    cache.put("edition", "a", [1, 2])
    (tmp_path / "edition" / "b.json").write_bytes(b"\x80garbage")
    (tmp_path / "edition" / "c.json").write_text('{"key": "other", "value": 1}')
    assert cache.get("edition", "a") == [1, 2]
    assert cache.get("edition", "b") is None and cache.get("edition", "c") is None
