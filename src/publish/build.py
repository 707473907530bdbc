"""The build: sources -> catalogs -> editions -> artifacts, incremental and in parallel.

Each artifact (document, language, format) is keyed on the content hashes of everything that
shapes it; an artifact whose key is unchanged is not rebuilt. Every artifact is written through a
temporary file and a rename, so an interrupted build leaves the previous artifact or none.
"""

from __future__ import annotations

import fcntl
import heapq
import json
import logging
import multiprocessing
import os
import subprocess
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from importlib import metadata
from pathlib import Path

from typing import TYPE_CHECKING

from . import __version__
from . import source as sources_mod
from .errors import PublishError, ReleaseError, RenderError
from .fsutil import PARSED, digest, tree_digest, write_atomic
from .project import Document, Language, Project

if TYPE_CHECKING:
    from .edition import Edition

# Stages import their heavy modules (pandoc, Jinja2, Babel, WeasyPrint) when they run, so that a
# build with nothing to do stays fast.

log = logging.getLogger(__name__)
FORMAT_ORDER = {"pdf": 0, "epub": 1, "html": 2}   # longest first: the short ones fill in at the end


@dataclass
class BuildOptions:
    languages: list[str] | None = None
    formats: list[str] | None = None
    release: bool = False
    jobs: int | None = None
    merge: bool = True
    ignore_qa: bool = False      # publish editions even when `publish check` finds errors


@dataclass
class Task:
    document: Document
    language: Language
    fmt: str
    key: str
    out: Path


