"""What a check-in is, and the rules every stored check-in keeps.

``TrackerValue`` and ``Checkin`` are what the store reads back; ``NewCheckin`` is what a
check-in records before it has an id; ``CheckinRow`` is a check-in exactly as written
(every column as text or a number, with its tags, emotions and tracker values).
``check_row`` holds the rules: ``selfback.store.checkins`` applies them to every
check-in it writes, whatever its source (the check-in command, ``history edit``, the
selfback JSON import, the Daylio import). Pure Python, no SQL.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from selfback.store.db import iso, local_date, new_uid, utc_iso

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

    def to_row(self, *, now: datetime | None = None, uid: str | None = None) -> CheckinRow:
        """The check-in as written, created (and last changed) at ``now`` or its time."""
        stamp = iso(now or self.at)
        return CheckinRow(
            uid=uid or self.uid or new_uid(),
            ts=iso(self.at),
            ts_utc=utc_iso(self.at),
            local_date=local_date(self.at),
            mood=self.mood,
            energy=self.energy,
            anxiety=self.anxiety,
            sleep_hours=self.sleep_hours,
            note=self.note,
            created_at=stamp,
            updated_at=stamp,
            emotions=tuple(self.emotions),
            tags=tuple(self.tags),
            values=tuple(self.values),
        )

    def validate(self) -> None:
        """Raise ``InvalidCheckin`` (a ValueError) for anything the log would refuse."""
        if self.at.tzinfo is None:
            raise InvalidCheckin("ts", "the time needs a UTC offset")
        check_row(self.to_row())


# -- the rules ------------------------------------------------------------------------------

TRACKER_KINDS = frozenset({"scale", "yesno", "number", "choice", "tags", "text"})
# ids that are columns (or tags) of a check-in, never a stored tracker value
CORE_IDS = frozenset({"mood", "energy", "anxiety", "sleep", "note", "emotions", "tags"})
MAX_WORD = 40  # a tag or an emotion, as docs/data.md promises
MAX_TRACKER_ID = 200


class InvalidCheckin(ValueError):
    """A check-in the log refuses: ``field`` names what is wrong, the message says how."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class CheckinRow:
    """A check-in exactly as written: its columns, tags, emotions and tracker values."""

    uid: str
    ts: str  # ISO 8601 local time with its UTC offset
    ts_utc: str  # the same moment in UTC
    local_date: str  # YYYY-MM-DD, the date of ``ts``
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


def _moment(name: str, text: object) -> datetime:
    if not isinstance(text, str):
        raise InvalidCheckin(name, f"{name} should be a date and time")
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidCheckin(name, f"{name} is {text!r}, not a date and time") from None
    if when.tzinfo is None:
        raise InvalidCheckin(name, f"{name} is {text!r}, a time without its UTC offset")
    return when


def _rating(name: str, value: object, *, required: bool = False) -> None:
    if value is None and not required:
        return
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10:
        raise InvalidCheckin(name, f"{name} must be a whole number from 0 to 10")


def is_word(text: object) -> bool:
    """A tag or emotion as stored: lower case, single spaces, no commas, 1-40 characters."""
    return (
        isinstance(text, str)
        and 0 < len(text) <= MAX_WORD
        and "," not in text
        and text == " ".join(text.split())
        and text == text.lower()
    )


def _times(row: CheckinRow) -> None:
    when = _moment("ts", row.ts)
    utc = _moment("ts_utc", row.ts_utc)
    if utc.utcoffset() != timedelta(0) or utc != when:
        raise InvalidCheckin("ts_utc", f"ts_utc is {row.ts_utc!r}, not the time of ts in UTC")
    try:
        day = date.fromisoformat(row.local_date)
    except (TypeError, ValueError):
        raise InvalidCheckin(
            "local_date", f"local_date is {row.local_date!r}, not a date like 2026-01-31"
        ) from None
    if day != when.date():
        raise InvalidCheckin("local_date", f"local_date is {row.local_date}, not the date of ts")
    _moment("created_at", row.created_at)
    _moment("updated_at", row.updated_at)


def _answer(v: TrackerValue) -> str | None:
    """What is wrong with one tracker answer, or None."""
    num, text = v.value_num, v.value_text
    if v.kind in ("scale", "number", "yesno"):
        if num is None or not math.isfinite(num) or text is not None:
            return "should hold a number"
        if v.kind == "scale" and not float(num).is_integer():
            return "should hold a whole number"
        if v.kind == "yesno" and num not in (0, 1):
            return "should hold yes (1) or no (0)"
        return None
    if num is not None or text is None:
        return "should hold text"
    if v.kind == "tags":
        try:
            words = json.loads(text)
        except ValueError:
            words = None
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            return "should hold a JSON list of words"
    return None


def _values(values: tuple[TrackerValue, ...]) -> None:
    seen: set[str] = set()
    for v in values:
        tid = v.tracker_id
        if not isinstance(tid, str) or not tid or tid != tid.strip() or len(tid) > MAX_TRACKER_ID:
            raise InvalidCheckin("values", f"a tracker id is {tid!r}; it should be a short word")
        if tid in CORE_IDS:
            raise InvalidCheckin("values", f"'{tid}' is kept in its own column, not as a value")
        if tid in seen:
            raise InvalidCheckin("values", f"the tracker '{tid}' is answered twice")
        seen.add(tid)
        version = v.tracker_version
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise InvalidCheckin(
                "values", f"'{tid}' has version {version!r}; it should be 1 or more"
            )
        if v.kind not in TRACKER_KINDS:
            raise InvalidCheckin(
                "values", f"'{tid}' is of kind {v.kind!r}, which selfback does not know"
            )
        problem = _answer(v)
        if problem:
            raise InvalidCheckin("values", f"the answer to '{tid}' ({v.kind}) {problem}")


def check_row(row: CheckinRow) -> None:
    """Raise ``InvalidCheckin`` for anything the log would refuse or misread: ratings out
    of range, sleep outside 0-24 hours, times without their UTC offset (or a ``ts_utc``
    that is not ``ts`` in UTC, a ``local_date`` that is not its date), tags and emotions
    that are not stored words, and tracker answers without an id, a version, a known kind
    or a value of that kind."""
    if not isinstance(row.uid, str) or not row.uid.strip() or len(row.uid) > 64:
        raise InvalidCheckin("uid", "uid should be a short id")
    _times(row)
    _rating("mood", row.mood, required=True)
    _rating("energy", row.energy)
    _rating("anxiety", row.anxiety)
    sleep = row.sleep_hours
    if sleep is not None and (
        isinstance(sleep, bool) or not isinstance(sleep, int | float) or not 0 <= sleep <= 24
    ):
        raise InvalidCheckin("sleep_hours", "sleep must be between 0 and 24 hours")
    if row.note is not None and not isinstance(row.note, str):
        raise InvalidCheckin("note", "note should be text")
    for name, words in (("emotions", row.emotions), ("tags", row.tags)):
        bad = next((w for w in words if not is_word(w)), None)
        if bad is not None:
            raise InvalidCheckin(
                name,
                f"{name} holds {bad!r}; a word is lower case, at most {MAX_WORD} characters, "
                "without commas",
            )
    _values(row.values)
