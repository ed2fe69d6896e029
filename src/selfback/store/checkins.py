"""Check-ins: typed reads and writes over the ``checkins``, ``checkin_tags`` and
``checkin_values`` tables (see docs/data.md).

One writer: every check-in, whatever its source (the check-in command, ``history edit``,
the selfback JSON import, the Daylio import), is written by ``insert_checkins`` (or, for
an edit, ``replace_checkin``), which first holds it to the rules of
``selfback.store.checkin_model.check_row``. ``insert_checkins`` writes any number of
check-ins with one ``executemany`` per table inside the caller's transaction, so an
import of thousands stays quick.

Reads fetch a date range with one query per table (never one query per check-in), so
history and export stay fast on years of data.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from selfback.store.checkin_model import (
    COLUMN_TRACKERS,
    TAG_TRACKERS,
    Checkin,
    CheckinRow,
    InvalidCheckin,
    NewCheckin,
    TrackerValue,
    ValueType,
    check_row,
)
from selfback.store.db import Store

__all__ = [
    "COLUMN_TRACKERS",
    "TAG_TRACKERS",
    "Checkin",
    "CheckinRow",
    "InvalidCheckin",
    "NewCheckin",
    "TrackerValue",
    "ValueType",
    "add_checkin",
    "answered_on",
    "check_row",
    "count_checkins",
    "count_on",
    "delete_checkin",
    "existing_uids",
    "get_checkin",
    "has_checkin_on",
    "insert_checkins",
    "list_checkins",
    "replace_checkin",
    "update_checkins",
    "words_by_first_use",
]

_CHUNK = 500  # uids per "IN (...)" lookup


class BadRow(InvalidCheckin):
    """``InvalidCheckin`` for one of several rows: ``index`` says which (0-based)."""

    def __init__(self, index: int, problem: InvalidCheckin) -> None:
        super().__init__(problem.field, problem.message)
        self.index = index


def existing_uids(db: sqlite3.Connection, table: str, uids: Sequence[str]) -> set[str]:
    """Which of ``uids`` are already in ``table`` (a table with a ``uid`` column)."""
    if table not in _UID_TABLES:
        raise ValueError(f"{table} has no uid column")
    found: set[str] = set()
    for k in range(0, len(uids), _CHUNK):
        chunk = list(uids[k : k + _CHUNK])
        marks = ", ".join("?" for _ in chunk)
        found.update(
            r[0] for r in db.execute(f"SELECT uid FROM {table} WHERE uid IN ({marks})", chunk)
        )
    return found


_UID_TABLES = frozenset(
    {
        "checkins",
        "coping_sessions",
        "measure_results",
        "crisis_openings",
        "safety_plan_versions",
        "risk_flags",
    }
)


def _children(pairs: Iterable[tuple[int, CheckinRow]]) -> tuple[list[tuple[object, ...]], ...]:
    tags: list[tuple[object, ...]] = []
    values: list[tuple[object, ...]] = []
    for cid, row in pairs:
        tags += [(cid, "emotion", e) for e in dict.fromkeys(row.emotions)]
        tags += [(cid, "tag", t) for t in dict.fromkeys(row.tags)]
        values += [
            (
                cid,
                v.tracker_id,
                v.tracker_version,
                v.label,
                v.kind,
                v.value_num,
                v.value_text,
                v.unit,
            )
            for v in row.values
        ]
    return tags, values


def _write_children(db: sqlite3.Connection, pairs: list[tuple[int, CheckinRow]]) -> None:
    tags, values = _children(pairs)
    if tags:
        db.executemany("INSERT INTO checkin_tags (checkin_id, kind, value) VALUES (?, ?, ?)", tags)
    if values:
        db.executemany(
            "INSERT INTO checkin_values (checkin_id, tracker_id, tracker_version, label, kind,"
            " value_num, value_text, unit) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            values,
        )


def insert_checkins(
    db: sqlite3.Connection, rows: Sequence[CheckinRow], *, skip_existing: bool = False
) -> list[tuple[int, CheckinRow]]:
    """Write check-ins with their tags and tracker values; returns (id, row) of each one
    written. Call inside ``store.tx()``.

    Every row is checked first (``check_row``); the first that breaks a rule raises
    ``BadRow`` (saying which) and nothing is written. With ``skip_existing`` a row whose
    uid is already in the log, or earlier in ``rows``, is left out (an import adds each
    record once); without it such a row is refused by the database."""
    for i, row in enumerate(rows):
        try:
            check_row(row)
        except InvalidCheckin as exc:
            raise BadRow(i, exc) from None
    if skip_existing:
        have = existing_uids(db, "checkins", [r.uid for r in rows])
        fresh: list[CheckinRow] = []
        for row in rows:
            if row.uid not in have:
                have.add(row.uid)
                fresh.append(row)
        rows = fresh
    if not rows:
        return []
    # Ids are given here (the write lock is held), so children need no lookup per row.
    first = int(db.execute("SELECT coalesce(max(id), 0) + 1 FROM checkins").fetchone()[0])
    pairs = [(first + k, row) for k, row in enumerate(rows)]
    db.executemany(
        "INSERT INTO checkins (id, uid, ts, ts_utc, local_date, mood, energy, anxiety,"
        " sleep_hours, note, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                cid,
                r.uid,
                r.ts,
                r.ts_utc,
                r.local_date,
                r.mood,
                r.energy,
                r.anxiety,
                r.sleep_hours,
                r.note,
                r.created_at,
                r.updated_at,
            )
            for cid, r in pairs
        ],
    )
    _write_children(db, pairs)
    return pairs


def _aware(entry: NewCheckin) -> None:
    if entry.at.tzinfo is None:
        raise InvalidCheckin("ts", "the time needs a UTC offset")


def add_checkin(store: Store, entry: NewCheckin, *, now: datetime | None = None) -> int:
    """Record one check-in (with its tags and tracker values) in one transaction."""
    _aware(entry)
    row = entry.to_row(now=now)
    try:
        with store.tx() as db:
            [(checkin_id, _row)] = insert_checkins(db, [row])
    except BadRow as exc:
        raise InvalidCheckin(exc.field, exc.message) from None
    return checkin_id


def update_checkins(db: sqlite3.Connection, pairs: Sequence[tuple[int, CheckinRow]]) -> int:
    """Replace the answers of existing check-ins (by id) with ``row``'s, keeping each one's
    id, uid and creation time; returns how many were there. Call inside ``store.tx()``.

    Every row is checked first (``check_row``; the first bad one raises ``BadRow``)."""
    for i, (_cid, row) in enumerate(pairs):
        try:
            check_row(row)
        except InvalidCheckin as exc:
            raise BadRow(i, exc) from None
    found = 0
    for cid, row in pairs:
        cur = db.execute(
            "UPDATE checkins SET ts = ?, ts_utc = ?, local_date = ?, mood = ?, energy = ?,"
            " anxiety = ?, sleep_hours = ?, note = ?, updated_at = ? WHERE id = ?",
            (
                row.ts,
                row.ts_utc,
                row.local_date,
                row.mood,
                row.energy,
                row.anxiety,
                row.sleep_hours,
                row.note,
                row.updated_at,
                cid,
            ),
        )
        found += cur.rowcount
    ids = [(cid,) for cid, _row in pairs]
    db.executemany("DELETE FROM checkin_tags WHERE checkin_id = ?", ids)
    db.executemany("DELETE FROM checkin_values WHERE checkin_id = ?", ids)
    _write_children(db, list(pairs))
    return found


def replace_checkin(store: Store, checkin_id: int, entry: NewCheckin, *, now: datetime) -> bool:
    """Replace a check-in's answers (keeps its id, uid and creation time). False if gone."""
    _aware(entry)
    row = entry.to_row(now=now, uid=entry.uid or "edit")
    with store.tx() as db:
        exists = db.execute("SELECT 1 FROM checkins WHERE id = ?", (checkin_id,)).fetchone()
        if exists is None:
            return False
        update_checkins(db, [(checkin_id, row)])
    return True


