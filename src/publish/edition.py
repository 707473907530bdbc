"""An edition: one document in one language, translated, with figures drawn and notes resolved.

source AST -> apply catalog -> draw charts -> citeproc (and the HTML of the web and print pages) -> Edition

The pandoc run that resolves the citations also writes the HTML the renderers start from, so that the
document is read by pandoc once, not once per format. A prepared edition is plain data: it is kept in
the build's cache as JSON and handed to the renderers.
"""

from __future__ import annotations

import logging
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from . import catalog as catalogs
from . import bibliography, figures, i18n, pandoc
from .apply import ApplyReport, apply
from .cache import Cache
from .errors import CatalogError, SourceError
from .project import Document, Language, Project
from .segments import elements, pandoc_text
from .source import Source

log = logging.getLogger(__name__)

FRAGMENTS = Path(__file__).parent / "render" / "fragments.html"   # title, subtitle, abstract, body
SEPARATOR = "\x1e"
#: The HTML pages pandoc writes with an edition, and where their notes go: the web page links to notes at
#: the end; the print page has each note at its call, for CSS ``float: footnote``.
HTML_PAGES = {"web": "end", "print": "inline"}
SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)     # libyaml's, where PyYAML has it
RESOLVE_ONLY = ("bibliography", "csl", "suppress-bibliography", "references", "notes-after-punctuation")


@dataclass
class TocEntry:
    level: int
    id: str
    text: str
    children: list["TocEntry"] = field(default_factory=list)


@dataclass(frozen=True)
class Parts:
    title: str
    subtitle: str
    abstract: str
    body: str


@dataclass
class Edition:
    document: Document
    language: Language
    ast: dict                                   # resolved: translated, charts drawn, notes made
    svgs: dict[str, str] = field(default_factory=dict)   # file name under figures/ -> SVG text
    provisional: list[str] = field(default_factory=list)  # ids of charts drawn from unverified data
    report: ApplyReport | None = None
    html: dict[str, str] = field(default_factory=dict)   # HTML_PAGES name -> pandoc's HTML
    images: dict[str, str] = field(default_factory=dict)  # file name under media/ -> the source's image file

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

    def parts(self, page: str) -> Parts:
        """Title, subtitle, abstract and body of the web or print page, as pandoc wrote them."""
        title, subtitle, abstract, body = (self.html[page].split(SEPARATOR) + ["", "", "", ""])[:4]
        return Parts(title.strip(), subtitle.strip(), abstract.strip(), body.strip())

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

    def facts(self) -> dict:
        """What the build's gates need to know of the edition, without the edition itself."""
        report = self.report
        return {"percent": report.percent if report else 100.0, "translated": report.translated if report else 0,
                "total": report.total if report else 0, "fallbacks": report.fallbacks if report else 0,
                "problems": [str(p) for p in report.problems] if report else [],
                "provisional": list(self.provisional), "svgs": sorted(self.svgs), "images": sorted(self.images)}

    # -- as data, for the cache ----------------------------------------------------------------

    def to_json(self) -> dict:
        report = None
        if self.report is not None:
            r = self.report
            report = {"path": str(r.path) if r.path else None, "translated": r.translated, "fuzzy": r.fuzzy,
                      "untranslated": r.untranslated, "outdated": r.outdated,
                      "problems": [[p.message, p.line, p.context] for p in r.problems]}
        return {"document": self.document.id, "language": self.language.code, "ast": self.ast, "svgs": self.svgs,
                "provisional": self.provisional, "report": report, "html": self.html, "images": self.images}

    @classmethod
    def from_json(cls, project: Project, data: dict) -> "Edition":
        report = None
        if data["report"] is not None:
            r = data["report"]
            path = Path(r["path"]) if r["path"] else None
            report = ApplyReport(path, r["translated"], r["fuzzy"], r["untranslated"], r["outdated"],
                                 [CatalogError(message, path, line, context) for message, line, context in r["problems"]])
        return cls(project.document(data["document"]), project.language(data["language"]), data["ast"],
                   dict(data["svgs"]), list(data["provisional"]), report, dict(data["html"]), dict(data["images"]))


def prepare(project: Project, document: Document, language: Language, source: Source,
            units: list[str] | None = None) -> Edition:
    """Translate, draw the charts, resolve the citations and write the HTML of the web and print pages.
    ``units``: the Markdown of each translatable unit of the source, when already known."""
    report = None
    if language.code == project.source_language:
        ast = pandoc.copy_ast(source.ast)
        records, _usage, _problems = bibliography.for_edition(document, language, None, None, None)
    else:
        po_path = project.catalog_path(document, language)
        po = catalogs.read(po_path) if po_path.exists() else None
        ast, report = apply(source.ast, po, language.tag, po_path, source_tag=project.source.tag, units=units)
        records, usage, problems = bibliography.for_edition(document, language, po, po_path, project.source.tag)
        report.add(usage, problems)
        if report.summary():
            log.warning("%s", report.summary())
    translations = i18n.load_translations(project.translations_dir / language.code / f"{i18n.DOMAIN}.po")
    env = i18n.environment(project.templates_dir, language.tag, translations)
    ast["blocks"] = _without_comments(ast["blocks"])
    edition = Edition(document, language, ast, report=report)
    _draw_charts(edition, source.path, env)
    _gather_images(edition, source.path)
    edition.ast = pandoc.compact(edition.ast)
    edition.ast, edition.html = _resolve(edition.ast, document, language, source.path, records)
    for key in RESOLVE_ONLY:            # what citeproc was given is no part of the edition
        edition.ast["meta"].pop(key, None)
    edition.ast["meta"]["lang"] = {"t": "MetaString", "c": language.tag}
    return edition


