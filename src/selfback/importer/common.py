"""What both importers share: the result, the progress and mood callbacks, and how
imported text is heard for risk (flagged, never interrupting, never stored)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

FORMATS = ("auto", "selfback", "daylio")
LABELS = {"selfback": "selfback JSON", "daylio": "Daylio CSV"}

Progress = Callable[[int, int], None]
AskMood = Callable[[str, int], int]  # (mood name, entries) -> 0-10


@dataclass
class ImportResult:
    format: str
    added: dict[str, int] = field(default_factory=dict)  # by record type
    skipped: dict[str, int] = field(default_factory=dict)  # already in the log
    notes: list[str] = field(default_factory=list)
    backup: Path | None = None
    dry_run: bool = False
    mood_map: dict[str, int] = field(default_factory=dict)  # Daylio: name -> 0-10 used
    flagged: int = 0  # added records whose text may mean risk (flagged, never shown)
    warnings: list[str] = field(default_factory=list)  # about the file (its encoding)
    # Records whose uid is in the log but whose answers differ: how many, a few of them
    # named (e.g. "line 12, 2024-03-01 13:00"), and whether the file's version was taken
    # (``take_changed`` is set before writing; otherwise the log's is kept).
    changed: int = 0
    changed_examples: list[str] = field(default_factory=list)
    take_changed: bool = False
    updated_at: str | None = None  # when taken versions count as edited
    # Set before writing: only count what is new, changed or there already (a writer may
    # then skip the writes and the risk check; the caller rolls back either way).
    count_only: bool = False
    # Records the file holds twice (the same uid): how many, and a few named.
    repeated: int = 0
    repeated_examples: list[str] = field(default_factory=list)
    # Lines left out because they cannot be read, each with its reason.
    left_out: int = 0
    left_out_examples: list[str] = field(default_factory=list)

    @property
    def total_added(self) -> int:
        return sum(self.added.values())

    @property
    def total_skipped(self) -> int:
        return sum(self.skipped.values())

    @property
    def changes_anything(self) -> bool:
        """Whether writing this would change the log (something added, or taken)."""
        return bool(self.total_added or (self.changed and self.take_changed))

    def count(self, kind: str, added: int, offered: int) -> None:
        """Note how many records of ``kind`` were added, of how many in the file."""
        if added:
            self.added[kind] = self.added.get(kind, 0) + added
        if offered - added:
            self.skipped[kind] = self.skipped.get(kind, 0) + offered - added


EXAMPLES = 3  # records named in a message before "and N more"


def note_example(examples: list[str], text: str) -> None:
    """Keep ``text`` as one of the first few examples."""
    if len(examples) < EXAMPLES:
        examples.append(text)


def texts(values: Iterable[object]) -> list[str]:
    """Every piece of text in ``values`` (nested lists included)."""
    out: list[str] = []
    for v in values:
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, list | tuple):
            out += texts(v)
    return out


def flag_words(
    db: sqlite3.Connection, words: list[str], *, ref_uid: str, when: str | datetime
) -> bool:
    """Flag one imported record (source ``import``) if any of ``words`` may mean risk and
    it has no flag yet; returns whether it was flagged. Never stores the words."""
    from selfback.safety.risk import detect_any
    from selfback.store.safety import has_risk_flag, insert_risk_flag

    hit = detect_any(words)
    if hit is None or has_risk_flag(db, ref_uid):
        return False
    at = datetime.fromisoformat(when) if isinstance(when, str) else when
    if at.tzinfo is None:
        at = at.astimezone()
    insert_risk_flag(db, source="import", kind=hit.kind, when=at, ref_uid=ref_uid)
    return True
