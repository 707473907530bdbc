"""Source documents: Markdown parsed into pandoc's AST, checked, and the files it uses."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from . import pandoc
from .cache import Cache, code, digest
from .errors import SourceError, collect
from .segments import Segment, citation_keys, elements, pandoc_text, segment


SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)     # libyaml's, where PyYAML has it


@dataclass(frozen=True)
class Source:
    path: Path
    text: str
    ast: dict
    digest: str                 # of the file's bytes

    @cached_property
    def data_files(self) -> list[Path]:
        """The files the document draws on besides itself: each chart's CSV and each image, in order."""
        found = []
        for element in elements(self.ast["blocks"]):
            if element["t"] == "Div" and "chart" in element["c"][0][1]:
                data = dict(element["c"][0][2]).get("data")
                if data:
                    found.append((self.path.parent / data).resolve())
            elif element["t"] == "Image":
                target = unquote(urlsplit(element["c"][2][0]).path)
                if target:
                    found.append((self.path.parent / target).resolve())
        return list(dict.fromkeys(found))

    def images(self) -> list[str]:
        """The image targets as written in the source (inside the project, once checked)."""
        return list(dict.fromkeys(e["c"][2][0] for e in elements(self.ast["blocks"]) if e["t"] == "Image"))

    def date(self) -> date | None:
        """The edition date the front matter gives (``date: 2024-09-01``), if any."""
        value = self.ast.get("meta", {}).get("date")
        if value is None:
            return None
        text = value["c"] if value["t"] == "MetaString" else pandoc_text(value["c"]).strip()
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise SourceError(f"date {text!r} in the front matter is not an ISO date (YYYY-MM-DD)", self.path,
                              line_of(self.text, "date:")) from None


def load(path: Path, cache: Cache | None = None) -> Source:
    """Parse ``path``; the AST is kept in the cache under the file's bytes, pandoc and this code."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SourceError("source file not found", path) from None
    except IsADirectoryError:
        raise SourceError("a folder, not a Markdown file", path) from None
    bytes_digest = hashlib.sha256(raw).hexdigest()
    key = digest(code("source", "pandoc"), pandoc.version(), bytes_digest)
    ast = cache.get("ast", key) if cache else None
    if ast is None:
        ast = pandoc.read_markdown(path)
        if cache:
            cache.put("ast", key, ast)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:      # (pandoc reports it first; kept for a cached AST)
        raise SourceError(f"not UTF-8 text (byte {raw[exc.start]:#x})", path, raw[:exc.start].count(b"\n") + 1)
    return Source(path, text, ast, bytes_digest)


def segments(source: Source, cache: Cache | None = None) -> list[Segment]:
    """The translatable units of a source, as the catalogs hold them; kept under the source's bytes, pandoc
    and the segmentation code."""
    key = digest(code("segments", "source"), pandoc.version(), source.digest)
    kept = cache.get("segments", key) if cache else None
    if kept is not None:
        try:
            return [Segment(**{**item, "comments": tuple(item["comments"])}) for item in kept]
        except (TypeError, KeyError):
            pass                 # an entry of another shape: made again
    try:
        result = segment(source.ast, source.text)
    except SourceError as exc:           # (two units with one identifier)
        raise SourceError(exc.message, source.path, _unit_line(source, exc.context)) from None
    if cache:
        cache.put("segments", key, [s.__dict__ | {"comments": list(s.comments)} for s in result])
    return result


def _unit_line(source: Source, context: str | None, occurrence: int = 1) -> int | None:
    """The line of the ``occurrence``-th element whose id the unit's context starts with."""
    ident = (context or "").partition("/")[0]
    lines = [n for n, line in enumerate(source.text.splitlines(), 1) if "{#" + ident in line] if ident else []
    return lines[min(occurrence, len(lines)) - 1] if lines else None


