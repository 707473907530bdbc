"""WeasyPrint imported through publish.render.libraries loads the same libraries, and runs no compiler."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import json, subprocess, sys
started = []
real_init = subprocess.Popen.__init__
def recording_init(self, args, *rest, **kwargs):
    started.append(args if isinstance(args, str) else " ".join(map(str, args)))
    real_init(self, args, *rest, **kwargs)
subprocess.Popen.__init__ = recording_init
if sys.argv[1] == "libraries":
    import publish.render.libraries
else:
    import weasyprint
from weasyprint.text import ffi
loaded = {name: getattr(ffi, name) is not None
          for name in ("gobject", "pango", "harfbuzz", "harfbuzz_subset", "fontconfig", "pangoft2")}
print(json.dumps({"started": started, "loaded": loaded}))
"""


def probe(how: str) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE, how], capture_output=True, text=True, check=True).stdout
    return json.loads(out.splitlines()[-1])


def test_same_libraries_without_a_compiler_run():
    plain, quick = probe("plain"), probe("libraries")
    assert any("gcc" in s or "ldconfig" in s for s in plain["started"])    # what is saved
    assert quick["started"] == []
    assert quick["loaded"] == plain["loaded"]
    assert quick["loaded"]["pango"] and quick["loaded"]["harfbuzz"]


def test_font_subsetting_parses_no_array_type_per_length():
    from publish.render import libraries
    from weasyprint import HTML
    from weasyprint.pdf import fonts
    array = fonts.ffi.new("hb_codepoint_t[3]", [5, 6, 7])
    assert list(array) == [5, 6, 7]
    HTML(string="<p style='font-family: Noto Serif'>Subset: ÁÉÍ 123 <b>bold</b></p>").write_pdf()
    parsed = list(fonts.ffi._ffi._parsed_types)          # cffi's cache of the C types it has parsed
    assert "hb_codepoint_t[]" in parsed
    assert not [t for t in parsed if isinstance(t, str) and libraries.SIZED_ARRAY.fullmatch(t)
                and t.startswith("hb_codepoint_t")]
