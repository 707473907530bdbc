"""`make bench`: the build's speed against the renderers' own cost and against Sphinx.

Runs in a temporary copy of the project. Prints a table, then one JSON line with every figure: the
median of five rounds, each ratio with the two times of its median round. It is a benchmark, not a
test: nothing here asserts.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from publish import i18n, pandoc  # noqa: E402
from publish.build import _load_sources  # noqa: E402
from publish.edition import prepare  # noqa: E402
from publish.project import load_project  # noqa: E402
from publish.render import RenderContext, render  # noqa: E402
from publish.render.common import environment, html_parts, notes_in_place, page_context  # noqa: E402

PUBLISH = [sys.executable, "-m", "publish"]


def copy_project(target: Path) -> Path:
    target.mkdir(parents=True)
    for part in ("publish.toml", "source", "templates", "translations"):
        src = ROOT / part
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, target / part)
    return target


REPEAT = 5     # rounds; each figure is the median of five: this machine's speed drifts by up to half


def timed(command: list[str], cwd: Path) -> float:
    """Wall time of a command."""
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, "CI": "1"}, check=True)
    return time.perf_counter() - start


def peak_memory_mb(command: list[str], cwd: Path) -> float:
    """The highest resident size (VmHWM) of any process of a command's session: the build, pandoc, the
    workers. Measured in a run of its own: reading /proc every 50 ms would slow the timed runs."""
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "CI": "1"}, start_new_session=True)
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, _session_peak_memory(process.pid))
        time.sleep(0.05)
    if process.returncode != 0:
        raise subprocess.CalledProcessError(process.returncode, command)
    return peak


def _session_peak_memory(session: int) -> float:
    peak = 0.0
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(status.read_text().rsplit(")", 1)[1].split()[3]) != session:
                continue
            for line in status.with_name("status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]) / 1024)
        except (OSError, ValueError, IndexError):
            continue
    return peak


def median_round(rounds: list[dict], ratio: str) -> dict:
    """The round whose ``ratio`` is the median of all rounds'."""
    return sorted(rounds, key=lambda r: r[ratio])[len(rounds) // 2]


# WeasyPrint alone: a fresh process with nothing else in it, timed (once imported) from the page to the PDF.
WEASYPRINT_ALONE = """
import sys, time
from weasyprint import HTML
page = open(sys.argv[1], encoding="utf-8").read()
start = time.perf_counter()
HTML(string=page, base_url=sys.argv[2]).write_pdf(sys.argv[3], pdf_variant="pdf/ua-1")
print(time.perf_counter() - start)
"""


def words(node):
    """pandoc's own word-level AST (Str, Space, Str) from the build's compact one (``pandoc.compact``)."""
    if isinstance(node, dict):
        return {key: words(value) for key, value in node.items()}
    if not isinstance(node, list):
        return node
    out = []
    for item in node:
        if isinstance(item, dict) and item.get("t") == "Str" and " " in item["c"]:
            for index, word in enumerate(item["c"].split(" ")):
                if index:
                    out.append({"t": "Space"})
                if word:
                    out.append({"t": "Str", "c": word})
        else:
            out.append(words(item))
    return out


def pandoc_alone(ctx: RenderContext, edition) -> tuple[dict[str, float], object]:
    """pandoc alone writing an edition's web page, EPUB and print page: the seconds of each, and the
    print page's HTML parts."""
    seconds = {}
    start = time.perf_counter()
    html_parts(edition.ast)
    seconds["html"] = time.perf_counter() - start
    start = time.perf_counter()
    render("epub", ctx, edition, Path(tempfile.mkdtemp(dir=ctx.project.build_dir)) / "x.epub")
    seconds["epub"] = time.perf_counter() - start
    ast = {**edition.ast, "blocks": notes_in_place(edition.ast["blocks"])}
    start = time.perf_counter()
    parts = html_parts(ast)
    seconds["print"] = time.perf_counter() - start
    return seconds, parts


def renderer_times(root: Path) -> tuple[dict[tuple[str, str], float], tuple[float, float]]:
    """pandoc and WeasyPrint alone on the same inputs, one after the other: pandoc given each edition
    as its own Markdown reader represents it (word by word). Also (pandoc's time on words, on the
    build's compact AST), for comparison."""
    project = load_project(root / "publish.toml")
    sources = _load_sources(project)
    ctx = RenderContext(project, [(l.code, l.tag, l.name) for l in project.languages])
    times, on_words, on_compact = {}, 0.0, 0.0
    for lang in project.languages:
        compact = prepare(project, project.documents[0], lang, sources["common-goals"])
        edition = replace(compact, ast=words(compact.ast))
        for name, svg in edition.svgs.items():
            (project.build_dir / lang.code / "figures").mkdir(parents=True, exist_ok=True)
            (project.build_dir / lang.code / "figures" / name).write_text(svg, encoding="utf-8")
        on_compact += sum(pandoc_alone(ctx, compact)[0].values())
        seconds, parts = pandoc_alone(ctx, edition)
        on_words += sum(seconds.values())
        page = i18n.render(environment(ctx, edition), "pdf/edition.html.j2", pdf=project.pdf,
                           **page_context(ctx, edition, parts))
        html = Path(tempfile.mkdtemp(dir=project.build_dir)) / "page.html"
        html.write_text(page, encoding="utf-8")
        out = subprocess.run([sys.executable, "-c", WEASYPRINT_ALONE, str(html),
                              (project.build_dir / lang.code).as_uri() + "/", str(html.with_suffix(".pdf"))],
                             check=True, capture_output=True, text=True).stdout
        # A PDF's renderers: pandoc writes the print page's HTML, WeasyPrint lays it out.
        times.update({(lang.code, "html"): seconds["html"], (lang.code, "epub"): seconds["epub"],
                      (lang.code, "pdf"): seconds["print"] + float(out.split()[-1])})
    return times, (on_words, on_compact)


def sphinx_setup(root: Path, work: Path):
    """Sphinx's HTML and EPUB builds of the same content in four languages, with sphinx-intl catalogs:
    the project set up, and a function that times one build of it."""
    src = work / "sphinx"
    src.mkdir()
    subprocess.run([pandoc.executable(), str(root / "source" / "common-goals.md"), "--citeproc", "--bibliography",
                    str(root / "source" / "references.yaml"), "--csl", str(root / "templates/csl/house-note.csl"),
                    "-t", "rst", "-o", str(src / "index.rst")], check=True)
    (src / "conf.py").write_text("project = 'Common Goals'\nlanguage = 'en'\nlocale_dirs = ['locale/']\n"
                                 "gettext_compact = False\nextensions = []\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "gettext", str(src), str(work / "pot")], check=True)
    subprocess.run([sys.executable, "-m", "sphinx_intl", "update", "-p", str(work / "pot"), "-d", str(src / "locale"),
                    "-l", "es", "-l", "pt_BR", "-l", "zh_CN"], check=True, capture_output=True, cwd=src)
    def build() -> float:
        shutil.rmtree(work / "out", ignore_errors=True)
        start = time.perf_counter()
        for language in ("en", "es", "pt_BR", "zh_CN"):
            for builder in ("html", "epub"):
                subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", builder, "-D", f"language={language}",
                                str(src), str(work / "out" / language / builder)], check=True, capture_output=True)
        return time.perf_counter() - start
    return build


