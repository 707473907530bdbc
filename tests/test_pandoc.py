"""pandoc helpers: a compact AST gives pandoc less to read and the same output."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from publish import pandoc
from publish.edition import FRAGMENTS

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



def test_the_build_s_timestamp_reaches_pandoc_only_when_given(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    script = tmp_path / "env.lua"
    script.write_text('io.write(os.getenv("SOURCE_DATE_EPOCH") or "-")\n')
    assert pandoc.run(["lua", str(script)], epoch=1700000000).decode() == "1700000000"
    assert pandoc.run(["lua", str(script)]).decode() == "-"
    assert "SOURCE_DATE_EPOCH" not in os.environ          # never written into this process's environment


def test_a_pandoc_killed_by_a_signal_says_so(tmp_path):
    """pandoc stopped by the file-size limit (SIGXFSZ), as under `ulimit -f`: the message names the signal."""
    import resource
    import subprocess
    from publish.errors import RenderError

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))
    big = tmp_path / "big.md"
    big.write_text("word " * 20000, encoding="utf-8")
    result = subprocess.run([pandoc.executable(), str(big), "-o", str(tmp_path / "out.html")], preexec_fn=limit,
                            capture_output=True)
    assert result.returncode < 0
    message = pandoc._reason(result)
    assert message.startswith("killed by SIGXFSZ") and "file-size limit" in message
    with pytest.raises(RenderError) as caught:
        pandoc.run(["lua", str(tmp_path / "missing.lua")], path=tmp_path / "x.epub")
    assert str(caught.value).startswith(f"{tmp_path / 'x.epub'}:1: pandoc failed: ") and "missing.lua" in str(caught.value)


CALLS = """\
Cited before the full stop [@undp-mpi-2023]. Cited after it.[@undp-mpi-2023] A note before a comma[^1], and
one after a semicolon;[^1] then two calls together before a colon[^1][@undp-mpi-2023]: done. Chinese too[@ipcc-syr-2023]。

[^1]: A note.
"""


def _calls(html: str) -> list[str]:
    """Each run of note calls (^) with the punctuation mark that touches it, on the side it touches."""
    text = re.sub(r"<[^>]+>", "", re.sub(r'<a href="#fn\d+"[^>]*><sup>\d+</sup></a>', "^", html))
    marks = ".,;:。"
    return [(before if before in marks else "") + calls + (after if after in marks else "")
            for before, calls, after in re.findall(r"(.?)(\^+)(.?)", text)]


@pytest.mark.parametrize("side,wanted", [
    ("after", [".^", ".^", ",^", ";^", ":^^", "。^"]),
    ("before", ["^.", "^.", "^,", "^;", "^^:", "^。"]),
])
def test_every_note_call_goes_on_its_language_s_side_of_the_punctuation(side, wanted):
    doc = json.loads(pandoc.run(["-f", "markdown", "-t", "json"], input=CALLS.encode()))
    meta = {**META, "notes-after-punctuation": side == "after"}
    _, html = pandoc.resolve(doc, meta, FRAGMENTS, {"page": "end"}, note_calls=side)
    assert _calls(html["page"].split('<section id="footnotes"')[0]) == wanted
