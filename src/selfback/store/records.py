"""Whole records for exports: streamed, range-limited, typed.

Each ``iter_*`` function reads with ``fetchmany``, so a ten-year log never sits in memory
at once, and yields frozen records with the columns of ``selfback.store.migrations``
exactly as stored (timestamps as text, with their offsets). Check-ins come with their
tags, emotions and tracker values gathered by SQLite (``json_group_array``) in the same
query, tags in alphabetical order and values by tracker id.

``lo`` and ``hi`` are local dates (ISO text, inclusive). ``notes=False`` leaves out every
piece of free text the person wrote: check-in notes, text-tracker answers, and the
answers typed during coping skills.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from selfback.store.checkins import Checkin, TrackerValue
from selfback.store.db import Store
from selfback.store.reading import (
    CRISIS_IN,
    MEASURE_IN,
    RISK_IN,
    SESSION_IN,
    exists,
    one,
    rows,
    span,
    tuples,
)
from selfback.store.safety import CrisisOpening, PlanVersionRow, RiskFlag
from selfback.store.trends import answer_tuple, json_list

_CHECKIN_SQL = """
    SELECT c.id, c.uid, c.ts, c.ts_utc, c.local_date, c.mood, c.energy, c.anxiety,
           c.sleep_hours, c.note, c.created_at, c.updated_at,
           (SELECT json_group_array(json_array(kind, value)) FROM
               (SELECT kind, value FROM checkin_tags WHERE checkin_id = c.id
                ORDER BY kind, value)) AS words,
           CASE WHEN EXISTS (SELECT 1 FROM checkin_values WHERE checkin_id = c.id) THEN
           (SELECT json_group_array(json_array(tracker_id, tracker_version, label, kind,
                                                value_num, value_text, unit))
              FROM (SELECT * FROM checkin_values WHERE checkin_id = c.id
                    ORDER BY tracker_id)) END AS vals
    FROM checkins c
    WHERE c.local_date BETWEEN ? AND ?
    ORDER BY c.ts_utc, c.id
"""


def _value(v: list[object]) -> TrackerValue:
    tracker_id, version, label, kind, num, text, unit = (list(v) + [None] * 7)[:7]
    return TrackerValue(
        str(tracker_id),
        int(version) if isinstance(version, int) else 1,
        None if label is None else str(label),
        str(kind),
        float(num) if isinstance(num, int | float) else None,
        None if text is None else str(text),
        None if unit is None else str(unit),
    )


def _words(raw: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(emotions, tags) from the query's JSON list of [kind, value] pairs."""
    if not raw or raw == "[]":
        return (), ()
    emotions: list[str] = []
    tags: list[str] = []
    for pair in json.loads(raw):
        (emotions if pair[0] == "emotion" else tags).append(pair[1])
    return tuple(emotions), tuple(tags)


def _values(raw: str | None, notes: bool) -> tuple[TrackerValue, ...]:
    if not raw:
        return ()
    values = (_value(v) for v in json.loads(raw))
    return tuple(v for v in values if notes or v.kind != "text" or v.value_text is None)


def _checkin(r: tuple[Any, ...], notes: bool) -> Checkin:
    emotions, tags = _words(r[12])
    return Checkin(
        r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8],
        r[9] if notes else None,
        r[10], r[11], emotions, tags, _values(r[13], notes),
    )  # fmt: skip


def iter_checkins(store: Store, lo: str, hi: str, *, notes: bool) -> Iterator[Checkin]:
    """Check-ins in the range, oldest first, each with its tags, emotions and values.

    The hot loop of big exports: columns come as SQLite stores them (the schema's types),
    tags and values as the JSON SQLite builds."""
    for r in tuples(store, _CHECKIN_SQL, (lo, hi)):
        yield _checkin(r, notes)


