"""The therapist report as a PDF, drawn directly with fpdf2 (pure Python).

No browser, no external program: text, tables and charts (vector lines) are drawn by
fpdf2. The layout follows the HTML report: the summary on page 1, details from page 2.

Text. The body font is DejaVu Sans, shipped with selfback (``selfback.export.fonts``), so
what the HTML report shows prints here too: accents, Greek, Cyrillic, and Arabic and
Hebrew shaped right to left by fpdf2's text shaping (HarfBuzz, through uharfbuzz).
Characters DejaVu lacks (Chinese, Japanese, Korean, colour emoji...) come from fonts
installed on the computer. A character no font can draw is shown as ``[?]`` and the
report and the terminal both say so, once; nothing is dropped silently. fpdf2's own log
lines are kept off the terminal.

Speed. Text that needs none of that (most of a report) is drawn with fpdf2's quick
``text()`` and selfback's own word wrap; only strings that need shaping or a fallback
font go through fpdf2's slower text engine.

Layout. Every break is decided here (fpdf2's automatic page break is off): a heading is
never left alone at the bottom of a page (it moves with the first thing under it), a
table row, a safety-plan step and a diary-card week are never split, table headers repeat
on every page, and column widths leave room for the longest header word, date and time,
so none is ever broken inside ("Moo d", "19:3 6").

Paper: A4, or US Letter when asked for (the CLI picks Letter for the US, Canada and a few
other countries that use it).
"""

from __future__ import annotations

import itertools
import logging
import re
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from selfback.errors import SelfbackError
from selfback.export import data as records
from selfback.export.fonts import FallbackFinder, bundled_font, system_body_font
from selfback.export.output import write_bytes
from selfback.export.report import (
    CRISIS_HELP,
    DIARY_ACTED,
    DIARY_HEADERS,
    DIARY_NUMERIC,
    DISCLAIMER,
    MEASURE_HEADERS,
    SCALES_NOTE,
    SESSION_HEADERS,
    TIME_NOTE,
    TITLE,
    ChartSpec,
    DiaryCard,
    Report,
    Table,
    checkin_cells,
    checkin_headers,
    crisis_cells,
    measure_rows,
    session_cells,
    short_date,
)
from selfback.store.db import Store

LETTER_COUNTRIES = frozenset({"US", "CA", "MX", "PH", "CL", "CO", "VE", "GT", "CR", "PR"})

MARKER = "[?]"
MISSING_NOTICE = (
    "Some characters could not be drawn with the fonts on this computer and show as "
    f"{MARKER}. The HTML report shows every character."
)
TERMINAL_NOTICE = (
    "Some characters could not be drawn in the PDF with the fonts on this computer, so "
    f"they show there as {MARKER}. The HTML report (--format html) shows them all; a font "
    "for that script, such as Noto, lets the PDF show them too."
)

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
        "\u00b7": "/",
    }
)
# Bidirectional classes that need the bidi algorithm and shaping (right-to-left text).
_BIDI = frozenset({"R", "AL", "AN", "RLE", "RLO", "RLI", "FSI", "LRE", "LRO", "LRI", "PDF", "PDI"})
# A date the wrap keeps on one line ("3 Nov", "(21 Nov 2026)"); other words split at spaces.
_UNIT = re.compile(
    r"\(?\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)(?: \d{4})?\)?[,.;:]?"
    r"|[^ ]+"
)
DATE_SAMPLES = ("0000-00-00",)
TIME_SAMPLES = ("00:00", "+00:00")
SHORT_DATE_SAMPLES = ("(30 May)", "(30 Nov)", "(30 Aug)")

GREY = (75, 85, 99)
INK = (17, 24, 39)
BLUE = (31, 78, 121)
RED = (153, 27, 27)
LINE_COLOURS = ((31, 78, 121), (180, 83, 9), (77, 124, 15), (126, 34, 206))
FLAG_FILL = (253, 226, 226)
HEAD_FILL = (238, 242, 247)
HEADING_SIZE = {1: 15.0, 2: 12.0, 3: 10.5}


