"""For editors and organisers: serve build/ with rebuilds on save, and pack the editions for distribution."""

from __future__ import annotations

import functools
import hashlib
import http.server
import logging
import os
import threading
import time
import zipfile
from pathlib import Path

from .project import Project

log = logging.getLogger(__name__)


def serve(project: Project, port: int = 8000, interval: float = 1.0) -> None:
    """Serve build/ on 127.0.0.1 and rebuild what changed whenever a source, catalog or template is saved."""
    from .build import BuildOptions, build
    watched = [project.path, project.root / "source", project.translations_dir, project.templates_dir]

    def snapshot() -> dict[Path, float]:
        files: dict[Path, float] = {}
        for root in watched:
            for path in ([root] if root.is_file() else root.rglob("*")):
                if path.is_file():
                    files[path] = path.stat().st_mtime
        return files

    seen = snapshot()        # before the build: a save during it is caught by the next round
    build(project, BuildOptions())
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(project.build_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    log.info("serving %s on http://127.0.0.1:%d/ (Ctrl-C to stop)", project.build_dir, server.server_address[1])
    try:
        while True:
            time.sleep(interval)
            now = snapshot()
            if now != seen:
                seen = now
                result = build(project, BuildOptions())
                for error in result.errors:
                    log.error("%s", error)
    finally:
        server.shutdown()


def dist(project: Project, out: Path | None = None) -> Path:
    """One archive: every PDF and EPUB named <doc>-<lang>.<ext>, the site, and SHA-256 sums."""
    from .build import _reproducible_dates
    _reproducible_dates(project)
    stamp = time.gmtime(int(os.environ.get("SOURCE_DATE_EPOCH") or time.time()))[:6]
    out = out or project.build_dir / "dist" / f"{project.documents[0].id}-editions.zip"
    members: list[tuple[str, Path]] = []
    for document in project.documents:
        for language in project.languages:
            for fmt in ("pdf", "epub"):
                path = project.build_dir / language.code / f"{document.id}.{fmt}"
                if path.exists():
                    members.append((f"{document.id}-{language.code}.{fmt}", path))
    site = [project.build_dir / "index.html", *sorted(project.build_dir.glob("*/*.html")),
            *sorted(project.build_dir.glob("*/figures/*"))]
    site += [p for p in sorted(project.build_dir.glob("*/*")) if p.suffix in (".pdf", ".epub")]
    members += [(f"site/{p.relative_to(project.build_dir).as_posix()}", p) for p in site if p.exists()]
    sums = "".join(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {name}\n" for name, path in members)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, path in members:
            archive.writestr(zipfile.ZipInfo(name, stamp), path.read_bytes(), zipfile.ZIP_DEFLATED)
        archive.writestr(zipfile.ZipInfo("SHA256SUMS", stamp), sums)
    tmp.replace(out)
    return out
