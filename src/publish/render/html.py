"""The HTML edition: one page with contents, notes linked both ways, figures and downloads."""

from __future__ import annotations

from pathlib import Path

from .. import i18n
from ..edition import Edition
from ..fsutil import write_atomic
from . import RenderContext, renderer
from .common import edition_parts, environment, page_context


@renderer("html")
def render_html(ctx: RenderContext, edition: Edition, out: Path) -> None:
    parts = edition_parts(edition, "web")
    env = environment(ctx, edition)
    page = i18n.render(env, "html/edition.html.j2", **page_context(ctx, edition, parts))
    write_atomic(out, page)
