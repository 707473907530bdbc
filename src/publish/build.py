"""The build: sources -> catalogs -> editions -> gates -> artifacts.

1. load each document's source (its AST from the cache when its bytes are known) and check it;
2. update the catalogs whose template or content changed;
3. plan each edition: its key (everything that shapes it), its date, what the cache knows of it;
4. in one pool of worker processes, prepare the editions and check the catalogs the cache does not
   know, decide each edition's gates as soon as its facts and findings are in, and render the artifacts
   whose key changed, collected as they complete;
5. place them: a published edition in ``build/<lang>/``, a draft in ``build/drafts/<doc>/<lang>/``, and
   nothing stale left in the published tree, whose ``index.html`` lists what is published.

Every artifact is written through a temporary file and a rename, so an interrupted build leaves the
previous artifact or none.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import subprocess
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from . import bibliography, gates, pandoc, tools
from . import source as sources
from .cache import Cache, code, digest, file_digest
from .checks import Finding, Target, check_targets
from .errors import PublishError, RenderError, UsageError
from .fsutil import locked, write_atomic
from .inspection import UnsafeArtifact
from .project import KNOWN_FORMATS, Document, Language, Project

log = logging.getLogger(__name__)

# The templates each format reads; a change elsewhere in templates/ leaves its artifacts alone.
TEMPLATES = {
    "shared": ["base.html.j2", "toc.html.j2", "colophon.html.j2", "css/base.css", "csl/*"],
    "html": ["html/*", "css/screen.css", "css/print-site.css", "js/*"],
    "pdf": ["pdf/*", "css/print.css"],
    "epub": ["epub/*", "css/epub.css"],
    "edition": ["figures/*"],                # read when an edition is prepared (its charts)
    "index": ["index.html.j2"],
}
FORMAT_ORDER = ("pdf", "epub", "html")
# Which task a free worker takes first: the longest (a PDF), then what decides an edition (preparing and
# checking it, edition by edition), then the short renders, which fill in at the end.
PRIORITY = {"pdf": 0, "prepare": 1, "check": 1, "epub": 2, "html": 3}
PDF_LIBRARIES = ("weasyprint", "pydyf", "tinycss2", "cssselect2", "fonttools", "Pillow")


@dataclass
class BuildOptions:
    languages: list[str] | None = None
    formats: list[str] | None = None
    release: bool = False
    jobs: int | None = None
    merge: bool = True


@dataclass
class Plan:
    """One edition (document, language) in this build."""
    document: Document
    language: Language
    source: sources.Source
    key: str                                   # digest of everything that shapes the prepared edition
    date: date                                 # the edition date it prints
    facts: dict | None = None                  # what its preparation found (cache, or this build)
    findings: list[Finding] | None = None      # QA of the catalogs it uses (none for the source language)
    verdict: gates.Verdict | None = None
    failed: bool = False                       # it could not be prepared (reported)

    @property
    def pair(self) -> tuple[str, str]:
        return self.document.id, self.language.code


@dataclass
class BuildResult:
    built: list[tuple[Path, float]] = field(default_factory=list)
    up_to_date: list[Path] = field(default_factory=list)
    errors: list[PublishError] = field(default_factory=list)
    verdicts: dict[tuple[str, str], gates.Verdict] = field(default_factory=dict)
    merged: list[Path] = field(default_factory=list)
    waived: dict = field(default_factory=dict)         # QA override -> the errors it waived

    @property
    def ok(self) -> bool:
        return not self.errors and not any(v.failed for v in self.verdicts.values())

    def fail(self, error: PublishError) -> None:
        if str(error) not in map(str, self.errors):     # the same broken file is met by several stages
            self.errors.append(error)


def build(project: Project, options: BuildOptions | None = None) -> BuildResult:
    options = options or BuildOptions()
    jobs = _jobs(options)
    for program in ("msgfmt", "msgcat"):     # catalogs are read and written through them: no build without
        tools.require(program)
    gates.check_overrides(project)
    result = BuildResult()
    cache = Cache(project.build_dir / ".cache")
    with locked(project.root):
        _remove_stale_temporaries(project)
        try:
            loaded = load_sources(project, cache, result)
            if options.merge:
                _merge_catalogs(project, loaded, cache, result)
            plans = [_plan(project, cache, doc, lang, loaded[doc.id], options)
                     for doc in project.documents if doc.id in loaded for lang in _languages(project, options)]
            _Run(project, cache, options, plans, result, jobs).run()
            _place(project, options, plans, result)
        finally:
            _remove_stale_temporaries(project)      # what an interrupted worker left half-written
    return result


def _jobs(options: BuildOptions) -> int:
    if options.jobs is not None and options.jobs < 1:
        raise UsageError(f"--jobs {options.jobs}: give at least 1 (default: the number of cores)")
    return options.jobs or os.cpu_count() or 1


def _languages(project: Project, options: BuildOptions) -> list[Language]:
    return [project.language(code) for code in options.languages] if options.languages else project.languages


# -- 1. sources ---------------------------------------------------------------------------------------

def load_sources(project: Project, cache: Cache | None = None, result: BuildResult | None = None
                 ) -> dict[str, sources.Source]:
    """Each document's parsed and checked source; one that cannot be read is reported and its editions
    skipped (without ``result``, the error is raised)."""
    loaded = {}
    for doc in project.documents:
        try:
            source = sources.load(doc.source, cache)
            sources.check(source, doc.bibliography, project.root)
            loaded[doc.id] = source
        except PublishError as exc:
            if result is None:
                raise
            result.fail(exc)
    return loaded


# -- 2. catalogs ------------------------------------------------------------------------------------

def _merge_catalogs(project: Project, loaded, cache: Cache, result: BuildResult) -> None:
    from .update import update_catalogs
    update = update_catalogs(project, loaded, cache, epoch=_environment_epoch())
    for error in update.errors:
        result.fail(error)
    for path, report in update.reports.items():
        log.info("merged %s: %s", path.relative_to(project.root), describe(report))
    result.merged = update.written


def describe(report) -> str:
    parts = [f"{report.kept} kept", f"{report.moved} moved", f"{report.fuzzy} fuzzy", f"{report.obsoleted} obsolete",
             f"{report.new} new"]
    if report.restored:
        parts.insert(3, f"{report.restored} restored")
    return ", ".join(parts)


# -- 3. plans ---------------------------------------------------------------------------------------

def _plan(project: Project, cache: Cache, doc: Document, lang: Language, source: sources.Source,
          options: BuildOptions) -> Plan:
    is_source = lang.code == project.source_language
    catalog = None if is_source else project.catalog_path(doc, lang)
    ui = project.translations_dir / lang.code / "templates.po"
    overlay = bibliography.overlay_path(doc, lang)
    csl = lang.csl or doc.csl
    data = source.data_files
    key = digest(code("edition"), pandoc.version(), tools.distributions("Jinja2", "Babel", "polib", "PyYAML"),
                 source.digest, doc.id, repr(lang), project.source.tag,
                 file_digest(doc.bibliography), file_digest(overlay), file_digest(csl), file_digest(catalog),
                 file_digest(ui), _templates_key(project, "edition"), *(f"{p}:{file_digest(p)}" for p in data))
    inputs = [doc.source, *data, doc.bibliography, overlay, csl, catalog]
    plan = Plan(doc, lang, source, key, _edition_date(project, doc, source, [p for p in inputs if p]))
    plan.facts = cache.get("facts", key)
    if not is_source:
        # (a release asks for completeness through release-completeness; QA is the same as for any build)
        plan.findings = _kept_findings(project, cache, _targets(project, doc, lang), False)
    return plan


def _targets(project: Project, doc: Document, lang: Language) -> list[Target]:
    """The catalogs an edition uses: its document's and the templates'."""
    from .checks import template_of
    paths = [project.catalog_path(doc, lang), project.translations_dir / lang.code / "templates.po"]
    return [Target(lang, path, template_of(project, path)) for path in paths if path.exists()]


def _kept_findings(project: Project, cache: Cache, chosen: list[Target], release: bool) -> list[Finding] | None:
    from .checks import kept_findings
    found = []
    for target in chosen:
        kept = kept_findings(project, cache, target, release)
        if kept is None:
            return None
        found += kept
    return found


def _edition_date(project: Project, doc: Document, source: sources.Source, inputs: list[Path]) -> date:
    """The date an edition prints: the front matter's or the project file's; else the date of the last
    commit that touched its inputs; else the newest of their modification times."""
    given = source.date() or doc.date
    if given is not None:
        return given
    try:
        stamp = subprocess.run(["git", "log", "-1", "--format=%ct", "--", *map(str, inputs)], cwd=project.root,
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        stamp = ""
    if stamp.isdigit():
        return datetime.fromtimestamp(int(stamp), tz=timezone.utc).date()
    newest = max((p.stat().st_mtime for p in inputs if p.exists()), default=time.time())
    return datetime.fromtimestamp(newest, tz=timezone.utc).date()


def _environment_epoch() -> int | None:
    """SOURCE_DATE_EPOCH, when the environment sets it: the files' own timestamps."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    return int(value) if value.isdigit() else None


