"""The report's tables: questionnaires, skills, patterns, tags and trackers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from selfback.export.pack import DIARY_SKILLS, DIARY_TRACKERS
from selfback.export.report_text import (
    ASSOCIATION_NOTE,
    ITEM9_NOTE,
    MEASURES_NOTE,
    NO_AFTER,
    Table,
    fmt1,
    fmt_signed,
    plural,
    short_date,
)
from selfback.insights.influence import InfluenceRow
from selfback.insights.measureinfo import measure_info
from selfback.skills.situation_names import situation_name
from selfback.skills.titles import skill_word

if TYPE_CHECKING:
    from selfback.store.tables import TrackerStat

from selfback.insights.model import (
    SMALL_SKILL_SAMPLE,
    MeasurePoint,
    MeasureSummary,
    SkillSummary,
    Summary,
)


def is_partial(p: MeasurePoint) -> bool:
    """A result saved before the questionnaire was finished (band "partial" and the flag
    "partial"): it has no score, so it is never shown as one."""
    return p.band == "partial" or "partial" in p.flags


def scored_points(m: MeasureSummary) -> list[MeasurePoint]:
    return [p for p in m.points if not is_partial(p)]


def is_flagged(p: MeasurePoint) -> bool:
    """A safety flag on the result (item 9 above 0); "partial" is not a safety flag."""
    return any(f != "partial" for f in p.flags) or bool(p.item9)


def flagged_count(m: MeasureSummary) -> int:
    return sum(1 for p in m.points if is_flagged(p))


def with_partials(summary: Summary) -> list[MeasureSummary]:
    """The summary's questionnaires with its partial results put back among their points
    (as points with band "partial", never a score), so tables can say "+1 partial" and
    count an item 9 answered in one. ``Summary.measures`` holds scored results only."""
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


def meaningful_change_seen(m: MeasureSummary) -> bool:
    """Whether first to latest scored result moved by at least the measure's published
    meaningful change (PHQ-9 5 points, GAD-7 4, WHO-5 10, PCL-5 10)."""
    scored = scored_points(m)
    if len(scored) < 2 or m.meaningful_change is None:
        return False
    return abs(scored[-1].display - scored[0].display) >= m.meaningful_change


ITEM9_DATES = 4  # flagged dates listed on page one; earlier ones are counted


def item9_text(m: MeasureSummary) -> str:
    """The PHQ-9 item 9 cell: the flagged results with their dates and answers (partial
    ones included), and the latest answer, flagged or not: "FLAG: above 0 in 2 of 5:
    2 Nov (1), 9 Nov (2); latest answer 0 (19 Nov)"."""
    flagged = [p for p in m.points if is_flagged(p)]
    answered = [p for p in m.points if p.item9 is not None]
    latest = (
        f"latest answer {answered[-1].item9} ({short_date(answered[-1].day)})" if answered else ""
    )
    if not flagged:
        return "none above 0"
    shown = [
        f"{short_date(p.day)} ({'?' if p.item9 is None else p.item9})"
        for p in flagged[-ITEM9_DATES:]
    ]
    earlier = len(flagged) - len(shown)
    dates = ", ".join(shown) + (f", and {earlier} earlier" if earlier else "")
    text = f"FLAG: above 0 in {len(flagged)} of {len(m.points)}: {dates}"
    return f"{text}; {latest}" if latest else text


def measures_table(measures: list[MeasureSummary]) -> Table | None:
    if not measures:
        return None
    rows, flagged = [], []
    partial_seen = False
    thresholds: list[str] = []
    for m in measures:
        scored = scored_points(m)
        partial = len(m.points) - len(scored)
        partial_seen = partial_seen or bool(partial)

        def show(p: MeasurePoint, m: MeasureSummary = m) -> str:
            return f"{p.display}{m.unit} {p.band_label} ({short_date(p.day)})"

        delta = scored[-1].display - scored[0].display if len(scored) > 1 else None
        change = fmt_signed(delta)
        if meaningful_change_seen(m):
            change += " *"
        item9 = item9_text(m) if m.instrument == "phq9" else "-"
        if m.meaningful_change is not None and len(scored) > 1:
            unit = "percentage points" if m.unit == "%" else "points"
            thresholds.append(f"{m.name} {m.meaningful_change} {unit}")
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
    if thresholds:
        note += (
            " * At least the change usually seen as meaningful for one person: "
            + ", ".join(thresholds)
            + "."
        )
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
    small = unrated = False
    for s in skills:
        # "; " between them: a situation's name can hold a comma ("Panic, racing heart")
        situations = "; ".join(
            f"{situation_name(x.situation)} ({x.uses})" for x in s.situations if x.situation
        )
        unrated = unrated or s.rated < s.uses
        if s.rated:
            before_after = f"{fmt1(s.before_avg)} \u2192 {fmt1(s.after_avg)}"
            share = s.share_dropped_2 or 0.0
            drop = f"{s.dropped_2} of {s.rated} ({share:.0%})"
        else:
            before_after = NO_AFTER
            drop = "-"
        if s.small_sample:
            drop += " \u2020" if s.rated else ""
            small = small or bool(s.rated)
        rows.append([s.title, situations or "-", str(s.uses), before_after, drop])
    notes = ["* Distress 0-10, over the sessions rated both before and after."]
    if unrated:
        notes[0] += f" Sessions with {NO_AFTER} count as uses only."
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
    if label.startswith("without "):  # a tag: "4.9 (14 days without 'friends')"
        return f"{fmt1(mood)} ({plural(days, 'day')} {label})"
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
        # the figures as ``trends --json`` gives them (to two decimals), then to one
        diff = None if r.difference is None else round(r.difference, 2)
        cell = f"{diff:+.1f}" if diff is not None else "-"
        if not r.enough_data:
            cell += " (few days)"
            few = True
        name = r.label or r.key
        with_mood = None if r.mood_with is None else round(r.mood_with, 2)
        without = None if r.mood_without is None else round(r.mood_without, 2)
        rows.append(
            [
                name,
                _influence_side(with_mood, r.with_label, r.days_with, name),
                _influence_side(without, r.without_label, r.days_without, name),
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


def num_text(value: float | None) -> str:
    """A number as a person writes it: 4.2, 7, 0.5 (one decimal at most)."""
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
        text = f"average {num_text(stat.avg)}{unit}"
        if stat.low != stat.high:
            text += f", from {num_text(stat.low)} to {num_text(stat.high)}"
        parts.append(text)
    if "yesno" in kinds:
        parts.append(f"yes on {stat.yes_days} of {plural(stat.yesno_days, 'day')}")
    if kinds & {"choice", "tags"} and stat.top:
        name = skill_word if stat.tracker_id == DIARY_SKILLS else str
        parts.append(", ".join(f"{name(word)} ({n})" for word, n in stat.top))
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
