"""A locator's label as the edition's locale knows it: pandoc itself is asked."""

from __future__ import annotations

from publish import catalog
from publish.checks import check_project

from ..conftest import set_msgstr


def test_a_label_the_locale_does_not_know_is_an_error_naming_the_locale_s(project_copy):
    path = project_copy.catalog_path(project_copy.documents[0], project_copy.language("pt"))
    entry = catalog.read(path).find("part-2-1/p2", by="msgctxt")
    assert "p.\xa058-59]" in entry.msgstr                    # pt-BR's label, as the catalog has it
    assert not [f for f in check_project(project_copy, ["pt"]) if f.check == "locators"]
    set_msgstr(path, "part-2-1/p2", entry.msgstr.replace("p.\xa058-59]", "pp.\xa058-59]"))
    found = [f for f in check_project(project_copy, ["pt"]) if f.check == "locators"]
    assert [(f.msgctxt, f.severity) for f in found] == [("part-2-1/p2", "error")]
    assert "'pp.' is not one the pt-BR locale knows" in found[0].message and "(pages: 'p.')" in found[0].message


def test_the_same_label_is_right_where_the_locale_knows_it(project_copy):
    """es-MX knows "pp."; the Chinese house style knows the English labels the zh catalog keeps."""
    findings = check_project(project_copy, ["es", "zh"])
    assert not [f for f in findings if f.check == "locators"]