def file_epoch(printed: date) -> int:
    """The timestamp inside the files (PDF CreationDate, EPUB modified): SOURCE_DATE_EPOCH, else the
    printed date."""
    given = _environment_epoch()
    if given is not None:
        return given
    return int(datetime(printed.year, printed.month, printed.day, tzinfo=timezone.utc).timestamp())


def _templates_key(project: Project, part: str) -> str:
    root = project.templates_dir
    files = sorted({p for pattern in TEMPLATES[part] for p in root.glob(pattern) if p.is_file()})
    if part == "shared":      # anything not claimed by a format counts for all of them
        claimed = {p for patterns in TEMPLATES.values() for pattern in patterns for p in root.glob(pattern)}
        files = sorted(set(files) | {p for p in root.rglob("*") if p.is_file() and p not in claimed})
    return digest(*(f"{p.relative_to(root)}:{file_digest(p)}" for p in files))


# -- 4. the pool ------------------------------------------------------------------------------------

def artifact_path(project: Project, doc_id: str, lang: str, fmt: str, draft: bool = False) -> Path:
    """Where an artifact goes: the published tree, or the drafts' folder."""
    if draft:
        return project.build_dir / "drafts" / doc_id / lang / f"{doc_id}.{fmt}"
    return project.build_dir / lang / f"{doc_id}.{fmt}"


