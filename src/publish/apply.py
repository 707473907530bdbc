"""Apply a catalog to a document: translated units replace their source, the rest falls back."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import polib

from . import pandoc
from .boundary import forbidden_characters
from .errors import CatalogError
from .segments import Slot, parse_translations, to_markdown, walk


@dataclass
class ApplyReport:
    path: Path | None
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    outdated: int = 0
    problems: list[CatalogError] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated + self.outdated + len(self.problems)

    @property
    def fallbacks(self) -> int:
        return self.total - self.translated

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0

    def summary(self) -> str | None:
        """How many units fall back to English, and why; None when none does."""
        if not self.fallbacks:
            return None
        return (f"{self.path}: {self.fallbacks} of {self.total} units fall back to English ({self.untranslated} "
                f"untranslated, {self.fuzzy} fuzzy, {self.outdated} outdated, {len(self.problems)} unusable)")

    def add(self, usage, problems: list[CatalogError]) -> None:
        """Count other entries of the catalog the edition uses (its references') as units."""
        self.translated += usage.translated
        self.fuzzy += usage.fuzzy
        self.untranslated += usage.untranslated
        self.outdated += usage.outdated
        self.problems.extend(problems)


EAST_ASIAN = ("zh", "ja", "ko")


def apply(doc: dict, po: polib.POFile | None, lang_tag: str, po_path: Path | None = None,
          source_tag: str | None = None, units: list[str] | None = None) -> tuple[dict, ApplyReport]:
    """A translated copy of ``doc``; units without a usable translation keep the source text.

    With ``source_tag``, a unit left in the source language is marked with it (a span with a lang
    attribute), so that hyphenation, fonts and screen readers treat it as what it is. ``units`` is
    the Markdown of each unit of ``doc`` when it is already known (``source.segments``).
    """
    translated = pandoc.copy_ast(doc)
    translated.setdefault("meta", {})["lang"] = {"t": "MetaInlines", "c": [{"t": "Str", "c": lang_tag}]}
    report = ApplyReport(po_path)
    if po is None:
        return translated, report
    entries = {e.msgctxt: e for e in po if not e.obsolete}
    slots = list(walk(translated))
    sources = units if units is not None else to_markdown(slots)
    chosen: list[tuple[Slot, str, polib.POEntry]] = []
    fallback: list[Slot] = []
    for slot, source in zip(slots, sources):
        entry = entries.get(slot.context)
        if entry is None or not entry.msgstr:
            report.untranslated += 1
        elif entry.msgid != source:
            report.outdated += 1     # the catalog predates a source edit: update-po will mark it fuzzy
        elif "fuzzy" in entry.flags:
            report.fuzzy += 1
        else:
            chosen.append((slot, entry.msgstr, entry))
            continue
        fallback.append(slot)
    # A unit is inline text: a lone image must stay an image, not become a figure.
    reader = "markdown-implicit_figures"
    if lang_tag.split("-")[0] in EAST_ASIAN:
        reader += "+east_asian_line_breaks"
    parsed = parse_translations([c[0] for c in chosen], [c[1] for c in chosen], reader)
    for (slot, text, entry), value in zip(chosen, parsed):
        problem = _character_problem(text) or (value if isinstance(value, Exception) else _boundary_problem(slot, value))
        if problem is not None:
            report.problems.append(CatalogError(f"{problem}; the English text is used",
                                                po_path, getattr(entry, "msgstr_line", entry.linenum), slot.context))
            fallback.append(slot)
            continue
        slot.set(value)
        report.translated += 1
    if source_tag:
        for slot in fallback:
            if slot.kind != "text" and slot.get():
                slot.set([{"t": "Span", "c": [["", ["untranslated"], [["lang", source_tag]]], list(slot.get())]}])
    return translated, report          # (the build reports each problem, from the edition's facts)


def _character_problem(text: str) -> ValueError | None:
    found = forbidden_characters(text)
    return ValueError(f"the translation holds {', '.join(found)}") if found else None


def _boundary_problem(slot: Slot, value) -> ValueError | None:
    """A translation must carry the source's citations, link targets, raw markup and attributes, nothing
    else: no added raw HTML or script, no link to another target (javascript:, another host), no id,
    class or key-value attribute the source lacks, and every id the source has (links point at them)."""
    if slot.kind == "text":
        return None
    want, got = _fixed_parts(slot.get()), _fixed_parts(value)
    if want.keys != got.keys:
        return ValueError(f"citation keys differ: expected {', '.join(want.keys) or 'none'}, "
                          f"found {', '.join(got.keys) or 'none'}")
    if want.fixed != got.fixed:
        extra = sorted(set(got.fixed) - set(want.fixed)) or sorted(set(want.fixed) - set(got.fixed))
        return ValueError(f"links or raw markup differ from the source: {extra[0][:80]!r}")
    if sorted(want.ids) != sorted(got.ids):
        return ValueError(f"identifiers differ from the source: expected {' '.join(sorted(want.ids)) or 'none'}, "
                          f"found {' '.join(sorted(got.ids)) or 'none'}")
    extra = Counter(got.attributes) - Counter(want.attributes)
    if extra:
        return ValueError(f"attributes the source does not have: {', '.join(sorted(extra))[:80]}")
    return None


@dataclass
class _Parts:
    keys: list[str] = field(default_factory=list)          # citation keys, the notes' own included
    fixed: list[str] = field(default_factory=list)         # link targets and raw markup
    ids: list[str] = field(default_factory=list)
    attributes: list[str] = field(default_factory=list)    # ".class", "key=value"


ATTRIBUTED = {"Span": 0, "Link": 0, "Image": 0, "Code": 0, "Div": 0, "Header": 1, "CodeBlock": 0}


def _fixed_parts(node) -> _Parts:
    """What a translation must keep: the citation keys (with the notes' own, as the unit's text shows
    them), and link targets, raw markup and attributes (a note's are checked as its own unit)."""
    parts = _Parts()
    stack = [(node, False)]
    while stack:
        item, in_note = stack.pop()
        if isinstance(item, dict):
            tag = item.get("t")
            if tag == "Str" or tag == "Space":
                continue
            if tag == "Cite":
                parts.keys.extend(c["citationId"] for c in item["c"][0])
            elif not in_note and tag in ("Link", "Image"):
                parts.fixed.append(item["c"][2][0])
            elif not in_note and tag in ("RawInline", "RawBlock"):
                parts.fixed.append(item["c"][1])
            if not in_note and tag in ATTRIBUTED:
                ident, classes, pairs = item["c"][ATTRIBUTED[tag]]
                if ident:
                    parts.ids.append(ident)
                parts.attributes += [f".{c}" for c in classes] + [f"{k}={v}" for k, v in pairs]
            if isinstance(item.get("c"), list):
                stack.append((item["c"], in_note or tag == "Note"))
        elif isinstance(item, list):
            stack.extend((child, in_note) for child in item)
    parts.keys.sort()
    parts.fixed.sort()
    return parts
