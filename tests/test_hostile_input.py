"""Broken and hostile input: every case gets a clear error naming file and line, a non-zero exit, the
other editions still built, and nothing lost."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from publish import catalog
from publish.build import BuildOptions, build
from publish.cli import main

from .conftest import DATA, add_override, set_msgstr

BAD_PO = {    # file -> (line reported, words in the message)
    "syntax.po": (17, "syntax error"),
    "invalid-utf8.po": (16, "invalid UTF-8"),
    "charset.po": (6, "charset 'iso-8859-1'"),
    "duplicate.po": (14, "duplicate entry (first at line 10)"),
}


def run_cli(project, *args):
    return subprocess.run([sys.executable, "-m", "publish", "--project", str(project.path), *args],
                          capture_output=True, text=True, cwd=project.root)


@pytest.mark.parametrize("name", sorted(BAD_PO))
def test_a_broken_po_file_fails_its_edition_only(project_copy, name):
    target = project_copy.catalog_path("common-goals", "es")
    shutil.copy(DATA / "bad-po" / name, target)
    before = target.read_bytes()
    result = build(project_copy, BuildOptions(formats=["html"]))
    line, words = BAD_PO[name]
    messages = [str(e) for e in result.errors]
    assert any(m.startswith(f"{target}:{line}: ") and words in m for m in messages), messages
    assert target.read_bytes() == before                       # never rewritten, nothing lost
    assert not (project_copy.build_dir / "es" / "common-goals.html").exists()
    for lang in ("en", "pt", "zh"):
        assert (project_copy.build_dir / lang / "common-goals.html").exists()
    assert main(["--project", str(project_copy.path), "check", "--po", str(target)]) == 1


def test_duplicate_entries_name_the_context(project_copy, capsys):
    target = project_copy.catalog_path("common-goals", "es")
    shutil.copy(DATA / "bad-po" / "duplicate.po", target)
    assert main(["--project", str(project_copy.path), "check", "--po", str(target), "--format", "json"]) == 1
    findings = json.loads(capsys.readouterr().out)
    assert findings[0]["msgctxt"] == "meta/title" and findings[0]["line"] == 14


def test_a_wrong_plural_forms_header_is_reported(project_copy, capsys):
    target = project_copy.catalog_path("common-goals", "es")
    shutil.copy(DATA / "bad-po" / "plural-forms.po", target)
    assert main(["--project", str(project_copy.path), "check", "--po", str(target), "--format", "json"]) == 1
    findings = json.loads(capsys.readouterr().out)
    plural = [f for f in findings if f["check"] == "catalog-health"]
    assert plural and plural[0]["line"] == 8 and "Plural-Forms" in plural[0]["message"]


def test_an_entry_for_a_vanished_unit(project_copy, capsys):
    target = project_copy.catalog_path("common-goals", "es")
    shutil.copy(DATA / "bad-po" / "vanished.po", target)
    main(["--project", str(project_copy.path), "check", "--po", str(target), "--format", "json"])
    findings = json.loads(capsys.readouterr().out)
    stale = [f for f in findings if f["check"] == "stale"]
    assert [(f["line"], f["msgctxt"]) for f in stale] == [(16, "part-9/p1")]     # the msgstr line
    # update-po keeps its translation, as an obsolete entry.
    assert main(["--project", str(project_copy.path), "update-po"]) == 0
    po = catalog.read(target)
    assert [e.msgstr for e in po if e.obsolete] == ["Un párrafo que se eliminó."]
    assert po.find("Common Goals", msgctxt="meta/title").msgstr == "Objetivos comunes"


@pytest.mark.parametrize("msgstr,words", [
    ('Texto <script>alert("x")</script>.', "raw HTML or script"),
    ('Una <img src="x" onerror="alert(1)">.', "raw HTML or script"),
    ("Un [enlace](javascript:alert(1)).", "raw HTML or script"),
    ("Un [enlace](https://evil.example/).", "found a link to https://evil.example/"),
])
def test_hostile_translations_are_reported_and_never_executable(project_copy, msgstr, words, capsys):
    target = project_copy.catalog_path("common-goals", "es")
    set_msgstr(target, "introduction/p1", msgstr)
    assert main(["--project", str(project_copy.path), "check", "--po", str(target), "--format", "json"]) == 1
    findings = json.loads(capsys.readouterr().out)
    assert any(words in f["message"] and f["msgctxt"] == "introduction/p1" for f in findings), findings
    # An editor who forces the build still gets no executable markup: the trust boundary's checks refuse
    # the edition whatever the override says, and its drafts hold the English (or escaped text).
    result = build(add_override(project_copy, language="es"), BuildOptions(languages=["es"], formats=["html", "epub"]))
    security = "raw HTML" in words
    assert result.verdicts[("common-goals", "es")].published is not security
    folder = project_copy.build_dir / ("drafts/common-goals/es" if security else "es")
    html = (folder / "common-goals.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and 'onerror="alert' not in html and 'href="javascript:' not in html


def test_qa_errors_block_the_edition_unless_overridden(project_copy):
    target = project_copy.catalog_path("common-goals", "es")
    entry = catalog.read(target).find("introduction/p2", by="msgctxt")
    assert "2024" in entry.msgstr
    set_msgstr(target, "introduction/p2", entry.msgstr.replace("2024", "2025", 1))
    result = build(project_copy, BuildOptions(languages=["es", "en"], formats=["html"]))
    assert not result.ok and result.errors == []
    verdict = result.verdicts[("common-goals", "es")]
    assert verdict.state == "refused" and len(verdict.reasons) == 1
    named = target.relative_to(project_copy.root)            # (a draft's pages show no folder of the builder's)
    assert verdict.reasons[0].startswith(f"{named}:") and f" QA errors (`publish check --po {named}` " in verdict.reasons[0]
    draft = (project_copy.build_dir / "drafts" / "common-goals" / "es" / "common-goals.html").read_text(encoding="utf-8")
    assert str(named) in draft and str(project_copy.root) not in draft
    assert not (project_copy.build_dir / "es" / "common-goals.html").exists()
    assert (project_copy.build_dir / "drafts" / "common-goals" / "es" / "common-goals.html").exists()
    assert (project_copy.build_dir / "en" / "common-goals.html").exists()
    forced = build(add_override(project_copy, check="numbers", language="es", entry="introduction/p2"),
                   BuildOptions(languages=["es"], formats=["html"]))
    assert forced.ok and (project_copy.build_dir / "es" / "common-goals.html").exists()
    assert not (project_copy.build_dir / "drafts" / "common-goals" / "es" / "common-goals.html").exists()


def test_a_translation_dropping_a_citation_falls_back_and_is_reported(project_copy, capsys):
    target = project_copy.catalog_path("common-goals", "pt")
    entry = catalog.read(target).find("introduction/p2", by="msgctxt")
    set_msgstr(target, "introduction/p2",
               entry.msgstr.replace("[@un-sg-priorities-2024]", "").replace("@un-sg", "@un-sgx"))
    assert main(["--project", str(project_copy.path), "check", "--po", str(target)]) == 1
    assert "expected citation key @un-sg-priorities-2024, missing" in capsys.readouterr().out


SOURCES = {   # a line appended to the source -> (line reported, words)
    "unknown-citation": ("See [@no-such-work].", "unknown citation key @no-such-work"),
    "note-twice": ("A[^x] and B[^x].\n\n[^x]: one\n\n[^x]: two", "note [^x] is defined twice"),
    "empty-heading": ("#", "a heading without text"),
    "missing-image": ("![A chart](figures/none.png)", "no such file"),
    "passwd": ("![x](file:///etc/passwd)", "file: URLs are not allowed"),
    "outside": ("![x](../../../../etc/passwd)", "points outside the project"),
    "remote": ("![x](https://example.org/x.png)", "https: URLs are not allowed"),
    "duplicate-id": ("# Again {#introduction}", "two translatable units share the identifier 'introduction/heading'"),
}


@pytest.mark.parametrize("case", sorted(SOURCES))
def test_bad_markdown_source(project_copy, case):
    addition, words = SOURCES[case]
    source = project_copy.root / "source" / "common-goals.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text + "\n" + addition + "\n", encoding="utf-8")
    line = len(text.splitlines()) + 2
    result = build(project_copy, BuildOptions(languages=["en"], formats=["epub"], merge=False))
    messages = [str(e) for e in result.errors]
    assert any(words in m and m.startswith(f"{source}:") for m in messages), messages
    if case != "note-twice":
        assert any(m.startswith(f"{source}:{line}:") for m in messages), (line, messages)
    assert not (project_copy.build_dir / "en" / "common-goals.epub").exists()


@pytest.mark.slow
def test_nothing_outside_the_project_reaches_an_epub_or_pdf(project_copy):
    css = project_copy.templates_dir / "css" / "print.css"
    css.write_text('@import url("file:///etc/passwd");\n' + css.read_text(encoding="utf-8"), encoding="utf-8")
    result = build(project_copy, BuildOptions(languages=["en"], formats=["pdf", "epub"]))
    assert result.ok
    pdf = subprocess.run(["pdftotext", str(project_copy.build_dir / "en" / "common-goals.pdf"), "-"],
                         capture_output=True, text=True).stdout
    assert "root:x:0:0" not in pdf
    with zipfile.ZipFile(project_copy.build_dir / "en" / "common-goals.epub") as epub:
        assert not any(b"root:x:0:0" in epub.read(n) for n in epub.namelist())


@pytest.mark.slow
def test_a_very_long_paragraph_builds(project_copy):
    source = project_copy.root / "source" / "common-goals.md"
    long = " ".join(["Cooperation on human rights development is a long-term task."] * 800)
    source.write_text(source.read_text(encoding="utf-8") + "\n" + long + "\n", encoding="utf-8")
    assert build(project_copy, BuildOptions(languages=["en"], formats=["pdf", "html"])).ok


def test_a_missing_template(project_copy):
    (project_copy.templates_dir / "html" / "edition.html.j2").unlink()
    result = build(project_copy, BuildOptions(languages=["en"], formats=["html"]))
    assert [str(e) for e in result.errors] == [
        f"{project_copy.templates_dir / 'html/edition.html.j2'}:1: template 'html/edition.html.j2' not found"]


@pytest.mark.slow
def test_a_missing_font_names_the_package(project_copy, monkeypatch):
    from publish import tools
    real = tools.installed_fonts()
    latin_only = {family: files for family, files in real.items() if "CJK" not in family}
    monkeypatch.setattr(tools, "installed_fonts", lambda: latin_only)
    result = build(project_copy, BuildOptions(languages=["zh", "en"], formats=["pdf"], jobs=1))
    messages = [str(e) for e in result.errors]
    assert len(messages) == 1
    assert "missing font Noto Serif CJK SC, Noto Sans CJK SC for zh-Hans" in messages[0]
    assert "apt-get install fonts-noto-cjk" in messages[0]
    assert (project_copy.build_dir / "en" / "common-goals.pdf").exists()


def test_a_broken_project_file_or_glossary(project_copy, capsys):
    glossary = project_copy.translations_dir / "glossary.yaml"
    glossary.write_text("terms:\n  - id: a\n    en: [A\n", encoding="utf-8")
    assert main(["--project", str(project_copy.path), "check"]) == 1
    assert f"{glossary}:" in capsys.readouterr().err
    project_copy.path.write_text("[project\n", encoding="utf-8")
    assert main(["--project", str(project_copy.path), "build"]) == 1
    assert f"{project_copy.path}:1: invalid TOML" in capsys.readouterr().err


# A build whose worker, with the PDF's bytes ready and nothing written yet, has the build stopped by the
# signal given: the interruption comes at a known point, whatever the machine's speed.
INTERRUPTED_BUILD = """
import os, signal, sys, time
signal.signal(signal.SIGINT, signal.default_int_handler)   # (as from a terminal, even under a runner that ignores it)
from publish import fsutil
from publish.cli import main
real = fsutil.write_atomic
def write_atomic(path, data):
    if path.suffix == ".pdf":
        os.kill(os.getppid(), int(sys.argv[1]))
        time.sleep(30)                         # (ended by the build's end)
    real(path, data)
