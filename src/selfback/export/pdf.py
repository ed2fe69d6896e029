"""The therapist report as a PDF, drawn directly with fpdf2 (pure Python).

No browser, no external program: text, tables and charts (vector lines) are drawn by
fpdf2. The layout follows the HTML report: the summary on page 1, details from page 2.

Text. The body font is DejaVu Sans, shipped with selfback (``selfback.export.fonts``), so
what the HTML report shows prints here too: accents, Greek, Cyrillic, and Arabic and
Hebrew shaped right to left by fpdf2's text shaping (HarfBuzz, through uharfbuzz).
Characters DejaVu lacks (Chinese, Japanese, Korean, colour emoji...) come from fonts
installed on the computer. A character no font can draw is shown as ``[?]`` and the
report and the terminal both say so, once; nothing is dropped silently. fpdf2's own log
lines are kept off the terminal. The text engine is ``selfback.export.pdf_text``.

Layout (``selfback.export.pdf_layout``). Every break is decided there: a heading is never
left alone at the bottom of a page, a table row, a safety-plan step and a diary-card week
are never split, table headers repeat on every page, and column widths leave room for
the longest header word, date and time, so none is ever broken inside.

Paper: A4, or US Letter when asked for (the CLI picks Letter for the US, Canada and a few
other countries that use it).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import selfback.export.data as records
from selfback.export import report_marked
from selfback.export.fonts import FallbackFinder, bundled_font, system_body_font
from selfback.export.hope import HopeSection, section_blocks
from selfback.export.output import write_bytes
from selfback.export.pdf_layout import LayoutDoc
from selfback.export.pdf_text import (
    BLUE,
    DATE_SAMPLES,
    INK,
    LETTER_COUNTRIES,
    MARKER,
    MISSING_NOTICE,
    RED,
    SHORT_DATE_SAMPLES,
    TERMINAL_NOTICE,
    TIME_SAMPLES,
    quiet,
)
from selfback.export.report import (
    CRISIS_HEADERS,
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
    DiaryCard,
    Report,
    checkin_cells,
    checkin_headers,
    crisis_cells,
    measure_rows,
    session_cells,
)
from selfback.export.request import ExportData, ExportRequest, WriteResult


def find_font() -> tuple[str, str | None] | None:
    """(regular, bold or None) TrueType files with wide Unicode coverage: the DejaVu Sans
    shipped with selfback, else one of the computer's, else None (Helvetica)."""
    return bundled_font() or system_body_font()


def _widths(total: float, parts: Sequence[float]) -> list[float]:
    s = sum(parts)
    return [total * p / s for p in parts]


# day, 3 x (urge, acted), emotions, skills used, sleep (as in the HTML report)
DIARY_WIDTHS = (11, 10, 7, 10, 7, 10, 7, 14.5, 16.5, 7)
DIARY_KEEP = {0: ("Wed", "30 May", "30 Nov", "30 Aug")}


def _diary(doc: LayoutDoc, card: DiaryCard) -> None:
    """The diary card: one small table per week (kept on one page), newest week first."""
    pdf = doc.pdf
    doc.heading("Diary card", 3)
    size, pad = 7.5, 1.4  # as drawn by LayoutDoc.table
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


def _facts(doc: LayoutDoc, facts: list[tuple[str, str]]) -> None:
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


def _plan(doc: LayoutDoc, report: Report) -> None:
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
    data: ExportData,
    *,
    paper: str = "a4",
    finder: FallbackFinder | None = None,
    undrawable: frozenset[str] = frozenset(),
    notice: bool = False,
) -> tuple[bytes, set[str]]:
    """The PDF, and the characters no font could draw (shown as ``[?]``)."""
    doc = LayoutDoc(
        paper,
        report,
        body_font=find_font(),
        finder=finder,
        undrawable=undrawable,
        notice=notice,
    )
    _first_page(doc, report, notice=notice)
    _summary(doc, report)
    doc.flush()
    doc.new_page()
    doc.heading("Details")
    _results(doc, report)
    _detail_tables(doc, report, data)
    _about(doc, report, notice=notice)
    pdf = doc.pdf
    with quiet():
        out = bytes(pdf.output())
    missing = set(doc.missing)
    for font in pdf.fonts.values():  # a glyph fpdf2 found missing that slipped past text()
        missing |= {chr(cp) for cp in getattr(font, "missing_glyphs", ()) or ()}
    return out, missing


def _first_page(doc: LayoutDoc, report: Report, *, notice: bool) -> None:
    """The title, the disclaimer and the period, above a rule."""
    pdf = doc.pdf
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


def _summary(doc: LayoutDoc, report: Report) -> None:
    """Page 1: the facts, the charts, questionnaires, skills and the safety plan."""
    pdf = doc.pdf
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
    report_marked.pdf(doc, report.marked)
    if report.plan is not None:
        _plan(doc, report)


def _results(doc: LayoutDoc, report: Report) -> None:
    """The questionnaire results with their charts."""
    pdf = doc.pdf
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


def _detail_tables(doc: LayoutDoc, report: Report, data: ExportData) -> None:
    """Patterns, tags, trackers, the diary card, then every session and check-in."""
    pdf = doc.pdf
    s = report.summary
    store, sel, tick = data.store, data.selection, data.tick
    offset = report.utc_offset
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
    _hope(doc, report.hope)
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
                if i % 250 == 0:
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
            CRISIS_HEADERS,
            ((crisis_cells(r, offset=offset), False) for r in records.iter_crisis(store, sel)),
            _widths(pdf.epw, [2, 1, 3]),
            keep={0: DATE_SAMPLES + TIME_SAMPLES},
        )


def _hope(doc: LayoutDoc, section: HopeSection | None) -> None:
    """The hope box, only when the person asked for it (selfback.export.hope)."""
    if section is None:
        return
    sizes = {"h4": 9.0, "small": 7.5, "item": 8.5}
    for kind, text in section_blocks(section):
        if kind == "h3":
            doc.heading(text, 3)
        else:
            doc.para(text, size=sizes[kind])


def _about(doc: LayoutDoc, report: Report, *, notice: bool) -> None:
    offset = report.utc_offset
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


def write_pdf(req: ExportRequest, data: ExportData, out: Path) -> WriteResult:
    """Write the PDF; its notices are for the person (characters it cannot show).

    When some characters cannot be drawn, the report is made a second time so that its
    first page says so too (rare: it costs a second rendering only then)."""
    report = data.report
    assert report is not None
    finder = FallbackFinder()
    with quiet():
        pdf, missing = render_pdf(report, data, paper=req.paper, finder=finder)
        if missing:
            quiet_data = ExportData(data.store, data.selection, data.range, data.counts, report)
            pdf, again = render_pdf(
                report,
                quiet_data,
                paper=req.paper,
                finder=finder,
                undrawable=frozenset(missing),
                notice=True,
            )
            missing |= again
    write_bytes(out, pdf)
    return WriteResult(notices=(TERMINAL_NOTICE,) if missing else ())


def paper_for_country(country: str | None) -> str:
    return "letter" if (country or "").upper() in LETTER_COUNTRIES else "a4"


__all__ = [
    "MARKER",
    "MISSING_NOTICE",
    "TERMINAL_NOTICE",
    "find_font",
    "paper_for_country",
    "render_pdf",
    "write_pdf",
]
