"""The PDF editions, read back with poppler: text, metadata, fonts, and notes on the page of their call."""

from __future__ import annotations

import re
import subprocess

import pytest

from ..conftest import TAGS
import yaml

from publish.validate import note_pages

from .test_html import SECTIONS



def pdftotext(path, *args) -> str:
    return subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, text=True, check=True).stdout


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def english(built):
    return built.build_dir / "en" / "common-goals.pdf"


def test_every_heading_is_in_the_text(built, english):
    from bs4 import BeautifulSoup
    soup = BeautifulSoup((built.build_dir / "en" / "common-goals.html").read_text(encoding="utf-8"), "html.parser")
    text = squash(pdftotext(english))
    for section in SECTIONS:
        heading = soup.find(id=section).find(re.compile("h[1-6]")).get_text()
        assert squash(heading) in text, heading


def test_every_reference_url_is_in_the_text(built, english):
    refs = yaml.safe_load((built.root / "source" / "references.yaml").read_text(encoding="utf-8"))["references"]
    text = squash(pdftotext(english, "-layout"))   # the default mode drops a URL's own hyphen at a line end
    for ref in refs:
        assert squash(ref["URL"]) in text, ref["URL"]


@pytest.mark.parametrize("lang", sorted(TAGS))
def test_metadata_page_size_and_tagging(built, lang):
    info = subprocess.run(["pdfinfo", str(built.build_dir / lang / "common-goals.pdf")], capture_output=True,
                          text=True, check=True).stdout
    assert re.search(r"Title:\s+\S", info)
    assert "595.276 x 841.89 pts (A4)" in info
    assert re.search(r"Tagged:\s+yes", info)
    from pypdf import PdfReader
    assert PdfReader(built.build_dir / lang / "common-goals.pdf").trailer["/Root"]["/Lang"] == TAGS[lang]


@pytest.mark.parametrize("lang", sorted(TAGS))
def test_fonts_are_embedded_and_subset(built, lang):
    fonts = subprocess.run(["pdffonts", str(built.build_dir / lang / "common-goals.pdf")], capture_output=True,
                           text=True, check=True).stdout.splitlines()[2:]
    assert fonts
    for line in fonts:
        name, emb, sub = line.split()[0], line.split()[-5], line.split()[-4]
        assert (emb, sub) == ("yes", "yes"), line
        assert "+" in name


def test_chinese_uses_only_simplified_chinese_faces(built):
    fonts = subprocess.run(["pdffonts", str(built.build_dir / "zh" / "common-goals.pdf")], capture_output=True,
                           text=True, check=True).stdout
    cjk = [l.split()[0] for l in fonts.splitlines()[2:] if "CJK" in l]
    assert cjk, "no CJK face embedded"
    assert all("CJK-SC" in name or "CJKsc" in name or "SC" in name.split("-") for name in cjk), cjk


@pytest.mark.parametrize("lang", sorted(TAGS))
def test_each_note_sits_on_the_page_of_its_call(built, lang):
    calls, notes = note_pages(built.build_dir / lang / "common-goals.pdf")
    assert sorted(notes) == list(range(1, 29))
    misplaced = {n: (calls.get(n), notes[n]) for n in notes if calls.get(n) != notes[n]}
    assert not misplaced, f"note: (page of call, page of note) {misplaced}"


@pytest.mark.parametrize("lang", sorted(TAGS))
def test_no_contents_entry_is_parted_from_its_page_number(built, lang):
    pdf = built.build_dir / lang / "common-goals.pdf"
    pages = pdftotext(pdf, "-layout").split("\f")
    heading = {"en": "Contents", "es": "Índice", "pt": "Sumário", "zh": "目录"}[lang]
    toc = next(p for p in pages if any(l.strip() == heading for l in p.splitlines()) and "....." in p)
    lines = [l.strip() for l in toc.splitlines() if l.strip()]
    numbered = [l for l in lines if re.search(r"\d+$", l)]
    assert len([l for l in numbered if "..." in l]) == len(SECTIONS)     # every entry has its number
    # A leader and its page number always end an entry's last line of text, never stand alone.
    assert not [l for l in numbered if re.fullmatch(r"\.{3,}[.\s]*\d+", l)]


@pytest.mark.slow
def test_us_letter_and_a_print_shop_variant_with_bleed(project_copy):
    from pypdf import PdfReader

    from publish.build import BuildOptions, build
    from publish.project import load_project
    text = project_copy.path.read_text(encoding="utf-8").replace('page-size = "A4"', 'page-size = "Letter"\nbleed = true')
    project_copy.path.write_text(text, encoding="utf-8")
    project = load_project(project_copy.path)
    assert build(project, BuildOptions(languages=["en"], formats=["pdf"])).ok
    page = PdfReader(project.build_dir / "en" / "common-goals.pdf").pages[3]
    trim, media = page.trimbox, page.mediabox
    assert (round(float(trim.width)), round(float(trim.height))) == (612, 792)       # US Letter
    bleed = (float(media.width) - float(trim.width)) / 2
    assert abs(bleed - 3 / 25.4 * 72) < 0.5                                           # 3 mm on each side
