"""Typed reads and writes for the safety tables: ``crisis_openings``, ``risk_flags`` and
``safety_plan_versions`` (schema in ``selfback.store.migrations``).

Writes take the connection handed out by ``store.tx()``, so callers decide the transaction;
reads take the ``Store``. Plan content is stored as JSON text and parsed by
``selfback.safety.plan``; this module does not interpret it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from selfback.store.db import Store, iso, new_uid, utc_iso

# Who opened it: the person ("sos", "key": the ! key or typing sos at a prompt) or
# selfback ("cope": high distress or a crisis situation, "measure": PHQ-9 item 9,
# "risk": words that may mean risk, "rating": a high rating inside a skill or check-in).
CRISIS_SOURCES = ("sos", "cope", "key", "measure", "risk", "rating")
PERSON_SOURCES = frozenset({"sos", "key"})


@dataclass(frozen=True)
class CrisisOpening:
    id: int
    uid: str
    opened_at: str
    opened_utc: str
    source: str


@dataclass(frozen=True)
class PlanVersionRow:
    number: int  # 1 = the first plan ever saved, counting up
    id: int
    uid: str
    saved_at: str
    saved_utc: str
    plan: str  # JSON text


# -- crisis_openings ---------------------------------------------------------------------


def insert_crisis_opening(
    db: sqlite3.Connection, *, source: str, when: datetime, uid: str | None = None
) -> str:
    """Record one opening of the crisis screen; returns its uid. Call inside ``store.tx()``."""
    if source not in CRISIS_SOURCES:
        raise ValueError(f"unknown crisis-opening source {source!r}")
    uid = uid or new_uid()
    db.execute(
        "INSERT INTO crisis_openings (uid, opened_at, opened_utc, source) VALUES (?, ?, ?, ?)",
        (uid, iso(when), utc_iso(when), source),
    )
    return uid


def _opening(row: sqlite3.Row) -> CrisisOpening:
    return CrisisOpening(
        id=int(row["id"]),
        uid=str(row["uid"]),
        opened_at=str(row["opened_at"]),
        opened_utc=str(row["opened_utc"]),
        source=str(row["source"]),
    )


def crisis_openings(
    store: Store, *, since: datetime | None = None, until: datetime | None = None
) -> list[CrisisOpening]:
    """Openings in time order, optionally within ``[since, until)``."""
    sql = "SELECT id, uid, opened_at, opened_utc, source FROM crisis_openings"
    where: list[str] = []
    params: list[object] = []
    if since is not None:
        where.append("opened_utc >= ?")
        params.append(utc_iso(since))
    if until is not None:
        where.append("opened_utc < ?")
        params.append(utc_iso(until))
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY opened_utc, id"
    return [_opening(r) for r in store.query(sql, tuple(params))]


def count_crisis_openings(
    store: Store, *, since: datetime | None = None, until: datetime | None = None
) -> int:
    return len(crisis_openings(store, since=since, until=until))


# -- risk_flags ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RiskFlag:
    id: int
    uid: str
    flagged_at: str
    flagged_utc: str
    source: str
    kind: str
    ref_uid: str | None


def insert_risk_flag(
    db: sqlite3.Connection,
    *,
    source: str,
    kind: str,
    when: datetime,
    ref_uid: str | None = None,
    uid: str | None = None,
) -> str:
    """Record that risk was noticed (never the words themselves); returns its uid."""
    uid = uid or new_uid()
    db.execute(
        "INSERT INTO risk_flags (uid, flagged_at, flagged_utc, source, kind, ref_uid)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (uid, iso(when), utc_iso(when), source, kind, ref_uid),
    )
    return uid


def has_risk_flag(db: sqlite3.Connection, ref_uid: str) -> bool:
    """Whether the record ``ref_uid`` has a risk flag already (inside ``store.tx()``)."""
    row = db.execute("SELECT 1 FROM risk_flags WHERE ref_uid = ? LIMIT 1", (ref_uid,)).fetchone()
    return row is not None


def risk_flags(
    store: Store, *, since: datetime | None = None, until: datetime | None = None
) -> list[RiskFlag]:
    """Flags in time order, optionally within ``[since, until)``."""
    sql = "SELECT id, uid, flagged_at, flagged_utc, source, kind, ref_uid FROM risk_flags"
    where: list[str] = []
    params: list[object] = []
    if since is not None:
        where.append("flagged_utc >= ?")
        params.append(utc_iso(since))
    if until is not None:
        where.append("flagged_utc < ?")
        params.append(utc_iso(until))
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY flagged_utc, id"
    return [
        RiskFlag(
            id=int(r["id"]),
            uid=str(r["uid"]),
            flagged_at=str(r["flagged_at"]),
            flagged_utc=str(r["flagged_utc"]),
            source=str(r["source"]),
            kind=str(r["kind"]),
            ref_uid=None if r["ref_uid"] is None else str(r["ref_uid"]),
        )
        for r in store.query(sql, tuple(params))
    ]


# -- safety_plan_versions ----------------------------------------------------------------


def insert_plan_version(
    db: sqlite3.Connection, *, plan_json: str, when: datetime, uid: str | None = None
) -> str:
    """Add one saved version of the plan; returns its uid. Call inside ``store.tx()``."""
    uid = uid or new_uid()
    db.execute(
        "INSERT INTO safety_plan_versions (uid, saved_at, saved_utc, plan) VALUES (?, ?, ?, ?)",
        (uid, iso(when), utc_iso(when), plan_json),
    )
    return uid


_VERSIONS_SQL = (
    "SELECT ROW_NUMBER() OVER (ORDER BY id) AS number, id, uid, saved_at, saved_utc, plan"
    " FROM safety_plan_versions"
)


def _version(row: sqlite3.Row) -> PlanVersionRow:
    return PlanVersionRow(
        number=int(row["number"]),
        id=int(row["id"]),
        uid=str(row["uid"]),
        saved_at=str(row["saved_at"]),
        saved_utc=str(row["saved_utc"]),
        plan=str(row["plan"]),
    )


def plan_versions(store: Store) -> list[PlanVersionRow]:
    """Every saved version, oldest first (``number`` 1, 2, 3 ...)."""
    return [_version(r) for r in store.query(_VERSIONS_SQL + " ORDER BY id")]


def latest_plan_version(store: Store) -> PlanVersionRow | None:
    """The current plan: the newest by the time it was saved (an import of an older
    export adds history, it does not replace a newer plan), then the last one added."""
    rows = store.query(f"SELECT * FROM ({_VERSIONS_SQL}) ORDER BY saved_utc DESC, id DESC LIMIT 1")
    return _version(rows[0]) if rows else None


def plan_version(store: Store, number: int) -> PlanVersionRow | None:
    rows = store.query(f"SELECT * FROM ({_VERSIONS_SQL}) WHERE number = ?", (number,))
    return _version(rows[0]) if rows else None
