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
from selfback.export.report import ChartSpec, Line, Table, short_date
from selfback.export.svg import Frame, area_runs, ticks, x_tick_indexes


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
        pad_x = _TableDraw.PAD_X
        fitted = None
        while fitted is None:
            fitted = self.fit_widths(headers, widths, size, keep or {}, 2 * pad_x + 0.2)
            if fitted is None:
                if size <= 5.5:
                    fitted = list(widths)
                    break
                size -= 0.5
        self._widths.clear()
        return _TableDraw(self, headers, fitted, numeric, size, bold_yes).draw_rows(rows)

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
        """A line chart at (x0, y0), w by h mm: title, bands, grid, dates, lines, legend."""
        left, bottom, top = 8.0, 5.0, 7.5
        f = Frame.of(spec, x0 + left, y0 + top, w - left - 1, h - top - bottom)
        self.font(7.5, bold=True)
        self.pdf.set_xy(x0, y0 - 1)
        self.pdf.cell(w, 3.5, self.text(spec.title))
        self._bands(spec, f)
        self._grid(f, x0, left)
        self._dates(spec, f)
        self._area(spec, f)
        legend_x = f.left
        for k, line in enumerate(spec.lines):
            colour = LINE_COLOURS[k % len(LINE_COLOURS)]
            self._series(line, f, colour)
            legend_x = self._legend_entry(line, colour, legend_x, y0 + 4.2)
        if spec.area is not None:
            pdf = self.pdf
            pdf.set_fill_color(214, 225, 236)
            pdf.rect(legend_x, y0 + 4.2 - 1, 5, 2, style="F")
            self.font(6.5)
            pdf.set_xy(legend_x + 5.5, y0 + 4.2 - 1.4)
            pdf.cell(40, 2.8, self.text(f"{spec.area[0]} (lowest to highest)"))
        self.pdf.set_line_width(0.2)
        self.pdf.set_draw_color(0, 0, 0)

    def _bands(self, spec: ChartSpec, f: Frame) -> None:
        pdf = self.pdf
        for k, (b_lo, b_hi, label) in enumerate(spec.bands):
            shade = 243 if k % 2 == 0 else 229
            pdf.set_fill_color(shade, shade, shade)
            pdf.rect(f.left, f.y(b_hi), f.width, max(f.y(b_lo) - f.y(b_hi), 0), style="F")
            if f.y(b_lo) - f.y(b_hi) >= 3:
                self.font(5.5, color=GREY)
                pdf.set_xy(f.left, (f.y(b_lo) + f.y(b_hi)) / 2 - 1.2)
                pdf.cell(f.width - 1, 2.4, self.text(label), align="R")

    def _grid(self, f: Frame, x0: float, left: float) -> None:
        pdf = self.pdf
        pdf.set_line_width(0.15)
        pdf.set_draw_color(209, 213, 219)
        for t in ticks(f.lo, f.hi):
            pdf.line(f.left, f.y(t), f.left + f.width, f.y(t))
            self.font(6, color=GREY)
            pdf.set_xy(x0, f.y(t) - 1.3)
            pdf.cell(left - 1, 2.6, f"{t:g}", align="R")

    def _dates(self, spec: ChartSpec, f: Frame) -> None:
        pdf, n = self.pdf, f.n
        multi_year = n > 0 and spec.dates[0].year != spec.dates[-1].year
        for i in x_tick_indexes(n):
            d = spec.dates[i]
            if spec.bucket == "month":
                label = f"{d.strftime('%b')} {d.year}"
            else:
                label = short_date(d) + (f" {d.year % 100:02d}" if multi_year else "")
            self.font(6, color=GREY)
            pdf.set_xy(f.x(i) - 10, f.top + f.height + 0.8)
            align = "L" if i == 0 and n > 1 else ("R" if i == n - 1 and n > 1 else "C")
            if align == "L":
                pdf.set_x(f.x(i))
            elif align == "R":
                pdf.set_x(f.x(i) - 20)
            pdf.cell(20, 3, self.text(label), align=align)

    def _area(self, spec: ChartSpec, f: Frame) -> None:
        if spec.area is None:
            return
        _name, lows, highs = spec.area
        self.pdf.set_fill_color(214, 225, 236)
        for run in area_runs(lows, highs):
            pts = [(f.x(j), f.y(highs[j] or 0)) for j in run]
            pts += [(f.x(j), f.y(lows[j] or 0)) for j in reversed(run)]
            self.pdf.polygon(pts, style="F")

    def _dash(self, style: str) -> None:
        if style == "dashed":
            self.pdf.set_dash_pattern(dash=1.6, gap=0.9)
        elif style == "dotted":
            self.pdf.set_dash_pattern(dash=0.4, gap=0.7)
        else:
            self.pdf.set_dash_pattern()

    def _series(self, line: Line, f: Frame, colour: tuple[int, int, int]) -> None:
        """One line: its segments between gaps, and dots (every point up to 60 points,
        else only lone ones)."""
        pdf = self.pdf
        pdf.set_draw_color(*colour)
        pdf.set_fill_color(*colour)
        pdf.set_line_width(0.45)
        self._dash(line.style)
        segments: list[list[tuple[float, float]]] = [[]]
        for i, v in enumerate(line.values):
            if v is None:
                segments.append([])
            else:
                segments[-1].append((f.x(i), f.y(v)))
        for seg in segments:
            if len(seg) > 1:
                pdf.polyline(seg, style="D")
        pdf.set_dash_pattern()
        for seg in segments:
            pts = seg if f.n <= 60 else (seg if len(seg) == 1 else [])
            for cx, cy in pts:
                pdf.circle(cx, cy, 0.55, style="F")

    def _legend_entry(self, line: Line, colour: tuple[int, int, int], x: float, y: float) -> float:
        """The line's legend, in its own row under the title; returns the next one's x."""
        pdf = self.pdf
        self.font(6.5)
        label_w = pdf.get_string_width(self.text(line.name)) + 9
        pdf.set_draw_color(*colour)
        pdf.set_line_width(0.45)
        if line.style == "dashed":
            pdf.set_dash_pattern(dash=1.6, gap=0.9)
        pdf.line(x, y, x + 5, y)
        pdf.set_dash_pattern()
        pdf.set_xy(x + 5.5, y - 1.4)
        pdf.cell(label_w - 5.5, 2.8, self.text(line.name))
        return x + label_w + 2


