"""The programs and libraries the pipeline calls: found or named with their Debian package, and their
versions as inputs of cache keys."""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from .errors import ToolError

# The Debian package of each program the pipeline runs.
PACKAGES = {
    "msgfmt": "gettext", "msgcat": "gettext", "hunspell": "hunspell", "fc-list": "fontconfig",
    "fc-match": "fontconfig", "java": "default-jre-headless", "pdftotext": "poppler-utils",
    "pdfinfo": "poppler-utils", "pdffonts": "poppler-utils", "pdfimages": "poppler-utils", "git": "git",
}
# The shared libraries WeasyPrint lays pages out with: their versions shape every PDF.
LAYOUT_LIBRARIES = ("libpango-1.0.so.0", "libpangoft2-1.0.so.0", "libharfbuzz.so.0", "libharfbuzz-subset.so.0",
                    "libfontconfig.so.1", "libfreetype.so.6")


def require(program: str) -> str:
    """The path of ``program``, or an error naming the Debian package that provides it."""
    found = shutil.which(program)
    if found is None:
        package = PACKAGES.get(program, program)
        raise ToolError(f"{program}: not found on PATH; install the Debian package {package} "
                        f"(apt-get install {package})")
    return found


def run(args: list[str], **options) -> subprocess.CompletedProcess:
    """Run a program found with ``require``; a missing one is a ToolError, never a traceback."""
    return subprocess.run([require(args[0]), *args[1:]], **options)


def distributions(*names: str) -> str:
    """The installed versions of Python distributions, as one string."""
    from importlib.metadata import PackageNotFoundError, version
    found = []
    for name in names:
        try:
            found.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}=-")
    return ";".join(found)


def file_stamp(path: str | Path | None) -> str:
    """A file named by its real path, size and modification time: what identifies an installed binary,
    a library or a font without reading it."""
    if not path:
        return "-"
    try:
        real = os.path.realpath(path)
        stat = os.stat(real)
    except OSError:
        return f"{path}:-"
    return f"{real}:{stat.st_size}:{stat.st_mtime_ns}"


@lru_cache(maxsize=None)
def layout_libraries() -> str:
    """Pango, HarfBuzz, fontconfig and FreeType as the dynamic loader finds them (their versioned files)."""
    try:
        listing = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired):
        listing = ""
    paths = {}
    for line in listing.splitlines():
        name, _, target = line.strip().partition(" => ")
        soname = name.split(" ", 1)[0]
        if soname in LAYOUT_LIBRARIES and soname not in paths:
            paths[soname] = target.strip()
    return ";".join(f"{soname}={file_stamp(paths.get(soname))}" for soname in LAYOUT_LIBRARIES)


def installed_fonts() -> dict[str, list[str]]:
    """Each installed font family, with the files that provide it (``fc-list``)."""
    listing = run(["fc-list", "--format", "%{family}\t%{file}\n"], capture_output=True, text=True).stdout
    families: dict[str, list[str]] = {}
    for line in listing.splitlines():
        names, _, file = line.partition("\t")
        for name in names.split(","):
            families.setdefault(name.strip(), []).append(file)
    return families


def font_files(families: list[str], installed: dict[str, list[str]]) -> str:
    """The files of these families, as a key input: another version of a face changes the PDFs."""
    return ";".join(f"{family}={','.join(file_stamp(f) for f in sorted(installed.get(family, [])))}"
                    for family in families)


@lru_cache(maxsize=None)
def font_file(family: str) -> tuple[str, int]:
    """The file (and face index in a collection) fontconfig sets ``family`` in."""
    out = run(["fc-match", family, "--format=%{file}:%{index}"], capture_output=True, text=True).stdout
    path, _, index = out.rpartition(":")
    return path, int(index or 0)
