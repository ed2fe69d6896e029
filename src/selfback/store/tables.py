"""Flat rows for tables (the CSV files), tracker figures and the diary card's days.

Every query runs over a range of local dates (``lo`` and ``hi``, inclusive) and drives
from the check-ins' date index (``CROSS JOIN`` keeps SQLite from starting at the tags or
values table), so a year of a ten-year log reads only that year.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from selfback.store.db import Store
from selfback.store.reading import MEASURE_IN, Param, exists, one, rows, span, tuples

Cell = Param  # str | int | float | None


class TagRow(NamedTuple):
    checkin_uid: str
    kind: str  # "tag" or "emotion"
    value: str


def iter_tag_rows(store: Store, lo: str, hi: str) -> Iterator[TagRow]:
    """Every tag and emotion in the range, with its check-in's uid."""
    for uid, kind, value in tuples(
        store,
        """
        SELECT c.uid, t.kind, t.value
        FROM checkins c CROSS JOIN checkin_tags t ON t.checkin_id = c.id
        WHERE c.local_date BETWEEN ? AND ?
        ORDER BY c.ts_utc, c.id, t.kind, t.value
        """,
        (lo, hi),
    ):
        yield TagRow(str(uid), str(kind), str(value))


class ValueRow(NamedTuple):
    checkin_uid: str
    tracker_id: str
    tracker_version: int
    label: str | None
    kind: str
    value_num: float | None
    value_text: str | None
    unit: str | None


def iter_value_rows(store: Store, lo: str, hi: str, *, notes: bool) -> Iterator[ValueRow]:
    """Tracker answers in the range, each with its check-in's uid (text ones need notes)."""
    for r in tuples(
        store,
        """
        SELECT c.uid, v.tracker_id, v.tracker_version, v.label, v.kind, v.value_num,
               v.value_text, v.unit
        FROM checkins c CROSS JOIN checkin_values v ON c.id = v.checkin_id
        WHERE c.local_date BETWEEN ? AND ?
        ORDER BY +c.ts_utc, c.id, v.tracker_id
        """,
        (lo, hi),
    ):
        uid, tracker_id, version, label, kind, num, text, unit = r
        if notes or kind != "text" or text is None:
            yield ValueRow(
                str(uid),
                str(tracker_id),
                int(version or 1),
                None if label is None else str(label),
                str(kind),
                None if num is None else float(num),
                None if text is None else str(text),
                None if unit is None else str(unit),
            )


# The columns of a check-in as one flat row (tags and emotions joined with "; "):
# uid, date, time, ts, ts_utc, mood, anxiety, energy, sleep_hours, tags, emotions,
# [note,] created_at, updated_at.
def _table_sql(notes: bool) -> str:
    note = "c.note," if notes else ""
    return f"""
        SELECT c.uid, c.local_date, substr(c.ts, 12, 5), c.ts, c.ts_utc, c.mood, c.anxiety,
               c.energy, c.sleep_hours,
               (SELECT group_concat(value, '; ') FROM (SELECT value FROM checkin_tags
                  WHERE checkin_id = c.id AND kind = 'tag' ORDER BY value)),
               (SELECT group_concat(value, '; ') FROM (SELECT value FROM checkin_tags
                  WHERE checkin_id = c.id AND kind = 'emotion' ORDER BY value)),
               {note} c.created_at, c.updated_at, c.id
        FROM checkins c
        WHERE c.local_date BETWEEN ? AND ?
        ORDER BY c.ts_utc, c.id
    """


class Answer(NamedTuple):
    tracker_id: str
    kind: str
    value_num: float | None
    value_text: str | None


class CheckinLine(NamedTuple):
    cells: tuple[Cell, ...]  # the columns above
    answers: tuple[Answer, ...]  # the check-in's tracker answers (text ones need notes)


def iter_checkin_lines(
    store: Store, lo: str, hi: str, *, notes: bool, answers: bool
) -> Iterator[CheckinLine]:
    """Check-ins as flat rows, for tables such as checkins.csv. With ``answers``, each
    comes with its tracker answers, read by a second query in the same order and merged
    as both stream, so check-ins without answers cost nothing extra."""
    params = (lo, hi)
    found: Iterator[tuple[Param, ...]] = iter(())
    if answers:
        found = tuples(
            store,
            """
            SELECT c.id, v.tracker_id, v.kind, v.value_num, v.value_text
            FROM checkins c CROSS JOIN checkin_values v ON c.id = v.checkin_id
            WHERE c.local_date BETWEEN ? AND ?
            ORDER BY +c.ts_utc, c.id
            """,
            params,
        )
    pending = next(found, None)
    for r in tuples(store, _table_sql(notes), params):
        checkin_id = r[-1]
        mine: list[Answer] = []
        while pending is not None and pending[0] == checkin_id:
            _cid, tracker_id, kind, num, text = pending
            if notes or kind != "text":
                mine.append(
                    Answer(
                        str(tracker_id),
                        str(kind),
                        None if num is None else float(num),
                        None if text is None else str(text),
                    )
                )
            pending = next(found, None)
        yield CheckinLine(r[:-1], tuple(mine))


