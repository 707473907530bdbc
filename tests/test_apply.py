"""Applying catalogs: translations replace their units, the rest falls back, nothing crashes."""

from __future__ import annotations


from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publish import catalog, pandoc
from publish.apply import apply
from publish.cli import main
from publish.segments import segment

from .normalize import normalize

# -- generated documents ----------------------------------------------------------------------------

word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzáéíóúñç中文", min_size=1, max_size=8)
number = st.integers(0, 10 ** 6).map(lambda n: f"{n:,}")


@st.composite
def inline(draw):
    kind = draw(st.sampled_from(["word", "word", "word", "number", "emph", "strong", "code", "link", "cite",
                                 "note", "quote"]))
    w = draw(word)
    return {"word": w, "number": draw(number), "emph": f"*{w}*", "strong": f"**{w}**", "code": f"`{w}`",
            "link": f"[{w}](https://example.org/{draw(st.integers(0, 99))} \"t\")",
            "cite": f"[see @key{draw(st.integers(0, 3))}, p. {draw(st.integers(1, 99))}]",
            "note": f"^[{w} note]", "quote": f'"{w}"'}[kind]


sentence = st.lists(inline(), min_size=1, max_size=8).map(lambda parts: " ".join(parts) + ".")


@st.composite
def block(draw, depth=0):
    kinds = ["para", "para", "heading", "list", "quote", "table", "code"] if depth < 2 else ["para"]
    kind = draw(st.sampled_from(kinds))
    if kind == "para":
        return draw(sentence)
    if kind == "heading":
        return "#" * draw(st.integers(1, 3)) + " " + draw(word) + " " + draw(word)
    if kind == "list":
        items = draw(st.lists(sentence, min_size=1, max_size=3))
        return "\n".join(f"- {item}" for item in items)
    if kind == "quote":
        return "> " + draw(sentence)
    if kind == "table":
        cells = draw(st.lists(word, min_size=4, max_size=4))
        return f"| {cells[0]} | {cells[1]} |\n|---|---|\n| {cells[2]} | {cells[3]} |"
    return "```\n" + draw(word) + "\n```"


documents = st.lists(block(), min_size=1, max_size=6).map(lambda blocks: "\n\n".join(blocks) + "\n")


def catalog_for(text: str, tmp_path):
    path = tmp_path / "doc.md"
    path.write_text(text, encoding="utf-8")
    doc = pandoc.read_markdown(path)
    pot = catalog.make_template(segment(doc, text), "doc.md", "doc")
    po, _ = catalog.merge(pot, None, "es-419")
    return doc, po


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents)
def test_identity_round_trip_on_generated_documents(tmp_path, text):
    doc, po = catalog_for(text, tmp_path)
    for entry in po:
        entry.msgstr = entry.msgid
    translated, report = apply(doc, po, "es-419")
    assert report.problems == []
    translated["meta"].pop("lang")
    assert normalize(translated) == normalize(doc)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents, st.data())
def test_arbitrary_translations_never_crash_apply(tmp_path, text, data):
    doc, po = catalog_for(text, tmp_path)
    for entry in po:
        entry.msgstr = data.draw(st.one_of(st.text(max_size=40), sentence, st.just(entry.msgid + " [@nokey]"),
                                           st.just("- a list\n- instead"), st.just("# heading"),
                                           st.just(entry.msgid.replace("[^1]", ""))))
    po_path = tmp_path / "es.po"
    translated, report = apply(doc, po, "es-419", po_path, source_tag="en")
    given = [e for e in po if e.msgstr]
    # Every translation given is either applied or reported, naming its file, line and unit.
    assert report.translated + len(report.problems) == len(given)
    for problem in report.problems:
        assert str(problem).startswith(f"{po_path}:") and f"[{problem.context}]" in str(problem)
        assert problem.context in {e.msgctxt for e in given}
    pandoc.convert(translated, ["-t", "html5"])     # the result is still a valid document


def test_a_translation_that_drops_or_adds_a_citation_falls_back(tmp_path):
    doc, po = catalog_for("Text [@a] and more [@b].\n\nAnother[^1] one.\n\n[^1]: A note.\n", tmp_path)
    po[0].msgstr = "Texto [@a] y más."                  # drops @b
    po[1].msgstr = "Otro uno."                          # drops the note reference
    translated, report = apply(doc, po, "es-419", source_tag="en")
    messages = [str(p) for p in report.problems]
    assert "citation keys differ: expected a, b, found a" in messages[0]
    assert "note references differ: expected [^1], found none" in messages[1]
    # Both units keep the English, marked as English.
    first = translated["blocks"][0]["c"][0]
    assert first["t"] == "Span" and ["lang", "en"] in first["c"][0][2]


def test_a_translation_must_keep_links_and_raw_markup_of_its_unit(tmp_path):
    doc, po = catalog_for("See [the report](https://example.org/r)[^1] and [@a].\n\nPlain text.\n\nMore text.\n\n"
                          "[^1]: Its note, with [a link](https://example.org/n) of its own.\n", tmp_path)
    units = {e.msgid: e for e in po}
    units["See [the report](https://example.org/r)[^1] and [@a]."].msgstr = \
        "Véase [el informe](https://example.org/r)[^1] y [@a]."          # the same target, key and note
    units["Plain text."].msgstr = "Texto con [un enlace](https://other.example/)."
    units["More text."].msgstr = "Más <b>texto</b>."
    units["Its note, with [a link](https://example.org/n) of its own."].msgstr = \
        "Su nota, con [un enlace](https://example.org/n) propio."       # a note's link is its own unit's
    _, report = apply(doc, po, "es-419")
    assert report.translated == len(po) - 2
    messages = sorted(str(p) for p in report.problems)
    assert "[front/p2] links or raw markup differ from the source: 'https://other.example/'" in messages[0]
    assert "[front/p3] links or raw markup differ from the source: '</b>'" in messages[1]


def test_stats_json(project_copy, capsys):
    assert main(["--project", str(project_copy.path), "stats", "--format", "json"]) == 0
    import json
    rows = json.loads(capsys.readouterr().out)
    assert {(r["language"], r["catalog"]) for r in rows} == {(l, c) for l in ("es", "pt", "zh")
                                                             for c in ("common-goals", "templates")}
    for row in rows:
        assert row["translated"] + row["fuzzy"] + row["untranslated"] == row["total"] > 0


def test_cli_apply_writes_translated_markdown(project_copy, tmp_path):
    out = tmp_path / "es.md"
    assert main(["apply", str(project_copy.root / "source" / "common-goals.md"),
                 str(project_copy.catalog_path("common-goals", "es")), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("---\n") and "Objetivos comunes" in text
    assert "[@undp-mpi-2023]" in text


def test_cli_pot_for_any_markdown_file(tmp_path):
    source = tmp_path / "any.md"
    source.write_text("# Hello {#hi}\n\nWorld 70% of it.\n", encoding="utf-8")
    out = tmp_path / "any.pot"
    assert main(["pot", str(source), "-o", str(out)]) == 0
    pot = catalog.read(out)
    assert [(e.msgctxt, e.msgid) for e in pot] == [("hi/heading", "Hello"), ("hi/p1", "World 70% of it.")]
    assert "no-python-format" in pot[1].flags
