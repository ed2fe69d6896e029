"""The therapist report as data: the words, tables and charts that HTML, PDF and Markdown
lay out. Building it once keeps the three formats saying exactly the same thing.

The report is meant to be read in two minutes: a one-page summary first (period, charts,
measures with bands, change and the PHQ-9 item 9 flag, skills and distress before and
after, optionally crisis-screen openings and the safety plan), then the details.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from selfback.export.data import DIARY_TRACKERS, TrackerStat
from selfback.insights.influence import InfluenceRow
from selfback.insights.summary import (
    SMALL_SKILL_SAMPLE,
    MeasureSummary,
    Series,
    SkillSummary,
    Summary,
)
from selfback.periods import pretty_date, pretty_range

TITLE = "selfback report"
DISCLAIMER = "Self-report, not a diagnosis."
INTRO = (
    "Written by the person named on it (if they chose to), from what they logged in "
    "selfback, a private coping app that keeps everything on their own computer."
)
CRISIS_HELP = (
    "If you are in crisis right now: call your local emergency number, run `selfback sos` "
    "for crisis lines in your country, or find one at findahelpline.com."
)
ASSOCIATION_NOTE = (
    "Associations in this person's own log, not causes: a difference can come from many "
    "things that happened on the same days."
)
SCALES_NOTE = (
    "Scales: mood 0-10 (higher is better); anxiety 0-10 (higher is more anxious); energy "
    "0-10; sleep in hours. Distress is rated 0-10 (0 calm, 10 the worst imaginable) before "
    "and after each coping skill."
)
MEASURES_NOTE = (
    "About the last two weeks, scored by the published rules; bands are the usual names for "
    "score ranges."
)
ITEM9_NOTE = (
    "PHQ-9 item 9 asks about thoughts of being better off dead or of self-harm: any answer "
    "above 0 is flagged, and a 0 does not rule anything out."
)


CRISIS_SOURCES = {
    "sos": "selfback sos",
    "cope": "during a skill",
    "key": "the ! key",
    "measure": "after a questionnaire",
}


def fmt1(value: float | None, none: str = "-") -> str:
    if value is None:
        return none
    return f"{value:.1f}"


def fmt_signed(value: int | None) -> str:
    if value is None:
        return "-"
    if value > 0:
        return f"+{value}"
    if value < 0:
        return f"\u2212{-value}"  # a real minus sign
    return "0"


def short_date(d: date) -> str:
    return f"{d.day} {d.strftime('%b')}"


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    flagged: list[bool] = field(default_factory=list)  # rows to highlight
    notes: list[str] = field(default_factory=list)
    numeric: set[int] = field(default_factory=set)  # right-aligned columns


@dataclass
class Line:
    name: str
    values: list[float | None]
    style: str  # "solid", "dashed", "dotted"


@dataclass
class ChartSpec:
    title: str
    y_min: float
    y_max: float
    unit: str
    dates: list[date]  # one per point (the bucket's first day)
    lines: list[Line]
    bucket: str
    bands: list[tuple[float, float, str]] = field(default_factory=list)
    description: str = ""
    # a shaded range behind the first line: (name, lows, highs)
    area: tuple[str, list[float | None], list[float | None]] | None = None

    @property
    def has_data(self) -> bool:
        return any(v is not None for line in self.lines for v in line.values)


@dataclass
class DiaryWeek:
    start: date  # the Monday
    title: str  # "Week of 16 Nov 2026"
    rows: list[list[str]]  # one per day in the period, Monday first (DIARY_HEADERS)


@dataclass
class DiaryCard:
    """The DBT diary card as a weekly grid: days as rows, most recent week first."""

    weeks: list[DiaryWeek]
    days_answered: int  # days with at least one diary-card answer
    pack_on: bool
    self_harm: bool  # a self-harm urge above 0 (or acted on) on some day: crisis help goes with it
    notes: list[str] = field(default_factory=list)


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


def _bucket_words(bucket: str) -> str:
    return {"day": "daily averages", "week": "weekly averages", "month": "monthly averages"}[bucket]


def _describe(name: str, values: list[float | None]) -> str:
    present = [v for v in values if v is not None]
    if not present:
        return f"{name}: no data."
    return (
        f"{name}: average {sum(present) / len(present):.1f}, lowest {min(present):.1f}, "
        f"highest {max(present):.1f}."
    )


def charts_for(series: Series) -> list[ChartSpec]:
    pts = series.points
    dates = [p.start for p in pts]
    words = _bucket_words(series.bucket)
    mood = [p.mood for p in pts]
    anxiety = [p.anxiety for p in pts]
    sleep = [p.sleep for p in pts]
    before = [p.distress_before for p in pts]
    after = [p.distress_after for p in pts]
    out = [
        ChartSpec(
            f"Mood and anxiety (0-10, {words})",
            0,
            10,
            "",
            dates,
            [Line("Mood", mood, "solid"), Line("Anxiety", anxiety, "dashed")],
            series.bucket,
            description=" ".join([_describe("Mood", mood), _describe("Anxiety", anxiety)]),
        )
    ]
    if series.bucket != "day":
        out[0].area = (
            "Mood range",
            [None if p.mood_min is None else float(p.mood_min) for p in pts],
            [None if p.mood_max is None else float(p.mood_max) for p in pts],
        )
    top = max([v for v in sleep if v is not None] + [10.0])
    out.append(
        ChartSpec(
            "Sleep (hours)",
            0,
            float(min(24, int(top + 0.999))),
            "h",
            dates,
            [Line("Sleep", sleep, "solid")],
            series.bucket,
            description=_describe("Sleep in hours", sleep),
        )
    )
    out.append(
        ChartSpec(
            "Distress before and after skills (0-10)",
            0,
            10,
            "",
            dates,
            [Line("Before", before, "solid"), Line("After", after, "dashed")],
            series.bucket,
            description=" ".join(
                [_describe("Distress before", before), _describe("Distress after", after)]
            ),
        )
    )
    return out


def is_partial(p: Any) -> bool:
    """A result saved before the questionnaire was finished (band "partial" and the flag
    "partial"): it has no score, so it is never shown as one."""
    return bool(getattr(p, "partial", False)) or p.band == "partial" or "partial" in p.flags


def scored_points(m: MeasureSummary) -> list[Any]:
    return [p for p in m.points if not is_partial(p)]


def is_flagged(p: Any) -> bool:
    """A safety flag on the result (item 9 above 0); "partial" is not a safety flag."""
    return any(f != "partial" for f in p.flags) or bool(p.item9)


def flagged_count(m: MeasureSummary) -> int:
    return sum(1 for p in m.points if is_flagged(p))


PARTIAL_NOTE = "partial: stopped before the end, so not scored."


def with_partials(summary: Summary) -> list[MeasureSummary]:
    """The summary's questionnaires with its partial results put back among their points
    (as points with band "partial", never a score), so tables can say "+1 partial" and
    count an item 9 answered in one. ``Summary.measures`` holds scored results only."""
    from selfback.insights.measureinfo import measure_info
    from selfback.insights.summary import MeasurePoint

    by_id = {
        m.instrument: MeasureSummary(
            m.instrument,
            m.name,
            m.max_display,
            m.unit,
            m.higher_is,
            m.meaningful_change,
            list(m.points),
        )
        for m in summary.measures
    }
    for f in summary.measure_flags:
        m = by_id.get(f.instrument)
        if m is None:
            info = measure_info(f.instrument)
            m = by_id[f.instrument] = MeasureSummary(
                f.instrument,
                info.name,
                info.max_total * info.multiplier,
                info.unit,
                info.higher_is,
                info.meaningful_change,
                [],
            )
        m.points.append(
            MeasurePoint(f.uid, f.taken_at, f.day, 0, 0, "partial", "partial", f.flags, f.item9)
        )
    for m in by_id.values():
        m.points.sort(key=lambda p: p.taken_at)
    return list(by_id.values())


def measure_chart(m: MeasureSummary) -> ChartSpec:
    from selfback.insights.measureinfo import measure_info

    info = measure_info(m.instrument)
    bands = [
        (float(b.min * info.multiplier), float((b.max + 1) * info.multiplier), b.label)
        for b in info.bands
    ]
    if bands:
        lo, hi, label = bands[-1]
        bands[-1] = (lo, float(info.max_display), label)
    points = scored_points(m)
    values: list[float | None] = [float(p.display) for p in points]
    return ChartSpec(
        f"{m.name} ({'0-' + str(m.max_display) + m.unit if m.max_display else 'score'}, "
        f"higher is {m.higher_is})",
        0,
        float(m.max_display or max([p.display for p in points] + [1])),
        m.unit,
        [p.day for p in points],
        [Line(m.name, values, "solid")],
        "result",
        bands=bands,
        description=_describe(m.name, values),
    )


def measures_table(measures: list[MeasureSummary]) -> Table | None:
    if not measures:
        return None
    rows, flagged = [], []
    meaningful_seen = partial_seen = False
    for m in measures:
        scored = scored_points(m)
        partial = len(m.points) - len(scored)
        partial_seen = partial_seen or bool(partial)

        def show(p: Any, m: MeasureSummary = m) -> str:
            return f"{p.display}{m.unit} {p.band_label} ({short_date(p.day)})"

        delta = scored[-1].display - scored[0].display if len(scored) > 1 else None
        change = fmt_signed(delta)
        if (
            delta is not None
            and m.meaningful_change is not None
            and abs(delta) >= m.meaningful_change
        ):
            change += " *"
            meaningful_seen = True
        if m.instrument == "phq9":
            item9 = (
                f"FLAG: above 0 in {flagged_count(m)} of {len(m.points)}"
                if flagged_count(m)
                else "none above 0"
            )
        else:
            item9 = "-"
        rows.append(
            [
                m.name,
                str(len(scored)) + (f" (+{partial} partial)" if partial else ""),
                show(scored[0]) if len(scored) > 1 else "-",
                show(scored[-1]) if scored else "not scored (partial)",
                change,
                item9,
            ]
        )
        flagged.append(m.instrument == "phq9" and flagged_count(m) > 0)
    note = MEASURES_NOTE
    if meaningful_seen:
        note += " * At least the change usually seen as meaningful for this measure."
    if partial_seen:
        note += (
            " Partial: a questionnaire stopped before the end; it is never scored, but an "
            "item 9 answered in it counts."
        )
    if any(m.instrument == "phq9" for m in measures):
        note += " " + ITEM9_NOTE
    notes = [note]
    return Table(
        ["Measure", "Results", "First", "Latest", "Change", "PHQ-9 item 9"],
        rows,
        flagged,
        notes,
        numeric={1, 4},
    )


def skills_table(skills: list[SkillSummary]) -> Table | None:
    if not skills:
        return None
    rows = []
    small = False
    for s in skills:
        situations = ", ".join(f"{x.situation} ({x.uses})" for x in s.situations if x.situation)
        if s.rated:
            before_after = f"{fmt1(s.before_avg)} \u2192 {fmt1(s.after_avg)}"
            share = s.share_dropped_2 or 0.0
            drop = f"{s.dropped_2} of {s.rated} ({share:.0%})"
        else:
            before_after = "not rated"
            drop = "-"
        if s.small_sample:
            drop += " \u2020" if s.rated else ""
            small = small or bool(s.rated)
        rows.append([s.title, situations or "-", str(s.uses), before_after, drop])
    notes = ["* Distress 0-10, over the sessions rated both before and after."]
    if small:
        notes.append(
            f"\u2020 Small sample: fewer than {SMALL_SKILL_SAMPLE} rated sessions, so read "
            "with care."
        )
    return Table(
        [
            "Skill",
            "Situations (uses)",
            "Uses",
            "Distress before \u2192 after*",
            "Drop of 2+*",
        ],
        rows,
        [False] * len(rows),
        notes,
        numeric={2},
    )


INFLUENCE_LIMIT = 12


def _influence_side(mood: float | None, label: str, days: int, name: str) -> str:
    what = f"{label}, " if label and label != name else ""
    return f"{fmt1(mood)} ({what}{plural(days, 'day')})"


def influence_table(summary: Summary, limit: int = INFLUENCE_LIMIT) -> Table | None:
    """Mood on days with and without each tag or tracker (largest differences first)."""
    inf = summary.influence
    if inf is None or not inf.rows:
        return None

    def rank(r: InfluenceRow) -> tuple[int, float]:
        diff = r.difference
        return (
            r.rank if r.rank is not None else 10**6,
            -abs(diff) if diff is not None else 0.0,
        )

    ordered = sorted(inf.rows, key=rank)
    rows, few = [], False
    for r in ordered[:limit]:
        diff = r.difference
        cell = f"{diff:+.1f}" if diff is not None else "-"
        if not r.enough_data:
            cell += " (few days)"
            few = True
        name = r.label or r.key
        rows.append(
            [
                name,
                _influence_side(r.mood_with, r.with_label, r.days_with, name),
                _influence_side(r.mood_without, r.without_label, r.days_without, name),
                cell,
            ]
        )
    note = "Average mood (0-10) on days with and without each. " + ASSOCIATION_NOTE
    if few:
        note += " 'few days': fewer than 5 days on one side, so not ranked."
    if len(ordered) > limit:
        note += f" The {limit} largest differences of {len(ordered)}."
    return Table(
        ["Tag or tracker", "Mood on days with", "Mood on days without", "Difference"],
        rows,
        [False] * len(rows),
        [note],
        numeric={3},
    )


def tags_table(summary: Summary) -> Table | None:
    if not summary.top_tags:
        return None
    return Table(
        ["Tag or emotion", "Kind", "Check-ins"],
        [[t.value, t.kind, str(t.count)] for t in summary.top_tags],
        numeric={2},
    )


# -- the trackers and the diary card -------------------------------------------------


def _num(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{round(value, 1):g}"


def tracker_summary(stat: TrackerStat) -> str:
    """One tracker's answers in a few words ("average 4.2, from 2 to 7", "yes on 3 of 9
    days", "tipp (4), stop (2)")."""
    parts = []
    kinds = set(stat.kinds)
    if kinds & {"scale", "number"} and stat.avg is not None:
        unit = f" {stat.unit}" if stat.unit else ""
        text = f"average {_num(stat.avg)}{unit}"
        if stat.low != stat.high:
            text += f", from {_num(stat.low)} to {_num(stat.high)}"
        parts.append(text)
    if "yesno" in kinds:
        parts.append(f"yes on {stat.yes_days} of {plural(stat.yesno_days, 'day')}")
    if kinds & {"choice", "tags"} and stat.top:
        parts.append(", ".join(f"{word} ({n})" for word, n in stat.top))
    if "text" in kinds:
        parts.append("written answers")
    return "; ".join(parts) or "-"


