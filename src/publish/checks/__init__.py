"""Translation QA: small registered checks over catalog entries, findings with file, line and context.

A check is a function registered with an id and a severity. Entry checks take (entry, context) and
yield messages; file checks take the context alone and yield (line, msgctxt, message) triples.

Where a finding is an error depends on the entry's state (the README's decision table): a translated
entry is published, so its findings keep their severity; a fuzzy entry's msgstr is not published (the
English is), so what a check finds in it is a warning for the translator; an untranslated entry has no
msgstr to check. A release makes the state checks (untranslated, fuzzy, identical) errors.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import polib

from .. import catalog as catalogs
from ..bibliography import given_contexts, overlay_path
from ..cache import Cache, code, digest, file_digest
from ..errors import CatalogError, UsageError
from ..project import Language, Project

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Finding:
    check: str
    severity: str
    file: str
    line: int
    msgctxt: str | None
    message: str
    security: bool = False

    def __str__(self) -> str:
        ctx = f" [{self.msgctxt}]" if self.msgctxt else ""
        return f"{self.file}:{self.line}: {self.severity} {self.check}{ctx}: {self.message}"


@dataclass
class Check:
    id: str
    severity: str
    function: Callable
    scope: str              # "entry" or "file"
    description: str
    security: bool = False  # the trust boundary: no override skips it, and apply enforces it again


REGISTRY: dict[str, Check] = {}


def check(id: str, severity: str, scope: str = "entry", security: bool = False):
    """Register a check; its docstring's first line describes it."""
    def register(function):
        REGISTRY[id] = Check(id, severity, function, scope, (function.__doc__ or "").strip().splitlines()[0],
                             security)
        return function
    return register


@dataclass
class Context:
    """What a check may look at: the project, the language, the catalog and shared resources."""

    project: Project | None
    language: Language
    path: Path
    po: polib.POFile
    glossary: "object | None" = None
    release: bool = False
    template: Path | None = None        # the .pot the catalog translates
    cache: dict = field(default_factory=dict)


def live_entries(po: polib.POFile) -> list[polib.POEntry]:
    return [e for e in po if not e.obsolete and e.msgid]


STATE_CHECKS = ("untranslated", "fuzzy", "identical")    # warnings that a release does not accept


def _register() -> None:
    from . import catalog_health, content, glossary_check, locators, security, spelling, typography  # noqa: F401


def severity_of(chk: Check, entry: polib.POEntry | None, release: bool) -> str:
    """The decision table: a check's severity for an entry in its state."""
    if chk.id in STATE_CHECKS:
        return ERROR if release else WARNING
    if entry is not None and "fuzzy" in entry.flags:
        return WARNING          # its msgstr is not published: a note for the translator, not a gate
    return chk.severity


def kept_in_source_language(entry: polib.POEntry) -> bool:
    """A reference's field copied unchanged: the work has no edition in the language, and its note cites
    it as it is (marked as English); there is nothing to check but the trust boundary."""
    return (entry.msgctxt or "").startswith("ref/") and entry.msgstr == entry.msgid


def _given_by_overlay(context: Context) -> set[str]:
    """The reference entries whose field the language's overlay gives (a Chinese original's title): the
    edition shows the overlay's, so the catalog's text is neither used nor checked."""
    if context.project is None or context.template is None:
        return set()
    document = next((d for d in context.project.documents if d.id == context.template.stem), None)
    return given_contexts(document, context.language) if document is not None else set()


def run(context: Context, only: Iterable[str] | None = None) -> list[Finding]:
    _register()
    findings: list[Finding] = []
    file = str(context.path)
    given = _given_by_overlay(context)
    for chk in REGISTRY.values():
        if only and chk.id not in only:
            continue
        if chk.scope == "file":
            for line, ctx, message in chk.function(context):
                findings.append(Finding(chk.id, severity_of(chk, None, context.release), file, line, ctx, message,
                                        chk.security))
            continue
        for entry in live_entries(context.po):
            if not entry.msgstr and chk.id != "untranslated":
                continue
            if (kept_in_source_language(entry) or entry.msgctxt in given) and not chk.security:
                continue
            for message in chk.function(entry, context):
                findings.append(Finding(chk.id, severity_of(chk, entry, context.release), file,
                                        getattr(entry, "msgstr_line", entry.linenum), entry.msgctxt, message,
                                        chk.security))
    return sorted(findings, key=lambda f: (f.file, f.line, f.check))


