"""Importing a log: selfback JSON (restore or move machines) and Daylio's CSV export.

Two steps: ``read_file`` reads and checks the whole file (a problem anywhere gives one
sentence naming the record and nothing is imported; a Daylio line that cannot be read is
left out and named instead, unless no line can be), and ``write_records`` writes it in
ONE transaction through the store's writers (every check-in through the one validated
check-in writer). ``selfback.actions.importing`` puts the two together with a backup in
between. Nothing here prints or reads stdin (a caller may pass ``ask_mood`` to resolve
unknown Daylio moods interactively).

Records carry a ``uid``; a record whose uid is already in the log is skipped, so
importing the same file twice adds nothing the second time. The Daylio import also
compares such a check-in with the log's (``selfback.importer.changes``): one with other
answers is a changed record, counted and named, and kept as the log has it unless the
caller asks to take the file's (``write_records(take_changed=True)``). A Daylio file is
streamed (``selfback.importer.textfile``), never held in memory.

Imported text is heard too, but never interrupts: words that may mean risk in an added
record (a note, tags, text answers) get a ``risk_flags`` row with source ``import``, dated
when the entry was written, in the same transaction. ``ImportResult.flagged`` counts
those records; the caller says so in one calm line.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Protocol

from selfback.errors import SelfbackError, UsageError
from selfback.importer.common import (
    FORMATS,
    LABELS,
    AskMood,
    ImportResult,
    Progress,
    flag_words,
    texts,
)
from selfback.messages import data as msg
from selfback.store.db import Store, explain

__all__ = [
    "FORMATS",
    "LABELS",
    "AskMood",
    "ImportResult",
    "Loaded",
    "Progress",
    "detect_format",
    "flag_words",
    "parse_mood_map",
    "read_file",
    "texts",
    "write_records",
]


class _DryRun(Exception):
    """Raised inside the transaction to roll a preview back."""


def detect_format(path: Path) -> str:
    """``selfback`` or ``daylio``, from the file's first bytes (not only its name)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except FileNotFoundError:
        raise UsageError(f"There is no file at {path}. Check the name and try again.") from None
    except IsADirectoryError:
        raise UsageError(f"{path} is a folder. Give the file to import.") from None
    except OSError as exc:
        raise UsageError(f"Could not read {path} ({exc.strerror or exc}).") from None
    from selfback.importer.textfile import guess_encoding

    text = head.decode(guess_encoding(head), errors="replace").lstrip("\ufeff").lstrip()
    if text.startswith("{"):
        return "selfback"
    first_line = text.splitlines()[0].lower() if text else ""  # any separator
    if "full_date" in first_line and "mood" in first_line:
        return "daylio"
    raise UsageError(
        f"selfback cannot tell what {path.name} is. It imports selfback JSON exports "
        "(made by selfback export --format json) and Daylio CSV exports; use --format to "
        "say which."
    )


def parse_mood_map(items: list[str] | None) -> dict[str, int]:
    """``["sparkly=8", "blah=4"]`` -> ``{"sparkly": 8, "blah": 4}``."""
    out: dict[str, int] = {}
    for item in items or []:
        name, sep, value = item.rpartition("=")
        try:
            number = int(value.strip())
        except ValueError:
            number = -1
        if not sep or not name.strip() or not 0 <= number <= 10:
            raise UsageError(
                f"'--mood-map {item}' should look like NAME=NUMBER with a number from 0 to 10, "
                "for example --mood-map sparkly=8."
            )
        out[name.strip().lower()] = number
    return out


class Loaded(Protocol):
    """A file read and checked, ready to write (``selfback_json.Payload`` or
    ``daylio.DaylioPayload``)."""

    @property
    def format(self) -> str:  # "selfback" or "daylio"
        ...

    @property
    def name(self) -> str:  # the file's name, for messages
        ...

    def write(self, db: sqlite3.Connection, result: ImportResult, progress: Progress) -> None:
        """Write the records (inside the caller's transaction), counting into ``result``."""


def read_file(
    path: Path,
    *,
    fmt: str = "auto",
    mood_map: dict[str, int] | None = None,
    ask_mood: AskMood | None = None,
) -> Loaded:
    """Read and check ``path`` (selfback JSON or Daylio CSV) without writing anything."""
    kind = detect_format(path) if fmt == "auto" else fmt
    if kind not in LABELS:
        raise UsageError(msg.BAD_IMPORT_FORMAT.format(fmt=fmt, formats=", ".join(FORMATS)))
    if kind == "selfback":
        from selfback.importer.selfback_json import load

        return load(path)
    from selfback.importer.daylio import load_daylio

    return load_daylio(path, mood_map=mood_map or {}, ask_mood=ask_mood)


def _no_progress(_done: int, _total: int) -> None:
    """For when nobody watches the progress."""


def write_records(
    store: Store,
    loaded: Loaded,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    take_changed: bool = False,
    now: str | None = None,
    count_only: bool = False,
) -> ImportResult:
    """Write what ``read_file`` read, in one transaction (rolled back for a dry run).

    A record the log has with other answers is counted as changed; ``take_changed``
    replaces the log's version with the file's (marked edited at ``now``). ``count_only``
    (with ``dry_run``) lets a writer only count, for a quick preview."""
    result = ImportResult(
        format=LABELS[loaded.format],
        dry_run=dry_run,
        take_changed=take_changed,
        updated_at=now,
        count_only=count_only and dry_run,
    )
    try:
        with store.tx() as db:
            loaded.write(db, result, progress or _no_progress)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except sqlite3.IntegrityError as exc:
        raise SelfbackError(msg.IMPORT_REFUSED.format(file=loaded.name, reason=exc)) from exc
    except sqlite3.Error as exc:
        raise explain(exc, store.path) from exc
    return result
