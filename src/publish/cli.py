"""The ``publish`` command: a thin layer over the library. Exit 0 ok, 1 a failed run, 2 a usage error.

Every expected failure ends in one line: ``path:line: what is wrong; what to do`` where a file is at
fault, else ``publish <command>: ...``. A traceback means a bug (or ``-v``).
"""

from __future__ import annotations

import argparse
import errno
import json
import logging
import os
import signal
import sys
from pathlib import Path

from . import __version__
from .errors import PublishError

log = logging.getLogger("publish")
ENGINES = ("libre", "google", "deepl", "microsoft", "mymemory")


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    _configure_logging(args.quiet, args.verbose)
    signal.signal(signal.SIGTERM, _terminate)
    try:
        return args.run(args) or 0
    except PublishError as exc:
        if args.verbose:
            log.debug("details", exc_info=exc)
        print(f"error: {exc}" if "\n" not in str(exc) else f"errors:\n{exc}", file=sys.stderr)
        return exc.exit_status
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:             # `publish stats | head`: the reader has all it wanted
        _quiet_stdout()
        return 0
    except OSError as exc:              # the file system said no: a read-only folder, a full disk
        if args.verbose:
            log.debug("details", exc_info=exc)
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: publish {args.command}: {where}{_reason(exc)}", file=sys.stderr)
        return 1


def _reason(exc: OSError) -> str:
    advice = {errno.EACCES: "check the folder's permissions", errno.EPERM: "check the folder's permissions",
              errno.EROFS: "the file system is read-only", errno.ENOSPC: "free some disk space",
              errno.EFBIG: "a file-size limit is set (ulimit -f)", errno.ENOENT: "create the folder first",
              errno.EISDIR: "give a file name, not a folder", errno.ENOTDIR: "a part of the path is a file"}
    text = (exc.strerror or str(exc)).rstrip(".").lower()
    return f"{text}; {advice[exc.errno]}" if exc.errno in advice else text


def _quiet_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _terminate(signum, frame):
    # Turn SIGTERM into an exception so that temporary files are removed on the way out.
    raise KeyboardInterrupt


