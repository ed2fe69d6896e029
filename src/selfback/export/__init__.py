"""Exports: the therapist report (html, pdf, md) and raw data (csv, json, fhir).

One module per format, plus ``data`` (streaming reads of the log), ``report`` (the report's
words and tables, shared by html, pdf and md) and ``output`` (atomic, private files).
``run_export`` is the one entry point; it never prints and never reads stdin.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from selfback.errors import UsageError
from selfback.export.data import Selection
from selfback.periods import DateRange
from selfback.store.db import Store

FORMATS = ("html", "pdf", "md", "csv", "json", "fhir")
REPORT_FORMATS = ("html", "pdf", "md")

DESCRIPTIONS = {
    "html": "the report as one web page (opens in any browser, prints on A4 or Letter)",
    "pdf": "the report as a PDF",
    "md": "the summary as Markdown text",
    "csv": "raw data, one CSV file per record type, with a data dictionary (zip or folder)",
    "json": "everything, lossless (can be imported back)",
    "fhir": "a FHIR R4 Bundle: questionnaire results and daily mood as Observations",
}

# Which private parts each format can carry (asked about only where it matters).
SUPPORTS: dict[str, frozenset[str]] = {
    "html": frozenset({"notes", "crisis", "plan"}),
    "pdf": frozenset({"notes", "crisis", "plan"}),
    "md": frozenset({"crisis", "plan"}),
    "csv": frozenset({"notes", "crisis", "plan"}),
    "json": frozenset({"notes", "crisis", "plan"}),
    "fhir": frozenset({"notes"}),
}

# Reports look at a recent period by default; raw data takes everything.
DEFAULT_SINCE = {"html": "90d", "pdf": "90d", "md": "90d"}

_SUFFIXES = {
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".md": "md",
    ".markdown": "md",
    ".zip": "csv",
    ".csv": "csv",
    ".json": "json",
}

# Daily points up to about three months, then weekly (and monthly beyond two years).
REPORT_CHART_POINTS = 100

Progress = Callable[[int, int], None]  # (done, total) records


def check_format(name: str | None, output: Path | None) -> str:
    """The format asked for, or guessed from the output's name, or html."""
    if name is None:
        if output is not None:
            lower = output.name.lower()
            if lower.endswith(".fhir.json"):
                return "fhir"
            for suffix, fmt in _SUFFIXES.items():
                if lower.endswith(suffix):
                    return fmt
        return "html"
    low = name.strip().lower()
    aliases = {"markdown": "md", "htm": "html", "zip": "csv", "fhir-json": "fhir"}
    low = aliases.get(low, low)
    if low not in FORMATS:
        raise UsageError(f"'{name}' is not an export format. Choose one of: {', '.join(FORMATS)}.")
    return low


def default_name(fmt: str, when: datetime) -> tuple[str, str]:
    """(stem, suffix) of the file made when no --output is given."""
    day = when.date().isoformat()
    if fmt in REPORT_FORMATS:
        return f"selfback-report-{day}", "." + fmt
    if fmt == "csv":
        return f"selfback-data-{day}", ".zip"
    if fmt == "fhir":
        return f"selfback-fhir-{day}", ".json"
    return f"selfback-data-{day}", ".json"


@dataclass
class ExportRequest:
    format: str
    selection: Selection
    output: Path
    generated_at: datetime
    paths: Any = None  # selfback.paths.Paths, for the safety plan
    csv_zip: bool = True
    paper: str = "a4"  # pdf only: "a4" or "letter"
    # fhir only: {"name": ..., "identifier": ...} as typed for this export, never stored
    patient: dict[str, str | None] | None = None


@dataclass
class ExportResult:
    path: Path
    format: str
    range: DateRange
    counts: dict[str, int]
    left_out: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    # plain sentences for the person about the file (a PDF that cannot show some text)
    notices: list[str] = field(default_factory=list)


