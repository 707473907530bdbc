"""An edition: one document in one language, translated, with figures drawn and notes resolved.

source AST -> apply catalog -> draw charts -> citeproc -> Edition (what every renderer takes)

The pandoc run that resolves the citations also writes the HTML the renderers ask for (``HtmlWrites``),
so that the document is read by pandoc once, not once per format.
"""

from __future__ import annotations

import logging
import yaml
from dataclasses import dataclass, field
from pathlib import Path

from . import catalog as catalogs
from . import figures, i18n, pandoc
from .apply import ApplyReport, apply
from .errors import SourceError
from .project import Document, Language, Project
from .segments import pandoc_text
from .fsutil import digest, write_atomic
from .source import Source, line_of, references

log = logging.getLogger(__name__)


@dataclass
class TocEntry:
    level: int
    id: str
    text: str
    children: list["TocEntry"] = field(default_factory=list)


@dataclass
class Edition:
    document: Document
    language: Language
    ast: dict                                   # resolved: translated, charts drawn, notes made
    svgs: dict[str, str] = field(default_factory=dict)   # file name under figures/ -> SVG text
    provisional: list[str] = field(default_factory=list)  # ids of charts drawn from unverified data
    report: ApplyReport | None = None
    html: dict[str, str] = field(default_factory=dict)   # name -> pandoc's HTML, as HtmlWrites asked

    @property
    def meta(self) -> dict:
        return self.ast.get("meta", {})

    def meta_text(self, key: str) -> str:
        value = self.meta.get(key)
        if value is None:
            return ""
        if value["t"] == "MetaString":
            return value["c"]
        return pandoc_text(value["c"]).strip()

    def meta_list(self, key: str) -> list[str]:
        value = self.meta.get(key)
        if value is None:
            return []
        if value["t"] == "MetaList":
            return [pandoc_text(v["c"]).strip() if v["t"] != "MetaString" else v["c"] for v in value["c"]]
        return [self.meta_text(key)]

    @property
    def title(self) -> str:
        return self.meta_text("title")

    @property
    def short_title(self) -> str:
        return self.meta_text("short-title") or self.title

    def toc(self, depth: int = 2) -> list[TocEntry]:
        """The headings down to ``depth`` as a tree."""
        roots: list[TocEntry] = []
        stack: list[TocEntry] = []
        for block in self.ast["blocks"]:
            if block["t"] != "Header" or block["c"][0] > depth or not block["c"][1][0]:
                continue
            entry = TocEntry(block["c"][0], block["c"][1][0], pandoc_text(block["c"][2]).strip())
            while stack and stack[-1].level >= entry.level:
                stack.pop()
            (stack[-1].children if stack else roots).append(entry)
            stack.append(entry)
        return roots


@dataclass(frozen=True)
class HtmlWrites:
    """HTML for pandoc to write with the edition: the template, and for each name where the notes go
    ("end" or "inline", see ``pandoc.resolve``)."""
    template: Path
    notes: dict[str, str]


def prepare(project: Project, document: Document, language: Language, source: Source,
            html: HtmlWrites | None = None) -> Edition:
    source.check(document.bibliography, project.root)
    report = None
    if language.code == project.source_language:
        ast = pandoc.copy_ast(source.ast)
        ast["meta"]["lang"] = _meta_str(language.tag)
    else:
        po_path = project.catalog_path(document, language)
        po = catalogs.read(po_path) if po_path.exists() else None
        ast, report = apply(source.ast, po, language.tag, po_path, source_tag=project.source.tag,
                            units=[s.text for s in source.segments()], cache_dir=project.build_dir / ".cache")
    translations = i18n.load_translations(project.translations_dir / language.code / f"{i18n.DOMAIN}.po")
    env = i18n.environment(project.templates_dir, language.tag, translations)
    ast["blocks"] = _without_comments(ast["blocks"])
    edition = Edition(document, language, ast, report=report)
    _draw_charts(edition, source.path, project, env)
    edition.ast = pandoc.compact(edition.ast)
    edition.ast, edition.html = _resolve(edition.ast, document, language, source.path,
                                         project.build_dir / ".cache", html)
    edition.ast["meta"]["lang"] = _meta_str(language.tag)
    return edition


def _without_comments(blocks: list) -> list:
    """Editorial HTML comments in the source are for editors, not readers."""
    return [b for b in blocks
            if not (b["t"] == "RawBlock" and b["c"][0] == "html" and b["c"][1].lstrip().startswith("<!--"))]


def _meta_str(value: str) -> dict:
    return {"t": "MetaString", "c": value}