@dataclass
class BuildResult:
    built: list[tuple[Path, float]] = field(default_factory=list)
    up_to_date: list[Path] = field(default_factory=list)
    errors: list[PublishError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def fail(self, error: PublishError) -> None:
        if str(error) not in map(str, self.errors):     # the same broken file is met by several stages
            self.errors.append(error)


def build(project: Project, options: BuildOptions | None = None) -> BuildResult:
    options = options or BuildOptions()
    result = BuildResult()
    clock = _Stopwatch()
    _reproducible_dates(project)
    PARSED.keep_under(project.build_dir)
    with _locked(project), _Workers(_jobs(options)) as workers:
        _remove_stale_temporaries(project)
        state = _State(project.build_dir / ".cache" / "state.json")
        tasks, up_to_date = _plan(project, options, state)
        if tasks:                    # there is work whatever the catalogs say: the processes start now
            workers.start(pdf=any(t.fmt == "pdf" for t in tasks))
        sources = _load_sources(project, result)
        clock.lap("sources")
        _produce(project, sources, (tasks, up_to_date), options, state, result, workers)
        clock.lap("catalogs, editions and artifacts")
        if result.built or not (project.build_dir / "index.html").exists():
            _write_index(project, sources)
        state.save()
        clock.lap("index")
    return result


def _reproducible_dates(project: Project) -> None:
    """Without SOURCE_DATE_EPOCH, the date of the last commit stands for it, so that two builds of the
    same tree give the same bytes (pandoc, WeasyPrint and the templates all read it)."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return
    try:
        stamp = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=project.root, capture_output=True,
                               text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        stamp = ""
    if not stamp.isdigit():
        stamp = str(int(max(doc.source.stat().st_mtime for doc in project.documents if doc.source.exists())))
    os.environ["SOURCE_DATE_EPOCH"] = stamp


class _Skipped(Exception):
    """An edition whose source could not be read (already reported)."""


class _Stopwatch:
    """Logs the time of each stage at debug level (publish -v build)."""

    def __init__(self):
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        log.debug("stage %s: %.2f s", stage, now - self.last)
        self.last = now


# -- stages -------------------------------------------------------------------------------------

def _load_sources(project: Project, result: BuildResult | None = None) -> dict[str, sources_mod.Source]:
    """Each document's parsed source; one that cannot be read is reported and its editions skipped."""
    cache = project.build_dir / ".cache"
    sources = {}
    for doc in project.documents:
        try:
            sources[doc.id] = sources_mod.load(doc.source, cache, project.catalog_path(doc))
        except PublishError as exc:
            if result is None:
                raise
            result.fail(exc)
    return sources


def _plan(project: Project, options: BuildOptions, state: "_State") -> tuple[list[Task], list[Path]]:
    languages = [project.language(code) for code in options.languages] if options.languages else project.languages
    formats = options.formats or project.formats
    shared = _shared_key(project)
    template_keys = {fmt: _templates_key(project, fmt) for fmt in formats}
    tasks, fresh = [], []
    for doc in project.documents:
        if not doc.source.exists():
            continue
        for lang in languages:
            edition_key = digest(shared, *_edition_inputs(project, doc, lang))
            for fmt in formats:
                out = artifact_path(project, doc.id, lang.code, fmt)
                key = digest(edition_key, fmt, template_keys[fmt], repr(project.pdf) if fmt == "pdf" else "")
                if state.data.get(_state_key(doc, lang, fmt)) == key and out.exists():
                    fresh.append(out)
                else:
                    tasks.append(Task(doc, lang, fmt, key, out))
    return tasks, fresh


def _fitness(edition: "Edition", options: BuildOptions) -> ReleaseError | None:
    """Why an edition must not be published, if it must not."""
    where = f"{edition.document.id} ({edition.language.code})"
    report = edition.report
    if report is not None and report.percent < edition.language.min_completeness:
        return ReleaseError(f"{where}: {report.percent:.1f}% translated, below the minimum of "
                            f"{edition.language.min_completeness:g}% set in the project file; not published",
                            report.path)
    if options.release:
        if edition.provisional:
            return ReleaseError(f"{where}: figures {', '.join(edition.provisional)} are drawn from unverified data; "
                                "an editor must verify the CSV values (verified = yes) before release",
                                edition.document.source)
        if report is not None and (report.fallbacks or report.problems):
            return ReleaseError(f"{where}: {report.fallbacks} units are untranslated, fuzzy or unusable; "
                                "a release needs a complete catalog", report.path)
    return None


def _qa(project: Project, doc_id: str, code: str, options: BuildOptions) -> ReleaseError | None:
    """An edition whose catalogs have QA errors is not published, unless the editor overrides it."""
    if options.ignore_qa or code == project.source_language:
        return None
    from .checks import ERROR, check_project, error_checks
    errors = [f for f in check_project(project, [code], release=options.release,
                                       only=error_checks(options.release)) if f.severity == ERROR]
    if not errors:
        return None
    shown = "\n  ".join(str(f) for f in errors[:10]) + ("\n  ..." if len(errors) > 10 else "")
    return ReleaseError(f"{doc_id} ({code}): not published: `publish check` finds "
                        f"{len(errors)} errors (fix them, or build with --ignore-qa):\n  {shown}",
                        Path(errors[0].file), errors[0].line)


def _produce(project: Project, sources, planned: tuple[list[Task], list[Path]], options: BuildOptions,
             state: "_State", result: BuildResult, workers: "_Workers") -> None:
    """Merge the catalogs, prepare the editions one after the other in a thread of this process, and
    hand each artifact to the worker processes as soon as its edition is ready, longest first (PDF,
    EPUB, HTML). The source language's editions need no catalog: they are prepared while the
    catalogs merge, so that the first PDF starts as soon as a worker can take it.

    Rendering runs in worker processes: two threads of pure Python would only take turns.
    """
    (project.build_dir / ".cache").mkdir(parents=True, exist_ok=True)
    editions = _Editions(project, sources, options, result)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="catalogs") as merger, editions:
        editions.add([t for t in planned[0] if t.language.code == project.source_language])
        merging = merger.submit(_merge_catalogs, project, sources, dict(state.data)) if options.merge else None
        if merging is None:
            editions.add(planned[0])
            result.up_to_date = planned[1]
        while merging is not None or editions.preparing or workers.busy:
            done, _ = wait([*([merging] if merging else []), *editions.preparing, *workers.running],
                           return_when=FIRST_COMPLETED)
            if merging in done:
                keys, errors = merging.result()
                merging = None
                state.data.update(keys)
                state.save()
                for error in errors:
                    result.fail(error)
                tasks, result.up_to_date = _plan(project, options, state)
                editions.add(tasks)
            for future in done:
                if future in editions.preparing:
                    ready = editions.ready(future)
                    if ready is not None:
                        edition, tasks, given = ready
                        for task in tasks:
                            workers.add(task, editions.ctx, edition, given if task.fmt == "pdf" else {})
                        workers.feed()
                elif future in workers.running:
                    _finished(project, workers, future, state, result)


