"""Compare pandoc ASTs up to what pandoc's own Markdown round trip changes."""

from __future__ import annotations

import re


def normalize(node):
    """Line wrapping, SoftBreak against Space, non-breaking spaces after abbreviations, the literal text
    pandoc keeps inside a Cite, note numbers and hashes, and pipe-table column widths are ignored."""
    if isinstance(node, list):
        return _inlines(node) if node and all(_is_inline(n) for n in node) else [normalize(n) for n in node]
    if isinstance(node, dict):
        tag = node.get("t")
        if tag == "Cite":
            citations = [{k: normalize(v) for k, v in c.items() if k not in ("citationNoteNum", "citationHash")}
                         for c in node["c"][0]]
            return {"t": "Cite", "c": citations}
        if tag == "Table":
            attr, caption, colspecs, *rest = node["c"]
            return {"t": "Table", "c": [attr, normalize(caption), [c[0] for c in colspecs], *normalize(rest)]}
        return {k: normalize(v) for k, v in node.items()}
    return node


INLINE_TAGS = {"Str", "Space", "SoftBreak", "LineBreak", "Emph", "Strong", "Underline", "Strikeout", "Superscript",
               "Subscript", "SmallCaps", "Quoted", "Cite", "Code", "Math", "RawInline", "Link", "Image", "Note",
               "Span"}


def _is_inline(node) -> bool:
    return isinstance(node, dict) and node.get("t") in INLINE_TAGS


def _inlines(nodes: list) -> list:
    out: list = []
    text = ""
    for node in nodes:
        tag = node["t"]
        if tag == "Str":
            text += node["c"]
        elif tag in ("Space", "SoftBreak"):
            text += " "
        else:
            if text:
                out.append(re.sub(r"[ \u00a0]+", " ", text))
                text = ""
            out.append(normalize(node))
    if text:
        out.append(re.sub(r"[ \u00a0]+", " ", text))
    return out
