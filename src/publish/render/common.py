"""Shared pieces of the HTML-based renderers: pandoc's HTML fragments and the page context."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import i18n, pandoc
from ..edition import Edition, HtmlWrites
from . import RenderContext

FRAGMENTS = Path(__file__).with_name("fragments.html")
SEPARATOR = "\x1e"
#: The HTML each format is made from, by name, and where its notes go: the web page links to notes
#: at the end; the print page has each note at its call, for CSS ``float: footnote``.
HTML_FOR = {"html": ("web", "end"), "pdf": ("print", "inline")}


@dataclass(frozen=True)
class Parts:
    title: str
    subtitle: str
    abstract: str
    body: str


def html_writes(formats) -> HtmlWrites | None:
    """What to ask pandoc for while it prepares an edition for ``formats`` (see ``edition_parts``)."""
    notes = dict(HTML_FOR[fmt] for fmt in formats if fmt in HTML_FOR)
    return HtmlWrites(FRAGMENTS, notes) if notes else None


def edition_parts(edition: Edition, name: str) -> Parts:
    """The edition's HTML ``name`` (a value of HTML_FOR): as pandoc wrote it with the edition, or now."""
    if name in edition.html:
        return _parts(edition.html[name])
    inline = dict(HTML_FOR.values())[name] == "inline"
    return html_parts({**edition.ast, "blocks": notes_in_place(edition.ast["blocks"])} if inline else edition.ast)


def html_parts(ast: dict) -> Parts:
    """Title, subtitle, abstract and body as HTML, from one pandoc run."""
    return _parts(pandoc.convert(ast, ["-t", "html5", "--wrap=none", "--section-divs", "--shift-heading-level-by=1",
                                       "--template", str(FRAGMENTS)]).decode("utf-8"))


def _parts(out: str) -> Parts:
    title, subtitle, abstract, body = (out.split(SEPARATOR) + ["", "", "", ""])[:4]
    return Parts(title.strip(), subtitle.strip(), abstract.strip(), body.strip())


def notes_in_place(node):
    """Turn pandoc notes into inline spans at their call, for CSS ``float: footnote`` (as resolve.lua does)."""
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


def translations(ctx: RenderContext, edition: Edition) -> i18n.Translations:
    return i18n.load_translations(ctx.project.translations_dir / edition.language.code / f"{i18n.DOMAIN}.po")


def environment(ctx: RenderContext, edition: Edition):
    return i18n.environment(ctx.project.templates_dir, edition.language.tag, translations(ctx, edition))


def page_context(ctx: RenderContext, edition: Edition, parts: Parts) -> dict:
    doc = edition.document.id
    return {
        "edition": edition,
        "lang": edition.language.tag,
        "language": edition.language,
        "doc": doc,
        "parts": parts,
        "title": edition.title,
        "short_title": edition.short_title,
        "subtitle": edition.meta_text("subtitle"),
        "description": edition.meta_text("description") or edition.meta_text("subtitle"),
        "keywords": edition.meta_list("keywords"),
        "toc": edition.toc(),
        "date": i18n.source_date(),
        "languages": ctx.editions,
        "source_language": ctx.project.source_language,
        "provisional": edition.provisional,
        "formats": ctx.project.formats,
    }
