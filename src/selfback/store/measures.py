"""Typed reads and writes for questionnaire results (table ``measure_results``).

Columns (see ``store.migrations``): ``answers`` is a JSON list with one entry per item of
the instrument version, in order (``null`` for an item that was not asked, such as PHQ-9's
"how difficult" question after all-zero answers); ``total`` is the raw sum of the scored
items; ``band`` is the band id; ``flags`` a JSON list such as ``["phq9-item9"]``.
This module knows nothing about scoring: ``selfback.measures`` does that.

A *partial* result (the person stopped after answering PHQ-9 item 9 above 0) has
``band = "partial"`` and ``flags`` holding ``"partial"`` and the item's flag; ``answers``
holds the answered items (``null`` for the rest) and ``total`` their sum, which is never a
score: nothing may show, chart or export it as one. ``last_result`` and
``last_per_instrument`` skip partial results unless asked not to.
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
PARTIAL = "partial"  # the band (and a flag) of a partial result
_SCORED = f"band != '{PARTIAL}'"


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

    @property
    def partial(self) -> bool:
        """Stopped before the end: kept for its item-9 answer, never a score."""
        return self.band == PARTIAL or PARTIAL in self.flags


def is_partial(band: object, flags: object = ()) -> bool:
    """The same test for raw rows (``flags`` a list or tuple of strings)."""
    return band == PARTIAL or (isinstance(flags, list | tuple) and PARTIAL in flags)


def _decode_list(raw: str, what: str, uid: str) -> list[object]:
    try:
        value = json.loads(raw)
    except (TypeError, ValueError):
        value = None
    if not isinstance(value, list):
        raise DataError(
            f"A saved questionnaire result ({uid}) has damaged {what}. "
            "Run selfback doctor to check the database."
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
            "Run selfback doctor to check the database."
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


_UPSERT = (
    " ON CONFLICT (uid) DO UPDATE SET instrument = excluded.instrument,"
    " instrument_version = excluded.instrument_version, taken_at = excluded.taken_at,"
    " taken_utc = excluded.taken_utc, answers = excluded.answers, total = excluded.total,"
    " band = excluded.band, flags = excluded.flags"
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
    replace: bool = False,
) -> MeasureResult:
    """Save one result in a single transaction and return it.

    With ``replace`` a row with the same ``uid`` (a partial result kept while the person
    was still answering) is overwritten in place instead of refused."""
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
            f"INSERT INTO measure_results ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + (_UPSERT if replace else ""),
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


def delete_result(store: Store, uid: str) -> bool:
    """Remove one result (a partial one the person took back); False if it was not there."""
    with store.tx() as db:
        cur = db.execute("DELETE FROM measure_results WHERE uid = ?", (uid,))
    return cur.rowcount == 1


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
    store: Store,
    instrument: str,
    *,
    before: datetime | None = None,
    with_partial: bool = False,
) -> MeasureResult | None:
    """The most recent scored result for ``instrument`` (strictly before ``before`` if
    given); ``with_partial`` also counts partial results."""
    sql = f"SELECT {_COLUMNS} FROM measure_results WHERE instrument = ?"
    if not with_partial:
        sql += f" AND {_SCORED}"
    params: list[object] = [instrument]
    if before is not None:
        sql += " AND taken_utc < ?"
        params.append(utc_iso(before))
    sql += " ORDER BY taken_utc DESC, id DESC LIMIT 1"
    rows = store.query(sql, tuple(params))
    return _from_row(rows[0]) if rows else None


def last_per_instrument(store: Store) -> dict[str, MeasureResult]:
    """The most recent scored result of every instrument ever taken, by instrument id
    (partial results are left out: they are not a score)."""
    rows = store.query(
        f"SELECT {_COLUMNS} FROM measure_results AS m WHERE id = ("
        " SELECT id FROM measure_results WHERE instrument = m.instrument"
        f" AND {_SCORED} ORDER BY taken_utc DESC, id DESC LIMIT 1)"
    )
    return {r.instrument: r for r in map(_from_row, rows)}


def count_results(store: Store) -> int:
    return int(store.query("SELECT COUNT(*) FROM measure_results")[0][0])
