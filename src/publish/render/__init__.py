"""Output formats: a small registry of renderers, each turning an Edition into one artifact."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

from ..edition import Edition
from ..project import Project

FORMATS = ("pdf", "epub", "html")          # each a module of this package that registers its renderer
RENDERERS: dict[str, Callable[["RenderContext", Edition, Path], None]] = {}


@dataclass(frozen=True)
class RenderContext:
    """What a renderer needs besides the edition: the project, the edition's date and state, and the
    other editions of the document that are published."""

    project: Project
    date: date                                  # the edition date the colophon prints
    epoch: int                                  # the files' own timestamps (PDF CreationDate, EPUB modified)
    languages: tuple[tuple[str, str, str], ...] = ()   # (code, tag, name) of every published edition
    draft: tuple[str, ...] = ()                 # why the edition is not published; empty when it is
    root: str = "../"                           # from the artifact's folder to the site's root


def renderer(fmt: str):
    def register(function):
        RENDERERS[fmt] = function
        return function
    return register


def render(fmt: str, ctx: RenderContext, edition: Edition, out: Path) -> None:
    """Render one artifact to ``out`` (written atomically)."""
    if fmt not in RENDERERS:
        importlib.import_module(f"{__name__}.{fmt}")     # (by name: each format's code is its own)
    RENDERERS[fmt](ctx, edition, out)
