"""Segmentation: the translatable units of a document, read from pandoc's AST.

Each block-level unit (heading, paragraph, list item, table cell, caption, chart label, each
paragraph of a note, the title, subtitle and abstract) is one :class:`Slot`. Its context is derived
from the document's structure (the enclosing section's id and the unit's place in it), so that
identical strings in different places stay distinct and an edit elsewhere leaves it unchanged.
Inline markup stays in the message as Markdown; a note inside a unit appears as ``[^1]``, ``[^2]``
and its paragraphs are units of their own (``<context>/note1/p1``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterator

from . import pandoc
from .errors import SourceError

#: Metadata fields that are translated, in catalog order.
META_FIELDS = ("title", "subtitle", "short-title", "description", "abstract", "keywords")
#: Attributes of a chart div (``::: {.chart}``) whose values are labels to translate.
LABEL_PREFIX = "label-"
NOTE_MARK = "\u27e6{}\u27e7"  # ⟦k⟧: the text of placeholder note k while a translation is parsed


@dataclass
class Slot:
    """A translatable place in an AST: read it, or put translated content into it."""

    context: str
    kind: str                                  # "heading" | "para" | "text"
    get: Callable[[], object]
    set: Callable[[object], None]
    notes: list[dict] = field(default_factory=list)   # the Note inlines inside it, in order
    parent: str | None = None                  # context of the unit a note paragraph belongs to


@dataclass(frozen=True)
class Segment:
    """One catalog entry's worth: context, Markdown text, where it starts, and hints for translators."""

    context: str
    kind: str
    text: str
    line: int
    comments: tuple[str, ...] = ()
    origin: str | None = None       # the file the line is in (from the project's root), when not the source


# -- walking ------------------------------------------------------------------------------------

def walk(doc: dict) -> Iterator[Slot]:
    """Yield every translatable slot of ``doc`` in document order.

    A consumer may replace a slot's content while it holds it: the notes of a slot are collected
    before it is yielded and walked afterwards, so they stay reachable in the new content.
    """
    seen: set[str] = set()
    for slot in slots(doc):
        if slot.context in seen:
            raise SourceError(f"two translatable units share the identifier {slot.context!r}; "
                              "give headings and divs unique ids", context=slot.context)
        seen.add(slot.context)
        yield slot


def slots(doc: dict) -> Iterator[Slot]:
    """Every translatable slot in document order, identifiers not checked (see ``walk``)."""
    meta = doc.get("meta", {})
    for key in META_FIELDS:
        if key in meta:
            yield from _walk_meta(meta, key, f"meta/{key}")
    yield from _walk_blocks(doc["blocks"], "front", top=True)


def _walk_meta(holder: dict | list, key, context: str) -> Iterator[Slot]:
    value = holder[key]
    kind = value.get("t")
    if kind == "MetaInlines":
        yield from _inline_slot(value["c"], context, "para")
    elif kind == "MetaString":
        yield _text_slot(value, "c", context)
    elif kind == "MetaBlocks":
        yield from _walk_blocks(value["c"], context)
    elif kind == "MetaList":
        for index in range(len(value["c"])):
            yield from _walk_meta(value["c"], index, f"{context}/i{index + 1}")


