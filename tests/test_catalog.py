"""Catalogs: valid gettext written as gettext tools write it, a merge that never loses a translation,
and a rewrite that never overwrites a translator's save."""

from __future__ import annotations

import subprocess

import polib
import pytest
from babel.messages import pofile as babel_pofile
from hypothesis import given, settings
from hypothesis import strategies as st
from translate.storage import po as ttk_po

from publish import catalog
from publish.build import load_sources
from publish.errors import CatalogError
from publish.segments import Segment
from publish.update import update_catalogs

from .conftest import ROOT


def template(units: list[tuple[str, str]]) -> polib.POFile:
    return catalog.make_template([Segment(ctx, "para", text, n + 1) for n, (ctx, text) in enumerate(units)],
                                 "doc.md", "doc")


def translations(po: polib.POFile) -> set[str]:
    return {e.msgstr for e in po if e.msgstr}


SHIPPED = sorted([*(ROOT / "translations").glob("*.pot"), *(ROOT / "translations").glob("*/*.po")])


def test_the_shipped_catalogs_pass_msgfmt_polib_and_babel():
    for path in SHIPPED:
        result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert len(polib.pofile(str(path))) > 0
        with open(path, "rb") as handle:
            assert len(babel_pofile.read_po(handle)) > 0


def test_the_shipped_catalogs_are_current_with_the_sources_and_templates(project_copy):
    """A change to a source or a template comes with its catalogs (`make update-po`): a fresh clone's
    first build rewrites none of them."""
    from publish.build import load_sources
    from publish.update import update_catalogs
    update = update_catalogs(project_copy, load_sources(project_copy))
    assert update.errors == [] and update.written == [], "run `make update-po` and commit the catalogs"


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.relative_to(ROOT / "translations").as_posix())
def test_gettext_tools_and_weblate_rewrite_a_shipped_catalog_byte_for_byte(path, tmp_path):
    """GNU msgcat and translate-toolkit (Weblate's writer) save an unchanged catalog without a diff."""
    out = tmp_path / "out.po"
    subprocess.run(["msgcat", "-o", str(out), str(path)], check=True)
    assert out.read_bytes() == path.read_bytes()
    assert bytes(ttk_po.pofile.parsefile(str(path))) == path.read_bytes()


def test_the_header_speaks_to_translators_and_carries_no_build_stamp():
    for path in SHIPPED:
        text = path.read_text(encoding="utf-8")
        assert "do not edit by hand" not in text and "X-Publish-Source" not in text
    assert "Edit the msgstr lines" in (ROOT / "translations" / "es" / "common-goals.po").read_text(encoding="utf-8")


def test_percent_signs_are_not_python_format():
    pot = polib.pofile(str(ROOT / "translations" / "common-goals.pot"))
    with_percent = [e for e in pot if "%" in e.msgid]
    assert with_percent and all("no-python-format" in e.flags for e in with_percent)


def test_update_po_twice_changes_nothing(project_copy):
    sources = load_sources(project_copy)
    update_catalogs(project_copy, sources, force=True)
    files = sorted(project_copy.translations_dir.rglob("*.po*"))
    before = {p: p.read_bytes() for p in files}
    assert update_catalogs(project_copy, sources, force=True).written == []
    assert {p: p.read_bytes() for p in files} == before


def test_changed_source_keeps_translation_fuzzy_with_previous_msgid():
    old, _ = catalog.merge(template([("s/p1", "Old text."), ("s/p2", "Other.")]), None, "es-419")
    old[0].msgstr, old[1].msgstr = "Texto viejo.", "Otro."
    new, report = catalog.merge(template([("s/p1", "New text."), ("s/p2", "Other.")]), old, "es-419")
    entry = new.find("New text.", msgctxt="s/p1")
    assert entry.msgstr == "Texto viejo." and "fuzzy" in entry.flags
    assert entry.previous_msgid == "Old text."
    assert report.fuzzy == 1 and report.kept == 1 and report.new == 0
    text = catalog.render(new).decode()
    assert '#| msgid "Old text."' in text
    assert '#| msgid "Old text."' in catalog.render(polib.pofile(text)).decode()


