"""Checks of what a translation carries over: numbers, URLs, citations, notes, markup; and its state."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from ..catalog import has_marker
from . import ERROR, WARNING, check, template_of
from .numbers import compare

CITATION = re.compile(r"(?<![\w.])@([A-Za-z0-9_]\w*(?:[:.#$%&\-+?<>~/]\w+)*)")
NOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
URL = re.compile(r"<?(?:https?|ftp)://[^\s)>\]\"]+|mailto:[^\s)>\]]+|(?<![\w.+-])[\w.+-]+@[\w-]+\.[A-Za-z][\w.-]*[A-Za-z]")
LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
CODE = re.compile(r"`+[^`]+`+")
# Expected translation length against the English, in characters (typical for this domain).
LENGTH_RATIO = {"es": 1.15, "pt": 1.12, "zh": 0.32}
SENTENCE_END = {"zh": r"[。！？；]", "default": r"[.!?](?:\s|$)"}


def _source_tag(context) -> str:
    return context.project.source.tag if context.project else "en"


@check("numbers", ERROR)
def numbers(entry, context):
    """Numbers, percentages, years, ranges and fractions keep their values, in the locale's form."""
    for problem in compare(entry.msgid, entry.msgstr, _source_tag(context), context.language.tag):
        yield problem


@check("urls", ERROR)
def urls(entry, context):
    """URLs and e-mail addresses come through exactly."""
    want, got = Counter(URL.findall(_without_citations(entry.msgid))), Counter(URL.findall(_without_citations(entry.msgstr)))
    for url in (want - got):
        yield f"expected the address {url}, not found exactly"
    for url in (got - want):
        yield f"found the address {url}, which the source does not have"


@check("citations", ERROR)
def citations(entry, context):
    """Citation keys and note references are the same multiset as in the source."""
    for label, pattern in (("citation key @", CITATION), ("note reference [^", NOTE_REF)):
        want, got = Counter(pattern.findall(_without_urls(entry.msgid))), Counter(pattern.findall(_without_urls(entry.msgstr)))
        close = "]" if label.endswith("[^") else ""
        for item in sorted(want - got):
            yield f"expected {label}{item}{close}, missing"
        for item in sorted(got - want):
            yield f"found {label}{item}{close}, which the source does not have"


@check("markup", ERROR)
def markup(entry, context):
    """Inline markup keeps its structure: link targets, code spans, emphasis markers."""
    want, got = Counter(LINK_TARGET.findall(entry.msgid)), Counter(LINK_TARGET.findall(entry.msgstr))
    for target in sorted(want - got):
        yield f"expected a link to {target}, not found"
    for target in sorted(got - want):
        yield f"found a link to {target}, which the source does not have"
    if Counter(CODE.findall(entry.msgid)) != Counter(CODE.findall(entry.msgstr)):
        yield "code spans differ from the source"
    for marker, name in (("**", "strong emphasis"), ("*", "emphasis"), ("~~", "strikeout")):
        a = _strip(entry.msgid).count(marker) - (2 * _strip(entry.msgid).count("**") if marker == "*" else 0)
        b = _strip(entry.msgstr).count(marker) - (2 * _strip(entry.msgstr).count("**") if marker == "*" else 0)
        if a != b:
            yield f"{name} markers differ: {a} in the source, {b} in the translation"
    if entry.msgstr.count("[") - entry.msgstr.count("]") != entry.msgid.count("[") - entry.msgid.count("]"):
        yield "unbalanced square brackets"


@check("untranslated", WARNING)
def untranslated(entry, context):
    """Untranslated entries (the English is published in their place)."""
    if not entry.msgstr:
        yield "not translated yet; the English text is used"


@check("fuzzy", WARNING)
def fuzzy(entry, context):
    """Fuzzy entries (suggestions or machine translation awaiting review)."""
    if "fuzzy" in entry.flags:
        yield "fuzzy: needs review; the English text is used"


