"""WeasyPrint imported without a compiler run for each library name it tries.

WeasyPrint looks for Pango, HarfBuzz and fontconfig under several names each (Windows, macOS and ELF
spellings). cffi hands every name the dynamic loader cannot open to ``ctypes.util.find_library``, which
on Linux runs ldconfig and gcc for it: a dozen processes and a fifth of a second before the first PDF
can start. The ELF sonames are among the names tried and the loader opens them directly, so those
lookups are skipped while WeasyPrint loads its libraries. Should the libraries then not load, WeasyPrint
is imported again the usual way.
"""

from __future__ import annotations

import ctypes.util
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
    return weasyprint


import_weasyprint()
