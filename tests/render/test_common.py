"""The HTML pandoc writes with an edition: the web page links notes at the end, the print page puts
each note at its call (for CSS float: footnote); the page's title is its only h1."""

from __future__ import annotations

import pytest

from publish.build import load_sources
from publish.edition import prepare


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    from publish.project import load_project
    from tests.conftest import copy_project
    project = load_project(copy_project(tmp_path_factory.mktemp("common")) / "publish.toml")
    doc = project.documents[0]
    return prepare(project, doc, project.language("en"), load_sources(project)[doc.id])


def test_notes_at_their_call_only_on_the_print_page(english):
    web, printed = english.parts("web"), english.parts("print")
    assert 'class="footnote"' in printed.body and 'class="footnote"' not in web.body
    assert 'role="doc-noteref"' in web.body and 'role="doc-noteref"' not in printed.body
    assert printed.body.count('class="footnote"') == web.body.count('role="doc-noteref"') == 28
    assert "<h1" not in web.body and "<h2" in web.body        # the page's title is its only h1
    assert web.title == printed.title == "Common Goals"


def test_a_prepared_edition_comes_back_from_its_data(english):
    from publish.edition import Edition
    again = Edition.from_json(type("P", (), {"document": lambda s, i: english.document,
                                             "language": lambda s, c: english.language})(), english.to_json())
    assert again.ast == english.ast and again.html == english.html and again.svgs == english.svgs
    assert again.facts() == english.facts()
