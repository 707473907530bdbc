"""Catalogs: valid gettext, stable, and a merge that never loses a translation."""

from __future__ import annotations

import subprocess

import polib
import pytest
from babel.messages import pofile as babel_pofile
from hypothesis import given, settings
from hypothesis import strategies as st

from publish import catalog
from publish.build import _load_sources
from publish.errors import CatalogError
from publish.segments import Segment
from publish.update import update_catalogs


def template(units: list[tuple[str, str]]) -> polib.POFile:
    return catalog.make_template([Segment(ctx, "para", text, n + 1) for n, (ctx, text) in enumerate(units)],
                                 "doc.md", "doc")


def translations(po: polib.POFile) -> set[str]:
    return {e.msgstr for e in po if e.msgstr}


def test_the_template_and_catalogs_pass_msgfmt(project_copy):
    update_catalogs(project_copy, _load_sources(project_copy))
    paths = [project_copy.translations_dir / "common-goals.pot",
             *(project_copy.translations_dir / l / f"{d}.po" for l in ("es", "pt", "zh")
               for d in ("common-goals", "templates"))]
    for path in paths:
        result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        polib.pofile(str(path))
        with open(path, "rb") as handle:
            babel_pofile.read_po(handle)


def test_percent_signs_are_not_python_format(project_copy):
    update_catalogs(project_copy, _load_sources(project_copy))
    pot = polib.pofile(str(project_copy.translations_dir / "common-goals.pot"))
    with_percent = [e for e in pot if "%" in e.msgid]
    assert with_percent
    assert all("no-python-format" in e.flags for e in with_percent)


def test_update_po_twice_changes_nothing(project_copy):
    sources = _load_sources(project_copy)
    update_catalogs(project_copy, sources)
    files = sorted(project_copy.translations_dir.rglob("*.po*"))
    before = {p: p.read_bytes() for p in files}
    result = update_catalogs(project_copy, sources)
    assert result.written == []
    assert {p: p.read_bytes() for p in files} == before


def test_changed_source_keeps_translation_fuzzy_with_previous_msgid():
    old, _ = catalog.merge(template([("s/p1", "Old text."), ("s/p2", "Other.")]), None, "es-419")
    old[0].msgstr, old[1].msgstr = "Texto viejo.", "Otro."
    new, report = catalog.merge(template([("s/p1", "New text."), ("s/p2", "Other.")]), old, "es-419")
    entry = new.find("New text.", msgctxt="s/p1")
    assert entry.msgstr == "Texto viejo." and "fuzzy" in entry.flags
    assert entry.previous_msgid == "Old text."
    assert report.fuzzy == 1 and report.kept == 1
    text = catalog.render(new)
    assert '#| msgid "Old text."' in text
    # The #| line survives a read through polib and a write.
    assert '#| msgid "Old text."' in catalog.render(polib.pofile(text))


def test_vanished_source_becomes_obsolete_and_comes_back():
    old, _ = catalog.merge(template([("s/p1", "Kept."), ("s/p2", "Goes away.")]), None, "pt-BR")
    old[0].msgstr, old[1].msgstr = "Mantido.", "Vai embora."
    middle, report = catalog.merge(template([("s/p1", "Kept.")]), old, "pt-BR")
    assert report.obsoleted == 1
    ghost = [e for e in middle if e.obsolete]
    assert [(e.msgctxt, e.msgstr) for e in ghost] == [("s/p2", "Vai embora.")]
    assert "#~ msgid \"Goes away.\"" in catalog.render(middle)
    back, _ = catalog.merge(template([("s/p1", "Kept."), ("s/p9", "Goes away.")]), middle, "pt-BR")
    assert back.find("Goes away.", msgctxt="s/p9").msgstr == "Vai embora."
    assert not [e for e in back if e.obsolete]


