"""Writing imported records that are not check-ins: coping sessions, questionnaire
results, crisis-screen openings, safety-plan versions and risk flags.

Each ``insert_*`` function takes records that already carry their uid and their original
timestamps, leaves out those whose uid is in the log already (or earlier in the batch),
writes the rest with one ``executemany`` inside the caller's transaction, and returns
the ones written. Check-ins go through ``selfback.store.checkins.insert_checkins``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from selfback.store.checkins import existing_uids
from selfback.store.db import Store
from selfback.store.records import MeasureRecord, SessionRecord

T = TypeVar("T")
_CHUNK = 500  # uids per "IN (...)" lookup


@dataclass(frozen=True)
class CrisisRow:
    uid: str
    opened_at: str
    opened_utc: str
    source: str


@dataclass(frozen=True)
class PlanRow:
    uid: str
    saved_at: str
    saved_utc: str
    plan: str  # JSON text, as selfback.safety.plan writes it


@dataclass(frozen=True)
class RiskRow:
    uid: str
    flagged_at: str
    flagged_utc: str
    source: str
    kind: str
    ref_uid: str | None


def _new(db: sqlite3.Connection, table: str, rows: Sequence[T], uid: Callable[[T], str]) -> list[T]:
    """The rows whose uid is neither in ``table`` nor earlier among ``rows``."""
    have = existing_uids(db, table, [uid(r) for r in rows])
    out = []
    for r in rows:
        key = uid(r)
        if key not in have:
            have.add(key)
            out.append(r)
    return out


def insert_sessions(db: sqlite3.Connection, rows: Sequence[SessionRecord]) -> list[SessionRecord]:
    fresh = _new(db, "coping_sessions", rows, lambda r: r.uid)
    db.executemany(
        "INSERT INTO coping_sessions (uid, skill_id, skill_version, skill_title, situation,"
        " distress_before, distress_after, started_at, started_utc, ended_at, status, answers)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                r.uid,
                r.skill_id,
                r.skill_version,
                r.skill_title,
                r.situation,
                r.distress_before,
                r.distress_after,
                r.started_at,
                r.started_utc,
                r.ended_at,
                r.status,
                json.dumps(list(r.answers), ensure_ascii=False),
            )
            for r in fresh
        ],
    )
    return fresh


def insert_measures(db: sqlite3.Connection, rows: Sequence[MeasureRecord]) -> list[MeasureRecord]:
    fresh = _new(db, "measure_results", rows, lambda r: r.uid)
    db.executemany(
        "INSERT INTO measure_results (uid, instrument, instrument_version, taken_at,"
        " taken_utc, answers, total, band, flags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                r.uid,
                r.instrument,
                r.instrument_version,
                r.taken_at,
                r.taken_utc,
                json.dumps(list(r.answers)),
                r.total,
                r.band,
                json.dumps(list(r.flags)),
            )
            for r in fresh
        ],
    )
    return fresh


def insert_crisis_openings(db: sqlite3.Connection, rows: Sequence[CrisisRow]) -> list[CrisisRow]:
    fresh = _new(db, "crisis_openings", rows, lambda r: r.uid)
    db.executemany(
        "INSERT INTO crisis_openings (uid, opened_at, opened_utc, source) VALUES (?, ?, ?, ?)",
        [(r.uid, r.opened_at, r.opened_utc, r.source) for r in fresh],
    )
    return fresh


def insert_plan_versions(db: sqlite3.Connection, rows: Sequence[PlanRow]) -> list[PlanRow]:
    fresh = _new(db, "safety_plan_versions", rows, lambda r: r.uid)
    db.executemany(
        "INSERT INTO safety_plan_versions (uid, saved_at, saved_utc, plan) VALUES (?, ?, ?, ?)",
        [(r.uid, r.saved_at, r.saved_utc, r.plan) for r in fresh],
    )
    return fresh


def insert_risk_flags(db: sqlite3.Connection, rows: Sequence[RiskRow]) -> list[RiskRow]:
    fresh = _new(db, "risk_flags", rows, lambda r: r.uid)
    db.executemany(
        "INSERT INTO risk_flags (uid, flagged_at, flagged_utc, source, kind, ref_uid)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(r.uid, r.flagged_at, r.flagged_utc, r.source, r.kind, r.ref_uid) for r in fresh],
    )
    return fresh


@dataclass(frozen=True)
class StoredCheckin:
    """A check-in as the log holds it, in the shape ``checkin_content`` compares."""

    id: int
    content: tuple[object, ...]


def checkin_content(
    mood: int,
    energy: int | None,
    anxiety: int | None,
    sleep_hours: float | None,
    note: str | None,
    emotions: Sequence[str],
    tags: Sequence[str],
    values: Sequence[tuple[str, str, float | None, str | None]],
) -> tuple[object, ...]:
    """What a check-in says (not when it was written): equal for equal answers, whatever
    the order of its tags and values."""
    return (
        mood,
        energy,
        anxiety,
        sleep_hours,
        note or None,
        tuple(sorted(set(emotions))),
        tuple(sorted(set(tags))),
        tuple(sorted(values, key=lambda v: v[0])),
    )


def stored_checkins(db: sqlite3.Connection, uids: Sequence[str]) -> dict[str, StoredCheckin]:
    """The check-ins among ``uids`` that the log has, by uid (a few queries per 500)."""
    out: dict[str, StoredCheckin] = {}
    for k in range(0, len(uids), _CHUNK):
        chunk = list(uids[k : k + _CHUNK])
        marks = ", ".join("?" for _ in chunk)
        rows = db.execute(
            "SELECT id, uid, mood, energy, anxiety, sleep_hours, note FROM checkins"
            f" WHERE uid IN ({marks})",
            chunk,
        ).fetchall()
        if not rows:
            continue
        ids = [r[0] for r in rows]
        id_marks = ", ".join("?" for _ in ids)
        tags: dict[int, tuple[list[str], list[str]]] = {i: ([], []) for i in ids}
        for cid, kind, value in db.execute(
            f"SELECT checkin_id, kind, value FROM checkin_tags WHERE checkin_id IN ({id_marks})",
            ids,
        ):
            tags[cid][0 if kind == "emotion" else 1].append(value)
        values: dict[int, list[tuple[str, str, float | None, str | None]]] = {i: [] for i in ids}
        for cid, tracker, kind, num, text in db.execute(
            "SELECT checkin_id, tracker_id, kind, value_num, value_text FROM checkin_values"
            f" WHERE checkin_id IN ({id_marks})",
            ids,
        ):
            values[cid].append((tracker, kind, num, text))
        for cid, uid, mood, energy, anxiety, sleep, note in rows:
            emotions, words = tags[cid]
            out[uid] = StoredCheckin(
                cid,
                checkin_content(mood, energy, anxiety, sleep, note, emotions, words, values[cid]),
            )
    return out


def has_entries(store: Store) -> bool:
    """Whether the log holds anything a bulk import could mix with (so it is worth a copy
    first): check-ins, sessions, questionnaire results, plan versions or the hope box."""
    row = store.conn.execute(
        "SELECT EXISTS (SELECT 1 FROM checkins) OR EXISTS (SELECT 1 FROM coping_sessions)"
        " OR EXISTS (SELECT 1 FROM measure_results)"
        " OR EXISTS (SELECT 1 FROM safety_plan_versions)"
        " OR EXISTS (SELECT 1 FROM hope_items)"
    ).fetchone()
    return bool(row[0])


__all__ = [
    "CrisisRow",
    "PlanRow",
    "RiskRow",
    "StoredCheckin",
    "checkin_content",
    "has_entries",
    "insert_crisis_openings",
    "insert_measures",
    "insert_plan_versions",
    "insert_risk_flags",
    "insert_sessions",
    "stored_checkins",
]