class _Run:
    """The work of the pool, collected as it completes."""

    def __init__(self, project: Project, cache: Cache, options: BuildOptions, plans: list[Plan],
                 result: BuildResult, jobs: int):
        self.project, self.cache, self.options, self.plans, self.result = project, cache, options, plans, result
        self.jobs = jobs
        self.formats = [f for f in FORMAT_ORDER if f in (options.formats or project.formats)]
        self.pool: ProcessPoolExecutor | None = None
        self.running: dict[Future, tuple] = {}
        self.waiting: list[tuple] = []            # tasks not yet given to a worker, in the order they came
        self.rendered: set[tuple[str, str, str]] = set()
        self._keys: dict[str, str] = {}

    def run(self) -> None:
        try:
            for plan in self.plans:
                if plan.facts is None:
                    self._submit(("prepare", plan), _prepare, self.project, self.cache.folder, plan.document.id,
                                 plan.language.code, plan.source, plan.key)
                if plan.findings is None and plan.language.code != self.project.source_language:
                    self._submit(("check", plan), _check, self.project, self.cache.folder,
                                 _targets(self.project, plan.document, plan.language), False)
            self._decide_and_render()
            while self.running:
                done, _ = wait(list(self.running), return_when=FIRST_COMPLETED)
                for future in done:
                    self._collect(future, self.running.pop(future))
                self._decide_and_render()
                self._start()
        except BaseException:             # interrupted, or a bug: the workers stop now, whatever they do
            for child in multiprocessing.active_children():
                child.kill()
            raise
        finally:
            if self.pool is not None:
                self.pool.shutdown(wait=True, cancel_futures=True)

    def _submit(self, what: tuple, function, *args) -> None:
        """Queue a task; a free worker takes the longest one ready (``PRIORITY``), so the short ones
        fill in at the end."""
        self.waiting.append((what, function, args))
        self._start()

    def _start(self) -> None:
        if self.pool is None:
            self.pool = ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("fork"),
                                            initializer=_die_with_parent, initargs=(os.getpid(),))
        while self.waiting and len(self.running) < self.jobs:
            task = min(self.waiting, key=lambda task: PRIORITY[_kind(task[0])])     # the first of its kind
            self.waiting.remove(task)
            what, function, args = task
            self.running[self.pool.submit(function, *args)] = what

    def _collect(self, future: Future, what: tuple) -> None:
        kind, plan, *rest = what
        try:
            value = future.result()
        except Exception as exc:       # one edition's failure must not take the others down
            if isinstance(exc, UnsafeArtifact):      # the last line of defence: the whole edition is refused
                plan.verdict = gates.Verdict(gates.REFUSED, (str(exc),))
                self.result.verdicts[plan.pair] = plan.verdict
                return
            if isinstance(exc, OSError) and exc.filename:      # a read-only or full build folder
                exc = RenderError(f"cannot write it: {(exc.strerror or str(exc)).lower()}; check that build/ "
                                  "can be written and has room", exc.filename)
            elif not isinstance(exc, PublishError):
                log.debug("%s of %s/%s failed", kind, *plan.pair, exc_info=exc)
                where = rest[0] if rest else self.project.catalog_path(plan.document, plan.language)
                exc = RenderError(f"{kind} failed: {type(exc).__name__}: {exc}", where)
            self.result.fail(exc)
            if kind in ("prepare", "check"):     # not decided: not published either (nothing stale stays)
                plan.failed = True
                plan.verdict = gates.Verdict(gates.REFUSED, (f"it could not be {'prepared' if kind == 'prepare' else kind + 'ed'} (the error above)",))
                self.result.verdicts[plan.pair] = plan.verdict
                self.rendered.update((*plan.pair, fmt) for fmt in self.formats)
            return
        if kind == "prepare":
            plan.facts = value
            for problem in value["problems"]:
                log.warning("%s", problem)
        elif kind == "check":
            plan.findings = value
        else:
            out, key = rest
            self.cache.put("artifact", key, {"sha256": file_digest(out)})
            self.result.built.append((out, value))
            log.info("built %s (%.1f s)", out.relative_to(self.project.root), value)

    def _decide_and_render(self) -> None:
        for plan in self.plans:
            if plan.verdict is None and not plan.failed and plan.facts is not None \
                    and (plan.findings is not None or plan.language.code == self.project.source_language):
                plan.verdict = gates.decide(plan.language, plan.language.code == self.project.source_language,
                                            plan.facts, plan.findings or [], self.options.release,
                                            self.project.qa_overrides, self.result.waived, self.project.root)
                self.result.verdicts[plan.pair] = plan.verdict
                if plan.facts["provisional"] and plan.verdict.published:
                    log.warning("%s (%s): provisional data in %s: not yet verified against the published source",
                                *plan.pair, ", ".join(plan.facts["provisional"]))
        for plan in self.plans:
            if plan.verdict is None:
                continue
            for fmt in self.formats:
                if (*plan.pair, fmt) in self.rendered:
                    continue
                if fmt == "html" and any(p.verdict is None and not p.failed for p in self.plans
                                         if p.document.id == plan.document.id):
                    continue          # the page links the published editions: known once all are decided
                self.rendered.add((*plan.pair, fmt))
                self._render(plan, fmt)

    def _render(self, plan: Plan, fmt: str) -> None:
        draft = not plan.verdict.published
        out = artifact_path(self.project, plan.document.id, plan.language.code, fmt, draft)
        ctx = self._context(plan, fmt)
        if fmt == "pdf":
            try:
                from .render.fonts import require_fonts
                require_fonts(plan.language, self._installed_fonts)
            except PublishError as exc:       # no PDF without its fonts; the other formats still build
                self.result.fail(exc)
                return
        key = digest(plan.key, fmt, code(f"render.{fmt}"), self._tools(fmt, plan.language),
                     _templates_key(self.project, "shared"), _templates_key(self.project, fmt), _context_key(ctx, fmt))
        kept = self.cache.get("artifact", key)
        if kept is not None and out.exists() and kept.get("sha256") == file_digest(out):
            self.result.up_to_date.append(out)
            return
        self._submit(("render", plan, out, key), _render, self.project, self.cache.folder, plan.document.id,
                     plan.language.code, plan.source, plan.key, fmt, ctx, out)

    def _context(self, plan: Plan, fmt: str):
        from .render import RenderContext
        published = tuple((p.language.code, p.language.tag, p.language.name) for p in self.plans
                          if p.document.id == plan.document.id and p.verdict is not None and p.verdict.published)
        draft = () if plan.verdict.published else (plan.verdict.state, *plan.verdict.reasons)
        return RenderContext(self.project, plan.date, file_epoch(plan.date),
                             languages=published if fmt == "html" else (),
                             draft=draft, root="../" if not draft else "../../../")

    @property
    def _installed_fonts(self) -> dict[str, list[str]]:
        if "fonts" not in self.__dict__:
            self.__dict__["fonts"] = tools.installed_fonts()
        return self.__dict__["fonts"]

    def _tools(self, fmt: str, language: Language) -> str:
        """The versions of what renders ``fmt``: libraries, programs, and the fonts it sets text in."""
        if fmt not in self._keys:
            libraries = {"html": ("Jinja2", "Babel"), "epub": ("Jinja2", "Babel", "Pillow"),
                         "pdf": ("Jinja2", "Babel", *PDF_LIBRARIES)}[fmt]
            extra = pandoc.version() if fmt == "epub" else tools.layout_libraries() if fmt == "pdf" else ""
            self._keys[fmt] = digest(tools.distributions(*libraries), extra)
        if fmt == "html":
            return self._keys[fmt]
        from .render.fonts import faces
        return digest(self._keys[fmt], tools.font_files(faces(language), self._installed_fonts))


