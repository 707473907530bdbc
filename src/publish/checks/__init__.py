"""Translation QA: small registered checks over catalog entries, findings with file, line and context.

A check is a function registered with an id and a severity. Entry checks take (entry, context) and
yield messages; file checks take the context alone and yield (line, msgctxt, message) triples.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

import polib

from ..errors import CatalogError
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

    def __str__(self) -> str:
        ctx = f"[{self.msgctxt}] " if self.msgctxt else ""
        return f"{self.file}:{self.line}: {self.severity}: {ctx}{self.message} ({self.check})"


@dataclass
class Check:
    id: str
    severity: str
    function: Callable
    scope: str              # "entry" or "file"
    description: str


REGISTRY: dict[str, Check] = {}


def check(id: str, severity: str, scope: str = "entry"):
    """Register a check; its docstring's first line describes it."""
    def register(function):
        REGISTRY[id] = Check(id, severity, function, scope, (function.__doc__ or "").strip().splitlines()[0])
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
    cache: dict = field(default_factory=dict)


def live_entries(po: polib.POFile) -> list[polib.POEntry]:
    return [e for e in po if not e.obsolete and e.msgid]


RELEASE_ERRORS = ("untranslated", "fuzzy", "identical")    # warnings that a release does not accept
WAITING = {"spelling"}          # checks that wait for another program's answer


def _register() -> None:
    from . import catalog_health, content, glossary_check, spelling, typography  # noqa: F401


def severity_of(chk: Check, release: bool) -> str:
    return ERROR if release and chk.id in RELEASE_ERRORS else chk.severity


def error_checks(release: bool = False) -> list[str]:
    """The checks that can stop an edition from being published (the build runs only these)."""
    _register()
    return [c.id for c in REGISTRY.values() if severity_of(c, release) == ERROR]


def run(context: Context, only: Iterable[str] | None = None) -> list[Finding]:
    _register()
    findings: list[Finding] = []
    file = str(context.path)
    for chk in REGISTRY.values():
        if only and chk.id not in only:
            continue
        severity = severity_of(chk, context.release)
        if chk.scope == "file":
            for line, ctx, message in chk.function(context):
                findings.append(Finding(chk.id, severity, file, line, ctx, message))
            continue
        for entry in live_entries(context.po):
            if not entry.msgstr and chk.id not in ("untranslated",):
                continue
            for message in chk.function(entry, context):
                findings.append(Finding(chk.id, severity, file, entry.linenum, entry.msgctxt, message))
    return sorted(findings, key=lambda f: (f.file, f.line, f.check))


def template_of(path: Path) -> Path:
    """The template a catalog translates: translations/<lang>/<doc>.po -> translations/<doc>.pot."""
    return path.parent.parent / f"{path.stem}.pot"


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """The checks' own code (and the package's), which shapes every finding: hashed once per process."""
    from .. import __version__
    from ..fsutil import digest, tree_digest
    return digest(__version__, tree_digest(Path(__file__).parent.parent, "*.py"))


def _cache_file(project: Project, language: Language, path: Path, release: bool,
                only: list[str] | None) -> Path | None:
    from ..fsutil import digest
    inputs = [path, template_of(path), project.translations_dir / "glossary.yaml",
              project.translations_dir / "wordlist.txt", path.parent / "wordlist.txt"]
    try:
        parts = [p.read_bytes() if p.exists() else b"-" for p in inputs]
    except OSError:
        return None
    key = digest(_code_digest(), language.tag, str(release), ",".join(only or ["all"]), *parts)
    return project.build_dir / ".cache" / "checks" / f"{key}.json"


def _read(project: Project | None, language: Language, path: Path, glossary, release: bool
          ) -> Context | list[Finding]:
    """The catalog ready to check, or the finding that it cannot be read."""
    from .. import catalog
    try:
        po = catalog.read(path)
    except CatalogError as exc:
        return [Finding("catalog-health", ERROR, str(path), exc.line or 1, exc.context, exc.message)]
    return Context(project, language, path, po, glossary, release)


def as_json(findings: list[Finding]) -> str:
    return json.dumps([asdict(f) for f in findings], ensure_ascii=False, indent=1)


def as_text(findings: list[Finding]) -> str:
    out: list[str] = []
    current = None
    for finding in findings:
        if finding.file != current:
            current = finding.file
            out.append(f"{current}")
        ctx = f" [{finding.msgctxt}]" if finding.msgctxt else ""
        out.append(f"  {finding.line}: {finding.severity} {finding.check}{ctx}: {finding.message}")
    errors = sum(f.severity == ERROR for f in findings)
    out.append(f"{errors} errors, {len(findings) - errors} warnings")
    return "\n".join(out)


def check_project(project: Project, languages: list[str] | None = None, files: list[Path] | None = None,
                  release: bool = False, only: list[str] | None = None) -> list[Finding]:
    """Check the catalogs of the given languages (default: every target language), or the given files,
    with every check or ``only`` those named."""
    from ..fsutil import PARSED
    from ..glossary import GLOSSARY
    PARSED.keep_under(project.build_dir)       # the catalogs and the glossary, as a build read them
    glossary_path = project.translations_dir / GLOSSARY
    glossary = _LazyGlossary(glossary_path) if glossary_path.exists() else None
    targets: list[tuple[Language, Path]] = []
    if files:
        for path in files:
            code = path.resolve().parent.name
            language = next((l for l in project.targets if l.code == code), None)
            if language is None:
                from ..errors import ConfigError
                raise ConfigError(f"cannot tell the language of {path}: it must sit in translations/<lang>/")
            targets.append((language, path))
    else:
        for language in [project.language(c) for c in languages] if languages else project.targets:
            for path in sorted((project.translations_dir / language.code).glob("*.po")):
                targets.append((language, path))
    return sorted(_check_targets(project, targets, glossary, release, only), key=lambda f: (f.file, f.line, f.check))