def find_font() -> tuple[str, str | None] | None:
    """(regular, bold or None) TrueType files with wide Unicode coverage: the DejaVu Sans
    shipped with selfback, else one of the computer's, else None (Helvetica)."""
    return bundled_font() or system_body_font()


def _ignorable(ch: str) -> bool:
    """Invisible format characters (joiners, variation selectors, direction marks): left
    out when no font has them, as they carry no text of their own."""
    cp = ord(ch)
    return unicodedata.category(ch) == "Cf" or 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF


@contextmanager
def quiet() -> Iterator[None]:
    """fpdf2 and fontTools log and warn on stderr; keep that off the person's terminal
    (what matters is reported by selfback, once, in plain words)."""
    loggers = [logging.getLogger(name) for name in ("fpdf", "fontTools")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL + 10)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


class _Doc:
    """fpdf2 with the report's fonts, header, footer, text engine and layout helpers."""

    def __init__(
        self,
        paper: str,
        report: Report,
        *,
        finder: FallbackFinder | None = None,
        undrawable: frozenset[str] = frozenset(),
        notice: bool = False,
    ) -> None:
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
        self.pdf.set_auto_page_break(False, margin=14)  # every break is decided here
        self.pdf.alias_nb_pages()
        self.pdf.set_title(f"{TITLE}: {report.range_text}")
        self.pdf.set_creator(f"selfback {report.selfback_version}")
        self.pdf.set_subject(DISCLAIMER)
        self.bottom = self.pdf.h - 14
        self.notice = notice
        self.missing: set[str] = set()
        self.pending: list[tuple[str, int]] = []  # headings waiting for what follows them
        self.unicode = False
        self.family = "helvetica"
        self.has_bold = True
        self._finder = finder
        self._fallbacks: list[str] = []
        self._cover: set[int] = set()  # code points some loaded font can draw
        self._both: frozenset[int] = frozenset()  # ... that regular and bold both have
        self._drawable: dict[str, bool] = dict.fromkeys(undrawable, False)
        self._simple: dict[str, bool] = {}
        self._shaping: dict[str, Any] | None = None
        self._bold = False
        self._size = 9.0
        self._widths: dict[tuple[bool, float, str], float] = {}
        found = find_font()
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
        if self.unicode:
            fonts: dict[str, Any] = self.pdf.fonts
            regular = set(fonts["body"].cmap)
            bold = set(fonts["bodyB"].cmap) if self.has_bold else regular
            self._cover = regular | bold
            self._both = frozenset(regular & bold)
            self._fallbacks = ["body"]  # a glyph only the other weight has
            try:
                self.pdf.set_text_shaping(True)
                self._shaping = self.pdf.text_shaping
            except Exception:  # uharfbuzz missing: right-to-left text is not shaped
                self._shaping = None
            self.pdf.text_shaping = None
            for path, index, cmap in finder.found if finder else ():
                self._add_fallback(path, index, cmap)  # found for an earlier rendering

    # -- characters ---------------------------------------------------------------------

    def _can_draw(self, ch: str) -> bool:
        known = self._drawable.get(ch)
        if known is not None:
            return known
        cp = ord(ch)
        ok = cp in self._cover or ch.isspace()
        while not ok and self._finder is not None:
            found = self._finder.find(ch)
            if found is None:
                break
            self._add_fallback(*found)
            ok = cp in self._cover
        self._drawable[ch] = ok
        return ok

    def _add_fallback(self, path: str, index: int, cmap: frozenset[int]) -> None:
        name = f"fallback{len(self._fallbacks)}"
        try:
            with quiet():
                self.pdf.add_font(name, "", path, collection_font_number=index)
        except Exception:  # a font fpdf2 cannot read: its characters stay missing
            return
        self._fallbacks.append(name)
        self._cover |= cmap

    def text(self, value: object) -> str:
        """Text as the PDF can draw it: every character no font has becomes one
        ``[?]`` per run (and is remembered for the notice); nothing else changes."""
        s = "" if value is None else str(value)
        if s.isascii():
            return s
        out: list[str] = []
        gap = False
        if not self.unicode:
            for ch in s.translate(_ASCII):
                if ord(ch) < 256:
                    out.append(ch)
                    gap = False
                elif _ignorable(ch):
                    continue
                else:
                    self.missing.add(ch)
                    if not gap:
                        out.append(MARKER)
                    gap = True
            return "".join(out)
        for ch in s:
            if self._can_draw(ch):
                out.append(ch)
                gap = False
            elif _ignorable(ch):
                continue
            else:
                self.missing.add(ch)
                if not gap:
                    out.append(MARKER)
                gap = True
        return "".join(out)

    def plain(self, s: str) -> bool:
        """True when ``s`` needs no shaping and no fallback font (fpdf2's quick path)."""
        if s.isascii() or not self.unicode:
            return True
        simple = self._simple
        for ch in s:
            ok = simple.get(ch)
            if ok is None:
                ok = simple[ch] = (
                    ord(ch) in self._both
                    and unicodedata.bidirectional(ch) not in _BIDI
                    and not unicodedata.combining(ch)
                    and unicodedata.category(ch) not in ("Mn", "Mc", "Me")
                )
            if not ok:
                return False
        return True

    @contextmanager
    def rich(self) -> Iterator[None]:
        """fpdf2's full text engine (shaping, bidi, fallback fonts) for one string."""
        pdf = self.pdf
        pdf.text_shaping = self._shaping
        pdf.set_fallback_fonts(self._fallbacks, exact_match=False)
        try:
            yield
        finally:
            pdf.text_shaping = None
            pdf.set_fallback_fonts([])

    def font(self, size: float, *, bold: bool = False, color: tuple[int, int, int] = INK) -> None:
        self._bold = bold and self.has_bold
        self._size = size
        self.pdf.set_font(self.family, "B" if self._bold else "", size)
        self.pdf.set_text_color(*color)

    def width(self, s: str) -> float:
        key = (self._bold, self._size, s)
        w = self._widths.get(key)
        if w is None:
            if self.plain(s):
                w = self.pdf.get_string_width(s)
            else:
                with self.rich():
                    w = self.pdf.get_string_width(s)
            self._widths[key] = w
        return w

    def put(self, x: float, baseline: float, s: str) -> None:
        """Draw one line of (already wrapped, already ``text()``-ed) text."""
        pdf = self.pdf
        if self.plain(s):
            pdf.text(x, baseline, s)
            return
        w = self.width(s)
        margin = pdf.c_margin
        pdf.c_margin = 0
        try:
            with self.rich(), quiet():
                size = pdf.font_size
                pdf.set_xy(x, baseline - 0.8 * size)  # cell() puts its baseline at 0.8 size
                pdf.cell(w + 0.01, size, s)
        finally:
            pdf.c_margin = margin

    # -- layout -------------------------------------------------------------------------

    def wrap(self, text: str, width: float) -> list[str]:
        """Greedy word wrap at spaces (dates stay whole), with cached word widths; a
        word wider than the column is cut only when nothing else fits (free text only:
        column widths leave room for every header word, date and time)."""
        out: list[str] = []
        space = self.width(" ")
        for para in text.replace("\t", " ").split("\n"):
            line, line_w = "", 0.0
            for word in _UNIT.findall(para):
                ww = self.width(word)
                if ww > width:
                    if line:
                        out.append(line)
                        line, line_w = "", 0.0
                    piece = ""
                    for ch in word:
                        if piece and self.width(piece + ch) > width:
                            out.append(piece)
                            piece = ""
                        piece += ch
                    line, line_w = piece, self.width(piece)
                    continue
                if line and line_w + space + ww > width:
                    out.append(line)
                    line, line_w = word, ww
                else:
                    line_w = line_w + space + ww if line else ww
                    line = f"{line} {word}" if line else word
            out.append(line)
        return out or [""]

    def new_page(self) -> None:
        self.pdf.add_page()
        self.pdf.set_font(self.family, "B" if self._bold else "", self._size)

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
            max((self.width(self.text(word)) for word in _UNIT.findall(h)), default=0.0) + pad
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
DIARY_KEEP = {0: ("Wed", "30 May", "30 Nov", "30 Aug")}


