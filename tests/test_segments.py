"""Segmentation from pandoc's AST: units, stable contexts, Markdown messages, and the identity round trip."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from publish import catalog, pandoc
from publish.apply import apply
from publish.segments import segment, walk
from publish.source import load

from .conftest import DATA, ROOT
from .normalize import normalize

CORPUS = sorted((DATA / "corpus").glob("*.md")) + [ROOT / "source" / "common-goals.md"]


def identity_catalog(path: Path):
    src = load(path)
    pot = catalog.make_template(segment(src.ast, src.text), path.name, path.stem)
    po, _ = catalog.merge(pot, None, "es-419")
    for entry in po:
        entry.msgstr = entry.msgid
    return src, po


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_identity_catalog_reproduces_the_document(path):
    src, po = identity_catalog(path)
    translated, report = apply(src.ast, po, "es-419")
    assert report.problems == [] and report.translated == report.total
    expected = copy.deepcopy(src.ast)
    translated["meta"].pop("lang")
    expected["meta"].pop("lang", None)
    assert normalize(translated) == normalize(expected)


def test_units_and_contexts_of_the_fixture():
    src = load(DATA / "corpus" / "structures.md")
    contexts = [s.context for s in segment(src.ast, src.text)]
    assert contexts[:6] == ["meta/title", "meta/subtitle", "meta/abstract/p1", "meta/abstract/p2",
                            "meta/keywords/i1", "meta/keywords/i2"]
    for expected in ["first/heading", "first/p1", "first/p3/note1/p1", "first/p3/note1/p2", "first/p3/note2/p1",
                     "lists/list1/i2/p1", "lists/list1/i2/list1/i2/p2", "lists/dl1/i2/d2/p1",
                     "quotes-code-and-lines/quote1/quote1/p1", "quotes-code-and-lines/table1/r3c1/p1",
                     "quotes-code-and-lines/table1/caption/p1", "quotes-code-and-lines/lines1/l2",
                     "fig-one/caption/p1", "box/p1", "box/div1/p1"]:
        assert expected in contexts, expected
    assert len(contexts) == len(set(contexts))


def test_inline_markup_stays_in_the_message():
    src = load(DATA / "corpus" / "structures.md")
    texts = {s.context: s.text for s in segment(src.ast, src.text)}
    assert texts["first/p2"] == ("Citations: [@smith2020], [see @smith2020, p.\u00a033], "
                                 "[@smith2020; @doe2019, chap.\u00a02], @doe2019 [p.\u00a04] and [-@smith2020].")
    assert texts["first/p3"] == "A note with two paragraphs[^1] and an inline one.[^2]"
    assert "[link](https://example.org/a?b=c \"A title\")" in texts["first/p1"]
    assert texts["quotes-code-and-lines/p1"].startswith("Some text with a \"quotation\"")


def test_identical_strings_in_different_places_stay_separate():
    src = load(DATA / "corpus" / "same-text.md")
    segments = segment(src.ast, src.text)
    repeated = [s.context for s in segments if s.text == "Repeated paragraph."]
    assert repeated == ["one/p1", "two/p1", "two/p2"]
    assert [s.line for s in segments] == [1, 3, 5, 7, 9]


def test_an_edit_elsewhere_keeps_every_other_context(tmp_path):
    original = (ROOT / "source" / "common-goals.md").read_text(encoding="utf-8")
    before = {s.context: s.text for s in segment(pandoc.read_markdown(ROOT / "source" / "common-goals.md"), original)}
    edited = original.replace("## 2. The Necessities", "New paragraph in part one.\n\n## 2. The Necessities", 1)
    path = tmp_path / "edited.md"
    path.write_text(edited, encoding="utf-8")
    after = {s.context: s.text for s in segment(pandoc.read_markdown(path), edited)}
    assert set(after) - set(before) == {"part-1-1/p%d" % (sum(c.startswith("part-1-1/p") and c.count("/") == 1
                                                              for c in before) + 1)}
    assert all(after[c] == t for c, t in before.items())


def test_report_references_point_at_source_lines():
    path = ROOT / "source" / "common-goals.md"
    src = load(path)
    lines = src.text.splitlines()
    for seg in segment(src.ast, src.text):
        if seg.kind == "heading":
            assert lines[seg.line - 1].startswith("#"), seg
        elif seg.context.endswith("/p1") and "/" not in seg.context.split("/", 1)[1][:-3] and \
                not seg.context.startswith("meta"):
            first_word = seg.text.split()[0].strip("\"*[")
            assert first_word in lines[seg.line - 1], (seg.context, seg.line)


def test_duplicate_ids_are_an_error(tmp_path):
    path = tmp_path / "dup.md"
    path.write_text("# A {#x}\n\ntext\n\n# B {#x}\n\nmore\n", encoding="utf-8")
    with pytest.raises(Exception) as caught:
        list(walk(pandoc.read_markdown(path)))
    assert "share the identifier" in str(caught.value)
