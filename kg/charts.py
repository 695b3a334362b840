"""Metrics over time as small SVG line charts, written without a plotting library (the brief is one file).

A period is placed on a time axis by ``period_x``: 2025-Q2 is the middle of the second quarter of 2025,
2025-H1 the middle of the first half, 2025 and FY2025 the middle of the year; a figure without a period is
left out of the chart (it stays in the tables). Every piece of text in the SVG is escaped: metric names come
from articles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

_PERIOD = re.compile(r"(?:(?P<fy>FY)\s*(?P<fyear>\d{4}))|(?P<year>\d{4})(?:-(?P<part>Q[1-4]|H[12]))?")
_PART = {"Q1": 0.125, "Q2": 0.375, "Q3": 0.625, "Q4": 0.875, "H1": 0.25, "H2": 0.75}


def period_x(period: str | None) -> float | None:
    """A period as a point in time in years (2025-Q2 -> 2025.375); None when it names no year."""
    if not period:
        return None
    m = _PERIOD.search(period)
    if m is None:
        return None
    if m.group("fy"):
        return int(m.group("fyear")) + 0.5
    return int(m.group("year")) + _PART.get(m.group("part") or "", 0.5)


def period_key(period: str | None) -> tuple[float, str]:
    """A sort key: periods in time order, those without a year last."""
    x = period_x(period)
    return (x if x is not None else 1e9, period or "")


@dataclass
class Series:
    """One metric of one company in one unit: (period, value) points, in time order."""

    name: str
    unit: str
    points: list[tuple[str, float]] = field(default_factory=list)

    def dated(self) -> list[tuple[float, float, str]]:
        out = [(x, v, p) for p, v in self.points if (x := period_x(p)) is not None]
        return sorted(out)


def series_of(rows: list[dict[str, object]]) -> list[Series]:
    """Rows of (metric, value, unit, period) grouped into series, the ones with most dated points first."""
    by: dict[tuple[str, str], Series] = {}
    for r in rows:
        key = (str(r["metric"]), str(r["unit"]))
        s = by.setdefault(key, Series(*key))
        s.points.append((str(r["period"]) if r.get("period") else "", float(r["value"])))  # type: ignore[arg-type]
    out = list(by.values())
    for s in out:
        s.points.sort(key=lambda pv: (period_key(pv[0]), pv[1]))
    out.sort(key=lambda s: (-len(s.dated()), s.name, s.unit))
    return out


def _short(v: float) -> str:
    a = abs(v)
    for scale, word in ((1e12, "tn"), (1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if a >= scale:
            return f"{v / scale:.3g}{word}"
    return f"{v:.3g}"


def line_svg(series: Series, width: int = 320, height: int = 160) -> str | None:
    """An SVG line chart of ``series`` (None when fewer than one dated point)."""
    pts = series.dated()
    if not pts:
        return None
    left, right, top, bottom = 48, 10, 22, 28
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    x0, x1 = min(xs), max(xs)
    if x1 - x0 < 0.5:
        x0, x1 = x0 - 0.5, x1 + 0.5
    y0, y1 = min(ys + [0.0]), max(ys + [0.0])
    if y1 == y0:
        y1 = y0 + 1
    pw, ph = width - left - right, height - top - bottom

    def sx(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * pw

    def sy(y: float) -> float:
        return top + (1 - (y - y0) / (y1 - y0)) * ph

    title = escape(f"{series.name} ({series.unit})")
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{title}" class="chart">',
             f'<text x="{left}" y="14" font-size="12" font-family="sans-serif" fill="#222">{title}</text>',
             f'<line x1="{left}" y1="{sy(0):.1f}" x2="{width - right}" y2="{sy(0):.1f}" stroke="#bbb"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + ph}" stroke="#bbb"/>']
    for y in (y0, y1):
        parts.append(f'<text x="{left - 4}" y="{sy(y) + 4:.1f}" font-size="10" text-anchor="end" '
                     f'font-family="sans-serif" fill="#555">{escape(_short(y))}</text>')
    for year in range(int(x0), int(x1) + 1):
        if x0 <= year + 0.5 <= x1:
            parts.append(f'<text x="{sx(year + 0.5):.1f}" y="{height - 8}" font-size="10" text-anchor="middle" '
                         f'font-family="sans-serif" fill="#555">{year}</text>')
    line = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y, _ in pts)
    parts.append(f'<polyline points="{line}" fill="none" stroke="#4C8EDA" stroke-width="2"/>')
    for x, y, p in pts:
        parts.append(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3.5" fill="#2870C2">'
                     f"<title>{escape(p)}: {escape(_short(y))}</title></circle>")
    parts.append("</svg>")
    return "".join(parts)