def cached(project: Project, cache: Cache, key: str) -> Edition | None:
    """The edition prepared under ``key`` by this build or an earlier one, if the cache holds it."""
    data = cache.get("edition", key)
    if data is None:
        return None
    try:
        return Edition.from_json(project, data)
    except (KeyError, TypeError, ValueError, LookupError, CatalogError):
        return None               # an entry of another shape, or for a document no longer there


def _without_comments(blocks: list) -> list:
    """Editorial HTML comments in the source are for editors, not readers."""
    return [b for b in blocks
            if not (b["t"] == "RawBlock" and b["c"][0] == "html" and b["c"][1].lstrip().startswith("<!--"))]


def _draw_charts(edition: Edition, source_path: Path, env) -> None:
    number = 0

    def visit(blocks: list) -> None:
        nonlocal number
        for index, block in enumerate(blocks):
            if block["t"] == "Div" and "chart" in block["c"][0][1]:
                number += 1
                blocks[index] = {"t": "Div", "c": [["", ["chart-block"], []],
                                                   list(_chart_figure(block, number, edition, source_path, env))]}
            elif block["t"] in ("Div", "BlockQuote"):
                visit(block["c"][1] if block["t"] == "Div" else block["c"])

    visit(edition.ast["blocks"])


def _chart_figure(div: dict, number: int, edition: Edition, source_path: Path, env) -> tuple[dict, dict]:
    """The chart as a figure (its SVG drawn), and its data as a table: the chart's text alternative in
    every format."""
    (ident, classes, attrs), content = div["c"]
    options = dict(attrs)
    data_path = (source_path.parent / options["data"]).resolve()     # (checked with the source)
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
    figure = {"t": "Figure", "c": [[ident, figure_classes, []], [None, caption], body]}
    return figure, _data_table(data, options, number, ident, env)


def _data_table(data: figures.ChartData, options: dict, number: int, ident: str, env) -> dict:
    """A chart's values as a table, each formatted as the chart prints it, under the chart's own labels."""
    def cell(text: str) -> list:
        return [["", [], []], {"t": "AlignDefault"}, 1, 1, [{"t": "Plain", "c": [{"t": "Str", "c": text}]}]]

    def shown(value: float, display: str | None) -> str:
        if display:
            return display
        if options.get("unit") == "percent":
            return env.filters["percent"](value / 100, "#,##0.#%")
        return env.filters["number"](value, options.get("format"))

    single = len(data.series) == 1
    names = [options.get("label-y" if single else f"label-{name}", name) for name in data.series]
    head = [cell(options.get("label-x", "")), *(cell(n) for n in names)]
    rows = [[["", [], []], [cell(category), *(cell(shown(values[i], data.display[i])) for values in data.series.values())]]
            for i, category in enumerate(data.categories)]
    caption = i18n.render(env, "figures/data-caption.txt.j2", number=number).strip()
    table = {"t": "Table", "c": [["", [], []], [None, [{"t": "Plain", "c": [{"t": "Str", "c": caption}]}]],
                                 [[{"t": "AlignLeft"}, {"t": "ColWidthDefault"}]]
                                 + [[{"t": "AlignRight"}, {"t": "ColWidthDefault"}]] * len(names),
                                 [["", [], []], [[["", [], []], head]]],
                                 [[["", [], []], 1, [], rows]], [["", [], []], []]]}
    return {"t": "Div", "c": [[f"{ident}-data", ["chart-data"], []], [table]]}


def _gather_images(edition: Edition, source_path: Path) -> None:
    """Each image of the source (a file inside the project: checked with the source) goes beside the
    artifacts, under media/, and the AST points there."""
    for element in elements(edition.ast["blocks"]):
        if element["t"] != "Image" or element["c"][2][0].removeprefix("figures/") in edition.svgs:
            continue                                         # (a chart, drawn by the build)
        target = element["c"][2][0]
        path = (source_path.parent / unquote(urlsplit(target).path)).resolve()
        name = re.sub(r"[^\w.-]", "-", path.relative_to(source_path.parent.resolve()).as_posix()
                      if path.is_relative_to(source_path.parent.resolve()) else path.name)
        edition.images[name] = str(path)
        element["c"][2][0] = f"media/{name}"


def _chart_font(language: Language) -> str:
    cjk = "Noto Sans CJK SC" if language.tag.startswith("zh") else None
    return ", ".join(f for f in ("Noto Sans", cjk, "sans-serif") if f)


def _resolve(ast: dict, document: Document, language: Language, source_path: Path,
             records: list[dict] | None) -> tuple[dict, dict[str, str]]:
    """Resolve citations into notes with the edition's CSL style and locale and its ``records`` (the
    bibliography as the edition cites it), and write the HTML pages."""
    meta = {"lang": language.csl_locale, "suppress-bibliography": True,
            "notes-after-punctuation": language.note_calls == "after"}
    csl = language.csl or document.csl
    if csl:
        meta["csl"] = str(csl)
    if records is None:
        if document.bibliography is not None:
            meta["bibliography"] = str(document.bibliography)
        return pandoc.resolve(ast, meta, FRAGMENTS, HTML_PAGES, path=source_path, note_calls=language.note_calls)
    # citeproc reads the records as a CSL YAML file, as it reads the bibliography itself (metadata or
    # CSL JSON would read their text another way).
    with tempfile.TemporaryDirectory(prefix="publish-") as tmp:
        path = Path(tmp) / "references.yaml"
        path.write_text(yaml.dump({"references": records}, Dumper=SAFE_DUMPER, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
        meta["bibliography"] = str(path)
        return pandoc.resolve(ast, meta, FRAGMENTS, HTML_PAGES, path=source_path, note_calls=language.note_calls)