def _diary(doc: _Doc, card: DiaryCard) -> None:
    """The diary card: one small table per week (kept on one page), newest week first."""
    pdf = doc.pdf
    doc.heading("Diary card", 3)
    size, pad = 7.5, 1.4  # as drawn by _Doc.table
    widths = _widths(pdf.epw, DIARY_WIDTHS)
    fitted = doc.fit_widths(DIARY_HEADERS, widths, size, DIARY_KEEP, 2.6)
    widths = fitted or widths
    line_h = size * 0.42

    def height(cells: list[str]) -> float:
        lines = max(len(doc.wrap(doc.text(c), w - 2.4)) for c, w in zip(cells, widths, strict=True))
        return lines * line_h + pad

    doc.font(size, bold=True)
    head = 4.5 + height(DIARY_HEADERS)
    doc.font(size)
    for week in card.weeks:
        # a week is kept on one page (it is at most 8 short rows), with the heading above
        need = head + sum(height(row) for row in week.rows) + 1
        doc.block(need)
        doc.font(8.5, bold=True)
        doc.put(pdf.l_margin, pdf.y + 3.3, doc.text(week.title))
        pdf.set_y(pdf.y + 4.5)
        doc.table(
            DIARY_HEADERS,
            ((row, False) for row in week.rows),
            widths,
            numeric=set(DIARY_NUMERIC),
            size=size,
            bold_yes=DIARY_ACTED,
            keep=DIARY_KEEP,
        )
        pdf.ln(1)
    for note in card.notes:
        doc.para(note, size=7.5)
    if card.self_harm:
        doc.para(CRISIS_HELP.replace("`", ""), size=8, color=RED)