def _kind(what: tuple) -> str:
    """A task's kind: prepare, check, or the format it renders."""
    kind, _, *rest = what
    return rest[0].suffix[1:] if kind == "render" else kind


def _context_key(ctx, fmt: str) -> str:
    """What of a render context shapes an artifact: the edition's date and state, the other editions it
    links to, and the parts of publish.toml a renderer reads (not a QA override, another language's
    thresholds or another document, which shape nothing here)."""
    project = ctx.project
    return repr((ctx.date, ctx.epoch, ctx.languages, ctx.draft, ctx.root, project.source_language, project.formats,
                 project.pdf if fmt == "pdf" else None))


def _die_with_parent(parent: int) -> None:
    """In each worker: end when the build ends, however it ends (even by SIGKILL)."""
    import ctypes
    import signal
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)       # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:          # the build ended before the call above
        os._exit(1)


def _edition(project: Project, folder: Path | None, doc_id: str, lang: str, source, key: str):
    """The prepared edition: from the cache, or prepared now and kept there."""
    from . import edition as editions
    cache = Cache(folder)
    edition = editions.cached(project, cache, key)
    if edition is None:
        edition = editions.prepare(project, project.document(doc_id), project.language(lang), source,
                                   [s.text for s in sources.segments(source, cache)])
        cache.put("edition", key, edition.to_json())
        cache.put("facts", key, edition.facts())
    return edition