def test_moved_paragraph_keeps_its_translation():
    old, _ = catalog.merge(template([("a/p1", "First."), ("a/p2", "Second.")]), None, "zh-Hans")
    old[0].msgstr, old[1].msgstr = "第一。", "第二。"
    new, report = catalog.merge(template([("a/p1", "Second."), ("b/p1", "First.")]), old, "zh-Hans")
    assert new.find("Second.", msgctxt="a/p1").msgstr == "第二。"
    assert new.find("First.", msgctxt="b/p1").msgstr == "第一。"
    assert not any("fuzzy" in e.flags for e in new)


def test_split_paragraph_gets_fuzzy_suggestions():
    old, _ = catalog.merge(template([("a/p1", "The first sentence is here. The second sentence is there.")]),
                           None, "es-419")
    old[0].msgstr = "La primera oración está aquí. La segunda está allá."
    new, _ = catalog.merge(template([("a/p1", "The first sentence is here."),
                                     ("a/p2", "The second sentence is there.")]), old, "es-419")
    live = [e for e in new if not e.obsolete]
    assert all("fuzzy" in e.flags and e.msgstr for e in live)


def test_header_language_and_plural_forms():
    po, _ = catalog.merge(template([("a/p1", "x")]), None, "zh-Hans")
    assert po.metadata["Language"] == "zh_Hans"
    assert po.metadata["Plural-Forms"] == "nplurals=1; plural=0;"


# -- merge as a property: no sequence of source edits and merges loses a translation ---------------

words = st.sampled_from(["alpha", "beta", "gamma", "delta", "rights", "trade", "cooperation", "1,000", "70%"])
sentences = st.lists(words, min_size=1, max_size=6).map(lambda w: " ".join(w).capitalize() + ".")


@st.composite
def edit_sequences(draw):
    units = draw(st.lists(sentences, min_size=1, max_size=6))
    steps = []
    for _ in range(draw(st.integers(1, 6))):
        units = list(units)
        op = draw(st.sampled_from(["edit", "insert", "delete", "move", "split", "merge", "translate"]))
        i = draw(st.integers(0, max(0, len(units) - 1)))
        if op == "edit" and units:
            units[i] = draw(sentences)
        elif op == "insert":
            units.insert(i, draw(sentences))
        elif op == "delete" and len(units) > 1:
            units.pop(i)
        elif op == "move" and len(units) > 1:
            units.insert(draw(st.integers(0, len(units) - 1)), units.pop(i))
        elif op == "split" and units and " " in units[i]:
            head, tail = units[i].split(" ", 1)
            units[i:i + 1] = [head + ".", tail]
        elif op == "merge" and i + 1 < len(units):
            units[i:i + 2] = [units[i] + " " + units[i + 1]]
        steps.append((op, units))
    return steps


@settings(max_examples=150, deadline=None)
@given(edit_sequences(), st.data())
def test_no_sequence_of_edits_and_merges_loses_a_translation(steps, data):
    po = None
    for op, units in steps:
        before = translations(po) if po is not None else set()
        po, _ = catalog.merge(template([(f"s/p{n + 1}", u) for n, u in enumerate(units)]), po, "es-419")
        # Round trip through the file format, as update-po does.
        po = polib.pofile(catalog.render(po))
        assert before <= translations(po), "a merge lost a translation"
        if op == "translate":      # a translator fills or rewrites some entries
            for number, entry in enumerate(po):
                if not entry.obsolete and data.draw(st.booleans()):
                    entry.msgstr = f"T{number}-{len(steps)}: {entry.msgid}"
                    if "fuzzy" in entry.flags:
                        entry.flags.remove("fuzzy")


def test_bad_catalogs_are_reported_with_file_and_line(tmp_path):
    path = tmp_path / "bad.po"
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr "b"\n'
                    'msgid "c"\nmsgstrr "d"\n', encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        catalog.read(path)
    assert str(caught.value).startswith(f"{path}:8: syntax error")