@check("identical", WARNING)
def identical(entry, context):
    """A translation identical to the source, unless it is a name or code that stays as it is.

    Translators mark a deliberate one with a translator comment ``ignore-same`` (``# ignore-same``; the
    flag of that name, as Weblate writes it, counts too).
    """
    if entry.msgstr != entry.msgid or has_marker(entry, "ignore-same"):
        return
    residue = _without_urls(_without_citations(entry.msgid))
    if context.glossary is not None:
        residue = context.glossary.strip_untranslatable(residue)
    if re.search(r"[^\W\d_]{4,}", residue):
        yield "identical to the source text"


@check("omission", WARNING)
def omission(entry, context):
    """A possible omission or addition: length or sentence count far from what the language needs."""
    language = context.language.tag.split("-")[0]
    ratio = LENGTH_RATIO.get(language)
    source, target = _prose(entry.msgid), _prose(entry.msgstr)
    if ratio is None or len(source) < 80:
        return
    actual = len(target) / len(source)
    if not 0.55 * ratio <= actual <= 1.8 * ratio:
        yield f"length ratio {actual:.2f} against an expected {ratio:.2f}: check for omissions or additions"
    ends = SENTENCE_END.get(language, SENTENCE_END["default"])
    want = len(re.findall(SENTENCE_END["default"], source))
    got = len(re.findall(ends, target))
    if want >= 3 and got < want - 1 - want // 3:
        yield f"{got} sentences against {want} in the source: check for omissions"


@check("consistency", WARNING, scope="file")
def consistency(context):
    """One source translated two ways, or two sources given one translation."""
    by_source: dict[str, list] = {}
    by_target: dict[str, list] = {}
    for entry in context.po:
        if entry.obsolete or not entry.msgstr or "fuzzy" in entry.flags:
            continue
        by_source.setdefault(entry.msgid, []).append(entry)
        if not (entry.msgctxt or "").startswith("ref/"):   # (an organisation names its own publishing arm)
            by_target.setdefault(entry.msgstr, []).append(entry)
    for entries in by_source.values():
        if len({e.msgstr for e in entries}) > 1:
            first = entries[0]
            for other in entries[1:]:
                if other.msgstr != first.msgstr:
                    yield other.msgstr_line, other.msgctxt, (f"translated differently from the same source at line "
                                                             f"{first.msgstr_line} ({first.msgctxt})")
    for entries in by_target.values():
        sources = {e.msgid for e in entries}
        if len(sources) > 1 and len(entries[0].msgstr) > 3:
            first = entries[0]
            for other in entries[1:]:
                if other.msgid != first.msgid:
                    yield other.msgstr_line, other.msgctxt, (f"same translation as a different source at line "
                                                             f"{first.msgstr_line} ({first.msgctxt})")


@lru_cache(maxsize=4096)
def _without_citations(text: str) -> str:
    return re.sub(r"\[[^\[\]]*@[^\[\]]*\]", " ", text)


@lru_cache(maxsize=4096)
def _without_urls(text: str) -> str:
    return URL.sub(" ", text)


def _strip(text: str) -> str:
    """Text without URLs, citations and code, where asterisks are no markup."""
    return CODE.sub(" ", _without_urls(text)).replace("\\*", "")


def _prose(text: str) -> str:
    return re.sub(r"\s+", " ", _without_urls(_without_citations(text))).strip()


@check("stale", WARNING, scope="file")
def stale(context):
    """Entries for units the source no longer has (update-po makes them obsolete)."""
    template = context.template or template_of(context.project, context.path)
    if not template.exists():
        return
    from .. import catalog
    current = {(e.msgctxt, e.msgid) for e in catalog.read(template) if e.msgid}
    contexts = {c for c, _ in current}
    for entry in context.po:
        if entry.obsolete or not entry.msgid or (entry.msgctxt, entry.msgid) in current:
            continue
        what = "its source text changed" if entry.msgctxt in contexts else "no such unit in the source any more"
        yield entry.msgstr_line, entry.msgctxt, f"{what}; run `make update-po`"