def _draw_charts(edition: Edition, source_path: Path, project: Project, env) -> None:
    number = 0

    def visit(blocks: list) -> None:
        nonlocal number
        for index, block in enumerate(blocks):
            if block["t"] == "Div" and "chart" in block["c"][0][1]:
                number += 1
                blocks[index] = _chart_figure(block, number, edition, source_path, project, env)
            elif block["t"] in ("Div", "BlockQuote"):
                visit(block["c"][1] if block["t"] == "Div" else block["c"])

    visit(edition.ast["blocks"])
    if edition.provisional:
        log.warning("%s (%s): provisional data in %s: not yet verified against the published source",
                    edition.document.id, edition.language.code, ", ".join(edition.provisional))


def _chart_figure(div: dict, number: int, edition: Edition, source_path: Path, project: Project, env) -> dict:
    (ident, classes, attrs), content = div["c"]
    options = dict(attrs)
    if not ident:
        raise SourceError("a chart needs an id, as in ::: {#fig-name .chart data=...}", source_path)
    data_path = (source_path.parent / options.get("data", "")).resolve()
    if "data" not in options or not data_path.is_relative_to(project.root.resolve()):
        raise SourceError(f"chart {ident}: data must name a CSV file inside the project", source_path)
    y = [c.strip() for c in options["y"].split(",")] if "y" in options else None
    data = figures.read_chart_data(data_path, options.get("x"), y, source_path)
    if data.provisional:
        edition.provisional.append(ident)
    caption_blocks = [b for b in content if b["t"] in ("Para", "Plain")][:1]
    rest = [b for b in content if b not in caption_blocks]
    caption_inlines = caption_blocks[0]["c"] if caption_blocks else []
    title = pandoc_text(caption_inlines).strip()
    svg = i18n.render(env, "figures/chart.svg.j2", id=ident, g=figures.layout(data), title=title,
                      label_x=options.get("label-x", ""), label_y=options.get("label-y", ""),
                      legend={name: options.get(f"label-{name}", name) for name in data.series},
                      value_format=options.get("format"), unit=options.get("unit", ""), provisional=data.provisional,
                      font=_chart_font(edition.language))
    filename = f"{ident}.svg"
    edition.svgs[filename] = svg
    label = i18n.render(env, "figures/label.txt.j2", number=number).strip()
    caption = [{"t": "Plain", "c": [{"t": "Span", "c": [["", ["figure-label"], []], [{"t": "Str", "c": label}]]},
                                    {"t": "Space"}, *caption_inlines]}]
    image = {"t": "Image", "c": [[f"{ident}-chart", [], []], pandoc.copy_ast(caption_inlines),
                                 [f"figures/{filename}", ""]]}
    body = [{"t": "Plain", "c": [image]}]
    if rest:
        body.append({"t": "Div", "c": [["", ["figure-source"], []], rest]})
    figure_classes = ["chart"] + (["provisional"] if data.provisional else [])
    return {"t": "Figure", "c": [[ident, figure_classes, []], [None, caption], body]}


def _chart_font(language: Language) -> str:
    cjk = "Noto Sans CJK SC" if language.tag.startswith("zh") else None
    return ", ".join(f for f in ("Noto Sans", cjk, "sans-serif") if f)


def _resolve(ast: dict, document: Document, language: Language, source_path: Path, cache: Path,
             html: HtmlWrites | None) -> tuple[dict, dict[str, str]]:
    """Resolve citations into notes with the edition's CSL style and locale (and write ``html``)."""
    meta = {"lang": language.csl_locale, "suppress-bibliography": True}
    csl = language.csl or document.csl
    if csl:
        meta["csl"] = str(csl)
    bibliography = edition_bibliography(document, language, cache)
    if bibliography:
        meta["bibliography"] = str(bibliography)
    return pandoc.resolve(ast, meta, html.template if html else None, html.notes if html else None,
                          path=source_path)


def overlay_path(document: Document, language: Language) -> Path | None:
    """``references.<lang>.yaml`` beside the bibliography: the edition's own fields for some records."""
    if document.bibliography is None:
        return None
    path = document.bibliography.with_name(f"{document.bibliography.stem}.{language.code}{document.bibliography.suffix}")
    return path if path.exists() else None


def edition_bibliography(document: Document, language: Language, cache: Path) -> Path | None:
    """The bibliography with the language's overlay applied (e.g. Chinese originals' Chinese titles)."""
    overlay = overlay_path(document, language)
    if overlay is None:
        return document.bibliography
    base = references(document.bibliography)
    fields = {r["id"]: r for r in references(overlay, optional=True) if "id" in r}
    unknown = sorted(set(fields) - {r.get("id") for r in base})
    if unknown:
        raise SourceError(f"overlay names records the bibliography does not have: {', '.join(unknown)}", overlay,
                          line_of(overlay.read_text(encoding="utf-8"), unknown[0]))
    merged = {"references": [{**r, **fields.get(r.get("id"), {})} for r in base]}
    text = yaml.safe_dump(merged, allow_unicode=True, sort_keys=False)
    target = cache / "bibliography" / f"{digest(text)}.yaml"
    if not target.exists():
        write_atomic(target, text)
    return target
