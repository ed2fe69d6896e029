"""Reading a selfback JSON export back into the log (see ``selfback.export.jsonfile``).

Every record is checked before anything is written (before the backup, too): first the
whole file against the export's schema, entry by entry (``selfback.importer.json_checks``:
unknown fields, missing ones, types, ranges, known words, times that agree), then each
check-in against the rules every stored check-in keeps
(``selfback.store.checkin_model.check_row``). Any problem refuses the file with one
sentence naming the first few, each with its entry number, and how many there are in all;
nothing is imported. The one check-in writer holds the rows to the same rules again before
it writes any; tags and emotions are stored as words (lower case, no commas).

``risk_flags`` (present when the export included the crisis part) come back as they were.
Text in the added records that may mean risk (check-in notes, tags and emotions, text
tracker values, answers typed in skills) is flagged with source ``import`` unless the file
already carries a flag for that record: flagged, never interrupted.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from selfback.errors import DataError
from selfback.export.data import FORMAT, RECORD_TYPES, SCHEMA_VERSION
from selfback.importer import hope_json, json_checks
from selfback.importer.common import ImportResult, Progress, flag_words, texts
from selfback.importer.json_checkins import write_checkins
from selfback.store.checkins import CheckinRow, TrackerValue
from selfback.store.hope import HopeItem, NextTimeNote
from selfback.store.importing import CrisisRow, PlanRow, RiskRow
from selfback.store.records import MeasureRecord, SessionRecord

# Read and written after the record types every selfback version knows.
EXTRA_TYPES = ("risk_flags", "hope_items", "next_time_notes")

# Every kind of record, with its schema (docs/data.md, "The JSON export").
KINDS = {**json_checks.RECORDS, **hope_json.KINDS}

# A file bigger than this is almost certainly not a selfback export.
MAX_BYTES = 2 * 1024**3
# Check-ins written per batch (the progress bar moves between batches).

Rec = dict[str, object]
T = TypeVar("T")


class _Bad(Exception):
    pass


class _Located(Exception):
    pass


@dataclass
class Payload:
    """A selfback JSON export, read and checked."""

    name: str
    checkins: list[CheckinRow] = field(default_factory=list)
    sessions: list[SessionRecord] = field(default_factory=list)
    measures: list[MeasureRecord] = field(default_factory=list)
    crisis: list[CrisisRow] = field(default_factory=list)
    plans: list[PlanRow] = field(default_factory=list)
    risk_flags: list[RiskRow] = field(default_factory=list)
    hope_items: list[HopeItem] = field(default_factory=list)
    next_time_notes: list[NextTimeNote] = field(default_factory=list)
    format: str = "selfback"

    @property
    def size(self) -> int:
        return (
            len(self.checkins)
            + len(self.sessions)
            + len(self.measures)
            + len(self.crisis)
            + len(self.plans)
            + len(self.risk_flags)
            + len(self.hope_items)
            + len(self.next_time_notes)
        )

    def write(self, db: sqlite3.Connection, result: ImportResult, progress: Progress) -> None:
        write(db, self, result, progress=progress)


def _read(path: Path) -> dict[str, object]:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise DataError(f"{path.name} is too big to be a selfback export.")
        with path.open("r", encoding="utf-8-sig") as fh:
            return _checked_export(_parsed(lambda: json.load(fh), path.name), path.name)
    except OSError as exc:
        raise DataError(f"Could not read {path} ({exc.strerror or exc}).") from None


def _parsed(read: Callable[[], object], name: str) -> object:
    """The JSON ``read`` returns, or one sentence naming what is wrong with it."""
    try:
        return read()
    except UnicodeDecodeError:
        raise DataError(f"{name} is not a text file, so it is not a selfback export.") from None
    except json.JSONDecodeError as exc:
        raise DataError(
            f"{name} is not valid JSON (line {exc.lineno}: {exc.msg}). Was it cut short? "
            "Nothing was imported."
        ) from None
    except RecursionError:
        raise DataError(
            f"{name} is nested too deeply to be a selfback export. Nothing was imported."
        ) from None
    except ValueError:  # a number of more than 4300 digits
        raise DataError(
            f"{name} holds a number too long to be from a selfback export. Nothing was imported."
        ) from None


def _checked_export(data: object, name: str) -> dict[str, object]:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DataError(
            f"{name} is JSON but not a selfback export (made by selfback export "
            "--format json). Nothing was imported."
        )
    version = data.get("schema_version")
    if not isinstance(version, int) or version < 1:
        raise DataError(f"{name} has no valid schema_version. Nothing was imported.")
    if version > SCHEMA_VERSION:
        raise DataError(
            f"{name} was made by a newer selfback (export schema {version}; this one "
            f"reads up to {SCHEMA_VERSION}). Update selfback, then import it."
        )
    for kind in (*RECORD_TYPES, *EXTRA_TYPES):
        value = data.get(kind, [])
        if value is None and kind in EXTRA_TYPES:
            continue
        if not isinstance(value, list):
            raise DataError(f"In {name}, '{kind}' should be a list. Nothing was imported.")
    return data


def _each(kind: str, items: object, check: Callable[[Rec], T]) -> list[T]:
    """Every record of ``kind`` checked, or ``_Located`` naming the first bad one."""
    out = []
    for n, rec in enumerate(items if isinstance(items, list) else [], start=1):
        label = f"entry {n} in {kind}"
        if not isinstance(rec, dict):
            raise _Located(f"{label} is not an object")
        uid = rec.get("uid")
        if isinstance(uid, str):
            label += f" (uid {uid[:12]})"
        try:
            out.append(check(rec))
        except _Bad as exc:
            raise _Located(f"{label}: {exc}") from None
    return out


def load(path: Path) -> Payload:
    """Read and check the whole file against the export's schema (``json_checks``) and
    the rules of a stored check-in; raises DataError naming the first few problems."""
    return _payload(_read(path), path.name)


def load_bytes(raw: bytes, name: str) -> Payload:
    """``load`` for an export held in memory (a sealed one, opened by
    ``selfback.importer.sealed``)."""
    if len(raw) > MAX_BYTES:
        raise DataError(f"{name} is too big to be a selfback export.")
    data = _parsed(lambda: json.loads(raw.decode("utf-8-sig")), name)
    return _payload(_checked_export(data, name), name)


def _payload(data: dict[str, object], name: str) -> Payload:
    json_checks.refuse(name, json_checks.problems(data, KINDS))
    try:
        payload = Payload(
            name=name,
            checkins=_each("checkins", data.get("checkins"), _checkin),
            sessions=_each("coping_sessions", data.get("coping_sessions"), _session),
            measures=_each("measure_results", data.get("measure_results"), _measure),
            crisis=_each("crisis_openings", data.get("crisis_openings"), _crisis),
            plans=_each("safety_plan_versions", data.get("safety_plan_versions"), _plan),
            risk_flags=_each("risk_flags", data.get("risk_flags"), _risk_flag),
            hope_items=_each("hope_items", data.get("hope_items"), _checked(hope_json.hope_item)),
            next_time_notes=_each(
                "next_time_notes", data.get("next_time_notes"), _checked(hope_json.next_time_note)
            ),
        )
    except _Located as exc:
        raise DataError(f"In {name}, {exc}. Nothing was imported.") from None
    json_checks.refuse(name, json_checks.checkin_rules(payload.checkins))
    return payload


def _checked(check: Callable[[Rec], T]) -> Callable[[Rec], T]:
    """A checker that says what is wrong with a ValueError, as this module's own do."""

    def run(rec: Rec) -> T:
        try:
            return check(rec)
        except ValueError as exc:
            raise _Bad(str(exc)) from None

    return run