def entry_errors(project: Project, language: Language, path: Path, entry: polib.POEntry, text: str,
                 strict: bool) -> list[str]:
    """The errors an entry would have with ``text`` as its translation: as a translated (published)
    entry when ``strict``, else as a fuzzy one. For taking a translation in from outside."""
    from ..glossary import GLOSSARY, load
    _register()
    candidate = polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid, msgstr=text,
                              flags=[f for f in entry.flags if f != "fuzzy"] + ([] if strict else ["fuzzy"]))
    candidate.linenum = candidate.msgstr_line = getattr(entry, "msgstr_line", entry.linenum)
    po = polib.POFile()
    po.append(candidate)
    glossary_path = project.translations_dir / GLOSSARY
    context = Context(project, language, path, po, load(glossary_path) if glossary_path.exists() else None)
    entry_checks = [c for c in REGISTRY.values() if c.scope == "entry"]
    return [f"{f.message} ({f.check})" for f in run(context, [c.id for c in entry_checks]) if f.severity == ERROR]


def template_of(project: Project | None, path: Path) -> Path:
    """The template a catalog translates: translations/<lang>/<doc>.po -> translations/<doc>.pot."""
    if project is not None:
        return project.translations_dir / f"{path.stem}.pot"
    return path.parent.parent / f"{path.stem}.pot"


def as_json(findings: list[Finding]) -> str:
    return json.dumps([asdict(f) for f in findings], ensure_ascii=False, indent=1)


def as_text(findings: list[Finding]) -> str:
    """One line per finding, ``path:line: severity check [msgctxt]: message``, then the counts."""
    errors = sum(f.severity == ERROR for f in findings)
    warnings = len(findings) - errors
    return "\n".join([*map(str, findings), f"{_count(errors, 'error')}, {_count(warnings, 'warning')}"])


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


# -- checking a project's catalogs ------------------------------------------------------------------

@dataclass(frozen=True)
class Target:
    """A catalog to check, in a language, against its template."""
    language: Language
    path: Path
    template: Path


def targets(project: Project, languages: list[str] | None = None) -> list[Target]:
    """Every catalog of the given languages (default: every target language)."""
    found = []
    for language in [project.language(c) for c in languages] if languages else project.targets:
        for path in sorted((project.translations_dir / language.code).glob("*.po")):
            found.append(Target(language, path, template_of(project, path)))
    return found


def lone_target(project: Project, path: Path, code: str | None, document: str | None) -> Target:
    """A catalog given by path, from anywhere: its language from ``code``, else its Language header,
    else its folder's name; its template from ``document``, else the one whose entries it translates."""
    if not path.is_file():
        raise UsageError(f"--po {path}: no such file")
    try:
        po = catalogs.read(path)
        header = po.metadata.get("Language", "").replace("_", "-")
    except CatalogError:
        po, header = None, ""
    by_header = next((l for l in project.targets if header and same_language(header, l)), None)
    if code is not None:
        language = project.language(code)
        if header and not same_language(header, language):
            raise UsageError(f"--lang {code} contradicts the catalog's Language header {header!r} ({path}); "
                             "give the language the file is in")
    elif by_header is not None:
        language = by_header
        folder = path.resolve().parent.name
        if folder != language.code and folder in {l.code for l in project.targets}:
            raise UsageError(f"the catalog's Language header {header!r} contradicts its folder {folder}/ ({path}); "
                             "give --lang with the language the file is in")
    else:
        language = next((l for l in project.targets if l.code == path.resolve().parent.name), None)
        if language is None:
            raise UsageError(f"cannot tell the language of {path}: give --lang (one of "
                             f"{', '.join(l.code for l in project.targets)})")
    if document is not None:
        given = project.translations_dir / ("templates.pot" if document == "templates"
                                            else f"{project.document(document).id}.pot")
        matching = _matching_template(project, path, po)
        if po is not None and matching != given and _shared_units(given, po) == 0 and _shared_units(matching, po):
            raise UsageError(f"--doc {document}: {path} translates none of its units but those of "
                             f"{matching.stem}; give --doc {matching.stem}, or leave --doc out")
        return Target(language, path, given)
    return Target(language, path, _matching_template(project, path, po))


