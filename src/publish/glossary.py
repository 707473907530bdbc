"""The terminology glossary (translations/glossary.yaml): loading, matching in text, TBX export.

Matching is inflection-aware for Spanish and Portuguese (plural and gender endings: derecho/derechos,
mundial/mundiales, global/globais, declaração/declarações) and plain substring search for Chinese,
which has no word boundaries.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from xml.etree import ElementTree as ET

import yaml

from .errors import ConfigError
from .fsutil import write_atomic

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

    def occurring(self, text: str) -> list[tuple[Term, str]]:
        """The terms whose English form occurs in ``text``, with the form found.

        The longest match wins: within "China-LAC community with a shared future" the shorter
        "China-LAC" is not a separate occurrence.
        """
        spans = []
        for term in self.terms:
            for variant in term.english:
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

    @cached_property
    def languages(self) -> list[str]:
        return sorted({code for term in self.terms for code in term.renderings})


def load(path: Path) -> Glossary:
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except FileNotFoundError:
        raise ConfigError("glossary not found", path) from None
    except yaml.YAMLError as exc:
        # Where the offending construct began (context_mark), else where YAML noticed the problem.
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        raise ConfigError(f"invalid YAML: {getattr(exc, 'problem', exc)}", path, mark.line + 1 if mark else None) from None
    if not isinstance(data, dict) or not isinstance(data.get("terms"), list):
        raise ConfigError("a glossary is a mapping with a list under 'terms'", path, 1)
    lines = text.splitlines()
    terms, errors, seen = [], [], set()
    for index, raw in enumerate(data["terms"]):
        line = _line_of_item(lines, index)
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


def _line_of_item(lines: list[str], index: int) -> int:
    count = -1
    for number, line in enumerate(lines, 1):
        if re.match(r"\s*-\s+id\s*:", line):
            count += 1
            if count == index:
                return number
    return 1


# -- matching -----------------------------------------------------------------------------------------

def _english_pattern(variant: str) -> re.Pattern:
    return _compile_english(variant)


_ENGLISH_CACHE: dict[str, re.Pattern] = {}


def _compile_english(variant: str) -> re.Pattern:
    if variant not in _ENGLISH_CACHE:
        acronym = variant.isupper() or any(c.isdigit() for c in variant)
        body = re.escape(variant).replace(r"\ ", r"\s+")
        _ENGLISH_CACHE[variant] = re.compile(rf"(?<![\w-]){body}(?![\w-])", 0 if acronym else re.IGNORECASE)
    return _ENGLISH_CACHE[variant]


_TARGET_CACHE: dict[tuple[str, str], re.Pattern] = {}


def contains(text: str, rendering: str, language: str) -> bool:
    """Whether ``text`` contains ``rendering``, allowing the inflections the language needs."""
    if language.startswith("zh") or language.startswith("ja"):
        return _nfc(rendering) in _nfc(text)
    key = (rendering, language)
    if key not in _TARGET_CACHE:
        words = [_inflected(w, language) for w in _nfc(rendering).split()]
        acronym = rendering.isupper()
        _TARGET_CACHE[key] = re.compile(r"(?<![\w-])" + r"\s+".join(words) + r"(?![\w-])",
                                        0 if acronym else re.IGNORECASE)
    return bool(_TARGET_CACHE[key].search(_nfc(text)))


def _inflected(word: str, language: str) -> str:
    """A pattern for a word and its plural or gender forms (Spanish, Portuguese)."""
    if len(word) < 4 or not word.isalpha() or word.isupper():
        return re.escape(word)
    lower = word.lower()
    if lower.endswith("ão"):
        return re.escape(word[:-2]) + "(?:ão|ões|ães|ãos)"
    if lower.endswith("l") and language.startswith("pt"):
        return re.escape(word[:-1]) + "(?:l|is)"
    if lower.endswith("z"):
        return re.escape(word[:-1]) + "(?:z|ces)"
    if lower.endswith("ón"):                       # nación, naciones
        return re.escape(word[:-2]) + "(?:ón|ones)"
    if lower[-1] in "aeo":
        return re.escape(word[:-1]) + "(?:a|o|e|as|os|es)"
    return re.escape(word) + "(?:es|s)?"           # país, países; mundial, mundiales


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# -- TBX ------------------------------------------------------------------------------------------

def write_tbx(glossary: Glossary, out: Path, tags: dict[str, str], source_tag: str = "en") -> None:
    """Export as TBX (the TBX-Basic dialect of ISO 30042, "martif" form) for CAT tools and Weblate."""
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
    tig = ET.SubElement(parent, "tig")
    ET.SubElement(tig, "term").text = text
    ET.SubElement(tig, "termNote", {"type": "administrativeStatus"}).text = status
    if source:
        ET.SubElement(tig, "admin", {"type": "source"}).text = source
