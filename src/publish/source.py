"""Source documents: Markdown parsed into pandoc's AST (cached by content), and checked."""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from . import pandoc
from .errors import SourceError, collect
from .fsutil import digest, load_yaml, write_atomic
from .segments import Segment, citation_keys, elements, segment, segments_of, walk

_LOCK = threading.Lock()     # editions are prepared in threads; each shared result is made once


@dataclass(frozen=True)
class Source:
    path: Path
    text: str
    ast: dict
    digest: str
    cache_dir: Path | None = None
    template: Path | None = None          # the .pot extracted from it, which may hold its segments
    _memo: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def key(self) -> str:
        """What the segments are made from: the source's bytes and this program's version."""
        from . import __version__
        return digest(self.digest, __version__)

    def segments(self) -> list[Segment]:
        """The translatable units, as the catalogs hold them: made once per source (a pandoc run),
        and kept under the cache folder for the next build."""
        with _LOCK:
            if "segments" not in self._memo:
                self._memo["segments"] = self._cached_segments()
            return self._memo["segments"]

    def _cached_segments(self) -> list[Segment]:
        cached = self.cache_dir / "segments" / f"{self.key}.json" if self.cache_dir else None
        if cached is not None and cached.exists():
            return [Segment(**{**item, "comments": tuple(item["comments"])})
                    for item in json.loads(cached.read_bytes())]
        result = self._template_segments() or segment(self.ast, self.text)
        if cached is not None:
            write_atomic(cached, json.dumps([asdict(s) for s in result], ensure_ascii=False))
        return result

    def _template_segments(self) -> list[Segment] | None:
        """The segments as the template extracted from this very source holds them: a clean build of
        a project whose catalogs are current makes no pandoc run to write the units again."""
        from .catalog import current_template
        template = current_template(self.template, self.key) if self.template is not None else None
        if template is None:
            return None
        entries = [e for e in template if e.msgid and not e.obsolete]
        slots = list(walk(self.ast))
        if [e.msgctxt for e in entries] != [slot.context for slot in slots]:
            return None
        try:
            lines = [int(entry.occurrences[0][1]) for entry in entries]
        except (IndexError, ValueError):
            return None
        return segments_of(slots, [entry.msgid for entry in entries], lines)

    def check(self, bibliography: Path | None, project_root: Path) -> None:
        """Citations and structure checked once per source and bibliography (see the checks below)."""
        key = ("checked", bibliography, bibliography.read_bytes() if bibliography and bibliography.exists() else b"",
               project_root)
        with _LOCK:
            if key in self._memo:
                return
        check_citations(self, bibliography)
        check_structure(self, project_root)
        with _LOCK:
            self._memo[key] = True


def load(path: Path, cache_dir: Path | None = None, template: Path | None = None) -> Source:
    """Parse ``path``; the AST is cached under ``cache_dir`` keyed on the file's bytes and pandoc's version.
    ``template``: the .pot extracted from it (see ``Source.segments``)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SourceError("source file not found", path) from None
    key = digest(raw, pandoc.binary_version())
    cached = cache_dir / "ast" / f"{key}.json" if cache_dir else None
    if cached is not None and cached.exists():
        ast = json.loads(cached.read_bytes())
    else:
        ast = pandoc.read_markdown(path)
        if cached is not None:
            write_atomic(cached, json.dumps(ast))
    return Source(path, raw.decode("utf-8"), ast, key, cache_dir, template)


def references(path: Path, optional: bool = False) -> list[dict]:
    """The records of a CSL YAML file; an ``optional`` one (an overlay) may hold none."""
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
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


def check_citations(source: Source, bibliography: Path | None) -> None:
    """Every citation key must name a record of the bibliography."""
    known = bibliography_ids(bibliography)
    errors = []
    for key in sorted(set(citation_keys(source.ast["blocks"])) - known):
        errors.append(SourceError(f"unknown citation key @{key}: no record with this id in "
                                  f"{bibliography.name if bibliography else 'the (missing) bibliography'}",
                                  source.path, line_of(source.text, "@" + key)))
    collect(errors)


def check_structure(source: Source, project_root: Path) -> None:
    """Images must be files inside the project; headings need text. Checked before pandoc renders
    anything: pandoc alone would embed any file it can read (even /etc/passwd) into an EPUB."""
    errors: list[SourceError] = []
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
    collect(errors)


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
