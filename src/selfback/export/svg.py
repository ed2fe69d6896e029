"""Small inline SVG line charts for the HTML report: no scripts, no fonts, no links.

Lines are told apart by dash pattern as well as colour, so they survive a black-and-white
printer. Gaps in the data are gaps in the line; a lone point is drawn as a dot. Every
chart carries a text description for screen readers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape

from selfback.export.report import ChartSpec

COLOURS = ("#1f4e79", "#b45309", "#4d7c0f", "#7e22ce")
DASHES = {"solid": "", "dashed": "6 3", "dotted": "1.5 2.5"}
BAND_FILLS = ("#f3f4f6", "#e5e7eb")


def ticks(lo: float, hi: float) -> list[float]:
    """Where the value axis gets a grid line and a label: at most six, at round steps."""
    span = hi - lo
    step = 1.0
    for candidate in (1, 2, 2.5, 4, 5, 10, 20, 25, 50):
        step = float(candidate)
        if span / step <= 5:
            break
    out = []
    v = lo
    while v <= hi + 1e-9:
        out.append(v)
        v += step
    return out


def _fmt(v: float) -> str:
    return f"{v:g}"


def _label(d: date, bucket: str, multi_year: bool) -> str:
    if bucket == "month":
        return f"{d.strftime('%b')} {d.year}"
    if multi_year:
        return f"{d.day} {d.strftime('%b')} {d.year % 100:02d}"
    return f"{d.day} {d.strftime('%b')}"


def x_tick_indexes(n: int, count: int = 5) -> list[int]:
    if n <= 0:
        return []
    if n <= count:
        return list(range(n))
    idx = sorted({round(i * (n - 1) / (count - 1)) for i in range(count)})
    return idx


@dataclass(frozen=True)
class Frame:
    """The plot area of a chart and how values map into it."""

    left: float
    top: float
    width: float
    height: float
    n: int  # points along the time axis
    lo: float
    hi: float

    @classmethod
    def of(cls, spec: ChartSpec, left: float, top: float, width: float, height: float) -> Frame:
        hi = spec.y_max if spec.y_max > spec.y_min else spec.y_min + 1
        return cls(left, top, width, height, len(spec.dates), spec.y_min, hi)

    def x(self, i: int) -> float:
        if self.n <= 1:
            return self.left + self.width / 2
        return self.left + self.width * i / (self.n - 1)

    def y(self, v: float) -> float:
        v = min(max(v, self.lo), self.hi)
        return self.top + self.height * (1 - (v - self.lo) / (self.hi - self.lo))


def area_runs(lows: list[float | None], highs: list[float | None]) -> list[list[int]]:
    """The runs of two or more points in a row that have both a low and a high."""
    runs: list[list[int]] = []
    run: list[int] = []
    for i in [*range(len(lows)), -1]:
        if i >= 0 and lows[i] is not None and highs[i] is not None:
            run.append(i)
            continue
        if len(run) > 1:
            runs.append(run)
        run = []
    return runs


def _axes(parts: list[str], spec: ChartSpec, f: Frame, svg_height: int) -> None:
    """Bands (questionnaire score ranges), the grid with its labels, the dates."""
    for k, (b_lo, b_hi, b_label) in enumerate(spec.bands):
        y1, y2 = f.y(b_hi), f.y(b_lo)
        parts.append(
            f'<rect x="{f.left:g}" y="{y1:.1f}" width="{f.width:g}" '
            f'height="{max(y2 - y1, 0):.1f}" fill="{BAND_FILLS[k % 2]}"/>'
        )
        if y2 - y1 >= 9:
            parts.append(
                f'<text x="{f.left + f.width - 3:g}" y="{(y1 + y2) / 2 + 3:.1f}" font-size="8" '
                f'text-anchor="end" fill="#6b7280">{escape(b_label)}</text>'
            )
    for t in ticks(f.lo, f.hi):
        yy = f.y(t)
        parts.append(
            f'<line x1="{f.left:g}" y1="{yy:.1f}" x2="{f.left + f.width:g}" y2="{yy:.1f}" '
            'stroke="#d1d5db" stroke-width="0.6"/>'
        )
        parts.append(
            f'<text x="{f.left - 4:g}" y="{yy + 3:.1f}" font-size="9" text-anchor="end" '
            f'fill="#374151">{_fmt(t)}</text>'
        )
    n = f.n
    multi_year = n > 0 and spec.dates[0].year != spec.dates[-1].year
    for i in x_tick_indexes(n):
        anchor = "start" if i == 0 and n > 1 else ("end" if i == n - 1 and n > 1 else "middle")
        parts.append(
            f'<text x="{f.x(i):.1f}" y="{svg_height - 5}" font-size="9" text-anchor="{anchor}" '
            f'fill="#374151">{escape(_label(spec.dates[i], spec.bucket, multi_year))}</text>'
        )


def _area(parts: list[str], spec: ChartSpec, f: Frame) -> None:
    """A shaded range (e.g. lowest to highest mood in each week)."""
    if spec.area is None:
        return
    _name, lows, highs = spec.area
    for run in area_runs(lows, highs):
        upper = [f"{f.x(j):.1f},{f.y(highs[j] or 0):.1f}" for j in run]
        lower = [f"{f.x(j):.1f},{f.y(lows[j] or 0):.1f}" for j in reversed(run)]
        parts.append(
            f'<polygon points="{" ".join(upper + lower)}" fill="{COLOURS[0]}" '
            'fill-opacity="0.13" stroke="none"/>'
        )


def _line(parts: list[str], values: list[float | None], f: Frame, colour: str, dash: str) -> None:
    """One line: its segments between gaps, and a dot for each point (or lone point)."""
    dots = f.n <= 60
    segments: list[list[tuple[float, float]]] = [[]]
    for i, v in enumerate(values):
        if v is None:
            segments.append([])
        else:
            segments[-1].append((f.x(i), f.y(v)))
    segments = [seg for seg in segments if seg]
    lone = [pt for seg in segments for pt in seg] if dots else []
    for seg in segments:
        if len(seg) == 1 and not dots:
            lone.append(seg[0])
        if len(seg) > 1:
            points = " ".join(f"{sx:.1f},{sy:.1f}" for sx, sy in seg)
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="{colour}" '
                f'stroke-width="1.6" stroke-linejoin="round"{dash}/>'
            )
    for px, py in lone:
        parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="1.9" fill="{colour}"/>')


def _legend_entry(parts: list[str], name: str, colour: str, dash: str, x: float) -> float:
    """One line's legend (a short stroke and its name); returns where the next one goes."""
    parts.append(
        f'<line x1="{x:g}" y1="8" x2="{x + 18:g}" y2="8" stroke="{colour}" stroke-width="2"{dash}/>'
    )
    parts.append(f'<text x="{x + 22:g}" y="11" font-size="9" fill="#111827">{escape(name)}</text>')
    return x + 30 + 6 * len(name)


