"""The trust boundary's rules for translated text, shared by the QA checks (``checks.security``), the
application of a document's catalog (``apply``) and the UI strings (``i18n``)."""

from __future__ import annotations

import re
import unicodedata

PLACEHOLDER = re.compile(r"\{(\w+)\}")
BIDI = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))


def forbidden_characters(text: str) -> list[str]:
    """The characters that never reach an artifact, named: C0 controls but tab and newline, DEL, C1
    controls, bidirectional controls (the "Trojan Source" class), and the byte-order mark."""
    found = []
    for char in dict.fromkeys(text):
        code = ord(char)
        if code == 0xFEFF:
            found.append("U+FEFF (a byte-order mark, BOM)")
        elif (code < 32 and char not in "\t\n") or 0x7F <= code <= 0x9F or code in BIDI:
            found.append(f"U+{code:04X} ({unicodedata.name(char, 'a control character').lower()})")
    return found


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))