def test_an_english_edit_undone_restores_the_translation():
    old, _ = catalog.merge(template([("s/p1", "Old text.")]), None, "es-419")
    old[0].msgstr = "Texto viejo."
    edited, _ = catalog.merge(template([("s/p1", "New text.")]), old, "es-419")
    back, report = catalog.merge(template([("s/p1", "Old text.")]), polib.pofile(catalog.render(edited).decode()),
                                 "es-419")
    entry = back.find("Old text.", msgctxt="s/p1")
    assert entry.msgstr == "Texto viejo." and "fuzzy" not in entry.flags and entry.previous_msgid is None
    assert report.restored == 1


@pytest.mark.parametrize("why", ["machine translation", "a translator's needs-work", "a vendor's needs-review"])
def test_an_english_edit_undone_leaves_an_entry_fuzzy_for_another_reason_fuzzy(why):
    old, _ = catalog.merge(template([("s/p1", "Old text.")]), None, "es-419")
    old[0].msgstr, old[0].flags = "Texto propuesto.", ["fuzzy"]
    if why == "machine translation":
        old[0].comment = "Machine translation (libre): review before removing the fuzzy flag."
    edited, _ = catalog.merge(template([("s/p1", "New text.")]), old, "es-419")
    back, report = catalog.merge(template([("s/p1", "Old text.")]), polib.pofile(catalog.render(edited).decode()),
                                 "es-419")
    entry = back.find("Old text.", msgctxt="s/p1")
    assert entry.msgstr == "Texto propuesto." and "fuzzy" in entry.flags and report.restored == 0
    assert ("Machine translation (libre)" in (entry.comment or "")) == (why == "machine translation")


def test_vanished_source_becomes_obsolete_and_comes_back():
    old, _ = catalog.merge(template([("s/p1", "Kept."), ("s/p2", "Goes away.")]), None, "pt-BR")
    old[0].msgstr, old[1].msgstr = "Mantido.", "Vai embora."
    middle, report = catalog.merge(template([("s/p1", "Kept.")]), old, "pt-BR")
    assert report.obsoleted == 1
    assert [(e.msgctxt, e.msgstr) for e in middle if e.obsolete] == [("s/p2", "Vai embora.")]
    assert '#~ msgid "Goes away."' in catalog.render(middle).decode()
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
    assert report.new == 0


def test_split_paragraph_gets_fuzzy_suggestions():
    old, _ = catalog.merge(template([("a/p1", "The first sentence is here. The second sentence is there.")]),
                           None, "es-419")
    old[0].msgstr = "La primera oración está aquí. La segunda está allá."
    new, _ = catalog.merge(template([("a/p1", "The first sentence is here."),
                                     ("a/p2", "The second sentence is there.")]), old, "es-419")
    assert all("fuzzy" in e.flags and e.msgstr for e in new if not e.obsolete)


def test_strings_without_context_get_no_suggestion_from_an_unrelated_one():
    """UI strings have no msgctxt: a new one is not offered the translation of whichever came last."""
    old = template([])
    for msgid, msgstr in (("Contents", "Índice"), ("Translation: %(credit)s", "Traducción: %(credit)s")):
        old.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    fresh = template([])
    for msgid in ("Contents", "Draft: this edition is not published.", "Translation: {credit}"):
        fresh.append(polib.POEntry(msgid=msgid, msgstr=""))
    new, report = catalog.merge(fresh, old, "es-419")
    assert new.find("Draft: this edition is not published.").msgstr == ""
    assert new.find("Translation: {credit}").msgstr == "Traducción: %(credit)s"     # similar: a suggestion
    assert report.new == 1


def test_new_counts_only_units_the_catalog_never_had():
    old, _ = catalog.merge(template([("a/p1", "Kept."), ("a/p2", "Still untranslated.")]), None, "es-419")
    old[0].msgstr = "Mantenido."
    _, report = catalog.merge(template([("a/p1", "Kept."), ("a/p2", "Still untranslated.")]), old, "es-419")
    assert report.new == 0
    moved, report = catalog.merge(template([("a/p1", "Kept."), ("b/p1", "Still untranslated."),
                                            ("b/p2", "Really new.")]), old, "es-419")
    assert report.new == 1 and moved.find("Still untranslated.", msgctxt="b/p1").msgstr == ""


def test_header_language_and_plural_forms():
    po, _ = catalog.merge(template([("a/p1", "x")]), None, "zh-Hans")
    assert po.metadata["Language"] == "zh_Hans"
    assert po.metadata["Plural-Forms"] == "nplurals=1; plural=0;"


