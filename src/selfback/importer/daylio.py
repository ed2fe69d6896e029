"""Daylio's CSV export, as check-ins.

Columns: ``full_date,date,weekday,time,mood,activities,note_title,note``. Activities are
separated by `` | `` and become tags. Daylio's five mood levels are spread evenly over
selfback's 0-10 mood (the middle of each fifth): rad 9, good 7, meh 5, bad 3, awful 1.
Common custom names ("great", "okay", "sad"...) map onto the same levels; any other name
must be given a number with ``--mood-map NAME=N`` (or, in a terminal, is asked for).

Entries get a stable uid from their date and time (and their order among entries with the
same date and time), so importing the same export, or a later export that includes it,
adds each entry once.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from selfback.errors import DataError, UsageError
from selfback.importer.common import AskMood, ImportResult, Progress, flag_words, texts
from selfback.store.checkins import BadRow, CheckinRow, TrackerValue, insert_checkins
from selfback.trackers.core import normalize_word

DEFAULT_MOODS = {"rad": 9, "good": 7, "meh": 5, "bad": 3, "awful": 1}
SYNONYMS = {
    9: (
        "great",
        "awesome",
        "amazing",
        "fantastic",
        "excellent",
        "super",
        "wonderful",
        "ecstatic",
        "joyful",
        "happy",
        "very good",
        "best",
        "brilliant",
    ),
    7: ("nice", "content", "pleasant", "positive", "well", "pretty good", "calm", "relaxed"),
    5: (
        "ok",
        "okay",
        "o.k.",
        "neutral",
        "so-so",
        "so so",
        "average",
        "normal",
        "alright",
        "fine",
        "mixed",
        "blah",
    ),
    3: (
        "sad",
        "down",
        "low",
        "not good",
        "poor",
        "upset",
        "unhappy",
        "stressed",
        "anxious",
        "tired",
        "rough",
        "not great",
    ),
    1: (
        "terrible",
        "horrible",
        "miserable",
        "depressed",
        "worst",
        "very bad",
        "dreadful",
        "hopeless",
        "awful day",
        "really bad",
    ),
}
KNOWN: dict[str, int] = dict(DEFAULT_MOODS)
for _value, _names in SYNONYMS.items():
    for _name in _names:
        KNOWN.setdefault(_name, _value)
# Daylio's levels as numbers 1 (awful) to 5 (rad), which some exports carry.
LEVELS = {"1": 1, "2": 3, "3": 5, "4": 7, "5": 9}

REQUIRED = ("full_date", "time", "mood")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?\s*$", re.IGNORECASE)


@dataclass
class DaylioEntry:
    line: int
    day: date
    hour: int
    minute: int
    mood_name: str
    activities: list[str]
    note: str | None
    uid: str


def _time(raw: str, line: int) -> tuple[int, int]:
    m = _TIME.match(raw or "")
    if not m:
        raise DataError(f"Line {line} of the Daylio file has a time selfback cannot read: {raw!r}.")
    hour, minute = int(m.group(1)), int(m.group(2))
    suffix = (m.group(4) or "").lower().replace(".", "")
    if suffix == "pm" and hour < 12:
        hour += 12
    elif suffix == "am" and hour == 12:
        hour = 0
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise DataError(f"Line {line} of the Daylio file has a time that does not exist: {raw!r}.")
    return hour, minute


def _note(title: str, body: str) -> str | None:
    parts = [_BR.sub("\n", p).strip() for p in (title, body) if p and p.strip()]
    text = "\n".join(p for p in parts if p)
    return text or None


def _uid(day: str, time: str, n: int) -> str:
    key = f"daylio|{day}|{time}|{n}".encode()
    return hashlib.sha256(key).hexdigest()[:32]


def read_entries(path: Path) -> list[DaylioEntry]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"Could not read {path} ({exc.strerror or exc}).") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields = [f.strip().lower() for f in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in fields]
    if missing:
        raise DataError(
            f"{path.name} does not look like a Daylio export: the column"
            f"{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"{'are' if len(missing) > 1 else 'is'} missing. Nothing was imported."
        )
    reader.fieldnames = fields
    seen: Counter[tuple[str, str]] = Counter()
    out = []
    for row in reader:
        line = reader.line_num
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        day_raw = (row.get("full_date") or "").strip()
        try:
            day = date.fromisoformat(day_raw)
        except ValueError:
            raise DataError(
                f"Line {line} of {path.name} has a date selfback cannot read: {day_raw!r} "
                "(expected 2024-03-01 in the full_date column). Nothing was imported."
            ) from None
        time_raw = (row.get("time") or "").strip()
        hour, minute = _time(time_raw, line)
        mood = " ".join((row.get("mood") or "").split())
        if not mood:
            raise DataError(f"Line {line} of {path.name} has no mood. Nothing was imported.")
        activities = []
        for a in (row.get("activities") or "").split("|"):
            word = normalize_word(a)
            if word and word not in activities:
                activities.append(word)
        key = (day.isoformat(), f"{hour:02d}:{minute:02d}")
        n = seen[key]
        seen[key] += 1
        out.append(
            DaylioEntry(
                line=line,
                day=day,
                hour=hour,
                minute=minute,
                mood_name=mood,
                activities=activities,
                note=_note(row.get("note_title") or "", row.get("note") or ""),
                uid=_uid(*key, n),
            )
        )
    return out


def resolve_moods(
    entries: list[DaylioEntry], mood_map: dict[str, int], ask_mood: AskMood | None
) -> dict[str, int]:
    """Every mood name in the file -> 0-10. Unknown names are asked for or reported."""
    counts = Counter(e.mood_name.lower() for e in entries)
    chosen: dict[str, int] = {}
    unknown: list[str] = []
    for name in counts:
        if name in mood_map:
            chosen[name] = mood_map[name]
        elif name in KNOWN:
            chosen[name] = KNOWN[name]
        elif name in LEVELS:
            chosen[name] = LEVELS[name]
        else:
            unknown.append(name)
    if unknown and ask_mood is not None:
        for name in unknown:
            chosen[name] = ask_mood(name, counts[name])
        unknown = []
    if unknown:
        listed = ", ".join(
            f"'{n}' ({counts[n]} {'entry' if counts[n] == 1 else 'entries'})" for n in unknown
        )
        example = " ".join(f"--mood-map '{n}=N'" for n in unknown[:3])
        raise UsageError(
            f"Daylio moods selfback does not know: {listed}. Say what each means on selfback's "
            f"0-10 mood (0 worst, 10 best; rad is 9, meh 5, awful 1) with {example}. "
            "Nothing was imported."
        )
    return chosen


# The Daylio mood name is kept with each check-in as the answer to this tracker.
MOOD_TRACKER = ("daylio-mood", 1, "Daylio mood")
BATCH = 2000  # check-ins written per batch (the progress bar moves between batches)


@dataclass
class DaylioPayload:
    entries: list[DaylioEntry]
    moods: dict[str, int]
    name: str = ""
    format: str = "daylio"

    def write(self, db: sqlite3.Connection, result: ImportResult, progress: Progress) -> None:
        write_daylio(db, self, result, progress=progress)


def load_daylio(
    path: Path, *, mood_map: dict[str, int], ask_mood: AskMood | None = None
) -> DaylioPayload:
    entries = read_entries(path)
    return DaylioPayload(entries, resolve_moods(entries, mood_map, ask_mood), path.name)


def checkin_row(e: DaylioEntry, mood: int) -> CheckinRow:
    """One Daylio entry as a check-in, at its own time in this computer's time zone."""
    local = datetime(e.day.year, e.day.month, e.day.day, e.hour, e.minute).astimezone()
    ts = local.isoformat(timespec="seconds")
    tracker_id, version, label = MOOD_TRACKER
    return CheckinRow(
        uid=e.uid,
        ts=ts,
        ts_utc=local.astimezone(UTC).isoformat(timespec="seconds"),
        local_date=local.date().isoformat(),
        mood=mood,
        energy=None,
        anxiety=None,
        sleep_hours=None,
        note=e.note,
        created_at=ts,
        updated_at=ts,
        tags=tuple(e.activities),
        values=(TrackerValue(tracker_id, version, label, "choice", None, e.mood_name),),
    )


