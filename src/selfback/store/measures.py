"""Typed reads and writes for questionnaire results (table ``measure_results``).

Columns (see ``store.migrations``): ``answers`` is a JSON list with one entry per item of
the instrument version, in order (``null`` for an item that was not asked, such as PHQ-9's
"how difficult" question after all-zero answers); ``total`` is the raw sum of the scored
items; ``band`` is the band id; ``flags`` a JSON list such as ``["phq9-item9"]``.
This module knows nothing about scoring: ``selfback.measures`` does that.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from selfback.errors import DataError
from selfback.store.db import Store, iso, new_uid, utc_iso

_COLUMNS = "uid, instrument, instrument_version, taken_at, taken_utc, answers, total, band, flags"


@dataclass(frozen=True)
class MeasureResult:
    uid: str
    instrument: str
    instrument_version: int
    taken_at: datetime  # aware, in the offset it was taken in
    answers: tuple[int | None, ...]
    total: int
    band: str
    flags: tuple[str, ...]


def _decode_list(raw: str, what: str, uid: str) -> list[object]:
    try:
        value = json.loads(raw)
    except (TypeError, ValueError):
        value = None
    if not isinstance(value, list):
        raise DataError(
            f"A saved questionnaire result ({uid}) has damaged {what}. "
            "Run `selfback doctor` to check the database."
        )
    return value


def _from_row(row: sqlite3.Row) -> MeasureResult:
    uid = str(row["uid"])
    answers = _decode_list(row["answers"], "answers", uid)
    flags = _decode_list(row["flags"], "flags", uid)
    try:
        taken_at = datetime.fromisoformat(row["taken_at"])
    except (TypeError, ValueError) as exc:
        raise DataError(
            f"A saved questionnaire result ({uid}) has a damaged date. "
            "Run `selfback doctor` to check the database."
        ) from exc
    if taken_at.tzinfo is None:
        taken_at = taken_at.astimezone()
    return MeasureResult(
        uid=uid,
        instrument=str(row["instrument"]),
        instrument_version=int(row["instrument_version"]),
        taken_at=taken_at,
        answers=tuple(
            a if isinstance(a, int) and not isinstance(a, bool) else None for a in answers
        ),
        total=int(row["total"]),
        band=str(row["band"]),
        flags=tuple(str(f) for f in flags),
    )


def save_result(
    store: Store,
    *,
    instrument: str,
    instrument_version: int,
    taken_at: datetime,
    answers: Sequence[int | None],
    total: int,
    band: str,
    flags: Sequence[str] = (),
    uid: str | None = None,
) -> MeasureResult:
    """Save one complete result in a single transaction and return it."""
    if taken_at.tzinfo is None:
        taken_at = taken_at.astimezone()
    result = MeasureResult(
        uid=uid or new_uid(),
        instrument=instrument,
        instrument_version=instrument_version,
        taken_at=taken_at,
        answers=tuple(answers),
        total=total,
        band=band,
        flags=tuple(flags),
    )
    with store.tx() as db:
        db.execute(
            f"INSERT INTO measure_results ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                result.uid,
                result.instrument,
                result.instrument_version,
                iso(taken_at),
                utc_iso(taken_at),
                json.dumps(list(result.answers)),
                result.total,
                result.band,
                json.dumps(list(result.flags)),
            ),
        )
    return result


def list_results(
    store: Store,
    *,
    instrument: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[MeasureResult]:
    """Results oldest first, optionally for one instrument and a [since, until) range."""
    where: list[str] = []
    params: list[object] = []
    if instrument is not None:
        where.append("instrument = ?")
        params.append(instrument)
    if since is not None:
        where.append("taken_utc >= ?")
        params.append(utc_iso(since))
    if until is not None:
        where.append("taken_utc < ?")
        params.append(utc_iso(until))
    sql = f"SELECT {_COLUMNS} FROM measure_results"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY taken_utc, id"
    return [_from_row(r) for r in store.query(sql, tuple(params))]


def last_result(
    store: Store, instrument: str, *, before: datetime | None = None
) -> MeasureResult | None:
    """The most recent result for ``instrument`` (strictly before ``before`` if given)."""
    sql = f"SELECT {_COLUMNS} FROM measure_results WHERE instrument = ?"
    params: list[object] = [instrument]
    if before is not None:
        sql += " AND taken_utc < ?"
        params.append(utc_iso(before))
    sql += " ORDER BY taken_utc DESC, id DESC LIMIT 1"
    rows = store.query(sql, tuple(params))
    return _from_row(rows[0]) if rows else None


def last_per_instrument(store: Store) -> dict[str, MeasureResult]:
    """The most recent result of every instrument ever taken, by instrument id."""
    rows = store.query(
        f"SELECT {_COLUMNS} FROM measure_results AS m WHERE id = ("
        " SELECT id FROM measure_results WHERE instrument = m.instrument"
        " ORDER BY taken_utc DESC, id DESC LIMIT 1)"
    )
    return {r.instrument: r for r in map(_from_row, rows)}


def count_results(store: Store) -> int:
    return int(store.query("SELECT COUNT(*) FROM measure_results")[0][0])