def _merge_catalogs(project: Project, sources, state: dict[str, str]) -> tuple[dict[str, str], list[PublishError]]:
    """Re-extract and merge the catalogs whose inputs changed: the state's entries that changed, and the
    catalogs that could not be merged. (It runs in a thread: it works on a copy of the state.)"""
    from .update import update_catalogs
    known = dict(state)
    errors = update_catalogs(project, sources, only_if_changed=known).errors
    return {key: value for key, value in known.items() if state.get(key) != value}, errors


def _finished(project: Project, workers: "_Workers", future, state: "_State", result: BuildResult) -> None:
    task = workers.finished(future)
    try:
        seconds = future.result()
    except PublishError as exc:
        result.fail(exc)
        return
    except Exception as exc:   # a renderer's own failure must not take the other editions down
        log.debug("rendering %s failed", task.out, exc_info=exc)
        result.fail(RenderError(f"rendering failed: {type(exc).__name__}: {exc}", task.out))
        return
    state.data[_state_key(task.document, task.language, task.fmt)] = task.key
    state.save()
    result.built.append((task.out, seconds))
    log.info("built %s (%.1f s)", task.out.relative_to(project.root), seconds)


class _Editions:
    """The editions being prepared, one after the other in a thread, with their QA gate beside them
    in another (preparation spends most of its time waiting for pandoc)."""

    def __init__(self, project: Project, sources, options: BuildOptions, result: BuildResult):
        self.project, self.sources, self.options, self.result = project, sources, options, result
        self.ctx = None         # made with the first edition: a build with nothing to do imports no renderer
        self.tasks: dict[tuple[str, str], list[Task]] = {}
        self.checked: dict = {}
        self.preparing: dict = {}
        self._preparer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="prepare")
        self._checker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="qa")

    def add(self, tasks: list[Task]) -> None:
        """Prepare the editions of these tasks (an edition already under way is not prepared again)."""
        new: dict[tuple[str, str], list[Task]] = {}
        for task in tasks:
            pair = (task.document.id, task.language.code)
            if pair not in self.tasks:
                new.setdefault(pair, []).append(task)
        if new and self.ctx is None:
            from .render import RenderContext
            self.ctx = RenderContext(self.project, [(l.code, l.tag, l.name) for l in self.project.languages])
        self.tasks.update(new)
        for pair in new:
            self.checked[pair] = self._checker.submit(_qa, self.project, *pair, self.options)
        for pair in new:
            self.preparing[self._preparer.submit(self._prepare, pair)] = pair

    @cached_property
    def _installed_fonts(self) -> set[str]:
        """The installed faces, listed once per build (by the one thread that prepares editions)."""
        from .render.fonts import available_fonts
        return available_fonts()

    def ready(self, future) -> tuple["Edition", list[Task], dict] | None:
        """The edition prepared, its tasks and what the PDF is given; None if it is not to be rendered."""
        del self.preparing[future]
        try:
            return future.result()
        except _Skipped:
            return None
        except PublishError as exc:
            self.result.fail(exc)
            return None

    def _prepare(self, pair: tuple[str, str]) -> tuple["Edition", list[Task], dict]:
        from .edition import prepare
        from .render.common import html_writes
        project = self.project
        doc, lang = project.document(pair[0]), project.language(pair[1])
        tasks = self.tasks[pair]
        if doc.id not in self.sources:
            raise _Skipped()
        if any(t.fmt == "pdf" for t in tasks):
            from .render.fonts import require_fonts
            try:
                require_fonts(lang, self._installed_fonts)
            except RenderError as exc:         # no PDF without its fonts; the other formats still build
                self.result.fail(exc)
                tasks = [t for t in tasks if t.fmt != "pdf"]
        start = time.perf_counter()
        edition = prepare(project, doc, lang, self.sources[doc.id], html_writes({t.fmt for t in tasks}))
        problem = _fitness(edition, self.options) or self.checked[pair].result()
        log.debug("prepared %s/%s in %.2f s", doc.id, lang.code, time.perf_counter() - start)
        if problem is not None:
            raise problem
        for name, svg in edition.svgs.items():
            write_atomic(project.build_dir / edition.language.code / "figures" / name, svg)
        given = {}
        if any(t.fmt == "pdf" for t in tasks):
            # Written here, while the workers may still be starting: the PDF task is then WeasyPrint alone.
            from .render.pdf import print_page
            given["page"] = print_page(self.ctx, edition)
        return edition, tasks, given

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._preparer.shutdown(cancel_futures=True)
        self._checker.shutdown(cancel_futures=True)
        return False