def chart_svg(spec: ChartSpec, *, width: int = 680, height: int = 150) -> str:
    left, right, top, bottom = 30, 8, 18, 18
    f = Frame.of(spec, left, top, width - left - right, height - top - bottom)
    title = escape(spec.title)
    desc = escape(spec.description or spec.title)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        'role="img" class="chart">',
        f"<title>{title}</title><desc>{desc}</desc>",
    ]
    _axes(parts, spec, f, height)
    _area(parts, spec, f)
    legend_x: float = left
    for k, line in enumerate(spec.lines):
        colour = COLOURS[k % len(COLOURS)]
        dash = DASHES.get(line.style, "")
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        _line(parts, line.values, f, colour, dash_attr)
        legend_x = _legend_entry(parts, line.name, colour, dash_attr, legend_x)
    if spec.area is not None:
        parts.append(
            f'<rect x="{legend_x:g}" y="4" width="18" height="8" fill="{COLOURS[0]}" '
            'fill-opacity="0.13"/>'
        )
        parts.append(
            f'<text x="{legend_x + 22:g}" y="11" font-size="9" fill="#111827">'
            f"{escape(spec.area[0])} (lowest to highest)</text>"
        )
    if not spec.has_data:
        parts.append(
            f'<text x="{f.left + f.width / 2}" y="{f.top + f.height / 2}" font-size="10" '
            'text-anchor="middle" fill="#6b7280">No data in this period</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
