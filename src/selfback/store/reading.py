"""Reading many rows: streamed queries, one consistent snapshot, and local-date ranges.

Shared by the store's read modules (``trends``, ``influence``, ``records``, ``tables``).
Every query runs here, inside the store: the layers above call typed functions.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta
from types import TracebackType

from selfback.store.db import Store, explain

Param = str | int | float | None
Params = tuple[Param, ...]


def in_days(local: str, utc: str) -> str:
    """Records whose LOCAL date is in a range, found through the indexed UTC column first
    (a UTC time is at most 14 hours from local time), then checked exactly. Takes the
    four parameters of ``span``."""
    return f"{utc} >= ? AND {utc} < ? AND substr({local}, 1, 10) BETWEEN ? AND ?"


SESSION_IN = in_days("started_at", "started_utc")
MEASURE_IN = in_days("taken_at", "taken_utc")
CRISIS_IN = in_days("opened_at", "opened_utc")
RISK_IN = in_days("flagged_at", "flagged_utc")

SESSION_DAY = "substr(started_at, 1, 10)"
CRISIS_DAY = "substr(opened_at, 1, 10)"


def span(lo: str, hi: str) -> tuple[str, str, str, str]:
    """Parameters for ``*_IN``: a UTC window a day wider on each side, then the dates."""
    try:
        utc_lo = (date.fromisoformat(lo) - timedelta(days=1)).isoformat()
    except (ValueError, OverflowError):
        utc_lo = ""
    try:
        utc_hi = (date.fromisoformat(hi) + timedelta(days=2)).isoformat()
    except (ValueError, OverflowError):
        utc_hi = "9999-99"
    return utc_lo, utc_hi, lo, hi


def rows(store: Store, sql: str, params: Params = ()) -> Iterator[sqlite3.Row]:
    """Stream ``sqlite3.Row`` objects 500 at a time; sqlite errors become one sentence."""
    try:
        cur = store.conn.execute(sql, params)
        while batch := cur.fetchmany(500):
            yield from batch
    except sqlite3.Error as exc:
        raise explain(exc, store.path) from exc


def tuples(store: Store, sql: str, params: Params = ()) -> Iterator[tuple[Param, ...]]:
    """Like ``rows`` but plain tuples (faster for big tables)."""
    try:
        cur = store.conn.cursor()
        cur.row_factory = None
        cur.execute(sql, params)
        while batch := cur.fetchmany(500):
            yield from batch
    except sqlite3.Error as exc:
        raise explain(exc, store.path) from exc


def one(store: Store, sql: str, params: Params = ()) -> sqlite3.Row:
    """The first row of a query that always returns one (an aggregate)."""
    try:
        row: sqlite3.Row | None = store.conn.execute(sql, params).fetchone()
    except sqlite3.Error as exc:
        raise explain(exc, store.path) from exc
    assert row is not None
    return row


def exists(store: Store, sql: str, params: Params = ()) -> bool:
    """Whether ``SELECT EXISTS (sql)`` is true."""
    return bool(one(store, f"SELECT EXISTS ({sql})", params)[0])


class read_snapshot:  # used as a context manager, it reads like one
    """A read transaction, so several queries see one consistent state of the log.

    Nested use is harmless: only the outermost one opens and closes the transaction.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.opened = False

    def __enter__(self) -> Store:
        if not self.store.conn.in_transaction:
            try:
                self.store.conn.execute("BEGIN")
            except sqlite3.Error as exc:
                raise explain(exc, self.store.path) from exc
            self.opened = True
        return self.store

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.opened and self.store.conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.store.conn.execute("COMMIT")
