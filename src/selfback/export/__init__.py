"""Exports: the therapist report (html, pdf, md) and raw data (csv, json, fhir).

One module per format, plus ``data`` (the selection and typed, streamed reads of the
log), ``report`` (the report's words and tables, shared by html, pdf and md), ``request``
(what every writer takes and gives back), ``writers`` (the one table of writers) and
``output`` (atomic, private files). ``run_export`` is the one entry point (the
``selfback.actions.export`` use case calls it); it never prints and never reads stdin.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from selfback.errors import UsageError
from selfback.export.request import (
    ExportData,
    ExportRequest,
    ExportResult,
    Patient,
    Progress,
    Selection,
    Tick,
    WriteResult,
)

if TYPE_CHECKING:
    from selfback.export.report import Report
    from selfback.periods import DateRange
    from selfback.store.db import Store

__all__ = [
    "DEFAULT_SINCE",
    "DESCRIPTIONS",
    "FORMATS",
    "REPORT_FORMATS",
    "SUPPORTS",
    "ExportData",
    "ExportRequest",
    "ExportResult",
    "Patient",
    "Progress",
    "Selection",
    "Tick",
    "WriteResult",
    "carried",
    "check_format",
    "default_name",
    "left_out",
    "run_export",
]

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
    "html": frozenset({"notes", "crisis", "plan", "hope"}),
    "pdf": frozenset({"notes", "crisis", "plan", "hope"}),
    "md": frozenset({"crisis", "plan", "hope"}),
    "csv": frozenset({"notes", "crisis", "plan"}),
    "json": frozenset({"notes", "crisis", "plan", "hope"}),
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


def left_out(fmt: str, sel: Selection) -> list[str]:
    out = []
    sup = SUPPORTS[fmt]
    if "notes" in sup and not sel.notes:
        out.append("notes")
    if "crisis" in sup and not sel.crisis:
        out.append("crisis-screen openings")
    if "plan" in sup and not sel.plan:
        out.append("safety plan")
    if fmt == "json" and not sel.hope:
        out.append("hope box")
    return out


def carried(fmt: str, sel: Selection) -> Selection:
    """The selection as format ``fmt`` carries it (a part it cannot hold is left out)."""
    sup = SUPPORTS[fmt]
    return Selection(
        sel.range,
        notes=sel.notes and "notes" in sup,
        crisis=sel.crisis and "crisis" in sup,
        plan=sel.plan and "plan" in sup,
        hope=sel.hope and "hope" in sup,
    )


def _plan_sections(
    store: Store, req: ExportRequest
) -> tuple[list[tuple[str, list[str]]], str | None]:
    """The current safety plan as the report shows it, and when it was saved."""
    from selfback.export.data import plan_sections
    from selfback.safety.plan import SafetyPlan
    from selfback.store.safety import latest_plan_version

    plan = req.plan
    if plan is None:
        row = latest_plan_version(store)
        try:
            plan = SafetyPlan.from_json(row.plan) if row else SafetyPlan()
        except ValueError:
            plan = SafetyPlan()
        if row is not None:
            plan.saved_at = plan.saved_at or row.saved_at
    return plan_sections(plan), plan.saved_at


def _report(store: Store, req: ExportRequest, sel: Selection, rng: DateRange) -> Report:
    import selfback.export.data as records
    from selfback.export.report import build_report, diary_card, trackers_table
    from selfback.insights.summary import build_summary

    summary = build_summary(
        store,
        rng,
        generated_at=req.generated_at,
        include_crisis=sel.crisis,
        max_points=REPORT_CHART_POINTS,
    )
    sections, saved_at = _plan_sections(store, req) if sel.plan else (None, None)
    diary = None
    if req.diary_pack_on or records.has_diary_values(store, rng.lo, rng.hi):
        diary = diary_card(
            records.diary_days(store, rng.lo, rng.hi),
            rng.start,
            rng.end,
            pack_on=req.diary_pack_on,
        )
    report = build_report(
        summary,
        notes_included=sel.notes,
        plan=sections,
        plan_saved_at=saved_at,
        diary=diary,
        trackers=trackers_table(records.tracker_stats(store, rng.lo, rng.hi)),
    )
    from selfback.export.report_marked import plans_fact  # plans for later; marked sessions

    report.facts += [fact] if (fact := plans_fact(store, rng)) else []
    report.marked = req.marked
    if sel.hope:  # only when the person asked (selfback.export.hope)
        from dataclasses import replace

        from selfback.export.hope import hope_section

        report = replace(report, hope=hope_section(store))
    return report


def run_export(
    store: Store, req: ExportRequest, *, progress: Progress | None = None
) -> ExportResult:
    """Write the export described by ``req``; returns what was written."""
    from selfback.export.data import count_records
    from selfback.export.output import sealed_output, write_problem
    from selfback.export.writers import writer_for
    from selfback.insights.summary import resolve_range
    from selfback.periods import Period
    from selfback.store.reading import read_snapshot

    fmt = req.format
    if fmt not in FORMATS:  # pragma: no cover - check_format guards this
        raise UsageError(f"'{fmt}' is not an export format.")
    sel = carried(fmt, req.selection)
    with read_snapshot(store):
        rng = resolve_range(store, sel.range, req.generated_at.date())
        counts = count_records(store, sel)
        total = counts.total or 1
        done = 0

        def tick(n: int) -> None:
            nonlocal done
            done = min(total, done + n)
            if progress:
                progress(done, total)

        if progress:
            progress(0, total)
        report = None
        if fmt in REPORT_FORMATS:
            # the report's range is closed (its header says from when to when)
            sel = Selection(Period(rng.start, rng.end), sel.notes, sel.crisis, sel.plan, sel.hope)
            report = _report(store, req, sel, rng)
        data = ExportData(store, sel, rng, counts, report, tick)
        try:
            with sealed_output(req.seal):
                written = writer_for(fmt)(req, data, req.output)
        except OSError as exc:  # the file is never left half written (export.output)
            raise write_problem(req.output, exc) from exc
        if progress:
            progress(total, total)
    return ExportResult(
        req.output,
        fmt,
        rng,
        counts,
        left_out(fmt, sel),
        written.files,
        written.observations,
        written.notices,
    )
