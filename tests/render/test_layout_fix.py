"""The correction to WeasyPrint's layout that keeps notes with their calls.

Each case runs in its own interpreter: the correction changes WeasyPrint for the whole process.
"""

from __future__ import annotations

import json
import subprocess
import sys

# Ten 10 px lines fill a page. The first paragraph and its note fill the first page; WeasyPrint 70
# makes room for the next paragraph's first line by moving the note to the second page.
PAGE = """<style>@page { size: 100px; margin: 0; @footnote { margin: 0 } }
html { font-size: 10px; line-height: 1 } body { margin: 0 } p { margin: 0; orphans: 1; widows: 1 }
.n { float: footnote } ::footnote-call { vertical-align: baseline }</style>
<p>a<span class=n>1</span><br>b<br>c<br>d<br>e<br>f<br>g<br>h<br>i</p><p>j<br>k<br>l</p>"""

SCRIPT = """
import json, sys
from weasyprint import HTML
from weasyprint.formatting_structure import boxes
if sys.argv[1] == "corrected":
    from publish.render.layout_fix import keep_notes_with_their_calls
    keep_notes_with_their_calls()
document = HTML(string=sys.stdin.read()).render()
call_page, note_page = {}, {}
for index, page in enumerate(p._page_box for p in document.pages):
    for box in page.children[0].descendants():
        if getattr(box, "element_tag", "").endswith("::footnote-call"):
            call_page.setdefault(id(box.element), index)
    for area in page.children:
        if isinstance(area, boxes.FootnoteAreaBox):
            for box in area.children:
                note_page.setdefault(id(box.element), index)
print(json.dumps({key and "note": [call_page[key], page] for key, page in note_page.items()}))
"""


def lay_out(mode: str) -> dict:
    out = subprocess.run([sys.executable, "-c", SCRIPT, mode], input=PAGE, capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out)


def test_weasyprint_alone_moves_the_note_away_from_its_call():
    assert lay_out("plain") == {"note": [0, 1]}         # called on page 1, set on page 2


def test_the_corrected_layout_keeps_the_note_with_its_call():
    assert lay_out("corrected") == {"note": [0, 0]}


def test_another_weasyprint_is_refused_rather_than_printing_notes_away_from_their_calls(monkeypatch):
    import weasyprint
    import pytest
    from publish.errors import RenderError
    from publish.render.layout_fix import keep_notes_with_their_calls
    monkeypatch.setattr(weasyprint, "__version__", "99.0")
    with pytest.raises(RenderError, match="WeasyPrint 99.0 is installed; the PDF editions need 70.0"):
        keep_notes_with_their_calls()