fsutil.write_atomic = write_atomic
import publish.render.pdf
publish.render.pdf.write_atomic = write_atomic
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_an_interrupted_build_leaves_no_partial_artifact(project_copy, sig):
    out = project_copy.build_dir / "en" / "common-goals.pdf"
    process = subprocess.run([sys.executable, "-c", INTERRUPTED_BUILD, str(int(sig)), "--project",
                              str(project_copy.path), "build", "--lang", "en", "--format", "pdf"],
                             cwd=project_copy.root, capture_output=True, text=True, timeout=120)
    assert process.returncode == 130 and "interrupted" in process.stderr, process.stderr
    assert not out.exists() and not list(project_copy.build_dir.rglob("*.tmp"))
    result = run_cli(project_copy, "build", "--lang", "en", "--format", "pdf")
    assert result.returncode == 0, result.stderr
    assert subprocess.run(["pdfinfo", str(out)], capture_output=True).returncode == 0
    assert not list(project_copy.build_dir.rglob("*.tmp"))


def test_two_builds_at_once(project_copy):
    command = [sys.executable, "-m", "publish", "--project", str(project_copy.path), "build", "--lang", "en",
               "--lang", "es", "--format", "html", "--format", "epub"]
    first = subprocess.Popen(command, cwd=project_copy.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    second = subprocess.Popen(command, cwd=project_copy.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert first.wait(timeout=120) == 0 and second.wait(timeout=120) == 0
    outputs = first.stderr.read().decode() + second.stderr.read().decode()
    assert "4 built, 0 up to date" in outputs and "0 built, 4 up to date" in outputs     # one waited for the other
    for lang in ("en", "es"):
        with zipfile.ZipFile(project_copy.build_dir / lang / "common-goals.epub") as epub:
            assert epub.testzip() is None
        assert (project_copy.build_dir / lang / "common-goals.html").read_text(encoding="utf-8").endswith("</html>\n")


def test_update_po_after_reorganising_the_source(project_copy):
    source = project_copy.root / "source" / "common-goals.md"
    text = source.read_text(encoding="utf-8")
    paragraphs = text.split("\n\n")
    # Move the first paragraph of the introduction to the end of Part I's first section.
    intro = next(i for i, p in enumerate(paragraphs) if p.startswith("# Introduction"))
    moved = paragraphs.pop(intro + 1)
    at = next(i for i, p in enumerate(paragraphs) if p.startswith("## 2. The Necessities"))
    paragraphs.insert(at, moved)
    source.write_text("\n\n".join(paragraphs), encoding="utf-8")
    po_path = project_copy.catalog_path("common-goals", "es")
    before = {e.msgstr for e in catalog.read(po_path) if e.msgstr}
    assert main(["--project", str(project_copy.path), "update-po"]) == 0
    after = catalog.read(po_path)
    assert before <= {e.msgstr for e in after if e.msgstr}
    moved_entry = next(e for e in after if e.msgid == moved and not e.obsolete)
    assert moved_entry.msgctxt.startswith("part-1-1/") and moved_entry.msgstr and "fuzzy" not in moved_entry.flags


KILLED_BUILD = """
import os, sys, time
from pathlib import Path
from publish import fsutil
from publish.cli import main
real = fsutil.write_atomic
def write_atomic(path, data):
    if path.suffix == ".pdf":
        Path(sys.argv[1]).write_text(str(os.getpid()))     # a worker is at work: the test kills the build now
        time.sleep(120)
    real(path, data)
fsutil.write_atomic = write_atomic
import publish.render.pdf
publish.render.pdf.write_atomic = write_atomic
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.slow
def test_the_workers_die_with_a_killed_build(project_copy, tmp_path):
    import os
    import time
    marker = tmp_path / "worker"
    build_process = subprocess.Popen([sys.executable, "-c", KILLED_BUILD, str(marker), "--project",
                                      str(project_copy.path), "build", "--lang", "en", "--format", "pdf"],
                                     cwd=project_copy.root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
    deadline = time.monotonic() + 180
    while not marker.exists():
        assert time.monotonic() < deadline and build_process.poll() is None, "no worker started"
        time.sleep(0.2)
    worker = int(marker.read_text())
    os.kill(build_process.pid, signal.SIGKILL)
    build_process.wait()
    deadline = time.monotonic() + 30
    while Path(f"/proc/{worker}").exists() and Path(f"/proc/{worker}/stat").read_text().split()[2] != "Z":
        assert time.monotonic() < deadline, "a worker outlived the build"
        time.sleep(0.2)
    survivors = [p for p in Path("/proc").glob("[0-9]*")
                 if (p / "stat").exists() and _session(p) == build_process.pid]
    assert not survivors
    assert not (project_copy.build_dir / "en" / "common-goals.pdf").exists()


def _session(proc) -> int | None:
    try:
        fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[3]) if fields[0] != "Z" else None
    except (OSError, IndexError, ValueError):
        return None
