"""The cover image of the EPUB: title, subtitle and edition language drawn with the edition's fonts."""

from __future__ import annotations

import subprocess
import textwrap
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SIZE = (1600, 2400)
BACKGROUND = (140, 29, 24)      # the accent colour of the stylesheets
INK = (255, 255, 255)


@lru_cache(maxsize=None)
def _font_file(family: str) -> tuple[str, int]:
    out = subprocess.run(["fc-match", family, "--format=%{file}:%{index}"], capture_output=True, text=True).stdout
    path, _, index = out.rpartition(":")
    return path, int(index or 0)


def _font(family: str, size: int) -> ImageFont.FreeTypeFont:
    path, index = _font_file(family)
    return ImageFont.truetype(path, size, index=index)


def draw_cover(out: Path, title: str, subtitle: str, language_name: str, cjk: bool) -> None:
    """A PNG cover; Chinese text is set in the Simplified Chinese face and wrapped by characters."""
    bold = "Noto Sans CJK SC:bold" if cjk else "Noto Sans:bold"
    regular = "Noto Sans CJK SC" if cjk else "Noto Sans"
    image = Image.new("RGB", SIZE, BACKGROUND)
    pen = ImageDraw.Draw(image)
    x, y = 140, 620
    for line in _wrap(title, 10 if cjk else 16):
        pen.text((x, y), line, font=_font(bold, 150), fill=INK)
        y += 190
    y += 60
    for line in _wrap(subtitle, 15 if cjk else 30):
        pen.text((x, y), line, font=_font(regular, 76), fill=INK)
        y += 104
    pen.line((x, SIZE[1] - 420, SIZE[0] - x, SIZE[1] - 420), fill=INK, width=4)
    pen.text((x, SIZE[1] - 380), language_name, font=_font(regular, 64), fill=INK)
    out.parent.mkdir(parents=True, exist_ok=True)
    image.save(out, "PNG")      # (optimize=True would take three times as long for 3% less)


def _wrap(text: str, width: int) -> list[str]:
    if any("\u4e00" <= c <= "\u9fff" for c in text):
        return [text[i:i + width] for i in range(0, len(text), width)]
    return textwrap.wrap(text, width) or [""]