def same_language(header: str, language: Language) -> bool:
    """Whether a file's declared language (a tag, a code or a gettext name) is ``language``."""
    return header.lower() in (language.tag.lower(), language.code.lower(), catalogs.gettext_language(language.tag)
                              .replace("_", "-").lower())


def _matching_template(project: Project, path: Path, po: polib.POFile | None) -> Path:
    """The template whose units the catalog's entries translate most of; by name when none does."""
    if po is not None:
        shared = {pot: _shared_units(pot, po) for pot in sorted(project.translations_dir.glob("*.pot"))}
        best = max(shared, key=shared.get, default=None)
        if best is not None and shared[best]:
            return best
    return template_of(project, path)


def _shared_units(template: Path, po: polib.POFile) -> int:
    """How many of the template's units the catalog has entries for."""
    try:
        units = {(e.msgctxt, e.msgid) for e in catalogs.read(template) if e.msgid}
    except CatalogError:
        return 0
    return len(units & {(e.msgctxt, e.msgid) for e in po if e.msgid and not e.obsolete})


def check_project(project: Project, languages: list[str] | None = None, files: list[Path] | None = None,
                  release: bool = False, cache: Cache | None = None, lang: str | None = None,
                  document: str | None = None) -> list[Finding]:
    """Check the catalogs of the given languages, or the given files (see ``lone_target``)."""
    if files:
        chosen = [lone_target(project, path, lang, document) for path in files]
    else:
        chosen = targets(project, languages)
    return check_targets(project, chosen, release, cache)


def check_targets(project: Project, chosen: list[Target], release: bool = False, cache: Cache | None = None
                  ) -> list[Finding]:
    """Every check over these catalogs; findings kept in the cache under every input that shapes them
    (the catalog, its template, the glossary, the word lists, the dictionaries, the checks' code)."""
    from ..glossary import GLOSSARY, load
    from .spelling import dictionary_stamp, start_hunspell
    glossary_path = project.translations_dir / GLOSSARY
    findings: list[Finding] = []
    todo: list[tuple[Context, str | None]] = []
    glossary = None
    for target in chosen:
        key = _key(project, target, release, dictionary_stamp(target.language)) if cache else None
        kept = kept_findings(project, cache, target, release, key)
        if kept is not None:
            findings += kept
            continue
        try:
            po = catalogs.read(target.path)
        except CatalogError as exc:
            findings.append(Finding("catalog-health", ERROR, str(target.path), exc.line or 1, exc.context,
                                    exc.message))
            continue
        if glossary is None and glossary_path.exists():
            glossary = load(glossary_path)
        todo.append((Context(project, target.language, target.path, po, glossary, release, target.template), key))
    start_hunspell([context for context, _ in todo])      # it answers while the other checks run
    for context, key in todo:
        found = run(context)
        if cache:
            cache.put("findings", key, [{k: v for k, v in asdict(f).items() if k != "file"} for f in found])
        findings += found
    return sorted(findings, key=lambda f: (f.file, f.line, f.check))


def kept_findings(project: Project, cache: Cache | None, target: Target, release: bool, key: str | None = None
                  ) -> list[Finding] | None:
    """The findings the cache holds for this catalog as it is, if it holds them."""
    if cache is None:
        return None
    from .spelling import dictionary_stamp
    kept = cache.get("findings", key or _key(project, target, release, dictionary_stamp(target.language)))
    try:
        return [Finding(**{**f, "file": str(target.path)}) for f in kept] if kept is not None else None
    except TypeError:
        return None            # an entry of another shape: checked again


def _key(project: Project, target: Target, release: bool, dictionary: str) -> str:
    from ..glossary import GLOSSARY
    from .spelling import WORDLIST
    import shutil
    from ..tools import file_stamp
    return digest(code("checks"), dictionary, file_stamp(shutil.which("msgfmt")), target.language.tag, str(release), project.source.tag,
                  file_digest(target.path), file_digest(target.template),
                  file_digest(project.translations_dir / GLOSSARY), file_digest(project.translations_dir / WORDLIST),
                  file_digest(project.translations_dir / target.language.code / WORDLIST),
                  *(file_digest(overlay_path(d, target.language)) for d in project.documents
                    if target.template is not None and d.id == target.template.stem))
