"""One correction to WeasyPrint's page layout, which the PDF edition needs to keep notes with their calls.

When the first line of a block does not fit at the foot of a page, WeasyPrint 70 moves the notes
already placed on that page to the next one to make room for the line (its answer to its issue
#2432), whatever ``footnote-policy`` says, rather than start the block on the next page. A note then
sits a page after its call although nothing forced it there. The correction turns that move off:
the block starts the next page and the notes stay with their calls.

It rewrites one expression of ``weasyprint.layout.block._linebox_layout`` and only if that
expression reads as expected: with another WeasyPrint, nothing is changed and the PDF renderer's
own verification lays the pages out again instead (slower, same result).
"""

from __future__ import annotations

import inspect
import logging

log = logging.getLogger(__name__)

EXPRESSION = "report = not context.in_column and can_break_now and not could_break_before"
CORRECTED = "report = False"
_applied: bool | None = None


def keep_notes_with_their_calls() -> bool:
    """Apply the correction once per process; whether it is in force."""
    global _applied
    if _applied is None:
        from weasyprint.layout import block
        try:
            source = inspect.getsource(block._linebox_layout)
        except (AttributeError, OSError, TypeError):
            source = ""
        _applied = source.count(EXPRESSION) == 1
        if _applied:
            code = compile(source.replace(EXPRESSION, CORRECTED), inspect.getsourcefile(block), "exec")
            exec(code, block.__dict__)       # redefines the function in its own module
        else:
            log.debug("WeasyPrint's line layout is not the one expected; notes are verified after layout")
    return _applied
