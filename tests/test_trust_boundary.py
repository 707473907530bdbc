"""Every translated string is untrusted input: the reproductions of security-and-faults.md C1, M1-M5 and
M9, each failing safe under a normal build, a release and the QA override, checked by parsing the
artifacts (and, for scripts, in Chromium)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile

import pytest
from bs4 import BeautifulSoup

from publish import catalog, inspection
from publish.build import BuildOptions, build
from publish.cli import main

from .conftest import add_override, set_msgstr

pytestmark = pytest.mark.slow
SKIP = "Skip to the text"
RIGHTS = "The English text is the authoritative version."
PROVISIONAL = "Provisional data: not yet verified against the published source"
MODES = {"build": {}, "release": {"release": True}, "override": {}}


def verify_figures(project) -> None:
    for csv in (project.root / "source" / "figures").glob("*.csv"):
        csv.write_text(csv.read_text(encoding="utf-8").replace(",no,", ",yes,"), encoding="utf-8")


def set_ui(project, msgid: str, msgstr: str, lang: str = "es") -> None:
    path = project.translations_dir / lang / "templates.po"
    po = catalog.read(path)
    po.find(msgid).msgstr = msgstr
    path.write_text(str(po), encoding="utf-8")        # (as polib writes it: whatever the translator typed)


def artifacts(project, lang: str = "es") -> list:
    """Where the edition's artifacts are: published or kept as drafts."""
    found = []
    for folder in (project.build_dir / lang, project.build_dir / "drafts" / "common-goals" / lang):
        found += [p for p in folder.glob("common-goals.*")]
    return found


def assert_every_artifact_is_safe(project, lang: str = "es") -> None:
    site_js = (project.templates_dir / "js" / "site.js").read_text(encoding="utf-8").strip()
    paths = artifacts(project, lang)
    assert paths, "no artifact at all"
    for path in paths:
        data = path.read_bytes()
        if path.suffix == ".html":
            assert inspection.inspect("html", data, {site_js}) == []
        elif path.suffix == ".epub":
            assert inspection.inspect("epub", data, set()) == []
    for svg in (project.build_dir / lang).glob("figures/*.svg"):
        ET.fromstring(svg.read_bytes())


def run(project, mode: str, **extra):
    """A build; "override": with a blanket QA override for the language in publish.toml."""
    options = {"languages": ["es"], "formats": ["html", "epub"], **MODES[mode], **extra}
    if mode == "release":
        verify_figures(project)
    if mode == "override":
        project = add_override(project, language="es")
    return build(project, BuildOptions(**options))


# -- UI strings (templates.po) ---------------------------------------------------------------------------

@pytest.mark.parametrize("mode", sorted(MODES))
def test_c1_a_script_in_a_ui_string_never_runs(project_copy, mode):
    payload = "Saltar al texto<script/src=data:,document.title='XSS-EXECUTED'></script/>"
    set_ui(project_copy, SKIP, payload)
    result = run(project_copy, mode)
    verdict = result.verdicts[("common-goals", "es")]
    assert verdict.state == "refused" and "QA error" in verdict.reasons[0]     # the override cannot skip it
    assert not (project_copy.build_dir / "es" / "common-goals.html").exists()
    draft = project_copy.build_dir / "drafts" / "common-goals" / "es" / "common-goals.html"
    page = BeautifulSoup(draft.read_text(encoding="utf-8"), "html.parser")
    assert page.select_one("a.skip-link").get_text() == payload                  # shown as text
    assert_every_artifact_is_safe(project_copy)


def test_c1_in_chromium_the_page_s_title_is_unchanged(project_copy):
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Debian's chromium is not installed")
    set_ui(project_copy, SKIP, "Saltar<script/src=data:,document.title='XSS-EXECUTED'></script/>"
                               "<img src=x onerror=\"document.title='XSS-EXECUTED'\">")
    run(project_copy, "override")
    draft = project_copy.build_dir / "drafts" / "common-goals" / "es" / "common-goals.html"
    dom = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                          draft.as_uri()], capture_output=True, text=True, timeout=120).stdout
    title = re.search(r"<title>([^<]*)", dom).group(1)
    assert "XSS" not in title and title.startswith("Objetivos comunes")


