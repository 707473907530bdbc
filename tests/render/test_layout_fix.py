"""The correction to WeasyPrint's layout that keeps notes with their calls, and the fallback without it.

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
import json, logging, sys
from pathlib import Path
from weasyprint import HTML
from publish.render import layout_fix
from publish.render.pdf import _pages_with_late_notes, layout_with_notes_in_place
mode, page = sys.argv[1], sys.stdin.read()
passes = []
logging.basicConfig(level=logging.DEBUG, handlers=[type("H", (logging.Handler,), {
    "emit": lambda self, r: passes.append(r.getMessage())})()])
if mode == "plain":
    document = HTML(string=page).render()
else:
    if mode == "fallback":
        layout_fix._applied = False          # as with a WeasyPrint the correction does not recognise
    document = layout_with_notes_in_place(HTML(string=page), {}, Path("x.pdf"))
print(json.dumps({"pages": len(document.pages), "applied": layout_fix._applied,
                  "late": _pages_with_late_notes([p._page_box for p in document.pages]),
                  "log": [m for m in passes if "pass" in m]}))
"""


def lay_out(mode: str) -> dict:
    out = subprocess.run([sys.executable, "-c", SCRIPT, mode], input=PAGE, capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out)


def test_weasyprint_alone_moves_the_note_away_from_its_call():
    assert lay_out("plain")["late"] == [0]


def test_the_corrected_layout_keeps_the_note_in_one_pass():
    result = lay_out("corrected")
    assert result["applied"] is True
    assert result["late"] == []
    assert result["log"] == ["x.pdf: laid out in 1 pass(es)"]


def test_without_the_correction_the_pages_are_laid_out_again():
    result = lay_out("fallback")
    assert result["late"] == []
    assert result["log"] == ["x.pdf: laid out in 2 pass(es)"]
