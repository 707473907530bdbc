"""The HTML pandoc writes with an edition: the web page links notes at the end, the print page puts
each note at its call (for CSS float: footnote); the page's title is its only h1."""

from __future__ import annotations

import re

import pytest

from publish.build import load_sources
from publish.edition import prepare


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    from publish.project import load_project
    from tests.conftest import copy_project
    project = load_project(copy_project(tmp_path_factory.mktemp("common")) / "publish.toml")
    doc = project.documents[0]
    return prepare(project, doc, project.language("en"), load_sources(project)[doc.id])


def test_notes_at_their_call_only_on_the_print_page(english):
    web, printed = english.parts("web"), english.parts("print")
    assert 'class="footnote"' in printed.body and 'class="footnote"' not in web.body
    assert 'role="doc-noteref"' in web.body and 'role="doc-noteref"' not in printed.body
    assert printed.body.count('class="footnote"') == web.body.count('role="doc-noteref"') == 28
    assert "<h1" not in web.body and "<h2" in web.body        # the page's title is its only h1
    assert web.title == printed.title == "Common Goals"


def test_a_prepared_edition_comes_back_from_its_data(english):
    from publish.edition import Edition
    again = Edition.from_json(type("P", (), {"document": lambda s, i: english.document,
                                             "language": lambda s, c: english.language})(), english.to_json())
    assert again.ast == english.ast and again.html == english.html and again.svgs == english.svgs
    assert again.facts() == english.facts()


# -- honest editions: a translation in progress says so, credits only where the work exists ----------------

def _untranslate(project, lang: str, share: float) -> None:
    """Empty the first ``share`` of a catalog's translated entries, as if they were never translated."""
    from publish import catalog
    path = project.catalog_path(project.documents[0], project.language(lang))
    po = catalog.read(path)
    entries = [e for e in po if e.msgstr and not e.obsolete]
    for entry in entries[:int(len(entries) * share)]:
        entry.msgstr = ""
    path.write_bytes(catalog.render(po))


def _with_french(project):
    """A language whose translation has not begun, with a translation credit already declared."""
    from publish.project import load_project
    text = project.path.read_text(encoding="utf-8").replace(
        "\n[[languages]]", '\n[[languages]]\ncode = "fr"\ntag = "fr-FR"\ncsl-locale = "fr-FR"\n'
        'translation-credit = "Équipe de traduction"\nreview-credit = "Équipe de révision"\n\n[[languages]]', 1)
    project.path.write_text(text, encoding="utf-8")
    return load_project(project.path)


def _page(path):
    from bs4 import BeautifulSoup
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_an_edition_in_progress_says_so_first_and_credits_no_review(project_copy):
    from publish.build import BuildOptions, build
    _untranslate(project_copy, "es", 0.1)
    result = build(project_copy, BuildOptions(languages=["es"], formats=["html"]))
    assert result.verdicts[("common-goals", "es")].published
    soup = _page(project_copy.build_dir / "es" / "common-goals.html")
    notice = soup.select_one("main > .progress-notice")
    assert notice is not None and notice is soup.select_one("main").find(True)        # the first thing in the text
    assert re.fullmatch(r"Traducción en curso: 9\d\s?%\straducido; el resto se muestra en inglés\.",
                        notice.get_text(strip=True))
    colophon = soup.select_one("footer.colophon").get_text(" ", strip=True)
    assert "Traducción: equipo interno de traducción" in colophon and "Revisión:" not in colophon


def test_a_finished_edition_has_no_notice_and_both_credits(project_copy):
    from publish.build import BuildOptions, build
    build(project_copy, BuildOptions(languages=["es"], formats=["html"]))
    soup = _page(project_copy.build_dir / "es" / "common-goals.html")
    assert soup.select(".progress-notice") == []
    colophon = soup.select_one("footer.colophon").get_text(" ", strip=True)
    assert "Traducción: equipo interno" in colophon and "Revisión: equipo interno de revisión" in colophon


