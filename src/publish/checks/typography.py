"""Typography per language: Chinese full-width punctuation, Spanish paired marks, stray spaces."""

from __future__ import annotations

import re

from . import ERROR, WARNING, check
from .content import URL, _without_citations, _without_urls

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
    """No doubled spaces, no space before , . ; : ? ! in Latin-script languages, and no space at the start
    or end of a translation whose English has none."""
    if entry.msgstr and entry.msgstr.strip(" ") != entry.msgstr and entry.msgid.strip(" ") == entry.msgid:
        yield "space at the start or end of the translation"
    if context.language.tag.split("-")[0] not in ("es", "pt", "en", "fr", "it", "de"):
        return
    # A URL stands in as a word: taking it out must not leave a space of its own behind.
    text = URL.sub("URL", entry.msgstr)
    if re.search(r"\S {2,}\S", text):
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
