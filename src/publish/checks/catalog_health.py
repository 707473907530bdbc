"""The catalog as a file: msgfmt accepts it, its header names the right language and plural forms."""

from __future__ import annotations

import re

from .. import catalog as catalogs
from . import ERROR, check


@check("catalog-health", ERROR, scope="file")
def catalog_health(context):
    """The file passes msgfmt --check; header Language and Plural-Forms are right."""
    expected = catalogs.gettext_language(context.language.tag)
    header_line = _header_line(context, "Language")
    if context.po.metadata.get("Language") != expected:
        yield header_line, None, f"header Language is {context.po.metadata.get('Language')!r}, expected {expected!r}"
    plural = catalogs.plural_forms(context.language.tag)
    if _squash(context.po.metadata.get("Plural-Forms", "")) != _squash(plural):
        yield _header_line(context, "Plural-Forms"), None, (
            f"header Plural-Forms is {context.po.metadata.get('Plural-Forms')!r}, expected {plural!r}")
    for line in (catalogs.check_messages(context.path) or "").splitlines():
        match = re.match(r"[^:]+:(\d+):\s*(.*)", line)
        if match and "warning:" not in match.group(2) and "found" not in match.group(2):
            yield int(match.group(1)), None, f"msgfmt: {match.group(2)}"


def _header_line(context, key: str) -> int:
    for number, line in enumerate(context.path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith(f'"{key}:'):
            return number
    return 1


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).rstrip(";")
