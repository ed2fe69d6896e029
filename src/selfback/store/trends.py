"""The aggregates behind ``selfback trends`` and the report, computed by SQLite.

Every figure is a GROUP BY over a range of local dates (``lo`` and ``hi``, ISO dates,
inclusive), so a ten-year log costs a few thousand aggregate rows, never one Python
object per check-in. ``selfback.insights.summary`` turns these rows into the summary.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Literal, NamedTuple

from selfback.store.db import Store
from selfback.store.reading import (
    CRISIS_DAY,
    CRISIS_IN,
    MEASURE_IN,
    SESSION_DAY,
    SESSION_IN,
    one,
    rows,
    span,
)

Bucket = Literal["day", "week", "month"]


def bucket_sql(column: str, bucket: Bucket) -> str:
    """The SQL for the first day of ``column``'s bucket (weeks start on Monday)."""
    if bucket == "day":
        return column
    if bucket == "week":
        return f"date({column}, '-6 days', 'weekday 1')"
    return f"substr({column}, 1, 7) || '-01'"


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def first_and_last_dates(store: Store) -> tuple[date | None, date | None]:
    """The earliest and latest day with any record (check-in, session, measure)."""
    row = one(
        store,
        """
        SELECT min(d) AS lo, max(d) AS hi FROM (
            SELECT min(local_date) AS d FROM checkins
            UNION ALL SELECT max(local_date) FROM checkins
            UNION ALL SELECT * FROM (SELECT substr(started_at, 1, 10) FROM coping_sessions
                                     ORDER BY started_utc LIMIT 1)
            UNION ALL SELECT * FROM (SELECT substr(started_at, 1, 10) FROM coping_sessions
                                     ORDER BY started_utc DESC LIMIT 1)
            UNION ALL SELECT min(substr(taken_at, 1, 10)) FROM measure_results
            UNION ALL SELECT max(substr(taken_at, 1, 10)) FROM measure_results
        )
        """,
    )
    return _date(row["lo"]), _date(row["hi"])


@dataclass(frozen=True)
class OverviewRow:
    checkins: int
    checkin_days: int
    mood_avg: float | None
    mood_min: int | None
    mood_max: int | None
    anxiety_avg: float | None
    energy_avg: float | None
    sleep_avg: float | None
    sessions: int
    measures: int


def overview(store: Store, lo: str, hi: str) -> OverviewRow:
    c = one(
        store,
        """
        SELECT count(*) AS n, count(DISTINCT local_date) AS days,
               avg(mood) AS mood, min(mood) AS mood_min, max(mood) AS mood_max,
               avg(anxiety) AS anxiety, avg(energy) AS energy, avg(sleep_hours) AS sleep
        FROM checkins WHERE local_date BETWEEN ? AND ?
        """,
        (lo, hi),
    )
    s = one(store, f"SELECT count(*) FROM coping_sessions WHERE {SESSION_IN}", span(lo, hi))
    m = one(store, f"SELECT count(*) FROM measure_results WHERE {MEASURE_IN}", span(lo, hi))
    return OverviewRow(
        checkins=int(c["n"]),
        checkin_days=int(c["days"]),
        mood_avg=c["mood"],
        mood_min=c["mood_min"],
        mood_max=c["mood_max"],
        anxiety_avg=c["anxiety"],
        energy_avg=c["energy"],
        sleep_avg=c["sleep"],
        sessions=int(s[0]),
        measures=int(m[0]),
    )


@dataclass(frozen=True)
class CheckinBucket:
    start: date
    checkins: int
    mood: float | None
    mood_min: int | None
    mood_max: int | None
    anxiety: float | None
    energy: float | None
    sleep: float | None


def checkin_buckets(store: Store, lo: str, hi: str, bucket: Bucket) -> Iterator[CheckinBucket]:
    """Check-in averages per bucket (only buckets with a check-in)."""
    b = bucket_sql("local_date", bucket)
    for r in rows(
        store,
        f"""
        SELECT {b} AS b, count(*) AS n, avg(mood) AS mood, min(mood) AS lo, max(mood) AS hi,
               avg(anxiety) AS anxiety, avg(energy) AS energy, avg(sleep_hours) AS sleep
        FROM checkins WHERE local_date BETWEEN ? AND ? GROUP BY b
        """,
        (lo, hi),
    ):
        start = _date(r["b"])
        if start is not None:
            yield CheckinBucket(
                start,
                int(r["n"]),
                r["mood"],
                r["lo"],
                r["hi"],
                r["anxiety"],
                r["energy"],
                r["sleep"],
            )


@dataclass(frozen=True)
class SessionBucket:
    start: date
    sessions: int
    distress_before: float | None
    distress_after: float | None


def session_buckets(store: Store, lo: str, hi: str, bucket: Bucket) -> Iterator[SessionBucket]:
    """Coping sessions per bucket, with the average distress before and after."""
    b = bucket_sql(SESSION_DAY, bucket)
    for r in rows(
        store,
        f"""
        SELECT {b} AS b, count(*) AS n,
               avg(distress_before) AS before, avg(distress_after) AS after
        FROM coping_sessions WHERE {SESSION_IN} GROUP BY b
        """,
        span(lo, hi),
    ):
        start = _date(r["b"])
        if start is not None:
            yield SessionBucket(start, int(r["n"]), r["before"], r["after"])