def write_daylio(
    db: sqlite3.Connection,
    payload: DaylioPayload,
    result: ImportResult,
    *,
    progress: Progress | None = None,
) -> None:
    """Add the entries the log does not have yet (through the one check-in writer), and
    flag the added ones whose words may mean risk."""
    rows = [checkin_row(e, payload.moods[e.mood_name.lower()]) for e in payload.entries]
    lines = {e.uid: e.line for e in payload.entries}
    total = len(rows) or 1
    added: list[CheckinRow] = []
    for k in range(0, len(rows), BATCH):
        batch = rows[k : k + BATCH]
        try:
            added += [row for _id, row in insert_checkins(db, batch, skip_existing=True)]
        except BadRow as exc:
            line = lines[batch[exc.index].uid]
            raise DataError(
                f"Line {line} of {payload.name} cannot be imported: {exc.message}. "
                "Nothing was imported."
            ) from None
        if progress:
            progress(min(k + len(batch), total), total)
    for row in added:
        if flag_words(db, texts([row.note, *row.tags]), ref_uid=row.uid, when=row.ts):
            result.flagged += 1
    result.count("checkins", len(added), len(rows))
    result.mood_map = dict(sorted(payload.moods.items(), key=lambda kv: -kv[1]))
    if progress:
        progress(total, total)
