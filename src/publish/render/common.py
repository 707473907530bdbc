"""Shared pieces of the HTML-based renderers: pandoc's HTML fragments and the page context."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import i18n, pandoc
from ..edition import Edition
from . import RenderContext

FRAGMENTS = Path(__file__).with_name("fragments.html")
SEPARATOR = "\x1e"


@dataclass(frozen=True)
class Parts:
    title: str
    subtitle: str
    abstract: str
    body: str


def html_parts(ast: dict, extra: list[str] | None = None) -> Parts:
    """Title, subtitle, abstract and body as HTML, from one pandoc run."""
    out = pandoc.convert(ast, ["-t", "html5", "--wrap=none", "--section-divs", "--shift-heading-level-by=1",
                               "--template", str(FRAGMENTS),
                               *(extra or [])]).decode("utf-8")
    title, subtitle, abstract, body = (out.split(SEPARATOR) + ["", "", "", ""])[:4]
    return Parts(title.strip(), subtitle.strip(), abstract.strip(), body.strip())


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
