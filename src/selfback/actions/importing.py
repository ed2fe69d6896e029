"""Importing a file: a selfback JSON export (restore, move machines) or a Daylio CSV.

The file is read and checked whole first (nothing is written when any record is wrong),
then, unless it is a dry run, the log is copied to ``backups/`` (when it holds anything),
the records are written in one transaction, and if the newest safety plan came from the
file, the copy ``selfback sos`` reads is brought up to date. Never prints, never reads
standard input (``ask_mood`` answers an unknown Daylio mood).
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from selfback.errors import SelfbackError
from selfback.importer import AskMood, ImportResult, Loaded, Progress, read_file, write_records
from selfback.importer.sealed import read_sealed_export
from selfback.messages import data as msg
from selfback.paths import Paths
from selfback.sealing import Unseal
from selfback.store.db import Store, backup_store, open_store


def _backup(store: Store, paths: Paths, now: datetime) -> Path | None:
    """A copy of the database before a bulk import (only when it has anything in it)."""
    from selfback.store.importing import has_entries

    if not has_entries(store):
        return None
    stamp = now.strftime("%Y%m%d-%H%M%S")
    target = paths.backups_dir / f"selfback-before-import-{stamp}.db"
    n = 2
    while target.exists():
        target = paths.backups_dir / f"selfback-before-import-{stamp}-{n}.db"
        n += 1
    try:
        return backup_store(store, target)
    except (OSError, sqlite3.Error) as exc:
        raise SelfbackError(msg.IMPORT_BACKUP_FAILED.format(reason=exc)) from exc


def _refresh_plan_mirror(store: Store, paths: Paths, result: ImportResult) -> None:
    """If the newest plan version came from the file, make ``sos`` show it too."""
    from selfback.fsutil import atomic_write
    from selfback.safety.plan import read_plan_file
    from selfback.store.safety import latest_plan_version

    newest = latest_plan_version(store)
    if newest is None:
        return
    current = read_plan_file(paths)
    if current is not None and current.uid == newest.uid:
        return
    try:
        atomic_write(paths.plan_file, newest.plan)
        result.notes.append(msg.PLAN_FROM_IMPORT)
    except OSError:
        result.notes.append(msg.PLAN_MIRROR_FAILED)


def import_file(
    paths: Paths,
    path: Path,
    *,
    fmt: str = "auto",
    now: datetime,
    mood_map: dict[str, int] | None = None,
    ask_mood: AskMood | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    unseal: Unseal | None = None,
) -> ImportResult:
    """Import ``path`` into the log; returns what was added and what was already there.
    A sealed export (``.age``) is opened in memory with ``unseal``."""
    loaded: Loaded = (
        read_file(path, fmt=fmt, mood_map=mood_map, ask_mood=ask_mood)
        if unseal is None
        else read_sealed_export(path, unseal)
    )
    with open_store(paths) as store:
        backup = None if dry_run else _backup(store, paths, now)
        result = write_records(store, loaded, dry_run=dry_run, progress=progress)
        result.backup = backup
        if not dry_run and "safety_plan_versions" in result.added:
            _refresh_plan_mirror(store, paths, result)
    return result