def _positive(kind):
    """An argparse type: a number of ``kind`` of at least 1 (a time: above 0)."""
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if value < (1 if kind is int else 1e-3) or value > 10**6:
            raise argparse.ArgumentTypeError(f"{text} is out of range: give a value from 1 to 1000000")
        return value
    return parse


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is out of range: a port is from 1 to 65535")
    return value


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage error in one line (its usage text is one --help away)."""

    def error(self, message: str):
        print(f"error: {self.prog}: {message}; see `{self.prog} --help`", file=sys.stderr)
        sys.exit(2)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="publish", description="Multilingual document publishing.")
    parser.add_argument("--version", action="version", version=f"publish {__version__}")
    parser.add_argument("--project", type=Path, help="the project file (default: publish.toml here or above)")
    parser.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")
    parser.add_argument("-v", "--verbose", action="store_true", help="say more, with tracebacks")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("build", help="build every edition that changed")
    p.add_argument("--lang", action="append", help="only this language (repeatable)")
    p.add_argument("--format", action="append", choices=["html", "epub", "pdf"], help="only this format (repeatable)")
    p.add_argument("--release", action="store_true", help="refuse provisional data; keep incomplete translations as drafts")
    p.add_argument("--jobs", "-j", type=_positive(int), metavar="N",
                   help="worker processes, 1 or more (default: the number of cores)")
    p.set_defaults(run=_build)

    p = commands.add_parser("update-po", help="extract the templates and merge them into every catalog")
    p.set_defaults(run=_update_po)

    p = commands.add_parser("stats", help="translated / fuzzy / untranslated / obsolete per language")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(run=_stats)

    p = commands.add_parser("pot", help="write the translation template of any Markdown file")
    p.add_argument("source", type=Path, help="a Markdown file")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.pot", help="the template to write")
    p.set_defaults(run=_pot)

    p = commands.add_parser("apply", help="write the translated Markdown of a file with a catalog")
    p.add_argument("source", type=Path, help="the English Markdown file")
    p.add_argument("po", type=Path, help="its catalog in a language")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.md", help="the Markdown to write")
    p.set_defaults(run=_apply)

    p = commands.add_parser("check", help="QA of the translations: exit 0 clean, 1 errors found, 2 usage error")
    p.add_argument("--lang", action="append", help="only this language (repeatable); with --po, the file's language")
    p.add_argument("--po", action="append", type=Path, metavar="FILE",
                   help="only this catalog, anywhere (repeatable)")
    p.add_argument("--doc", help="with --po: the document the catalog translates (default: the one it matches)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--release", action="store_true", help="untranslated, fuzzy and identical entries are errors")
    p.set_defaults(run=_check)

    p = commands.add_parser("export", help="hand a language to a vendor as XLIFF")
    p.add_argument("--xliff", action="store_true", required=True, help="as XLIFF 1.2 (the one format offered)")
    p.add_argument("--lang", required=True, help="the language to hand over")
    p.add_argument("-o", "--output", type=Path, metavar="FOLDER", help="folder (default: build/xliff)")
    p.set_defaults(run=_export)

    p = commands.add_parser("import", help="take an XLIFF file back into its catalog, checked before it is written")
    p.add_argument("--xliff", type=Path, required=True, metavar="FILE.xlf")
    p.add_argument("--lang", required=True, help="the language of the file's translations")
    p.add_argument("--doc", help="the document (default: the file's `original` attribute)")
    p.add_argument("--partial", action="store_true",
                   help="take the units that pass the checks even when others fail")
    p.set_defaults(run=_import)

    p = commands.add_parser("validate", help="epubcheck, the Nu HTML Checker and the PDF checks over build/")
    p.set_defaults(run=_validate)

    p = commands.add_parser("serve", help="serve the published editions on 127.0.0.1 and rebuild on save")
    p.add_argument("--port", type=_port, default=8000, help="the port, 1 to 65535 (default: 8000)")
    p.add_argument("--drafts", action="store_true", help="also serve build/drafts/ (editions not published)")
    p.set_defaults(run=_serve)

    p = commands.add_parser("dist", help="pack the published editions, the site and SHA-256 sums in one archive")
    p.add_argument("-o", "--output", type=Path, metavar="OUT.zip",
                   help="the archive (default: build/dist/<project>-editions.zip)")
    p.set_defaults(run=_dist)

    p = commands.add_parser("glossary", help="export the glossary")
    p.add_argument("--tbx", type=Path, required=True, metavar="OUT.tbx", help="write it as TBX")
    p.set_defaults(run=_glossary)

    p = commands.add_parser("mt", help="pre-fill untranslated entries by machine translation (marked fuzzy)")
    p.add_argument("--lang", required=True, help="the language to fill")
    p.add_argument("--engine", required=True, choices=ENGINES, help="the engine")
    p.add_argument("--endpoint", help="the engine's URL (e.g. a LibreTranslate server)")
    p.add_argument("--doc", help="only this document")
    p.add_argument("--batch", type=_positive(int), default=20, metavar="N",
                   help="entries saved together, 1 or more (default: 20)")
    p.add_argument("--timeout", type=_positive(float), default=20.0, metavar="SECONDS",
                   help="seconds to wait for each answer (default: 20)")
    p.set_defaults(run=_mt)
    return parser


def _configure_logging(quiet: bool, verbose: bool) -> None:
    level = logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("weasyprint", "fontTools", "PIL"):
        logging.getLogger(noisy).setLevel(logging.ERROR)


def _project(args):
    from .project import load_project
    return load_project(args.project)


# -- option values checked before anything is read or written ------------------------------------------------

def _input(args, path: Path, option: str) -> Path:
    """A file a command reads: it must exist and be a file."""
    from .errors import UsageError
    if path.is_dir():
        raise UsageError(f"publish {args.command}: {option} {path}: a folder; give a file")
    if not path.is_file():
        raise UsageError(f"publish {args.command}: {option} {path}: no such file")
    return path


def _output(args, path: Path, option: str, folder: bool = False) -> Path:
    """A file (or folder) a command writes: not a folder (or a file) already, and in a place it can write."""
    from .errors import UsageError
    if not folder and path.is_dir():
        raise UsageError(f"publish {args.command}: {option} {path}: a folder; give a file name")
    if folder and path.exists() and not path.is_dir():
        raise UsageError(f"publish {args.command}: {option} {path}: a file; give a folder")
    existing = next(p for p in [path, *path.parents] if p.exists())
    if existing.is_file() and existing != path:
        raise UsageError(f"publish {args.command}: {option} {path}: {existing} is a file, not a folder")
    if not os.access(existing if existing.is_dir() else existing.parent, os.W_OK):
        raise UsageError(f"publish {args.command}: {option} {path}: {existing} cannot be written; choose another place")
    return path


def _languages(args, project, codes: list[str] | None) -> list[str] | None:
    """Language codes given with --lang, each one the project has."""
    from .errors import UsageError
    known = [lang.code for lang in project.languages]
    for code in codes or []:
        if code not in known:
            raise UsageError(f"publish {args.command}: --lang {code}: the project has no such language "
                             f"(it has {', '.join(known)})")
    return codes


def _document(args, project, doc: str | None) -> str | None:
    from .errors import UsageError
    known = [d.id for d in project.documents]
    if doc is not None and doc not in known + (["templates"] if args.command in ("check", "import") else []):
        raise UsageError(f"publish {args.command}: --doc {doc}: the project has no such document "
                         f"(it has {', '.join(known)})")
    return doc


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _build(args) -> int:
    from .build import BuildOptions, build
    from .gates import PUBLISHED
    project = _project(args)
    result = build(project, BuildOptions(languages=_languages(args, project, args.lang), formats=args.format,
                                         release=args.release,
                                         jobs=args.jobs))
    for error in result.errors:
        print(f"error: {error}", file=sys.stderr)
    for override in project.qa_overrides:            # every build says what its overrides waived
        found = result.waived.get(override, [])
        if found:
            places = list(dict.fromkeys(f"{f.file}:{f.line} [{f.msgctxt}] {f.check}" for f in found))
            log.warning("%s:%d: %s waives %d QA error%s: %s", project.path, override.line, override, len(found),
                        "" if len(found) == 1 else "s", "; ".join(places[:5]) + (" ..." if len(places) > 5 else ""))
        elif result.verdicts:
            log.warning("%s:%d: %s waives nothing in this build; remove it once it is not needed", project.path,
                        override.line, override)
    states: dict[str, list[str]] = {}
    for (doc, lang), verdict in sorted(result.verdicts.items()):
        states.setdefault(verdict.state, []).append(f"{doc} ({lang})")
        if verdict.state == PUBLISHED:
            continue
        drafts = project.build_dir / "drafts" / doc / lang
        kept = f", kept as a draft in {drafts.relative_to(project.root)}/" if drafts.is_dir() else ""
        line = f"{doc} ({lang}): {verdict.state}{kept}: " + "; ".join(verdict.reasons)
        if verdict.failed:
            print(f"error: {line}", file=sys.stderr)
        else:
            log.warning("%s", line)
    summary = f"{len(result.built)} built, {len(result.up_to_date)} up to date"
    for state, editions in states.items():
        summary += f"; {state}: {', '.join(editions)}"
    log.info("%s", summary)
    return 0 if result.ok else 1


def _update_po(args) -> int:
    from .build import describe, load_sources
    from .update import update_catalogs
    project = _project(args)
    from .fsutil import locked
    with locked(project.root):
        result = update_catalogs(project, load_sources(project), force=True)
    for path in result.written:
        report = result.reports.get(path)
        log.info("wrote %s%s", path.relative_to(project.root), f": {describe(report)}" if report else "")
    if not result.written and not result.errors:
        log.info("nothing to merge: every template and catalog is current")
    for error in result.errors:
        print(f"error: {error}", file=sys.stderr)
    return 1 if result.errors else 0


def _stats(args) -> int:
    from . import catalog
    project = _project(args)
    rows = []
    for lang in project.targets:
        for doc in [d.id for d in project.documents] + ["templates"]:
            path = project.translations_dir / lang.code / f"{doc}.po"
            if not path.exists():
                continue
            s = catalog.stats(catalog.read(path))
            rows.append({"language": lang.code, "catalog": doc, "translated": s.translated, "fuzzy": s.fuzzy,
                         "untranslated": s.untranslated, "obsolete": s.obsolete, "total": s.total,
                         "percent": round(s.percent, 1)})
    if args.format == "json":
        print(json.dumps(rows, indent=1))
    else:
        print(f"{'language':<9}{'catalog':<16}{'translated':>11}{'fuzzy':>7}{'untransl.':>10}{'obsolete':>9}{'%':>7}")
        for r in rows:
            print(f"{r['language']:<9}{r['catalog']:<16}{r['translated']:>11}{r['fuzzy']:>7}{r['untranslated']:>10}"
                  f"{r['obsolete']:>9}{r['percent']:>7.1f}")
    return 0


def _pot(args) -> int:
    from . import catalog, source
    from .fsutil import write_atomic
    src = source.load(_input(args, args.source, "SOURCE"))
    _output(args, args.output, "-o")
    pot = catalog.make_template(source.segments(src), args.source.as_posix(), args.source.stem)
    write_atomic(args.output, catalog.render(pot))
    return 0


def _apply(args) -> int:
    from . import catalog, pandoc, source
    from .apply import apply
    from .fsutil import write_atomic
    src = source.load(_input(args, args.source, "SOURCE"))
    po = catalog.read(_input(args, args.po, "PO"))
    _output(args, args.output, "-o")
    tag = po.metadata.get("Language", "").replace("_", "-") or "und"
    doc, report = apply(src.ast, po, tag, args.po)
    text = pandoc.convert(doc, ["-t", "markdown", "--standalone", "--wrap=none"], path=args.source)
    write_atomic(args.output, text)
    log.info("%d of %d units translated", report.translated, report.total)
    return 0


def _check(args) -> int:
    from .cache import Cache
    from .checks import ERROR, as_json, as_text, check_project
    from .errors import UsageError
    project = _project(args)
    _languages(args, project, args.lang)
    _document(args, project, args.doc)
    for path in args.po or []:
        _input(args, path, "--po")
    if args.po and args.lang and len(args.lang) > 1:
        raise UsageError("publish check: with --po, give one --lang (the file's language)")
    if args.doc and not args.po:
        raise UsageError("publish check: --doc goes with --po")
    from . import gates
    gates.check_overrides(project)
    findings = check_project(project, languages=None if args.po else args.lang, files=args.po,
                             release=args.release, cache=Cache(project.build_dir / ".cache"),
                             lang=args.lang[0] if args.po and args.lang else None, document=args.doc)
    codes = {l.code for l in project.languages}
    given = args.lang[0] if args.po and args.lang else None
    findings = gates.waived(findings, lambda f: given or (Path(f.file).parent.name if Path(f.file).parent.name
                                                          in codes else ""), project.qa_overrides)
    print(as_json(findings) if args.format == "json" else as_text(findings))
    return 1 if any(f.severity == ERROR for f in findings) else 0


def _export(args) -> int:
    from .xliff import export
    project = _project(args)
    _languages(args, project, [args.lang])
    out = _output(args, args.output, "-o", folder=True) if args.output else project.build_dir / "xliff"
    for path in export(project, project.language(args.lang), out):
        log.info("wrote %s", path)
    return 0


def _import(args) -> int:
    from .xliff import import_
    project = _project(args)
    _languages(args, project, [args.lang])
    _document(args, project, args.doc)
    result = import_(project, project.language(args.lang), _input(args, args.xliff, "--xliff"), args.doc,
                     partial=args.partial)
    for line in result.messages:
        print(line, file=sys.stderr)
    log.info("%s: %s", result.path, result.summary)
    return result.status


def _validate(args) -> int:
    from .validate import validate
    project = _project(args)
    problems, checked = validate(project)
    for problem in problems:
        print(problem)
    for path in checked:
        log.debug("checked %s", path)
    log.info("%s in %s", _plural(len(problems), "problem"), _plural(len(checked), "file"))
    return 1 if problems else 0


def _serve(args) -> int:
    from .serve import serve
    serve(_project(args), port=args.port, drafts=args.drafts)
    return 0


def _dist(args) -> int:
    from .dist import dist
    path = dist(_project(args), _output(args, args.output, "-o") if args.output else None)
    print(path)
    return 0


def _glossary(args) -> int:
    from .glossary import GLOSSARY, load, write_tbx
    project = _project(args)
    _output(args, args.tbx, "--tbx")
    glossary = load(project.translations_dir / GLOSSARY)
    write_tbx(glossary, args.tbx, {l.code: l.tag for l in project.languages}, project.source.tag)
    log.info("wrote %s (%d terms)", args.tbx, len(glossary.terms))
    return 0


def _mt(args) -> int:
    from .mt import prefill
    project = _project(args)
    _languages(args, project, [args.lang])
    _document(args, project, args.doc)
    results = prefill(project, args.lang, args.engine, endpoint=args.endpoint, doc=args.doc,
                      batch=args.batch, timeout=args.timeout)
    failed = 0
    for result in results:
        log.info("%s: %d translated (fuzzy), %d rejected, %d left", result.path.relative_to(project.root),
                 result.filled, len(result.rejected), result.left)
        for problem in result.rejected:
            print(f"warning: {problem}", file=sys.stderr)
        if result.error:
            print(f"error: {result.error}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
