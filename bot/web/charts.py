"""Server-side SVG charts for the dashboard: no JavaScript, no web fonts.

Two charts, both pure functions returning an SVG document as ``str``:

* :func:`line_chart` — a monthly trend of a few rates (response, resolution,
  satisfaction ...), values as fractions in ``[0, 1]`` drawn on a 0–100% axis;
  ``None`` leaves a gap.
* :func:`bar_chart` — a horizontal ranking (stations by weighted score).

Every chart has a ``<title>`` and ``<desc>`` referenced by ``aria-labelledby``,
draws with the system's CJK fonts ("Noto Sans CJK SC", "Microsoft YaHei",
sans-serif), escapes every piece of text it is given, and is deterministic:
the same input gives the same bytes (ids derive from the content). What both
charts draw with (fonts, colours, text widths, ids, the frame) is in
:mod:`bot.web.chart_svg`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from bot.web.chart_svg import (
    AXIS_COLOUR,
    BAR_COLOUR,
    DASHES,
    GRID_COLOUR,
    MUTED_COLOUR,
    NO_DATA,
    PALETTE,
    coord,
    element_ids,
    finite,
    percent,
    svg_open,
    svg_text,
    text_width,
    truncate,
)


@dataclass(frozen=True)
class Series:
    """One line of a line chart: a name and one value per x label (fraction or None)."""

    name: str
    values: Sequence[float | None]


@dataclass(frozen=True)
class Bar:
    """One bar of a bar chart."""

    label: str
    value: float


def line_chart(
    title: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    desc: str | None = None,
    width: int = 720,
    height: int = 360,
    chart_id: str | None = None,
) -> str:
    """A line chart of rates over time on a 0–100% axis.

    Args:
        title: Shown above the chart and as its accessible title.
        x_labels: One label per point, e.g. months ``2024-01`` .. ``2024-12``.
        series: Up to about five lines; each has one value per label, a
            fraction in ``[0, 1]`` (drawn clamped to the axis) or None for a gap.
        desc: The accessible description (default: a summary of the data).
        width: Width in pixels.
        height: Height in pixels.
        chart_id: Prefix of the element ids (default: derived from the content).

    Returns:
        The SVG document.

    Raises:
        ValueError: a series has a different number of values than labels, or
            ``chart_id`` is not an XML name.
    """
    for s in series:
        if len(s.values) != len(x_labels):
            raise ValueError(
                f"series {s.name!r} has {len(s.values)} values for {len(x_labels)} labels"
            )
    cleaned = [[finite(v) for v in s.values] for s in series]
    cid = element_ids(
        chart_id,
        "line",
        title,
        list(x_labels),
        [(s.name, c) for s, c in zip(series, cleaned, strict=True)],
        width,
        height,
    )
    if desc is None:
        names = "、".join(s.name for s in series) or "无"
        span = f"{x_labels[0]} 至 {x_labels[-1]}" if x_labels else "无时间点"
        desc = (
            f"折线图：{title}。{len(x_labels)} 个时间点（{span}），纵轴为 0–100%；系列：{names}。"
        )
    out = svg_open(width, height, cid, title, desc)

    # Legend rows at the bottom.
    legend_items: list[tuple[float, int, Series, int]] = []  # x, row, series, index
    x, row = 16.0, 0
    for i, s in enumerate(series):
        item_width = 34 + text_width(s.name, 12) + 18
        if x + item_width > width - 16 and x > 16:
            x, row = 16.0, row + 1
        legend_items.append((x, row, s, i))
        x += item_width
    legend_rows = row + 1 if series else 0

    left, right, top = 56.0, 20.0, 44.0
    bottom = 30.0 + legend_rows * 20 + (8 if legend_rows else 0)
    x0, x1, y0, y1 = left, width - right, top, height - bottom
    n = len(x_labels)
    has_data = any(v is not None for values in cleaned for v in values)

    def px(i: int) -> float:
        return x0 + (i + 0.5) * (x1 - x0) / n

    def py(value: float) -> float:
        return y1 - min(max(value, 0.0), 1.0) * (y1 - y0)

    out.append('<g class="grid">')
    for step in range(6):
        fraction = step / 5
        y = py(fraction)
        out.append(
            f'<line x1="{coord(x0)}" y1="{coord(y)}" x2="{coord(x1)}" y2="{coord(y)}"'
            f' stroke="{GRID_COLOUR if step else AXIS_COLOUR}" stroke-width="1"/>'
        )
        out.append(svg_text(x0 - 8, y + 4, f"{step * 20}%", anchor="end", fill=MUTED_COLOUR))
    out.append(
        f'<line x1="{coord(x0)}" y1="{coord(y0)}" x2="{coord(x0)}" y2="{coord(y1)}"'
        f' stroke="{AXIS_COLOUR}" stroke-width="1"/>'
    )
    out.append("</g>")

    if n:
        slot = (x1 - x0) / n
        widest = max(text_width(label, 11) for label in x_labels)
        every = max(1, math.ceil((widest + 6) / slot))
        out.append('<g class="x-labels">')
        for i, label in enumerate(x_labels):
            if i % every == 0:
                out.append(
                    svg_text(px(i), y1 + 18, label, anchor="middle", size=11, fill=MUTED_COLOUR)
                )
        out.append("</g>")

    if not has_data:
        out.append(
            svg_text((x0 + x1) / 2, (y0 + y1) / 2, NO_DATA, anchor="middle", fill=MUTED_COLOUR)
        )

    for i, (s, values) in enumerate(zip(series, cleaned, strict=True)):
        colour, dash = PALETTE[i % len(PALETTE)], DASHES[i % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<g class="series" data-series="{i}">')
        out.append(f"<title>{escape(s.name)}</title>")
        path: list[str] = []
        pen_down = False
        for j, v in enumerate(values):
            if v is None:
                pen_down = False
                continue
            path.append(f"{'L' if pen_down else 'M'}{coord(px(j))} {coord(py(v))}")
            pen_down = True
        if path:
            out.append(
                f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" stroke-width="2"'
                f' stroke-linejoin="round"{dash_attr}/>'
            )
        for j, v in enumerate(values):
            if v is None:
                continue
            out.append(
                f'<circle cx="{coord(px(j))}" cy="{coord(py(v))}" r="3" fill="{colour}">'
                f"<title>{escape(f'{s.name} {x_labels[j]}：{percent(v)}')}</title></circle>"
            )
        out.append("</g>")

    if series:
        out.append('<g class="legend">')
        for lx, lrow, s, i in legend_items:
            colour, dash = PALETTE[i % len(PALETTE)], DASHES[i % len(DASHES)]
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            ly = height - 12 - (legend_rows - 1 - lrow) * 20
            out.append(
                f'<line x1="{coord(lx)}" y1="{coord(ly - 4)}"'
                f' x2="{coord(lx + 26)}" y2="{coord(ly - 4)}"'
                f' stroke="{colour}" stroke-width="2"{dash_attr}/>'
            )
            out.append(svg_text(lx + 32, ly, s.name))
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _nice_ceiling(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10.0 ** math.floor(math.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0):
        if value <= step * magnitude:
            return step * magnitude
    return 10.0 * magnitude


def _tick(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def bar_chart(
    title: str,
    bars: Sequence[Bar | tuple[str, float]],
    *,
    desc: str | None = None,
    width: int = 720,
    max_value: float | None = None,
    value_suffix: str = "分",
    sort: bool = True,
    ranked: bool = True,
    chart_id: str | None = None,
) -> str:
    """A horizontal bar chart, e.g. stations ranked by weighted score.

    Args:
        title: Shown above the chart and as its accessible title.
        bars: Labels and values (negative values are drawn as 0).
        desc: The accessible description (default: a summary of the data).
        width: Width in pixels; the height follows from the number of bars.
        max_value: The axis maximum (default: 100 when every value fits,
            otherwise a round number above the largest value).
        value_suffix: Appended to the value shown at each bar's end.
        sort: Highest value first (ties keep their order).
        ranked: Number the labels 1., 2., ... in the order drawn.
        chart_id: Prefix of the element ids (default: derived from the content).

    Returns:
        The SVG document.

    Raises:
        ValueError: a value is not a finite number, ``max_value`` is not
            positive, or ``chart_id`` is not an XML name.
    """
    items = [b if isinstance(b, Bar) else Bar(label=b[0], value=b[1]) for b in bars]
    for item in items:
        if finite(item.value) is None:
            raise ValueError(f"bar {item.label!r} has no finite value: {item.value!r}")
    if sort:
        items = sorted(items, key=lambda b: -b.value)
    largest = max((b.value for b in items), default=0.0)
    if max_value is None:
        max_value = 100.0 if largest <= 100 else _nice_ceiling(largest)
    if not max_value > 0:
        raise ValueError("max_value must be positive")
    cid = element_ids(
        chart_id,
        "bar",
        title,
        [(b.label, b.value) for b in items],
        width,
        max_value,
        value_suffix,
        ranked,
    )
    if desc is None:
        if items:
            best = max(items, key=lambda b: b.value)
            desc = (
                f"条形图：{title}。共 {len(items)} 项，"
                f"最高为{best.label}（{best.value:.1f}{value_suffix}）。"
            )
        else:
            desc = f"条形图：{title}。{NO_DATA}。"

    row_height, bar_height, top, bottom = 28.0, 18.0, 44.0, 34.0
    height = top + max(len(items), 1) * row_height + bottom
    labels = [f"{i}. {b.label}" if ranked else b.label for i, b in enumerate(items, start=1)]
    label_width = min(
        max((text_width(label, 12) for label in labels), default=0.0) + 8, width * 0.4
    )
    value_room = text_width(f"{max_value:.1f}{value_suffix}", 11) + 10
    x0 = 16 + label_width
    x1 = width - 16 - value_room
    y1 = top + max(len(items), 1) * row_height
    out = svg_open(width, height, cid, title, desc)

    out.append('<g class="grid">')
    for step in range(6):
        value = max_value * step / 5
        x = x0 + (x1 - x0) * step / 5
        out.append(
            f'<line x1="{coord(x)}" y1="{coord(top)}" x2="{coord(x)}" y2="{coord(y1)}"'
            f' stroke="{GRID_COLOUR if step else AXIS_COLOUR}" stroke-width="1"/>'
        )
        out.append(svg_text(x, y1 + 16, _tick(value), anchor="middle", size=11, fill=MUTED_COLOUR))
    out.append(
        f'<line x1="{coord(x0)}" y1="{coord(y1)}" x2="{coord(x1)}" y2="{coord(y1)}"'
        f' stroke="{AXIS_COLOUR}" stroke-width="1"/>'
    )
    out.append("</g>")

    if not items:
        out.append(
            svg_text(
                (x0 + x1) / 2, top + row_height / 2 + 4, NO_DATA, anchor="middle", fill=MUTED_COLOUR
            )
        )

    out.append('<g class="bars">')
    for i, (item, label) in enumerate(zip(items, labels, strict=True)):
        y = top + i * row_height + (row_height - bar_height) / 2
        length = (x1 - x0) * min(max(item.value, 0.0), max_value) / max_value
        shown = f"{item.value:.1f}{value_suffix}"
        out.append(f'<g class="bar" data-rank="{i + 1}">')
        out.append(f"<title>{escape(f'{label}：{shown}')}</title>")
        out.append(
            svg_text(
                x0 - 8, y + bar_height / 2 + 4, truncate(label, 12, label_width - 8), anchor="end"
            )
        )
        out.append(
            f'<rect x="{coord(x0)}" y="{coord(y)}"'
            f' width="{coord(length)}" height="{coord(bar_height)}"'
            f' fill="{BAR_COLOUR}"/>'
        )
        out.append(svg_text(x0 + length + 6, y + bar_height / 2 + 4, shown, size=11))
        out.append("</g>")
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"
