"""The catalog as a file: msgfmt accepts it, its header names the right language and plural forms."""

from __future__ import annotations

import re

from .. import catalog as catalogs
from .. import tools
from . import ERROR, check


@check("catalog-health", ERROR, scope="file")
def catalog_health(context):
    """The file passes msgfmt --check; header Language and Plural-Forms are right."""
    expected = catalogs.gettext_language(context.language.tag)
    header_line = catalogs.header_line(context.path, "Language")
    found = context.po.metadata.get("Language")
    if found != expected:
        yield header_line, None, (f"the header has no Language field; add \"Language: {expected}\\n\"" if not found
                                  else f"header Language is {found!r}, expected {expected!r}")
    plural = catalogs.plural_forms(context.language.tag)
    if _squash(context.po.metadata.get("Plural-Forms", "")) != _squash(plural):
        yield catalogs.header_line(context.path, "Plural-Forms"), None, (
            f"header Plural-Forms is {context.po.metadata.get('Plural-Forms')!r}, expected {plural!r}")
    checked = tools.run(["msgfmt", "--check", "-o", "/dev/null", str(context.path)], capture_output=True, text=True)
    for line in checked.stderr.splitlines():
        match = re.match(r"[^:]+:(\d+):\s*(.*)", line)
        if match and "warning:" not in match.group(2) and "found" not in match.group(2):
            yield int(match.group(1)), None, f"msgfmt: {match.group(2)}"


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).rstrip(";")