def references(path: Path, optional: bool = False) -> list[dict]:
    """The records of a CSL YAML file; an ``optional`` one (an overlay) may hold none."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SourceError(f"invalid YAML: {getattr(exc, 'problem', exc)}", path,
                          mark.line + 1 if mark else None) from None
    refs = data.get("references") if isinstance(data, dict) else data
    if refs is None and optional:
        return []
    if not isinstance(refs, list):
        raise SourceError("a CSL YAML bibliography holds a list under 'references'", path, 1)
    return [r for r in refs if isinstance(r, dict)]


def bibliography_ids(path: Path | None) -> set[str]:
    return {str(r.get("id")) for r in references(path)} if path is not None else set()


def check(source: Source, bibliography: Path | None, project_root: Path) -> None:
    """Every citation names a record of the bibliography; images are files inside the project; headings
    have text. Checked before pandoc renders anything: pandoc alone would embed any file it can read
    (even /etc/passwd) into an EPUB."""
    known = bibliography_ids(bibliography)
    errors = []
    for key in sorted(set(citation_keys(source.ast["blocks"])) - known):
        errors.append(SourceError(f"unknown citation key @{key}: no record with this id in "
                                  f"{bibliography.name if bibliography else 'the (missing) bibliography'}",
                                  source.path, line_of(source.text, "@" + key)))
    root = project_root.resolve()
    for element in elements(source.ast["blocks"]):
        if element["t"] == "Image":
            target = element["c"][2][0]
            problem = _image_problem(target, source.path.parent, root)
            if problem:
                errors.append(SourceError(f"image {target!r}: {problem}", source.path, line_of(source.text, target)))
        elif element["t"] == "Header" and not element["c"][2]:
            errors.append(SourceError("a heading without text", source.path,
                                      _empty_heading_line(source.text, element["c"][0])))
        elif element["t"] == "Div" and "chart" in element["c"][0][1]:
            problem = _chart_problem(element, source.path.parent, root)
            if problem:
                ident = element["c"][0][0]
                errors.append(SourceError(problem, source.path,
                                          line_of(source.text, "{#" + ident) if ident else line_of(source.text, ".chart")))
    seen: dict[str, int] = {}
    for slot in _slots(source):
        seen[slot] = seen.get(slot, 0) + 1
        if seen[slot] > 1:
            errors.append(SourceError(f"two translatable units share the identifier {slot!r}; give headings "
                                      "and divs unique ids", source.path, _unit_line(source, slot, seen[slot])))
    collect(errors)


def _slots(source: Source) -> list[str]:
    from .segments import slots
    return [slot.context for slot in slots(source.ast)]


def _image_problem(target: str, base: Path, root: Path) -> str | None:
    parsed = urlsplit(target)
    if parsed.scheme and len(parsed.scheme) > 1:     # (a one-letter scheme is a Windows drive)
        return (f"{parsed.scheme}: URLs are not allowed; images must be files inside the project "
                "(nothing is fetched from the network)")
    path = (base / unquote(parsed.path)).resolve()
    if not path.is_relative_to(root):
        return "points outside the project"
    if not path.is_file():
        return "no such file"
    return None


def _chart_problem(div: dict, base: Path, root: Path) -> str | None:
    (ident, _, attrs) = div["c"][0]
    data = dict(attrs).get("data")
    if not ident:
        return "a chart needs an id, as in ::: {#fig-name .chart data=...}"
    if not data:
        return f"chart {ident}: data must name a CSV file inside the project"
    path = (base / data).resolve()
    if not path.is_relative_to(root):
        return f"chart {ident}: data {data!r} points outside the project"
    if not path.is_file():
        return f"chart {ident}: data {data!r}: no such file"
    return None


def _empty_heading_line(text: str, level: int) -> int | None:
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip() == "#" * level or line.strip().startswith("#" * level + " {"):
            return number
    return None


def line_of(text: str, needle: str) -> int | None:
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number
    return None
