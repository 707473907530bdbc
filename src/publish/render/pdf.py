"""The PDF edition: the print page rendered by WeasyPrint, notes at the foot of their page."""

from __future__ import annotations

import logging
from pathlib import Path

from .. import i18n
from ..edition import Edition
from ..fsutil import write_atomic
from . import RenderContext, renderer
from .common import edition_parts, environment, page_context
from .layout_fix import keep_notes_with_their_calls

log = logging.getLogger(__name__)


def print_page(ctx: RenderContext, edition: Edition) -> str:
    """The print edition as one HTML page, notes at their calls: what WeasyPrint lays out."""
    parts = edition_parts(edition, "print")
    env = environment(ctx, edition)
    return i18n.render(env, "pdf/edition.html.j2", pdf=ctx.project.pdf, **page_context(ctx, edition, parts))


@renderer("pdf")
def render_pdf(ctx: RenderContext, edition: Edition, out: Path, page: str | None = None) -> None:
    """``page`` is the edition's print page when it is already written (``print_page``)."""
    from weasyprint import HTML   # heavy: imported only where a PDF is made

    from .fetcher import ProjectFetcher

    page = print_page(ctx, edition) if page is None else page
    fetcher = ProjectFetcher(ctx.project.root, ctx.project.build_dir)
    html = HTML(string=page, base_url=out.parent.resolve().as_uri() + "/", url_fetcher=fetcher)
    options = {"pdf_variant": "pdf/ua-1",
               "pdf_identifier": f"{edition.document.id}-{edition.language.code}".encode()}
    document = layout_with_notes_in_place(html, options, out)
    write_atomic(out, document.write_pdf(**options))


MAX_PASSES = 4
BLOCK_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figure", "div", "section", "dd", "dt"}


def layout_with_notes_in_place(html, options: dict, out: Path):
    """Lay out the pages so that every note sits on the page of its call, in one pass as a rule.

    With WeasyPrint's layout corrected (``layout_fix``), one pass does it; the pages are verified
    all the same. Should a note still land after its page (another WeasyPrint, or a case the
    correction does not cover), the block whose first line ends that page starts a new page instead
    and the pages are laid out again.
    """
    keep_notes_with_their_calls()
    for attempt in range(MAX_PASSES):
        document = html.render(**options)
        pages = [page._page_box for page in document.pages]
        late = _pages_with_late_notes(pages)
        if not late:
            log.debug("%s: laid out in %d pass(es)", out, attempt + 1)
            return document
        moved = False
        for index in late:
            element = _block_starting_at_page_end(pages[index])
            if element is None or "break-before" in (element.get("style") or ""):
                break
            _break_before(element)
            moved = True
        if not moved:                    # the same pages again would bring nothing new
            break
    log.warning("%s: some notes could not be kept on the page of their call", out)
    return document


def _break_before(element) -> None:
    element.set("style", (element.get("style") or "") + ";break-before: page")


def _pages_with_late_notes(pages) -> list[int]:
    from weasyprint.formatting_structure import boxes

    call_page, body_page = {}, {}
    for index, page in enumerate(pages):
        for box in page.children[0].descendants():
            if getattr(box, "element_tag", "").endswith("::footnote-call"):
                call_page.setdefault(id(box.element), index)
        for area in page.children:
            if isinstance(area, boxes.FootnoteAreaBox):
                for box in area.children:
                    body_page.setdefault(id(box.element), index)
    return sorted({call_page[key] for key, index in body_page.items() if call_page.get(key, index) < index})


def _block_starting_at_page_end(page):
    """The element of the block that holds the last line of the page, if it is split across pages."""
    from weasyprint.formatting_structure import boxes

    last = None

    def visit(box, blocks):
        nonlocal last
        if isinstance(box, boxes.LineBox):
            last = blocks[-1] if blocks else None
            return
        if isinstance(box, boxes.BlockBox) and box.element is not None and box.element.tag in BLOCK_TAGS \
                and not box.element_tag.endswith("::footnote-call"):
            blocks = [*blocks, box]
        for child in getattr(box, "children", ()):
            visit(child, blocks)

    visit(page.children[0], [])
    return None if last is None else last.element
