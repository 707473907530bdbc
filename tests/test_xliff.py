"""XLIFF 1.2 hand-off: every catalog out, lossless for the project's own round trip, and nothing written
back that fails the checks."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from publish import catalog
from publish.cli import main
from publish.xliff import NS, export

X = f"{{{NS}}}"


@pytest.fixture
def handed_over(project_copy, tmp_path):
    """The Spanish catalogs, one entry made fuzzy after an English edit, exported to a vendor's folder."""
    po_path = project_copy.catalog_path("common-goals", "es")
    po = catalog.read(po_path)
    entry = po.find("introduction/p1", by="msgctxt")
    entry.flags.append("fuzzy")
    entry.previous_msgid = "An older English text."
    po_path.write_bytes(catalog.render(po))
    files = export(project_copy, project_copy.language("es"), tmp_path / "out")
    return project_copy, {f.stem: f for f in files}


def units(path):
    root = ET.parse(path).getroot()
    return {u.get("id"): u for u in root.iter(f"{X}trans-unit")}


def test_every_catalog_goes_out_as_xliff_1_2(handed_over):
    project, files = handed_over
    assert set(files) == {"common-goals", "templates"}
    root = ET.parse(files["common-goals"]).getroot()
    assert root.tag == f"{X}xliff" and root.get("version") == "1.2"
    file = root.find(f"{X}file")
    assert file.get("original") == "common-goals" and file.get("target-language") == "es-419"
    found = units(files["common-goals"])
    fuzzy = found["introduction/p1"]
    assert fuzzy.find(f"{X}target").get("state") == "needs-review-translation"
    assert fuzzy.find(f"{X}alt-trans/{X}source").text == "An older English text."
    done = found["introduction/p2"]
    assert done.find(f"{X}target").get("state") == "translated" and done.get("approved") == "yes"
    ui = units(files["templates"])
    assert all(uid.startswith("ui/") for uid in ui) and len(ui) >= 17
    assert units(files["templates"]).keys() == units(export(project, project.language("es"),
                                                              files["templates"].parent.parent / "again")[1]).keys()


def test_an_unchanged_round_trip_changes_nothing(handed_over, capsys):
    project, files = handed_over
    po = project.catalog_path("common-goals", "es")
    before = po.read_bytes()
    assert main(["--project", str(project.path), "import", "--xliff", str(files["common-goals"]), "--lang", "es"]) == 0
    assert po.read_bytes() == before


def _edit(path, uid, text, state=None, approved=None, renamed=None):
    tree = ET.parse(path)
    ET.register_namespace("", NS)
    unit = next(u for u in tree.getroot().iter(f"{X}trans-unit") if u.get("id") == uid)
    target = unit.find(f"{X}target")
    target.text = text
    for name, value in (("state", state),):
        if value is None:
            target.attrib.pop(name, None)
        else:
            target.set(name, value)
    if approved is None:
        unit.attrib.pop("approved", None)
    else:
        unit.set("approved", approved)
    out = path.with_name(renamed) if renamed else path
    tree.write(out, encoding="utf-8", xml_declaration=True)
    return out


def test_a_file_for_another_language_is_refused_before_anything_is_written(handed_over, capsys):
    project, files = handed_over
    pt = project.catalog_path("common-goals", "pt")
    before = pt.read_bytes()
    args = ["--project", str(project.path), "import", "--xliff", str(files["common-goals"]), "--lang", "pt",
            "--partial"]
    assert main(args) == 2
    assert "the file's target-language is 'es-419', not 'pt-BR' (--lang pt); check --lang" in capsys.readouterr().err
    assert pt.read_bytes() == before


def test_a_vendor_s_translated_state_is_honoured_and_the_previous_english_cleared(handed_over):
    project, files = handed_over
    text = catalog.read(project.catalog_path("common-goals", "es")).find("introduction/p1", by="msgctxt").msgstr
    sent = _edit(files["common-goals"], "introduction/p1", text + " Revisado.", state="translated",
                 renamed="vendor-es.xlf")                         # the file renamed: `original` names the catalog
    assert main(["--project", str(project.path), "import", "--xliff", str(sent), "--lang", "es"]) == 0
    entry = catalog.read(project.catalog_path("common-goals", "es")).find("introduction/p1", by="msgctxt")
    assert entry.msgstr.endswith(" Revisado.") and "fuzzy" not in entry.flags and entry.previous_msgid is None


def test_a_ui_string_comes_back_into_templates_po(handed_over):
    project, files = handed_over
    uid = next(u for u, unit in units(files["templates"]).items() if unit.find(f"{X}source").text == "Contents")
    sent = _edit(files["templates"], uid, "Tabla de contenido", state="final")
    assert main(["--project", str(project.path), "import", "--xliff", str(sent), "--lang", "es"]) == 0
    assert catalog.read(project.translations_dir / "es" / "templates.po").find("Contents").msgstr == "Tabla de contenido"


def test_a_unit_that_fails_the_checks_is_never_written(handed_over, capsys):
    project, files = handed_over
    po = project.catalog_path("common-goals", "es")
    before = po.read_bytes()
    good = catalog.read(po).find("introduction/p2", by="msgctxt").msgstr
    _edit(files["common-goals"], "introduction/p3", "<script>alert(1)</script>", state="translated")
    sent = _edit(files["common-goals"], "introduction/p2", good + " Bien.", state="translated")
    assert main(["--project", str(project.path), "import", "--xliff", str(sent), "--lang", "es"]) == 1
    err = capsys.readouterr().err
    assert "[introduction/p3] not taken from common-goals.xlf" in err and "raw HTML" in err
    assert po.read_bytes() == before                                   # byte-identical without --partial
    assert main(["--project", str(project.path), "import", "--xliff", str(sent), "--lang", "es", "--partial"]) == 1
    after = catalog.read(po)
    assert after.find("introduction/p2", by="msgctxt").msgstr == good + " Bien."
    assert "<script>" not in after.find("introduction/p3", by="msgctxt").msgstr


def test_a_file_that_matches_no_unit_fails(handed_over, tmp_path, capsys):
    project, files = handed_over
    foreign = tmp_path / "foreign.xlf"
    foreign.write_text(f'<?xml version="1.0"?><xliff version="1.2" xmlns="{NS}"><file original="common-goals" '
                       'source-language="en" target-language="es" datatype="plaintext"><body>'
                       '<trans-unit id="2"><source>Nothing here</source><target>Nada</target></trans-unit>'
                       '</body></file></xliff>', encoding="utf-8")
    assert main(["--project", str(project.path), "import", "--xliff", str(foreign), "--lang", "es"]) == 1
    assert "matches no current entry" in capsys.readouterr().err


@pytest.mark.parametrize("content,words,status", [
    (None, "no such file", 2),
    ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xliff/>', "declares a DTD", 1),
    ("<xliff><file", "not a readable XLIFF file", 1),
])
def test_a_missing_hostile_or_broken_file_is_one_line(project_copy, tmp_path, capsys, content, words, status):
    path = tmp_path / "in.xlf"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    before = project_copy.catalog_path("common-goals", "es").read_bytes()
    assert main(["--project", str(project_copy.path), "import", "--xliff", str(path), "--lang", "es"]) == status
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and words in err[0] and "Traceback" not in err[0]
    assert project_copy.catalog_path("common-goals", "es").read_bytes() == before
