"""The glossary check: required renderings present, forbidden ones absent, names left as they are."""

from __future__ import annotations

from ..glossary import contains
from . import ERROR, check
from .content import _without_citations


@check("glossary", ERROR)
def glossary(entry, context):
    """A source term needs its preferred or an admitted rendering; forbidden renderings are errors."""
    if context.glossary is None:
        return
    code = context.language.code
    tag = context.language.tag
    source, translation = _without_citations(entry.msgid), _without_citations(entry.msgstr)
    for term, found in context.glossary.occurring(source):
        if term.dnt:
            if not any(contains(translation, variant, tag) for variant in term.english):
                yield f"{found!r} is not translated: expected it unchanged"
            continue
        rendering = term.renderings.get(code)
        if rendering is None:
            continue
        if not any(contains(translation, accepted, tag) for accepted in rendering.accepted):
            others = f" (or {', '.join(repr(a) for a in rendering.admitted)})" if rendering.admitted else ""
            yield f"{found!r} expects {rendering.preferred!r}{others}, not found"
        for forbidden in rendering.forbidden:
            if contains(translation, forbidden, tag):
                yield f"{forbidden!r} is a forbidden rendering of {found!r}; use {rendering.preferred!r}"
