"""Shared pieces of the HTML-based renderers: the page context and the edition's figures."""

from __future__ import annotations

import math
from datetime import datetime, timezone
from pathlib import Path

from .. import i18n, inspection
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


def checked(ctx: RenderContext, edition: Edition, fmt: str, data: bytes | str, out: Path) -> bytes | str:
    """``data`` if it holds nothing an edition may not publish (``inspection``), else UnsafeArtifact."""
    scripts = {(ctx.project.templates_dir / "js" / "site.js").read_text(encoding="utf-8").strip()} \
        if (ctx.project.templates_dir / "js" / "site.js").exists() else set()
    problems = inspection.inspect(fmt, data, scripts)
    if problems:
        catalogs = [ctx.project.catalog_path(edition.document, edition.language),
                    ctx.project.translations_dir / edition.language.code / f"{i18n.DOMAIN}.po"]
        raise inspection.refuse(problems, out, catalogs)
    return data


def write_figures(ctx: RenderContext, edition: Edition, out: Path) -> None:
    """The edition's charts and images, beside the artifact that shows them."""
    files = {out.parent / "figures" / name: svg.encode("utf-8") for name, svg in edition.svgs.items()}
    files.update({out.parent / "media" / name: Path(source).read_bytes() for name, source in edition.images.items()})
    for target, data in files.items():
        if target.suffix == ".svg":
            checked(ctx, edition, "svg", data, target)
        if not target.exists() or target.read_bytes() != data:
            write_atomic(target, data)


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
        **progress(ctx, edition),
    }


def progress(ctx: RenderContext, edition: Edition) -> dict:
    """How far the translation of the edition has come, as its pages say: ``progress``, the share
    translated (floored: 99.6 % is not "100 %") while below 100 %, else None; ``translated_any``, whether
    any translation shows (a translator is credited only then); ``complete``, whether all of it does (a
    reviewer is credited only then)."""
    report = edition.report
    if edition.language.code == ctx.project.source_language or report is None:
        return {"progress": None, "translated_any": False, "complete": False}
    percent = report.percent
    return {"progress": math.floor(percent) / 100 if percent < 100 else None,
            "translated_any": report.translated > 0, "complete": percent >= 100}
