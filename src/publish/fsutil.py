"""Atomic file writes: a reader sees the old file or the new one, never half of either."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


def tree_digest(root: Path, *patterns: str) -> str:
    """Content hash of every file below ``root`` matching ``patterns`` (default: all), names and bytes."""
    h = hashlib.sha256()
    if root.is_dir():
        found = {p for pattern in (patterns or ("*",)) for p in root.rglob(pattern)}
        for path in sorted(p for p in found if p.is_file() and "__pycache__" not in p.parts):
            h.update(str(path.relative_to(root)).encode())
            h.update(b"\0")
            h.update(path.read_bytes())
    return h.hexdigest()


def load_yaml(text: str):
    """Safe YAML, through libyaml when PyYAML was built with it (ten times faster)."""
    import yaml
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


class ParsedFiles:
    """What was parsed from a file, kept on disk (build/.cache/read) under the file's path with a key
    made of its bytes and its parser's code: a later command finds the file unchanged and loads what
    was parsed instead of parsing it again (a check after a build). Only what parsed without error is
    kept; one entry per file, replaced when the file changes. Off until a command names the folder."""

    def __init__(self):
        self.folder: Path | None = None

    def keep_under(self, build_dir: Path) -> None:
        self.folder = build_dir / ".cache" / "read"

    def load(self, path: Path, key: str):
        """What was kept for ``path`` under ``key``, or None."""
        import pickle
        if self.folder is None:
            return None
        try:
            kept, value = pickle.loads(self._entry(path).read_bytes())
        except Exception:          # absent, or written by another version: parsed again
            return None
        return value if kept == key else None

    def keep(self, path: Path, key: str, value) -> None:
        import pickle
        if self.folder is not None:
            try:
                write_atomic(self._entry(path), pickle.dumps((key, value), pickle.HIGHEST_PROTOCOL))
            except OSError:        # a read-only build folder: nothing kept, nothing lost
                pass

    def _entry(self, path: Path) -> Path:
        return self.folder / f"{digest(str(path.resolve()))}.pickle"


PARSED = ParsedFiles()
