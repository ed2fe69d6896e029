"""Typed reads and writes for the hope box (``hope_items``) and the notes for next time
(``next_time_notes``); schema in ``selfback.store.migrations`` (version 3).

Writes take the connection handed out by ``store.tx()``; reads take the ``Store``. The
text is the person's own and is stored as typed; this module does not interpret it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from selfback.errors import DataError
from selfback.paths import Paths
from selfback.store.db import Store, iso, new_uid, open_readonly, set_busy_timeout, utc_iso

TEXT_KINDS = ("message", "quote", "memory")
FILE_KINDS = ("photo", "music", "voice")
HOPE_KINDS = TEXT_KINDS + FILE_KINDS


@dataclass(frozen=True)
class HopeItem:
    id: int
    uid: str
    kind: str  # one of HOPE_KINDS
    text: str | None
    path: str | None  # a local file (file kinds only)
    added_at: str
    added_utc: str


@dataclass(frozen=True)
class NextTimeNote:
    id: int
    uid: str
    situation: str
    skill_id: str | None
    skill_title: str | None
    text: str
    session_uid: str | None
    written_at: str
    written_utc: str


def _existing(db: sqlite3.Connection, table: str, uids: Sequence[str]) -> set[str]:
    """Which of ``uids`` are in ``table`` already (``table`` is one of this module's)."""
    sql = {
        "hope_items": "SELECT 1 FROM hope_items WHERE uid = ?",
        "next_time_notes": "SELECT 1 FROM next_time_notes WHERE uid = ?",
    }[table]
    return {u for u in uids if db.execute(sql, (u,)).fetchone() is not None}


# -- hope_items ------------------------------------------------------------------------------

_ITEM_COLUMNS = "id, uid, kind, text, path, added_at, added_utc"


def _opt(value: object) -> str | None:
    return None if value is None else str(value)


def _item(row: sqlite3.Row) -> HopeItem:
    return HopeItem(
        id=int(row["id"]),
        uid=str(row["uid"]),
        kind=str(row["kind"]),
        text=_opt(row["text"]),
        path=_opt(row["path"]),
        added_at=str(row["added_at"]),
        added_utc=str(row["added_utc"]),
    )


def insert_hope_item(
    db: sqlite3.Connection,
    *,
    kind: str,
    text: str | None,
    path: str | None,
    when: datetime,
    uid: str | None = None,
) -> tuple[int, str]:
    """Add one item to the hope box; returns its id and uid. Call inside ``store.tx()``."""
    if kind not in HOPE_KINDS:
        raise ValueError(f"unknown hope item kind {kind!r}")
    if text is None and path is None:
        raise ValueError("a hope item needs text or a file")
    uid = uid or new_uid()
    cur = db.execute(
        "INSERT INTO hope_items (uid, kind, text, path, added_at, added_utc)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (uid, kind, text, path, iso(when), utc_iso(when)),
    )
    return int(cur.lastrowid or 0), uid


def hope_items(store: Store) -> list[HopeItem]:
    """Every item, oldest first."""
    sql = f"SELECT {_ITEM_COLUMNS} FROM hope_items ORDER BY added_utc, id"
    return [_item(r) for r in store.query(sql)]


def hope_item(store: Store, item_id: int) -> HopeItem | None:
    rows = store.query(f"SELECT {_ITEM_COLUMNS} FROM hope_items WHERE id = ?", (item_id,))
    return _item(rows[0]) if rows else None


def count_hope_items(store: Store) -> int:
    return int(store.query("SELECT COUNT(*) FROM hope_items")[0][0])


def count_items_quietly(paths: Paths) -> int:
    """How many items the hope box holds, for ``sos``: 0 when there is no database, it
    is older than the hope box, or it cannot be read. Never creates or upgrades anything
    and never raises."""
    try:
        store = open_readonly(paths)
        if store is None:
            return 0
        try:
            set_busy_timeout(store, 500)
            return count_hope_items(store)
        finally:
            store.close()
    except (sqlite3.Error, DataError, OSError):
        return 0  # missing, locked, damaged or older: sos says nothing about it
    except Exception:  # sos must never break
        from selfback.crashlog import log

        log.exception("counting the hope box for sos")
        return 0


def delete_hope_item(db: sqlite3.Connection, item_id: int) -> bool:
    """Remove one item; False when there was none. Call inside ``store.tx()``."""
    return db.execute("DELETE FROM hope_items WHERE id = ?", (item_id,)).rowcount > 0


def insert_hope_rows(db: sqlite3.Connection, rows: Sequence[HopeItem]) -> list[HopeItem]:
    """Imported items (uid and times as they were); those already here are left out.
    ``id`` of the rows is ignored. Returns the ones written."""
    have = _existing(db, "hope_items", [r.uid for r in rows])
    fresh: list[HopeItem] = []
    for r in rows:
        if r.uid not in have:
            have.add(r.uid)
            fresh.append(r)
    db.executemany(
        "INSERT INTO hope_items (uid, kind, text, path, added_at, added_utc)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(r.uid, r.kind, r.text, r.path, r.added_at, r.added_utc) for r in fresh],
    )
    return fresh


# -- next_time_notes -------------------------------------------------------------------------

_NOTE_COLUMNS = (
    "id, uid, situation, skill_id, skill_title, text, session_uid, written_at, written_utc"
)


def _note(row: sqlite3.Row) -> NextTimeNote:
    return NextTimeNote(
        id=int(row["id"]),
        uid=str(row["uid"]),
        situation=str(row["situation"]),
        skill_id=_opt(row["skill_id"]),
        skill_title=_opt(row["skill_title"]),
        text=str(row["text"]),
        session_uid=_opt(row["session_uid"]),
        written_at=str(row["written_at"]),
        written_utc=str(row["written_utc"]),
    )


def insert_next_time_note(
    db: sqlite3.Connection,
    *,
    situation: str,
    text: str,
    when: datetime,
    skill_id: str | None = None,
    skill_title: str | None = None,
    session_uid: str | None = None,
) -> str:
    """Keep one note for next time; returns its uid. Call inside ``store.tx()``."""
    uid = new_uid()
    db.execute(
        "INSERT INTO next_time_notes (uid, situation, skill_id, skill_title, text,"
        " session_uid, written_at, written_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (uid, situation, skill_id, skill_title, text, session_uid, iso(when), utc_iso(when)),
    )
    return uid


def latest_next_time_note(store: Store, situation: str) -> NextTimeNote | None:
    """The newest note written for ``situation`` (None if there is none)."""
    rows = store.query(
        f"SELECT {_NOTE_COLUMNS} FROM next_time_notes WHERE situation = ?"
        " ORDER BY written_utc DESC, id DESC LIMIT 1",
        (situation,),
    )
    return _note(rows[0]) if rows else None


def next_time_notes(store: Store) -> list[NextTimeNote]:
    """Every note, oldest first."""
    sql = f"SELECT {_NOTE_COLUMNS} FROM next_time_notes ORDER BY written_utc, id"
    return [_note(r) for r in store.query(sql)]


def insert_note_rows(db: sqlite3.Connection, rows: Sequence[NextTimeNote]) -> list[NextTimeNote]:
    """Imported notes (uid and times as they were); those already here are left out."""
    have = _existing(db, "next_time_notes", [r.uid for r in rows])
    fresh: list[NextTimeNote] = []
    for r in rows:
        if r.uid not in have:
            have.add(r.uid)
            fresh.append(r)
    db.executemany(
        "INSERT INTO next_time_notes (uid, situation, skill_id, skill_title, text,"
        " session_uid, written_at, written_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                r.uid,
                r.situation,
                r.skill_id,
                r.skill_title,
                r.text,
                r.session_uid,
                r.written_at,
                r.written_utc,
            )
            for r in fresh
        ],
    )
    return fresh
