"""The build's one cache: derived results kept as JSON under the digest of everything that made them.

A key is the digest of a step's name, the code that computes it (``code``: the package's source files
the step runs), the versions of the tools it calls and the exact inputs it reads; the caller names
them all. An entry holds plain JSON data and its own key. A missing, truncated or garbled entry, or one
filed under another key, is a miss: the result is computed again.

Threat model: whoever can write ``build/`` can already replace the artifacts there, so an entry may at
worst make a build wrong, never run code. Entries are read with ``json.loads`` only (nothing executes
or constructs objects on load), and nothing here is kept durable with fsync: every entry can be made
again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

PACKAGE = Path(__file__).parent
KEEP = 48          # entries kept per step: the ones used last, so that undoing an edit finds its results again


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


def file_digest(path: Path | None) -> str:
    """The digest of a file's bytes ("-" for no file), as an input of a key."""
    if path is None:
        return "-"
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except (FileNotFoundError, IsADirectoryError):
        return "-"


class Cache:
    """``build/.cache/<step>/<key>.json``; with no folder, nothing is kept."""

    def __init__(self, folder: Path | None):
        self.folder = folder

    def get(self, step: str, key: str):
        """The value kept under ``key``, or None."""
        if self.folder is None:
            return None
        path = self.folder / step / f"{key}.json"
        try:
            entry = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("key") != key:
            return None
        try:
            os.utime(path)              # used now: pruning drops the entries used longest ago
        except OSError:
            pass
        return entry.get("value")

    def put(self, step: str, key: str, value) -> None:
        """Keep ``value`` (JSON data); a build folder that cannot be written keeps nothing, silently."""
        if self.folder is None or value is None:
            return
        folder = self.folder / step
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=folder)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"key": key, "value": value}, handle, ensure_ascii=False)
            os.replace(tmp, folder / f"{key}.json")
            _prune(folder)
        except OSError as exc:
            log.debug("cache entry %s/%s not kept: %s", step, key, exc)


def _prune(folder: Path) -> None:
    entries = list(folder.glob("*.json"))
    if len(entries) > KEEP:
        entries.sort(key=lambda p: p.stat().st_mtime_ns)
        for old in entries[:len(entries) - KEEP]:
            old.unlink(missing_ok=True)


# -- the code of a step ---------------------------------------------------------------------------

def code(*modules: str) -> str:
    """The digest of the source files that ``modules`` (``"segments"``, ``"render.pdf"``) run: each
    module, every module of this package it imports (at any depth, imports inside functions included),
    and the data files (Lua filters, templates) a module names."""
    return _code(tuple(sorted(modules)))


@lru_cache(maxsize=None)
def _code(modules: tuple[str, ...]) -> str:
    seen: dict[str, Path] = {}
    todo = list(modules)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        path = _module_file(name)
        if path is None:
            continue
        seen[name] = path
        todo.extend(_imports(name, path))
    files: set[Path] = set(seen.values())
    for path in seen.values():
        text = path.read_text(encoding="utf-8")
        files.update(data for data in path.parent.iterdir()
                     if data.suffix in (".lua", ".html") and f'"{data.name}"' in text)
    return digest(*(f"{p.relative_to(PACKAGE)}\0".encode() + p.read_bytes() for p in sorted(files)))


def _module_file(name: str) -> Path | None:
    base = PACKAGE.joinpath(*name.split(".")) if name else PACKAGE
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


IMPORT = re.compile(r"^[ \t]*from[ \t]+(\.+)([\w.]*)[ \t]+import[ \t]+\(?([\w, \t]+)", re.MULTILINE)


def _imports(name: str, path: Path) -> list[str]:
    """The modules of this package that ``name`` imports (relative imports, at any indentation)."""
    package = name.rpartition(".")[0] if path.name != "__init__.py" else name
    found = []
    for dots, module, names in IMPORT.findall(path.read_text(encoding="utf-8")):
        parts = package.split(".") if package else []
        base = parts[:len(parts) - (len(dots) - 1)] if len(dots) > 1 else parts
        prefix = ".".join([*base, *([module] if module else [])])
        found.append(prefix)
        found.extend(f"{prefix}.{alias.split()[0]}".lstrip(".") for alias in names.split(",") if alias.strip())
    return [f for f in found if _module_file(f) is not None]
