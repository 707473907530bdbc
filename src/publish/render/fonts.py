"""The faces the PDF editions need, checked before anything is rendered (without loading WeasyPrint)."""

from __future__ import annotations

import subprocess

from ..errors import RenderError

# The faces the print stylesheet names, per script, and the Debian package that provides them.
FONTS = {"latin": ["Noto Serif", "Noto Sans"], "zh": ["Noto Serif CJK SC", "Noto Sans CJK SC"]}
FONT_PACKAGES = {"Noto Serif": "fonts-noto-core", "Noto Sans": "fonts-noto-core",
                 "Noto Serif CJK SC": "fonts-noto-cjk", "Noto Sans CJK SC": "fonts-noto-cjk"}


def available_fonts() -> set[str]:
    result = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True)
    return {name.strip() for line in result.stdout.splitlines() for name in line.split(",")}


def faces(language) -> list[str]:
    """The faces an edition's PDF is set in."""
    return FONTS["latin"] + (FONTS["zh"] if language.tag.startswith("zh") else [])


def require_fonts(language, installed: set[str]) -> None:
    """A missing face would fall back silently to another, or to boxes: refuse, naming the package.
    ``installed``: the faces ``available_fonts`` lists."""
    missing = [face for face in faces(language) if face not in installed]
    if missing:
        packages = sorted({FONT_PACKAGES[face] for face in missing})
        raise RenderError(f"missing font {', '.join(missing)} for {language.tag}: install the Debian package "
                          f"{' '.join(packages)} (apt-get install {' '.join(packages)})")
