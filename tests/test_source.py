"""The canonical source of the report: clean, complete, and its citations resolved."""

from __future__ import annotations

import re

import pytest
import yaml

from publish import pandoc
from publish.segments import citation_keys, pandoc_text
from publish.source import bibliography_ids, check, load

from .conftest import ROOT

SOURCE = ROOT / "source" / "common-goals.md"
REFERENCES = ROOT / "source" / "references.yaml"

# Extraction damage listed for the reference text; none may survive in the source.
DAMAGE = ["worIdW|de", "partlcular", "El Nifio", "resPonded", "a}nd", "nhow", "Recnently", "SSHREF", "8§",
          "wolrd", "paticular", "Chineses", "the1 same", "i1nvestments", "s1ocial", "proportion1of", "a1nd",
          "production2of", "framework1", "almost340", "Catalog", "(33hina", "BraziI", "I1.", "I11.", "lll.",
          "Il.", "https:/ ", "pdfm2328517", "1xjzh", "Itd/"]


@pytest.fixture(scope="module")
def source():
    return load(SOURCE)


def _notes(ast) -> list:
    found = []

    def visit(node):
        if isinstance(node, list):
            for item in node:
                visit(item)
        elif isinstance(node, dict):
            if node.get("t") == "Note":
                found.append(node)
            elif "c" in node:
                visit(node["c"])
    visit(ast["blocks"])
    return found


@pytest.mark.parametrize("damage", DAMAGE)
def test_no_extraction_damage(source, damage):
    # The text as readers get it (editorial HTML comments may quote the damage they explain).
    text = pandoc_text(source.ast["blocks"]) + pandoc_text([v["c"] for v in source.ast["meta"].values()])
    assert damage not in text + REFERENCES.read_text(encoding="utf-8")


def test_no_digits_glued_into_words(source):
    text = pandoc_text(source.ast["blocks"])
    glued = [w for w in re.findall(r"\b\w+\b", text)
             if re.search(r"[a-z]\d|\d[a-z]", w) and not re.fullmatch(r"\d+(st|nd|rd|th|s)|[A-Z0-9a-z]*-?\d+[A-Z]*", w)]
    assert glued == []


def test_front_matter():
    meta = yaml.safe_load(SOURCE.read_text(encoding="utf-8").split("---")[1])
    assert meta["title"] == "Common Goals"
    assert meta["subtitle"] == ("China-Latin America and the Caribbean Cooperation on Human Rights Development, "
                                "the Present and the Future")
    assert len([p for p in meta["abstract"].split("\n\n") if p.strip()]) == 9
    assert not {"author", "isbn", "ISBN"} & set(meta)


def test_structure(source):
    headers = [(b["c"][0], b["c"][1][0]) for b in source.ast["blocks"] if b["t"] == "Header"]
    assert headers == [(1, "introduction"), (1, "part-1"), (2, "part-1-1"), (2, "part-1-2"), (1, "part-2"),
                       (2, "part-2-1"), (2, "part-2-2"), (2, "part-2-3"), (2, "part-2-4"), (1, "part-3"),
                       (2, "part-3-1"), (2, "part-3-2"), (2, "part-3-3")]


def test_28_notes_27_citations_26_works(source):
    keys = citation_keys(source.ast["blocks"])
    assert len(keys) == 27
    assert len(set(keys)) == 26
    assert keys.count("sshrf-beijing-declaration-2017") == 2
    plain_notes = _notes(source.ast)
    assert len(plain_notes) == 1 and "1+3+6" in pandoc_text(plain_notes[0]["c"])


def test_every_citation_resolves_and_every_work_is_cited(source):
    check(source, REFERENCES, ROOT)
    assert bibliography_ids(REFERENCES) == set(citation_keys(source.ast["blocks"]))


def test_references_are_complete_csl():
    refs = yaml.safe_load(REFERENCES.read_text(encoding="utf-8"))["references"]
    for ref in refs:
        assert ref["accessed"] == {"date-parts": [[2024, 8, 21]]}, ref["id"]
        assert re.fullmatch(r"https?://\S+", ref["URL"]), ref["id"]
        assert ref.get("title") or ref.get("URL")


def test_notes_render_in_the_house_style():
    doc = pandoc.read_markdown(SOURCE)
    html = pandoc.run(["-f", "json", "-t", "plain", "--wrap=none", "--citeproc", "--csl",
                       str(ROOT / "templates/csl/house-note.csl"), "--bibliography", str(REFERENCES)],
                      input=__import__("json").dumps(doc).encode()).decode()
    assert ("UNDP, 2023 Global Multidimensional Poverty Index (MPI): Unstacking global poverty: Data for high "
            "impact action, New York: UNDP Publishing, July 11, 2023, "
            "https://hdr.undp.org/system/files/documents/hdp-document/2023mpireporten.pdf, accessed August 21, 2024."
            ) in html
    # The Beijing Declaration is cited twice: the second time in the short form.
    assert html.count("accessed August 21, 2024") == 26
