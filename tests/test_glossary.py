"""The glossary: loads, covers the domain, exports as TBX, and reports a broken file with its line."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from publish.cli import main
from publish.errors import ConfigError
from publish.glossary import GLOSSARY, contains, load

from .conftest import ROOT

PATH = ROOT / "translations" / GLOSSARY


def test_the_glossary_covers_the_domain_with_sources():
    glossary = load(PATH)
    assert len(glossary.terms) >= 60
    from publish.glossary import _english_pattern
    source = (ROOT / "source" / "common-goals.md").read_text(encoding="utf-8")
    for term in glossary.terms:
        assert any(_english_pattern(v).search(source) for v in term.english), term.id
        if not term.dnt:
            assert set(term.renderings) == {"es", "pt", "zh"}, term.id
            assert all(r.source for r in term.renderings.values()), term.id
    ids = [t.id for t in glossary.terms]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("text,rendering,language,found", [
    ("los derechos al desarrollo", "derecho al desarrollo", "es-419", True),
    ("las naciones en desarrollo", "nación en desarrollo", "es-419", True),
    ("alcanzar", "ALC", "es-419", False),
    ("as políticas globais", "política global", "pt-BR", True),
    ("as declarações", "declaração", "pt-BR", True),
    ("中拉命运共同体", "中拉", "zh-Hans", True),
    ("IPCC和世界气象组织", "IPCC", "zh-Hans", True),
])
def test_inflection_aware_matching(text, rendering, language, found):
    assert contains(text, rendering, language) == found


def test_tbx_export(tmp_path, capsys):
    out = tmp_path / "glossary.tbx"
    assert main(["glossary", "--tbx", str(out)]) == 0
    root = ET.parse(out).getroot()
    assert root.tag == "martif"
    entries = root.findall("./text/body/termEntry")
    assert len(entries) == len(load(PATH).terms)
    eclac = next(e for e in entries if e.get("id") == "eclac")
    langs = {ls.get("{http://www.w3.org/XML/1998/namespace}lang"): [t.findtext("term") for t in ls.findall("tig")]
             for ls in eclac.findall("langSet")}
    assert "CEPAL" in langs["es-419"] and "CEPAL" in langs["pt-BR"] and "en" in langs
    statuses = {n.text for n in eclac.iter("termNote")}
    assert "preferredTerm-admn-sts" in statuses
    # Translate Toolkit, as CAT tools and Weblate use it, reads the file.
    from translate.storage import tbx
    store = tbx.tbxfile.parsefile(str(out))
    assert len(store.units) == len(entries)


def test_an_editor_adds_a_term_without_code(tmp_path):
    text = PATH.read_text(encoding="utf-8") + (
        "\n  - id: test-term\n    en: [Test Term]\n    note: added by an editor\n"
        "    es: {preferred: término de prueba, source: editor}\n")
    path = tmp_path / GLOSSARY
    path.write_text(text, encoding="utf-8")
    glossary = load(path)
    assert glossary.terms[-1].renderings["es"].preferred == "término de prueba"


@pytest.mark.parametrize("text,line,words", [
    ("terms:\n  - id: a\n    en: [A]\n  - id: b\n    en [B]\n", 5, "invalid YAML"),
    ("terms:\n  - id: a\n    en: [A]\n  - id: a\n    en: [B]\n", 4, "appears twice"),
    ("terms:\n  - id: a\n    en: [A]\n    es: {admitted: [x]}\n", 2, "preferred required"),
])
def test_a_broken_glossary_names_file_and_line(tmp_path, text, line, words):
    path = tmp_path / GLOSSARY
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load(path)
    assert str(caught.value).startswith(f"{path}:{line}:") and words in str(caught.value)