def _prepare(project: Project, folder: Path | None, doc_id: str, lang: str, source, key: str) -> dict:
    return _edition(project, folder, doc_id, lang, source, key).facts()


def _check(project: Project, folder: Path | None, chosen: list[Target], release: bool) -> list[Finding]:
    return check_targets(project, chosen, release, Cache(folder))


def _render(project: Project, folder: Path | None, doc_id: str, lang: str, source, key: str, fmt: str, ctx,
            out: Path) -> float:
    from .render import render
    edition = _edition(project, folder, doc_id, lang, source, key)
    start = time.perf_counter()
    render(fmt, ctx, edition, out)
    return time.perf_counter() - start


# -- 5. placing -------------------------------------------------------------------------------------

def _place(project: Project, options: BuildOptions, plans: list[Plan], result: BuildResult) -> None:
    """The published tree holds only published editions; a draft's artifacts leave it (and a published
    edition's drafts go); then the index is written."""
    for plan in plans:
        if plan.verdict is None:
            continue
        if plan.verdict.published:
            drafts = project.build_dir / "drafts" / plan.document.id / plan.language.code
            shutil.rmtree(drafts, ignore_errors=True)
            _remove_empty(drafts.parent, project.build_dir)
        else:
            for fmt in KNOWN_FORMATS:
                artifact_path(project, plan.document.id, plan.language.code, fmt).unlink(missing_ok=True)
    for lang in {plan.language.code for plan in plans}:
        if not all(p.verdict is not None for p in plans if p.language.code == lang):
            continue
        for folder, kind in (("figures", "svgs"), ("media", "images")):
            used = {name for plan in plans if plan.language.code == lang and plan.verdict.published
                    and plan.facts for name in plan.facts.get(kind, [])}
            place = project.build_dir / lang / folder
            for stale in (p for p in place.glob("*") if p.is_file() and p.name not in used):
                stale.unlink()
            _remove_empty(place, project.build_dir)
    write_index(project)