def _check_targets(project: Project, targets: list[tuple[Language, Path]], glossary, release: bool,
                   only: list[str] | None, split: bool = True) -> list[Finding]:
    # Findings are cached under build/.cache/checks, keyed on every input that shapes them (the
    # catalog, its template, the glossary, the word lists, the checks' own code): nothing is checked twice.
    findings: list[Finding] = []
    todo: list[tuple[Language, Path, Path | None]] = []
    spelling = not only or "spelling" in only
    for language, path in targets:
        cache = _cache_file(project, language, path, release, only)
        if cache is not None and cache.exists():
            findings += [Finding(**f) for f in json.loads(cache.read_text(encoding="utf-8"))]
        else:
            todo.append((language, path, cache))
    if spelling and todo:
        from .spelling import hunspell_for
        hunspell_for({language for language, _, _ in todo})      # before anything else, and after the split
    elsewhere, todo = _in_a_second_process(project, todo, glossary, release, only) if split else (None, todo)
    if spelling and todo:
        hunspell_for({language for language, _, _ in todo})
    contexts = []
    for language, path, cache in todo:
        context = _read(project, language, path, glossary, release)
        if isinstance(context, list):
            findings += context
        else:
            contexts.append((context, cache))
    if spelling and contexts:
        from .spelling import start_hunspell
        start_hunspell([context for context, _ in contexts])    # it answers while the other checks run
    # The checks that wait for another program's answer (Hunspell) run after every catalog's others.
    if contexts:
        _register()
    selected = [c for c in REGISTRY if not only or c in only]
    now, later = [c for c in selected if c not in WAITING], [c for c in selected if c in WAITING]
    first = [run(context, now) if now else [] for context, _ in contexts]
    for (context, cache), found in zip(contexts, first):
        if later:
            found = sorted(found + run(context, later), key=lambda f: (f.file, f.line, f.check))
        if cache is not None:
            from ..fsutil import write_atomic
            write_atomic(cache, as_json(found))
        findings += found
    return findings + (elsewhere.result() if elsewhere is not None else [])


def _in_a_second_process(project: Project, todo: list, glossary, release: bool, only: list[str] | None):
    """Hand the catalogs of about half the languages to a forked copy of this process (checks are
    pure Python: one process does not run them faster with threads): its findings to come, and the
    catalogs left for this one.

    Only from a process without other threads, where forking is safe: the command line, not a build;
    and only with a core for the second process besides this one and the Hunspell processes reading
    their dictionaries (on two cores, a second process would take the CPU Hunspell needs, and the
    check would end later).
    """
    import os
    import threading
    from .spelling import reading
    languages = sorted({language.code for language, _, _ in todo})
    if len(languages) < 2 or (os.cpu_count() or 1) < 2 + reading() or threading.active_count() > 1:
        return None, todo
    size = {code: sum(path.stat().st_size for language, path, _ in todo if language.code == code)
            for code in languages}
    half = sum(size.values()) / 2
    # The language whose dictionary Hunspell takes longest to read stays here: the other process's share
    # is then the shorter, and its findings are ready when this one's are.
    from .spelling import dictionary_weight
    by_code = {language.code: language for language, _, _ in todo}
    heaviest = max(languages, key=lambda c: dictionary_weight(by_code[c]))
    given, share = set(), 0
    for code in sorted(languages, key=lambda c: -size[c]):
        if code != heaviest and share + size[code] <= half:
            given.add(code)
            share += size[code]
    if not given or len(given) == len(languages):
        return None, todo
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    _register()
    _english_side(project, todo, glossary)
    gc.freeze()      # the collector must not write to every object the two processes share (copy on write)
    from .spelling import handed_over
    executor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    targets = [(language, path) for language, path, _ in todo if language.code in given]
    with handed_over({by_code[code] for code in given}):      # the fork happens within submit
        future = executor.submit(_check_targets, project, targets, glossary, release, only, False)
    gc.unfreeze()
    executor.shutdown(wait=False)
    return future, [item for item in todo if item[0].code not in given]


def _english_side(project: Project, todo: list, glossary) -> None:
    """What the checks of every language work out from the English, worked out once before the split
    instead of in both processes: the templates read, and the numbers and glossary terms in their
    texts (cached where the numbers and glossary checks look them up)."""
    from .. import catalog
    from .content import _without_citations
    from .numbers import numbers
    if glossary is not None:
        glossary.terms  # noqa: B018  (loads it)
    for path in sorted({template_of(path) for _, path, _ in todo}):
        try:
            template = catalog.read(path)
        except CatalogError:
            continue                   # (the stale check reports it)
        for entry in template:
            if entry.msgid:
                numbers(entry.msgid, project.source.tag)
                if glossary is not None:
                    glossary.occurring(_without_citations(entry.msgid))


class _LazyGlossary:
    """The glossary, loaded on first use: a cached check needs none. (A broken one still fails loudly.)"""

    def __init__(self, path: Path):
        from ..glossary import load
        self.path = path
        self._glossary = None
        self._load = load

    def __getattr__(self, name):
        if name.startswith("_"):       # (what pickle looks for before the object is set up)
            raise AttributeError(name)
        if self._glossary is None:
            self._glossary = self._load(self.path)
        return getattr(self._glossary, name)