def delete_checkin(store: Store, checkin_id: int) -> bool:
    with store.tx() as db:
        cur = db.execute("DELETE FROM checkins WHERE id = ?", (checkin_id,))
        return cur.rowcount > 0


_COLUMNS = (
    "id, uid, ts, ts_utc, local_date, mood, energy, anxiety, sleep_hours, note,"
    " created_at, updated_at"
)


def _range_sql(since: date | None, until: date | None, alias: str = "") -> tuple[str, list[str]]:
    prefix = f"{alias}." if alias else ""
    clauses, params = [], []
    if since is not None:
        clauses.append(f"{prefix}local_date >= ?")
        params.append(since.isoformat())
    if until is not None:
        clauses.append(f"{prefix}local_date <= ?")
        params.append(until.isoformat())
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _assemble(
    rows: Iterable[sqlite3.Row],
    tag_rows: Iterable[sqlite3.Row],
    value_rows: Iterable[sqlite3.Row],
) -> list[Checkin]:
    emotions: dict[int, list[str]] = {}
    tags: dict[int, list[str]] = {}
    for r in tag_rows:
        (emotions if r[1] == "emotion" else tags).setdefault(r[0], []).append(r[2])
    values: dict[int, list[TrackerValue]] = {}
    for r in value_rows:
        values.setdefault(r[0], []).append(TrackerValue(r[1], r[2], r[3], r[4], r[5], r[6], r[7]))
    out = []
    for r in rows:
        cid = r[0]
        out.append(
            Checkin(
                id=cid,
                uid=r[1],
                ts=r[2],
                ts_utc=r[3],
                local_date=r[4],
                mood=r[5],
                energy=r[6],
                anxiety=r[7],
                sleep_hours=r[8],
                note=r[9],
                created_at=r[10],
                updated_at=r[11],
                emotions=tuple(emotions.get(cid, ())),
                tags=tuple(tags.get(cid, ())),
                values=tuple(values.get(cid, ())),
            )
        )
    return out


