"""The EPUB editions: navigation, notes, cover, accessibility metadata and the edition's language.
(epubcheck runs over every edition in tests/test_site.py, through `publish validate`.)"""

from __future__ import annotations

import re
import zipfile

import pytest

from ..conftest import TAGS



@pytest.mark.parametrize("lang", sorted(TAGS))
def test_notes_navigation_and_language(built, lang):
    with zipfile.ZipFile(built.build_dir / lang / "common-goals.epub") as epub:
        names = epub.namelist()
        opf = epub.read(next(n for n in names if n.endswith(".opf"))).decode()
        xhtml = "".join(epub.read(n).decode() for n in names if n.endswith(".xhtml"))
    assert f"<dc:language>{TAGS[lang]}</dc:language>" in opf
    assert 'properties="nav"' in opf
    assert len(re.findall(r'epub:type="noteref"', xhtml)) == 28
    assert len(re.findall(r'epub:type="footnote"', xhtml)) >= 28
    assert len([n for n in names if n.endswith(".svg")]) == 2
    assert 'id="fig-trade"' in xhtml and 'id="fig-energy"' in xhtml


def test_identifier_is_stable(built):
    with zipfile.ZipFile(built.build_dir / "en" / "common-goals.epub") as epub:
        opf = epub.read(next(n for n in epub.namelist() if n.endswith(".opf"))).decode()
    from publish.render.epub import identifier
    assert identifier("common-goals", "en") in opf


@pytest.mark.parametrize("lang", sorted(TAGS))
def test_cover_and_accessibility_metadata(built, lang):
    with zipfile.ZipFile(built.build_dir / lang / "common-goals.epub") as epub:
        names = epub.namelist()
        opf = epub.read(next(n for n in names if n.endswith(".opf"))).decode()
        nav = epub.read(next(n for n in names if n.endswith("nav.xhtml"))).decode()
    assert 'properties="cover-image"' in opf
    for prop in ("schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
                 "schema:accessibilityHazard", "schema:accessibilitySummary"):
        assert f'property="{prop}"' in opf, prop
    assert 'epub:type="landmarks"' in nav


@pytest.mark.parametrize("lang", sorted(TAGS))
def test_note_calls_and_chart_data_in_the_ebook(built, lang):
    from .calls import SIDES, call_sides
    with zipfile.ZipFile(built.build_dir / lang / "common-goals.epub") as epub:
        pages = {n: epub.read(n).decode("utf-8") for n in epub.namelist() if re.search(r"ch\d+\.xhtml$", n)}
        opf = next(epub.read(n).decode("utf-8") for n in epub.namelist() if n.endswith(".opf"))
    text = "".join(pages[n].split('<section id="footnotes"')[0].split('<aside')[0] for n in sorted(pages))
    sides = call_sides(text)
    assert len(sides) >= 15 and set(sides) == {SIDES[lang]}
    assert 'id="fig-trade-data"' in "".join(pages.values()) and "<table" in "".join(pages.values())
    assert '<meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>' in opf
