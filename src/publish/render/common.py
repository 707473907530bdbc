"""Shared pieces of the HTML-based renderers: the page context and the edition's figures."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from .. import i18n
from ..edition import Edition, Parts
from ..fsutil import write_atomic
from . import RenderContext


def translations(ctx: RenderContext, edition: Edition) -> i18n.Translations:
    return i18n.load_translations(ctx.project.translations_dir / edition.language.code / f"{i18n.DOMAIN}.po")


def environment(ctx: RenderContext, edition: Edition):
    return i18n.environment(ctx.project.templates_dir, edition.language.tag, translations(ctx, edition))


def timestamp(ctx: RenderContext) -> str:
    """The files' own timestamp, as ISO 8601 (UTC)."""
    return datetime.fromtimestamp(ctx.epoch, tz=timezone.utc).isoformat()


def write_figures(edition: Edition, out: Path) -> None:
    """The edition's charts, beside the artifact that shows them."""
    for name, svg in edition.svgs.items():
        target = out.parent / "figures" / name
        if not target.exists() or target.read_text(encoding="utf-8") != svg:
            write_atomic(target, svg)


def page_context(ctx: RenderContext, edition: Edition, parts: Parts) -> dict:
    return {
        "edition": edition,
        "lang": edition.language.tag,
        "language": edition.language,
        "doc": edition.document.id,
        "parts": parts,
        "title": edition.title,
        "short_title": edition.short_title,
        "subtitle": edition.meta_text("subtitle"),
        "description": edition.meta_text("description") or edition.meta_text("subtitle"),
        "keywords": edition.meta_list("keywords"),
        "toc": edition.toc(),
        "date": ctx.date,
        "timestamp": timestamp(ctx),
        "languages": ctx.languages,
        "source_language": ctx.project.source_language,
        "provisional": edition.provisional,
        "formats": ctx.project.formats,
        "draft": ctx.draft,
        "root": ctx.root,
    }