def test_translator_flags_survive_a_merge():
    old, _ = catalog.merge(template([("s/p1", "China")]), None, "es-419")
    old[0].msgstr = "China"
    old[0].flags.append("ignore-same")
    new, _ = catalog.merge(template([("s/p1", "China"), ("s/p2", "More.")]), old, "es-419")
    assert "ignore-same" in new.find("China", msgctxt="s/p1").flags


def test_each_read_is_a_catalog_of_its_own_and_follows_the_file(tmp_path):
    path = tmp_path / "es.po"
    po, _ = catalog.merge(catalog.make_template([Segment("a/p1", "para", "One.", 1)], "doc.md", "doc"), None, "es")
    po[0].msgstr = "Uno."
    catalog.save(po, path)
    first, second = catalog.read(path), catalog.read(path)
    first[0].msgstr = "Changed."
    assert second[0].msgstr == "Uno." and catalog.read(path)[0].msgstr == "Uno."
    assert second.fpath == str(path) and second[0].linenum > 0
    catalog.save(first, path)
    assert catalog.read(path)[0].msgstr == "Changed."
    path.write_text(path.read_text(encoding="utf-8") + 'msgid "x\n', encoding="utf-8")
    with pytest.raises(CatalogError):                  # a broken file is read again, not remembered
        catalog.read(path)


def test_a_stamped_template_holds_the_segments_and_a_hand_edited_one_does_not(project_copy, monkeypatch):
    from publish import segments, source as sources
    doc = project_copy.documents[0]
    update_catalogs(project_copy, _load_sources(project_copy))
    pot = project_copy.catalog_path(doc)
    extracted = segments.segment(sources.load(doc.source).ast, doc.source.read_text(encoding="utf-8"))

    def no_pandoc(slots):
        raise AssertionError("the units were written again")
    monkeypatch.setattr(segments, "to_markdown", no_pandoc)
    assert sources.load(doc.source, None, pot).segments() == extracted

    # An entry changed by hand under the same stamp: the template no longer counts as the extraction.
    monkeypatch.undo()
    text = pot.read_text(encoding="utf-8")
    edited = catalog.read(pot)
    next(e for e in edited if e.msgctxt == extracted[3].context).msgid = "Edited by hand"
    pot.write_text(catalog.render(edited), encoding="utf-8")
    assert "Edited by hand" in pot.read_text(encoding="utf-8")
    assert catalog.current_template(pot, sources.load(doc.source).key) is None
    assert sources.load(doc.source, None, pot).segments() == extracted
    update_catalogs(project_copy, _load_sources(project_copy))       # the extraction comes back
    assert pot.read_text(encoding="utf-8").partition("\n\n")[2] == text.partition("\n\n")[2]
    assert catalog.current_template(pot, sources.load(doc.source).key) is not None


def test_a_build_merges_only_the_catalogs_not_merged_with_the_current_template(project_copy):
    update_catalogs(project_copy, _load_sources(project_copy))
    es, pt = (project_copy.catalog_path(project_copy.documents[0], code) for code in ("es", "pt"))
    stamp = catalog.read(project_copy.catalog_path(project_copy.documents[0])).metadata[catalog.SOURCE_HEADER]
    assert catalog.read(es).metadata[catalog.SOURCE_HEADER] == stamp
    # es as merged with another template; pt merged with this one, then an entry lost by hand.
    es.write_text(es.read_text(encoding="utf-8").replace(stamp, "0" * 64), encoding="utf-8")
    first = next(e for e in catalog.read(pt) if e.msgid)
    pt_text = pt.read_text(encoding="utf-8")
    lost = pt_text.replace(f'msgctxt "{first.msgctxt}"\n', 'msgctxt "gone"\n', 1)
    pt.write_text(lost, encoding="utf-8")

    update_catalogs(project_copy, _load_sources(project_copy), only_if_changed={})
    assert catalog.read(es).metadata[catalog.SOURCE_HEADER] == stamp
    assert pt.read_text(encoding="utf-8") == lost          # a build trusts the stamp ...
    update_catalogs(project_copy, _load_sources(project_copy))
    assert first.msgctxt in {e.msgctxt for e in catalog.read(pt) if not e.obsolete}   # ... update-po does not