# -- checking one record --------------------------------------------------------------


def _str(rec: Rec, key: str, *, required: bool = True, limit: int = 1_000_000) -> str | None:
    v = rec.get(key)
    if v is None:
        if required:
            raise _Bad(f"'{key}' is missing")
        return None
    if not isinstance(v, str) or (required and not v.strip()):
        raise _Bad(f"'{key}' should be text")
    if len(v) > limit:
        raise _Bad(f"'{key}' is too long")
    return v


def _int(rec: Rec, key: str, lo: int, hi: int, *, required: bool = True) -> int | None:
    v = rec.get(key)
    if v is None:
        if required:
            raise _Bad(f"'{key}' is missing")
        return None
    if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
        raise _Bad(f"'{key}' is {v!r}; it should be a whole number from {lo} to {hi}")
    return v


def _num(rec: Rec, key: str, lo: float, hi: float) -> float | None:
    v = rec.get(key)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int | float) or not lo <= v <= hi:
        raise _Bad(f"'{key}' is {v!r}; it should be a number from {lo:g} to {hi:g}")
    return float(v)


def _when(rec: Rec, key: str, *, required: bool = True) -> str | None:
    v = _str(rec, key, required=required, limit=64)
    if v is None:
        return None
    try:
        dt = datetime.fromisoformat(v)
    except ValueError:
        raise _Bad(f"'{key}' is {v!r}, not a date and time") from None
    if dt.tzinfo is None:
        raise _Bad(f"'{key}' is {v!r}, a time without its UTC offset")
    return str(v)


