"""The numbers behind ``selfback trends`` and the therapist report.

Every figure is computed by SQLite (``selfback.store.trends``: GROUP BY over a date
range), so a ten-year log costs a few thousand aggregate rows, never one Python object
per check-in. Functions take an open ``Store`` and a ``DateRange`` and return the
dataclasses of ``selfback.insights.model``.
"""

from __future__ import annotations

from dataclasses import is_dataclass
from datetime import date, datetime, timedelta

from selfback.insights.buckets import (
    Bucket,
    bucket_start,
    bucket_starts,
    choose_bucket,
    next_bucket,
)
from selfback.insights.influence import InfluenceRow, influence_table
from selfback.insights.measureinfo import MeasureInfo, measure_info
from selfback.insights.model import (
    SMALL_CHECKIN_SAMPLE,
    SMALL_SKILL_SAMPLE,
    CheckinDays,
    CrisisSummary,
    InfluenceTable,
    MeasureFlag,
    MeasurePoint,
    MeasureSummary,
    Overview,
    Series,
    SeriesPoint,
    SkillRow,
    SkillSummary,
    Summary,
    TagCount,
)
from selfback.periods import DateRange, Period
from selfback.store import trends as queries
from selfback.store.db import Store
from selfback.store.measures import is_partial
from selfback.store.reading import read_snapshot
from selfback.store.safety import PERSON_SOURCES
from selfback.store.trends import first_and_last_dates

__all__ = [
    "SMALL_CHECKIN_SAMPLE",
    "SMALL_SKILL_SAMPLE",
    "Bucket",
    "CheckinDays",
    "CrisisSummary",
    "InfluenceTable",
    "MeasureFlag",
    "MeasurePoint",
    "MeasureSummary",
    "Overview",
    "Series",
    "SeriesPoint",
    "SkillRow",
    "SkillSummary",
    "Summary",
    "TagCount",
    "bucket_start",
    "bucket_starts",
    "build_summary",
    "checkin_days",
    "choose_bucket",
    "crisis",
    "datetime",
    "first_and_last_dates",
    "influence",
    "jsonable",
    "measure_flags",
    "measures",
    "next_bucket",
    "overview",
    "read_snapshot",
    "resolve_range",
    "series",
    "skills",
    "top_tags",
]

# The order questionnaires are listed in.
MEASURE_ORDER = {"phq9": 0, "gad7": 1, "who5": 2, "pcl5": 3, "phq2": 4, "gad2": 5}


def resolve_range(store: Store, spec: Period, today: date) -> DateRange:
    """Close an open range: from the first record, up to today (or the last record)."""
    first, last = first_and_last_dates(store)
    end = spec.until or max(today, last or today)
    start = spec.since or (first if first and first <= end else end)
    if start > end:
        start = end
    return DateRange(start, end)


def overview(store: Store, rng: DateRange) -> Overview:
    r = queries.overview(store, rng.lo, rng.hi)
    return Overview(
        checkins=r.checkins,
        checkin_days=r.checkin_days,
        mood_avg=r.mood_avg,
        mood_min=r.mood_min,
        mood_max=r.mood_max,
        anxiety_avg=r.anxiety_avg,
        energy_avg=r.energy_avg,
        sleep_avg=r.sleep_avg,
        sessions=r.sessions,
        measures=r.measures,
    )


def series(store: Store, rng: DateRange, bucket: Bucket) -> Series:
    """Averages per day, week (Monday first) or month, with empty buckets kept as gaps."""
    points: dict[date, SeriesPoint] = {}
    for start in bucket_starts(rng, bucket):
        end = min(next_bucket(start, bucket) - timedelta(days=1), rng.end)
        points[start] = SeriesPoint(start=max(start, rng.start), end=end)
    for c in queries.checkin_buckets(store, rng.lo, rng.hi, bucket):
        p = points.get(c.start)
        if p is None:
            continue
        p.checkins = c.checkins
        p.mood, p.mood_min, p.mood_max = c.mood, c.mood_min, c.mood_max
        p.anxiety, p.energy, p.sleep = c.anxiety, c.energy, c.sleep
    for s in queries.session_buckets(store, rng.lo, rng.hi, bucket):
        p = points.get(s.start)
        if p is None:
            continue
        p.sessions = s.sessions
        p.distress_before, p.distress_after = s.distress_before, s.distress_after
    return Series(bucket, list(points.values()))