def _walk_blocks(blocks: list, base: str, top: bool = False) -> Iterator[Slot]:
    """Walk a block list whose units are named ``<base>/<kind><n>``; at top level a heading opens a new base."""
    counters: dict[str, int] = defaultdict(int)

    def next_name(kind: str) -> str:
        counters[kind] += 1
        return f"{base}/{kind}{counters[kind]}"

    for block in blocks:
        tag, content = block["t"], block.get("c")
        if tag == "Header":
            ident = content[1][0]
            if top and ident:
                base = ident
                counters.clear()
                context = f"{ident}/heading"
            else:
                context = f"{ident}/heading" if ident else next_name("h")
            yield from _inline_slot(content[2], context, "heading")
        elif tag in ("Para", "Plain"):
            yield from _inline_slot(content, next_name("p"), "para")
        elif tag == "LineBlock":
            name = next_name("lines")
            for index, line in enumerate(content, 1):
                yield from _inline_slot(line, f"{name}/l{index}", "para")
        elif tag in ("BulletList", "OrderedList"):
            name = next_name("list")
            items = content if tag == "BulletList" else content[1]
            for index, item in enumerate(items, 1):
                yield from _walk_blocks(item, f"{name}/i{index}")
        elif tag == "BlockQuote":
            yield from _walk_blocks(content, next_name("quote"))
        elif tag == "DefinitionList":
            name = next_name("dl")
            for index, (term, definitions) in enumerate(content, 1):
                yield from _inline_slot(term, f"{name}/i{index}/term", "para")
                for number, definition in enumerate(definitions, 1):
                    yield from _walk_blocks(definition, f"{name}/i{index}/d{number}")
        elif tag == "Div":
            (ident, classes, attrs), inner = content
            name = ident or next_name("div")
            for pair in attrs:
                if pair[0].startswith(LABEL_PREFIX):
                    yield _text_slot(pair, 1, f"{name}/{pair[0]}")
            yield from _walk_blocks(inner, name)
        elif tag == "Figure":
            (ident, _, _), (_, caption), body = content
            name = ident or next_name("figure")
            yield from _walk_blocks(caption, f"{name}/caption")
            yield from _walk_blocks(body, name)
        elif tag == "Table":
            yield from _walk_table(content, next_name("table"))
        # CodeBlock, RawBlock, HorizontalRule: nothing to translate.


def _walk_table(content: list, name: str) -> Iterator[Slot]:
    _, (_, caption), _, head, bodies, foot = content
    yield from _walk_blocks(caption, f"{name}/caption")
    rows = list(head[1])
    for body in bodies:
        rows += body[2] + body[3]
    rows += foot[1]
    for r, (_, cells) in enumerate(rows, 1):
        for c, cell in enumerate(cells, 1):
            yield from _walk_blocks(cell[4], f"{name}/r{r}c{c}")


def _inline_slot(inlines: list, context: str, kind: str) -> Iterator[Slot]:
    notes = list(_notes(inlines))

    def set_(value: list) -> None:
        inlines[:] = value

    yield Slot(context, kind, lambda: inlines, set_, notes)
    for number, note in enumerate(notes, 1):
        for slot in _walk_blocks(note["c"], f"{context}/note{number}"):
            slot.parent = slot.parent or context
            yield slot


def _text_slot(holder, key, context: str) -> Slot:
    def set_(value: str) -> None:
        holder[key] = value
    return Slot(context, "text", lambda: holder[key], set_)


def _notes(node) -> Iterator[dict]:
    """The Note inlines within ``node`` in reading order, not descending into the notes themselves."""
    return (e for e in elements(node, into_notes=False) if e["t"] == "Note")


def _replace_notes(node, replace: Callable[[dict], dict]):
    if isinstance(node, list):
        return [_replace_notes(item, replace) for item in node]
    if isinstance(node, dict):
        if node.get("t") == "Note":
            return replace(node)
        if "c" in node:
            return {**node, "c": _replace_notes(node["c"], replace)}
    return node


# -- Markdown for slots -------------------------------------------------------------------------

def to_markdown(slots: list[Slot]) -> list[str]:
    """The Markdown text of each slot; notes appear as ``[^k]``, numbered within the slot."""
    docs, positions, texts = [], [], []
    for index, slot in enumerate(slots):
        if slot.kind == "text":
            texts.append(str(slot.get()))
            continue
        counter = iter(range(1, len(slot.notes) + 1))
        inlines = _replace_notes(slot.get(), lambda _n: {"t": "RawInline", "c": ["markdown", f"[^{next(counter)}]"]})
        block = {"t": "Header", "c": [1, ["", [], []], inlines]} if slot.kind == "heading" \
            else {"t": "Para", "c": inlines}
        docs.append(pandoc.document([block]))
        positions.append(index)
        texts.append("")
    for index, text in zip(positions, pandoc.write_many(docs)):
        text = text.strip("\n")
        if slots[index].kind == "heading":
            text = text.removeprefix("# ")
        texts[index] = text
    return texts


