"""The report's summary as Markdown (for pasting into notes or an email).

Charts become a small table of period averages. Text that came from the person is
escaped, so a tag or a plan item cannot turn into a link, an image or raw HTML.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TextIO

from selfback.export import report_marked
from selfback.export.hope import HopeSection, section_blocks
from selfback.export.output import atomic_text
from selfback.export.report import (
    CRISIS_HELP,
    DIARY_ACTED,
    DIARY_HEADERS,
    DIARY_NUMERIC,
    DISCLAIMER,
    SCALES_NOTE,
    TITLE,
    DiaryCard,
    Report,
    Table,
    fmt1,
    short_date,
)
from selfback.export.request import ExportData, ExportRequest, WriteResult

# Inline Markdown only (values never start a line): emphasis, code, links, tables, strike.
_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
# ... except list items, which could start a heading, a nested list or a quote.
_BLOCK_START = re.compile(r"^(#|\+|-|=|\d+[.)](\s|$))")


def md(text: object, *, block: bool = False) -> str:
    """Escape text for a Markdown table cell or inline text (HTML too, and new lines).

    ``block``: the text starts a list item, so a leading #, -, + or "1." is escaped too.
    """
    s = "" if text is None else str(text)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _SPECIAL.sub(r"\\\1", s)
    s = " ".join(s.split())
    m = _BLOCK_START.match(s) if block else None
    if m:
        if s[0].isdigit():
            cut = len(m.group(1).rstrip()) - 1
            s = s[:cut] + "\\" + s[cut:]
        else:
            s = "\\" + s
    return s


def table_md(table: Table) -> str:
    lines = ["| " + " | ".join(md(h) for h in table.headers) + " |"]
    lines.append(
        "|"
        + "|".join("---:" if i in table.numeric else "---" for i in range(len(table.headers)))
        + "|"
    )
    for r, row in enumerate(table.rows):
        cells = [md(c) for c in row]
        if r < len(table.flagged) and table.flagged[r]:
            cells[0] = f"**{cells[0]}**"
        lines.append("| " + " | ".join(cells) + " |")
    out = "\n".join(lines)
    for note in table.notes:
        out += f"\n\n_{md(note)}_"
    return out


# The summary shows the latest weeks of the diary card; the HTML and PDF reports have all.
DIARY_WEEKS = 4
# ... and the latest periods of the "Over time" table.
OVER_TIME_ROWS = 60
BUCKET_WORDS = {"day": "daily averages", "week": "weekly averages", "month": "monthly averages"}


def diary_md(card: DiaryCard, weeks: int = DIARY_WEEKS) -> str:
    out = []
    if len(card.weeks) > weeks:
        out.append(
            f"_The latest {weeks} of {len(card.weeks)} weeks; the HTML or PDF report has "
            "them all._\n\n"
        )
    align = "|".join("---:" if i in DIARY_NUMERIC else "---" for i in range(len(DIARY_HEADERS)))
    for week in card.weeks[:weeks]:
        out.append(f"**{md(week.title)}**\n\n")
        out.append("| " + " | ".join(md(h) for h in DIARY_HEADERS) + " |\n|" + align + "|\n")
        for row in week.rows:
            cells = [
                "**yes**" if i in DIARY_ACTED and c == "yes" else md(c) for i, c in enumerate(row)
            ]
            out.append("| " + " | ".join(cells) + " |\n")
        out.append("\n")
    for note in card.notes:
        out.append(f"_{md(note)}_\n\n")
    if card.self_harm:
        out.append(f"> {md(CRISIS_HELP)}\n\n")
    return "".join(out)


def write_markdown(req: ExportRequest, data: ExportData, out: Path) -> WriteResult:
    """The report's summary as Markdown at ``out`` (written whole or not at all)."""
    assert data.report is not None
    with atomic_text(out) as fh:
        render_markdown(fh, data.report)
    return WriteResult()


def _hope(section: HopeSection | None) -> str:
    """The hope box, only when the person asked for it (selfback.export.hope)."""
    if section is None:
        return ""
    marks = {"h3": "### {}", "h4": "**{}**", "small": "_{}_", "item": "- {}"}
    blocks = section_blocks(section)
    return "".join(marks[k].format(md(t, block=k == "item")) + "\n\n" for k, t in blocks)


def render_markdown(out: TextIO, report: Report) -> None:
    s = report.summary
    w = out.write
    w(f"# {md(TITLE)}: {md(report.range_text)}\n\n")
    made = report.generated_text[:1].upper() + report.generated_text[1:]
    w(f"**{md(DISCLAIMER)}** {md(made)}.\n\n")
    w("## Summary\n\n")
    for name, value in report.facts:
        w(f"- **{md(name)}:** {md(value)}\n")
    w("\n")
    for note in report.sample_notes:
        w(f"_{md(note)}_\n\n")
    pts = [p for p in s.series.points if p.checkins or p.sessions]
    if pts:
        word = {"day": "Day", "week": "Week of", "month": "Month"}[s.series.bucket]
        w(f"### Over time ({BUCKET_WORDS[s.series.bucket]})\n\n")
        if len(pts) > OVER_TIME_ROWS:  # keep the summary short: the latest periods
            # said before the table: a line between its separator and its rows would end it
            w(f"_The latest {OVER_TIME_ROWS} of {len(pts)} periods._\n\n")
            pts = pts[-OVER_TIME_ROWS:]
        w(
            f"| {word} | Check-ins | Mood | Anxiety | Sleep (h) | Distress before "
            "\u2192 after |\n|---|---:|---:|---:|---:|---|\n"
        )
        for p in pts:
            label = (
                f"{p.start.strftime('%b')} {p.start.year}"
                if s.series.bucket == "month"
                else f"{short_date(p.start)} {p.start.year}"
            )
            distress = (
                f"{fmt1(p.distress_before)} \u2192 {fmt1(p.distress_after)}" if p.sessions else "-"
            )
            w(
                f"| {md(label)} | {p.checkins} | {fmt1(p.mood)} | {fmt1(p.anxiety)} | "
                f"{fmt1(p.sleep)} | {md(distress)} |\n"
            )
        w("\n")
    w("### Questionnaires\n\n")
    w(table_md(report.measures) if report.measures else "No questionnaires in this period.")
    if report.show_crisis_help:  # next to the item-9 flags, as in the html and pdf
        w(f"\n\n> {md(CRISIS_HELP)}")
    w("\n\n### Coping skills\n\n")
    w(table_md(report.skills) if report.skills else "No coping skills used in this period.")
    w("\n\n")
    w(report_marked.markdown(report.marked, md))
    if report.plan is not None:
        w("### Safety plan\n\n")
        if report.plan_note:
            w(f"_{md(report.plan_note)}_\n\n")
        for title, items in report.plan:
            if not items:
                continue
            w(f"**{md(title)}**\n\n")
            for item in items:
                w(f"- {md(item, block=True)}\n")
            w("\n")
    if report.trackers:
        w("### Trackers\n\n")
        w(table_md(report.trackers) + "\n\n")
    if report.diary is not None:
        w("### Diary card\n\n")
        w(diary_md(report.diary))
    out.write(_hope(report.hope))
    if report.influence:
        w("### Patterns: mood on days with and without\n\n")
        w(table_md(report.influence) + "\n\n")
    w(f"---\n\n_{md(SCALES_NOTE)}_\n")
