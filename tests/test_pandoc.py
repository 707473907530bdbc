"""pandoc helpers: a compact AST gives pandoc less to read and the same output."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from publish import pandoc
from publish.render.common import FRAGMENTS

ROOT = Path(__file__).resolve().parents[1]
META = {"lang": "en-US", "suppress-bibliography": True, "csl": str(ROOT / "templates/csl/house-note.csl"),
        "bibliography": str(ROOT / "source/references.yaml")}

# Where citeproc moves punctuation and drops spaces around the notes it makes, and a note's own text.
MARKDOWN = """\
# A heading with words {#h}

Growth was slow [@undp-mpi-2023]. The next sentence follows.

Growth was slow.[@undp-mpi-2023] Then "a quoted phrase" [@un-sg-priorities-2024], and more words.

As the report puts it [see @ipcc-syr-2023, p. 42; @undp-mpi-2023], warming continues.

A sentence with a note[^1]. After it, *emphasis with several words* and `code  with  spaces`.

Non-breaking\u00a0space and   several   spaces
across a soft break.

[^1]: The note's own text, with a citation [@un-sg-priorities-2024] and more words.

    Its second paragraph.
"""


@pytest.fixture(scope="module")
def doc():
    return json.loads(pandoc.run(["-f", "markdown", "-t", "json"], input=MARKDOWN.encode()))


def test_compact_merges_words_and_keeps_what_citeproc_reads(doc):
    compact = pandoc.compact(doc)
    inlines = compact["blocks"][1]["c"]
    assert inlines[0] == {"t": "Str", "c": "Growth was slow"}
    assert inlines[1] == {"t": "Space"} and inlines[2]["t"] == "Cite"       # the space before a citation
    assert inlines[2] == doc["blocks"][1]["c"][6]                             # a citation as it was
    assert inlines[3] == {"t": "Str", "c": "."}                               # the word after it, alone
    assert inlines[4:] == [{"t": "Space"}, {"t": "Str", "c": "The next sentence follows."}]
    assert pandoc.compact(compact) == compact
    assert len(json.dumps(compact)) < 0.7 * len(json.dumps(doc))


@pytest.mark.parametrize("notes", ["end", "inline"])
def test_compact_document_gives_the_same_html_and_notes(doc, notes):
    word_doc, word_html = pandoc.resolve(doc, META, FRAGMENTS, {"page": notes})
    compact_doc, compact_html = pandoc.resolve(pandoc.compact(doc), META, FRAGMENTS, {"page": notes})
    assert compact_html == word_html
    assert "@ipcc" not in compact_html["page"] and "p. 42" in compact_html["page"]   # citations resolved
    assert pandoc.compact(word_doc) == pandoc.compact(compact_doc)


def test_compact_document_gives_the_same_epub_text(doc, tmp_path):
    texts = []
    for name, ast in (("word", doc), ("compact", pandoc.compact(doc))):
        out = tmp_path / f"{name}.txt"
        pandoc.run(["-f", "json", "-t", "plain", "--wrap=none", "-o", str(out)], input=json.dumps(ast).encode())
        texts.append(out.read_text(encoding="utf-8"))
    assert texts[0] == texts[1]


def test_the_shipped_pandoc_is_found_without_pypandoc():
    import pypandoc
    assert pandoc.executable() == pypandoc.get_pandoc_path()



@pytest.mark.parametrize("editor_setting", [None, "-A1m"])
def test_pandoc_runs_with_a_smaller_allocation_area_unless_the_editor_set_one(tmp_path, monkeypatch, editor_setting):
    if editor_setting is None:
        monkeypatch.delenv("GHCRTS", raising=False)
    else:
        monkeypatch.setenv("GHCRTS", editor_setting)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    script = tmp_path / "env.lua"
    script.write_text('io.write(os.getenv("GHCRTS") or "", "|", os.getenv("SOURCE_DATE_EPOCH") or "")\n')
    expected = editor_setting or pandoc.RUNTIME_OPTIONS
    assert pandoc.run(["lua", str(script)]).decode() == f"{expected}|1700000000"

    seen = []
    real_run = pandoc.subprocess.run

    def run(*args, **kwargs):
        seen.append((kwargs.get("env") or os.environ).get("GHCRTS"))
        return real_run(*args, **kwargs)
    monkeypatch.setattr(pandoc.subprocess, "run", run)
    source = tmp_path / "a.md"
    source.write_text("Words.\n", encoding="utf-8")
    assert pandoc.read_markdown(source)["blocks"][0]["t"] == "Para" and seen == [expected]
