"""Where a note's call sits against the punctuation, read from an edition's (X)HTML."""

from __future__ import annotations

import re

MARKS = ".,;:。，；："
SIDES = {"en": "after", "es": "before", "pt": "after", "zh": "after"}    # as publish.toml declares them


def call_sides(html: str) -> list[str]:
    """For each note call touching a punctuation mark: "after" when it follows the mark, "before" when it
    precedes it."""
    text = re.sub(r"<[^>]+>", "", re.sub(r'<a [^>]*(?:footnote-ref|doc-noteref)[^>]*>.*?</a>', "\x00", html, flags=re.S))
    sides = []
    for before, after in re.findall(r"(.?)\x00+(.?)", text):
        if before and before in MARKS:
            sides.append("after")
        elif after and after in MARKS:
            sides.append("before")
    return sides
