"""Importing a log: selfback JSON (restore or move machines) and Daylio's CSV export.

``import_file`` is the one entry point. It never prints and never reads stdin (a caller
may pass ``ask_mood`` to resolve unknown Daylio moods interactively). Everything is
written in ONE transaction: a file with a problem anywhere imports nothing.

Records carry a ``uid``; a record whose uid is already in the log is skipped, so
importing the same file twice adds nothing the second time.

Imported text is heard too, but never interrupts: words that may mean risk in an added
record (a note, tags, text answers) get a ``risk_flags`` row with source ``import``, dated
when the entry was written, in the same transaction. ``ImportResult.flagged`` counts
those records; the caller says so in one calm line.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from selfback.errors import SelfbackError, UsageError
from selfback.store.db import Store, explain

FORMATS = ("auto", "selfback", "daylio")
LABELS = {"selfback": "selfback JSON", "daylio": "Daylio CSV"}

Progress = Callable[[int, int], None]
AskMood = Callable[[str, int], int]  # (mood name, entries) -> 0-10


@dataclass
class ImportResult:
    format: str
    added: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)  # already in the log
    notes: list[str] = field(default_factory=list)
    backup: Path | None = None
    dry_run: bool = False
    mood_map: dict[str, int] = field(default_factory=dict)  # Daylio: name -> 0-10 used
    flagged: int = 0  # added records whose text may mean risk (flagged, never shown)

    @property
    def total_added(self) -> int:
        return sum(self.added.values())

    @property
    def total_skipped(self) -> int:
        return sum(self.skipped.values())


class _DryRun(Exception):
    """Raised inside the transaction to roll a preview back."""


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [t for v in value for t in _texts(v)]
    return []


def flag_words(
    db: sqlite3.Connection, texts: list[Any], *, ref_uid: str, when: str | datetime
) -> bool:
    """Flag one imported record (source ``import``) if any of ``texts`` may mean risk and
    it has no flag yet; returns whether it was flagged. Never stores the words."""
    from selfback.safety.risk import detect_any
    from selfback.store.safety import insert_risk_flag

    hit = detect_any(t for v in texts for t in _texts(v))
    if hit is None:
        return False
    if db.execute("SELECT 1 FROM risk_flags WHERE ref_uid = ? LIMIT 1", (ref_uid,)).fetchone():
        return False
    at = datetime.fromisoformat(when) if isinstance(when, str) else when
    if at.tzinfo is None:
        at = at.astimezone()
    insert_risk_flag(db, source="import", kind=hit.kind, when=at, ref_uid=ref_uid)
    return True


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
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff").lstrip()
    if text.startswith("{"):
        return "selfback"
    first_line = text.splitlines()[0].lower() if text else ""
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


def _backup(store: Store, paths: Any, now: datetime) -> Path | None:
    """A copy of the database before a bulk import (only when it has anything in it)."""
    if paths is None:
        return None
    has_data = store.query(
        "SELECT EXISTS (SELECT 1 FROM checkins) OR EXISTS (SELECT 1 FROM coping_sessions)"
        " OR EXISTS (SELECT 1 FROM measure_results)"
        " OR EXISTS (SELECT 1 FROM safety_plan_versions)"
    )[0][0]
    if not has_data:
        return None
    try:
        from selfback.store.db import backup_to
    except ImportError:  # pragma: no cover - older store module
        return None
    folder = paths.backups_dir
    target = folder / f"selfback-before-import-{now.strftime('%Y%m%d-%H%M%S')}.db"
    n = 2
    while target.exists():
        target = folder / f"selfback-before-import-{now.strftime('%Y%m%d-%H%M%S')}-{n}.db"
        n += 1
    try:
        return backup_to(store.conn, target)
    except (OSError, sqlite3.Error) as exc:
        raise SelfbackError(
            f"Could not make a safety copy of the database before importing ({exc}). "
            "Nothing was imported. Free some space, then try again."
        ) from exc


def import_file(
    store: Store,
    path: Path,
    *,
    fmt: str = "auto",
    now: datetime,
    paths: Any = None,
    mood_map: dict[str, int] | None = None,
    ask_mood: AskMood | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import ``path`` into ``store``; returns what was added and what was already there."""
    kind = detect_format(path) if fmt == "auto" else fmt
    if kind not in LABELS:
        raise UsageError(f"'{fmt}' is not an import format. Choose one of: {', '.join(FORMATS)}.")
    if kind == "selfback":
        from selfback.importer.selfback_json import load, write

        payload: Any = load(path)
    else:
        from selfback.importer.daylio import load_daylio, write_daylio

        payload = load_daylio(path, mood_map=mood_map or {}, ask_mood=ask_mood)
    result = ImportResult(format=LABELS[kind], dry_run=dry_run)
    if not dry_run:
        result.backup = _backup(store, paths, now)
    try:
        with store.tx() as db:
            if kind == "selfback":
                write(db, payload, result, progress=progress)
            else:
                write_daylio(db, payload, result, now=now, progress=progress)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except sqlite3.IntegrityError as exc:
        raise SelfbackError(
            f"{path.name} has a record the database refused ({exc}). Nothing was imported."
        ) from exc
    except sqlite3.Error as exc:
        raise explain(exc, store.path) from exc
    if not dry_run and kind == "selfback" and result.added.get("safety_plan_versions"):
        _refresh_plan_mirror(store, paths, result)
    return result


def _refresh_plan_mirror(store: Store, paths: Any, result: ImportResult) -> None:
    """If the newest plan version came from the file, make ``sos`` show it too."""
    if paths is None:
        return
    rows = store.query(
        "SELECT uid, saved_utc, plan FROM safety_plan_versions ORDER BY saved_utc DESC, id DESC "
        "LIMIT 1"
    )
    if not rows:
        return
    newest = rows[0]
    mirror = paths.plan_file
    with contextlib.suppress(Exception):
        import json

        current = json.loads(mirror.read_text(encoding="utf-8"))
        if current.get("uid") == newest["uid"]:
            return
    try:
        from selfback.fsutil import atomic_write

        atomic_write(mirror, newest["plan"])
        result.notes.append("Your safety plan is now the newest version from the file.")
    except OSError:
        result.notes.append(
            "The safety plan was imported, but the copy selfback sos reads could not be "
            "updated. Open selfback plan edit and save it once."
        )