class _Workers:
    """Worker processes for the renderers, started before they are needed, fed longest task first.

    They come from a fork server that has imported WeasyPrint, Jinja2 and Babel once (forking this
    threaded process itself could copy a held lock into a child). Each worker is handed one task at
    a time, so that a PDF whose edition becomes ready is not queued behind shorter tasks.
    """

    PRELOAD = ["publish.render.pdf", "publish.render.html", "publish.render.epub"]
    PDF_PRELOAD = ["publish.render.libraries", "publish.render.fetcher", "publish.render.layout_fix"]

    def __init__(self, jobs: int):
        self.jobs = jobs
        self.pool: ProcessPoolExecutor | None = None
        self.queue: list = []            # heap of (format order, arrival, task, ctx, edition, given)
        self.running: dict = {}
        self._arrivals = 0
        self._starter: threading.Thread | None = None

    def start(self, pdf: bool = True) -> None:
        """Start the processes in the background, so that their imports overlap the build's first stages.
        WeasyPrint is imported beforehand only if a PDF is to be made."""
        if self._starter is None:
            self._starter = threading.Thread(target=self._start, args=(pdf,), name="start-workers", daemon=True)
            self._starter.start()

    def _start(self, pdf: bool) -> None:
        mp = multiprocessing.get_context("forkserver")
        mp.set_forkserver_preload((self.PDF_PRELOAD if pdf else []) + self.PRELOAD)
        self.pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=mp, initializer=_worker_setup)
        for _ in range(self.jobs):      # the fork server starts with the first process
            self.pool.submit(os.getpid)

    def _ready(self) -> ProcessPoolExecutor:
        self.start()
        self._starter.join()
        return self.pool

    def add(self, task: Task, ctx, edition: "Edition", given: dict) -> None:
        self._arrivals += 1
        heapq.heappush(self.queue, (FORMAT_ORDER.get(task.fmt, 9), self._arrivals, task, ctx, edition, given))

    def finished(self, future) -> Task:
        task = self.running.pop(future)
        self.feed()
        return task

    @property
    def busy(self) -> bool:
        return bool(self.running or self.queue)

    def feed(self) -> None:
        """Hand queued tasks to idle workers, longest first."""
        while self.queue and len(self.running) < self.jobs:
            _, _, task, ctx, edition, given = heapq.heappop(self.queue)
            self.running[self._ready().submit(_render_one, task.fmt, ctx, edition, task.out, given)] = task

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self._starter is not None:
            self._starter.join()
            self.pool.shutdown(cancel_futures=True)
        return False


def _worker_setup() -> None:
    """Page layout allocates millions of short-lived objects: the cyclic collector runs less often, and
    never scans what the worker was forked with."""
    import gc
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


def _render_one(fmt: str, ctx, edition: "Edition", out: Path, given: dict) -> float:
    from .render import render
    PARSED.keep_under(ctx.project.build_dir)     # the template strings' catalogs, as this build read them
    start = time.perf_counter()
    render(fmt, ctx, edition, out, **given)
    return time.perf_counter() - start


def artifact_path(project: Project, doc_id: str, lang: str, fmt: str) -> Path:
    return project.build_dir / lang / f"{doc_id}.{fmt}"


