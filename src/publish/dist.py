"""`publish dist`: the published editions in one archive for organisers, with SHA-256 sums."""

from __future__ import annotations

import hashlib
import os
import stat
import time
import zipfile
from pathlib import Path

from .build import artifact_path
from .errors import PublishError
from .project import Project


def dist(project: Project, out: Path | None = None) -> Path:
    """One archive named for the project, laid out as the published site: ``index.html`` and, per
    language, each document's web page, PDF, EPUB and figures (each file once), with SHA256SUMS."""
    out = out or project.build_dir / "dist" / f"{project.name}-editions.zip"
    members: list[Path] = []
    for language in project.languages:
        for document in project.documents:
            members += [p for fmt in project.formats
                        if (p := artifact_path(project, document.id, language.code, fmt)).exists()]
        members += sorted((project.build_dir / language.code / "figures").glob("*.svg"))
        members += sorted(p for p in (project.build_dir / language.code / "media").glob("*") if p.is_file())
    if not members:
        raise PublishError("no published edition to pack; run `make all` first", project.build_dir)
    members.insert(0, project.build_dir / "index.html")
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    stamp = time.gmtime(int(epoch) if epoch.isdigit() else max(p.stat().st_mtime for p in members))[:6]
    names = [(p.relative_to(project.build_dir).as_posix(), p) for p in members if p.exists()]
    sums = "".join(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {name}\n" for name, path in names)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, path in names:
                archive.writestr(_member(name, stamp), path.read_bytes(), zipfile.ZIP_DEFLATED)
            archive.writestr(_member("SHA256SUMS", stamp), sums)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


def _member(name: str, stamp: tuple) -> zipfile.ZipInfo:
    """A regular file any user may read once unpacked (rw-r--r--), as a web server running as another
    user must: a bare ZipInfo would unpack as rw-------."""
    info = zipfile.ZipInfo(name, stamp)
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    return info
