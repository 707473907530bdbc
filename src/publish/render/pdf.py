"""The PDF edition: the print page rendered by WeasyPrint, notes at the foot of the page of their call."""

from __future__ import annotations

from pathlib import Path

from weasyprint import HTML

from .. import i18n
from ..edition import Edition
from ..fsutil import write_atomic
from . import RenderContext, renderer
from .common import checked, environment, page_context, write_figures
from .fetcher import ProjectFetcher
from .layout_fix import keep_notes_with_their_calls

keep_notes_with_their_calls()


def print_page(ctx: RenderContext, edition: Edition) -> str:
    """The print edition as one HTML page, notes at their calls: what WeasyPrint lays out."""
    return i18n.render(environment(ctx, edition), "pdf/edition.html.j2", pdf=ctx.project.pdf,
                       **page_context(ctx, edition, edition.parts("print")))


@renderer("pdf")
def render_pdf(ctx: RenderContext, edition: Edition, out: Path) -> None:
    write_figures(ctx, edition, out)
    fetcher = ProjectFetcher(ctx.project.root, ctx.project.build_dir)
    page = checked(ctx, edition, "print", print_page(ctx, edition), out)
    html = HTML(string=page, base_url=out.parent.resolve().as_uri() + "/", url_fetcher=fetcher)
    pdf = html.write_pdf(pdf_variant="pdf/ua-1",
                         pdf_identifier=f"{edition.document.id}-{edition.language.code}".encode())
    write_atomic(out, pdf)
