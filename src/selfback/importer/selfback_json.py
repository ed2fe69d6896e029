"""Reading a selfback JSON export back into the log (see ``selfback.export.jsonfile``).

Every record is checked before anything is written: a problem gives one sentence naming
the record and the field, and nothing is imported.

``risk_flags`` (present when the export included the crisis part) come back as they were.
Text in the added records that may mean risk (check-in notes, tags and emotions, text
tracker values, answers typed in skills) is flagged with source ``import`` unless the file
already carries a flag for that record: flagged, never interrupted.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from selfback.errors import DataError
from selfback.export.data import FORMAT, RECORD_TYPES, SCHEMA_VERSION
from selfback.importer import ImportResult, flag_words

# Read and written after the record types every selfback version knows.
EXTRA_TYPES = ("risk_flags",)

# A file bigger than this is almost certainly not a selfback export.
MAX_BYTES = 2 * 1024**3


class _Bad(Exception):
    pass


def load(path: Path) -> dict[str, Any]:
    """Read and check the whole file; raises DataError naming the first problem."""
    _reset()
    try:
        if path.stat().st_size > MAX_BYTES:
            raise DataError(f"{path.name} is too big to be a selfback export.")
        with path.open("r", encoding="utf-8-sig") as fh:
            data = json.load(fh)
    except UnicodeDecodeError:
        raise DataError(
            f"{path.name} is not a text file, so it is not a selfback export."
        ) from None
    except json.JSONDecodeError as exc:
        raise DataError(
            f"{path.name} is not valid JSON (line {exc.lineno}: {exc.msg}). Was it cut short? "
            "Nothing was imported."
        ) from None
    except OSError as exc:
        raise DataError(f"Could not read {path} ({exc.strerror or exc}).") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DataError(
            f"{path.name} is JSON but not a selfback export (made by selfback export "
            "--format json). Nothing was imported."
        )
    version = data.get("schema_version")
    if not isinstance(version, int) or version < 1:
        raise DataError(f"{path.name} has no valid schema_version. Nothing was imported.")
    if version > SCHEMA_VERSION:
        raise DataError(
            f"{path.name} was made by a newer selfback (export schema {version}; this one "
            f"reads up to {SCHEMA_VERSION}). Update selfback, then import it."
        )
    for kind in (*RECORD_TYPES, *EXTRA_TYPES):
        value = data.get(kind, [])
        if value is None and kind in EXTRA_TYPES:
            continue
        if not isinstance(value, list):
            raise DataError(f"In {path.name}, '{kind}' should be a list. Nothing was imported.")
    try:
        return {
            kind: [_CHECKERS[kind](r) for r in data.get(kind) or []]
            for kind in (*RECORD_TYPES, *EXTRA_TYPES)
        }
    except _Located as exc:
        raise DataError(f"In {path.name}, {exc}. Nothing was imported.") from None


# -- checking one record --------------------------------------------------------------


class _Located(Exception):
    pass


def _str(rec: dict[str, Any], key: str, *, required: bool = True, limit: int = 1_000_000) -> Any:
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


def _int(rec: dict[str, Any], key: str, lo: int, hi: int, *, required: bool = True) -> int | None:
    v = rec.get(key)
    if v is None:
        if required:
            raise _Bad(f"'{key}' is missing")
        return None
    if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
        raise _Bad(f"'{key}' is {v!r}; it should be a whole number from {lo} to {hi}")
    return v


def _num(rec: dict[str, Any], key: str, lo: float, hi: float) -> float | None:
    v = rec.get(key)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int | float) or not lo <= v <= hi:
        raise _Bad(f"'{key}' is {v!r}; it should be a number from {lo:g} to {hi:g}")
    return float(v)


def _when(rec: dict[str, Any], key: str, *, required: bool = True) -> str | None:
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


def _utc(rec: dict[str, Any], key: str, local: str) -> str:
    v = _when(rec, key, required=False)
    if v is not None:
        return v
    return datetime.fromisoformat(local).astimezone(UTC).isoformat(timespec="seconds")


def _list(rec: dict[str, Any], key: str) -> list[Any]:
    v = rec.get(key, [])
    if v is None:
        return []
    if not isinstance(v, list):
        raise _Bad(f"'{key}' should be a list")
    return v


def _uid(rec: dict[str, Any]) -> str:
    uid = _str(rec, "uid", limit=64)
    return str(uid)


def _checked(kind: str) -> Callable[[Callable[[dict[str, Any]], dict[str, Any]]], Any]:
    def wrap(func: Callable[[dict[str, Any]], dict[str, Any]]) -> Any:
        counter = {"n": 0}

        def run(rec: Any) -> dict[str, Any]:
            counter["n"] += 1
            label = f"{kind} entry {counter['n']}"
            if not isinstance(rec, dict):
                raise _Located(f"{label} is not an object")
            if isinstance(rec.get("uid"), str):
                label += f" (uid {rec['uid'][:12]})"
            try:
                return func(rec)
            except _Bad as exc:
                raise _Located(f"{label}: {exc}") from None

        run.reset = lambda: counter.update(n=0)  # type: ignore[attr-defined]
        return run

    return wrap


@_checked("checkins")
def _checkin(r: dict[str, Any]) -> dict[str, Any]:
    ts = str(_when(r, "ts"))
    local = _str(r, "local_date", required=False, limit=10) or ts[:10]
    try:
        datetime.strptime(local, "%Y-%m-%d")
    except ValueError:
        raise _Bad(f"'local_date' is {local!r}, not a date like 2026-01-31") from None
    values = []
    for v in _list(r, "values"):
        if not isinstance(v, dict):
            raise _Bad("a tracker value is not an object")
        values.append(
            (
                _str(v, "tracker_id", limit=200),
                _int(v, "tracker_version", 1, 1_000_000, required=False) or 1,
                _str(v, "label", required=False, limit=500),
                _str(v, "kind", limit=40),
                _num(v, "value_num", -1e15, 1e15),
                _str(v, "value_text", required=False),
                _str(v, "unit", required=False, limit=100),
            )
        )
    tags = []
    for key, kind in (("tags", "tag"), ("emotions", "emotion")):
        for t in _list(r, key):
            if not isinstance(t, str) or not t.strip():
                raise _Bad(f"'{key}' should hold text only")
            tags.append((kind, t))
    words: list[Any] = [r.get("note"), *(t for _, t in tags)]
    words += [v[5] for v in values if v[3] in ("text", "tags")]
    return {
        "words": words,
        "when": ts,
        "row": (
            _uid(r),
            ts,
            _utc(r, "ts_utc", ts),
            local,
            _int(r, "mood", 0, 10),
            _int(r, "energy", 0, 10, required=False),
            _int(r, "anxiety", 0, 10, required=False),
            _num(r, "sleep_hours", 0, 24),
            _str(r, "note", required=False),
            _when(r, "created_at", required=False) or ts,
            _when(r, "updated_at", required=False) or ts,
        ),
        "tags": tags,
        "values": values,
    }


@_checked("coping_sessions")
def _session(r: dict[str, Any]) -> dict[str, Any]:
    started = str(_when(r, "started_at"))
    status = _str(r, "status", limit=20)
    if status not in ("completed", "stopped"):
        raise _Bad(f"'status' is {status!r}; it should be completed or stopped")
    answers = _list(r, "answers")
    return {
        "words": [a.get("answer") for a in answers if isinstance(a, dict)],
        "when": started,
        "row": (
            _uid(r),
            _str(r, "skill_id", limit=200),
            _int(r, "skill_version", 0, 1_000_000),
            _str(r, "skill_title", required=False, limit=500),
            _str(r, "situation", required=False, limit=500),
            _int(r, "distress_before", 0, 10, required=False),
            _int(r, "distress_after", 0, 10, required=False),
            started,
            _utc(r, "started_utc", started),
            _when(r, "ended_at", required=False),
            status,
            json.dumps(answers, ensure_ascii=False),
        ),
    }


@_checked("measure_results")
def _measure(r: dict[str, Any]) -> dict[str, Any]:
    taken = str(_when(r, "taken_at"))
    answers = _list(r, "answers")
    if not all(a is None or (isinstance(a, int) and not isinstance(a, bool)) for a in answers):
        raise _Bad("'answers' should hold whole numbers (or null for items not asked)")
    flags = _list(r, "flags")
    if not all(isinstance(f, str) for f in flags):
        raise _Bad("'flags' should hold text only")
    return {
        "row": (
            _uid(r),
            _str(r, "instrument", limit=40),
            _int(r, "instrument_version", 0, 1_000_000),
            taken,
            _utc(r, "taken_utc", taken),
            json.dumps(answers),
            _int(r, "total", 0, 10_000),
            _str(r, "band", limit=100),
            json.dumps(flags),
        )
    }


@_checked("crisis_openings")
def _crisis(r: dict[str, Any]) -> dict[str, Any]:
    opened = str(_when(r, "opened_at"))
    return {
        "row": (
            _uid(r),
            opened,
            _utc(r, "opened_utc", opened),
            _str(r, "source", limit=40),
        )
    }


@_checked("safety_plan_versions")
def _plan(r: dict[str, Any]) -> dict[str, Any]:
    saved = str(_when(r, "saved_at"))
    plan = r.get("plan")
    if not isinstance(plan, dict):
        raise _Bad("'plan' should be an object")
    return {
        "row": (
            _uid(r),
            saved,
            _utc(r, "saved_utc", saved),
            # the same text selfback.safety.plan writes, so the sos mirror matches
            json.dumps(plan, indent=2, ensure_ascii=False) + "\n",
        )
    }


@_checked("risk_flags")
def _risk_flag(r: dict[str, Any]) -> dict[str, Any]:
    flagged = str(_when(r, "flagged_at"))
    return {
        "row": (
            _uid(r),
            flagged,
            _utc(r, "flagged_utc", flagged),
            _str(r, "source", limit=40),
            _str(r, "kind", limit=40),
            _str(r, "ref_uid", required=False, limit=64),
        )
    }


_CHECKERS: dict[str, Any] = {
    "checkins": _checkin,
    "coping_sessions": _session,
    "measure_results": _measure,
    "crisis_openings": _crisis,
    "safety_plan_versions": _plan,
    "risk_flags": _risk_flag,
}


def _reset() -> None:
    for func in _CHECKERS.values():
        func.reset()


# -- writing -------------------------------------------------------------------------

_INSERT = {
    "checkins": "INSERT INTO checkins (uid, ts, ts_utc, local_date, mood, energy, anxiety,"
    " sleep_hours, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (uid) DO NOTHING",
    "coping_sessions": "INSERT INTO coping_sessions (uid, skill_id, skill_version, skill_title,"
    " situation, distress_before, distress_after, started_at, started_utc, ended_at, status,"
    " answers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (uid) DO NOTHING",
    "measure_results": "INSERT INTO measure_results (uid, instrument, instrument_version,"
    " taken_at, taken_utc, answers, total, band, flags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (uid) DO NOTHING",
    "crisis_openings": "INSERT INTO crisis_openings (uid, opened_at, opened_utc, source)"
    " VALUES (?, ?, ?, ?) ON CONFLICT (uid) DO NOTHING",
    "safety_plan_versions": "INSERT INTO safety_plan_versions (uid, saved_at, saved_utc, plan)"
    " VALUES (?, ?, ?, ?) ON CONFLICT (uid) DO NOTHING",
    "risk_flags": "INSERT INTO risk_flags (uid, flagged_at, flagged_utc, source, kind, ref_uid)"
    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (uid) DO NOTHING",
}


def write(
    db: sqlite3.Connection,
    payload: dict[str, list[dict[str, Any]]],
    result: ImportResult,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    total = sum(len(v) for v in payload.values()) or 1
    done = 0
    # Records the file (or the log) already has a flag for: not flagged twice.
    flagged_refs = {rec["row"][5] for rec in payload.get("risk_flags", [])}
    to_flag: list[dict[str, Any]] = []
    for kind in (*RECORD_TYPES, *EXTRA_TYPES):
        added = skipped = 0
        for rec in payload.get(kind, []):
            cur = db.execute(_INSERT[kind], rec["row"])
            if cur.rowcount == 1:
                added += 1
                if "words" in rec:
                    to_flag.append(rec)
                if kind == "checkins":
                    cid = cur.lastrowid
                    db.executemany(
                        "INSERT INTO checkin_tags (checkin_id, kind, value) VALUES (?, ?, ?)"
                        " ON CONFLICT DO NOTHING",
                        [(cid, k, v) for k, v in rec["tags"]],
                    )
                    db.executemany(
                        "INSERT INTO checkin_values (checkin_id, tracker_id, tracker_version,"
                        " label, kind, value_num, value_text, unit)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                        [(cid, *v) for v in rec["values"]],
                    )
            else:
                skipped += 1
            done += 1
            if progress and done % 500 == 0:
                progress(done, total)
        if added:
            result.added[kind] = added
        if skipped:
            result.skipped[kind] = skipped
    for rec in to_flag:
        uid = rec["row"][0]
        if uid in flagged_refs:
            continue
        if flag_words(db, rec["words"], ref_uid=uid, when=rec["when"]):
            result.flagged += 1
    if progress:
        progress(total, total)