@dataclass(frozen=True)
class TrackerStat:
    """One tracker's answers in a range, from the stored values (so a tracker whose file
    is gone, or that was renamed, is still there, under its newest stored label)."""

    tracker_id: str
    label: str
    kinds: tuple[str, ...]
    unit: str | None
    answers: int
    days: int
    avg: float | None  # scale and number answers
    low: float | None
    high: float | None
    yes_days: int  # yesno: days with at least one yes
    yesno_days: int  # yesno: days answered
    top: tuple[tuple[str, int], ...] = ()  # choice and tags: the most frequent answers

    @property
    def text_only(self) -> bool:
        return self.kinds == ("text",)


_TRACKER_STATS_SQL = """
    SELECT v.tracker_id AS id,
           max(c.ts_utc || char(31) || coalesce(v.label, '')) AS newest_label,
           max(c.ts_utc || char(31) || coalesce(v.unit, '')) AS newest_unit,
           group_concat(DISTINCT v.kind) AS kinds,
           count(*) AS answers,
           count(DISTINCT c.local_date) AS days,
           avg(CASE WHEN v.kind IN ('scale', 'number') THEN v.value_num END) AS avg,
           min(CASE WHEN v.kind IN ('scale', 'number') THEN v.value_num END) AS low,
           max(CASE WHEN v.kind IN ('scale', 'number') THEN v.value_num END) AS high,
           count(DISTINCT CASE WHEN v.kind = 'yesno' AND v.value_num > 0
                               THEN c.local_date END) AS yes_days,
           count(DISTINCT CASE WHEN v.kind = 'yesno' THEN c.local_date END) AS yesno_days
    FROM checkins c CROSS JOIN checkin_values v ON v.checkin_id = c.id
    WHERE c.local_date BETWEEN ? AND ?
    GROUP BY v.tracker_id
"""

_TRACKER_WORDS_SQL = """
    SELECT v.tracker_id AS id, j.value AS word, count(*) AS n
    FROM checkins c CROSS JOIN checkin_values v ON v.checkin_id = c.id,
         json_each(CASE WHEN v.kind = 'tags' AND json_valid(v.value_text) THEN v.value_text
                        ELSE json_array(v.value_text) END) AS j
    WHERE c.local_date BETWEEN ? AND ? AND v.kind IN ('choice', 'tags')
          AND v.value_text IS NOT NULL
    GROUP BY v.tracker_id, j.value
    ORDER BY v.tracker_id, n DESC, j.value
"""


def _after_sep(value: object) -> str:
    text = "" if value is None else str(value)
    return text.split("\x1f", 1)[1] if "\x1f" in text else text


def tracker_stats(store: Store, lo: str, hi: str, *, top: int = 5) -> list[TrackerStat]:
    """Every tracker stored in ``checkin_values`` with an answer in the range: two grouped
    queries driven from the check-ins' date index."""
    stats = list(rows(store, _TRACKER_STATS_SQL, (lo, hi)))
    words: dict[str, list[tuple[str, int]]] = {}
    kinds = {str(r["id"]): set(str(r["kinds"] or "").split(",")) - {""} for r in stats}
    if top > 0 and any({"choice", "tags"} & k for k in kinds.values()):
        for r in rows(store, _TRACKER_WORDS_SQL, (lo, hi)):
            found = words.setdefault(str(r["id"]), [])
            if len(found) < top and r["word"] is not None:
                found.append((str(r["word"]), int(r["n"])))
    return [
        TrackerStat(
            tracker_id=str(r["id"]),
            label=_after_sep(r["newest_label"]) or str(r["id"]),
            kinds=tuple(sorted(kinds[str(r["id"])])),
            unit=_after_sep(r["newest_unit"]) or None,
            answers=int(r["answers"]),
            days=int(r["days"]),
            avg=r["avg"],
            low=r["low"],
            high=r["high"],
            yes_days=int(r["yes_days"] or 0),
            yesno_days=int(r["yesno_days"] or 0),
            top=tuple(words.get(str(r["id"]), ())),
        )
        for r in stats
    ]


def measure_width(store: Store, lo: str, hi: str) -> int:
    """The most answers any questionnaire result in the range has."""
    row = one(
        store,
        f"SELECT max(json_array_length(answers)) FROM measure_results WHERE {MEASURE_IN}",
        span(lo, hi),
    )
    return int(row[0] or 0)


def instruments_in(store: Store, lo: str, hi: str) -> list[str]:
    """The questionnaires with a result in the range."""
    return [
        str(r[0])
        for r in rows(
            store,
            f"SELECT DISTINCT instrument FROM measure_results WHERE {MEASURE_IN}",
            span(lo, hi),
        )
    ]


