"""Charts as SVG, drawn on the server: the same markup on the dashboard and in the PDF.

No script, no ``style`` attribute (CSP): colours and sizes are SVG presentation attributes,
which WeasyPrint draws the same way a browser does; the text inherits the page's (or the
PDF's) Japanese font.  Every chart carries a ``<title>`` and an
``aria-label`` naming its values.
"""

from __future__ import annotations

import math
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

PRIMARY = "#1f4e79"
ACCENT = "#5b9bd5"
NEGATIVE = "#c0392b"
GRID = "#d9dee5"
TEXT = "#333333"


def format_value(value, unit: str, compact: bool = False) -> str:
    """¥1,234,567 / 123.4万 / 45.6% / 3人 as a chart label."""
    if value is None:
        return "—"
    number = Decimal(value)
    if unit == "YEN":
        if compact and abs(number) >= 1_000_000:
            return f"{number / 10_000:,.0f}万"
        if compact and abs(number) >= 10_000:
            return f"{number / 10_000:,.1f}万"
        return f"¥{int(number):,}"
    if unit == "PERCENT":
        return f"{number:.1f}%"
    return f"{int(number):,}"


def nice_ceiling(value: float) -> float:
    """The next 1, 2, 2.5 or 5 × 10^n at or above ``value``."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _svg(width: int, height: int, label: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label={quoteattr(label)} preserveAspectRatio="xMidYMid meet">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>")


def _text(x: float, y: float, content: str, anchor: str = "middle", size: int = 11,
          fill: str = TEXT) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
            f'fill="{fill}">{escape(content)}</text>')


def _scale(values: list[float]) -> tuple[float, float]:
    top = nice_ceiling(max([0.0, *values]))
    bottom = -nice_ceiling(-min(values)) if values and min(values) < 0 else 0.0
    return bottom, top


def _divisions(span: float) -> int:
    """Gridlines at round values: 2 → 4 × 0.5, 2.5 → 5 × 0.5, 1 or 5 → 5 steps."""
    if span <= 0:
        return 4
    leading = span / 10 ** math.floor(math.log10(span))
    return 4 if round(leading, 3) in (2.0, 4.0, 8.0) else 5


def _axis(left: int, right: int, top: int, bottom: int, low: float, high: float, unit: str) -> list[str]:
    parts = []
    steps = _divisions(high - low)
    for i in range(steps + 1):
        value = low + (high - low) * i / steps
        y = bottom - (bottom - top) * i / steps
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="{GRID}" '
                     f'stroke-width="1"/>')
        parts.append(_text(left - 6, y + 4, format_value(value, unit, compact=True), "end", 10))
    return parts


def _summary(title: str, points: list[tuple[str, object]], unit: str) -> str:
    values = ", ".join(f"{label} {format_value(v, unit)}" for label, v in points)
    return f"{title}: {values}" if values else title


def line_chart(title: str, points: list[tuple[str, object]], unit: str,
               width: int = 560, height: int = 220) -> Markup:
    """A line over time; months without a value leave a gap."""
    left, right, top, bottom = 64, width - 16, 16, height - 28
    numbers = [float(v) for _, v in points if v is not None]
    low, high = _scale(numbers)
    body = _axis(left, right, top, bottom, low, high, unit)
    step = (right - left) / max(len(points) - 1, 1)
    segment: list[str] = []
    segments: list[list[str]] = [segment]
    for i, (label, value) in enumerate(points):
        x = left + step * i
        body.append(_text(x, height - 10, label, size=10))
        if value is None:
            segment = []
            segments.append(segment)
            continue
        y = bottom - (bottom - top) * (float(value) - low) / ((high - low) or 1)
        segment.append(f"{x:.1f},{y:.1f}")
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{PRIMARY}"/>')
    for part in segments:
        if len(part) > 1:
            body.append(f'<polyline points="{" ".join(part)}" fill="none" stroke="{PRIMARY}" '
                        f'stroke-width="2"/>')
    return _svg(width, height, _summary(title, points, unit), body)


def column_chart(title: str, points: list[tuple[str, object]], unit: str,
                 width: int = 560, height: int = 220) -> Markup:
    """Vertical bars over time (months)."""
    left, right, top, bottom = 64, width - 16, 16, height - 28
    numbers = [float(v or 0) for _, v in points]
    low, high = _scale(numbers)
    body = _axis(left, right, top, bottom, low, high, unit)
    slot = (right - left) / max(len(points), 1)
    zero = bottom - (bottom - top) * (0 - low) / ((high - low) or 1)
    for i, (label, value) in enumerate(points):
        x = left + slot * i + slot * 0.15
        y = bottom - (bottom - top) * (float(value or 0) - low) / ((high - low) or 1)
        colour = NEGATIVE if (value or 0) < 0 else ACCENT
        body.append(f'<rect x="{x:.1f}" y="{min(y, zero):.1f}" width="{slot * 0.7:.1f}" '
                    f'height="{abs(zero - y):.1f}" fill="{colour}"/>')
        body.append(_text(left + slot * (i + 0.5), height - 10, label, size=10))
    return _svg(width, height, _summary(title, points, unit), body)


def bar_chart(title: str, items: list[tuple[str, object]], unit: str, width: int = 560) -> Markup:
    """Horizontal bars, one per row (rankings: customers, engineers)."""
    row, label_width = 26, 170
    height = max(row * len(items) + 12, 40)
    high = nice_ceiling(max([0.0, *[float(v or 0) for _, v in items]]))
    span = width - label_width - 90
    body = []
    for i, (label, value) in enumerate(items):
        y = 6 + row * i
        length = span * max(float(value or 0), 0) / high
        shown = label if len(label) <= 14 else label[:13] + "…"
        body.append(_text(label_width - 8, y + 15, shown, "end"))
        body.append(f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="{row - 8}" '
                    f'fill="{NEGATIVE if (value or 0) < 0 else ACCENT}"/>')
        body.append(_text(label_width + length + 6, y + 15, format_value(value, unit), "start"))
    return _svg(width, height, _summary(title, items, unit), body)
