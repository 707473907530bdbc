"""The bibliography in the edition's language: its reader-facing fields translated through the document's
catalog (plain text, whatever a translator writes), a per-language overlay of facts, English kept and marked."""

from __future__ import annotations

import pytest
import yaml
from bs4 import BeautifulSoup

from publish import catalog
from publish.bibliography import given_contexts, units
from publish.build import load_sources
from publish.checks import check_project
from publish.edition import prepare

from .conftest import set_msgstr


def notes(edition) -> list:
    soup = BeautifulSoup(edition.parts("web").body, "html.parser")
    return soup.select("section.footnotes li")


def es_edition(project):
    doc = project.documents[0]
    return prepare(project, doc, project.language("es"), load_sources(project)[doc.id])


def test_the_catalog_offers_each_reader_facing_field_with_where_it_is():
    from tests.conftest import ROOT
    found = {u.context: u for u in units(ROOT / "source" / "references.yaml", "source/references.yaml")}
    undp = found["ref/undp-mpi-2023/author/1"]
    assert undp.text == "UNDP" and undp.origin == "source/references.yaml"
    assert (ROOT / "source" / "references.yaml").read_text().splitlines()[undp.line - 1] == "- id: undp-mpi-2023"
    assert found["ref/undp-mpi-2023/publisher-place"].text == "New York"
    assert "ref/undp-mpi-2023/URL" not in found and "ref/undp-mpi-2023/issued" not in found   # facts, not words
    assert not any(c.startswith("ref/carvalho-shared-future-2021/author") for c in found)      # a person's name
    pot = catalog.read(ROOT / "translations" / "common-goals.pot")
    entry = pot.find("ref/undp-mpi-2023/publisher-place", by="msgctxt")
    assert entry.occurrences == [("source/references.yaml", str(undp.line))] and "Plain text" in entry.comment


def test_the_notes_speak_the_edition_s_language_and_mark_what_stays_english(project_copy):
    path = project_copy.catalog_path(project_copy.documents[0], project_copy.language("es"))
    set_msgstr(path, "ref/undp-mpi-2023/publisher-place", "Nueva York")
    set_msgstr(path, "ref/undp-mpi-2023/title", catalog.read(path).find("ref/undp-mpi-2023/title", by="msgctxt").msgid)
    note = notes(es_edition(project_copy))[1]
    assert "Nueva York" in note.get_text() and "New York" not in note.get_text()
    kept = note.find("span", lang="en")                              # the English title, marked as English
    assert kept is not None and kept.get_text().startswith("2023 Global Multidimensional Poverty Index")


def test_a_translation_in_a_note_is_plain_text_whatever_it_holds(project_copy):
    path = project_copy.catalog_path(project_copy.documents[0], project_copy.language("es"))
    hostile = 'Ginebra <script>alert(1)</script> *x* [@ipcc-syr-2023] <img src=x onerror=alert(2)>'
    set_msgstr(path, "ref/ipcc-syr-2023/publisher-place", hostile)
    edition = es_edition(project_copy)
    note = notes(edition)[3]
    assert hostile in note.get_text()                    # every character shown as the character it is
    assert note.find("script") is None and note.find("img") is None and note.select(".citation") == []
    assert [e.get_text() for e in note.find_all("em")] == ["Climate Change 2023: Synthesis Report"]   # the style's
    assert "<script>" not in edition.parts("web").body and "<script>" not in edition.parts("print").body
    # and QA calls it what it is, an error no override can waive
    findings = check_project(project_copy, ["es"])
    assert any(f.check == "raw-html" and f.msgctxt == "ref/ipcc-syr-2023/publisher-place" and f.severity == "error"
               and f.security for f in findings)


def test_the_overlay_gives_facts_and_removes_what_does_not_apply(project_copy):
    root = project_copy.root
    (root / "source" / "references.es.yaml").write_text(yaml.safe_dump({"references": [
        {"id": "wmo-global-climate-2024", "URL": "https://library.wmo.int/es/estado-del-clima-2023", "publisher": None},
    ]}), encoding="utf-8")
    note = notes(es_edition(project_copy))[5 - 1]
    text = note.get_text()
    assert "https://library.wmo.int/es/estado-del-clima-2023" in text and "68835" not in text
    assert "Publishing" not in text and "OMM Publishing" not in text           # the publisher, removed
    doc, es = project_copy.documents[0], project_copy.language("es")
    assert given_contexts(doc, es) == {"ref/wmo-global-climate-2024/publisher"}


def test_an_overlay_naming_an_unknown_record_is_an_error_at_its_line(project_copy):
    from publish.errors import SourceError
    overlay = project_copy.root / "source" / "references.es.yaml"
    overlay.write_text("references:\n- id: ipcc-syr-2023\n  URL: https://x.example\n- id: no-such-record\n  URL: y\n",
                       encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        es_edition(project_copy)
    assert caught.value.path == overlay and caught.value.line == 4 and "no-such-record" in str(caught.value)


def test_untranslated_reference_fields_count_toward_completeness(project_copy, caplog):
    path = project_copy.catalog_path(project_copy.documents[0], project_copy.language("es"))
    before = es_edition(project_copy).report
    refs = [e.msgctxt for e in catalog.read(path) if e.msgctxt.startswith("ref/") and e.msgstr]
    for context in refs[:10]:
        set_msgstr(path, context, "")
    after = es_edition(project_copy).report
    assert after.total == before.total and after.untranslated == before.untranslated + 10
    assert after.percent < before.percent
    # ... and in the summary of what falls back to English that preparing the edition reports
    assert f"{after.fallbacks} of {after.total} units fall back to English ({after.untranslated} untranslated" \
        in caplog.text and after.fallbacks >= 10
