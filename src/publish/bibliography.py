"""The bibliography as an edition cites it.

A record's reader-facing fields (an organisation's name as author or publisher, places, genres, notes,
titles) are translated through the document's own catalog, as entries ``ref/<id>/<field>`` (and
``ref/<id>/<role>/<n>`` for the n-th organisation of a name list), so translators see them beside the
text and QA checks them. What is not a translation (another edition's URL, pages or symbol; a Chinese
source's original title and publisher) is in a per-language overlay, ``references.<lang>.yaml`` beside
the bibliography, whose fields replace the record's (a field set to null removes it).

citeproc reads a CSL YAML bibliography's text as Markdown: a translation is plain text, so each of its
ASCII punctuation marks is backslash-escaped and reaches the notes as the character it is, never as
markup, a citation or raw HTML. Text shown in the source language is marked with its language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import polib

from .boundary import forbidden_characters
from .errors import CatalogError, SourceError
from .project import Document, Language
from .segments import Segment
from .source import line_of, references

# The fields a reader reads as words of a language (the rest are dates, numbers, URLs and symbols).
FIELDS = ("title", "container-title", "collection-title", "event-title", "publisher", "publisher-place",
          "event-place", "genre", "medium", "note")
NAMES = ("author", "editor", "translator", "container-author", "collection-editor", "editorial-director")
HINTS = {
    "title": "The title of the edition published in your language, if there is one; otherwise the English title, "
             "copied unchanged (the note then marks it as English). Plain text: no Markdown.",
    "container-title": "The title of the edition published in your language, if there is one; otherwise the "
                       "English title, copied unchanged. Plain text: no Markdown.",
    "publisher-place": "The place's name in your language. Plain text.",
    "publisher": "The publisher's established name in your language (as the text names it). Plain text.",
}
NAME_HINT = "The organisation's established name or acronym in your language (as the text names it). Plain text."
ESCAPED = re.compile(r"([!-/:-@\[-`{-~])")


@dataclass
class Usage:
    """How many of a catalog's reference entries an edition could use, as an ApplyReport counts units."""
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    outdated: int = 0


def units(path: Path, origin: str) -> list[Segment]:
    """The bibliography's translatable fields, as catalog units, record by record; ``origin``: the
    bibliography's path as the catalogs name it."""
    text = path.read_text(encoding="utf-8")
    found = []
    for record in references(path):
        ident = str(record.get("id", ""))
        if not ident:
            continue
        line = line_of(text, f"id: {ident}") or 1
        for context, value, hint in _fields(record):
            found.append(Segment(f"ref/{ident}/{context}", "reference", value, line,
                                 (f"Reference {ident}. {hint}",), origin=origin))
    return found


def _fields(record: dict):
    """(context, English text, hint) of each translatable field of a record."""
    for role in NAMES:
        names = record.get(role)
        for n, name in enumerate(names if isinstance(names, list) else [], 1):
            if isinstance(name, dict) and isinstance(name.get("literal"), str) and name["literal"].strip():
                yield f"{role}/{n}", name["literal"], NAME_HINT
    for field in FIELDS:
        value = record.get(field)
        if isinstance(value, str) and value.strip():
            yield field, value, HINTS.get(field, "Plain text: no Markdown.")


def overlay_path(document: Document, language: Language) -> Path | None:
    """``references.<lang>.yaml`` beside the bibliography: the edition's own facts for some records."""
    if document.bibliography is None:
        return None
    bib = document.bibliography
    path = bib.with_name(f"{bib.stem}.{language.code}{bib.suffix}")
    return path if path.exists() else None


def _overlay(document: Document, language: Language) -> tuple[Path | None, dict[str, dict]]:
    overlay = overlay_path(document, language)
    return overlay, ({r["id"]: r for r in references(overlay, optional=True) if "id" in r} if overlay else {})


def given_contexts(document: Document, language: Language) -> set[str]:
    """The catalog entries of the fields the language's overlay gives: the edition shows the overlay's."""
    if document.bibliography is None:
        return set()
    _path, facts = _overlay(document, language)
    return {f"ref/{r['id']}/{context}" for r in references(document.bibliography) if r.get("id") in facts
            for context, _value, _hint in _fields(r) if context.partition("/")[0] in facts[r["id"]]}


def for_edition(document: Document, language: Language, po: polib.POFile | None, po_path: Path | None,
                source_tag: str | None) -> tuple[list[dict] | None, Usage, list[CatalogError]]:
    """The records as the edition cites them: translated where its catalog translates a field, then the
    overlay's facts; what stays in the source language marked as such (``source_tag``). None: the
    bibliography file as it is (no bibliography, or the source language's edition with no overlay)."""
    if document.bibliography is None:
        return None, Usage(), []
    overlay, facts = _overlay(document, language)
    if source_tag is None and overlay is None:
        return None, Usage(), []
    records = references(document.bibliography)
    unknown = sorted(set(facts) - {r.get("id") for r in records})
    if unknown:
        raise SourceError(f"overlay names records the bibliography does not have: {', '.join(unknown)}", overlay,
                          line_of(overlay.read_text(encoding="utf-8"), unknown[0]))
    usage, problems = Usage(), []
    if source_tag is not None:
        entries = {e.msgctxt: e for e in po if not e.obsolete} if po is not None else {}
        records = [_translated(r, set(facts.get(r.get("id"), {})), entries, usage, problems, po_path, source_tag)
                   for r in records]
    merged = []
    for record in records:
        record = {**record, **facts.get(record.get("id"), {})}      # the overlay's facts win
        merged.append({k: v for k, v in record.items() if v is not None})
    return merged, usage, problems


def _translated(record: dict, given: set[str], entries: dict, usage: Usage, problems: list, po_path,
                source_tag: str) -> dict:
    """The record with its catalog's translations; ``given``: the fields the overlay sets, which the
    catalog does not translate (nor count)."""
    record = {**record, **{role: [dict(n) if isinstance(n, dict) else n for n in record[role]]
                           for role in NAMES if isinstance(record.get(role), list)}}
    for context, english, _hint in list(_fields(record)):
        if context.partition("/")[0] in given:
            continue
        entry = entries.get(f"ref/{record['id']}/{context}")
        text = None
        if entry is None or not entry.msgstr:
            usage.untranslated += 1
        elif entry.msgid != english:
            usage.outdated += 1
        elif "fuzzy" in entry.flags:
            usage.fuzzy += 1
        elif forbidden_characters(entry.msgstr):
            problems.append(CatalogError(f"the translation holds {', '.join(forbidden_characters(entry.msgstr))}; "
                                         "the English text is used", po_path,
                                         getattr(entry, "msgstr_line", entry.linenum), entry.msgctxt))
        else:
            usage.translated += 1
            text = entry.msgstr
        if text is None or text == english:      # shown in the source language, and marked so
            value = f"[{english}]{{lang={source_tag}}}" if "/" not in context else english
        else:
            value = plain(text)
        role, _, n = context.partition("/")
        if n:
            record[role][int(n) - 1]["literal"] = value
        else:
            record[context] = value
    return record


def plain(text: str) -> str:
    """Text that pandoc's Markdown reader reads back as exactly these characters."""
    return ESCAPED.sub(r"\\\1", " ".join(text.split()))
