"""The drawing the dashboard's SVG charts share: fonts, colours, text sizes, ids, the frame.

:mod:`bot.web.charts` draws its charts with these: the system's CJK fonts
(:data:`FONT_FAMILY`), the Okabe–Ito :data:`PALETTE` and :data:`DASHES` so
that series differ by more than colour, an estimate of how wide a text is
drawn (:func:`text_width`, :func:`truncate`), coordinates formatted the same
way every time (:func:`coord`), element ids derived from the content
(:func:`element_ids`), and the document's opening lines (:func:`svg_open`).
Every text goes through :func:`html.escape`.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from html import escape

FONT_FAMILY = "'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif"
#: Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#000000")
#: Dash patterns, so that series differ by more than colour.
DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 4", "1 2", "10 4")
TEXT_COLOUR = "#222222"
MUTED_COLOUR = "#666666"
GRID_COLOUR = "#dddddd"
AXIS_COLOUR = "#888888"
BAR_COLOUR = "#0072B2"
NO_DATA = "暂无数据"

_ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")


def text_width(text: str, size: float) -> float:
    """Estimated rendered width of ``text`` at font ``size`` (CJK wide, Latin narrow)."""
    width = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            width += size
        elif ch in " .,:;!|'ilj":
            width += size * 0.32
        else:
            width += size * 0.6
    return width


def truncate(text: str, size: float, max_width: float) -> str:
    """``text`` cut with an ellipsis to fit ``max_width``."""
    if text_width(text, size) <= max_width:
        return text
    out = ""
    for ch in text:
        if text_width(out + ch + "…", size) > max_width:
            break
        out += ch
    return out + "…"


def coord(x: float) -> str:
    """A coordinate, formatted the same way every time."""
    text = f"{x:.1f}"
    return "0.0" if text == "-0.0" else text


def finite(value: float | None) -> float | None:
    """``value`` as a float, or None when it is missing, a bool, NaN or infinite."""
    if value is None or isinstance(value, bool):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def percent(value: float) -> str:
    """A fraction shown as a percentage with one decimal."""
    return f"{value * 100:.1f}%"


def element_ids(chart_id: str | None, *parts: object) -> str:
    """The prefix of a chart's element ids: ``chart_id`` checked, else derived from ``parts``."""
    if chart_id is not None:
        if not _ID_RE.match(chart_id):
            raise ValueError(
                f"chart id must be an XML name of letters, digits, _ and -: {chart_id!r}"
            )
        return chart_id
    digest = hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:10]
    return f"chart-{digest}"


def svg_open(width: float, height: float, cid: str, title: str, desc: str) -> list[str]:
    """The document's first lines: the ``<svg>`` tag, title, description, background, heading."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{coord(width)}" height="{coord(height)}"'
        f' viewBox="0 0 {coord(width)} {coord(height)}" role="img"'
        f' aria-labelledby="{cid}-title {cid}-desc" font-family="{FONT_FAMILY}"'
        f' font-size="12" fill="{TEXT_COLOUR}">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(desc)}</desc>',
        f'<rect width="{coord(width)}" height="{coord(height)}" fill="#ffffff"/>',
        f'<text x="16" y="24" font-size="15" font-weight="bold">{escape(title)}</text>',
    ]


def svg_text(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "start",
    size: int | None = None,
    fill: str | None = None,
) -> str:
    """A ``<text>`` element with ``text`` escaped."""
    extra = f' font-size="{size}"' if size is not None else ""
    extra += f' fill="{fill}"' if fill is not None else ""
    return (
        f'<text x="{coord(x)}" y="{coord(y)}" text-anchor="{anchor}"{extra}>{escape(text)}</text>'
    )
