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
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourceError(f"chart data {path.name!r} not found", cited_from) from None
    except UnicodeDecodeError:
        raise SourceError("chart data must be UTF-8", path) from None
    rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    if not rows:
        raise SourceError("chart data has no rows", path)
    columns = list(rows[0].keys())
    x = x or columns[0]
    y = y or [c for c in columns if c != x and c not in RESERVED]
    for column in [x, *y]:
        if column not in columns:
            raise SourceError(f"no column {column!r} (columns: {', '.join(columns)})", path, 1)
    series: dict[str, list[float]] = {c: [] for c in y}
    unverified = []
    for number, row in enumerate(rows, 2):
        for column in y:
            try:
                series[column].append(float(row[column]))
            except (TypeError, ValueError):
                raise SourceError(f"column {column!r}: {row[column]!r} is not a number", path, number) from None
        if row.get("verified", "yes").strip().lower() not in ("yes", "true", "1"):
            unverified.append(row[x])
    display = [(r.get("display") or "").strip() or None for r in rows]
    return ChartData(path, [r[x] for r in rows], series, unverified, display)


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