def checkin_days(store: Store, rng: DateRange, bucket: Bucket) -> list[CheckinDays]:
    """How many days had at least one check-in, per week or month. No streaks."""
    counts = queries.checkin_day_counts(store, rng.lo, rng.hi, bucket)
    out = []
    for start in bucket_starts(rng, bucket):
        lo = max(start, rng.start)
        hi = min(next_bucket(start, bucket) - timedelta(days=1), rng.end)
        out.append(CheckinDays(lo, hi, counts.get(start, 0), (hi - lo).days + 1))
    return out


def skills(store: Store, rng: DateRange) -> list[SkillSummary]:
    """Per skill, and per situation within it: uses and distress before and after.

    Averages use only sessions rated both before and after, so before and after compare
    the same sessions.
    """
    by_skill: dict[str, SkillSummary] = {}
    sums: dict[str, list[float]] = {}
    titles = queries.skill_titles(store, rng.lo, rng.hi)
    for use in queries.skill_uses(store, rng.lo, rng.hi):
        rated = use.rated
        row = SkillRow(
            skill_id=use.skill_id,
            title=titles.get(use.skill_id) or use.skill_id,
            situation=use.situation,
            uses=use.uses,
            completed=use.completed,
            rated=rated,
            before_avg=(use.before_sum / rated) if rated else None,
            after_avg=(use.after_sum / rated) if rated else None,
            dropped_2=use.dropped_2,
        )
        summary = by_skill.get(row.skill_id)
        if summary is None:
            summary = by_skill[row.skill_id] = SkillSummary(
                row.skill_id, row.title, None, 0, 0, 0, None, None, 0
            )
            sums[row.skill_id] = [0.0, 0.0]
        summary.situations.append(row)
        summary.uses += row.uses
        summary.completed += row.completed
        summary.rated += rated
        summary.dropped_2 += row.dropped_2
        sums[row.skill_id][0] += use.before_sum
        sums[row.skill_id][1] += use.after_sum
    for sid, summary in by_skill.items():
        if summary.rated:
            summary.before_avg = sums[sid][0] / summary.rated
            summary.after_avg = sums[sid][1] / summary.rated
        summary.situations.sort(key=lambda s: (-s.uses, s.situation or ""))
    return sorted(by_skill.values(), key=lambda s: (-s.uses, s.title.lower()))


def _item9(info: MeasureInfo, answers: tuple[int | None, ...]) -> int | None:
    item9 = None
    for position, _flag, _loinc in info.flag_items:
        if len(answers) >= position and answers[position - 1] is not None:
            item9 = answers[position - 1]
    return item9


def _day(taken_at: str, rng: DateRange) -> date:
    try:
        return date.fromisoformat(taken_at[:10])
    except ValueError:
        return rng.start


def measures(store: Store, rng: DateRange) -> list[MeasureSummary]:
    """Every scored result in the range, per instrument, oldest first.

    Partial results (``band`` "partial") are left out: they are not a score and must
    never be drawn as one; ``measure_flags`` lists them."""
    out: dict[str, MeasureSummary] = {}
    for r in queries.measure_rows(store, rng.lo, rng.hi):
        if is_partial(r.band, r.flags):
            continue
        info = measure_info(r.instrument)
        summary = out.get(info.id)
        if summary is None:
            summary = out[info.id] = MeasureSummary(
                info.id,
                info.name,
                info.max_display,
                info.unit,
                info.higher_is,
                info.meaningful_change,
                [],
            )
        summary.points.append(
            MeasurePoint(
                uid=r.uid,
                taken_at=r.taken_at,
                day=_day(r.taken_at, rng),
                total=r.total,
                display=info.display(r.total),
                band=r.band,
                band_label=info.band_label(r.band, r.total),
                flags=list(r.flags),
                item9=_item9(info, r.answers),
            )
        )
    return sorted(out.values(), key=lambda m: (MEASURE_ORDER.get(m.instrument, 9), m.instrument))