@dataclass(frozen=True)
class SessionRecord:
    """A coping session as stored (``coping_sessions``), its answers decoded."""

    uid: str
    skill_id: str
    skill_version: int
    skill_title: str | None
    situation: str | None
    distress_before: int | None
    distress_after: int | None
    started_at: str
    started_utc: str
    ended_at: str | None
    status: str
    answers: tuple[object, ...]  # {"step", "kind", "answer"} objects; () without notes

    @property
    def drop(self) -> int | None:
        if self.distress_before is None or self.distress_after is None:
            return None
        return self.distress_before - self.distress_after


SESSION_FIELDS = (
    "uid",
    "skill_id",
    "skill_version",
    "skill_title",
    "situation",
    "distress_before",
    "distress_after",
    "started_at",
    "started_utc",
    "ended_at",
    "status",
)


def iter_sessions(store: Store, lo: str, hi: str, *, notes: bool) -> Iterator[SessionRecord]:
    cols = ", ".join(SESSION_FIELDS)
    for r in rows(
        store,
        f"SELECT {cols}, answers FROM coping_sessions WHERE {SESSION_IN} ORDER BY started_utc, id",
        span(lo, hi),
    ):
        yield SessionRecord(
            uid=str(r["uid"]),
            skill_id=str(r["skill_id"]),
            skill_version=int(r["skill_version"]),
            skill_title=r["skill_title"],
            situation=r["situation"],
            distress_before=r["distress_before"],
            distress_after=r["distress_after"],
            started_at=str(r["started_at"]),
            started_utc=str(r["started_utc"]),
            ended_at=r["ended_at"],
            status=str(r["status"]),
            answers=tuple(json_list(r["answers"])) if notes else (),
        )


@dataclass(frozen=True)
class MeasureRecord:
    """A questionnaire result as stored (``measure_results``)."""

    uid: str
    instrument: str
    instrument_version: int
    taken_at: str
    taken_utc: str
    total: int
    band: str
    answers: tuple[int | None, ...]  # None: not asked or not answered
    flags: tuple[str, ...]

    @property
    def partial(self) -> bool:
        """Saved before the end: never a score (see ``selfback.store.measures``)."""
        return self.band == "partial" or "partial" in self.flags


def iter_measures(store: Store, lo: str, hi: str) -> Iterator[MeasureRecord]:
    for r in rows(
        store,
        "SELECT uid, instrument, instrument_version, taken_at, taken_utc, total, band,"
        f" answers, flags FROM measure_results WHERE {MEASURE_IN} ORDER BY taken_utc, id",
        span(lo, hi),
    ):
        yield MeasureRecord(
            uid=str(r["uid"]),
            instrument=str(r["instrument"]),
            instrument_version=int(r["instrument_version"]),
            taken_at=str(r["taken_at"]),
            taken_utc=str(r["taken_utc"]),
            total=int(r["total"]),
            band=str(r["band"]),
            answers=answer_tuple(r["answers"]),
            flags=tuple(str(f) for f in json_list(r["flags"])),
        )


def iter_crisis(store: Store, lo: str, hi: str) -> Iterator[CrisisOpening]:
    for r in rows(
        store,
        "SELECT id, uid, opened_at, opened_utc, source FROM crisis_openings"
        f" WHERE {CRISIS_IN} ORDER BY opened_utc, id",
        span(lo, hi),
    ):
        yield CrisisOpening(
            int(r["id"]), str(r["uid"]), str(r["opened_at"]), str(r["opened_utc"]), str(r["source"])
        )


def iter_risk_flags(store: Store, lo: str, hi: str) -> Iterator[RiskFlag]:
    for r in rows(
        store,
        "SELECT id, uid, flagged_at, flagged_utc, source, kind, ref_uid FROM risk_flags"
        f" WHERE {RISK_IN} ORDER BY flagged_utc, id",
        span(lo, hi),
    ):
        yield RiskFlag(
            id=int(r["id"]),
            uid=str(r["uid"]),
            flagged_at=str(r["flagged_at"]),
            flagged_utc=str(r["flagged_utc"]),
            source=str(r["source"]),
            kind=str(r["kind"]),
            ref_uid=None if r["ref_uid"] is None else str(r["ref_uid"]),
        )


