"""Charts drawn at build time from CSV data, as SVG with the text kept as text.

In the Markdown a chart is a div: ``::: {#fig-x .chart data="figures/x.csv" x="year" y="total"
label-y="USD billion" label-total="Total trade"}`` holding the caption paragraph and the source line.
The CSV has one row per category; a ``verified`` column (yes/no) and a ``source`` column record
where each value comes from. A chart with any unverified value is drawn with a "provisional data" mark.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from .errors import SourceError

RESERVED = ("verified", "source", "display")
WIDTH, HEIGHT = 640, 360
MARGIN = {"left": 72, "right": 16, "top": 28, "bottom": 56}


@dataclass(frozen=True)
class ChartData:
    path: Path
    categories: list[str]
    series: dict[str, list[float]]
    unverified: list[str]       # categories whose values are not checked against the published source
    display: list[str | None]   # a printed label for each category's value (e.g. "1/9"), if any

    @property
    def provisional(self) -> bool:
        return bool(self.unverified)


def read_chart_data(path: Path, x: str | None, y: list[str] | None, cited_from: Path) -> ChartData:
    """The rows of a chart's CSV; every problem named with the file's own line (comment lines count)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourceError(f"chart data {path.name!r} not found", cited_from) from None
    except UnicodeDecodeError as exc:
        raise SourceError("chart data must be UTF-8", path, text_line(path.read_bytes(), exc.start)) from None
    lines = [(number, line) for number, line in enumerate(text.splitlines(), 1)
             if line.strip() and not line.startswith("#")]
    if len(lines) < 2:
        raise SourceError("chart data has no rows; write a header line and one line per category", path, 1)
    reader = csv.DictReader(line for _, line in lines)
    rows = list(reader)
    header = lines[0][0]
    columns = list(reader.fieldnames or [])
    x = x or columns[0]
    y = y or [c for c in columns if c != x and c not in RESERVED]
    for column in [x, *y]:
        if column not in columns:
            raise SourceError(f"no column {column!r} (columns: {', '.join(columns)})", path, header)
    series: dict[str, list[float]] = {c: [] for c in y}
    unverified = []
    for (number, _), row in zip(lines[1:], rows):
        for column in y:
            series[column].append(_value(row.get(column), column, path, number))
        if (row.get("verified") or "yes").strip().lower() not in ("yes", "true", "1"):
            unverified.append(row[x])
    display = [(r.get("display") or "").strip() or None for r in rows]
    return ChartData(path, [r[x] for r in rows], series, unverified, display)


MAXIMUM = 1e15         # beyond this a bar chart's axis has no readable ticks


def _value(raw: str | None, column: str, path: Path, line: int) -> float:
    """A bar's value: a finite number from 0 up (a bar chart draws no negative or missing value)."""
    if raw is None or not raw.strip():
        raise SourceError(f"column {column!r} has no value; give every category a number", path, line)
    try:
        value = float(raw)
    except ValueError:
        raise SourceError(f"column {column!r}: {raw!r} is not a number", path, line) from None
    if not math.isfinite(value) or value > MAXIMUM:
        raise SourceError(f"column {column!r}: {raw!r} is not a finite number a chart can draw "
                          f"(at most {MAXIMUM:g})", path, line)
    if value < 0:
        raise SourceError(f"column {column!r}: {raw!r} is negative; the bar charts draw values from 0 up",
                          path, line)
    return value


def text_line(raw: bytes, offset: int) -> int:
    return raw[:offset].count(b"\n") + 1


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``top``."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [round(i * step, 10) for i in range(int(math.ceil(top / step)) + 1)]


def layout(data: ChartData) -> dict:
    """Geometry of a grouped bar chart, in SVG user units; the template draws it."""
    plot_w = WIDTH - MARGIN["left"] - MARGIN["right"]
    plot_h = HEIGHT - MARGIN["top"] - MARGIN["bottom"]
    ticks = nice_ticks(max(max(v) for v in data.series.values()))
    top = ticks[-1] or 1.0
    n, k = len(data.categories), len(data.series)
    band = plot_w / n
    bar_w = band * 0.7 / k
    bars = []
    for i, category in enumerate(data.categories):
        for j, (name, values) in enumerate(data.series.items()):
            height = plot_h * values[i] / top
            bars.append({"series": j, "name": name, "category": category, "value": values[i],
                         "display": data.display[i] if k == 1 else None,
                         "x": MARGIN["left"] + band * i + band * 0.15 + bar_w * j,
                         "y": MARGIN["top"] + plot_h - height, "w": bar_w, "h": height})
    return {
        "width": WIDTH, "height": HEIGHT, "margin": MARGIN, "plot_w": plot_w, "plot_h": plot_h,
        "ticks": [{"value": t, "y": MARGIN["top"] + plot_h - plot_h * t / top} for t in ticks],
        "categories": [{"label": c, "x": MARGIN["left"] + band * (i + 0.5)} for i, c in enumerate(data.categories)],
        "bars": bars, "series": list(data.series), "show_values": n * k <= 12,
        "rotate_labels": n > 8,
    }