def _facts(doc: _Doc, facts: list[tuple[str, str]]) -> None:
    """The summary's facts, two to a row: a bold name and its value, wrapped."""
    pdf = doc.pdf
    col_w = (pdf.epw - 4) / 2
    name_w, line_h = 42.0, 4.0
    for k in range(0, len(facts), 2):
        cols = []
        for name, value in facts[k : k + 2]:
            doc.font(8.5, bold=True)
            names = doc.wrap(doc.text(name), name_w - 1)
            doc.font(8.5)
            values = doc.wrap(doc.text(value), col_w - name_w)
            cols.append((names, values))
        row_h = max(max(len(a), len(b)) for a, b in cols) * line_h
        doc.block(row_h)
        y = pdf.y
        for col, (names, values) in enumerate(cols):
            x = pdf.l_margin + col * (col_w + 4)
            doc.font(8.5, bold=True)
            for j, line in enumerate(names):
                doc.put(x, y + (j + 0.78) * line_h, line)
            doc.font(8.5)
            for j, line in enumerate(values):
                doc.put(x + name_w, y + (j + 0.78) * line_h, line)
        pdf.set_y(y + row_h)


def _plan(doc: _Doc, report: Report) -> None:
    """The safety plan, two steps to a row; a row (and so a step) is never split over two
    pages. A step taller than a whole page (a very long plan) gets the full width."""
    pdf = doc.pdf
    assert report.plan is not None
    doc.heading("Safety plan", 3)
    if report.plan_note:
        doc.para(report.plan_note, size=7.5)
    if not any(items for _t, items in report.plan):
        doc.para("The safety plan is empty.", color=INK)
        return
    steps = [(t, items) for t, items in report.plan if items]
    sep = " \u00b7 " if doc.unicode else " / "
    size, line_h, gap = 8.2, 3.8, 5.0
    page_room = doc.bottom - pdf.t_margin

    def lay(title: str, items: list[str], width: float) -> tuple[list[str], list[str]]:
        doc.font(size, bold=True)
        head = doc.wrap(doc.text(title), width)
        doc.font(size)
        body = doc.wrap(doc.text(sep.join(items)), width)
        return head, body

    def draw(x: float, y: float, head: list[str], body: list[str]) -> None:
        doc.font(size, bold=True)
        for j, line in enumerate(head):
            doc.put(x, y + (j + 0.78) * line_h, line)
        doc.font(size)
        for j, line in enumerate(body):
            doc.put(x, y + (len(head) + j + 0.78) * line_h, line)

    half = (pdf.epw - gap) / 2
    k = 0
    while k < len(steps):
        pair = [lay(t, items, half) for t, items in steps[k : k + 2]]
        row_h = max(len(h) + len(b) for h, b in pair) * line_h
        if row_h > page_room:  # too tall even for a page of its own: one step, full width
            head, body = lay(*steps[k], pdf.epw)
            lines = [(line, True) for line in head] + [(line, False) for line in body]
            doc.block(min(len(lines), 3) * line_h)
            for line, bold in lines:
                if pdf.y + line_h > doc.bottom:
                    doc.new_page()
                doc.font(size, bold=bold)
                doc.put(pdf.l_margin, pdf.y + 0.78 * line_h, line)
                pdf.set_y(pdf.y + line_h)
            pdf.set_y(pdf.y + 0.8)
            k += 1
            continue
        doc.block(row_h)
        y = pdf.y
        for col, (head, body) in enumerate(pair):
            draw(pdf.l_margin + col * (half + gap), y, head, body)
        pdf.set_y(y + row_h + 0.8)
        k += 2


