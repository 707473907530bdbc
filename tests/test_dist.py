"""`publish dist`: the published editions in one archive, each file once, with sums that verify."""

from __future__ import annotations

import hashlib
import stat
import zipfile

from publish.dist import dist


def test_dist_archive(built):
    archive = dist(built)
    assert archive.name == "common-goals-editions.zip"
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
        assert len(names) == len(set(names))
        for lang in ("en", "es", "pt", "zh"):
            for fmt in ("html", "pdf", "epub"):
                assert f"{lang}/common-goals.{fmt}" in names
        assert "index.html" in names and "en/figures/fig-trade.svg" in names
        assert not [n for n in names if n.startswith(("drafts/", ".cache/", "dist/"))]
        sums = zf.read("SHA256SUMS").decode().splitlines()
        assert len(sums) == len(names) - 1
        for line in sums:
            digest, name = line.split("  ", 1)
            assert hashlib.sha256(zf.read(name)).hexdigest() == digest
        # Unpacked, every file is readable by a web server running as another user (rw-r--r--).
        assert {oct(i.external_attr >> 16) for i in zf.infolist()} == {oct(stat.S_IFREG | 0o644)}
