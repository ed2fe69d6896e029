"""The therapist report as one self-contained HTML file.

Inline CSS and inline SVG only: no scripts, no fonts, no images, no links to load, and a
Content-Security-Policy that forbids loading anything even if a browser were asked to.
Every piece of text that came from the person (notes, tags, situations, skill titles,
plan items, tracker labels) goes through ``html.escape``.

It prints on A4 and Letter: the summary fits the first page, details start on a new one,
table headers repeat on every page and rows are not split.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape
from pathlib import Path
from typing import TextIO

import selfback.export.data as records
from selfback.export import report_marked
from selfback.export.hope import HopeSection, section_blocks
from selfback.export.output import atomic_text
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
    ChartSpec,
    DiaryCard,
    Report,
    Table,
    checkin_cells,
    checkin_headers,
    crisis_cells,
    measure_rows,
    session_cells,
)
from selfback.export.request import ExportData, ExportRequest, WriteResult
from selfback.export.svg import chart_svg

# Column widths of the diary grid (percent): day, 3 x (urge, acted), emotions, skills, sleep.
_DIARY_WIDTHS = (11, 10, 7, 10, 7, 10, 7, 14.5, 16.5, 7)

CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

CSS = (
    """
@page { margin: 9mm 10mm 10mm; }
* { box-sizing: border-box; }
html { color-scheme: light; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font: 10pt/1.35 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue",
  Arial, sans-serif; color: #111827; background: #fff; max-width: 190mm; margin: 0 auto;
  padding: 8mm 5mm; }
