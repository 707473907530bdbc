"""The HTML written with an edition (one pandoc run, resolve.lua) equals pandoc's own CLI output."""

from __future__ import annotations

import pytest

from publish.build import _load_sources
from publish.edition import prepare
from publish.render.common import edition_parts, html_writes



@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    from tests.conftest import copy_project
    from publish.project import load_project
    project = load_project(copy_project(tmp_path_factory.mktemp("common")) / "publish.toml")
    sources = _load_sources(project)
    doc = project.documents[0]
    return {lang.code: (prepare(project, doc, lang, sources[doc.id], html_writes(["html", "pdf"])),
                        prepare(project, doc, lang, sources[doc.id]))
            for lang in (project.language("en"), project.language("zh"))}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", ["web", "print"])
def test_html_written_with_the_edition_is_pandocs_own(editions, lang, name):
    with_html, alone = editions[lang]
    assert set(with_html.html) == {"web", "print"} and not alone.html
    assert with_html.ast == alone.ast
    assert edition_parts(with_html, name) == edition_parts(alone, name)


def test_notes_at_their_call_only_on_the_print_page(editions):
    with_html, _ = editions["en"]
    web, printed = edition_parts(with_html, "web"), edition_parts(with_html, "print")
    assert 'class="footnote"' in printed.body and 'class="footnote"' not in web.body
    assert 'role="doc-noteref"' in web.body and 'role="doc-noteref"' not in printed.body
    assert printed.body.count('class="footnote"') == web.body.count('role="doc-noteref"') > 20
    assert "<h1" not in web.body and "<h2" in web.body        # the page's title is its only h1