def test_a_retired_build_stamp_is_dropped_by_the_next_merge():
    old, _ = catalog.merge(template([("a/p1", "x")]), None, "es-419")
    old.metadata["X-Publish-Source"] = "0" * 64
    new, _ = catalog.merge(template([("a/p1", "x")]), old, "es-419")
    assert "X-Publish-Source" not in new.metadata


def test_a_unit_s_own_obsolete_translation_comes_back_and_the_other_is_kept():
    """(found by the property below) A unit whose English came back finds its own translation, kept
    obsolete, as msgmerge revives it; the same English translated elsewhere stays, obsolete: a catalog
    cannot hold two entries of one context and English."""
    old = template([("s/p1", "Same text.")])
    old[0].msgstr = "Uno"
    old.append(polib.POEntry(msgctxt="s/p2", msgid="Same text.", msgstr="Dos", flags=["fuzzy"], obsolete=True))
    new, _ = catalog.merge(template([("s/p2", "Same text."), ("s/p3", "Other.")]), old, "es-419")
    new = polib.pofile(catalog.render(new).decode())
    assert new.find("Same text.", msgctxt="s/p2").msgstr == "Dos"
    assert [(e.msgctxt, e.msgstr) for e in new if e.obsolete] == [("s/p1", "Uno")]


def test_a_suggestion_from_a_fuzzy_entry_without_previous_english_is_a_valid_catalog():
    """(found by the property below) gettext writes no "#| msgctxt" without "#| msgid"."""
    old = template([("s/p1", "Alpha beta gamma.")])
    old[0].msgstr, old[0].flags = "Alfa beta gama.", ["fuzzy"]          # a machine translation: no #| of its own
    new, report = catalog.merge(template([("s/p2", "Alpha beta gamma delta.")]), old, "es-419")
    entry = polib.pofile(catalog.render(new).decode()).find("Alpha beta gamma delta.", msgctxt="s/p2")
    assert report.fuzzy == 1 and entry.msgstr == "Alfa beta gama." and "fuzzy" in entry.flags
    assert entry.previous_msgctxt is None and entry.previous_msgid is None


def test_a_suggestion_of_the_same_english_from_elsewhere_stays_fuzzy_in_the_next_merge():
    """(found by the property below) Only an edit of the unit's own English that is undone clears the
    fuzziness it caused; a suggestion taken from another unit waits for the translator."""
    units = [("s/p1", "Beta gamma."), ("s/p2", "Alpha.")]
    old = template([("s/p1", "Alpha."), ("s/p2", "Alpha.")])
    old[0].msgstr = "Alfa."
    first, _ = catalog.merge(template(units), old, "es-419")
    first = polib.pofile(catalog.render(first).decode())
    assert "fuzzy" in first.find("Alpha.", msgctxt="s/p2").flags
    second, report = catalog.merge(template(units), first, "es-419")
    entry = second.find("Alpha.", msgctxt="s/p2")
    assert entry.msgstr == "Alfa." and "fuzzy" in entry.flags and report.restored == 0


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


@settings(max_examples=300, deadline=None)
@given(edit_sequences(), st.data())
def test_no_sequence_of_edits_and_merges_loses_a_translation(steps, data):
    po = None
    for op, units in steps:
        before = translations(po) if po is not None else set()
        po, _ = catalog.merge(template([(f"s/p{n + 1}", u) for n, u in enumerate(units)]), po, "es-419")
        po = polib.pofile(catalog.render(po).decode())      # through the file format, as update-po does
        assert before <= translations(po), "a merge lost a translation"
        if op == "translate":      # a translator fills or rewrites some entries
            for number, entry in enumerate(po):
                if not entry.obsolete and data.draw(st.booleans()):
                    entry.msgstr = f"T{number}-{len(steps)}: {entry.msgid}"
                    if "fuzzy" in entry.flags:
                        entry.flags.remove("fuzzy")


# -- reading ----------------------------------------------------------------------------------------

def test_bad_catalogs_are_reported_with_file_and_line(tmp_path):
    path = tmp_path / "bad.po"
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr "b"\n'
                    'msgid "c"\nmsgstrr "d"\n', encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        catalog.read(path)
    assert str(caught.value).startswith(f"{path}:8: syntax error")


def test_a_byte_order_mark_is_named(tmp_path):
    path = tmp_path / "bom.po"
    path.write_bytes(b"\xef\xbb\xbf" + (ROOT / "translations" / "es" / "templates.po").read_bytes())
    with pytest.raises(CatalogError) as caught:
        catalog.read(path)
    assert str(caught.value).startswith(f"{path}:1: the file starts with a byte-order mark (BOM)")


