"""The last line of defence: every artifact is parsed back before it is published.

An HTML page is read with an HTML5 parser (tinyhtml5, WeasyPrint's), and may hold only the elements and
attributes that pandoc's HTML writer and the project's templates emit; every XML file of an EPUB and every
chart SVG must parse as XML. Anywhere: no ``on*`` attribute, no ``javascript:``, ``vbscript:`` or ``data:``
URL, no ``url()`` or ``@import`` in a style attribute, and no script but the site's own. A problem is
traced, where it can be, to the catalog entry whose translation brought the text in.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import polib

from .errors import PublishError

# Every element may carry these (and aria-*, data-*).
COMMON = {"id", "class", "lang", "xml:lang", "dir", "title", "role", "hidden", "epub:type", "style", "tabindex"}
# What pandoc's HTML writer emits, and what the templates add, element by element.
ELEMENTS: dict[str, set[str]] = {
    **{tag: set() for tag in (
        "html head body title style header footer main nav section article aside div p span h1 h2 h3 h4 h5 h6 "
        "ul dl dt dd blockquote pre code kbd samp var em strong b i u s del ins mark small sub sup q cite abbr "
        "br hr wbr figure figcaption table caption thead tbody tfoot tr math mi mn mo ms mrow msub msup msubsup "
        "mfrac msqrt mroot mtext mspace mtable mtr mtd mover munder munderover semantics annotation").split()},
    "a": {"href", "hreflang", "rel", "download", "type"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "td": {"colspan", "rowspan", "align"},
    "col": {"span", "width"},
    "colgroup": {"span"},
    "meta": {"charset", "content", "name"},
    "link": {"rel", "href", "hreflang", "type"},
    "time": {"datetime"},
    "input": {"type", "disabled", "checked"},
    "details": {"open"},
    "summary": set(),
    "script": set(),
    "svg": {"xmlns", "xmlns:xlink", "version", "width", "height", "viewbox", "preserveaspectratio"},
    "image": {"width", "height", "xlink:href", "href"},
}
URL_ATTRIBUTES = {"href", "src", "xlink:href", "cite", "action", "formaction", "poster", "background"}
BAD_URL = re.compile(r"^\s*(?:javascript|vbscript|data)\s*:", re.IGNORECASE)
BAD_STYLE = re.compile(r"url\s*\(|@import|expression\s*\(|behavior\s*:", re.IGNORECASE)
XML_SUFFIXES = (".xhtml", ".html", ".opf", ".ncx", ".xml", ".svg")


class UnsafeArtifact(PublishError):
    """An artifact holds what no edition may publish; it is not written, and its edition is refused."""


def _name(tag: str) -> str:
    """``{namespace}local`` as the prefixed name a page shows (xlink:href, epub:type), or the local name."""
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        prefix = {"http://www.w3.org/1999/xlink": "xlink:", "http://www.idpf.org/2007/ops": "epub:",
                  "http://www.w3.org/XML/1998/namespace": "xml:"}.get(namespace, "")
        return prefix + local
    return tag


def _element_problems(root: ET.Element, scripts: set[str], allow_list: bool) -> list[tuple[str, str]]:
    """(problem, the text that shows it) for each element or attribute that must not be published."""
    problems = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue                                   # (a comment or processing instruction)
        tag = _name(element.tag).lower()
        if tag == "script" and ((element.text or "").strip() not in scripts or element.get("src") is not None):
            evidence = element.get("src") or (element.text or "").strip()
            problems.append(("a <script> element the site does not have", evidence[:60]))
        if tag in ("foreignobject", "iframe", "object", "embed", "form", "base"):
            problems.append((f"a <{tag}> element", tag))
        if allow_list and tag not in ELEMENTS:
            problems.append((f"an element <{tag}> that no edition emits", tag))
        for raw, value in element.attrib.items():
            name = _name(raw).lower()
            if name.startswith("on"):
                problems.append((f"an event handler {name}= on <{tag}>", value[:60]))
            elif name in URL_ATTRIBUTES and BAD_URL.match(value):
                problems.append((f"a {value.split(':')[0].strip().lower()}: URL in {name}= of <{tag}>", value[:60]))
            elif name == "style" and BAD_STYLE.search(value):
                problems.append((f"a style attribute that fetches or runs something, on <{tag}>", value[:60]))
            elif allow_list and not (name in COMMON or name.startswith(("aria-", "data-", "xmlns"))
                                     or name in ELEMENTS.get(tag, set())):
                problems.append((f"an attribute {name}= on <{tag}> that no edition emits", value[:60]))
    return problems


def html_problems(text: str, scripts: set[str]) -> list[tuple[str, str]]:
    import tinyhtml5
    return _element_problems(tinyhtml5.parse(text), scripts, allow_list=True)


def xml_problems(data: bytes, name: str, allow_list: bool = False) -> list[tuple[str, str]]:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line, column = exc.position if exc.position else (0, 0)
        context = data.decode("utf-8", "replace").splitlines()[line - 1][max(0, column - 30):column + 30] \
            if 0 < line <= data.count(b"\n") + 1 else ""
        return [(f"{name} is not well-formed XML ({exc})", context)]
    return _element_problems(root, set(), allow_list)


def epub_problems(data: bytes) -> list[tuple[str, str]]:
    problems = []
    with zipfile.ZipFile(io.BytesIO(data)) as epub:
        for member in epub.namelist():
            if member.endswith(XML_SUFFIXES):
                content = member.endswith((".xhtml", ".html"))
                problems += xml_problems(epub.read(member), member, allow_list=content)
    return problems


def inspect(fmt: str, data: bytes | str, scripts: set[str]) -> list[tuple[str, str]]:
    """What in an artifact (or the print page a PDF is laid out from) must not be published."""
    if fmt in ("html", "print"):
        return html_problems(data if isinstance(data, str) else data.decode("utf-8"), scripts)
    if fmt == "epub":
        return epub_problems(data)
    if fmt == "svg":
        return xml_problems(data.encode("utf-8") if isinstance(data, str) else data, "the chart")
    return []


def refuse(problems: list[tuple[str, str]], out: Path, catalogs: list[Path]) -> UnsafeArtifact:
    """The error for an unsafe artifact, naming the catalog entry that brought the text in where one does."""
    problem, evidence = problems[0]
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    for path in catalogs:
        entry = _entry_with(path, evidence)
        if entry is not None:
            return UnsafeArtifact(f"{out.name} would hold {problem}{more}, from this translation; it was not "
                                  "published", path, getattr(entry, "msgstr_line", entry.linenum),
                                  entry.msgctxt or entry.msgid[:40])
    return UnsafeArtifact(f"it would hold {problem}{more}: {evidence!r}; it was not published", out)


def _entry_with(path: Path, evidence: str) -> polib.POEntry | None:
    from . import catalog
    needle = evidence.strip()[:40]
    if len(needle) < 2 or not path.exists():
        return None
    try:
        po = catalog.read(path)
    except PublishError:
        return None
    return next((e for e in po if not e.obsolete and needle in e.msgstr and needle not in e.msgid), None)