@pytest.mark.parametrize("mode", ["build", "release"])
def test_m2_an_ampersand_in_the_chart_s_mark_keeps_the_svg_and_the_pdf_whole(project_copy, mode):
    set_ui(project_copy, PROVISIONAL, "Datos provisionales: aún no verificados con la fuente publicada (P&D)")
    if mode == "release":          # (a release draws no provisional mark once the data is verified)
        csv = project_copy.root / "source" / "figures" / "china-lac-trade.csv"
        csv.write_text(csv.read_text(encoding="utf-8").replace("2012,261.2,no", "2012,261.2,yes"), encoding="utf-8")
    result = build(project_copy, BuildOptions(languages=["es"], formats=["pdf", "epub"]))
    assert result.ok, (result.errors, result.verdicts)
    svg = (project_copy.build_dir / "es" / "figures" / "fig-trade.svg").read_bytes()
    mark = ET.fromstring(svg).find(".//{http://www.w3.org/2000/svg}text[@class='mark']")
    assert mark.text.endswith("(P&D)")
    text = subprocess.run(["pdftotext", str(project_copy.build_dir / "es" / "common-goals.pdf"), "-"],
                          capture_output=True, text=True).stdout
    assert "(P&D)" in text
    assert_every_artifact_is_safe(project_copy)


@pytest.mark.parametrize("mode", sorted(MODES))
def test_m2_a_colophon_string_cannot_inject_metadata_into_the_epub(project_copy, mode):
    set_ui(project_copy, RIGHTS, "El texto en inglés es la versión auténtica.</dc:rights><dc:title>Libro falso"
                                 "</dc:title><dc:rights>")
    result = run(project_copy, mode)
    assert result.verdicts[("common-goals", "es")].state == "refused"
    epub = next(p for p in artifacts(project_copy) if p.suffix == ".epub")
    with zipfile.ZipFile(epub) as zf:
        opf = ET.fromstring(zf.read("EPUB/content.opf"))
    titles = [t.text for t in opf.iter("{http://purl.org/dc/elements/1.1/}title")]
    assert titles == ["Objetivos comunes"]
    rights = next(opf.iter("{http://purl.org/dc/elements/1.1/}rights")).text
    assert "</dc:title>" in rights                                            # text, not elements


@pytest.mark.parametrize("msgstr", ["Índice %(fecha)s", "Índice (%)", "{{ x }} {% for x in () %}{% endfor %}"])
def test_m3_a_percent_or_template_syntax_in_a_ui_string_is_just_text(project_copy, msgstr):
    set_ui(project_copy, "Contents", msgstr)
    result = run(project_copy, "build")
    assert result.ok, (result.errors, result.verdicts)
    page = BeautifulSoup((project_copy.build_dir / "es" / "common-goals.html").read_text(encoding="utf-8"),
                         "html.parser")
    assert page.select_one("#toc-title").get_text() == msgstr


def test_m3_a_placeholder_the_english_lacks_is_a_qa_error_on_that_entry(project_copy, capsys):
    set_ui(project_copy, "Contents", "Índice {fecha}")
    path = project_copy.translations_dir / "es" / "templates.po"
    assert main(["--project", str(project_copy.path), "check", "--po", str(path)]) == 1
    out = capsys.readouterr().out
    line = next(l for l in out.splitlines() if "placeholders" in l)
    number = int(line.split(":")[1])
    assert path.read_text(encoding="utf-8").splitlines()[number - 1] == 'msgstr "Índice {fecha}"'


def test_m4_a_broken_plural_forms_refuses_that_language_only(project_copy):
    path = project_copy.translations_dir / "es" / "templates.po"
    text = re.sub(r'"Plural-Forms:.*?\\n"\n', "", path.read_text(encoding="utf-8"), flags=re.S)
    path.write_text(text.replace('"Language: es_419\\n"\n', '"Language: es_419\\n"\n'
                                 '"Plural-Forms: nplurals=2; plural=n ==;\\n"\n'), encoding="utf-8")
    result = build(project_copy, BuildOptions(languages=["es", "pt"], formats=["html"]))
    assert result.verdicts[("common-goals", "es")].state == "refused"
    assert result.verdicts[("common-goals", "pt")].published
    messages = [str(e) for e in result.errors]
    line = next(n for n, l in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "Plural-Forms" in l)
    assert any(m.startswith(f"{path}:{line}: ") and "plural" in m for m in messages), messages


