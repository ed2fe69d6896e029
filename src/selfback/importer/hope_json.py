"""The hope box in a selfback JSON export, read back (``hope_items`` and
``next_time_notes``, written by ``selfback.export.hope``).

Each record is checked against the export's schema before anything is written (``KINDS``,
with the other kinds' in ``selfback.importer.json_checks``: unknown fields, missing ones,
types, a known kind, text or a path, and ``*_utc`` times that are the moment of their
local time), then read by ``hope_item`` and ``next_time_note`` (a ``ValueError`` names
the field; the JSON importer turns it into its one sentence naming the record). Records
the log has already (by uid) are left out. Words that may mean risk are flagged with source
``import``, never interrupted, never stored.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime

import selfback.importer.json_checks as jc
from selfback.importer.common import ImportResult, flag_words
from selfback.store.hope import HOPE_KINDS, HopeItem, NextTimeNote

Rec = dict[str, object]
MAX_TEXT = 1_000_000


def _text_or_path(rec: jc.Rec) -> list[str]:
    if rec.get("text") is None and rec.get("path") is None:
        return ["it has neither 'text' nor 'path'"]
    return []


# The hope box's records in the export's schema (docs/data.md, "The JSON export").
KINDS = {
    "hope_items": jc.Kind(
        {
            "uid": jc.Field(jc.ID, required=True),
            "kind": jc.Field(jc.one_of(HOPE_KINDS, "a hope-box kind"), required=True),
            "text": jc.Field(jc.text()),
            "path": jc.Field(jc.text(4096)),
            "added_at": jc.Field(jc.when, required=True),
            "added_utc": jc.Field(jc.utc_of("added_at")),
        },
        _text_or_path,
    ),
    "next_time_notes": jc.Kind(
        {
            "uid": jc.Field(jc.ID, required=True),
            "situation": jc.Field(jc.word(500), required=True),
            "skill_id": jc.Field(jc.text(200)),
            "skill_title": jc.Field(jc.text(500)),
            "text": jc.Field(jc.word(), required=True),
            "session_uid": jc.Field(jc.text(64)),
            "written_at": jc.Field(jc.when, required=True),
            "written_utc": jc.Field(jc.utc_of("written_at")),
        }
    ),
}


def _text(rec: Rec, key: str, *, required: bool = False, limit: int = MAX_TEXT) -> str | None:
    value = rec.get(key)
    if value is None:
        if required:
            raise ValueError(f"'{key}' is missing")
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise ValueError(f"'{key}' should be text")
    if len(value) > limit:
        raise ValueError(f"'{key}' is too long")
    return value


def _when(rec: Rec, key: str) -> str:
    value = str(_text(rec, key, required=True, limit=64))
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{key}' is {value!r}, not a date and time") from None
    if dt.tzinfo is None:
        raise ValueError(f"'{key}' is {value!r}, a time without its UTC offset")
    return value


def _utc(rec: Rec, key: str, local: str) -> str:
    if rec.get(key) is not None:
        return _when(rec, key)
    return datetime.fromisoformat(local).astimezone(UTC).isoformat(timespec="seconds")


def hope_item(rec: Rec) -> HopeItem:
    """One ``hope_items`` record, checked."""
    kind = _text(rec, "kind", required=True, limit=40)
    if kind not in HOPE_KINDS:
        raise ValueError(f"'kind' is {kind!r}; it should be one of {', '.join(HOPE_KINDS)}")
    text = _text(rec, "text")
    path = _text(rec, "path", limit=4096)
    if text is None and path is None:
        raise ValueError("it has neither 'text' nor 'path'")
    added = _when(rec, "added_at")
    return HopeItem(
        id=0,
        uid=str(_text(rec, "uid", required=True, limit=64)),
        kind=kind,
        text=text,
        path=path,
        added_at=added,
        added_utc=_utc(rec, "added_utc", added),
    )


def next_time_note(rec: Rec) -> NextTimeNote:
    """One ``next_time_notes`` record, checked."""
    written = _when(rec, "written_at")
    return NextTimeNote(
        id=0,
        uid=str(_text(rec, "uid", required=True, limit=64)),
        situation=str(_text(rec, "situation", required=True, limit=500)),
        skill_id=_text(rec, "skill_id", limit=200),
        skill_title=_text(rec, "skill_title", limit=500),
        text=str(_text(rec, "text", required=True)),
        session_uid=_text(rec, "session_uid", limit=64),
        written_at=written,
        written_utc=_utc(rec, "written_utc", written),
    )


def write(
    db: sqlite3.Connection,
    items: Sequence[HopeItem],
    notes: Sequence[NextTimeNote],
    result: ImportResult,
) -> None:
    """Write the items and notes the log does not have yet; flag risk in their words."""
    from selfback.store.hope import insert_hope_rows, insert_note_rows

    added_items = insert_hope_rows(db, items)
    result.count("hope_items", len(added_items), len(items))
    added_notes = insert_note_rows(db, notes)
    result.count("next_time_notes", len(added_notes), len(notes))
    heard = [(i.uid, i.added_at, [i.text or ""]) for i in added_items]
    heard += [(n.uid, n.written_at, [n.text]) for n in added_notes]
    for uid, when, words in heard:
        if flag_words(db, words, ref_uid=uid, when=when):
            result.flagged += 1
