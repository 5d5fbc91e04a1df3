"""Bar charts as inline SVG (no script, no fonts or images to fetch): a histogram and horizontal rate bars.

Every bar is a ``<rect class="bar">`` with a ``<title>`` (its tooltip); every text is escaped. Colours come
from the page's CSS classes, with fills in the SVG as a fallback.
"""

from __future__ import annotations

from html import escape

BAR = "#2b6cb0"
TRACK = "#e2e8f0"
INK = "#1a202c"
MUTED = "#4a5568"


def _attrs(**values: object) -> str:
    return " ".join(f'{name.rstrip("_").replace("_", "-")}="{escape(str(value))}"' for name, value in values.items())


def _text(x: float, y: float, text: str, *, anchor: str = "middle", cls: str = "label", size: int = 12) -> str:
    return (f"<text {_attrs(x=f'{x:.1f}', y=f'{y:.1f}', text_anchor=anchor, class_=cls, font_size=size)} "
            f'fill="{MUTED}">{escape(text)}</text>')


def _open(cls: str, width: int, height: int, title: str) -> list[str]:
    size = _attrs(class_=f"chart {cls}", viewBox=f"0 0 {width} {height}", width=width, height=height)
    return [f'<svg {size} role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
            f"<title>{escape(title)}</title>"]


def _rect(cls: str, x: float, y: float, w: float, h: float, fill: str, tooltip: str | None = None) -> str:
    box = _attrs(class_=cls, x=f"{x:.1f}", y=f"{y:.1f}", width=f"{max(w, 0):.1f}", height=f"{max(h, 0):.1f}")
    if tooltip is None:
        return f'<rect {box} fill="{fill}"/>'
    return f'<rect {box} fill="{fill}"><title>{escape(tooltip)}</title></rect>'


def _ticks(top: int) -> list[int]:
    """Whole-number gridlines from 0 to at least ``top``, at most six."""
    step = max(1, -(-top // 5))
    return list(range(0, max(top, 1) + step, step))


def histogram(counts: list[int], labels: list[str], *, title: str, width: int = 640, height: int = 260,
              unit: str = "students") -> str:
    """A vertical bar per count; ``labels`` name the bins."""
    left, right, top, bottom = 40, 10, 16, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    ticks = _ticks(max(counts, default=0))
    scale = plot_h / ticks[-1]
    parts = _open("histogram", width, height, title)
    for tick in ticks:
        y = top + plot_h - tick * scale
        parts.append(f'<line {_attrs(class_="grid", x1=left, x2=width - right, y1=f"{y:.1f}", y2=f"{y:.1f}")} '
                     f'stroke="{TRACK}"/>')
        parts.append(_text(left - 6, y + 4, str(tick), anchor="end"))
    slot = plot_w / max(len(counts), 1)
    for n, (count, label) in enumerate(zip(counts, labels, strict=True)):
        x, bar_h = left + n * slot + slot * 0.1, count * scale
        y = top + plot_h - bar_h
        parts.append(_rect("bar", x, y, slot * 0.8, bar_h, BAR, f"{label}: {count} {unit}"))
        if count:
            parts.append(_text(x + slot * 0.4, y - 4, str(count), cls="value"))
        parts.append(_text(x + slot * 0.4, top + plot_h + 16, label))
    parts.append(f'<line {_attrs(x1=left, x2=width - right, y1=top + plot_h, y2=top + plot_h)} stroke="{INK}"/>')
    parts.append("</svg>")
    return "\n".join(parts)


def rate_bars(rows: list[tuple[str, float, str]], *, title: str, width: int = 640, row_h: int = 26) -> str:
    """A horizontal bar per ``(label, rate 0..1, tooltip)``, on a track showing 100 %."""
    left, right, top = 170, 60, 8
    plot_w = width - left - right
    height = top * 2 + row_h * max(len(rows), 1)
    parts = _open("rates", width, height, title)
    for n, (label, rate, tooltip) in enumerate(rows):
        y = top + n * row_h
        shown = label if len(label) <= 24 else label[:23] + "…"
        parts.append(_text(left - 8, y + row_h * 0.65, shown, anchor="end"))
        parts.append(_rect("track", left, y + 4, plot_w, row_h - 8, TRACK))
        parts.append(_rect("bar", left, y + 4, plot_w * rate, row_h - 8, BAR, tooltip))
        parts.append(_text(left + plot_w + 6, y + row_h * 0.65, f"{100 * rate:.0f} %", anchor="start",
                           cls="value"))
    parts.append("</svg>")
    return "\n".join(parts)