def render_pdf(
    report: Report,
    store: Store,
    sel: records.Selection,
    *,
    paper: str = "a4",
    tick: Callable[[int], None] | None = None,
    finder: FallbackFinder | None = None,
    undrawable: frozenset[str] = frozenset(),
    notice: bool = False,
) -> tuple[bytes, set[str]]:
    """The PDF, and the characters no font could draw (shown as ``[?]``)."""
    doc = _Doc(paper, report, finder=finder, undrawable=undrawable, notice=notice)
    pdf = doc.pdf
    s = report.summary
    offset = report.utc_offset
    doc.new_page()
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
    if notice:
        doc.para(MISSING_NOTICE, size=8, color=RED)
    pdf.set_draw_color(*BLUE)
    pdf.set_line_width(0.5)
    pdf.line(pdf.l_margin, pdf.y + 1, pdf.w - pdf.r_margin, pdf.y + 1)
    pdf.set_line_width(0.2)
    pdf.ln(2)

    doc.heading("Summary")
    _facts(doc, report.facts)
    for note in report.sample_notes:
        doc.para(note, size=8)
    if report.charts:
        pdf.ln(2)
        doc.block(43)
        y = pdf.y
        doc.chart(report.charts[0], pdf.l_margin, y + 1, pdf.epw, 40)
        y += 43
        rest = report.charts[1:]
        half = (pdf.epw - 5) / 2
        for k, chart in enumerate(rest):
            col = k % 2
            if col == 0:
                pdf.set_y(y)
                doc.block(34)
                y = pdf.y
            doc.chart(chart, pdf.l_margin + col * (half + 5), y + 1, half, 31)
            if col == 1 or k == len(rest) - 1:
                y += 34
        pdf.set_xy(pdf.l_margin, y)
    doc.heading("Questionnaires", 3)
    if report.measures:
        doc.simple_table(
            report.measures,
            _widths(pdf.epw, [13, 11, 29, 29, 11, 27]),
            keep={2: SHORT_DATE_SAMPLES, 3: SHORT_DATE_SAMPLES},
        )
    else:
        doc.para("No questionnaires in this period.")
    if report.show_crisis_help:
        doc.para(CRISIS_HELP.replace("`", ""), size=8.5, color=RED)
    doc.heading("Coping skills", 3)
    if report.skills:
        doc.simple_table(report.skills, _widths(pdf.epw, [24, 30, 8, 22, 18]))
    else:
        doc.para("No coping skills used in this period.")
    if report.plan is not None:
        _plan(doc, report)

    # -- details ------------------------------------------------------------------------
    doc.flush()
    doc.new_page()
    doc.heading("Details")
    if report.all_measures:
        doc.heading("Questionnaire results", 3)
        if report.measure_charts:
            half = (pdf.epw - 5) / 2
            for k, chart in enumerate(report.measure_charts):
                if k % 2 == 0:
                    doc.block(34)
                    y = pdf.y
                doc.chart(chart, pdf.l_margin + (k % 2) * (half + 5), y + 1, half, 31)
                if k % 2 == 1 or k == len(report.measure_charts) - 1:
                    pdf.set_y(y + 34)
        doc.table(
            MEASURE_HEADERS,
            measure_rows(report.all_measures),
            _widths(pdf.epw, [14, 12, 9, 22, 16]),
            numeric={2},
            keep={0: DATE_SAMPLES},
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
            ((session_cells(r, offset=offset), False) for r in records.iter_sessions(store, sel)),
            _widths(pdf.epw, [18, 30, 22, 8, 8, 12]),
            numeric={3, 4},
            keep={0: DATE_SAMPLES + TIME_SAMPLES},
        )
    doc.heading("Check-ins", 3)
    if not report.notes_included:
        doc.para("Notes were left out of this report.", size=8)
    if s.overview.checkins:

        def checkin_rows() -> Iterator[tuple[list[str], bool]]:
            for i, rec in enumerate(records.iter_checkins(store, sel), start=1):
                if tick and i % 250 == 0:
                    tick(250)
                yield checkin_cells(rec, notes=report.notes_included, offset=offset), False

        widths = [14, 7, 7, 8, 8, 7, 22, 20]
        if report.notes_included:
            widths += [36]
        doc.table(
            checkin_headers(notes=report.notes_included),
            checkin_rows(),
            _widths(pdf.epw, widths),
            numeric={2, 3, 4, 5},
            size=7.5,
            keep={0: DATE_SAMPLES, 1: TIME_SAMPLES},
        )
    else:
        doc.para("No check-ins in this period.", size=8)
    if sel.crisis and s.crisis and s.crisis.openings:
        doc.heading("Crisis-screen openings", 3)
        doc.table(
            ["When", "From"],
            ((crisis_cells(r, offset=offset), False) for r in records.iter_crisis(store, sel)),
            _widths(pdf.epw, [1, 1]),
            keep={0: DATE_SAMPLES + TIME_SAMPLES},
        )
    doc.heading("About this report", 3)
    doc.para(SCALES_NOTE, size=8)
    if offset:
        doc.para(TIME_NOTE.format(offset=offset), size=8)
    doc.para(
        "selfback keeps everything on the person's own computer; this file was made there. "
        + DISCLAIMER,
        size=8,
    )
    if notice or doc.missing:
        doc.para(MISSING_NOTICE, size=8, color=RED)
    with quiet():
        data = bytes(pdf.output())
    missing = set(doc.missing)
    for font in pdf.fonts.values():  # a glyph fpdf2 found missing that slipped past text()
        missing |= {chr(cp) for cp in getattr(font, "missing_glyphs", ()) or ()}
    return data, missing


def write_pdf(
    path: Path,
    report: Report,
    store: Store,
    sel: records.Selection,
    *,
    paper: str = "a4",
    tick: Callable[[int], None] | None = None,
) -> list[str]:
    """Write the PDF; returns the notices for the person (characters it cannot show).

    When some characters cannot be drawn, the report is made a second time so that its
    first page says so too (rare: it costs a second rendering only then)."""
    finder = FallbackFinder()
    with quiet():
        data, missing = render_pdf(report, store, sel, paper=paper, tick=tick, finder=finder)
        if missing:
            data, again = render_pdf(
                report,
                store,
                sel,
                paper=paper,
                finder=finder,
                undrawable=frozenset(missing),
                notice=True,
            )
            missing |= again
    write_bytes(path, data)
    return [TERMINAL_NOTICE] if missing else []


def paper_for_country(country: str | None) -> str:
    return "letter" if (country or "").upper() in LETTER_COUNTRIES else "a4"


__all__ = ["MARKER", "find_font", "paper_for_country", "render_pdf", "write_pdf"]
