"""The HTML edition: one page with contents, notes linked both ways, figures and downloads."""

from __future__ import annotations

from pathlib import Path

from .. import i18n
from ..edition import Edition
from ..fsutil import write_atomic
from . import RenderContext, renderer
from .common import checked, environment, page_context, write_figures


@renderer("html")
def render_html(ctx: RenderContext, edition: Edition, out: Path) -> None:
    write_figures(ctx, edition, out)
    page = i18n.render(environment(ctx, edition), "html/edition.html.j2",
                       **page_context(ctx, edition, edition.parts("web")))
    write_atomic(out, checked(ctx, edition, "html", page, out))