def trackers_table(stats: list[TrackerStat]) -> Table | None:
    """Every tracker beyond the everyday ones (packs and the person's own), by the labels
    stored with the answers: the diary card in card order first, then by name."""
    if not stats:
        return None
    order = {t: i for i, t in enumerate(DIARY_TRACKERS)}
    ordered = sorted(
        stats,
        key=lambda s: (order.get(s.tracker_id, len(order)), s.label.lower(), s.tracker_id),
    )
    rows = [[s.label, str(s.days), str(s.answers), tracker_summary(s)] for s in ordered]
    return Table(
        ["Tracker", "Days", "Answers", "Summary"],
        rows,
        [False] * len(rows),
        [
            "Trackers beyond mood, anxiety, energy and sleep, under the name each had when "
            "it was answered (trackers since renamed or removed included). Days: days with "
            "an answer in this period. Written answers are never summarised."
        ],
        numeric={1, 2},
    )


DIARY_URGES = (  # (urge, acted) tracker ids, in the grid's column order
    ("urge_selfharm", "acted_selfharm"),
    ("urge_use", "acted_use"),
    ("urge_quit", "acted_quit"),
)
DIARY_HEADERS = [
    "Day",
    "Urge to self-harm 0-5",
    "Acted",
    "Urge to use 0-5",
    "Acted",
    "Urge to quit therapy 0-5",
    "Acted",
    "Emotions",
    "Skills used",
    "Sleep (h)",
]
DIARY_ACTED = frozenset({2, 4, 6})  # columns where a "yes" is shown in bold
DIARY_NUMERIC = frozenset({1, 3, 5, 9})
DIARY_NOTE = (
    "Urges 0-5 (0 none, 5 very strong): the day's highest answer. Acted: yes when any "
    "check-in that day said the urge was acted on; asked only when the urge was 1 or more. "
    "Emotions and skills: every one named that day. Sleep: hours, the day's average. "
    "A blank means not answered. Weeks with no diary-card answer are not shown."
)