def measure_flags(store: Store, rng: DateRange) -> list[MeasureFlag]:
    """Partial results in the range, oldest first, as item-9 flags (never scores)."""
    out: list[MeasureFlag] = []
    for r in queries.measure_rows(store, rng.lo, rng.hi):
        if not is_partial(r.band, r.flags):
            continue
        info = measure_info(r.instrument)
        out.append(
            MeasureFlag(
                uid=r.uid,
                instrument=info.id,
                name=info.name,
                taken_at=r.taken_at,
                day=_day(r.taken_at, rng),
                flags=list(r.flags),
                item9=_item9(info, r.answers),
            )
        )
    return out


def crisis(store: Store, rng: DateRange) -> CrisisSummary:
    """Crisis-screen openings by source, with those the person opened (``PERSON_SOURCES``)
    counted apart from those selfback showed."""
    by_source: dict[str, int] = {}
    days: set[str] = set()
    person_days: set[str] = set()
    selfback_days: set[str] = set()
    for source, day, n in queries.crisis_counts(store, rng.lo, rng.hi):
        by_source[source] = by_source.get(source, 0) + n
        days.add(day)
        (person_days if source in PERSON_SOURCES else selfback_days).add(day)
    person = sum(n for source, n in by_source.items() if source in PERSON_SOURCES)
    total = sum(by_source.values())
    return CrisisSummary(
        total,
        dict(sorted(by_source.items())),
        len(days),
        by_person=person,
        person_days=len(person_days),
        by_selfback=total - person,
        selfback_days=len(selfback_days),
    )


def top_tags(store: Store, rng: DateRange, limit: int = 12) -> list[TagCount]:
    return [TagCount(*w) for w in queries.top_words(store, rng.lo, rng.hi, limit)]


def influence(store: Store, rng: DateRange) -> InfluenceTable:
    """Mood on days with and without each tag and tracker (``insights.influence``)."""
    return InfluenceTable(influence_table(store, rng.start, rng.end))


def build_summary(
    store: Store,
    rng: DateRange,
    *,
    generated_at: datetime,
    max_points: int = 400,
    days_bucket: Bucket | None = None,
    include_crisis: bool = False,
    include_influence: bool = True,
) -> Summary:
    """Everything trends and the report show, for one range, in one read snapshot."""
    with read_snapshot(store):
        bucket = choose_bucket(rng, max_points)
        cd_bucket = days_bucket or ("week" if rng.days <= 26 * 7 else "month")
        return Summary(
            range=rng,
            generated_at=generated_at,
            overview=overview(store, rng),
            series=series(store, rng, bucket),
            checkin_days=checkin_days(store, rng, cd_bucket),
            checkin_days_bucket=cd_bucket,
            skills=skills(store, rng),
            measures=measures(store, rng),
            measure_flags=measure_flags(store, rng),
            top_tags=top_tags(store, rng),
            crisis=crisis(store, rng) if include_crisis else None,
            influence=influence(store, rng) if include_influence else None,
        )


JSON = None | bool | int | float | str | list["JSON"] | dict[str, "JSON"]


def jsonable(value: object) -> JSON:
    """Dataclasses, dates and tuples as JSON-ready values (for ``trends --json``)."""
    if isinstance(value, InfluenceRow):
        return jsonable(value.to_json())
    if isinstance(value, InfluenceTable):
        return {"columns": jsonable(value.columns), "rows": jsonable(value.rows)}
    if is_dataclass(value) and not isinstance(value, type):
        out = {k: jsonable(v) for k, v in vars(value).items()}
        for name in dir(type(value)):
            attr = getattr(type(value), name, None)
            if isinstance(attr, property) and name not in ("first", "latest"):
                out[name] = jsonable(getattr(value, name))
        return out
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, float):
        return round(value, 3)
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)
