"""The EPUB cover: the edition's colours, and every line of text between the margins."""

from __future__ import annotations

import pytest
from PIL import Image, ImageChops

from publish.render.cover import BACKGROUND, INK, MARGIN, SIZE, draw_cover

TITLES = {
    False: ("Common Goals: China-Latin America and the Caribbean Cooperation on Human Rights Development",
            "the Present and the Future, with a subtitle long enough to need three lines of text", "English"),
    True: ("共同目标：中国—拉美和加勒比人权发展合作的现在与未来", "中国同拉美和加勒比国家人权发展合作：现在与未来", "中文"),
}


@pytest.mark.parametrize("cjk", [False, True])
def test_cover_colours_and_margins(tmp_path, cjk):
    out = tmp_path / "cover.png"
    draw_cover(out, *TITLES[cjk], cjk)
    image = Image.open(out)
    assert image.size == SIZE and image.mode == "P"          # a palette: a third of an RGB PNG
    rgb = image.convert("RGB")
    assert rgb.getpixel((5, 5)) == BACKGROUND
    colours = {colour for _, colour in rgb.getcolors(maxcolors=256)}
    assert INK in colours
    left, top, right, bottom = ImageChops.difference(rgb, Image.new("RGB", SIZE, BACKGROUND)).crop(
        (0, 0, SIZE[0], SIZE[1] - 440)).getbbox()               # the title and subtitle
    assert left >= MARGIN - 10 and right <= SIZE[0] - MARGIN + 10
    assert right > SIZE[0] / 2 and bottom - top > 600          # set in several full lines
