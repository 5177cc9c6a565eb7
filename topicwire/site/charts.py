"""A topic's heat over the last days as inline SVG, drawn on the server.

One bar per day, the highest value and zero on the vertical axis, the first,
middle and last day under the bars. The drawing has a fixed coordinate
system (``viewBox``) and no size of its own, so the stylesheet scales it to
the column width. Colours come from the stylesheet (classes), not from the
SVG, so that dark mode applies to it too; the ``fill`` given on the root is
only a fallback for readers without the stylesheet.

For screen readers the chart is one image (``role="img"``) named by its
``<title>`` and described by a ``<desc>`` that says what a sighted reader
sees: the period, the peak and the last day. Each bar carries its own
``<title>`` (the browser's tooltip) with its date and value.
"""

from __future__ import annotations

from datetime import date

from markupsafe import Markup, escape

from topicwire.site.sanitize import xml_text

__all__ = ["heat_chart_svg"]

WIDTH = 600
HEIGHT = 180
# room for the value labels on the left and the dates underneath
LEFT, RIGHT, TOP, BOTTOM = 48, 8, 12, 28
# a day without heat still gets a sliver, so every day is visibly there
ZERO_BAR = 1.0


def _day(value: date) -> str:
    return f"{value.day} {value:%b}"


def _long_day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def _text(value: str) -> str:
    return str(escape(xml_text(value)))


def _num(value: float) -> str:
    # short, stable coordinates: the same series always gives the same bytes
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _describe(series: list[tuple[date, int]]) -> str:
    if not series:
        return "No heat has been recorded yet."
    first, last = series[0][0], series[-1][0]
    peak_day, peak = max(series, key=lambda p: (p[1], p[0]))
    if peak <= 0:
        return f"No heat from {_long_day(first)} to {_long_day(last)}."
    return (
        f"Heat per day from {_long_day(first)} to {_long_day(last)}: highest {peak} on {_long_day(peak_day)}, "
        f"{series[-1][1]} on the last day."
    )


def heat_chart_svg(series: list[tuple[date, int]], *, title: str, id_prefix: str = "heat-chart") -> str:
    """The series (oldest day first) as an inline ``<svg>`` element.

    ``id_prefix`` makes the ids of the title and description unique when a
    page shows more than one chart."""
    values = [max(0, int(v)) for _, v in series]
    peak = max(values, default=0)
    scale_top = peak if peak > 0 else 1
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    base = TOP + plot_h
    slot = plot_w / max(len(series), 1)
    bar_w = max(slot * 0.72, 1.0)
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="heat-chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'preserveAspectRatio="xMidYMid meet" role="img" aria-labelledby="{title_id} {desc_id}" '
        f'fill="currentColor" focusable="false">',
        f'<title id="{title_id}">{_text(title)}</title>',
        f'<desc id="{desc_id}">{_text(_describe(series))}</desc>',
        # axes
        f'<line class="axis" x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}" stroke="currentColor" />',
        f'<line class="grid" x1="{LEFT}" y1="{TOP}" x2="{WIDTH - RIGHT}" y2="{TOP}" stroke="currentColor" '
        f'stroke-opacity="0.25" />',
        f'<text class="label" x="{LEFT - 6}" y="{TOP + 5}" text-anchor="end">{peak}</text>',
        f'<text class="label" x="{LEFT - 6}" y="{base}" text-anchor="end">0</text>',
    ]
    parts.append('<g class="bars">')
    for i, ((day, _), value) in enumerate(zip(series, values, strict=True)):
        height = value / scale_top * plot_h if value > 0 else ZERO_BAR
        x = LEFT + i * slot + (slot - bar_w) / 2
        kind = "bar" if value > 0 else "bar bar-zero"
        parts.append(
            f'<rect class="{kind}" x="{_num(x)}" y="{_num(base - height)}" width="{_num(bar_w)}" '
            f'height="{_num(height)}"><title>{_text(_long_day(day))}: heat {value}</title></rect>'
        )
    parts.append("</g>")
    if series:
        marks = sorted({0, len(series) // 2, len(series) - 1})
        anchors = {0: "start", len(series) - 1: "end"}
        for i in marks:
            x = LEFT + i * slot + slot / 2
            if i == 0:
                x = LEFT
            elif i == len(series) - 1:
                x = WIDTH - RIGHT
            anchor = anchors.get(i, "middle") if len(series) > 1 else "start"
            parts.append(
                f'<text class="label" x="{_num(x)}" y="{HEIGHT - 6}" text-anchor="{anchor}">'
                f"{_text(_day(series[i][0]))}</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))
