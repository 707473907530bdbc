"""Chart data: values a bar chart can draw, every problem at the CSV file's own line."""

from __future__ import annotations

import pytest

from publish.errors import SourceError
from publish.figures import layout, read_chart_data

from .conftest import ROOT

TRADE = (ROOT / "source" / "figures" / "china-lac-trade.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("value,words", [
    ("inf", "not a finite number"), ("1e308", "not a finite number"), ("NaN", "not a finite number"),
    ("-261.2", "is negative"), ("", "has no value"), ("=cmd|' /C calc'!A0", "is not a number"),
])
def test_a_bad_value_is_named_at_its_line(tmp_path, value, words):
    path = tmp_path / "trade.csv"
    path.write_text(TRADE.replace("2012,261.2,", f"2012,{value},"), encoding="utf-8")
    line = next(n for n, text in enumerate(TRADE.splitlines(), 1) if text.startswith("2012,"))
    assert line == 8                                   # (four comment lines, then the header, then 2010)
    with pytest.raises(SourceError) as caught:
        read_chart_data(path, "year", ["total"], path)
    assert str(caught.value).startswith(f"{path}:{line}: ") and words in str(caught.value)


def test_the_real_data_lays_out_inside_the_plot(tmp_path):
    data = read_chart_data(ROOT / "source" / "figures" / "china-lac-trade.csv", "year", ["total"], ROOT)
    geometry = layout(data)
    for bar in geometry["bars"]:
        assert 0 <= bar["h"] <= geometry["plot_h"] and bar["y"] >= geometry["margin"]["top"]


def test_a_missing_column_is_named_at_the_header(tmp_path):
    path = tmp_path / "trade.csv"
    path.write_text(TRADE, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        read_chart_data(path, "year", ["value"], path)
    assert str(caught.value).startswith(f"{path}:5: no column 'value'")
