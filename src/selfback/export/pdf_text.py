"""The PDF's text engine: fonts, characters no font can draw, shaping and word wrap.

Text that needs no shaping and no fallback font (most of a report) is drawn with
fpdf2's quick ``text()`` and selfback's own word wrap; only strings that need shaping or
a fallback font go through fpdf2's slower text engine. A character no font can draw is
shown as ``MARKER`` and remembered, so the report and the terminal can say so once.
"""

from __future__ import annotations

import logging
import re
import unicodedata
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from selfback.crashlog import log
from selfback.errors import SelfbackError
from selfback.export.fonts import FallbackFinder
from selfback.export.report import DISCLAIMER, TITLE, Report

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
UNIT = re.compile(
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


class TextDoc:
    """fpdf2 with the report's fonts, header and footer, and its text engine (which
    characters can be drawn, quick and shaped text, widths, word wrap)."""

    def __init__(
        self,
        paper: str,
        report: Report,
        *,
        body_font: tuple[str, str | None] | None,
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
            def footer(self) -> None:  # fpdf2 calls it on every page
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
        found = body_font  # (regular, bold or None), or None for Helvetica
        if found:
            try:
                self.pdf.add_font("body", "", found[0])
                if found[1]:
                    self.pdf.add_font("body", "B", found[1])
                self.has_bold = bool(found[1])
                self.family = "body"
                self.unicode = True
            except Exception:  # the report falls back to Helvetica
                log.exception("loading the PDF body font")
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
            except Exception:  # uharfbuzz missing: right-to-left text unshaped
                log.exception("turning on PDF text shaping")
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
        except Exception:  # a font fpdf2 cannot read: its glyphs stay missing
            log.exception("loading a fallback font for the PDF")
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
            for word in UNIT.findall(para):
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
