"""One correction to WeasyPrint's page layout, which the PDF edition needs to keep notes with their calls.

When the first line of a block does not fit at the foot of a page, WeasyPrint 70 moves the notes
already placed on that page to the next one to make room for the line (its answer to its issue
#2432), whatever ``footnote-policy`` says, rather than start the block on the next page. A note then
sits a page after its call although nothing forced it there. The correction turns that move off: the
block starts the next page and the notes stay with their calls.

It rewrites one expression of ``weasyprint.layout.block._linebox_layout``, in the WeasyPrint the
project pins; with any other version, or if the expression is not there, the PDF renderer refuses to
start rather than print notes away from their calls.
"""

from __future__ import annotations

import inspect

from ..errors import RenderError

PINNED = "70.0"
EXPRESSION = "report = not context.in_column and can_break_now and not could_break_before"
CORRECTED = "report = False"


def keep_notes_with_their_calls() -> None:
    import weasyprint
    from weasyprint.layout import block
    if weasyprint.__version__ != PINNED:
        raise RenderError(f"WeasyPrint {weasyprint.__version__} is installed; the PDF editions need {PINNED}, "
                          "the version whose footnote layout the project corrects (run `make setup`)")
    source = inspect.getsource(block._linebox_layout)
    if CORRECTED in source:
        return                                   # applied already in this process
    if source.count(EXPRESSION) != 1:
        raise RenderError(f"WeasyPrint {PINNED}'s line layout is not the one the project corrects; "
                          "reinstall it (make distclean && make setup)")
    code = compile(source.replace(EXPRESSION, CORRECTED), inspect.getsourcefile(block), "exec")
    exec(code, block.__dict__)                   # redefines the function in its own module
