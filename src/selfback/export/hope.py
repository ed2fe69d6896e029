"""The hope box in an export: its records in selfback JSON (lossless, every item and
note for next time, whatever the range, like the safety plan's history), and the
report's section, only when the person asks for it (``export --include-hope``).

The words are the person's own: JSON keeps them as typed; the report writers escape them
for their format like every other text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from selfback.store.db import Store
from selfback.store.hope import HopeItem, NextTimeNote, hope_items, next_time_notes

Json = dict[str, object]

HOPE_LISTS = ("hope_items", "next_time_notes")
LABELS = {
    "message": "Message to self",
    "quote": "Quote",
    "memory": "Memory",
    "photo": "Photo",
    "music": "Music",
    "voice": "Voice message",
}
SECTION_TITLE = "Hope box"
SECTION_INTRO = "The person's own reminders for a hard moment, shared because they chose to."
NOTES_TITLE = "Notes for next time"
FILE_NOTE = "(a file on their computer, not included)"


def hope_json(i: HopeItem) -> Json:
    return {
        "uid": i.uid,
        "kind": i.kind,
        "text": i.text,
        "path": i.path,
        "added_at": i.added_at,
        "added_utc": i.added_utc,
    }


def note_json(n: NextTimeNote) -> Json:
    return {
        "uid": n.uid,
        "situation": n.situation,
        "skill_id": n.skill_id,
        "skill_title": n.skill_title,
        "text": n.text,
        "session_uid": n.session_uid,
        "written_at": n.written_at,
        "written_utc": n.written_utc,
    }


def json_sources(store: Store, *, included: bool) -> list[tuple[str, Iterator[Json]]]:
    """(list name, records) for the JSON file; none unless the hope box is included."""
    if not included:
        return []
    return [
        ("hope_items", map(hope_json, hope_items(store))),
        ("next_time_notes", map(note_json, next_time_notes(store))),
    ]


@dataclass(frozen=True)
class HopeSection:
    """The report's hope box: (label, date, words) per item, (situation, date, words) per
    note. The writers escape every string."""

    items: list[tuple[str, str, str]]
    notes: list[tuple[str, str, str]]


def _words(item: HopeItem) -> str:
    if item.path is None:
        return item.text or ""
    name = item.path.replace("\\", "/").rsplit("/", 1)[-1]
    about = f"{item.text} " if item.text else ""
    return f"{about}[{name}] {FILE_NOTE}"


def hope_section(store: Store) -> HopeSection:
    """Everything in the hope box, for a report the person asked to include it in."""
    items = [(LABELS.get(i.kind, i.kind), i.added_at[:10], _words(i)) for i in hope_items(store)]
    notes = [
        (n.situation.replace("-", " "), n.written_at[:10], n.text) for n in next_time_notes(store)
    ]
    return HopeSection(items, notes)


def section_blocks(section: HopeSection) -> list[tuple[str, str]]:
    """The section as (kind, text) blocks every report writer lays out the same way:
    ``h3`` and ``h4`` headings, ``small`` print, ``item`` lines. The text is not yet
    escaped."""
    blocks = [("h3", SECTION_TITLE), ("small", SECTION_INTRO)]
    if not section.items:
        blocks.append(("item", "The hope box is empty."))
    blocks += [("item", f"{label} ({day}): {words}") for label, day, words in section.items]
    if section.notes:
        blocks.append(("h4", NOTES_TITLE))
        blocks += [("item", f"{what} ({day}): {words}") for what, day, words in section.notes]
    return blocks
