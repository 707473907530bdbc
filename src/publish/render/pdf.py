"""The PDF edition: the print page rendered by WeasyPrint, notes at the foot of their page."""

from __future__ import annotations

import copy
import json
import logging
import subprocess
from pathlib import Path

from .. import i18n
from ..edition import Edition
from ..errors import RenderError
from ..fsutil import digest, write_atomic
from . import RenderContext, renderer
from .common import environment, html_parts, page_context
from .fetcher import ProjectFetcher

log = logging.getLogger(__name__)


# The faces the print stylesheet names, per script, and the Debian package that provides them.
FONTS = {"latin": ["Noto Serif", "Noto Sans"], "zh": ["Noto Serif CJK SC", "Noto Sans CJK SC"]}
FONT_PACKAGES = {"Noto Serif": "fonts-noto-core", "Noto Sans": "fonts-noto-core",
                 "Noto Serif CJK SC": "fonts-noto-cjk", "Noto Sans CJK SC": "fonts-noto-cjk"}


def available_fonts() -> set[str]:
    result = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True)
    return {name.strip() for line in result.stdout.splitlines() for name in line.split(",")}


def require_fonts(language) -> None:
    """A missing face would fall back silently to another, or to boxes: refuse, naming the package."""
    wanted = FONTS["latin"] + (FONTS["zh"] if language.tag.startswith("zh") else [])
    missing = [face for face in wanted if face not in available_fonts()]
    if missing:
        packages = sorted({FONT_PACKAGES[face] for face in missing})
        raise RenderError(f"missing font {', '.join(missing)} for {language.tag}: install the Debian package "
                          f"{' '.join(packages)} (apt-get install {' '.join(packages)})")


@renderer("pdf")
def render_pdf(ctx: RenderContext, edition: Edition, out: Path) -> None:
    from weasyprint import HTML   # heavy: imported only where a PDF is made

    ast = copy.deepcopy(edition.ast)
    ast["blocks"] = notes_in_place(ast["blocks"])
    parts = html_parts(ast)
    env = environment(ctx, edition)
    page = i18n.render(env, "pdf/edition.html.j2", pdf=ctx.project.pdf, **page_context(ctx, edition, parts))
    fetcher = ProjectFetcher(ctx.project.root, ctx.project.build_dir)
    html = HTML(string=page, base_url=out.parent.resolve().as_uri() + "/", url_fetcher=fetcher)
    options = {"pdf_variant": "pdf/ua-1",
               "pdf_identifier": f"{edition.document.id}-{edition.language.code}".encode()}
    memo = ctx.project.root / ".cache" / "layout" / f"{digest(page, repr(sorted(options.items())))}.json"
    document = layout_with_notes_in_place(html, options, out, memo)
    write_atomic(out, document.write_pdf(**options))


MAX_PASSES = 4
BLOCK_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figure", "div", "section", "dd", "dt"}


def layout_with_notes_in_place(html, options: dict, out: Path, memo: Path | None = None):
    """Lay out the pages so that every note sits on the page of its call.

    WeasyPrint 70 moves notes whose calls are already placed to the next page when it needs room
    for a later line (to honour widows, orphans or a first line), whatever ``footnote-policy`` says.
    When that happens, the block whose first line provoked it starts a new page instead, and the
    pages are laid out again. The blocks found are remembered in ``memo`` (keyed on the page's
    content), so that the same page is laid out once next time; the result is verified all the same.
    """
    elements = list(html.etree_element.iter())
    breaks: list[int] = []
    if memo is not None and memo.exists():
        breaks = [i for i in json.loads(memo.read_text(encoding="utf-8")) if i < len(elements)]
        for index in breaks:
            _break_before(elements[index])
    for attempt in range(MAX_PASSES):
        document = html.render(**options)
        pages = [page._page_box for page in document.pages]
        late = _pages_with_late_notes(pages)
        if not late:
            log.debug("%s: laid out in %d pass(es)", out, attempt + 1)
            if memo is not None and breaks:
                write_atomic(memo, json.dumps(sorted(set(breaks))))
            return document
        positions = {id(element): index for index, element in enumerate(elements)}
        for index in late:
            element = _block_starting_at_page_end(pages[index])
            if element is None or "break-before" in (element.get("style") or ""):
                break
            _break_before(element)
            breaks.append(positions[id(element)])
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