def list_checkins(
    store: Store, since: date | None = None, until: date | None = None
) -> list[Checkin]:
    """Check-ins whose local date is within [since, until] (either may be open), oldest
    first, each with its emotions, tags and tracker values. Three queries in all."""
    where, params = _range_sql(since, until)
    rows = store.query(f"SELECT {_COLUMNS} FROM checkins{where} ORDER BY ts_utc, id", tuple(params))
    if not rows:
        return []
    child_where, child_params = "", list[str]()
    if since is not None or until is not None:
        sub_where, child_params = _range_sql(since, until)
        child_where = f" WHERE checkin_id IN (SELECT id FROM checkins{sub_where})"
    tag_rows = store.query(
        f"SELECT checkin_id, kind, value FROM checkin_tags{child_where}", tuple(child_params)
    )
    value_rows = store.query(
        "SELECT checkin_id, tracker_id, tracker_version, label, kind, value_num, value_text,"
        f" unit FROM checkin_values{child_where}",
        tuple(child_params),
    )
    return _assemble(rows, tag_rows, value_rows)


def get_checkin(store: Store, checkin_id: int) -> Checkin | None:
    rows = store.query(f"SELECT {_COLUMNS} FROM checkins WHERE id = ?", (checkin_id,))
    if not rows:
        return None
    tag_rows = store.query(
        "SELECT checkin_id, kind, value FROM checkin_tags WHERE checkin_id = ?", (checkin_id,)
    )
    value_rows = store.query(
        "SELECT checkin_id, tracker_id, tracker_version, label, kind, value_num, value_text,"
        " unit FROM checkin_values WHERE checkin_id = ?",
        (checkin_id,),
    )
    return _assemble(rows, tag_rows, value_rows)[0]


def has_checkin_on(store: Store, day: date) -> bool:
    rows = store.query("SELECT 1 FROM checkins WHERE local_date = ? LIMIT 1", (day.isoformat(),))
    return bool(rows)


def answered_on(store: Store, day: date) -> set[str]:
    """Ids of the trackers (core and custom) answered in any check-in on ``day``."""
    key = (day.isoformat(),)
    out: set[str] = set()
    row = store.query(
        "SELECT COUNT(*), COUNT(energy), COUNT(anxiety), COUNT(sleep_hours), COUNT(note)"
        " FROM checkins WHERE local_date = ?",
        key,
    )[0]
    for name, count in zip(("mood", "energy", "anxiety", "sleep", "note"), row, strict=True):
        if count:
            out.add(name)
    for r in store.query(
        "SELECT DISTINCT t.kind FROM checkins c CROSS JOIN checkin_tags t ON c.id = t.checkin_id"
        " WHERE c.local_date = ?",
        key,
    ):
        out.add("emotions" if r[0] == "emotion" else "tags")
    for r in store.query(
        "SELECT DISTINCT v.tracker_id FROM checkins c CROSS JOIN checkin_values v"
        " ON c.id = v.checkin_id WHERE c.local_date = ?",
        key,
    ):
        out.add(r[0])
    return out


def words_by_first_use(store: Store, kind: str, limit: int = 50) -> list[str]:
    """The emotions (kind='emotion') or tags (kind='tag') ever used, the earliest saved
    first: a word keeps its place in the list, and a new one comes at the end."""
    rows = store.query(
        "SELECT t.value FROM checkins c CROSS JOIN checkin_tags t"
        " ON c.id = t.checkin_id WHERE t.kind = ?"
        " GROUP BY t.value ORDER BY MIN(c.id), t.value LIMIT ?",
        (kind, limit),
    )
    return [r[0] for r in rows]


def count_checkins(store: Store) -> int:
    return int(store.query("SELECT COUNT(*) FROM checkins")[0][0])


def count_on(store: Store, day: date) -> int:
    """How many check-ins there are on the local date ``day``."""
    return int(
        store.query("SELECT count(*) FROM checkins WHERE local_date = ?", (day.isoformat(),))[0][0]
    )
