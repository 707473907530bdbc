"""The EPUB 3 edition, written by pandoc with the shared stylesheet and metadata template."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
import uuid
from pathlib import Path

from .. import i18n, pandoc
from ..edition import Edition
from ..fsutil import write_atomic
from . import RenderContext, renderer
from . import common
from .common import checked, environment, translations, write_figures
from .cover import draw_cover

NAMESPACE = uuid.UUID("6f1c3a52-5d0e-4d8a-9a57-2f0f6c1d0b7e")


def identifier(doc_id: str, lang: str) -> str:
    """A stable identifier per document and language (pandoc would draw a random UUID)."""
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{doc_id}/{lang}')}"


def _lang_of(text: i18n.UIString, tag: str) -> list:
    """A UI string's pandoc attributes: marked English where it fell back to the English."""
    return [["lang", "en"]] if text.fallback and not tag.startswith("en") else []


def _notice(name: str, text: i18n.UIString, tag: str) -> dict:
    """A notice at the head of the text, as a pandoc Div; marked English where the UI string fell back."""
    attributes = _lang_of(text, tag)
    return {"t": "Div", "c": [["", [name], attributes], [{"t": "Para", "c": [{"t": "Str", "c": str(text)}]}]]}


@renderer("epub")
def render_epub(ctx: RenderContext, edition: Edition, out: Path) -> None:
    write_figures(ctx, edition, out)
    env = environment(ctx, edition)
    ast = pandoc.copy_ast(edition.ast)
    meta = ast["meta"]
    ui = translations(ctx, edition)
    abstract = meta.pop("abstract", None)
    if abstract and abstract["t"] == "MetaBlocks":
        title = ui.gettext("Abstract")
        # (the mark on a span of the heading: on the heading, pandoc would give it to the whole section)
        heading = {"t": "Header", "c": [1, ["abstract", ["unnumbered"], []],
                                        [{"t": "Span", "c": [["", [], _lang_of(title, edition.language.tag)],
                                                             [{"t": "Str", "c": str(title)}]]}]]}
        ast["blocks"] = [heading, *abstract["c"], *ast["blocks"]]
    contents = ui.gettext("Contents")       # the navigation document's heading
    meta["toc-title"] = {"t": "MetaString", "c": str(contents)}        # (pandoc writes it as plain text)
    progress = common.progress(ctx, edition)["progress"]
    notices = []
    if progress is not None:
        notices.append(("progress-notice", ui.gettext(
            "Translation in progress: {percent} translated; the rest is shown in English.",
            percent=i18n.percent(progress, edition.language.tag))))
    if ctx.draft:
        notices.append(("draft-notice", ui.gettext("Draft: this edition is not published.")))
    ast["blocks"][0:0] = [_notice(name, text, edition.language.tag) for name, text in notices]
    meta["identifier"] = {"t": "MetaString", "c": identifier(edition.document.id, edition.language.code)}
    meta["date"] = {"t": "MetaString", "c": ctx.date.isoformat()}
    # What store checks ask of an accessible EPUB (schema.org accessibility metadata).
    for key, values in (("accessModes", ["textual", "visual"]), ("accessModeSufficient", ["textual"]),
                        ("accessibilityFeatures", ["structuralNavigation", "tableOfContents", "alternativeText",
                                                   "readingOrder"]),
                        ("accessibilityHazards", ["none"])):
        meta[key] = {"t": "MetaList", "c": [{"t": "MetaString", "c": v} for v in values]}
    summary = i18n.render(env, "epub/accessibility-summary.txt.j2").strip()
    meta["accessibilitySummary"] = {"t": "MetaString", "c": summary}
    meta["description"] = {"t": "MetaString", "c": edition.meta_text("description") or edition.meta_text("subtitle")}
    context = {"edition": edition, "lang": edition.language.tag, "title": edition.title,
               "description": edition.meta_text("description"), "date": ctx.date, "draft": ctx.draft}
    with tempfile.TemporaryDirectory(prefix="publish-epub-") as tmp:
        folder = Path(tmp)
        (folder / "epub.css").write_text(i18n.render(env, "epub/epub.css.j2", **context), encoding="utf-8")
        (folder / "metadata.xml").write_text(i18n.render(env, "epub/metadata.xml.j2", **context), encoding="utf-8")
        target = folder / out.name
        cover = folder / "cover.png"
        draw_cover(cover, edition.title, edition.meta_text("subtitle"), edition.language.name,
                   edition.language.tag.startswith("zh"), notices[0][1] if progress is not None else "")
        pandoc.run(["-f", "json", "-t", "epub3", "-o", str(target), "--toc", "--toc-depth=2", "--split-level=1",
                    "--epub-cover-image", str(cover),
                    "--css", str(folder / "epub.css"), "--epub-metadata", str(folder / "metadata.xml"),
                    "--resource-path", str(out.parent), "--epub-title-page=true"],
                   input=json.dumps(ast).encode(), path=out, epoch=ctx.epoch)
        write_atomic(out, checked(ctx, edition, "epub", conforming(target.read_bytes()), out))


# What the EPUB claims, and what `publish validate` and the tests prove of every edition: Ace by DAISY
# finds no violation in it, axe-core none in the web pages made from the same text.
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


def conforming(epub: bytes) -> bytes:
    """The EPUB with its package declaring the accessibility standard it meets (pandoc has no field for
    it). The statement is the constant above; the package document is otherwise copied byte for byte,
    and the archive keeps its order (mimetype first, stored)."""
    source = zipfile.ZipFile(io.BytesIO(epub))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith(".opf"):
                statement = f'<meta property="dcterms:conformsTo">{CONFORMANCE}</meta>\n  </metadata>'
                data = data.decode("utf-8").replace("</metadata>", statement, 1).encode("utf-8")
            target.writestr(info, data, compress_type=info.compress_type)
    return out.getvalue()
