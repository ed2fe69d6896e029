"""Typed reads and writes of coping sessions (table ``coping_sessions``).

A session is saved as soon as a skill starts (status "stopped", no end time) and saved
again after every step and at the end, so a closed terminal or a crash loses at most the
step being answered. ``save_session`` is an upsert keyed by ``uid``.

"Skill effectiveness" is learned from sessions that have both a before and an after
rating: the drop is ``distress_before - distress_after``.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from selfback.store.db import Store, iso, new_uid, utc_iso

SessionStatus = Literal["completed", "stopped"]
STATUSES: tuple[str, ...] = ("completed", "stopped")
# A plan made for later (a later step): due, then asked once.
FollowUp = Literal["due", "done", "not-done", "skipped"]
FOLLOW_UPS: tuple[str, ...] = ("due", "done", "not-done", "skipped")


@dataclass
class CopingSession:
    skill_id: str
    skill_version: int
    started_at: datetime
    status: SessionStatus = "stopped"
    skill_title: str | None = None
    situation: str | None = None
    distress_before: int | None = None
    distress_after: int | None = None
    ended_at: datetime | None = None
    answers: list[dict[str, Any]] = field(default_factory=list)
    uid: str = field(default_factory=new_uid)
    id: int | None = None
    marked: bool = False  # "bring to my therapist"
    follow_up: FollowUp | None = None  # a plan for later (see FOLLOW_UPS)
    follow_up_at: datetime | None = None  # when it was asked about
    follow_up_answers: list[dict[str, Any]] = field(default_factory=list)

    @property
    def drop(self) -> int | None:
        if self.distress_before is None or self.distress_after is None:
            return None
        return self.distress_before - self.distress_after

    def to_json(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "skill_id": self.skill_id,
            "skill_version": self.skill_version,
            "skill_title": self.skill_title,
            "situation": self.situation,
            "distress_before": self.distress_before,
            "distress_after": self.distress_after,
            "started_at": iso(self.started_at),
            "ended_at": iso(self.ended_at) if self.ended_at else None,
            "status": self.status,
            "answers": self.answers,
            "marked": self.marked,
            "follow_up": self.follow_up,
            "follow_up_at": iso(self.follow_up_at) if self.follow_up_at else None,
            "follow_up_answers": self.follow_up_answers,
        }


@dataclass(frozen=True)
class SkillStats:
    """How a skill has gone for this person."""

    skill_id: str
    uses: int  # sessions started
    completed: int  # sessions that reached the end
    rated: int  # sessions with both a before and an after rating
    average_drop: float | None  # mean of before - after over rated sessions
    helped: int  # rated sessions where distress came down
    last_used: str  # ISO 8601 start of the latest session


@dataclass(frozen=True)
class HelpfulSkill:
    skill_id: str
    skill_title: str | None
    started_at: str
    drop: int


def _check_rating(name: str, value: int | None) -> None:
    if value is not None and not (isinstance(value, int) and 0 <= value <= 10):
        raise ValueError(f"{name} must be a whole number from 0 to 10")


def save_session(store: Store, session: CopingSession) -> int:
    """Insert or update ``session`` (by uid). Returns its row id. The mark and a follow-up
    already asked about are kept (they have their own writers below); ``follow_up`` is
    written only while it has not been asked ("due" or none)."""
    if session.status not in STATUSES:
        raise ValueError(f"status must be one of {STATUSES}")
    _check_rating("distress_before", session.distress_before)
    _check_rating("distress_after", session.distress_after)
    row = {
        "uid": session.uid,
        "skill_id": session.skill_id,
        "skill_version": int(session.skill_version),
        "skill_title": session.skill_title,
        "situation": session.situation,
        "distress_before": session.distress_before,
        "distress_after": session.distress_after,
        "started_at": iso(session.started_at),
        "started_utc": utc_iso(session.started_at),
        "ended_at": iso(session.ended_at) if session.ended_at else None,
        "status": session.status,
        "answers": json.dumps(session.answers, ensure_ascii=False),
        "follow_up": session.follow_up if session.follow_up == "due" else None,
    }
    with store.tx() as db:
        db.execute(
            "INSERT INTO coping_sessions (uid, skill_id, skill_version, skill_title, situation,"
            " distress_before, distress_after, started_at, started_utc, ended_at, status,"
            " answers, follow_up) VALUES (:uid, :skill_id, :skill_version, :skill_title,"
            " :situation, :distress_before, :distress_after, :started_at, :started_utc,"
            " :ended_at, :status, :answers, :follow_up)"
            " ON CONFLICT (uid) DO UPDATE SET skill_id = excluded.skill_id,"
            " skill_version = excluded.skill_version, skill_title = excluded.skill_title,"
            " situation = excluded.situation, distress_before = excluded.distress_before,"
            " distress_after = excluded.distress_after, started_at = excluded.started_at,"
            " started_utc = excluded.started_utc, ended_at = excluded.ended_at,"
            " status = excluded.status, answers = excluded.answers,"
            " follow_up = CASE WHEN coping_sessions.follow_up IN ('done', 'not-done', 'skipped')"
            " THEN coping_sessions.follow_up ELSE excluded.follow_up END",
            row,
        )
        found = db.execute("SELECT id FROM coping_sessions WHERE uid = ?", (session.uid,))
        session.id = int(found.fetchone()[0])
    return session.id


def _json_list(raw: str | None) -> list[dict[str, Any]]:
    try:
        value = json.loads(raw or "[]")
    except ValueError:
        return []
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _from_row(row: sqlite3.Row) -> CopingSession:
    answers = _json_list(row["answers"])
    ended = row["ended_at"]
    asked = row["follow_up_at"]
    return CopingSession(
        id=int(row["id"]),
        uid=row["uid"],
        skill_id=row["skill_id"],
        skill_version=int(row["skill_version"]),
        skill_title=row["skill_title"],
        situation=row["situation"],
        distress_before=row["distress_before"],
        distress_after=row["distress_after"],
        started_at=datetime.fromisoformat(row["started_at"]),
        ended_at=datetime.fromisoformat(ended) if ended else None,
        status=row["status"],
        answers=answers,
        marked=bool(row["marked"]),
        follow_up=row["follow_up"],
        follow_up_at=datetime.fromisoformat(asked) if asked else None,
        follow_up_answers=_json_list(row["follow_up_answers"]),
    )


def get_session(store: Store, uid: str) -> CopingSession | None:
    rows = store.query("SELECT * FROM coping_sessions WHERE uid = ?", (uid,))
    return _from_row(rows[0]) if rows else None


def get_session_by_id(store: Store, row_id: int) -> CopingSession | None:
    """The session with this row id (the number `selfback sessions` shows)."""
    rows = store.query("SELECT * FROM coping_sessions WHERE id = ?", (int(row_id),))
    return _from_row(rows[0]) if rows else None


def delete_session(store: Store, uid: str) -> bool:
    """Remove one session. True when there was one."""
    with store.tx() as db:
        cur = db.execute("DELETE FROM coping_sessions WHERE uid = ?", (uid,))
        return cur.rowcount > 0


def set_marked(store: Store, uid: str, marked: bool) -> bool:
    """Mark (or unmark) a session "bring to my therapist". True when there was one."""
    with store.tx() as db:
        cur = db.execute(
            "UPDATE coping_sessions SET marked = ? WHERE uid = ?", (1 if marked else 0, uid)
        )
        return cur.rowcount > 0


def due_follow_ups(store: Store) -> list[CopingSession]:
    """Sessions with a plan for later not asked about yet, oldest first."""
    rows = store.query(
        "SELECT * FROM coping_sessions WHERE follow_up = 'due' ORDER BY started_utc, id"
    )
    return [_from_row(r) for r in rows]


def record_follow_up(
    store: Store, uid: str, state: FollowUp, answers: list[dict[str, Any]], when: datetime
) -> bool:
    """How a plan for later went, asked once: never asked again after this."""
    if state not in FOLLOW_UPS or state == "due":
        raise ValueError("a follow-up is recorded as done, not-done or skipped")
    with store.tx() as db:
        cur = db.execute(
            "UPDATE coping_sessions SET follow_up = ?, follow_up_at = ?,"
            " follow_up_answers = ? WHERE uid = ? AND follow_up = 'due'",
            (state, iso(when), json.dumps(answers, ensure_ascii=False), uid),
        )
        return cur.rowcount > 0


def follow_up_counts(store: Store, first_day: str, last_day: str) -> dict[str, int]:
    """Plans for later made in sessions started from ``first_day`` to ``last_day`` (local
    dates, YYYY-MM-DD, both included), counted by their state."""
    rows = store.query(
        "SELECT follow_up, count(*) AS n FROM coping_sessions WHERE follow_up IS NOT NULL"
        " AND substr(started_at, 1, 10) BETWEEN ? AND ? GROUP BY follow_up",
        (first_day, last_day),
    )
    return {str(r["follow_up"]): int(r["n"]) for r in rows}


def list_sessions(
    store: Store,
    *,
    limit: int | None = None,
    skill_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    marked: bool | None = None,
) -> list[CopingSession]:
    """Sessions, newest first."""
    where: list[str] = []
    params: list[object] = []
    if marked is not None:
        where.append("marked = ?")
        params.append(1 if marked else 0)
    if skill_id is not None:
        where.append("skill_id = ?")
        params.append(skill_id)
    if since is not None:
        where.append("started_utc >= ?")
        params.append(utc_iso(since))
    if until is not None:
        where.append("started_utc < ?")
        params.append(utc_iso(until))
    sql = "SELECT * FROM coping_sessions"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY started_utc DESC, id DESC"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    return [_from_row(r) for r in store.query(sql, tuple(params))]


_RATED = "distress_before IS NOT NULL AND distress_after IS NOT NULL"


def skill_effectiveness(store: Store) -> dict[str, SkillStats]:
    """Per skill: uses, completions, average drop in distress, and how often it helped."""
    rows = store.query(
        "SELECT skill_id, count(*) AS uses,"
        " sum(status = 'completed') AS completed,"
        f" sum(CASE WHEN {_RATED} THEN 1 ELSE 0 END) AS rated,"
        f" avg(CASE WHEN {_RATED} THEN distress_before - distress_after END) AS average_drop,"
        f" sum(CASE WHEN {_RATED} AND distress_after < distress_before THEN 1 ELSE 0 END)"
        " AS helped,"
        " max(started_utc) AS last_utc,"
        " (SELECT c2.started_at FROM coping_sessions c2 WHERE c2.skill_id = c.skill_id"
        "  ORDER BY c2.started_utc DESC, c2.id DESC LIMIT 1) AS last_used"
        " FROM coping_sessions c GROUP BY skill_id"
    )
    out: dict[str, SkillStats] = {}
    for r in rows:
        avg = r["average_drop"]
        out[r["skill_id"]] = SkillStats(
            skill_id=r["skill_id"],
            uses=int(r["uses"]),
            completed=int(r["completed"] or 0),
            rated=int(r["rated"] or 0),
            average_drop=float(avg) if avg is not None else None,
            helped=int(r["helped"] or 0),
            last_used=r["last_used"],
        )
    return out


def last_helpful_skill(store: Store) -> HelpfulSkill | None:
    """The most recent session in which distress came down."""
    rows = store.query(
        "SELECT skill_id, skill_title, started_at, distress_before - distress_after AS drop_"
        f" FROM coping_sessions WHERE {_RATED} AND distress_after < distress_before"
        " ORDER BY started_utc DESC, id DESC LIMIT 1"
    )
    if not rows:
        return None
    r = rows[0]
    return HelpfulSkill(r["skill_id"], r["skill_title"], r["started_at"], int(r["drop_"]))


def last_session(store: Store) -> CopingSession | None:
    found = list_sessions(store, limit=1)
    return found[0] if found else None
