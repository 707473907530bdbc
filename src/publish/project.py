"""The project file (``publish.toml``): documents, languages and formats, validated as a whole."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError

from .errors import ConfigError, UsageError, collect

PROJECT_FILE = "publish.toml"
KNOWN_FORMATS = ("html", "epub", "pdf")
PAGE_SIZES = ("A4", "Letter")


@dataclass(frozen=True)
class Language:
    code: str                 # directory name under translations/ and build/
    tag: str                  # BCP 47 tag: lang attributes, dc:language, PDF /Lang
    csl_locale: str           # CSL locale for citeproc (pandoc has no es-419, hence es-MX)
    name_override: str | None = None  # the project file's name for it; else Babel's (see `name`)
    csl: Path | None = None   # a CSL style of its own, else the document's
    min_completeness: float = 80.0       # below it, the edition is in progress: a draft, not published
    release_completeness: float = 100.0  # below it, a release keeps the edition as a draft
    hyphenate: bool = True
    translation_credit: str = ""   # who translated this edition, as the colophon names them
    review_credit: str = ""        # who reviewed it
    note_calls: str = "after"      # the side of a punctuation mark a note's call goes: "before" or "after"

    @property
    def babel_locale(self) -> Locale:
        return Locale.parse(self.tag, sep="-")

    @property
    def name(self) -> str:
        """The language's name in itself, from Babel's locale data (looked up when needed)."""
        return self.name_override or _display_name(self.tag)


@lru_cache(maxsize=None)
def _display_name(tag: str) -> str:
    locale = Locale.parse(tag, sep="-")
    return locale.get_display_name(locale)


@dataclass(frozen=True)
class Document:
    id: str
    source: Path
    bibliography: Path | None
    csl: Path | None
    date: date | None = None     # the edition date, when the project file gives it


@dataclass(frozen=True)
class Override:
    """A stated exception to the QA gate: the errors it matches do not refuse an edition. Each field given
    narrows it (a check, a language, a document or ``templates``, an entry's msgctxt); ``reason`` says why."""
    reason: str
    line: int
    check: str | None = None
    language: str | None = None
    document: str | None = None
    entry: str | None = None

    def matches(self, finding, language: str) -> bool:
        return ((self.check is None or finding.check == self.check)
                and (self.language is None or language == self.language)
                and (self.document is None or Path(finding.file).stem == self.document)
                and (self.entry is None or finding.msgctxt == self.entry))

    def __str__(self) -> str:
        scope = ", ".join(f"{k} {v}" for k, v in (("check", self.check), ("language", self.language),
                                                   ("document", self.document), ("entry", self.entry)) if v)
        return f"the QA override ({scope or 'every non-security check'}: {self.reason})"


@dataclass(frozen=True)
class PdfSettings:
    page_size: str = "A4"
    bleed: bool = False


@dataclass
class Project:
    root: Path
    path: Path
    source_language: str
    documents: list[Document]
    languages: list[Language]
    formats: list[str]
    pdf: PdfSettings = field(default_factory=PdfSettings)
    name_given: str | None = None
    qa_overrides: list[Override] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The project's name (``[project] name``, else its folder's), for the archive of its editions."""
        return self.name_given or self.root.name

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def translations_dir(self) -> Path:
        return self.root / "translations"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def source(self) -> Language:
        return next(lang for lang in self.languages if lang.code == self.source_language)

    @property
    def targets(self) -> list[Language]:
        return [lang for lang in self.languages if lang.code != self.source_language]

    def language(self, code: str) -> Language:
        for lang in self.languages:
            if lang.code == code:
                return lang
        raise ConfigError(f"unknown language {code!r}; the project has "
                          f"{', '.join(lang.code for lang in self.languages)}", self.path)

    def document(self, doc_id: str) -> Document:
        for doc in self.documents:
            if doc.id == doc_id:
                return doc
        raise ConfigError(f"unknown document {doc_id!r}", self.path)

    def catalog_path(self, doc: Document | str, lang: Language | str | None = None) -> Path:
        """``translations/<doc>.pot`` for the template, ``translations/<lang>/<doc>.po`` for a language."""
        doc_id = doc if isinstance(doc, str) else doc.id
        if lang is None:
            return self.translations_dir / f"{doc_id}.pot"
        code = lang if isinstance(lang, str) else lang.code
        return self.translations_dir / code / f"{doc_id}.po"


def find_project(start: Path | None = None) -> Path:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder / PROJECT_FILE
    raise UsageError(f"no {PROJECT_FILE} in {here} or any folder above it; run publish in a project's folder, "
                     f"or give --project FILE")


def load_project(path: Path | None = None) -> Project:
    path = (path or find_project()).resolve()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("project file not found", path) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 text ({exc.reason})", path) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        line = int(match.group(1)) if match else None
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise ConfigError(f"invalid TOML: {message}", path, line) from None
    return _Validator(path, text, data).project()


class _Validator:
    """Checks every option, collects every problem, then reports them together."""

    def __init__(self, path: Path, text: str, data: dict):
        self.path, self.root, self.data = path, path.parent, data
        self.lines = text.splitlines()
        self.errors: list[ConfigError] = []

    def project(self) -> Project:
        settings = self._table(self.data, "project", None, 0)
        formats = settings.get("formats", list(KNOWN_FORMATS))
        if not isinstance(formats, list) or any(f not in KNOWN_FORMATS for f in formats):
            self._error(f"formats must be a list drawn from {', '.join(KNOWN_FORMATS)}; found {formats!r}",
                        "project", 0, "formats")
            formats = list(KNOWN_FORMATS)
        documents = [self._document(i, d) for i, d in enumerate(self._array("documents"))]
        languages = [self._language(i, d) for i, d in enumerate(self._array("languages"))]
        source_language = settings.get("source-language", "en")
        if languages and all(l is None or l.code != source_language for l in languages):
            self._error(f"source-language {source_language!r} is not one of the [[languages]]",
                        "project", 0, "source-language")
        for kind, items in (("documents", documents), ("languages", languages)):
            ids = [getattr(item, "id", None) or getattr(item, "code", None) for item in items if item]
            for dup in sorted({i for i in ids if ids.count(i) > 1}):
                self._error(f"{kind} {dup!r} is declared twice", kind, 0, None)
        pdf = self._pdf(self._table(self.data, "pdf", None, 0))
        name = settings.get("name")
        if name is not None and (not isinstance(name, str) or not re.fullmatch(r"[\w.-]+", name)):
            self._error(f"name must be a file-name-safe string such as 'common-goals'; found {name!r}",
                        "project", 0, "name")
            name = None
        self._unknown(settings, {"source-language", "formats", "name"}, "project", 0)
        overrides = [self._override(i, t, documents, languages) for i, t in enumerate(self.data.get("qa-overrides", []))]
        self._unknown(self.data, {"project", "documents", "languages", "pdf", "qa-overrides"}, "project", 0)
        collect(self.errors)
        return Project(root=self.root, path=self.path, source_language=source_language,
                       documents=documents, languages=languages, formats=formats, pdf=pdf, name_given=name,
                       qa_overrides=[o for o in overrides if o is not None])

    # -- pieces -------------------------------------------------------------------------------

    def _document(self, index: int, table: dict) -> Document | None:
        doc_id = self._string(table, "id", "documents", index, pattern=r"[a-z0-9][a-z0-9-]*")
        source = self._file(table, "source", "documents", index, required=True)
        bibliography = self._file(table, "bibliography", "documents", index)
        csl = self._file(table, "csl", "documents", index)
        when = self._date(table, "documents", index)
        self._unknown(table, {"id", "source", "bibliography", "csl", "date"}, "documents", index)
        if doc_id is None or source is None:
            return None
        return Document(id=doc_id, source=source, bibliography=bibliography, csl=csl, date=when)

    def _language(self, index: int, table: dict) -> Language | None:
        code = self._string(table, "code", "languages", index, pattern=r"[a-z]{2,3}")
        tag = self._string(table, "tag", "languages", index)
        known = True
        if tag is not None:
            try:
                Locale.parse(tag, sep="-")
            except (ValueError, UnknownLocaleError):
                self._error(f"tag {tag!r} is not a BCP 47 tag Babel knows", "languages", index, "tag")
                known = False
        name = table.get("name")
        csl_locale = table.get("csl-locale", tag)
        completeness = self._percentage(table, "min-completeness", 80, index)
        release_completeness = self._percentage(table, "release-completeness", 100, index)
        hyphenate = table.get("hyphenate", True)
        if not isinstance(hyphenate, bool):
            self._error(f"hyphenate must be true or false; found {hyphenate!r}", "languages", index, "hyphenate")
        if name is not None and not isinstance(name, str):
            self._error(f"name must be a string; found {name!r}", "languages", index, "name")
            name = None
        if not isinstance(csl_locale, str):
            self._error(f"csl-locale must be a string such as 'es-MX'; found {csl_locale!r}", "languages", index,
                        "csl-locale")
        csl = self._file(table, "csl", "languages", index)
        note_calls = table.get("note-calls", "after")
        if note_calls not in ("before", "after"):
            self._error(f"note-calls must be 'before' or 'after' (the punctuation mark a note's call precedes or "
                        f"follows); found {note_calls!r}", "languages", index, "note-calls")
            note_calls = "after"
        credits = {key: table.get(key, "") for key in ("translation-credit", "review-credit")}
        for key, value in credits.items():
            if not isinstance(value, str):
                self._error(f"{key} must be a string", "languages", index, key)
        self._unknown(table, {"code", "tag", "name", "csl-locale", "min-completeness", "release-completeness", "csl",
                              "hyphenate", "translation-credit", "review-credit", "note-calls"}, "languages", index)
        if code is None or tag is None or not known:
            return None
        return Language(code=code, tag=tag, csl_locale=csl_locale, name_override=name, csl=csl,
                        min_completeness=completeness, release_completeness=release_completeness,
                        hyphenate=bool(hyphenate),
                        translation_credit=str(credits["translation-credit"]),
                        review_credit=str(credits["review-credit"]), note_calls=note_calls)

    def _override(self, index: int, table, documents, languages) -> Override | None:
        if not isinstance(table, dict):
            self._error("qa-overrides must be written as [[qa-overrides]] tables", "qa-overrides", index, None)
            return None
        reason = table.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            self._error("a QA override needs a reason: say why the errors it waives may be published",
                        "qa-overrides", index, None)
        check = table.get("check")          # (a check's name is checked against the registry by the gates)
        if check is not None and not isinstance(check, str):
            self._error("check must be a check's name, such as 'numbers'", "qa-overrides", index, "check")
        language = table.get("language")
        if language is not None and language not in {l.code for l in languages if l}:
            self._error(f"language {language!r} is not one of the [[languages]]", "qa-overrides", index, "language")
        document = table.get("document")
        if document is not None and document not in {d.id for d in documents if d} | {"templates"}:
            self._error(f"document {document!r} is not one of the [[documents]] (or templates)", "qa-overrides",
                        index, "document")
        self._unknown(table, {"reason", "check", "language", "document", "entry"}, "qa-overrides", index)
        return Override(str(reason), self._line("qa-overrides", index, None), check, language, document,
                        table.get("entry"))

    def _percentage(self, table: dict, key: str, default: float, index: int) -> float:
        value = table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
            self._error(f"{key} must be a percentage from 0 to 100; found {value!r}", "languages", index, key)
            return float(default)
        return float(value)

    def _date(self, table: dict, section: str, index: int) -> date | None:
        value = table.get("date")
        if value is None or (isinstance(value, date) and not hasattr(value, "hour")):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self._error(f"date must be a date such as 2024-09-01; found {value!r}", section, index, "date")
        return None

    def _pdf(self, table: dict) -> PdfSettings:
        size = table.get("page-size", "A4")
        if size not in PAGE_SIZES:
            self._error(f"page-size must be one of {', '.join(PAGE_SIZES)}; found {size!r}", "pdf", 0, "page-size")
            size = "A4"
        bleed = table.get("bleed", False)
        if not isinstance(bleed, bool):
            self._error(f"bleed must be true or false; found {bleed!r}", "pdf", 0, "bleed")
            bleed = False
        return PdfSettings(page_size=size, bleed=bleed)

    # -- helpers ------------------------------------------------------------------------------

    def _table(self, data: dict, key: str, index: int | None, default_index: int) -> dict:
        value = data.get(key, {})
        if not isinstance(value, dict):
            self._error(f"[{key}] must be a table", key, default_index, None)
            return {}
        return value

    def _array(self, key: str) -> list[dict]:
        value = self.data.get(key)
        if not value:
            self._error(f"at least one [[{key}]] table is required", key, 0, None)
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self._error(f"{key} must be written as [[{key}]] tables", key, 0, None)
            return []
        return value

    def _string(self, table: dict, key: str, section: str, index: int, pattern: str | None = None) -> str | None:
        value = table.get(key)
        if not isinstance(value, str) or not value:
            self._error(f"{key} is required and must be a string", section, index, key if key in table else None)
            return None
        if pattern and not re.fullmatch(pattern, value):
            self._error(f"{key} {value!r} must match {pattern}", section, index, key)
            return None
        return value

    def _file(self, table: dict, key: str, section: str, index: int, required: bool = False) -> Path | None:
        value = table.get(key)
        if value is None:
            if required:
                self._error(f"{key} is required", section, index, None)
            return None
        path = (self.root / str(value)).resolve()
        if not path.is_relative_to(self.root.resolve()):
            self._error(f"{key} {value!r} points outside the project", section, index, key)
            return None
        if not path.is_file():
            self._error(f"{key} {value!r}: no such file", section, index, key)
            return None
        return path

    def _unknown(self, table: dict, known: set[str], section: str, index: int) -> None:
        for key in sorted(set(table) - known):
            self._error(f"unknown option {key!r} (known: {', '.join(sorted(known))})", section, index, key)

    def _error(self, message: str, section: str, index: int, key: str | None) -> None:
        self.errors.append(ConfigError(message, self.path, self._line(section, index, key)))

    def _line(self, section: str, index: int, key: str | None) -> int:
        """The line of ``key`` in the index-th ``[section]``/``[[section]]`` table (TOML keeps no positions)."""
        header = re.compile(r"\s*\[\[?\s*" + re.escape(section) + r"\s*\]\]?\s*(#.*)?$")
        seen, start = -1, None
        for number, line in enumerate(self.lines, 1):
            if header.match(line):
                seen += 1
                if seen == index:
                    start = number
                    break
        if start is None:
            return 1
        if key is None:
            return start
        for number in range(start, len(self.lines)):
            line = self.lines[number]
            if line.lstrip().startswith("["):
                break
            if re.match(r"\s*" + re.escape(key) + r"\s*=", line):
                return number + 1
        return start
