"""The check-ins of a selfback JSON export, written in batches through the one check-in
writer: new ones added, ones the log has with other answers counted as changed (and taken
only when the person chose to, ``ImportResult.take_changed``), the same ones left alone."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from selfback.errors import DataError
from selfback.importer.common import ImportResult
from selfback.store.checkins import BadRow, CheckinRow

__all__ = ["BATCH", "write_checkins"]

T = TypeVar("T")
BATCH = 2000


def _batches(rows: Sequence[T]) -> Iterator[tuple[int, Sequence[T]]]:
    for k in range(0, len(rows), BATCH):
        yield k, rows[k : k + BATCH]


def write_checkins(
    db: sqlite3.Connection,
    name: str,
    checkins: Sequence[CheckinRow],
    result: ImportResult,
    done: Callable[[int], None],
) -> tuple[list[CheckinRow], list[CheckinRow]]:
    """Add the check-ins the log lacks; one it has with other answers (edited since the
    export) is changed, taken only with ``take_changed``. The rows added, and taken."""
    from selfback.importer.changes import split_changed
    from selfback.store.checkins import insert_checkins

    written: tuple[list[CheckinRow], list[CheckinRow]] = ([], [])
    for k, batch in _batches(checkins):
        numbered = [(k + i + 1, row) for i, row in enumerate(batch)]
        new, taken = split_changed(db, numbered, result, unit="entry")
        try:
            added = insert_checkins(db, [row for _n, row in new], skip_existing=True)
        except BadRow as exc:
            n = new[exc.index][0]
            raise DataError(
                f"In {name}, entry {n} in checkins (uid "
                f"{checkins[n - 1].uid[:12]}): {exc.message}. Nothing was imported."
            ) from None
        written[0].extend(row for _id, row in added)
        written[1].extend(row for _id, row in taken)
        done(len(batch))
    return written
