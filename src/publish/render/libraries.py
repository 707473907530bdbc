"""WeasyPrint's C libraries, called with less work around them: loaded without a compiler run, and
handed the arrays of font subsetting without a C parse each.

WeasyPrint looks for Pango, HarfBuzz and fontconfig under several names each (Windows, macOS and ELF
spellings). cffi hands every name the dynamic loader cannot open to ``ctypes.util.find_library``, which
on Linux runs ldconfig and gcc for it: a dozen processes and a fifth of a second before the first PDF
can start. The ELF sonames are among the names tried and the loader opens them directly, so those
lookups are skipped while WeasyPrint loads its libraries. Should the libraries then not load, WeasyPrint
is imported again the usual way.

When it subsets a font, WeasyPrint asks cffi for arrays of a type spelt with their length
(``hb_codepoint_t[1968]``). cffi parses each new spelling as C, with every typedef WeasyPrint declared:
a few milliseconds each, about ten times per PDF. The same array, of the same length and items, comes
from the one type of unsized arrays (``hb_codepoint_t[]``), parsed once per process.
"""

from __future__ import annotations

import ctypes.util
import re
import sys


def import_weasyprint():
    if "weasyprint" not in sys.modules and sys.platform.startswith("linux"):
        find_library = ctypes.util.find_library
        ctypes.util.find_library = lambda name: None
        try:
            import weasyprint  # noqa: F401
        except OSError:
            for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
                del sys.modules[name]
        finally:
            ctypes.util.find_library = find_library
    import weasyprint
    _subset_arrays_unsized()
    return weasyprint


SIZED_ARRAY = re.compile(r"(\w+)\[(\d+)\]")


class _UnsizedArrays:
    """cffi's ``ffi`` as WeasyPrint's font subsetting sees it: ``new("T[n]", n items)`` is made as
    ``new("T[]", n items)``, the same array; everything else goes to ``ffi`` itself."""

    def __init__(self, ffi):
        self._ffi = ffi

    def new(self, cdecl, init=None):
        sized = SIZED_ARRAY.fullmatch(cdecl) if isinstance(cdecl, str) else None
        if sized and init is not None and len(init) == int(sized[2]):
            return self._ffi.new(f"{sized[1]}[]", init)
        return self._ffi.new(cdecl, init)

    def __getattr__(self, name):
        return getattr(self._ffi, name)


def _subset_arrays_unsized() -> None:
    fonts = sys.modules.get("weasyprint.pdf.fonts")
    if fonts is None:
        import weasyprint.pdf.fonts as fonts
    if not isinstance(fonts.ffi, _UnsizedArrays):
        fonts.ffi = _UnsizedArrays(fonts.ffi)


import_weasyprint()
