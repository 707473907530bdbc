"""Typography per language: Chinese full-width punctuation, Spanish paired marks, stray spaces."""

from __future__ import annotations

import re

from . import ERROR, WARNING, check
from .content import _without_citations, _without_urls

HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
ASCII_PUNCTUATION = r"[,.;:?!()]"


@check("typography-zh", ERROR)
def chinese_punctuation(entry, context):
    """Chinese uses full-width punctuation, never ASCII punctuation between Han characters."""
    if not context.language.tag.startswith("zh"):
        return
    text = _without_urls(_without_citations(entry.msgstr))
    for match in re.finditer(rf"{HAN}\s*({ASCII_PUNCTUATION})\s*(?={HAN})", text):
        yield f"ASCII {match.group(1)!r} between Han characters: use the full-width form"
    for match in re.finditer(rf"{HAN}(\"|')|(\"|'){HAN}", text):
        yield "straight quotation mark beside Han characters: use “ ” or ‘ ’"
        break
    pairs = {"“": "”", "《": "》", "（": "）", "「": "」"}
    for opening, closing in pairs.items():
        if text.count(opening) != text.count(closing):
            yield f"unbalanced {opening}{closing}"


@check("typography-spacing", WARNING)
def spacing(entry, context):
    """No doubled spaces and no space before , . ; : ? ! in Latin-script languages."""
    if context.language.tag.split("-")[0] not in ("es", "pt", "en", "fr", "it", "de"):
        return
    text = _without_urls(entry.msgstr)
    if "  " in text:
        yield "doubled space"
    if re.search(r"\S\s+[,.;:?!](?:\s|$)", text):
        yield "space before punctuation"


@check("typography-es", WARNING)
def spanish_pairs(entry, context):
    """Spanish opening ¿ and ¡ pair with their closing ? and !."""
    if not context.language.tag.startswith("es"):
        return
    text = _without_urls(entry.msgstr)
    for opening, closing in (("¿", "?"), ("¡", "!")):
        if text.count(opening) != text.count(closing):
            yield f"{opening} and {closing} do not pair up ({text.count(opening)} against {text.count(closing)})"