def test_a_build_takes_a_stamped_document_template_as_it_is_until_the_source_changes(project_copy, monkeypatch):
    from publish import source as sources
    update_catalogs(project_copy, _load_sources(project_copy))
    doc = project_copy.documents[0]
    pot, es = project_copy.catalog_path(doc), project_copy.catalog_path(doc, "es")
    before = {path: path.read_bytes() for path in project_copy.translations_dir.rglob("*.po*")}

    def no_extraction(*args, **kwargs):
        raise AssertionError("the document's template was made again")
    monkeypatch.setattr(catalog, "make_template", no_extraction)
    assert update_catalogs(project_copy, _load_sources(project_copy), only_if_changed={}).written == []
    assert {path: path.read_bytes() for path in before} == before

    # A new paragraph in the source: the build extracts it and merges it into every catalog.
    monkeypatch.undo()
    doc.source.write_text(doc.source.read_text(encoding="utf-8") + "\nA closing paragraph.\n", encoding="utf-8")
    written = update_catalogs(project_copy, _load_sources(project_copy), only_if_changed={}).written
    assert pot in written and es in written
    assert "A closing paragraph." in {e.msgid for e in catalog.read(es)}
    assert catalog.current_template(pot, sources.load(doc.source).key) is not None


def test_a_catalog_read_by_an_earlier_command_is_neither_parsed_nor_run_through_msgfmt(tmp_path, monkeypatch):
    from publish.fsutil import PARSED
    monkeypatch.setattr(PARSED, "folder", None)
    PARSED.keep_under(tmp_path / "build")
    path = tmp_path / "es.po"
    po, _ = catalog.merge(catalog.make_template([Segment("a/p1", "para", "%(n)s units.", 1)], "doc.md", "doc"),
                          None, "es")
    po[0].flags.append("python-format")
    po[0].msgstr = "%(m)s unidades."                   # msgfmt --check names the placeholder
    catalog.save(po, path)
    first, said = catalog.read(path), catalog.check_messages(path)
    assert "%(m)s" in said or "'m'" in said

    def refused(*args, **kwargs):
        raise AssertionError("parsed or checked again")
    # A later command: nothing of the first read is left in memory.
    monkeypatch.setattr(catalog, "_READ", {})
    monkeypatch.setattr(catalog._SyntaxCheck, "accepted", set())
    monkeypatch.setattr(catalog._SyntaxCheck, "messages", {})
    monkeypatch.setattr(catalog.polib, "pofile", refused)
    monkeypatch.setattr(catalog.subprocess, "Popen", refused)
    monkeypatch.setattr(catalog.subprocess, "run", refused)
    again = catalog.read(path)
    assert [(e.msgctxt, e.msgid, e.msgstr, e.flags, e.linenum) for e in again] == \
           [(e.msgctxt, e.msgid, e.msgstr, e.flags, e.linenum) for e in first]
    assert again.fpath == str(path) and catalog.check_messages(path) == said
    monkeypatch.undo()
    monkeypatch.setattr(PARSED, "folder", tmp_path / "build" / ".cache" / "read")
    catalog.save(catalog.read(path), path)
    path.write_text(path.read_text(encoding="utf-8").replace("%(m)s unidades.", "%(n)s unidades."), encoding="utf-8")
    assert catalog.read(path)[0].msgstr == "%(n)s unidades." and catalog.check_messages(path) == ""
    for kept in (tmp_path / "build" / ".cache" / "read").iterdir():
        kept.write_bytes(b"not a pickle")             # damaged: read as if nothing were kept
    catalog._READ.clear()
    assert catalog.read(path)[0].msgstr == "%(n)s unidades."
