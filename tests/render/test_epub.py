"""The EPUB editions: valid under epubcheck, with navigation, notes and the edition's language."""

from __future__ import annotations

import re
import subprocess
import zipfile

import pytest

EPUBCHECK = ["java", "-jar", "/usr/share/java/epubcheck.jar"]
TAGS = {"en": "en", "es": "es-419", "pt": "pt-BR", "zh": "zh-Hans"}


@pytest.mark.parametrize("lang", sorted(TAGS))
def test_epubcheck_passes(built, lang):
    path = built.build_dir / lang / "common-goals.epub"
    result = subprocess.run([*EPUBCHECK, str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No errors or warnings detected" in result.stdout


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