header { border-bottom: 2px solid #1f4e79; padding-bottom: 2mm; margin-bottom: 3mm; }
h1 { font-size: 15pt; margin: 0; }
h2 { font-size: 12pt; margin: 4mm 0 1.5mm; color: #1f4e79; }
h3 { font-size: 10.5pt; margin: 3mm 0 1mm; }
p { margin: 1mm 0; }
.disclaimer { font-weight: 700; font-size: 10.5pt; margin-left: 3mm; }
.range { font-weight: 600; margin: 0.5mm 0 0; }
.meta { font-weight: 400; }
.meta, .small { color: #4b5563; font-size: 8.5pt; }
dl.facts { display: grid; grid-template-columns: max-content 1fr max-content 1fr;
  gap: 0.5mm 4mm; margin: 1mm 0 2mm; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.charts svg { display: block; width: 100%; height: auto; }
.charts figure { margin: 0 0 1.5mm; break-inside: avoid; }
figcaption { font-size: 8.5pt; font-weight: 600; margin-bottom: 0.5mm; }
.two { display: grid; grid-template-columns: 1fr 1fr; gap: 4mm; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; margin: 1mm 0; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { text-align: left; vertical-align: top; padding: 0.8mm 1.5mm;
  border-bottom: 0.6px solid #d1d5db; overflow-wrap: anywhere; }
th { background: #eef2f7; font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.flag td { background: #fde2e2; font-weight: 600; }
td.note { white-space: pre-wrap; }
.help { border-left: 3px solid #b91c1c; padding: 0.5mm 2.5mm; margin: 1mm 0; }
.plan { display: grid; grid-template-columns: 1fr 1fr; gap: 1mm 5mm; font-size: 9pt; }
.plan h4 { font-size: 9pt; margin: 0; }
.plan ul { margin: 0; padding: 0; list-style: none; }
.plan li { display: inline; }
.plan li + li::before { content: " \\00b7  "; color: #6b7280; }
.details { margin-top: 6mm; }
table.diary { table-layout: fixed; margin: 0 0 2.5mm; break-inside: avoid;
  page-break-inside: avoid; }
table.diary caption { text-align: left; font-weight: 600; font-size: 9pt;
  padding: 0.5mm 0; }
table.diary th { white-space: normal; vertical-align: bottom; overflow-wrap: normal; }
table.diary thead th { font-size: 8pt; }
.nw { white-space: nowrap; overflow-wrap: normal; }
td.nw { overflow-wrap: normal; }
table.diary tbody th { vertical-align: top; white-space: nowrap; background: #f5f7fa; }
table.diary td.yes { font-weight: 700; }
@media print {
  .plan { font-size: 8.5pt; grid-template-columns: 1fr 1fr 1fr; }
  .plan > div { break-inside: avoid; }
  body { max-width: none; padding: 0; font-size: 9pt; line-height: 1.25; }
  h2 { margin-top: 2.5mm; } h3 { margin-top: 2mm; }
  .details { break-before: page; page-break-before: always; margin-top: 0; }
  h1, h2, h3, h4, caption { break-after: avoid; page-break-after: avoid;
    break-inside: avoid; page-break-inside: avoid; }
  .keep { break-inside: avoid; page-break-inside: avoid; }
}
""".strip()
    + "".join(
        f"\ntable.diary thead th:nth-child({i}) {{ width: {w}%; }}"
        for i, w in enumerate(_DIARY_WIDTHS, start=1)
    )
)


def e(value: object) -> str:
    """Escape anything for HTML text or attribute values."""
    return escape("" if value is None else str(value), quote=True)


def e_code(value: str) -> str:
    """Escape our own fixed wording, showing `command` spans as <code> (never user text)."""
    import re

    return re.sub(r"`([^`<>&]+)`", r"<code>\1</code>", e(value))


def _figure(chart: ChartSpec, width: int, height: int) -> str:
    return (
        f"<figure><figcaption>{e(chart.title)}</figcaption>"
        f"{chart_svg(chart, width=width, height=height)}</figure>\n"
    )


def table_html(table: Table, *, css_class: str = "") -> str:
    out = [f'<table class="{css_class}">' if css_class else "<table>", "<thead><tr>"]
    for i, h in enumerate(table.headers):
        cls = ' class="num"' if i in table.numeric else ""
        out.append(f'<th scope="col"{cls}>{e(h)}</th>')
    out.append("</tr></thead><tbody>")
    for r, row in enumerate(table.rows):
        flag = table.flagged[r] if r < len(table.flagged) else False
        out.append('<tr class="flag">' if flag else "<tr>")
        for i, cell in enumerate(row):
            cls = ' class="num"' if i in table.numeric else ""
            out.append(f"<td{cls}>{e(cell)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    for note in table.notes:
        out.append(f'<p class="small">{e(note)}</p>')
    return "".join(out)


def _no_break(text: str) -> str:
    """Escaped text whose hyphenated words ("self-harm", "0-5") are not split over lines."""
    return " ".join(
        f'<span class="nw">{e(word)}</span>' if "-" in word else e(word) for word in text.split()
    )


def _no_break_time(text: str) -> str:
    """A date and time cell: it may wrap between "2026-11-21", "19:36" and "+01:00",
    never inside them."""
    return " ".join(f'<span class="nw">{e(word)}</span>' for word in text.split())


def diary_html(card: DiaryCard) -> str:
    """The diary card: one small table per week, days as rows (a "yes" in acted is bold)."""
    out = []
    num = ' class="num"'
    head = "".join(
        f'<th scope="col"{num if i in DIARY_NUMERIC else ""}>{_no_break(h)}</th>'
        for i, h in enumerate(DIARY_HEADERS)
    )
    for week in card.weeks:
        out.append(f'<table class="diary"><caption>{e(week.title)}</caption>')
        out.append("<thead><tr>")
        out.append(head)
        out.append("</tr></thead><tbody>")
        for row in week.rows:
            out.append(f'<tr><th scope="row">{e(row[0])}</th>')
            for i, cell in enumerate(row[1:], start=1):
                if i in DIARY_ACTED and cell == "yes":
                    out.append('<td class="yes">yes</td>')
                elif i in DIARY_NUMERIC:
                    out.append(f'<td class="num">{e(cell)}</td>')
                else:
                    out.append(f"<td>{e(cell)}</td>")
            out.append("</tr>")
        out.append("</tbody></table>\n")
    for note in card.notes:
        out.append(f'<p class="small">{e(note)}</p>\n')
    if card.self_harm:
        out.append(f'<p class="help">{e_code(CRISIS_HELP)}</p>\n')
    return "".join(out)


def _stream_table(
    w: Callable[[str], object],
    headers: list[str],
    rows: Iterable[tuple[list[str], bool]],
    *,
    numeric: frozenset[int] | set[int] = frozenset(),
    note_col: int | None = None,
    nowrap: frozenset[int] | set[int] = frozenset(),
) -> int:
    w("<table><thead><tr>")
    for i, h in enumerate(headers):
        cls = ' class="num"' if i in numeric else ""
        w(f'<th scope="col"{cls}>{e(h)}</th>')
    w("</tr></thead><tbody>")
    n = 0
    for cells, flag in rows:
        parts = ['<tr class="flag">' if flag else "<tr>"]
        for i, cell in enumerate(cells):
            if i == note_col:
                parts.append(f'<td class="note">{e(cell)}</td>')
            elif i in nowrap:
                parts.append(f'<td class="nw">{_no_break_time(cell)}</td>')
            elif i in numeric:
                parts.append(f'<td class="num">{e(cell)}</td>')
            else:
                parts.append(f"<td>{e(cell)}</td>")
        parts.append("</tr>\n")
        w("".join(parts))
        n += 1
    w("</tbody></table>\n")
    return n


def write_html(req: ExportRequest, data: ExportData, out: Path) -> WriteResult:
    """The report as one web page at ``out`` (written whole or not at all)."""
    assert data.report is not None
    with atomic_text(out) as fh:
        render_html(fh, data.report, data)
    return WriteResult()


def render_html(out: TextIO, report: Report, data: ExportData) -> None:
    w = out.write
    _head(w, report)
    w('<section class="summary" aria-labelledby="summary">\n')
    w('<h2 id="summary">Summary</h2>\n')
    _summary(w, report)
    w("</section>\n")
    w('<section class="details" aria-labelledby="details">\n<h2 id="details">Details</h2>\n')
    _detail_tables(w, report)
    _records(out, report, data)
    _about(w, report)
    w("</section>\n</main>\n</body>\n</html>\n")


Write = Callable[[str], object]


def _head(w: Write, report: Report) -> None:
    w('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n')
    w(f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n')
    w('<meta name="referrer" content="no-referrer">\n')
    w('<meta name="viewport" content="width=device-width, initial-scale=1">\n')
    w(f'<meta name="generator" content="selfback {e(report.selfback_version)}">\n')
    w(f"<title>{e(TITLE)}: {e(report.range_text)}</title>\n<style>\n{CSS}\n</style>\n")
    w("</head>\n<body>\n<header>\n")
    w(f'<h1>{e(TITLE)} <span class="disclaimer">{e(DISCLAIMER)}</span></h1>\n')
    w(
        f'<p class="range">{e(report.range_text)} <span class="meta">&middot; '
        f"{e(report.generated_text)} from this person's own log"
        "</span></p>\n"
    )
    w("</header>\n<main>\n")


def _table_or(w: Write, table: Table | None, none: str) -> None:
    w(table_html(table) + "\n" if table else f'<p class="small">{e(none)}</p>\n')


def _summary(w: Write, report: Report) -> None:
    """Page 1: the facts, the charts, questionnaires, skills and the safety plan."""
    w('<dl class="facts">\n')
    for name, value in report.facts:
        w(f"<dt>{e(name)}</dt><dd>{e(value)}</dd>\n")
    w("</dl>\n")
    for note in report.sample_notes:
        w(f'<p class="small">{e(note)}</p>\n')
    if report.charts:
        w('<div class="charts">\n')
        first, rest = report.charts[0], report.charts[1:]
        w(_figure(first, 680, 86))  # flat enough that page one keeps the plan
        if rest:
            w('<div class="two">\n' + "".join(_figure(c, 340, 74) for c in rest) + "</div>\n")
        w("</div>\n")
    w("<h3>Questionnaires</h3>\n")
    _table_or(w, report.measures, "No questionnaires in this period.")
    if report.show_crisis_help:
        w(f'<p class="help">{e_code(CRISIS_HELP)}</p>\n')
    w("<h3>Coping skills</h3>\n")
    _table_or(w, report.skills, "No coping skills used in this period.")
    w(report_marked.html(report.marked, e))
    if report.plan is not None:
        _plan(w, report, report.plan)


def _plan(w: Write, report: Report, plan: list[tuple[str, list[str]]]) -> None:
    w("<h3>Safety plan</h3>\n")
    if report.plan_note:
        w(f'<p class="small">{e(report.plan_note)}</p>\n')
    if not any(items for _title, items in plan):
        w("<p>The safety plan is empty.</p>\n")
    w('<div class="plan">\n')
    for title, items in plan:
        if items:
            w(f"<div><h4>{e(title)}</h4><ul>")
            w("".join(f"<li>{e(item)}</li>" for item in items))
            w("</ul></div>\n")
    w("</div>\n")


def _detail_tables(w: Write, report: Report) -> None:
    """Questionnaire results with their charts, patterns, tags, trackers, the diary card."""
    if report.all_measures:
        w("<h3>Questionnaire results</h3>\n")
        if report.measure_charts:
            charts = "".join(_figure(chart, 340, 130) for chart in report.measure_charts)
            w(f'<div class="charts two">\n{charts}</div>\n')
        _stream_table(w, MEASURE_HEADERS, measure_rows(report.all_measures), numeric={2})
    for title, table in (
        ("Patterns: mood on days with and without", report.influence),
        ("Most logged tags and emotions", report.tags),
        ("Trackers", report.trackers),
    ):
        if table:
            w(f"<h3>{e(title)}</h3>\n{table_html(table)}\n")
    if report.diary is not None:
        w('<h3 id="diary-card">Diary card</h3>\n')
        w(diary_html(report.diary))
    if report.hope is not None:
        _hope(w, report.hope)


def _hope(w: Write, section: HopeSection) -> None:
    """The hope box, only when the person asked for it (selfback.export.hope)."""
    tags = {"h3": "<h3>{}</h3>", "h4": "<h4>{}</h4>", "small": '<p class="small">{}</p>'}
    for kind, text in section_blocks(section):
        w(tags.get(kind, "<p>{}</p>").format(e(text)) + "\n")


def _records(out: TextIO, report: Report, data: ExportData) -> None:
    """Every coping session, check-in and (when chosen) crisis-screen opening, streamed."""
    w = out.write
    s, store, sel, tick = report.summary, data.store, data.selection, data.tick
    offset = report.utc_offset
    if s.overview.sessions:
        w("<h3>Coping sessions</h3>\n")
        sessions = records.iter_sessions(store, sel)
        rows = ((session_cells(r, offset=offset), False) for r in sessions)
        _stream_table(w, SESSION_HEADERS, rows, numeric={3, 4}, nowrap={0})
    w("<h3>Check-ins</h3>\n")
    if not report.notes_included:
        w('<p class="small">Notes were left out of this report.</p>\n')
    if s.overview.checkins:

        def checkin_rows() -> Iterable[tuple[list[str], bool]]:
            for i, rec in enumerate(records.iter_checkins(store, sel), start=1):
                if i % 500 == 0:
                    tick(500)
                yield checkin_cells(rec, notes=report.notes_included, offset=offset), False

        _stream_table(
            w,
            checkin_headers(notes=report.notes_included),
            checkin_rows(),
            numeric={2, 3, 4, 5},
            note_col=8 if report.notes_included else None,
            nowrap={0, 1},
        )
    else:
        w('<p class="small">No check-ins in this period.</p>\n')
    if sel.crisis and s.crisis and s.crisis.openings:
        w("<h3>Crisis-screen openings</h3>\n")
        openings = records.iter_crisis(store, sel)
        rows = ((crisis_cells(r, offset=offset), False) for r in openings)
        _stream_table(w, CRISIS_HEADERS, rows, nowrap={0})


def _about(w: Write, report: Report) -> None:
    w("<h3>About this report</h3>\n")
    w(f'<p class="small">{e(SCALES_NOTE)}</p>\n')
    if report.utc_offset:
        w(f'<p class="small">{e(TIME_NOTE.format(offset=report.utc_offset))}</p>\n')
    w(
        '<p class="small">selfback keeps everything on the person\'s own computer; this file '
        "was made there and contains no scripts and no links. "
        f"{e(DISCLAIMER)}</p>\n"
    )