class _TableDraw:
    """One table being drawn by ``LayoutDoc.table`` (column widths already fitted)."""

    PAD_X, PAD_Y = 1.2, 0.7

    def __init__(
        self,
        doc: LayoutDoc,
        headers: list[str],
        widths: list[float],
        numeric: set[int] | frozenset[int],
        size: float,
        bold_yes: frozenset[int],
    ) -> None:
        self.doc, self.pdf = doc, doc.pdf
        self.widths, self.numeric, self.size, self.bold_yes = widths, numeric, size, bold_yes
        self.line_h = size * 0.42
        self.x0 = self.pdf.l_margin
        self.total_w = sum(widths)
        self.pdf.set_fill_color(*INK)
        doc.font(size, bold=True)
        self.head_lines = self.lines(headers)
        self.head_count = max(len(c) for c in self.head_lines)
        doc.font(size)

    def lines(self, cells: list[str]) -> list[list[str]]:
        doc = self.doc
        return [
            doc.wrap(doc.text(cell), self.widths[i] - 2 * self.PAD_X)
            for i, cell in enumerate(cells)
        ]

    def height(self, count: int) -> float:
        return count * self.line_h + 2 * self.PAD_Y

    def _cell(self, x: float, y: float, i: int, cell: list[str], strong: frozenset[int]) -> None:
        doc, pdf, size = self.doc, self.pdf, self.size
        for j, line in enumerate(cell):
            if not line:
                continue
            tx = x + self.PAD_X
            if i in self.numeric:
                tx = x + self.widths[i] - self.PAD_X - doc.width(line)
            base = y + self.PAD_Y + (j + 0.78) * self.line_h
            if i in strong and line == "yes":
                doc.font(size, bold=True)
                pdf.text(tx, base, line)
                doc.font(size)
                continue
            doc.put(tx, base, line)

    def draw(
        self,
        lines: list[list[str]],
        y: float,
        *,
        fill: tuple[int, int, int] | None,
        first: int,
        count: int,
        strong: frozenset[int] = frozenset(),
    ) -> float:
        """Draw lines ``first`` to ``first + count`` of a row at ``y``; returns its end."""
        pdf = self.pdf
        h = self.height(count)
        if fill:
            pdf.set_fill_color(*fill)
            pdf.rect(self.x0, y, self.total_w, h, style="F")
            # fill colour == text colour spares fpdf2 a colour change per text()
            pdf.set_fill_color(*INK)
        x = self.x0
        for i, cell in enumerate(lines):
            self._cell(x, y, i, cell[first : first + count], strong)
            x += self.widths[i]
        pdf.line(self.x0, y + h, self.x0 + self.total_w, y + h)
        return y + h

    def header(self, y: float) -> float:
        # line colour and width are set once per page, not once per row
        self.pdf.set_draw_color(209, 213, 219)
        self.pdf.set_line_width(0.15)
        self.doc.font(self.size, bold=True)
        y = self.draw(self.head_lines, y, fill=HEAD_FILL, first=0, count=self.head_count)
        self.doc.font(self.size)
        return y

    def _start(self, first_row: tuple[list[str], bool] | None) -> float:
        """Room for the header and the start of the first row, then the header."""
        doc = self.doc
        first_h = 0.0
        if first_row is not None:
            if first_row[1] and doc.has_bold:
                doc.font(self.size, bold=True)
            first_h = self.height(min(max(len(c) for c in self.lines(first_row[0])), 3))
            doc.font(self.size)
        doc.block(self.height(self.head_count) + first_h)
        return self.header(self.pdf.y)

    def _needs_page(self, y: float, first: int, total: int) -> bool:
        """A row (its next lines) does not fit here: at least 3 lines, or all of a row that
        fits on a page of its own."""
        bottom, line_h = self.doc.bottom, self.line_h
        room = int((bottom - y - 2 * self.PAD_Y) // line_h)
        return room < min(total - first, 3) or (
            first == 0
            and self.height(total) > bottom - y
            and total * line_h < bottom - self.pdf.t_margin - 20
        )

    def row(self, y: float, cells: list[str], flagged: bool) -> float:
        doc, size = self.doc, self.size
        bold = flagged and doc.has_bold
        if bold:
            doc.font(size, bold=True)
        lines = self.lines(cells)
        total = max(len(c) for c in lines)
        first = 0
        while first < total:
            if self._needs_page(y, first, total):
                doc.new_page()
                y = self.header(self.pdf.t_margin)
                if bold:
                    doc.font(size, bold=True)
            room = int((doc.bottom - y - 2 * self.PAD_Y) // self.line_h)
            count = min(room, total - first)
            y = self.draw(
                lines,
                y,
                fill=FLAG_FILL if flagged else None,
                first=first,
                count=count,
                strong=frozenset() if bold else self.bold_yes,
            )
            first += count
        if bold:
            doc.font(size)
        return y

    def draw_rows(self, rows: Iterable[tuple[list[str], bool]]) -> int:
        it = iter(rows)
        first_row = next(it, None)
        y = self._start(first_row)
        n = 0
        for cells, flagged in itertools.chain([first_row], it) if first_row else ():
            y = self.row(y, cells, flagged)
            n += 1
        self.pdf.set_xy(self.x0, y + 0.5)
        return n