def _utc(rec: Rec, key: str, local: str) -> str:
    v = _when(rec, key, required=False)
    if v is not None:
        return v
    return datetime.fromisoformat(local).astimezone(UTC).isoformat()


def _list(rec: Rec, key: str) -> list[object]:
    v = rec.get(key, [])
    if v is None:
        return []
    if not isinstance(v, list):
        raise _Bad(f"'{key}' should be a list")
    return v


def _uid(rec: Rec) -> str:
    uid = _str(rec, "uid", limit=64)
    return str(uid)


def _words(rec: Rec, key: str) -> tuple[str, ...]:
    """Tags or emotions, as stored words (lower case, single spaces, no commas)."""
    from selfback.trackers.core import normalize_word

    out = []
    for t in _list(rec, key):
        word = normalize_word(t) if isinstance(t, str) else ""
        if not word:
            raise _Bad(f"'{key}' should hold words only")
        out.append(word)
    return tuple(out)


def _value(v: object) -> TrackerValue:
    if not isinstance(v, dict):
        raise _Bad("a tracker value is not an object")
    return TrackerValue(
        tracker_id=str(_str(v, "tracker_id", limit=200)),
        tracker_version=_int(v, "tracker_version", 1, 1_000_000, required=False) or 1,
        label=_str(v, "label", required=False, limit=500),
        kind=str(_str(v, "kind", limit=40)),
        value_num=_num(v, "value_num", -1e15, 1e15),
        value_text=_str(v, "value_text", required=False),
        unit=_str(v, "unit", required=False, limit=100),
    )


def _checkin(r: Rec) -> CheckinRow:
    ts = str(_when(r, "ts"))
    local = _str(r, "local_date", required=False, limit=10) or ts[:10]
    mood = _int(r, "mood", 0, 10)
    assert mood is not None
    row = CheckinRow(
        uid=_uid(r),
        ts=ts,
        ts_utc=_utc(r, "ts_utc", ts),
        local_date=local,
        mood=mood,
        energy=_int(r, "energy", 0, 10, required=False),
        anxiety=_int(r, "anxiety", 0, 10, required=False),
        sleep_hours=_num(r, "sleep_hours", 0, 24),
        note=_str(r, "note", required=False),
        created_at=_when(r, "created_at", required=False) or ts,
        updated_at=_when(r, "updated_at", required=False) or ts,
        emotions=_words(r, "emotions"),
        tags=_words(r, "tags"),
        values=tuple(_value(v) for v in _list(r, "values")),
    )
    return row  # the check-in writer holds it to the rules (check_row)


def checkin_words(row: CheckinRow) -> list[str]:
    """The text of a check-in that is heard for risk: note, tags, emotions, text answers."""
    return texts(
        [
            row.note,
            *row.tags,
            *row.emotions,
            *(v.value_text for v in row.values if v.kind in ("text", "tags")),
        ]
    )


def _session(r: Rec) -> SessionRecord:
    started = str(_when(r, "started_at"))
    status = _str(r, "status", limit=20)
    if status not in ("completed", "stopped"):
        raise _Bad(f"'status' is {status!r}; it should be completed or stopped")
    version = _int(r, "skill_version", 0, 1_000_000)
    assert version is not None
    return SessionRecord(
        uid=_uid(r),
        skill_id=str(_str(r, "skill_id", limit=200)),
        skill_version=version,
        skill_title=_str(r, "skill_title", required=False, limit=500),
        situation=_str(r, "situation", required=False, limit=500),
        distress_before=_int(r, "distress_before", 0, 10, required=False),
        distress_after=_int(r, "distress_after", 0, 10, required=False),
        started_at=started,
        started_utc=_utc(r, "started_utc", started),
        ended_at=_when(r, "ended_at", required=False),
        status=str(status),
        answers=tuple(_list(r, "answers")),
    )


