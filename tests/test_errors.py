"""Errors cross from the worker processes whole: the message, and the file, line and context it names."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from publish.errors import CatalogError, ErrorList, RenderError, SourceError, collect


def test_an_error_keeps_file_line_and_context_through_pickle():
    error = pickle.loads(pickle.dumps(CatalogError("syntax error", Path("es/doc.po"), 12, "intro/p1")))
    assert (type(error), error.path, error.line, error.context) == (CatalogError, Path("es/doc.po"), 12, "intro/p1")
    assert str(error) == "es/doc.po:12: [intro/p1] syntax error"


@pytest.mark.parametrize("errors", [
    [SourceError("a", "doc.md", 2), SourceError("b", "doc.md", 5)],
    [SourceError("a", "doc.md", 2), RenderError("b", "doc.pdf")],
])
def test_collected_errors_keep_each_error(errors):
    with pytest.raises((SourceError, ErrorList)) as raised:
        collect(errors)
    copy = pickle.loads(pickle.dumps(raised.value))
    assert type(copy) is type(raised.value)
    assert [str(e) for e in copy.errors] == [str(e) for e in errors]
    assert str(copy) == str(raised.value)