def parse_translations(slots: list[Slot], texts: list[str], reader: str = pandoc.MARKDOWN
                       ) -> list[list | str | Exception]:
    """Parse translated Markdown for each slot: inlines (or a string for text slots), or the problem found.

    ``reader`` is pandoc's input format, e.g. ``markdown+east_asian_line_breaks`` for Chinese, where a
    line break between two Han characters is no space.
    """
    results: list = [None] * len(slots)
    batch, where = [], []
    for index, (slot, text) in enumerate(zip(slots, texts)):
        if slot.kind == "text":
            results[index] = text
            continue
        source = ("# " + " ".join(text.split("\n"))) if slot.kind == "heading" else text
        definitions = "".join(f"\n\n[^{k}]: {NOTE_MARK.format(k)}" for k in range(1, len(slot.notes) + 1))
        batch.append(source + definitions + "\n")
        where.append(index)
    for index, parsed in zip(where, pandoc.read_many(batch, reader)):
        results[index] = _inlines_of(slots[index], parsed)
    return results


def _inlines_of(slot: Slot, parsed: dict | str) -> list | Exception:
    if isinstance(parsed, str):
        return ValueError(f"pandoc cannot read the translation: {parsed}")
    blocks = parsed["blocks"]
    expected = "Header" if slot.kind == "heading" else "Para"
    if len(blocks) != 1 or blocks[0]["t"] not in (expected, "Plain"):
        found = ", ".join(b["t"] for b in blocks) or "nothing"
        return ValueError(f"the translation must be inline text; pandoc reads it as {found} "
                          "(escape a leading '1.', '-', '#' or '>' with a backslash)")
    inlines = blocks[0]["c"][2] if blocks[0]["t"] == "Header" else blocks[0]["c"]
    used: list[int] = []

    def restore(note: dict) -> dict:
        mark = pandoc_text(note["c"])
        for k in range(1, len(slot.notes) + 1):
            if mark == NOTE_MARK.format(k):
                used.append(k)
                return slot.notes[k - 1]
        raise AssertionError("unexpected note in translation")

    try:
        inlines = _replace_notes(inlines, restore)
    except AssertionError:
        return ValueError("the translation defines a note of its own; notes are translated as entries of their own")
    expected_notes = list(range(1, len(slot.notes) + 1))
    if sorted(used) != expected_notes:
        want = " ".join(f"[^{k}]" for k in expected_notes) or "none"
        got = " ".join(f"[^{k}]" for k in used) or "none"
        return ValueError(f"note references differ: expected {want}, found {got}")
    return inlines


def pandoc_text(node) -> str:
    """Plain text of an AST fragment (like pandoc's stringify), for labels and comparisons."""
    if isinstance(node, list):
        return "".join(pandoc_text(item) for item in node)
    if not isinstance(node, dict):
        return ""
    tag, content = node.get("t"), node.get("c")
    if tag == "Str":
        return content
    if tag in ("Space", "SoftBreak"):
        return " "
    if tag == "LineBreak":
        return "\n"
    if tag in ("Code", "Math", "RawInline"):
        return content[1] if tag != "RawInline" else ""
    if tag == "Quoted":
        open_, close = ("\u201c", "\u201d") if content[0]["t"] == "DoubleQuote" else ("\u2018", "\u2019")
        return open_ + pandoc_text(content[1]) + close
    if tag == "Note":
        return ""
    if tag in ("Link", "Image", "Span", "Cite"):
        return pandoc_text(content[-2] if tag in ("Link", "Image") else content[-1])
    if tag in ("Para", "Plain", "Header"):
        return pandoc_text(content[-1] if tag == "Header" else content)
    return pandoc_text(content)