def _write_index(project: Project, sources: dict) -> None:
    from . import i18n
    source = project.source
    env = i18n.environment(project.templates_dir, source.tag, i18n.Translations())
    documents = []
    for doc in project.documents:
        if doc.id not in sources:
            continue
        meta = sources[doc.id].ast.get("meta", {})
        from .segments import pandoc_text
        text = lambda key: pandoc_text(meta[key]["c"]).strip() if key in meta else ""  # noqa: E731
        editions = []
        for lang in project.languages:
            if artifact_path(project, doc.id, lang.code, "html").exists():
                editions.append({"code": lang.code, "tag": lang.tag, "name": lang.name,
                                 "downloads": [f for f in project.formats if f != "html"
                                               and artifact_path(project, doc.id, lang.code, f).exists()]})
        documents.append({"id": doc.id, "title": text("title"), "subtitle": text("subtitle"), "editions": editions})
    page = i18n.render(env, "index.html.j2", lang=source.tag, title=documents[0]["title"] if documents else "",
                       subtitle="", description="", keywords=[], documents=documents)
    target = project.build_dir / "index.html"
    if not target.exists() or target.read_text(encoding="utf-8") != page:
        write_atomic(target, page)


# -- keys, state, locking -----------------------------------------------------------------------

# The templates each format reads; a change elsewhere in templates/ leaves its artifacts alone.
TEMPLATES = {
    "shared": ["base.html.j2", "toc.html.j2", "colophon.html.j2", "css/base.css", "figures/*", "csl/*"],
    "html": ["html/*", "css/screen.css", "css/print-site.css", "js/*", "index.html.j2"],
    "pdf": ["pdf/*", "css/print.css"],
    "epub": ["epub/*", "css/epub.css"],
}


def _templates_key(project: Project, part: str) -> str:
    root = project.templates_dir
    files = sorted({p for pattern in TEMPLATES[part] for p in root.glob(pattern) if p.is_file()})
    if part == "shared":      # anything not claimed by a format counts for all of them
        claimed = {p for patterns in TEMPLATES.values() for pattern in patterns for p in root.glob(pattern)}
        files = sorted(set(files) | {p for p in root.rglob("*") if p.is_file() and p not in claimed})
    return digest(*(f"{p.relative_to(root)}\0".encode() + p.read_bytes() for p in files))


def _shared_key(project: Project) -> str:
    versions = [__version__, _dist_version("pypandoc-binary"), _dist_version("weasyprint"), _dist_version("Jinja2"),
                _dist_version("Babel")]
    return digest(*versions, tree_digest(Path(__file__).parent, "*.py", "*.lua", "*.html"),
                  project.path.read_bytes(), _templates_key(project, "shared"),
                  os.environ.get("SOURCE_DATE_EPOCH", ""))


def _edition_inputs(project: Project, doc: Document, lang: Language) -> list[bytes | str]:
    parts: list[bytes | str] = [doc.id, lang.code, tree_digest(doc.source.parent)]
    for path in (doc.bibliography, doc.csl, lang.csl,
                 project.catalog_path(doc, lang) if lang.code != project.source_language else None,
                 project.translations_dir / lang.code / "templates.po"):
        parts.append(path.read_bytes() if path is not None and path.exists() else b"-")
    return parts


def _state_key(doc: Document, lang: Language, fmt: str) -> str:
    return f"{doc.id}/{lang.code}/{fmt}"


def _dist_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def _jobs(options: BuildOptions) -> int:
    return options.jobs or os.cpu_count() or 1


class _State:
    """Keys of the artifacts and catalogs last built, kept in build/.cache/state.json."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.data = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            self.data = {}
        self._saved = dict(self.data)

    def save(self) -> None:
        if self.data != self._saved:
            write_atomic(self.path, json.dumps(self.data, indent=1, sort_keys=True))
            self._saved = dict(self.data)


@contextmanager
def _locked(project: Project):
    """One build at a time per tree: a second one waits for the first."""
    project.build_dir.mkdir(parents=True, exist_ok=True)
    with open(project.build_dir / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_stale_temporaries(project: Project) -> None:
    """Temporary files left by an interrupted build (never artifacts themselves)."""
    for path in project.build_dir.rglob(".*.tmp"):
        path.unlink(missing_ok=True)