def _diary_day_cells(day: date, entry: dict[str, Any]) -> list[str]:
    cells = [f"{day.strftime('%a')} {short_date(day)}"]
    for urge, acted in DIARY_URGES:
        value = entry.get(urge)
        cells.append("" if value is None else str(value))
        did = entry.get(acted)
        cells.append("" if did is None else ("yes" if did else "no"))
    cells.append(", ".join(entry.get("emotions") or []))
    cells.append(", ".join(entry.get("skills_used") or []))
    sleep = entry.get("sleep")
    cells.append("" if sleep is None else _num(float(sleep)))
    return cells


def diary_card(
    days: dict[str, dict[str, Any]], start: date, end: date, *, pack_on: bool
) -> DiaryCard:
    """The weekly grid from ``selfback.export.data.diary_days``: every week (Monday to
    Sunday, clipped to the period) with at least one diary-card answer, newest first."""
    answered = sorted(d for d, entry in days.items() if any(t in entry for t in DIARY_TRACKERS))
    mondays: list[date] = []
    for d in answered:
        day = date.fromisoformat(d)
        monday = day - timedelta(days=day.weekday())
        if not mondays or mondays[-1] != monday:
            mondays.append(monday)
    weeks = []
    for monday in reversed(mondays):
        rows = []
        for k in range(7):
            day = monday + timedelta(days=k)
            if start <= day <= end:
                rows.append(_diary_day_cells(day, days.get(day.isoformat(), {})))
        weeks.append(DiaryWeek(monday, f"Week of {pretty_date(monday)}", rows))
    self_harm = any(
        (entry.get("urge_selfharm") or 0) > 0 or entry.get("acted_selfharm")
        for entry in days.values()
    )
    notes = [DIARY_NOTE] if weeks else ["No diary-card answers in this period."]
    return DiaryCard(weeks, len(answered), pack_on, self_harm, notes)


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
        c = summary.crisis
        if c.openings:
            crisis_text = f"{plural(c.openings, 'time')} on {plural(c.days, 'day')}"
        else:
            crisis_text = "not opened in this period"
        facts.append(("Crisis screen opened", crisis_text))
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
    show_help = any(m.instrument == "phq9" and flagged_count(m) for m in all_measures)
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


