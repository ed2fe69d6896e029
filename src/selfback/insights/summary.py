"""The numbers behind ``selfback trends`` and the therapist report.

Every figure is computed by SQLite (GROUP BY over a date range), so a ten-year log costs
a few thousand aggregate rows, never one Python object per check-in. Functions take an
open ``Store`` and a ``DateRange`` and return plain dataclasses.

Small samples are marked, never hidden: a skill used once, a week with one check-in.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, is_dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from selfback.insights.measureinfo import measure_info
from selfback.periods import DateRange, Period
from selfback.store.db import Store, explain

Bucket = Literal["day", "week", "month"]

# Below these counts a figure is shown with a "small sample" label.
SMALL_SKILL_SAMPLE = 5
SMALL_CHECKIN_SAMPLE = 7

SESSION_DAY = "substr(started_at, 1, 10)"
MEASURE_DAY = "substr(taken_at, 1, 10)"
CRISIS_DAY = "substr(opened_at, 1, 10)"


def _in_days(local: str, utc: str) -> str:
    """Records whose LOCAL date is in a range, found through the indexed UTC column first
    (a UTC time is at most 14 hours from local time), then checked exactly."""
    return f"{utc} >= ? AND {utc} < ? AND substr({local}, 1, 10) BETWEEN ? AND ?"


SESSION_IN = _in_days("started_at", "started_utc")
MEASURE_IN = _in_days("taken_at", "taken_utc")
CRISIS_IN = _in_days("opened_at", "opened_utc")


def span(lo: str, hi: str) -> tuple[str, str, str, str]:
    """Parameters for ``*_IN``: a UTC window a day wider on each side, then the dates."""
    try:
        utc_lo = (date.fromisoformat(lo) - timedelta(days=1)).isoformat()
    except (ValueError, OverflowError):
        utc_lo = ""
    try:
        utc_hi = (date.fromisoformat(hi) + timedelta(days=2)).isoformat()
    except (ValueError, OverflowError):
        utc_hi = "9999-99"
    return utc_lo, utc_hi, lo, hi


def rows(
    store: Store, sql: str, params: tuple[Any, ...] = (), *, plain: bool = False
) -> Iterator[Any]:
    """Stream rows one at a time (``sqlite3.Row``, or plain tuples with ``plain``, which
    is faster for big tables); sqlite errors become one plain sentence."""
    try:
        cur = store.conn.cursor()
        if plain:
            cur.row_factory = None
        cur.execute(sql, params)
        while True:
            batch = cur.fetchmany(500)
            if not batch:
                return
            yield from batch
    except sqlite3.Error as exc:
        raise explain(exc, store.path) from exc


def one(store: Store, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Row:
    try:
        row = store.conn.execute(sql, params).fetchone()
    except sqlite3.Error as exc:
        raise explain(exc, store.path) from exc
    assert row is not None
    return row


# -- the range ----------------------------------------------------------------------------


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

    def parse(value: object) -> date | None:
        try:
            return date.fromisoformat(str(value)) if value else None
        except ValueError:
            return None

    return parse(row["lo"]), parse(row["hi"])


def resolve_range(store: Store, spec: Period, today: date) -> DateRange:
    """Close an open range: from the first record, up to today (or the last record)."""
    first, last = first_and_last_dates(store)
    end = spec.until or max(today, last or today)
    start = spec.since or (first if first and first <= end else end)
    if start > end:
        start = end
    return DateRange(start, end)


# -- buckets ------------------------------------------------------------------------------


def choose_bucket(rng: DateRange, max_points: int) -> Bucket:
    if rng.days <= max_points:
        return "day"
    if rng.days / 7 <= max_points:
        return "week"
    return "month"


def bucket_sql(column: str, bucket: Bucket) -> str:
    if bucket == "day":
        return column
    if bucket == "week":
        return f"date({column}, '-6 days', 'weekday 1')"
    return f"substr({column}, 1, 7) || '-01'"


def bucket_start(d: date, bucket: Bucket) -> date:
    if bucket == "day":
        return d
    if bucket == "week":
        return d - timedelta(days=d.weekday())
    return d.replace(day=1)


def next_bucket(d: date, bucket: Bucket) -> date:
    if bucket == "day":
        return d + timedelta(days=1)
    if bucket == "week":
        return d + timedelta(days=7)
    return (d.replace(day=28) + timedelta(days=4)).replace(day=1)


def bucket_starts(rng: DateRange, bucket: Bucket) -> list[date]:
    out = []
    d = bucket_start(rng.start, bucket)
    while d <= rng.end:
        out.append(d)
        d = next_bucket(d, bucket)
    return out


# -- data classes -------------------------------------------------------------------------


@dataclass
class Overview:
    checkins: int = 0
    checkin_days: int = 0
    mood_avg: float | None = None
    mood_min: int | None = None
    mood_max: int | None = None
    anxiety_avg: float | None = None
    energy_avg: float | None = None
    sleep_avg: float | None = None
    sessions: int = 0
    measures: int = 0


@dataclass
class SeriesPoint:
    start: date
    end: date  # inclusive, clipped to the range
    checkins: int = 0
    mood: float | None = None
    mood_min: int | None = None
    mood_max: int | None = None
    anxiety: float | None = None
    energy: float | None = None
    sleep: float | None = None
    sessions: int = 0
    distress_before: float | None = None
    distress_after: float | None = None


@dataclass
class Series:
    bucket: Bucket
    points: list[SeriesPoint]


@dataclass
class CheckinDays:
    start: date
    end: date  # inclusive, clipped to the range
    days_with_checkin: int
    days: int

    @property
    def per_week(self) -> float:
        return self.days_with_checkin * 7 / self.days if self.days else 0.0


@dataclass
class SkillRow:
    skill_id: str
    title: str
    situation: str | None
    uses: int
    completed: int
    rated: int  # sessions with both a before and an after rating
    before_avg: float | None
    after_avg: float | None
    dropped_2: int  # rated sessions where distress fell by 2 or more

    @property
    def share_dropped_2(self) -> float | None:
        return self.dropped_2 / self.rated if self.rated else None

    @property
    def small_sample(self) -> bool:
        return self.rated < SMALL_SKILL_SAMPLE


@dataclass
class SkillSummary(SkillRow):
    situations: list[SkillRow] = field(default_factory=list)


@dataclass
class MeasurePoint:
    uid: str
    taken_at: str
    day: date
    total: int
    display: int
    band: str
    band_label: str
    flags: list[str]
    item9: int | None  # PHQ-9 item 9 answer (None when not a PHQ-9 or not answered)

    @property
    def flagged(self) -> bool:
        return bool(self.flags) or bool(self.item9)


@dataclass
class MeasureSummary:
    instrument: str
    name: str
    max_display: int
    unit: str
    higher_is: str
    meaningful_change: int | None
    points: list[MeasurePoint]

    @property
    def first(self) -> MeasurePoint:
        return self.points[0]

    @property
    def latest(self) -> MeasurePoint:
        return self.points[-1]

    @property
    def change(self) -> int | None:
        """Latest minus first, on the display scale (None with a single result)."""
        if len(self.points) < 2:
            return None
        return self.latest.display - self.first.display

    @property
    def flagged_count(self) -> int:
        return sum(1 for p in self.points if p.flagged)


@dataclass
class MeasureFlag:
    """A partial result (the person stopped after PHQ-9 item 9 was answered above 0).

    Listed as an item-9 flag, never as a score: it has no total, band or display value."""

    uid: str
    instrument: str
    name: str
    taken_at: str
    day: date
    flags: list[str]
    item9: int | None  # the answer that was kept

    partial: bool = True


@dataclass
class CrisisSummary:
    openings: int
    by_source: dict[str, int]
    days: int


@dataclass
class TagCount:
    kind: str
    value: str
    count: int


@dataclass
class InfluenceTable:
    columns: list[str]
    rows: list[dict[str, Any]]


@dataclass
class Summary:
    range: DateRange
    generated_at: datetime
    overview: Overview
    series: Series
    checkin_days: list[CheckinDays]
    checkin_days_bucket: Bucket
    skills: list[SkillSummary]
    measures: list[MeasureSummary]
    top_tags: list[TagCount]
    crisis: CrisisSummary | None = None
    influence: InfluenceTable | None = None
    # partial results, listed as item-9 flags (``measures`` holds scored results only)
    measure_flags: list[MeasureFlag] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        o = self.overview
        return not (o.checkins or o.sessions or o.measures)

    @property
    def small_sample(self) -> bool:
        return self.overview.checkins < SMALL_CHECKIN_SAMPLE


# -- queries ------------------------------------------------------------------------------


def overview(store: Store, rng: DateRange) -> Overview:
    c = one(
        store,
        """
        SELECT count(*) AS n, count(DISTINCT local_date) AS days,
               avg(mood) AS mood, min(mood) AS mood_min, max(mood) AS mood_max,
               avg(anxiety) AS anxiety, avg(energy) AS energy, avg(sleep_hours) AS sleep
        FROM checkins WHERE local_date BETWEEN ? AND ?
        """,
        (rng.lo, rng.hi),
    )
    s = one(
        store,
        f"SELECT count(*) AS n FROM coping_sessions WHERE {SESSION_IN}",
        span(rng.lo, rng.hi),
    )
    m = one(
        store,
        f"SELECT count(*) AS n FROM measure_results WHERE {MEASURE_IN}",
        span(rng.lo, rng.hi),
    )
    return Overview(
        checkins=int(c["n"]),
        checkin_days=int(c["days"]),
        mood_avg=c["mood"],
        mood_min=c["mood_min"],
        mood_max=c["mood_max"],
        anxiety_avg=c["anxiety"],
        energy_avg=c["energy"],
        sleep_avg=c["sleep"],
        sessions=int(s["n"]),
        measures=int(m["n"]),
    )


def series(store: Store, rng: DateRange, bucket: Bucket) -> Series:
    """Averages per day, week (Monday first) or month, with empty buckets kept as gaps."""
    points: dict[date, SeriesPoint] = {}
    for start in bucket_starts(rng, bucket):
        end = min(next_bucket(start, bucket) - timedelta(days=1), rng.end)
        points[start] = SeriesPoint(start=max(start, rng.start), end=end)
    b = bucket_sql("local_date", bucket)
    for r in rows(
        store,
        f"""
        SELECT {b} AS b, count(*) AS n, avg(mood) AS mood, min(mood) AS lo, max(mood) AS hi,
               avg(anxiety) AS anxiety, avg(energy) AS energy, avg(sleep_hours) AS sleep
        FROM checkins WHERE local_date BETWEEN ? AND ? GROUP BY b
        """,
        (rng.lo, rng.hi),
    ):
        p = points.get(date.fromisoformat(r["b"]))
        if p is None:
            continue
        p.checkins = int(r["n"])
        p.mood, p.mood_min, p.mood_max = r["mood"], r["lo"], r["hi"]
        p.anxiety, p.energy, p.sleep = r["anxiety"], r["energy"], r["sleep"]
    b = bucket_sql(SESSION_DAY, bucket)
    for r in rows(
        store,
        f"""
        SELECT {b} AS b, count(*) AS n,
               avg(distress_before) AS before, avg(distress_after) AS after
        FROM coping_sessions WHERE {SESSION_IN} GROUP BY b
        """,
        span(rng.lo, rng.hi),
    ):
        try:
            p = points.get(date.fromisoformat(r["b"]))
        except (TypeError, ValueError):
            continue
        if p is None:
            continue
        p.sessions = int(r["n"])
        p.distress_before, p.distress_after = r["before"], r["after"]
    return Series(bucket, list(points.values()))


def checkin_days(store: Store, rng: DateRange, bucket: Bucket) -> list[CheckinDays]:
    """How many days had at least one check-in, per week or month. No streaks."""
    counts: dict[str, int] = {}
    b = bucket_sql("local_date", bucket)
    for r in rows(
        store,
        f"""
        SELECT {b} AS b, count(DISTINCT local_date) AS days
        FROM checkins WHERE local_date BETWEEN ? AND ? GROUP BY b
        """,
        (rng.lo, rng.hi),
    ):
        counts[r["b"]] = int(r["days"])
    out = []
    for start in bucket_starts(rng, bucket):
        lo = max(start, rng.start)
        hi = min(next_bucket(start, bucket) - timedelta(days=1), rng.end)
        out.append(CheckinDays(lo, hi, counts.get(start.isoformat(), 0), (hi - lo).days + 1))
    return out


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


def skills(store: Store, rng: DateRange) -> list[SkillSummary]:
    """Per skill, and per situation within it: uses and distress before and after.

    Averages use only sessions rated both before and after, so before and after compare
    the same sessions.
    """
    by_skill: dict[str, SkillSummary] = {}
    sums: dict[str, list[float]] = {}
    titles = {
        r["skill_id"]: r["title"]
        for r in rows(
            store,
            # SQLite takes the bare column from the row holding max(): the newest title
            f"SELECT skill_id, skill_title AS title, max(started_utc) FROM coping_sessions"
            f" WHERE skill_title IS NOT NULL AND {SESSION_IN} GROUP BY skill_id",
            span(rng.lo, rng.hi),
        )
    }
    for r in rows(store, _SKILL_SQL, span(rng.lo, rng.hi)):
        rated = int(r["rated"] or 0)
        row = SkillRow(
            skill_id=r["skill_id"],
            title=titles.get(r["skill_id"]) or r["skill_id"],
            situation=r["situation"],
            uses=int(r["uses"]),
            completed=int(r["completed"] or 0),
            rated=rated,
            before_avg=(r["before_sum"] / rated) if rated else None,
            after_avg=(r["after_sum"] / rated) if rated else None,
            dropped_2=int(r["dropped_2"] or 0),
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
        sums[row.skill_id][0] += r["before_sum"] or 0
        sums[row.skill_id][1] += r["after_sum"] or 0
    for sid, summary in by_skill.items():
        if summary.rated:
            summary.before_avg = sums[sid][0] / summary.rated
            summary.after_avg = sums[sid][1] / summary.rated
        summary.situations.sort(key=lambda s: (-s.uses, s.situation or ""))
    return sorted(by_skill.values(), key=lambda s: (-s.uses, s.title.lower()))


def _json_list(raw: object) -> list[Any]:
    try:
        value = json.loads(str(raw))
    except (TypeError, ValueError):
        return []
    return value if isinstance(value, list) else []


def _measure_rows(store: Store, rng: DateRange) -> Iterator[Any]:
    return rows(
        store,
        f"""
        SELECT uid, instrument, taken_at, total, band, flags, answers
        FROM measure_results WHERE {MEASURE_IN}
        ORDER BY taken_utc, id
        """,
        span(rng.lo, rng.hi),
    )


def _item9(info: Any, answers: list[Any]) -> int | None:
    item9 = None
    for position, _flag, _loinc in info.flag_items:
        if len(answers) >= position and isinstance(answers[position - 1], int):
            item9 = int(answers[position - 1])
    return item9


def _day(taken_at: object, rng: DateRange) -> date:
    try:
        return date.fromisoformat(str(taken_at)[:10])
    except ValueError:
        return rng.start


def measures(store: Store, rng: DateRange) -> list[MeasureSummary]:
    """Every scored result in the range, per instrument, oldest first.

    Partial results (``band`` "partial") are left out: they are not a score and must
    never be drawn as one; ``measure_flags`` lists them."""
    from selfback.store.measures import is_partial

    out: dict[str, MeasureSummary] = {}
    for r in _measure_rows(store, rng):
        flags = [str(f) for f in _json_list(r["flags"])]
        if is_partial(r["band"], flags):
            continue
        info = measure_info(r["instrument"])
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
        total = int(r["total"])
        summary.points.append(
            MeasurePoint(
                uid=r["uid"],
                taken_at=r["taken_at"],
                day=_day(r["taken_at"], rng),
                total=total,
                display=info.display(total),
                band=r["band"],
                band_label=info.band_label(r["band"], total),
                flags=flags,
                item9=_item9(info, _json_list(r["answers"])),
            )
        )
    order = {"phq9": 0, "gad7": 1, "who5": 2, "pcl5": 3, "phq2": 4, "gad2": 5}
    return sorted(out.values(), key=lambda m: (order.get(m.instrument, 9), m.instrument))


def measure_flags(store: Store, rng: DateRange) -> list[MeasureFlag]:
    """Partial results in the range, oldest first, as item-9 flags (never scores)."""
    from selfback.store.measures import is_partial

    out: list[MeasureFlag] = []
    for r in _measure_rows(store, rng):
        flags = [str(f) for f in _json_list(r["flags"])]
        if not is_partial(r["band"], flags):
            continue
        info = measure_info(r["instrument"])
        out.append(
            MeasureFlag(
                uid=r["uid"],
                instrument=info.id,
                name=info.name,
                taken_at=r["taken_at"],
                day=_day(r["taken_at"], rng),
                flags=flags,
                item9=_item9(info, _json_list(r["answers"])),
            )
        )
    return out


def crisis(store: Store, rng: DateRange) -> CrisisSummary:
    by_source: dict[str, int] = {}
    days = set()
    for r in rows(
        store,
        f"""
        SELECT source, {CRISIS_DAY} AS d, count(*) AS n FROM crisis_openings
        WHERE {CRISIS_IN} GROUP BY source, d
        """,
        span(rng.lo, rng.hi),
    ):
        by_source[r["source"]] = by_source.get(r["source"], 0) + int(r["n"])
        days.add(r["d"])
    return CrisisSummary(sum(by_source.values()), dict(sorted(by_source.items())), len(days))


def top_tags(store: Store, rng: DateRange, limit: int = 12) -> list[TagCount]:
    return [
        TagCount(r["kind"], r["value"], int(r["n"]))
        for r in rows(
            store,
            """
            SELECT t.kind AS kind, t.value AS value, count(*) AS n
            FROM checkins c CROSS JOIN checkin_tags t ON c.id = t.checkin_id
            WHERE c.local_date BETWEEN ? AND ?
            GROUP BY t.kind, t.value ORDER BY n DESC, t.value LIMIT ?
            """,
            (rng.lo, rng.hi, limit),
        )
    ]


# -- the influence table (another module; optional) --------------------------------------


def _row_dict(row: Any) -> dict[str, Any] | None:
    if isinstance(row, dict):
        return dict(row)
    to_json = getattr(row, "to_json", None)
    if callable(to_json):
        value = to_json()
        if isinstance(value, dict):
            return value
    if is_dataclass(row) and not isinstance(row, type):
        return asdict(row)
    for attr in ("model_dump", "_asdict", "to_dict"):
        func = getattr(row, attr, None)
        if callable(func):
            value = func()
            if isinstance(value, dict):
                return value
    if hasattr(row, "__dict__"):
        return {k: v for k, v in vars(row).items() if not k.startswith("_")}
    return None


def influence(store: Store, rng: DateRange) -> InfluenceTable | None:
    """``selfback.insights.influence.influence_table`` if it exists, made into rows.

    It is optional: when the module is missing, or fails, trends and the report carry on
    without it.
    """
    import importlib

    try:
        module = importlib.import_module("selfback.insights.influence")
    except ImportError:
        return None
    func = getattr(module, "influence_table", None)
    if not callable(func):
        return None
    try:
        result = func(store, rng.start, rng.end)
    except Exception:
        return None
    if result is None:
        return None
    raw_rows = getattr(result, "rows", result)
    try:
        items = list(raw_rows)
    except TypeError:
        return None
    out: list[dict[str, Any]] = []
    columns: list[str] = []
    for item in items:
        d = _row_dict(item)
        if d is None:
            continue
        d = {k: v for k, v in d.items() if isinstance(v, str | int | float | bool) or v is None}
        for k in d:
            if k not in columns:
                columns.append(k)
        out.append(d)
    return InfluenceTable(columns, out)


# -- all together -------------------------------------------------------------------------


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


class read_snapshot:  # noqa: N801 - used as a context manager, reads like one
    """A read transaction, so several queries see one consistent state of the log.

    Nested use is harmless: only the outermost one opens and closes the transaction.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.opened = False

    def __enter__(self) -> Store:
        if not self.store.conn.in_transaction:
            try:
                self.store.conn.execute("BEGIN")
            except sqlite3.Error as exc:
                raise explain(exc, self.store.path) from exc
            self.opened = True
        return self.store

    def __exit__(self, *exc: object) -> None:
        if self.opened and self.store.conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.store.conn.execute("COMMIT")


def jsonable(value: Any) -> Any:
    """Dataclasses, dates and tuples as JSON-ready values (for ``trends --json``)."""
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
    return value
