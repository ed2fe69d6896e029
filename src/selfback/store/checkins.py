"""Check-ins: typed reads and writes over the ``checkins``, ``checkin_tags`` and
``checkin_values`` tables (see docs/data.md).

Reads fetch a date range with one query per table (never one query per check-in), so
history and export stay fast on years of data.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from selfback.store.db import Store, iso, local_date, new_uid, utc_iso

# Tracker ids whose values live in columns of `checkins` (and rows of `checkin_tags`).
COLUMN_TRACKERS = {"mood": "mood", "energy": "energy", "anxiety": "anxiety", "sleep": "sleep_hours"}
TAG_TRACKERS = {"emotions": "emotion", "tags": "tag"}

ValueType = int | float | bool | str | list[str]


@dataclass(frozen=True)
class TrackerValue:
    """One stored answer to a tracker, labelled as it was when recorded."""

    tracker_id: str
    tracker_version: int
    label: str | None
    kind: str  # scale, yesno, number, choice, tags, text
    value_num: float | None = None
    value_text: str | None = None
    unit: str | None = None

    @property
    def value(self) -> ValueType | None:
        if self.kind == "yesno":
            return None if self.value_num is None else bool(self.value_num)
        if self.kind == "scale":
            return None if self.value_num is None else int(self.value_num)
        if self.kind == "number":
            return self.value_num
        if self.kind == "tags":
            try:
                items = json.loads(self.value_text or "[]")
            except ValueError:
                return [self.value_text] if self.value_text else []
            return [str(i) for i in items] if isinstance(items, list) else []
        if self.value_text is not None:
            return self.value_text
        return self.value_num

    def display(self) -> str:
        """The value as a person would write it: 3, yes, 7.5 hours, tipp, stop."""
        value = self.value
        if value is None:
            return ""
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, list):
            return ", ".join(value)
        if isinstance(value, float):
            text = f"{value:g}"
            return f"{text} {self.unit}" if self.unit else text
        return str(value)

    def to_json(self) -> dict[str, object]:
        return {
            "tracker_id": self.tracker_id,
            "tracker_version": self.tracker_version,
            "label": self.label,
            "kind": self.kind,
            "value": self.value,
            "unit": self.unit,
        }

    @classmethod
    def make(
        cls,
        tracker_id: str,
        version: int,
        label: str | None,
        kind: str,
        value: ValueType,
        unit: str | None = None,
    ) -> TrackerValue:
        """Build a value from a typed answer (the inverse of ``.value``)."""
        if kind == "yesno":
            return cls(tracker_id, version, label, kind, 1.0 if value else 0.0, None, unit)
        if kind in ("scale", "number"):
            assert isinstance(value, int | float) and not isinstance(value, bool)
            return cls(tracker_id, version, label, kind, float(value), None, unit)
        if kind == "tags":
            assert isinstance(value, list)
            return cls(tracker_id, version, label, kind, None, json.dumps(value), unit)
        return cls(tracker_id, version, label, kind, None, str(value), unit)


@dataclass(frozen=True)
class Checkin:
    id: int
    uid: str
    ts: str  # ISO 8601 local time with UTC offset
    ts_utc: str
    local_date: str  # YYYY-MM-DD
    mood: int
    energy: int | None
    anxiety: int | None
    sleep_hours: float | None
    note: str | None
    created_at: str
    updated_at: str
    emotions: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    values: tuple[TrackerValue, ...] = ()

    @property
    def when(self) -> datetime:
        return datetime.fromisoformat(self.ts)

    def value(self, tracker_id: str) -> TrackerValue | None:
        for v in self.values:
            if v.tracker_id == tracker_id:
                return v
        return None

    def answers(self) -> dict[str, ValueType]:
        """Every recorded answer keyed by tracker id (core ones included)."""
        out: dict[str, ValueType] = {"mood": self.mood}
        for key, val in (
            ("energy", self.energy),
            ("anxiety", self.anxiety),
            ("sleep", self.sleep_hours),
            ("note", self.note),
        ):
            if val is not None:
                out[key] = val
        if self.emotions:
            out["emotions"] = list(self.emotions)
        if self.tags:
            out["tags"] = list(self.tags)
        for v in self.values:
            if v.value is not None:
                out[v.tracker_id] = v.value
        return out

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "uid": self.uid,
            "ts": self.ts,
            "ts_utc": self.ts_utc,
            "local_date": self.local_date,
            "mood": self.mood,
            "energy": self.energy,
            "anxiety": self.anxiety,
            "sleep_hours": self.sleep_hours,
            "emotions": list(self.emotions),
            "tags": list(self.tags),
            "note": self.note,
            "values": [v.to_json() for v in self.values],
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


@dataclass
class NewCheckin:
    """What a check-in records, before it has an id."""

    at: datetime  # aware
    mood: int
    energy: int | None = None
    anxiety: int | None = None
    sleep_hours: float | None = None
    note: str | None = None
    emotions: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    values: list[TrackerValue] = field(default_factory=list)
    uid: str | None = None

    def validate(self) -> None:
        """Raise ValueError for anything the database would refuse (checked before writing)."""
        if self.at.tzinfo is None:
            raise ValueError("the time needs a UTC offset")
        for name, val, hi in (
            ("mood", self.mood, 10),
            ("energy", self.energy, 10),
            ("anxiety", self.anxiety, 10),
        ):
            if val is None and name != "mood":
                continue
            if not isinstance(val, int) or isinstance(val, bool) or not (0 <= val <= hi):
                raise ValueError(f"{name} must be a whole number from 0 to {hi}")
        if self.sleep_hours is not None and not (0 <= self.sleep_hours <= 24):
            raise ValueError("sleep must be between 0 and 24 hours")
        ids = [v.tracker_id for v in self.values]
        if len(set(ids)) != len(ids):
            raise ValueError("a tracker is given twice")


def _insert_children(db: sqlite3.Connection, checkin_id: int, entry: NewCheckin) -> None:
    tag_rows = [(checkin_id, "emotion", e) for e in dict.fromkeys(entry.emotions)]
    tag_rows += [(checkin_id, "tag", t) for t in dict.fromkeys(entry.tags)]
    if tag_rows:
        db.executemany(
            "INSERT INTO checkin_tags (checkin_id, kind, value) VALUES (?, ?, ?)", tag_rows
        )
    if entry.values:
        db.executemany(
            "INSERT INTO checkin_values (checkin_id, tracker_id, tracker_version, label, kind,"
            " value_num, value_text, unit) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    checkin_id,
                    v.tracker_id,
                    v.tracker_version,
                    v.label,
                    v.kind,
                    v.value_num,
                    v.value_text,
                    v.unit,
                )
                for v in entry.values
            ],
        )


def add_checkin(store: Store, entry: NewCheckin, *, now: datetime | None = None) -> int:
    """Record one check-in (with its tags and tracker values) in one transaction."""
    entry.validate()
    stamp = iso(now or entry.at)
    with store.tx() as db:
        cur = db.execute(
            "INSERT INTO checkins (uid, ts, ts_utc, local_date, mood, energy, anxiety,"
            " sleep_hours, note, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                entry.uid or new_uid(),
                iso(entry.at),
                utc_iso(entry.at),
                local_date(entry.at),
                entry.mood,
                entry.energy,
                entry.anxiety,
                entry.sleep_hours,
                entry.note,
                stamp,
                stamp,
            ),
        )
        checkin_id = int(cur.lastrowid or 0)
        _insert_children(db, checkin_id, entry)
    return checkin_id


def replace_checkin(store: Store, checkin_id: int, entry: NewCheckin, *, now: datetime) -> bool:
    """Replace a check-in's answers (keeps its id, uid and creation time). False if gone."""
    entry.validate()
    with store.tx() as db:
        cur = db.execute(
            "UPDATE checkins SET ts = ?, ts_utc = ?, local_date = ?, mood = ?, energy = ?,"
            " anxiety = ?, sleep_hours = ?, note = ?, updated_at = ? WHERE id = ?",
            (
                iso(entry.at),
                utc_iso(entry.at),
                local_date(entry.at),
                entry.mood,
                entry.energy,
                entry.anxiety,
                entry.sleep_hours,
                entry.note,
                iso(now),
                checkin_id,
            ),
        )
        if cur.rowcount == 0:
            return False
        db.execute("DELETE FROM checkin_tags WHERE checkin_id = ?", (checkin_id,))
        db.execute("DELETE FROM checkin_values WHERE checkin_id = ?", (checkin_id,))
        _insert_children(db, checkin_id, entry)
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


def frequent_words(store: Store, kind: str, since: date, limit: int = 8) -> list[str]:
    """The emotions (kind='emotion') or tags (kind='tag') used most since ``since``."""
    rows = store.query(
        "SELECT t.value, COUNT(*) AS n FROM checkins c CROSS JOIN checkin_tags t"
        " ON c.id = t.checkin_id WHERE t.kind = ? AND c.local_date >= ?"
        " GROUP BY t.value ORDER BY n DESC, t.value LIMIT ?",
        (kind, since.isoformat(), limit),
    )
    return [r[0] for r in rows]


def count_checkins(store: Store) -> int:
    return int(store.query("SELECT COUNT(*) FROM checkins")[0][0])
