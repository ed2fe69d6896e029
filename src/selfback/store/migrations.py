"""Numbered schema migrations, applied in order inside one transaction each.

Never edit a migration that has shipped: add a new function at the end of MIGRATIONS.
The schema is documented in docs/data.md (exports and imports promise it).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable


def run_script(db: sqlite3.Connection, script: str) -> None:
    """Run several statements inside the current transaction.

    (``executescript`` would commit first, which would break migrations' atomicity.)
    """
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            db.execute(buffer)
            buffer = ""
    if buffer.strip():
        db.execute(buffer)


def _m001_initial(db: sqlite3.Connection) -> None:
    run_script(
        db,
        """
        CREATE TABLE checkins (
            id          INTEGER PRIMARY KEY,
            uid         TEXT NOT NULL UNIQUE,          -- stable id for import/export
            ts          TEXT NOT NULL,                 -- ISO 8601 local time with UTC offset
            ts_utc      TEXT NOT NULL,                 -- ISO 8601 in UTC, for ordering
            local_date  TEXT NOT NULL,                 -- YYYY-MM-DD as the person lived it
            mood        INTEGER NOT NULL CHECK (mood BETWEEN 0 AND 10),
            energy      INTEGER CHECK (energy BETWEEN 0 AND 10),
            anxiety     INTEGER CHECK (anxiety BETWEEN 0 AND 10),
            sleep_hours REAL CHECK (sleep_hours BETWEEN 0 AND 24),
            note        TEXT,
            created_at  TEXT NOT NULL,
            updated_at  TEXT NOT NULL
        );
        CREATE INDEX checkins_ts_utc ON checkins (ts_utc);
        CREATE INDEX checkins_local_date ON checkins (local_date);

        -- tags (activities, triggers, ...) and emotions attached to a check-in
        CREATE TABLE checkin_tags (
            checkin_id INTEGER NOT NULL REFERENCES checkins (id) ON DELETE CASCADE,
            kind       TEXT NOT NULL CHECK (kind IN ('tag', 'emotion')),
            value      TEXT NOT NULL,
            PRIMARY KEY (checkin_id, kind, value)
        ) WITHOUT ROWID;
        CREATE INDEX checkin_tags_value ON checkin_tags (kind, value);

        -- values of user-defined trackers, kept with the tracker's id and version
        CREATE TABLE checkin_values (
            checkin_id      INTEGER NOT NULL REFERENCES checkins (id) ON DELETE CASCADE,
            tracker_id      TEXT NOT NULL,
            tracker_version INTEGER NOT NULL DEFAULT 1,
            label           TEXT,                      -- the tracker's title when recorded
            kind            TEXT NOT NULL,             -- scale, yesno, number, choice, text
            value_num       REAL,
            value_text      TEXT,
            unit            TEXT,
            PRIMARY KEY (checkin_id, tracker_id)
        ) WITHOUT ROWID;
        CREATE INDEX checkin_values_tracker ON checkin_values (tracker_id);

        CREATE TABLE coping_sessions (
            id              INTEGER PRIMARY KEY,
            uid             TEXT NOT NULL UNIQUE,
            skill_id        TEXT NOT NULL,
            skill_version   INTEGER NOT NULL,
            skill_title     TEXT,
            situation       TEXT,
            distress_before INTEGER CHECK (distress_before BETWEEN 0 AND 10),
            distress_after  INTEGER CHECK (distress_after BETWEEN 0 AND 10),
            started_at      TEXT NOT NULL,             -- ISO 8601 with offset
            started_utc     TEXT NOT NULL,
            ended_at        TEXT,
            status          TEXT NOT NULL CHECK (status IN ('completed', 'stopped')),
            answers         TEXT NOT NULL DEFAULT '[]' -- JSON list of {step, kind, answer}
        );
        CREATE INDEX coping_sessions_started ON coping_sessions (started_utc);
        CREATE INDEX coping_sessions_skill ON coping_sessions (skill_id);

        CREATE TABLE measure_results (
            id                 INTEGER PRIMARY KEY,
            uid                TEXT NOT NULL UNIQUE,
            instrument         TEXT NOT NULL,          -- phq9, gad7, who5, phq2, gad2
            instrument_version INTEGER NOT NULL,
            taken_at           TEXT NOT NULL,
            taken_utc          TEXT NOT NULL,
            answers            TEXT NOT NULL,          -- JSON list of item scores
            total              INTEGER NOT NULL,
            band               TEXT NOT NULL,
            flags              TEXT NOT NULL DEFAULT '[]'  -- JSON list, e.g. ["phq9-item9"]
        );
        CREATE INDEX measure_results_taken ON measure_results (instrument, taken_utc);

        CREATE TABLE crisis_openings (
            id        INTEGER PRIMARY KEY,
            uid       TEXT NOT NULL UNIQUE,
            opened_at TEXT NOT NULL,
            opened_utc TEXT NOT NULL,
            source    TEXT NOT NULL                    -- sos, cope, key, measure
        );
        CREATE INDEX crisis_openings_opened ON crisis_openings (opened_utc);

        CREATE TABLE safety_plan_versions (
            id       INTEGER PRIMARY KEY,
            uid      TEXT NOT NULL UNIQUE,
            saved_at TEXT NOT NULL,
            saved_utc TEXT NOT NULL,
            plan     TEXT NOT NULL                     -- JSON, see selfback.safety.plan
        );
        """,
    )


def _m002_risk_flags(db: sqlite3.Connection) -> None:
    run_script(
        db,
        """
        -- That words which may mean risk were noticed (never a copy of the words), or that
        -- a high rating or answer brought crisis help. See selfback.safety.risk.
        CREATE TABLE risk_flags (
            id          INTEGER PRIMARY KEY,
            uid         TEXT NOT NULL UNIQUE,
            flagged_at  TEXT NOT NULL,                 -- ISO 8601 with offset
            flagged_utc TEXT NOT NULL,
            source      TEXT NOT NULL,                 -- where: checkin-note, skill-answer, ...
            kind        TEXT NOT NULL,                 -- what: suicide, self-harm, high-rating, ...
            ref_uid     TEXT                           -- the check-in or session it belongs to
        );
        CREATE INDEX risk_flags_flagged ON risk_flags (flagged_utc);
        """,
    )


def _m003_hope(db: sqlite3.Connection) -> None:
    run_script(
        db,
        """
        -- The hope box: the person's own reminders (selfback.store.hope). A text item
        -- (message, quote, memory) holds text; a file item (photo, music, voice)
        -- holds the path to a local file, and may have a few words about it.
        CREATE TABLE hope_items (
            id         INTEGER PRIMARY KEY,
            uid        TEXT NOT NULL UNIQUE,
            kind       TEXT NOT NULL,                  -- message, quote, memory,
                                                       -- photo, music, voice
            text       TEXT,
            path       TEXT,                           -- a local file, never an address
            added_at   TEXT NOT NULL,                  -- ISO 8601 with offset
            added_utc  TEXT NOT NULL,
            CHECK (text IS NOT NULL OR path IS NOT NULL)
        );
        CREATE INDEX hope_items_added ON hope_items (added_utc);

        -- "A note for next time you feel like this", written after a skill that helped,
        -- shown the next time the same situation comes up in cope.
        CREATE TABLE next_time_notes (
            id           INTEGER PRIMARY KEY,
            uid          TEXT NOT NULL UNIQUE,
            situation    TEXT NOT NULL,
            skill_id     TEXT,                         -- the skill that helped
            skill_title  TEXT,
            text         TEXT NOT NULL,
            session_uid  TEXT,                         -- the coping session it follows
            written_at   TEXT NOT NULL,
            written_utc  TEXT NOT NULL
        );
        CREATE INDEX next_time_notes_situation ON next_time_notes (situation, written_utc);
        """,
    )


def _m004_session_marks_and_follow_ups(db: sqlite3.Connection) -> None:
    run_script(
        db,
        """
        -- A session the person marked "bring to my therapist" (selfback sessions mark).
        ALTER TABLE coping_sessions ADD COLUMN marked INTEGER NOT NULL DEFAULT 0
            CHECK (marked IN (0, 1));
        -- A plan made for later inside a skill (a later step): 'due' until it is asked
        -- about, once, at the next check-in or cope; then 'done', 'not-done' or 'skipped'.
        ALTER TABLE coping_sessions ADD COLUMN follow_up TEXT
            CHECK (follow_up IN ('due', 'done', 'not-done', 'skipped'));
        ALTER TABLE coping_sessions ADD COLUMN follow_up_at TEXT;   -- when it was asked
        ALTER TABLE coping_sessions ADD COLUMN follow_up_answers TEXT NOT NULL DEFAULT '[]';
        CREATE INDEX coping_sessions_follow_up ON coping_sessions (follow_up);
        """,
    )


# (version, name, function). Version numbers are 1, 2, 3 ... without gaps.
MIGRATIONS: list[tuple[int, str, Callable[[sqlite3.Connection], None]]] = [
    (1, "initial", _m001_initial),
    (2, "risk flags", _m002_risk_flags),
    (3, "hope box and notes for next time", _m003_hope),
    (4, "session marks and follow-ups", _m004_session_marks_and_follow_ups),
]

LATEST = MIGRATIONS[-1][0]
