"""The PDF edition: the print page rendered by WeasyPrint, notes at the foot of their page."""

from __future__ import annotations

import copy
import logging
from pathlib import Path

from .. import i18n
from ..edition import Edition
from ..fsutil import write_atomic
from . import RenderContext, renderer
from .common import environment, html_parts, page_context
from .fetcher import ProjectFetcher

log = logging.getLogger(__name__)


@renderer("pdf")
def render_pdf(ctx: RenderContext, edition: Edition, out: Path) -> None:
    from weasyprint import HTML   # heavy: imported only where a PDF is made

    ast = copy.deepcopy(edition.ast)
    ast["blocks"] = notes_in_place(ast["blocks"])
    parts = html_parts(ast)
    env = environment(ctx, edition)
    page = i18n.render(env, "pdf/edition.html.j2", pdf=ctx.project.pdf, **page_context(ctx, edition, parts))
    fetcher = ProjectFetcher(ctx.project.root, ctx.project.build_dir)
    document = HTML(string=page, base_url=out.parent.resolve().as_uri() + "/", url_fetcher=fetcher)
    data = document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=f"{edition.document.id}-{edition.language.code}".encode(),
                              uncompressed_pdf=False)
    write_atomic(out, data)


def notes_in_place(node):
    """Turn pandoc notes into inline spans at their call, for CSS ``float: footnote``."""
    if isinstance(node, list):
        return [notes_in_place(item) for item in node]
    if isinstance(node, dict):
        if node.get("t") == "Note":
            inlines = []
            for index, block in enumerate(node["c"]):
                if index:
                    inlines.append({"t": "LineBreak"})
                inlines.extend(notes_in_place(block["c"] if block["t"] in ("Para", "Plain") else []))
            return {"t": "Span", "c": [["", ["footnote"], []], inlines]}
        if "c" in node:
            return {**node, "c": notes_in_place(node["c"])}
    return node