def left_out(fmt: str, sel: Selection) -> list[str]:
    out = []
    sup = SUPPORTS[fmt]
    if "notes" in sup and not sel.notes:
        out.append("notes")
    if "crisis" in sup and not sel.crisis:
        out.append("crisis-screen openings")
    if "plan" in sup and not sel.plan:
        out.append("safety plan")
    return out


def run_export(
    store: Store, req: ExportRequest, *, progress: Progress | None = None
) -> ExportResult:
    """Write the export described by ``req``; returns what was written."""
    from selfback.export import data as records
    from selfback.insights.summary import resolve_range
    from selfback.store.reading import read_snapshot

    fmt = req.format
    sup = SUPPORTS[fmt]
    sel = Selection(
        req.selection.range,
        notes=req.selection.notes and "notes" in sup,
        crisis=req.selection.crisis and "crisis" in sup,
        plan=req.selection.plan and "plan" in sup,
    )
    with read_snapshot(store):
        rng = resolve_range(store, sel.range, req.generated_at.date())
        counts = records.count_records(store, sel)
        total = sum(counts.values()) or 1
        done = 0

        def tick(n: int) -> None:
            nonlocal done
            done = min(total, done + n)
            if progress:
                progress(done, total)

        if progress:
            progress(0, total)
        extra: dict[str, Any] = {}
        notices: list[str] = []
        if fmt in REPORT_FORMATS:
            from selfback.export.report import build_report
            from selfback.insights.summary import build_summary

            # the report's range is closed (its header says from when to when)
            from selfback.periods import Period

            sel = Selection(Period(rng.start, rng.end), sel.notes, sel.crisis, sel.plan)
            summary = build_summary(
                store,
                rng,
                generated_at=req.generated_at,
                include_crisis=sel.crisis,
                max_points=REPORT_CHART_POINTS,
            )
            plan_sections = None
            saved_at = None
            if sel.plan:
                plan = records.current_plan(store, req.paths)
                plan_sections = records.plan_sections(plan)
                saved_at = records.plan_saved_at(plan)
            from selfback.export.report import diary_card, trackers_table

            diary = None
            pack_on = records.diary_pack_on(req.paths)
            if pack_on or records.has_diary_values(store, rng.lo, rng.hi):
                diary = diary_card(
                    records.diary_days(store, rng.lo, rng.hi),
                    rng.start,
                    rng.end,
                    pack_on=pack_on,
                )
            report = build_report(
                summary,
                notes_included=sel.notes,
                plan=plan_sections,
                plan_saved_at=saved_at,
                diary=diary,
                trackers=trackers_table(records.tracker_stats(store, rng.lo, rng.hi)),
            )
            if fmt == "html":
                from selfback.export.html import write_html
                from selfback.export.output import atomic_text

                with atomic_text(req.output) as fh:
                    write_html(fh, report, store, sel, tick=tick)
            elif fmt == "md":
                from selfback.export.markdown import write_markdown
                from selfback.export.output import atomic_text

                with atomic_text(req.output) as fh:
                    write_markdown(fh, report)
            else:
                from selfback.export.pdf import write_pdf

                notices = write_pdf(req.output, report, store, sel, paper=req.paper, tick=tick)
        elif fmt == "json":
            from selfback.export.jsonfile import write_json

            write_json(req.output, store, sel, rng=rng, generated_at=req.generated_at, tick=tick)
        elif fmt == "csv":
            from selfback.export.csvfiles import write_csv

            extra["files"] = write_csv(req.output, store, sel, as_zip=req.csv_zip, tick=tick)
        elif fmt == "fhir":
            from selfback.export.fhir import write_fhir

            extra["observations"] = write_fhir(
                req.output,
                store,
                sel,
                generated_at=req.generated_at,
                tick=tick,
                patient=req.patient,
            )
        else:  # pragma: no cover - check_format guards this
            raise UsageError(f"'{fmt}' is not an export format.")
        if progress:
            progress(total, total)
    return ExportResult(req.output, fmt, rng, counts, left_out(fmt, sel), extra, notices)
