"""Records already in the database that break the rules every record keeps, for
``selfback doctor``'s "Records" check (``selfback.actions.doctor``).

The rules are those every writer holds a record to and the JSON import checks a file
against (``selfback.importer.json_checks``): a ``*_utc`` time that is the moment of its
local time, written in UTC; a local time with its offset; a check-in's ``local_date``
the date of its ``ts``; tracker answers, hope-box items and crisis-screen openings of a
kind selfback knows; questionnaire results of a questionnaire it has. A log written by
this selfback keeps them all; a record that does not most likely came from a file an
older selfback imported, or from an edit by hand.

Read-only, and it never breaks: it opens the database read-only and looks only at the
tables it has (an old schema has fewer).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from selfback.store.checkin_model import TRACKER_KINDS
from selfback.store.db import connect_readonly
from selfback.store.hope import HOPE_KINDS
from selfback.store.safety import CRISIS_SOURCES

# (table, local time, its UTC twin) for every record with a time.
TIMES = (
    ("checkins", "ts", "ts_utc"),
    ("coping_sessions", "started_at", "started_utc"),
    ("measure_results", "taken_at", "taken_utc"),
    ("crisis_openings", "opened_at", "opened_utc"),
    ("safety_plan_versions", "saved_at", "saved_utc"),
    ("risk_flags", "flagged_at", "flagged_utc"),
    ("hope_items", "added_at", "added_utc"),
    ("next_time_notes", "written_at", "written_utc"),
)
# How many records a finding names.
EXAMPLES = 3


@dataclass(frozen=True)
class Finding:
    """One rule broken: which (``rule``, in ``table``), how often, and the first records.

    Rules: ``utc`` (``column`` is the UTC time that is not the moment of ``local``),
    ``offset`` (``local`` has no UTC offset), ``local-date``, ``tracker-kind``,
    ``hope-kind``, ``crisis-source``, ``instrument``. Each example is (record id, what
    it holds: the times, or the unknown word)."""

    rule: str
    table: str
    count: int
    examples: tuple[tuple[int, str], ...]
    local: str = ""
    column: str = ""


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _find(
    conn: sqlite3.Connection, rule: str, table: str, where: str, shown: str, params: tuple[str, ...]
) -> Finding | None:
    """The records of ``table`` matching ``where`` (``shown``: what an example says)."""
    count = int(conn.execute(f"SELECT count(*) FROM {table} WHERE {where}", params).fetchone()[0])
    if not count:
        return None
    rows = conn.execute(
        f"SELECT id, {shown} FROM {table} WHERE {where} ORDER BY id LIMIT {EXAMPLES}", params
    ).fetchall()
    return Finding(rule, table, count, tuple((int(r[0]), str(r[1])) for r in rows))


def _times(conn: sqlite3.Connection, table: str, local: str, utc: str) -> list[Finding]:
    # SQLite reads the offset (+01:00, Z) and compares moments; a second's leeway for
    # fractions of a second.
    offset = f"({local} GLOB '*[+-][0-9][0-9]:[0-9][0-9]' OR {local} GLOB '*Z')"
    out = []
    no_offset = _find(conn, "offset", table, f"NOT {offset}", local, ())
    if no_offset is not None:
        out.append(_named(no_offset, local, local))
    wrong = _find(
        conn,
        "utc",
        table,
        f"{offset} AND (julianday({local}) IS NULL OR julianday({utc}) IS NULL"
        f" OR abs(julianday({local}) - julianday({utc})) * 86400 > 1"
        f" OR NOT ({utc} GLOB '*+00:00' OR {utc} GLOB '*Z'))",
        f"{local} || ' / ' || {utc}",
        (),
    )
    if wrong is not None:
        out.append(_named(wrong, local, utc))
    return out


def _named(found: Finding, local: str, column: str) -> Finding:
    return Finding(found.rule, found.table, found.count, found.examples, local, column)


def _marks(values: Collection[str]) -> str:
    return ", ".join("?" for _ in values)


def _kinds(
    conn: sqlite3.Connection, tables: set[str], instruments: Collection[str]
) -> list[Finding | None]:
    out: list[Finding | None] = []
    if "checkin_values" in tables:
        kinds = tuple(sorted(TRACKER_KINDS))
        where = f"kind NOT IN ({_marks(kinds)})"
        count = int(
            conn.execute(f"SELECT count(*) FROM checkin_values WHERE {where}", kinds).fetchone()[0]
        )
        rows = conn.execute(
            "SELECT checkin_id, tracker_id || ' (' || kind || ')' FROM checkin_values"
            f" WHERE {where} ORDER BY checkin_id LIMIT {EXAMPLES}",
            kinds,
        ).fetchall()
        if count:
            examples = tuple((int(r[0]), str(r[1])) for r in rows)
            out.append(Finding("tracker-kind", "checkins", count, examples))
    if "hope_items" in tables:
        where = f"kind NOT IN ({_marks(HOPE_KINDS)})"
        out.append(_find(conn, "hope-kind", "hope_items", where, "kind", HOPE_KINDS))
    where = f"source NOT IN ({_marks(CRISIS_SOURCES)})"
    out.append(_find(conn, "crisis-source", "crisis_openings", where, "source", CRISIS_SOURCES))
    if instruments:
        known = tuple(instruments)
        where = f"instrument NOT IN ({_marks(known)})"
        out.append(_find(conn, "instrument", "measure_results", where, "instrument", known))
    return out


def inconsistencies(path: Path, *, instruments: Collection[str] = ()) -> list[Finding]:
    """Every rule the records of the database at ``path`` break (none: all is well).
    ``instruments``: the questionnaires this selfback has (left unchecked when empty).
    Raises ``sqlite3.Error`` when the database cannot be read."""
    conn = connect_readonly(path)
    try:
        tables = _tables(conn)
        found: list[Finding] = []
        for table, local, utc in TIMES:
            if table in tables:
                found += _times(conn, table, local, utc)
        if "checkins" in tables:
            dates = _find(
                conn,
                "local-date",
                "checkins",
                "local_date IS NOT substr(ts, 1, 10)",
                "ts || ' / ' || local_date",
                (),
            )
            found += [dates] if dates is not None else []
        if {"crisis_openings", "measure_results"} <= tables:
            found += [f for f in _kinds(conn, tables, instruments) if f is not None]
        return found
    finally:
        conn.close()
