"""The PDF's layout: headings kept with what follows, blocks that never split, tables
whose headers repeat on every page, and charts drawn as vector lines.

Every break is decided here (fpdf2's automatic page break is off): a heading is never
left alone at the bottom of a page, a table row is never split, and column widths leave
room for the longest header word, date and time, so none is ever broken inside.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence

from selfback.export.pdf_text import (
    BLUE,
    FLAG_FILL,
    GREY,
    HEAD_FILL,
    HEADING_SIZE,
    INK,
    LINE_COLOURS,
    UNIT,
    TextDoc,
)
from selfback.export.report import ChartSpec, Table, short_date


class LayoutDoc(TextDoc):
    """The text engine plus the report's layout helpers."""

    def heading(self, text: str, level: int = 2) -> None:
        """A heading, drawn with the first thing that follows it (see ``block``)."""
        self.pending.append((text, level))

    def _heading_lines(self) -> list[tuple[list[str], int]]:
        out = []
        for text, level in self.pending:
            self.font(HEADING_SIZE[level], bold=True)
            out.append((self.wrap(self.text(text), self.pdf.epw), level))
        return out

    @staticmethod
    def _heading_height(lines: list[str], level: int) -> float:
        size = HEADING_SIZE[level]
        return (1.5 if level == 3 else 2.5) + len(lines) * size * 0.45 + 0.5

    def block(self, height: float) -> None:
        """Make room for something ``height`` tall that must not be split (with any
        heading waiting above it): a new page when it would not fit on this one."""
        pdf = self.pdf
        if not self.pending:
            if pdf.y + height > self.bottom and pdf.y > pdf.t_margin + 0.1:
                self.new_page()
            return
        bold, size = self._bold, self._size
        heads = self._heading_lines()
        total = sum(self._heading_height(lines, level) for lines, level in heads)
        if pdf.y + total + height > self.bottom and pdf.y > pdf.t_margin + 0.1:
            self.new_page()
        y = pdf.y
        for lines, level in heads:
            size_h = HEADING_SIZE[level]
            y += 1.5 if level == 3 else 2.5
            self.font(size_h, bold=True, color=BLUE if level == 2 else INK)
            for line in lines:
                self.put(pdf.l_margin, y + 0.78 * size_h * 0.45 + 0.3, line)
                y += size_h * 0.45
            y += 0.5
        self.pending = []
        pdf.set_y(y)
        self.font(size, bold=bold)

    def flush(self) -> None:
        if self.pending:
            self.block(0)

    def para(
        self,
        text: str,
        *,
        size: float = 9,
        color: tuple[int, int, int] = GREY,
        bold: bool = False,
    ) -> None:
        """A paragraph, wrapped here and moved to the next page line by line (its first
        two lines stay with a heading above it)."""
        pdf = self.pdf
        self.font(size, bold=bold)
        lines = self.wrap(self.text(text), pdf.epw)
        line_h = size * 0.45
        self.block(min(len(lines), 2) * line_h)
        self.font(size, bold=bold, color=color)
        y = pdf.y
        for line in lines:
            if y + line_h > self.bottom:
                self.new_page()
                self.font(size, bold=bold, color=color)
                y = pdf.y
            if line:
                self.put(pdf.l_margin, y + 0.78 * line_h, line)
            y += line_h
        pdf.set_y(y)

    def fit_widths(
        self,
        headers: list[str],
        widths: list[float],
        size: float,
        keep: Mapping[int, Sequence[str]],
        pad: float,
    ) -> list[float] | None:
        """Widths summing to ``sum(widths)`` in which every header word (bold) and every
        ``keep`` sample fits unbroken, taking room from the columns that have some; None
        when they cannot all fit at this font size."""
        n = len(headers)
        self.font(size, bold=True)
        mins = [
            max((self.width(self.text(word)) for word in UNIT.findall(h)), default=0.0) + pad
            for h in headers
        ]
        self.font(size)
        for i, samples in keep.items():
            if i < n:
                mins[i] = max([mins[i]] + [self.width(x) + pad for x in samples])
        total = sum(widths)
        if sum(mins) > total + 1e-6:
            return None
        out = list(widths)
        short = [i for i in range(n) if out[i] < mins[i]]
        if short:
            need = sum(mins[i] - out[i] for i in short)
            for i in short:
                out[i] = mins[i]
            slack = {i: out[i] - mins[i] for i in range(n) if out[i] > mins[i]}
            room = sum(slack.values())
            for i, v in slack.items():
                out[i] -= need * v / room
        return out

    def table(
        self,
        headers: list[str],
        rows: Iterable[tuple[list[str], bool]],
        widths: list[float],
        *,
        numeric: set[int] | frozenset[int] = frozenset(),
        size: float = 8,
        bold_yes: frozenset[int] = frozenset(),
        keep: Mapping[int, Sequence[str]] | None = None,
    ) -> int:
        """Draw a table row by row (bounded memory); headers repeat on every page and a
        row is kept on one page unless it is taller than a page. A "yes" in a ``bold_yes``
        column is drawn in bold. No header word, date or time (``keep``) is broken."""
        pdf = self.pdf
        pad_x, pad_y = 1.2, 0.7
        fitted = None
        while fitted is None:
            fitted = self.fit_widths(headers, widths, size, keep or {}, 2 * pad_x + 0.2)
            if fitted is None:
                if size <= 5.5:
                    fitted = list(widths)
                    break
                size -= 0.5
        widths = fitted
        line_h = size * 0.42
        x0 = pdf.l_margin
        total_w = sum(widths)
        bottom = self.bottom
        self._widths.clear()

        def cells_lines(cells: list[str]) -> list[list[str]]:
            return [
                self.wrap(self.text(cell), widths[i] - 2 * pad_x) for i, cell in enumerate(cells)
            ]

        def draw(
            lines: list[list[str]],
            y: float,
            *,
            fill: tuple[int, int, int] | None,
            first: int,
            count: int,
            strong: frozenset[int] | set[int] = frozenset(),
        ) -> float:
            h = count * line_h + 2 * pad_y
            if fill:
                pdf.set_fill_color(*fill)
                pdf.rect(x0, y, total_w, h, style="F")
                # fill colour == text colour spares fpdf2 a colour change per text()
                pdf.set_fill_color(*INK)
            x = x0
            for i, cell in enumerate(lines):
                for j, line in enumerate(cell[first : first + count]):
                    if not line:
                        continue
                    tx = x + pad_x
                    if i in numeric:
                        tx = x + widths[i] - pad_x - self.width(line)
                    base = y + pad_y + (j + 0.78) * line_h
                    if i in strong and line == "yes":
                        self.font(size, bold=True)
                        pdf.text(tx, base, line)
                        self.font(size)
                        continue
                    self.put(tx, base, line)
                x += widths[i]
            pdf.line(x0, y + h, x0 + total_w, y + h)
            return y + h

        pdf.set_fill_color(*INK)
        self.font(size, bold=True)
        head_lines = cells_lines(headers)
        head_count = max(len(c) for c in head_lines)
        self.font(size)

        def header(y: float) -> float:
            # line colour and width are set once per page, not once per row
            pdf.set_draw_color(209, 213, 219)
            pdf.set_line_width(0.15)
            self.font(size, bold=True)
            y = draw(head_lines, y, fill=HEAD_FILL, first=0, count=head_count)
            self.font(size)
            return y

        it = iter(rows)
        first_row = next(it, None)
        head_h = head_count * line_h + 2 * pad_y
        first_h = 0.0
        if first_row is not None:
            if first_row[1] and self.has_bold:
                self.font(size, bold=True)
            first_h = min(max(len(c) for c in cells_lines(first_row[0])), 3) * line_h + 2 * pad_y
            self.font(size)
        self.block(head_h + first_h)
        y = header(pdf.y)
        n = 0
        for cells, flagged in itertools.chain([first_row], it) if first_row else ():
            bold = flagged and self.has_bold
            if bold:
                self.font(size, bold=True)
            lines = cells_lines(cells)
            total = max(len(c) for c in lines)
            first = 0
            while first < total:
                room = int((bottom - y - 2 * pad_y) // line_h)
                if room < min(total - first, 3) or (
                    first == 0
                    and total * line_h + 2 * pad_y > bottom - y
                    and total * line_h < bottom - pdf.t_margin - 20
                ):
                    self.new_page()
                    y = header(pdf.t_margin)
                    if bold:
                        self.font(size, bold=True)
                    room = int((bottom - y - 2 * pad_y) // line_h)
                count = min(room, total - first)
                y = draw(
                    lines,
                    y,
                    fill=FLAG_FILL if flagged else None,
                    first=first,
                    count=count,
                    strong=frozenset() if bold else bold_yes,
                )
                first += count
            if bold:
                self.font(size)
            n += 1
        pdf.set_xy(x0, y + 0.5)
        return n

    def simple_table(
        self, table: Table, widths: list[float], *, keep: Mapping[int, Sequence[str]] | None = None
    ) -> None:
        self.table(
            table.headers,
            (
                (r, table.flagged[i] if i < len(table.flagged) else False)
                for i, r in enumerate(table.rows)
            ),
            widths,
            numeric=table.numeric,
            keep=keep,
        )
        for note in table.notes:
            self.para(note, size=7.5)

    def chart(self, spec: ChartSpec, x0: float, y0: float, w: float, h: float) -> None:
        pdf = self.pdf
        left, bottom, top = 8.0, 5.0, 7.5
        px, py = x0 + left, y0 + top
        pw, ph = w - left - 1, h - top - bottom
        n = len(spec.dates)
        lo, hi = spec.y_min, spec.y_max if spec.y_max > spec.y_min else spec.y_min + 1

        def X(i: int) -> float:
            return px + (pw / 2 if n <= 1 else pw * i / (n - 1))

        def Y(v: float) -> float:
            v = min(max(v, lo), hi)
            return py + ph * (1 - (v - lo) / (hi - lo))

        self.font(7.5, bold=True)
        pdf.set_xy(x0, y0 - 1)
        pdf.cell(w, 3.5, self.text(spec.title))
        for k, (b_lo, b_hi, label) in enumerate(spec.bands):
            shade = 243 if k % 2 == 0 else 229
            pdf.set_fill_color(shade, shade, shade)
            pdf.rect(px, Y(b_hi), pw, max(Y(b_lo) - Y(b_hi), 0), style="F")
            if Y(b_lo) - Y(b_hi) >= 3:
                self.font(5.5, color=GREY)
                pdf.set_xy(px, (Y(b_lo) + Y(b_hi)) / 2 - 1.2)
                pdf.cell(pw - 1, 2.4, self.text(label), align="R")
        from selfback.export.svg import _ticks, x_tick_indexes

        pdf.set_line_width(0.15)
        pdf.set_draw_color(209, 213, 219)
        for t in _ticks(lo, hi):
            pdf.line(px, Y(t), px + pw, Y(t))
            self.font(6, color=GREY)
            pdf.set_xy(x0, Y(t) - 1.3)
            pdf.cell(left - 1, 2.6, f"{t:g}", align="R")
        multi_year = n > 0 and spec.dates[0].year != spec.dates[-1].year
        for i in x_tick_indexes(n):
            d = spec.dates[i]
            if spec.bucket == "month":
                label = f"{d.strftime('%b')} {d.year}"
            else:
                label = short_date(d) + (f" {d.year % 100:02d}" if multi_year else "")
            self.font(6, color=GREY)
            pdf.set_xy(X(i) - 10, py + ph + 0.8)
            align = "L" if i == 0 and n > 1 else ("R" if i == n - 1 and n > 1 else "C")
            if align == "L":
                pdf.set_x(X(i))
            elif align == "R":
                pdf.set_x(X(i) - 20)
            pdf.cell(20, 3, self.text(label), align=align)
        if spec.area is not None:
            _name, lows, highs = spec.area
            pdf.set_fill_color(214, 225, 236)
            run: list[int] = []
            for i in [*range(n), -1]:
                if i >= 0 and lows[i] is not None and highs[i] is not None:
                    run.append(i)
                    continue
                if len(run) > 1:
                    pts = [(X(j), Y(highs[j] or 0)) for j in run]
                    pts += [(X(j), Y(lows[j] or 0)) for j in reversed(run)]
                    pdf.polygon(pts, style="F")
                run = []
        legend_x = px
        legend_y = y0 + 4.2
        for k, line in enumerate(spec.lines):
            colour = LINE_COLOURS[k % len(LINE_COLOURS)]
            pdf.set_draw_color(*colour)
            pdf.set_fill_color(*colour)
            pdf.set_line_width(0.45)
            if line.style == "dashed":
                pdf.set_dash_pattern(dash=1.6, gap=0.9)
            elif line.style == "dotted":
                pdf.set_dash_pattern(dash=0.4, gap=0.7)
            else:
                pdf.set_dash_pattern()
            segments: list[list[tuple[float, float]]] = [[]]
            for i, v in enumerate(line.values):
                if v is None:
                    segments.append([])
                else:
                    segments[-1].append((X(i), Y(v)))
            for seg in segments:
                if len(seg) > 1:
                    pdf.polyline(seg, style="D")
            pdf.set_dash_pattern()
            for seg in segments:
                pts = seg if n <= 60 else (seg if len(seg) == 1 else [])
                for cx, cy in pts:
                    pdf.circle(cx, cy, 0.55, style="F")
            # legend, in its own row under the title
            self.font(6.5)
            label_w = pdf.get_string_width(self.text(line.name)) + 9
            pdf.set_draw_color(*colour)
            pdf.set_line_width(0.45)
            if line.style == "dashed":
                pdf.set_dash_pattern(dash=1.6, gap=0.9)
            pdf.line(legend_x, legend_y, legend_x + 5, legend_y)
            pdf.set_dash_pattern()
            pdf.set_xy(legend_x + 5.5, legend_y - 1.4)
            pdf.cell(label_w - 5.5, 2.8, self.text(line.name))
            legend_x += label_w + 2
        if spec.area is not None:
            pdf.set_fill_color(214, 225, 236)
            pdf.rect(legend_x, legend_y - 1, 5, 2, style="F")
            self.font(6.5)
            pdf.set_xy(legend_x + 5.5, legend_y - 1.4)
            pdf.cell(40, 2.8, self.text(f"{spec.area[0]} (lowest to highest)"))
        pdf.set_line_width(0.2)
        pdf.set_draw_color(0, 0, 0)
