"""The trust boundary's checks: what a translation may never bring into an artifact.

A translator's text is untrusted. These checks are errors wherever the msgstr would be published, no
override skips them, and the same rules are enforced again where a translation is applied (``apply``,
``i18n``): raw markup, pandoc attributes the English lacks, control and bidirectional-control
characters, and placeholders other than the English's.
"""

from __future__ import annotations

import re
from collections import Counter

from ..boundary import PLACEHOLDER, forbidden_characters
from . import ERROR, check

# Anything a browser or an XML parser could read as markup: a tag (<script/src=...>, </script/>,
# <svg:a>), a comment, a processing instruction or declaration; and the script vectors of attributes and URLs.
RAW_MARKUP = re.compile(r"</?[A-Za-z][^\s>/]*(?=[\s/>]|$)|<!|<\?|javascript\s*:|vbscript\s*:"
                        r"|\bon[a-z]+\s*=|data\s*:\s*[\w/+.-]+\s*[;,]", re.IGNORECASE)
# A pandoc attribute block after a span, link, image or code span ([x]{#id .class key=value}), a raw
# format ({=html}), or a bracketed span of its own.
ATTRIBUTES = re.compile(r"(?<=[\]`])\{[^{}\n]*\}")


@check("raw-html", ERROR, security=True)
def raw_html(entry, context):
    """No raw HTML, script, event handler or javascript:/data: URL that the source does not have."""
    allowed = Counter(m.lower() for m in RAW_MARKUP.findall(entry.msgid))
    for match in RAW_MARKUP.findall(entry.msgstr):
        if allowed[match.lower()] > 0:
            allowed[match.lower()] -= 1
            continue
        yield f"raw HTML or script in the translation: {match[:60]!r}"


@check("attributes", ERROR, security=True)
def attributes(entry, context):
    """No pandoc attributes ({#id .class key=value}, {=format}) but those of the source."""
    extra = Counter(ATTRIBUTES.findall(entry.msgstr)) - Counter(ATTRIBUTES.findall(entry.msgid))
    for block in sorted(extra):
        yield f"attributes {block[:60]!r} that the source does not have; translate the words only"


@check("control-characters", ERROR, security=True)
def control_characters(entry, context):
    """No control, bidirectional-control or byte-order-mark characters."""
    found = forbidden_characters(entry.msgstr)
    if found:
        yield f"the translation holds {', '.join(found)}, invisible in most editors; remove it"


@check("placeholders", ERROR, security=True)
def placeholders(entry, context):
    """The {placeholders} of the source, each kept, none added."""
    want, got = set(PLACEHOLDER.findall(entry.msgid)), set(PLACEHOLDER.findall(entry.msgstr))
    ui = context.template is not None and context.template.stem == "templates"
    if not want and not ui:
        return                      # (document text: a brace is a character, braces after ] the attributes')
    for name in sorted(want - got):
        yield f"the placeholder {{{name}}} is missing; keep it where the value belongs"
    for name in sorted(got - want):
        yield f"{{{name}}} is not a placeholder of this string; the program fills only {', '.join(f'{{{w}}}' for w in sorted(want)) or 'none'}"
