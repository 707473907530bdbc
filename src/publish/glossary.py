"""The terminology glossary (translations/glossary.yaml): loading, matching in text, TBX export.

Matching is inflection-aware for Spanish and Portuguese (plural and gender endings: derecho/derechos,
mundial/mundiales, global/globais, declaração/declarações), word by word on whole words, and plain
substring search for Chinese, which has no word boundaries.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import ConfigError
from .fsutil import write_atomic
from .source import SAFE_LOADER

GLOSSARY = "glossary.yaml"
LANGUAGE_KEYS = ("preferred", "admitted", "forbidden", "source")


@dataclass(frozen=True)
class Rendering:
    preferred: str
    admitted: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    source: str = ""

    @property
    def accepted(self) -> tuple[str, ...]:
        return (self.preferred, *self.admitted)


@dataclass(frozen=True)
class Term:
    id: str
    english: tuple[str, ...]
    renderings: dict[str, Rendering] = field(default_factory=dict)
    dnt: bool = False
    note: str = ""
    line: int = 1


class Glossary:
    def __init__(self, terms: list[Term], path: Path | None = None):
        self.terms = terms
        self.path = path
        self._occurring: dict[str, list[tuple[Term, str]]] = {}   # a source text is read for every language

    def occurring(self, text: str) -> list[tuple[Term, str]]:
        if text not in self._occurring:
            self._occurring[text] = self._find(text)
        return self._occurring[text]

    def _find(self, text: str) -> list[tuple[Term, str]]:
        """The terms whose English form occurs in ``text``, with the form found.

        The longest match wins: within "China-LAC community with a shared future" the shorter
        "China-LAC" is not a separate occurrence.
        """
        spans = []
        lowered = text.lower()
        for term in self.terms:
            for variant in term.english:
                if variant.lower() not in lowered:      # a cheap test before the regular expression
                    continue
                for match in _english_pattern(variant).finditer(text):
                    spans.append((match.start(), match.end(), term, variant))
        found, seen = [], set()
        for start, end, term, variant in spans:
            inside = any(s <= start and end <= e and (e - s) > (end - start) for s, e, _, _ in spans)
            if not inside and term.id not in seen:
                seen.add(term.id)
                found.append((term, variant))
        return found

    def strip_untranslatable(self, text: str) -> str:
        for term in self.terms:
            if term.dnt:
                for variant in term.english:
                    text = _english_pattern(variant).sub(" ", text)
        return text


def load(path: Path) -> Glossary:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("glossary not found", path) from None
    return _parse(path, text)


def _parse(path: Path, text: str) -> Glossary:
    import yaml
    try:
        data = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        # Where the offending construct began (context_mark), else where YAML noticed the problem.
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        raise ConfigError(f"invalid YAML: {getattr(exc, 'problem', exc)}", path, mark.line + 1 if mark else None) from None
    if not isinstance(data, dict) or not isinstance(data.get("terms"), list):
        raise ConfigError("a glossary is a mapping with a list under 'terms'", path, 1)
    items = [n for n, line in enumerate(text.splitlines(), 1) if re.match(r"\s*-\s+id\s*:", line)]
    terms, errors, seen = [], [], set()
    for index, raw in enumerate(data["terms"]):
        line = items[index] if index < len(items) else 1
        if not isinstance(raw, dict) or not raw.get("id") or not raw.get("en"):
            errors.append(ConfigError("each term needs an id and its English form(s) under 'en'", path, line))
            continue
        if raw["id"] in seen:
            errors.append(ConfigError(f"term id {raw['id']!r} appears twice", path, line))
        seen.add(raw["id"])
        english = tuple(raw["en"]) if isinstance(raw["en"], list) else (str(raw["en"]),)
        renderings = {}
        for code, value in raw.items():
            if code in ("id", "en", "note", "dnt"):
                continue
            if not isinstance(value, dict) or "preferred" not in value or set(value) - set(LANGUAGE_KEYS):
                errors.append(ConfigError(f"term {raw['id']!r}, language {code!r}: expected the keys "
                                          f"{', '.join(LANGUAGE_KEYS)} (preferred required)", path, line))
                continue
            renderings[code] = Rendering(str(value["preferred"]), tuple(map(str, value.get("admitted") or ())),
                                         tuple(map(str, value.get("forbidden") or ())), str(value.get("source", "")))
        terms.append(Term(str(raw["id"]), english, renderings, bool(raw.get("dnt", False)), str(raw.get("note", "")),
                          line))
    if errors:
        from .errors import collect
        collect(errors)
    return Glossary(terms, path)


# -- matching -----------------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _english_pattern(variant: str) -> re.Pattern:
    acronym = variant.isupper() or any(c.isdigit() for c in variant)
    body = re.escape(variant).replace(r"\ ", r"\s+")
    return re.compile(rf"(?<![\w-]){body}(?![\w-])", 0 if acronym else re.IGNORECASE)


TOKEN = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


def contains(text: str, rendering: str, language: str) -> bool:
    """Whether ``text`` contains ``rendering``, allowing the inflections the language needs."""
    if language.startswith("zh") or language.startswith("ja"):
        return _nfc(rendering) in _nfc(text)
    if re.search(r"[^\w\s'’-]", rendering):     # "1+3+6", quotes: compare the characters as written
        return _nfc(rendering).lower() in _nfc(text).lower()
    wanted = _forms(rendering, language)
    if not wanted:
        return False
    tokens = _tokens(text, rendering.isupper())
    n = len(wanted)
    first = wanted[0]
    return any(tokens[i] in first and all(tokens[i + j] in wanted[j] for j in range(1, n))
               for i in range(len(tokens) - n + 1))


@lru_cache(maxsize=8192)
def _tokens(text: str, exact_case: bool) -> tuple[str, ...]:
    text = _nfc(text)
    return tuple(TOKEN.findall(text if exact_case else text.lower()))


@lru_cache(maxsize=8192)
def _forms(rendering: str, language: str) -> tuple[frozenset[str], ...]:
    """For each word of a rendering, the forms it may take (Spanish and Portuguese inflections)."""
    exact = rendering.isupper()
    words = TOKEN.findall(_nfc(rendering) if exact else _nfc(rendering).lower())
    return tuple(frozenset(_inflections(w, language)) for w in words)


def _inflections(word: str, language: str) -> set[str]:
    if len(word) < 4 or not word.isalpha() or word.isupper():
        return {word}
    if word.endswith("ão"):
        return {word[:-2] + end for end in ("ão", "ões", "ães", "ãos")}
    if word.endswith("l") and language.startswith("pt"):
        return {word, word[:-1] + "is"}
    if word.endswith("z"):
        return {word, word[:-1] + "ces"}
    if word.endswith("ón"):                       # nación, naciones
        return {word, word[:-2] + "ones"}
    if word[-1] in "aeo":
        return {word[:-1] + end for end in ("a", "o", "e", "as", "os", "es")}
    return {word, word + "s", word + "es"}        # país, países; mundial, mundiales


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# -- TBX ------------------------------------------------------------------------------------------

def write_tbx(glossary: Glossary, out: Path, tags: dict[str, str], source_tag: str = "en") -> None:
    """Export as TBX (the TBX-Basic dialect of ISO 30042, "martif" form) for CAT tools and Weblate."""
    from xml.etree import ElementTree as ET      # (only here: every check imports this module)
    martif = ET.Element("martif", {"type": "TBX-Basic", "xml:lang": source_tag})
    header = ET.SubElement(martif, "martifHeader")
    desc = ET.SubElement(ET.SubElement(header, "fileDesc"), "sourceDesc")
    ET.SubElement(desc, "p").text = f"Exported from {glossary.path.name if glossary.path else 'the glossary'}"
    body = ET.SubElement(ET.SubElement(martif, "text"), "body")
    for term in glossary.terms:
        entry = ET.SubElement(body, "termEntry", {"id": term.id})
        if term.note:
            ET.SubElement(entry, "descrip", {"type": "definition"}).text = term.note
        if term.dnt:
            ET.SubElement(entry, "descrip", {"type": "subjectField"}).text = "do not translate"
        english = ET.SubElement(entry, "langSet", {"xml:lang": source_tag})
        for index, variant in enumerate(term.english):
            _tig(english, variant, "preferredTerm-admn-sts" if index == 0 else "admittedTerm-admn-sts")
        for code, rendering in term.renderings.items():
            lang_set = ET.SubElement(entry, "langSet", {"xml:lang": tags.get(code, code)})
            _tig(lang_set, rendering.preferred, "preferredTerm-admn-sts", rendering.source)
            for admitted in rendering.admitted:
                _tig(lang_set, admitted, "admittedTerm-admn-sts")
            for forbidden in rendering.forbidden:
                _tig(lang_set, forbidden, "deprecatedTerm-admn-sts")
        if term.dnt:
            for code, tag in tags.items():
                if code not in term.renderings and tag != source_tag:
                    lang_set = ET.SubElement(entry, "langSet", {"xml:lang": tag})
                    _tig(lang_set, term.english[0], "preferredTerm-admn-sts")
    ET.indent(martif)
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">\n'
           + ET.tostring(martif, encoding="unicode") + "\n")
    write_atomic(out, xml)


def _tig(parent, text: str, status: str, source: str = "") -> None:
    from xml.etree import ElementTree as ET
    tig = ET.SubElement(parent, "tig")
    ET.SubElement(tig, "term").text = text
    ET.SubElement(tig, "termNote", {"type": "administrativeStatus"}).text = status
    if source:
        ET.SubElement(tig, "admin", {"type": "source"}).text = source
