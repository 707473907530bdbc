"""`make bench`: the build's speed against the renderers' own cost and against Sphinx, and what it rebuilds.

Runs in temporary copies of the project. Prints a table of ratios (each the median of five rounds, with
the two times of its median round: a shared machine's speed drifts, so only times taken together are
compared), then the incrementality table (artifacts rebuilt after each everyday change), then one JSON
line with every figure. It is a benchmark, not a test: it asserts nothing, it reports.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tools"))

import incrementality  # noqa: E402
from publish import pandoc  # noqa: E402
from publish.build import file_epoch, load_sources  # noqa: E402
from publish.edition import FRAGMENTS, prepare  # noqa: E402
from publish.project import load_project  # noqa: E402
from publish.render import RenderContext, render  # noqa: E402

PUBLISH = [sys.executable, "-m", "publish"]
REPEAT = 5
PRINTED = date(2024, 9, 1)      # any date: the renderers' cost does not depend on it
TARGETS = {"clean_ratio": "<= 0.7", "one_po_ratio": "<= 1.2", "zh_en_pdf_ratio": "<= 1.3", "peak_rss_mb": "< 400",
           "sphinx_ratio": "<= 0.7"}


def copy_project(target: Path) -> Path:
    target.mkdir(parents=True)
    for part in ("publish.toml", "source", "templates", "translations"):
        src = ROOT / part
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, target / part)
    return target


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
        for status in Path("/proc").glob("[0-9]*/stat"):
            try:
                if int(status.read_text().rsplit(")", 1)[1].split()[3]) != process.pid:
                    continue
                for line in status.with_name("status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]) / 1024)
            except (OSError, ValueError, IndexError):
                continue
        time.sleep(0.05)
    return peak


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


def renderer_times(root: Path) -> dict[tuple[str, str], float]:
    """pandoc and WeasyPrint alone on each edition, one after the other, pandoc given the edition as its
    own Markdown reader represents it (word by word): the web page's HTML, the EPUB, and the print page's
    HTML then its layout."""
    from publish.render.pdf import print_page
    project = load_project(root / "publish.toml")
    source = load_sources(project)["common-goals"]
    times = {}
    for lang in project.languages:
        edition = prepare(project, project.documents[0], lang, source)
        edition.ast = words(edition.ast)
        ctx = RenderContext(project, date=PRINTED, epoch=file_epoch(PRINTED))
        out = project.build_dir / lang.code
        out.mkdir(parents=True, exist_ok=True)
        for name, svg in edition.svgs.items():
            (out / "figures").mkdir(exist_ok=True)
            (out / "figures" / name).write_text(svg, encoding="utf-8")
        start = time.perf_counter()
        edition.html["web"] = pandoc.resolve(edition.ast, {}, FRAGMENTS, {"web": "end"})[1]["web"]
        times[(lang.code, "html")] = time.perf_counter() - start
        start = time.perf_counter()
        render("epub", ctx, edition, out / "bench.epub")
        times[(lang.code, "epub")] = time.perf_counter() - start
        start = time.perf_counter()
        edition.html["print"] = pandoc.resolve(edition.ast, {}, FRAGMENTS, {"print": "inline"})[1]["print"]
        pandoc_print = time.perf_counter() - start
        page = out / "bench.html"
        page.write_text(print_page(ctx, edition), encoding="utf-8")
        laid_out = subprocess.run([sys.executable, "-c", WEASYPRINT_ALONE, str(page), out.as_uri() + "/",
                                   str(out / "bench.pdf")], check=True, capture_output=True, text=True).stdout
        times[(lang.code, "pdf")] = pandoc_print + float(laid_out.split()[-1])
    shutil.rmtree(project.build_dir)
    return times


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


def median_round(rounds: list[dict], ratio: str) -> dict:
    """The round whose ``ratio`` is the median of all rounds'."""
    return sorted(rounds, key=lambda r: r[ratio])[len(rounds) // 2]


def speed(work: Path) -> tuple[dict, dict]:
    """The ratios, each from five rounds that measure the renderers alone and then the builds."""
    root = copy_project(work / "project")
    po = root / "translations" / "es" / "common-goals.po"
    text = po.read_text(encoding="utf-8")

    def clean(*args: str) -> float:
        shutil.rmtree(root / "build", ignore_errors=True)
        return timed([*PUBLISH, "build", *args], root)

    def one_po() -> float:
        po.write_text(text.replace('msgstr "Objetivos comunes"', 'msgstr "Objetivos  comunes"', 1), encoding="utf-8")
        seconds = timed([*PUBLISH, "build"], root)
        po.write_text(text, encoding="utf-8")
        timed([*PUBLISH, "build"], root)
        return seconds

    rounds = []
    for _ in range(REPEAT):
        times = renderer_times(root)
        rounds.append({"times": times, "clean_s": clean(), "noop_s": timed([*PUBLISH, "build"], root),
                       "one_po_s": one_po(), "check_s": timed([*PUBLISH, "check"], root)})
    for r in rounds:
        r["renderers_sum_s"] = sum(r["times"].values())
        r["one_po_renderers_s"] = sum(v for (lang, _), v in r["times"].items() if lang == "es")
        r["en_pdf_s"], r["zh_pdf_s"] = r["times"][("en", "pdf")], r["times"][("zh", "pdf")]
        r["clean_ratio"] = r["clean_s"] / r["renderers_sum_s"]
        r["one_po_ratio"] = r["one_po_s"] / r["one_po_renderers_s"]
        r["zh_en_pdf_ratio"] = r["zh_pdf_s"] / r["en_pdf_s"]
    results: dict = {}
    spread = {key: [r[key] for r in rounds] for key in ("clean_ratio", "one_po_ratio", "zh_en_pdf_ratio")}
    for ratio, parts in (("clean_ratio", ("clean_s", "renderers_sum_s")), ("one_po_ratio", ("one_po_s", "one_po_renderers_s")),
                         ("zh_en_pdf_ratio", ("zh_pdf_s", "en_pdf_s"))):
        middle = median_round(rounds, ratio)
        results.update({key: middle[key] for key in (ratio, *parts)})
    results["noop_s"] = statistics.median(r["noop_s"] for r in rounds)
    results["check_s"] = statistics.median(r["check_s"] for r in rounds)
    try:
        sphinx = sphinx_setup(root, work)
        pairs = []
        for _ in range(REPEAT):
            ours, theirs = clean("--format", "html", "--format", "epub"), sphinx()
            pairs.append({"html_epub_4lang_s": ours, "sphinx_s": theirs, "sphinx_ratio": ours / theirs})
        results.update(median_round(pairs, "sphinx_ratio"))
        spread["sphinx_ratio"] = [p["sphinx_ratio"] for p in pairs]
    except (subprocess.CalledProcessError, FileNotFoundError) as exc:
        print(f"Sphinx comparison not run: {exc}", file=sys.stderr)
        results.update({"html_epub_4lang_s": float("nan"), "sphinx_s": float("nan"), "sphinx_ratio": float("nan")})
    shutil.rmtree(root / "build", ignore_errors=True)
    results["peak_rss_mb"] = peak_memory_mb([*PUBLISH, "build"], root)
    return results, spread


def main() -> None:
    results: dict = {"cores": os.cpu_count() or 1}
    with tempfile.TemporaryDirectory() as tmp:
        figures, spread = speed(Path(tmp) / "speed")
        results.update(figures)
        root = copy_project(Path(tmp) / "incremental")
        languages = [lang.code for lang in load_project(root / "publish.toml").languages]
        incrementality.prepare(root, languages)
        table = incrementality.measure(root, languages)
    print(f"{'figure':<22}{'value':>10}  target")
    for key in ("clean_s", "renderers_sum_s", "clean_ratio", "one_po_s", "one_po_renderers_s", "one_po_ratio",
                "en_pdf_s", "zh_pdf_s", "zh_en_pdf_ratio", "peak_rss_mb", "html_epub_4lang_s", "sphinx_s",
                "sphinx_ratio", "noop_s", "check_s", "cores"):
        rounds = f"  (rounds: {', '.join(f'{v:.3f}' for v in sorted(spread[key]))})" if key in spread else ""
        print(f"{key:<22}{results[key]:>10.3f}  {TARGETS.get(key, ''):<8}{rounds}")
    print(f"\n{'change':<30}{'rebuilt':>8}{'expected':>10}  holds")
    for name, rebuilt, wanted in table:
        print(f"{name:<30}{len(rebuilt):>8}{len(wanted):>10}  {'yes' if rebuilt == wanted else 'NO: ' + ', '.join(rebuilt)}")
        results[f"rebuilt: {name}"] = len(rebuilt)
    results["incrementality_holds"] = all(rebuilt == wanted for _, rebuilt, wanted in table)
    print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in results.items()}, sort_keys=True))


if __name__ == "__main__":
    main()