def elements(node, into_notes: bool = True) -> Iterator[dict]:
    """Every element (block or inline) of an AST fragment, in document order."""
    # An explicit stack: nested generators cost a frame per level on every element.
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            if "t" in item:
                yield item
            if "c" in item and (into_notes or item.get("t") != "Note"):
                stack.append(item["c"])


def citation_keys(node) -> list[str]:
    """Citation keys used in an AST fragment, in order (with repetitions)."""
    return [c["citationId"] for e in elements(node) if e["t"] == "Cite" for c in e["c"][0]]


# -- segments -----------------------------------------------------------------------------------

def segment(doc: dict, source_text: str) -> list[Segment]:
    """The segments of a parsed document, with the source line where each begins."""
    slots = list(walk(doc))      # (reads only: nothing in doc is changed)
    return segments_of(slots, to_markdown(slots), _locate(slots, source_text))


def segments_of(slots: list[Slot], texts: list[str], lines: list[int]) -> list[Segment]:
    """The segments of these slots, given each one's Markdown and line."""
    return [Segment(slot.context, slot.kind, text, line, _comments(slot, text))
            for slot, text, line in zip(slots, texts, lines)]


def _comments(slot: Slot, text: str) -> tuple[str, ...]:
    hints = []
    content = slot.get()
    if slot.kind == "text":
        hints.append("A label drawn in a chart: keep it short.")
    elif slot.kind == "heading":
        hints.append("A heading.")
    if slot.parent:
        hints.append("A paragraph of a note.")
    if slot.notes:
        hints.append("Keep the note references ([^1] ...) with the words they belong to.")
    if slot.kind != "text" and citation_keys(content):
        hints.append("Keep each citation key (@...) unchanged; translate only the words inside the brackets.")
    if "](" in text:
        hints.append("Keep link targets unchanged.")
    return tuple(hints)


def _locate(slots: list[Slot], source_text: str) -> list[int]:
    """Line where each slot's text begins, by a forward search for its first word.

    Pandoc's Markdown reader keeps no source positions. Notes are searched from their unit's line
    without moving the main cursor, so an out-of-line note definition does not derail the rest.
    """
    lines = source_text.splitlines()
    front = _front_matter_end(lines)
    cursor = 0
    found_at: dict[str, int] = {}
    result = []
    for slot in slots:
        value = slot.get()
        words = (str(value).split() if slot.kind == "text" else pandoc_text(value).split())
        meta = slot.context.startswith("meta/")
        if not meta and cursor < front:
            cursor = front            # the body starts after the front matter
        end = front if meta else len(lines)
        if slot.parent:
            start = found_at.get(slot.parent, cursor)
        else:
            # Units follow each other on separate lines, except labels written on their div's line.
            start = cursor + 1 if result and slot.kind != "text" else cursor
        line = _find(lines, _probe(words), start, end)
        if line is None and start > cursor:
            line = _find(lines, _probe(words), cursor, end)
        if line is None:
            line = start
        elif not slot.parent:
            cursor = line
        found_at[slot.context] = line
        result.append(line + 1)
    return result


def _front_matter_end(lines: list[str]) -> int:
    """Index of the line after the YAML front matter (0 when there is none)."""
    if not lines or lines[0].strip() != "---":
        return 0
    for number in range(1, len(lines)):
        if lines[number].strip() in ("---", "..."):
            return number + 1
    return 0


def _probe(words: list[str]) -> str:
    """A distinctive early word: markup between words makes longer phrases unreliable."""
    cleaned = [w.strip("\u201c\u201d\u2018\u2019\"'.,;:()[]*_") for w in words[:6]]
    for word in cleaned:
        if len(word) >= 4 and word.isalnum():
            return word
    return next((w for w in cleaned if w), "")


def _find(lines: list[str], probe: str, start: int, end: int | None = None) -> int | None:
    if not probe:
        return None
    for number in range(start, len(lines) if end is None else end):
        if probe in lines[number]:
            return number
    return None