# -- the DBT diary card -----------------------------------------------------------------


@dataclass(frozen=True)
class DiaryDay:
    """One day of the diary card: the day's highest answer to each urge tracker, whether
    any check-in said an urge was acted on, every skill and emotion named (alphabetical),
    and the day's average sleep."""

    urges: dict[str, int] = field(default_factory=dict)  # urge tracker id -> 0-5
    acted: dict[str, bool] = field(default_factory=dict)  # "acted" tracker id -> yes/no
    skills: tuple[str, ...] = ()
    emotions: tuple[str, ...] = ()
    sleep: float | None = None

    def answered(self) -> bool:
        """At least one diary-card answer (not only emotions or sleep)."""
        return bool(self.urges or self.acted or self.skills)


def _in_list(ids: tuple[str, ...]) -> str:
    return ", ".join("?" for _ in ids)


def has_values_of(store: Store, lo: str, hi: str, trackers: tuple[str, ...]) -> bool:
    """Whether any of ``trackers`` was answered in the range."""
    return exists(
        store,
        "SELECT 1 FROM checkins c CROSS JOIN checkin_values v ON v.checkin_id = c.id"
        f" WHERE c.local_date BETWEEN ? AND ? AND v.tracker_id IN ({_in_list(trackers)})",
        (lo, hi, *trackers),
    )


def diary_sql(urges: tuple[str, ...], acted: tuple[str, ...], skills: str) -> str:
    """The diary card's one query (parameters: ``diary_params``)."""
    return f"""
    SELECT c.local_date, v.tracker_id, max(v.value_num), NULL
    FROM checkins c CROSS JOIN checkin_values v ON v.checkin_id = c.id
    WHERE c.local_date BETWEEN ? AND ? AND v.tracker_id IN ({_in_list(urges + acted)})
    GROUP BY c.local_date, v.tracker_id
    UNION ALL
    SELECT c.local_date, '~skills', NULL, json_group_array(DISTINCT j.value)
    FROM checkins c CROSS JOIN checkin_values v
           ON v.checkin_id = c.id AND v.tracker_id = ?,
         json_each(CASE WHEN json_valid(v.value_text) THEN v.value_text ELSE '[]' END) AS j
    WHERE c.local_date BETWEEN ? AND ?
    GROUP BY c.local_date
    UNION ALL
    SELECT c.local_date, '~emotions', NULL, json_group_array(DISTINCT t.value)
    FROM checkins c CROSS JOIN checkin_tags t ON t.checkin_id = c.id AND t.kind = 'emotion'
    WHERE c.local_date BETWEEN ? AND ?
    GROUP BY c.local_date
    UNION ALL
    SELECT local_date, '~sleep', avg(sleep_hours), NULL
    FROM checkins
    WHERE local_date BETWEEN ? AND ? AND sleep_hours IS NOT NULL
    GROUP BY local_date
"""


def diary_params(
    lo: str, hi: str, urges: tuple[str, ...], acted: tuple[str, ...], skills: str
) -> tuple[str, ...]:
    return (lo, hi, *urges, *acted, skills, lo, hi, lo, hi, lo, hi)


def _words(text: object) -> tuple[str, ...]:
    try:
        items = json.loads(str(text))
    except ValueError:
        return ()
    if not isinstance(items, list):
        return ()
    return tuple(sorted({str(w) for w in items if w is not None}))


def diary_days(
    store: Store,
    lo: str,
    hi: str,
    *,
    urges: tuple[str, ...],
    acted: tuple[str, ...],
    skills: str,
) -> dict[str, DiaryDay]:
    """The diary card's days in the range (by local date), in one query. Days with
    emotions or sleep but no diary-card answer are included too (the caller decides which
    weeks to show)."""
    days: dict[str, None] = {}  # in the order met
    urges_by: dict[str, dict[str, int]] = {}
    acted_by: dict[str, dict[str, bool]] = {}
    skills_by: dict[str, tuple[str, ...]] = {}
    emotions_by: dict[str, tuple[str, ...]] = {}
    sleep_by: dict[str, float] = {}
    sql = diary_sql(urges, acted, skills)
    for day, key, num, text in tuples(store, sql, diary_params(lo, hi, urges, acted, skills)):
        d = str(day)
        days[d] = None
        if key == "~emotions":
            emotions_by[d] = _words(text)
        elif key == "~sleep":
            sleep_by[d] = float(num or 0)
        elif key == "~skills":
            skills_by[d] = _words(text)
        elif num is not None and key in acted:
            acted_by.setdefault(d, {})[str(key)] = bool(num)
        elif num is not None:
            urges_by.setdefault(d, {})[str(key)] = int(num)
    return {
        d: DiaryDay(
            urges=urges_by.get(d, {}),
            acted=acted_by.get(d, {}),
            skills=skills_by.get(d, ()),
            emotions=emotions_by.get(d, ()),
            sleep=sleep_by.get(d),
        )
        for d in days
    }