def main() -> None:
    """Each figure and the one it is compared with are measured in turn, in five rounds: the machine's
    speed drifts over minutes, so a ratio is only fair between times taken together. Each ratio is
    the median of the rounds' ratios, shown with the two times of that round."""
    results: dict[str, float | int] = {"cores": os.cpu_count() or 1}
    spread: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        root = copy_project(work / "project")
        po = root / "translations" / "es" / "common-goals.po"
        text = po.read_text(encoding="utf-8")

        def clean(*args: str) -> float:
            shutil.rmtree(root / "build", ignore_errors=True)
            return timed([*PUBLISH, "build", *args], root)

        def one_po() -> float:
            po.write_text(text.replace('msgstr "Objetivos comunes"', 'msgstr "Objetivos  comunes"', 1),
                          encoding="utf-8")
            seconds = timed([*PUBLISH, "build", "--ignore-qa"], root)
            po.write_text(text, encoding="utf-8")
            timed([*PUBLISH, "build"], root)
            return seconds

        def check() -> float:                # cold: nothing checked before
            shutil.rmtree(root / "build" / ".cache" / "checks", ignore_errors=True)
            return timed([*PUBLISH, "check"], root)

        def check_fresh() -> float:          # nothing kept by a build either: catalogs and glossary parsed
            shutil.rmtree(root / "build" / ".cache", ignore_errors=True)
            return timed([*PUBLISH, "check"], root)

        rounds = []
        for _ in range(REPEAT):
            times, (words, compact) = renderer_times(root)
            rounds.append({"times": times, "pandoc_words_s": words, "pandoc_compact_s": compact, "clean_s": clean(),
                           "noop_s": timed([*PUBLISH, "build"], root), "one_po_s": one_po(), "check_s": check(),
                           "check_fresh_s": check_fresh()})
        for r in rounds:
            r["renderers_sum_s"] = sum(r["times"].values())
            r["one_po_renderers_s"] = sum(v for (lang, _), v in r["times"].items() if lang == "es")
            r["en_pdf_s"], r["zh_pdf_s"] = r["times"][("en", "pdf")], r["times"][("zh", "pdf")]
            r["clean_ratio"] = r["clean_s"] / r["renderers_sum_s"]
            r["one_po_ratio"] = r["one_po_s"] / r["one_po_renderers_s"]
            r["zh_en_pdf_ratio"] = r["zh_pdf_s"] / r["en_pdf_s"]
        # A ratio and the two times it divides come from one round, the round of the median ratio.
        for key in ("clean_ratio", "one_po_ratio", "zh_en_pdf_ratio", "check_s", "check_fresh_s"):
            spread[key] = [r[key] for r in rounds]
        for ratio, parts in (("clean_ratio", ("clean_s", "renderers_sum_s", "pandoc_words_s", "pandoc_compact_s")),
                             ("one_po_ratio", ("one_po_s", "one_po_renderers_s")),
                             ("zh_en_pdf_ratio", ("zh_pdf_s", "en_pdf_s"))):
            middle = median_round(rounds, ratio)
            results.update({key: middle[key] for key in (ratio, *parts)})
        results["noop_s"] = statistics.median(r["noop_s"] for r in rounds)
        results["check_s"] = statistics.median(r["check_s"] for r in rounds)
        results["check_fresh_s"] = statistics.median(r["check_fresh_s"] for r in rounds)
        try:
            sphinx = sphinx_setup(root, work)
            pairs = []
            for _ in range(REPEAT):
                ours, theirs = clean("--format", "html", "--format", "epub"), sphinx()
                pairs.append({"html_epub_4lang_s": ours, "sphinx_s": theirs, "sphinx_ratio": ours / theirs})
            results.update(median_round(pairs, "sphinx_ratio"))
        except (subprocess.CalledProcessError, FileNotFoundError) as exc:
            print(f"Sphinx comparison not run: {exc}", file=sys.stderr)
            results.update({"html_epub_4lang_s": clean("--format", "html", "--format", "epub"),
                            "sphinx_s": float("nan"), "sphinx_ratio": float("nan")})
        shutil.rmtree(root / "build", ignore_errors=True)
        results["peak_rss_mb"] = peak_memory_mb([*PUBLISH, "build"], root)
    targets = {"clean_ratio": "<= 0.6", "noop_s": "< 0.5", "one_po_ratio": "<= 1.2", "zh_en_pdf_ratio": "<= 1.3",
               "peak_rss_mb": "< 400", "sphinx_ratio": "<= 0.7", "check_s": "< 1"}
    print(f"{'figure':<22}{'value':>10}  target")
    for key in ("clean_s", "renderers_sum_s", "pandoc_words_s", "pandoc_compact_s", "clean_ratio", "noop_s",
                "one_po_s", "one_po_renderers_s",
                "one_po_ratio", "en_pdf_s", "zh_pdf_s", "zh_en_pdf_ratio", "peak_rss_mb", "html_epub_4lang_s",
                "sphinx_s", "sphinx_ratio", "check_s", "check_fresh_s", "cores"):
        rounds_shown = f"  (rounds: {', '.join(f'{v:.3f}' for v in sorted(spread[key]))})" if key in spread else ""
        print(f"{key:<22}{results[key]:>10.3f}  {targets.get(key, ''):<8}{rounds_shown}")
    print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in results.items()}, sort_keys=True))


if __name__ == "__main__":
    main()