def iter_plans(store: Store) -> Iterator[PlanVersionRow]:
    """Every saved version of the safety plan (its whole history), oldest first."""
    for r in rows(
        store,
        "SELECT ROW_NUMBER() OVER (ORDER BY id) AS number, id, uid, saved_at, saved_utc, plan"
        " FROM safety_plan_versions ORDER BY saved_utc, id",
    ):
        yield PlanVersionRow(
            int(r["number"]),
            int(r["id"]),
            str(r["uid"]),
            str(r["saved_at"]),
            str(r["saved_utc"]),
            str(r["plan"]),
        )


def plan_object(version: PlanVersionRow) -> dict[str, object]:
    """A stored plan version's JSON object ({} when the text is not one)."""
    try:
        value = json.loads(version.plan)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True)
class RecordCounts:
    """How many records of each type are in a range (None: that part is not included)."""

    checkins: int
    coping_sessions: int
    measure_results: int
    crisis_openings: int | None = None
    safety_plan_versions: int | None = None

    @property
    def total(self) -> int:
        return sum(
            n
            for n in (
                self.checkins,
                self.coping_sessions,
                self.measure_results,
                self.crisis_openings,
                self.safety_plan_versions,
            )
            if n is not None
        )


def count_records(store: Store, lo: str, hi: str, *, crisis: bool, plan: bool) -> RecordCounts:
    """How many records of each included type fall in the range (for progress bars)."""
    return RecordCounts(
        checkins=int(
            one(store, "SELECT count(*) FROM checkins WHERE local_date BETWEEN ? AND ?", (lo, hi))[
                0
            ]
        ),
        coping_sessions=int(
            one(store, f"SELECT count(*) FROM coping_sessions WHERE {SESSION_IN}", span(lo, hi))[0]
        ),
        measure_results=int(
            one(store, f"SELECT count(*) FROM measure_results WHERE {MEASURE_IN}", span(lo, hi))[0]
        ),
        crisis_openings=int(
            one(store, f"SELECT count(*) FROM crisis_openings WHERE {CRISIS_IN}", span(lo, hi))[0]
        )
        if crisis
        else None,
        safety_plan_versions=int(one(store, "SELECT count(*) FROM safety_plan_versions")[0])
        if plan
        else None,
    )


@dataclass(frozen=True)
class PrivateParts:
    """Which private parts a range holds, so the person is asked only about those."""

    notes: bool  # check-in notes, text-tracker answers, answers typed in skills
    crisis_openings: bool
    risk_flags: bool
    plan: bool  # any saved version of the safety plan (it is not range-limited)

    @property
    def crisis(self) -> bool:
        """The crisis part: the openings of the crisis screen and the risk flags."""
        return self.crisis_openings or self.risk_flags


def private_parts(store: Store, lo: str, hi: str) -> PrivateParts:
    notes = (
        exists(
            store,
            "SELECT 1 FROM checkins WHERE local_date BETWEEN ? AND ?"
            " AND note IS NOT NULL AND trim(note) != ''",
            (lo, hi),
        )
        or exists(
            store,
            "SELECT 1 FROM checkins c CROSS JOIN checkin_values v ON c.id = v.checkin_id"
            " WHERE c.local_date BETWEEN ? AND ? AND v.kind = 'text'"
            " AND v.value_text IS NOT NULL",
            (lo, hi),
        )
        or exists(
            store,
            f"SELECT 1 FROM coping_sessions WHERE {SESSION_IN} AND answers NOT IN ('', '[]')",
            span(lo, hi),
        )
    )
    return PrivateParts(
        notes=notes,
        crisis_openings=exists(
            store, f"SELECT 1 FROM crisis_openings WHERE {CRISIS_IN}", span(lo, hi)
        ),
        risk_flags=exists(store, f"SELECT 1 FROM risk_flags WHERE {RISK_IN}", span(lo, hi)),
        plan=exists(store, "SELECT 1 FROM safety_plan_versions"),
    )
