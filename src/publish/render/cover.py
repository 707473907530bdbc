"""The cover image of the EPUB: title, subtitle and edition language drawn with the edition's fonts."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from ..tools import font_file

SIZE = (1600, 2400)
BACKGROUND = (140, 29, 24)      # the accent colour of the stylesheets
INK = (255, 255, 255)
MARGIN = 140
NO_LINE_START = set("，。、：；！？）」』》〉—…,.:;!?)")   # kept with the character before them


def _font(family: str, size: int) -> ImageFont.FreeTypeFont:
    path, index = font_file(family)
    return ImageFont.truetype(path, size, index=index)


def draw_cover(out: Path, title: str, subtitle: str, language_name: str, cjk: bool, notice: str = "") -> None:
    """A PNG cover; Chinese text is set in the Simplified Chinese face and wrapped by characters.
    ``notice``: what a reader must know first (a translation in progress), under the language."""
    bold = "Noto Sans CJK SC:bold" if cjk else "Noto Sans:bold"
    regular = "Noto Sans CJK SC" if cjk else "Noto Sans"
    # Drawn as coverage (0 background, 255 ink) and stored with a palette blending the two colours:
    # the same pixels as drawing in RGB, in a PNG a third the size that is written five times faster.
    image = Image.new("L", SIZE, 0)
    pen = ImageDraw.Draw(image)
    x, y = MARGIN, 620
    for line in _wrap(title, _font(bold, 150)):
        pen.text((x, y), line, font=_font(bold, 150), fill=255)
        y += 190
    y += 60
    for line in _wrap(subtitle, _font(regular, 76)):
        pen.text((x, y), line, font=_font(regular, 76), fill=255)
        y += 104
    pen.line((x, SIZE[1] - 420, SIZE[0] - x, SIZE[1] - 420), fill=255, width=4)
    pen.text((x, SIZE[1] - 380), language_name, font=_font(regular, 64), fill=255)
    y = SIZE[1] - 280
    for line in _wrap(notice, _font(regular, 48)):
        pen.text((x, y), line, font=_font(regular, 48), fill=255)
        y += 64
    cover = Image.frombytes("P", SIZE, image.tobytes())
    cover.putpalette([round(b + (i - b) * level / 255) for level in range(256) for b, i in zip(BACKGROUND, INK)])
    out.parent.mkdir(parents=True, exist_ok=True)
    cover.save(out, "PNG")


def _wrap(text: str, font: ImageFont.FreeTypeFont) -> list[str]:
    """Lines that fit between the margins: broken between words, or between any two Han characters."""
    han = any("\u4e00" <= c <= "\u9fff" for c in text)
    pieces = list(text) if han else text.split()
    lines: list[str] = []
    for piece in pieces:
        joined = (lines[-1] + ("" if han else " ") + piece) if lines else piece
        if lines and (font.getlength(joined) <= SIZE[0] - 2 * MARGIN or piece in NO_LINE_START):
            lines[-1] = joined
        else:
            lines.append(piece)
    return lines or [""]
