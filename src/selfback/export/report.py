"""The therapist report as data: the words, tables and charts that HTML, PDF and Markdown
lay out. Building it once keeps the three formats saying exactly the same thing.

The report is meant to be read in two minutes: a one-page summary first (period, charts,
measures with bands, change and the PHQ-9 item 9 flag, skills and distress before and
after, optionally crisis-screen openings and the safety plan), then the details.

The pieces live in ``report_text`` (wording, formatting), ``report_charts``,
``report_tables``, ``report_diary`` and ``report_rows`` (the detail tables' rows); this
module puts them together and names them for the writers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from selfback.export.hope import HopeSection
from selfback.export.report_charts import ChartSpec, Line, charts_for, measure_chart
from selfback.export.report_diary import (
    DIARY_ACTED,
    DIARY_HEADERS,
    DIARY_NOTE,
    DIARY_NUMERIC,
    DiaryCard,
    DiaryWeek,
    diary_card,
)
from selfback.export.report_rows import (
    CRISIS_HEADERS,
    MEASURE_HEADERS,
    SESSION_HEADERS,
    TIME_NOTE,
    checkin_cells,
    checkin_headers,
    crisis_cells,
    local_time,
    measure_rows,
    offset_text,
    session_cells,
)
from selfback.export.report_tables import (
    flagged_count,
    influence_table,
    is_flagged,
    is_partial,
    measures_table,
    scored_points,
    skills_table,
    tags_table,
    tracker_summary,
    trackers_table,
    with_partials,
)
from selfback.export.report_text import (
    ASSOCIATION_NOTE,
    CRISIS_HELP,
    CRISIS_SHORT,
    CRISIS_SOURCES,
    DISCLAIMER,
    INTRO,
    ITEM9_NOTE,
    MEASURES_NOTE,
    PARTIAL_NOTE,
    SCALES_NOTE,
    TITLE,
    Table,
    fmt1,
    fmt_signed,
    plural,
    short_date,
)
from selfback.insights.model import CrisisSummary, MeasureSummary, Summary
from selfback.periods import pretty_date, pretty_range
from selfback.store.safety import PERSON_SOURCES

if TYPE_CHECKING:
    from selfback.export.report_marked import MarkedSession

__all__ = [
    "CRISIS_HEADERS",
    "ASSOCIATION_NOTE",
    "CRISIS_HELP",
    "CRISIS_SHORT",
    "CRISIS_SOURCES",
    "DIARY_ACTED",
    "DIARY_HEADERS",
    "DIARY_NOTE",
    "DIARY_NUMERIC",
    "DISCLAIMER",
    "INTRO",
    "ITEM9_NOTE",
    "MEASURES_NOTE",
    "MEASURE_HEADERS",
    "PARTIAL_NOTE",
    "SCALES_NOTE",
    "SESSION_HEADERS",
    "TIME_NOTE",
    "TITLE",
    "ChartSpec",
    "DiaryCard",
    "DiaryWeek",
    "Line",
    "Report",
    "Table",
    "build_report",
    "crisis_facts",
    "charts_for",
    "checkin_cells",
    "checkin_headers",
    "crisis_cells",
    "diary_card",
    "flagged_count",
    "fmt1",
    "fmt_signed",
    "influence_table",
    "is_flagged",
    "is_partial",
    "local_time",
    "measure_chart",
    "measure_rows",
    "measures_table",
    "offset_text",
    "plural",
    "scored_points",
    "session_cells",
    "short_date",
    "skills_table",
    "tags_table",
    "tracker_summary",
    "trackers_table",
    "with_partials",
]


def crisis_facts(c: CrisisSummary) -> list[tuple[str, str]]:
    """The crisis screen on page one: the times the person opened it (`selfback sos`, the
    ! key) apart from the times selfback showed it, with what showed it."""
    if not c.openings:
        return [("Crisis screen opened", "not opened in this period")]
    shown = plural(c.by_selfback, "time")
    if c.by_selfback:
        shown += f" on {plural(c.selfback_days, 'day')}"
        why = [
            f"{n} {CRISIS_SHORT.get(source, source)}"
            for source, n in sorted(c.by_source.items(), key=lambda item: -item[1])
            if source not in PERSON_SOURCES
        ]
        shown += f" ({', '.join(why)})"
    person = plural(c.by_person, "time")
    if c.by_person:
        person += f" on {plural(c.person_days, 'day')}"
    return [
        ("Crisis screen they opened", person),
        ("Crisis screen selfback showed", shown),
    ]


@dataclass
class Report:
    summary: Summary
    range_text: str
    generated_text: str
    facts: list[tuple[str, str]]
    charts: list[ChartSpec]
    measure_charts: list[ChartSpec]
    measures: Table | None
    skills: Table | None
    crisis_text: str | None
    plan: list[tuple[str, list[str]]] | None
    plan_note: str | None
    influence: Table | None
    tags: Table | None
    sample_notes: list[str]
    show_crisis_help: bool
    notes_included: bool
    selfback_version: str
    diary: DiaryCard | None = None
    trackers: Table | None = None
    # the UTC offset where the report was made ("+01:00"): times at another offset show it
    utc_offset: str = ""
    # every questionnaire result, partial ones included (never as scores): with_partials()
    all_measures: list[MeasureSummary] = field(default_factory=list)
    # "Things I want to talk about" (selfback.export.report_marked); None: not asked for
    marked: tuple[MarkedSession, ...] | None = None
    # the hope box, only when the person asked for it (export --include-hope)
    hope: HopeSection | None = None


def build_report(
    summary: Summary,
    *,
    notes_included: bool,
    plan: list[tuple[str, list[str]]] | None = None,
    plan_saved_at: str | None = None,
    diary: DiaryCard | None = None,
    trackers: Table | None = None,
) -> Report:
    from selfback import __version__

    o = summary.overview
    rng = summary.range
    facts: list[tuple[str, str]] = [
        ("Check-ins", f"{o.checkins} on {o.checkin_days} of {plural(rng.days, 'day')}"),
    ]
    if o.mood_avg is not None:
        facts.append(
            (
                "Mood (0-10, 10 best)",
                f"average {fmt1(o.mood_avg)} (from {o.mood_min} to {o.mood_max})",
            )
        )
    if o.anxiety_avg is not None:
        facts.append(("Anxiety (0-10, 10 most)", f"average {fmt1(o.anxiety_avg)}"))
    if o.sleep_avg is not None:
        facts.append(("Sleep", f"average {fmt1(o.sleep_avg)} hours"))
    if o.energy_avg is not None:
        facts.append(("Energy (0-10, 10 most)", f"average {fmt1(o.energy_avg)}"))
    facts.append(("Coping skills used", plural(o.sessions, "time")))
    facts.append(("Questionnaires", str(o.measures)))
    crisis_text = None
    if summary.crisis is not None:
        crisis = crisis_facts(summary.crisis)
        crisis_text = "; ".join(value for _name, value in crisis)
        facts += crisis
    if diary is not None:
        facts.append(
            (
                "Diary card",
                f"answered on {diary.days_answered} of {plural(rng.days, 'day')} "
                "(grid in the details)"
                if diary.days_answered
                else "switched on, no answers in this period",
            )
        )
        facts += [(f"{u.name} (0-5)", u.text()) for u in diary.urges]

    sample_notes = []
    if o.checkins == 0:
        sample_notes.append("No check-ins in this period.")
    elif summary.small_sample:
        sample_notes.append(
            f"Small sample: only {plural(o.checkins, 'check-in')} in this period, so the "
            "charts show little more than single days."
        )
    charts = [c for c in charts_for(summary.series) if c.has_data]
    all_measures = with_partials(summary)
    # crisis help goes with page one's item-9 flags and its self-harm urge line
    show_help = any(m.instrument == "phq9" and flagged_count(m) for m in all_measures) or bool(
        diary is not None and diary.self_harm and diary.urges
    )
    plan_note = None
    if plan is not None:
        plan_note = "A self-guided adaptation of the Stanley-Brown Safety Planning Intervention."
        if plan_saved_at:
            try:
                when = datetime.fromisoformat(plan_saved_at)
                plan_note += f" Last saved {pretty_date(when.date())}."
            except ValueError:
                pass
    return Report(
        summary=summary,
        range_text=f"{pretty_range(rng)} ({plural(rng.days, 'day')})",
        generated_text=f"made {pretty_date(summary.generated_at.date())} with selfback "
        f"{__version__}",
        facts=facts,
        charts=charts,
        measure_charts=[measure_chart(m) for m in summary.measures if len(scored_points(m)) > 1],
        measures=measures_table(all_measures),
        all_measures=all_measures,
        skills=skills_table(summary.skills),
        crisis_text=crisis_text,
        plan=plan,
        plan_note=plan_note,
        influence=influence_table(summary),
        tags=tags_table(summary),
        sample_notes=sample_notes,
        show_crisis_help=show_help,
        notes_included=notes_included,
        selfback_version=__version__,
        diary=diary,
        trackers=trackers,
        utc_offset=offset_text(summary.generated_at),
    )
