"""The ``publish`` command: a thin layer over the library. Exit 0 ok, 1 error, 2 usage error."""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import signal
import sys
from pathlib import Path

from . import __version__
from .errors import PublishError

log = logging.getLogger("publish")


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    _configure_logging(args.quiet, args.verbose)
    signal.signal(signal.SIGTERM, _terminate)
    try:
        return args.run(args) or 0
    except PublishError as exc:
        print(f"error: {exc}" if "\n" not in str(exc) else f"errors:\n{exc}", file=sys.stderr)
        return exc.exit_status
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def run() -> int:
    """The ``publish`` program: ``main``, in a process that ends with it."""
    status = main()
    # On the way out, the cyclic collector would visit every object still alive, more than once: 70 to
    # 80 ms after a check or a build with nothing to do. Frozen, they are left to the end of the
    # process; objects outside cycles are still freed as the modules go, and the output is flushed.
    gc.freeze()
    return status


def _terminate(signum, frame):
    # Turn SIGTERM into an exception so that temporary files are removed on the way out.
    raise KeyboardInterrupt


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="publish", description="Multilingual document publishing.")
    parser.add_argument("--version", action="version", version=f"publish {__version__}")
    parser.add_argument("--project", type=Path, help="the project file (default: publish.toml here or above)")
    parser.add_argument("-q", "--quiet", action="store_true", default=bool(os.environ.get("CI")),
                        help="only warnings and errors (the default when CI is set)")
    parser.add_argument("-v", "--verbose", action="store_true")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("build", help="build every edition that changed")
    p.add_argument("--lang", action="append", help="only this language (repeatable)")
    p.add_argument("--format", action="append", choices=["html", "epub", "pdf"], help="only this format (repeatable)")
    p.add_argument("--release", action="store_true", help="refuse provisional data and incomplete translations")
    p.add_argument("--jobs", "-j", type=int, help="parallel renderers (default: the number of cores)")
    p.add_argument("--ignore-qa", action="store_true", help="publish editions even when `publish check` finds errors")
    p.set_defaults(run=_build)

    p = commands.add_parser("update-po", help="re-extract the templates and merge them into every catalog")
    p.set_defaults(run=_update_po)

    p = commands.add_parser("stats", help="translated / fuzzy / untranslated / obsolete per language")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(run=_stats)

    p = commands.add_parser("pot", help="write the translation template of a Markdown file")
    p.add_argument("source", type=Path)
    p.add_argument("-o", "--output", type=Path, required=True)
    p.set_defaults(run=_pot)

    p = commands.add_parser("apply", help="write the translated Markdown of a file with a catalog")
    p.add_argument("source", type=Path)
    p.add_argument("po", type=Path)
    p.add_argument("-o", "--output", type=Path, required=True)
    p.set_defaults(run=_apply)

    p = commands.add_parser("check", help="QA of the translations: exit 0 clean, 1 errors found, 2 usage error")
    p.add_argument("--lang", action="append", help="only this language (repeatable)")
    p.add_argument("--po", action="append", type=Path, help="only this catalog (repeatable)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--release", action="store_true", help="untranslated, fuzzy and identical entries are errors")
    p.set_defaults(run=_check)

    p = commands.add_parser("export", help="hand a language to a vendor as XLIFF")
    p.add_argument("--xliff", action="store_true", required=True)
    p.add_argument("--lang", required=True)
    p.add_argument("-o", "--output", type=Path, help="folder (default: build/xliff)")
    p.set_defaults(run=_export)

    p = commands.add_parser("import", help="take an XLIFF file back into its catalog, then check it")
    p.add_argument("--xliff", type=Path, required=True, metavar="FILE.xlf")
    p.add_argument("--lang", required=True)
    p.add_argument("--doc", help="the document (default: the file's name)")
    p.set_defaults(run=_import)

    p = commands.add_parser("validate", help="epubcheck, the Nu HTML Checker and the PDF checks over build/")
    p.set_defaults(run=_validate)

    p = commands.add_parser("serve", help="serve build/ on 127.0.0.1 and rebuild on save")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(run=_serve)

    p = commands.add_parser("dist", help="pack every PDF and EPUB, the site and SHA-256 sums in one archive")
    p.add_argument("-o", "--output", type=Path)
    p.set_defaults(run=_dist)

    p = commands.add_parser("glossary", help="export the glossary")
    p.add_argument("--tbx", type=Path, required=True, metavar="OUT.tbx", help="write it as TBX")
    p.set_defaults(run=_glossary)

    p = commands.add_parser("mt", help="pre-fill untranslated entries by machine translation (marked fuzzy)")
    p.add_argument("--lang", required=True)
    p.add_argument("--engine", required=True)
    p.add_argument("--endpoint", help="the engine's URL (e.g. a LibreTranslate server)")
    p.add_argument("--doc", help="only this document")
    p.add_argument("--batch", type=int, default=20)
    p.add_argument("--timeout", type=float, default=20.0)
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