def session_words(row: SessionRecord) -> list[str]:
    """What was typed during a skill, heard for risk."""
    return texts(a.get("answer") for a in row.answers if isinstance(a, dict))


def _measure(r: Rec) -> MeasureRecord:
    taken = str(_when(r, "taken_at"))
    answers = _list(r, "answers")
    if not all(a is None or (isinstance(a, int) and not isinstance(a, bool)) for a in answers):
        raise _Bad("'answers' should hold whole numbers (or null for items not asked)")
    flags = _list(r, "flags")
    if not all(isinstance(f, str) for f in flags):
        raise _Bad("'flags' should hold text only")
    version = _int(r, "instrument_version", 0, 1_000_000)
    total = _int(r, "total", 0, 10_000)
    assert version is not None and total is not None
    return MeasureRecord(
        uid=_uid(r),
        instrument=str(_str(r, "instrument", limit=40)),
        instrument_version=version,
        taken_at=taken,
        taken_utc=_utc(r, "taken_utc", taken),
        total=total,
        band=str(_str(r, "band", limit=100)),
        answers=tuple(a if isinstance(a, int) else None for a in answers),
        flags=tuple(str(f) for f in flags),
    )


def _crisis(r: Rec) -> CrisisRow:
    opened = str(_when(r, "opened_at"))
    return CrisisRow(
        _uid(r), opened, _utc(r, "opened_utc", opened), str(_str(r, "source", limit=40))
    )


def _plan(r: Rec) -> PlanRow:
    saved = str(_when(r, "saved_at"))
    plan = r.get("plan")
    if not isinstance(plan, dict):
        raise _Bad("'plan' should be an object")
    return PlanRow(
        _uid(r),
        saved,
        _utc(r, "saved_utc", saved),
        # the same text selfback.safety.plan writes, so the sos mirror matches
        json.dumps(plan, indent=2, ensure_ascii=False) + "\n",
    )


def _risk_flag(r: Rec) -> RiskRow:
    flagged = str(_when(r, "flagged_at"))
    return RiskRow(
        _uid(r),
        flagged,
        _utc(r, "flagged_utc", flagged),
        str(_str(r, "source", limit=40)),
        str(_str(r, "kind", limit=40)),
        _str(r, "ref_uid", required=False, limit=64),
    )


# -- writing -------------------------------------------------------------------------


def write(
    db: sqlite3.Connection,
    payload: Payload,
    result: ImportResult,
    *,
    progress: Progress | None = None,
) -> None:
    """Write every record the log does not have yet, then flag risk in the added ones."""
    from selfback.store import importing

    total = payload.size or 1
    count = 0

    def done(n: int) -> None:
        nonlocal count
        count += n
        if progress:
            progress(min(count, total), total)

    added_rows, taken = write_checkins(db, payload.name, payload.checkins, result, done)
    result.count("checkins", len(added_rows), len(payload.checkins) - result.changed)
    checkins = added_rows + taken
    sessions = importing.insert_sessions(db, payload.sessions)
    result.count("coping_sessions", len(sessions), len(payload.sessions))
    done(len(payload.sessions))
    added = len(importing.insert_measures(db, payload.measures))
    result.count("measure_results", added, len(payload.measures))
    added = len(importing.insert_crisis_openings(db, payload.crisis))
    result.count("crisis_openings", added, len(payload.crisis))
    added = len(importing.insert_plan_versions(db, payload.plans))
    result.count("safety_plan_versions", added, len(payload.plans))
    added = len(importing.insert_risk_flags(db, payload.risk_flags))
    result.count("risk_flags", added, len(payload.risk_flags))
    hope_json.write(db, payload.hope_items, payload.next_time_notes, result)
    done(len(payload.measures) + len(payload.crisis) + len(payload.plans))
    # Records the file (or the log) already has a flag for: not flagged twice.
    flagged_refs = {f.ref_uid for f in payload.risk_flags}
    heard = [(c.uid, c.ts, checkin_words(c)) for c in checkins]
    heard += [(s.uid, s.started_at, session_words(s)) for s in sessions]
    for uid, when, words in heard:
        if uid not in flagged_refs and flag_words(db, words, ref_uid=uid, when=when):
            result.flagged += 1
    if progress:
        progress(total, total)
