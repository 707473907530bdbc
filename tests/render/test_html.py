"""The HTML editions, parsed: contents, notes linked both ways, figures, nothing fetched from elsewhere."""

from __future__ import annotations

import pytest

from ..conftest import TAGS
from bs4 import BeautifulSoup

LANGS = ["en", "es", "pt", "zh"]
SECTIONS = ["introduction", "part-1", "part-1-1", "part-1-2", "part-2", "part-2-1", "part-2-2", "part-2-3",
            "part-2-4", "part-3", "part-3-1", "part-3-2", "part-3-3"]


def page(project, lang):
    path = project.build_dir / lang / "common-goals.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("lang", LANGS)
def test_language_and_title(built, lang):
    soup = page(built, lang)
    assert soup.html["lang"] == TAGS[lang]
    assert soup.find("h1").get_text(strip=True)
    assert len(soup.find_all("h1")) == 1


@pytest.mark.parametrize("lang", LANGS)
def test_contents_link_to_every_section(built, lang):
    soup = page(built, lang)
    toc = [a["href"] for a in soup.select("nav.toc a")]
    assert toc == [f"#{s}" for s in SECTIONS]
    for section in SECTIONS:
        assert soup.find(id=section) is not None, section


@pytest.mark.parametrize("lang", LANGS)
def test_28_notes_linked_both_ways(built, lang):
    soup = page(built, lang)
    refs = soup.select("a.footnote-ref")
    assert len(refs) == 28
    for ref in refs:
        note = soup.find(id=ref["href"].lstrip("#"))
        assert note is not None and note.name == "li"
        back = note.select_one("a.footnote-back")
        assert back["href"] == f"#{ref['id']}"
    notes = soup.select("section.footnotes li")
    assert len(notes) == 28
    assert sum("1+3+6" in n.get_text() for n in notes) == 1


def test_english_notes_carry_the_references(built):
    notes = page(built, "en").select("section.footnotes li")
    text = " ".join(n.get_text(" ", strip=True) for n in notes)
    assert "https://press.un.org/en/2024/sgsm22127.doc.htm" in text
    assert text.count("accessed August 21, 2024") == 26


@pytest.mark.parametrize("lang", LANGS)
def test_figures_with_text_alternatives(built, lang):
    soup = page(built, lang)
    figures = soup.find_all("figure")
    assert [f["id"] for f in figures] == ["fig-trade", "fig-energy"]
    for figure in figures:
        img = figure.find("img")
        assert img["alt"].strip()
        assert (built.build_dir / lang / img["src"]).is_file()
        assert figure.find("figcaption").get_text(strip=True)


@pytest.mark.parametrize("lang", LANGS)
def test_nothing_is_fetched_from_another_host(built, lang):
    soup = page(built, lang)
    for tag, attr in (("img", "src"), ("script", "src"), ("link", "href"), ("iframe", "src"), ("source", "src")):
        for element in soup.find_all(tag):
            value = element.get(attr)
            if value and tag == "link" and element.get("rel") == ["alternate"]:
                continue
            assert value is None or "://" not in value, (tag, value)


def test_index_links_every_edition(built):
    soup = BeautifulSoup((built.build_dir / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = {a["href"] for a in soup.find_all("a")}
    for lang in LANGS:
        for fmt in ("html", "pdf", "epub"):
            assert f"{lang}/common-goals.{fmt}" in links
    names = [a.get_text(strip=True) for a in soup.select("a.edition")]
    assert "English" in names and "中文 (简体)" in names


@pytest.mark.parametrize("lang", LANGS)
def test_note_calls_sit_on_the_language_s_side_of_the_punctuation(built, lang):
    from .calls import SIDES, call_sides
    body = str(page(built, lang).select_one("main"))
    sides = call_sides(body.split('<section class="footnotes')[0])
    assert len(sides) >= 15 and set(sides) == {SIDES[lang]}


@pytest.mark.parametrize("lang", LANGS)
def test_every_chart_s_data_is_a_table_beside_it(built, lang):
    soup = page(built, lang)
    table = soup.select_one("#fig-trade-data table")
    rows = [[c.get_text(strip=True) for c in tr.find_all(["th", "td"])] for tr in table.select("tbody tr")]
    assert len(rows) == 14 and rows[0][0] == "2010"
    assert rows[0][1] == {"pt": "183,6"}.get(lang, "183.6")        # as the chart prints it, in the locale's form
    assert table.caption.get_text(strip=True) == {"en": "Data of figure 1", "es": "Datos de la figura 1",
                                                  "pt": "Dados da figura 1", "zh": "图1数据"}[lang]
    energy = [[c.get_text(strip=True) for c in tr.find_all(["th", "td"])]
              for tr in soup.select("#fig-energy-data tbody tr")]
    assert [r[1] for r in energy] == ["1/100", "1/9", "1/6"]


def test_chinese_headings_are_numbered_as_chinese_documents_number_them(built):
    toc = [a.get_text(strip=True) for a in page(built, "zh").select("nav.toc a")]
    assert toc[1].startswith("一、") and toc[2].startswith("（一）") and toc[4].startswith("二、")
    assert toc[-1].startswith("（三）")