def checkin_day_counts(store: Store, lo: str, hi: str, bucket: Bucket) -> dict[date, int]:
    """Per bucket (by its first day): how many days had at least one check-in."""
    b = bucket_sql("local_date", bucket)
    out: dict[date, int] = {}
    for r in rows(
        store,
        f"""
        SELECT {b} AS b, count(DISTINCT local_date) AS days
        FROM checkins WHERE local_date BETWEEN ? AND ? GROUP BY b
        """,
        (lo, hi),
    ):
        start = _date(r["b"])
        if start is not None:
            out[start] = int(r["days"])
    return out


@dataclass(frozen=True)
class SkillUse:
    """One skill in one situation: uses and the distress sums of rated sessions."""

    skill_id: str
    situation: str | None
    uses: int
    completed: int
    rated: int  # sessions with both a before and an after rating
    before_sum: float  # over rated sessions
    after_sum: float
    dropped_2: int  # rated sessions where distress fell by 2 or more


_SKILL_SQL = f"""
    SELECT skill_id,
           nullif(trim(coalesce(situation, '')), '') AS situation,
           count(*) AS uses,
           sum(status = 'completed') AS completed,
           sum(distress_before IS NOT NULL AND distress_after IS NOT NULL) AS rated,
           sum(CASE WHEN distress_after IS NOT NULL THEN distress_before END) AS before_sum,
           sum(CASE WHEN distress_before IS NOT NULL THEN distress_after END) AS after_sum,
           sum(distress_before - distress_after >= 2) AS dropped_2
    FROM coping_sessions s
    WHERE {SESSION_IN}
    GROUP BY skill_id, nullif(trim(coalesce(situation, '')), '')
"""


def skill_uses(store: Store, lo: str, hi: str) -> Iterator[SkillUse]:
    for r in rows(store, _SKILL_SQL, span(lo, hi)):
        yield SkillUse(
            skill_id=str(r["skill_id"]),
            situation=r["situation"],
            uses=int(r["uses"]),
            completed=int(r["completed"] or 0),
            rated=int(r["rated"] or 0),
            before_sum=float(r["before_sum"] or 0),
            after_sum=float(r["after_sum"] or 0),
            dropped_2=int(r["dropped_2"] or 0),
        )


def skill_titles(store: Store, lo: str, hi: str) -> dict[str, str]:
    """Each skill's newest stored title among the sessions in the range."""
    return {
        str(r["skill_id"]): str(r["title"])
        for r in rows(
            store,
            # SQLite takes the bare column from the row holding max(): the newest title
            f"SELECT skill_id, skill_title AS title, max(started_utc) FROM coping_sessions"
            f" WHERE skill_title IS NOT NULL AND {SESSION_IN} GROUP BY skill_id",
            span(lo, hi),
        )
    }


def json_list(raw: object) -> list[object]:
    """A JSON list column, or [] when it is not one (a damaged or hand-made row)."""
    try:
        value = json.loads(str(raw))
    except (TypeError, ValueError):
        return []
    return value if isinstance(value, list) else []


@dataclass(frozen=True)
class MeasureRow:
    uid: str
    instrument: str
    taken_at: str
    total: int
    band: str
    flags: tuple[str, ...]
    answers: tuple[int | None, ...]  # None: not asked or not answered


def answer_tuple(raw: object) -> tuple[int | None, ...]:
    return tuple(
        a if isinstance(a, int) and not isinstance(a, bool) else None for a in json_list(raw)
    )


def measure_rows(store: Store, lo: str, hi: str) -> Iterator[MeasureRow]:
    """Every questionnaire result in the range, oldest first (partial ones included)."""
    for r in rows(
        store,
        f"""
        SELECT uid, instrument, taken_at, total, band, flags, answers
        FROM measure_results WHERE {MEASURE_IN}
        ORDER BY taken_utc, id
        """,
        span(lo, hi),
    ):
        yield MeasureRow(
            uid=str(r["uid"]),
            instrument=str(r["instrument"]),
            taken_at=str(r["taken_at"]),
            total=int(r["total"]),
            band=str(r["band"]),
            flags=tuple(str(f) for f in json_list(r["flags"])),
            answers=answer_tuple(r["answers"]),
        )


class CrisisCount(NamedTuple):
    source: str
    day: str  # the local date
    openings: int


def crisis_counts(store: Store, lo: str, hi: str) -> list[CrisisCount]:
    """Crisis-screen openings in the range per source and local day."""
    return [
        CrisisCount(str(r["source"]), str(r["d"]), int(r["n"]))
        for r in rows(
            store,
            f"""
            SELECT source, {CRISIS_DAY} AS d, count(*) AS n FROM crisis_openings
            WHERE {CRISIS_IN} GROUP BY source, d
            """,
            span(lo, hi),
        )
    ]


class WordCount(NamedTuple):
    kind: str  # "tag" or "emotion"
    value: str
    times: int


def top_words(store: Store, lo: str, hi: str, limit: int = 12) -> list[WordCount]:
    """The tags and emotions logged most often in the range."""
    return [
        WordCount(str(r["kind"]), str(r["value"]), int(r["n"]))
        for r in rows(
            store,
            # CROSS JOIN keeps SQLite driving from the date index (see docs/data.md)
            """
            SELECT t.kind AS kind, t.value AS value, count(*) AS n
            FROM checkins c CROSS JOIN checkin_tags t ON c.id = t.checkin_id
            WHERE c.local_date BETWEEN ? AND ?
            GROUP BY t.kind, t.value ORDER BY n DESC, t.value LIMIT ?
            """,
            (lo, hi, limit),
        )
    ]
