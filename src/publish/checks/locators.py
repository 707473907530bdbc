"""A citation's locator label as the edition's CSL locale knows it.

citeproc reads the label before a locator ("p. 58-59") with the terms of the edition's locale: a label
it does not know (pt-BR has "p." for pages, not "pp.") is not a locator, and the note prints it as loose
text after the reference. pandoc itself is asked which labels a locale knows, and what its page label is.
"""

from __future__ import annotations

import json
import re
import tempfile
from functools import lru_cache
from pathlib import Path

from .. import pandoc
from . import ERROR, check

# "[@key, pp. 58-59]", "[see @a, p. 3; @b, chap. 2]": the label between the key and the first digit.
LOCATED = re.compile(r"@[\w:.#$%&\-+?<>~/]+,\s*([^\d\s\];,@{][^\d\];@{]*?)\s*\d")
PROBE_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0">
  <info><title>Locator probe</title><id>locator-probe</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout><choose><if locator="page chapter section paragraph volume line figure" match="any">
    <text value="known"/></if><else><text value="unknown"/></else></choose>
    <text value="/"/><label variable="page" form="short"/></layout></citation>
</style>
"""


@check("locators", ERROR, scope="file")
def locators(context):
    """Each citation's locator label is one the edition's CSL style and locale know."""
    found = []
    for entry in context.po:
        if entry.obsolete or not entry.msgstr or "fuzzy" in entry.flags:
            continue
        for label in LOCATED.findall(entry.msgstr):
            found.append((entry, label.strip()))
    style = _style(context)
    if not found or style is None:
        return
    locale = context.language.csl_locale
    labels = tuple(sorted({label for _, label in found}))
    known = _known(str(style), locale, labels)
    for entry, label in found:
        if not known[label]:
            yield (getattr(entry, "msgstr_line", entry.linenum), entry.msgctxt,
                   f"the locator label {label!r} is not one the {locale} locale knows: the note would print it "
                   f"as text after the reference; write the locale's label (pages: {_page_label(locale)!r})")


def _style(context) -> Path | None:
    """The CSL style of the catalog's document in the catalog's language."""
    if context.project is None or context.template is None:
        return None
    document = next((d for d in context.project.documents if d.id == context.template.stem), None)
    return (context.language.csl or document.csl) if document is not None else None


def _probe(style: str, locale: str, labels: tuple[str, ...]) -> str:
    """pandoc's notes for a citation of a one-page-range record with each label, in ``style``."""
    text = "\n\n".join(f"Probe[@probe, {label} 5-6]." for label in labels)
    record = {"id": "probe", "type": "book", "title": "Probe", "page": "5-6"}
    with tempfile.TemporaryDirectory(prefix="publish-locators-") as tmp:
        bibliography = Path(tmp) / "probe.json"
        bibliography.write_text(json.dumps([record]), encoding="utf-8")
        if not Path(style).is_file():
            (Path(tmp) / "probe.csl").write_text(style, encoding="utf-8")
            style = str(Path(tmp) / "probe.csl")
        out = pandoc.run(["-f", "markdown", "-t", "plain", "--citeproc", "--csl", style,
                          "--bibliography", str(bibliography), "-M", f"lang={locale}"], input=text.encode())
    return out.decode("utf-8")


@lru_cache(maxsize=None)
def _known(style: str, locale: str, labels: tuple[str, ...]) -> dict[str, bool]:
    """Which labels citeproc reads as a locator's: an unknown one stays in the note as typed, "5-6"
    unformatted; a known one becomes the style's locator, its range formatted."""
    notes = re.split(r"\n\[\d+\] ", _probe(style, locale, labels))[1:]
    if len(notes) != len(labels):
        return {label: True for label in labels}             # (a pandoc that answers otherwise: no finding)
    return {label: f"{label} 5-6" not in note.replace("\xa0", " ") for label, note in zip(labels, notes)}


@lru_cache(maxsize=None)
def _page_label(locale: str) -> str:
    """The locale's short label for a range of pages."""
    found = re.search(r"(?i)known/(\S*)", _probe(PROBE_STYLE, locale, ("p.",)))
    return found.group(1).rstrip(",") if found else "p."