@pytest.mark.parametrize("char", ["\x0b", "\x1e", "\x85", "\u2028"])
def test_an_invisible_control_character_is_named_on_its_own_line(tmp_path, char):
    """gettext reads these as text, Python as line ends: polib would read the string cut short, and an
    edition publish something else than the file says (a translation of "<0\x1e" read as "<")."""
    path = tmp_path / "vt.po"
    path.write_text(f'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr "b{char}c"\n',
                    encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        catalog.read(path)
    assert str(caught.value).startswith(f"{path}:5: the line holds U+{ord(char):04X} (")


def test_a_finding_points_at_the_msgstr_line(tmp_path):
    path = tmp_path / "es.po"
    po, _ = catalog.merge(template([("a/p1", "One.")]), None, "es")
    po[0].msgstr = "Uno."
    catalog.save(po, path, None)
    entry = catalog.read(path)[0]
    assert path.read_text(encoding="utf-8").splitlines()[entry.msgstr_line - 1] == 'msgstr "Uno."'
    assert entry.msgstr_line > entry.linenum


def test_ignore_same_is_kept_as_a_translator_comment_that_gettext_tools_keep(tmp_path):
    old, _ = catalog.merge(template([("s/p1", "China")]), None, "es-419")
    old[0].msgstr = "China"
    old[0].flags.append("ignore-same")             # as Weblate may write it
    new, _ = catalog.merge(template([("s/p1", "China"), ("s/p2", "More.")]), old, "es-419")
    path = tmp_path / "es.po"
    catalog.save(new, path, None)
    text = path.read_text(encoding="utf-8")
    assert "# ignore-same\n" in text and "#, ignore-same" not in text
    subprocess.run(["msgcat", "-o", str(path), str(path)], check=True)
    assert catalog.has_marker(catalog.read(path).find("China", msgctxt="s/p1"), "ignore-same")


# -- writing without losing a save ------------------------------------------------------------------

def _catalog_file(tmp_path):
    path = tmp_path / "es.po"
    po, _ = catalog.merge(template([("a/p1", "One."), ("a/p2", "Two.")]), None, "es")
    catalog.save(po, path, None)
    return path


def test_a_save_made_between_read_and_write_survives(tmp_path, monkeypatch):
    """A translator's editor saves (atomic rename, as Poedit does) while a command holds what it read:
    the command's replace does not overwrite it."""
    path = _catalog_file(tmp_path)
    read = path.read_bytes()
    ours = catalog.read(path)
    ours[0].msgstr = "Uno (ours)."
    theirs = catalog.read(path)
    theirs[1].msgstr = "Dos (the translator's)."
    real_exchange = catalog._exchange
    saved = []

    def save_then_exchange(a, b):
        if not saved:                              # the translator saves just before the swap
            tmp = tmp_path / ".poedit-save"
            tmp.write_bytes(catalog.render(theirs))
            tmp.replace(path)
            saved.append(True)
        return real_exchange(a, b)
    monkeypatch.setattr(catalog, "_exchange", save_then_exchange)
    with pytest.raises(catalog.CatalogChanged):
        catalog.save(ours, path, read)
    assert catalog.read(path)[1].msgstr == "Dos (the translator's)."
    assert catalog.read(path)[0].msgstr == ""
    assert not list(tmp_path.glob(".es.po.*"))      # no temporary file left


def test_a_save_before_the_check_is_not_overwritten_either(tmp_path):
    path = _catalog_file(tmp_path)
    read = path.read_bytes()
    ours = catalog.read(path)
    ours[0].msgstr = "Uno."
    path.write_bytes(read.replace(b'msgstr ""', b'msgstr "Saved meanwhile."', 1))
    with pytest.raises(catalog.CatalogChanged):
        catalog.save(ours, path, read)
    assert b"Saved meanwhile." in path.read_bytes()


def test_an_unchanged_file_is_replaced(tmp_path):
    path = _catalog_file(tmp_path)
    read = path.read_bytes()
    ours = catalog.read(path)
    ours[0].msgstr = "Uno."
    assert catalog.save(ours, path, read) is True
    assert catalog.read(path)[0].msgstr == "Uno."
    assert catalog.save(catalog.read(path), path, path.read_bytes()) is False     # nothing new: not written
