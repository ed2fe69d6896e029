"""Changed records: a check-in whose uid is in the log already but whose answers differ.

``split_changed`` sorts a batch of imported check-ins into the new ones (to add) and
the ones that differ from the log. Those are counted on the ``ImportResult`` (with the
first few named); when ``result.take_changed`` is set, the file's version replaces the
log's through the store's check-in writer (``update_checkins``), keeping the check-in's
id, uid and creation time and marking it edited at ``result.updated_at``. A check-in
that is the same in both is left alone (the caller counts it as already there).
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace

from selfback.errors import DataError
from selfback.importer.common import ImportResult, note_example
from selfback.store.checkins import BadRow, CheckinRow, update_checkins
from selfback.store.importing import checkin_content, stored_checkins

__all__ = ["content_of", "split_changed"]


def content_of(row: CheckinRow) -> tuple[object, ...]:
    """What ``row`` says, in the shape the store's ``checkin_content`` gives."""
    return checkin_content(
        row.mood,
        row.energy,
        row.anxiety,
        row.sleep_hours,
        row.note,
        row.emotions,
        row.tags,
        [(v.tracker_id, v.kind, v.value_num, v.value_text) for v in row.values],
    )


def _where(unit: str, line: int, row: CheckinRow) -> str:
    return f"{unit} {line}, {row.ts[:10]} {row.ts[11:16]}"


def split_changed(
    db: sqlite3.Connection,
    batch: list[tuple[int, CheckinRow]],
    result: ImportResult,
    *,
    unit: str = "line",
) -> tuple[list[tuple[int, CheckinRow]], list[tuple[int, CheckinRow]]]:
    """``(line, row)`` of the rows the log lacks, and ``(id, row)`` of the changed rows
    written (only with ``take_changed``). ``unit`` names where a row is in its file
    ("line" of a Daylio file, "entry" of a JSON export)."""
    stored = stored_checkins(db, [row.uid for _line, row in batch])
    new: list[tuple[int, CheckinRow]] = []
    taken: list[tuple[int, CheckinRow]] = []
    for line, row in batch:
        have = stored.get(row.uid)
        if have is None:
            new.append((line, row))
        elif have.content != content_of(row):
            result.changed += 1
            note_example(result.changed_examples, _where(unit, line, row))
            if result.take_changed and not result.count_only:
                stamp = result.updated_at or row.updated_at
                taken.append((have.id, replace(row, updated_at=stamp)))
    if taken:
        try:
            update_checkins(db, taken)
        except BadRow as exc:
            raise DataError(
                f"A changed check-in cannot be imported: {exc.message}. Nothing was imported."
            ) from None
    return new, taken