def _remove_empty(folder: Path, top: Path) -> None:
    """``folder`` and the folders above it, up to ``top``, as long as they are empty."""
    for path in [folder, *folder.parents]:
        if path == top or not path.is_relative_to(top) or not path.is_dir() or any(path.iterdir()):
            break
        path.rmdir()


def write_index(project: Project) -> None:
    """``build/index.html``: every published edition of every document."""
    from . import i18n
    from .segments import pandoc_text
    source = project.source
    env = i18n.environment(project.templates_dir, source.tag, i18n.Translations())
    documents = []
    for doc in project.documents:
        editions = []
        for lang in project.languages:
            if artifact_path(project, doc.id, lang.code, "html").exists() or any(
                    artifact_path(project, doc.id, lang.code, f).exists() for f in project.formats):
                editions.append({"code": lang.code, "tag": lang.tag, "name": lang.name,
                                 "html": artifact_path(project, doc.id, lang.code, "html").exists(),
                                 "downloads": [f for f in project.formats if f != "html"
                                               and artifact_path(project, doc.id, lang.code, f).exists()]})
        if not editions:
            continue
        try:
            meta = sources.load(doc.source, Cache(project.build_dir / ".cache")).ast.get("meta", {})
        except PublishError:
            meta = {}
        text = {key: pandoc_text(meta[key]["c"]).strip() if key in meta else "" for key in ("title", "subtitle")}
        documents.append({"id": doc.id, "title": text["title"], "subtitle": text["subtitle"], "editions": editions})
    target = project.build_dir / "index.html"
    if not documents:
        target.unlink(missing_ok=True)
        return
    page = i18n.render(env, "index.html.j2", lang=source.tag, title=documents[0]["title"],
                       subtitle="", description="", keywords=[], documents=documents)
    if not target.exists() or target.read_text(encoding="utf-8") != page:
        write_atomic(target, page)


def _remove_stale_temporaries(project: Project) -> None:
    """Temporary files left by an interrupted build (never artifacts themselves)."""
    if project.build_dir.is_dir():
        for path in project.build_dir.rglob(".*.tmp"):
            try:
                path.unlink(missing_ok=True)
            except OSError:          # a build folder that cannot be written: the build says so when it writes
                pass