def _build(args) -> int:
    from .build import BuildOptions, build
    project = _project(args)
    result = build(project, BuildOptions(languages=args.lang, formats=args.format, release=args.release,
                                         jobs=args.jobs, ignore_qa=args.ignore_qa))
    for error in result.errors:
        print(f"error: {error}", file=sys.stderr)
    log.info("%d built, %d up to date, %d failed", len(result.built), len(result.up_to_date), len(result.errors))
    return 0 if result.ok else 1


def _update_po(args) -> int:
    from .build import _load_sources
    from .update import update_catalogs
    project = _project(args)
    result = update_catalogs(project, _load_sources(project))
    for path in result.written:
        log.info("wrote %s", path.relative_to(project.root))
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
    from . import catalog, segments, source
    from .fsutil import write_atomic
    src = source.load(args.source)
    pot = catalog.make_template(segments.segment(src.ast, src.text), args.source.as_posix(), args.source.stem)
    write_atomic(args.output, catalog.render(pot))
    return 0


def _apply(args) -> int:
    from . import catalog, pandoc, source
    from .apply import apply
    from .fsutil import write_atomic
    src = source.load(args.source)
    po = catalog.read(args.po)
    tag = po.metadata.get("Language", "").replace("_", "-") or "und"
    doc, report = apply(src.ast, po, tag, args.po)
    text = pandoc.convert(doc, ["-t", "markdown", "--standalone", "--wrap=none"], path=args.source)
    write_atomic(args.output, text)
    log.info("%d of %d units translated", report.translated, report.total)
    return 0


def _check(args) -> int:
    from .checks import ERROR, as_json, as_text, check_project
    project = _project(args)
    findings = check_project(project, languages=args.lang, files=args.po, release=args.release)
    print(as_json(findings) if args.format == "json" else as_text(findings))
    return 1 if any(f.severity == ERROR for f in findings) else 0


def _export(args) -> int:
    from .xliff import export
    project = _project(args)
    for path in export(project, project.language(args.lang), args.output or project.build_dir / "xliff"):
        log.info("wrote %s", path)
    return 0


def _import(args) -> int:
    from .checks import ERROR, as_text, check_project
    from .xliff import import_
    project = _project(args)
    language = project.language(args.lang)
    result = import_(project, language, args.xliff, args.doc)
    log.info("%s: %d entries updated", result.path, result.updated)
    for unit in result.unknown:
        print(f"warning: {args.xliff}: unit {unit!r} matches no current entry (source changed?); skipped",
              file=sys.stderr)
    findings = check_project(project, files=[result.path])
    print(as_text(findings))
    return 1 if any(f.severity == ERROR for f in findings) else 0


def _validate(args) -> int:
    from .validate import validate
    problems = validate(_project(args))
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problems")
    return 1 if problems else 0


def _serve(args) -> int:
    from .site import serve
    serve(_project(args), port=args.port)
    return 0


def _dist(args) -> int:
    from .site import dist
    path = dist(_project(args), args.output)
    print(path)
    return 0


def _glossary(args) -> int:
    from .glossary import GLOSSARY, load, write_tbx
    project = _project(args)
    glossary = load(project.translations_dir / GLOSSARY)
    write_tbx(glossary, args.tbx, {l.code: l.tag for l in project.languages}, project.source.tag)
    log.info("wrote %s (%d terms)", args.tbx, len(glossary.terms))
    return 0


def _mt(args) -> int:
    from .mt import prefill
    project = _project(args)
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
