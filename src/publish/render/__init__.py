"""Output formats: a small registry of renderers, each turning an Edition into one artifact."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..edition import Edition
from ..project import Project

RENDERERS: dict[str, Callable[["RenderContext", Edition, Path], None]] = {}


@dataclass
class RenderContext:
    """What a renderer needs besides the edition: the project and the other editions' languages."""

    project: Project
    editions: list[tuple[str, str, str]] = field(default_factory=list)   # (code, tag, name) of every language


def renderer(fmt: str):
    def register(function):
        RENDERERS[fmt] = function
        return function
    return register


def render(fmt: str, ctx: RenderContext, edition: Edition, out: Path, **given) -> None:
    """Render one artifact; ``given`` holds what was made for it beforehand (the PDF's ``page``)."""
    from . import epub, html, pdf  # noqa: F401  (registration)
    RENDERERS[fmt](ctx, edition, out, **given)

