"""Daylio's CSV export, as check-ins.

Columns: ``full_date,date,weekday,time,mood,activities,note_title,note`` (newer exports
add more, which are ignored), separated by commas, semicolons or tabs, in UTF-8, UTF-16
or Windows-1252 (``selfback.importer.textfile``). Times are read in any locale's clock
(``selfback.importer.daylio_time``); moods go onto selfback's 0-10 mood
(``selfback.importer.daylio_moods``). Activities are separated by `` | `` and become tags.

The file is streamed, never held: ``load_daylio`` reads it once to check it and to
collect the mood names, and each ``write`` reads it again, a batch of rows at a time.
A line that cannot be read (its date, its time, no mood) is left out and named, unless
no line can be read at all, which stops the import with the first line's problem.

Entries get a stable uid from their date and time (and, for different entries at the
same minute, their order), so importing the same export, or a later export that includes
it, adds each entry once. An entry the file holds twice (same minute, same mood, note
and activities) is written once and named. An entry whose uid is in the log but whose
answers differ (edited in Daylio, or in selfback) is a changed record: the log's version
is kept unless ``ImportResult.take_changed`` says to take the file's.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from selfback.errors import DataError
from selfback.importer.common import (
    AskMood,
    ImportResult,
    Progress,
    flag_words,
    note_example,
    texts,
)
from selfback.importer.daylio_moods import resolve_moods
from selfback.importer.daylio_time import BadTime, parse_time
from selfback.importer.textfile import Table, open_table
from selfback.messages import data as msg
from selfback.store.checkins import BadRow, CheckinRow, TrackerValue, insert_checkins
from selfback.trackers.core import normalize_word

REQUIRED = ("full_date", "time", "mood")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
# The Daylio mood name is kept with each check-in as the answer to this tracker.
MOOD_TRACKER = ("daylio-mood", 1, "Daylio mood")
BATCH = 2000  # check-ins written per batch (the progress bar moves between batches)


@dataclass(frozen=True)
class DaylioEntry:
    line: int
    day: date
    hour: int
    minute: int
    mood_name: str
    activities: tuple[str, ...]
    note: str | None
    uid: str
    repeat_of: int | None = None  # the line of the same entry earlier in the file


@dataclass(frozen=True)
class BadLine:
    line: int
    problem: str  # "has a time selfback cannot read: ..."


def _note(title: str, body: str) -> str | None:
    parts = [_BR.sub("\n", p).strip() for p in (title, body) if p and p.strip()]
    text = "\n".join(p for p in parts if p)
    return text or None


def _uid(day: str, time: str, n: int) -> str:
    key = f"daylio|{day}|{time}|{n}".encode()
    return hashlib.sha256(key).hexdigest()[:32]


def _parse(line: int, row: dict[str, str]) -> BadLine | tuple[date, int, int, str]:
    day_raw = (row.get("full_date") or "").strip()
    try:
        day = date.fromisoformat(day_raw)
    except ValueError:
        return BadLine(line, msg.DAYLIO_BAD_DATE.format(value=day_raw))
    try:
        hour, minute = parse_time(row.get("time") or "")
    except BadTime as exc:
        return BadLine(line, msg.DAYLIO_BAD_TIME.format(reason=exc.reason))
    mood = " ".join((row.get("mood") or "").split())
    if not mood:
        return BadLine(line, msg.DAYLIO_NO_MOOD)
    return day, hour, minute, mood


def _activities(raw: str) -> tuple[str, ...]:
    out: list[str] = []
    for a in raw.split("|"):
        word = normalize_word(a)
        if word and word not in out:
            out.append(word)
    return tuple(out)


def iter_entries(table: Table) -> Iterator[DaylioEntry | BadLine]:
    """Every line of the file as an entry (or why it cannot be read), in file order.

    Kept in memory: one small number per distinct minute (a digest of what was written
    then, and its line), so a repeat is known without holding the entries."""
    seen: dict[int, tuple[int, ...]] = {}
    for line, row in table.rows():
        parsed = _parse(line, row)
        if isinstance(parsed, BadLine):
            yield parsed
            continue
        day, hour, minute, mood = parsed
        activities = _activities(row.get("activities") or "")
        note = _note(row.get("note_title") or "", row.get("note") or "")
        content = f"{mood.lower()}\0{'|'.join(activities)}\0{note or ''}".encode()
        digest = int.from_bytes(hashlib.blake2b(content, digest_size=8).digest(), "big")
        key = day.toordinal() * 1440 + hour * 60 + minute
        before = seen.get(key, ())
        repeat_of = next((p & 0xFFFFFFFF for p in before if p >> 32 == digest), None)
        if repeat_of is None:
            seen[key] = (*before, digest << 32 | line)
        n = len(before) if repeat_of is None else [p >> 32 for p in before].index(digest)
        yield DaylioEntry(
            line=line,
            day=day,
            hour=hour,
            minute=minute,
            mood_name=mood,
            activities=activities,
            note=note,
            uid=_uid(day.isoformat(), f"{hour:02d}:{minute:02d}", n),
            repeat_of=repeat_of,
        )


@dataclass
class DaylioPayload:
    table: Table
    moods: dict[str, int]
    entries: int  # readable entries in the file, repeats included
    name: str = ""
    format: str = "daylio"
    warnings: list[str] = field(default_factory=list)
    repeated: int = 0
    repeated_examples: list[str] = field(default_factory=list)
    left_out: int = 0
    left_out_examples: list[str] = field(default_factory=list)

    def write(self, db: sqlite3.Connection, result: ImportResult, progress: Progress) -> None:
        write_daylio(db, self, result, progress=progress)


def _header_problem(table: Table, name: str) -> DataError | None:
    missing = [c for c in REQUIRED if c not in table.header]
    if not missing:
        return None
    many = len(missing) > 1
    return DataError(
        msg.DAYLIO_MISSING_COLUMNS.format(
            file=name,
            s="s" if many else "",
            columns=", ".join(missing),
            are="are" if many else "is",
        )
    )


def load_daylio(
    path: Path, *, mood_map: dict[str, int], ask_mood: AskMood | None = None
) -> DaylioPayload:
    """Read the file once: check it, count its entries and collect its mood names."""
    table = open_table(path)
    problem = _header_problem(table, path.name)
    if problem is not None:
        raise problem
    moods: Counter[str] = Counter()
    payload = DaylioPayload(table, {}, 0, path.name)
    first_bad: BadLine | None = None
    for item in iter_entries(table):
        if isinstance(item, BadLine):
            first_bad = first_bad or item
            payload.left_out += 1
            note_example(payload.left_out_examples, f"line {item.line} {item.problem}")
            continue
        payload.entries += 1
        moods[item.mood_name.lower()] += 1
        if item.repeat_of is not None:
            payload.repeated += 1
            note_example(
                payload.repeated_examples, f"line {item.line} repeats line {item.repeat_of}"
            )
    if first_bad is not None and not payload.entries:
        raise DataError(
            msg.DAYLIO_NOTHING_READABLE.format(
                line=first_bad.line, file=path.name, problem=first_bad.problem
            )
        )
    if not table.is_unicode:
        payload.warnings.append(
            msg.DAYLIO_ENCODING.format(
                file=path.name, encoding=table.encoding_name, sample=table.sample or ""
            ).rstrip(": ")
            + ("" if table.sample else ".")
        )
    payload.moods = resolve_moods(moods, mood_map, ask_mood)
    return payload


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
        tags=e.activities,
        values=(TrackerValue(tracker_id, version, label, "choice", None, e.mood_name),),
    )


def _batches(payload: DaylioPayload) -> Iterator[list[tuple[int, CheckinRow]]]:
    """(line, row) of each entry to write (repeats left out), ``BATCH`` at a time."""
    batch: list[tuple[int, CheckinRow]] = []
    for item in iter_entries(payload.table):
        if isinstance(item, BadLine) or item.repeat_of is not None:
            continue
        batch.append((item.line, checkin_row(item, payload.moods[item.mood_name.lower()])))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _write_batch(
    db: sqlite3.Connection,
    payload: DaylioPayload,
    batch: list[tuple[int, CheckinRow]],
    result: ImportResult,
) -> int:
    """Add the new rows of one batch, compare the others; returns how many were added."""
    from selfback.importer.changes import split_changed

    new, changed = split_changed(db, batch, result)
    if result.count_only:
        return len(new)
    try:
        added = insert_checkins(db, [row for _line, row in new])
    except BadRow as exc:
        raise DataError(
            msg.DAYLIO_LINE_REFUSED.format(
                line=new[exc.index][0], file=payload.name, problem=exc.message
            )
        ) from None
    for _id, row in added + changed:
        if flag_words(db, texts([row.note, *row.tags]), ref_uid=row.uid, when=row.ts):
            result.flagged += 1
    return len(added)


def write_daylio(
    db: sqlite3.Connection,
    payload: DaylioPayload,
    result: ImportResult,
    *,
    progress: Progress | None = None,
) -> None:
    """Add the entries the log does not have yet (through the one check-in writer), note
    the changed ones (taking the file's version if asked), and flag the added or taken
    ones whose words may mean risk."""
    total = payload.entries - payload.repeated or 1
    done = added = 0
    for batch in _batches(payload):
        added += _write_batch(db, payload, batch, result)
        done += len(batch)
        if progress:
            progress(min(done, total), total)
    result.count("checkins", added, done - result.changed)
    result.warnings += payload.warnings
    result.repeated, result.repeated_examples = payload.repeated, list(payload.repeated_examples)
    result.left_out, result.left_out_examples = payload.left_out, list(payload.left_out_examples)
    result.mood_map = dict(sorted(payload.moods.items(), key=lambda kv: -kv[1]))
    if progress:
        progress(total, total)