# -- document catalogs -----------------------------------------------------------------------------------

ATTRIBUTE_PAYLOADS = {       # entry -> (what replaces its first words, what must not reach an artifact)
    "introduction/p1": ('[Hoy en día]{style="background-image:url(//evil.example/pixel.png)"}', "evil.example"),
    "introduction/p2": ("[A principios]{#main} [.]{#introduction}", None),
    "introduction/p3": ('[Frente]{onmouseover="alert(document.domain)"}', "onmouseover"),
}


@pytest.mark.parametrize("mode", sorted(MODES))
def test_m1_attributes_a_translation_adds_never_reach_an_artifact(project_copy, mode):
    target = project_copy.catalog_path("common-goals", "es")
    po = catalog.read(target)
    for msgctxt, (payload, _) in ATTRIBUTE_PAYLOADS.items():
        entry = po.find(msgctxt, by="msgctxt")
        first = entry.msgstr.split(" ", 2)
        entry.msgstr = payload + " " + first[2]
    target.write_text(str(po), encoding="utf-8")
    result = run(project_copy, mode)
    assert result.verdicts[("common-goals", "es")].state == "refused"
    for path in artifacts(project_copy):
        data = path.read_bytes()
        if path.suffix == ".epub":
            with zipfile.ZipFile(path) as zf:
                data = b"".join(zf.read(n) for n in zf.namelist() if not n.endswith(".png"))
        for _, absent in ATTRIBUTE_PAYLOADS.values():
            assert absent is None or absent.encode() not in data
    html = next(p for p in artifacts(project_copy) if p.suffix == ".html").read_text(encoding="utf-8")
    assert html.count('id="introduction"') == 1 and html.count('id="main"') == 1
    assert_every_artifact_is_safe(project_copy)


CHARACTERS = {"introduction/heading": "\x00", "introduction/p1": "\x08", "introduction/p2": "\x1b",
              "introduction/p3": "\u202e"}


@pytest.mark.parametrize("mode", sorted(MODES))
def test_m5_control_characters_never_reach_an_artifact(project_copy, mode):
    target = project_copy.catalog_path("common-goals", "es")
    po = catalog.read(target)
    for msgctxt, char in CHARACTERS.items():
        entry = po.find(msgctxt, by="msgctxt")
        entry.msgstr = entry.msgstr[:5] + char + entry.msgstr[5:]
    target.write_text(str(po), encoding="utf-8")
    result = run(project_copy, mode)
    assert result.verdicts[("common-goals", "es")].state == "refused"
    for path in artifacts(project_copy):
        if path.suffix == ".epub":
            with zipfile.ZipFile(path) as zf:
                texts = [n for n in zf.namelist() if n.endswith((".xhtml", ".opf", ".ncx", ".xml", ".svg", ".css"))]
                data = b"".join(zf.read(n) for n in texts)
        else:
            data = path.read_bytes()
        for char in CHARACTERS.values():
            assert char.encode() not in data
    assert_every_artifact_is_safe(project_copy)


def test_m9_without_msgfmt_nothing_is_built_and_the_package_is_named(project_copy, tmp_path):
    bare = tmp_path / "bin"
    bare.mkdir()
    for program in os.listdir("/usr/bin"):
        if program not in ("msgfmt", "msgcat"):
            os.symlink(f"/usr/bin/{program}", bare / program)
    done = subprocess.run([sys.executable, "-m", "publish", "--project", str(project_copy.path), "build"],
                          capture_output=True, text=True, env={**os.environ, "PATH": str(bare)}, timeout=120)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "error: msgfmt: not found on PATH; install the Debian package gettext (apt-get install gettext)"]
    assert not (project_copy.build_dir / "es").exists()