def test_an_untranslated_edition_passes_for_nothing_it_is_not(project_copy):
    from publish.build import BuildOptions, build
    project = _with_french(project_copy)
    result = build(project, BuildOptions(languages=["fr"], formats=["html", "epub"]))
    assert result.verdicts[("common-goals", "fr")].state == "in progress"        # a draft, not published
    soup = _page(project.build_dir / "drafts" / "common-goals" / "fr" / "common-goals.html")
    assert soup.html["lang"] == "fr-FR"
    notice = soup.select_one("main > .progress-notice")
    assert notice.get_text(strip=True) == "Translation in progress: 0\u00a0% translated; the rest is shown in English."
    colophon = soup.select_one("footer.colophon")
    text = colophon.get_text(" ", strip=True)
    assert "its translation has not begun" in text and "is a translation" not in text
    assert "Équipe" not in text                                     # no credit for work not done
    # Every UI string shown in English is marked as English, and nothing else is.
    english = [s.get_text() for s in soup.select('span[lang="en"]')]
    assert "Contents" in english and notice.find("span", lang="en") is not None
    assert all(s.get_text() for s in colophon.find_all("p") if s.find("span", lang="en"))
    import zipfile
    with zipfile.ZipFile(project.build_dir / "drafts" / "common-goals" / "fr" / "common-goals.epub") as epub:
        nav = epub.read("EPUB/nav.xhtml").decode("utf-8")
        text = "".join(epub.read(n).decode("utf-8") for n in epub.namelist() if n.endswith(".xhtml"))
    assert '<h1 id="toc-title">Contents</h1>' in nav             # (pandoc writes the heading as plain text)
    assert re.search(r'<h1[^>]*><span lang="en"[^>]*>Abstract</span></h1>', text)
    assert '<section id="abstract" class="level1 unnumbered">' in text     # the abstract itself is not marked


def test_a_translated_ui_string_is_not_marked_english(project_copy):
    from publish.build import BuildOptions, build
    build(project_copy, BuildOptions(languages=["es"], formats=["html"]))
    soup = _page(project_copy.build_dir / "es" / "common-goals.html")
    ui = soup.select('body > header span[lang="en"], nav span[lang="en"], footer span[lang="en"], '
                     '.title-block span[lang="en"], p[role="note"] span[lang="en"]')
    assert ui == [] and soup.select_one("summary.toc-title").get_text() == "Índice"


@pytest.mark.slow
def test_the_print_and_ebook_editions_say_it_on_their_first_pages(project_copy, tmp_path):
    import subprocess
    import zipfile
    from publish.build import BuildOptions, build
    _untranslate(project_copy, "pt", 0.1)
    build(project_copy, BuildOptions(languages=["pt"], formats=["pdf", "epub"]))
    first_page = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(project_copy.build_dir / "pt" / "common-goals.pdf"),
                                 "-"], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Tradução em andamento: 9\d\s?% traduzido; o restante é exibido em inglês\.", " ".join(first_page.split()))
    with zipfile.ZipFile(project_copy.build_dir / "pt" / "common-goals.epub") as epub:
        first = min(n for n in epub.namelist() if re.search(r"ch\d+\.xhtml$", n))
        text = epub.read(first).decode("utf-8")
    assert 'class="progress-notice"' in text and "Tradução em andamento" in text


def test_the_print_page_puts_note_calls_where_the_language_does(project_copy):
    from bs4 import BeautifulSoup
    from publish.build import load_sources
    from publish.edition import prepare
    from .calls import MARKS
    doc = project_copy.documents[0]
    edition = prepare(project_copy, doc, project_copy.language("es"), load_sources(project_copy)[doc.id])
    soup = BeautifulSoup(edition.parts("print").body, "html.parser")
    for note in soup.select("span.footnote"):
        note.replace_with("\x00")
    text = soup.get_text()
    before = re.findall(rf"\x00+[{MARKS}]", text)
    after = re.findall(rf"[{MARKS}]\x00", text)
    assert len(before) >= 15 and after == []          # es: the call before the mark (publish.toml, note-calls)