# -- detail rows shared by HTML and PDF ---------------------------------------------------


def offset_text(when: datetime) -> str:
    """The UTC offset of ``when`` as ISO 8601 writes it ("+01:00"), or "" when unknown."""
    off = when.utcoffset()
    if off is None:
        return ""
    minutes = int(off.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def local_time(ts: str, report_offset: str = "") -> str:
    """The time of day of an ISO timestamp ("19:36"), with its UTC offset when it differs
    from the report's ("19:36 +01:00"), so a time recorded while travelling, or on the
    other side of a clock change, is not read as the same clock."""
    if len(ts) < 16:
        return ""
    time = ts[11:16]
    if not report_offset:
        return time
    tail = ts[19:]
    if tail.startswith("."):  # fractions of a second
        tail = tail.lstrip(".0123456789")
    if tail in ("Z", "+00:00", "-00:00"):
        tail = "+00:00"
    if tail and tail != report_offset:
        return f"{time} {tail}"
    return time


TIME_NOTE = (
    "Times are local: the clock where each entry was made. Where its offset from UTC "
    "differs from this report's ({offset}), it follows the time (19:36 +01:00)."
)


def checkin_cells(rec: dict[str, Any], *, notes: bool, offset: str = "") -> list[str]:
    ts = str(rec.get("ts") or "")
    time = local_time(ts, offset)
    tags = ", ".join(rec.get("tags") or [])
    emotions = ", ".join(rec.get("emotions") or [])
    words = "; ".join(x for x in (tags, emotions) if x)
    trackers = []
    for v in rec.get("values") or []:
        label = v.get("label") or v.get("tracker_id")
        if v.get("value_num") is not None:
            num = v["value_num"]
            shown = f"{num:g}" if isinstance(num, float) else str(num)
            if v.get("kind") == "yesno":
                shown = "yes" if num else "no"
        else:
            shown = str(v.get("value_text") or "")
            if v.get("kind") == "tags" and shown.startswith("["):
                try:
                    items = json.loads(shown)
                    shown = ", ".join(str(i) for i in items) if isinstance(items, list) else shown
                except ValueError:
                    pass
        unit = f" {v['unit']}" if v.get("unit") else ""
        trackers.append(f"{label}: {shown}{unit}")
    sleep = rec.get("sleep_hours")
    cells = [
        str(rec.get("local_date") or ""),
        time,
        str(rec.get("mood") if rec.get("mood") is not None else "-"),
        str(rec.get("anxiety") if rec.get("anxiety") is not None else "-"),
        str(rec.get("energy") if rec.get("energy") is not None else "-"),
        f"{sleep:g}" if isinstance(sleep, int | float) else "-",
        words,
        "; ".join(trackers),
    ]
    if notes:
        cells.append(str(rec.get("note") or ""))
    return cells


def checkin_headers(*, notes: bool) -> list[str]:
    h = ["Date", "Time", "Mood", "Anxiety", "Energy", "Sleep", "Tags and emotions", "Trackers"]
    if notes:
        h.append("Note")
    return h


SESSION_HEADERS = ["Date", "Skill", "Situation", "Before", "After", "Finished"]


def session_cells(rec: dict[str, Any], *, offset: str = "") -> list[str]:
    started = str(rec.get("started_at") or "")

    def n(v: Any) -> str:
        return "-" if v is None else str(v)

    return [
        f"{started[:10]} {local_time(started, offset)}".strip(),
        str(rec.get("skill_title") or rec.get("skill_id") or ""),
        str(rec.get("situation") or "-"),
        n(rec.get("distress_before")),
        n(rec.get("distress_after")),
        "yes" if rec.get("status") == "completed" else "stopped early",
    ]


def crisis_cells(rec: dict[str, Any], *, offset: str = "") -> list[str]:
    opened = str(rec.get("opened_at") or "")
    source = str(rec.get("source") or "")
    return [
        f"{opened[:10]} {local_time(opened, offset)}".strip(),
        CRISIS_SOURCES.get(source, source),
    ]


MEASURE_HEADERS = ["Date", "Measure", "Score", "Band", "PHQ-9 item 9"]


def measure_rows(measures: list[MeasureSummary]) -> list[tuple[list[str], bool]]:
    out = []
    points = sorted(((m, p) for m in measures for p in m.points), key=lambda mp: mp[1].taken_at)
    for m, p in points:
        if m.instrument == "phq9":
            item9 = "not answered" if p.item9 is None else str(p.item9)
            if is_flagged(p):
                item9 = f"FLAG: {item9}"
        else:
            item9 = "-"
        partial = is_partial(p)
        out.append(
            (
                [
                    p.taken_at[:10],
                    m.name,
                    "-" if partial else f"{p.display}{m.unit}",
                    PARTIAL_NOTE if partial else p.band_label,
                    item9,
                ],
                m.instrument == "phq9" and is_flagged(p),
            )
        )
    return out
