"""Small inline SVG line charts for the HTML report: no scripts, no fonts, no links.

Lines are told apart by dash pattern as well as colour, so they survive a black-and-white
printer. Gaps in the data are gaps in the line; a lone point is drawn as a dot. Every
chart carries a text description for screen readers.
"""

from __future__ import annotations

from datetime import date
from html import escape

from selfback.export.report import ChartSpec

COLOURS = ("#1f4e79", "#b45309", "#4d7c0f", "#7e22ce")
DASHES = {"solid": "", "dashed": "6 3", "dotted": "1.5 2.5"}
BAND_FILLS = ("#f3f4f6", "#e5e7eb")


def _ticks(lo: float, hi: float) -> list[float]:
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


def chart_svg(spec: ChartSpec, *, width: int = 680, height: int = 150) -> str:
    left, right, top, bottom = 30, 8, 18, 18
    plot_w = width - left - right
    plot_h = height - top - bottom
    n = len(spec.dates)
    y_lo, y_hi = spec.y_min, spec.y_max if spec.y_max > spec.y_min else spec.y_min + 1

    def x(i: int) -> float:
        if n <= 1:
            return left + plot_w / 2
        return left + plot_w * i / (n - 1)

    def y(v: float) -> float:
        v = min(max(v, y_lo), y_hi)
        return top + plot_h * (1 - (v - y_lo) / (y_hi - y_lo))

    title = escape(spec.title)
    desc = escape(spec.description or spec.title)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        'role="img" class="chart">',
        f"<title>{title}</title><desc>{desc}</desc>",
    ]
    # bands (questionnaire score ranges)
    for k, (b_lo, b_hi, b_label) in enumerate(spec.bands):
        y1, y2 = y(b_hi), y(b_lo)
        parts.append(
            f'<rect x="{left}" y="{y1:.1f}" width="{plot_w}" height="{max(y2 - y1, 0):.1f}" '
            f'fill="{BAND_FILLS[k % 2]}"/>'
        )
        if y2 - y1 >= 9:
            parts.append(
                f'<text x="{left + plot_w - 3}" y="{(y1 + y2) / 2 + 3:.1f}" font-size="8" '
                f'text-anchor="end" fill="#6b7280">{escape(b_label)}</text>'
            )
    # grid and y labels
    for t in _ticks(y_lo, y_hi):
        yy = y(t)
        parts.append(
            f'<line x1="{left}" y1="{yy:.1f}" x2="{left + plot_w}" y2="{yy:.1f}" '
            'stroke="#d1d5db" stroke-width="0.6"/>'
        )
        parts.append(
            f'<text x="{left - 4}" y="{yy + 3:.1f}" font-size="9" text-anchor="end" '
            f'fill="#374151">{_fmt(t)}</text>'
        )
    # x labels
    multi_year = n > 0 and spec.dates[0].year != spec.dates[-1].year
    for i in x_tick_indexes(n):
        anchor = "start" if i == 0 and n > 1 else ("end" if i == n - 1 and n > 1 else "middle")
        parts.append(
            f'<text x="{x(i):.1f}" y="{height - 5}" font-size="9" text-anchor="{anchor}" '
            f'fill="#374151">{escape(_label(spec.dates[i], spec.bucket, multi_year))}</text>'
        )
    # a shaded range (e.g. lowest to highest mood in each week)
    if spec.area is not None:
        _name, lows, highs = spec.area
        run: list[int] = []
        for i in [*range(n), -1]:
            ok = i >= 0 and lows[i] is not None and highs[i] is not None
            if ok:
                run.append(i)
                continue
            if len(run) > 1:
                upper = [f"{x(j):.1f},{y(highs[j] or 0):.1f}" for j in run]
                lower = [f"{x(j):.1f},{y(lows[j] or 0):.1f}" for j in reversed(run)]
                parts.append(
                    f'<polygon points="{" ".join(upper + lower)}" fill="{COLOURS[0]}" '
                    'fill-opacity="0.13" stroke="none"/>'
                )
            run = []
    # lines
    dots = n <= 60
    legend_x = left
    for k, line in enumerate(spec.lines):
        colour = COLOURS[k % len(COLOURS)]
        dash = DASHES.get(line.style, "")
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        segment: list[str] = []
        segments: list[list[str]] = []
        lone: list[tuple[float, float]] = []
        for i, v in enumerate(line.values):
            if v is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{x(i):.1f},{y(v):.1f}")
            if dots:
                lone.append((x(i), y(v)))
        if segment:
            segments.append(segment)
        for seg in segments:
            if len(seg) == 1 and not dots:
                sx, sy = seg[0].split(",")
                lone.append((float(sx), float(sy)))
            if len(seg) > 1:
                parts.append(
                    f'<polyline points="{" ".join(seg)}" fill="none" stroke="{colour}" '
                    f'stroke-width="1.6" stroke-linejoin="round"{dash_attr}/>'
                )
        for px, py in lone:
            parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="1.9" fill="{colour}"/>')
        # legend
        parts.append(
            f'<line x1="{legend_x}" y1="8" x2="{legend_x + 18}" y2="8" stroke="{colour}" '
            f'stroke-width="2"{dash_attr}/>'
        )
        parts.append(
            f'<text x="{legend_x + 22}" y="11" font-size="9" fill="#111827">'
            f"{escape(line.name)}</text>"
        )
        legend_x += 30 + 6 * len(line.name)
    if spec.area is not None:
        parts.append(
            f'<rect x="{legend_x}" y="4" width="18" height="8" fill="{COLOURS[0]}" '
            'fill-opacity="0.13"/>'
        )
        parts.append(
            f'<text x="{legend_x + 22}" y="11" font-size="9" fill="#111827">'
            f"{escape(spec.area[0])} (lowest to highest)</text>"
        )
    if not spec.has_data:
        parts.append(
            f'<text x="{left + plot_w / 2}" y="{top + plot_h / 2}" font-size="10" '
            'text-anchor="middle" fill="#6b7280">No data in this period</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
