"""The therapist report as a PDF, drawn directly with fpdf2 (pure Python).

No browser, no external program: text, tables and charts (vector lines) are drawn by
fpdf2. The layout follows the HTML report: the summary on page 1, details from page 2.

Fonts: a Unicode TrueType font found on the computer (DejaVu Sans, Liberation Sans, Noto
Sans, Arial, Segoe UI) so accents and non-Latin notes print; if none is found, the PDF
standard Helvetica is used and characters it cannot show are replaced by "?".

Paper: A4, or US Letter when asked for (the CLI picks Letter for the US, Canada and a few
other countries that use it).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from selfback.errors import SelfbackError
from selfback.export import data as records
from selfback.export.output import write_bytes
from selfback.export.report import (
    CRISIS_HELP,
    CRISIS_SOURCES,
    DIARY_ACTED,
    DIARY_HEADERS,
    DIARY_NUMERIC,
    DISCLAIMER,
    MEASURE_HEADERS,
    SCALES_NOTE,
    SESSION_HEADERS,
    TITLE,
    ChartSpec,
    DiaryCard,
    Report,
    Table,
    checkin_cells,
    checkin_headers,
    measure_rows,
    session_cells,
    short_date,
)
from selfback.store.db import Store

LETTER_COUNTRIES = frozenset({"US", "CA", "MX", "PH", "CL", "CO", "VE", "GT", "CR", "PR"})

_FONT_CANDIDATES: list[tuple[str, str]] = [
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu/DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/TTF/DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("/usr/local/share/fonts/dejavu/DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    ("/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    ("/usr/share/fonts/noto/NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    ("/System/Library/Fonts/Supplemental/Arial.ttf", "Arial Bold.ttf"),
    ("/Library/Fonts/Arial.ttf", "Arial Bold.ttf"),
]

_ASCII = str.maketrans(
    {
        "\u2192": "->",
        "\u2212": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2020": "+",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2026": "...",
    }
)

GREY = (75, 85, 99)
INK = (17, 24, 39)
BLUE = (31, 78, 121)
LINE_COLOURS = ((31, 78, 121), (180, 83, 9), (77, 124, 15), (126, 34, 206))
FLAG_FILL = (253, 226, 226)
HEAD_FILL = (238, 242, 247)


def find_font() -> tuple[str, str | None] | None:
    """(regular, bold or None) TrueType files with wide Unicode coverage, or None."""
    candidates = list(_FONT_CANDIDATES)
    windir = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT")
    if windir:
        fonts = Path(windir) / "Fonts"
        candidates += [(str(fonts / "arial.ttf"), "arialbd.ttf")]
        candidates += [(str(fonts / "segoeui.ttf"), "segoeuib.ttf")]
    for regular, bold in candidates:
        if os.path.isfile(regular):
            bold_path = os.path.join(os.path.dirname(regular), bold)
            return regular, bold_path if os.path.isfile(bold_path) else None
    return None


class _Doc:
    """fpdf2 with the report's fonts, header, footer and helpers."""

    def __init__(self, paper: str, report: Report) -> None:
        try:
            from fpdf import FPDF
        except ImportError:
            raise SelfbackError(
                "PDF export needs the fpdf2 package, which is not installed. Install it with "
                "`pip install fpdf2`, or export --format html and print that to PDF."
            ) from None

        report_ref = report

        class Doc(FPDF):
            def footer(self) -> None:  # noqa: D102 - fpdf2 hook
                self.set_y(-10)
                outer.font(7.5, color=GREY)
                self.cell(
                    0,
                    4,
                    outer.text(
                        f"{TITLE} \u00b7 {report_ref.range_text} \u00b7 {DISCLAIMER} "
                        f"\u00b7 page {self.page_no()}/{{nb}}"
                    ),
                    align="C",
                )

        outer = self
        self.pdf = Doc(orientation="P", unit="mm", format="Letter" if paper == "letter" else "A4")
        self.pdf.set_margins(14, 13, 14)
        self.pdf.set_auto_page_break(True, margin=14)
        self.pdf.alias_nb_pages()
        self.pdf.set_title(f"{TITLE}: {report.range_text}")
        self.pdf.set_creator(f"selfback {report.selfback_version}")
        self.pdf.set_subject(DISCLAIMER)
        found = find_font()
        self.unicode = False
        self.family = "helvetica"
        self.has_bold = True
        if found:
            try:
                self.pdf.add_font("body", "", found[0])
                if found[1]:
                    self.pdf.add_font("body", "B", found[1])
                self.has_bold = bool(found[1])
                self.family = "body"
                self.unicode = True
            except Exception:
                self.family = "helvetica"
                self.has_bold = True

    def text(self, value: object) -> str:
        s = "" if value is None else str(value)
        if self.unicode:
            return s
        return s.translate(_ASCII).encode("latin-1", "replace").decode("latin-1")

    def font(self, size: float, *, bold: bool = False, color: tuple[int, int, int] = INK) -> None:
        self.pdf.set_font(self.family, "B" if bold and self.has_bold else "", size)
        self.pdf.set_text_color(*color)

    def heading(self, text: str, level: int = 2) -> None:
        pdf = self.pdf
        size = {1: 15, 2: 12, 3: 10.5}[level]
        if pdf.get_y() > pdf.h - pdf.b_margin - 22:
            pdf.add_page()
        pdf.ln(1.5 if level == 3 else 2.5)
        self.font(size, bold=True, color=BLUE if level == 2 else (17, 24, 39))
        pdf.multi_cell(0, size * 0.45, self.text(text), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(0.5)

    def para(self, text: str, *, size: float = 9, color: tuple[int, int, int] = GREY) -> None:
        self.font(size, color=color)
        self.pdf.multi_cell(
            0, size * 0.45, self.text(text), align="L", new_x="LMARGIN", new_y="NEXT"
        )

    def wrap(self, text: str, width: float, cache: dict[str, float]) -> list[str]:
        """Greedy word wrap with cached word widths (fpdf2's own is ~50x slower)."""
        pdf = self.pdf
        out: list[str] = []

        def w(s: str) -> float:
            v = cache.get(s)
            if v is None:
                v = cache[s] = pdf.get_string_width(s)
            return v

        space = w(" ")
        for para in text.split("\n"):
            line, line_w = "", 0.0
            for word in para.split():
                ww = w(word)
                if ww > width:  # a very long word: cut it where it must
                    if line:
                        out.append(line)
                        line, line_w = "", 0.0
                    piece = ""
                    for ch in word:
                        if pdf.get_string_width(piece + ch) > width and piece:
                            out.append(piece)
                            piece = ""
                        piece += ch
                    line, line_w = piece, pdf.get_string_width(piece)
                    continue
                if line and line_w + space + ww > width:
                    out.append(line)
                    line, line_w = word, ww
                else:
                    line_w = line_w + space + ww if line else ww
                    line = f"{line} {word}" if line else word
            out.append(line)
        return out or [""]

    def table(
        self,
        headers: list[str],
        rows: Iterable[tuple[list[str], bool]],
        widths: list[float],
        *,
        numeric: set[int] = frozenset(),  # type: ignore[assignment]
        size: float = 8,
        bold_yes: frozenset[int] = frozenset(),
    ) -> int:
        """Draw a table row by row (bounded memory); headers repeat on every page and a
        row is kept on one page unless it is taller than a page. A "yes" in a ``bold_yes``
        column is drawn in bold."""
        pdf = self.pdf
        line_h = size * 0.42
        pad_x, pad_y = 1.2, 0.7
        x0 = pdf.l_margin
        cache: dict[str, float] = {}
        bold_cache: dict[str, float] = {}
        bottom = pdf.h - pdf.b_margin

        def cells_lines(cells: list[str], c: dict[str, float]) -> list[list[str]]:
            return [
                self.wrap(self.text(cell), widths[i] - 2 * pad_x, c) for i, cell in enumerate(cells)
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
                        wc = width_cache.get(line)
                        if wc is None:
                            wc = width_cache[line] = pdf.get_string_width(line)
                        tx = x + widths[i] - pad_x - wc
                    if i in strong and line == "yes":
                        self.font(size, bold=True)
                        pdf.text(tx, y + pad_y + (j + 0.78) * line_h, line)
                        self.font(size)
                        continue
                    pdf.text(tx, y + pad_y + (j + 0.78) * line_h, line)
                x += widths[i]
            pdf.line(x0, y + h, x0 + total_w, y + h)
            return y + h

        total_w = sum(widths)
        width_cache: dict[str, float] = {}
        pdf.set_fill_color(*INK)

        def header(y: float) -> float:
            # line colour and width are set once per page, not once per row
            pdf.set_draw_color(209, 213, 219)
            pdf.set_line_width(0.15)
            width_cache.clear()
            self.font(size, bold=True)
            y = draw(
                cells_lines(headers, bold_cache),
                y,
                fill=HEAD_FILL,
                first=0,
                count=max(len(c) for c in cells_lines(headers, bold_cache)),
            )
            self.font(size)
            width_cache.clear()
            return y

        if pdf.get_y() + 3 * line_h + 4 * pad_y > bottom:
            pdf.add_page()
        y = header(pdf.get_y())
        n = 0
        for cells, flagged in rows:
            bold = flagged and self.has_bold
            if bold:
                self.font(size, bold=True)
            lines = cells_lines(cells, bold_cache if bold else cache)
            total = max(len(c) for c in lines)
            first = 0
            while first < total:
                room = int((bottom - y - 2 * pad_y) // line_h)
                if room < min(total - first, 3) or (
                    first == 0
                    and total * line_h + 2 * pad_y > bottom - y
                    and total * line_h < bottom - pdf.t_margin - 20
                ):
                    pdf.add_page()
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

    def simple_table(self, table: Table, widths: list[float]) -> None:
        self.table(
            table.headers,
            (
                (r, table.flagged[i] if i < len(table.flagged) else False)
                for i, r in enumerate(table.rows)
            ),
            widths,
            numeric=table.numeric,
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

        def X(i: int) -> float:  # noqa: N802
            return px + (pw / 2 if n <= 1 else pw * i / (n - 1))

        def Y(v: float) -> float:  # noqa: N802
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


def _widths(total: float, parts: Sequence[float]) -> list[float]:
    s = sum(parts)
    return [total * p / s for p in parts]


# day, 3 x (urge, acted), emotions, skills used, sleep (as in the HTML report)
DIARY_WIDTHS = (11, 10, 7, 10, 7, 10, 7, 14.5, 16.5, 7)


def _diary(doc: _Doc, card: DiaryCard) -> None:
    """The diary card: one small table per week (kept on one page), newest week first."""
    pdf = doc.pdf
    doc.heading("Diary card", 3)
    widths = _widths(pdf.epw, DIARY_WIDTHS)
    size, line_h, pad = 7.5, 7.5 * 0.42, 1.4  # as drawn by _Doc.table
    cache: dict[str, float] = {}

    def height(cells: list[str]) -> float:
        lines = max(
            len(doc.wrap(doc.text(c), w - 2.4, cache)) for c, w in zip(cells, widths, strict=True)
        )
        return lines * line_h + pad

    doc.font(size, bold=True)
    head = 4.5 + height(DIARY_HEADERS)
    doc.font(size)
    for week in card.weeks:
        # a week is kept on one page (it is at most 8 short rows)
        need = head + sum(height(row) for row in week.rows) + 1
        if pdf.get_y() + need > pdf.h - pdf.b_margin:
            pdf.add_page()
        doc.font(8.5, bold=True)
        pdf.cell(0, 4.5, doc.text(week.title), new_x="LMARGIN", new_y="NEXT")
        doc.table(
            DIARY_HEADERS,
            ((row, False) for row in week.rows),
            widths,
            numeric=set(DIARY_NUMERIC),
            size=7.5,
            bold_yes=DIARY_ACTED,
        )
        pdf.ln(1)
    for note in card.notes:
        doc.para(note, size=7.5)
    if card.self_harm:
        doc.para(CRISIS_HELP.replace("`", ""), size=8, color=(153, 27, 27))


def render_pdf(
    report: Report,
    store: Store,
    sel: records.Selection,
    *,
    paper: str = "a4",
    tick: Callable[[int], None] | None = None,
) -> bytes:
    doc = _Doc(paper, report)
    pdf = doc.pdf
    s = report.summary
    pdf.add_page()
    doc.font(15, bold=True)
    pdf.cell(0, 7, doc.text(TITLE), new_x="LMARGIN", new_y="NEXT")
    doc.font(10.5, bold=True)
    pdf.cell(0, 5, doc.text(DISCLAIMER), new_x="LMARGIN", new_y="NEXT")
    doc.font(9.5, bold=True)
    pdf.cell(0, 5, doc.text(report.range_text), new_x="LMARGIN", new_y="NEXT")
    doc.para(
        f"{report.generated_text[0].upper()}{report.generated_text[1:]} from this person's own "
        "log, on their own computer.",
        size=8,
    )
    pdf.set_draw_color(*BLUE)
    pdf.set_line_width(0.5)
    pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.w - pdf.r_margin, pdf.get_y() + 1)
    pdf.set_line_width(0.2)
    pdf.ln(2)

    doc.heading("Summary")
    col_w = (pdf.epw - 4) / 2
    for k, (name, value) in enumerate(report.facts):
        col = k % 2
        if col == 0:
            row_y = pdf.get_y()
        x = pdf.l_margin + col * (col_w + 4)
        pdf.set_xy(x, row_y)
        doc.font(8.5, bold=True)
        pdf.cell(42, 4, doc.text(name))
        doc.font(8.5)
        pdf.set_xy(x + 42, row_y)
        pdf.multi_cell(col_w - 42, 4, doc.text(value), align="L", new_x="LMARGIN", new_y="NEXT")
        if col == 0:
            next_y = pdf.get_y()
        else:
            pdf.set_y(max(next_y, pdf.get_y()))
    if len(report.facts) % 2 == 1:
        pdf.set_y(next_y)
    for note in report.sample_notes:
        doc.para(note, size=8)
    if report.charts:
        pdf.ln(2)
        y = pdf.get_y()
        doc.chart(report.charts[0], pdf.l_margin, y + 1, pdf.epw, 40)
        y += 43
        rest = report.charts[1:]
        half = (pdf.epw - 5) / 2
        for k, chart in enumerate(rest):
            col = k % 2
            doc.chart(chart, pdf.l_margin + col * (half + 5), y + 1, half, 31)
            if col == 1 or k == len(rest) - 1:
                y += 34
        pdf.set_xy(pdf.l_margin, y)
    doc.heading("Questionnaires", 3)
    if report.measures:
        doc.simple_table(report.measures, _widths(pdf.epw, [13, 11, 29, 29, 11, 27]))
    else:
        doc.para("No questionnaires in this period.")
    if report.show_crisis_help:
        doc.para(CRISIS_HELP.replace("`", ""), size=8.5, color=(153, 27, 27))
    doc.heading("Coping skills", 3)
    if report.skills:
        doc.simple_table(report.skills, _widths(pdf.epw, [24, 30, 8, 22, 18]))
    else:
        doc.para("No coping skills used in this period.")
    if report.plan is not None:
        doc.heading("Safety plan", 3)
        if report.plan_note:
            doc.para(report.plan_note, size=7.5)
        if not any(items for _t, items in report.plan):
            doc.para("The safety plan is empty.", color=(17, 24, 39))
        steps = [(t, items) for t, items in report.plan if items]
        col_w = (pdf.epw - 5) / 2
        sep = " \u00b7 " if doc.unicode else " / "
        for k in range(0, len(steps), 2):
            row_y = pdf.get_y()
            bottom = row_y
            for col, (title, items) in enumerate(steps[k : k + 2]):
                pdf.set_xy(pdf.l_margin + col * (col_w + 5), row_y)
                doc.font(8.2, bold=True)
                pdf.multi_cell(col_w, 3.8, doc.text(title), align="L", new_x="LEFT", new_y="NEXT")
                doc.font(8.2)
                pdf.multi_cell(
                    col_w, 3.8, doc.text(sep.join(items)), align="L", new_x="LEFT", new_y="NEXT"
                )
                bottom = max(bottom, pdf.get_y())
            pdf.set_xy(pdf.l_margin, bottom + 0.8)

    # -- details ------------------------------------------------------------------------
    pdf.add_page()
    doc.heading("Details")
    if s.measures:
        doc.heading("Questionnaire results", 3)
        if report.measure_charts:
            half = (pdf.epw - 5) / 2
            y = pdf.get_y()
            for k, chart in enumerate(report.measure_charts):
                if y + 34 > pdf.h - pdf.b_margin:
                    pdf.add_page()
                    y = pdf.get_y()
                doc.chart(chart, pdf.l_margin + (k % 2) * (half + 5), y + 1, half, 31)
                if k % 2 == 1 or k == len(report.measure_charts) - 1:
                    y += 34
            pdf.set_xy(pdf.l_margin, y)
        doc.table(
            MEASURE_HEADERS,
            measure_rows(s.measures),
            _widths(pdf.epw, [14, 12, 9, 22, 16]),
            numeric={2},
        )
    if report.influence:
        doc.heading("Patterns: mood on days with and without", 3)
        doc.simple_table(
            report.influence,
            [pdf.epw / len(report.influence.headers)] * len(report.influence.headers),
        )
    if report.tags:
        doc.heading("Most logged tags and emotions", 3)
        doc.simple_table(report.tags, _widths(pdf.epw, [50, 20, 15]))
    if report.trackers:
        doc.heading("Trackers", 3)
        doc.simple_table(report.trackers, _widths(pdf.epw, [28, 8, 9, 55]))
    if report.diary is not None:
        _diary(doc, report.diary)
    if s.overview.sessions:
        doc.heading("Coping sessions", 3)
        doc.table(
            SESSION_HEADERS,
            ((session_cells(r), False) for r in records.iter_sessions(store, sel)),
            _widths(pdf.epw, [18, 30, 22, 8, 8, 12]),
            numeric={3, 4},
        )
    doc.heading("Check-ins", 3)
    if not report.notes_included:
        doc.para("Notes were left out of this report.", size=8)
    if s.overview.checkins:

        def checkin_rows() -> Iterator[tuple[list[str], bool]]:
            for i, rec in enumerate(records.iter_checkins(store, sel), start=1):
                if tick and i % 250 == 0:
                    tick(250)
                yield checkin_cells(rec, notes=report.notes_included), False

        widths = [14, 7, 7, 8, 8, 7, 22, 20]
        if report.notes_included:
            widths += [36]
        doc.table(
            checkin_headers(notes=report.notes_included),
            checkin_rows(),
            _widths(pdf.epw, widths),
            numeric={2, 3, 4, 5},
            size=7.5,
        )
    else:
        doc.para("No check-ins in this period.", size=8)
    if sel.crisis and s.crisis and s.crisis.openings:
        doc.heading("Crisis-screen openings", 3)
        doc.table(
            ["When", "From"],
            (
                (
                    [
                        f"{r['opened_at'][:10]} {r['opened_at'][11:16]}",
                        CRISIS_SOURCES.get(r["source"], r["source"]),
                    ],
                    False,
                )
                for r in records.iter_crisis(store, sel)
            ),
            _widths(pdf.epw, [1, 1]),
        )
    doc.heading("About this report", 3)
    doc.para(SCALES_NOTE, size=8)
    doc.para(
        "selfback keeps everything on the person's own computer; this file was made there. "
        + DISCLAIMER,
        size=8,
    )
    return bytes(pdf.output())


def write_pdf(
    path: Path,
    report: Report,
    store: Store,
    sel: records.Selection,
    *,
    paper: str = "a4",
    tick: Callable[[int], None] | None = None,
) -> None:
    data = render_pdf(report, store, sel, paper=paper, tick=tick)
    write_bytes(path, data)


def paper_for_country(country: str | None) -> str:
    return "letter" if (country or "").upper() in LETTER_COUNTRIES else "a4"


__all__ = ["find_font", "paper_for_country", "render_pdf", "write_pdf"]
